#!/usr/bin/env bash
# install-render-tools.sh: what `perfdsl build --to pdf`, its tests and scripts/render_examples.sh
# need on a Debian or Ubuntu machine: LibreOffice Writer (no GUI), poppler-utils (pdftotext,
# pdftoppm), Chromium (the HTML printed and photographed) and fonts for Chinese text.
#
#   scripts/install-render-tools.sh           installs what is missing (as root, or through sudo)
#
# Idempotent: when soffice, pdftotext, pdftoppm and chromium are all present it does nothing.
# About 40 s on a new machine with a nearby apt mirror.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

have_all() {
  command -v soffice >/dev/null && command -v pdftotext >/dev/null &&
    command -v pdftoppm >/dev/null && { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; } &&
    fc-list 2>/dev/null | grep "Noto Serif CJK SC" >/dev/null
}
if have_all; then
  echo "render tools: already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-render-tools: no apt-get here; install LibreOffice Writer, poppler-utils," \
    "Chromium and the Noto CJK fonts with this system's package manager" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-render-tools: run as root (or install sudo)" >&2; exit 1; }
  as_root=(sudo)
fi

step() {
  local name=$1; shift
  local t0=$SECONDS log
  log=$(mktemp "${TMPDIR:-/tmp}/install-render-tools-$name.XXXXXX")
  if ! "${as_root[@]}" "$@" >"$log" 2>&1; then
    echo "install-render-tools: $name failed:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  rm -f "$log"
  echo "$name: $((SECONDS - t0)) s"
}
step apt-update  apt-get update
step poppler     apt-get install -y --no-install-recommends poppler-utils
# Noto Serif/Sans CJK SC stand in for 宋体/仿宋 and 黑体, AR PL UKai for 楷体 (see
# perfdsl/emit/fonts/fonts.conf); Liberation and Carlito/Caladea have the metrics of Times New
# Roman/Arial and Calibri/Cambria.
step fonts       apt-get install -y --no-install-recommends fonts-noto-cjk fonts-wqy-zenhei \
                   fonts-arphic-ukai fonts-arphic-uming fonts-liberation fonts-liberation2 \
                   fonts-crosextra-carlito fonts-crosextra-caladea fontconfig
step libreoffice apt-get install -y --no-install-recommends libreoffice-writer-nogui
step chromium    apt-get install -y --no-install-recommends chromium
step fc-cache    fc-cache -f
soffice --version

#!/usr/bin/env bash
# Build every example and render it to PNG, so that a person can LOOK at what perfdsl prints
# and put it beside the real table the example was written from.
#
#   scripts/render_examples.sh [OUTDIR] [EXAMPLE.pdsl ...]     (default: build/render, all)
#
# For each example (examples/*.pdsl, examples/templates/*.pdsl, examples/regional/*.pdsl), in
# the template the source names:
#   OUTDIR/NAME.docx, NAME.html, NAME.pdf   what `perfdsl build --to docx,html,pdf` writes
#   OUTDIR/NAME-docx/page-N.png             the PDF (the docx as LibreOffice prints it)
#   OUTDIR/NAME-html.png                    the whole web page in Chromium, 1200 px wide
#   OUTDIR/NAME-print/page-N.png            the web page printed by Chromium (its print CSS)
# Needs LibreOffice, poppler-utils and Chromium: scripts/install-render-tools.sh.
# SOURCE_DATE_EPOCH is left unset, so the dates are the sources' own, as a user's build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/build/render}"
shift || true
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
DPI="${DPI:-60}"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "render_examples: $tool missing (scripts/install-render-tools.sh)" >&2; exit 2; }
done
[ -n "$CHROMIUM" ] || { echo "render_examples: chromium missing (scripts/install-render-tools.sh)" >&2; exit 2; }

if [ $# -gt 0 ]; then
  sources=("$@")
else
  sources=("$ROOT"/examples/*.pdsl "$ROOT"/examples/templates/*.pdsl "$ROOT"/examples/regional/*.pdsl)
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
profile="$(mktemp -d "${TMPDIR:-/tmp}/render-examples.XXXXXX")"
trap 'rm -rf "$profile"' EXIT
chrome() {
  HOME="$profile" "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile/chromium" --no-pdf-header-footer "$@" >/dev/null 2>&1
}

for source in "${sources[@]}"; do
  name="$(basename "$source" .pdsl)"
  if ! "$PY" -m perfdsl build --to docx,html,pdf -o "$OUT" "$source" 2>"$OUT/$name.log"; then
    echo "$name: build failed (see $OUT/$name.log)"
    continue
  fi
  rm -rf "$OUT/$name-docx" "$OUT/$name-print"
  mkdir -p "$OUT/$name-docx" "$OUT/$name-print"
  pdftoppm -r "$DPI" -png "$OUT/$name.pdf" "$OUT/$name-docx/page"
  chrome --screenshot="$OUT/$name-html.png" --window-size=1200,4000 "file://$OUT/$name.html"
  chrome --print-to-pdf="$OUT/$name-print.pdf" "file://$OUT/$name.html"
  pdftoppm -r "$DPI" -png "$OUT/$name-print.pdf" "$OUT/$name-print/page"
  echo "$name: $(ls "$OUT/$name-docx" | wc -l) docx page(s), $(ls "$OUT/$name-print" | wc -l) printed HTML page(s)"
done
echo "renders in $OUT"

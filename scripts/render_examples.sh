#!/usr/bin/env bash
# Build every example to .docx and .html, then render both to PNG so a person can LOOK at them.
#
#   scripts/render_examples.sh [OUTDIR]        (default: build/render)
#
# For each examples/NAME.pdsl, in the layout the source names (版式, default Tianjin) and in
# the Ministry of Finance layout:
#   OUTDIR/<layout>/NAME.docx, NAME.html        what `perfdsl build` writes
#   OUTDIR/<layout>/NAME-docx/page-N.png        the Word file as LibreOffice prints it (A4)
#   OUTDIR/<layout>/NAME-html.png               the whole web page, 1000 px wide
#   OUTDIR/<layout>/NAME-print/page-N.png       the web page printed to A4 (print CSS)
# Needs the render tools (/work/shared/tools, see its README; install.sh installs them).
# SOURCE_DATE_EPOCH is fixed so the outputs are the same bytes on every run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/build/render}"
TOOLS="${PERFDSL_RENDER_TOOLS:-/work/shared/tools}"
PY="${PYTHON:-$ROOT/../venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1704067200}"  # 2024-01-01T00:00:00Z

for tool in docx2png.sh html2png.sh html2pdf.sh; do
  [ -x "$TOOLS/$tool" ] || { echo "render_examples: missing $TOOLS/$tool" >&2; exit 2; }
done

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
for layout in default mof; do
  dir="$OUT/$layout"
  rm -rf "$dir"
  mkdir -p "$dir"
  args=(build --to docx,html -o "$dir")
  [ "$layout" = default ] || args+=(--layout "$layout")
  "$PY" -m perfdsl "${args[@]}" "$ROOT"/examples/*.pdsl
  for docx in "$dir"/*.docx; do
    name="$(basename "$docx" .docx)"
    "$TOOLS/docx2png.sh" "$docx" "$dir/$name-docx" >/dev/null
    "$TOOLS/html2png.sh" "$dir/$name.html" "$dir/$name-html.png" 1000xfull >/dev/null
    "$TOOLS/html2pdf.sh" "$dir/$name.html" "$dir/$name-print" >/dev/null
    echo "$layout/$name: $(ls "$dir/$name-docx"/page-*.png | wc -l) docx pages," \
      "$(ls "$dir/$name-print"/page-*.png | wc -l) printed html pages"
  done
done
echo "renders in $OUT"

"""The web page: one self-contained HTML document per source, for the public website.

Built from the same table model as the Word file (:mod:`perfdsl.emit.table`), so both show
the same merges and blanks.  Plain string building with :func:`html.escape` on every text
that came from the source; no template engine, no script, no external stylesheet or font:
the page reads (and prints on A4) as saved.  Output is deterministic: the same document,
layout and timestamp give the same string.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from perfdsl.ast import Document
from perfdsl.emit.table import Cell, Covered, DocumentView, Grid, ProjectView, document_view
from perfdsl.standards.templates import Template

_BODY_FONTS = (
    '"仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", "Source Han Serif SC", serif'
)
_TABLE_FONTS = '"宋体", SimSun, "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif'
_HEADING_FONTS = '"黑体", SimHei, "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'

CSS = f"""
:root {{ color-scheme: light; }}
body {{ margin: 0 auto; max-width: 60rem; padding: 1.5rem 1rem 3rem;
  font-family: {_BODY_FONTS}; font-size: 16px; line-height: 1.6; color: #000; background: #fff; }}
h1, h2 {{ font-family: {_HEADING_FONTS}; font-weight: normal; text-align: center; }}
h1 {{ font-size: 1.6rem; margin: 1rem 0 1.5rem; }}
h2 {{ font-size: 1.3rem; margin: 2.5rem 0 1rem; }}
nav h2 {{ margin-top: 1rem; }}
nav ol {{ list-style: none; padding: 0; margin: 0 0 2rem; }}
nav li {{ display: flex; gap: .5rem; align-items: baseline; padding: .15rem 0; }}
nav li a {{ color: inherit; }}
nav li .fill {{ flex: 1; border-bottom: 1px dotted #888; }}
nav li .budget {{ white-space: nowrap; }}
.project > p {{ margin: 0; }}
.project .money-unit {{ text-align: right; }}
.project .subtitle {{ text-align: center; margin: -.5rem 0 .5rem; }}
.project .table-title {{ margin: .6rem 0 .2rem; }}
.project .below {{ margin-top: .5rem; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed;
  font-family: {_TABLE_FONTS}; font-size: 14px; line-height: 1.45; }}
table + table {{ margin-top: .4rem; }}
th, td {{ border: 1px solid #000; padding: .3rem .35rem; vertical-align: middle;
  text-align: center; overflow-wrap: anywhere; }}
th {{ font-weight: normal; }}
thead th {{ font-weight: bold; }}
td.left {{ text-align: left; }}
td p, th p {{ margin: 0; }}
table.crowded {{ font-size: 12px; }}
table.crowded th, table.crowded td {{ padding: .25rem .15rem; }}
.sr-only {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
footer {{ margin-top: 3rem; font-size: .85rem; color: #444; text-align: center; }}
@page {{ size: A4; margin: 20mm 20mm 18mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 12pt; }}
  table {{ font-size: 10.5pt; }}
  table.crowded {{ font-size: 9pt; }}
  .project {{ break-before: page; }}
  h2, .project > p {{ break-after: avoid; }}
  thead {{ display: table-header-group; }}
  tr {{ break-inside: avoid; }}
  nav a {{ text-decoration: none; }}
  footer {{ display: none; }}
}}
""".strip()


def _text(lines: tuple[str, ...]) -> str:
    """Cell content: one line as is, several as paragraphs, none as an empty cell."""
    if len(lines) == 1:
        return escape(lines[0])
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def _attrs(cell: Cell) -> str:
    out = ""
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    return out


def _cell(cell: Cell, group: int) -> str:
    span = _attrs(cell)
    if cell.role == "column":
        scope = "colgroup" if cell.colspan > 1 else "col"
        return f'<th scope="{scope}"{span}>{_text(cell.lines)}</th>'
    if cell.role == "label":
        # A 一级 cell heads its whole <tbody> when its block is one (it spans all ``group``
        # rows); any other label heads the row(s) it spans (scope=row covers them all).
        scope = "rowgroup" if cell.field == "level1" and cell.rowspan == group else "row"
        return f'<th scope="{scope}"{span}>{_text(cell.lines)}</th>'
    cls = ' class="left"' if cell.align == "left" else ""
    return f"<td{cls}{span}>{_text(cell.lines)}</td>"


def _colgroup(grid: Grid) -> str:
    total = sum(grid.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in grid.widths)
    return f"<colgroup>{cols}</colgroup>"


def _rows(rows: tuple[tuple[Cell | Covered, ...], ...]) -> str:
    out = []
    for row in rows:
        cells = "".join(_cell(c, len(rows)) for c in row if isinstance(c, Cell))
        out.append(f"<tr>{cells}</tr>\n")
    return "".join(out)


def _crossed(grid: Grid, boundary: int) -> bool:
    """Does a cell span across the line between rows ``boundary - 1`` and ``boundary``?

    HTML cuts a rowspan at the end of its row group (<thead>, <tbody>), so a group may end
    only where no cell goes on: a label down the indicator table's side that starts in the
    header, or a project's merged left columns on a flat sheet, keep their rows together.
    """
    for index, row in enumerate(grid.rows[:boundary]):
        for cell in row:
            if isinstance(cell, Cell) and index + cell.rowspan > boundary:
                return True
    return False


def _groups(grid: Grid) -> tuple[int, list[tuple[int, int]]]:
    """(rows in <thead>, the (start, end) of each <tbody>) for ``grid``.

    In an indicator table each 一级 block is a <tbody>, the row group its 一级 cell heads.
    """
    count = len(grid.rows)
    head = min(grid.header_rows, count)
    if 0 < head < count and _crossed(grid, head):
        return 0, [(0, count)]  # the header's cells run on into the body: one group
    starts = [head]
    if grid.kind == "indicators" and "level1" in grid.fields:
        index = grid.fields.index("level1")
        start = head
        while start < count:
            first = grid.rows[start][index]
            start += first.rowspan if isinstance(first, Cell) else 1
            if start < count and not _crossed(grid, start):
                starts.append(start)
    ends = [*starts[1:], count]
    return head, [(a, b) for a, b in zip(starts, ends, strict=True) if b > a]


def table_html(grid: Grid, caption: str) -> str:
    """A <table>: header rows in <thead>; in an indicator table one <tbody> per 一级 block."""
    classes = [grid.kind] + (["crowded"] if grid.crowded else [])
    parts = [
        f'<table class="{" ".join(classes)}">',
        f'<caption class="sr-only">{escape(caption)}</caption>',
        _colgroup(grid),
    ]
    head, bodies = _groups(grid)
    if head:
        parts.append(f"<thead>\n{_rows(grid.rows[:head])}</thead>")
    for start, end in bodies:
        parts.append(f"<tbody>\n{_rows(grid.rows[start:end])}</tbody>")
    parts.append("</table>\n")
    return "\n".join(parts)


def _project(project: ProjectView) -> str:
    heading = escape(project.heading)
    parts = [
        f'<section class="project" id="{project.anchor}" aria-labelledby="{project.anchor}-h">\n',
        f'<h2 id="{project.anchor}-h">{heading}</h2>\n',
    ]
    if project.subtitle:
        parts.append(f'<p class="subtitle">{escape(project.subtitle)}</p>\n')
    for line in project.above:
        css = "money-unit" if line.startswith("单位：") else "unit"
        parts.append(f'<p class="{css}">{escape(line)}</p>\n')
    for grid in project.tables:
        if grid.title:
            parts.append(f'<p class="table-title">{escape(grid.title)}</p>\n')
        parts.append(table_html(grid, f"{project.heading} {grid.caption}"))
    parts += [f'<p class="below">{escape(line)}</p>\n' for line in project.below]
    parts.append("</section>\n")
    return "".join(parts)


def _nav(view: DocumentView) -> str:
    items = "\n".join(
        f'<li><a href="#{p.anchor}">{escape(p.heading)}</a><span class="fill"></span>'
        f'<span class="budget">{escape(p.budget_text)}</span></li>'
        for p in view.projects
    )
    return f'<nav aria-labelledby="toc-h">\n<h2 id="toc-h">目录</h2>\n<ol>\n{items}\n</ol>\n</nav>'


#: A template without contents (a form, not a bound volume) prints like its Word file: no
#: title page, the first table on the first page.  The page keeps its <h1> on screen.
FORM_PRINT = """@media print {
  body > header { display: none; }
  .project:first-of-type { break-before: auto; }
}"""


def _css(view: DocumentView) -> str:
    """The style sheet; a landscape template prints on A4 landscape, on a wider page."""
    css = CSS if view.contents else f"{CSS}\n{FORM_PRINT}"
    if not view.landscape:
        return css
    return css.replace("size: A4;", "size: A4 landscape;").replace(
        "max-width: 60rem", "max-width: 90rem"
    )


def render_html(
    document: Document, template: Template, timestamp: datetime, catalog: object = None
) -> str:
    """The page for ``document`` in ``template``; ``timestamp`` is the stated build time."""
    view = document_view(document, template, catalog)
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=UTC)
    when = timestamp.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = escape(view.title)
    projects = "".join(_project(p) for p in view.projects)
    nav = f"{_nav(view)}\n" if view.contents else ""
    # A neutral footer: the unit and the table's name, and a date only if the source gives
    # one (编报时间); the build time is not the document's date.
    dated = f" · {escape(view.dated)}" if view.dated else ""
    footer = f"{escape(view.unit_line)} · {escape(view.table_title)}{dated}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="perfdsl">\n'
        f'<meta name="dcterms.modified" content="{when}">\n'
        f"<title>{title}</title>\n<style>\n{_css(view)}\n</style>\n</head>\n<body>\n"
        f"<header><h1>{title}</h1></header>\n"
        f"{nav}<main>\n{projects}\n</main>\n"
        f"<footer>{footer}</footer>\n</body>\n</html>\n"
    )

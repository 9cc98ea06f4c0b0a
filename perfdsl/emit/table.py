"""A document as its template prints it: headings, lines, and grids of cells.

Everything a reader sees is decided here, once, from the document and its template
(:mod:`perfdsl.standards.templates`): which labels, which rows and columns, which cells are
merged, what each cell says, which lines stand above and below each table.  The docx and HTML
emitters only translate this model (:mod:`perfdsl.emit.model`) into their markup, so the Word
file and the web page can never disagree about a merge or a blank cell.

Choices where the forms are silent:

- Money prints with the scale and the unit its author wrote (``146.00``, ``4137280元``,
  ``250万``) and any words after the amount, values in canonical form (``≥95%``), both as the
  template writes numbers and operators (thousands separators, ``>=``).
- A funding line absent from the source is a blank cell.  The template's main lines
  (财政资金/其他资金, or 基本支出/项目支出) always have a cell; every other funding line the
  source writes is shown after them, never dropped.  Nothing is computed but a share column the
  template asks for: the checker, not the printer, reconciles sums.
- Optional columns appear in a table when at least one of its indicators fills them (an
  explicit blank such as ``描述: ""`` does not count); a column the template prints always
  appears empty.
- Every field a table holds that its header has no slot for gets a labelled row of its own
  (``fields``): nothing the source says is left out of print.
"""

from __future__ import annotations

import re

from perfdsl import ast
from perfdsl.ast import Document, Project
from perfdsl.emit.header import header_grid
from perfdsl.emit.indicators import (
    LANDSCAPE_TEXT_CM,
    PAGE_TEXT_CM,
    cell_lines,
    columns_for,
    fit_widths,
    halves_grid,
    indicator_grid,
    rows_with_blanks,
    runs,
    score_text,
)
from perfdsl.emit.model import (
    Align,
    Cell,
    Covered,
    DocumentView,
    Grid,
    ProjectView,
    Row,
    Style,
    data,
    field_lines,
    goal_lines,
    label,
    lines_of,
    money_text,
)
from perfdsl.standards.templates import Column, Template, for_project

__all__ = [
    "Align",
    "Cell",
    "Covered",
    "DocumentView",
    "Grid",
    "ProjectView",
    "Row",
    "Style",
    "columns_for",
    "document_title",
    "document_view",
    "field_lines",
    "fit_widths",
    "goal_lines",
    "indicator_grid",
    "lines_of",
    "money_text",
    "project_view",
    "unit_line",
]

#: ``{name}``, or ``{filing_unit|unit}``: the first of the fields that has a value.
_PLACEHOLDER = re.compile(r"\{(\w+(?:\|\w+)*)\}")


def _names(pattern: str) -> list[str]:
    """Every field a pattern's placeholders name (both of ``{filing_unit|unit}``)."""
    return [name for group in _PLACEHOLDER.findall(pattern) for name in group.split("|")]


def _first(group: str, values: dict[str, str]) -> str:
    return next((values[n] for n in group.split("|") if values.get(n)), "")


def unit_line(document: Document) -> str:
    header = document.header
    code = header.unit_code.value if header.unit_code else ""
    name = header.unit_name.value if header.unit_name else ""
    return f"{code}{name}"


def style_of(document: Document, template: Template) -> Style:
    page = template.page
    return Style(
        file_unit=document.header.unit,
        operators=page.operators,
        thousands=page.thousands,
        words=page.words,
    )


def _values(document: Document, template: Template, **more: object) -> dict[str, str]:
    """What a pattern's placeholders stand for: the header, its fields, and ``more``."""
    header = document.header
    values = {
        "unit": header.unit_name.value if header.unit_name else "",
        "unit_code": header.unit_code.value if header.unit_code else "",
        "year": header.year.value if header.year else "",
        "title": template.title,
        "money_unit": header.unit,
    }
    for key, value in header.fields.items():
        if isinstance(value, ast.Located):
            values[key] = value.value
    return {**values, **{k: str(v) for k, v in more.items()}}


def fill(pattern: str, values: dict[str, str]) -> str:
    """``pattern`` with its placeholders filled; "" when it has some and all are empty (a
    line such as 填表人：{filled_by} is left out when the source does not say)."""
    groups = _PLACEHOLDER.findall(pattern)
    if not values.get("year"):  # no year: no "年" after it either
        pattern = (
            pattern.replace("（{year}年度）", "").replace("{year}年度", "").replace("{year}年", "")
        )
    if groups and not any(_first(g, values) for g in groups):
        return ""
    return _PLACEHOLDER.sub(lambda m: _first(m.group(1), values), pattern)


#: Header fields with a place of their own: the unit line, the title, the rules that apply.
_HEADER_OWN = frozenset(
    {"unit", "year", "money_unit", "framework", "template", "title", "subtitle"}
)
#: Header fields that stand above the tables when the template gives them no line.
_HEADER_ABOVE = ("filing_unit",)


def around(
    document: Document, template: Template, values: dict[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lines above and below a table: the template's patterns, filled, and then every
    header field the source gives that no pattern prints (填表人, 联系电话, 编报时间, a
    ``栏目``), so that nothing the source says is left out of print: 填报单位 above, the
    others on one line below, as a sign-off line is printed."""
    page = template.page
    above = [line for line in (fill(p, values) for p in page.above) if line]
    below = [line for line in (fill(p, values) for p in page.below) if line]
    placed = {
        name
        for pattern in (*page.above, *page.below, page.heading, page.document_title, page.subtitle)
        for name in _names(pattern)
    }
    extra_above, extra_below = [], []
    for key, value in document.header.fields.items():
        if key in _HEADER_OWN or key in placed or not isinstance(value, ast.Located):
            continue
        if not value.value.strip():
            continue
        free = ast.free_label(key)
        name = free if free is not None else template.label("header", key)
        line = f"{name}：{value.value.strip()}"
        (extra_above if key in _HEADER_ABOVE else extra_below).append(line)
    if extra_below:
        below.append("\u3000\u3000".join(extra_below))
    return tuple(above + extra_above), tuple(below)


def document_title(document: Document, template: Template) -> str:
    """The header's 标题, or the template's title pattern (``<单位><年度>年项目支出<绩效目标表>``)."""
    header = document.header
    if header.title is not None and header.title.value.strip():
        return header.title.value.strip()
    return fill(template.page.document_title, _values(document, template)) or template.title


# --- the tables of one project -------------------------------------------------------------------


def _signoff(project: Project, template: Template, style: Style) -> Grid | None:
    value = project.get("signoff")
    if not isinstance(value, ast.Labels) or not value.fields:
        return None
    cells: list[Cell | Covered] = []
    for text, cell in value.fields.items():
        cells += [label(text), data(field_lines(cell, style))]
    rows = [tuple(cells[i : i + 4]) for i in range(0, len(cells), 4)]
    width = max(len(r) for r in rows)
    rows = [(*r, *[data(()) for _ in range(width - len(r))]) for r in rows]
    return Grid(
        (1.0,) * width, tuple(rows), kind="footer", caption=template.label("project", "signoff")
    )


def _trailing(project: Project, template: Template, style: Style) -> Grid | None:
    items = [
        (template.label("project", key), project.get(key))
        for key in ("annual_completion", "other_notes")
        if project.get(key) is not None
    ]
    if not items:
        return None
    rows = [(label(text), data(field_lines(value, style), colspan=3)) for text, value in items]
    return Grid((1.4, 2.0, 1.4, 2.0), tuple(rows), kind="footer", caption="其他")


def _indicator_tables(
    project: Project, template: Template, style: Style, width: float
) -> list[Grid]:
    page = template.page
    midterm = project.get("midterm_indicators")
    tree = midterm.level1 if isinstance(midterm, ast.Tree) and midterm.level1 else ()
    if tree and page.midterm == "beside":
        return [halves_grid(project.indicators, tree, template, style, width)]
    year = indicator_grid(
        project.indicators, template, style, width, title=page.year_caption if tree else ""
    )
    if not tree:
        return [year]
    caption = template.label("project", "midterm_indicators")
    title = page.midterm_caption or caption
    second = indicator_grid(tree, template, style, width, caption=caption, title=title)
    return [second, year] if page.midterm == "before" else [year, second]


def project_view(
    number: int, project: Project, document: Document, template: Template
) -> ProjectView:
    style = style_of(document, template)
    page = template.page
    values = _values(document, template, number=number, name=project.name)
    if not ast.has_money(project):
        values["money_unit"] = ""
    total = money_text(project.budget.total if project.budget else None, style)
    budget_label = template.label("budget", "budget")
    unit = document.header.unit if total and total[-1].isdigit() else ""
    width = LANDSCAPE_TEXT_CM if page.orientation == "landscape" else PAGE_TEXT_CM
    header = header_grid(project, template, style)
    tables = [
        *([header] if header.rows else []),
        *_indicator_tables(project, template, style, width),
    ]
    for extra in (_trailing(project, template, style), _signoff(project, template, style)):
        if extra is not None:
            tables.append(extra)
    subtitle = document.header.fields.text("subtitle") or fill(page.subtitle, values)
    above, below = around(document, template, values)
    return ProjectView(
        number=number,
        anchor=f"p{number}",
        heading=fill(page.heading, values) or project.name,
        above=above,
        below=below,
        tables=tuple(tables),
        budget_text=f"{budget_label} {total}{unit}" if total else f"{budget_label} —",
        subtitle=subtitle,
    )


# --- one flat sheet for a whole unit --------------------------------------------------------------


def sheet_view(document: Document, template: Template) -> ProjectView:
    """All of a unit's projects in one table: the sheet's own columns (单位名称, 项目名称,
    预算数, 年度目标) merged down over each project's rows, then the indicator columns."""
    page = template.page
    style = style_of(document, template)
    values = _values(document, template, number=1, name="")
    triples_by_project = [
        (p, rows_with_blanks(p.indicators) or [(ast.Level1("", ()), ast.Level2("", ()), None)])
        for p in document.projects
    ]
    every = [t for _, ts in triples_by_project for t in ts]
    columns = columns_for(every, template)
    fields = [c.field for c in columns]
    own = list(page.sheet_columns)
    own_labels = {
        "unit": template.label("header", "unit") + "名称"
        if template.label("header", "unit") == "单位"
        else template.label("header", "unit"),
        "name": template.label("project", "name"),
        "budget": template.label("budget", "budget"),
        "goals": template.label("project", "goals"),
    }
    head: list[Cell | Covered] = [
        Cell((own_labels.get(k, k),), role="column", field=k) for k in own
    ]
    head += [Cell((c.label,), role="column", field=c.field) for c in columns]
    rows: list[Row] = [tuple(head)]
    unit_name = unit_line(document) if "unit" in own else ""
    for project, triples in triples_by_project:
        merged = _sheet_merges(triples)
        for index, (l1, l2, indicator) in enumerate(triples):
            row: list[Cell | Covered] = []
            for key in own:
                if index:
                    row.append(Covered())
                    continue
                if key == "unit":
                    lines: tuple[str, ...] = (
                        document.header.unit_name.value if document.header.unit_name else unit_name,
                    )
                elif key == "name":
                    lines = (project.name,)
                elif key == "budget":
                    lines = (money_text(project.budget.total if project.budget else None, style),)
                else:
                    lines = goal_lines(project.goals, page.number_goals)
                align: Align = "center" if key == "budget" else "left"
                row.append(data(lines, align, rowspan=len(triples), field=key))
            for field in fields:
                if field in ("level1", "level2"):
                    length = merged[field].get(index)
                    if length is None:
                        row.append(Covered())
                        continue
                    block = l1 if field == "level1" else l2
                    name = block.name + score_text(block.fields.get("score"))
                    row.append(Cell(lines_of(name), role="label", rowspan=length, field=field))
                else:
                    lines = cell_lines(indicator, field, template, style) if indicator else ()
                    row.append(data(lines, "center", field=field))
            rows.append(tuple(row))
    own_columns = [
        Column(k, own_labels.get(k, k), 3.0 if k == "goals" else 2.2, 1.8, "left") for k in own
    ]
    width = LANDSCAPE_TEXT_CM if page.orientation == "landscape" else PAGE_TEXT_CM
    widths, crowded = fit_widths([*own_columns, *columns], width)
    grid = Grid(
        widths,
        tuple(rows),
        header_rows=1,
        kind="sheet",
        fields=(*own, *fields),
        crowded=crowded,
        caption="绩效指标",
    )
    above, below = around(document, template, values)
    return ProjectView(
        number=1,
        anchor="p1",
        heading=fill(page.heading, values) or template.title,
        above=above,
        below=below,
        tables=(grid,),
        subtitle=document.header.fields.text("subtitle") or fill(page.subtitle, values),
    )


def _sheet_merges(triples: list) -> dict[str, dict[int, int]]:  # type: ignore[type-arg]
    level1 = [l1.name for l1, _, _ in triples]
    run_of = [0] * len(triples)
    for run, (start, length) in enumerate(runs(level1)):
        for i in range(start, start + length):
            run_of[i] = run
    level2 = [(run_of[i], l2.name) for i, (_, l2, _) in enumerate(triples)]
    merged: dict[str, dict[int, int]] = {"level1": {}, "level2": {}}
    for field, keys in (("level1", level1), ("level2", level2)):
        for start, length in runs(keys):
            merged[field][start] = length
    return merged


# --- the whole document ----------------------------------------------------------------------


def document_view(document: Document, template: Template, catalog: object = None) -> DocumentView:
    """Everything both visual emitters print, in order.  A table that names its own template
    (``模板:`` in the project) prints in it."""
    header = document.header
    page = template.page
    if page.per == "unit":
        projects: tuple[ProjectView, ...] = (
            (sheet_view(document, template),) if document.projects else ()
        )
    else:
        projects = tuple(
            project_view(number, project, document, for_project(project, template, catalog))
            for number, project in enumerate(document.projects, 1)
        )
    return DocumentView(
        title=document_title(document, template),
        unit_line=unit_line(document),
        money_unit=header.unit,
        year=header.year.value if header.year else "",
        projects=projects,
        table_title=template.title,
        landscape=page.orientation == "landscape",
        contents=page.contents,
        cover=page.cover,
        dated=header.fields.text("filed_on") or "",
    )

"""The table model both visual emitters draw: a document as headings, lines and grids of cells.

Everything a reader sees is decided here, once, from the document and the layout: which
labels, which columns, which cells are merged, what each cell says.  The docx and HTML
emitters only translate this model into their markup, so the Word file and the web page can
never disagree about a merge or a blank cell.

A :class:`Grid` is a list of rows; each row lists its cells left to right.  A cell that spans
columns is one :class:`Cell` with ``colspan`` > 1.  A cell that spans rows is a :class:`Cell`
with ``rowspan`` > 1 in its first row and a :class:`Covered` placeholder (of the same
``colspan``) in each row below it: Word needs a ``w:vMerge`` continuation cell there, HTML
simply leaves it out.

Choices where the forms are silent (documented for finance officers in the final report):

- Money is printed exactly as written (``146.00`` stays ``146.00``); an amount written in a
  unit other than the file's (``4137280元`` in a 万元 file) keeps its unit in the cell.
- A funding line absent from the source is a blank cell.  The layout's two main lines
  (财政资金/其他资金, or 财政拨款/其他资金) always have a cell; every other funding line the
  source writes (上级资金, 本级资金, 自有资金, 上年结转) is shown after them, never dropped.
  其他资金 is shown as written and never computed: the checker, not the printer, reconciles sums.
- Optional columns (描述 in the MoF layout, 中期值, 权重, 方向, 依据, 解释, 备注) appear in a
  project's table when at least one indicator of that project fills them with text (an
  explicit blank such as ``描述: ""`` does not count), so each table is as narrow as its own
  content allows.
- Header fields the layout has no fixed slot for (主管部门, 实施单位, 项目负责人, 项目类别,
  实施期, 中期目标) get their own labelled rows when the source gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

import attrs

from perfdsl.ast import Document, Goal, Indicator, Located, Money, Project
from perfdsl.standards.layouts import OPTIONAL_SOURCES, Column, Layout
from perfdsl.values import Value, format_decimal, money_unit

Align = Literal["left", "center"]
Role = Literal["data", "label", "column"]  # column = a column header (th scope=col)


@attrs.frozen
class Cell:
    """One visible cell.  ``lines`` are paragraphs; no lines means a blank cell.

    ``role`` says what kind of cell it is: a ``column`` header, a row ``label`` (项目名称,
    一级/二级 names) or ``data``.  ``field`` names the column it belongs to in an indicator
    table (tests and CSS use it).
    """

    lines: tuple[str, ...]
    role: Role = "data"
    colspan: int = 1
    rowspan: int = 1
    align: Align = "center"
    field: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@attrs.frozen
class Covered:
    """The part of a row that a cell from a row above spans into."""

    colspan: int = 1


@attrs.frozen
class Grid:
    """A table: relative column widths, rows of cells, and how many leading rows are headers."""

    widths: tuple[float, ...]
    rows: tuple[tuple[Cell | Covered, ...], ...]
    header_rows: int = 0
    kind: Literal["header", "indicators"] = "indicators"
    #: The indicator table's column fields, in order (empty for a header table).
    fields: tuple[str, ...] = ()
    #: So many columns that even their minimum widths overflow the page: print smaller.
    crowded: bool = False


@attrs.frozen
class ProjectView:
    """What one project prints as: heading, the two lines under it, the two tables."""

    number: int
    anchor: str
    heading: str
    unit_line: str
    money_line: str
    budget_text: str
    header: Grid
    indicators: Grid


@attrs.frozen
class DocumentView:
    title: str
    unit_line: str
    money_unit: str
    year: str
    projects: tuple[ProjectView, ...]


# --- small helpers ---------------------------------------------------------------------------


def lines_of(text: str | None) -> tuple[str, ...]:
    """Split multi-line text into paragraphs; blank or absent text is no paragraph at all."""
    if text is None:
        return ()
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while parts and not parts[-1].strip():
        parts.pop()
    while parts and not parts[0].strip():
        parts.pop(0)
    return tuple(parts)


def _located(value: Located | None) -> tuple[str, ...]:
    return lines_of(value.value) if value is not None else ()


def money_text(money: Money | None, file_unit: str) -> str:
    """An amount as written; its own unit is kept only when it differs from the file's."""
    if money is None:
        return ""
    number = format_decimal(money.amount)
    unit = money.unit
    if unit and money_unit(unit) != money_unit(file_unit):
        return f"{number}{unit}"
    return number


def goal_lines(goals: Sequence[Goal]) -> tuple[str, ...]:
    """The numbered list as the seed prints it: ``1.…``, one paragraph per goal line."""
    out: list[str] = []
    for number, goal in enumerate(goals, 1):
        parts = lines_of(goal.text) or ("",)
        out.append(f"{number}.{parts[0]}")
        out.extend(parts[1:])
    return tuple(out)


def _label(text: str, **kw: object) -> Cell:
    return Cell((text,), role="label", **kw)  # type: ignore[arg-type]


def _data(lines: Iterable[str], align: Align = "left", **kw: object) -> Cell:
    return Cell(tuple(lines), role="data", align=align, **kw)  # type: ignore[arg-type]


def unit_line(document: Document) -> str:
    header = document.header
    code = header.unit_code.value if header.unit_code else ""
    name = header.unit_name.value if header.unit_name else ""
    return f"{code}{name}"


def document_title(document: Document, layout: Layout) -> str:
    """The header's 标题, or ``<单位名称><年度>年项目支出<绩效目标表 | 绩效目标申报表>``."""
    header = document.header
    if header.title is not None and header.title.value.strip():
        return header.title.value.strip()
    name = header.unit_name.value if header.unit_name else ""
    year = f"{header.year.value}年" if header.year else ""
    return f"{name}{year}项目支出{layout.heading_suffix}"


# --- the header table ------------------------------------------------------------------------


def _funding(
    project: Project, layout: Layout, file_unit: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(main lines, extra lines) as (label, amount) pairs, main ones always present."""
    budget = project.budget
    main = [
        (layout.funding_label(kind), money_text(_line_money(project, kind), file_unit))
        for kind in layout.main_funding
    ]
    extra: list[tuple[str, str]] = []
    if budget is not None:
        lines = sorted(
            (f for f in budget.lines if f.kind not in layout.main_funding),
            key=lambda f: layout.funding_order(f.kind),
        )
        extra = [(layout.funding_label(f.kind), money_text(f.amount, file_unit)) for f in lines]
    return main, extra


def _line_money(project: Project, kind: str) -> Money | None:
    if project.budget is None:
        return None
    line = project.budget.line(kind)
    return line.amount if line is not None else None


def _total(project: Project, file_unit: str) -> str:
    return money_text(project.budget.total if project.budget else None, file_unit)


def _extra_fields(project: Project, layout: Layout, *, mof: bool) -> list[tuple[str, Located]]:
    fields: list[tuple[str, Located | None]] = []
    if not mof:
        fields += [
            (layout.department_label, project.department),
            (layout.implementer_label, project.implementer),
        ]
    fields += [
        (layout.manager_label, project.manager),
        (layout.category_label, project.category),
        (layout.period_label, project.period),
    ]
    return [(label, value) for label, value in fields if value is not None]


def tianjin_header(project: Project, layout: Layout, file_unit: str) -> Grid:
    """The seed's header table, seven columns wide.

    ``预算规模及资金用途`` is merged down over the budget row, any extra funding rows and the
    purpose row, as in the published file.
    """
    span = 6
    rows: list[tuple[Cell | Covered, ...]] = [
        (_label(layout.project_label), _data((project.name,), colspan=span)),
    ]
    for label, value in _extra_fields(project, layout, mof=False):
        rows.append((_label(label), _data(_located(value), colspan=span)))

    main, extra = _funding(project, layout, file_unit)
    (fiscal_label, fiscal), (other_label, other) = main
    budget_rows: list[tuple[Cell | Covered, ...]] = [
        (
            _label(layout.budget_label),
            _data((_total(project, file_unit),), "center"),
            _label(layout.breakdown_prefix + fiscal_label),
            _data((fiscal,), "center"),
            _label(other_label),
            _data((other,), "center"),
        )
    ]
    for start in range(0, len(extra), 3):
        chunk = extra[start : start + 3]
        cells: list[Cell | Covered] = []
        for label, amount in chunk:
            cells += [_label(label), _data((amount,), "center")]
        while len(cells) < 6:
            cells.append(_data(()))
        budget_rows.append(tuple(cells))
    budget_rows.append((_data(_located(project.purpose), colspan=span),))
    group = _label(layout.budget_group_label, rowspan=len(budget_rows))
    rows.append((group, *budget_rows[0]))
    rows += [(Covered(), *row) for row in budget_rows[1:]]

    rows.append((_label(layout.goals_label), _data(goal_lines(project.goals), colspan=span)))
    if project.midterm_goals:
        rows.append(
            (
                _label(layout.midterm_goals_label),
                _data(goal_lines(project.midterm_goals), colspan=span),
            )
        )
    widths = (1.5, 1.0, 1.1, 1.5, 1.1, 1.1, 1.1)
    return Grid(widths, tuple(rows), header_rows=0, kind="header")


def mof_header(project: Project, layout: Layout, file_unit: str) -> Grid:
    """The Ministry of Finance 申报表 header, four columns wide (label, value, label, value)."""
    rows: list[tuple[Cell | Covered, ...]] = [
        (_label(layout.project_label), _data((project.name,), colspan=3)),
        (
            _label(layout.department_label),
            _data(_located(project.department)),
            _label(layout.implementer_label),
            _data(_located(project.implementer)),
        ),
    ]
    extras = _extra_fields(project, layout, mof=True)
    for start in range(0, len(extras), 2):
        pair = extras[start : start + 2]
        if len(pair) == 2:
            (l1, v1), (l2, v2) = pair
            rows.append((_label(l1), _data(_located(v1)), _label(l2), _data(_located(v2))))
        else:
            (l1, v1) = pair[0]
            rows.append((_label(l1), _data(_located(v1), colspan=3)))

    main, extra = _funding(project, layout, file_unit)
    money_rows: list[tuple[Cell | Covered, ...]] = [
        (_label(layout.budget_label), _data((_total(project, file_unit),), "center", colspan=2))
    ]
    for index, (label, amount) in enumerate([*main, *extra]):
        prefix = layout.breakdown_prefix if index == 0 else ""
        money_rows.append((_label(prefix + label), _data((amount,), "center", colspan=2)))
    group = _label(f"{layout.budget_group_label}（{file_unit}）", rowspan=len(money_rows))
    rows.append((group, *money_rows[0]))
    rows += [(Covered(), *row) for row in money_rows[1:]]

    if project.purpose is not None:
        rows.append((_label(layout.purpose_label), _data(_located(project.purpose), colspan=3)))
    if project.midterm_goals:
        rows.append(
            (
                _label("总体目标", rowspan=2),
                Cell((layout.midterm_goals_label,), role="column"),
                Cell((layout.goals_label,), role="column", colspan=2),
            )
        )
        rows.append(
            (
                Covered(),
                _data(goal_lines(project.midterm_goals)),
                _data(goal_lines(project.goals), colspan=2),
            )
        )
    else:
        rows.append((_label(layout.goals_label), _data(goal_lines(project.goals), colspan=3)))
    return Grid((1.4, 2.0, 1.4, 2.0), tuple(rows), header_rows=0, kind="header")


# --- the indicator table ---------------------------------------------------------------------

#: The text width of an A4 portrait page with the docx emitter's margins, in centimetres.
PAGE_TEXT_CM = 17.0


def fit_widths(
    columns: Sequence[Column], total: float = PAGE_TEXT_CM
) -> tuple[tuple[float, ...], bool]:
    """Column widths (cm) that add up to ``total``, and whether the table is crowded.

    Natural widths that fit are stretched to the page.  Too wide, the columns shrink in
    proportion, except that none goes below its ``min_width`` (a narrow 一级 or 方向 column
    would break two-character words); if even the minimums overflow, they are scaled down
    together and the table is marked crowded so the emitters use a smaller font.
    """
    widths = [c.width for c in columns]
    natural = sum(widths)
    if natural <= total:
        return tuple(w * total / natural for w in widths), False
    mins = [c.min_width for c in columns]
    if sum(mins) >= total:
        return tuple(m * total / sum(mins) for m in mins), True
    pinned: set[int] = set()
    while True:
        free = total - sum(mins[i] for i in pinned)
        flexible = sum(w for i, w in enumerate(widths) if i not in pinned)
        factor = free / flexible
        newly = {i for i, w in enumerate(widths) if i not in pinned and w * factor < mins[i]}
        if not newly:
            break
        pinned |= newly
    return tuple(mins[i] if i in pinned else w * factor for i, w in enumerate(widths)), False


def columns_for(project: Project, layout: Layout) -> tuple[Column, ...]:
    """The layout's columns, dropping optional ones no indicator of this project fills."""
    used: set[str] = set()
    for _, _, indicator in project.iter_indicators():
        for field in OPTIONAL_SOURCES:
            if field not in used and _fills(getattr(indicator, field)):
                used.add(field)
    return tuple(c for c in layout.columns if not c.optional or c.field in used)


def _fills(value: Located | Value | None) -> bool:
    """Whether a field puts text in its cell: an explicit blank (描述: "") does not."""
    if value is None:
        return False
    text = value.value if isinstance(value, Located) else value.text
    return bool(text.strip())


def _cell_lines(indicator: Indicator, field: str, layout: Layout) -> tuple[str, ...]:
    if field == "level3":
        return lines_of(indicator.name)
    if field == "value":
        return lines_of(indicator.value.text) if indicator.value is not None else ()
    if field == "midterm":
        return lines_of(indicator.midterm.text) if indicator.midterm is not None else ()
    if field == "description":
        if indicator.description is not None:
            return lines_of(indicator.description.value)
        return lines_of(indicator.name) if layout.description_repeats_name else ()
    located = getattr(indicator, field)
    return _located(located)


_LEFT_FIELDS = frozenset({"description", "basis", "explanation", "remark"})


def _runs(keys: Sequence[object]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of consecutive equal keys."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            yield start, index - start
            start = index


def indicator_grid(project: Project, layout: Layout) -> Grid:
    """The 一级 | 二级 | 三级 | … table, with 一级 and 二级 merged over consecutive equal cells.

    Only *consecutive* equal cells merge (seed table 9 alternates 数量指标 and 质量指标: each
    stays its own cell), and a 二级 never merges across a 一级 boundary.
    """
    columns = columns_for(project, layout)
    fields = tuple(c.field for c in columns)
    labels = [c.label for c in columns]
    if "midterm" in fields and layout.value_label_with_midterm:
        labels[fields.index("value")] = layout.value_label_with_midterm
    head = tuple(
        Cell((label,), role="column", field=f) for label, f in zip(labels, fields, strict=True)
    )

    triples = list(project.iter_indicators())
    level1 = [l1.name for l1, _, _ in triples]
    # A 二级 run is keyed by its 一级 run too, so equal 二级 names under different 一级 stay apart.
    level1_run = [0] * len(triples)
    for run, (start, length) in enumerate(_runs(level1)):
        for i in range(start, start + length):
            level1_run[i] = run
    level2 = [(level1_run[i], l2.name) for i, (_, l2, _) in enumerate(triples)]

    merged: dict[str, dict[int, int]] = {"level1": {}, "level2": {}}
    for field, keys in (("level1", level1), ("level2", level2)):
        for start, length in _runs(keys):
            merged[field][start] = length

    rows: list[tuple[Cell | Covered, ...]] = [head]
    for index, (l1, l2, indicator) in enumerate(triples):
        row: list[Cell | Covered] = []
        for field in fields:
            if field in merged:
                length = merged[field].get(index)
                if length is None:
                    row.append(Covered())
                    continue
                name = l1.name if field == "level1" else l2.name
                row.append(Cell((name,), role="label", rowspan=length, field=field))
            else:
                align: Align = "left" if field in _LEFT_FIELDS else "center"
                row.append(_data(_cell_lines(indicator, field, layout), align, field=field))
        rows.append(tuple(row))
    widths, crowded = fit_widths(columns)
    return Grid(
        widths, tuple(rows), header_rows=1, kind="indicators", fields=fields, crowded=crowded
    )


# --- the whole document ----------------------------------------------------------------------


def project_view(number: int, project: Project, document: Document, layout: Layout) -> ProjectView:
    file_unit = document.header.unit
    header = (mof_header if layout.header == "mof" else tianjin_header)(project, layout, file_unit)
    total = _total(project, file_unit)
    budget_text = (
        f"{layout.budget_label} {total}{file_unit if total and total[-1].isdigit() else ''}"
    )
    return ProjectView(
        number=number,
        anchor=f"p{number}",
        heading=layout.heading(number, project.name),
        unit_line=unit_line(document),
        money_line=f"单位：{file_unit}",
        budget_text=budget_text if total else f"{layout.budget_label} —",
        header=header,
        indicators=indicator_grid(project, layout),
    )


def document_view(document: Document, layout: Layout) -> DocumentView:
    """Everything both visual emitters print, in order."""
    header = document.header
    return DocumentView(
        title=document_title(document, layout),
        unit_line=unit_line(document),
        money_unit=header.unit,
        year=header.year.value if header.year else "",
        projects=tuple(
            project_view(number, project, document, layout)
            for number, project in enumerate(document.projects, 1)
        ),
    )

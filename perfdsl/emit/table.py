"""The table model both visual emitters draw: a document as headings, lines and grids of cells.

Everything a reader sees is decided here, once, from the document and its template
(:mod:`perfdsl.standards.templates`): which labels, which rows and columns, which cells are
merged, what each cell says.  The docx and HTML emitters only translate this model into their
markup, so the Word file and the web page can never disagree about a merge or a blank cell.

A :class:`Grid` is a list of rows; each row lists its cells left to right.  A cell that spans
columns is one :class:`Cell` with ``colspan`` > 1.  A cell that spans rows is a :class:`Cell`
with ``rowspan`` > 1 in its first row and a :class:`Covered` placeholder (of the same
``colspan``) in each row below it: Word needs a ``w:vMerge`` continuation cell there, HTML
simply leaves it out.

Choices where the forms are silent:

- Money prints with the scale and the unit its author wrote (``146.00``, ``4137280元``,
  ``250万``) and any words after the amount; values print in canonical form (``≥95%``).
- A funding line absent from the source is a blank cell.  The template's main lines
  (财政资金/其他资金, or 基本支出/项目支出) always have a cell; every other funding line the
  source writes is shown after them, never dropped.  Nothing is computed: the checker, not the
  printer, reconciles sums.
- Optional columns appear in a project's table when at least one indicator of that project
  fills them with text (an explicit blank such as ``描述: ""`` does not count).
- Every field a table holds that its grid has no slot for (主管部门 in the Tianjin grid, a free
  ``栏目``) gets a labelled row of its own: nothing the source says is left out of print.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

import attrs

from perfdsl import ast
from perfdsl.ast import Document, Goal, Indicator, Located, Money, Project
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Column, Template
from perfdsl.values import Quantity, Range, Value, format_decimal

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


Row = tuple[Cell | Covered, ...]


@attrs.frozen
class Grid:
    """A table: relative column widths, rows of cells, and how many leading rows are headers."""

    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    header_rows: int = 0
    kind: Literal["header", "indicators", "footer"] = "indicators"
    #: The indicator table's column fields, in order (empty for a header table).
    fields: tuple[str, ...] = ()
    #: So many columns that even their minimum widths overflow the page: print smaller.
    crowded: bool = False
    #: What the table is, for a screen reader's caption (基本信息, 绩效指标 …).
    caption: str = ""


@attrs.frozen
class ProjectView:
    """What one table prints as: heading, the lines under it, its grids in order."""

    number: int
    anchor: str
    heading: str
    unit_line: str
    money_line: str
    budget_text: str
    tables: tuple[Grid, ...]

    @property
    def header(self) -> Grid:
        return self.tables[0]

    @property
    def indicators(self) -> Grid:
        return next(t for t in self.tables if t.kind == "indicators")


@attrs.frozen
class DocumentView:
    title: str
    unit_line: str
    money_unit: str
    year: str
    projects: tuple[ProjectView, ...]
    #: The template's name for the table, for a page footer.
    table_title: str = ""
    landscape: bool = False


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


def money_text(money: Money | None, file_unit: str) -> str:
    """An amount with the unit its author wrote, if any, and the words after it: ``146.00``,
    ``4137280元``, ``250万``, ``854万(其中…)``."""
    if money is None:
        return ""
    return money.text


def field_lines(value: ast.FieldValue | None, file_unit: str = "") -> tuple[str, ...]:
    """What a (text-like) field prints: its text, its value as written, its amount."""
    if value is None:
        return ()
    if isinstance(value, Located):
        return lines_of(value.value)
    if isinstance(value, ast.Typed):
        return lines_of(value.value.text)
    if isinstance(value, ast.Number):
        return (value.text,)
    if isinstance(value, ast.Money):
        return (money_text(value, file_unit),)
    if isinstance(value, ast.Goals):
        return tuple(goal.text for goal in value.items)
    return ()


def goal_lines(goals: Sequence[Goal], numbered: bool = True) -> tuple[str, ...]:
    """The numbered list as the seed prints it: ``1.…``, one paragraph per goal line.  A single
    goal is not numbered when the template says so."""
    out: list[str] = []
    for number, goal in enumerate(goals, 1):
        parts = lines_of(goal.text) or ("",)
        out.append(f"{number}.{parts[0]}" if numbered else parts[0])
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


def _pattern(pattern: str, document: Document, template: Template, **more: object) -> str:
    header = document.header
    values = {
        "unit": header.unit_name.value if header.unit_name else "",
        "unit_code": header.unit_code.value if header.unit_code else "",
        "year": header.year.value if header.year else "",
        "title": template.title,
        "money_unit": header.unit,
        **more,
    }
    if not values["year"]:  # no year: no "年" after it either
        pattern = (
            pattern.replace("（{year}年度）", "").replace("{year}年度", "").replace("{year}年", "")
        )
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        return pattern


def document_title(document: Document, template: Template) -> str:
    """The header's 标题, or the template's title pattern (``<单位><年度>年项目支出<绩效目标表>``)."""
    header = document.header
    if header.title is not None and header.title.value.strip():
        return header.title.value.strip()
    return _pattern(template.page.document_title, document, template)


# --- money ---------------------------------------------------------------------------------


def _funding(
    budget: ast.Budget | None, template: Template, file_unit: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(main lines, the rest) as (label, amount) pairs, in print order.

    The template's main lines always have a cell (blank when the source has none).  Every
    other line the source writes follows them, and a line's own breakdown (其中 …) comes right
    after the line it breaks down: after the last main line when it breaks down a main line.
    """
    main_kinds = [k for k in template.page.main_funding if template.has("funding", k)]
    prefix = template.page.breakdown_prefix
    main: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    for kind in main_kinds:
        line = budget.line(kind) if budget is not None else None
        amount = money_text(line.amount if line else None, file_unit)
        main.append((template.label("funding", kind), amount))
    if budget is None:
        return main, rest
    for kind in main_kinds:
        line = budget.line(kind)
        if line is not None:
            rest += [
                (prefix + template.label("funding", sub.kind), money_text(sub.amount, file_unit))
                for sub in _nested(line)
            ]
    order = {k: i for i, k in enumerate(f.key for f in R.at("funding"))}
    others = sorted(
        (f for f in budget.lines if f.kind not in main_kinds),
        key=lambda f: order.get(f.kind, len(order)),
    )
    for line in others:
        rest.append((template.label("funding", line.kind), money_text(line.amount, file_unit)))
        rest += [
            (prefix + template.label("funding", sub.kind), money_text(sub.amount, file_unit))
            for sub in _nested(line)
        ]
    return main, rest


def _nested(line: ast.FundingLine) -> list[ast.FundingLine]:
    out: list[ast.FundingLine] = []
    for sub in line.lines:
        out.append(sub)
        out += _nested(sub)
    return out


def _total(budget: ast.Budget | None, file_unit: str) -> str:
    return money_text(budget.total if budget else None, file_unit)


# --- fields without a slot: labelled rows ----------------------------------------------------


def _unplaced(
    project: Project, template: Template, placed: Iterable[str]
) -> list[tuple[str, ast.FieldValue]]:
    """Every project field the grid has no slot for, as (label, value), in registry order."""
    placed = set(placed) | {"template", "midterm_indicators", "signoff"}
    out: list[tuple[str, ast.FieldValue]] = []
    for field in R.at("project"):
        value = project.fields.get(field.key)
        if value is not None and field.key not in placed and field.kind != "rows":
            out.append((template.label("project", field.key), value))
    for key, value in project.fields.items():
        label = ast.free_label(key)
        if label is not None:
            out.append((label, value))
    return out


def _spread(count: int, width: int) -> list[int]:
    """Column spans for ``count`` cells filling ``width`` columns (wider ones first)."""
    base, extra = divmod(width, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _block_fields(project: Project) -> list[tuple[R.FieldDef, ast.Rows]]:
    return [
        (field, value)
        for field in R.at("project")
        if field.kind == "rows" and isinstance(value := project.fields.get(field.key), ast.Rows)
    ]


def _block_columns(field: R.FieldDef, value: ast.Rows) -> list[str]:
    """A block's column keys: the registry's, then any free (栏目) cells its rows hold."""
    free = dict.fromkeys(k for row in value.rows for k in row.fields if ast.free_label(k))
    return [c.key for c in R.at("row", field.block)] + list(free)


def _blocks(project: Project, template: Template, width: int, file_unit: str) -> list[Row]:
    """The row blocks (进度计划, 成本构成, 年度履职目标): a group label down the left, a row of
    column labels, then one row per row of the block.  A block with more columns than the grid
    has beside its label puts the label on a row of its own, over the whole width."""
    rows: list[Row] = []
    for field, value in _block_fields(project):
        keys = _block_columns(field, value)
        labels = [
            ast.free_label(k) or template.label(f"row.{field.block}", k, field.block) for k in keys
        ]
        beside = len(keys) <= width - 1
        room = width - 1 if beside else width
        if len(keys) > room:  # (more columns than the page has: the last cell takes the rest)
            labels = [*labels[: room - 1], " / ".join(labels[room - 1 :])]
        spans = _spread(len(labels), room)
        block: list[list[Cell | Covered]] = [
            [
                Cell((label,), role="column", colspan=span)
                for label, span in zip(labels, spans, strict=True)
            ]
        ]
        for row in value.rows:
            cells = [row.fields.get(k) for k in keys]
            texts = [field_lines(c, file_unit) for c in cells]
            if len(texts) > room:
                texts = [*texts[: room - 1], tuple(line for t in texts[room - 1 :] for line in t)]
            block.append(
                [
                    _data(lines, "left", colspan=span)
                    for lines, span in zip(texts, spans, strict=True)
                ]
            )
        group = template.label("project", field.key)
        if beside:
            rows.append((_label(group, rowspan=len(block)), *block[0]))
            rows += [(Covered(), *cells) for cells in block[1:]]
        else:
            rows.append((_label(group, colspan=width),))
            rows += [tuple(cells) for cells in block]
    return rows


def _widest_block(project: Project) -> int:
    return max((len(_block_columns(f, v)) for f, v in _block_fields(project)), default=0)


def _labelled_rows(
    items: list[tuple[str, ast.FieldValue]], width: int, file_unit: str
) -> list[Row]:
    return [
        (_label(label), _data(field_lines(value, file_unit), colspan=width - 1))
        for label, value in items
    ]


# --- header grids ------------------------------------------------------------------------------


def tianjin_header(project: Project, template: Template, file_unit: str) -> Grid:
    """The seed's header table, seven columns wide.

    ``预算规模及资金用途`` is merged down over the budget row, any extra funding rows and the
    purpose row, as in the published file.
    """
    span = 6
    page = template.page
    rows: list[Row] = [
        (_label(template.label("project", "name")), _data((project.name,), colspan=span)),
    ]
    rows += _labelled_rows(
        [
            (label, value)
            for label, value in _unplaced(project, template, ("purpose", "midterm_goals", "goals"))
        ],
        span + 1,
        file_unit,
    )
    budget = project.budget
    main, extra = _funding(budget, template, file_unit)
    while len(main) < 2:
        main.append(("", ""))
    (fiscal_label, fiscal), (other_label, other) = main[:2]
    extra = main[2:] + extra
    budget_rows: list[Row] = [
        (
            _label(template.label("budget", "budget")),
            _data((_total(budget, file_unit),), "center"),
            _label(page.breakdown_prefix + fiscal_label),
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
    for other_budget in project.budgets:
        if other_budget.key != "budget":
            budget_rows.append(
                (
                    _label(template.label("budget", other_budget.key)),
                    _data((_total(other_budget, file_unit),), "center", colspan=5),
                )
            )
    budget_rows.append((_data(field_lines(project.get("purpose")), colspan=span),))
    group = _label(page.budget_group, rowspan=len(budget_rows))
    rows.append((group, *budget_rows[0]))
    rows += [(Covered(), *row) for row in budget_rows[1:]]
    rows += _blocks(project, template, span + 1, file_unit)
    rows.append(
        (
            _label(template.label("project", "goals")),
            _data(goal_lines(project.goals, page.number_goals), colspan=span),
        )
    )
    if project.midterm_goals:
        rows.append(
            (
                _label(template.label("project", "midterm_goals")),
                _data(goal_lines(project.midterm_goals, page.number_goals), colspan=span),
            )
        )
    widths = (1.5, 1.0, 1.1, 1.5, 1.1, 1.1, 1.1)
    return Grid(widths, tuple(rows), header_rows=0, kind="header", caption="基本信息")


def mof_header(project: Project, template: Template, file_unit: str) -> Grid:
    """The Ministry of Finance 申报表 header, four columns wide (label, value, label, value)."""
    page = template.page
    rows: list[Row] = [
        (_label(template.label("project", "name")), _data((project.name,), colspan=3)),
        (
            _label(template.label("project", "department")),
            _data(field_lines(project.get("department"))),
            _label(template.label("project", "implementer")),
            _data(field_lines(project.get("implementer"))),
        ),
    ]
    extras = _unplaced(
        project, template, ("department", "implementer", "purpose", "midterm_goals", "goals")
    )
    for start in range(0, len(extras), 2):
        pair = extras[start : start + 2]
        if len(pair) == 2:
            (l1, v1), (l2, v2) = pair
            rows.append((_label(l1), _data(field_lines(v1)), _label(l2), _data(field_lines(v2))))
        else:
            (l1, v1) = pair[0]
            rows.append((_label(l1), _data(field_lines(v1), colspan=3)))

    money_rows: list[Row] = []
    for budget in project.budgets or (None,):  # type: ignore[assignment]
        key = budget.key if budget is not None else "budget"
        main, extra = _funding(budget, template, file_unit)
        money_rows.append(
            (
                _label(template.label("budget", key)),
                _data((_total(budget, file_unit),), "center", colspan=2),
            )
        )
        for index, (label, amount) in enumerate(main):
            prefix = page.breakdown_prefix if index == 0 else ""
            money_rows.append((_label(prefix + label), _data((amount,), "center", colspan=2)))
        for label, amount in extra:
            money_rows.append((_label(label), _data((amount,), "center", colspan=2)))
    group = _label(f"{page.budget_group}（{file_unit}）", rowspan=len(money_rows))
    rows.append((group, *money_rows[0]))
    rows += [(Covered(), *row) for row in money_rows[1:]]

    if project.get("purpose") is not None:
        rows.append(
            (
                _label(template.label("project", "purpose")),
                _data(field_lines(project.get("purpose")), colspan=3),
            )
        )
    rows += _blocks(project, template, 4, file_unit)
    if project.midterm_goals:
        rows.append(
            (
                _label("总体目标", rowspan=2),
                Cell((template.label("project", "midterm_goals"),), role="column"),
                Cell((template.label("project", "goals"),), role="column", colspan=2),
            )
        )
        rows.append(
            (
                Covered(),
                _data(goal_lines(project.midterm_goals, page.number_goals)),
                _data(goal_lines(project.goals, page.number_goals), colspan=2),
            )
        )
    else:
        rows.append(
            (
                _label(template.label("project", "goals")),
                _data(goal_lines(project.goals, page.number_goals), colspan=3),
            )
        )
    return Grid((1.4, 2.0, 1.4, 2.0), tuple(rows), header_rows=0, kind="header", caption="基本信息")


def labelled_header(project: Project, template: Template, file_unit: str) -> Grid:
    """A plain label | value header: the name, every field as a labelled row, the money with
    its funding lines, the blocks, the goals (the department, flat and NDRC grids for now).
    Four columns, or as many as its widest block needs beside that block's label."""
    page = template.page
    width = max(4, 1 + _widest_block(project))
    rest = width - 1
    rows: list[Row] = [
        (_label(template.label("project", "name")), _data((project.name,), colspan=rest)),
    ]
    rows += _labelled_rows(
        _unplaced(project, template, ("purpose", "midterm_goals", "goals")), width, file_unit
    )
    money_rows: list[Row] = []
    half = rest // 2
    for budget in project.budgets:
        main, extra = _funding(budget, template, file_unit)
        money_rows.append(
            (
                _label(template.label("budget", budget.key), colspan=half),
                _data((_total(budget, file_unit),), "center", colspan=rest - half),
            )
        )
        for label, amount in [*main, *extra]:
            money_rows.append(
                (_label(label, colspan=half), _data((amount,), "center", colspan=rest - half))
            )
    if money_rows:
        group = _label(f"{page.budget_group}（{file_unit}）", rowspan=len(money_rows))
        rows.append((group, *money_rows[0]))
        rows += [(Covered(), *row) for row in money_rows[1:]]
    if project.get("purpose") is not None:
        rows.append(
            (
                _label(template.label("project", "purpose")),
                _data(field_lines(project.get("purpose")), colspan=rest),
            )
        )
    rows += _blocks(project, template, width, file_unit)
    if project.midterm_goals:
        rows.append(
            (
                _label(template.label("project", "midterm_goals")),
                _data(goal_lines(project.midterm_goals, page.number_goals), colspan=rest),
            )
        )
    rows.append(
        (
            _label(template.label("project", "goals")),
            _data(goal_lines(project.goals, page.number_goals), colspan=rest),
        )
    )
    widths = (1.4, *([5.4 / rest] * rest))
    return Grid(widths, tuple(rows), header_rows=0, kind="header", caption="基本信息")


HEADERS = {"tianjin": tianjin_header, "mof": mof_header}


# --- the indicator table ---------------------------------------------------------------------

#: The text width of an A4 page with the docx emitter's margins, in centimetres.
PAGE_TEXT_CM = 17.0
LANDSCAPE_TEXT_CM = 25.7


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


def _fills(value: ast.FieldValue | None) -> bool:
    """Whether a field puts text in its cell: an explicit blank (描述: "") does not."""
    return any(line.strip() for line in field_lines(value))


def columns_for(
    rows: Sequence[tuple[ast.Level1, ast.Level2, Indicator]], template: Template
) -> tuple[Column, ...]:
    """The template's columns, dropping optional ones no row fills, plus a column for each
    free (栏目) field a row holds."""
    used: set[str] = set()
    free: list[str] = []
    for _, _, indicator in rows:
        for key, value in indicator.fields.items():
            if ast.free_label(key) is not None:
                if key not in free:
                    free.append(key)
            elif _fills(value):
                used.add(key)
    columns = [c for c in template.page.columns if not c.optional or c.always or c.field in used]
    columns += [
        Column(key, ast.free_label(key) or key, 2.4, 1.8, "left", optional=True) for key in free
    ]
    return tuple(columns)


def _value_lines(value: Value | None, part: str) -> tuple[str, ...]:
    """The 指标值 cell, or one of its parts when the template prints them apart."""
    if value is None:
        return ()
    if part == "value":
        return lines_of(value.text)
    if isinstance(value, Quantity):
        if part == "operator":
            return (value.op or "=",)
        if part == "number":
            return (format_decimal(value.number) + value.suffix,)
        return (value.unit,) if value.unit else ()
    if isinstance(value, Range):
        if part == "number":
            return (
                f"{format_decimal(value.low.number)}{value.separator}{format_decimal(value.high.number)}",
            )
        if part == "measure":
            return (value.unit,) if value.unit else ()
        return ()
    if part == "number":
        return lines_of(value.text)
    return ()


def _cell_lines(indicator: Indicator, field: str, template: Template) -> tuple[str, ...]:
    split = template.page.split_value
    if field == "name":
        return lines_of(indicator.name)
    if field == "value":
        return _value_lines(indicator.value, "number" if split else "value")
    if field == "operator":
        return _value_lines(indicator.value, "operator")
    if field == "measure":
        written = indicator.get("measure")
        if written is not None or not split:
            return field_lines(written)
        return _value_lines(indicator.value, "measure")
    if field == "description":
        description = indicator.get("description")
        if description is not None:
            return field_lines(description)
        return lines_of(indicator.name) if template.page.description_repeats_name else ()
    return field_lines(indicator.get(field))


_LEFT_FIELDS = frozenset({"description", "basis", "explanation", "remark", "scoring"})


def _runs(keys: Sequence[object]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of consecutive equal keys."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            yield start, index - start
            start = index


def _rows_with_blanks(
    tree: Sequence[ast.Level1],
) -> list[tuple[ast.Level1, ast.Level2, Indicator | None]]:
    """Every row of the tree; a 二级 without indicators is one blank pre-printed row."""
    out: list[tuple[ast.Level1, ast.Level2, Indicator | None]] = []
    for l1 in tree:
        if not l1.blocks:
            out.append((l1, ast.Level2("", ()), None))
        for l2 in l1.blocks:
            if not l2.indicators:
                out.append((l1, l2, None))
            out += [(l1, l2, ind) for ind in l2.indicators]
    return out


def indicator_grid(
    tree: Sequence[ast.Level1],
    template: Template,
    total: float = PAGE_TEXT_CM,
    caption: str = "绩效指标",
) -> Grid:
    """The 一级 | 二级 | 三级 | … table, with 一级 and 二级 merged over consecutive equal cells.

    Only *consecutive* equal cells merge (seed table 9 alternates 数量指标 and 质量指标: each
    stays its own cell), and a 二级 never merges across a 一级 boundary.  A 二级 with no
    indicators prints as a blank pre-printed row.
    """
    triples = _rows_with_blanks(tree)
    filled = [(l1, l2, ind) for l1, l2, ind in triples if ind is not None]
    columns = columns_for(filled, template)
    fields = tuple(c.field for c in columns)
    labels = [c.label for c in columns]
    if "midterm" in fields and "value" in fields and template.page.value_label_with_midterm:
        labels[fields.index("value")] = template.page.value_label_with_midterm
    head = tuple(
        Cell((label,), role="column", field=f) for label, f in zip(labels, fields, strict=True)
    )
    level1 = [id(l1) for l1, _, _ in triples]
    # A 二级 run is keyed by its 一级 run too, so equal 二级 names under different 一级 stay apart.
    level1_run = [0] * len(triples)
    for run, (start, length) in enumerate(_runs(level1)):
        for i in range(start, start + length):
            level1_run[i] = run
    level2 = [(level1_run[i], l2.name) for i, (_, l2, _) in enumerate(triples)]
    names1 = [(run, l1.name) for run, (l1, _, _) in zip(level1_run, triples, strict=True)]

    merged: dict[str, dict[int, int]] = {"level1": {}, "level2": {}}
    for field, keys in (("level1", names1), ("level2", level2)):
        for start, length in _runs(keys):
            merged[field][start] = length

    rows: list[Row] = [head]
    for index, (l1, l2, indicator) in enumerate(triples):
        row: list[Cell | Covered] = []
        for field in fields:
            if field in merged:
                length = merged[field].get(index)
                if length is None:
                    row.append(Covered())
                    continue
                block = l1 if field == "level1" else l2
                name = block.name + _score_text(block.fields.get("score"))
                row.append(Cell(lines_of(name), role="label", rowspan=length, field=field))
            else:
                align: Align = "left" if field in _LEFT_FIELDS else "center"
                lines = _cell_lines(indicator, field, template) if indicator is not None else ()
                row.append(_data(lines, align, field=field))
        rows.append(tuple(row))
    widths, crowded = fit_widths(columns, total)
    return Grid(
        widths,
        tuple(rows),
        header_rows=1,
        kind="indicators",
        fields=fields,
        crowded=crowded,
        caption=caption,
    )


def _score_text(score: ast.FieldValue | None) -> str:
    """A category's score as published beside its name: ``(50分)``, ``(40-50)分`` as written."""
    text = "".join(field_lines(score))
    if not text:
        return ""
    if text[0] in "(（[【":
        return text
    return f"（{text}分）" if text.replace(".", "", 1).isdigit() else f"（{text}）"


def _signoff(project: Project, template: Template) -> Grid | None:
    value = project.get("signoff")
    if not isinstance(value, ast.Labels) or not value.fields:
        return None
    cells: list[Cell | Covered] = []
    for label, cell in value.fields.items():
        cells += [_label(label), _data(field_lines(cell))]
    rows = [tuple(cells[i : i + 4]) for i in range(0, len(cells), 4)]
    width = max(len(r) for r in rows)
    rows = [(*r, *[_data(()) for _ in range(width - len(r))]) for r in rows]
    return Grid(
        (1.0,) * width, tuple(rows), kind="footer", caption=template.label("project", "signoff")
    )


def _trailing(project: Project, template: Template) -> Grid | None:
    items = [
        (template.label("project", key), project.get(key))
        for key in ("annual_completion", "other_notes")
        if project.get(key) is not None
    ]
    if not items:
        return None
    rows = [(_label(label), _data(field_lines(value), colspan=3)) for label, value in items]
    return Grid((1.4, 2.0, 1.4, 2.0), tuple(rows), kind="footer", caption="其他")


# --- the whole document ----------------------------------------------------------------------


def project_view(
    number: int, project: Project, document: Document, template: Template
) -> ProjectView:
    file_unit = document.header.unit
    header = HEADERS.get(template.page.grid, labelled_header)(project, template, file_unit)
    total = _total(project.budget, file_unit)
    budget_label = template.label("budget", "budget")
    unit = file_unit if total and total[-1].isdigit() else ""
    budget_text = f"{budget_label} {total}{unit}"
    width = LANDSCAPE_TEXT_CM if template.page.orientation == "landscape" else PAGE_TEXT_CM
    tables = [header, indicator_grid(project.indicators, template, width)]
    midterm = project.get("midterm_indicators")
    if isinstance(midterm, ast.Tree) and midterm.level1:
        tables.append(
            indicator_grid(
                midterm.level1, template, width, template.label("project", "midterm_indicators")
            )
        )
    for extra in (_trailing(project, template), _signoff(project, template)):
        if extra is not None:
            tables.append(extra)
    return ProjectView(
        number=number,
        anchor=f"p{number}",
        heading=_pattern(
            template.page.heading, document, template, number=number, name=project.name
        ),
        unit_line=unit_line(document),
        money_line=f"单位：{file_unit}" if ast.has_money(project) else "",
        budget_text=budget_text if total else f"{budget_label} —",
        tables=tuple(tables),
    )


def document_view(document: Document, template: Template, catalog: object = None) -> DocumentView:
    """Everything both visual emitters print, in order.  A table that names its own template
    (``模板:`` in the project) prints in it."""
    from perfdsl.standards.templates import for_project

    header = document.header
    return DocumentView(
        title=document_title(document, template),
        unit_line=unit_line(document),
        money_unit=header.unit,
        year=header.year.value if header.year else "",
        projects=tuple(
            project_view(number, project, document, for_project(project, template, catalog))
            for number, project in enumerate(document.projects, 1)
        ),
        table_title=template.title,
        landscape=template.page.orientation == "landscape",
    )

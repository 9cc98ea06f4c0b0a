"""The indicator table: 一级 | 二级 | 三级 | … with 一级 and 二级 merged down over their rows.

Only *consecutive* equal cells merge (seed table 9 alternates 数量指标 and 质量指标: each stays
its own cell), and a 二级 never merges across a 一级 boundary.  A 二级 with no indicators is a
blank pre-printed row.  Three shapes:

* one tree, one table (:func:`indicator_grid`);
* the 中期 half and the 年度 half side by side under a two-row header (:func:`halves_grid`),
  as the MoF 申报表 prints them;
* a label merged down the left of the whole table (``page.indicator_side``: 绩效指标).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from perfdsl import ast
from perfdsl.ast import Indicator
from perfdsl.emit.model import Cell, Covered, Grid, Row, Style, data, field_lines, lines_of
from perfdsl.standards.templates import Column, Template
from perfdsl.values import Quantity, Range, Value, format_decimal

#: The text width of an A4 page with the docx emitter's margins, in centimetres.
PAGE_TEXT_CM = 17.0
LANDSCAPE_TEXT_CM = 25.7

_LEFT_FIELDS = frozenset({"description", "basis", "explanation", "remark", "scoring"})

Triple = tuple[ast.Level1, ast.Level2, Indicator | None]


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


def columns_for(rows: Sequence[Triple], template: Template) -> tuple[Column, ...]:
    """The template's columns, dropping optional ones no row fills (unless printed always),
    plus a column for each free (栏目) field a row holds."""
    used: set[str] = set()
    free: list[str] = []
    for _, _, indicator in rows:
        if indicator is None:
            continue
        for key, value in indicator.fields.items():
            if _fills(value):
                used.add(key)
            if ast.free_label(key) is not None and key not in free:
                free.append(key)
    placed = {c.field for c in template.page.columns}  # (a template may place a 栏目 column)
    columns = [c for c in template.page.columns if not c.optional or c.always or c.field in used]
    columns += [
        Column(key, ast.free_label(key) or key, 2.4, 1.8, "left", optional=True)
        for key in free
        if key not in placed
    ]
    return tuple(columns)


def _value_lines(value: Value | None, part: str, style: Style) -> tuple[str, ...]:
    """The 指标值 cell, or one of its parts when the template prints them apart."""
    if value is None:
        return ()
    if part == "value":
        return lines_of(style.value(value.text))
    if isinstance(value, Quantity):
        if part == "operator":
            return (style.value(value.op or "="),)
        if part == "number":
            return (format_decimal(value.number) + value.suffix,)
        return (value.unit,) if value.unit else ()
    if isinstance(value, Range):
        if part == "number":
            low, high = format_decimal(value.low.number), format_decimal(value.high.number)
            return (f"{low}{value.separator}{high}",)
        if part == "measure":
            return (value.unit,) if value.unit else ()
        return ()
    if part == "number":
        return lines_of(value.text)
    return ()


def cell_lines(
    indicator: Indicator, field: str, template: Template, style: Style
) -> tuple[str, ...]:
    split = template.page.split_value
    if field == "name":
        return lines_of(indicator.name)
    if field == "value":
        return _value_lines(indicator.value, "number" if split else "value", style)
    if field == "operator":
        return _value_lines(indicator.value, "operator", style)
    if field == "measure":
        written = indicator.get("measure")
        if written is not None or not split:
            return field_lines(written, style)
        return _value_lines(indicator.value, "measure", style)
    if field == "description":
        description = indicator.get("description")
        if description is not None:
            return field_lines(description, style)
        return lines_of(indicator.name) if template.page.description_repeats_name else ()
    return field_lines(indicator.get(field), style)


def runs(keys: Sequence[object]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of consecutive equal keys."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            yield start, index - start
            start = index


def rows_with_blanks(tree: Sequence[ast.Level1]) -> list[Triple]:
    """Every row of the tree; a 二级 without indicators is one blank pre-printed row."""
    out: list[Triple] = []
    for l1 in tree:
        if not l1.blocks:
            out.append((l1, ast.Level2("", ()), None))
        for l2 in l1.blocks:
            if not l2.indicators:
                out.append((l1, l2, None))
            out += [(l1, l2, ind) for ind in l2.indicators]
    return out


def score_text(score: ast.FieldValue | None) -> str:
    """A category's score as published beside its name: ``(50分)``, ``(40-50)分`` as written."""
    text = "".join(field_lines(score))
    if not text:
        return ""
    if text[0] in "(（[【":
        return text
    return f"（{text}分）" if text.replace(".", "", 1).isdigit() else f"（{text}）"


def _merges(triples: Sequence[Triple]) -> dict[str, dict[int, int]]:
    """Where the 一级 and 二级 cells start and how many rows each covers."""
    level1 = [id(l1) for l1, _, _ in triples]
    level1_run = [0] * len(triples)
    for run, (start, length) in enumerate(runs(level1)):
        for i in range(start, start + length):
            level1_run[i] = run
    # A 二级 run is keyed by its 一级 run too, so equal 二级 names under different 一级 stay apart.
    level2 = [
        (level1_run[i], l2.name, id(l2) if not l2.name else 0)
        for i, (_, l2, _) in enumerate(triples)
    ]
    names1 = [(run, l1.name) for run, (l1, _, _) in zip(level1_run, triples, strict=True)]
    merged: dict[str, dict[int, int]] = {"level1": {}, "level2": {}}
    for field, keys in (("level1", names1), ("level2", level2)):
        for start, length in runs(keys):
            merged[field][start] = length
    return merged


def _body(
    triples: Sequence[Triple], fields: Sequence[str], template: Template, style: Style
) -> list[list[Cell | Covered]]:
    merged = _merges(triples)
    rows: list[list[Cell | Covered]] = []
    for index, (l1, l2, indicator) in enumerate(triples):
        row: list[Cell | Covered] = []
        for field in fields:
            if field in merged:
                length = merged[field].get(index)
                if length is None:
                    row.append(Covered())
                    continue
                block = l1 if field == "level1" else l2
                name = block.name + score_text(block.fields.get("score"))
                row.append(Cell(lines_of(name), role="label", rowspan=length, field=field))
            else:
                align = "left" if field in _LEFT_FIELDS else "center"
                lines = cell_lines(indicator, field, template, style) if indicator else ()
                row.append(data(lines, align, field=field))  # type: ignore[arg-type]
        rows.append(row)
    return rows


def _weights(triples: Sequence[Triple]) -> Decimal | None:
    """The sum of the rows' 分值 (exact), or None when no row has one."""
    numbers = [t[2].weight_number for t in triples if t[2] is not None]
    present = [n for n in numbers if n is not None]
    return sum(present, Decimal(0)) if present else None


def _total_row(label: str, fields: Sequence[str], sums: Mapping[int, Decimal | None]) -> Row:
    """总分 | … | 100 | …: the label in the first column, each weight column's sum under it,
    the other cells blank (as the forms print them)."""
    cells: list[Cell | Covered] = [Cell((label,), role="label", field=fields[0])]
    for index, field in enumerate(fields[1:], start=1):
        total = sums.get(index)
        lines = (format_decimal(total),) if total is not None else ()
        cells.append(data(lines, "center", field=field))
    return tuple(cells)


def _side(rows: list[Row], side: str, header_rows: int) -> list[Row]:
    """Put a label merged down the left of the whole table (header rows included)."""
    if not side or not rows:
        return rows
    out: list[Row] = [(Cell((side,), role="label", rowspan=len(rows)), *rows[0])]
    out += [(Covered(), *row) for row in rows[1:]]
    return out


def indicator_grid(
    tree: Sequence[ast.Level1],
    template: Template,
    style: Style,
    total: float = PAGE_TEXT_CM,
    caption: str = "绩效指标",
    title: str = "",
) -> Grid:
    """One tree as one table (see the module docstring)."""
    triples = rows_with_blanks(tree)
    columns = columns_for(triples, template)
    fields = tuple(c.field for c in columns)
    labels = [c.label for c in columns]
    if "midterm" in fields and "value" in fields and template.page.value_label_with_midterm:
        labels[fields.index("value")] = template.page.value_label_with_midterm
    head = tuple(
        Cell((text,), role="column", field=f) for text, f in zip(labels, fields, strict=True)
    )
    rows: list[Row] = [head, *(tuple(r) for r in _body(triples, fields, template, style))]
    if template.page.total_row and "weight" in fields:
        sums = {fields.index("weight"): _weights(triples)}
        rows.append(_total_row(template.page.total_row, fields, sums))
    side = template.page.indicator_side
    widths, crowded = fit_widths(columns, total - (1.4 if side else 0))
    if side:
        rows = _side(rows, side, 1)
        widths = (1.4, *widths)
        fields = ("side", *fields)
    return Grid(
        widths,
        tuple(rows),
        header_rows=1,
        kind="indicators",
        fields=fields,
        crowded=crowded,
        caption=caption,
        title=title,
    )


def halves_grid(
    year: Sequence[ast.Level1],
    midterm: Sequence[ast.Level1],
    template: Template,
    style: Style,
    total: float = PAGE_TEXT_CM,
) -> Grid:
    """The 中期 half and the 年度 half side by side: 一级 | 中期 二级 三级 值 | 年度 二级 三级 值.

    The halves are matched by 一级 (in the order the year's tree names them, then the 中期
    tree's others); each 一级 takes as many rows as its longer half, the shorter one is left
    blank below its last row.
    """
    year_rows, mid_rows = rows_with_blanks(year), rows_with_blanks(midterm)
    columns = [c for c in columns_for([*year_rows, *mid_rows], template) if c.field != "midterm"]
    half = [c for c in columns if c.field not in ("level1",)]
    names = list(dict.fromkeys([l1.name for l1 in year] + [l1.name for l1 in midterm]))
    fields = [c.field for c in half]
    body: list[list[Cell | Covered]] = []
    for name in names:
        left = [t for t in mid_rows if t[0].name == name]
        right = [t for t in year_rows if t[0].name == name]
        height = max(len(left), len(right))
        filler = (ast.Level1(name, ()), ast.Level2("", ()), None)
        left_cells = _body(
            left + [filler] * (height - len(left)), ["level1", *fields], template, style
        )
        right_cells = _body(right + [filler] * (height - len(right)), fields, template, style)
        for i in range(height):
            level1 = left_cells[i][0] if i == 0 else Covered()
            if i == 0:
                level1 = Cell(lines_of(name), role="label", rowspan=height, field="level1")
            body.append([level1, *left_cells[i][1:], *right_cells[i]])
    mid_label = template.label("project", "midterm_indicators")
    year_label = template.page.year_caption or "年度指标"
    first: list[Cell | Covered] = [Cell(("一级指标",), role="column", rowspan=2, field="level1")]
    first += [
        Cell((mid_label,), role="column", colspan=len(half)),
        Cell((year_label,), role="column", colspan=len(half)),
    ]
    second: list[Cell | Covered] = [Covered()]
    second += [Cell((c.label,), role="column", field=c.field) for c in half] * 2
    rows: list[Row] = [tuple(first), tuple(second), *(tuple(r) for r in body)]
    if template.page.total_row and "weight" in fields:
        at = fields.index("weight") + 1  # after the 一级 column
        sums = {at: _weights(mid_rows), at + len(fields): _weights(year_rows)}
        rows.append(_total_row(template.page.total_row, ["level1", *fields, *fields], sums))
    level1_column = next(c for c in columns if c.field == "level1")
    side = template.page.indicator_side
    widths, crowded = fit_widths([level1_column, *half, *half], total - (1.4 if side else 0))
    grid_fields = ("level1", *fields, *fields)
    if side:
        rows = _side(rows, side, 2)
        widths = (1.4, *widths)
        grid_fields = ("side", *grid_fields)
    return Grid(
        widths,
        tuple(rows),
        header_rows=2,
        kind="indicators",
        fields=grid_fields,
        crowded=crowded,
        caption="绩效指标",
    )

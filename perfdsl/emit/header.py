"""The header table of one 绩效目标表, drawn from its template's ``page.header`` spec.

A spec is a list of rows.  A row is either written out cell by cell (``label:实施单位``,
``value:实施单位``, ``text:总体目标``, with ``*N`` for a span of N columns), or a named
section whose number of rows depends on the table:

``name``     项目名称 | the name
``fields``   every field of the table the spec does not place elsewhere, a labelled row each
             (or two to a row), so nothing the source says is left out of print
``money``    the money columns and their funding lines, in one of three styles:
             ``inline`` (the seed's: 预算数 | x | 其中：财政资金 | y | 其他资金 | z under a group
             label merged down, the purpose text inside the group), ``stacked`` (a row per
             amount under a group label) or ``matrix`` (funding lines down, money columns across,
             grouped by source and by use, each group with its 合计, and a share column)
``purpose``  资金用途 | its text
``blocks``   the blocks of rows (进度计划, 成本构成, 年度履职目标)
``goals``    the goals: ``single`` (绩效目标 | the goals, then 中期目标 if any) or ``split``
             (总体目标 over 中期目标 | 年度目标 side by side)
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from perfdsl import ast
from perfdsl.ast import Project
from perfdsl.emit.model import (
    Cell,
    Covered,
    Grid,
    Row,
    Style,
    data,
    field_lines,
    goal_lines,
    label,
    money_text,
)
from perfdsl.standards import fields as R
from perfdsl.standards.templates import HeaderSpec, Template
from perfdsl.standards.templates.build import INLINE_COLUMNS, row_span
from perfdsl.values import convert_money, money_unit


def header_grid(project: Project, template: Template, style: Style) -> Grid:
    spec = template.page.header
    least = INLINE_COLUMNS if spec.money == "inline" and "money" in spec.rows else 4
    width = spec.columns or max(least, 1 + _widest_block(project), *map(row_span, spec.rows))
    builder = _Header(project, template, style, width)
    # A template without header rows prints no header table (the indicator table alone);
    # a field or goals the source fills anyway still get their rows, so nothing is lost.
    rows = spec.rows or ("fields", *(("goals",) if project.goals else ()))
    for row in rows:
        builder.section(row)
    widths = spec.widths if spec.columns and len(spec.widths) == width else _even(width)
    return Grid(widths, tuple(builder.rows), header_rows=0, kind="header", caption="基本信息")


def _even(width: int) -> tuple[float, ...]:
    return (1.4, *([5.4 / (width - 1)] * (width - 1)))


class _Header:
    def __init__(self, project: Project, template: Template, style: Style, width: int) -> None:
        self.project = project
        self.template = template
        self.style = style
        self.width = width
        self.rest = width - 1
        self.rows: list[Row] = []
        self.placed = _placed(template.page.header)

    # -- helpers ---------------------------------------------------------------------------

    def label_of(self, key: str) -> str:
        level = "budget" if _is_budget(key) else "project"
        return self.template.label(level, key)

    def value_of(self, key: str) -> tuple[str, ...]:
        if key == "name":
            return (self.project.name,)
        if key == "goals":
            return goal_lines(self.project.goals, self.template.page.number_goals)
        if _is_budget(key):
            column = self.project.money_column(key)
            return (money_text(column.total if column else None, self.style),)
        value = self.project.get(key)
        if isinstance(value, ast.Goals):
            return goal_lines(value.items, self.template.page.number_goals)
        return field_lines(value, self.style)

    def wide(self, text: str, lines: tuple[str, ...]) -> Row:
        return (label(text), data(lines, colspan=self.rest))

    # -- sections --------------------------------------------------------------------------

    def section(self, row: str | tuple[str, ...]) -> None:
        if isinstance(row, tuple):
            self.explicit(row)
            return
        getattr(self, f"section_{row}")()

    def explicit(self, cells: tuple[str, ...]) -> None:
        out: list[Cell | Covered] = []
        for spec in cells:
            what, _, rest = spec.partition(":")
            key, _, span_text = rest.partition("*")
            span = int(span_text) if span_text.isdigit() else 1
            if what == "label":
                out.append(label(self.label_of(key), colspan=span))
            elif what == "text":
                out.append(label(key.replace("{money_unit}", self.style.file_unit), colspan=span))
            else:
                align = "center" if _is_budget(key) else "left"
                out.append(data(self.value_of(key), align, colspan=span))  # type: ignore[arg-type]
        short = self.width - sum(c.colspan for c in out if isinstance(c, Cell))
        if short > 0 and out:  # a grid widened past the row (columns = 6 on a 5-cell row)
            last = out[-1]
            assert isinstance(last, Cell)
            out[-1] = attrs.evolve(last, colspan=last.colspan + short)
        self.rows.append(tuple(out))

    def section_name(self) -> None:
        self.rows.append(self.wide(self.label_of("name"), (self.project.name,)))

    def grouped(self, items: list[tuple[str, str, tuple[str, ...]]]) -> bool:
        """Rows for fields that a template groups (项目立项情况 | 依据 | …): the group label
        merged down the left, each field's label and value beside it.  Returns whether it
        drew them (a grid narrower than three columns cannot: they print ungrouped)."""
        if not items or self.width < 3:
            return False
        for i, (group, text, lines) in enumerate(items):
            head: Cell | Covered = label(group, rowspan=len(items)) if i == 0 else Covered()
            self.rows.append((head, label(text), data(lines, colspan=self.rest - 1)))
        return True

    def _group_of(self, key: str) -> str | None:
        for group, members in self.template.page.header.groups.items():
            if key in members:
                return group
        return None

    def section_fields(self) -> None:
        """Every field without a place of its own, in registry order: one labelled row each
        (or two to a row), the fields of a template's group together under its label."""
        pending: list[tuple[str, ast.FieldValue]] = []
        done: set[str] = set()
        groups = self.template.page.header.groups
        for key, text, value in _unplaced(self.project, self.template, self.placed):
            group = self._group_of(key)
            if group is None:
                pending.append((text, value))
                continue
            if group in done:
                continue
            done.add(group)
            keys = [k for k in groups[group] if k in self.project.fields and k not in self.placed]
            members = [
                (group, self.label_of(k), field_lines(self.project.fields[k], self.style))
                for k in keys
            ]
            self.plain(pending)
            pending = []
            if not self.grouped(members):
                pending += [(self.label_of(k), self.project.fields[k]) for k in keys]
        self.plain(pending)

    def plain(self, items: list[tuple[str, ast.FieldValue]]) -> None:
        if self.template.page.header.fields_per_row == 2 and self.width == 4:
            for start in range(0, len(items), 2):
                pair = items[start : start + 2]
                if len(pair) == 2:
                    (l1, v1), (l2, v2) = pair
                    self.rows.append(
                        (
                            label(l1),
                            data(field_lines(v1, self.style)),
                            label(l2),
                            data(field_lines(v2, self.style)),
                        )
                    )
                else:
                    self.rows.append(self.wide(pair[0][0], field_lines(pair[0][1], self.style)))
            return
        for text, value in items:
            self.rows.append(self.wide(text, field_lines(value, self.style)))

    def section_purpose(self) -> None:
        if self.project.get("purpose") is not None:
            self.rows.append(self.wide(self.label_of("purpose"), self.value_of("purpose")))

    def section_blocks(self) -> None:
        self.rows += _blocks(self.project, self.template, self.width, self.style)

    def section_goals(self) -> None:
        page = self.template.page
        goals = goal_lines(self.project.goals, page.number_goals)
        midterm = goal_lines(self.project.midterm_goals, page.number_goals)
        if page.header.goals == "split" and self.project.midterm_goals:
            left = (self.rest + 1) // 2 if self.width > 4 else 1
            self.rows.append(
                (
                    label(page.header.goals_group, rowspan=2),
                    Cell((self.label_of("midterm_goals"),), role="column", colspan=left),
                    Cell((self.label_of("goals"),), role="column", colspan=self.rest - left),
                )
            )
            self.rows.append(
                (Covered(), data(midterm, colspan=left), data(goals, colspan=self.rest - left))
            )
            return
        texts = {"goals": goals, "midterm_goals": midterm}
        group = self._group_of("goals") or self._group_of("midterm_goals")
        if group is not None:
            keys = [k for k in page.header.groups[group] if k in texts]
            keys = [k for k in keys if k == "goals" or self.project.midterm_goals]
            if self.grouped([(group, self.label_of(k), texts[k]) for k in keys]):
                return
        self.rows.append(self.wide(self.label_of("goals"), goals))
        if self.project.midterm_goals:
            self.rows.append(self.wide(self.label_of("midterm_goals"), midterm))

    def section_money(self) -> None:
        style = self.template.page.header.money
        rows = {
            "inline": self.money_inline,
            "stacked": self.money_stacked,
            "pairs": self.money_pairs,
        }.get(style, self.money_matrix)()
        if not rows:
            return
        group = label(self.group_label(), rowspan=len(rows))
        self.rows.append((group, *rows[0]))
        self.rows += [(Covered(), *row) for row in rows[1:]]

    def group_label(self) -> str:
        unit = self.style.file_unit
        text = self.template.page.budget_group
        return text.replace("{money_unit}", unit)

    # -- money styles ------------------------------------------------------------------------

    def money_inline(self) -> list[Row]:
        """预算数 | x | 其中：财政资金 | y | 其他资金 | z, the other lines three pairs a row, the
        other money columns, and the purpose text: the seed's 预算规模及资金用途 group."""
        page = self.template.page
        budget = self.project.budget
        main, extra = _funding(budget, self.template, self.style)
        while len(main) < 2:
            main.append(("", ""))
        (fiscal_label, fiscal), (other_label, other) = main[:2]
        extra = main[2:] + extra
        rows: list[Row] = [
            (
                label(self.template.label("budget", "budget")),
                data((money_text(budget.total if budget else None, self.style),), "center"),
                label(page.breakdown_prefix + fiscal_label),
                data((fiscal,), "center"),
                label(other_label),
                data((other,), "center", colspan=max(1, self.rest - 5)),
            )
        ]
        pairs = self.rest // 2 or 1
        for start in range(0, len(extra), pairs):
            cells: list[Cell | Covered] = []
            for text, amount in extra[start : start + pairs]:
                cells += [label(text), data((amount,), "center")]
            while len(cells) < self.rest:
                cells.append(data(()))
            rows.append(tuple(cells))
        for column in self.project.budgets:
            if column.key != "budget":
                rows.append(
                    (
                        label(self.template.label("budget", column.key)),
                        data(
                            (money_text(column.total, self.style),), "center", colspan=self.rest - 1
                        ),
                    )
                )
        if page.header.purpose_in_money:
            rows.append((data(self.value_of("purpose"), colspan=self.rest),))
        return rows

    def money_stacked(self) -> list[Row]:
        """A row per amount: each money column, then its funding lines (其中 before the first)."""
        first = max(1, self.rest // 2)
        second = self.rest - first
        rows: list[Row] = []
        columns = self.project.budgets or (None,)  # type: ignore[assignment]
        for column in columns:
            key = column.key if column is not None else "budget"
            total = money_text(column.total if column else None, self.style)
            rows.append(
                (
                    label(self.template.label("budget", key), colspan=first),
                    data((total,), "center", colspan=second),
                )
            )
            for text, amount in _lines(column, self.template, self.style):
                rows.append((label(text, colspan=first), data((amount,), "center", colspan=second)))
        if self.project.budgets == () and not self.template.has("budget", "budget"):
            return []
        return rows

    def money_pairs(self) -> list[Row]:
        """The money columns side by side, each a label | amount pair: 中期资金总额 | x |
        年度资金总额 | y, then 其中：财政拨款 | … | 其中：财政拨款 | … (the MoF 申报表).  When the
        grid is too narrow for a pair per column, the labels stand once on the left and the
        columns get a header row of their own."""
        keys = [
            k for k in self.template.page.header.money_columns if self.template.has("budget", k)
        ]
        keys = (
            [k for k in keys if self.project.money_column(k) is not None] or keys[-1:] or ["budget"]
        )
        stacks = [self.stack(key) for key in keys]
        per = self.rest // len(keys)
        if per < 2:
            return self.money_shared(keys, stacks)
        first = max(1, per // 2)
        second = per - first
        height = max(len(stack) for stack in stacks)
        rows: list[Row] = []
        for i in range(height):
            cells: list[Cell | Covered] = []
            for stack in stacks:
                text, amount = stack[i] if i < len(stack) else ("", "")
                cells += [label(text, colspan=first), data((amount,), "center", colspan=second)]
            spare = self.rest - per * len(keys)
            if spare:
                cells.append(data((), colspan=spare))
            rows.append(tuple(cells))
        return rows

    def stack(self, key: str) -> list[tuple[str, str]]:
        """A money column's rows: its total, then its funding lines in reading order."""
        column = self.project.money_column(key)
        total = money_text(column.total if column else None, self.style)
        return [
            (self.template.label("budget", key), total),
            *_lines(column, self.template, self.style),
        ]

    def money_shared(self, keys: list[str], stacks: list[list[tuple[str, str]]]) -> list[Row]:
        """Money columns across under their own labels, the line labels once on the left."""
        width = self.rest - len(keys)
        head: list[Cell | Covered] = [Cell(("",), role="column", colspan=width)]
        head += [Cell((self.template.label("budget", k),), role="column") for k in keys]
        rows: list[Row] = [tuple(head)]
        names = list(dict.fromkeys(text for stack in stacks for text, _ in stack[1:]))
        amounts = [dict(stack[1:]) for stack in stacks]
        totals = [stack[0][1] for stack in stacks]
        rows.append((label("金额", colspan=width), *(data((t,), "center") for t in totals)))
        for name in names:
            cells = [data((a.get(name, ""),), "center") for a in amounts]
            rows.append((label(name, colspan=width), *cells))
        return rows

    def money_matrix(self) -> list[Row]:
        """Funding lines down, money columns across: a row of column labels, then for each
        breakdown (by source, by use) its lines and a total row, with a share column."""
        spec = self.template.page.header
        keys = [k for k in spec.money_columns if self.template.has("budget", k)] or ["budget"]
        share = bool(spec.share_label)
        # Columns after the money group's label: the source/use label, the line's label,
        # then the amounts (and the share); the last cell of each row takes what is left.
        room = self.rest - 2
        keys = keys[: max(1, room - share)]
        share = share and room > len(keys)
        spare = room - len(keys) - share

        def widen(row: list[Cell | Covered]) -> list[Cell | Covered]:
            last = row[-1]
            if spare > 0 and isinstance(last, Cell):
                row[-1] = attrs.evolve(last, colspan=last.colspan + spare)
            return row

        columns = [self.project.money_column(k) for k in keys]
        head: list[Cell | Covered] = [Cell(("",), role="column", colspan=2)]
        head += [Cell((self.template.label("budget", k),), role="column") for k in keys]
        if share:
            head.append(Cell((spec.share_label,), role="column"))
        rows: list[Row] = [tuple(widen(head))]
        dimensions = [("source", spec.source_label), ("expenditure", spec.use_label)]
        for dimension, group in dimensions:
            kinds = [
                k
                for k in self.template.fields.get("funding", ())
                if R.get("funding", k).dimension == dimension
                and (
                    k in self.template.page.main_funding
                    or any(c is not None and c.line(k) is not None for c in columns)
                )
            ]
            if not kinds:
                continue
            block: list[list[Cell | Covered]] = []
            for kind in kinds:
                amounts = [c.line(kind) if c is not None else None for c in columns]
                row: list[Cell | Covered] = [label(self.template.label("funding", kind))]
                row += [
                    data((money_text(a.amount if a else None, self.style),), "center")
                    for a in amounts
                ]
                if share:
                    row.append(data((self.share(amounts[0], columns[0]),), "center"))
                block.append(widen(row))
            totals: list[Cell | Covered] = [label(spec.total_label)]
            totals += [
                data((money_text(c.total if c else None, self.style),), "center") for c in columns
            ]
            if share:
                totals.append(data(("100%" if columns[0] is not None else "",), "center"))
            block.append(widen(totals))
            rows.append((label(group, rowspan=len(block)), *block[0]))
            rows += [(Covered(), *r) for r in block[1:]]
        return rows

    def share(self, line: ast.FundingLine | None, column: ast.Budget | None) -> str:
        """A line's share of its column's total, to one decimal place (74.8%)."""
        if line is None or column is None:
            return ""
        unit = self.style.file_unit
        try:
            total = _in(column.total, unit)
            part = _in(line.amount, unit)
        except (KeyError, ArithmeticError):
            return ""
        if not total:
            return ""
        percent = (part * 100 / total).quantize(Decimal("0.1"))
        return f"{percent}%"


def _in(money: ast.Money, file_unit: str) -> Decimal:
    unit = money_unit(money.unit or file_unit) or file_unit
    return convert_money(money.amount, unit, money_unit(file_unit) or file_unit)


def _is_budget(key: str) -> bool:
    return any(f.key == key for f in R.at("budget"))


def _placed(spec: HeaderSpec) -> set[str]:
    """The fields a spec has a place for (the others go to its ``fields`` section)."""
    placed = {"template", "midterm_indicators", "signoff", "annual_completion", "other_notes"}
    for row in spec.rows:
        if isinstance(row, tuple):
            for cell in row:
                what, _, rest = cell.partition(":")
                if what in ("label", "value"):
                    placed.add(rest.partition("*")[0])
        elif row == "purpose":
            placed.add("purpose")
        elif row == "goals":
            placed |= {"goals", "midterm_goals"}
        elif row == "money" and spec.purpose_in_money:
            placed.add("purpose")
    return placed


def _unplaced(
    project: Project, template: Template, placed: set[str]
) -> list[tuple[str, str, ast.FieldValue]]:
    """Every project field the grid has no slot for, as (key, label, value), in registry
    order, then the free (栏目) fields in the order written."""
    out: list[tuple[str, str, ast.FieldValue]] = []
    for field in R.at("project"):
        value = project.fields.get(field.key)
        if value is not None and field.key not in placed and field.kind != "rows":
            out.append((field.key, template.label("project", field.key), value))
    for key, value in project.fields.items():
        free = ast.free_label(key)
        if free is not None:
            out.append((key, free, value))
    return out


def _funding(
    budget: ast.Budget | None, template: Template, style: Style
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
        main.append(
            (template.label("funding", kind), money_text(line.amount if line else None, style))
        )
    if budget is None:
        return main, rest

    def breakdown(line: ast.FundingLine) -> list[tuple[str, str]]:
        return [
            (prefix + template.label("funding", sub.kind), money_text(sub.amount, style))
            for sub in _nested(line)
        ]

    for kind in main_kinds:
        line = budget.line(kind)
        if line is not None:
            rest += breakdown(line)
    order = {k: i for i, k in enumerate(f.key for f in R.at("funding"))}
    others = sorted(
        (f for f in budget.lines if f.kind not in main_kinds),
        key=lambda f: order.get(f.kind, len(order)),
    )
    for line in others:
        rest.append((template.label("funding", line.kind), money_text(line.amount, style)))
        rest += breakdown(line)
    return main, rest


def _lines(budget: ast.Budget | None, template: Template, style: Style) -> list[tuple[str, str]]:
    """A column's funding lines as (label, amount), in reading order: the main lines (always,
    blank when absent; 其中 before the first), the others, each line followed right away by
    its own breakdown."""
    main_kinds = [k for k in template.page.main_funding if template.has("funding", k)]
    prefix = template.page.breakdown_prefix
    out: list[tuple[str, str]] = []

    def add(line: ast.FundingLine | None, kind: str, first: bool) -> None:
        text = (prefix if first else "") + template.label("funding", kind)
        out.append((text, money_text(line.amount if line else None, style)))
        if line is not None:
            for sub in _nested(line):
                out.append(
                    (prefix + template.label("funding", sub.kind), money_text(sub.amount, style))
                )

    for index, kind in enumerate(main_kinds):
        add(budget.line(kind) if budget is not None else None, kind, index == 0)
    if budget is not None:
        order = {k: i for i, k in enumerate(f.key for f in R.at("funding"))}
        others = sorted(
            (f for f in budget.lines if f.kind not in main_kinds),
            key=lambda f: order.get(f.kind, len(order)),
        )
        for line in others:
            add(line, line.kind, False)
    return out


def _nested(line: ast.FundingLine) -> list[ast.FundingLine]:
    out: list[ast.FundingLine] = []
    for sub in line.lines:
        out.append(sub)
        out += _nested(sub)
    return out


# --- blocks of rows ------------------------------------------------------------------------------


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


def _widest_block(project: Project) -> int:
    return max((len(_block_columns(f, v)) for f, v in _block_fields(project)), default=0)


def _blocks(project: Project, template: Template, width: int, style: Style) -> list[Row]:
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
                Cell((text,), role="column", colspan=span)
                for text, span in zip(labels, spans, strict=True)
            ]
        ]
        for row in value.rows:
            texts = [field_lines(row.fields.get(k), style) for k in keys]
            if len(texts) > room:
                texts = [*texts[: room - 1], tuple(line for t in texts[room - 1 :] for line in t)]
            block.append(
                [
                    data(lines, "left", colspan=span)
                    for lines, span in zip(texts, spans, strict=True)
                ]
            )
        group = template.label("project", field.key)
        if beside:
            rows.append((label(group, rowspan=len(block)), *block[0]))
            rows += [(Covered(), *cells) for cells in block[1:]]
        else:
            rows.append((label(group, colspan=width),))
            rows += [tuple(cells) for cells in block]
    return rows

"""Money rules: the budget's arithmetic, exact across 元, 万元 and 亿元.

预算数 against the sum of its funding lines; a cost above the whole budget; cost upper bounds
that together exceed it; and amounts written in a unit other than the file's (a note with the
exact converted figure, so a reviewer sees at once that 4137280元 is 413.728万元).
All arithmetic is Decimal and every conversion is exact (see perfdsl.values.convert_money).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from perfdsl import ast
from perfdsl.check import Context, named, rule
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards import fields as R
from perfdsl.standards.frameworks import is_cost
from perfdsl.standards.templates import Template
from perfdsl.values import Quantity, Range, Value, convert_money, format_decimal, money_unit


def amount_in(money: ast.Money, file_unit: str) -> Decimal:
    """An amount converted exactly into the file's unit."""
    unit = money_unit(money.unit) if money.unit else file_unit
    return convert_money(money.amount, unit or file_unit, file_unit)


def show(amount: Decimal, unit: str) -> str:
    return f"{format_decimal(amount)}{unit}"


def money_upper_bound(value: Value | None) -> tuple[Decimal, str] | None:
    """The largest amount a money-valued indicator allows, with its unit (None: not money)."""
    if isinstance(value, Quantity) and value.money_unit:
        bound = value.upper_bound
        return (bound, value.money_unit) if bound is not None else None
    if isinstance(value, Range) and value.high.money_unit:
        return value.high.number, value.high.money_unit  # type: ignore[return-value]
    return None


@rule("budget-mismatch", C.BUDGET_MISMATCH)
def budget_mismatch(ctx: Context) -> Iterator[Diagnostic]:
    """Each money column equals the sum of its funding lines, for each breakdown separately
    (by source: 财政资金 + 其他资金 …; by use, in a department's table: 基本支出 + 项目支出)."""
    unit = ctx.unit
    for project in ctx.document.projects:
        template = ctx.template_of(project)
        for budget in project.budgets:
            name = template.label("budget", budget.key)
            yield from _breakdowns(name, budget.total, budget.lines, template, unit)


def _breakdowns(
    name: str,
    total: ast.Money,
    lines: tuple[ast.FundingLine, ...],
    template: Template,
    unit: str,
) -> Iterator[Diagnostic]:
    """``lines`` add up to ``total`` in each of their dimensions; then each line's own
    breakdown (其中) adds up to that line."""
    dimensions: dict[str, list[ast.FundingLine]] = {}
    for line in lines:
        dimensions.setdefault(R.get("funding", line.kind).dimension, []).append(line)
    for group in dimensions.values():
        yield from _mismatch(name, total, group, template, unit)
    for line in lines:
        if line.lines:
            label = template.label("funding", line.kind)
            yield from _breakdowns(label, line.amount, line.lines, template, unit)


def _mismatch(
    name: str, money: ast.Money, lines: list[ast.FundingLine], template: Template, unit: str
) -> Iterator[Diagnostic]:
    total = amount_in(money, unit)
    parts = [amount_in(line.amount, unit) for line in lines]
    added = sum(parts, Decimal(0))
    if added == total:
        return
    terms = " + ".join(
        f"{template.label('funding', line.kind)} {show(p, unit)}"
        for line, p in zip(lines, parts, strict=True)
    )
    yield C.BUDGET_MISMATCH.at(
        money.span,
        Msg(
            f"{name} {show(total, unit)} 不等于各资金来源之和 {show(added, unit)}",
            f"`{name}` {show(total, unit)} is not the sum of its funding lines, "
            f"{show(added, unit)}",
        ),
        help=Msg(
            f"核对{name}或各资金来源；相差 {show(total - added, unit)}",
            f"check `{name}` and the funding lines; they differ by {show(total - added, unit)}",
        ),
        notes=(Msg(f"{terms} = {show(added, unit)}", f"{terms} = {show(added, unit)}"),),
    )


def _cost_bounds(
    ctx: Context, project: ast.Project
) -> Iterator[tuple[ast.Indicator, Decimal, str]]:
    """Each cost indicator with a money upper bound: (indicator, bound in the file's unit,
    the unit it was written in)."""
    for l1, l2, ind in ctx.rows_of(project):
        if is_cost(l1.name, l2.name) and (bound := money_upper_bound(ind.value)):
            yield ind, convert_money(bound[0], bound[1], ctx.unit), bound[1]


@rule("money-above-budget", C.MONEY_ABOVE_BUDGET)
def money_above_budget(ctx: Context) -> Iterator[Diagnostic]:
    unit = ctx.unit
    for project in ctx.document.projects:
        if project.budget is None:
            continue
        total = amount_in(project.budget.total, unit)
        for ind, amount, written_unit in _cost_bounds(ctx, project):
            if amount <= total:
                continue
            written = ind.value.text  # type: ignore[union-attr]
            zh, en = written, written
            if written_unit != unit:  # show the figure in the budget's unit too
                zh += f"（即 {show(amount, unit)}）"
                en += f" ({show(amount, unit)})"
            yield C.MONEY_ABOVE_BUDGET.at(
                ind.value_span,
                Msg(
                    f"{named(ind.name)} 的 {zh} 超过了整个项目的预算数 {show(total, unit)}",
                    f"{named(ind.name, 'en')} at {en} exceeds the project's whole budget of {show(total, unit)}",
                ),
                help=Msg(
                    "核对金额和单位（元与万元是否写混）",
                    "check the figure and its unit (`元` written for `万元`?)",
                ),
            )


#: A row that is the total of the others (项目总成本, 成本合计, 年度预算总成本), not one more part.
_TOTAL = re.compile(r"总成本|成本合计|成本总额|合计|总计|总额|总投入|总费用|总预算")


def is_total(name: str) -> bool:
    return bool(_TOTAL.search(name))


@rule("costs-exceed-budget", C.COSTS_EXCEED_BUDGET, C.COST_PARTS_EXCEED_TOTAL)
def costs_exceed_budget(ctx: Context) -> Iterator[Diagnostic]:
    unit = ctx.unit
    for project in ctx.document.projects:
        bounds = list(_cost_bounds(ctx, project))
        totals = [(ind, amount) for ind, amount, _u in bounds if is_total(ind.name)]
        costs = [amount for ind, amount, _u in bounds if not is_total(ind.name)]
        added = sum(costs, Decimal(0))
        if totals and len(costs) >= 1:
            ind, whole = min(totals, key=lambda t: t[1])
            if added > whole:
                yield C.COST_PARTS_EXCEED_TOTAL.at(
                    ind.value_span,
                    Msg(
                        f"{len(costs)} 项成本分项的上限合计 {show(added, unit)}，超过 "
                        f"{named(ind.name)} {show(whole, unit)}",
                        f"{len(costs)} cost items add up to {show(added, unit)}, more than "
                        f"{named(ind.name, 'en')} at {show(whole, unit)}",
                    ),
                    help=Msg(
                        f"相差 {show(added - whole, unit)}；核对总成本和各分项",
                        f"over by {show(added - whole, unit)}; check the total and its items",
                    ),
                )
        if project.budget is None:
            continue
        total = amount_in(project.budget.total, unit)
        if len(costs) < 2 or added <= total:
            continue
        yield C.COSTS_EXCEED_BUDGET.at(
            project.budget.total.span,
            Msg(
                f"{len(costs)} 项成本指标的上限合计 {show(added, unit)}，超过预算数 {show(total, unit)}",
                f"the upper bounds of {len(costs)} cost indicators add up to "
                f"{show(added, unit)}, more than the budget of {show(total, unit)}",
            ),
            help=Msg(
                f"超出 {show(added - total, unit)}；核对各成本指标的金额",
                f"over by {show(added - total, unit)}; check each cost amount",
            ),
        )


def _money_cells(ctx: Context, project: ast.Project) -> Iterator[tuple[Quantity, ast.Span, str]]:
    if project.budget is not None:
        for money, name in (
            (project.budget.total, "预算数"),
            *((line.amount, R.label("funding", line.kind)) for line in project.budget.all_lines()),
        ):
            if money.unit:
                yield money.quantity, money.span, name
    for _l1, _l2, ind in ctx.rows_of(project):
        value = ind.value
        if isinstance(value, Range):
            value = value.high
        if isinstance(value, Quantity) and value.money_unit:
            yield value, ind.value_span, ind.name


@rule("money-unit-differs", C.MONEY_UNIT_DIFFERS)
def money_unit_differs(ctx: Context) -> Iterator[Diagnostic]:
    unit = ctx.unit
    for project in ctx.document.projects:
        for quantity, span, name in _money_cells(ctx, project):
            written_unit = quantity.money_unit
            if written_unit is None or written_unit == unit:
                continue
            converted = convert_money(quantity.number, written_unit, unit)
            same = Quantity(quantity.op, converted, unit, quantity.suffix).text
            yield C.MONEY_UNIT_DIFFERS.at(
                span,
                Msg(
                    f"`{name}` 写的是{written_unit}，文件的金额单位是{unit}：{quantity.text} 即 {same}",
                    f"`{name}` is written in {written_unit} but the file's unit is {unit}: "
                    f"{quantity.text} is {same}",
                ),
                help=Msg(
                    f"表头是“单位：{unit}”，可改写为 {same}",
                    f"the table says 单位：{unit}; consider writing {same}",
                ),
            )


@rule("block-total", C.BLOCK_TOTAL)
def block_totals(ctx: Context) -> Iterator[Diagnostic]:
    """A block of rows with amounts (成本测算, 年度履职目标): its 合计 row is the sum of the
    others; without one, the rows do not add up to more than the budget."""
    unit = ctx.unit
    for project in ctx.document.projects:
        template = ctx.template_of(project)
        for field in R.at("project"):
            block = project.fields.get(field.key)
            if field.kind != "rows" or not isinstance(block, ast.Rows):
                continue
            money_keys = [f.key for f in R.at("row", field.block) if f.kind == "money"]
            if not money_keys:
                continue
            key = money_keys[0]
            name = template.label("project", field.key)
            rows = [(row, row.fields.get(key)) for row in block.rows]
            amounts = [(row, m) for row, m in rows if isinstance(m, ast.Money)]
            if not amounts:
                continue
            totals = [(row, m) for row, m in amounts if _row_is_total(row)]
            parts = [amount_in(m, unit) for row, m in amounts if not _row_is_total(row)]
            added = sum(parts, Decimal(0))
            if totals:
                _row, money = totals[0]
                stated = amount_in(money, unit)
                if parts and added != stated:
                    yield C.BLOCK_TOTAL.at(
                        money.span,
                        Msg(
                            f"{name}的合计 {show(stated, unit)} 不等于各行之和 {show(added, unit)}",
                            f"the total of {name}, {show(stated, unit)}, is not the sum of its "
                            f"rows, {show(added, unit)}",
                        ),
                        help=Msg(
                            f"相差 {show(abs(added - stated), unit)}",
                            f"they differ by {show(abs(added - stated), unit)}",
                        ),
                    )
                continue
            if project.budget is None or len(parts) < 2:
                continue
            budget = amount_in(project.budget.total, unit)
            if added > budget:
                yield C.BLOCK_TOTAL.at(
                    block.span,
                    Msg(
                        f"{name}各行金额合计 {show(added, unit)}，超过预算数 {show(budget, unit)}",
                        f"the rows of {name} add up to {show(added, unit)}, more than the "
                        f"budget of {show(budget, unit)}",
                    ),
                    help=Msg(
                        f"超出 {show(added - budget, unit)}；核对各行金额",
                        f"over by {show(added - budget, unit)}; check each row",
                    ),
                )


def _row_is_total(row: ast.Row) -> bool:
    """A row whose text cells say 合计 (or 总计, 小计 is not a total of the whole block)."""
    texts = [v.value for v in row.fields.values() if isinstance(v, ast.Located)]
    return any(text.strip() in ("合计", "总计", "合  计", "总 计") for text in texts)

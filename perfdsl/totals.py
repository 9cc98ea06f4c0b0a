"""A document's money at a glance: the sum of its projects' budgets, exactly, in one unit.

Used where many files are read together (a whole change in ``perfdsl diff``), so every
total is the same arithmetic: Decimals from the source text, converted between 元, 万元
and 亿元 without floats (:func:`perfdsl.values.convert_money`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from perfdsl import ast
from perfdsl.values import convert_money, money_unit

#: The unit totals over files of different money units are given in.
COMMON_UNIT = "万元"


def money_of(value: ast.Money, file_unit: str, target: str) -> Decimal | None:
    """A money cell in ``target`` (元/万元/亿元), exactly; None when a unit is not money."""
    written = money_unit(value.unit) if value.unit else money_unit(file_unit)
    goal = money_unit(target)
    if written is None or goal is None:
        return None
    return convert_money(value.amount, written, goal)


def add_up(amounts: Iterable[Decimal]) -> Decimal:
    """An exact sum (Decimal's own addition: the scale is the largest written)."""
    return sum(amounts, Decimal(0))


def budget_total(document: ast.Document, unit: str | None = None) -> Decimal | None:
    """The sum of the projects' budgets (预算数 / 资金总额) in ``unit`` (default: the
    file's money unit); None when no project states one or the file's unit is not money."""
    file_unit = document.header.unit
    target = unit or file_unit
    amounts = [
        amount
        for project in document.projects
        if project.budget is not None
        and (amount := money_of(project.budget.total, file_unit, target)) is not None
    ]
    return add_up(amounts) if amounts else None


def shared_unit(units: Iterable[str]) -> str:
    """The unit to add several files' totals in: theirs if they agree, else 万元."""
    found = {money_unit(u) for u in units}
    found.discard(None)
    return found.pop() if len(found) == 1 else COMMON_UNIT  # type: ignore[return-value]


#: The part of a budget its funding lines do not name (no line written, or lines that add up
#: to less than the budget).
UNSTATED = "unstated"
UNSTATED_LABEL = "未列明来源"


def source_label(kind: str) -> str:
    """The name a fund source is shown under: the registry's, one name across templates."""
    from perfdsl.standards import fields as R

    return UNSTATED_LABEL if kind == UNSTATED else R.label("funding", kind)  # type: ignore[arg-type]


def source_rank() -> dict[str, int]:
    """The fund sources (funding lines of the ``source`` dimension) in the registry's order."""
    from perfdsl.standards import fields as R

    keys = [f.key for f in R.FIELDS if f.level == "funding" and f.dimension == "source"]
    return {key: i for i, key in enumerate(keys)}


def fund_sources(project: ast.Project, file_unit: str, unit: str) -> list[tuple[str, Decimal]]:
    """A project's 预算数 split by its top-level funding lines of the ``source`` dimension
    (财政资金, 其他资金 …), in ``unit``, exactly; what they leave unnamed is :data:`UNSTATED`.

    Only top-level lines count: a breakdown (上级资金 under 财政资金) is part of its parent,
    and 基本支出/项目支出 say what the money is spent on, not where it comes from."""
    budget = project.budget
    total = None if budget is None else money_of(budget.total, file_unit, unit)
    if budget is None or total is None:
        return []
    rank = source_rank()
    parts: list[tuple[str, Decimal]] = []
    for line in budget.lines:
        amount = money_of(line.amount, file_unit, unit) if line.kind in rank else None
        if amount is not None:
            parts.append((line.kind, amount))
    rest = total - add_up(amount for _kind, amount in parts)
    if rest > 0:
        parts.append((UNSTATED, rest))
    return parts

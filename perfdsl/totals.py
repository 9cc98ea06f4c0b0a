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

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


def budget_total(document: ast.Document, unit: str | None = None) -> Decimal | None:
    """The sum of the projects' budgets (预算数 / 资金总额) in ``unit`` (default: the
    file's money unit); None when no project states one or the file's unit is not money."""
    file_unit = money_unit(document.header.unit)
    target = money_unit(unit) if unit else file_unit
    if file_unit is None or target is None:
        return None
    amounts = []
    for project in document.projects:
        if project.budget is None:
            continue
        written = project.budget.total
        from_unit = money_unit(written.unit) if written.unit else file_unit
        if from_unit is None:
            continue
        amounts.append(convert_money(written.amount, from_unit, target))
    return sum(amounts, Decimal(0)) if amounts else None


def shared_unit(units: Iterable[str]) -> str:
    """The unit to add several files' totals in: theirs if they agree, else 万元."""
    found = {money_unit(u) for u in units}
    found.discard(None)
    return found.pop() if len(found) == 1 else COMMON_UNIT  # type: ignore[return-value]

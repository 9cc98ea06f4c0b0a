"""The typed syntax tree of a perfdsl document.

One class per thing a 绩效目标表 has: the document header, projects, funding lines, goals and
the indicator tree 一级 → 二级 → 三级.  Nodes are frozen attrs classes with slots.  Every node
carries a :class:`Span` so diagnostics can point at the exact text; spans (and other facts about
how the file was written, such as which keyword language it used) are excluded from equality,
so two documents that say the same thing compare equal however they were formatted.

Names are stored canonically: keyword aliases (``output`` for 产出指标) are resolved by the
parser, so later passes never care which language a file was written in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import attrs

from perfdsl.values import Quantity, Value


class Span(NamedTuple):
    """A region of the source: 1-based line and column, end exclusive, columns in characters.

    A named tuple rather than an attrs class: a large file makes hundreds of thousands of
    spans, and a tuple is the cheapest immutable record Python has.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


NO_SPAN = Span(0, 0, 0, 0)


def _span() -> attrs.Attribute:  # type: ignore[type-arg]
    return attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)


@attrs.frozen(slots=True)
class Located:
    """A scalar the author wrote, with where they wrote it (unit name, 年度, a text field)."""

    value: str
    span: Span = _span()


@attrs.frozen(slots=True)
class Comment:
    """A ``#`` comment, kept so the formatter can put it back.

    ``trailing`` is True for a comment after code on the same line.
    """

    text: str
    trailing: bool = False
    span: Span = _span()


@attrs.frozen(slots=True)
class Money:
    """An amount of money: the exact number as written and its unit (None = the file's unit)."""

    amount: Decimal
    unit: str | None = None
    span: Span = _span()

    @property
    def quantity(self) -> Quantity:
        return Quantity(op=None, number=self.amount, unit=self.unit or "")


@attrs.frozen(slots=True)
class FundingLine:
    """One line under 预算数: 财政资金, 其他资金, 上级资金 ….  ``kind`` is the canonical key."""

    kind: str
    amount: Money
    span: Span = _span()


@attrs.frozen(slots=True)
class Budget:
    """预算数 and its funding lines.  A funding line the author left out is a blank cell."""

    total: Money
    lines: tuple[FundingLine, ...] = ()
    span: Span = _span()

    def line(self, kind: str) -> FundingLine | None:
        return next((f for f in self.lines if f.kind == kind), None)


@attrs.frozen(slots=True)
class Goal:
    """One numbered 绩效目标 (or 中期目标) item."""

    text: str
    span: Span = _span()


@attrs.frozen(slots=True)
class Indicator:
    """A 三级指标 with its value and the optional regional columns.

    ``description`` None means "not written" (the Tianjin layout then repeats the name);
    an empty string means the author asked for a blank cell.  ``value`` None is an empty value.
    """

    name: str
    value: Value | None
    description: Located | None = None
    weight: Located | None = None
    basis: Located | None = None
    direction: Located | None = None
    explanation: Located | None = None
    remark: Located | None = None
    midterm: Value | None = None
    span: Span = _span()
    value_span: Span = _span()
    midterm_span: Span = _span()

    @property
    def weight_number(self) -> Decimal | None:
        from perfdsl.values import parse_number  # local: keeps the import graph one-way

        if self.weight is None:
            return None
        try:
            return parse_number(self.weight.value)
        except ArithmeticError:
            return None


@attrs.frozen(slots=True)
class Level2:
    """A 二级指标 block, e.g. 数量指标, with its indicators in the order written."""

    name: str
    indicators: tuple[Indicator, ...]
    span: Span = _span()


@attrs.frozen(slots=True)
class Level1:
    """A 一级指标 block, e.g. 产出指标.  The same 二级 may appear more than once, as published."""

    name: str
    blocks: tuple[Level2, ...]
    span: Span = _span()


@attrs.frozen(slots=True)
class Project:
    """One project and its 绩效目标表."""

    name: str
    budget: Budget | None
    purpose: Located | None = None
    goals: tuple[Goal, ...] = ()
    midterm_goals: tuple[Goal, ...] = ()
    department: Located | None = None
    implementer: Located | None = None
    manager: Located | None = None
    category: Located | None = None
    period: Located | None = None
    indicators: tuple[Level1, ...] = ()
    span: Span = _span()
    name_span: Span = _span()
    goals_span: Span = _span()
    midterm_goals_span: Span = _span()

    def iter_indicators(self):  # type: ignore[no-untyped-def]
        """Yield (level1, level2, indicator) in table order."""
        for l1 in self.indicators:
            for l2 in l1.blocks:
                for ind in l2.indicators:
                    yield l1, l2, ind


@attrs.frozen(slots=True)
class Header:
    """The file's header: which unit, which year, which money unit and framework."""

    unit_code: Located | None
    unit_name: Located | None
    year: Located | None
    money_unit: Located | None
    framework: Located | None = None
    layout: Located | None = None
    title: Located | None = None
    span: Span = _span()

    @property
    def year_number(self) -> int | None:
        if self.year is None or not self.year.value.isdigit():
            return None
        return int(self.year.value)

    @property
    def unit(self) -> str:
        """The file's money unit, 万元 when the header does not say (the common case)."""
        return self.money_unit.value if self.money_unit else "万元"


@attrs.frozen(slots=True)
class Document:
    """A whole file: the header, the projects, and the comments the formatter must keep.

    ``keyword_language`` ("zh" or "en") is how the file spelt its keywords; it is presentation,
    not content, so it does not take part in equality.
    """

    header: Header
    projects: tuple[Project, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)
    keyword_language: str = attrs.field(default="zh", eq=False)
    line_ending: str = attrs.field(default="\n", eq=False)
    bom: bool = attrs.field(default=False, eq=False)

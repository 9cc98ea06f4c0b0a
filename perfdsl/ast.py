"""The typed syntax tree of a perfdsl document.

The structure of a 绩效目标表 has its own classes: the document header, projects (or a
department's 部门整体 table), money columns with their funding lines, and the indicator tree
一级 → 二级 → 三级.  Everything else a table holds — 主管部门, 实施期, 描述, 权重, 备注 and the
rest of the registry (:mod:`perfdsl.standards.fields`) — is a :class:`Fields` mapping from the
registry key to a typed value, so a new column needs no new attribute here.

Nodes are frozen attrs classes with slots.  Every node carries a :class:`Span` so diagnostics
can point at the exact text; spans (and other facts about how the file was written: the keyword
language, the spelling of a value) are excluded from equality, so two documents that say the
same thing compare equal however they were written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from perfdsl.values import MONEY_UNITS, Quantity, Value, format_decimal


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
    """Text the author wrote (a name, a 描述, a choice such as 正向), with where."""

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
    """An amount: the exact number with the scale written (146.00), its unit as written (None:
    none was written, the file's unit applies), and any text the author wrote after it in the
    same cell (``854万(其中高标准农田建设400万元)`` has the note ``(其中高标准农田建设400万元)``)."""

    amount: Decimal
    unit: str | None = None
    note: str = ""
    span: Span = _span()

    @property
    def text(self) -> str:
        """The cell in canonical form: ``146.00``, ``4137280元``, ``854万(其中…)``."""
        return f"{format_decimal(self.amount)}{self.unit or ''}{self.note}"

    @property
    def quantity(self) -> Quantity:
        return Quantity(op=None, number=self.amount, unit=self.unit or "")


@attrs.frozen(slots=True)
class Typed:
    """A typed indicator value in a field (中期值, 预算执行率, a 一级's 分值)."""

    value: Value
    span: Span = _span()


@attrs.frozen(slots=True)
class Number:
    """A plain number (权重, 分值) in the canonical form the formatter writes, and its value."""

    text: str
    number: Decimal
    span: Span = _span()


@attrs.frozen(slots=True)
class Goal:
    """One numbered 绩效目标 (or 中期目标) item."""

    text: str
    span: Span = _span()


@attrs.frozen(slots=True)
class Goals:
    """Numbered items as a field (中期目标)."""

    items: tuple[Goal, ...]
    span: Span = _span()


@attrs.frozen(slots=True)
class Row:
    """One row of a block (进度计划, 成本构成, 年度履职目标): its columns as fields."""

    fields: Fields
    span: Span = _span()


@attrs.frozen(slots=True)
class Rows:
    """A block of rows, in the order written."""

    rows: tuple[Row, ...]
    span: Span = _span()


@attrs.frozen(slots=True)
class Labels:
    """Free ``label: text`` lines, in order (the sign-off rows under a table)."""

    fields: Fields
    span: Span = _span()


@attrs.frozen(slots=True)
class Tree:
    """A second indicator tree (the 中期 half of a table with its own 二级/三级)."""

    level1: tuple[Level1, ...]
    span: Span = _span()


FieldValue = Located | Money | Typed | Number | Goals | Rows | Labels | Tree

#: The key of a free labelled field (``栏目 联系电话: …``): this prefix and the label.
FREE = "free:"


def free_key(label: str) -> str:
    return FREE + label


def free_label(key: str) -> str | None:
    """The label of a free field's key, None for a registry key."""
    return key[len(FREE) :] if key.startswith(FREE) else None


@attrs.frozen(slots=True, eq=False)
class Fields(Mapping[str, "FieldValue"]):
    """An immutable mapping of field key → value that keeps the order written.

    Equality ignores the order (the order keys were written in is presentation: the
    formatter prints them in the template's order).
    """

    items_: tuple[tuple[str, FieldValue], ...] = ()

    def __getitem__(self, key: str) -> FieldValue:
        for k, v in self.items_:
            if k == key:
                return v
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        # (Mapping.get goes through __getitem__ and a KeyError; the rules ask for fields
        # that are absent hundreds of thousands of times in a large file.)
        for k, v in self.items_:
            if k == key:
                return v
        return default

    def items(self) -> tuple[tuple[str, FieldValue], ...]:  # type: ignore[override]
        return self.items_  # (Mapping's view would look every key up again)

    def values(self) -> tuple[FieldValue, ...]:  # type: ignore[override]
        return tuple(v for _, v in self.items_)

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self.items_)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self.items_)

    def __len__(self) -> int:
        return len(self.items_)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fields):
            return NotImplemented
        return dict(self.items_) == dict(other.items_)

    def __hash__(self) -> int:
        return hash(frozenset(self.items_))

    def __repr__(self) -> str:
        return f"Fields({dict(self.items_)!r})"

    def text(self, key: str) -> str | None:
        """A text field's value (None when absent or not text)."""
        value = self.get(key)
        return value.value if isinstance(value, Located) else None

    def located(self, key: str) -> Located | None:
        value = self.get(key)
        return value if isinstance(value, Located) else None

    def with_(self, key: str, value: FieldValue) -> Fields:
        """A copy with ``key`` set (replaced in place, or added at the end)."""
        if key in self:
            return Fields(tuple((k, value if k == key else v) for k, v in self.items_))
        return Fields((*self.items_, (key, value)))

    def without(self, key: str) -> Fields:
        return Fields(tuple((k, v) for k, v in self.items_ if k != key))


NO_FIELDS = Fields()


@attrs.frozen(slots=True)
class FundingLine:
    """One funding line under a money column: 财政资金, 其他资金, 基本支出 …  ``kind`` is the
    registry key of the ``funding`` field."""

    kind: str
    amount: Money
    #: Its own breakdown (财政拨款 of which 上级资金 and 本级资金), in the order written.
    lines: tuple[FundingLine, ...] = ()
    span: Span = _span()


@attrs.frozen(slots=True)
class Budget:
    """A money column (``key``: 预算数 is ``budget``) and its funding lines.  A funding line the
    author left out is a blank cell."""

    total: Money
    lines: tuple[FundingLine, ...] = ()
    key: str = "budget"
    span: Span = _span()

    def line(self, kind: str) -> FundingLine | None:
        """The top-level line of ``kind``, else one nested under another line."""
        return next((f for f in self.all_lines() if f.kind == kind), None)

    def all_lines(self) -> Iterator[FundingLine]:
        """Every funding line, a breakdown after the line it breaks down."""

        def walk(lines: tuple[FundingLine, ...]) -> Iterator[FundingLine]:
            for line in lines:
                yield line
                yield from walk(line.lines)

        return walk(self.lines)


@attrs.frozen(slots=True)
class Indicator:
    """A 三级指标: its name and value, and every other column of its row as :class:`Fields`.

    ``value`` None is an empty value cell.  A 描述 of None means "not written" (a template may
    then repeat the name, as Tianjin's does); an empty text means a blank cell.
    """

    name: str
    value: Value | None
    fields: Fields = NO_FIELDS
    span: Span = _span()
    value_span: Span = _span()

    def get(self, key: str) -> FieldValue | None:
        return self.fields.get(key)

    @property
    def description(self) -> Located | None:
        return self.fields.located("description")

    @property
    def weight_number(self) -> Decimal | None:
        weight = self.fields.get("weight")
        return weight.number if isinstance(weight, Number) else None


@attrs.frozen(slots=True)
class Level2:
    """A 二级指标 block, e.g. 数量指标, with its indicators in the order written.  No
    indicators is a blank pre-printed row: the 二级 prints, its 三级 and value are empty."""

    name: str
    indicators: tuple[Indicator, ...]
    fields: Fields = NO_FIELDS
    span: Span = _span()


@attrs.frozen(slots=True)
class Level1:
    """A 一级指标 block, e.g. 产出指标.  The same 二级 may appear more than once, as published."""

    name: str
    blocks: tuple[Level2, ...]
    fields: Fields = NO_FIELDS
    span: Span = _span()


def iter_tree(level1: tuple[Level1, ...]) -> Iterator[tuple[Level1, Level2, Indicator]]:
    """(level1, level2, indicator) in table order."""
    for l1 in level1:
        for l2 in l1.blocks:
            for ind in l2.indicators:
                yield l1, l2, ind


@attrs.frozen(slots=True)
class Project:
    """One table: a project's (``kind`` "project") or a department's 部门整体 table
    (``kind`` "department").

    ``budgets`` are its money columns in the order written (预算数 first, as a rule);
    ``template`` is the template the table follows when it names one of its own.
    """

    name: str
    budgets: tuple[Budget, ...] = ()
    goals: tuple[Goal, ...] = ()
    indicators: tuple[Level1, ...] = ()
    fields: Fields = NO_FIELDS
    kind: str = "project"
    span: Span = _span()
    name_span: Span = _span()
    goals_span: Span = _span()

    @property
    def budget(self) -> Budget | None:
        """The year's money column (预算数 / 年度资金总额)."""
        return self.money_column("budget")

    def money_column(self, key: str) -> Budget | None:
        return next((b for b in self.budgets if b.key == key), None)

    def get(self, key: str) -> FieldValue | None:
        return self.fields.get(key)

    def iter_indicators(self) -> Iterator[tuple[Level1, Level2, Indicator]]:
        """Yield (level1, level2, indicator) in table order."""
        return iter_tree(self.indicators)

    @property
    def midterm_goals(self) -> tuple[Goal, ...]:
        goals = self.fields.get("midterm_goals")
        return goals.items if isinstance(goals, Goals) else ()


def has_money(project: Project) -> bool:
    """Whether a table holds an amount anywhere: a money column, a money field or cell, or
    an indicator value in 元/万元/亿元."""
    if project.budgets:
        return True

    def money_in(fields: Fields) -> bool:
        for value in fields.values():
            if isinstance(value, Money):
                return True
            if isinstance(value, Rows) and any(money_in(row.fields) for row in value.rows):
                return True
        return False

    if money_in(project.fields):
        return True
    trees = [project.indicators]
    midterm = project.fields.get("midterm_indicators")
    if isinstance(midterm, Tree):
        trees.append(midterm.level1)
    for tree in trees:
        for _l1, _l2, ind in iter_tree(tree):
            value = ind.value
            unit = getattr(value, "unit", "") or ""
            if unit and unit in MONEY_UNITS:
                return True
    return False


@attrs.frozen(slots=True)
class Section:
    """A ``key: value`` entry with its children, kept as written: the header's own adaptation
    of its template (``模板: 财政部2015`` with lines under it)."""

    key: str
    value: str | None
    children: tuple[Section, ...] = ()
    span: Span = _span()
    value_span: Span = _span()


@attrs.frozen(slots=True)
class Header:
    """The file's header: which unit, which year, which money unit, and its other fields
    (指标体系, 模板, 标题, 编报时间 …).  ``template_spec`` is an adaptation of the template
    written under ``模板:`` in the file itself."""

    unit_code: Located | None
    unit_name: Located | None
    year: Located | None
    money_unit: Located | None
    fields: Fields = NO_FIELDS
    template_spec: tuple[Section, ...] = ()
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

    @property
    def framework(self) -> Located | None:
        return self.fields.located("framework")

    @property
    def template(self) -> Located | None:
        return self.fields.located("template")

    @property
    def title(self) -> Located | None:
        return self.fields.located("title")


@attrs.frozen(slots=True)
class Document:
    """A whole file: the header, the tables, and the comments the formatter must keep.

    ``keyword_language`` ("zh" or "en") is how the file spelt its keywords; it is presentation,
    not content, so it does not take part in equality.
    """

    header: Header
    projects: tuple[Project, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)
    keyword_language: str = attrs.field(default="zh", eq=False)
    line_ending: str = attrs.field(default="\n", eq=False)
    bom: bool = attrs.field(default=False, eq=False)

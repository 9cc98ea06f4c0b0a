"""What the recogniser reads out of a table, before it is written as source.

Plain mutable records of cell texts, keyed by the registry's field keys: the recogniser fills
them cell by cell, :mod:`perfdsl.importer.source` writes them as perfdsl text (which the
parser then types: amounts, values, weights), so that typing a value is done once, by the
language itself.
"""

from __future__ import annotations

import attrs


@attrs.define
class FundingDraft:
    kind: str
    amount: str
    lines: list[FundingDraft] = attrs.field(factory=list)


@attrs.define
class BudgetDraft:
    key: str
    total: str = ""
    lines: list[FundingDraft] = attrs.field(factory=list)


@attrs.define
class IndicatorDraft:
    name: str
    value: str
    #: indicator field key (or ``free:<label>``) → cell text, in column order.
    fields: dict[str, str] = attrs.field(factory=dict)


@attrs.define
class Level2Draft:
    name: str
    score: str = ""
    indicators: list[IndicatorDraft] = attrs.field(factory=list)


@attrs.define
class Level1Draft:
    name: str
    score: str = ""
    blocks: list[Level2Draft] = attrs.field(factory=list)


@attrs.define
class ProjectDraft:
    kind: str = "project"
    name: str = ""
    #: project field key (or ``free:<label>``) → text; goals fields hold their items.
    fields: dict[str, str | list[str]] = attrs.field(factory=dict)
    budgets: dict[str, BudgetDraft] = attrs.field(factory=dict)
    goals: list[str] | None = None
    rows: dict[str, list[dict[str, str]]] = attrs.field(factory=dict)
    indicators: list[Level1Draft] = attrs.field(factory=list)
    midterm: list[Level1Draft] = attrs.field(factory=list)
    signoff: list[tuple[str, str]] = attrs.field(factory=list)
    #: Header fields found inside the table (填报单位, 填表人 …).
    header: dict[str, str] = attrs.field(factory=dict)
    #: The labels the table prints for the fields it was read into: (level, key) → the
    #: labels as printed, in reading order (level ``row.<block>`` for a block's columns,
    #: ``indicator`` for the indicator table's); :mod:`perfdsl.importer.adapt` compares
    #: them with the template's.
    labels: dict[tuple[str, str], list[str]] = attrs.field(factory=dict)
    #: The indicator table's columns, the fields in the order printed (None: not read),
    #: the label of its last row when that adds up the scores (总分), and its side label.
    columns: list[str] | None = None
    total_row: str = ""
    #: The label merged down the left of the indicator table (绩效指标), "" for none.
    side: str = ""
    #: Where the 中期 indicators stand: ``beside`` the year's in one table, or a table of
    #: their own ``before`` or ``after`` it ("" when there are none); the lines above the two
    #: tables (``midterm``, ``year`` → 长期绩效指标:).
    midterm_place: str = ""
    captions: dict[str, str] = attrs.field(factory=dict)
    #: The money group's label as printed, when the template's is another ("" otherwise).
    money_group: str = ""
    #: Whether the table has a header grid (基本信息) above its indicators.
    header_table: bool = True

    def budget(self, key: str) -> BudgetDraft:
        if key not in self.budgets:
            self.budgets[key] = BudgetDraft(key)
        return self.budgets[key]


@attrs.define
class DocumentDraft:
    unit: str = ""
    year: str = ""
    money_unit: str = ""
    template: str = ""
    #: header field key (or ``free:<label>``) → text.
    header: dict[str, str] = attrs.field(factory=dict)
    projects: list[ProjectDraft] = attrs.field(factory=list)
    #: Whether a line the template prints above each table (填报单位（盖章）：…) was read,
    #: and a subtitle (（2024年度）).
    above_seen: bool = False
    subtitle_seen: bool = False

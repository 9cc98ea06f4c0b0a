"""What a template is: the fields its tables hold, their labels, its framework, its page.

Plain data, read by every pass; :mod:`.build` makes one from TOML or a header's lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from perfdsl.diagnostics import Diagnostic
from perfdsl.standards import fields as R

BUILTIN_DIR: Final = Path(__file__).parent.parent / "builtin"
#: Built-in templates in the order ``perfdsl explain``, docs and suggestions list them.
BUILTIN_ORDER: Final = ("tianjin", "mof2015", "mof2021", "department", "flat", "ndrc")
DEFAULT: Final = "tianjin"
#: Levels a template lists fields for (``row`` fields come with their block).
LEVELS: Final[tuple[R.Level, ...]] = (
    "header",
    "project",
    "budget",
    "funding",
    "category",
    "indicator",
)


class TemplateError(Exception):
    """A template that cannot be used; ``diagnostic`` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message.en)
        self.diagnostic = diagnostic


@attrs.frozen
class Column:
    """One column of the indicator table: a field, its printed label, and its width."""

    field: str
    label: str
    width: float
    min_width: float
    align: R.Align
    #: An optional column prints only in a table where some row fills it.
    optional: bool = False
    #: Print it even when every cell is empty (templates that pre-print an empty 备注).
    always: bool = False


#: A row of a header spec: a section's name, or cells written out (see emit/header.py).
HeaderRow = str | tuple[str, ...]


@attrs.frozen
class HeaderSpec:
    """The header table of a template, as data (read by :mod:`perfdsl.emit.header`)."""

    #: Columns of the grid; 0: as many as the widest block of rows needs, at least four.
    columns: int = 7
    widths: tuple[float, ...] = (1.5, 1.0, 1.1, 1.5, 1.1, 1.1, 1.1)
    rows: tuple[HeaderRow, ...] = ("name", "fields", "money", "blocks", "goals")
    #: ``inline`` (the seed's), ``stacked`` (a row per amount), ``pairs`` (money columns side
    #: by side, label | amount each: the MoF 申报表) or ``matrix`` (lines × columns).
    money: str = "inline"
    #: The purpose text as the last row of the money group (the seed's 预算规模及资金用途).
    purpose_in_money: bool = True
    #: ``single`` (one goals row) or ``split`` (中期目标 | 年度目标 side by side).
    goals: str = "single"
    goals_group: str = "总体目标"
    #: Fields without a place of their own: one labelled row each, or two to a row.
    fields_per_row: int = 1
    #: ``matrix`` money: the money columns across, the share column and the group labels.
    money_columns: tuple[str, ...] = ("budget",)
    share_label: str = ""
    source_label: str = "收入构成"
    use_label: str = "支出构成"
    total_label: str = "合计"
    #: A group label over several fields, merged down the left of their rows:
    #: 项目立项情况 | 项目立项的依据 | … (label → field keys, in print order).
    groups: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


#: The labels a last row adding up the 分值 column goes by on the tables in use (a page's own
#: ``total_row`` is one of them, or another): how an import knows such a row.
TOTAL_ROW_LABELS: Final = frozenset({"总分", "合计", "总计", "分值合计"})


@attrs.frozen
class Page:
    """How a template prints: its header table, its indicator columns, the lines around the
    tables, headings, fonts."""

    header: HeaderSpec = attrs.field(factory=HeaderSpec)
    heading: str = "{number}.{name}{title}"
    #: The document's title when the header has no 标题.
    document_title: str = "{unit}{year}年项目支出{title}"
    columns: tuple[Column, ...] = ()
    orientation: str = "portrait"
    subtitle: str = ""
    #: The group label over the money cells (预算规模及资金用途, 项目资金（{money_unit}）).
    budget_group: str = "预算规模及资金用途"
    #: Lines above and below each table: patterns with {unit_code} {unit} {year} {money_unit}
    #: {title} and every header field ({filing_unit} {filed_on} {filled_by} {contact}); a
    #: line whose placeholders are all empty is left out.
    above: tuple[str, ...] = ("{unit_code}{unit}", "单位：{money_unit}")
    below: tuple[str, ...] = ()
    #: A table of contents before the tables; a cover page.
    contents: bool = True
    cover: bool = False
    #: ``project``: a table a project; ``unit``: one flat sheet for all of a unit's projects.
    per: str = "project"
    #: Where a 中期 tree prints: ``after`` or ``before`` the year's table, or ``beside`` it
    #: (one table, the 中期 half and the 年度 half side by side).
    midterm: str = "after"
    #: The lines above the two indicator tables when a table has both (empty: none).
    year_caption: str = ""
    midterm_caption: str = ""
    #: The sheet's own columns before the indicators (``per = "unit"``).
    sheet_columns: tuple[str, ...] = ("unit", "name", "budget", "goals")
    #: How values and amounts are written: ``unicode`` (≥) or ``ascii`` (>=); thousands
    #: separators; words for choices (正向 → 正向指标).
    operators: str = "unicode"
    thousands: bool = False
    words: Mapping[str, str] = attrs.field(factory=dict)
    #: Columns printed even when every cell is empty (a pre-printed 备注).
    always: tuple[str, ...] = ()
    #: A label merged down the left of the whole indicator table (绩效指标, 绩效指标(90分)).
    indicator_side: str = ""
    #: A last row of the indicator table with this label (总分, 合计) and the sum of the
    #: 分值/权重 column under it; empty: no such row.
    total_row: str = ""
    #: The web page's footer.
    footer: str = "{unit_code}{unit} · {title}"
    #: The funding lines that always have a cell, blank when the source has none.
    main_funding: tuple[str, ...] = ("fiscal", "other")
    breakdown_prefix: str = "其中："
    #: The 指标值 column's label when a 中期值 column stands beside it.
    value_label_with_midterm: str = "年度指标值"
    #: An indicator with no 描述 repeats its name in the 描述 column (the seed does).
    description_repeats_name: bool = False
    #: Goals numbered 1. 2. … as the seed prints them (off: the text alone).
    number_goals: bool = True
    #: The 指标值 column prints the number alone, its operator and unit in the 指标性质 and
    #: 计量单位 columns (the flat sheets of the 一体化 systems).
    split_value: bool = False
    body_font: str = "仿宋_GB2312"
    table_font: str = "宋体"
    heading_font: str = "黑体"
    latin_font: str = "Times New Roman"
    body_size_pt: float = 12.0
    table_size_pt: float = 10.5
    table_small_size_pt: float = 9.0
    heading_size_pt: float = 16.0
    title_size_pt: float = 20.0


@attrs.frozen
class Template:
    key: str
    #: What the table is called: 项目支出绩效目标表, 项目支出绩效目标申报表 …
    title: str
    aliases: tuple[str, ...] = ()
    kind: str = "project"
    #: A framework name (2015, 2021 or one from the configuration), or a local variant.
    framework: str | Mapping[str, Any] = "2015"
    fields: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    labels: Mapping[tuple[str, str], str] = attrs.field(factory=dict)
    page: Page = attrs.field(factory=Page)
    description: str = ""
    #: Where it was defined: "builtin", a file path, or "<header>".
    origin: str = "builtin"
    #: Spellings by level, computed once (a big file looks keys up hundreds of thousands of
    #: times); not part of the template's value.
    _spelling_cache: dict[str, dict[str, str]] = attrs.field(
        factory=dict, eq=False, repr=False, hash=False, init=False
    )

    def has(self, level: str, key: str) -> bool:
        if level == "row":
            return True
        return key in self.fields.get(level, ())

    def label(self, level: str, key: str, block: str = "") -> str:
        """What the table prints for a field: the template's label, else the registry's."""
        found = self.labels.get((level, key))
        if found:
            return found
        if level.startswith("row."):
            level, block = "row", level[len("row.") :]
        try:
            return R.get(level, key, block).printed  # type: ignore[arg-type]
        except KeyError:
            return key

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.title, *self.aliases)

    def spellings(self, level: str) -> dict[str, str]:
        """Every spelling a source may use at ``level`` (folded) → the field's key.

        The template's own labels come first: where a template prints 资金总额 for its
        项目总预算, ``资金总额:`` in its tables means that field, not the registry's alias.
        """
        found = self._spelling_cache.get(level)
        if found is None:
            found = self._spelling_cache[level] = _spellings(self, level)
        return found


def _spellings(template: Template, level: str) -> dict[str, str]:
    from perfdsl.syntax.keywords import fold

    table: dict[str, str] = {}
    for key in template.fields.get(level, ()):
        for spelling in R.get(level, key).spellings:  # type: ignore[arg-type]
            table.setdefault(fold(spelling), key)
    for (lv, key), label in template.labels.items():
        if lv == level and key in template.fields.get(level, ()):
            table[fold(label)] = key
    return table

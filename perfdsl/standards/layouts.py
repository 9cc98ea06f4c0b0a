"""Table layouts as data: what a published 绩效目标表 looks like in one region or system.

A layout says which labels the header table uses, which indicator columns exist (and which of
them appear only when a project uses them), how wide each column is and which fonts the Word
document asks for.  The emitters (docx, html) read a :class:`Layout`; they hold no
region-specific wording themselves, so a new region is a new entry in :data:`LAYOUTS`, not new
code.

Two layouts ship:

- ``tianjin``: the seed's layout (天津市北辰区人民法院 2024): 项目名称; 预算规模及资金用途 with
  预算数 / 其中：财政资金 / 其他资金 and the purpose text; 绩效目标; then the indicator table
  一级 | 二级 | 三级 | 绩效指标描述 | 指标值.  The default.
- ``mof``: the Ministry of Finance 项目支出绩效目标申报表 (财预〔2015〕88号 attachment): 项目名称;
  主管部门 and 实施单位; 年度资金总额 with 其中：财政拨款 / 其他资金; 年度目标 (and 中期目标);
  columns 一级 | 二级 | 三级 | 指标值.

This module imports nothing heavy: ``perfdsl check`` may use it to validate ``版式:``.
"""

from __future__ import annotations

from typing import Final

import attrs

#: The indicator fields a column can show; the emitters know how to fill each one.
COLUMN_FIELDS: Final = (
    "level1",
    "level2",
    "level3",
    "description",
    "value",
    "midterm",
    "weight",
    "basis",
    "direction",
    "explanation",
    "remark",
)

#: The attribute of :class:`perfdsl.ast.Indicator` that says whether an optional column is used.
OPTIONAL_SOURCES: Final[dict[str, str]] = {
    "description": "description",
    "midterm": "midterm",
    "weight": "weight",
    "basis": "basis",
    "direction": "direction",
    "explanation": "explanation",
    "remark": "remark",
}


@attrs.frozen
class Column:
    """One column of the indicator table.

    ``width`` is a relative share of the table width (the emitters scale the shares to the
    page); the shipped layouts use centimetres of a 17 cm A4 text column, so the five
    standard columns add up to the page.  When optional columns make the sum wider than the
    page, :func:`perfdsl.emit.table.fit_widths` shrinks the wide columns first.
    An ``optional`` column appears in a project's table only if some indicator of that project
    fills it: a table should not carry an empty 权重 column because another region has one.
    """

    field: str = attrs.field(validator=attrs.validators.in_(COLUMN_FIELDS))
    label: str
    width: float
    optional: bool = False
    #: Below this share the column would break its short words (一级 names, 正向) mid-word:
    #: when optional columns crowd the page, the wide columns give up space first.
    min_width: float = 1.8


@attrs.frozen
class Layout:
    """Everything a region's table looks like, as data.

    ``header`` names the shape of the header table ("tianjin" or "mof"); the shared table model
    in :mod:`perfdsl.emit.table` builds it from the labels here.  ``funding_labels`` maps a
    funding kind (the canonical keys of ``perfdsl.syntax.keywords.FUNDING``) to its label;
    ``main_funding`` are the two kinds that always have a cell (blank when the source has no
    such line), every other kind the source writes is shown after them, never dropped.
    """

    key: str
    name: str
    aliases: tuple[str, ...]
    header: str = attrs.field(validator=attrs.validators.in_(("tianjin", "mof")))
    heading_suffix: str
    columns: tuple[Column, ...]
    project_label: str = "项目名称"
    budget_group_label: str = "预算规模及资金用途"
    budget_label: str = "预算数"
    purpose_label: str = "资金用途"
    goals_label: str = "绩效目标"
    midterm_goals_label: str = "中期目标"
    department_label: str = "主管部门"
    implementer_label: str = "实施单位"
    manager_label: str = "项目负责人"
    category_label: str = "项目类别"
    period_label: str = "实施期"
    funding_labels: tuple[tuple[str, str], ...] = (
        ("财政资金", "财政资金"),
        ("其他资金", "其他资金"),
        ("上级资金", "上级资金"),
        ("本级资金", "本级资金"),
        ("自有资金", "自有资金"),
        ("上年结转", "上年结转"),
    )
    main_funding: tuple[str, str] = ("财政资金", "其他资金")
    #: Prefix of the first 其中 line, as the forms print it (其中：财政资金).
    breakdown_prefix: str = "其中："
    #: The 指标值 column's label when a 中期值 column stands beside it.
    value_label_with_midterm: str = "年度指标值"
    #: When an indicator has no 描述, repeat the 三级 name (what the seed does).
    description_repeats_name: bool = True
    body_font: str = "仿宋_GB2312"
    table_font: str = "宋体"
    heading_font: str = "黑体"
    latin_font: str = "Times New Roman"
    body_size_pt: float = 12.0
    table_size_pt: float = 10.5
    #: For an indicator table with so many optional columns that 10.5 pt will not fit.
    table_small_size_pt: float = 9.0
    heading_size_pt: float = 16.0
    title_size_pt: float = 20.0

    def funding_label(self, kind: str) -> str:
        return dict(self.funding_labels).get(kind, kind)

    def funding_order(self, kind: str) -> int:
        kinds = [k for k, _ in self.funding_labels]
        return kinds.index(kind) if kind in kinds else len(kinds)

    def heading(self, number: int, project_name: str) -> str:
        """The per-project heading: ``1.办案业务费绩效目标表``."""
        return f"{number}.{project_name}{self.heading_suffix}"


_OPTIONAL_COLUMNS: Final = (
    Column("midterm", "中期指标值", 3.0, optional=True, min_width=2.0),
    Column("weight", "权重", 1.3, optional=True, min_width=1.1),
    Column("direction", "指标方向", 1.5, optional=True, min_width=1.1),
    Column("basis", "指标值设定依据", 2.6, optional=True, min_width=2.0),
    Column("explanation", "指标解释", 3.4, optional=True, min_width=2.4),
    Column("remark", "备注", 2.2, optional=True, min_width=1.6),
)

TIANJIN: Final = Layout(
    key="tianjin",
    name="天津市项目支出绩效目标表",
    aliases=("天津", "天津市", "tianjin", "tj", "default", "默认", "绩效目标表"),
    header="tianjin",
    heading_suffix="绩效目标表",
    columns=(
        Column("level1", "一级指标", 2.2),
        Column("level2", "二级指标", 2.6),
        Column("level3", "三级指标", 4.4, min_width=2.6),
        Column("description", "绩效指标描述", 4.6, min_width=2.6),
        Column("value", "指标值", 3.2, min_width=2.2),
        *_OPTIONAL_COLUMNS,
    ),
)

MOF: Final = Layout(
    key="mof",
    name="财政部项目支出绩效目标申报表",
    aliases=(
        "财政部",
        "mof",
        "ministry-of-finance",
        "中央",
        "central",
        "申报表",
        "绩效目标申报表",
        "项目支出绩效目标申报表",
    ),
    header="mof",
    heading_suffix="绩效目标申报表",
    budget_group_label="项目资金",
    budget_label="年度资金总额",
    goals_label="年度目标",
    midterm_goals_label="中期目标",
    department_label="主管部门",
    implementer_label="实施单位",
    funding_labels=(
        ("财政资金", "财政拨款"),
        ("其他资金", "其他资金"),
        ("上级资金", "上级资金"),
        ("本级资金", "本级资金"),
        ("自有资金", "自有资金"),
        ("上年结转", "上年结转"),
    ),
    description_repeats_name=False,
    columns=(
        Column("level1", "一级指标", 2.2),
        Column("level2", "二级指标", 2.6),
        Column("level3", "三级指标", 5.0, min_width=2.6),
        Column("description", "指标描述", 4.4, optional=True, min_width=2.6),
        Column("value", "指标值", 3.6, min_width=2.2),
        *_OPTIONAL_COLUMNS,
    ),
)

#: Every known layout by its canonical key.
LAYOUTS: Final[dict[str, Layout]] = {layout.key: layout for layout in (TIANJIN, MOF)}
DEFAULT_LAYOUT: Final = "tianjin"


def _fold(name: str) -> str:
    """Compare names regardless of case, spaces, '-', '_' and a trailing 版式/版/表样."""
    folded = name.strip().casefold()
    for ch in (" ", "\u3000", "-", "_"):
        folded = folded.replace(ch, "")
    for suffix in ("版式", "表样", "layout"):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            folded = folded[: -len(suffix)]
    return folded


_BY_NAME: Final[dict[str, Layout]] = {}
for _layout in LAYOUTS.values():
    for _name in (_layout.key, _layout.name, *_layout.aliases):
        _BY_NAME.setdefault(_fold(_name), _layout)


class UnknownLayout(KeyError):
    """A layout name nobody defined.  ``str()`` is the message itself (KeyError would quote it)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def known_names() -> list[str]:
    """The names worth suggesting to a user: each layout's key and its main Chinese alias."""
    return [f"{layout.key} ({layout.aliases[0]})" for layout in LAYOUTS.values()]


def get_layout(name: str | None) -> Layout:
    """The layout a name (from ``版式:`` or ``--layout``) stands for; None means the default.

    Raises KeyError with a message listing the known names, so the caller can show it as is.
    """
    if name is None or not name.strip():
        return LAYOUTS[DEFAULT_LAYOUT]
    layout = _BY_NAME.get(_fold(name))
    if layout is None:
        raise UnknownLayout(
            f"未知的版式 / unknown layout {name!r}; 可用 / known: {', '.join(known_names())}"
        )
    return layout

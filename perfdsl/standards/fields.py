"""The field registry: every field the language knows, at every level, defined once.

A 绩效目标表 is a set of labelled cells.  Each kind of cell is a field here: its canonical key
(what JSON and the code call it), the keyword a file writes in Chinese and in English (what
``perfdsl fmt`` prints), the other spellings and regional labels that mean the same field
(``预算部门`` for 主管部门, ``指标内容`` for the 三级 name), the kind of value it holds, and how
it prints by default (label, alignment, column width).

Every pass reads this table and none keeps a list of its own: the builder accepts these keys
(as far as the file's template allows, :mod:`perfdsl.standards.templates`), the formatter
writes them in registry order, the emitters label them, the JSON emitter and its schema name
them, the diff names a change by its label.  Adding a column is one entry here, its tests and
the generated docs.

Levels:

``header``     the file's header (单位, 年度 …), before the first project
``project``    a project's (or a department's) own fields
``budget``     a money column of a project (预算数, 中期资金总额 …); each may list funding lines
``funding``    a funding line under a money column (财政资金, 基本支出 …)
``category``   an attribute of a 一级 or 二级 block (分值)
``indicator``  an attribute of a 三级 indicator row (描述, 权重, 备注 …)
``row``        a column of a block of rows (进度计划, 成本构成, 年度履职目标); ``block`` names it
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Final, Literal

import attrs

Level = Literal["header", "project", "budget", "funding", "category", "indicator", "row"]

#: What a field holds, and so how the builder reads it:
#: ``text``      one line or a ``|`` block, kept as written
#: ``choice``    one of ``choices`` (any of its spellings), stored as the canonical word
#: ``number``    a plain number (a weight, a score)
#: ``value``     an indicator value, typed (≥400次, 2024年底前, 持续保障)
#: ``money``     an amount with an optional unit and text beside it (854万(其中…))
#: ``goals``     numbered items (1. … 2. …)
#: ``rows``      a block of rows whose columns are the ``row`` fields of ``block``
#: ``labels``    a block of free ``label: value`` lines (sign-off rows)
#: ``indicators``a second indicator tree (the 中期 half)
#: ``structure`` a cell the structure of the file gives (项目名称, 一级指标 …): never a key of
#:               its own, listed so that templates can label it and the importer recognise it
Kind = Literal[
    "text",
    "choice",
    "number",
    "value",
    "money",
    "goals",
    "rows",
    "labels",
    "indicators",
    "structure",
]
Align = Literal["left", "center"]


@attrs.frozen
class FieldDef:
    key: str
    level: Level
    zh: str
    en: str
    kind: Kind = "text"
    #: Other spellings a source may use, and labels regional tables print for this field.
    aliases: tuple[str, ...] = ()
    #: The label a table prints when its template does not relabel the field.
    label: str = ""
    #: For ``choice``: (canonical word, its other spellings).
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: For ``row`` fields: the block they belong to; for ``rows`` fields: the block they hold.
    block: str = ""
    #: For ``funding``: which breakdown of the money the line belongs to.
    dimension: Literal["", "source", "expenditure"] = ""
    align: Align = "left"
    #: Indicator columns: relative width (cm of a 17 cm A4 text column) and the least width
    #: below which the column's short words would break.
    width: float = 2.4
    min_width: float = 1.8
    #: One line for the docs and the JSON schema.
    doc_zh: str = ""
    doc_en: str = ""

    @property
    def printed(self) -> str:
        return self.label or self.zh

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.aliases)

    def choice(self, written: str) -> str | None:
        """The canonical word of a ``choice`` field for any of its spellings, else None."""
        folded = written.strip().casefold()
        for word, others in self.choices:
            if folded == word.casefold() or folded in (o.casefold() for o in others):
                return word
        return None


def _f(key: str, level: Level, zh: str, en: str, **kw: object) -> FieldDef:
    return FieldDef(key, level, zh, en, **kw)  # type: ignore[arg-type]


DIRECTION_CHOICES: Final = (
    ("正向", ("positive", "正向指标", "越大越好")),
    ("反向", ("negative", "反向指标", "越小越好")),
)
VALUE_TYPE_CHOICES: Final = (
    ("定量", ("quantitative", "定量指标")),
    ("定性", ("qualitative", "定性指标")),
)

# fmt: off
FIELDS: Final[tuple[FieldDef, ...]] = (
    # --- the file's header ---------------------------------------------------------------------
    _f("unit", "header", "单位", "unit", aliases=("预算单位", "单位名称", "部门（单位）名称"), doc_zh="单位编码和名称",
       doc_en="the unit's code and name"),
    _f("year", "header", "年度", "year", aliases=("预算年度",), doc_zh="预算年度", doc_en="the budget year"),
    _f("money_unit", "header", "金额单位", "money-unit", aliases=("货币单位", "currency"),
       doc_zh="金额单位：元、万元或亿元", doc_en="the money unit: 元, 万元 or 亿元"),
    _f("framework", "header", "指标体系", "framework", doc_zh="指标体系（默认取模板的）",
       doc_en="the indicator framework (default: the template's)"),
    _f("template", "header", "模板", "template", aliases=("版式", "表样", "layout"), doc_zh="表格模板",
       doc_en="the table's template"),
    _f("title", "header", "标题", "title", doc_zh="文档标题", doc_en="the document's title"),
    _f("subtitle", "header", "副标题", "subtitle", doc_zh="标题下的一行，如（2024年度）",
       doc_en="the line under the title, such as （2024年度）"),
    _f("filing_unit", "header", "填报单位", "filing-unit", aliases=("填报单位（盖章）", "申报单位"),
       doc_zh="填报单位（盖章）", doc_en="the filing unit (stamped)"),
    _f("filed_on", "header", "编报时间", "filed-on", aliases=("填报日期", "填表日期", "编制日期", "填报时间"),
       doc_zh="编报（填报）日期", doc_en="the date of filing"),
    _f("filled_by", "header", "填表人", "filled-by", aliases=("填报人", "经办人"), doc_zh="填表人",
       doc_en="who filled in the table"),
    _f("contact", "header", "联系电话", "contact", aliases=("电话",), doc_zh="联系电话", doc_en="telephone"),
    # --- a project's (or department's) own fields --------------------------------------------
    _f("name", "project", "项目名称", "name", kind="structure",
       aliases=("项目支出名称", "申报项目名称", "项目名", "专项名称", "部门（单位）名称", "部门名称", "单位名称"),
       doc_zh="项目名称（写在 `项目` 后面）", doc_en="the project's name (written after `项目`)"),
    _f("goals", "project", "绩效目标", "goals", kind="goals",
       aliases=("年度目标", "年度绩效目标", "goal", "年度总体目标", "年度总体绩效目标", "总体目标", "项目绩效目标"),
       doc_zh="（年度）绩效目标，逐条编号", doc_en="the year's goals, numbered"),
    _f("template", "project", "模板", "template", aliases=("版式", "表样", "layout"),
       doc_zh="这个项目用的模板（与文件的不同时）", doc_en="this project's template, where it differs"),
    _f("code", "project", "项目编码", "code", aliases=("项目代码", "项目编号"), doc_zh="项目编码",
       doc_en="the project's code"),
    _f("department", "project", "主管部门", "department", aliases=("预算部门", "业务主管部门", "主管部门及代码"),
       doc_zh="主管部门", doc_en="the supervising department"),
    _f("department_code", "project", "主管部门编码", "department-code",
       aliases=("主管部门代码", "部门编码", "部门预算编码", "预算编码"), doc_zh="主管部门（部门预算）编码",
       doc_en="the department's budget code"),
    _f("recipient", "project", "下达地方或单位", "recipient", aliases=("下达地方", "下达单位", "项目所在地"),
       doc_zh="下达地方或单位（中央预算内投资）", doc_en="where the investment goes (NDRC tables)"),
    _f("implementer", "project", "实施单位", "implementer", aliases=("项目单位", "项目实施单位", "执行单位"),
       doc_zh="实施单位", doc_en="the implementing unit"),
    _f("manager", "project", "项目负责人", "manager", aliases=("负责人",), doc_zh="项目负责人",
       doc_en="the person responsible"),
    _f("contact", "project", "联系电话", "contact", aliases=("电话",), doc_zh="联系电话", doc_en="telephone"),
    _f("category", "project", "项目类别", "category", aliases=("项目类型", "项目分类", "项目性质"), doc_zh="项目类别",
       doc_en="the project's category"),
    _f("attribute", "project", "项目属性", "attribute", aliases=("新增或延续",), doc_zh="项目属性（新增/延续）",
       doc_en="new or continuing"),
    _f("period", "project", "实施期", "period", kind="value",
       aliases=("项目起止时间", "项目期限", "项目期", "建设周期", "实施周期", "起止时间"), doc_zh="实施期（项目起止时间）",
       doc_en="the implementation period"),
    _f("budget_class", "project", "预算分类", "budget-class", aliases=("支出功能分类", "科目代码", "功能科目"),
       doc_zh="预算分类或科目代码", doc_en="the budget classification"),
    _f("approval", "project", "项目审批", "approval", aliases=("审批情况", "项目立项情况"), doc_zh="项目审批情况",
       doc_en="the project's approval"),
    _f("legal_basis", "project", "立项依据", "legal-basis", aliases=("项目立项的依据", "设立依据", "政策依据"),
       doc_zh="立项依据", doc_en="what the project is based on"),
    _f("feasibility", "project", "可行性", "feasibility", aliases=("项目申报的可行性",), doc_zh="项目申报的可行性",
       doc_en="why the project is feasible"),
    _f("necessity", "project", "必要性", "necessity", aliases=("项目申报的必要性",), doc_zh="项目申报的必要性",
       doc_en="why the project is needed"),
    _f("overview", "project", "项目概况", "overview", aliases=("项目基本情况", "项目内容", "主要内容"), doc_zh="项目概况",
       doc_en="what the project is"),
    _f("duties", "project", "部门职责", "duties", aliases=("部门职能概述", "部门职能", "主要职能", "单位职责"),
       doc_zh="部门（单位）职责", doc_en="the department's duties"),
    _f("purpose", "project", "资金用途", "purpose", aliases=("用途",), doc_zh="资金用途",
       doc_en="what the money is for"),
    _f("midterm_goals", "project", "中期目标", "midterm-goals", kind="goals",
       aliases=("实施期目标", "中期绩效目标", "长期目标", "中长期绩效目标", "中长期目标", "长期绩效目标"), doc_zh="中期（实施期、长期）目标",
       doc_en="the mid-term (long-term) goals"),
    _f("budget_execution", "project", "预算执行率", "budget-execution", kind="value", doc_zh="预算执行率目标",
       doc_en="the budget execution rate target"),
    _f("budget_execution_score", "project", "预算执行率分值", "budget-execution-score", kind="number",
       aliases=("预算执行率权重",), doc_zh="预算执行率的分值（通常 10）",
       doc_en="the score of the execution rate (usually 10)"),
    _f("indicator_score", "project", "绩效指标分值", "indicator-score", kind="number",
       aliases=("绩效指标权重",), doc_zh="绩效指标的总分值（如 90）",
       doc_en="the indicators' total score (such as 90)"),
    _f("annual_completion", "project", "年度总体目标完成情况", "annual-completion", aliases=("目标完成情况",),
       doc_zh="年度总体目标完成情况（填报时可留空）",
       doc_en="how the year's goals were met (left empty when filing)"),
    _f("other_notes", "project", "其他需说明的问题", "other-notes", aliases=("其他说明", "需说明的问题"),
       doc_zh="其他需说明的问题", doc_en="anything else to note"),
    _f("progress", "project", "进度计划", "progress", kind="rows",
       aliases=("项目实施进度计划", "实施进度计划", "实施进度"), block="progress", doc_zh="项目实施进度计划（每行：内容、开始、完成）",
       doc_en="the schedule (content, start, finish)"),
    _f("cost_items", "project", "成本构成", "cost-items", kind="rows",
       aliases=("成本测算", "成本明细", "资金测算明细", "项目支出明细"), block="cost_items",
       doc_zh="成本构成（每行：成本项目、金额、测算依据、上年实际）",
       doc_en="the cost breakdown (item, amount, basis, last year's actual)"),
    _f("duty_goals", "project", "年度履职目标", "duty-goals", kind="rows", aliases=("履职目标",),
       block="duty_goals", doc_zh="年度履职目标（每行：部门职能、年度目标任务、支出项目、预算金额）",
       doc_en="the year's duty targets (function, task, spending item, amount)"),
    _f("signoff", "project", "签章", "signoff", kind="labels", aliases=("审核意见", "签字", "审核"),
       doc_zh="表末的签字、审核意见（盖章）各行", doc_en="the sign-off rows under the table"),
    _f("midterm_indicators", "project", "中期指标", "midterm-indicators", kind="indicators",
       aliases=("中期绩效指标", "长期绩效指标", "长期指标", "实施期绩效指标", "中长期绩效指标"),
       doc_zh="中期（长期）绩效指标：与年度指标分开的一套一级/二级/三级",
       doc_en="the mid-term indicators, a tree of their own beside the year's"),
    # --- money columns -----------------------------------------------------------------------
    _f("budget", "budget", "预算数", "budget", kind="money",
       aliases=("预算", "年度资金总额", "资金总额", "年度预算", "年度预算数", "当年资金总额", "年度预算安排"), align="center",
       doc_zh="年度预算数（年度资金总额）", doc_en="the year's budget"),
    _f("midterm_budget", "budget", "中期资金总额", "midterm-budget", kind="money",
       aliases=("中期预算", "实施期资金总额", "中期资金"), align="center", doc_zh="中期（实施期）资金总额",
       doc_en="the mid-term budget"),
    _f("total_budget", "budget", "项目总预算", "total-budget", kind="money",
       aliases=("项目总投资", "总预算", "项目资金总额"), align="center", doc_zh="项目总预算",
       doc_en="the project's total budget"),
    # --- funding lines -----------------------------------------------------------------------
    _f("fiscal", "funding", "财政资金", "fiscal", kind="money", aliases=("财政拨款", "本年财政拨款", "财政拨款资金"),
       dimension="source", doc_zh="财政资金（财政拨款）", doc_en="fiscal appropriation"),
    _f("other", "funding", "其他资金", "other", kind="money", aliases=("其他",), dimension="source",
       doc_zh="其他资金", doc_en="other funds"),
    _f("transfer", "funding", "上级资金", "transfer", kind="money",
       aliases=("上级补助", "上级财政资金", "上级专项资金"), dimension="source", doc_zh="上级资金",
       doc_en="funds from above"),
    _f("local", "funding", "本级资金", "local", kind="money", aliases=("本级财政", "本级财政资金"),
       dimension="source", doc_zh="本级资金", doc_en="own-level funds"),
    _f("own", "funding", "自有资金", "own", kind="money", aliases=("单位自有资金",), dimension="source",
       doc_zh="自有资金", doc_en="the unit's own funds"),
    _f("special_account", "funding", "财政专户管理资金", "special-account", kind="money",
       dimension="source", doc_zh="财政专户管理资金", doc_en="special-account funds"),
    _f("unit_funds", "funding", "单位资金", "unit-funds", kind="money", dimension="source",
       doc_zh="单位资金", doc_en="unit funds"),
    _f("carryover", "funding", "上年结转", "carryover", kind="money", aliases=("上年结转资金", "结转资金"),
       dimension="source", doc_zh="上年结转", doc_en="carried over from last year"),
    _f("basic", "funding", "基本支出", "basic", kind="money", dimension="expenditure",
       doc_zh="基本支出（部门整体表）", doc_en="basic expenditure (department tables)"),
    _f("project_spending", "funding", "项目支出", "project-spending", kind="money",
       dimension="expenditure", doc_zh="项目支出（部门整体表）",
       doc_en="project expenditure (department tables)"),
    # --- 一级/二级 attributes --------------------------------------------------------------------
    _f("score", "category", "分值", "score", kind="value", aliases=("权重", "分数"),
       doc_zh="这一类指标的分值，如 50 或 (40-50)分", doc_en="the category's score, such as 50"),
    # --- indicator rows ----------------------------------------------------------------------
    _f("level1", "indicator", "一级指标", "level1", kind="structure", align="center", width=2.2,
       doc_zh="一级指标", doc_en="the level-1 category"),
    _f("level2", "indicator", "二级指标", "level2", kind="structure", aliases=("评价内容",), align="center",
       width=2.6, doc_zh="二级指标", doc_en="the level-2 category"),
    _f("name", "indicator", "三级指标", "name", kind="structure",
       aliases=("指标内容", "指标名称", "绩效内容", "三级指标名称", "绩效指标"), width=4.4, min_width=2.6,
       doc_zh="三级指标（写成 `名称: 值`）", doc_en="the indicator (written `name: value`)"),
    _f("operator", "indicator", "指标性质", "operator", kind="structure", aliases=("计算符号", "符号", "比较符"),
       align="center", width=1.3, min_width=1.1, doc_zh="指标值的比较符（≥ ≤ = …），单独成列时",
       doc_en="the value's operator, as a column"),
    _f("value", "indicator", "指标值", "value", kind="value",
       aliases=("年度指标值", "目标值", "指标值及单位", "绩效目标值", "年度目标值"), label="指标值", align="center", width=3.2,
       min_width=2.2, doc_zh="指标值", doc_en="the indicator's value"),
    _f("description", "indicator", "描述", "description", aliases=("绩效指标描述", "指标描述", "指标说明"),
       label="绩效指标描述", width=4.6, min_width=2.6, doc_zh="绩效指标描述",
       doc_en="what the indicator means"),
    _f("value_type", "indicator", "指标值类型", "value-type", kind="choice", aliases=("指标类型",),
       choices=VALUE_TYPE_CHOICES, align="center", width=1.5, min_width=1.2, doc_zh="定量或定性",
       doc_en="quantitative or qualitative"),
    _f("measure", "indicator", "计量单位", "measure", aliases=("度量单位", "单位名称", "指标单位"), align="center",
       width=1.5, min_width=1.1, doc_zh="计量单位（单独成列时）",
       doc_en="the unit, where it is a column of its own"),
    _f("midterm", "indicator", "中期值", "midterm", kind="value", aliases=("实施期值", "中期指标值", "长期指标值"),
       label="中期指标值", align="center", width=3.0, min_width=2.0, doc_zh="中期（实施期）指标值",
       doc_en="the mid-term value"),
    _f("weight", "indicator", "权重", "weight", kind="number", aliases=("分值", "指标权重", "指标分值"),
       align="center", width=1.3, min_width=1.1, doc_zh="权重（分值）", doc_en="the weight (score)"),
    _f("basis", "indicator", "依据", "basis", aliases=("指标值设定依据", "绩效标准", "设定依据", "标准"),
       label="指标值设定依据", width=2.6, min_width=2.0, doc_zh="指标值设定依据（计划标准、行业标准、历史标准、其他标准）",
       doc_en="where the value comes from (plan, industry, history, other)"),
    _f("direction", "indicator", "方向", "direction", kind="choice",
       aliases=("指标方向", "指标方向性", "指标属性"), label="指标方向", choices=DIRECTION_CHOICES, align="center",
       width=1.5, min_width=1.1, doc_zh="正向或反向", doc_en="positive or negative"),
    _f("explanation", "indicator", "解释", "explanation", aliases=("指标解释", "指标内涵"), label="指标解释",
       width=3.4, min_width=2.4, doc_zh="指标解释", doc_en="the indicator explained"),
    _f("scoring", "indicator", "评分标准", "scoring", aliases=("评（扣）分标准", "评(扣)分标准", "扣分标准", "计分方法"),
       label="评（扣）分标准", width=3.4, min_width=2.4, doc_zh="评（扣）分标准",
       doc_en="how the indicator is scored"),
    _f("remark", "indicator", "备注", "remark", aliases=("note",), width=2.2, min_width=1.6,
       doc_zh="备注", doc_en="a remark"),
    # --- rows of blocks ----------------------------------------------------------------------
    _f("content", "row", "实施内容", "content", aliases=("项目实施内容", "内容", "阶段"), block="progress",
       doc_zh="实施内容", doc_en="what is done"),
    _f("start", "row", "开始时间", "start", aliases=("开始",), block="progress", doc_zh="开始时间",
       doc_en="when it starts"),
    _f("finish", "row", "完成时间", "finish", aliases=("完成", "结束时间"), block="progress", doc_zh="完成时间",
       doc_en="when it is done"),
    _f("item", "row", "成本项目", "item", aliases=("项目", "支出项目", "明细"), block="cost_items",
       doc_zh="成本项目", doc_en="the cost item"),
    _f("amount", "row", "金额", "amount", kind="money", aliases=("测算金额", "预算金额"), block="cost_items",
       align="center", doc_zh="金额", doc_en="the amount"),
    _f("basis", "row", "测算依据", "basis", aliases=("测算依据及说明", "依据"), block="cost_items",
       doc_zh="测算依据", doc_en="how it was estimated"),
    _f("prior_actual", "row", "上年实际", "prior-actual", kind="money", aliases=("上年实际支出", "上年实际数"),
       block="cost_items", align="center", doc_zh="上年实际支出", doc_en="last year's actual"),
    _f("function", "row", "部门职能", "function", aliases=("职能",), block="duty_goals", doc_zh="部门职能",
       doc_en="the function"),
    _f("task", "row", "年度目标任务", "task", aliases=("目标任务", "年度任务"), block="duty_goals",
       doc_zh="年度目标任务", doc_en="the year's task"),
    _f("spending_item", "row", "支出项目", "spending-item", aliases=("支出项目名称", "项目名称"),
       block="duty_goals", doc_zh="支出项目名称", doc_en="the spending item"),
    _f("amount", "row", "预算金额", "amount", kind="money", aliases=("金额", "预算数"), block="duty_goals",
       align="center", doc_zh="预算金额", doc_en="the amount"),
)
# fmt: on

#: The keyword for a row of a ``rows`` block, and for a free labelled field.
ROW_WORDS: Final = ("行", "row")
FREE_WORDS: Final = ("栏目", "field")
#: What a project and a department (部门整体) table start with.
PROJECT_WORDS: Final = ("项目", "project")
DEPARTMENT_WORDS: Final = ("部门", "overall")

#: Indicator categories written in English: alias → canonical Chinese name.  Whether a name
#: belongs to the chosen framework is the checker's business, not the parser's.
CATEGORY_ALIASES: Final[dict[str, str]] = {
    "output": "产出指标",
    "benefit": "效益指标",
    "satisfaction": "满意度指标",
    "cost": "成本指标",
    "quantity": "数量指标",
    "quality": "质量指标",
    "timeliness": "时效指标",
    "economic-benefit": "经济效益指标",
    "social-benefit": "社会效益指标",
    "ecological-benefit": "生态效益指标",
    "sustainability": "可持续影响指标",
    "beneficiary-satisfaction": "服务对象满意度指标",
    "economic-cost": "经济成本指标",
    "social-cost": "社会成本指标",
    "ecological-cost": "生态环境成本指标",
    "effect": "实施效果指标",
}
CATEGORY_ENGLISH: Final[dict[str, str]] = {zh: en for en, zh in CATEGORY_ALIASES.items()}


# --- lookups -------------------------------------------------------------------------------------


def at(level: Level, block: str = "") -> tuple[FieldDef, ...]:
    """The fields of one level (of one block, for ``row``), in registry order."""
    return _at(level, block)


@cache
def _at(level: Level, block: str) -> tuple[FieldDef, ...]:
    return tuple(f for f in FIELDS if f.level == level and (level != "row" or f.block == block))


def get(level: Level, key: str, block: str = "") -> FieldDef:
    """The field ``key`` of ``level``; KeyError if there is none."""
    found = _INDEX.get((level, block if level == "row" else "", key))
    if found is None:
        raise KeyError(f"{level}.{key}")
    return found


def label(level: Level, key: str, block: str = "") -> str:
    """The default printed label of a field (a free field's own label)."""
    if key.startswith("free:"):
        return key[len("free:") :]
    try:
        return get(level, key, block).printed
    except KeyError:
        return key


def blocks() -> tuple[str, ...]:
    """The names of the row blocks, in registry order."""
    return tuple(dict.fromkeys(f.block for f in FIELDS if f.kind == "rows"))


def order(level: Level, keys: Iterable[str], block: str = "") -> list[str]:
    """``keys`` in registry order (unknown ones last, in the order given)."""
    rank = {f.key: i for i, f in enumerate(at(level, block))}
    return sorted(keys, key=lambda k: rank.get(k, len(rank)))


#: Levels whose keys stand side by side in a file: a project's block holds its own fields and
#: its money columns.
_NAMESPACE: Final[dict[str, str]] = {"budget": "project"}


def _check_registry() -> None:
    """One meaning per spelling and key in each namespace: a clash would make a keyword
    ambiguous."""
    seen: dict[tuple[str, str, str], str] = {}
    keys: set[tuple[str, str, str]] = set()
    for field in FIELDS:
        where = (field.level, field.block, field.key)
        if where in keys:
            raise ValueError(f"field {field.level}.{field.key} is defined twice")
        keys.add(where)
        space = _NAMESPACE.get(field.level, field.level)
        for spelling in field.spellings:
            slot = (space, field.block, spelling.casefold())
            if slot in seen and seen[slot] != field.key:
                raise ValueError(f"{spelling!r} means both {seen[slot]} and {field.key}")
            seen[slot] = field.key


_check_registry()
_INDEX: Final[dict[tuple[str, str, str], FieldDef]] = {
    (f.level, f.block if f.level == "row" else "", f.key): f for f in FIELDS
}

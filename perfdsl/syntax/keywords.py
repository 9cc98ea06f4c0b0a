"""The keywords of the language, in Chinese and in English, mapped to one set of meanings.

The grammar only knows "key: value" lines; this table says what each key means at each level
of the file.  Every meaning has one canonical Chinese spelling, one canonical English spelling
(what the formatter writes for a file in that language) and any number of accepted aliases.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final, NamedTuple


class Keyword(NamedTuple):
    meaning: str  # the field name in the AST
    zh: str  # canonical Chinese spelling
    en: str  # canonical English spelling
    aliases: tuple[str, ...] = ()


def _table(*keywords: Keyword) -> dict[str, Keyword]:
    table: dict[str, Keyword] = {}
    for kw in keywords:
        for spelling in (kw.zh, kw.en, *kw.aliases):
            table[fold(spelling)] = kw
    return table


#: Full-width ASCII (ｂｕｄｇｅｔ, Ｏｕｔｐｕｔ, ＿) and the ideographic space, as a Chinese input
#: method types them, to their ASCII forms.
_FULLWIDTH_ASCII: Final = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=4096)
def fold(key: str) -> str:
    """Compare keys without regard to ASCII case, '-'/'_'/space, or full-width letters.

    Cached: a file repeats the same few dozen keys (描述, 数量指标 …) thousands of times.
    """
    if not key.isascii():  # (the docstring's promise about full-width letters was not kept)
        key = key.translate(_FULLWIDTH_ASCII)
    return key.casefold().replace("_", "-").replace(" ", "-")


HEADER: Final = _table(
    Keyword("unit", "单位", "unit", ("预算单位", "单位名称")),
    Keyword("year", "年度", "year", ("预算年度",)),
    Keyword("money_unit", "金额单位", "money-unit", ("货币单位", "currency")),
    Keyword("framework", "指标体系", "framework"),
    Keyword("layout", "版式", "layout", ("表样",)),
    Keyword("title", "标题", "title"),
)

PROJECT_WORDS: Final = ("项目", "project")

PROJECT: Final = _table(
    Keyword("budget", "预算数", "budget", ("预算", "年度资金总额", "资金总额")),
    Keyword("purpose", "资金用途", "purpose", ("用途",)),
    Keyword("goals", "绩效目标", "goals", ("年度目标", "年度绩效目标", "goal")),
    Keyword("midterm_goals", "中期目标", "midterm-goals", ("实施期目标", "中期绩效目标")),
    Keyword("department", "主管部门", "department"),
    Keyword("implementer", "实施单位", "implementer"),
    Keyword("manager", "项目负责人", "manager", ("负责人",)),
    Keyword("category", "项目类别", "category", ("项目类型",)),
    Keyword("period", "实施期", "period", ("项目起止时间", "项目期限")),
)

FUNDING: Final = _table(
    Keyword("财政资金", "财政资金", "fiscal", ("财政拨款",)),
    Keyword("其他资金", "其他资金", "other"),
    Keyword("上级资金", "上级资金", "transfer", ("上级补助",)),
    Keyword("本级资金", "本级资金", "local"),
    Keyword("自有资金", "自有资金", "own"),
    Keyword("上年结转", "上年结转", "carryover", ("上年结转资金",)),
)

INDICATOR: Final = _table(
    Keyword("value", "指标值", "value", ("年度指标值",)),
    Keyword("description", "描述", "description", ("绩效指标描述", "指标描述")),
    Keyword("weight", "权重", "weight", ("分值",)),
    Keyword("basis", "依据", "basis", ("指标值设定依据", "绩效标准")),
    Keyword("direction", "方向", "direction", ("指标方向",)),
    Keyword("explanation", "解释", "explanation", ("指标解释",)),
    Keyword("remark", "备注", "remark", ("note",)),
    Keyword("midterm", "中期值", "midterm", ("实施期值", "中期指标值")),
)

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
}
CATEGORY_ENGLISH: Final[dict[str, str]] = {zh: en for en, zh in CATEGORY_ALIASES.items()}

DIRECTIONS: Final = ("正向", "反向")


def spelling(kw: Keyword, language: str) -> str:
    return kw.en if language == "en" else kw.zh


def all_spellings(table: dict[str, Keyword]) -> list[str]:
    seen: list[str] = []
    for kw in table.values():
        for s in (kw.zh, kw.en, *kw.aliases):
            if s not in seen:
                seen.append(s)
    return seen


def is_english(key: str) -> bool:
    return key.isascii() or key.translate(_FULLWIDTH_ASCII).isascii()

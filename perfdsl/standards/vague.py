"""The words reviewers reject in a 指标值 because they cannot be measured at year end, each
with the reason it is on the list (``perfdsl explain PD5005`` prints them).

Longer phrases come first so that the message quotes 有效促进, not 有效.  A word that is
part of a measurable value (提高到95%) never matters: the rule reads only qualitative values.
"""

from __future__ import annotations

from typing import Final

#: word → (why, in Chinese; why, in English)
VAGUE: Final[dict[str, tuple[str, str]]] = {
    "有效促进": ("促进到什么程度没有说，年终无法判断是否达到", "promoted how far is not said"),
    "明显提高": ("“明显”没有标准，提高多少没有数", "“noticeably” has no standard, and no figure"),
    "显著提高": (
        "“显著”没有标准，提高多少没有数",
        "“significantly” has no standard, and no figure",
    ),
    "一定程度": ("程度不确定，任何结果都能算达到", "any outcome would count as “to some degree”"),
    "进一步": ("只说方向，不说目标值", "a direction, not a target"),
    "大幅": ("幅度没有数", "by how much is not said"),
    "提高": ("只说方向，不说提高到多少（写成 ≥95% 这样的值）", "a direction, not a level"),
    "提升": ("只说方向，不说提升到多少", "a direction, not a level"),
    "改善": ("只说方向，改善的标准和幅度没有写", "a direction; the standard is not said"),
    "优化": ("只说方向，优化成什么样没有写", "a direction; the result is not said"),
    "完善": ("只说方向，完善的标准没有写", "a direction; the standard is not said"),
    "健全": ("健全的标准没有写（写出应建立的制度数或覆盖率）", "no standard: say how many rules"),
    "促进": ("促进到什么程度没有说", "how far is not said"),
    "加强": ("加强多少没有数", "how much is not said"),
    "增强": ("增强多少没有数", "how much is not said"),
    "持续": ("持续是状态不是目标，年终总能说“在持续”", "a state, not a target: it is always met"),
    "不断": ("不断是过程不是目标", "a process, not a target"),
    "逐步": ("逐步是过程不是目标", "a process, not a target"),
    "稳步": ("稳步是过程不是目标", "a process, not a target"),
    "有力": ("有力没有标准", "“strongly” has no standard"),
    "有效": ("有效的标准没有写（写出比率或次数）", "no standard: give a rate or a count"),
    "及时": ("及时的时限没有写（写成 ≤10个工作日 或 2024年6月底前）", "no deadline: say by when"),
    "到位": ("到位的标准没有写", "no standard for “in place”"),
    "较好": ("“较好”没有标准", "“fairly good” has no standard"),
    "良好": ("“良好”没有标准", "“good” has no standard"),
    "较高": ("“较高”没有标准", "“fairly high” has no standard"),
    "明显": ("“明显”没有标准", "“noticeable” has no standard"),
    "显著": ("“显著”没有标准", "“significant” has no standard"),
    "积极": ("态度不是结果", "an attitude, not a result"),
    "有所": ("有所变化即算达到，等于没有目标", "any change would count"),
}

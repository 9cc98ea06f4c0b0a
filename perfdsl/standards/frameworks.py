"""Indicator frameworks (指标体系) as data: which 一级 exist, which 二级 belong under each.

Two are built in: the 2015 framework of 财预〔2015〕88号 (成本指标 is a 二级 under 产出指标) and
the 2021 framework of 财预〔2021〕101号 (成本指标 is a 一级 of its own).  A unit declares its
local variant in ``perfdsl.toml`` (see :mod:`perfdsl.config`): a base framework, and for any
一级 the full list of its 二级 (renamed or extra ones such as 环境效益指标 or
社会公众或服务对象满意度指标), and which 一级 are required.  No code changes needed.

The value rules need to know what kind of indicator they look at (a satisfaction rate, a cost,
a count, a deadline).  Categories are classified by name, so local names are understood too:
a 二级 whose name contains 满意度 holds satisfaction indicators, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen
class Framework:
    name: str
    title: str
    #: 一级 → its 二级, in the framework's order.
    categories: Mapping[str, tuple[str, ...]]
    #: The 一级 every table must have.
    required: tuple[str, ...]
    #: Names regions print for this framework's own categories (环境效益指标 for
    #: 生态效益指标, Guangdong's 预期产出指标 for 产出指标): name → the framework's name.
    synonyms: Mapping[str, str] = attrs.field(factory=dict)
    #: 二级 also allowed under other 一级 than their own: the 88号-era provincial templates
    #: put 社会公众或服务对象满意度指标 as the last 二级 of 效益指标.
    also_under: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: Every table must carry a cost indicator (an error, not PD3014's warning): Shanghai's
    #: 2025 rules.  (The 2021 framework requires its 成本指标 一级 anyway.)
    cost_required: bool = False

    #: Every 一级 and 二级 name the framework lists itself (computed once).
    _own: frozenset[str] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(
            lambda self: frozenset(self.categories).union(*self.categories.values()),
            takes_self=True,
        ),
    )

    def canonical(self, name: str) -> str:
        """The framework's own name for a category, however the table spells it (a name the
        framework lists itself stays as it is: a local variant may list 环境效益指标)."""
        if name in self._own:
            return name
        return self.synonyms.get(name, name)

    def allows(self, level1: str, level2: str) -> bool:
        """Whether ``level2`` may stand under ``level1`` (both canonical)."""
        return level2 in self.categories.get(level1, ()) or level1 in self.also_under.get(
            level2, ()
        )

    @property
    def level1_names(self) -> tuple[str, ...]:
        return tuple(self.categories)

    def parents_of(self, level2: str) -> tuple[str, ...]:
        """The 一级 under which ``level2`` is allowed (empty if it is unknown)."""
        return tuple(l1 for l1, subs in self.categories.items() if level2 in subs)

    @property
    def level2_names(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for subs in self.categories.values():
            seen.update(dict.fromkeys(subs))
        return tuple(seen)


#: Spellings of the national categories that real regional tables print, accepted by both
#: built-in frameworks (a legitimate template must never yield an error).
COMMON_SYNONYMS: Mapping[str, str] = {
    "预期产出指标": "产出指标",
    "效果指标": "效益指标",
    "预期效果指标": "效益指标",
    "环境效益指标": "生态效益指标",
    "生态环境效益指标": "生态效益指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "服务对象满意度": "服务对象满意度指标",
}
#: Satisfaction as the last 二级 of 效益指标 (Hunan, Hubei and other 88号-era templates).
SATISFACTION_IN_BENEFIT: Mapping[str, tuple[str, ...]] = {"服务对象满意度指标": ("效益指标",)}

FRAMEWORK_2015 = Framework(
    name="2015",
    title="财预〔2015〕88号《中央部门预算绩效目标管理办法》",
    categories={
        "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    required=("产出指标", "效益指标", "满意度指标"),
    # Guangdong's 预算(或投资规模)控制指标 stands where 88号 has 成本指标.
    synonyms={
        **COMMON_SYNONYMS,
        "预算(或投资规模)控制指标": "成本指标",
        "预算（或投资规模）控制指标": "成本指标",
        "预算控制指标": "成本指标",
        "投资规模控制指标": "成本指标",
    },
    also_under=SATISFACTION_IN_BENEFIT,
)

FRAMEWORK_2021 = Framework(
    name="2021",
    title="财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》",
    categories={
        "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
        "产出指标": ("数量指标", "质量指标", "时效指标"),
        # 可持续影响指标 is gone from the 2021 guidance but still used locally; accepting it
        # avoids an error on every table carried over from earlier years.
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    required=("成本指标", "产出指标", "效益指标", "满意度指标"),
    synonyms=COMMON_SYNONYMS,
    also_under=SATISFACTION_IN_BENEFIT,
)

BUILTIN: dict[str, Framework] = {"2015": FRAMEWORK_2015, "2021": FRAMEWORK_2021}
ALIASES = {
    "财预〔2015〕88号": "2015",
    "财预[2015]88号": "2015",
    "财预〔2021〕101号": "2021",
    "财预[2021]101号": "2021",
}
DEFAULT = "2015"


def derive(
    name: str,
    base: Framework,
    categories: Mapping[str, list[str]] | None = None,
    required: list[str] | None = None,
    title: str | None = None,
    synonyms: Mapping[str, str] | None = None,
    cost_required: bool | None = None,
) -> Framework:
    """A local variant: ``base`` with some 一级 redefined or added, and more synonyms."""
    merged = dict(base.categories)
    for level1, subs in (categories or {}).items():
        merged[level1] = tuple(subs)
    return Framework(
        name=name,
        title=title or f"{name}（基于 {base.name}）",
        categories=merged,
        required=tuple(required) if required is not None else base.required,
        synonyms={**base.synonyms, **(synonyms or {})},
        also_under=base.also_under,
        cost_required=base.cost_required if cost_required is None else cost_required,
    )


#: What a framework written as data may say.
SPEC_KEYS = ("base", "title", "required", "categories", "synonyms", "cost_required")


def from_spec(name: str, spec: Mapping[str, object], known: Mapping[str, Framework]) -> Framework:
    """A framework written as data (in a template): ``base`` and what differs from it, or,
    without a base, the whole framework (``categories`` and ``required``).

    Raises ValueError with a message for the user when the spec does not make sense.
    """
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise ValueError(f"unknown keys {', '.join(unknown)} (known: {', '.join(SPEC_KEYS)})")
    synonyms = spec.get("synonyms", {})
    if not isinstance(synonyms, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in synonyms.items()
    ):
        raise ValueError("synonyms must map each name a table prints to the framework's name")
    cost_required = spec.get("cost_required")
    if cost_required is not None and not isinstance(cost_required, bool):
        raise ValueError("cost_required must be true or false")
    categories = spec.get("categories", {})
    if not isinstance(categories, Mapping) or not all(
        isinstance(v, list | tuple) and all(isinstance(x, str) for x in v)
        for v in categories.values()
    ):
        raise ValueError("categories must map each 一级 to a list of its 二级")
    required = spec.get("required")
    if required is not None and not (
        isinstance(required, list | tuple) and all(isinstance(x, str) for x in required)
    ):
        raise ValueError("required must be a list of 一级 names")
    title = spec.get("title")
    base_name = spec.get("base")
    if base_name is None:
        cats = {str(k): tuple(v) for k, v in categories.items()}  # type: ignore[union-attr]
        return Framework(
            name=name,
            title=str(title or name),
            categories=cats,
            required=tuple(required) if required is not None else tuple(cats),
            synonyms=dict(synonyms),
            cost_required=bool(cost_required),
        )
    base = known.get(ALIASES.get(str(base_name), str(base_name)))
    if base is None:
        raise ValueError(f"base = {base_name!r} is not a known framework")
    return derive(
        name,
        base,
        {str(k): list(v) for k, v in categories.items()},  # type: ignore[union-attr]
        list(required) if required is not None else None,
        str(title) if title else None,
        dict(synonyms),
        cost_required,
    )


# --- what kind of indicator is this? -----------------------------------------------------------


def is_satisfaction(level1: str, level2: str) -> bool:
    return "满意度" in level2 or "满意度" in level1


def is_cost(level1: str, level2: str) -> bool:
    return "成本" in level2 or "成本" in level1


def is_quantity(level1: str, level2: str) -> bool:
    return "数量" in level2


def is_timeliness(level1: str, level2: str) -> bool:
    return "时效" in level2

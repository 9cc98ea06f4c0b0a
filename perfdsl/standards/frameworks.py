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

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import attrs

from perfdsl.diagnostics import Msg


@attrs.frozen
class Scores:
    """How a framework's tables are scored, when their indicators carry 分值/权重.

    财预〔2020〕10号 gives 预算执行率 10 points outside the indicator table, so the indicators'
    scores add up to 90 (or to 100 where the table scores everything).  A region's template may
    also fix each 一级's share (``产出指标 = 50`` or a printed range ``"40-50"``); a key joining
    names with ``+`` (``"成本指标+产出指标" = 50``) shares one score between several 一级.
    """

    #: What the indicators' scores may add up to.
    totals: tuple[Decimal, ...] = (Decimal(90), Decimal(100))
    #: 预算执行率's score (None: the template has no such score).
    execution: Decimal | None = Decimal(10)
    #: 一级 (or several joined by ``+``) → the (low, high) score it may carry.
    level1: Mapping[str, tuple[Decimal, Decimal]] = attrs.field(factory=dict)


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
    scores: Scores = Scores()

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
    scores: Scores | None = None,
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
        scores=scores or base.scores,
    )


# --- a framework written as data (perfdsl.toml [frameworks.X], a template's [framework]) -------

#: What a framework written as data may say.
SPEC_KEYS = ("base", "title", "required", "categories", "synonyms", "cost_required", "scores")
SCORE_KEYS = ("total", "execution", "level1")


class SpecError(ValueError):
    """A framework spec that does not make sense; ``key`` is where (``("scores", "total")``)."""

    def __init__(self, key: tuple[str, ...], zh: str, en: str) -> None:
        super().__init__(en)
        self.key = key
        self.message = Msg(zh, en)


@attrs.frozen
class Spec:
    """A framework spec, checked for shape; :meth:`build` makes it a :class:`Framework` once
    the frameworks it may name as its base are known (the configuration's come later)."""

    base: str | None
    title: str | None
    categories: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] | None
    synonyms: Mapping[str, str]
    cost_required: bool | None
    scores: Scores | None

    def build(
        self, name: str, known: Mapping[str, Framework], default_base: str | None = None
    ) -> Framework:
        """The framework; without a base (and no ``default_base``) the spec is the whole of it."""
        base_name = self.base or default_base
        if base_name is None:
            return Framework(
                name=name,
                title=self.title or name,
                categories=dict(self.categories),
                required=self.required if self.required is not None else tuple(self.categories),
                synonyms=dict(self.synonyms),
                cost_required=bool(self.cost_required),
                scores=self.scores or Scores(),
            )
        base = known.get(ALIASES.get(base_name, base_name))
        if base is None:
            raise SpecError(
                ("base",),
                f"base = {base_name!r} 不是已知的指标体系（可用：{'、'.join(known)}）",
                f"base = {base_name!r} is not a known framework (known: {', '.join(known)})",
            )
        return derive(
            name,
            base,
            {k: list(v) for k, v in self.categories.items()},
            list(self.required) if self.required is not None else None,
            self.title,
            self.synonyms,
            self.cost_required,
            self.scores,
        )


def parse_spec(spec: object) -> Spec:
    """Check a spec's shape (every key, every type); raises :class:`SpecError`."""
    if not isinstance(spec, Mapping):
        raise SpecError((), "指标体系应当是表", "a framework must be a table")
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise SpecError(
            (unknown[0],),
            f"未知的键 {', '.join(unknown)}（可用：{', '.join(SPEC_KEYS)}）",
            f"unknown keys {', '.join(unknown)} (known: {', '.join(SPEC_KEYS)})",
        )
    base = spec.get("base")
    if base is not None and not (isinstance(base, str | int) and not isinstance(base, bool)):
        raise SpecError(("base",), "base 应当是指标体系的名称", "base must be a framework's name")
    title = spec.get("title")
    if title is not None and not isinstance(title, str):
        raise SpecError(("title",), "title 应当是字符串", "title must be a string")
    synonyms = spec.get("synonyms", {})
    if not isinstance(synonyms, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in synonyms.items()
    ):
        raise SpecError(
            ("synonyms",),
            "synonyms 应当是表：表上印的名称 = 指标体系里的名称",
            "synonyms must map each name a table prints to the framework's name",
        )
    cost_required = spec.get("cost_required")
    if cost_required is not None and not isinstance(cost_required, bool):
        raise SpecError(
            ("cost_required",),
            "cost_required 应当是 true 或 false",
            "cost_required must be true or false",
        )
    categories = spec.get("categories", {})
    if not isinstance(categories, Mapping):
        raise SpecError(
            ("categories",),
            "categories 应当是表：一级指标 = [它的二级指标]",
            "categories must map each 一级 to a list of its 二级",
        )
    for level1, subs in categories.items():
        if isinstance(subs, str):
            subs = [subs]
        if not (isinstance(subs, list | tuple) and all(isinstance(x, str) for x in subs)):
            raise SpecError(
                ("categories", str(level1)),
                f"categories.{level1} 应当是二级指标名称的列表",
                f"categories.{level1} must be a list of 二级 names",
            )
    required = spec.get("required")
    if isinstance(required, str):
        required = [required]
    if required is not None and not (
        isinstance(required, list | tuple) and all(isinstance(x, str) for x in required)
    ):
        raise SpecError(
            ("required",),
            "required 应当是一级指标名称的列表",
            "required must be a list of 一级 names",
        )
    return Spec(
        base=str(base) if base is not None else None,
        title=title,
        categories={
            str(k): (v,) if isinstance(v, str) else tuple(v) for k, v in categories.items()
        },
        required=tuple(required) if required is not None else None,
        synonyms={str(k): str(v) for k, v in synonyms.items()},
        cost_required=cost_required,
        scores=_scores(spec["scores"]) if "scores" in spec else None,
    )


def from_spec(
    name: str,
    spec: Mapping[str, object],
    known: Mapping[str, Framework],
    default_base: str | None = None,
) -> Framework:
    """A framework written as data: ``base`` and what differs from it, or, without a base, the
    whole framework (``categories`` and ``required``).  Raises :class:`SpecError`."""
    return parse_spec(spec).build(name, known, default_base)


def _number(value: object, key: tuple[str, ...]) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SpecError(key, f"{'.'.join(key)} 应当是分数", f"{'.'.join(key)} must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise SpecError(
            key,
            f"{'.'.join(key)} 应当是分数，而不是 {value!r}",
            f"{'.'.join(key)} must be a number",
        ) from None
    if not number.is_finite() or number < 0:
        raise SpecError(key, f"{'.'.join(key)} 应当是非负的分数", f"{'.'.join(key)} must be >= 0")
    return number


def _range(value: object, key: tuple[str, ...]) -> tuple[Decimal, Decimal]:
    """``50``, ``"40-50"`` or ``[40, 50]``: the scores allowed, as (low, high)."""
    if isinstance(value, str) and re.fullmatch(r"\s*[\d.]+\s*[-~—–至]\s*[\d.]+\s*", value):
        low, high = re.split(r"[-~—–至]", value)
        parts: list[object] = [low, high]
    elif isinstance(value, list | tuple) and len(value) == 2:
        parts = list(value)
    else:
        parts = [value, value]
    low_n, high_n = _number(parts[0], key), _number(parts[1], key)
    if low_n > high_n:
        raise SpecError(key, f"{'.'.join(key)} 的下限大于上限", f"{'.'.join(key)}: low > high")
    return low_n, high_n


def _scores(value: object) -> Scores:
    if not isinstance(value, Mapping):
        raise SpecError(("scores",), "scores 应当是表", "scores must be a table")
    unknown = sorted(set(value) - set(SCORE_KEYS))
    if unknown:
        raise SpecError(
            ("scores", unknown[0]),
            f"scores 里有未知的键 {', '.join(unknown)}（可用：{', '.join(SCORE_KEYS)}）",
            f"scores has unknown keys {', '.join(unknown)} (known: {', '.join(SCORE_KEYS)})",
        )
    total = value.get("total", [90, 100])
    totals = total if isinstance(total, list | tuple) else [total]
    execution = value.get("execution", 10)
    level1 = value.get("level1", {})
    if not isinstance(level1, Mapping):
        raise SpecError(
            ("scores", "level1"),
            'scores.level1 应当是表：一级指标 = 分值（如 50 或 "40-50"）',
            'scores.level1 must map each 一级 to its score (50 or "40-50")',
        )
    return Scores(
        totals=tuple(_number(t, ("scores", "total")) for t in totals),
        execution=None if execution is False else _number(execution, ("scores", "execution")),
        level1={str(k): _range(v, ("scores", "level1", str(k))) for k, v in level1.items()},
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

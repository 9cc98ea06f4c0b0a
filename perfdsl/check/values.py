"""Value rules: is each 指标值 the kind of value its indicator needs?

A rate above 100%; a satisfaction indicator that is not a percentage; a date outside the
budget year (or the project's 实施期); a qualitative value where a number is required (数量,
成本); vague wording the rules discourage; scores (权重/分值) that do not add up to the framework's
total, or split among the 一级 otherwise than its template says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from perfdsl import ast
from perfdsl.check import Context, named, rule
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards.frameworks import Scores, is_cost, is_quantity, is_satisfaction
from perfdsl.standards.vague import VAGUE
from perfdsl.values import (
    Deadline,
    PartialDate,
    Period,
    Quantity,
    Range,
    Text,
    Value,
    format_decimal,
)

_RATE_WORDS = ("率", "满意度", "比例", "比重", "占比", "覆盖面")
_GROWTH_WORDS = ("增长", "增幅", "增速", "提高率", "提升率")


def _percent(value: Value | None) -> Decimal | None:
    """The largest percentage a value states, or None if it is not a percentage."""
    if isinstance(value, Quantity) and value.is_percentage:
        return value.number
    if isinstance(value, Range) and value.is_percentage:
        return value.high.number
    return None


@rule("percent-over-100", C.PERCENT_OVER_100)
def percent_over_100(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        percent = _percent(ind.value)
        if (
            percent is None
            or percent <= 100
            or (isinstance(ind.value, Quantity) and ind.value.unit == "‰")
        ):
            continue
        is_rate = is_satisfaction(l1.name, l2.name) or any(w in ind.name for w in _RATE_WORDS)
        if not is_rate or any(w in ind.name for w in _GROWTH_WORDS):
            continue
        yield C.PERCENT_OVER_100.at(
            ind.value_span,
            Msg(
                f"{named(ind.name)} 是比率，不可能是 {ind.value.text}",  # type: ignore[union-attr]
                f"{named(ind.name, 'en')} is a rate and cannot be {ind.value.text}",  # type: ignore[union-attr]
            ),
            help=Msg("比率最高 100%，如 `≥95%`", "a rate is at most 100%, such as `≥95%`"),
        )


@rule("satisfaction-not-percent", C.SATISFACTION_NOT_PERCENT)
def satisfaction_not_percent(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        if ind.value is None or not (is_satisfaction(l1.name, l2.name) or "满意度" in ind.name):
            continue
        if _percent(ind.value) is not None:
            continue
        yield C.SATISFACTION_NOT_PERCENT.at(
            ind.value_span,
            Msg(
                f"满意度指标 {named(ind.name)} 应当是百分比，而不是 `{ind.value.text}`",
                f"satisfaction indicator {named(ind.name, 'en')} should be a percentage, not `{ind.value.text}`",
            ),
            help=Msg("写成百分比，如 `≥90%`", "write a percentage, such as `≥90%`"),
        )


def _window(ctx: Context, project: ast.Project) -> tuple[PartialDate, PartialDate, Msg] | None:
    """The time a project's dates must fall in: its 实施期 if written, else the budget year."""
    written = project.get("period")
    if isinstance(written, ast.Typed):
        period = written.value
        if isinstance(period, Period):
            return (
                period.start,
                period.end,
                Msg(f"实施期（{period.text}）", f"project period {period.text}"),
            )
    if ctx.year is None:
        return None
    year = PartialDate(ctx.year)
    return year, year, Msg(f"{ctx.year}预算年度", f"{ctx.year} budget year")


def _earliest(date: PartialDate) -> tuple[int, int, int]:
    return (date.year or 0, date.month or 1, date.day or 1)


def _latest(date: PartialDate) -> tuple[int, int, int]:
    return (date.year or 9999, date.month or 12, date.day or 31)


def _outside(date: PartialDate, start: PartialDate, end: PartialDate) -> bool:
    """Whether a (possibly partial) date lies wholly before ``start`` or after ``end``."""
    if date.year is None:
        return False  # 年底前: the end of the budget year itself
    return _latest(date) < _earliest(start) or _earliest(date) > _latest(end)


@rule("date-outside-year", C.DATE_OUTSIDE_YEAR)
def date_outside_year(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        window = _window(ctx, project)
        if window is None:
            continue
        start, end, label = window
        for _l1, _l2, ind in ctx.rows_of(project):
            value = ind.value
            if isinstance(value, Deadline):
                dates = [value.date]
            elif isinstance(value, Period):
                dates = [value.start, value.end]
            else:
                continue
            if not any(_outside(d, start, end) for d in dates):
                continue
            yield C.DATE_OUTSIDE_YEAR.at(
                ind.value_span,
                Msg(
                    f"{named(ind.name)} 的时间 {value.text} 不在{label.zh}内",
                    f"{named(ind.name, 'en')} says {value.text}, outside the {label.en}",
                ),
                help=Msg(
                    "如果是沿用上一年的表，请改成本年度的时间",
                    "if this was carried over from last year's table, use this year's dates",
                ),
            )


@rule("qualitative-quantity", C.QUALITATIVE_QUANTITY)
def qualitative_quantity(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        if not isinstance(ind.value, Text) or not ind.value.text.strip():
            continue
        if not (is_quantity(l1.name, l2.name) or is_cost(l1.name, l2.name)):
            continue
        kind = "成本" if is_cost(l1.name, l2.name) else "数量"
        example = "≤80万元" if kind == "成本" else "≥400次"
        yield C.QUALITATIVE_QUANTITY.at(
            ind.value_span,
            Msg(
                f"{kind}指标 {named(ind.name)} 必须是带单位的数字，而不是 `{ind.value.text}`",
                f"the {'cost' if kind == '成本' else 'quantity'} indicator {named(ind.name, 'en')} needs a "
                f"number with a unit, not `{ind.value.text}`",
            ),
            help=Msg(
                f"写成可计量的数字，如 `{example}`",
                f"write a measurable number, such as `{example}`",
            ),
        )


#: Words the performance-target rules call out as unmeasurable (the data, with the reason
#: for each, is perfdsl.standards.vague).
VAGUE_WORDS = tuple(VAGUE)
_VAGUE = re.compile("|".join(VAGUE_WORDS))


@rule("vague-wording", C.VAGUE_WORDING)
def vague_wording(ctx: Context) -> Iterator[Diagnostic]:
    for _project, _l1, _l2, ind in ctx.indicators():
        if not isinstance(ind.value, Text):
            continue
        found = _VAGUE.search(ind.value.text)
        if found is None:
            continue
        yield C.VAGUE_WORDING.at(
            ind.value_span,
            Msg(
                f"{named(ind.name)} 的指标值“{ind.value.text}”用了笼统的“{found.group(0)}”，年终无法衡量",
                f"{named(ind.name, 'en')}: “{ind.value.text}” uses the vague “{found.group(0)}”, which cannot "
                "be measured at year end",
            ),
            help=Msg(
                "能量化就写数字（比率、次数、满意度）；确需定性的，加 `# perfdsl: ignore[vague-wording]`",
                "write a number where one exists; for a deliberate qualitative value add "
                "`# perfdsl: ignore[vague-wording]`",
            ),
            notes=(Msg(*VAGUE[found.group(0)]),),
        )


def _score_text(low: Decimal, high: Decimal) -> str:
    """A score as a table prints it: ``30``, or a range ``40-50``."""
    return format_decimal(low) if low == high else f"{format_decimal(low)}-{format_decimal(high)}"


def _totals(scores: Scores, lang: str) -> str:
    return (" 或 " if lang == "zh" else " or ").join(format_decimal(t) for t in scores.totals)


def _split_help(scores: Scores) -> Msg:
    """What the framework says the scores are: ``产出指标 50、效益指标 30 …，另 10 分为预算执行率``."""
    shares = [(key, _score_text(lo, hi)) for key, (lo, hi) in scores.level1.items()]
    zh = "、".join(f"{k} {v}" for k, v in shares)
    en = ", ".join(f"`{k}` {v}" for k, v in shares)
    if scores.execution is not None:
        ex = format_decimal(scores.execution)
        zh += ("，" if zh else "") + f"另 {ex} 分为预算执行率"
        en += ("; " if en else "") + f"{ex} more for budget execution"
    totals = _totals(scores, "zh"), _totals(scores, "en")
    return Msg(
        f"指标分值合计 {totals[0]}（{zh}）", f"the indicators' scores add up to {totals[1]} ({en})"
    )


@rule("weights-sum", C.WEIGHTS_SUM)
def weights_sum(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        weighted = [ind for _l1, _l2, ind in ctx.rows_of(project) if ind.get("weight") is not None]
        if not weighted:
            continue
        framework = ctx.framework_of(project)
        scores = framework.scores if framework is not None else Scores()
        total = sum((ind.weight_number or Decimal(0) for ind in weighted), Decimal(0))
        unweighted = [ind for _l1, _l2, ind in ctx.rows_of(project) if ind.get("weight") is None]
        if total in scores.totals and not unweighted:
            continue
        notes: tuple[Msg, ...] = ()
        if unweighted:
            names = "、".join(ind.name for ind in unweighted[:5])
            more = "等" if len(unweighted) > 5 else ""
            notes = (
                Msg(
                    f"{len(unweighted)} 个指标没有写权重：{names}{more}",
                    f"{len(unweighted)} indicators have no weight: {names}",
                ),
            )
        yield C.WEIGHTS_SUM.at(
            project.span,
            Msg(
                f"项目“{project.name}”的权重合计为 {format_decimal(total)}，"
                f"不是 {_totals(scores, 'zh')}",
                f"the weights of project “{project.name}” sum to "
                f"{format_decimal(total)}, not {_totals(scores, 'en')}",
            ),
            help=_split_help(scores),
            notes=notes,
        )


@rule("score-split", C.SCORE_SPLIT)
def score_split(ctx: Context) -> Iterator[Diagnostic]:
    """Each 一级's score (stated, or its indicators' sum) against the template's share, and a
    stated 预算执行率分值 against the template's."""
    for project in ctx.document.projects:
        framework = ctx.framework_of(project)
        if framework is None:
            continue
        scores = framework.scores
        execution = project.fields.get("budget_execution_score")
        if (
            scores.execution is not None
            and isinstance(execution, ast.Number)
            and execution.number != scores.execution
        ):
            yield C.SCORE_SPLIT.at(
                execution.span,
                Msg(
                    f"预算执行率的分值是 {execution.text}，模板规定 {format_decimal(scores.execution)}",
                    f"budget execution scores {execution.text}; the template says "
                    f"{format_decimal(scores.execution)}",
                ),
                help=_split_help(scores),
            )
        if not scores.level1:
            continue
        by_name: dict[str, list[ast.Level1]] = {}
        for l1 in project.indicators:
            by_name.setdefault(framework.canonical(l1.name), []).append(l1)
        for key, (low, high) in scores.level1.items():
            blocks = [b for name in key.split("+") for b in by_name.get(name.strip(), [])]
            if not blocks:
                continue  # (a missing 一级 is missing-level1's finding)
            got = _level1_score(blocks)
            if got is None or (low <= got[0] and got[1] <= high):
                continue
            shown, wanted = _score_text(*got), _score_text(low, high)
            yield C.SCORE_SPLIT.at(
                blocks[0].span,
                Msg(
                    f"`{key}` 的分值是 {shown}，模板规定 {wanted}",
                    f"`{key}` scores {shown}; the template says {wanted}",
                ),
                help=_split_help(scores),
            )


def _level1_score(blocks: list[ast.Level1]) -> tuple[Decimal, Decimal] | None:
    """The score of some 一级: each one's stated 分值, else the sum of its indicators' scores
    (None when one of them has neither: nothing to compare)."""
    low = high = Decimal(0)
    for block in blocks:
        bounds = _score_bounds(block.fields.get("score"))
        if bounds is None:
            total = _weights_of([ind for l2 in block.blocks for ind in l2.indicators])
            if total is None:
                return None
            bounds = (total, total)
        low, high = low + bounds[0], high + bounds[1]
    return low, high


_SCORE = re.compile(r"(\d+(?:\.\d+)?)(?:\s*[-~—–至]\s*(\d+(?:\.\d+)?))?")


def _score_bounds(value: ast.FieldValue | None) -> tuple[Decimal, Decimal] | None:
    """A category's score as (low, high): ``30`` → (30, 30), ``(40-50)分`` → (40, 50)."""
    if isinstance(value, ast.Number):
        return value.number, value.number
    if isinstance(value, ast.Typed):
        if isinstance(value.value, Quantity):
            return value.value.number, value.value.number
        if isinstance(value.value, Range):
            return value.value.low.number, value.value.high.number
        text = value.value.text
    else:
        text = value.value if isinstance(value, ast.Located) else ""
    found = _SCORE.search(text)
    if found is None:
        return None
    low = Decimal(found.group(1))
    return low, Decimal(found.group(2)) if found.group(2) else low


def _weights_of(indicators: list[ast.Indicator]) -> Decimal | None:
    """The sum of the scores, when every indicator has one (else None: nothing to compare)."""
    numbers = [ind.weight_number for ind in indicators]
    if not numbers or any(n is None for n in numbers):
        return None
    return sum(numbers, Decimal(0))  # type: ignore[arg-type]


def _rollup(
    name: str, span: ast.Span, bounds: tuple[Decimal, Decimal], total: Decimal
) -> Diagnostic:
    low, high = bounds
    stated = _score_text(low, high)
    return C.SCORE_ROLLUP.at(
        span,
        Msg(
            f"`{name}` 的分值是 {stated}，下面各指标的分值合计 {format_decimal(total)}",
            f"`{name}` scores {stated} but its indicators' scores add up to {format_decimal(total)}",
        ),
        help=Msg("核对各指标的分值", "check the indicators' scores"),
    )


@rule("score-rollup", C.SCORE_ROLLUP)
def score_rollup(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        every: list[ast.Indicator] = []
        for l1 in project.indicators:
            under = [ind for l2 in l1.blocks for ind in l2.indicators]
            every += under
            for block, indicators in (
                (l1, under),
                *((l2, list(l2.indicators)) for l2 in l1.blocks),
            ):
                bounds = _score_bounds(block.fields.get("score"))
                total = _weights_of(indicators)
                if bounds is None or total is None or bounds[0] <= total <= bounds[1]:
                    continue
                yield _rollup(block.name, block.span, bounds, total)
        bounds = _score_bounds(project.fields.get("indicator_score"))
        total = _weights_of(every)
        if bounds is not None and total is not None and not bounds[0] <= total <= bounds[1]:
            yield _rollup("绩效指标分值", project.span, bounds, total)

"""Year over year (``check --baseline``): this year's tables against last year's file.

What a reviewer looks for when a unit hands in next year's targets: a target set lower than
last year's (a floor lowered, a ceiling raised), a table copied from last year without being
updated (复制上年: the same goals word for word, or a date still in last year), and an
indicator last year's table had that this year's dropped.  Each is a note: a target may be
lowered for a reason (less money, a finished phase); the note puts last year's value beside
this year's so the reviewer can ask.

Projects are paired across the years by name, allowing for the year in it and small edits
(:mod:`perfdsl.diff.match`); indicators by 二级 and name, then by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import attrs

from perfdsl import ast
from perfdsl.check import Context, rule
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards.frameworks import Framework, is_cost
from perfdsl.values import (
    Deadline,
    Period,
    Quantity,
    convert_money,
    format_decimal,
    money_unit,
)


@attrs.frozen
class _Row:
    l1: str  # canonical 一级 and 二级
    l2: str
    indicator: ast.Indicator


@attrs.frozen
class _Pair:
    """One project in both years, and its indicators paired."""

    old: ast.Project
    new: ast.Project
    rows: tuple[tuple[_Row, _Row], ...]
    dropped: tuple[_Row, ...]


def _rows(project: ast.Project, framework: Framework | None) -> list[_Row]:
    canon = framework.canonical if framework is not None else (lambda n: n)
    return [
        _Row(canon(l1.name), canon(l2.name), ind)
        for l1, l2, ind in project.iter_indicators()
        if ind.name.strip()
    ]


def _pair_rows(old: list[_Row], new: list[_Row]) -> tuple[list[tuple[_Row, _Row]], list[_Row]]:
    """Indicators paired by 二级 and name first, then by name wherever they stand."""
    from perfdsl.diff.match import pair_names  # (only with --baseline: not on every check)

    pairs = pair_names(
        [f"{r.l2}\x00{r.indicator.name}" for r in old],
        [f"{r.l2}\x00{r.indicator.name}" for r in new],
    )
    old_left = [o for o in range(len(old)) if o not in {p[0] for p in pairs}]
    new_left = [n for n in range(len(new)) if n not in {p[1] for p in pairs}]
    moved = pair_names(
        [old[o].indicator.name for o in old_left], [new[n].indicator.name for n in new_left]
    )
    pairs += [(old_left[o], new_left[n]) for o, n in moved]
    matched = {o for o, _ in pairs}
    ordered = sorted(pairs, key=lambda p: p[1])
    return [(old[o], new[n]) for o, n in ordered], [
        r for i, r in enumerate(old) if i not in matched
    ]


def _at(span: ast.Span, fallback: ast.Span) -> ast.Span:
    return span if span != ast.NO_SPAN else fallback


def _pairs(ctx: Context) -> list[_Pair]:
    """The projects of both years, paired once per run (three rules read them)."""
    if ctx.baseline is None:
        return []
    cached = ctx.memo.get("yearly")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    before = ctx.baseline.document.projects
    now = ctx.document.projects
    from perfdsl.diff.match import pair_names  # (only with --baseline: not on every check)

    found = []
    for o, n in pair_names([p.name for p in before], [p.name for p in now]):
        framework = ctx.framework_of(now[n])
        rows, dropped = _pair_rows(_rows(before[o], framework), _rows(now[n], framework))
        found.append(_Pair(before[o], now[n], tuple(rows), tuple(dropped)))
    ctx.memo["yearly"] = found
    return found


def _last_year(ctx: Context) -> Msg:
    assert ctx.baseline is not None
    label = ctx.baseline.label
    return Msg(f"上年：{label}", f"last year: {label}")


# --- a target lowered --------------------------------------------------------------------------

_FLOOR_SUFFIX = ("以上", "及以上")
_CEILING_SUFFIX = ("以下", "及以下", "以内")


def _bound(q: Quantity, row: _Row) -> str:
    """Whether a value is a floor (more is better) or a ceiling (less is better)."""
    if q.op in ("≥", ">") or q.suffix in _FLOOR_SUFFIX:
        return "floor"
    if q.op in ("≤", "<") or q.suffix in _CEILING_SUFFIX:
        return "ceiling"
    direction = row.indicator.fields.text("direction")
    if direction == "反向":
        return "ceiling"
    if direction == "正向":
        return "floor"
    return "ceiling" if is_cost(row.l1, row.l2) or q.money_unit else "floor"


def _comparable(old: Quantity, new: Quantity) -> Decimal | None:
    """``new``'s number in ``old``'s unit, or None when the two are not the same measure
    (money converts exactly, per unit too: ``≤450元/件`` against ``≤0.05万元/件``)."""
    if old.unit == new.unit:
        return new.number
    old_top, _, old_per = old.unit.partition("/")
    new_top, _, new_per = new.unit.partition("/")
    old_money, new_money = money_unit(old_top), money_unit(new_top)
    if old_money and new_money and old_per == new_per:
        return convert_money(new.number, new_money, old_money)
    return None


def _budgets(pair: _Pair, ctx: Context) -> tuple[Decimal, Decimal, str] | None:
    """Last year's and this year's budget in this file's unit, when both are stated."""
    assert ctx.baseline is not None
    old, new = pair.old.budget, pair.new.budget
    if old is None or new is None:
        return None
    unit = ctx.document.header.unit
    try:
        before = convert_money(
            old.total.amount, old.total.unit or ctx.baseline.document.header.unit, unit
        )
        now = convert_money(new.total.amount, new.total.unit or unit, unit)
    except KeyError:  # (a unit that is not money: money-unit's finding)
        return None
    return before, now, unit


def _follows_budget(
    a: Quantity, number: Decimal, budgets: tuple[Decimal, Decimal, str] | None
) -> bool:
    """A cost ceiling in money that grew no faster than the budget: it is the budget, and
    more money is not a looser target."""
    if budgets is None or a.money_unit is None or a.number <= 0:
        return False
    before, now, _unit = budgets
    return before > 0 and number / a.number <= now / before


def _budget_note(budgets: tuple[Decimal, Decimal, str] | None) -> tuple[Msg, ...]:
    """Last year's and this year's budget, when it changed: a lowered target may follow."""
    if budgets is None or budgets[0] == budgets[1]:
        return ()
    before, now = (f"{format_decimal(b)}{budgets[2]}" for b in budgets[:2])
    return (Msg(f"预算也从 {before} 变为 {now}", f"the budget went from {before} to {now}"),)


@rule("target-lowered", C.TARGET_LOWERED)
def target_lowered(ctx: Context) -> Iterator[Diagnostic]:
    for pair in _pairs(ctx):
        for old, new in pair.rows:
            a, b = old.indicator.value, new.indicator.value
            if not isinstance(a, Quantity) or not isinstance(b, Quantity):
                continue
            kind = _bound(b, new)
            if _bound(a, old) != kind:
                continue  # a floor became a ceiling: a different target, not a lower one
            number = _comparable(a, b)
            if number is None or number == a.number:
                continue
            if (kind == "floor") != (number < a.number):
                continue
            budgets = _budgets(pair, ctx)
            if kind == "ceiling" and _follows_budget(a, number, budgets):
                continue
            zh = "低于" if kind == "floor" else "放宽了"
            en = "is lower than" if kind == "floor" else "is looser than"
            name = new.indicator.name
            yield C.TARGET_LOWERED.at(
                _at(new.indicator.value_span, new.indicator.span),
                Msg(
                    f"指标“{name}”的目标 {b.text} {zh}上年的 {a.text}",
                    f"the target of “{name}”, {b.text}, {en} last year's {a.text}",
                ),
                notes=(_last_year(ctx), *_budget_note(budgets)),
                help=Msg(
                    "目标确需调低的，在备注或指标解释里写明原因",
                    "if the target really is lower, say why in a remark or the explanation",
                ),
            )


# --- copied from last year ---------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|\s*[.\-/]\s*\d)")


def _stale_years(text: str, year: int) -> list[int]:
    """The years a text names that are before ``year``, unless it names ``year`` or later too
    (``2024年结转资金于2025年6月底前支付`` is about this year)."""
    years = [int(y) for y in _YEAR.findall(text)]
    if not years or max(years) >= year:
        return []
    return years


@rule("copied-from-baseline", C.COPIED_FROM_BASELINE)
def copied_from_baseline(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.baseline is None:
        return
    year, before = ctx.year, ctx.baseline.document.header.year_number
    if year is None or before is None or before >= year:
        return  # (the same year's earlier version: changes, not a copy, are what it shows)
    for pair in _pairs(ctx):
        old, new = pair.old, pair.new
        if old.goals and old.goals == new.goals and old.indicators == new.indicators:
            yield C.COPIED_FROM_BASELINE.at(
                _at(new.name_span, new.span),
                Msg(
                    f"项目“{new.name}”的绩效目标和全部指标与上年一字不差",
                    f"project “{new.name}” has last year's goals and indicators word for word",
                ),
                notes=(_last_year(ctx),),
                help=Msg(
                    "按今年的任务和预算重新确定目标和指标值",
                    "set this year's goals and values from this year's work and budget",
                ),
            )
            continue
        if old.goals and old.goals == new.goals:
            yield C.COPIED_FROM_BASELINE.at(
                _at(new.goals_span, new.span),
                Msg(
                    f"项目“{new.name}”的绩效目标与上年一字不差",
                    f"project “{new.name}” has last year's goals word for word",
                ),
                notes=(_last_year(ctx),),
                help=Msg("写今年要完成的目标", "write what this year is to achieve"),
            )
        for a, b in pair.rows:
            value = b.indicator.value
            # A date before the budget year is date-out-of-year's finding already.
            dated = isinstance(value, Deadline | Period)
            text = b.indicator.name + ("" if dated or value is None else f" {value.text}")
            if a.indicator != b.indicator or not _stale_years(text, year):
                continue
            stale = "、".join(str(y) for y in sorted(set(_stale_years(text, year))))
            yield C.COPIED_FROM_BASELINE.at(
                _at(b.indicator.value_span, b.indicator.span),
                Msg(
                    f"指标“{b.indicator.name}”照抄了上年：还写着 {stale} 年",
                    f"“{b.indicator.name}” is last year's row unchanged: it still says {stale}",
                ),
                notes=(_last_year(ctx),),
                help=Msg(f"改成 {year} 年的目标", f"make it {year}'s target"),
            )


# --- an indicator dropped ----------------------------------------------------------------------


@rule("indicator-dropped", C.INDICATOR_DROPPED)
def indicator_dropped(ctx: Context) -> Iterator[Diagnostic]:
    for pair in _pairs(ctx):
        if not pair.dropped or not pair.rows:
            continue  # (nothing in common: a different table under an old name)
        shown = pair.dropped[:8]
        names = "、".join(f"“{r.indicator.name}”" for r in shown)
        more = f"等 {len(pair.dropped)} 个" if len(pair.dropped) > len(shown) else ""
        yield C.INDICATOR_DROPPED.at(
            _at(pair.new.name_span, pair.new.span),
            Msg(
                f"项目“{pair.new.name}”去掉了上年的指标 {names}{more}",
                f"project “{pair.new.name}” dropped last year's indicators {names}",
            ),
            notes=(
                _last_year(ctx),
                *(
                    Msg(
                        f"上年 {r.l1} / {r.l2} / {r.indicator.name}: {_text(r)}",
                        f"last year {r.l1} / {r.l2} / {r.indicator.name}: {_text(r)}",
                    )
                    for r in shown
                ),
            ),
            help=Msg(
                "去掉的指标若仍是项目的产出或效益，请保留；确实不再适用的，可以忽略这条提示",
                "keep an indicator that still measures the project; ignore this if it no "
                "longer applies",
            ),
        )


def _text(row: _Row) -> str:
    value = row.indicator.value
    return value.text if value is not None else ""

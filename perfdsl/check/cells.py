"""What a reviewer sends back after reading the cells: a number with no unit, a unit nobody
uses, an Excel date serial, the form's own instructions left in a cell, a cost that is not a
ceiling, a unit column that contradicts the value, a period that reads as no date, a
satisfaction indicator filed elsewhere, a table without any cost indicator, an empty
主管部门, and (a note) a quantity the goals promise that no indicator carries.

Severities follow the reviewer: these are warnings (a note for the goals), because a false
error blocks a legitimate build; PD3014 is an error only where the framework requires a cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from perfdsl import ast
from perfdsl.check import Context, named, rule
from perfdsl.check.structure import texts_of
from perfdsl.diagnostics import Diagnostic, Msg, Severity
from perfdsl.diagnostics import codes as C
from perfdsl.standards.frameworks import is_cost, is_satisfaction, is_timeliness
from perfdsl.values import Quantity, Range, Text, Value, format_decimal

# --- numbers and units -------------------------------------------------------------------------

#: Latin unit symbols in common use in the tables; any other Latin unit is PD5008.
KNOWN_LATIN_UNITS = frozenset(
    [
        "km",
        "m",
        "cm",
        "mm",
        "dm",
        "m2",
        "m3",
        "m²",
        "m³",
        "km2",
        "km²",
        "kg",
        "g",
        "mg",
        "t",
        "kt",
        "kw",
        "kW",
        "kwh",
        "kWh",
        "KWh",
        "MW",
        "MWh",
        "GW",
        "GWh",
        "V",
        "kV",
        "A",
        "mA",
        "Hz",
        "MHz",
        "GHz",
        "dB",
        "L",
        "l",
        "ml",
        "mL",
        "GB",
        "TB",
        "MB",
        "KB",
        "Mb",
        "Mbps",
        "Gbps",
        "h",
        "min",
        "s",
        "ha",
        "pH",
        "ppm",
        "cd",
        "lx",
    ]
)
_LATIN = re.compile(r"[A-Za-z]")
#: An Excel date serial: a day count from 1899-12-30, 30000 (1982) to 60000 (2064).
_SERIAL = (30000, 60000)


def _measure(ind: ast.Indicator) -> str:
    measure = ind.get("measure")
    return measure.value.strip() if isinstance(measure, ast.Located) else ""


def _quantities(value: Value | None) -> list[Quantity]:
    if isinstance(value, Quantity):
        return [value]
    if isinstance(value, Range):
        return [value.low, value.high]
    return []


def _excel_date(value: Value | None) -> date | None:
    if (
        isinstance(value, Quantity)
        and not value.unit
        and value.number == value.number.to_integral_value()
        and _SERIAL[0] <= value.number <= _SERIAL[1]
    ):
        return date(1899, 12, 30) + timedelta(days=int(value.number))
    return None


@rule("excel-date", C.EXCEL_DATE)
def excel_dates(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        if not is_timeliness(l1.name, l2.name):
            continue
        day = _excel_date(ind.value)
        if day is None:
            continue
        shown = f"{day.year}年{day.month}月{day.day}日"
        yield C.EXCEL_DATE.at(
            ind.value_span,
            Msg(
                f"{named(ind.name)} 的值 {ind.value.text} 像是 Excel 的日期序号（即 {shown}）",  # type: ignore[union-attr]
                f"{named(ind.name, 'en')}: {ind.value.text} looks like an Excel date serial "  # type: ignore[union-attr]
                f"({day.isoformat()})",
            ),
            help=Msg(f"写成日期，如 `{shown}前`", f"write the date, such as `{shown}前`"),
        )


@rule("number-without-unit", C.NUMBER_WITHOUT_UNIT)
def numbers_without_unit(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        value = ind.value
        if not isinstance(value, Quantity) or value.unit or value.suffix or _measure(ind):
            continue
        if is_timeliness(l1.name, l2.name) and _excel_date(value) is not None:
            continue  # (PD5009 says what it is)
        yield C.NUMBER_WITHOUT_UNIT.at(
            ind.value_span,
            Msg(
                f"{named(ind.name)} 的值 `{value.text}` 没有单位",
                f"{named(ind.name, 'en')}: `{value.text}` has no unit",
            ),
            help=Msg(
                f"写上单位，如 `{value.text}个`、`{value.text}%`",
                f"write its unit, such as `{value.text}个` or `{value.text}%`",
            ),
        )


@rule("odd-unit", C.ODD_UNIT)
def odd_units(ctx: Context) -> Iterator[Diagnostic]:
    for _project, _l1, _l2, ind in ctx.indicators():
        for quantity in _quantities(ind.value):
            unit = quantity.unit
            if not unit or not _LATIN.search(unit):
                continue
            if all(
                part in KNOWN_LATIN_UNITS or not _LATIN.search(part) for part in unit.split("/")
            ):
                continue
            hint = "；`M` 多半是想写“米”（m）" if unit.rstrip("/").upper() == "M" else ""
            yield C.ODD_UNIT.at(
                ind.value_span,
                Msg(
                    f"{named(ind.name)} 的单位 `{unit}` 不是常见的计量单位{hint}",
                    f"{named(ind.name, 'en')}: `{unit}` is not a common unit",
                ),
                help=Msg(
                    "写成中文单位（米、千克、吨）或标准符号（m、kg、t）",
                    "write the Chinese unit (米, 千克, 吨) or the standard symbol (m, kg, t)",
                ),
            )
            break


@rule("unit-contradicts", C.UNIT_CONTRADICTS)
def units_contradict(ctx: Context) -> Iterator[Diagnostic]:
    for _project, _l1, _l2, ind in ctx.indicators():
        measure = _measure(ind)
        units = {q.unit for q in _quantities(ind.value) if q.unit}
        if not measure or not units or measure in units:
            continue
        unit = sorted(units)[0]
        yield C.UNIT_CONTRADICTS.at(
            ind.value_span,
            Msg(
                f"{named(ind.name)} 的计量单位是“{measure}”，指标值却写的是 {ind.value.text}",  # type: ignore[union-attr]
                f"{named(ind.name, 'en')}: the unit column says {measure} but the value is "
                f"{ind.value.text}",  # type: ignore[union-attr]
            ),
            help=Msg(
                f"统一成一个单位：指标值只写数字，或把计量单位改成“{unit}”",
                f"make them agree: a bare number in the value, or {unit} in the unit column",
            ),
        )


# --- time --------------------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"\d{4,}\s*[-~—–至到]\s*\d{4,}|\d{5,}")


@rule("unreadable-period", C.UNREADABLE_PERIOD)
def unreadable_periods(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        value = ind.value
        if not is_timeliness(l1.name, l2.name) or not isinstance(value, Text):
            continue
        found = _DIGIT_RUN.search(value.text.replace(".", ""))
        if found is None:
            continue
        yield C.UNREADABLE_PERIOD.at(
            ind.value_span,
            Msg(
                f"{named(ind.name)} 的时间 `{value.text}` 读不出年月",
                f"{named(ind.name, 'en')}: `{value.text}` reads as no date",
            ),
            help=Msg(
                "写成 `2024年6月-2025年6月`、`2024.06-2025.06` 或 `2024年底前`",
                "write `2024年6月-2025年6月`, `2024.06-2025.06` or `2024年底前`",
            ),
        )


# --- costs -------------------------------------------------------------------------------------


@rule("cost-not-ceiling", C.COST_NOT_CEILING)
def costs_not_ceilings(ctx: Context) -> Iterator[Diagnostic]:
    for _project, l1, l2, ind in ctx.indicators():
        value = ind.value
        if not is_cost(l1.name, l2.name) or not isinstance(value, Quantity):
            continue
        if value.money_unit is None or value.op not in ("=", "≥", ">") or value.suffix:
            continue
        ceiling = f"≤{format_decimal(value.number)}{value.unit}"
        yield C.COST_NOT_CEILING.at(
            ind.value_span,
            Msg(
                f"成本指标 {named(ind.name)} 写成了 `{value.text}`，成本应当是上限",
                f"the cost indicator {named(ind.name, 'en')} is written `{value.text}`; a cost "
                "is a ceiling",
            ),
            help=Msg(f"写成 `{ceiling}`", f"write `{ceiling}`"),
        )


def _money_valued(value: Value | None) -> bool:
    return any(q.money_unit is not None for q in _quantities(value))


@rule("missing-cost", C.MISSING_COST)
def missing_costs(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        framework = ctx.framework_of(project)
        if framework is None or not project.indicators:
            continue
        names = set(framework.categories) | set(framework.level2_names)
        if not any(is_cost(n, n) for n in names) and not framework.cost_required:
            continue  # (a framework without any cost category: the region's own design)
        if any(
            is_cost(framework.canonical(l1.name), framework.canonical(l2.name))
            or _money_valued(ind.value)
            for l1, l2, ind in ctx.rows_of(project)
        ):
            continue  # (a cost category, or any indicator whose value is an amount)
        if "成本指标" in framework.required:
            continue  # (PD3005 already says 成本指标 is missing)
        yield C.MISSING_COST.at(
            project.span,
            Msg(
                f"项目“{project.name}”没有成本指标",
                f"project “{project.name}” has no cost indicator",
            ),
            help=Msg(
                "在产出指标下加成本指标，写出预算的主要用途和上限（如 `设备购置成本: ≤20万元`）",
                "add a cost indicator with the main spending and its ceiling (`设备购置成本: ≤20万元`)",
            ),
            severity=Severity.ERROR if framework.cost_required else None,
        )


# --- categories ----------------------------------------------------------------------------------


@rule("satisfaction-misfiled", C.SATISFACTION_MISFILED)
def satisfaction_misfiled(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        framework = ctx.framework_of(project)
        if framework is None:
            continue
        home = [n for n in framework.level2_names if is_satisfaction(n, n)]
        if not home:
            continue
        for l1, l2, ind in ctx.rows_of(project):
            if "满意" not in ind.name or is_satisfaction(l1.name, l2.name):
                continue
            yield C.SATISFACTION_MISFILED.at(
                ind.span,
                Msg(
                    f"{named(ind.name)} 是满意度指标，却放在 `{l2.name}` 下",
                    f"{named(ind.name, 'en')} is a satisfaction indicator filed under `{l2.name}`",
                ),
                help=Msg(f"移到 `{home[0]}` 下", f"move it under `{home[0]}`"),
            )


# --- header cells ---------------------------------------------------------------------------------

#: Cells a form always has and a reviewer will not accept blank.
_MUST_FILL = ("department", "implementer")


@rule("empty-field", C.EMPTY_FIELD)
def empty_fields(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        template = ctx.template_of(project)
        for key in _MUST_FILL:
            value = project.fields.get(key)
            if isinstance(value, ast.Located) and not value.value.strip():
                label = template.label("project", key)
                yield C.EMPTY_FIELD.at(
                    value.span,
                    Msg(f"“{label}”一格是空的", f"the {label} cell is empty"),
                    help=Msg(f"填上{label}", f"fill in {label}"),
                )


# --- text left from the form -----------------------------------------------------------------------

_INSTRUCTION = re.compile(
    r"请填写|请输入|请选择|请在此|此处填写|填写说明|根据实际(?:情况)?填写|按实际填列|如实填写|"
    r"例如[:：]|示例[:：]|（可选）|\(可选\)|（选填）|（必填）"
)


@rule("instruction-text", C.INSTRUCTION_TEXT)
def instruction_text(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        for text, span, what in texts_of(ctx, project):
            found = _INSTRUCTION.search(text)
            if found is None:
                continue
            yield C.INSTRUCTION_TEXT.at(
                span,
                Msg(
                    f"{what}里留着表样的填写说明“{found.group(0)}”",
                    f"{what} still holds the form's instruction “{found.group(0)}”",
                ),
                help=Msg("换成真实的内容", "replace it with the real content"),
            )


# --- goals against indicators -----------------------------------------------------------------------

_GOAL_QUANTITY = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|公里|千米|平方米|立方米|万人次|人次|个|次|人|户|"
    r"件|台|套|辆|座|所|家|场|期|篇|册|份|条|项|亩|吨|棵|株|小时|天|%)"
)


@rule("goal-quantity", C.GOAL_QUANTITY)
def goal_quantities(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        carried: set[Decimal] = set()
        for _l1, _l2, ind in (r for tree in ctx.trees_of(project) for r in ast.iter_tree(tree)):
            carried |= {q.number.normalize() for q in _quantities(ind.value)}
            if ind.value is not None:  # (a number inside a qualitative value counts too)
                carried |= {
                    Decimal(m["num"]).normalize() for m in _GOAL_QUANTITY.finditer(ind.value.text)
                }
        if not carried:
            continue  # (a table without indicators has bigger problems)
        for goal in (*project.goals, *project.midterm_goals):
            for match in _GOAL_QUANTITY.finditer(goal.text):
                number = Decimal(match["num"]).normalize()
                if number in carried or match["unit"] in ("万元", "亿元", "元"):
                    continue  # (amounts restate the budget; PD4xxx read those)
                said = match.group(0)
                yield C.GOAL_QUANTITY.at(
                    goal.span,
                    Msg(
                        f"绩效目标说“{said}”，指标里没有这个数",
                        f"the goals promise “{said}”, which no indicator carries",
                    ),
                    help=Msg(
                        f"加一个数量指标承载它，如 `…: ≥{said}`",
                        f"add an indicator that carries it, such as `…: ≥{said}`",
                    ),
                )

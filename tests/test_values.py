"""parse_value on every form of /work/shared/design/domain.md, "Indicator values"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdsl.values import (
    Deadline,
    PartialDate,
    Period,
    Quantity,
    Range,
    Text,
    convert_money,
    format_decimal,
    money_unit,
    normalise,
    parse_number,
    parse_value,
)

D = Decimal


def q(op: str | None, number: str, unit: str = "", suffix: str = "") -> Quantity:
    return Quantity(op, D(number), unit, suffix)


# --- quantities --------------------------------------------------------------------------------

OPERATORS = [
    ("≥400次", q("≥", "400", "次")),
    ("≤80万元", q("≤", "80", "万元")),
    ("=1人", q("=", "1", "人")),
    (">5个", q(">", "5", "个")),
    ("<3天", q("<", "3", "天")),
    ("＞5个", q(">", "5", "个")),
    ("＜3天", q("<", "3", "天")),
    ("＝1人", q("=", "1", "人")),
    (">=95%", q("≥", "95", "%")),
    ("<=10天", q("≤", "10", "天")),
    ("=>95%", q("≥", "95", "%")),
    ("≧98%", q("≥", "98", "%")),
    ("≦10天", q("≤", "10", "天")),
    ("＞＝95％", q("≥", "95", "%")),
    ("＜＝95％", q("≤", "95", "%")),
    ("⩾1台", q("≥", "1", "台")),
    ("±3%", q("±", "3", "%")),
    ("+-3%", q("±", "3", "%")),
    ("≥ 400 次", q("≥", "400", "次")),
]


@pytest.mark.parametrize(("written", "expected"), OPERATORS, ids=[w for w, _ in OPERATORS])
def test_operators_are_normalised(written: str, expected: Quantity) -> None:
    value = parse_value(written)
    assert value == expected
    assert value.op in ("≥", "≤", "=", ">", "<", "±")


NUMBERS = [
    ("100%", q(None, "100", "%")),
    ("1辆", q(None, "1", "辆")),
    ("１００％", q(None, "100", "%")),
    ("≥９５％", q("≥", "95", "%")),
    ("４１３７２８０元", q(None, "4137280", "元")),
    ("4,137,280元", q(None, "4137280", "元")),
    ("≤4，137，280元", q("≤", "4137280", "元")),
    ("４，１３７，２８０元", q(None, "4137280", "元")),
    ("146.00", q(None, "146.00")),
    ("１４６．００万元", q(None, "146.00", "万元")),
    ("≤62万", q("≤", "62", "万")),
    ("≥1.5亿元", q("≥", "1.5", "亿元")),
    ("0.5‰", q(None, "0.5", "‰")),
    ("≥-5%", q("≥", "-5", "%")),
    ("5元/亩", q(None, "5", "元/亩")),
    ("≥1.5万元/人", q("≥", "1.5", "万元/人")),
    ("≥100平方米", q("≥", "100", "平方米")),
    ("≥6年", q("≥", "6", "年")),
    ("≥50人次", q("≥", "50", "人次")),
]


@pytest.mark.parametrize(("written", "expected"), NUMBERS, ids=[w for w, _ in NUMBERS])
def test_numbers_digits_and_units(written: str, expected: Quantity) -> None:
    assert parse_value(written) == expected


SUFFIXED = [
    ("95%以上", q(None, "95", "%", "以上")),
    ("95以上", q(None, "95", "", "以上")),
    ("95万元以上", q(None, "95", "万元", "以上")),
    ("10人以下", q(None, "10", "人", "以下")),
    ("3天以内", q(None, "3", "天", "以内")),
    ("±3%以内", q("±", "3", "%", "以内")),
    ("5次及以上", q(None, "5", "次", "及以上")),
    ("5次及以下", q(None, "5", "次", "及以下")),
    ("3年左右", q(None, "3", "年", "左右")),
    ("5元/亩以上", q(None, "5", "元/亩", "以上")),
]


@pytest.mark.parametrize(("written", "expected"), SUFFIXED, ids=[w for w, _ in SUFFIXED])
def test_bound_words_are_a_suffix_not_part_of_the_unit(written: str, expected: Quantity) -> None:
    value = parse_value(written)
    assert value == expected
    assert isinstance(value, Quantity) and value.text == normalise(written)


def test_scale_is_kept_exactly() -> None:
    value = parse_value("146.00")
    assert isinstance(value, Quantity)
    assert str(value.number) == "146.00"
    assert value.text == "146.00"
    assert format_decimal(D("146.00")) == "146.00"
    assert format_decimal(D("1E+3")) == "1000"
    assert format_decimal(D("-0")) == "0"
    assert parse_number("4,137,280") == D(4137280)


def test_upper_bounds() -> None:
    assert parse_value("≤80万元").upper_bound == 80  # type: ignore[union-attr]
    assert parse_value("1辆").upper_bound == 1  # type: ignore[union-attr]
    assert parse_value("≥95%").upper_bound is None  # type: ignore[union-attr]
    assert parse_value("95%以上").upper_bound is None  # type: ignore[union-attr]
    assert parse_value("3天以内").upper_bound == 3  # type: ignore[union-attr]
    assert parse_value("90%-100%").upper_bound == 100  # type: ignore[union-attr]


# --- ranges ------------------------------------------------------------------------------------

RANGES = [
    ("90%-100%", Range(q(None, "90", "%"), q(None, "100", "%"), "-")),
    ("5-10天", Range(q(None, "5"), q(None, "10", "天"), "-")),
    ("90％～100％", Range(q(None, "90", "%"), q(None, "100", "%"), "~")),
    ("5至10天", Range(q(None, "5"), q(None, "10", "天"), "至")),
    ("5天到10天", Range(q(None, "5", "天"), q(None, "10", "天"), "到")),
    ("1—2个", Range(q(None, "1"), q(None, "2", "个"), "—")),
]


@pytest.mark.parametrize(("written", "expected"), RANGES, ids=[w for w, _ in RANGES])
def test_ranges(written: str, expected: Range) -> None:
    value = parse_value(written)
    assert value == expected
    assert isinstance(value, Range) and parse_value(value.text) == value


def test_a_range_needs_one_unit() -> None:
    assert isinstance(parse_value("5天-10个"), Text)


# --- periods and deadlines ---------------------------------------------------------------------

PERIODS = [
    ("2024年1-12月", (2024, 1, None), (2024, 12, None)),
    ("2023.07-2024.01", (2023, 7, None), (2024, 1, None)),
    ("2024年1月-2024年12月", (2024, 1, None), (2024, 12, None)),
    ("2024年1月-12月", (2024, 1, None), (2024, 12, None)),
    ("2024年3月1日-6月30日", (2024, 3, 1), (2024, 6, 30)),
    ("2024/1/1-2024/12/31", (2024, 1, 1), (2024, 12, 31)),
    ("２０２４年１－１２月", (2024, 1, None), (2024, 12, None)),
    ("2024年1月至12月", (2024, 1, None), (2024, 12, None)),
    ("2023年-2025年", (2023, None, None), (2025, None, None)),
    ("2024年", (2024, None, None), (2024, None, None)),
    ("2024年度", (2024, None, None), (2024, None, None)),
    ("2024年全年", (2024, None, None), (2024, None, None)),
]


@pytest.mark.parametrize(("written", "start", "end"), PERIODS, ids=[p[0] for p in PERIODS])
def test_periods(written: str, start: tuple, end: tuple) -> None:  # type: ignore[type-arg]
    value = parse_value(written)
    assert isinstance(value, Period), value
    assert value.start == PartialDate(*start)
    assert value.end == PartialDate(*end)
    assert parse_value(value.text) == value


DEADLINES = [
    ("2024年底之前", (2024, None, None)),
    ("2023年底前", (2023, None, None)),
    ("年底前", (None, None, None)),
    ("2024年6月底前", (2024, 6, None)),
    ("2024年末以前", (2024, None, None)),
    ("2024年6月30日前完成", (2024, 6, 30)),
    ("截至2024年6月底", (2024, 6, None)),
    ("在2024年底前", (2024, None, None)),
]


@pytest.mark.parametrize(("written", "date"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_deadlines(written: str, date: tuple) -> None:  # type: ignore[type-arg]
    value = parse_value(written)
    assert isinstance(value, Deadline), value
    assert value.date == PartialDate(*date)
    assert parse_value(value.text) == value


@pytest.mark.parametrize(
    "written", ["2024年1-13月", "2024年13月底前", "2023.13-2024.01", "2024年6月32日前"]
)
def test_impossible_dates_stay_text(written: str) -> None:
    assert isinstance(parse_value(written), Text)


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "持续保障",
        "稳步提升",
        "有力提升",
        "不断改善",
        "逐步完成",
        "保证干警执行活动安全高效",
        "≥**人",  # a template placeholder
        "1,00",  # not a thousands separator
        "第3季度",
        "",
    ],
)
def test_what_is_not_typed_stays_text(written: str) -> None:
    value = parse_value(written)
    assert value == Text(written)


def test_text_is_stripped_and_keeps_its_own_spelling() -> None:
    assert parse_value("  持续保障 ") == Text("持续保障")
    assert parse_value("提高１０％左右的效率") == Text("提高１０％左右的效率")


# --- money -------------------------------------------------------------------------------------


def test_money_units() -> None:
    assert [money_unit(u) for u in ("元", "千元", "万元", "万", "百万元", "亿元", "亿")] == [
        "元",
        "千元",
        "万元",
        "万元",
        "百万元",
        "亿元",
        "亿元",
    ]
    assert money_unit("人") is None
    assert money_unit("%") is None


@pytest.mark.parametrize(
    ("amount", "from_unit", "to_unit", "expected"),
    [
        ("4137280", "元", "万元", "413.728"),
        ("413.728", "万元", "元", "4137280"),
        ("1.5", "亿元", "万元", "15000"),
        ("806.72", "万元", "元", "8067200"),
        ("0.01", "元", "亿元", "0.0000000001"),
        ("146.00", "万元", "万", "146.00"),
        ("62", "万", "万元", "62"),
    ],
)
def test_money_converts_exactly(amount: str, from_unit: str, to_unit: str, expected: str) -> None:
    result = convert_money(D(amount), from_unit, to_unit)
    assert result == D(expected)
    assert format_decimal(result) == expected


def test_4137280_yuan_is_exactly_413_728_wan() -> None:
    yuan = parse_value("≤4137280元")
    wan = parse_value("≤413.728万元")
    assert isinstance(yuan, Quantity) and isinstance(wan, Quantity)
    assert convert_money(yuan.number, yuan.unit, "万元") == wan.number
    assert convert_money(wan.number, wan.unit, "元") == yuan.number
    assert not isinstance(convert_money(yuan.number, "元", "万元"), float)


# --- canonical text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [w for w, _ in OPERATORS + NUMBERS + SUFFIXED + RANGES] + [p[0] for p in PERIODS + DEADLINES],
)
def test_canonical_text_reads_back_the_same(written: str) -> None:
    value = parse_value(written)
    assert parse_value(value.text) == value
    assert value.text == parse_value(value.text).text


# --- dates without 前, quarters, and years followed by words ------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024年12月31日", Deadline(PartialDate(2024, 12, 31), "2024年12月31日")),
        ("2024-12-31", Deadline(PartialDate(2024, 12, 31), "2024-12-31")),
        ("2024年底", Deadline(PartialDate(2024), "2024年底")),
        ("截至2024年6月底", Deadline(PartialDate(2024, 6), "截至2024年6月底")),
        ("2024年第一季度", Period(PartialDate(2024, 1), PartialDate(2024, 3), "2024年第一季度")),
        ("2024年第4季度前", Deadline(PartialDate(2024, 12), "2024年第4季度前")),
    ],
)
def test_dates_and_quarters(written, expected) -> None:
    assert parse_value(written) == expected


def test_a_year_followed_by_words_is_text_not_a_quantity() -> None:
    assert parse_value("2024年第一批") == Text("2024年第一批")
    assert parse_value("≥6年") == Quantity("≥", Decimal(6), "年")


@pytest.mark.parametrize(
    ("written", "number"),
    [("0.00年", "0.00"), ("2.00年", "2.00"), ("20.5年", "20.5"), ("≥2024年", "2024")],
)
def test_years_as_a_unit_are_quantities_unless_the_number_is_a_year(
    written: str, number: str
) -> None:
    # Any four characters before 年 once counted as a year: 2.00年 became text.
    value = parse_value(written)
    assert isinstance(value, Quantity) and str(value.number) == number and value.unit == "年"


def test_long_amounts_convert_exactly_without_a_wider_context() -> None:
    # 32 digits in 亿元 become 38 digits in 元: more than the default context's 28.
    amount = Decimal("123456789012345678901234567890.12")
    yuan = convert_money(amount, "亿元", "元")
    assert format_decimal(yuan) == "12345678901234567890123456789012000000"
    assert convert_money(yuan, "元", "亿元") == amount

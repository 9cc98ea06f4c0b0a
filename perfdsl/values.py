"""Typed indicator values, read from the text an author wrote.

A value cell of a 绩效目标表 is one of a few shapes: a quantity (``≥400次``, ``≤80万元``,
``100%``), a range (``90%-100%``), a period (``2024年1-12月``), a deadline (``2024年底之前``)
or qualitative text (``持续保障``).  :func:`parse_value` recognises the shape and keeps every
number as an exact :class:`~decimal.Decimal` with the scale the author wrote (``146.00`` stays
``146.00``).  Full-width and half-width spellings are accepted and normalised (``＞＝``, ``>=``
and ``≧`` all become ``≥``; ``％`` becomes ``%``; full-width digits become ASCII), so the
formatter can write one canonical form.  Anything that is not recognised stays text: the checker,
not the parser, decides whether text is allowed where it stands.

Every regular expression here is linear: no nested quantifiers over overlapping classes, so an
adversarial cell cannot make parsing slow.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import Final

import attrs

# --- normalisation -------------------------------------------------------------------------

_FULLWIDTH_DIGITS = {ord("０") + i: ord("0") + i for i in range(10)}
_CHAR_MAP = {
    **_FULLWIDTH_DIGITS,
    ord("％"): "%",
    ord("．"): ".",
    ord("＋"): "+",
    ord("－"): "-",
    ord("～"): "~",
    ord("＞"): ">",
    ord("＜"): "<",
    ord("＝"): "=",
    ord("≧"): "≥",
    ord("≦"): "≤",
    ord("⩾"): "≥",
    ord("⩽"): "≤",
    ord("／"): "/",
}
_OPERATOR_WORDS: Final = (
    (">=", "≥"),
    ("<=", "≤"),
    ("=>", "≥"),
    ("=<", "≤"),
    ("+-", "±"),
    ("+/-", "±"),
)


def normalise(text: str) -> str:
    """Fold full-width digits, signs and two-character operators to their canonical forms."""
    text = text.translate(_CHAR_MAP)
    for written, canonical in _OPERATOR_WORDS:
        if written in text:
            text = text.replace(written, canonical)
    return text


# --- money -----------------------------------------------------------------------------------

#: How many 元 one of each money unit is.  ``万`` alone means 万元 in these tables (``≤62万``).
MONEY_UNITS: Final[dict[str, Decimal]] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "万": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "亿元": Decimal(100_000_000),
    "亿": Decimal(100_000_000),
}
#: The units a file may declare as its 金额单位.
FILE_MONEY_UNITS: Final = ("元", "万元", "亿元")


def money_unit(unit: str) -> str | None:
    """The canonical money unit (元/千元/万元/百万元/亿元) that ``unit`` spells, or None."""
    if unit not in MONEY_UNITS:
        return None
    return {"万": "万元", "亿": "亿元"}.get(unit, unit)


def convert_money(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert exactly between money units; the result carries no rounding of any kind.

    Every factor is a power of ten, so the result is exact as long as the arithmetic has
    room for every digit: the precision is widened to fit the amount (the default context
    would cut a long amount in 亿元 at 28 digits when it is written out in 元).
    """
    if MONEY_UNITS[from_unit] == MONEY_UNITS[to_unit]:
        return amount  # 万 and 万元: the same unit, and the author's scale is kept
    with localcontext() as context:
        context.prec = len(amount.as_tuple().digits) + 20
        result = amount * MONEY_UNITS[from_unit] / MONEY_UNITS[to_unit]
        # (normalize() rounds to the context's precision too, so it stays inside.)
        return result.normalize() if result == result.to_integral() else result


def format_decimal(number: Decimal) -> str:
    """Plain positional notation (never ``1E+3``), keeping the scale the Decimal carries."""
    text = format(number, "f")
    return "0" if text in ("-0", "+0") else text


# --- value classes -----------------------------------------------------------------------------

OPERATORS: Final = ("≥", "≤", ">", "<", "=", "±")
SUFFIXES: Final = ("及以上", "及以下", "以上", "以下", "以内", "左右")


@attrs.frozen(slots=True)
class Quantity:
    """An operator, an exact number and a unit, as in ``≥400次`` or ``≤4137280元``.

    ``op`` is None when the author wrote no operator (``1辆``, ``100%``), which reads as "=".
    ``unit`` is kept as written (``万`` stays ``万``); :attr:`money_unit` interprets it.
    ``suffix`` keeps Chinese bound words (``95%以上``) so the cell reads as written.
    """

    op: str | None
    number: Decimal
    unit: str = ""
    suffix: str = ""

    @property
    def text(self) -> str:
        return f"{self.op or ''}{format_decimal(self.number)}{self.unit}{self.suffix}"

    @property
    def money_unit(self) -> str | None:
        return money_unit(self.unit)

    @property
    def is_percentage(self) -> bool:
        return self.unit in ("%", "‰")

    @property
    def upper_bound(self) -> Decimal | None:
        """The largest value the indicator allows, if it has one (``≤80`` → 80, ``=1`` → 1)."""
        if self.op in ("≤", "<", "=", None) and self.suffix not in ("以上", "及以上"):
            return self.number
        if self.suffix in ("以下", "及以下", "以内"):
            return self.number
        return None


@attrs.frozen(slots=True)
class Range:
    """Two quantities joined by a dash: ``90%-100%``, ``5-10天``."""

    low: Quantity
    high: Quantity
    separator: str = "-"

    @property
    def text(self) -> str:
        return f"{self.low.text}{self.separator}{self.high.text}"

    @property
    def unit(self) -> str:
        return self.high.unit

    @property
    def is_percentage(self) -> bool:
        return self.high.is_percentage

    @property
    def upper_bound(self) -> Decimal:
        return self.high.number


@attrs.frozen(slots=True, order=True)
class PartialDate:
    """A calendar date that may lack its month or day (``2024年``, ``2024年6月``)."""

    year: int | None
    month: int | None = None
    day: int | None = None


@attrs.frozen(slots=True)
class Period:
    """A span of time: ``2024年1-12月``, ``2023.07-2024.01``.  ``text`` is the cell as written."""

    start: PartialDate
    end: PartialDate
    text: str


@attrs.frozen(slots=True)
class Deadline:
    """A point in time something must be done by: ``2024年底之前``, ``2023年底前``."""

    date: PartialDate
    text: str


@attrs.frozen(slots=True)
class Text:
    """A qualitative value (``持续保障``) or any cell that is not one of the typed shapes.

    ``quoted`` records that the author quoted it to keep it from being typed.
    """

    text: str
    quoted: bool = attrs.field(default=False, eq=False)


Value = Quantity | Range | Period | Deadline | Text


# --- recognisers -----------------------------------------------------------------------------

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: A number as :func:`parse_number` reads it (after :func:`normalise`): ``4,137,280``, ``146.00``.
NUMBER: Final = _NUMBER
_UNIT_WORD = r"[A-Za-z\u4e00-\u9fff²³°℃·]{1,6}"
_UNIT = rf"(?:%|‰|{_UNIT_WORD}(?:/{_UNIT_WORD})?)"
# In a quantity the unit words are lazy, so that a bound word at the end is the suffix and
# not part of the unit: ``10天以内`` is 10 天 + 以内, ``95万元以上`` is 95 万元 + 以上.
_LAZY_WORD = _UNIT_WORD + "?"
_QUANTITY_UNIT = rf"(?:%|‰|{_LAZY_WORD}(?:/{_LAZY_WORD})?)"
_SUFFIX = "|".join(SUFFIXES)
_OP = "[≥≤><=±]"

_QUANTITY_RE = re.compile(
    rf"(?P<op>{_OP})?\s*(?P<num>{_NUMBER})\s*(?P<unit>{_QUANTITY_UNIT})??(?P<suffix>{_SUFFIX})?"
)
_RANGE_RE = re.compile(
    rf"(?P<lo>{_NUMBER})\s*(?P<lounit>{_UNIT})?\s*(?P<sep>-|~|—|–|至|到)\s*"
    rf"(?P<hi>{_NUMBER})\s*(?P<hiunit>{_UNIT})"
)
_SEP = r"\s*(?:-|~|—|–|至|到)\s*"
_CN_PERIOD_RE = re.compile(
    r"(?P<y1>\d{4})年(?P<m1>\d{1,2})(?:月(?:(?P<d1>\d{1,2})日)?)?"
    + _SEP
    + r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?"
)
_DOT_PERIOD_RE = re.compile(
    r"(?P<y1>\d{4})[./](?P<m1>\d{1,2})(?:[./](?P<d1>\d{1,2}))?"
    + _SEP
    + r"(?:(?P<y2>\d{4})[./])?(?P<m2>\d{1,2})(?:[./](?P<d2>\d{1,2}))?"
)
_YEAR_PERIOD_RE = re.compile(r"(?P<y1>\d{4})年(?:全年)?" + _SEP + r"(?P<y2>\d{4})年(?:全年)?")
_WHOLE_YEAR_RE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度|全年)?")
_DEADLINE_RE = re.compile(
    r"(?:截至|截止|于|在)?(?:(?P<y>\d{4})?年)?(?:(?P<m>\d{1,2})月)?(?:(?P<d>\d{1,2})日)?"
    r"(?P<end>底|末)?(?:之|以)?前(?:完成)?"
)
_CN_DATE_DEADLINE_RE = re.compile(
    r"(?:截至|截止|于|在)?(?P<y>\d{4})年(?:(?P<m>\d{1,2})月)?(?:(?P<d>\d{1,2})日)?(?P<end>底|末)?"
    r"(?:完成)?"
)
# 2024-12-31, 2024/12/31, 2024.12.31: a date written the ISO or the dotted way.
_ISO_DATE_RE = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:前|之前|以前)?")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_RE = re.compile(
    r"(?P<y>\d{4})年(?:第)?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前|之前|以前)?"
)


_DIGIT = re.compile(r"\d")
_OP_CHARS = frozenset("≥≤><=±")


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _valid(date: PartialDate) -> bool:
    return (date.month is None or 1 <= date.month <= 12) and (
        date.day is None or 1 <= date.day <= 31
    )


def parse_number(text: str) -> Decimal:
    """An exact Decimal from ``4,137,280`` or ``146.00``; the scale is kept as written."""
    return Decimal(text.replace(",", ""))


def _quantity(op: str | None, num: str, unit: str | None, suffix: str | None) -> Quantity:
    return Quantity(op=op or None, number=parse_number(num), unit=unit or "", suffix=suffix or "")


def parse_value(written: str) -> Value:
    """Recognise the shape of one value cell.  Never raises: unrecognised text stays Text."""
    text = written.strip()
    norm = normalise(text).replace("，", ",")
    compact = norm.replace(" ", "")
    if not _DIGIT.search(compact) and "前" not in compact:
        return Text(text)  # qualitative: 持续保障, 稳步提升 … (年底前 is a deadline)
    if compact[0] in _OP_CHARS and (m := _QUANTITY_RE.fullmatch(compact)):
        return _quantity(m["op"], m["num"], m["unit"], m["suffix"])  # the common ≥400次

    if m := _CN_PERIOD_RE.fullmatch(compact) or _DOT_PERIOD_RE.fullmatch(compact):
        y1 = int(m["y1"])
        start = PartialDate(y1, _int(m["m1"]), _int(m["d1"]))
        end = PartialDate(_int(m["y2"]) or y1, _int(m["m2"]), _int(m["d2"]))
        if _valid(start) and _valid(end):
            return Period(start, end, compact)
    if m := _YEAR_PERIOD_RE.fullmatch(compact):
        return Period(PartialDate(int(m["y1"])), PartialDate(int(m["y2"])), compact)
    if m := _WHOLE_YEAR_RE.fullmatch(compact):
        year = PartialDate(int(m["y"]))
        return Period(year, year, compact)
    if (
        m := _DEADLINE_RE.fullmatch(compact)
        or _CN_DATE_DEADLINE_RE.fullmatch(compact)
        or _ISO_DATE_RE.fullmatch(compact)
    ) and (m["y"] or m["m"] or m["d"] or "年" in compact):
        # A date with or without 前 is the point by which something is done: 2024年12月31日.
        date = PartialDate(_int(m["y"]), _int(m["m"]), _int(m["d"]))
        if _valid(date):
            return Deadline(date, compact)
    if m := _QUARTER_RE.fullmatch(compact):
        quarter = _QUARTERS[m["q"]]
        year = int(m["y"])
        start, end = PartialDate(year, quarter * 3 - 2), PartialDate(year, quarter * 3)
        if "前" in compact or compact.endswith(("末", "底")):
            return Deadline(end, compact)
        return Period(start, end, compact)
    if m := _RANGE_RE.fullmatch(compact):
        lo_unit = m["lounit"] or ""
        if lo_unit in ("", m["hiunit"]):
            return Range(
                _quantity(None, m["lo"], lo_unit, None),
                _quantity(None, m["hi"], m["hiunit"], None),
                m["sep"],
            )
    # "2024年第一批" is not 2024 of a unit called 年第一批 but a year followed by words.
    # (A year is four digits: "2.00年" and "20.5年" are quantities of years.)
    if (m := _QUANTITY_RE.fullmatch(compact)) and not (
        m["op"] is None
        and len(m["num"]) == 4
        and m["num"].isdecimal()
        and (m["unit"] or "").startswith("年")
    ):
        return _quantity(m["op"], m["num"], m["unit"], m["suffix"])
    return Text(text)


def value_text(value: Value) -> str:
    """The canonical cell text of a value: what the formatter writes and the documents show."""
    return value.text

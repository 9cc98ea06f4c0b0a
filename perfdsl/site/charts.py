"""Bar charts as inline SVG: seen without a script, printed as drawn, and read aloud.

Each chart is a ``<figure>``: a caption, an ``<svg role="img">`` whose ``<title>`` and
``<desc>`` say what it shows and every number in it, and the same numbers as a table (in a
``<details>`` a reader can open).  Bars are horizontal, so a unit's long name stays legible.

Geometry is Decimal too: the amounts stay exact all the way, and the same amounts draw the
same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from html import escape

import attrs

from perfdsl.values import format_decimal

#: The drawing's own coordinates (it scales to the page's width).
WIDTH = 760
LABEL_WIDTH = 300
BAR_LEFT = LABEL_WIDTH + 10
BAR_MAX = 280
ROW = 30
BAR = 18
FONT = 14
TOP = 6

#: Okabe–Ito colours (told apart with any colour vision), dark enough for white text around.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#7f6c00")
NEUTRAL = "#8a8a8a"
DEFAULT = "#0072b2"


@attrs.frozen
class Bar:
    label: str
    amount: Decimal
    colour: str = DEFAULT


def money(amount: Decimal) -> str:
    """An amount exactly as it is, with thousands separators: 12,345.670."""
    text = format_decimal(amount)
    whole, dot, part = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{part}"


def share(amount: Decimal, total: Decimal) -> str:
    """``amount`` as a percentage of ``total``, to one decimal (the only rounded number)."""
    if total <= 0:
        return "—"
    percent = (amount * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return f"{percent}%"


def _width(text: str) -> Decimal:
    """The drawn width of ``text`` at :data:`FONT`, roughly: a Chinese character is one em."""
    ems = sum(
        Decimal(1) if unicodedata.east_asian_width(ch) in "WF" else Decimal("0.56") for ch in text
    )
    return ems * FONT


def fit(text: str, room: int = LABEL_WIDTH) -> str:
    """``text``, cut with … where it would not fit in ``room`` (the full text is in the
    bar's tooltip and in the table)."""
    if _width(text) <= room:
        return text
    cut = text
    while cut and _width(cut + "…") > room:
        cut = cut[:-1]
    return cut + "…"


def _length(amount: Decimal, largest: Decimal) -> Decimal:
    if largest <= 0 or amount <= 0:
        return Decimal(0)
    return (amount * BAR_MAX / largest).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def _data_table(
    bars: Sequence[Bar], total: Decimal, caption: str, label_head: str, unit: str, shares: bool
) -> str:
    def part(amount: Decimal) -> str:
        return f'<td class="num">{share(amount, total)}</td>' if shares else ""

    rows = "".join(
        f'<tr><th scope="row">{escape(bar.label)}</th><td class="num">{money(bar.amount)}</td>'
        f"{part(bar.amount)}</tr>\n"
        for bar in bars
    )
    share_head = '<th scope="col">占比</th>' if shares else ""
    return (
        f'<details class="chart-data"><summary>数据表</summary>\n<table class="data">\n'
        f"<caption>{escape(caption)}（{escape(unit)}）</caption>\n"
        f'<thead><tr><th scope="col">{escape(label_head)}</th>'
        f'<th scope="col">金额（{escape(unit)}）</th>{share_head}</tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n"
        f'<tfoot><tr><th scope="row">合计</th><td class="num">{money(total)}</td>'
        f"{part(total)}</tr></tfoot>\n"
        "</table>\n</details>\n"
    )


def bar_chart(
    chart_id: str,
    caption: str,
    bars: Sequence[Bar],
    label_head: str,
    unit: str = "万元",
    shares: bool = True,
) -> str:
    """A ``<figure>`` with one horizontal bar per item, its amount (and, with ``shares``, its
    part of the whole) at the bar's end."""
    total = sum((bar.amount for bar in bars), Decimal(0))
    largest = max((bar.amount for bar in bars), default=Decimal(0))
    height = TOP * 2 + ROW * len(bars)

    def amount_text(amount: Decimal, sep: str = "") -> str:
        return (
            f"{money(amount)}{sep}（{share(amount, total)}）" if shares else f"{money(amount)}{sep}"
        )

    said = "；".join(f"{bar.label} {amount_text(bar.amount, unit)}" for bar in bars)
    parts = [
        f'<figure class="chart" id="{chart_id}">\n',
        f"<figcaption>{escape(caption)}（单位：{escape(unit)}）</figcaption>\n",
        '<div class="scroll">',
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">\n',
        f'<title id="{chart_id}-t">{escape(caption)}</title>\n',
        f'<desc id="{chart_id}-d">{escape(said)}；合计 {money(total)}{unit}</desc>\n',
    ]
    for i, bar in enumerate(bars):
        y = TOP + ROW * i
        middle = y + ROW // 2
        length = _length(bar.amount, largest)
        value = amount_text(bar.amount)
        parts.append(
            f"<g><title>{escape(bar.label)}：{money(bar.amount)}{escape(unit)}</title>"
            f'<text x="{LABEL_WIDTH}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="central">{escape(fit(bar.label))}</text>'
            f'<rect x="{BAR_LEFT}" y="{middle - BAR // 2}" width="{length}" height="{BAR}" '
            f'fill="{bar.colour}"/>'
            f'<text x="{BAR_LEFT + length + Decimal(6)}" y="{middle}" '
            f'dominant-baseline="central" class="value">{escape(value)}</text></g>\n'
        )
    parts.append("</svg></div>\n")
    parts.append(_data_table(bars, total, caption, label_head, unit, shares))
    parts.append("</figure>\n")
    return "".join(parts)

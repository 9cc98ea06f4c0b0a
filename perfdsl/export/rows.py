"""What the cells of a row hold, from a file's AST: exact text, never a float.

Amounts are exact decimal text (Decimal from the source, converted between 元, 万元 and 亿元
by :func:`perfdsl.totals.money_of`), and whole 分 (fen) for SQLite's exact sums; a field's
text as the tables print it; a value cell split into operator, number, unit, suffix, range
bounds and dates (the JSON emitter's reading of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal, localcontext
from typing import Any, Final

from perfdsl import ast
from perfdsl.values import format_decimal

#: The common unit of the converted columns.
WAN: Final = "万元"

# --- exact numbers ---------------------------------------------------------------------------------


def text_of(number: Decimal | None) -> str | None:
    return None if number is None else format_decimal(number)


def fen_of(yuan: Decimal | None) -> int | None:
    """An amount in 元 as a whole number of 分, or None when it is finer than a 分 (or
    beyond SQLite's 64-bit integers)."""
    if yuan is None or not yuan.is_finite():
        return None
    with localcontext() as context:
        context.prec = len(yuan.as_tuple().digits) + 10
        fen = yuan * 100
        if fen != fen.to_integral_value():
            return None
        whole = int(fen)
    return whole if -(2**63) <= whole < 2**63 else None


_UNSAFE_TEXT = re.compile("[\ud800-\udfff]")


def clean(text: str | None) -> str | None:
    """Text every output can hold: a lone surrogate (a byte of a file name that is not UTF-8)
    becomes ``\\xff``, as the JSON output writes it."""
    if text is None:
        return None
    return _UNSAFE_TEXT.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def field_text(value: ast.FieldValue | None, level: str = "project") -> str | None:
    """A field's cell as text: lines of a block joined by newlines, goals numbered."""
    if value is None:
        return None
    if isinstance(value, ast.Located):
        return value.value
    if isinstance(value, ast.Money):
        return value.text
    if isinstance(value, ast.Typed):
        return value.value.text
    if isinstance(value, ast.Number):
        return format_decimal(value.number)
    if isinstance(value, ast.Goals):
        return goals_text(value.items)
    if isinstance(value, ast.Rows):
        return "\n".join(
            " | ".join(field_text(v, "row") or "" for _k, v in row.fields.items())
            for row in value.rows
        )
    if isinstance(value, ast.Labels):
        return "\n".join(f"{label}：{field_text(v) or ''}" for label, v in value.fields.items())
    return None  # a Tree: its indicators are rows of their own


def goals_text(goals: Sequence[ast.Goal]) -> str | None:
    if not goals:
        return None
    return "\n".join(f"{n}. {goal.text}" for n, goal in enumerate(goals, start=1))


def extra_text(fields: ast.Fields) -> str | None:
    """Free (栏目) fields, ``label：text`` a line each."""
    lines = [
        f"{label}：{field_text(value) or ''}"
        for key, value in fields.items()
        if (label := ast.free_label(key)) is not None
    ]
    return "\n".join(lines) or None


def line_of(span: ast.Span) -> int | None:
    return span.line if span != ast.NO_SPAN else None


def in_file_unit(money: ast.Money, unit: str) -> str:
    """An amount in the file's money unit, exactly (the author's scale when it is already)."""
    from perfdsl.totals import money_of

    converted = money_of(money, unit, unit)
    return format_decimal(converted if converted is not None else money.amount)


def trees(project: ast.Project) -> Iterator[tuple[str, ast.Level1, ast.Level2, ast.Indicator]]:
    """The year's indicators, then the 中期 tree's."""
    for l1, l2, ind in project.iter_indicators():
        yield "year", l1, l2, ind
    midterm = project.fields.get("midterm_indicators")
    if isinstance(midterm, ast.Tree):
        for l1, l2, ind in ast.iter_tree(midterm.level1):
            yield "midterm", l1, l2, ind


def value_split(value: Any, unit: str) -> tuple[str | None, ...]:
    """(value, value_kind, operator, number, value_unit, suffix, low, high, date_start,
    date_end, money) of a value cell, from the JSON emitter's reading of it."""
    from perfdsl.emit.json import value as value_json
    from perfdsl.values import money_unit

    if value is None:
        return (None,) * 11
    data = value_json(value, ast.NO_SPAN, money_unit(unit))
    kind = data["kind"]
    low = data.get("low") or {}
    high = data.get("high") or {}
    converted = data.get("converted") or {}
    start = data.get("start")
    end = data.get("end") or data.get("date")
    return (
        data["text"],
        kind,
        data["operator"],
        data["number"],
        data["unit"] or None,
        data.get("suffix") or None,
        low.get("number"),
        high.get("number"),
        start,
        end,
        converted.get("number"),
    )

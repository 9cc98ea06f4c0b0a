"""The JSON a data team loads: every table of a document, values typed, money exact.

The shape is described by docs/perfdsl.schema.json (JSON Schema 2020-12) and versioned by
``schema_version``; a change that could break a consumer bumps the major version.  Choices a
loader can rely on:

* Keys are English snake_case; names from the source (项目名称, 一级/二级/三级指标, 财政资金 …)
  are values, exactly as the tables print them.
* No JSON number is ever a float.  Amounts and indicator numbers are decimal *strings* with the
  scale the author wrote (``"146.00"``), so nothing is rounded on the way into a database.  The
  only JSON numbers are integers: the budget year, table numbers, row numbers and spans.
* Money is given in the unit it was written in and, under ``converted``, in the file's money
  unit (金额单位), converted exactly: ``≤4137280元`` in a 万元 file converts to ``"413.728"``.
  A number already in the file's unit is passed through unchanged (``"146.00"`` stays).
* Every node carries ``span`` (1-based line/column, end exclusive, columns in characters) so a
  tool can link a cell back to the source line; ``source_path`` is the path as given.
* Keys are sorted and lists keep the order of the source, so the same source gives the same
  bytes.  Nothing here depends on the clock or the environment.
* The text is always valid UTF-8 (:func:`perfdsl.output.json_text`): a byte of a source path
  that is not UTF-8 is written as the text ``\xff``; every other string is exact.

Dates in periods and deadlines are partial ISO 8601 dates (``2024``, ``2024-01``,
``2024-01-31``); a missing year is written ``XXXX`` as in EDTF (``XXXX-06`` for "6月底前").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfdsl import ast
from perfdsl.output import json_text
from perfdsl.standards import fields as R
from perfdsl.values import (
    Deadline,
    PartialDate,
    Period,
    Quantity,
    Range,
    Text,
    Value,
    convert_money,
    format_decimal,
    money_unit,
)

#: Major.minor.  Minor: fields added.  Major: fields removed, renamed or changed in meaning.
SCHEMA_VERSION = "2.0"

Json = dict[str, Any]


def render_json(document: ast.Document, source_path: str) -> str:
    """The JSON text for one document: sorted keys, 2-space indent, UTF-8 as is, final newline."""
    return json_text(to_data(document, source_path), indent=2, sort_keys=True) + "\n"


def to_data(document: ast.Document, source_path: str) -> Json:
    """The document as plain dicts, lists, strings, ints, booleans and None (never floats)."""
    file_unit = money_unit(document.header.unit)
    return {
        "schema_version": SCHEMA_VERSION,
        "source_path": source_path,
        "header": _header(document.header, file_unit),
        "projects": [
            _project(number, project, file_unit, document.header.unit)
            for number, project in enumerate(document.projects, start=1)
        ],
    }


# --- small pieces ------------------------------------------------------------------------------


def _span(span: ast.Span) -> Json | None:
    if span == ast.NO_SPAN:
        return None
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def _text(located: ast.Located | None) -> str | None:
    return None if located is None else located.value


def _date(date: PartialDate) -> str:
    """A partial ISO 8601 date; an unknown year is ``XXXX`` (EDTF's unspecified digits)."""
    parts = ["XXXX" if date.year is None else f"{date.year:04d}"]
    if date.month is not None:
        parts.append(f"{date.month:02d}")
        if date.day is not None:
            parts.append(f"{date.day:02d}")
    return "-".join(parts)


def _converted(number: Decimal, unit: str, file_unit: str | None) -> Json | None:
    """``number unit`` in the file's money unit, exactly; None if either is not money.

    An amount already in the file's unit keeps its scale (``146.00``), as convert_money does.
    """
    source_unit = money_unit(unit)
    if source_unit is None or file_unit is None:
        return None
    converted = convert_money(number, source_unit, file_unit)
    return {"number": format_decimal(converted), "unit": file_unit}


# --- values ----------------------------------------------------------------------------------


def _bound(quantity: Quantity, unit: str, file_unit: str | None) -> Json:
    return {
        "number": format_decimal(quantity.number),
        "unit": unit,
        "converted": _converted(quantity.number, unit, file_unit),
    }


def value(val: Value, span: ast.Span, file_unit: str | None) -> Json:
    """One value cell.  ``kind``, ``text``, ``operator``, ``number`` and ``unit`` are always
    present (null where the kind has none), so a loader can read any cell into one row shape;
    each kind adds its own details."""
    out: Json = {
        "kind": None,
        "text": val.text,
        "operator": None,
        "number": None,
        "unit": None,
        "span": _span(span),
    }
    if isinstance(val, Quantity):
        out.update(
            kind="quantity",
            operator=val.op,
            number=format_decimal(val.number),
            unit=val.unit,
            suffix=val.suffix,
            converted=_converted(val.number, val.unit, file_unit),
        )
    elif isinstance(val, Range):
        # ``90-100%``: a bound written without a unit takes the range's unit.
        out.update(
            kind="range",
            unit=val.unit,
            low=_bound(val.low, val.low.unit or val.unit, file_unit),
            high=_bound(val.high, val.high.unit, file_unit),
        )
    elif isinstance(val, Period):
        out.update(kind="period", start=_date(val.start), end=_date(val.end))
    elif isinstance(val, Deadline):
        out.update(kind="deadline", date=_date(val.date))
    else:
        assert isinstance(val, Text)
        out["kind"] = "text"
    return out


def _money(money: ast.Money, file_unit: str | None, written_file_unit: str) -> Json:
    """An amount; with no unit written it is in the file's unit (what 预算数 usually is).
    ``text`` is the cell as written; ``note`` is what the author wrote after the amount."""
    unit = money.unit or written_file_unit
    return {
        "text": format_decimal(money.amount) + (money.unit or ""),
        "note": money.note or None,
        "number": format_decimal(money.amount),
        "unit": unit,
        "converted": _converted(money.amount, unit, file_unit),
        "span": _span(money.span),
    }


# --- structure -------------------------------------------------------------------------------


def field_json(value: ast.FieldValue, file_unit: str | None, written_unit: str) -> Any:
    """A field's value in JSON, by its kind (see the schema's ``$defs``)."""
    if isinstance(value, ast.Located):
        return value.value
    if isinstance(value, ast.Number):
        return {
            "text": value.text,
            "number": format_decimal(value.number),
            "span": _span(value.span),
        }
    if isinstance(value, ast.Typed):
        return globals()["value"](value.value, value.span, file_unit)
    if isinstance(value, ast.Money):
        return _money(value, file_unit, written_unit)
    if isinstance(value, ast.Goals):
        return _goals(value.items)
    if isinstance(value, ast.Rows):
        return [
            {
                "cells": _fields(row.fields, file_unit, written_unit),
                "extra": _extra(row.fields),
                "span": _span(row.span),
            }
            for row in value.rows
        ]
    if isinstance(value, ast.Labels):
        return [
            {"label": label, "text": cell.value if isinstance(cell, ast.Located) else None}
            for label, cell in value.fields.items()
        ]
    if isinstance(value, ast.Tree):
        return _tree(value.level1, file_unit, written_unit)
    raise TypeError(f"no JSON for {type(value).__name__}")


def _fields(fields: ast.Fields, file_unit: str | None, written: str) -> Json:
    """Registry fields present in ``fields``, keyed by their registry key."""
    return {
        key: field_json(value, file_unit, written)
        for key, value in fields.items()
        if ast.free_label(key) is None
    }


def _extra(fields: ast.Fields) -> Json:
    """Free (栏目) fields: label → text, in the order written."""
    out: Json = {}
    for key, value in fields.items():
        label = ast.free_label(key)
        if label is not None and isinstance(value, ast.Located):
            out[label] = value.value
    return out


def _level_fields(level: R.Level, fields: ast.Fields, file_unit: str | None, written: str) -> Json:
    """Every registry field of ``level`` (null when absent), so each object has one shape."""
    present = _fields(fields, file_unit, written)
    return {
        f.key: present.get(f.key)
        for f in R.at(level)
        if f.kind != "structure" and f.key not in _CORE.get(level, ())
    }


#: Fields with a place of their own in the JSON (not in the generic field set).
_CORE: dict[str, tuple[str, ...]] = {
    "header": ("unit", "year", "money_unit"),
    "project": ("goals",),
    "indicator": ("value",),
}


def _header(header: ast.Header, file_unit: str | None) -> Json:
    written = file_unit or header.unit
    return {
        "unit_code": _text(header.unit_code),
        "unit_name": _text(header.unit_name),
        "year": header.year_number,
        "money_unit": file_unit or header.unit,
        **_level_fields("header", header.fields, file_unit, written),
        "extra": _extra(header.fields),
        "span": _span(header.span),
    }


def _budget(budget: ast.Budget | None, file_unit: str | None, written: str) -> Json | None:
    if budget is None:
        return None
    return {
        "key": budget.key,
        "name": R.get("budget", budget.key).zh,
        "total": _money(budget.total, file_unit, written),
        "funding": _funding(budget.lines, file_unit, written),
        "span": _span(budget.span),
    }


def _funding(lines: tuple[ast.FundingLine, ...], file_unit: str | None, written: str) -> list[Json]:
    return [
        {
            "kind": line.kind,
            "name": R.get("funding", line.kind).zh,
            "amount": _money(line.amount, file_unit, written),
            "lines": _funding(line.lines, file_unit, written),
            "span": _span(line.span),
        }
        for line in lines
    ]


def _goals(goals: tuple[ast.Goal, ...]) -> list[Json]:
    return [{"text": goal.text, "span": _span(goal.span)} for goal in goals]


def _indicator(
    row: int,
    l1: ast.Level1,
    l2: ast.Level2,
    ind: ast.Indicator,
    file_unit: str | None,
    written: str,
) -> Json:
    return {
        "row": row,
        "level1": l1.name,
        "level2": l2.name,
        "name": ind.name,
        "value": None if ind.value is None else value(ind.value, ind.value_span, file_unit),
        **_level_fields("indicator", ind.fields, file_unit, written),
        "extra": _extra(ind.fields),
        "span": _span(ind.span),
    }


def _tree(tree: tuple[ast.Level1, ...], file_unit: str | None, written: str) -> list[Json]:
    row = 0
    level1: list[Json] = []
    for l1 in tree:
        level2: list[Json] = []
        for l2 in l1.blocks:
            indicators = []
            for ind in l2.indicators:
                row += 1
                indicators.append(_indicator(row, l1, l2, ind, file_unit, written))
            level2.append(
                {
                    "name": l2.name,
                    **_level_fields("category", l2.fields, file_unit, written),
                    "indicators": indicators,
                    "span": _span(l2.span),
                }
            )
        level1.append(
            {
                "name": l1.name,
                **_level_fields("category", l1.fields, file_unit, written),
                "level2": level2,
                "span": _span(l1.span),
            }
        )
    return level1


def _project(number: int, project: ast.Project, file_unit: str | None, header_unit: str) -> Json:
    written = file_unit or header_unit  # the header's own spelling if it is not money at all
    return {
        "number": number,
        "kind": project.kind,
        "name": project.name,
        "name_span": _span(project.name_span),
        "budget": _budget(project.budget, file_unit, written),
        "budgets": [_budget(b, file_unit, written) for b in project.budgets],
        "goals": _goals(project.goals),
        **_level_fields("project", project.fields, file_unit, written),
        "extra": _extra(project.fields),
        "level1": _tree(project.indicators, file_unit, written),
        "span": _span(project.span),
    }

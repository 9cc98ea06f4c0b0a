"""The JSON Schema of ``perfdsl build --to json``, generated from the field registry.

Every field of :mod:`perfdsl.standards.fields` becomes a property of its object (header,
project, indicator, 一级/二级, a row of a block), typed by its kind, so the schema can never
fall behind the emitter: ``python scripts/gen_schema.py`` writes docs/perfdsl.schema.json and
a test holds the file equal to :func:`schema`.
"""

from __future__ import annotations

from typing import Any

from perfdsl.emit.json import SCHEMA_VERSION
from perfdsl.standards import fields as R

Json = dict[str, Any]

# The shapes that do not depend on the registry: decimals, dates, spans, values.
STATIC_DEFS: Json = {
    "decimal": {
        "type": "string",
        "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
        "description": 'An exact decimal number in plain notation, keeping the written scale ("146.00", "413.728"). Never a float.',
    },
    "partial_date": {
        "type": "string",
        "pattern": "^(XXXX|[0-9]{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
        "description": 'An ISO 8601 date that may lack its day or month ("2024", "2024-01", "2024-01-31"); an unknown year is XXXX, as in EDTF ("XXXX-06").',
    },
    "span": {
        "type": "object",
        "additionalProperties": False,
        "required": ["line", "column", "end_line", "end_column"],
        "description": "Where in the source: 1-based line and column, end exclusive, columns counted in characters (not bytes, not display width).",
        "properties": {
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
            "end_line": {"type": "integer", "minimum": 1},
            "end_column": {"type": "integer", "minimum": 1},
        },
    },
    "nullable_span": {
        "oneOf": [{"$ref": "#/$defs/span"}, {"type": "null"}],
        "description": "A span, or null where the source has no text for the node.",
    },
    "converted": {
        "type": ["object", "null"],
        "additionalProperties": False,
        "required": ["number", "unit"],
        "description": "For money only (元/千元/万元/百万元/亿元, and 万 = 万元): the amount in the file's money unit (header.money_unit), converted exactly. An amount already in that unit is passed through unchanged. null when the unit is not money.",
        "properties": {
            "number": {"$ref": "#/$defs/decimal"},
            "unit": {
                "type": "string",
                "enum": ["元", "千元", "万元", "百万元", "亿元"],
                "description": "The file's money unit (header.money_unit): 元, 万元 or 亿元; 千元 or 百万元 only in a --force build of a file that declares them.",
            },
        },
    },
    "bound": {
        "type": "object",
        "additionalProperties": False,
        "required": ["number", "unit", "converted"],
        "description": 'One end of a range. A low end written without a unit ("90-100%") takes the range\'s unit.',
        "properties": {
            "number": {"$ref": "#/$defs/decimal"},
            "unit": {"type": "string"},
            "converted": {"$ref": "#/$defs/converted"},
        },
    },
    "value": {
        "type": "object",
        "description": "One indicator value cell (指标值 or 中期值). kind, text, operator, number, unit and span are always present (null where the kind has none); each kind adds its details.",
        "required": ["kind", "text", "operator", "number", "unit", "span"],
        "properties": {
            "kind": {"enum": ["quantity", "range", "period", "deadline", "text"]},
            "text": {
                "type": "string",
                "description": "The cell as printed (canonical: full-width digits and operators folded, e.g. ＞＝ → ≥).",
            },
            "operator": {
                "enum": ["≥", "≤", "=", ">", "<", "±", None],
                "description": "The comparison written before the number; null when none was written (which reads as =) and for kinds other than quantity.",
            },
            "number": {
                "oneOf": [{"$ref": "#/$defs/decimal"}, {"type": "null"}],
                "description": "quantity: the number, exact. Other kinds: null.",
            },
            "unit": {
                "type": ["string", "null"],
                "description": 'quantity and range: the unit as written ("次", "%", "万元", "万", "元/亩"; "" for none). Other kinds: null.',
            },
            "span": {"$ref": "#/$defs/nullable_span"},
        },
        "oneOf": [
            {
                "properties": {
                    "kind": {"const": "quantity"},
                    "text": True,
                    "operator": True,
                    "number": {"$ref": "#/$defs/decimal"},
                    "unit": {"type": "string"},
                    "span": True,
                    "suffix": {
                        "type": "string",
                        "description": 'A bound word kept as written: 以上, 以下, 以内, 及以上, 及以下, 左右, or "".',
                    },
                    "converted": {"$ref": "#/$defs/converted"},
                },
                "required": ["suffix", "converted"],
                "additionalProperties": False,
            },
            {
                "properties": {
                    "kind": {"const": "range"},
                    "text": True,
                    "operator": {"type": "null"},
                    "number": {"type": "null"},
                    "unit": {"type": "string"},
                    "span": True,
                    "low": {"$ref": "#/$defs/bound"},
                    "high": {"$ref": "#/$defs/bound"},
                },
                "required": ["low", "high"],
                "additionalProperties": False,
            },
            {
                "properties": {
                    "kind": {"const": "period"},
                    "text": True,
                    "operator": {"type": "null"},
                    "number": {"type": "null"},
                    "unit": {"type": "null"},
                    "span": True,
                    "start": {"$ref": "#/$defs/partial_date"},
                    "end": {"$ref": "#/$defs/partial_date"},
                },
                "required": ["start", "end"],
                "additionalProperties": False,
            },
            {
                "properties": {
                    "kind": {"const": "deadline"},
                    "text": True,
                    "operator": {"type": "null"},
                    "number": {"type": "null"},
                    "unit": {"type": "null"},
                    "span": True,
                    "date": {
                        "$ref": "#/$defs/partial_date",
                        "description": 'The date to finish by: "2024" for 2024年底之前.',
                    },
                },
                "required": ["date"],
                "additionalProperties": False,
            },
            {
                "properties": {
                    "kind": {"const": "text"},
                    "text": True,
                    "operator": {"type": "null"},
                    "number": {"type": "null"},
                    "unit": {"type": "null"},
                    "span": True,
                },
                "additionalProperties": False,
                "description": "Qualitative (定性) text, e.g. 持续保障, or any cell that is not one of the typed shapes.",
            },
        ],
    },
    "goal": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text", "span"],
        "properties": {
            "text": {"type": "string", "description": "One numbered goal, without its number."},
            "span": {"$ref": "#/$defs/nullable_span"},
        },
    },
}


def _ref(name: str) -> Json:
    return {"$ref": f"#/$defs/{name}"}


def _nullable(schema: Json) -> Json:
    return {"oneOf": [schema, {"type": "null"}]}


def _field_schema(field: R.FieldDef) -> Json:
    """What a field's value looks like in JSON, by its kind (null when the table lacks it)."""
    doc = field.doc_en or field.zh
    description = f"{field.zh}: {doc}."
    kind = field.kind
    if kind == "text":
        return {"type": ["string", "null"], "description": description}
    if kind == "choice":
        return {"enum": [*(word for word, _ in field.choices), None], "description": description}
    if kind == "number":
        return {**_nullable(_ref("number")), "description": description}
    if kind == "value":
        return {**_nullable(_ref("value")), "description": description}
    if kind == "money":
        return {**_nullable(_ref("money")), "description": description}
    if kind == "goals":
        return {**_nullable({"type": "array", "items": _ref("goal")}), "description": description}
    if kind == "rows":
        return {
            **_nullable({"type": "array", "items": _ref(f"row_{field.block}")}),
            "description": description,
        }
    if kind == "labels":
        return {**_nullable({"type": "array", "items": _ref("label")}), "description": description}
    if kind == "indicators":
        return {
            **_nullable({"type": "array", "items": _ref("level1")}),
            "description": description,
        }
    raise ValueError(f"no schema for kind {kind}")


def _fields(level: R.Level, skip: tuple[str, ...] = ()) -> Json:
    return {
        f.key: _field_schema(f) for f in R.at(level) if f.kind != "structure" and f.key not in skip
    }


_EXTRA: Json = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Free fields (栏目 <label>: …): label → text, in the order written.",
}


def _object(description: str, properties: Json) -> Json:
    return {
        "type": "object",
        "additionalProperties": False,
        "description": description,
        "required": list(properties),
        "properties": properties,
    }


def schema() -> Json:
    """The whole schema, as a plain dict (its JSON text is docs/perfdsl.schema.json)."""
    defs: Json = dict(STATIC_DEFS)
    defs["number"] = _object(
        "A plain number (权重, 分值) as written, and its value.",
        {"text": {"type": "string"}, "number": _ref("decimal"), "span": _ref("nullable_span")},
    )
    defs["money"] = _object(
        "An amount of money.",
        {
            "text": {
                "type": "string",
                "description": 'The cell as its author wrote it ("146.00", "4,137,280元").',
            },
            "note": {
                "type": ["string", "null"],
                "description": "Words the author wrote after the amount in the same cell.",
            },
            "number": _ref("decimal"),
            "unit": {
                "type": "string",
                "description": "The unit as written, or the file's money unit when none was written.",
            },
            "converted": _ref("converted"),
            "span": _ref("nullable_span"),
        },
    )
    defs["label"] = _object(
        "One free label: text line (the sign-off rows).",
        {"label": {"type": "string"}, "text": {"type": ["string", "null"]}},
    )
    for block in R.blocks():
        cells = {f.key: _field_schema(f) for f in R.at("row", block)}
        defs[f"row_{block}"] = _object(
            f"One row of the {block} block.",
            {
                "cells": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": cells,
                    "description": "The row's cells that were written, by key.",
                },
                "extra": _EXTRA,
                "span": _ref("nullable_span"),
            },
        )
    defs["funding"] = _object(
        "One funding line under a money column. Lines the author left out (blank cells) are not listed.",
        {
            "kind": {"enum": [f.key for f in R.at("funding")]},
            "name": {"type": "string", "description": "The line's name in Chinese (财政资金 …)."},
            "amount": _ref("money"),
            "lines": {
                "type": "array",
                "items": _ref("funding"),
                "description": "This line's own breakdown (其中…).",
            },
            "span": _ref("nullable_span"),
        },
    )
    defs["budget"] = _object(
        "A money column (预算数, 中期资金总额 …) and its funding lines.",
        {
            "key": {"enum": [f.key for f in R.at("budget")]},
            "name": {"type": "string", "description": "The column's name in Chinese."},
            "total": _ref("money"),
            "funding": {"type": "array", "items": _ref("funding")},
            "span": _ref("nullable_span"),
        },
    )
    defs["indicator"] = _object(
        "A 三级指标: one row of the indicator table.",
        {
            "row": {"type": "integer", "minimum": 1, "description": "1-based row in its tree."},
            "level1": {"type": "string", "description": "The 一级指标 this row is under."},
            "level2": {"type": "string", "description": "The 二级指标 this row is under."},
            "name": {"type": "string", "description": "三级指标."},
            "value": {**_nullable(_ref("value")), "description": "指标值; null when left empty."},
            **_fields("indicator", skip=("value",)),
            "extra": _EXTRA,
            "span": _ref("nullable_span"),
        },
    )
    defs["level2"] = _object(
        "A 二级指标 block; no indicators is a blank pre-printed row.",
        {
            "name": {"type": "string"},
            **_fields("category"),
            "indicators": {"type": "array", "items": _ref("indicator")},
            "span": _ref("nullable_span"),
        },
    )
    defs["level1"] = _object(
        "A 一级指标 block.",
        {
            "name": {"type": "string"},
            **_fields("category"),
            "level2": {"type": "array", "items": _ref("level2")},
            "span": _ref("nullable_span"),
        },
    )
    defs["project"] = _object(
        "One table: a project's, or a department's (部门整体).",
        {
            "number": {
                "type": "integer",
                "minimum": 1,
                "description": "The table's number in the document.",
            },
            "kind": {"enum": ["project", "department"]},
            "name": {
                "type": "string",
                "description": "项目名称 (部门名称). Not necessarily unique.",
            },
            "name_span": _ref("nullable_span"),
            "budget": {
                **_nullable(_ref("budget")),
                "description": "The year's money column (预算数).",
            },
            "budgets": {
                "type": "array",
                "items": _ref("budget"),
                "description": "Every money column, in source order.",
            },
            "goals": {
                "type": "array",
                "items": _ref("goal"),
                "description": "绩效目标 (年度目标).",
            },
            **_fields("project", skip=("goals",)),
            "extra": _EXTRA,
            "level1": {
                "type": "array",
                "items": _ref("level1"),
                "description": "The indicator table.",
            },
            "span": _ref("nullable_span"),
        },
    )
    defs["header"] = _object(
        "The file's header.",
        {
            "unit_code": {
                "type": ["string", "null"],
                "description": "单位编码, a string: codes may start with 0.",
            },
            "unit_name": {"type": ["string", "null"], "description": "单位名称."},
            "year": {"type": ["integer", "null"], "description": "年度 (the budget year)."},
            "money_unit": {
                "type": "string",
                "description": "金额单位 of the file; every `converted` amount is in it.",
            },
            **_fields("header", skip=("unit", "year", "money_unit")),
            "extra": _EXTRA,
            "span": _ref("nullable_span"),
        },
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:perfdsl:schema:document:{SCHEMA_VERSION}",
        "title": "perfdsl document (绩效目标表)",
        "description": (
            "What `perfdsl build --to json` writes for one source file: every table in it, "
            "with typed values and exact money. Keys are English snake_case (the field "
            "registry's keys); names from the tables are values. There are no floating-point "
            "numbers: amounts and indicator numbers are decimal strings keeping the scale the "
            "author wrote. Object keys are sorted; lists keep source order. Generated from the "
            f"field registry; describes schema_version {SCHEMA_VERSION} exactly."
        ),
        "type": "object",
        "required": ["schema_version", "source_path", "header", "projects"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {
                "const": SCHEMA_VERSION,
                "description": "Version of this shape, major.minor.",
            },
            "source_path": {"type": "string", "description": "The source file's path as given."},
            "header": _ref("header"),
            "projects": {
                "type": "array",
                "items": _ref("project"),
                "description": "One per table, in source order.",
            },
        },
        "$defs": dict(sorted(defs.items())),
    }

"""``perfdsl export PATH... --to xlsx|csv|sqlite -o OUT [--lang zh|en]``: many units' tables
as one data set for the finance bureau's analysts.

Three tables, whatever the format (docs/export.md has the columns, keys and example
queries):

* ``indicators`` (指标): one row per 三级指标 (the year's tree and a 中期 tree alike), the
  typed value split into operator, number, unit, suffix, range bounds and dates;
* ``projects`` (项目): one row per table, its money columns and funding lines in the file's
  money unit and in 万元, its goals, its fields;
* ``units`` (单位): one row per file: unit, year, money unit, projects, the budget total in
  万元, errors and warnings.

How it runs: :func:`perfdsl.collect.collect` reads and judges one file at a time; its rows go
straight into a SQLite database on disk (a temporary file beside OUT), so memory stays bounded
by the largest file.  That database *is* the ``sqlite`` output (renamed over OUT at the end);
for ``xlsx`` and ``csv`` it is read back to write the sheets, then deleted.  Money is never a
float: amounts are exact decimal text (Decimal from the source), converted between 元, 万元
and 亿元 by :func:`perfdsl.totals.money_of`; SQLite also gets an INTEGER column in 分 (fen)
for exact sums.  A file with errors is still exported (what reads), its errors are printed,
and the exit code is 1; 2 is a usage or I/O problem, and then nothing is written.

openpyxl (the ``export`` extra) is imported only for ``--to xlsx``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from perfdsl import ast
from perfdsl.diagnostics import Msg, Severity
from perfdsl.output import say
from perfdsl.standards import fields as R
from perfdsl.values import format_decimal

if TYPE_CHECKING:
    import sqlite3

    from perfdsl.collect import UnitFile
    from perfdsl.standards.templates import Template

FORMATS: Final = ("xlsx", "csv", "sqlite")
#: ``user_version`` of an exported database: bumped when a column changes meaning or goes.
SCHEMA_VERSION: Final = 1
#: Excel's limits: rows per sheet, characters per cell, significant digits of a number.
XLSX_MAX_ROWS: Final = 1_048_576
XLSX_MAX_CELL: Final = 32_767
EXCEL_DIGITS: Final = 15
#: The common unit of the converted columns.
WAN: Final = "万元"

#: The ending of the database being written (a hidden file beside an ``sqlite`` output).
STAGE_SUFFIX: Final = ".perfdsl-export.tmp"

CellKind = Literal["text", "int", "money", "number"]


class ExportError(Exception):
    """A usage or I/O problem: nothing is written, exit 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


# --- the columns that are no field of the registry ------------------------------------------------

#: Export columns of our own (the registry's fields are labelled by the registry and the
#: templates): key (the SQLite column and the English header) → Chinese header.
OWN: Final[dict[str, str]] = {
    "unit_code": "单位编码",
    "unit_name": "单位名称",
    "project_number": "项目序号",
    "project_kind": "表格类型",
    "tree": "指标表",
    "value_kind": "指标值类型（解析）",
    "operator": "比较符",
    "number": "数值",
    "value_unit": "数值单位",
    "suffix": "后缀",
    "low": "区间下限",
    "high": "区间上限",
    "date_start": "起始日期",
    "date_end": "截止日期",
    "money": "折合金额（文件金额单位）",
    "extra": "其他栏目",
    "file": "源文件",
    "line": "行号",
    "template": "模板",
    "projects": "项目数",
    "indicators": "指标数",
    "budget_total_wan": "预算合计（万元）",
    "errors": "错误数",
    "warnings": "警告数",
}
KIND_WORDS: Final = {
    "quantity": "数量",
    "range": "区间",
    "period": "期间",
    "deadline": "期限",
    "text": "文字",
}
TABLE_KIND_WORDS: Final = {"project": "项目", "department": "部门整体"}
TREE_WORDS: Final = {"year": "年度", "midterm": "中期"}

#: Registry fields with a place of their own (not a generic field column).
_PROJECT_OWN: Final = frozenset({"name", "goals", "midterm_indicators"})
_INDICATOR_OWN: Final = frozenset({"level1", "level2", "name", "operator", "value"})


def project_fields() -> tuple[R.FieldDef, ...]:
    """The project fields that are columns of ``projects``, in registry order."""
    return tuple(f for f in R.at("project") if f.key not in _PROJECT_OWN)


def indicator_fields() -> tuple[R.FieldDef, ...]:
    """The indicator fields that are columns of ``indicators``, in registry order."""
    return tuple(f for f in R.at("indicator") if f.key not in _INDICATOR_OWN)


def money_columns() -> tuple[R.FieldDef, ...]:
    return R.at("budget")


# --- the SQLite schema ---------------------------------------------------------------------------


def _money_sql(key: str) -> str:
    return f"{key} TEXT, {key}_wan TEXT, {key}_fen INTEGER"


def schema_sql() -> str:
    """The CREATE statements of an exported database (docs/export.md prints the same)."""
    project_cols = ",\n  ".join(
        [_money_sql(f.key) for f in money_columns()] + [f"{f.key} TEXT" for f in project_fields()]
    )
    indicator_cols = ",\n  ".join(f"{f.key} TEXT" for f in indicator_fields())
    return f"""
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  unit_code TEXT,
  unit_name TEXT NOT NULL,
  year INTEGER,
  money_unit TEXT NOT NULL,
  template TEXT,
  readable INTEGER NOT NULL,
  projects INTEGER NOT NULL,
  indicators INTEGER NOT NULL,
  budget_total_wan TEXT,
  budget_total_fen INTEGER,
  errors INTEGER NOT NULL,
  warnings INTEGER NOT NULL
);
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  number INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  goals TEXT,
  {project_cols},
  extra TEXT,
  line INTEGER,
  UNIQUE (unit_id, number)
);
CREATE TABLE funding (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  budget TEXT NOT NULL,
  position INTEGER NOT NULL,
  parent_id INTEGER REFERENCES funding(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  amount TEXT NOT NULL,
  amount_wan TEXT,
  amount_fen INTEGER,
  note TEXT,
  line INTEGER,
  UNIQUE (project_id, budget, position)
);
CREATE TABLE indicators (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  project_id INTEGER NOT NULL REFERENCES projects(id),
  tree TEXT NOT NULL,
  position INTEGER NOT NULL,
  level1 TEXT NOT NULL,
  level2 TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT,
  value_kind TEXT,
  operator TEXT,
  number TEXT,
  value_unit TEXT,
  suffix TEXT,
  low TEXT,
  high TEXT,
  date_start TEXT,
  date_end TEXT,
  money TEXT,
  {indicator_cols},
  extra TEXT,
  line INTEGER,
  UNIQUE (project_id, tree, position)
);
CREATE INDEX units_year ON units (year);
CREATE INDEX units_code ON units (unit_code);
CREATE INDEX projects_unit ON projects (unit_id);
CREATE INDEX funding_project ON funding (project_id);
CREATE INDEX indicators_unit ON indicators (unit_id);
CREATE INDEX indicators_project ON indicators (project_id);
CREATE INDEX indicators_level ON indicators (level1, level2);
CREATE INDEX indicators_level2 ON indicators (level2);
""".strip()


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


def _line(span: ast.Span) -> int | None:
    return span.line if span != ast.NO_SPAN else None


# --- what the exported files' templates call things ---------------------------------------------


class Labels:
    """The label a column prints: the templates' when every exported file's template agrees,
    else the registry's (:func:`perfdsl.standards.fields.label`)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], set[str]] = {}
        #: Fields some exported template holds (a column the sheets always show).
        self.declared: set[tuple[str, str]] = set()

    def see(self, template: Template) -> None:
        structure = {
            "project": ("name", "goals"),
            "indicator": ("level1", "level2", "name", "value"),
        }
        for level in ("project", "budget", "funding", "indicator"):
            keys = (*template.fields.get(level, ()), *structure.get(level, ()))
            for key in keys:
                self.declared.add((level, key))
                self._seen.setdefault((level, key), set()).add(template.label(level, key))

    def __call__(self, level: R.Level, key: str) -> str:
        found = self._seen.get((level, key), set())
        if len(found) == 1:
            return next(iter(found))
        return R.label(level, key)


# --- staging: every file's rows into SQLite -------------------------------------------------------


@attrs.define
class Totals:
    units: int = 0
    projects: int = 0
    indicators: int = 0
    with_errors: int = 0


class Stage:
    """The rows of every file, written to a SQLite database as the files are read."""

    def __init__(self, path: str) -> None:
        import sqlite3

        self.db: sqlite3.Connection = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")  # a temporary file until it is renamed
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA page_size = 4096")
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.executescript(schema_sql())
        self.db.execute("BEGIN")
        self.labels = Labels()
        self.filled: set[tuple[str, str]] = set()
        self.totals = Totals()
        self.first_document: ast.Document | None = None
        self._project_cols = [
            *(c for f in money_columns() for c in (f.key, f"{f.key}_wan", f"{f.key}_fen")),
            *(f.key for f in project_fields()),
        ]
        self._indicator_cols = [f.key for f in indicator_fields()]

    def close(self) -> None:
        self.db.close()

    def commit(self) -> None:
        self.db.execute("COMMIT")

    # --- one file ------------------------------------------------------------------------------

    def add(self, unit: UnitFile) -> None:
        from perfdsl.standards.templates import for_project
        from perfdsl.totals import budget_total

        document = unit.document
        if document is not None and self.first_document is None:
            self.first_document = document
        if unit.template is not None:
            self.labels.see(unit.template)
        total = budget_total(document, WAN) if document is not None else None
        yuan = budget_total(document, "元") if document is not None else None
        projects = document.projects if document is not None else ()
        indicator_count = sum(len(list(_trees(p))) for p in projects)
        cursor = self.db.execute(
            "INSERT INTO units (file, unit_code, unit_name, year, money_unit, template, "
            "readable, projects, indicators, budget_total_wan, budget_total_fen, errors, "
            "warnings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                clean(unit.path),
                clean(unit.unit_code),
                clean(unit.unit_name),
                document.header.year_number if document is not None else None,
                clean(unit.money_unit),
                clean(unit.template.key) if unit.template is not None else None,
                int(document is not None),
                len(projects),
                indicator_count,
                text_of(total),
                fen_of(yuan),
                unit.errors,
                unit.warnings,
            ),
        )
        unit_id = cursor.lastrowid
        self.totals.units += 1
        self.totals.with_errors += bool(unit.errors or document is None)
        if document is None:
            return
        for number, project in enumerate(projects, start=1):
            if unit.template is not None:
                template = for_project(project, unit.template, unit.catalog)
                if template is not unit.template:
                    self.labels.see(template)
            self._project(unit_id, number, project, document.header.unit)
        self.totals.projects += len(projects)
        self.totals.indicators += indicator_count

    def _project(self, unit_id: int | None, number: int, project: ast.Project, unit: str) -> None:
        from perfdsl.totals import money_of

        values: list[Any] = []
        for column in money_columns():
            budget = project.money_column(column.key)
            if budget is None:
                values += [None, None, None]
                continue
            self.filled.add(("budget", column.key))
            values += [
                clean(_in_file_unit(budget.total, unit)),
                text_of(money_of(budget.total, unit, WAN)),
                fen_of(money_of(budget.total, unit, "元")),
            ]
        for field in project_fields():
            text = clean(field_text(project.fields.get(field.key)))
            if text is not None:
                self.filled.add(("project", field.key))
            values.append(text)
        names = ", ".join(self._project_cols)
        marks = ",".join("?" * (6 + len(self._project_cols) + 1))
        cursor = self.db.execute(
            f"INSERT INTO projects (unit_id, number, kind, name, goals, line, {names}, extra) "
            f"VALUES ({marks})",
            (
                unit_id,
                number,
                project.kind,
                clean(project.name),
                clean(goals_text(project.goals)),
                _line(project.span),
                *values,
                clean(extra_text(project.fields)),
            ),
        )
        project_id = cursor.lastrowid
        for budget in project.budgets:
            self._funding(project_id, budget, unit)
        for position, (tree, l1, l2, ind) in enumerate(_trees(project), start=1):
            self._indicator(unit_id, project_id, tree, position, l1, l2, ind, unit)

    def _funding(self, project_id: int | None, budget: ast.Budget, unit: str) -> None:
        from perfdsl.totals import money_of

        position = 0

        def walk(lines: tuple[ast.FundingLine, ...], parent: int | None) -> None:
            nonlocal position
            for line in lines:
                position += 1
                self.filled.add(("funding", f"{budget.key}.{line.kind}"))
                cursor = self.db.execute(
                    "INSERT INTO funding (project_id, budget, position, parent_id, kind, name, "
                    "amount, amount_wan, amount_fen, note, line) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        project_id,
                        budget.key,
                        position,
                        parent,
                        line.kind,
                        R.get("funding", line.kind).zh,
                        clean(_in_file_unit(line.amount, unit)),
                        text_of(money_of(line.amount, unit, WAN)),
                        fen_of(money_of(line.amount, unit, "元")),
                        clean(line.amount.note or None),
                        _line(line.span),
                    ),
                )
                walk(line.lines, cursor.lastrowid)

        walk(budget.lines, None)

    def _indicator(
        self,
        unit_id: int | None,
        project_id: int | None,
        tree: str,
        position: int,
        l1: ast.Level1,
        l2: ast.Level2,
        ind: ast.Indicator,
        unit: str,
    ) -> None:
        split = value_split(ind.value, unit)
        fields = []
        for key in self._indicator_cols:
            text = clean(field_text(ind.fields.get(key), "indicator"))
            if text is not None:
                self.filled.add(("indicator", key))
            fields.append(text)
        names = ", ".join(self._indicator_cols)
        marks = ",".join("?" * (18 + len(fields) + 2))
        self.db.execute(
            "INSERT INTO indicators (unit_id, project_id, tree, position, level1, level2, name, "
            "value, value_kind, operator, number, value_unit, suffix, low, high, date_start, "
            f"date_end, money, {names}, extra, line) VALUES ({marks})",
            (
                unit_id,
                project_id,
                tree,
                position,
                clean(l1.name),
                clean(l2.name),
                clean(ind.name),
                *(clean(v) for v in split),
                *fields,
                clean(extra_text(ind.fields)),
                _line(ind.span),
            ),
        )


def _in_file_unit(money: ast.Money, unit: str) -> str:
    """An amount in the file's money unit, exactly (the author's scale when it is already)."""
    from perfdsl.totals import money_of

    converted = money_of(money, unit, unit)
    return format_decimal(converted if converted is not None else money.amount)


def _trees(project: ast.Project) -> Iterator[tuple[str, ast.Level1, ast.Level2, ast.Indicator]]:
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


# --- the sheets: what xlsx and csv write -------------------------------------------------------------


@attrs.frozen
class SheetColumn:
    key: str
    zh: str
    sql: str
    kind: CellKind = "text"

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.key


@attrs.frozen
class Sheet:
    key: str  # the CSV file's stem and the English sheet name
    zh: str
    columns: tuple[SheetColumn, ...]
    sql: str  # FROM … ORDER BY …

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.key

    def select(self) -> str:
        return f"SELECT {', '.join(c.sql for c in self.columns)} {self.sql}"


def _words(column: str, words: dict[str, str], lang: str) -> str:
    if lang != "zh":
        return column
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in words.items())
    return f"CASE {column} {cases} ELSE {column} END"


def sheets(stage: Stage, lang: str) -> tuple[Sheet, ...]:
    """The three sheets, columns labelled as the exported files' templates label them.

    A field column stands in a sheet when some exported file's template holds the field or
    some row fills it; the rest of the registry's fields stay out of the sheets (the SQLite
    database has every column)."""
    label = stage.labels
    shown = stage.labels.declared | stage.filled

    def own(key: str, sql: str, kind: CellKind = "text") -> SheetColumn:
        return SheetColumn(key, OWN[key], sql, kind)

    unit_cols = (
        own("unit_code", "u.unit_code"),
        own("unit_name", "u.unit_name"),
        SheetColumn("year", R.label("header", "year"), "u.year", "int"),
    )
    indicator_cols = (
        *unit_cols,
        SheetColumn("project", label("project", "name"), "p.name"),
        own("tree", _words("i.tree", TREE_WORDS, lang)),
        SheetColumn("level1", label("indicator", "level1"), "i.level1"),
        SheetColumn("level2", label("indicator", "level2"), "i.level2"),
        SheetColumn("name", label("indicator", "name"), "i.name"),
        SheetColumn("value", label("indicator", "value"), "i.value"),
        own("value_kind", _words("i.value_kind", KIND_WORDS, lang)),
        own("operator", "i.operator"),
        own("number", "i.number", "number"),
        own("value_unit", "i.value_unit"),
        own("suffix", "i.suffix"),
        own("low", "i.low", "number"),
        own("high", "i.high", "number"),
        own("date_start", "i.date_start"),
        own("date_end", "i.date_end"),
        own("money", "i.money", "money"),
        SheetColumn("money_unit", R.label("header", "money_unit"), "u.money_unit"),
        *(
            SheetColumn(
                f.key,
                label("indicator", f.key),
                f"i.{f.key}",
                "number" if f.kind == "number" else "text",
            )
            for f in indicator_fields()
            if ("indicator", f.key) in shown
        ),
        own("extra", "i.extra"),
        own("file", "u.file"),
        own("line", "i.line", "int"),
    )
    money_cols: list[SheetColumn] = []
    used_funding = {key for level, key in stage.filled if level == "funding"}
    for column in money_columns():
        if ("budget", column.key) not in stage.filled:
            continue
        name = label("budget", column.key)
        money_cols += [
            SheetColumn(column.key, name, f"p.{column.key}", "money"),
            SheetColumn(f"{column.key}_wan", f"{name}（万元）", f"p.{column.key}_wan", "money"),
        ]
        for kind in R.at("funding"):
            if f"{column.key}.{kind.key}" not in used_funding:
                continue
            line = label("funding", kind.key)
            zh = line if column.key == "budget" else f"{name}·{line}"
            key = kind.key if column.key == "budget" else f"{column.key}_{kind.key}"
            pick = (
                "(SELECT f.{col} FROM funding f WHERE f.project_id = p.id AND f.budget = "
                f"'{column.key}' AND f.kind = '{kind.key}' ORDER BY f.position LIMIT 1)"
            )
            money_cols += [
                SheetColumn(key, zh, pick.format(col="amount"), "money"),
                SheetColumn(f"{key}_wan", f"{zh}（万元）", pick.format(col="amount_wan"), "money"),
            ]
    project_cols = (
        *unit_cols,
        own("project_number", "p.number", "int"),
        own("project_kind", _words("p.kind", TABLE_KIND_WORDS, lang)),
        SheetColumn("name", label("project", "name"), "p.name"),
        SheetColumn("money_unit", R.label("header", "money_unit"), "u.money_unit"),
        *money_cols,
        SheetColumn("goals", label("project", "goals"), "p.goals"),
        *(
            SheetColumn(f.key, label("project", f.key), f"p.{f.key}")
            for f in project_fields()
            if ("project", f.key) in shown and f.kind != "indicators"
        ),
        own("extra", "p.extra"),
        own("file", "u.file"),
        own("line", "p.line", "int"),
    )
    unit_sheet_cols = (
        own("file", "u.file"),
        *unit_cols,
        SheetColumn("money_unit", R.label("header", "money_unit"), "u.money_unit"),
        own("template", "u.template"),
        own("projects", "u.projects", "int"),
        own("indicators", "u.indicators", "int"),
        own("budget_total_wan", "u.budget_total_wan", "money"),
        own("errors", "u.errors", "int"),
        own("warnings", "u.warnings", "int"),
    )
    return (
        Sheet(
            "indicators",
            "指标",
            indicator_cols,
            "FROM indicators i JOIN projects p ON p.id = i.project_id "
            "JOIN units u ON u.id = i.unit_id ORDER BY i.id",
        ),
        Sheet(
            "projects",
            "项目",
            project_cols,
            "FROM projects p JOIN units u ON u.id = p.unit_id ORDER BY p.id",
        ),
        Sheet("units", "单位", unit_sheet_cols, "FROM units u ORDER BY u.id"),
    )


# --- CSV -------------------------------------------------------------------------------------------


def csv_bytes(db: sqlite3.Connection, sheet: Sheet, lang: str) -> bytes:
    """UTF-8 with a BOM (Excel on Chinese Windows then reads it as UTF-8, not GBK), CRLF
    line ends and minimal quoting (RFC 4180), numbers as the exact decimal text."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in sheet.columns])
    for row in db.execute(sheet.select()):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- xlsx ------------------------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def excel_number(text: str) -> tuple[float, int] | None:
    """(the number, its decimals) when a cell can be an Excel number that shows exactly the
    digits written: at most 15 significant digits, and the float reads back as the same
    value (146.00 → 146.0 with 2 decimals); None: write the text."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    if not number.is_finite():
        return None
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    scale = max(0, -exponent)
    if len(digits) > EXCEL_DIGITS or scale > EXCEL_DIGITS:
        return None
    value = float(number)
    if Decimal(repr(value)) != number:
        return None
    return value, scale


def number_format(kind: CellKind, scale: int) -> str:
    """Money with thousands separators, other numbers plain; exactly ``scale`` decimals."""
    decimals = "." + "0" * scale if scale else ""
    return f"#,##0{decimals}" if kind == "money" else f"0{decimals}"


def display_width(text: str) -> int:
    """Columns the text takes in a sheet, a CJK (wide) character counting two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value: Any, kind: CellKind) -> str:
    """The text a cell shows (for the column widths)."""
    if value is None:
        return ""
    if kind in ("money", "number") and isinstance(value, str):
        found = excel_number(value)
        if found is not None and kind == "money":
            return f"{Decimal(value):,.{found[1]}f}"
    text = str(value)
    return max(text.split("\n"), key=len) if "\n" in text else text


MIN_WIDTH, MAX_WIDTH = 6, 60


def xlsx_bytes(
    db: sqlite3.Connection, all_sheets: Sequence[Sheet], lang: str, timestamp: datetime
) -> bytes:
    """The workbook: a sheet per table, header frozen, autofilter on, widths from the content,
    numbers as numbers where exact (else text), the same bytes for the same input."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    from perfdsl.emit.docx import normalise_zip

    stamp = timestamp.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    book = Workbook(write_only=True)
    book.properties.creator = "perfdsl"
    book.properties.lastModifiedBy = "perfdsl"
    book.properties.title = "项目支出绩效目标" if lang == "zh" else "performance targets"
    book.properties.language = "zh-CN" if lang == "zh" else "en"
    book.properties.created = stamp
    book.properties.modified = stamp
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center")
    for sheet in all_sheets:
        count = db.execute(f"SELECT COUNT(*) {sheet.sql.split(' ORDER BY ')[0]}").fetchone()[0]
        if count + 1 > XLSX_MAX_ROWS:
            raise ExportError(
                Msg(
                    f"{sheet.zh}表有 {count} 行，超过 Excel 一张工作表的上限 {XLSX_MAX_ROWS - 1} "
                    "行；请改用 --to csv 或 --to sqlite，或分开导出",
                    f"the {sheet.key} table has {count} rows, more than an Excel sheet holds "
                    f"({XLSX_MAX_ROWS - 1}); use --to csv or --to sqlite, or export in parts",
                )
            )
        headers = [c.header(lang) for c in sheet.columns]
        widths = [display_width(h) for h in headers]
        for row in db.execute(sheet.select()):
            for i, (value, column) in enumerate(zip(row, sheet.columns, strict=True)):
                widths[i] = max(widths[i], display_width(_shown(value, column.kind)))
        ws = book.create_sheet(sheet.title(lang))
        for i, width in enumerate(widths, start=1):
            # (a CJK character is a little wider than two digits in the default fonts)
            ws.column_dimensions[get_column_letter(i)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, round(width * 1.1) + 2)
            )
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"  # printed, every page repeats the header
        ws.page_setup.orientation = "landscape"
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(ws, value=_xlsx_text(text))
            cell.data_type = "s"
            cell.font, cell.fill, cell.alignment = bold, fill, centre
            header_cells.append(cell)
        ws.append(header_cells)
        for row in db.execute(sheet.select()):
            ws.append(
                [
                    _xlsx_cell(ws, value, column.kind)
                    for value, column in zip(row, sheet.columns, strict=True)
                ]
            )
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # (save_workbook would stamp the clock)
    return normalise_zip(buffer.getvalue(), timestamp)


def _xlsx_text(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)
    return text if len(text) <= XLSX_MAX_CELL else text[: XLSX_MAX_CELL - 1] + "…"


def _xlsx_cell(ws: Any, value: Any, kind: CellKind) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if kind == "int":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "0"
        return cell
    if kind in ("money", "number"):
        found = excel_number(value)
        if found is not None:
            cell = WriteOnlyCell(ws, value=found[0])
            cell.number_format = number_format(kind, found[1])
            return cell
    cell = WriteOnlyCell(ws, value=_xlsx_text(str(value)))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


# --- the command -----------------------------------------------------------------------------------


def _stage_file(directory: Path | None, name: str) -> str:
    """The database the rows go to: beside the output for ``sqlite`` (so that the rename is
    atomic), in the temporary folder otherwise.  Not named like :mod:`perfdsl.atomic`'s
    temporaries, so that a build or export writing into the same folder meanwhile (which
    deletes those as debris) leaves it alone."""
    try:
        fd, path = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=STAGE_SUFFIX)
    except OSError as exc:
        raise ExportError(
            Msg(
                f"输出目录 {directory} 不可写（{exc.strerror or type(exc).__name__}），未写出任何文件",
                f"the output directory {directory} is not writable "
                f"({exc.strerror or type(exc).__name__}); nothing was written",
            )
        ) from None
    os.close(fd)
    return path


def _prepare(to: str, out: str, sources: Sequence[str]) -> tuple[Path, str]:
    """The directory the output goes to, and the name the temporary database takes."""
    target = Path(out)
    named = {_identity(Path(s)) for s in sources if s != "-"}
    if to == "csv":
        if target.exists() and not target.is_dir():
            raise ExportError(
                Msg(
                    f"--to csv 写出一个目录，而 {out} 是一个文件",
                    f"--to csv writes a folder, and {out} is a file",
                )
            )
        # (created when the files are written: a run that fails leaves no empty folder)
        for name in ("indicators", "projects", "units"):
            if _identity(target / f"{name}.csv") in named:
                raise ExportError(_overwrites(str(target / f"{name}.csv")))
        return target, "export"
    if target.is_dir() or out.endswith(("/", os.sep)):
        raise ExportError(
            Msg(
                f"--to {to} 写出一个文件，而 {out} 是一个目录；请写成 -o {os.path.join(out, 'export.' + to)}",
                f"--to {to} writes one file, and {out} is a folder; "
                f"try -o {os.path.join(out, 'export.' + to)}",
            )
        )
    if _identity(target) in named:
        raise ExportError(_overwrites(out))
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(
            Msg(f"输出目录 {parent} 不存在", f"the output folder {parent} does not exist")
        )
    return parent, target.name


def _overwrites(path: str) -> Msg:
    return Msg(
        f"输出 {path} 会覆盖一个源文件，请换一个 -o",
        f"the output {path} would overwrite a source; choose another -o",
    )


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def run_export(paths: Sequence[str], to: str, out: str, lang: str | None) -> int:
    """Export every file ``paths`` name; return the exit code (0, 1: a source had errors,
    2: usage or I/O, nothing written).  Never raises but KeyboardInterrupt."""
    from perfdsl.config import lang_for

    speak = lang_for(lang, paths[0] if paths else None)
    headers = lang or "zh"  # the outputs never depend on the locale
    try:
        return _run(paths, to, out, headers, speak)
    except ExportError as exc:
        say(f"perfdsl export: {exc.message.get(speak)}")
        return 2


def _run(paths: Sequence[str], to: str, out: str, headers: str, speak: str) -> int:
    from perfdsl.atomic import WriteError, recover, write_all_atomic, write_atomic
    from perfdsl.baseline import BaselineError
    from perfdsl.collect import collect
    from perfdsl.commands.common import print_diagnostics
    from perfdsl.config import ConfigError
    from perfdsl.emit.timestamp import TimestampError, build_timestamp, epoch_from_environment
    from perfdsl.load import READ_FAILURES
    from perfdsl.workspace import WorkspaceError, expand

    if to not in FORMATS:
        raise ExportError(
            Msg(
                f"不认识的格式 {to}；可选：{'、'.join(FORMATS)}",
                f"unknown format {to}; choose from {', '.join(FORMATS)}",
            )
        )
    try:
        epoch_from_environment()
    except TimestampError as exc:
        raise ExportError(exc.message) from None
    try:
        sources = expand(paths)
    except WorkspaceError as exc:
        raise ExportError(exc.message) from None
    if to == "xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise ExportError(
                Msg(
                    "--to xlsx 需要 openpyxl：pip install 'perfdsl[export]'",
                    "--to xlsx needs openpyxl: pip install 'perfdsl[export]'",
                )
            ) from None
    directory, name = _prepare(to, out, [s.path for s in sources])
    recover(directory)  # what a killed export (or build) left there
    staged = _stage_file(directory if to == "sqlite" else None, name)
    stage: Stage | None = None
    try:
        stage = Stage(staged)
        for unit in collect(paths):
            unreadable = [d for d in unit.diagnostics if d.code in READ_FAILURES]
            if unit.document is None and unreadable:  # not there, or not readable: I/O
                said = unreadable[0].message
                raise ExportError(
                    Msg(
                        f"{unit.path}：{said.zh}，未写出任何文件",
                        f"{unit.path}: {said.en}; nothing was written",
                    )
                )
            errors = [d for d in unit.diagnostics if d.severity is Severity.ERROR]
            if errors:
                print_diagnostics(errors, {unit.path: unit.lines}, speak)
            if unit.document is None:
                say(
                    Msg(
                        f"{unit.path}：无法读取或解析，只导出它在单位表中的一行",
                        f"{unit.path}: cannot be read; only its row of the units table is exported",
                    ).get(speak)
                )
            elif errors:
                say(
                    Msg(
                        f"{unit.path}：有 {len(errors)} 个错误，仍按读出的内容导出",
                        f"{unit.path}: {len(errors)} error(s); exported as far as it reads",
                    ).get(speak)
                )
            stage.add(unit)
        stage.commit()
        totals = stage.totals
        if to == "sqlite":
            stage.db.execute("ANALYZE")  # (deterministic: statistics of the same rows)
            stage.close()
            stage = None
            try:
                _publish(staged, Path(out))
            except OSError as exc:
                raise ExportError(_cannot_write(out, exc)) from None
            written = [out]
        else:
            timestamp = (
                build_timestamp(stage.first_document)
                if stage.first_document is not None
                else epoch_from_environment() or datetime(1980, 1, 1, tzinfo=UTC)
            )
            all_sheets = sheets(stage, headers)
            try:
                if to == "csv":
                    outputs = [
                        (Path(out) / f"{s.key}.csv", csv_bytes(stage.db, s, headers))
                        for s in all_sheets
                    ]
                    write_all_atomic(outputs)
                    written = [str(p) for p, _ in outputs]
                else:
                    write_atomic(out, xlsx_bytes(stage.db, all_sheets, headers, timestamp))
                    written = [out]
            except (OSError, WriteError) as exc:
                raise ExportError(_cannot_write(out, exc)) from None
    except (ConfigError, BaselineError, WorkspaceError) as exc:
        raise ExportError(exc.message) from None
    except TimestampError as exc:
        raise ExportError(exc.message) from None
    finally:
        if stage is not None:
            stage.close()
        with contextlib.suppress(OSError):
            os.unlink(staged)
    for path in written:
        say(Msg(f"已写出 {path}", f"wrote {path}").get(speak))
    say(
        Msg(
            f"已导出 {totals.units} 个文件、{totals.projects} 个项目、{totals.indicators} 条指标"
            + (f"；{totals.with_errors} 个文件有错误" if totals.with_errors else ""),
            f"exported {totals.units} file(s), {totals.projects} project(s), "
            f"{totals.indicators} indicator(s)"
            + (f"; {totals.with_errors} file(s) with errors" if totals.with_errors else ""),
        ).get(speak)
    )
    return 1 if totals.with_errors else 0


def _publish(staged: str, target: Path) -> None:
    """Give the database the mode a new file gets (or the one it replaces keeps), sync it,
    and rename it over ``target``: a reader sees the old database or the new one."""
    if target.exists():
        mode = target.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(staged, mode)
    with open(staged, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(staged, target)


def _cannot_write(out: str, exc: OSError) -> Msg:
    where = exc.filename or out
    reason = exc.strerror or type(exc).__name__
    return Msg(
        f"无法写入 {where}：{reason}，未写出任何文件",
        f"cannot write {where}: {reason}; nothing was written",
    )

"""The sheets ``xlsx`` and ``csv`` write: which columns each shows, what they are called, and
the query that reads them from the staged database.

Three sheets, ``indicators`` (指标), ``projects`` (项目) and ``units`` (单位).  A registry
field's column stands in a sheet only when some exported file's template holds the field or
some row fills it (the SQLite database has every column); headers are the templates' labels
when they agree (:class:`perfdsl.export.stage.Labels`), and codes such as a value's kind are
written as words in Chinese sheets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from perfdsl.export.schema import OWN, indicator_fields, money_columns, project_fields
from perfdsl.export.xlsx import Column, Table
from perfdsl.standards import fields as R

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator

    from perfdsl.export.stage import Stage
    from perfdsl.export.xlsx import CellKind

KIND_WORDS: Final = {
    "quantity": "数量",
    "range": "区间",
    "period": "期间",
    "deadline": "期限",
    "text": "文字",
}
TABLE_KIND_WORDS: Final = {"project": "项目", "department": "部门整体"}
TREE_WORDS: Final = {"year": "年度", "midterm": "中期"}


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


def row_count(db: sqlite3.Connection, sheet: Sheet) -> int:
    return db.execute(f"SELECT COUNT(*) {sheet.sql.split(' ORDER BY ')[0]}").fetchone()[0]


@attrs.frozen
class _Query:
    """A sheet's rows, read from the database again each time they are iterated (a workbook
    goes through them twice: for the column widths, then for the cells)."""

    db: sqlite3.Connection
    sql: str

    def __iter__(self) -> Iterator[tuple[str | int | None, ...]]:
        return iter(self.db.execute(self.sql))


def sheet_table(db: sqlite3.Connection, sheet: Sheet, lang: str) -> Table:
    """The sheet as a :class:`perfdsl.export.xlsx.Table`, its rows streamed from ``db``."""
    return Table(
        sheet.title(lang),
        tuple(Column(c.header(lang), c.kind) for c in sheet.columns),
        _Query(db, sheet.select()),
    )

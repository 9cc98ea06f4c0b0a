"""Staging: every file's rows written to a SQLite database as the files are read.

:class:`Stage` inserts a :class:`perfdsl.collect.UnitFile`'s unit, projects, funding lines
and indicators (cells from :mod:`perfdsl.export.rows`) into the tables of
:func:`perfdsl.export.schema.schema_sql`, and notes what the sheets need: the labels the
exported files' templates give the columns, and which fields some row fills.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from perfdsl import ast
from perfdsl.export.rows import (
    WAN,
    clean,
    extra_text,
    fen_of,
    field_text,
    goals_text,
    in_file_unit,
    line_of,
    text_of,
    trees,
    value_split,
)
from perfdsl.export.schema import (
    SCHEMA_VERSION,
    indicator_fields,
    money_columns,
    project_fields,
    schema_sql,
)
from perfdsl.standards import fields as R

if TYPE_CHECKING:
    import sqlite3

    from perfdsl.collect import UnitFile
    from perfdsl.standards.templates import Template


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
        indicator_count = sum(len(list(trees(p))) for p in projects)
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
                clean(in_file_unit(budget.total, unit)),
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
                line_of(project.span),
                *values,
                clean(extra_text(project.fields)),
            ),
        )
        project_id = cursor.lastrowid
        for budget in project.budgets:
            self._funding(project_id, budget, unit)
        for position, (tree, l1, l2, ind) in enumerate(trees(project), start=1):
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
                        clean(in_file_unit(line.amount, unit)),
                        text_of(money_of(line.amount, unit, WAN)),
                        fen_of(money_of(line.amount, unit, "元")),
                        clean(line.amount.note or None),
                        line_of(line.span),
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
                line_of(ind.span),
            ),
        )

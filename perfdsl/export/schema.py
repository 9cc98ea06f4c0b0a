"""The columns of an export and the SQLite schema they make (docs/export.md prints the same).

The registry's fields (:mod:`perfdsl.standards.fields`) give most columns: every project
field but the ones with a place of their own, every indicator field likewise, and a money
column (as text, in 万元, in 分) per budget column.  :data:`OWN` names the columns of our own.
"""

from __future__ import annotations

from typing import Final

from perfdsl.standards import fields as R

#: ``user_version`` of an exported database: bumped when a column changes meaning or goes.
SCHEMA_VERSION: Final = 1

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

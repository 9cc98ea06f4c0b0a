"""The examples under examples/: each checks clean, is in canonical form and builds; and the
regional ones keep every cell of the published table they were written from.

``examples/templates/<key>-*.pdsl`` shows each built-in template (the seed shows tianjin);
``examples/regional/NN-<stem>.pdsl`` is the published target table NN of the shared regional
data, written in the language with the region's own template (``<region>.template.toml``).
Its cells are read from ``tests/data/regional/NN_<stem>.expected.json``, a verbatim copy of that
data (every cell as published, cut out of the published text by the data's own tools), not typed
in here, so the test compares two independent transcriptions.

"Without losing a cell" is checked, not claimed:

- every indicator row of the published table is a row of the printed indicator table, with its
  一级, 二级, 三级, value and every other column in the column of that name, and the printed
  table has no row the published one lacks;
- every labelled cell (a header field, a money cell) is printed beside its label, every row of
  a block (年度履职目标, 进度计划) is a printed row, every goal is printed;
- every other value occurs in the source (comments left out: a value must be a field, not a
  remark) or in the printed text;
- every label is printed, except the few listed in :data:`LABELS_NOT_PRINTED` with the reason
  the printer cannot print them yet; an entry that is printed after all fails the test, so the
  list shrinks as the printer improves.

Texts are compared after Unicode NFKC (the printer writes （万元） where a region writes
(万元)) and without white space (the stored copies break lines and digits where a PDF did:
``968.191 8`` is 968.1918); the data's ``[?…]`` annotations are removed first, as its README says.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from perfdsl.diagnostics import Severity
from perfdsl.emit.docx import render_docx
from perfdsl.emit.html import render_html
from perfdsl.emit.json import render_json
from perfdsl.emit.table import Cell, Covered, Grid, ProjectView, document_view
from perfdsl.fmt import to_file_text
from perfdsl.pipeline import Checked, CheckOptions, check_file
from perfdsl.standards.templates import BUILTIN_ORDER

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REGIONAL = EXAMPLES / "regional"
DATA = Path(__file__).parent / "data" / "regional"
SCHEMA = json.loads((ROOT / "docs" / "perfdsl.schema.json").read_text(encoding="utf-8"))
WHEN = datetime(2024, 1, 1, tzinfo=UTC)
SOURCES = sorted(EXAMPLES.rglob("*.pdsl"))
TABLES = sorted(DATA.glob("*.expected.json"))

#: Labels of published tables that the printer cannot print yet, with the reason.  (table,
#: label as published without its annotation) → why.  Each entry is asserted to be still
#: unprinted: when the printer learns to print one, the test fails until it is removed here.
LABELS_NOT_PRINTED: dict[tuple[str, str], str] = {
    # The indicator table's own name is only a caption for screen readers, not a printed cell.
    ("21", "项目具体目标表"): "the indicator table's caption is not printed",
    ("25", "长期绩效指标"): "the 中期 (长期) indicator table's caption is not printed",
    ("25", "年度绩效指标"): "the year's indicator table's caption is not printed",
    # 23's 部门总体资金情况 grid: one amount per funding line, no group per breakdown.
    ("23", "部门总体资金情况 (单位:万元)"): "the money group prints as 部门总体资金情况（万元）",
    ("23", "收入构成"): "the source breakdown (财政拨款, 其他资金) prints without a group label",
    ("23", "支出构成"): "the use breakdown (基本支出, 项目支出) prints without a group label",
    ("23", "当年金额"): "a money block has no column headers; its amounts are this year's",
    ("23", "近两年收支金额: 年"): "no columns for earlier years (empty in the published table)",
}

#: Lines above a published table that no field of the language holds, with the reason.
TITLES_NOT_KEPT: dict[tuple[str, str], str] = {
    ("23", "附件 2:"): "the disclosure's attachment number; written `栏目 附件: 2` in the header, "
    "and header fields are not printed",
}

#: The kinds of table the regional data holds that are target tables (the others are
#: year-end self-evaluations, not written as examples).
TARGET_KINDS = ("project target", "department target")


# --- reading ------------------------------------------------------------------------------------


def check(path: Path) -> Checked:
    checked = check_file(str(path), CheckOptions())
    assert checked.loaded.document is not None, checked.diagnostics
    return checked


def errors(checked: Checked) -> list[str]:
    return [
        f"{d.code} {d.span}: {d.message.zh}"
        for d in checked.diagnostics
        if d.severity is Severity.ERROR
    ]


def strip(text: str) -> str:
    """The published text of a data cell: its ``[?…]`` annotations removed."""
    return re.sub(r"\s*\[\?[^\]]*\]", "", text).strip()


def norm(text: str) -> str:
    """For comparing: NFKC, no white space, no trailing colon (labels print without it)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(":")


def source_text(path: Path) -> str:
    """The example's text without its comments (``#`` at a line's start or after a space)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in lines)


def texts(cells: Iterator[Cell | Covered] | tuple[Cell | Covered, ...]) -> list[str]:
    return [cell.text for cell in cells if isinstance(cell, Cell)]


def grid_cells(project: ProjectView) -> list[str]:
    return [text for grid in project.tables for row in grid.rows for text in texts(row)]


def filled(grid: Grid) -> list[dict[str, str]]:
    """An indicator table's body as {column label: text}, merged 一级/二级 cells filled down."""
    head = texts(grid.rows[0])
    out: list[dict[str, str]] = []
    above: list[str] = [""] * len(head)
    for row in grid.rows[1:]:
        cells = [above[i] if isinstance(cell, Covered) else cell.text for i, cell in enumerate(row)]
        above = cells
        out.append({norm(label): norm(text) for label, text in zip(head, cells, strict=True)})
    return out


def tables_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data.get("projects") or data.get("units") or []


def number(path: Path) -> str:
    return path.name[:2]


def example_for(table: Path) -> Path:
    stem = table.name[: -len(".expected.json")]
    return REGIONAL / f"{stem[:2]}-{stem[3:]}.pdsl"


def present(value: object) -> bool:
    return isinstance(value, str) and strip(value) not in ("", "(空)")


# --- every example -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_an_example_checks_clean_is_formatted_and_builds(path: Path) -> None:
    checked = check(path)
    assert errors(checked) == []
    # A suppression that silences nothing, or names no rule, would hide nothing but mislead.
    stale = [d.code for d in checked.diagnostics if d.code in ("PD6001", "PD6002")]
    assert stale == []
    document = checked.loaded.document
    assert document is not None
    text = path.read_text(encoding="utf-8")
    assert to_file_text(document, checked.lines, checked.catalog) == text
    template = checked.template()
    assert render_docx(document, template, WHEN, checked.catalog).startswith(b"PK")
    assert "</html>" in render_html(document, template, WHEN, checked.catalog)
    data = json.loads(render_json(document, path.name))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert len(data["projects"]) == len(document.projects) >= 1


@pytest.mark.parametrize("key", [k for k in BUILTIN_ORDER if k != "tianjin"])
def test_every_builtin_template_has_an_example_in_it(key: str) -> None:
    (path,) = sorted((EXAMPLES / "templates").glob(f"{key}-*.pdsl"))
    checked = check(path)
    assert checked.loaded.document is not None
    named = checked.loaded.document.header.template
    assert named is not None
    found = checked.catalog.find(named.value)
    assert found is not None and found.key == key
    assert found.origin == "builtin"
    # (tianjin, the default, is the seed's: examples/beichen-court-2024.pdsl.)


def test_every_regional_target_table_has_an_example() -> None:
    kinds = {number(t): json.loads(t.read_text(encoding="utf-8"))["kind"] for t in TABLES}
    assert set(kinds.values()) <= set(TARGET_KINDS)
    assert sorted(kinds) == ["16", "21", "22", "23", "25"]
    assert sorted(number(p) for p in REGIONAL.glob("*.pdsl")) == sorted(kinds)
    for table in TABLES:
        assert example_for(table).is_file(), table.name
        # Each is written in a template of its region, named in the header.
        assert check(example_for(table)).template().origin.endswith(".template.toml")


# --- every cell of the regional tables -----------------------------------------------------------


class Cells:
    """One published table (an entry of ``projects``/``units``) against one printed table."""

    def __init__(self, nn: str, expected: dict[str, Any], view: ProjectView, source: str):
        self.nn = nn
        self.expected = expected
        self.view = view
        self.cells = [norm(t) for t in grid_cells(view)]
        self.printed = [*self.cells, norm(view.heading)]
        self.source = norm(source)
        self.rows = [
            [norm(t) for t in texts(row)]
            for grid in view.tables
            if grid.kind != "indicators"
            for row in grid.rows
        ]
        self.missing: list[str] = []
        self.printed_labels: list[str] = []  # allow-listed labels that are printed after all
        self.labels_seen: set[str] = set()

    def fail(self, what: str) -> None:
        self.missing.append(what)

    def value(self, text: str, what: str) -> None:
        """A value is a field of the source or printed text."""
        wanted = norm(strip(text))
        if not any(wanted in t for t in (self.source, *self.printed)):
            self.fail(f"{what}: {strip(text)!r}")

    def label(self, text: str, what: str) -> None:
        """A label is printed in a cell (or allow-listed, with its reason)."""
        published = strip(text).rstrip(":：")
        if not published or published in self.labels_seen:
            return
        self.labels_seen.add(published)
        found = any(norm(published) in cell for cell in self.cells)
        if (self.nn, published) in LABELS_NOT_PRINTED:
            if found:
                self.printed_labels.append(published)
        elif not found:
            self.fail(f"label {what}: {published!r}")

    def beside(self, label: str, value: str, what: str) -> None:
        """A labelled cell: some printed row has the label, and its value in the next cell."""
        name, wanted = norm(strip(label)), norm(strip(value))
        for row in self.rows:
            for i, cell in enumerate(row[:-1]):
                if name and name in cell and row[i + 1] == wanted:
                    return
        self.fail(f"{what}: {strip(label)!r} → {strip(value)!r}")

    def row(self, cells: list[str], what: str) -> None:
        """A row of a block: some printed row holds its cells, in order."""
        wanted = [norm(strip(c)) for c in cells if present(c)]
        for row in self.rows:
            found = iter(row)
            if all(any(w == c for c in found) for w in wanted):
                return
        self.fail(f"{what}: {cells!r}")


def indicator_grids(view: ProjectView) -> list[Grid]:
    return [grid for grid in view.tables if grid.kind == "indicators"]


def check_indicators(cells: Cells, expected: dict[str, Any]) -> None:
    """Each published row is a printed row, in its block's table; no row is added."""
    columns = expected.get("columns") or []
    rows = expected.get("indicators") or []
    grids = indicator_grids(cells.view)
    by_block: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_block.setdefault(norm(row.get("block") or ""), []).append(row)
    for block, wanted in by_block.items():
        # The year's rows are the first table; a named block is the table of that caption
        # (or of that title, the line printed above it).
        named = [g for g in grids if block and block in (norm(g.caption), norm(g.title))]
        grid = named[0] if named else grids[0]
        printed = filled(grid)
        total = expected.get("total_row")
        if total and block == "" and printed:
            # 总分 | … | 100: the last row, printed cell for cell (its sum computed from 分值).
            if list(printed[-1].values()) != [norm(strip(c)) for c in total]:
                cells.fail(f"total row {list(printed[-1].values())} ≠ {total}")
            printed = printed[:-1]
        if len(printed) != len(wanted):
            cells.fail(f"indicator rows of {block or 'the table'}: {len(printed)} ≠ {len(wanted)}")
        for row in wanted:
            extra = {norm(k) for k in row["extra"]}
            head = [norm(strip(c)) for c in columns if norm(strip(c)) not in extra]
            roles = dict(zip(("一级", "二级", "三级", "值"), head, strict=True))
            need = {
                roles[role]: norm(strip(row[role]))
                for role in ("一级", "二级", "三级", "值")
                if row.get(role) is not None
            }
            need |= {norm(k): norm(strip(v)) for k, v in row["extra"].items() if v is not None}
            if not any(all(p.get(k) == v for k, v in need.items()) for p in printed):
                cells.fail(f"indicator row {row}")
    if not rows:  # lost to truncation: the printed table has no rows either
        for grid in grids:
            if filled(grid):
                cells.fail("indicator rows that the published table does not have")


def check_table(nn: str, expected: dict[str, Any], view: ProjectView, source: str) -> Cells:
    cells = Cells(nn, expected, view, source)
    if expected.get("name"):
        cells.value(expected["name"], "name")
    for line in expected.get("title") or []:
        if (nn, line) not in TITLES_NOT_KEPT:
            cells.value(line, "title line")
    for label, value in (expected.get("fields") or {}).items():
        if value is not None:
            cells.label(label, "of a field")
            cells.beside(label, value, "field")
    for key, value in (expected.get("budget") or {}).items():
        *groups, label = key.split(" | ")
        for group in groups:
            cells.label(group, "of a money group")
        cells.label(label, "of a money cell")
        cells.beside(label, value, "money cell")
    for label, goals in (expected.get("goals") or {}).items():
        cells.label(label, "of the goals")
        for goal in goals:
            cells.value(goal, f"goal under {label}")
    for group, members in (expected.get("groups") or {}).items():
        cells.label(group, "of a group")
        for member in members:
            cells.label(member, f"in the group {group}")
    for table in expected.get("tables") or []:
        cells.label(table["caption"], "of a block")
        for column in table["columns"]:
            cells.label(column, f"of a column of {table['caption']}")
        for row in table["rows"]:
            cells.row(row, f"row of {table['caption']}")
    funding = expected.get("funding")
    if funding:
        cells.label(funding["caption"], "of the money grid")
        for column in funding["columns"]:
            cells.label(column, "of a money column")
        for row in funding["rows"]:
            cells.label(row.get("group") or "", "of a money group")
            cells.label(row["label"], "of a money row")
            for value in row["values"]:
                if present(value):
                    cells.value(value, f"money grid, {row['label']}")
    if expected.get("indicator_caption"):
        cells.label(expected["indicator_caption"], "of the indicator table")
    columns = expected.get("columns") or []
    for column in columns:
        cells.label(column, "of an indicator column")
    for row in expected.get("indicators") or []:
        if row.get("block"):
            cells.label(row["block"], "of an indicator table")
    # The 总分 row: its label here, its cells in check_indicators.
    if expected.get("total_row"):
        cells.label(expected["total_row"][0], "of the total row")
    check_indicators(cells, expected)
    return cells


@pytest.mark.parametrize("table", TABLES, ids=number)
def test_a_regional_example_keeps_every_cell_of_its_table(table: Path) -> None:
    data = json.loads(table.read_text(encoding="utf-8"))
    path = example_for(table)
    checked = check(path)
    document = checked.loaded.document
    assert document is not None
    view = document_view(document, checked.template(), checked.catalog)
    published = tables_of(data)
    assert [p.heading for p in view.projects] and len(view.projects) == len(published)
    source = source_text(path)
    missing: list[str] = []
    printed: list[str] = []
    for expected, project in zip(published, view.projects, strict=True):
        cells = check_table(number(table), expected, project, source)
        missing += cells.missing
        printed += cells.printed_labels
    assert missing == [], "\n".join(missing)
    assert printed == [], f"printed now, remove from LABELS_NOT_PRINTED: {printed}"


def test_the_allow_lists_name_cells_of_the_tables() -> None:
    """Every allow-listed label and title line is one of its table's, as published."""
    published = {number(t): strip(t.read_text(encoding="utf-8")) for t in TABLES}
    for nn, label in (*LABELS_NOT_PRINTED, *TITLES_NOT_KEPT):
        assert f'"{label}' in published[nn], (nn, label)

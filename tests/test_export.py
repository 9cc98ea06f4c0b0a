"""``perfdsl export``: every example to xlsx, csv and sqlite; exact totals, row counts, the
sheets' shape, byte-identical reruns, errors, and every example query of docs/export.md."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl import ast
from perfdsl.cli import main
from perfdsl.collect import collect
from perfdsl.export.schema import schema_sql
from perfdsl.export.xlsx import excel_number, number_format
from perfdsl.totals import budget_total, money_of

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOC = ROOT / "docs" / "export.md"
FILES = sorted(EXAMPLES.rglob("*.pdsl"))

openpyxl = pytest.importorskip("openpyxl")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout + result.stderr


def export(tmp: Path, fmt: str, *paths: str, name: str | None = None, lang: str = "zh") -> Path:
    out = tmp / (name or (f"out.{fmt}" if fmt != "csv" else "csv"))
    code, said = run("export", *paths, "--to", fmt, "-o", str(out), "--lang", lang)
    assert code == 0, said
    return out


def documents() -> list[ast.Document]:
    found = [u.document for u in collect([str(EXAMPLES)])]
    assert all(d is not None for d in found)
    return found  # type: ignore[return-value]


def indicator_count(project: ast.Project) -> int:
    count = len(list(project.iter_indicators()))
    midterm = project.fields.get("midterm_indicators")
    if isinstance(midterm, ast.Tree):
        count += len(list(ast.iter_tree(midterm.level1)))
    return count


def fen(document: ast.Document) -> int | None:
    total = budget_total(document, "元")
    return None if total is None else int(total * 100)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("export")
    return {fmt: export(tmp, fmt, str(EXAMPLES)) for fmt in ("xlsx", "csv", "sqlite")}


@pytest.fixture(scope="module")
def db(exported: dict[str, Path]) -> sqlite3.Connection:
    return sqlite3.connect(exported["sqlite"])


def test_every_example_is_exported_and_counted(db: sqlite3.Connection) -> None:
    docs = documents()
    assert len(FILES) == len(docs) >= 11
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == len(docs)
    projects = sum(len(d.projects) for d in docs)
    indicators = sum(indicator_count(p) for d in docs for p in d.projects)
    assert db.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == projects
    assert db.execute("SELECT COUNT(*) FROM indicators").fetchone()[0] == indicators
    lines = sum(len(list(b.all_lines())) for d in docs for p in d.projects for b in p.budgets)
    assert db.execute("SELECT COUNT(*) FROM funding").fetchone()[0] == lines


def test_sqlite_totals_equal_the_sources_exactly(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT budget_total_wan, budget_total_fen FROM units ORDER BY id")
    for document, (wan, fen_total) in zip(documents(), rows, strict=True):
        expected = budget_total(document, "万元")
        assert (Decimal(wan) if wan is not None else None) == expected
        assert fen_total == fen(document)
    # each project's 预算数, in the file's unit as written and in 万元
    rows = db.execute("SELECT budget, budget_wan FROM projects ORDER BY id").fetchall()
    projects = [(d.header.unit, p) for d in documents() for p in d.projects]
    for (unit, project), (written, wan) in zip(projects, rows, strict=True):
        if project.budget is None:
            assert written is None
            continue
        in_file_unit = money_of(project.budget.total, unit, unit)
        assert in_file_unit is not None and written == format(in_file_unit, "f")
        assert Decimal(wan) == money_of(project.budget.total, unit, "万元")


def test_a_typed_value_is_split_exactly(db: sqlite3.Connection) -> None:
    row = db.execute(
        "SELECT value, value_kind, operator, number, value_unit, money FROM indicators "
        "WHERE name = '聘用制人员经费'"
    ).fetchone()
    assert row == ("≤4137280元", "quantity", "≤", "4137280", "元", "413.728")
    row = db.execute(
        "SELECT value_kind, date_start, date_end FROM indicators WHERE value = '2024年1-12月'"
    ).fetchone()
    assert row == ("period", "2024-01", "2024-12")


def test_csv_is_utf8_with_bom_crlf_and_exact(exported: dict[str, Path]) -> None:
    folder = exported["csv"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "indicators.csv",
        "projects.csv",
        "units.csv",
    ]
    data = (folder / "units.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n")
    units = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    docs = documents()
    assert len(units) == len(docs)
    for document, row in zip(docs, units, strict=True):
        total = budget_total(document, "万元")
        assert row["预算合计（万元）"] == ("" if total is None else format(total, "f"))
    projects = (folder / "projects.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(projects, newline="")))
    assert len(rows) == sum(len(d.projects) for d in docs)
    assert rows[0]["预算数"] == "146.00"  # the author's scale
    indicators = (folder / "indicators.csv").read_bytes().decode("utf-8-sig")
    count = sum(indicator_count(p) for d in docs for p in d.projects)
    assert len(list(csv.DictReader(io.StringIO(indicators, newline="")))) == count


def test_english_headers_are_the_column_names(tmp_path: Path) -> None:
    out = export(tmp_path, "csv", str(EXAMPLES / "beichen-court-2024.pdsl"), lang="en")
    header = (out / "units.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("file,unit_code,unit_name,year,money_unit")


def test_xlsx_sheets_frozen_filtered_and_formatted(exported: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(exported["xlsx"])
    assert book.sheetnames == ["指标", "项目", "单位"]
    docs = documents()
    counts = {
        "指标": sum(indicator_count(p) for d in docs for p in d.projects),
        "项目": sum(len(d.projects) for d in docs),
        "单位": len(docs),
    }
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.max_row == counts[ws.title] + 1
        assert ws.cell(1, 1).font.bold
    projects = book["项目"]
    header = [c.value for c in projects[1]]
    budget = projects.cell(2, header.index("预算数") + 1)
    assert budget.value == 146 and budget.number_format == "#,##0.00"
    units = book["单位"]
    header = [c.value for c in units[1]]
    column = header.index("预算合计（万元）") + 1
    total = Decimal(0)
    for r, document in enumerate(docs, start=2):
        cell = units.cell(r, column)
        expected = budget_total(document, "万元")
        if expected is None:
            assert cell.value is None
            continue
        assert Decimal(repr(cell.value)) == expected
        decimals = max(0, -expected.as_tuple().exponent)  # type: ignore[operator]
        assert cell.number_format == number_format("money", decimals)
        total += expected
    # widths come from the content, a CJK character counting two
    assert units.column_dimensions["C"].width >= 2 * len("中共宁德市委党史和地方志研究室")


def test_a_number_excel_cannot_hold_exactly_is_text() -> None:
    assert excel_number("146.00") == (146.0, 2)
    assert excel_number("10606.7522") == (10606.7522, 4)
    assert excel_number("1234567890123.4567") is None  # 17 significant digits
    assert excel_number("0.1000000000000000055511151231257827") is None


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "sqlite"])
def test_two_exports_are_byte_identical(tmp_path: Path, fmt: str) -> None:
    first = export(tmp_path, fmt, str(EXAMPLES), name=f"a.{fmt}")
    second = export(tmp_path, fmt, str(EXAMPLES), name=f"b.{fmt}")
    if fmt == "csv":
        for name in ("indicators.csv", "projects.csv", "units.csv"):
            assert (first / name).read_bytes() == (second / name).read_bytes()
    else:
        assert first.read_bytes() == second.read_bytes()
    if fmt == "sqlite":
        one, two = sqlite3.connect(first), sqlite3.connect(second)
        assert list(one.iterdump()) == list(two.iterdump())


def test_other_processes_write_the_same_bytes(tmp_path: Path) -> None:
    """Another interpreter, another hash seed, another working folder: the same files."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "perfdsl",
                "export",
                str(EXAMPLES),
                "--to",
                "csv",
                "-o",
                str(out),
            ],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_xlsx_stamp_is_source_date_epoch(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    code, said = run(
        "export",
        str(EXAMPLES / "beichen-court-2024.pdsl"),
        "--to",
        "xlsx",
        "-o",
        str(out),
        env={"SOURCE_DATE_EPOCH": "1718000000"},
    )
    assert code == 0, said
    assert openpyxl.load_workbook(out).properties.created.year == 2024
    code, said = run(
        "export", str(EXAMPLES), "--to", "xlsx", "-o", str(out), env={"SOURCE_DATE_EPOCH": "x"}
    )
    assert code == 2 and "SOURCE_DATE_EPOCH" in said


BAD = "单位: 1 测试单位\n年度: 2024\n\n项目 甲:\n  预算数: 10.50\n    财政资金: 10.50\n  产出指标:\n    数量指标:\n      人数: ≥5人\n"


def test_a_file_with_errors_is_exported_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdsl"
    bad.write_text(BAD, encoding="utf-8")  # no 金额单位: PD2003
    out = tmp_path / "x.sqlite"
    code, said = run("export", str(bad), "--to", "sqlite", "-o", str(out), "--lang", "zh")
    assert code == 1
    assert "PD2003" in said and "仍按读出的内容导出" in said
    db = sqlite3.connect(out)
    assert db.execute("SELECT errors, budget_total_fen FROM units").fetchone() == (1, 10_500_000)
    assert db.execute("SELECT name, number FROM indicators").fetchall() == [("人数", "5")]


def test_a_path_that_names_nothing_is_exit_2_in_chinese(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    code, said = run("export", str(tmp_path / "无.pdsl"), "--to", "xlsx", "-o", str(out))
    assert code == 2
    assert re.search(r"[\u4e00-\u9fff]", said) and "Traceback" not in said
    assert not out.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_output_folder_is_exit_2(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        for fmt, out in (("sqlite", locked / "x.sqlite"), ("xlsx", locked / "x.xlsx")):
            code, said = run("export", str(EXAMPLES), "--to", fmt, "-o", str(out))
            assert code == 2 and "Traceback" not in said, said
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_an_output_folder_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    for fmt in ("xlsx", "csv", "sqlite"):  # (under a file: not writable, even for root)
        code, said = run("export", str(EXAMPLES), "--to", fmt, "-o", str(tmp_path / "f" / "o"))
        assert code == 2 and "Traceback" not in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
    code, said = run("export", str(EXAMPLES), "--to", "csv", "-o", str(tmp_path / "f"))
    assert code == 2 and "Traceback" not in said
    code, said = run("export", str(EXAMPLES), "--to", "sqlite", "-o", str(tmp_path))
    assert code == 2 and "Traceback" not in said


def test_an_output_never_overwrites_a_source(tmp_path: Path) -> None:
    source = tmp_path / "a.pdsl"
    source.write_text((EXAMPLES / "beichen-court-2024.pdsl").read_text(encoding="utf-8"))
    code, _said = run("export", str(source), "--to", "xlsx", "-o", str(source))
    assert code == 2
    assert source.read_text(encoding="utf-8").startswith("#")


def test_an_existing_output_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "x.sqlite"
    out.write_bytes(b"old")
    inode = out.stat().st_ino
    export(tmp_path, "sqlite", str(EXAMPLES / "beichen-court-2024.pdsl"), name="x.sqlite")
    assert out.stat().st_ino != inode  # renamed over, not written into
    assert sqlite3.connect(out).execute("SELECT COUNT(*) FROM units").fetchone() == (1,)
    assert [p.name for p in tmp_path.iterdir()] == ["x.sqlite"]  # no temporary left
    # a failed export leaves the old file as it was
    code, _said = run("export", str(tmp_path / "nothing"), "--to", "sqlite", "-o", str(out))
    assert code == 2 and sqlite3.connect(out).execute("SELECT COUNT(*) FROM units").fetchone()


# --- docs/export.md --------------------------------------------------------------------------------


def _doc_queries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- query: ([\w-]+) -->\n```sql\n(.*?)```", text, re.S))


def test_the_docs_schema_is_the_code_schema() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    assert schema_sql() + "\n" in blocks


def _by_unit_year() -> list[tuple[str, int | None, int, int]]:
    sums: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for unit in collect([str(EXAMPLES)]):
        document = unit.document
        assert document is not None
        for project in document.projects:
            if project.budget is None:
                continue
            yuan = money_of(project.budget.total, document.header.unit, "元")
            assert yuan is not None
            key = (unit.unit_name, document.header.year_number)
            sums[key][0] += int(yuan * 100)
            sums[key][1] += 1
    return sorted(
        ((name, year, s, n) for (name, year), (s, n) in sums.items()),
        key=lambda r: (r[1], r[0]),
    )


def _level2(name: str) -> list[tuple[str, str]]:
    found = []
    for document in documents():
        for project in document.projects:
            for _l1, l2, ind in project.iter_indicators():
                if l2.name == name:
                    found.append((project.name, ind.name))
            midterm = project.fields.get("midterm_indicators")
            if isinstance(midterm, ast.Tree):
                found += [
                    (project.name, ind.name)
                    for _l1, l2, ind in ast.iter_tree(midterm.level1)
                    if l2.name == name
                ]
    return found


def _by_fund_source() -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for document in documents():
        for project in document.projects:
            if project.budget is None:
                continue
            for line in project.budget.lines:
                yuan = money_of(line.amount, document.header.unit, "元")
                assert yuan is not None
                sums[line.kind] += int(yuan * 100)
    return dict(sums)


def test_every_example_query_of_the_docs_answers_as_the_sources_do(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    queries = _doc_queries()
    assert set(queries) == {
        "budget-by-unit-year",
        "one-level2-across-units",
        "units-with-errors",
        "budget-by-fund-source",
    }
    rows = db.execute(queries["budget-by-unit-year"]).fetchall()
    assert [tuple(r) for r in rows] == _by_unit_year()
    assert sum(r[2] for r in rows) == sum(f for d in documents() if (f := fen(d)) is not None)

    rows = db.execute(queries["one-level2-across-units"]).fetchall()
    assert [(r[2], r[3]) for r in rows] == _level2("成本指标") and rows
    assert ("≤4137280元", "413.728") in [(r[4], r[8]) for r in rows]

    assert db.execute(queries["units-with-errors"]).fetchall() == []  # the examples are clean
    bad = tmp_path / "bad.pdsl"
    bad.write_text(BAD, encoding="utf-8")
    out = tmp_path / "with-bad.sqlite"
    code, _said = run("export", str(EXAMPLES), str(bad), "--to", "sqlite", "-o", str(out))
    assert code == 1
    rows = sqlite3.connect(out).execute(queries["units-with-errors"]).fetchall()
    assert rows == [(str(bad), "测试单位", 2024, 1, 0)]

    rows = db.execute(queries["budget-by-fund-source"]).fetchall()
    assert {kind: amount for kind, _name, amount in rows} == _by_fund_source()

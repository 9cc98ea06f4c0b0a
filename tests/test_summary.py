"""``perfdsl summary``: the 汇总 of many units' files — exact totals, counts, findings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main
from perfdsl.collect import collect
from perfdsl.totals import budget_total

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
SMALL = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 万元

项目 办案业务费:
  预算数: 146.00
    财政资金: 140.00
      上级资金: 40.00
      本级资金: 100.00
    其他资金: 6.00
  资金用途: 保障办案业务正常开展。
  绩效目标:
    1. 保障办案业务正常开展。
  产出指标:
    数量指标:
      陪审员参审次数: ≥400次
    成本指标:
      全年电子档案服务费用: ≤80万元
  效益指标:
    可持续影响指标:
      保障水平: 持续保障
  满意度指标:
    服务对象满意度指标:
      审判执行部门对业务保障满意度: ≥95%
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["summary", *args])
    return result.exit_code, result.stdout, result.stderr


def summary_json(*paths: str | Path) -> dict:  # type: ignore[type-arg]
    code, out, err = run("--format", "json", *map(str, paths))
    assert code == 0, err
    return json.loads(out)


def test_the_examples_add_up_exactly_to_their_sources():
    data = summary_json(ROOT / "examples")
    files = list(collect([str(ROOT / "examples")]))
    expected = sum(
        (budget_total(f.document, "万元") or Decimal(0) for f in files if f.document),
        Decimal(0),
    )
    assert Decimal(data["budget"]) == expected
    assert data["files"] == len(files)
    assert data["projects"] == sum(len(f.document.projects) for f in files if f.document)
    indicators = sum(
        len(list(p.iter_indicators())) for f in files if f.document for p in f.document.projects
    )
    assert data["indicators"] == indicators == sum(data["level1"].values())
    assert sum(Decimal(v) for v in data["by_year"].values()) == expected
    assert sum(Decimal(v) for v in data["by_category"].values()) == expected
    # Fund sources add up to the budgets: 基本支出/项目支出 (what money is spent on) are not
    # sources, and what no source line names is 未列明来源.
    assert sum(Decimal(v) for v in data["by_fund"].values()) == expected
    assert "基本支出" not in data["by_fund"] and "未列明来源" in data["by_fund"]
    seed = next(u for u in data["units"] if u["file"].endswith("beichen-court-2024.pdsl"))
    assert (seed["unit"], seed["year"], seed["budget"], seed["projects"]) == (
        "天津市北辰区人民法院",
        "2024",
        "1278.82",
        9,
    )
    assert seed["warnings"] == sum(
        n
        for code, n in seed["codes"].items()
        if code in {"PD3010", "PD3011", "PD4003", "PD5003", "PD5005"}
    )


def test_units_in_yuan_and_wan_are_added_in_one_unit_exactly(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "a.pdsl").write_text(SMALL, encoding="utf-8")
    in_yuan = (
        SMALL.replace("金额单位: 万元", "金额单位: 元")
        .replace("146.00", "1460001")
        .replace("140.00", "1400000")
        .replace("40.00", "400000")
        .replace("100.00", "1000000")
        .replace("6.00", "60001")
        .replace("≤80万元", "≤800000元")
        .replace("215101 天津市北辰区人民法院", "215102 北辰区检察院")
    )
    (tmp_path / "2024" / "b.pdsl").write_text(in_yuan, encoding="utf-8")
    data = summary_json(tmp_path)
    assert data["unit"] == "万元"
    assert [u["budget"] for u in data["units"]] == ["146.00", "146.0001"]
    assert data["budget"] == "292.0001"
    # Fund sources: the first level only (上级资金 is part of 财政资金, not added again).
    assert data["by_fund"] == {"财政资金": "280.00", "其他资金": "12.0001"}
    assert data["by_year"] == {"2024": "292.0001"}
    assert data["level1"] == {"产出指标": 4, "效益指标": 2, "满意度指标": 2}


def test_findings_are_counted_by_code_and_unit(tmp_path):
    (tmp_path / "good.pdsl").write_text(SMALL, encoding="utf-8")
    broken = SMALL.replace("    财政资金: 140.00", "    财政资金: 130.00")  # lines ≠ budget
    (tmp_path / "bad.pdsl").write_text(broken, encoding="utf-8")
    data = summary_json(tmp_path)
    by_file = {Path(u["file"]).name: u for u in data["units"]}
    assert by_file["bad.pdsl"]["errors"] >= 1 and by_file["good.pdsl"]["errors"] == 0
    codes = {f["code"]: f["count"] for f in data["findings"] if f["severity"] == "error"}
    assert sum(codes.values()) == by_file["bad.pdsl"]["errors"]


def test_table_markdown_and_english(tmp_path):
    (tmp_path / "a.pdsl").write_text(SMALL, encoding="utf-8")
    code, table, _ = run(str(tmp_path))
    assert code == 0
    assert table.startswith("汇总：1 个文件，1 个项目，4 条指标；预算合计 146.00万元")
    lines = table.splitlines()
    header = next(line for line in lines if line.strip().startswith("单位"))
    row = lines[lines.index(header) + 1]
    assert row.strip().startswith("天津市北辰区人民法院")
    code, markdown, _ = run("--format", "markdown", str(tmp_path))
    assert "| 单位 | 年度 | 项目 | 指标 | 预算（万元） | 错误 | 警告 | 文件 |" in markdown
    code, english, _ = run("--lang", "en", str(tmp_path))
    assert english.startswith("Summary: 1 file(s), 1 project(s), 4 indicator(s)")
    assert run(str(tmp_path)) == run(str(tmp_path))  # the same every time


def test_paths_that_name_nothing_or_cannot_be_read_exit_2(tmp_path):
    code, _out, err = run(str(tmp_path / "nowhere.pdsl"))
    assert code == 2 and "无法读取" in err
    (tmp_path / "empty").mkdir()
    code, _out, err = run(str(tmp_path / "empty"))
    assert code == 2 and "没有 .pdsl 文件" in err
    code, _out, err = run("--format", "xlsx", str(ROOT / "examples"))
    assert code == 2 and "需要 -o" in err


def test_writes_to_a_file_atomically(tmp_path):
    (tmp_path / "a.pdsl").write_text(SMALL, encoding="utf-8")
    out = tmp_path / "汇总.md"
    assert run("--format", "markdown", "-o", str(out), str(tmp_path / "a.pdsl"))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("## 汇总：1 个文件")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _out, err = run("-o", str(blocker / "x.md"), str(tmp_path / "a.pdsl"))
    assert code == 2 and "无法写入" in err


# --- --format xlsx -------------------------------------------------------------------------------

SHEETS = [
    "逐单位",
    "按年度",
    "按资金来源",
    "按项目类别",
    "按一级指标（指标条数）",
    "按二级指标（指标条数）",
    "检查结果（按代码）",
]


def _amount(cell) -> str | None:  # type: ignore[no-untyped-def]
    """The exact amount a money cell shows: a number with exactly the decimals of its
    format, or the text when Excel could not hold it exactly."""
    if cell.value is None:
        return None
    if cell.data_type == "s":
        return cell.value
    assert cell.data_type == "n" and cell.number_format.startswith("#,##0")
    scale = len(cell.number_format.partition(".")[2])
    return f"{Decimal(repr(cell.value)):.{scale}f}"


def test_xlsx_a_sheet_per_table_amounts_exact_the_same_bytes(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "汇总.xlsx"
    code, _out, err = run("--format", "xlsx", "-o", str(out), str(ROOT / "examples"))
    assert code == 0, err
    data = summary_json(ROOT / "examples")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    units = book["逐单位"]
    assert [c.value for c in units[1]] == [
        *("单位", "年度", "项目", "指标", "预算（万元）", "错误", "警告", "文件")
    ]
    assert all(c.font.bold for c in units[1])
    assert units.freeze_panes == "A2"
    assert units.auto_filter.ref == f"A1:H{len(data['units']) + 1}"
    rows = list(units.iter_rows(min_row=2))
    assert len(rows) == len(data["units"]) == 11
    numbers = 0
    for row, unit in zip(rows, data["units"], strict=True):
        name, year, projects, indicators, budget, errors, warnings, file = row
        assert (name.value, year.value, file.value) == (unit["unit"], unit["year"], unit["file"])
        assert (projects.value, indicators.value) == (unit["projects"], unit["indicators"])
        assert (errors.value, warnings.value) == (unit["errors"], unit["warnings"])
        assert _amount(budget) == unit["budget"]
        # exactly the decimals written: 1200.00 shows 1,200.00, 968.1918 its four
        if isinstance(budget.value, int | float):
            numbers += 1
            decimals = len(unit["budget"].partition(".")[2])
            assert budget.number_format == "#,##0" + ("." + "0" * decimals if decimals else "")
    # (every example's budget is exact in a float: all are numbers)
    assert numbers == sum(u["budget"] is not None for u in data["units"]) > 5
    by_year = book["按年度"]
    assert [c.value for c in by_year[1]] == ["年度", "金额（万元）", "占比"]
    assert {r[0].value: _amount(r[1]) for r in by_year.iter_rows(min_row=2)} == data["by_year"]
    assert all(isinstance(r[2].value, str) for r in by_year.iter_rows(min_row=2))
    level2 = book["按二级指标（指标条数）"]
    assert [c.value for c in level2[1]] == ["一级指标", "二级指标", "条数"]
    assert [[c.value for c in r] for r in level2.iter_rows(min_row=2)] == [
        [x["level1"], x["level2"], x["indicators"]] for x in data["level2"]
    ]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
    again = tmp_path / "again.xlsx"
    assert run("--format", "xlsx", "-o", str(again), str(ROOT / "examples"))[0] == 0
    assert again.read_bytes() == out.read_bytes()


def test_xlsx_an_amount_excel_cannot_hold_is_text_and_the_stamp_is_the_source_s(
    tmp_path, monkeypatch
):
    openpyxl = pytest.importorskip("openpyxl")
    (tmp_path / "a.pdsl").write_text(SMALL.replace("146.00", "1234567890123456.78"), "utf-8")
    out = tmp_path / "汇总.xlsx"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run("--format", "xlsx", "-o", str(out), str(tmp_path / "a.pdsl"))[0] == 0
    book = openpyxl.load_workbook(out)
    budget = book["逐单位"]["E2"]
    assert (budget.data_type, budget.value) == ("s", "1234567890123456.78")
    assert book.properties.created.isoformat() == "2024-01-01T00:00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704153600")
    assert run("--format", "xlsx", "-o", str(out), str(tmp_path / "a.pdsl"))[0] == 0
    assert openpyxl.load_workbook(out).properties.modified.isoformat() == "2024-01-02T00:00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _out, err = run("--format", "xlsx", "-o", str(tmp_path / "b.xlsx"), str(tmp_path))
    assert code == 2 and "SOURCE_DATE_EPOCH" in err and not (tmp_path / "b.xlsx").exists()


def test_xlsx_needs_an_output_file(tmp_path):
    (tmp_path / "a.pdsl").write_text(SMALL, encoding="utf-8")
    code, out, err = run("--format", "xlsx", str(tmp_path / "a.pdsl"))
    assert code == 2 and "需要 -o" in err and out == ""

"""Year over year (``check --baseline``): the pairing of projects and indicators across years,
the three notes, every way of naming last year's file, and properties on any document."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from perfdsl import ast
from perfdsl.baseline import Baseline, BaselineError, load_baseline
from perfdsl.check import Context, run
from perfdsl.cli import main
from perfdsl.diff.match import pair_names, stem
from perfdsl.load import load_text
from tests.test_properties import documents

YEARLY = {"PD7001", "PD7002", "PD7003"}


def document(text: str) -> ast.Document:
    loaded = load_text(textwrap.dedent(text))
    assert loaded.ok and loaded.document is not None, loaded.diagnostics
    return loaded.document


def yearly(old: str, new: str) -> list:  # type: ignore[type-arg]
    context = Context(document(new), baseline=Baseline(document(old), "2024/x.pdsl"))
    return [d for d in run(context) if d.code in YEARLY]


TABLE = """\
单位: 某县人民法院
年度: {year}
金额单位: 万元

项目 {name}:
  预算数: {budget}
    财政资金: {budget}
  绩效目标:
    1. {goal}
  产出指标:
    数量指标:
{rows}
  效益指标:
    社会效益指标:
      案件审理周期缩短: ≥5%
  满意度指标:
    服务对象满意度指标:
      当事人满意度: ≥90%
"""


def table(
    year=2025, name="办案业务费", budget="100", goal="审结案件。", rows="审结案件数: ≥3000件"
):  # type: ignore[no-untyped-def]
    rows = textwrap.indent(textwrap.dedent(rows), "      ")
    return TABLE.format(year=year, name=name, budget=budget, goal=goal, rows=rows)


# --- pairing -----------------------------------------------------------------------------------


def test_names_pair_exactly_then_without_years_then_by_close_spelling() -> None:
    assert stem("2025年度高标准农田建设") == "高标准农田建设"
    assert stem("2024-2026年发展规划") == "发展规划"
    old = ["2024年高标准农田建设", "办案业务费", "信息化运维", "食堂"]
    new = ["信息化运维", "2025年高标准农田建设", "办案业务经费", "新建档案馆"]
    assert pair_names(old, new) == [(2, 0), (0, 1), (1, 2)]
    # An exact pair is never given up for a close one; each name pairs once.
    assert pair_names(["甲乙丙丁", "甲乙丙丁戊"], ["甲乙丙丁戊", "甲乙丙丁"]) == [(1, 0), (0, 1)]
    assert pair_names(["会议费"], ["差旅费"]) == []


def test_a_renamed_project_is_compared_and_an_unrelated_one_is_not() -> None:
    old = table(2024, "2024年办案业务费", rows="审结案件数: ≥3000件")
    lowered = table(2025, "2025年办案业务费", rows="审结案件数: ≥2800件", goal="今年。")
    (found,) = yearly(old, lowered)
    assert found.code == "PD7001"
    assert yearly(old, table(2025, "档案数字化", rows="审结案件数: ≥2800件", goal="今年。")) == []


# --- the three notes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "lowered"),
    [
        ("≥95%", "≥90%", True),
        ("≥95%", "≥98%", False),
        ("≤30天", "≤45天", True),  # a ceiling raised
        ("≤30天", "≤20天", False),
        ("100%", "95%", True),  # no operator: a floor, unless the indicator is a cost
        ("≥95%", "≤90%", False),  # a floor became a ceiling: another target
        ("≥1000人次", "≥0.09万人次", False),  # different units: not compared
        ("≤450元/件", "≤0.05万元/件", True),  # money per unit converts exactly
        ("≤450元/件", "≤0.045万元/件", False),
    ],
)
def test_a_target_lowered(before: str, after: str, lowered: bool) -> None:
    found = yearly(
        table(2024, rows=f"指标: {before}"), table(2025, rows=f"指标: {after}", goal="今年。")
    )
    assert [d.code for d in found] == (["PD7001"] if lowered else [])


def test_a_negative_indicator_reads_its_direction() -> None:
    rows = "投诉件数: {v}\n  指标方向: 反向"
    found = yearly(
        table(2024, rows=rows.format(v="10件")), table(2025, rows=rows.format(v="12件"), goal="今")
    )
    assert [d.code for d in found] == ["PD7001"]


def test_a_cost_ceiling_may_grow_with_the_budget_but_not_faster() -> None:
    old = table(2024, budget="100", rows="成本: ≤100万元")
    with_budget = table(2025, budget="120", rows="成本: ≤120万元", goal="今年。")
    faster = table(2025, budget="110", rows="成本: ≤120万元", goal="今年。")
    assert yearly(old, with_budget) == []
    (found,) = yearly(old, faster)
    assert found.code == "PD7001"
    assert found.notes[1].en == "the budget went from 100万元 to 110万元"


def test_copied_goals_rows_and_projects() -> None:
    old = table(2024, rows="2024年度庭审直播场次: ≥200场\n审结案件数: ≥3000件")
    whole = old.replace("年度: 2024", "年度: 2025")
    (found,) = yearly(old, whole)
    assert found.code == "PD7002" and "word for word" in found.message.en
    edited = whole.replace("≥3000件", "≥3100件")
    said = sorted(d.message.en for d in yearly(old, edited))
    assert said == [
        "project “办案业务费” has last year's goals word for word",
        "“2024年度庭审直播场次” is last year's row unchanged: it still says 2024",
    ]
    # The same year's earlier version (a revision, not last year): no copy to speak of.
    assert yearly(old, old.replace("≥3000件", "≥3100件")) == []


def test_an_indicator_dropped_is_listed_with_last_years_value() -> None:
    old = table(2024, rows="审结案件数: ≥3000件\n陪审员参审次数: ≥400次")
    (found,) = yearly(old, table(2025, rows="审结案件数: ≥3000件", goal="今年。"))
    assert found.code == "PD7003"
    assert found.notes[-1].zh == "上年 产出指标 / 数量指标 / 陪审员参审次数: ≥400次"
    # Renamed a little, it is the same indicator, not a drop.
    renamed = table(2025, rows="审结案件数: ≥3000件\n人民陪审员参审次数: ≥400次", goal="今年。")
    assert yearly(old, renamed) == []


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(documents)
def test_a_document_against_itself_has_nothing_to_say(doc: ast.Document) -> None:
    found = run(Context(doc, baseline=Baseline(doc, "x")))
    assert not [d for d in found if d.code in YEARLY | {"PD9001"}]


@settings(max_examples=80, deadline=None)
@given(documents)
def test_last_years_copy_is_a_copy_and_nothing_else(doc: ast.Document) -> None:
    year = doc.header.year_number
    if year is None:
        return
    assert doc.header.year is not None
    last = attrs.evolve(doc, header=attrs.evolve(doc.header, year=ast.Located(str(year - 1))))
    found = run(Context(doc, baseline=Baseline(last, "x")))
    codes = {d.code for d in found} & (YEARLY | {"PD9001"})
    assert codes <= {"PD7002"}


# --- naming last year's file -------------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "2024").mkdir()
    (tmp_path / "2025").mkdir()
    (tmp_path / "2024" / "法院.pdsl").write_text(table(2024), encoding="utf-8")
    (tmp_path / "2025" / "法院.pdsl").write_text(
        table(2025, rows="审结案件数: ≥2800件", goal="今年。"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--format", "concise", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_file_a_folder_a_revision_and_rev_path(years: Path) -> None:
    for spec in ("2024/法院.pdsl", "2024"):
        code, out, err = _check("--baseline", spec, "2025/法院.pdsl")
        assert code == 0 and "PD7001" in out + err, (spec, out, err)
    _git(years, "init", "-q")
    _git(years, "add", ".")
    _git(years, "commit", "-qm", "2025")
    (years / "2025" / "法院.pdsl").write_text(
        table(2025, rows="审结案件数: ≥2700件", goal="今年。"), encoding="utf-8"
    )
    code, out, err = _check("--baseline", "HEAD", "2025/法院.pdsl")
    assert code == 0 and "≥2700件, is lower than last year's ≥2800件" in _en("HEAD")
    code, out, err = _check("--baseline", "HEAD:2024/法院.pdsl", "2025/法院.pdsl")
    assert code == 0 and "PD7001" in out + err


def _en(spec: str) -> str:
    result = CliRunner().invoke(
        main, ["check", "--lang", "en", "--baseline", spec, "2025/法院.pdsl"]
    )
    return result.stdout + result.stderr


def test_a_unit_new_this_year_has_no_baseline(years: Path) -> None:
    (years / "2025" / "新单位.pdsl").write_text(table(2025), encoding="utf-8")
    assert load_baseline("2024", "2025/新单位.pdsl") is None
    code, out, err = _check("--baseline", "2024", "2025/新单位.pdsl")
    assert code == 0 and "PD7" not in out + err


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("2023/法院.pdsl", "not a file, and not readable from git"),
        ("v2023", "not a file, and not readable from git"),
        ("2024/坏.pdsl", "the baseline 2024/坏.pdsl:1:1 has errors and cannot be compared"),
    ],
)
def test_a_baseline_that_cannot_be_read_is_exit_2(years: Path, spec: str, says: str) -> None:
    (years / "2024" / "坏.pdsl").write_text("单位: 某县人民法院\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--lang", "en", "--baseline", spec, "2025/法院.pdsl"]
    )
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(BaselineError):
        load_baseline(spec, "2025/法院.pdsl")

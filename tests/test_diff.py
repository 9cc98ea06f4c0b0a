"""``perfdsl diff`` on files: what counts as a change, how each is addressed, the three formats.

Each case edits the seed (or a small table) the way an author would and checks the exact
line a reviewer would read.  The git side (revisions, difftool, textconv) is in test_git.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main
from perfdsl.diff import Kind, diff_documents
from perfdsl.diff.render import JSON_VERSION, render_text
from perfdsl.fmt import to_file_text
from perfdsl.load import load_text

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "examples" / "beichen-court-2024.pdsl"
SEED = SEED_PATH.read_text(encoding="utf-8")
UNIT = "天津市北辰区人民法院"

SMALL = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 万元
指标体系: 2015

项目 办案业务费:
  预算数: 146.00
    财政资金: 146.00
  资金用途: 保障办案业务正常开展。
  绩效目标:
    1. 保障办案业务正常开展。
  产出指标:
    数量指标:
      陪审员参审次数: ≥400次
        描述: 陪审员参审人次
    成本指标:
      全年电子档案服务费用: ≤80万元
  效益指标:
    可持续影响指标:
      保障水平: 持续保障
  满意度指标:
    服务对象满意度指标:
      审判执行部门对业务保障满意度: ≥95%
"""


def replace_once(text: str, old: str, new: str, occurrence: int = 1) -> str:
    """``text`` with the ``occurrence``-th ``old`` replaced; fails loudly if it is not there."""
    at = -1
    for _ in range(occurrence):
        at = text.index(old, at + 1)
    return text[:at] + new + text[at + len(old) :]


def changes(old: str, new: str):  # type: ignore[no-untyped-def]
    a, b = load_text(old, "old.pdsl"), load_text(new, "new.pdsl")
    assert a.ok and b.ok, (a.diagnostics, b.diagnostics)
    return diff_documents(a.document, b.document)


def lines(old: str, new: str, lang: str = "zh") -> list[str]:
    """The change lines of the text format (without the summary)."""
    text = render_text(changes(old, new), lang)
    return text.split("\n\n")[0].splitlines() if text else []


def run(*args: str | Path, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["diff", *map(str, args)], input=stdin)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- money ---------------------------------------------------------------------------------------


def test_budget_change_with_exact_delta_in_the_file_unit():
    new = SMALL.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 预算数: 146.00 → 150.00 万元 (+4.00万元)",
        f"± {UNIT} › 办案业务费 › 预算数 › 财政资金: 146.00 → 150.00 万元 (+4.00万元)",
    ]


def test_money_delta_is_exact_decimal_arithmetic():
    # 16.87 → 17.01 is +0.14 exactly; with floats it would be 0.14000000000000057.
    new = SMALL.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 16.87\n    财政资金: 16.87"
    )
    newer = new.replace("16.87", "17.01")
    [budget, fiscal] = changes(new, newer)
    assert budget.delta is not None and str(budget.delta.amount) == "0.14"
    assert budget.delta.text == "+0.14万元"
    assert fiscal.delta == budget.delta


def test_a_decrease_has_a_minus_sign():
    new = SMALL.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 140.5\n    财政资金: 140.5"
    )
    assert (
        lines(SMALL, new)[0] == f"± {UNIT} › 办案业务费 › 预算数: 146.00 → 140.5 万元 (-5.50万元)"
    )


def test_money_units_are_converted_exactly():
    # The same cost written in 元 instead of 万元: a change in how it is written (the AST
    # differs) whose delta says the amount did not move.
    new = SMALL.replace("≤80万元", "≤800000元")
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 产出指标 › 成本指标 › 全年电子档案服务费用 › 指标值: "
        "≤80万元 → ≤800000元 (±0万元)"
    ]
    more = SMALL.replace("≤80万元", "≤812345.67元")
    [change] = changes(SMALL, more)
    assert change.delta is not None and change.delta.text == "+1.234567万元"


def test_file_money_unit_change_shows_header_and_each_amount_in_both_units():
    new = SMALL.replace("金额单位: 万元", "金额单位: 元").replace("146.00", "1460000")
    assert lines(SMALL, new) == [
        f"± {UNIT} › 金额单位: 万元 → 元",
        f"± {UNIT} › 办案业务费 › 预算数: 146.00万元 → 1460000元 (±0元)",
        f"± {UNIT} › 办案业务费 › 预算数 › 财政资金: 146.00万元 → 1460000元 (±0元)",
    ]


def test_funding_line_added_and_removed():
    added = SMALL.replace("    财政资金: 146.00\n", "    财政资金: 100.00\n    其他资金: 46.00\n")
    assert lines(SMALL, added) == [
        f"± {UNIT} › 办案业务费 › 预算数 › 财政资金: 146.00 → 100.00 万元 (-46.00万元)",
        f"+ {UNIT} › 办案业务费 › 预算数 › 其他资金: 46.00万元",
    ]
    assert lines(added, SMALL)[1] == f"- {UNIT} › 办案业务费 › 预算数 › 其他资金: 46.00万元"


# --- indicators ----------------------------------------------------------------------------------


def test_value_change_with_its_path():
    new = SMALL.replace("≥400次", "≥500次")
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数 › 指标值: ≥400次 → ≥500次 (+100次)"
    ]


def test_value_change_of_another_shape_has_no_delta():
    new = SMALL.replace("持续保障", "稳步提升").replace("≥95%", "≥98%")
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 效益指标 › 可持续影响指标 › 保障水平 › 指标值: 持续保障 → 稳步提升",
        f"± {UNIT} › 办案业务费 › 满意度指标 › 服务对象满意度指标 › 审判执行部门对业务保障满意度 › 指标值: "
        "≥95% → ≥98%",
    ]


def test_indicator_added_and_removed():
    new = SMALL.replace("      陪审员参审次数: ≥400次\n        描述: 陪审员参审人次\n", "").replace(
        "      全年电子档案服务费用: ≤80万元\n",
        "      全年电子档案服务费用: ≤80万元\n      全年档案存储费: ≤10万元\n",
    )
    assert lines(SMALL, new) == [
        f"- {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数: ≥400次",
        f"+ {UNIT} › 办案业务费 › 产出指标 › 成本指标 › 全年档案存储费: ≤10万元",
    ]


def test_indicator_renamed_in_place_with_the_same_value():
    new = SMALL.replace("陪审员参审次数:", "人民陪审员参审次数:")
    assert lines(SMALL, new) == [
        f"~ {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数: 改名为 人民陪审员参审次数"
    ]
    assert lines(SMALL, new, "en")[0].endswith(": renamed to 人民陪审员参审次数")


def test_renamed_with_a_new_value_is_removed_and_added():
    new = SMALL.replace("陪审员参审次数: ≥400次", "人民陪审员参审次数: ≥450次")
    kinds = [c.kind for c in changes(SMALL, new)]
    assert kinds == [Kind.REMOVED, Kind.ADDED]


def test_rename_and_attribute_change_are_both_reported():
    new = SMALL.replace("陪审员参审次数:", "人民陪审员参审次数:").replace(
        "描述: 陪审员参审人次", "描述: 人民陪审员参加审判的人次"
    )
    assert lines(SMALL, new) == [
        f"~ {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数: 改名为 人民陪审员参审次数",
        f"± {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 人民陪审员参审次数 › 绩效指标描述: "
        "陪审员参审人次 → 人民陪审员参加审判的人次",
    ]


def test_attributes_added_changed_removed():
    new = SMALL.replace(
        "        描述: 陪审员参审人次\n", "        描述: 参审人次\n        权重: 10\n"
    )
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数 › 绩效指标描述: 陪审员参审人次 → 参审人次",
        f"+ {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数 › 权重: 10",
    ]
    gone = SMALL.replace("        描述: 陪审员参审人次\n", "")
    assert lines(SMALL, gone) == [
        f"- {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数 › 绩效指标描述: 陪审员参审人次"
    ]


def test_indicator_moved_to_another_level2():
    new = SMALL.replace(
        "    可持续影响指标:\n      保障水平: 持续保障\n",
        "    社会效益指标:\n      保障水平: 持续保障\n",
    )
    assert lines(SMALL, new) == [
        f"⇄ {UNIT} › 办案业务费 › 效益指标 › 社会效益指标 › 保障水平: "
        "从 效益指标 › 可持续影响指标 移到 效益指标 › 社会效益指标"
    ]


def test_rows_reordered():
    new = SMALL.replace(
        "      陪审员参审次数: ≥400次\n        描述: 陪审员参审人次\n",
        "      陪审员参审次数: ≥400次\n        描述: 陪审员参审人次\n      维保人数: ≥1人\n",
    )
    swapped = new.replace(
        "      陪审员参审次数: ≥400次\n        描述: 陪审员参审人次\n      维保人数: ≥1人\n",
        "      维保人数: ≥1人\n      陪审员参审次数: ≥400次\n        描述: 陪审员参审人次\n",
    )
    [change] = changes(new, swapped)
    assert change.kind is Kind.REORDERED
    assert lines(new, swapped) == [
        f"⇅ {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数: 排在最前 → 排在 维保人数 之后"
    ]


# --- projects, goals, header ---------------------------------------------------------------------


def test_project_added_and_removed():
    extra = SMALL + "\n" + SMALL.split("\n\n", 1)[1].replace("办案业务费", "新项目")
    assert lines(SMALL, extra) == [f"+ {UNIT} › 新项目: 新增项目，预算数 146.00万元"]
    assert lines(extra, SMALL) == [f"- {UNIT} › 新项目: 删除项目，预算数 146.00万元"]


def test_project_renamed_when_nothing_else_changed():
    new = SMALL.replace("项目 办案业务费:", "项目 办案业务经费:")
    assert lines(SMALL, new) == [f"~ {UNIT} › 办案业务费: 改名为 办案业务经费"]


def test_project_renamed_by_a_few_characters_shows_its_other_changes_too():
    # A new year's copy: the name gains the year and a word, and a target is raised.
    new = SMALL.replace("项目 办案业务费:", "项目 2025年办案业务经费:").replace("≥400次", "≥450次")
    assert lines(SMALL, new) == [
        f"~ {UNIT} › 办案业务费: 改名为 2025年办案业务经费",
        f"± {UNIT} › 2025年办案业务经费 › 产出指标 › 数量指标 › 陪审员参审次数 › 指标值: "
        "≥400次 → ≥450次 (+50次)",
    ]


def test_projects_of_unlike_names_are_not_paired():
    new = SMALL.replace("项目 办案业务费:", "项目 信息化建设:").replace("≥400次", "≥450次")
    assert lines(SMALL, new) == [
        f"+ {UNIT} › 信息化建设: 新增项目，预算数 146.00万元",
        f"- {UNIT} › 办案业务费: 删除项目，预算数 146.00万元",
    ]


def test_projects_reordered():
    [_, seed_first, seed_second] = [None, *SEED.split("\n\n项目 ")[1:3]]
    swapped = SEED.replace(
        f"项目 {seed_first}\n\n项目 {seed_second}", f"项目 {seed_second}\n\n项目 {seed_first}"
    )
    assert swapped != SEED
    assert lines(SEED, swapped) == [
        f"⇅ {UNIT} › 办案业务费: 排在最前 → 排在 办案业务费-2023中央 之后"
    ]


def test_goals_changed_added_removed():
    new = SMALL.replace("    1. 保障办案业务正常开展。\n", "    1. 保障办案业务顺利开展。\n")
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 绩效目标 › 1: 保障办案业务正常开展。 → 保障办案业务顺利开展。"
    ]
    more = SMALL.replace(
        "    1. 保障办案业务正常开展。\n", "    1. 保障办案业务正常开展。\n    2. 提高效率。\n"
    )
    assert lines(SMALL, more) == [f"+ {UNIT} › 办案业务费 › 绩效目标 › 2: 提高效率。"]
    assert lines(more, SMALL) == [f"- {UNIT} › 办案业务费 › 绩效目标 › 2: 提高效率。"]


def test_purpose_change():
    new = SMALL.replace("资金用途: 保障办案业务正常开展。", "资金用途: 保障全院办案业务。")
    assert lines(SMALL, new) == [
        f"± {UNIT} › 办案业务费 › 资金用途: 保障办案业务正常开展。 → 保障全院办案业务。"
    ]


def test_header_changes():
    new = SMALL.replace("年度: 2024", "年度: 2025").replace("指标体系: 2015", "指标体系: 2021")
    new = new.replace("单位: 215101 天津市北辰区人民法院", "单位: 215102 天津市北辰区人民检察院")
    assert lines(SMALL, new) == [
        "± 天津市北辰区人民检察院 › 单位: 215101 天津市北辰区人民法院 → 215102 天津市北辰区人民检察院",
        "± 天津市北辰区人民检察院 › 年度: 2024 → 2025",
        "± 天津市北辰区人民检察院 › 指标体系: 2015 → 2021",
    ]


def test_duplicate_project_names_are_matched_in_order():
    # The seed has two projects named 司法救助-2023中央; change only the second one.
    new = replace_once(SEED, "发放司法救助金额: ≤4.45万元", "发放司法救助金额: ≤4.40万元")
    assert lines(SEED, new) == [
        f"± {UNIT} › 司法救助-2023中央 [2] › 产出指标 › 成本指标 › 发放司法救助金额 › 指标值: "
        "≤4.45万元 → ≤4.40万元 (-0.05万元)"
    ]
    first = replace_once(SEED, "救助人数: ≥1人", "救助人数: ≥2人", occurrence=1)
    [change] = changes(SEED, first)
    assert change.project is not None
    assert (change.project.name, change.project.occurrence) == ("司法救助-2023中央", 1)
    assert change.path[1] == "司法救助-2023中央 [1]"


def test_seed_wide_edit_reports_every_change_and_nothing_else():
    new = SEED.replace("≥95%", "≥96%")
    found = changes(SEED, new)
    assert len(found) == SEED.count("≥95%")
    assert {c.kind for c in found} == {Kind.CHANGED}
    assert all(c.where[-1] == "指标值" for c in found)


# --- what is not a change ------------------------------------------------------------------------

#: SMALL written differently: English keywords, full-width colons and operators, comments,
#: blank lines, other indentation, the header keys in another order, an alias or two.
SMALL_REWRITTEN = """\
# 北辰法院 2024，换一种写法
year: 2024
framework: 2015
unit：215101 天津市北辰区人民法院
money-unit: 万元


project 办案业务费:   # 项目行的注释
    budget: 146.00
        fiscal: 146.00
    purpose:   保障办案业务正常开展。
    goals:
        1、保障办案业务正常开展。
    output:
        quantity:
            陪审员参审次数：＞＝400次
                description: 陪审员参审人次
        cost:
            全年电子档案服务费用: <=80万元
    benefit:
        sustainability:
            保障水平: 持续保障
    satisfaction:
        beneficiary-satisfaction:
            审判执行部门对业务保障满意度: ≥９５％
"""


def test_formatting_only_changes_are_no_change():
    a, b = load_text(SMALL), load_text(SMALL_REWRITTEN)
    assert b.ok, b.diagnostics
    assert diff_documents(a.document, b.document) == []


def test_formatter_output_is_no_change():
    seed = load_text(SEED).document
    assert seed is not None
    assert changes(SEED, to_file_text(seed)) == []


def test_english_keyword_rewrite_of_a_good_case_is_no_change():
    english = (ROOT / "tests" / "cases" / "good" / "english-keywords.pdsl").read_text("utf-8")
    chinese = english
    for en, zh in [
        ("money-unit:", "金额单位:"),
        ("unit:", "单位:"),
        ("year:", "年度:"),
        ("framework:", "指标体系:"),
        ("project ", "项目 "),
        ("budget:", "预算数:"),
        ("fiscal:", "财政资金:"),
        ("other:", "其他资金:"),
        ("purpose:", "资金用途:"),
        ("goals:", "绩效目标:"),
        ("output:", "产出指标:"),
        ("quantity:", "数量指标:"),
        ("description:", "描述:"),
        ("benefit:", "效益指标:"),
        ("sustainability:", "可持续影响指标:"),
        ("beneficiary-satisfaction:", "服务对象满意度指标:"),
        ("satisfaction:", "满意度指标:"),
    ]:
        chinese = chinese.replace(en, zh)
    assert chinese.isascii() is False and "output" not in chinese
    assert changes(english, chinese) == []


def test_cli_formatting_only_prints_nothing_and_exits_0_with_exit_code(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL_REWRITTEN)
    for output_format in ("text", "markdown"):
        result = run("--exit-code", "--format", output_format, old, new)
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr == ""
    result = run("--exit-code", "--format", "json", old, new)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["changes"] == []


# --- the command ---------------------------------------------------------------------------------


def test_cli_exit_code(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL.replace("≥400次", "≥500次"))
    plain = run(old, new)
    assert plain.exit_code == 0
    assert plain.stdout.startswith(f"± {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数")
    assert plain.stdout.endswith("\n共 1 处改动（修改 1）\n")
    assert "\x1b[" not in plain.stdout  # not a terminal: no colour
    assert run("--exit-code", old, new).exit_code == 1
    assert run("--exit-code", old, old).exit_code == 0


def test_cli_markdown(tmp_path):
    old = write(tmp_path, "old.pdsl", SEED)
    new_text = SEED.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )
    new_text = new_text.replace("年度: 2024", "年度: 2025")
    new_text = replace_once(new_text, "救助人数: ≥1人", "救助人数: ≥2人", occurrence=2)
    new_text = new_text.replace("陪审员参审次数:", "人民陪审员参审次数:")
    new = write(tmp_path, "new.pdsl", new_text)
    result = run("--format", "markdown", old, new)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"### 绩效目标表改动：{UNIT}\n"
        "\n"
        f"`{old}` → `{new}`：共 5 处改动（修改 4，改名 1）\n"
        "\n"
        "#### 表头\n"
        "\n"
        "| | 位置 | 原 | 新 | 说明 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| ± | 年度 | 2024 | 2025 |  |\n"
        "\n"
        "#### 项目 办案业务费\n"
        "\n"
        "| | 位置 | 原 | 新 | 说明 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| ± | 预算数 | 146.00万元 | 150.00万元 | +4.00万元 |\n"
        "| ± | 预算数 › 财政资金 | 146.00万元 | 150.00万元 | +4.00万元 |\n"
        "| ~ | 产出指标 › 数量指标 › 陪审员参审次数 | 陪审员参审次数 | 人民陪审员参审次数 | 改名 |\n"
        "\n"
        "#### 项目 司法救助-2023中央 \\[2\\]\n"
        "\n"
        "| | 位置 | 原 | 新 | 说明 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| ± | 产出指标 › 数量指标 › 救助人数 › 指标值 | ≥1人 | ≥2人 | +1人 |\n"
    )


def test_markdown_escapes_table_syntax(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL.replace("持续保障", "保障|持续 <b>*好*</b>"))
    result = run("--format", "markdown", old, new)
    row = next(line for line in result.stdout.splitlines() if "保障水平" in line)
    assert "保障\\|持续 &lt;b&gt;\\*好\\*&lt;/b&gt;" in row
    assert row.count(" | ") == 4  # five cells, no stray column


def test_cli_json(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL.replace("146.00", "150.00").replace("≥400次", "≥5次"))
    result = run("--format", "json", "--exit-code", old, new)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == JSON_VERSION == 1
    assert data["old"] == str(old) and data["new"] == str(new)
    assert data["summary"]["changed"] == 3 and data["summary"]["total"] == 3
    budget = data["changes"][0]
    assert budget == {
        "kind": "changed",
        "path": [UNIT, "办案业务费", "预算数"],
        "project": {"name": "办案业务费", "occurrence": 1},
        "where": ["预算数"],
        "old": "146.00",
        "new": "150.00",
        "money_unit": "万元",
        "delta": {"amount": "4.00", "unit": "万元", "text": "+4.00万元"},
    }
    assert data["changes"][2]["delta"]["amount"] == "-395"


def test_cli_english(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL.replace("≥400次", "≥500次"))
    result = run("--lang", "en", old, new)
    assert result.stdout.endswith("\n1 change(s) (1 changed)\n")


def test_file_that_does_not_parse_shows_its_diagnostics_and_exits_2(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(
        tmp_path, "new.pdsl", SMALL.replace("陪审员参审次数: ≥400次", "陪审员参审次数 ≥400次")
    )
    result = run("--exit-code", old, new)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "error[PD1001]" in result.stderr and f"{new}:14:7" in result.stderr
    assert "有错误，无法比较" in result.stderr


def test_missing_file_and_bad_usage_exit_2(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    missing = run(old, tmp_path / "nope.pdsl")
    assert missing.exit_code == 2 and "PD0001" in missing.stderr
    three = run("HEAD", "HEAD", "HEAD", "--", old)
    assert three.exit_code == 2 and "用法" in three.stderr
    # One file, or three, name a change in git: outside a repository that is said plainly.
    for args in ([old], [old, old, old]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "不在 git 仓库里" in result.stderr and "Traceback" not in result.output


def test_empty_side_means_everything_added(tmp_path):
    empty = write(tmp_path, "empty.pdsl", "")
    new = write(tmp_path, "new.pdsl", SMALL)
    result = run(empty, new)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        f"+ {UNIT} › 单位: 215101 天津市北辰区人民法院",
        f"+ {UNIT} › 年度: 2024",
    ]
    assert f"+ {UNIT} › 办案业务费: 新增项目，预算数 146.00万元" in result.stdout
    assert run(empty, empty).exit_code == 2


def test_double_dash_with_two_files_is_a_plain_diff(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL.replace("≥400次", "≥500次"))
    result = run("--exit-code", "--", old, new)
    assert result.exit_code == 1 and "≥400次 → ≥500次" in result.stdout


def test_diff_reads_stdin(tmp_path):
    old = write(tmp_path, "old.pdsl", SMALL)
    result = run(old, "-", stdin=SMALL.replace("≥400次", "≥500次"))
    assert result.exit_code == 0 and "≥400次 → ≥500次" in result.stdout


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_real_process_no_traceback_and_no_python_docx(tmp_path, output_format):
    old = write(tmp_path, "old.pdsl", SMALL)
    new = write(tmp_path, "new.pdsl", SMALL.replace("≥400次", "≥500次"))
    code = (
        "import sys\n"
        "from perfdsl.cli import main\n"
        "try:\n"
        "    main(prog_name='perfdsl')\n"
        "finally:\n"
        "    assert 'docx' not in sys.modules, 'python-docx imported by diff'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "diff", "--format", output_format, str(old), str(new)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert "≥500次" in result.stdout and "Traceback" not in result.stderr


# --- two folders ---------------------------------------------------------------------------------


def test_two_folders_pair_their_files_and_add_up_the_money(tmp_path):
    old, new = tmp_path / "2024", tmp_path / "2025"
    old.mkdir(), new.mkdir()
    write(old, "法院.pdsl", SMALL)
    write(new, "法院.pdsl", SMALL.replace("146.00", "150.00"))
    in_yuan = SMALL.replace("金额单位: 万元", "金额单位: 元").replace("146.00", "10000")
    write(old, "同样.pdsl", SMALL)
    write(new, "同样.pdsl", "# 只改了注释\n" + SMALL)
    write(new, "新单位.pdsl", in_yuan.replace("215101 天津市北辰区人民法院", "215102 新单位"))
    result = run(old, new)
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0] == f"{new / '同样.pdsl'}（修改）：只改了写法，内容无改动"
    assert out[2] == (f"{new / '新单位.pdsl'}（新增）：共 5 处改动（新增 5）；预算 10000元")
    assert out[-1] == (
        "共 2 个文件有改动（修改 1，新增 1），另有 1 个文件内容无改动；"
        "预算合计 146.00 → 151.00 万元 (+5.00万元)"
    )
    assert (
        f"{new / '法院.pdsl'}（修改）：共 2 处改动（修改 2）；预算 146.00 → 150.00 万元 (+4.00万元)"
        in out
    )
    assert run("--exit-code", old, new).exit_code == 1


def test_two_folders_in_json_give_exact_totals(tmp_path):
    old, new = tmp_path / "a", tmp_path / "b"
    old.mkdir(), new.mkdir()
    write(old, "x.pdsl", SMALL)
    write(new, "x.pdsl", SMALL.replace("146.00", "146.01"))
    data = json.loads(run("--format", "json", old, new).output)
    assert data["summary"]["budget"] == {
        "unit": "万元",
        "old": "146.00",
        "new": "146.01",
        "delta": "0.01",
    }
    [entry] = data["files"]
    assert entry["status"] == "modified" and entry["summary"]["changed"] == 2


def test_a_broken_file_in_a_folder_is_reported_and_the_rest_still_compared(tmp_path):
    old, new = tmp_path / "a", tmp_path / "b"
    old.mkdir(), new.mkdir()
    write(old, "x.pdsl", SMALL)
    write(new, "x.pdsl", SMALL.replace("146.00", "150.00"))
    write(old, "y.pdsl", SMALL)
    write(new, "y.pdsl", SMALL.replace("陪审员参审次数: ≥400次", "陪审员参审次数 ≥400次"))
    result = run(old, new)
    assert result.exit_code == 2
    assert "error[PD1001]" in result.stderr and "有错误，无法比较" in result.stderr
    assert "x.pdsl（修改）：共 2 处改动" in result.stdout


def test_a_file_renamed_with_nothing_else_changed_says_so(tmp_path):
    old, new = tmp_path / "a", tmp_path / "b"
    old.mkdir(), new.mkdir()
    write(old, "2024年北辰区法院.pdsl", SMALL)
    write(new, "2025年北辰区法院.pdsl", SMALL)
    result = run(old, new)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].endswith("（改名）：只改了文件名，内容无改动")
    assert lines[-1] == "表格内容没有改动（1 个文件只改了写法或文件名）"

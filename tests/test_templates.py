"""Templates and the field registry: what a template lets a table hold, how a user adapts a
built-in one (perfdsl.toml, a template file, the file's own header), and the cells every
region's table has that the seed's does not (blank rows, money with words, several money
columns, scores, department tables, blocks of rows, sign-off rows, a 中期 tree, free fields).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl import ast
from perfdsl.cli import main
from perfdsl.emit.json import to_data
from perfdsl.emit.model import Cell
from perfdsl.emit.table import document_view
from perfdsl.fmt import format_document
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.standards import fields as R
from perfdsl.standards.templates import BUILTIN_ORDER, builtin, for_document

HEAD = "单位: 215101 天津市北辰区人民法院\n年度: 2024\n金额单位: 万元\n"
TREE = """\
  产出指标:
    数量指标:
      陪审员参审次数: ≥400次
  效益指标:
    社会效益指标:
      当事人收送达材料及时率: ≥95%
  满意度指标:
    服务对象满意度指标:
      干警满意度: ≥95%
"""


def table(body: str, header: str = "") -> str:
    return (
        HEAD + header + "\n项目 办案业务费:\n" + textwrap.indent(textwrap.dedent(body), "  ") + TREE
    )


def check(tmp_path: Path, text: str, name: str = "x.pdsl"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_file(str(path), CheckOptions())


def findings(checked) -> list[str]:  # type: ignore[no-untyped-def]
    """Every code reported, but PD3014: these small tables carry no cost indicator, which is
    that rule's business (tests/cases/bad/rules-cells.pdsl), not these tests'."""
    return [d.code for d in checked.diagnostics if d.code != "PD3014"]


def codes(checked) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.code for d in checked.diagnostics if d.severity.value == "error"]


def printed(checked) -> list[str]:  # type: ignore[no-untyped-def]
    """Every cell text of every table the document prints, in order."""
    document = checked.loaded.document
    view = document_view(document, checked.template(), checked.catalog)
    return [
        cell.text
        for project in view.projects
        for grid in project.tables
        for row in grid.rows
        for cell in row
        if hasattr(cell, "lines")
    ]


def round_trips(checked) -> None:  # type: ignore[no-untyped-def]
    """fmt is idempotent and the formatted text means the same."""
    from perfdsl.load import load_text

    document = checked.loaded.document
    once = format_document(document, catalog=checked.catalog)
    again = load_text(once, catalog=checked.catalog)
    assert again.ok, again.diagnostics
    assert again.document == document, once
    assert format_document(again.document, catalog=checked.catalog) == once


# --- the registry and the built-in templates ---------------------------------------------------


def test_every_builtin_template_loads_with_fields_of_the_registry() -> None:
    templates = builtin()
    assert tuple(templates) == BUILTIN_ORDER
    for template in templates.values():
        for level, keys in template.fields.items():
            for key in keys:
                R.get(level, key)  # KeyError if the template names a field that is not there
        assert template.page.columns, template.key
        assert {c.field for c in template.page.columns} >= {"level1", "level2", "name", "value"}


def test_a_spelling_means_one_field_at_each_level() -> None:
    R._check_registry()  # raises on a clash; also run at import


# --- what a template lets a table hold ------------------------------------------------------------


def test_a_registry_field_the_template_lacks_is_an_error_with_a_way_out(tmp_path: Path) -> None:
    checked = check(tmp_path, table("预算数: 146.00\n联系电话: 022-1234\n"))
    (diagnostic,) = [d for d in checked.diagnostics if d.code == "PD2001"]
    assert "模板“tianjin”没有联系电话" in diagnostic.message.zh
    assert "栏目 联系电话" in diagnostic.help.zh and "add.project" in diagnostic.help.zh


def test_a_free_field_is_kept_printed_and_exported(tmp_path: Path) -> None:
    text = table("预算数: 146.00\n栏目 联系电话: 022-1234\n").replace(
        "      陪审员参审次数: ≥400次\n",
        "      陪审员参审次数: ≥400次\n        栏目 计算方法: 按年统计\n",
    )
    checked = check(tmp_path, HEAD + "栏目 填报说明: 按季度更新\n" + text[len(HEAD) :])
    assert codes(checked) == []
    cells = printed(checked)
    assert "联系电话" in cells and "022-1234" in cells
    assert "计算方法" in cells and "按年统计" in cells  # an extra column of its own
    data = to_data(checked.loaded.document, "x.pdsl")
    assert data["header"]["extra"] == {"填报说明": "按季度更新"}
    assert data["projects"][0]["extra"] == {"联系电话": "022-1234"}
    row = data["projects"][0]["level1"][0]["level2"][0]["indicators"][0]
    assert row["extra"] == {"计算方法": "按年统计"}
    round_trips(checked)


def test_a_blank_preprinted_row_prints_and_raises_nothing(tmp_path: Path) -> None:
    text = table("预算数: 146.00\n").replace(
        "  效益指标:\n", "    成本指标:\n  效益指标:\n    经济效益指标:\n"
    )
    checked = check(tmp_path, text)
    assert findings(checked) == []
    grid = document_view(checked.loaded.document, checked.template()).projects[0].indicators
    rows = [[c.text for c in row if hasattr(c, "text")] for row in grid.rows]
    assert ["成本指标", "", "", ""] in rows  # (its 一级 cell is merged from the row above)
    assert any(row[:2] == ["效益指标", "经济效益指标"] and not any(row[2:]) for row in rows)
    round_trips(checked)


def test_a_table_with_blank_rows_only_lacks_that_level1(tmp_path: Path) -> None:
    text = table("预算数: 146.00\n").replace(
        "  满意度指标:\n    服务对象满意度指标:\n      干警满意度: ≥95%\n",
        "  满意度指标:\n    服务对象满意度指标:\n",
    )
    checked = check(tmp_path, text)
    (missing,) = [d for d in checked.diagnostics if d.code == "PD3005"]
    assert "只有空白行" in missing.notes[0].zh


def test_money_with_words_beside_it_keeps_them(tmp_path: Path) -> None:
    checked = check(tmp_path, table("预算数: 854万(高标准农田建设400万元,其余454万元)\n"))
    assert codes(checked) == []
    budget = checked.loaded.document.projects[0].budget
    assert (str(budget.total.amount), budget.total.unit) == ("854", "万")
    assert budget.total.note == "(高标准农田建设400万元,其余454万元)"
    assert "854万(高标准农田建设400万元,其余454万元)" in printed(checked)
    money = to_data(checked.loaded.document, "x")["projects"][0]["budget"]["total"]
    assert (money["number"], money["note"]) == ("854", "(高标准农田建设400万元,其余454万元)")
    round_trips(checked)


# --- adapting a template ---------------------------------------------------------------------


COUNTY = """\
[templates."某县"]
base = "财政部2015"
title = "某县项目支出绩效目标表"
[templates."某县".labels]
"实施单位" = "项目单位"
"indicator.value" = "指标值及单位"
[templates."某县".add]
project = ["联系电话"]
indicator = ["备注"]
[templates."某县".drop]
project = ["项目属性"]
"""


def test_a_county_template_in_perfdsl_toml(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(COUNTY, encoding="utf-8")
    text = table(
        "项目单位: 某县人民法院\n联系电话: 022-1234\n年度资金总额: 146.00\n  财政拨款: 146.00\n",
        header="模板: 某县\n",
    )
    checked = check(tmp_path, text)
    assert codes(checked) == []
    project = checked.loaded.document.projects[0]
    assert project.fields.text("implementer") == "某县人民法院"
    cells = printed(checked)
    assert "项目单位" in cells and "联系电话" in cells and "指标值及单位" in cells
    assert checked.template().title == "某县项目支出绩效目标表"
    dropped = check(tmp_path, text.replace("联系电话: 022-1234", "项目属性: 新增"), "y.pdsl")
    assert "PD2001" in codes(dropped)
    round_trips(checked)


def test_a_template_file_beside_the_sources_is_found_nearest_first(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(COUNTY, encoding="utf-8")
    unit = tmp_path / "2024"
    unit.mkdir()
    (unit / "某县.template.toml").write_text(
        'base = "tianjin"\ntitle = "就近的模板"\n[labels]\n"实施单位" = "承办单位"\n[add]\n'
        'project = ["实施单位"]\n',
        encoding="utf-8",
    )
    checked = check(unit, table("承办单位: 某县人民法院\n预算数: 146.00\n", header="模板: 某县\n"))
    assert codes(checked) == []
    assert checked.template().title == "就近的模板"


def test_a_file_can_carry_its_own_adaptation(tmp_path: Path) -> None:
    header = "模板: 财政部2015\n  名称: 自带模板的表\n  标签:\n    实施单位: 项目单位\n  增加:\n    项目: 联系电话\n"
    text = table("项目单位: 某县人民法院\n联系电话: 1\n年度资金总额: 146.00\n", header=header)
    checked = check(tmp_path, text)
    assert codes(checked) == []
    assert checked.template().title == "自带模板的表"
    assert "项目单位" in printed(checked)
    round_trips(checked)


def test_a_table_may_name_its_own_template(tmp_path: Path) -> None:
    text = table("模板: 财政部2015\n年度资金总额: 146.00\n  财政拨款: 146.00\n中期资金总额: 500\n")
    checked = check(tmp_path, text)
    assert codes(checked) == []
    project = checked.loaded.document.projects[0]
    assert [b.key for b in project.budgets] == ["budget", "midterm_budget"]
    cells = printed(checked)
    assert "年度资金总额" in cells and "中期资金总额" in cells and "500" in cells
    data = to_data(checked.loaded.document, "x")
    assert [b["key"] for b in data["projects"][0]["budgets"]] == ["budget", "midterm_budget"]
    round_trips(checked)


def test_a_mistake_in_a_template_file_is_positioned(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        COUNTY.replace('"实施单位" = "项目单位"', '"实施单价" = "项目单位"'), encoding="utf-8"
    )
    checked = check(tmp_path, table("预算数: 146.00\n"))
    (problem,) = [d for d in checked.diagnostics if d.code == "PD3013"]
    assert problem.file == str(tmp_path / "perfdsl.toml")
    assert problem.span is not None and problem.span.line == 5
    assert "实施单位" in problem.message.zh  # did you mean
    result = CliRunner().invoke(main, ["check", str(tmp_path / "x.pdsl")])
    assert result.exit_code == 1
    assert '"实施单价" = "项目单位"' in result.stdout  # the template's own line is shown


def test_an_unknown_template_suggests_one(tmp_path: Path) -> None:
    checked = check(tmp_path, table("预算数: 146.00\n", header="模板: 财政布2015\n"))
    (unknown,) = [d for d in checked.diagnostics if d.code == "PD3012"]
    assert "财政部2015" in unknown.help.zh


# --- the other kinds of table -----------------------------------------------------------------


DEPARTMENT = """\
单位: 901001033 中共宁德市委党史和地方志研究室
年度: 2019
金额单位: 万元
模板: 部门整体

部门 中共宁德市委党史和地方志研究室:
  部门编码: 901001033
  部门职责: 组织、指导、编纂地方志
  年度资金总额: 171.41
    基本支出: 110.61
    项目支出: 60.80
    财政拨款: 171.41
  年度总体绩效目标:
    1. 确保本室各人员工资及福利的发放
  年度履职目标:
    行:
      部门职能: 组织、指导、编纂地方志
      年度目标任务: 保障志鉴地情工作开展
      支出项目: 地情、市志编纂与年鉴出版经费
      预算金额: 49.8
  产出指标:
    数量指标:
      供应时效: 100%
        解释: 100%(历史标准)
  效益指标:
    社会效益指标:
      年鉴出版: ≥1部
  满意度指标:
    服务对象满意度指标:
      满意度: ≥90%
  签章:
    单位负责人:
    填表人: 张三
"""


def test_a_department_table(tmp_path: Path) -> None:
    checked = check(tmp_path, DEPARTMENT)
    assert findings(checked) == []
    department = checked.loaded.document.projects[0]
    assert department.kind == "department"
    duties = department.get("duty_goals")
    assert isinstance(duties, ast.Rows) and len(duties.rows) == 1
    cells = printed(checked)
    for text in (
        "部门（单位）名称",
        "部门编码",
        "年度履职目标",
        "部门职能",
        "49.8",
        "单位负责人",
        "张三",
    ):
        assert text in cells, text
    # 基本支出 + 项目支出 and 财政拨款 are two breakdowns of one total, each checked alone.
    wrong = check(tmp_path, DEPARTMENT.replace("项目支出: 60.80", "项目支出: 60.00"), "y.pdsl")
    assert codes(wrong) == ["PD4001"]
    round_trips(checked)


def test_a_progress_plan_and_a_cost_breakdown(tmp_path: Path) -> None:
    body = """\
    预算数: 146.00
    进度计划:
      行:
        实施内容: 总体概念规划
        开始时间: 2024年1月
        完成时间: 2024年6月
    成本构成:
      行:
        成本项目: 电子档案服务
        金额: 80
        测算依据: 40万元/年×2
    """
    header = "模板: 天津\n  增加:\n    项目: 进度计划、成本构成\n"
    assert "PD2001" in codes(check(tmp_path, table(body), "plain.pdsl"))  # not in the seed's
    checked = check(tmp_path, table(body, header=header))
    assert codes(checked) == []
    cells = printed(checked)
    for text in ("进度计划", "实施内容", "总体概念规划", "成本构成", "电子档案服务", "40万元/年×2"):
        assert text in cells, text
    data = to_data(checked.loaded.document, "x")["projects"][0]
    assert data["cost_items"][0]["cells"]["amount"]["number"] == "80"
    round_trips(checked)


def test_a_score_on_a_level1_and_a_midterm_tree(tmp_path: Path) -> None:
    text = (
        HEAD
        + "模板: 财政部2021\n\n项目 办案业务费:\n  年度资金总额: 146.00\n  预算执行率分值: 10\n"
        + "  成本指标:\n    分值: 20\n    经济成本指标:\n      全年费用: ≤80万元\n        分值: 20\n"
        + TREE.replace("  产出指标:\n", "  产出指标:\n    分值: (40-50)分\n")
        + "  中期指标:\n    产出指标:\n      数量指标:\n        三年参审次数: ≥1200次\n"
    )
    checked = check(tmp_path, text)
    assert [d.code for d in checked.diagnostics if d.code != "PD5006"] == []
    project = checked.loaded.document.projects[0]
    assert project.indicators[0].fields["score"] == ast.Typed(
        project.indicators[0].fields["score"].value
    )
    cells = printed(checked)
    assert "产出指标(40-50)分" in cells and "三年参审次数" in cells
    round_trips(checked)


def test_english_keywords_reach_every_new_field(tmp_path: Path) -> None:
    text = (
        "unit: 215101 court\nyear: 2024\nmoney-unit: 万元\ntemplate: department\n\n"
        "overall court:\n  department-code: 215101\n  budget: 10\n    basic: 6\n    project-spending: 4\n"
        "  duty-goals:\n    row:\n      function: trials\n      amount: 4\n"
        "  output:\n    quantity:\n      cases: ≥1000件\n  benefit:\n    social-benefit:\n"
        "      x: ≥1件\n  satisfaction:\n    beneficiary-satisfaction:\n      y: ≥90%\n"
        "  signoff:\n    head: Zhang\n"
    )
    checked = check(tmp_path, text)
    assert codes(checked) == [], checked.diagnostics
    document = checked.loaded.document
    assert document.keyword_language == "en" and document.projects[0].kind == "department"
    assert format_document(document).startswith("unit: 215101 court\n")
    round_trips(checked)


@pytest.mark.parametrize("key", BUILTIN_ORDER)
def test_each_builtin_template_prints_its_own_title(key: str, tmp_path: Path) -> None:
    kind = builtin()[key].kind
    word = "部门" if kind == "department" else "项目"
    text = HEAD + f"模板: {key}\n\n{word} 甲:\n  预算数: 1\n" + TREE
    checked = check(tmp_path, text)
    template = for_document(checked.loaded.document, checked.catalog)
    assert template.key == key
    view = document_view(checked.loaded.document, template)
    assert template.title in view.title or template.title in view.projects[0].heading


def test_json_of_every_field_validates(tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads(
        (Path(__file__).parents[1] / "docs" / "perfdsl.schema.json").read_text("utf-8")
    )
    checked = check(tmp_path, DEPARTMENT)
    jsonschema.validate(
        to_data(checked.loaded.document, "x"), schema, cls=jsonschema.Draft202012Validator
    )


def test_a_funding_line_with_its_own_breakdown(tmp_path: Path) -> None:
    body = (
        "预算数: 10606.7522\n  财政资金: 6923.3552\n    上级资金: 6923.3552\n    本级资金: 0\n"
        "  自有资金: 0\n  其他资金: 3683.3970\n"
    )
    checked = check(tmp_path, table(body))
    assert codes(checked) == []  # 上级 + 本级 are not counted again in the total
    fiscal = checked.loaded.document.projects[0].budget.lines[0]
    assert [line.kind for line in fiscal.lines] == ["transfer", "local"]
    cells = printed(checked)
    assert "其中：上级资金" in cells and "6923.3552" in cells
    round_trips(checked)
    wrong = check(tmp_path, table(body.replace("本级资金: 0", "本级资金: 1")), "y.pdsl")
    (mismatch,) = [d for d in wrong.diagnostics if d.code == "PD4001"]
    assert mismatch.message.zh.startswith("财政资金 6923.3552万元")


def test_the_guides_county_template_works_as_shown(tmp_path: Path) -> None:
    guide = (Path(__file__).parents[1] / "docs" / "guide-zh.md").read_text("utf-8")
    block = guide.split('```toml\n# perfdsl.toml\ntemplate = "某县"', 1)[1].split("```", 1)[0]
    (tmp_path / "perfdsl.toml").write_text('template = "某县"' + block, encoding="utf-8")
    text = table(
        "项目单位: 某县人民法院\n联系电话: 1\n年度资金总额: 146.00\n  财政拨款: 146.00\n"
    ).replace("  效益指标:\n    社会效益指标:\n", "  效益指标:\n    环境效益指标:\n")
    checked = check(tmp_path, text)
    assert findings(checked) == []
    assert checked.template().title == "某县项目支出绩效目标表"


def test_a_column_of_a_block_can_be_relabelled(tmp_path: Path) -> None:
    text = DEPARTMENT.replace(
        "模板: 部门整体\n", "模板: 部门整体\n  标签:\n    年度履职目标.支出项目: 支出项目名称\n"
    )
    text = text.replace("      支出项目: 地情", "      支出项目名称: 地情")
    checked = check(tmp_path, text)
    assert findings(checked) == []
    assert "支出项目名称" in printed(checked)
    assert "      支出项目名称: 地情" in format_document(
        checked.loaded.document, catalog=checked.catalog
    )
    round_trips(checked)


def test_the_midterm_tree_is_checked_too(tmp_path: Path) -> None:
    tree = "中期指标:\n  产出指标:\n    数里指标:\n      三年参审次数: ≥1200次\n      三年参审次数: 120%\n"
    text = table("模板: 财政部2015\n年度资金总额: 146.00\n" + tree)
    found = {d.code for d in check(tmp_path, text).diagnostics}
    assert {"PD3003", "PD3009"} <= found  # a made-up 二级, a repeated 三级 in the same tree
    same_names = table(
        "模板: 财政部2015\n年度资金总额: 146.00\n中期指标:\n  产出指标:\n    数量指标:\n"
        "      陪审员参审次数: ≥1200次\n"
    )
    assert findings(check(tmp_path, same_names, "y.pdsl")) == []


def test_a_broken_template_is_one_diagnostic_not_a_cascade(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        COUNTY.replace('"实施单位" = "项目单位"', '"实施单价" = "项目单位"'), encoding="utf-8"
    )
    text = table(
        "项目单位: 某县人民法院\n联系电话: 022-1234\n年度资金总额: 146.00\n  财政拨款: 146.00\n",
        header="模板: 某县\n",
    )
    assert [d.code for d in check(tmp_path, text).diagnostics] == ["PD3013"]


def test_a_header_adaptation_can_say_which_level1_are_required(tmp_path: Path) -> None:
    header = (
        "模板: 财政部2015\n  指标体系: 2015\n    效益指标: 社会效益指标、社会公众或服务对象满意度指标\n"
        "    必需: 产出指标、效益指标\n"
    )
    text = table("年度资金总额: 146.00\n", header=header).replace(
        "  满意度指标:\n    服务对象满意度指标:\n", "    社会公众或服务对象满意度指标:\n"
    )
    checked = check(tmp_path, text)
    assert findings(checked) == []
    round_trips(checked)


def test_an_unknown_grid_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        '[templates.x]\nbase = "tianjin"\n[templates.x.page]\ngrid = "mfo"\n', encoding="utf-8"
    )
    (problem,) = check(tmp_path, table("预算数: 146.00\n")).diagnostics
    assert problem.code == "PD3013" and "tianjin, mof" in problem.help.zh


def _lines_around(checked) -> tuple[tuple[str, ...], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    view = document_view(checked.loaded.document, checked.template(), checked.catalog)
    return view.projects[0].above, view.projects[0].below


def test_header_fields_no_pattern_prints_are_printed_around_the_table(tmp_path: Path) -> None:
    header = "填报单位: 北辰区法院办公室\n填表人: 张三\n联系电话: 022-1234\n栏目 附件: 2\n"
    checked = check(tmp_path, table("预算数: 146.00\n", header=header))
    assert codes(checked) == []
    above, below = _lines_around(checked)
    assert above == ("215101天津市北辰区人民法院", "单位：万元", "填报单位：北辰区法院办公室")
    assert below == ("填表人：张三\u3000\u3000联系电话：022-1234\u3000\u3000附件：2",)
    plain = check(tmp_path, table("预算数: 146.00\n"), "plain.pdsl")
    assert _lines_around(plain)[1] == ()  # nothing said, nothing printed


def test_a_pattern_that_prints_a_header_field_takes_it_out_of_the_extra_lines(
    tmp_path: Path,
) -> None:
    text = table("年度资金总额: 146.00\n", header="模板: 财政部2015\n填报单位: 北辰区法院办公室\n")
    above, below = _lines_around(check(tmp_path, text))
    # mof2015 prints 填报单位（盖章）：{filing_unit|unit}: the filing unit, once.
    assert above == ("填报单位（盖章）：北辰区法院办公室",)
    assert below == ()
    unit_only = check(
        tmp_path, table("年度资金总额: 146.00\n", header="模板: 财政部2015\n"), "u.pdsl"
    )
    assert _lines_around(unit_only)[0] == ("填报单位（盖章）：天津市北辰区人民法院",)


def test_a_misspelt_placeholder_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        '[templates.x]\nbase = "tianjin"\n[templates.x.page]\nbelow = ["填表人：{fillled_by}"]\n',
        encoding="utf-8",
    )
    (problem,) = check(tmp_path, table("预算数: 146.00\n", header="模板: x\n")).diagnostics
    assert problem.code == "PD3013"
    assert "{fillled_by}" in problem.message.zh and "{filled_by}" in problem.message.zh
    assert problem.span is not None and problem.span.line == 4
    good = tmp_path / "good"
    good.mkdir()
    (good / "perfdsl.toml").write_text(
        '[templates.x]\nbase = "tianjin"\n[templates.x.page]\n'
        'below = ["填表人：{filled_by}　　填报单位：{filing_unit|unit}"]\n',
        encoding="utf-8",
    )
    checked = check(good, table("预算数: 146.00\n", header="模板: x\n填表人: 张三\n"))
    assert codes(checked) == []
    assert _lines_around(checked)[1] == ("填表人：张三　　填报单位：天津市北辰区人民法院",)


def test_every_page_setting_is_documented() -> None:
    """docs/language.md 16.5 names every key a template's page and page.header accept."""
    import attrs

    from perfdsl.standards.templates import HeaderSpec, Page

    text = (Path(__file__).resolve().parents[1] / "docs" / "language.md").read_text("utf-8")
    section = text[text.index("### 16.5") : text.index("## 17.")]
    keys = {*attrs.fields_dict(Page), "optional", "grid", *attrs.fields_dict(HeaderSpec)}
    missing = sorted(k for k in keys if f"`{k}`" not in section)
    assert not missing, missing


def test_header_groups_put_their_fields_under_one_label(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        '[templates.x]\nbase = "tianjin"\nadd = { project = ["立项依据", "可行性"] }\n'
        '[templates.x.page.header.groups]\n"项目立项情况" = ["立项依据", "可行性"]\n',
        encoding="utf-8",
    )
    text = table("预算数: 146.00\n立项依据: 文件\n可行性: 可行\n", header="模板: x\n")
    checked = check(tmp_path, text)
    assert codes(checked) == []
    view = document_view(checked.loaded.document, checked.template(None), checked.catalog)
    rows = [[c.text for c in row if isinstance(c, Cell)] for row in view.projects[0].tables[0].rows]
    at = next(i for i, r in enumerate(rows) if r and r[0] == "项目立项情况")
    assert rows[at][1:] == ["立项依据", "文件"] and rows[at + 1] == ["可行性", "可行"]
    assert view.projects[0].tables[0].rows[at][0].rowspan == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("members", "said"),
    [('["立项依据", "预算数"]', "项目的字段"), ('["立项依据", "立项依据"]', "已经在组")],
)
def test_a_header_group_of_other_fields_is_a_template_error(
    tmp_path: Path, members: str, said: str
) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        f'[templates.x]\nbase = "tianjin"\n[templates.x.page.header.groups]\n"组" = {members}\n',
        encoding="utf-8",
    )
    (problem,) = check(tmp_path, table("预算数: 146.00\n", header="模板: x\n")).diagnostics
    assert problem.code == "PD3013" and said in problem.message.zh
    assert problem.span is not None and problem.span.line == 4

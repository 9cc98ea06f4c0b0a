"""Frameworks as regions print them: synonyms, satisfaction inside 效益指标, an umbrella 一级,
pre-printed filler rows; and the real mismatches that must still be found."""

from __future__ import annotations

import textwrap
from pathlib import Path

from perfdsl.check import Context, run
from perfdsl.config import for_file
from perfdsl.load import load_text
from perfdsl.standards import frameworks as F


def findings(text: str, config=None) -> list:  # type: ignore[no-untyped-def]
    loaded = load_text(text)
    assert loaded.ok, loaded.diagnostics
    kw = {"config": config} if config is not None else {}
    return run(Context(loaded.document, **kw))


def codes(text: str, config=None) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.code for d in findings(text, config)]


HEAD = """\
单位: 测试单位
年度: 2024
金额单位: 万元
{framework}
项目 甲:
  预算数: 10
    财政资金: 10
"""


def table(body: str, framework: str = "") -> str:
    return HEAD.format(framework=framework) + textwrap.indent(textwrap.dedent(body), "  ")


def test_satisfaction_as_the_last_level2_of_benefit_is_not_missing() -> None:
    text = table(
        """\
        产出指标:
          数量指标:
            完成数量: ≥10个
          成本指标:
            成本: ≤10万元
        效益指标:
          社会效益指标:
            群众受益面: ≥90%
          社会公众或服务对象满意度指标:
            群众满意度: ≥90%
        """
    )
    assert codes(text) == []
    # Under 2021 too (its 成本指标 given); the satisfaction 一级 is still required somewhere.
    cost = "  成本指标:\n    经济成本指标:\n      总成本: ≤10万元\n"
    in_2021 = text.replace("\n\n", "\n指标体系: 2021\n\n", 1).replace(
        "财政资金: 10\n", "财政资金: 10\n" + cost
    )
    in_2021 = in_2021.replace("    成本指标:\n      成本: ≤10万元\n", "", 1)
    assert codes(in_2021) == []
    without = text.replace("    社会公众或服务对象满意度指标:\n      群众满意度: ≥90%\n", "")
    assert "PD3005" in codes(without)


def test_a_satisfaction_level2_with_blank_rows_only_does_not_count() -> None:
    text = table(
        """\
        产出指标:
          数量指标:
            完成数量: ≥10个
          成本指标:
            成本: ≤10万元
        效益指标:
          社会效益指标:
            群众受益面: ≥90%
          社会公众或服务对象满意度指标:
        """
    )
    assert codes(text) == ["PD3005"]


def test_regional_names_of_the_national_categories() -> None:
    text = table(
        """\
        预期产出指标:
          数量指标:
            完成数量: ≥10个
          预算(或投资规模)控制指标:
            成本: ≤10万元
        效果指标:
          环境效益指标:
            扬尘投诉: ≤5次
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """
    )
    assert codes(text) == []
    assert F.FRAMEWORK_2015.canonical("环境效益指标") == "生态效益指标"


def test_an_umbrella_level1_holds_the_frameworks_level1() -> None:
    text = table(
        """\
        实施效果指标:
          产出指标:
            检测桥梁数量: ≥12座
            检测费用: ≤10万元
          效益指标:
            桥梁安全运行率: 100%
          满意度指标:
            养护单位满意度: ≥90%
        """
    )
    assert codes(text) == []
    # An unknown 一级 over ordinary 二级 is still unknown.
    wrong = text.replace("    产出指标:", "    数量指标:")
    assert "PD3002" in codes(wrong)


def test_a_filler_row_is_not_a_category_but_a_filler_with_indicators_is() -> None:
    body = """\
        产出指标:
          数量指标:
            完成数量: ≥10个
          成本指标:
            成本: ≤10万元
          …:
        效益指标:
          社会效益指标:
            群众受益面: ≥90%
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """
    assert codes(table(body)) == []
    filled = body.replace("…:\n", "…:\n" + " " * 12 + "其他: ≥1个\n")
    assert "PD3003" in codes(table(filled))


def test_2021_cost_kept_under_output_is_still_a_mismatch() -> None:
    text = table(
        """\
        产出指标:
          数量指标:
            完成数量: ≥10个
          成本指标:
            成本: ≤10万元
        效益指标:
          社会效益指标:
            群众受益面: ≥90%
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """,
        "指标体系: 2021",
    )
    assert sorted(codes(text)) == ["PD3004", "PD3005"]


def test_a_local_framework_adds_synonyms(tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text(
        '[frameworks."本地"]\nbase = "2015"\n[frameworks."本地".synonyms]\n"效果目标" = "效益指标"\n',
        encoding="utf-8",
    )
    source = tmp_path / "x.pdsl"
    source.write_text("", encoding="utf-8")
    config = for_file(str(source))
    body = """\
        产出指标:
          数量指标:
            完成数量: ≥10个
          成本指标:
            成本: ≤10万元
        效果目标:
          社会效益指标:
            群众受益面: ≥90%
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """
    assert codes(table(body, "指标体系: 本地"), config) == []
    assert "PD3002" in codes(table(body))


def test_the_same_name_twice_in_one_project_is_a_duplicate_not_an_inconsistency() -> None:
    text = table(
        """\
        产出指标:
          数量指标:
            完成率: ≥10%
          成本指标:
            成本: ≤10万元
          质量指标:
            完成率: ≥90%
        效益指标:
          社会效益指标:
            群众受益面: ≥90%
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """
    )
    (found,) = findings(text)
    assert found.code == "PD3009" and "第二次" in found.message.zh
    ((where, label),) = found.related
    assert where.line == 10 and label.zh == "第一次在这里"


def test_a_framework_that_requires_a_cost_makes_its_absence_an_error(tmp_path: Path) -> None:
    body = """\
        产出指标:
          数量指标:
            完成数量: ≥10个
        效益指标:
          社会效益指标:
            群众受益面: ≥90%
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """
    (found,) = findings(table(body))
    assert found.code == "PD3014" and found.severity.value == "warning"
    (tmp_path / "perfdsl.toml").write_text(
        '[frameworks."上海2025"]\nbase = "2015"\ncost_required = true\n', encoding="utf-8"
    )
    source = tmp_path / "x.pdsl"
    source.write_text("", encoding="utf-8")
    (found,) = findings(table(body, "指标体系: 上海2025"), for_file(str(source)))
    assert found.code == "PD3014" and found.severity.value == "error"
    (tmp_path / "perfdsl.toml").write_text(
        '[frameworks."上海2025"]\nbase = "2015"\ncost_required = "yes"\n', encoding="utf-8"
    )
    import pytest

    from perfdsl.config import ConfigError

    with pytest.raises(ConfigError):
        for_file(str(source))


def test_each_vague_word_says_why_it_is_listed() -> None:
    from perfdsl.standards.vague import VAGUE

    body = """\
        产出指标:
          数量指标:
            完成数量: ≥10个
          成本指标:
            成本: ≤10万元
        效益指标:
          社会效益指标:
            服务水平: 及时响应
        满意度指标:
          服务对象满意度指标:
            满意度: ≥90%
        """
    (found,) = findings(table(body))
    assert found.code == "PD5005" and found.notes[0].zh == VAGUE["及时"][0]
    assert all(zh and en for zh, en in VAGUE.values())


# --- scores as template data --------------------------------------------------------------------

WEIGHTED = """\
产出指标:
  数量指标:
    完成数量: ≥10个
      权重: 40
  成本指标:
    成本: ≤10万元
      权重: 10
效益指标:
  社会效益指标:
    群众受益面: ≥90%
      权重: 30
满意度指标:
  服务对象满意度指标:
    满意度: ≥90%
      权重: 10
"""


def _config(tmp_path: Path, toml: str):  # type: ignore[no-untyped-def]
    (tmp_path / "perfdsl.toml").write_text(toml, encoding="utf-8")
    source = tmp_path / "x.pdsl"
    source.write_text("", encoding="utf-8")
    return for_file(str(source))


def test_the_total_score_is_the_frameworks(tmp_path: Path) -> None:
    assert codes(table(WEIGHTED)) == []  # 90 by default
    config = _config(tmp_path, '[frameworks."全打分"]\nbase = "2015"\nscores = { total = 100 }\n')
    (found,) = findings(table(WEIGHTED, "指标体系: 全打分"), config)
    assert found.code == "PD5006" and "not 100" in found.message.en
    assert "90" in found.message.en


def test_level1_shares_and_a_shared_score(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        '[frameworks."分值"]\nbase = "2015"\n'
        '[frameworks."分值".scores.level1]\n"产出指标" = 50\n"效益指标" = "20-30"\n'
        '"满意度指标+效益指标" = 40\n',
    )
    assert codes(table(WEIGHTED, "指标体系: 分值"), config) == []
    moved = WEIGHTED.replace("权重: 40", "权重: 35").replace("权重: 30", "权重: 35")
    found = findings(table(moved, "指标体系: 分值"), config)
    said = {d.message.en for d in found}
    assert [d.code for d in found] == ["PD5017"] * 3
    assert said == {
        "`满意度指标+效益指标` scores 45; the template says 40",
        "`产出指标` scores 45; the template says 50",
        "`效益指标` scores 35; the template says 20-30",
    }


def test_a_stated_level1_score_is_compared_not_its_rows(tmp_path: Path) -> None:
    config = _config(
        tmp_path, '[frameworks."分值"]\nbase = "2015"\nscores = { level1 = { "产出指标" = 50 } }\n'
    )
    adapted = "指标体系: 分值\n模板: tianjin\n  增加:\n    分类: 分值"
    text = table("产出指标:\n  分值: (40-50)分\n  数量指标:\n    完成数量: ≥10个\n", adapted)
    (found,) = [d for d in findings(text, config) if d.code == "PD5017"]
    assert found.message.en == "`产出指标` scores 40-50; the template says 50"


def test_score_specs_are_checked_for_shape(tmp_path: Path) -> None:
    import pytest

    from perfdsl.config import ConfigError

    for bad, says in [
        ("scores = { totl = 90 }", "unknown keys totl"),
        ('scores = { total = "九十" }', "must be a number"),
        ('scores = { level1 = { "产出指标" = "50-40" } }', "low > high"),
        ("scores = { execution = -1 }", "must be >= 0"),
        ("scores = 90", "scores must be a table"),
    ]:
        with pytest.raises(ConfigError) as caught:
            _config(tmp_path, f'[frameworks."x"]\nbase = "2015"\n{bad}\n')
        assert says in caught.value.message.en, (bad, caught.value.message.en)
    assert F.from_spec("x", {"scores": {"execution": False}}, F.BUILTIN).scores.execution is None


def test_a_template_files_framework_is_checked_when_read(tmp_path: Path) -> None:
    from perfdsl.pipeline import CheckOptions, check_file

    (tmp_path / "本地.template.toml").write_text(
        'name = "本地"\nbase = "tianjin"\n[framework]\nbase = "2015"\n'
        '[framework.scores]\ntotal = "x"\n',
        encoding="utf-8",
    )
    source = tmp_path / "x.pdsl"
    source.write_text(table(WEIGHTED, "模板: 本地"), encoding="utf-8")
    (found,) = check_file(str(source), CheckOptions()).diagnostics
    assert found.code == "PD3013" and found.span is not None and found.span.line == 6
    (tmp_path / "本地.template.toml").write_text(
        'name = "本地"\nbase = "tianjin"\n[framework]\nbase = "2099"\n', encoding="utf-8"
    )
    (found,) = check_file(str(source), CheckOptions(lang="en")).diagnostics
    assert found.code == "PD3001" and "'2099' is not a known framework" in found.message.en

"""The checker's machinery: options, configuration, suppression scope, internal errors, explain."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl import check as checker
from perfdsl.check import Context, Rule, run
from perfdsl.check.selection import SelectorError, compile_selection, resolve
from perfdsl.cli import main
from perfdsl.config import ConfigError, for_file, load
from perfdsl.load import load_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"

TABLE = textwrap.dedent(
    """\
    单位: 215101 天津市北辰区人民法院
    年度: 2024
    金额单位: 万元
    {framework}
    项目 办案业务费:
      预算数: 146.00
        财政资金: 146.00
      产出指标:
        数量指标:
          陪审员参审次数: ≥400次
        成本指标:
          办案成本: ≤146万元
      效益指标:
        {benefit}:
          法院办案业务费持续投入保障水平: 持续保障
      满意度指标:
        服务对象满意度指标:
          审判执行部门对业务保障满意度: ≥95%
    """
)


def codes(text: str, **kw) -> list[str]:
    loaded = load_text(text)
    assert loaded.ok, loaded.diagnostics
    return [d.code for d in run(Context(loaded.document, **kw))]


def test_a_rule_that_crashes_is_reported_and_the_others_still_run(monkeypatch):
    def broken(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(checker, "RULES", [Rule("broken", (), broken), *checker.RULES])
    found = codes(TABLE.format(framework="", benefit="可持续影响指标"))
    assert "PD9001" in found
    assert "PD5005" in found  # vague-wording still ran


def selected(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    return code in compile_selection(select, ignore)


def test_select_and_ignore_by_name_code_and_prefix():
    assert selected("PD5005", ("vague-wording",), ())
    assert not selected("PD4003", ("vague-wording",), ())
    assert selected("PD4003", ("PD4",), ())
    assert not selected("PD5005", (), ("PD5",))
    assert not selected("PD5005", (), ("vague-wording",))
    # language errors cannot be deselected
    assert selected("PD1001", ("PD5",), ())


def test_a_rule_name_selects_every_code_the_rule_emits():
    assert resolve("framework-categories") == {"PD3002", "PD3003", "PD3004", "PD3005"}
    assert selected("PD3004", ("framework-categories",), ())
    assert not selected("PD3004", (), ("framework-categories",))


@pytest.mark.parametrize(
    ("selector", "guess"),
    [
        ("vague-wordin", "vague-wording"),
        ("framework-categorie", "framework-categories"),
        ("PD78", None),
        ("PD59", None),
        ("nothing-like-it", None),
    ],
)
def test_an_unknown_selector_is_an_error_with_did_you_mean(selector, guess):
    with pytest.raises(SelectorError) as caught:
        resolve(selector)
    if guess:
        assert f"`{guess}`" in caught.value.message.en


@pytest.mark.parametrize(
    "selector", ["PD1001", "missing-colon", "PD3012", "unknown-template", "PD3001"]
)
def test_what_always_reports_cannot_be_selected_or_ignored(selector):
    with pytest.raises(SelectorError, match="can be selected or ignored"):
        resolve(selector)
    # ... and a prefix that covers such codes leaves them reported
    assert selected("PD3012", (), ("PD3",))
    assert selected("PD3001", (), ("PD3",))


def test_every_rule_emits_only_the_codes_it_declares():
    import perfdsl.check as checker
    from perfdsl.load import load_file

    cases = [*sorted((ROOT / "tests" / "cases").glob("*/*.pdsl")), SEED]
    seen: set[str] = set()
    for path in cases:
        loaded = load_file(path)
        if not loaded.ok:
            continue
        context = Context(loaded.document)
        for entry in checker.RULES:
            emitted = {d.code for d in entry.fn(context)}
            assert emitted <= set(entry.codes), (entry.name, path.name, emitted)
            seen |= emitted
    assert len(seen) > 15  # the cases exercise most rules, so the assertion above means something


def test_local_framework_from_config(tmp_path):
    (tmp_path / "perfdsl.toml").write_text(
        textwrap.dedent(
            """\
            framework = "本地"
            ignore = ["vague-wording"]
            [frameworks."本地"]
            base = "2015"
            [frameworks."本地".categories]
            "效益指标" = ["经济效益指标", "社会效益指标", "文化效益指标", "可持续影响指标"]
            """
        ),
        encoding="utf-8",
    )
    source = tmp_path / "unit.pdsl"
    source.write_text(TABLE.format(framework="", benefit="文化效益指标"), encoding="utf-8")
    config = for_file(str(source))
    assert config.framework == "本地"
    loaded = load_text(source.read_text("utf-8"))
    assert [d.code for d in run(Context(loaded.document, config))] == []
    # Without the configuration, 文化效益指标 is not a 2015 二级.
    assert "PD3003" in codes(TABLE.format(framework="", benefit="文化效益指标"))


def test_config_in_pyproject_and_errors(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.perfdsl]\nstrict = true\n", encoding="utf-8")
    assert for_file(str(tmp_path / "x.pdsl")).strict is True
    bad = tmp_path / "sub" / "perfdsl.toml"
    bad.parent.mkdir()
    bad.write_text("stirct = true\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(bad)
    assert "stirct" in info.value.message.zh
    bad.write_text("framework = 1 = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load(bad)


def test_framework_override_on_the_command_line():
    text = TABLE.format(framework="指标体系: 2015", benefit="可持续影响指标")
    assert "PD3005" not in codes(text)
    # Under 2021 the table lacks its 成本指标 一级.
    assert "PD3005" in codes(text, framework_override="2021")


def test_cli_strict_select_ignore_lang_and_framework(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "PD5005" in result.output
    strict = runner.invoke(main, ["check", "--strict", str(SEED)])
    assert strict.exit_code == 1
    only = runner.invoke(main, ["check", "--format", "concise", "--select", "PD4", str(SEED)])
    assert only.exit_code == 0
    assert {line.split(": ")[1].split()[0] for line in only.output.splitlines()} == {
        "PD4003",
        "PD4004",
    }
    ignored = runner.invoke(
        main,
        ["check", "--strict", "--ignore", "vague-wording,PD5003,PD3010,PD3011,PD4003", str(SEED)],
    )
    assert ignored.exit_code == 0, ignored.output
    english = runner.invoke(main, ["check", "--lang", "en", "--select", "PD4003", str(SEED)])
    assert "more than the budget" in english.output
    other = runner.invoke(main, ["check", "--framework", "2021", str(SEED)])
    assert other.exit_code == 1 and "PD3005" in other.output
    unknown = runner.invoke(main, ["check", "--framework", "2016", str(SEED)])
    assert unknown.exit_code == 1 and "PD3001" in unknown.output


def test_cli_broken_config_is_a_usage_error(tmp_path):
    (tmp_path / "perfdsl.toml").write_text('framework = "nope"\n', encoding="utf-8")
    source = tmp_path / "a.pdsl"
    source.write_text(TABLE.format(framework="", benefit="可持续影响指标"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_project_level_suppression_covers_the_whole_project_only():
    one = TABLE.format(framework="", benefit="可持续影响指标")
    project = one[one.index("项目 办案业务费:") :]
    text = one.replace("项目 办案业务费:", "项目 办案业务费:  # perfdsl: ignore[vague-wording]")
    text += "\n" + project.replace("项目 办案业务费:", "项目 第二个项目:")
    found = codes(text)
    assert found.count("PD5005") == 1  # the second project's finding is kept


def test_explain():
    runner = CliRunner()
    by_code = runner.invoke(main, ["explain", "PD4001"])
    assert by_code.exit_code == 0 and "budget-mismatch" in by_code.output
    by_name = runner.invoke(main, ["explain", "vague-wording", "--lang", "en"])
    assert by_name.exit_code == 0 and "PD5005" in by_name.output
    listing = runner.invoke(main, ["explain"])
    assert listing.exit_code == 0 and "PD1001" in listing.output and "PD6002" in listing.output
    missing = runner.invoke(main, ["explain", "PD0000"])
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('strict = "false"', "must be true or false"),
        ("strict = 1", "must be true or false"),
        ('lang = "fr"', "lang must be zh or en"),
        ("lang = 1", "lang must be zh or en"),
        ("select = 5", "select must be a list of strings"),
        ('ignore = ["vague-wordin"]', "did you mean `vague-wording`"),
        ('select = ["PD1001"]', "can be selected or ignored"),
        ("framework = true", "framework must be a name"),
        ("strct = true", "did you mean strict"),
        ("[frameworks.x]\nbase = 2015\ntitle = 3", "title must be a string"),
    ],
)
def test_every_config_key_is_type_checked(tmp_path, line, says):
    path = tmp_path / "perfdsl.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert says in caught.value.message.en
    assert str(path) in caught.value.message.en


def test_strict_false_from_the_reproducer_is_refused(tmp_path):
    repro = Path("/work/shared/repro/strict-false.perfdsl.toml")
    text = repro.read_text("utf-8") if repro.exists() else 'strict = "false"\n'
    (tmp_path / "perfdsl.toml").write_text(text, encoding="utf-8")
    (tmp_path / "x.pdsl").write_text(SEED.read_text("utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(tmp_path / "x.pdsl")])
    assert result.exit_code == 2
    assert "strict must be true or false" in result.stderr


def test_good_config_values_load(tmp_path):
    path = tmp_path / "perfdsl.toml"
    path.write_text(
        'strict = false\nlang = "en"\nframework = 2021\nselect = ["framework-categories", "PD4"]\n'
        'ignore = "vague-wording"\n',
        encoding="utf-8",
    )
    config = load(path)
    assert (config.strict, config.lang, config.framework) == (False, "en", "2021")
    assert config.select == ("framework-categories", "PD4")
    assert config.ignore == ("vague-wording",)


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_unknown_rule_on_the_command_line_is_a_usage_error(tmp_path, command):
    extra = ["-o", str(tmp_path / "out")] if command == "build" else []
    result = CliRunner().invoke(
        main, [command, "--lang", "en", "--ignore", "vague-wordin", str(SEED), *extra]
    )
    assert result.exit_code == 2
    assert "did you mean `vague-wording`" in result.stderr
    assert not (tmp_path / "out").exists()


def test_select_framework_categories_selects_its_findings(tmp_path):
    source = tmp_path / "x.pdsl"
    source.write_text(
        SEED.read_text("utf-8").replace("社会效益指标:", "社会效益:", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["check", "--format", "concise", "--select", "framework-categories", str(source)]
    )
    assert "PD3003" in result.stdout
    assert "PD5005" not in result.stdout


def test_check_and_build_agree_under_ignore_of_a_prefix(tmp_path):
    source = tmp_path / "x.pdsl"
    source.write_text("版式: 无此版式\n" + SEED.read_text("utf-8"), encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", "--ignore", "PD3", str(source)])
    built = CliRunner().invoke(
        main, ["build", "--ignore", "PD3", str(source), "-o", str(tmp_path / "o")]
    )
    assert checked.exit_code == built.exit_code == 1
    assert "PD3012" in checked.stdout

"""``perfdsl new``: a new file (or new tables in an existing one) from a template.

For every built-in template the new file reads without an error, is in canonical form, and
``check`` reports nothing but the cells still to fill in; an existing file is never
overwritten, and tables added to one leave its text as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.atomic import TEMP_PATTERN
from perfdsl.check import Context
from perfdsl.cli import main
from perfdsl.load import load_file
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.standards import fields as R
from perfdsl.standards.templates import DEFAULT, builtin

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"
UNIT = "215101 天津市北辰区人民法院"

#: What a fresh file may be told: a placeholder left in (PD3008), and, for ×× in a quantity,
#: cost or satisfaction value, what kind of value belongs there (PD5004, PD5002); scores of 0
#: that do not add up yet (PD5006, PD5016).
PLACEHOLDER_CODES = {"PD3008", "PD5002", "PD5004", "PD5006", "PD5016"}
TEMPLATES = list(builtin())


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def new_file(tmp_path: Path, template: str, *more: str) -> Path:
    path = tmp_path / f"{template}.pdsl"
    result = run("new", str(path), "--unit", UNIT, "--year", "2025", "--template", template, *more)
    assert result.exit_code == 0, result.output
    return path


def codes(path: Path) -> list[str]:
    return [d.code for d in check_file(str(path), CheckOptions()).diagnostics]


# --- a new file, for every built-in template -----------------------------------------------------


@pytest.mark.parametrize("key", TEMPLATES)
def test_a_new_file_reads_is_canonical_and_holds_only_placeholders(
    tmp_path: Path, key: str
) -> None:
    path = new_file(tmp_path, key)
    loaded = load_file(path)
    assert loaded.ok, loaded.diagnostics
    assert run("fmt", "--check", str(path)).exit_code == 0
    found = codes(path)
    assert "PD3008" in found
    assert set(found) <= PLACEHOLDER_CODES, found


@pytest.mark.parametrize("key", TEMPLATES)
def test_a_new_file_builds_once_the_placeholders_are_let_through(tmp_path: Path, key: str) -> None:
    path = new_file(tmp_path, key)
    out = tmp_path / "out"
    # The placeholders are errors: the build refuses them, and builds once they are ignored.
    assert run("build", str(path), "-o", str(out), "--to", "json").exit_code == 1
    ignore = ",".join(sorted(PLACEHOLDER_CODES))
    built = run("build", str(path), "-o", str(out), "--to", "json", "--ignore", ignore)
    assert built.exit_code == 0, built.output
    data = json.loads((out / f"{key}.json").read_text(encoding="utf-8"))
    assert "××" in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("key", TEMPLATES)
def test_a_new_file_has_the_templates_fields_labels_and_framework(tmp_path: Path, key: str) -> None:
    template = builtin()[key]
    path = new_file(tmp_path, key)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:3] == [f"单位: {UNIT}", "年度: 2025", "金额单位: 万元"]
    assert (f"模板: {key}" in lines) == (key != DEFAULT)
    document = load_file(path).document
    assert document is not None
    [project] = document.projects
    assert project.kind == template.kind
    # Every money column of the template, under the template's own label, with the funding
    # lines the template always prints.
    assert [b.key for b in project.budgets] == R.order("budget", template.fields["budget"])
    for budget in project.budgets:
        assert f"  {template.label('budget', budget.key)}: 0" in lines
        main_funding = [k for k in template.page.main_funding if k in template.fields["funding"]]
        assert [line.kind for line in budget.lines] == main_funding
    assert f"  {template.label('project', 'goals')}:" in lines
    assert [g.text for g in project.goals] == ["××"]
    # The framework's whole tree, one placeholder indicator per 二级.
    framework = Context(document).framework_of(project)
    assert framework is not None
    tree = {l1.name: [l2.name for l2 in l1.blocks] for l1 in project.indicators}
    assert tree == {k: list(v) for k, v in framework.categories.items()}
    assert all(len(l2.indicators) == 1 for l1 in project.indicators for l2 in l1.blocks)


def test_mof2021_gets_its_framework_scores_and_columns(tmp_path: Path) -> None:
    text = new_file(tmp_path, "mof2021").read_text(encoding="utf-8")
    assert "指标体系: 2021\n" in text
    assert "  预算执行率分值: 10\n" in text and "  绩效指标分值: 90\n" in text
    assert text.index("  成本指标:\n") < text.index("  产出指标:\n")
    assert "        指标值设定依据: ××\n" in text and "        分值: 0\n" in text


def test_ndrc_tree_stands_under_one_level1(tmp_path: Path) -> None:
    text = new_file(tmp_path, "ndrc").read_text(encoding="utf-8")
    assert "  实施效果指标:\n    产出指标:\n      ××产出: ××\n" in text
    assert "指标体系" not in text


def test_a_department_table_is_named_after_the_unit(tmp_path: Path) -> None:
    text = new_file(tmp_path, "department").read_text(encoding="utf-8")
    assert "\n部门 天津市北辰区人民法院:\n" in text
    assert "  年度履职目标:\n    行:\n      部门职能: ××\n" in text


def test_the_default_template_and_several_projects(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "b.pdsl"), "--unit", UNIT, "--year", "2025",
                 "--project", "甲", "--project", "乙: 其中")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = load_file(tmp_path / "b.pdsl").document
    assert document is not None
    assert [p.name for p in document.projects] == ["甲", "乙: 其中"]
    text = (tmp_path / "b.pdsl").read_text(encoding="utf-8")
    assert "模板" not in text.split("\n\n")[0] and "指标体系" not in text
    assert '项目: "乙: 其中"' in text
    assert "已写出" in result.stderr and "2 张表" in result.stderr


def test_without_project_the_table_is_a_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "a.pdsl"
    assert run("new", str(path), "--unit", UNIT, "--year", "2025").exit_code == 0
    assert "\n项目 ××项目:\n" in path.read_text(encoding="utf-8")
    assert any(
        d.code == "PD3008" and d.span is not None and d.span.line == 5
        for d in check_file(str(path), CheckOptions()).diagnostics
    )


def test_dash_prints_the_file_and_writes_nothing(tmp_path: Path) -> None:
    result = run("new", "-", "--unit", UNIT, "--year", "2025", "--template", "mof2015")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []
    path = new_file(tmp_path, "mof2015")
    assert result.stdout == path.read_text(encoding="utf-8")


# --- adding to an existing file ------------------------------------------------------------------


def test_adding_to_the_seed_keeps_it_and_appends_the_table(tmp_path: Path) -> None:
    path = tmp_path / "seed.pdsl"
    old = SEED.read_bytes()
    path.write_bytes(old)
    result = run("new", str(path), "--project", "新项目")
    assert result.exit_code == 0, result.output
    assert "已在" in result.stderr and "新项目" in result.stderr
    new = path.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :].startswith("\n项目 新项目:\n".encode())
    assert run("fmt", "--check", str(path)).exit_code == 0
    before = load_file(SEED).document
    after = load_file(path).document
    assert before is not None and after is not None
    assert after.projects[:-1] == before.projects
    assert after.projects[-1].name == "新项目"
    old_lines = old.decode("utf-8").count("\n")
    found = check_file(str(path), CheckOptions()).diagnostics
    added = {d.code for d in found if d.span is not None and d.span.line > old_lines}
    assert added and added <= PLACEHOLDER_CODES
    assert not [n for n in tmp_path.iterdir() if TEMP_PATTERN.fullmatch(n.name)]


def test_a_table_in_another_template_names_it_and_keeps_the_files_framework(
    tmp_path: Path,
) -> None:
    path = tmp_path / "seed.pdsl"
    path.write_bytes(SEED.read_bytes())
    result = run("new", str(path), "--project", "新", "--template", "财政部2021", "--year", "2024")
    assert result.exit_code == 0, result.output
    tail = path.read_text(encoding="utf-8").split("\n项目 新:\n")[1]
    assert tail.startswith("  模板: 财政部2021\n")
    assert "  年度资金总额: 0\n" in tail
    # The seed's header says 指标体系: 2015, which holds for every table in it.
    assert "    成本指标:\n" in tail and "\n  成本指标:\n" not in tail
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_an_english_file_stays_english(tmp_path: Path) -> None:
    path = tmp_path / "en.pdsl"
    path.write_text(
        "unit: 1 甲\nyear: 2024\nmoney-unit: 万元\n\nproject 乙:\n  budget: 1\n    fiscal: 1\n",
        encoding="utf-8",
    )
    assert run("new", str(path), "--project", "丙").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("unit: 1 甲\nyear: 2024\nmoney-unit: 万元\n\nproject 乙:\n")
    assert "\nproject 丙:\n" in text and "  purpose: ××\n" in text and "  output:\n" in text
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_a_file_not_in_canonical_form_keeps_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "messy.pdsl"
    old = "单位：1 甲\r\n年度: 2024\n金额单位：万元".encode()
    path.write_bytes(old)
    assert run("new", str(path), "--project", "乙").exit_code == 0
    new = path.read_bytes()
    assert new.startswith(old + b"\r\n\r\n\xe9\xa1\xb9\xe7\x9b\xae \xe4\xb9\x99:\r\n")
    document = load_file(path).document
    assert document is not None and [p.name for p in document.projects] == ["乙"]


def test_a_gbk_file_is_saved_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.pdsl"
    path.write_bytes("单位: 1 甲\n年度: 2024\n金额单位: 万元\n".encode("gb18030"))
    result = run("new", str(path), "--project", "乙")
    assert result.exit_code == 0
    assert "UTF-8" in result.stderr
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("单位: 1 甲\n年度: 2024\n金额单位: 万元\n\n项目 乙:\n")
    assert run("fmt", "--check", str(path)).exit_code == 0


# --- refusals ------------------------------------------------------------------------------------


def unchanged(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "seed.pdsl"
    path.write_bytes(SEED.read_bytes())
    result = run("new", str(path), "--unit", UNIT, "--year", "2024")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "已经存在" in result.stderr
    assert "--project" in result.stderr
    unchanged(path, SEED.read_bytes())


def test_a_table_that_exists_is_not_added_twice(tmp_path: Path) -> None:
    path = tmp_path / "seed.pdsl"
    path.write_bytes(SEED.read_bytes())
    result = run("new", str(path), "--project", "新", "--project", "办案业务费")
    assert result.exit_code == 2
    assert "办案业务费" in result.stderr and result.stderr.count("\n") == 1
    unchanged(path, SEED.read_bytes())
    twice = run("new", str(tmp_path / "x.pdsl"), "--unit", UNIT, "--year", "2025",
                "--project", "甲", "--project", "甲")  # fmt: skip
    assert twice.exit_code == 2 and not (tmp_path / "x.pdsl").exists()


def test_another_units_or_years_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.pdsl"
    path.write_bytes(SEED.read_bytes())
    year = run("new", str(path), "--project", "新", "--year", "2025")
    assert year.exit_code == 2 and "2024" in year.stderr
    unit = run("new", str(path), "--project", "新", "--unit", "1 别的单位")
    assert unit.exit_code == 2 and "别的单位" in unit.stderr
    same = run("new", str(path), "--project", "新", "--unit", "215101天津市北辰区人民法院")
    assert same.exit_code == 0, same.output


def test_a_file_with_errors_gets_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.pdsl"
    old = "单位: 1 甲\n年度: 2024\n金额单位 万元\n".encode()
    path.write_bytes(old)
    result = run("new", str(path), "--project", "乙")
    assert result.exit_code == 1
    assert "PD1001" in result.stderr and "没有增加项目" in result.stderr
    unchanged(path, old)


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("--template", "nope"), "没有名为 `nope` 的模板", "there is no template named `nope`"),
        (("--year", "25"), "--year 应当是四位", "--year must be a four-digit year"),
        (("--year", "２０２５"), "--year 应当是四位", "--year must be a four-digit year"),
        (("--unit", " "), "--unit 是空的", "--unit is empty"),
        (("--project", ""), "--project 的名称是空的", "--project names no table"),
    ],
)
def test_usage_errors_are_one_line_in_the_users_language(
    tmp_path: Path, args: tuple[str, ...], zh: str, en: str
) -> None:
    given = dict(zip(args[::2], args[1::2], strict=True))
    options = {"--unit": UNIT, "--year": "2025", **given}
    argv = [part for pair in options.items() for part in pair]
    path = tmp_path / "a.pdsl"
    for lang, expected in (("zh", zh), ("en", en)):
        result = run("new", str(path), *argv, "--lang", lang)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith("perfdsl new: ") and result.stderr.count("\n") == 1
        assert expected in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert not path.exists()


def test_a_new_file_needs_unit_and_year(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "a.pdsl"), "--year", "2025")
    assert result.exit_code == 2 and "新文件要写 --unit" in result.stderr
    result = run("new", str(tmp_path / "a.pdsl"), "--lang", "en")
    assert result.exit_code == 2
    assert "a new file needs --unit and --year" in result.stderr


def test_english_messages(tmp_path: Path) -> None:
    path = tmp_path / "a.pdsl"
    result = run("new", str(path), "--unit", UNIT, "--year", "2025", "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == (
        f"wrote {path} (1 table); `perfdsl check {path}` lists what is left to fill in\n"
    )
    again = run("new", str(path), "--unit", UNIT, "--year", "2025", "--lang", "en")
    assert again.exit_code == 2
    assert "exists already and was not overwritten" in again.stderr
    added = run("new", str(path), "--project", "乙", "--lang", "en")
    assert added.exit_code == 0 and added.stderr == f"added 1 table to {path}: 乙\n"
    twice = run("new", str(path), "--project", "乙", "--lang", "en")
    assert twice.exit_code == 2 and "already has a table named “乙”" in twice.stderr


def test_the_command_is_listed() -> None:
    assert "new" in run("--help").stdout
    help_text = run("new", "--help").stdout
    for option in ("--unit", "--year", "--template", "--project", "--lang"):
        assert option in help_text


def test_check_names_every_cell_left_to_fill_in_typed_fields_and_rows_too(tmp_path: Path) -> None:
    """实施期 (a typed field) and the cells of 年度履职目标 (a block of rows) hold ×× in a new
    file; check says so for each, so none of them is published unfilled."""
    path = new_file(tmp_path, "department")
    found = check_file(str(path), CheckOptions()).diagnostics
    placeholders = [d.message.zh for d in found if d.code == "PD3008"]
    assert any(m.startswith("年度履职目标的部门职能里") for m in placeholders), placeholders
    assert any(m.startswith("年度履职目标的支出项目里") for m in placeholders), placeholders
    tianjin = check_file(str(new_file(tmp_path, "tianjin")), CheckOptions()).diagnostics
    assert any(d.code == "PD3008" and d.message.zh.startswith("实施期里") for d in tianjin)

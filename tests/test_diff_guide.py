"""docs/guide-zh.md tells the truth: every output it quotes is what perfdsl prints now, every
command and option it mentions exists, and every file it points at is there.

Each quoted output is a fenced block after a ``<!-- guide: NAME -->`` marker; its first line
is the command (``$ perfdsl …``), run here in a git repository laid out as the guide
describes (2024/215101-北辰区法院.pdsl), the rest is what that command prints.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "guide-zh.md").read_text(encoding="utf-8")
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
NAME = "2024/215101-北辰区法院.pdsl"
BLOCK = re.compile(r"<!-- guide: (?P<name>[a-z-]+) -->\n```[a-z]*\n(?P<body>.*?)```\n", re.S)


def blocks() -> dict[str, str]:
    return {m["name"]: m["body"] for m in BLOCK.finditer(GUIDE)}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The guide's repository: the seed committed, then edited as section 4 says."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    source = tmp_path / NAME
    source.parent.mkdir()
    source.write_text(SEED, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "财务科")
    git(tmp_path, "config", "user.email", "finance@example.org")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "2024")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(command: str) -> str:
    """What ``$ perfdsl …`` prints, stdout then stderr, as a terminal shows it."""
    argv = command.removeprefix("$ perfdsl ").split()
    result = CliRunner().invoke(main, argv)
    return result.stdout + result.stderr


def quoted(name: str) -> tuple[str, str]:
    body = blocks()[name]
    command, _, printed = body.partition("\n")
    return command, printed


def test_the_guide_quotes_every_marked_block() -> None:
    assert set(blocks()) == {
        "diff-text",
        "diff-markdown",
        "diff-change",
        "check",
        "explain",
        "concise",
    }


def test_diff_outputs_are_real(office: Path) -> None:
    source = office / NAME
    edited = SEED.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )
    source.write_text(edited.replace("陪审员参审次数: ≥400次", "陪审员参审次数: ≥450次"), "utf-8")
    command, printed = quoted("diff-text")
    assert run(command) == printed
    markdown = blocks()["diff-markdown"]
    assert run(f"$ perfdsl diff --format markdown HEAD -- {NAME}") == markdown


def test_the_whole_change_output_is_real(office: Path) -> None:
    """Last year's folder against this year's: the 2025 copy raises a budget and a target."""
    edited = SEED.replace("年度: 2024", "年度: 2025").replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )
    (office / "2025").mkdir()
    (office / NAME.replace("2024", "2025")).write_text(
        edited.replace("陪审员参审次数: ≥400次", "陪审员参审次数: ≥450次"), "utf-8"
    )
    command, printed = quoted("diff-change")
    assert run(command) == printed


@pytest.mark.parametrize("name", ["check", "concise"])
def test_diagnostic_outputs_are_real(office: Path, name: str) -> None:
    source = office / NAME
    source.write_text(SEED.replace("    财政资金: 146.00", "    财政资金: 140.00"), "utf-8")
    command, printed = quoted(name)
    assert run(command) == printed


def test_explain_output_is_real() -> None:
    command, printed = quoted("explain")
    assert run(command) == printed


def test_every_perfdsl_command_and_option_in_the_guide_exists() -> None:
    runner = CliRunner()
    seen = set()
    for match in re.finditer(r"\bperfdsl ([a-z]+)((?: +--?[a-z][a-z-]*)*)", GUIDE):
        sub = match[1]
        if sub in ("check", "fmt", "build", "diff", "explain", "textconv"):
            seen.add(sub)
            help_text = runner.invoke(main, [sub, "--help"]).output
            for option in re.findall(r"--?[a-z][a-z-]*", match[2]):
                assert re.search(rf"(^|[\s,]){re.escape(option)}\b", help_text), (sub, option)
    assert seen == {"check", "fmt", "build", "diff", "explain", "textconv"}


def test_files_the_guide_points_at_exist() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", GUIDE):
        if target.startswith("http"):
            continue
        assert (ROOT / "docs" / target).resolve().exists(), target
    for path in ("docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml", ".pre-commit-hooks.yaml"):
        assert path.split("/")[-1] in GUIDE
        assert (ROOT / path).is_file()
    assert (ROOT / "examples" / "beichen-court-2024.pdsl").is_file()


def test_guide_git_config_lines_match_the_example_attributes() -> None:
    attributes = (ROOT / ".gitattributes.example").read_text(encoding="utf-8")
    for line in ("*.docx diff=docx", "*.pdsl diff=perfdsl"):
        assert line in GUIDE and line in attributes
    for config in (
        'git config diff.perfdsl.xfuncname "^(项目 .*|project .*)$"',
        'git config difftool.perfdsl.cmd \'perfdsl diff "$LOCAL" "$REMOTE"\'',
    ):
        assert config in GUIDE and config in attributes
    assert 'git config diff.docx.textconv "perfdsl textconv"' in GUIDE


def test_fences_are_closed_and_the_textconv_example_keeps_its_tabs() -> None:
    assert GUIDE.count("```") % 2 == 0
    row = "产出指标\t数量指标\t陪审员参审次数\t陪审员参审次数\t"
    assert f"-{row}≥400次\n+{row}≥500次" in GUIDE  # what test_git.py sees git print

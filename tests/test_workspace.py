"""Folders and globs on the command line (perfdsl/workspace.py): which files, in what order,
where their outputs go; and the commands that take them."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from perfdsl.cli import main
from perfdsl.workspace import WorkspaceError, expand

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = SEED.read_text("utf-8")
    for name in (
        "2024/法院.pdsl",
        "2025/法院.pdsl",
        "2025/sub/检察院.pdsl",
        ".git/x.pdsl",
        "drafts/草稿.pdsl",
        "2025/旧.old.pdsl",
        "old/2020/a.pdsl",
        "notes.txt",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("年度: 2024", f"年度: {name[:4]}") if name[0] == "2" else text)
    (tmp_path / "perfdsl.toml").write_text(
        'exclude = ["drafts/", "*.old.pdsl", "old/**"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_folder_is_every_pdsl_under_it_but_hidden_and_excluded_ones(tree: Path) -> None:
    found = expand(["."])
    assert [s.relative for s in found] == [
        PurePosixPath("2024/法院.pdsl"),
        PurePosixPath("2025/sub/检察院.pdsl"),
        PurePosixPath("2025/法院.pdsl"),
    ]
    # A file named one by one is always taken, excluded or not.
    assert [s.path for s in expand(["drafts/草稿.pdsl"])] == ["drafts/草稿.pdsl"]


def test_globs_and_the_common_folder(tree: Path) -> None:
    found = expand(["20*/*.pdsl"])
    assert [str(s.relative) for s in found] == [
        "2024/法院.pdsl",
        "2025/旧.old.pdsl",
        "2025/法院.pdsl",
    ]
    # One file, or files of one folder: their names alone (a build writes out/法院.docx).
    assert [str(s.relative) for s in expand(["2025/法院.pdsl"])] == ["法院.pdsl"]
    # The folder named shares its files: out/2025/… from `.`, out/sub/… from `2025`.
    assert [str(s.relative) for s in expand(["2025"])] == ["sub/检察院.pdsl", "法院.pdsl"]
    # Named twice, taken once.
    assert len(expand(["2024/法院.pdsl", "./2024/法院.pdsl", "2024"])) == 1


@pytest.mark.parametrize(
    ("arg", "zh", "en"),
    [
        ("19*/*.pdsl", "没有文件与 19*/*.pdsl 相符", "no file matches 19*/*.pdsl"),
        ("drafts/sub", None, None),
    ],
)
def test_a_glob_or_a_folder_with_nothing_is_an_error(tree: Path, arg: str, zh, en) -> None:
    if zh is None:
        (tree / arg).mkdir()
        zh, en = f"目录 {arg} 里没有 .pdsl 文件", f"the folder {arg} holds no .pdsl files"
    with pytest.raises(WorkspaceError) as caught:
        expand([arg])
    assert caught.value.message.zh == zh and caught.value.message.en == en
    result = CliRunner().invoke(main, ["check", arg])
    assert result.exit_code == 2 and zh in result.stderr and "Traceback" not in result.output


def test_check_fmt_and_build_take_a_folder(tree: Path) -> None:
    check = CliRunner().invoke(main, ["check", ".", "--format", "concise"])
    assert check.exit_code == 0
    assert {line.split(":")[0] for line in check.stdout.splitlines()} == {
        "2024/法院.pdsl",
        "2025/法院.pdsl",
        "2025/sub/检察院.pdsl",
    }
    assert CliRunner().invoke(main, ["fmt", "--check", "."]).exit_code == 0
    build = CliRunner().invoke(main, ["build", ".", "-o", "out", "--to", "json"])
    assert build.exit_code == 0, build.stderr
    assert sorted(
        p.relative_to(tree / "out").as_posix() for p in (tree / "out").rglob("*.json")
    ) == [
        "2024/法院.json",
        "2025/sub/检察院.json",
        "2025/法院.json",
    ]


def test_exclude_is_type_checked(tmp_path: Path) -> None:
    from perfdsl.config import ConfigError, load

    (tmp_path / "perfdsl.toml").write_text("exclude = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(tmp_path / "perfdsl.toml")
    assert "exclude must be a list of strings" in caught.value.message.en


def test_import_takes_a_folder_and_mirrors_it(tree: Path) -> None:
    from datetime import UTC, datetime

    from perfdsl.emit.docx import render_docx
    from perfdsl.pipeline import CheckOptions, check_file

    checked = check_file(str(SEED), CheckOptions())
    assert checked.loaded.document is not None
    data = render_docx(
        checked.loaded.document, checked.template(), datetime(2024, 1, 1, tzinfo=UTC)
    )
    for name in ("word/2024/法院.docx", "word/2025/法院.docx"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(data)
    result = CliRunner().invoke(main, ["import", "word", "-o", "src"])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tree / "src").as_posix() for p in (tree / "src").rglob("*")) == [
        "2024",
        "2024/法院.pdsl",
        "2025",
        "2025/法院.pdsl",
    ]


def test_a_build_from_standard_input_needs_a_name(tree: Path) -> None:
    text = (tree / "2024" / "法院.pdsl").read_text("utf-8")
    refused = CliRunner().invoke(main, ["build", "-", "-o", "out", "--to", "json"], input=text)
    assert refused.exit_code == 2 and "--name" in refused.stderr
    assert not (tree / "out").exists()  # nothing named -.json
    named = CliRunner().invoke(
        main, ["build", "-", "-o", "out", "--to", "json", "--name", "215101-法院"], input=text
    )
    assert named.exit_code == 0, named.stderr
    assert [p.name for p in (tree / "out").iterdir()] == ["215101-法院.json"]
    stray = CliRunner().invoke(
        main, ["build", "2024/法院.pdsl", "-o", "o2", "--to", "json", "--name", "x"]
    )
    assert stray.exit_code == 2 and "only for a source read from standard input" in (
        CliRunner()
        .invoke(
            main,
            ["build", "2024/法院.pdsl", "-o", "o2", "--to", "json", "--name", "x", "--lang", "en"],
        )
        .stderr
    )


def test_every_command_speaks_the_configurations_language(tree: Path) -> None:
    """`lang = "en"` in perfdsl.toml: fmt, diff and check say it in English unless told."""
    (tree / "perfdsl.toml").write_text('lang = "en"\n', encoding="utf-8")
    (tree / "bad.pdsl").write_text("单位: 某单位\n", encoding="utf-8")
    fmt = CliRunner().invoke(main, ["fmt", "--check", "bad.pdsl"])
    assert "has errors, not formatted" in fmt.stderr
    diff = CliRunner().invoke(main, ["diff", "bad.pdsl", "2024/法院.pdsl"])
    assert "has errors, cannot compare" in diff.stderr
    told = CliRunner().invoke(main, ["fmt", "--check", "bad.pdsl", "--lang", "zh"])
    assert "有错误，未格式化" in told.stderr

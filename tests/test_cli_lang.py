"""The language perfdsl speaks: --lang, the configuration, the locale; --help and click's
own messages in it (perfdsl.language, perfdsl.cli_lang)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from perfdsl import language
from perfdsl.cli import main
from perfdsl.cli_lang import CLICK_ZH, Help

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, prog_name="perfdsl")
    return result.exit_code, result.stdout + result.stderr


def test_every_command_and_option_has_its_help_in_both_languages():
    missing = []
    for name, command in main.commands.items():
        texts = [(name, command.help)]
        texts += [
            (f"{name} {p.opts[0]}", getattr(p, "_perfdsl_help", p.help))
            for p in command.params
            if isinstance(p, click.Option)
        ]
        for where, text in texts:
            text = getattr(command, "_perfdsl_help", text) if where == name else text
            if not isinstance(text, Help) or not CJK.search(text.zh):
                missing.append(where)
    assert missing == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zh_CN.UTF-8", "zh"),
        ("zh_TW", "zh"),
        ("en_US.UTF-8", "en"),
        ("fr_FR@euro", "en"),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("", None),
        ("Chinese (Simplified)_China", "zh"),
        ("English_United States", "en"),
    ],
)
def test_a_locale_names_a_language(value, expected):
    assert language._named(value) == expected


def test_the_first_locale_variable_set_decides(monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert language.from_locale() == "en"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # C names no language: the default
    assert language.from_locale() == "zh"


def test_help_speaks_chinese_by_default_and_english_when_asked():
    code, zh = run("check", "--help")
    assert code == 0
    assert zh.startswith("用法: perfdsl check [OPTIONS] FILES...")
    assert "同时读 N 个文件" in zh and "显示本帮助并退出。" in zh
    code, en = run("check", "--lang", "en", "--help")
    assert en.startswith("Usage: perfdsl check") and "Read N files at a time" in en
    assert not CJK.search(en.split("--lang")[0])


def test_the_locale_and_the_configuration_choose_when_the_command_line_does_not(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert run("fmt", "--help", env={"LC_ALL": "en_US.UTF-8"})[1].startswith("Usage:")
    assert run("fmt", "--help", env={"LC_ALL": "zh_CN.UTF-8"})[1].startswith("用法:")
    (tmp_path / "perfdsl.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert run("fmt", "--help", env={"LC_ALL": "zh_CN.UTF-8"})[1].startswith("Usage:")
    assert run("fmt", "--lang", "zh", "--help")[1].startswith("用法:")
    (tmp_path / "perfdsl.toml").write_text("lang = [\n", encoding="utf-8")  # broken: the locale
    assert run("fmt", "--help", env={"LC_ALL": "en_US.UTF-8"})[1].startswith("Usage:")


def test_clicks_own_errors_speak_the_language():
    code, out = run("check", "--bogus", "x.pdsl")
    assert code == 2 and "错误：没有选项 '--bogus'。" in out
    assert "运行 'perfdsl check --help' 查看帮助。" in out
    code, out = run("check", "--format", "xml", "x.pdsl")
    assert code == 2 and "'--format' 的值无效：'xml' 不是可选的值" in out
    code, out = run("build", "x.pdsl")
    assert code == 2 and "错误：缺少选项 '-o' / '--out'" in out
    code, out = run("nonsense")
    assert code == 2 and "错误：没有命令 'nonsense'。" in out
    code, out = run("check", "--lang", "en", "--bogus", "x.pdsl")
    assert "Error: No such option: --bogus" in out or "No such option '--bogus'" in out


def test_messages_follow_the_locale_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, english = run("check", "missing.pdsl", env={"LC_ALL": "en_US.UTF-8"})
    code_zh, chinese = run("check", "missing.pdsl")
    assert code == code_zh == 2
    assert "error[PD0001]" in english and not CJK.search(english)
    assert "error[PD0001]" in chinese and CJK.search(chinese)


def test_every_click_message_id_we_translate_exists_in_click():
    """A message id click no longer uses would be dead weight; one it added stays English."""
    import ast

    source_dir = Path(click.__file__).parent
    ids = set()
    for path in source_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                ids.update(a.value for a in node.args if isinstance(a, ast.Constant))
    assert set(CLICK_ZH) <= ids


def test_help_in_a_real_process_has_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "perfdsl", "diff", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0 and "按表格位置列出改动" in result.stdout


def test_the_list_of_commands_shows_a_chinese_clause_for_each():
    """click shortens a help at a space; Chinese has none, and ``把...`` told nothing."""
    code, out = run("--help")
    assert code == 0
    listed = out.split("命令:")[1].strip().splitlines()
    assert len(listed) == len(main.commands)
    for line in listed:
        _name, _, text = line.strip().partition(" ")
        assert len(CJK.findall(text)) >= 5, line
    _code, english = run("--help", env={"LC_ALL": "en_US.UTF-8"})
    assert "Commands:" in english and not CJK.search(
        english.split("Commands:")[1].split("\n")[1][:20]
    )

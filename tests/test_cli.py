"""The command line: exit codes, fmt's modes, stdin, and what ``check`` does not import.

Most tests run the CLI in-process with click's CliRunner; a few run ``python -m perfdsl`` in a
subprocess, as a user would, where exit codes, stdout/stderr and imports are the real ones.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "beichen-court-2024.pdsl"
BAD = ROOT / "tests" / "cases" / "bad" / "missing-colon.pdsl"

CANONICAL = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 万元

项目 办案业务费:
  预算数: 146.00
    财政资金: 146.00
  产出指标:
    数量指标:
      陪审员参审次数: ≥400次
  效益指标:
    可持续影响指标:
      法院办案业务费持续投入保障水平: 持续保障
  满意度指标:
    服务对象满意度指标:
      审判执行部门对业务保障满意度: ≥95%
"""
#: The same document, written the way people write: full-width colons and operators, four
#: spaces, a blank line, English keywords for some keys.
MESSY = (
    CANONICAL.replace("单位: ", "单位：")
    .replace("≥400次", "＞＝400次")
    .replace("  ", "    ")
    .replace("预算数", "budget")
    .replace("    产出指标:", "\n    产出指标:")
)


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def python_m(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "perfdsl", *args],
        input=input,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


# --- check -----------------------------------------------------------------------------------


def test_check_clean_file_exits_0() -> None:
    result = run("check", str(EXAMPLE))
    assert result.exit_code == 0, result.output


def test_check_file_with_errors_exits_1() -> None:
    result = run("check", str(BAD))
    assert result.exit_code == 1
    assert "PD1001" in result.output


def test_check_missing_file_exits_2_with_pd0001(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pdsl"
    result = run("check", str(missing))
    assert result.exit_code == 2
    assert "PD0001" in result.output and str(missing) in result.output
    # An unreadable file among others still makes it exit 2, after checking the others.
    result = run("check", str(BAD), str(missing))
    assert result.exit_code == 2
    assert "PD1001" in result.output and "PD0001" in result.output


def test_check_warnings_only_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "gbk.pdsl"
    path.write_bytes(CANONICAL.encode("gbk"))
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "PD0002" in result.output


def test_check_reads_stdin() -> None:
    assert run("check", "-", input=CANONICAL.encode()).exit_code == 0
    result = run("check", "-", input=b"\xe5\x8d\x95\xe4\xbd\x8d 1\n")
    assert result.exit_code == 1
    assert "<stdin>" in result.output


def test_check_in_english() -> None:
    result = run("check", "--lang", "en", str(BAD))
    assert "this line has no colon" in result.output


def test_usage_error_exits_2() -> None:
    assert run("check").exit_code == 2
    assert run("fmt", "--no-such-option", "x").exit_code == 2


# --- fmt -------------------------------------------------------------------------------------


def test_fmt_check_on_the_example_exits_0() -> None:
    result = run("fmt", "--check", str(EXAMPLE))
    assert result.exit_code == 0, result.output


def test_fmt_check_exits_1_when_a_file_would_change_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "messy.pdsl", MESSY)
    result = run("fmt", "--check", str(path))
    assert result.exit_code == 1
    assert str(path) in result.output
    assert path.read_text(encoding="utf-8") == MESSY


def test_fmt_diff_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "messy.pdsl", MESSY)
    result = run("fmt", "--diff", str(path))
    assert result.exit_code == 1
    assert f"--- {path}" in result.output and f"+++ {path}" in result.output
    assert "-    budget: 146.00" in result.output
    assert "+  预算数: 146.00" in result.output
    assert "+      陪审员参审次数: ≥400次" in result.output
    assert path.read_text(encoding="utf-8") == MESSY
    assert run("fmt", "--diff", str(EXAMPLE)).output == ""


def test_fmt_rewrites_and_is_idempotent(tmp_path: Path) -> None:
    path = write(tmp_path, "messy.pdsl", MESSY)
    os.chmod(path, 0o640)
    result = run("fmt", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # permissions kept
    assert [p.name for p in tmp_path.iterdir()] == ["messy.pdsl"]  # no temporary file left
    before = path.stat().st_mtime_ns
    again = run("fmt", str(path))
    assert again.exit_code == 0 and again.output == ""
    assert path.stat().st_mtime_ns == before  # a canonical file is not even rewritten
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_fmt_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the old file whole, no temporary file, and no traceback."""
    path = write(tmp_path, "messy.pdsl", MESSY)

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("perfdsl.atomic.os.fsync", fail)  # the disk fills while writing
    result = run("fmt", str(path))
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert path.read_text(encoding="utf-8") == MESSY
    assert [p.name for p in tmp_path.iterdir()] == ["messy.pdsl"]


def test_fmt_on_a_file_with_errors_writes_nothing(tmp_path: Path) -> None:
    text = MESSY.replace("陪审员参审次数: ", "陪审员参审次数 ")
    path = write(tmp_path, "bad.pdsl", text)
    result = run("fmt", str(path))
    assert result.exit_code == 1
    assert "PD1001" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_fmt_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("fmt", str(tmp_path / "nope.pdsl"))
    assert result.exit_code == 2
    assert "PD0001" in result.output


def test_fmt_stdin_to_stdout() -> None:
    result = run("fmt", "-", input=MESSY.encode())
    assert result.exit_code == 0
    assert result.stdout == CANONICAL
    assert run("fmt", "-", input=CANONICAL.encode()).stdout == CANONICAL


def test_fmt_check_on_stdin_checks_and_prints_nothing() -> None:
    result = run("fmt", "--check", "-", input=MESSY.encode())
    assert result.exit_code == 1
    assert result.stdout == ""
    assert run("fmt", "--check", "-", input=CANONICAL.encode()).exit_code == 0


def test_fmt_converts_gbk_to_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.pdsl"
    path.write_bytes(CANONICAL.encode("gbk"))
    assert run("fmt", "--check", str(path)).exit_code == 1
    assert run("fmt", str(path)).exit_code == 0
    assert path.read_bytes() == CANONICAL.encode("utf-8")


# --- as a user runs it -----------------------------------------------------------------------


def test_python_m_perfdsl_exit_codes(tmp_path: Path) -> None:
    ok = python_m("check", str(EXAMPLE))
    assert ok.returncode == 0, ok.stderr.decode()
    assert python_m("check", str(BAD)).returncode == 1
    missing = python_m("check", str(tmp_path / "nope.pdsl"))
    assert missing.returncode == 2
    assert b"PD0001" in missing.stdout
    assert python_m("fmt", "--check", str(EXAMPLE)).returncode == 0
    piped = python_m("fmt", "-", input=MESSY.encode())
    assert piped.returncode == 0 and piped.stdout.decode() == CANONICAL


IMPORTS = """\
import atexit, sys
def report():
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("docx", "lxml", "jinja2"))
    sys.stderr.write("HEAVY:" + ",".join(heavy) + "\\n")
atexit.register(report)
from perfdsl.cli import main
main(sys.argv[1:], prog_name="perfdsl")
"""


@pytest.mark.parametrize(
    "args",
    [["check", str(EXAMPLE)], ["--help"], ["check", "--help"], ["fmt", "--check", str(EXAMPLE)]],
    ids=["check", "help", "check-help", "fmt-check"],
)
def test_check_and_help_do_not_import_docx(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS, *args], capture_output=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    last = result.stderr.decode().strip().splitlines()[-1]
    assert last == "HEAVY:", last


def test_fmt_diff_on_a_gbk_file_says_it_would_convert_to_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.pdsl"
    path.write_bytes(CANONICAL.encode("gb18030"))
    result = run("fmt", "--diff", "--lang", "en", str(path))
    assert result.exit_code == 1
    assert "GB18030" in result.output and "UTF-8" in result.output
    assert path.read_bytes() == CANONICAL.encode("gb18030")  # --diff writes nothing
    assert run("fmt", str(path)).exit_code == 0
    assert path.read_bytes() == CANONICAL.encode("utf-8")


def test_version_command_names_perfdsl_and_its_libraries():
    import tomllib

    from perfdsl import __version__

    result = CliRunner().invoke(main, ["version"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert lines[0] == f"perfdsl {__version__}" == f"perfdsl {pyproject['project']['version']}"
    assert any(line.startswith("lark ") for line in lines)


def test_the_pre_commit_docs_pin_the_current_release():
    """The guide and .pre-commit-hooks.yaml pin rev: v<version>, the release this checkout is."""
    import re

    from perfdsl import __version__

    for doc in (ROOT / ".pre-commit-hooks.yaml", ROOT / "docs" / "guide-zh.md"):
        revs = re.findall(r"rev: (\S+)", doc.read_text(encoding="utf-8"))
        assert revs, doc
        assert set(revs) == {f"v{__version__}"}, doc


def _git_tags() -> list[str] | None:
    import shutil
    import subprocess

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    listed = subprocess.run(
        ["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return listed.stdout.split() if listed.returncode == 0 else None


def test_the_release_named_in_the_pre_commit_docs_is_tagged():
    """The pinned rev must name a tag of the repository.

    A checkout carries tags only when it was cloned with them: a CI checkout of one commit
    has none, and cannot tell whether the tag exists upstream.  Where the checkout has any
    tag at all, the current release must be one of them.
    """
    from perfdsl import __version__

    tags = _git_tags()
    if not tags:
        pytest.skip("this checkout carries no git tags (a clean CI checkout of one commit)")
    assert f"v{__version__}" in tags

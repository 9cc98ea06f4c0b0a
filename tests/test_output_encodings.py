"""Any output encoding, any file name, any stdin: perfdsl degrades its output, never fails.

On Chinese Windows, output to a pipe or a file is GBK (code page 936); elsewhere it may be
latin-1 or ASCII.  CliRunner(charset=…) gives a command a stdout in that encoding with
Python's default strict errors, as PYTHONIOENCODING does; a few tests run the real process
with PYTHONIOENCODING to show the start-up path is the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main
from perfdsl.output import FALLBACKS, configure_streams

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "beichen-court-2024.pdsl"
ENCODINGS = ("gbk", "latin-1", "ascii")
#: A source with names no one of ENCODINGS can encode whole: an emoji (not in GBK), Chinese
#: (not in latin-1 or ASCII) and our own separator.
ODD = """\
单位: 1 法院
年度: 2024
金额单位: 万元

项目 😀 a›b:
  预算数: 10
    财政资金: 10
  产出指标:
    数量指标:
      😀次数: 很多
  效益指标:
    社会效益指标:
      y: 1个
  满意度指标:
    服务对象满意度指标:
      z: ≥95%
"""


def invoke(charset: str, *args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    result = CliRunner(charset=charset).invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    return result


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    path = tmp_path / "odd.pdsl"
    path.write_text(ODD, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1704067200"}).invoke(
        main, ["build", str(EXAMPLE), "-o", str(out), "--to", "docx"]
    )
    assert result.exit_code == 0, result.output
    return out / "beichen-court-2024.docx"


# --- every command, every encoding -------------------------------------------------------------


@pytest.mark.parametrize("charset", ENCODINGS)
@pytest.mark.parametrize("output_format", ["full", "concise", "json", "github", "sarif"])
def test_check_degrades(charset: str, output_format: str, odd: Path) -> None:
    result = invoke(charset, "check", "--format", output_format, str(odd))
    assert result.exit_code == 1  # PD5004 on 😀次数: the report was printed, in full
    assert "PD5004" in result.output


@pytest.mark.parametrize("charset", ENCODINGS)
@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_diff_degrades(charset: str, output_format: str, odd: Path) -> None:
    result = invoke(charset, "diff", "--format", output_format, "/dev/null", str(odd))
    assert result.exit_code == 0
    assert "10" in result.stdout


def test_diff_with_a_gbk_stdout_prints_its_separator_as_ascii() -> None:
    result = invoke("gbk", "diff", "/dev/null", str(EXAMPLE))
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first == "+ 天津市北辰区人民法院 > 单位: 215101 天津市北辰区人民法院"


@pytest.mark.parametrize("charset", ENCODINGS)
def test_explain_degrades(charset: str) -> None:
    listing = invoke(charset, "explain")
    assert listing.exit_code == 0 and "PD0004" in listing.stdout
    one = invoke(charset, "explain", "PD3008")
    assert one.exit_code == 0 and "PD3008 placeholder" in one.stdout


@pytest.mark.parametrize("charset", ENCODINGS)
def test_textconv_degrades(charset: str, seed_docx: Path) -> None:
    result = invoke(charset, "textconv", str(seed_docx))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) > 50


@pytest.mark.parametrize("charset", ENCODINGS)
def test_fmt_to_stdout_is_utf8_whatever_the_encoding(charset: str) -> None:
    """``fmt -`` prints the formatted file itself: it is a file, and fmt writes files as UTF-8,
    so nothing is lost to an encoding that lacks a character."""
    result = invoke(charset, "fmt", "-", input=ODD.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == ODD


@pytest.mark.parametrize("charset", ENCODINGS)
def test_fmt_diff_degrades(charset: str, tmp_path: Path) -> None:
    path = tmp_path / "messy.pdsl"
    path.write_text(ODD.replace("预算数: 10", "预算数：10"), encoding="utf-8")
    result = invoke(charset, "fmt", "--diff", str(path))
    assert result.exit_code == 1
    # (Under ASCII, click writes UTF-8 rather than fail; either way the line is there.)
    assert [
        line for line in result.stdout.splitlines() if line.startswith("+  ") and ": 10" in line
    ]


def test_our_symbols_have_ascii_stand_ins() -> None:
    for symbol, stand_in in FALLBACKS.items():
        assert stand_in.isascii() and stand_in, symbol
        assert symbol.encode("ascii", "perfdsl-degrade") == stand_in.encode()
    assert "：（１）".encode("latin-1", "perfdsl-degrade") == b":(1)"
    assert "法院😀".encode("gbk", "perfdsl-degrade") == "法院".encode("gbk") + b"?"
    assert "n\udcff".encode("utf-8", "perfdsl-degrade") == b"n\\xff"


def test_configure_streams_leaves_a_closed_stream_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    configure_streams()  # must not raise


# --- the real process --------------------------------------------------------------------------


def python_m(*args: str, encoding: str, **options) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "perfdsl", *args],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        cwd=ROOT,
        timeout=60,
        **options,
    )


def test_real_process_diff_with_pythonioencoding_gbk() -> None:
    result = python_m("diff", "/dev/null", str(EXAMPLE), encoding="gbk")
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    assert result.stdout.decode("gbk").splitlines()[0].endswith("天津市北辰区人民法院")
    assert b" > " in result.stdout


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_real_process_check_and_explain(encoding: str, odd: Path) -> None:
    check = python_m("check", "--format", "concise", str(odd), encoding=encoding)
    assert check.returncode == 1, check.stderr
    assert b"PD5004" in check.stdout and b"internal error" not in check.stderr
    explain = python_m("explain", encoding=encoding)
    assert explain.returncode == 0, explain.stderr
    assert b"Traceback" not in explain.stderr


# --- stdin closed --------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptor 0 before exec")
@pytest.mark.parametrize("args", [["check", "-"], ["fmt", "-"], ["diff", "-", str(EXAMPLE)]])
def test_a_closed_stdin_is_a_clear_error_and_exit_2(args: list[str]) -> None:
    result = python_m(
        *args, "--lang", "en", encoding="utf-8", stdin=None, preexec_fn=lambda: os.close(0)
    )
    err = result.stderr.decode() + result.stdout.decode()  # (check reports on stdout)
    assert result.returncode == 2, err
    assert "cannot read standard input: it is closed" in err
    assert "Traceback" not in err and "internal error" not in err


# --- file names that are not UTF-8 ---------------------------------------------------------------


@pytest.fixture
def odd_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the example named n<0xFF>.pdsl, as Python sees such a name (surrogateescape)."""
    name = os.fsdecode(b"n\xff.pdsl")
    try:
        (tmp_path / name).write_bytes(EXAMPLE.read_bytes())
    except (OSError, UnicodeError):
        pytest.skip("the file system only takes UTF-8 names")
    monkeypatch.chdir(tmp_path)
    return name


@pytest.mark.parametrize("output_format", ["full", "concise", "github", "json", "sarif"])
def test_check_on_a_name_that_is_not_utf8(odd_name: str, output_format: str) -> None:
    result = invoke("utf-8", "check", "--format", output_format, odd_name)
    assert result.exit_code == 0  # the example has warnings only
    if output_format in ("full", "concise", "github"):
        assert "n\\xff.pdsl" in result.output  # the byte, shown as an escape
    if output_format == "json":
        assert json.loads(result.stdout)[0]["file"] == "n\\xff.pdsl"
    if output_format == "sarif":
        log = json.loads(result.stdout)
        location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "n%FF.pdsl"


def test_build_on_a_name_that_is_not_utf8(odd_name: str, tmp_path: Path) -> None:
    result = invoke("utf-8", "build", odd_name, "-o", "out", "--to", "json,html")
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "out" / os.fsdecode(b"n\xff.json")
    data = json.loads(written.read_bytes().decode("utf-8"))
    assert data["source_path"] == "n\\xff.pdsl"
    assert "out/n\\xff.json" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptors before exec")
def test_a_closed_stdout_or_stderr_is_no_internal_error() -> None:
    no_stdout = python_m(
        "diff", "/dev/null", str(EXAMPLE), encoding="utf-8", preexec_fn=lambda: os.close(1)
    )
    assert no_stdout.returncode == 0, no_stdout.stderr.decode()
    assert b"internal error" not in no_stdout.stderr
    no_stderr = python_m(
        "check", "--format", "json", str(EXAMPLE), encoding="utf-8", preexec_fn=lambda: os.close(2)
    )
    assert no_stderr.returncode == 0  # warnings only
    assert json.loads(no_stderr.stdout)[0]["code"] == "PD5005"

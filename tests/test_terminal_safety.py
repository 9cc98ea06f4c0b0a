"""Whatever a source contains, what perfdsl prints cannot act on a terminal or a CI log.

The source below carries an OSC title sequence and a screen clear, a quoted name with an
escaped newline that would start a ``::error`` workflow command on its own line, a right-to-
left override, C1 controls and a ``%``.  Every output that shows source text (diagnostics in
every format, diff in every format, ``fmt --diff``, textconv, file names in messages) must
show them as escapes, keep carets aligned, and, in JSON, keep the values exact.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.ast import Span
from perfdsl.cli import main
from perfdsl.commands.fmt import _diff
from perfdsl.diagnostics import codes as C
from perfdsl.diagnostics.render import display_width, render
from perfdsl.diff.model import diff_documents
from perfdsl.diff.render import render_json, render_markdown, render_text
from perfdsl.load import load_text
from perfdsl.output import json_text, printable

ROOT = Path(__file__).resolve().parents[1]
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

EVIL = (
    "单位: 1 法院\n"
    "年度: 2024\n"
    "金额单位: 万元\n"
    "\n"
    "项目 a:\n"
    "  预算数: 10\n"
    "    财政资金: 10\n"
    "  产出指标:\n"
    "    数量指标:\n"
    '      "x\\n::error file=evil.py,line=1::injected 100%": 很多\n'
    "      n: \x1b]0;PWNED\x07\x1b[2J\x1b[31mred\n"
    "      \u202eevil: 大量\x85\x9b31m\n"
    "  效益指标:\n"
    "    社会效益指标:\n"
    "      y: 1个\n"
    "  满意度指标:\n"
    "    服务对象满意度指标:\n"
    "      z: ≥95%\n"
)


#: The same table without raw control characters (the language refuses those, PD0005), so the
#: rules run and quote the names: one holds a newline written as an escape, one a right-to-left
#: override.
NAMES = EVIL.replace("\x1b]0;PWNED\x07\x1b[2J\x1b[31m", "").replace("\x85\x9b31m", "")


def unsafe(text: str) -> list[str]:
    """The characters in ``text`` that must never reach a terminal (our own newlines and tabs
    are fine)."""
    return [
        ch
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n") or ch in BIDI
    ]


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    path = tmp_path / "evil.pdsl"
    path.write_text(EVIL, encoding="utf-8")
    return path


@pytest.fixture
def names(tmp_path: Path) -> Path:
    path = tmp_path / "names.pdsl"
    path.write_text(NAMES, encoding="utf-8")
    return path


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- the escaping function ---------------------------------------------------------------------


def test_printable_escapes_controls_bidi_and_undecodable_bytes() -> None:
    assert printable("\x1b]0;t\x07") == "\\x1b]0;t\\x07"
    assert printable("a\nb\rc") == "a\\nb\\rc"
    assert printable("\x00\x7f\x85\x9b") == "\\x00\\x7f\\x85\\x9b"
    assert printable("\u202eabc\u2066\u2069") == "\\u202eabc\\u2066\\u2069"
    assert printable("\u2028") == "\\u2028"
    assert printable("n\udcff.pdsl") == "n\\xff.pdsl"


def test_printable_leaves_ordinary_text_alone() -> None:
    for text in ("名称\t值", "≥95% 😀", "C:\\路径\\x.pdsl", "项目 › 一级", "e\u0301"):
        assert printable(text) == text


def test_json_text_is_exact_once_parsed_and_inert_when_printed() -> None:
    values = ["\x1b[2J", "\u202eevil", "\x85", "x\ny", "\u2028"]
    text = json_text(values)
    assert not unsafe(text.replace("\n", ""))
    assert json.loads(text) == values
    # A lone surrogate is no character: the byte it stands for becomes text.
    assert json.loads(json_text(["n\udcff"])) == ["n\\xff"]
    json_text(["n\udcff"]).encode("utf-8")  # always valid UTF-8


# --- diagnostics -------------------------------------------------------------------------------


def test_full_format_shows_escapes_and_starts_no_workflow_command(evil: Path, names: Path) -> None:
    result = run("check", str(evil))
    assert result.exit_code == 1
    assert not unsafe(result.output), unsafe(result.output)
    assert "\\x1b]0;PWNED\\x07\\x1b[2J" in result.stdout
    assert "\\u202eevil" in result.stdout and "\\x85\\x9b31m" in result.stdout
    result = run("check", str(names))
    assert not unsafe(result.output), unsafe(result.output)
    assert "x\\n::error file=evil.py" in result.stdout
    assert "\\u202eevil" in result.stdout
    assert not [line for line in result.output.splitlines() if line.startswith("::")]


def test_carets_count_an_escape_at_its_printed_width() -> None:
    line = "  n\x1b[2J: 值\x07x"
    start = line.index("值") + 1
    diagnostic = C.SYNTAX_ERROR.at(Span(1, start, 1, len(line) + 1))
    rendered = render(diagnostic, [line]).split("\n")
    source, caret = rendered[3], rendered[4]
    bar = source.index("|")
    assert source[bar + 2 :] == "  n\\x1b[2J: 值\\x07x"
    before = display_width("  n\\x1b[2J: ")
    assert caret[bar + 2 :] == " " * before + "^" * display_width("值\\x07x")


@pytest.mark.parametrize("which", ["evil", "names"])
def test_concise_escapes(which: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(which)
    result = run("check", "--format", "concise", str(path))
    lines = result.stdout.splitlines()
    assert len(lines) >= 3 and all(line.startswith(str(path)) for line in lines)
    assert not unsafe(result.stdout.replace("\n", ""))


def test_github_annotations_cannot_be_forged(names: Path) -> None:
    result = run("check", "--format", "github", str(names))
    # (the table's missing cost indicator is a warning of its own; the errors are the point)
    lines = [line for line in result.stdout.splitlines() if "PD3014" not in line]
    assert len(lines) == 3 and all(line.startswith("::error file=") for line in lines)
    assert not unsafe(result.stdout.replace("\n", ""))
    injected = next(line for line in lines if "injected" in line)
    # The name's newline is shown as text, its % escaped as GitHub requires.
    assert "x\\n::error file=evil.py,line=1::injected 100%25" in injected


def test_github_escapes_percent_cr_and_lf_in_a_file_name(tmp_path: Path) -> None:
    odd = tmp_path / "a%b\r\nc.pdsl"
    result = run("check", "--format", "github", str(odd))
    assert result.exit_code == 2
    (line,) = result.stdout.splitlines()
    assert "a%25b\\r\\nc.pdsl" in line


def test_json_and_sarif_keep_values_exact(names: Path) -> None:
    report = run("check", "--format", "json", str(names)).stdout
    assert not unsafe(report.replace("\n", ""))
    messages = [d["message"] for d in json.loads(report)]
    assert any("x\n::error" in m for m in messages)
    assert any("\u202eevil" in m for m in messages)
    sarif = run("check", "--format", "sarif", str(names)).stdout
    assert not unsafe(sarif.replace("\n", ""))
    results = json.loads(sarif)["runs"][0]["results"]
    assert any("x\n::error" in r["message"]["text"] for r in results)


def test_a_file_name_with_controls_is_escaped_in_messages(tmp_path: Path) -> None:
    name = tmp_path / "a\x1b[2J.pdsl"
    result = run("check", str(name))
    assert result.exit_code == 2 and "a\\x1b[2J.pdsl" in result.stderr
    assert not unsafe(result.output)
    name.write_bytes((ROOT / "examples" / "beichen-court-2024.pdsl").read_bytes())
    built = run("build", str(name), "-o", str(tmp_path / "out"), "--to", "json")
    assert built.exit_code == 0
    assert "a\\x1b[2J.json" in built.stderr and not unsafe(built.output)


# --- diff, fmt --diff, textconv ----------------------------------------------------------------


def test_diff_text_markdown_and_json_are_safe() -> None:
    old = load_text(EVIL.replace("\x1b[31mred", "\x1b[31mold"))
    new = load_text(EVIL.replace("大量", "\u202e很多"))
    assert old.document is not None and new.document is not None
    changes = diff_documents(old.document, new.document)
    assert changes
    text = render_text(changes)
    assert not unsafe(text) and "\\x1b[2J" in text and "\\u202e很多" in text
    assert len(text.splitlines()) == len(changes) + 2  # one line a change, then the summary
    markdown = render_markdown(changes, old_name="a\x1b.pdsl", new_name="b.pdsl")
    assert not unsafe(markdown) and "a\\x1b.pdsl" in markdown
    data = render_json(changes)
    assert not unsafe(data.replace("\n", ""))
    values = [c["old"] for c in json.loads(data)["changes"]] + [
        c["new"] for c in json.loads(data)["changes"]
    ]
    assert any(v and "\x1b[31mold" in v for v in values)


def test_fmt_diff_shows_source_controls_escaped() -> None:
    old = "a: \x1b[2Jx\nb: \u202ey\x0cz\n"
    new = "a: \x1b[2Jx2\nb: \u202ey\x0cz\n"
    shown = _diff("f.pdsl", old, new, color=False)
    assert not unsafe(shown)
    assert "-a: \\x1b[2Jx\n+a: \\x1b[2Jx2\n" in shown
    assert " b: \\u202ey\\x0cz\n" in shown  # a form feed does not split the line


def test_textconv_escapes_what_a_document_holds(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("办案\u202e业务\x85费")
    path = tmp_path / "odd.docx"
    document.save(str(path))
    result = run("textconv", str(path))
    assert result.exit_code == 0
    assert result.stdout == "办案\\u202e业务\\x85费\n"

"""Syntax-error recovery: linear in the size of the file, and the same findings as before.

Recovery once repaired a line and parsed the whole text again, once per error, so a file
with K errors cost K parses of the file.  It now parses again only the top-level block that
holds an error.  These tests pin both halves of that: the work done, counted in characters
handed to Lark (never in seconds: timings are flaky on a shared machine), and the findings,
compared with the whole-file re-parse kept here as the reference.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.exceptions import UnexpectedInput

from perfdsl.diagnostics import Diagnostic
from perfdsl.diagnostics import codes as C
from perfdsl.syntax import parse as parse_module
from perfdsl.syntax.build import build
from perfdsl.syntax.grammar import parser
from perfdsl.syntax.parse import MAX_ERRORS, _Recovery, parse_tree
from perfdsl.syntax.postlex import COMMENTS, IndentationError_
from perfdsl.syntax.tree import Entry, Item, Scalar

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
BAD = sorted((ROOT / "tests" / "cases" / "bad").glob("*.pdsl"))


def projects(n: int, errors: int) -> str:
    """The seed's projects repeated under new names, with ``errors`` missing colons spread out."""
    head, *blocks = re.split(r"\n(?=项目 )", SEED)
    out = [head.rstrip("\n"), ""]
    for i in range(n):
        out.append(blocks[i % len(blocks)].rstrip("\n").replace(":\n", f"-{i}:\n", 1) + "\n")
    lines = "\n".join(out).split("\n")
    purposes = [i for i, line in enumerate(lines) if line.startswith("  资金用途:")]
    for i in purposes[:: len(purposes) // errors][:errors] if errors else []:
        lines[i] = lines[i].replace("资金用途:", "资金用途", 1)
    return "\n".join(lines)


class CountingParser:
    """Lark's parser, counting the characters of every text it is asked to parse."""

    def __init__(self) -> None:
        self.real = parser()
        self.chars = 0

    def parse(self, text: str, *args: Any, **kwargs: Any) -> Any:
        self.chars += len(text)
        return self.real.parse(text, *args, **kwargs)

    def parse_interactive(self, text: str, *args: Any, **kwargs: Any) -> Any:
        self.chars += len(text)
        return self.real.parse_interactive(text, *args, **kwargs)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingParser:
    counter = CountingParser()
    monkeypatch.setattr(parse_module, "parser", lambda: counter)
    return counter


def test_a_clean_file_is_parsed_once(counting: CountingParser) -> None:
    text = projects(50, 0)
    tree, _, diagnostics, _ = parse_tree(text)
    assert tree is not None and not diagnostics
    assert text.endswith("\n") and counting.chars == len(text)


@pytest.mark.parametrize("errors", [10, 40, MAX_ERRORS])
def test_recovery_work_is_linear_in_the_file_not_in_the_errors(
    counting: CountingParser, errors: int
) -> None:
    # K errors in 200 projects.  Re-parsing the whole file after each repair hands Lark K + 1
    # files' worth of text; re-parsing only the damaged blocks stays under three: the first
    # attempt on the whole file, then every chunk of blocks once, and each damaged chunk
    # (two or so projects) once more per error in it.
    text = projects(200, errors)
    tree, _, diagnostics, _ = parse_tree(text)
    assert tree is not None
    assert [d.code for d in diagnostics] == [C.MISSING_COLON.code] * errors
    assert counting.chars <= 3 * len(text), counting.chars / len(text)


# --- the same findings as the whole-file re-parse ----------------------------------------------


def whole_file_recovery(text: str) -> tuple[list | None, list, list[Diagnostic], _Recovery]:  # type: ignore[type-arg]
    """The former recovery: repair one line, then parse the whole text again, per error."""
    if not text.endswith("\n"):
        text += "\n"
    recovery = _Recovery(text)
    for _attempt in range(MAX_ERRORS + 1):
        comments: list = []  # type: ignore[type-arg]
        token = COMMENTS.set(comments)
        try:
            tree = parser().parse("\n".join(recovery.lines))
            return tree, comments, recovery.diagnostics, recovery
        except (UnexpectedInput, IndentationError_) as exc:
            if not recovery.handle(exc):
                break
        finally:
            COMMENTS.reset(token)
    return None, [], recovery.diagnostics, recovery


def shape(node: object) -> object:
    """A tree as plain tuples, spans included, so two trees compare field by field."""
    if isinstance(node, list):
        return [shape(n) for n in node]
    if isinstance(node, Scalar):
        return (node.text, node.span, node.quoted)
    if isinstance(node, Entry):
        return (
            "entry",
            shape(node.key),
            shape(node.value),
            shape(node.children),
            shape(node.lines),
        )
    if isinstance(node, Item):
        return ("item", shape(node.marker), shape(node.value))
    return node


def assert_same_as_whole_file(text: str) -> None:
    tree, comments, diagnostics, moved = parse_tree(text)
    expected_tree, expected_comments, expected, recovery = whole_file_recovery(text)
    if expected_tree is None:  # gave up: the same errors, then "too many errors"
        assert tree is None
        assert diagnostics[:-1] == expected
        assert diagnostics[-1].span is None and "50" in diagnostics[-1].message.en
        return
    assert diagnostics == expected
    assert shape(tree) == shape(expected_tree)
    assert comments == expected_comments
    # The builder's findings are moved onto the text as written in the same way.
    _, structural = build(tree)
    assert [moved(d) for d in structural] == [recovery.to_original(d) for d in structural]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_each_bad_case_recovers_as_the_whole_file_re_parse_did(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
    assert_same_as_whole_file(text)
    # Three copies: errors in several blocks, and top-level lines between them.
    assert_same_as_whole_file("\n".join([text] * 3))


def test_too_many_errors_gives_up_as_before() -> None:
    text = projects(80, 60)
    assert_same_as_whole_file(text)
    assert parse_tree(text)[0] is None


#: Lines that start, continue and break top-level blocks in every way the recovery knows.
LINES = st.sampled_from(
    [
        "项目 甲:",
        "项目 乙",
        "单位: 1 法院",
        "  预算数: 1",
        "    财政资金: 1",
        "  资金用途",
        "  绩效目标:",
        "    1. 目标",
        "    1.",
        "1. 顶层条目",
        "  描述: |",
        "    文字",
        "描述: |",
        "   奇数缩进: 1",
        " 一格: 1",
        "\t制表符: 1",
        "  \t混合: 1",
        '"引号": "值"',
        '  "引号":',
        '"未闭合: 1',
        "：冒号在前",
        ": x",
        '  a b: "c" d',
        "# 注释",
        "  # 缩进的注释",
        "",
        "   ",
        "\t",
        "\x00:",
        "|",
        "a: b: c",
    ]
)


@given(st.lists(LINES, max_size=40), st.booleans())
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_block_by_block_recovery_finds_what_the_whole_file_re_parse_found(
    lines: list[str], final_newline: bool
) -> None:
    assert_same_as_whole_file("\n".join(lines) + ("\n" if final_newline else ""))


@given(st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_examples_recover_as_the_whole_file_re_parse_did(data: st.DataObject) -> None:
    lines = projects(6, 0).split("\n")
    for _ in range(data.draw(st.integers(1, 12))):
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = data.draw(LINES)
    assert_same_as_whole_file("\n".join(lines))


def test_every_state_that_can_end_a_document_reads_the_next_line_like_the_start() -> None:
    # Why a top-level block can be parsed on its own: where one block ends and the next one
    # begins, the whole-file parse is in a state that could end the document, and its lexer
    # must read the next line as a fresh parse's lexer reads its first line.  Otherwise an
    # error on that line would name other expected terminals than the whole-file parse did.
    lark = parser()
    table = lark.parser.parser._parse_table
    with_pattern = {t.name for t in lark.terminals}
    always = set(lark.parser.lexer.postlexer.always_accept)

    def lexed(state: int) -> frozenset[str]:
        return frozenset(set(table.states[state]) & with_pattern | always)

    start = lexed(table.start_states["start"])
    ends = [s for s, actions in table.states.items() if "$END" in actions]
    assert len(ends) > 1
    assert {lexed(s) for s in ends} == {start}

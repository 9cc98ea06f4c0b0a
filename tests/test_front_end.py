"""Regression tests for front-end bugs the property tests found, one small case each."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfdsl.fmt import format_document
from perfdsl.load import load_text
from perfdsl.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[1]

HEAD = "单位: 215101 法院\n年度: 2024\n金额单位: 万元\n\n项目 甲:\n  预算数: 1\n"


def _indicator(attributes: str) -> str:
    return HEAD + "  产出指标:\n    数量指标:\n      指标: ≥1次\n" + attributes


def test_a_goal_holding_a_colon_is_an_item_not_a_key() -> None:
    # `1. "a: b"` once lexed as the key `1. "a` (a quoted goal the formatter wrote).
    result = parse(
        HEAD + '  绩效目标:\n    1. "0:"\n    2. a: |\n    3. b: "x"\n    4. 目标：说明\n'
    )
    assert result.ok, result.diagnostics
    goals = [g.text for g in result.document.projects[0].goals]
    assert goals == ["0:", "a: |", 'b: "x"', "目标：说明"]
    assert parse(format_document(result.document)).document == result.document


def test_weight_is_a_plain_number_in_canonical_form() -> None:
    for written, kept in [("10", "10"), ("１０", "10"), ("2.5", "2.5"), ("1，000", "1,000")]:
        result = parse(_indicator(f"        权重: {written}\n"))
        assert result.ok, (written, result.diagnostics)
        indicator = result.document.projects[0].indicators[0].blocks[0].indicators[0]
        assert indicator.get("weight").text == kept
        assert indicator.weight_number is not None
    for bad in ("NaN", "Infinity", "1_0", "十", "10分"):
        result = parse(_indicator(f"        权重: {bad}\n"))
        assert [d.code for d in result.diagnostics] == ["PD2007"], bad


def _spans(text: str) -> list[tuple[str, int, int, int, int]]:
    return [(d.code, *d.span) for d in parse(text).diagnostics if d.span is not None]


def test_spans_point_at_the_text_as_written_after_a_repair() -> None:
    # Line 3 is snapped from 3 to 5 spaces before its missing colon is found: the caret must
    # still sit under the text as written, not 2 columns to the right.
    lines = ["0", "     0", "   0"]
    for code, line, column, end_line, end_column in _spans("0\n     0\n   0"):
        assert 1 <= column <= len(lines[line - 1]) + 1, code
        assert end_column <= len(lines[end_line - 1]) + 1, code
    assert ("PD1001", 3, 4, 3, 5) in _spans("0\n     0\n   0")
    # A tab-indented line is read with the tab as 4 spaces; later errors keep its columns.
    assert ("PD1004", 2, 2, 2, 23) in _spans(
        "# x\n\t单位: 215101 天津市北辰区人民法院\n年度: 2024\n"
    )


def test_an_unexpected_line_is_underlined_on_its_own_line() -> None:
    # The token after a stray colon carries the line break and blank lines: the span ends
    # on the line itself.
    assert _spans(":\n\n")[0][1:] == (1, 1, 1, 2)


def test_a_comment_after_a_pipe_or_a_quote_needs_a_blank() -> None:
    # `|#` once opened an (empty) text block with the comment "#", and `"a"#b` read as the
    # quoted "a" plus a comment, though "#" starts a comment only after a blank.
    head = HEAD + "  产出指标:\n    质量指标:\n"
    for written, value, comments in [
        ("楼栋: |#", "|#", []),
        ('楼栋: "a"#b', '"a"#b', []),
        ('楼栋: "a" #b', "a", ["#b"]),
        ("楼栋: | # c\n        文字", "文字", ["# c"]),
    ]:
        result = parse(head + "      " + written + "\n")
        assert result.ok, (written, result.diagnostics)
        indicator = result.document.projects[0].indicators[0].blocks[0].indicators[0]
        assert indicator.value.text == value
        assert [c.text for c in result.document.comments] == comments


def test_full_width_letters_in_keywords_are_folded() -> None:
    # keywords.fold promised it and did not: `ｂｕｄｇｅｔ` was an unknown key.
    text = (
        "ｕｎｉｔ: 1 法院\nＹｅａｒ: 2024\nmoney＿unit: 万元\n\nproject a:\n  ＢＵＤＧＥＴ: 1\n"
        "  Ｏｕｔｐｕｔ:\n    quantity:\n      x: 1\n        Ｄｅｓｃｒｉｐｔｉｏｎ: d\n"
    )
    result = parse(text)
    assert result.ok, result.diagnostics
    assert result.document.keyword_language == "en"
    assert result.document.projects[0].indicators[0].name == "产出指标"
    assert format_document(result.document).startswith("unit: 1 法院\nyear: 2024\nmoney-unit: 万元")


def test_full_width_and_no_break_spaces_are_text() -> None:
    # Only spaces and tabs are blanks.  U+3000 (Chinese text, two of them start a paragraph)
    # or a no-break space copied from Word inside a name or a value was a syntax error.
    text = (
        HEAD.replace("  预算数: 1\n", "  预算数: 1\n  资金用途: \u3000\u3000通过服务\n")
        + "  产出指标:\n    质量指标:\n      指标\u3000名称: 持续\u3000保障\n"
        + "      名称\xa0x: a\u2003b\n"
    )
    result = parse(text)
    assert result.ok, result.diagnostics
    project = result.document.projects[0]
    assert project.fields.text("purpose") == "\u3000\u3000通过服务"
    inds = project.indicators[0].blocks[0].indicators
    assert [(i.name, i.value.text) for i in inds] == [
        ("指标\u3000名称", "持续\u3000保障"),
        ("名称\xa0x", "a\u2003b"),
    ]
    canonical = format_document(result.document)
    assert "  资金用途: \u3000\u3000通过服务\n" in canonical  # written as is, not quoted
    assert "      指标\u3000名称: 持续\u3000保障\n" in canonical
    assert parse(canonical).document == result.document


def test_a_line_indented_with_full_width_spaces_says_so() -> None:
    result = parse(HEAD.replace("  预算数: 1", "\u3000\u3000预算数: 1"))
    (unknown,) = [d for d in result.diagnostics if d.code == "PD2001"]
    assert unknown.help is not None and "full-width" in unknown.help.en


def test_a_blank_project_name_is_no_name() -> None:
    for written in ('项目: "  "', '项目: "\u3000"', "项目 \u3000:"):
        result = parse(HEAD.replace("项目 甲:", written))
        assert "PD2009" in [d.code for d in result.diagnostics], written
        assert result.document.projects == ()


def test_an_unknown_escape_is_kept_as_written_and_fmt_keeps_it() -> None:
    from perfdsl.fmt import to_file_text

    source = (ROOT / "tests" / "data" / "unknown-escape.pdsl").read_text("utf-8")
    loaded = load_text(source)
    assert loaded.ok, loaded.diagnostics
    purpose = loaded.document.projects[0].fields.text("purpose")
    assert purpose == "存于 D:\\data\\2024\\u00e9"  # every backslash the author wrote
    formatted = to_file_text(loaded.document)
    assert "D:\\data\\2024\\u00e9" in formatted
    assert load_text(formatted).document == loaded.document


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('"a\\nb"', "a\nb"),
        ('"a\\tb"', "a\tb"),
        ('"a\\"b"', 'a"b'),
        ('"a\\\\b"', "a\\b"),
        ('"a\\qb"', "a\\qb"),
        ('"\\\\x"', "\\x"),
    ],
)
def test_quoted_escapes(written: str, read: str) -> None:
    loaded = load_text(f"单位: 1 法院\n年度: 2024\n金额单位: 万元\n标题: {written}\n")
    assert loaded.document.header.title.value == read

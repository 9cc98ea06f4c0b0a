"""Rendering diagnostics: carets under the right characters on a terminal, in both languages."""

from __future__ import annotations

import pytest

from perfdsl.ast import Span
from perfdsl.diagnostics import Msg
from perfdsl.diagnostics import codes as C
from perfdsl.diagnostics.render import display_width, render, summary
from perfdsl.load import load_text


def snippet(rendered: str) -> tuple[str, str]:
    """The quoted source line and the caret line, without the gutter."""
    lines = rendered.split("\n")
    i = next(i for i, ln in enumerate(lines) if "^" in ln)
    source, caret = lines[i - 1], lines[i]
    bar = source.index("|")
    assert caret.index("|") == bar  # the gutters line up
    return source[bar + 2 :], caret[bar + 2 :]


def caret_columns(caret: str) -> tuple[int, int]:
    """Where the carets start and end on screen (a tab counts to the next multiple of 8)."""
    start = len(caret.expandtabs(8)) - len(caret.lstrip(" \t").expandtabs(8))
    return start, start + caret.count("^")


def test_display_width() -> None:
    assert display_width("abc") == 3
    assert display_width("陪审员") == 6
    assert display_width("≥400次") == 6  # ≥ is narrow (ambiguous width counts as 1)
    assert display_width("：") == 2
    assert display_width("ａ") == 2
    assert display_width("e\u0301") == 1  # a combining accent takes no column


def test_caret_under_chinese_text_counts_two_columns_a_character() -> None:
    line = "      陪审员参审次数 ≥400次"
    diagnostic = C.MISSING_COLON.at(Span(1, 7, 1, len(line) + 1))
    source, caret = snippet(render(diagnostic, [line]))
    assert source == line
    assert caret_columns(caret) == (6, 6 + display_width("陪审员参审次数 ≥400次"))


def test_caret_after_chinese_text_is_shifted_by_its_width() -> None:
    line = "满意度：≥九十五%"
    start = line.index("≥") + 1  # column 5 in characters
    diagnostic = C.SYNTAX_ERROR.at(Span(1, start, 1, start + 1))
    _, caret = snippet(render(diagnostic, [line]))
    assert caret_columns(caret) == (display_width("满意度："), display_width("满意度：") + 1)
    assert caret_columns(caret) == (8, 9)


def test_caret_under_a_wide_character_is_two_carets() -> None:
    diagnostic = C.SYNTAX_ERROR.at(Span(1, 3, 1, 4))
    _, caret = snippet(render(diagnostic, ["ab项目"]))
    assert caret.strip() == "^^"
    assert caret_columns(caret) == (2, 4)


def test_tabs_in_the_source_are_copied_into_the_caret_line() -> None:
    line = "\t\t陪审员参审次数: ≥400次"
    diagnostic = C.TAB_INDENT.at(Span(1, 3, 1, 10))
    source, caret = snippet(render(diagnostic, [line]))
    assert caret.startswith("\t\t^")
    # On any tab width, the carets start where the text does.
    assert len(caret.expandtabs(8)) - caret.count("^") == len(source[:2].expandtabs(8))
    assert caret.count("^") == display_width("陪审员参审次数")


def test_tab_between_chinese_words() -> None:
    line = "名称\t值"
    diagnostic = C.MISSING_COLON.at(Span(1, 4, 1, 5))
    _, caret = snippet(render(diagnostic, [line]))
    assert caret == "    \t^^"  # 名称 as four blanks, the tab kept, 值 two carets wide


def test_a_real_diagnostic_from_the_parser() -> None:
    text = "单位: 1 法院\n年度: 2024\n金额单位: 万元\n\n项目 甲:\n  预算数: 1\n  产出指标:\n    数量指标:\n      陪审员参审次数 ≥400次\n"
    loaded = load_text(text, "court.pdsl")
    (diagnostic,) = [d for d in loaded.diagnostics if d.code == "PD1001"]
    rendered = render(diagnostic, loaded.lines)
    assert rendered.split("\n")[0] == "error[PD1001]: 这一行缺少冒号"
    assert " --> court.pdsl:9:7" in rendered
    source, caret = snippet(rendered)
    assert source == "      陪审员参审次数 ≥400次"
    assert caret_columns(caret) == (6, 6 + display_width("陪审员参审次数 ≥400次"))
    assert "= 帮助: 名称和值之间加冒号：`陪审员参审次数: ≥400次`" in rendered


def test_english() -> None:
    diagnostic = C.UNKNOWN_KEY.at(
        Span(2, 1, 2, 3),
        Msg("文件头里没有 `年份` 这个字段", "the file header has no key `年份`"),
        help=Msg("是不是想写 `年度`？", "did you mean `年度`?"),
        notes=(Msg("可用的字段：单位", "known keys: 单位"),),
    ).in_file("a.pdsl")
    en = render(diagnostic, ["单位: 1 法院", "年份: 2024"], "en")
    assert en.split("\n") == [
        "error[PD2001]: the file header has no key `年份`",
        " --> a.pdsl:2:1",
        "  |",
        "2 | 年份: 2024",
        "  | ^^^^",
        "  = note: known keys: 单位",
        "  = help: did you mean `年度`?",
    ]
    zh = render(diagnostic, ["单位: 1 法院", "年份: 2024"], "zh")
    assert "  = 注: 可用的字段：单位" in zh and "  = 帮助: 是不是想写 `年度`？" in zh


def test_no_span_no_snippet() -> None:
    diagnostic = C.IO_ERROR.at(None, Msg("无法读取文件", "cannot read the file")).in_file("x.pdsl")
    assert render(diagnostic, None, "en").split("\n") == [
        "error[PD0001]: cannot read the file",
        " --> x.pdsl",
    ]


@pytest.mark.parametrize(
    "span",
    [Span(1, 1, 1, 1), Span(1, 5, 1, 99), Span(1, 99, 1, 100), Span(1, 2, 3, 1), Span(7, 1, 7, 2)],
)
def test_odd_spans_never_raise_and_keep_one_caret_at_least(span: Span) -> None:
    for lang in ("zh", "en"):
        for color in (False, True):
            rendered = render(C.SYNTAX_ERROR.at(span), ["项目", "x"], lang, color=color)
            if span.line <= 2:
                assert "^" in rendered


def test_wide_line_numbers_widen_the_gutter() -> None:
    lines = ["x"] * 120
    rendered = render(C.SYNTAX_ERROR.at(Span(120, 1, 120, 2)), lines)
    assert rendered.split("\n")[1:4] == ["   --> <input>:120:1", "    |", "120 | x"]


def test_colour_only_when_asked() -> None:
    diagnostic = C.SYNTAX_ERROR.at(Span(1, 1, 1, 2))
    assert "\x1b[" not in render(diagnostic, ["x"])
    assert "\x1b[" in render(diagnostic, ["x"], color=True)


def test_summary() -> None:
    error = C.SYNTAX_ERROR.at(None)
    assert summary([], 1, "en") == "checked 1 file(s): no problems"
    assert summary([error], 2, "en") == "checked 2 file(s): 1 error(s), 0 warning(s)"
    assert summary([error], 2) == "已检查 2 个文件：1 个错误，0 个警告"

"""Indentation, comments and text blocks: the step between Lark's lexer and its parser.

Lark's own ``Indenter`` raises a bare ``DedentError`` with no position and counts a tab as some
number of spaces.  Ours reports both mistakes with a line and column, keeps the comments it
finds inside newline tokens (the formatter puts them back), and knows about ``|`` text blocks:
after ``key: |`` every line indented deeper than the key is text, whatever it contains, so the
indentation inside a block of prose never turns into syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextvars import ContextVar

from lark import Token
from lark.lark import PostLex

from perfdsl.ast import Comment, Span

#: Where the comments of the parse in progress go (one list per parse, safe across threads).
COMMENTS: ContextVar[list[Comment]] = ContextVar("perfdsl_comments")


class IndentationError_(Exception):
    """A tab in the indentation, or a dedent to a column no enclosing line starts at."""

    def __init__(self, kind: str, line: int, column: int, width: int, levels: tuple[int, ...]):
        super().__init__(kind)
        self.kind = kind  # "tab" | "dedent"
        self.line = line
        self.column = column
        self.width = width
        self.levels = levels


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_COMMENT_START = re.compile(r"(?:^|[ \t])#")

#: Tokens that end a line: they carry the line break, the lines after it that hold nothing but
#: comments, and the next line's indentation.
LINE_ENDING = frozenset(("LINE", "PIPE_LINE", "PIPE_NL", "STRING_NL", "TEXT_LINE", "_NL"))
OPENS_TEXT = frozenset(("PIPE_LINE", "PIPE_NL"))


def code_of(token: Token) -> str:
    """The code of a line-ending token: its first line without the trailing comment."""
    value = str(token)
    cut = value.find("\n")
    first = value if cut < 0 else value[:cut]
    if "#" in first:
        start = 0
        if token.type == "STRING_NL":
            match = _STRING.match(first)
            start = match.end() if match else 0
        found = _COMMENT_START.search(first, start)
        if found is not None:
            first = first[: found.end() - 1]
    return first.rstrip(" \t")


def _collect_comments(token: Token, code: str) -> None:
    """Send the comments a line-ending token holds to :data:`COMMENTS`."""
    sink = COMMENTS.get(None)
    if sink is None:
        return
    value = str(token)
    line, column = token.line, token.column
    first, _, rest = value.partition("\n")
    comment_at = first.find("#", len(code))
    if comment_at >= 0:
        text = first[comment_at:].rstrip()
        col = column + comment_at  # type: ignore[operator]
        sink.append(
            Comment(text, trailing=bool(code), span=Span(line, col, line, col + len(text)))  # type: ignore[arg-type]
        )
    for offset, part in enumerate(rest.split("\n")[:-1], 1):
        stripped = part.strip(" \t")
        if stripped.startswith("#"):
            col = len(part) - len(part.lstrip(" \t")) + 1
            number = line + offset  # type: ignore[operator]
            sink.append(Comment(stripped, span=Span(number, col, number, col + len(stripped))))


class Indenter(PostLex):
    """Emits ``_INDENT``/``_DEDENT`` after each line-ending token, outside and inside text blocks."""

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        levels = [0]
        text_block_indent: int | None = None  # set while inside a "|" block
        last: Token | None = None
        for token in stream:
            if token.type not in LINE_ENDING:
                last = token
                yield token
                continue
            # The token keeps its full text; the parser ignores token values, and the tree
            # builder reads the code with code_of().  Only comments need reading here.
            if "#" in token:
                _collect_comments(token, code_of(token))
            clean = token
            last = token
            indent_str = token[token.rfind("\n") + 1 :]
            line = token.end_line
            if "\t" in indent_str:
                raise IndentationError_("tab", line, indent_str.index("\t") + 1, 0, tuple(levels))
            indent = len(indent_str)

            if token.type in OPENS_TEXT and indent > levels[-1]:
                yield clean
                levels.append(indent)
                text_block_indent = indent
                yield Token.new_borrow_pos("_INDENT", indent_str, token)
                continue
            # (A "|" with nothing indented under it falls through: the parser then reports
            # that the text block has no lines.)
            if text_block_indent is not None:
                if indent >= text_block_indent:
                    yield clean
                    continue  # still prose: deeper indentation is part of the text
                text_block_indent = None

            if indent > levels[-1]:
                levels.append(indent)
                if clean.type == "LINE":
                    # One token instead of two: the grammar knows LINE_OPEN starts a block.
                    clean.type = "LINE_OPEN"
                    yield clean
                else:
                    yield clean
                    yield Token.new_borrow_pos("_INDENT", indent_str, token)
            else:
                yield clean
                before = tuple(levels)
                while indent < levels[-1]:
                    levels.pop()
                    yield Token.new_borrow_pos("_DEDENT", indent_str, token)
                if indent != levels[-1]:
                    raise IndentationError_("dedent", line, indent + 1, indent, before)

        while len(levels) > 1:
            levels.pop()
            if last is not None:
                yield Token.new_borrow_pos("_DEDENT", "", last)
            else:
                yield Token("_DEDENT", "", 0, 1, 1, 1, 1, 0)

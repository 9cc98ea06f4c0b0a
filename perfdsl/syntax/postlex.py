"""Indentation, comments and text blocks: the step between Lark's lexer and its parser.

Lark's own ``Indenter`` raises a bare ``DedentError`` with no position and counts a tab as some
number of spaces.  Ours reports both mistakes with a line and column, keeps the comments it
finds inside newline tokens (the formatter puts them back), and knows about ``|`` text blocks:
after ``key: |`` every line indented deeper than the key is text, whatever it contains, so the
indentation inside a block of prose never turns into syntax.
"""

from __future__ import annotations

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


def _comments_in(token: Token, after_code: bool) -> None:
    """Record the comments a newline token swallowed, each with its own line and column."""
    sink = COMMENTS.get(None)
    if sink is None or "#" not in token:
        return
    line = token.line
    column = token.column
    for index, part in enumerate(token.split("\n")):
        stripped = part.lstrip(" \t\r")
        if stripped.startswith("#"):
            col = (column if index == 0 else 1) + (len(part) - len(stripped))
            text = stripped.rstrip("\r")
            sink.append(
                Comment(
                    text=text,
                    trailing=index == 0 and after_code,
                    span=Span(line + index, col, line + index, col + len(text)),
                )
            )


class Indenter(PostLex):
    """Turns ``_NL`` tokens into ``_NL`` + ``_INDENT``/``_DEDENT``, outside and inside text blocks."""

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        levels = [0]
        text_block_indent: int | None = None  # set while inside a "|" block
        after_pipe = False
        last: Token | None = None
        for token in stream:
            if token.type != "_NL":
                after_pipe = token.type == "_PIPE"
                last = token
                yield token
                continue
            _comments_in(token, after_code=last is not None and last.line == token.line)
            last = token
            yield token
            indent_str = token.rsplit("\n", 1)[1]
            line = token.end_line
            if "\t" in indent_str:
                raise IndentationError_("tab", line, indent_str.index("\t") + 1, 0, tuple(levels))
            indent = len(indent_str)

            if after_pipe:
                after_pipe = False
                if indent > levels[-1]:
                    levels.append(indent)
                    text_block_indent = indent
                    yield Token.new_borrow_pos("_INDENT", indent_str, token)
                continue  # not indented: the parser reports "text block needs lines"
            if text_block_indent is not None:
                if indent >= text_block_indent:
                    continue  # still prose: deeper indentation is part of the text
                text_block_indent = None

            if indent > levels[-1]:
                levels.append(indent)
                yield Token.new_borrow_pos("_INDENT", indent_str, token)
            else:
                while indent < levels[-1]:
                    levels.pop()
                    yield Token.new_borrow_pos("_DEDENT", indent_str, token)
                if indent != levels[-1]:
                    raise IndentationError_("dedent", line, indent + 1, indent, tuple(levels))

        while len(levels) > 1:
            levels.pop()
            if last is not None:
                yield Token.new_borrow_pos("_DEDENT", "", last)
            else:
                yield Token("_DEDENT", "", 0, 1, 1, 1, 1, 0)

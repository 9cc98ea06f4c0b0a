"""The generic tree the grammar produces: entries and items, before keys get their meaning.

These are deliberately plain (slotted classes, no validation): a 10,000-project file makes
hundreds of thousands of them, and :mod:`perfdsl.syntax.build` turns them into the typed AST.
"""

from __future__ import annotations

from lark import Token, Transformer

from perfdsl.ast import Span
from perfdsl.syntax.postlex import code_of


def token_span(token: Token) -> Span:
    return Span(token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]


class Scalar:
    """A key or a value as written, with its span.  ``quoted`` values are never typed."""

    __slots__ = ("quoted", "span", "text")

    def __init__(self, text: str, span: Span, quoted: bool = False) -> None:
        self.text = text
        self.span = span
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Scalar({self.text!r})"


class Entry:
    """``key: value`` with an optional indented block of child entries, or a ``|`` text block."""

    __slots__ = ("children", "key", "lines", "value")

    def __init__(
        self,
        key: Scalar,
        value: Scalar | None,
        children: list[Entry | Item],
        lines: list[Scalar] | None = None,
    ) -> None:
        self.key = key
        self.value = value
        self.children = children
        self.lines = lines  # the lines of a "|" block, else None

    @property
    def span(self) -> Span:
        end = self.key.span
        if self.lines:
            end = self.lines[-1].span
        elif self.value is not None:
            end = self.value.span
        return Span(self.key.span.line, self.key.span.column, end.end_line, end.end_column)

    def __repr__(self) -> str:
        return f"Entry({self.key.text!r}, {self.value!r}, {self.children!r})"


class Item:
    """A list item: ``1.通过服务法院办案业务……`` (the marker is dropped, order is kept)."""

    __slots__ = ("marker", "value")

    def __init__(self, marker: Scalar, value: Scalar) -> None:
        self.marker = marker
        self.value = value

    @property
    def span(self) -> Span:
        return Span(
            self.marker.span.line,
            self.marker.span.column,
            self.value.span.end_line,
            self.value.span.end_column,
        )

    def __repr__(self) -> str:
        return f"Item({self.value!r})"


#: The escapes of a quoted string.  Any other backslash is kept as written, so a Windows path
#: such as ``"D:\data\2024"`` loses nothing.
ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t"}


def _unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in ESCAPES:
            out.append(ESCAPES[body[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_pair(tok: Token) -> tuple[Scalar, Scalar | None]:
    """Split a line ``key: value  # comment`` at its first colon (a key never holds one)."""
    text = code_of(tok)
    line, column = tok.line, tok.column
    half, full = text.find(":"), text.find("：")
    colon = full if half < 0 or (0 <= full < half) else half
    key = text[:colon].rstrip()
    key_scalar = Scalar(key, Span(line, column, line, column + len(key)))  # type: ignore[arg-type]
    rest = text[colon + 1 :]
    value = rest.lstrip(" \t")
    if not value:
        return key_scalar, None
    start = column + colon + 1 + (len(rest) - len(value))  # type: ignore[operator]
    return key_scalar, Scalar(value, Span(line, start, line, start + len(value)))  # type: ignore[arg-type]


def _key_string(tok: Token) -> Scalar:
    return Scalar(_unquote(tok), token_span(tok), quoted=True)


def _entries(children: list) -> list[Entry | Item]:  # type: ignore[type-arg]
    """A block's children: bare LINE tokens become entries, the rest are entries already."""
    out: list[Entry | Item] = []
    for child in children:
        if isinstance(child, Token):
            key, value = split_pair(child)
            out.append(Entry(key, value, []))
        else:
            out.append(child)
    return out


class ToTree(Transformer):  # type: ignore[type-arg]
    """Lark callbacks, run inline by the LALR parser (no parse tree is built)."""

    def start(self, children: list) -> list[Entry | Item]:  # type: ignore[type-arg]
        return _entries(children)

    def block(self, children: list) -> list[Entry | Item]:  # type: ignore[type-arg]
        return _entries(children)

    def block_pair(self, children: list) -> Entry:  # type: ignore[type-arg]
        key, value = split_pair(children[0])
        return Entry(key, value, _entries(children[1:]))

    def value_line(self, children: list[Token]) -> Scalar:
        tok = children[0]
        if tok.type == "STRING_NL":
            code = code_of(tok)
            return Scalar(_unquote(code), _span_of(tok, code), quoted=True)
        return _text(tok)

    @staticmethod
    def _rest(children: list) -> tuple[Scalar | None, list[Entry | Item]]:  # type: ignore[type-arg]
        value = None
        block: list[Entry | Item] = []
        for child in children:
            if isinstance(child, Scalar):
                value = child
            elif isinstance(child, list):
                block = child
        return value, block

    def open_pair(self, children: list) -> Entry:  # type: ignore[type-arg]
        key, _ = split_pair(children[0])
        value, block = self._rest(children[1:])
        return Entry(key, value, block)

    def quoted_pair(self, children: list) -> Entry:  # type: ignore[type-arg]
        value, block = self._rest(children[1:])
        return Entry(_key_string(children[0]), value, block)

    def text_block(self, children: list) -> Entry:  # type: ignore[type-arg]
        key, _pipe = split_pair(children[0])
        return Entry(key, None, [], lines=[_text(t) for t in children[1:]])

    def quoted_text_block(self, children: list) -> Entry:  # type: ignore[type-arg]
        lines = [_text(t) for t in children[1:] if t.type == "TEXT_LINE"]
        return Entry(_key_string(children[0]), None, [], lines=lines)

    def item(self, children: list) -> Item:  # type: ignore[type-arg]
        marker: Token = children[0]
        return Item(Scalar(str(marker), token_span(marker)), children[1])


def _span_of(tok: Token, code: str) -> Span:
    return Span(tok.line, tok.column, tok.line, tok.column + len(code))  # type: ignore[arg-type, operator]


def _text(tok: Token) -> Scalar:
    code = code_of(tok)
    return Scalar(code, _span_of(tok, code))

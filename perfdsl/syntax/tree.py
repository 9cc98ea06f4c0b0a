"""The generic tree the grammar produces: entries and items, before keys get their meaning.

These are deliberately plain (slotted classes, no validation): a 10,000-project file makes
hundreds of thousands of them, and :mod:`perfdsl.syntax.build` turns them into the typed AST.
"""

from __future__ import annotations

import re

from lark import Token, Transformer

from perfdsl.ast import Span


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


def _unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
        else:
            out.append(ch)
    return "".join(out)


_COLON = re.compile(r"[:：]")


def split_pair(tok: Token) -> tuple[Scalar, Scalar | None]:
    """Split a PAIR token ``key: value`` at its first colon (a key never holds one)."""
    text = str(tok)
    line, column = tok.line, tok.column
    colon = _COLON.search(text)
    assert colon is not None  # the PAIR terminal always contains a colon
    key = text[: colon.start()].rstrip()
    key_scalar = Scalar(key, Span(line, column, line, column + len(key)))  # type: ignore[arg-type]
    rest = text[colon.end() :]
    stripped = rest.lstrip(" \t")
    if not stripped:
        return key_scalar, None
    start = column + colon.end() + (len(rest) - len(stripped))  # type: ignore[operator]
    return key_scalar, Scalar(stripped, Span(line, start, line, start + len(stripped)))  # type: ignore[arg-type]


def _key_string(tok: Token) -> Scalar:
    return Scalar(_unquote(tok), token_span(tok), quoted=True)


class ToTree(Transformer):  # type: ignore[type-arg]
    """Lark callbacks, run inline by the LALR parser (no parse tree is built)."""

    def start(self, children: list[Entry | Item]) -> list[Entry | Item]:
        return children

    def value_line(self, children: list[Token]) -> Scalar:
        tok = children[0]
        if tok.type == "STRING_NL":
            return Scalar(_unquote(tok), token_span(tok), quoted=True)
        return Scalar(str(tok), token_span(tok))

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

    def pair(self, children: list) -> Entry:  # type: ignore[type-arg]
        key, value = split_pair(children[0])
        return Entry(key, value, children[1:])

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

    def block(self, children: list[Entry | Item]) -> list[Entry | Item]:
        return children


def _text(tok: Token) -> Scalar:
    return Scalar(str(tok), token_span(tok))

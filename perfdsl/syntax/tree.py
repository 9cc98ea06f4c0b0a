"""The generic tree the grammar produces: entries and items, before keys get their meaning.

These are deliberately plain (slotted classes, no validation): a 10,000-project file makes
hundreds of thousands of them, and :mod:`perfdsl.syntax.build` turns them into the typed AST.
"""

from __future__ import annotations

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


class ToTree(Transformer):  # type: ignore[type-arg]
    """Lark callbacks, run inline by the LALR parser (no parse tree is built)."""

    def start(self, children: list[Entry | Item]) -> list[Entry | Item]:
        return children

    def key(self, children: list[Token]) -> Scalar:
        tok = children[0]
        if tok.type == "KEY_STRING":
            return Scalar(_unquote(tok), token_span(tok), quoted=True)
        return Scalar(tok.rstrip(), token_span(tok))

    def value(self, children: list[Token]) -> Scalar:
        tok = children[0]
        if tok.type == "VALUE_STRING":
            return Scalar(_unquote(tok), token_span(tok), quoted=True)
        return Scalar(str(tok), token_span(tok))

    def pair(self, children: list) -> Entry:  # type: ignore[type-arg]
        key = children[0]
        value = None
        block: list[Entry | Item] = []
        for child in children[1:]:
            if isinstance(child, Scalar):
                value = child
            elif isinstance(child, list):
                block = child
        return Entry(key, value, block)

    def text_block(self, children: list) -> Entry:  # type: ignore[type-arg]
        return Entry(children[0], None, [], lines=children[1:])

    def text_line(self, children: list[Token]) -> Scalar:
        tok = children[0]
        return Scalar(str(tok), token_span(tok))

    def item(self, children: list) -> Item:  # type: ignore[type-arg]
        marker: Token = children[0]
        return Item(Scalar(str(marker), token_span(marker)), children[1])

    def block(self, children: list[Entry | Item]) -> list[Entry | Item]:
        return children

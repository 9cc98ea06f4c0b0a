"""The canonical printer: one way to write every document, with the author's comments kept.

No options, like gofmt: two-space indentation, ``key: value`` with a half-width colon and one
space, operators and digits in their canonical forms (``≥``, ``%``, ASCII digits), numbered
goals as ``1.``, keywords in the file's own language, a blank line between projects.  Amounts
keep the scale the author wrote (``146.00``).  Quotes appear only where the text needs them.

Comments are tied to the line of the node they precede (or follow, for a comment at the end of
a line), so they move with their node.  Properties the tests hold it to:
``parse(format(d)) == d`` and ``format(format(t)) == format(t)``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import attrs

from perfdsl import ast
from perfdsl.syntax import keywords as K
from perfdsl.values import Text, Value, format_decimal, parse_value

INDENT = "  "

_ITEM_LIKE = re.compile(r"(?:\d{1,3}[.、．](?!\d)|[-*・•][ \t])")
# As in the grammar, only spaces and tabs are blanks: U+3000 and the like are text.
_VALUE_TOKEN = re.compile(r"[^ \t\r\n#][^ \t\r\n]*(?:[ \t]+[^ \t\r\n#][^ \t\r\n]*)*")
_KEY_TOKEN = re.compile(r"[^ \t\r\n#:：\"][^ \t\r\n:：]*(?:[ \t]+[^ \t\r\n#:：][^ \t\r\n:：]*)*")


def quote(text: str) -> str:
    """``text`` in double quotes.  A backslash is doubled only where it would otherwise start
    an escape (before ``\\ " n t`` or at the end), so ``"D:\\data"`` stays as its author wrote it."""
    body = _LONE_BACKSLASH.sub(r"\\\\", text)
    body = body.replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


#: A backslash that the parser would read as the start of an escape.
_LONE_BACKSLASH = re.compile(r'\\(?=[\\"nt\n\t]|$)')


def _raw_value_ok(text: str) -> bool:
    """Would ``text`` come back unchanged from a ``key: text`` line without quotes?"""
    if not _VALUE_TOKEN.fullmatch(text) or text == "|":
        return False
    # A value that starts with a quote and ends with one would be read as a quoted string.
    return not re.fullmatch(r'"(?:[^"\\\r\n]|\\.)*"', text)


def value_text(text: str) -> str:
    """A plain text field (描述, 资金用途 …): quoted only where syntax needs it."""
    return text if _raw_value_ok(text) else quote(text)


def typed_value_text(value: Value) -> str:
    """An indicator value: typed values print canonically; text is quoted if it would be typed."""
    if isinstance(value, Text):
        text = value.text
        if (
            _raw_value_ok(text)
            and isinstance(parse_value(text), Text)
            and parse_value(text) == value
        ):
            return text
        return quote(text)
    return value.text


def key_text(name: str, reserved: dict[str, K.Keyword] | None = None) -> str:
    """A name in key position, quoted if it holds a colon, looks like an item, or is a keyword."""
    needs = (
        not _KEY_TOKEN.fullmatch(name)
        or _ITEM_LIKE.match(name) is not None
        or (reserved is not None and K.fold(name) in reserved)
        or K.fold(name) in K.CATEGORY_ALIASES
        or name == "\x00"
        or name.rstrip() != name  # the parser drops white space before the colon (U+3000 too)
    )
    return quote(name) if needs else name


@attrs.define
class _Line:
    depth: int
    text: str
    anchor: int | None  # the source line this output line stands for


class _Printer:
    def __init__(self, document: ast.Document, source: Sequence[str] | None = None) -> None:
        self.doc = document
        self.lang = document.keyword_language
        self.lines: list[_Line] = []
        #: Source lines that are not text inside a block: comment lines, and blank lines
        #: when the source is known (see block_rows).
        self.not_text = {c.span.line for c in document.comments if not c.trailing}
        if source is not None:
            self.not_text.update(n for n, line in enumerate(source, 1) if not line.strip())

    def kw(self, table: dict[str, K.Keyword], meaning: str) -> str:
        for keyword in table.values():
            if keyword.meaning == meaning:
                return K.spelling(keyword, self.lang)
        raise KeyError(meaning)

    def emit(self, depth: int, text: str, span: ast.Span | None) -> None:
        anchor = span.line if span is not None and span.line > 0 else None
        self.lines.append(_Line(depth, text, anchor))

    def blank(self) -> None:
        self.lines.append(_Line(0, "", None))

    def text_field(self, depth: int, key: str, located: ast.Located) -> None:
        text = located.value
        if "\n" in text and all(_raw_value_ok(part) for part in text.split("\n")):
            self.emit(depth, f"{key}: |", located.span)
            parts = text.split("\n")
            for part, row in zip(parts, self.block_rows(located.span, len(parts)), strict=True):
                self.emit(depth + 1, part, row)
        else:
            self.emit(depth, f"{key}: {value_text(text)}", located.span)

    def block_rows(self, span: ast.Span, count: int) -> list[ast.Span | None]:
        """The source line of each line of a text block, so comments inside it stay there.

        The block's span runs from its key to its last line, and the lines between that hold
        only a comment are not text; the text lines are the others, counted back from the
        last.  Blank lines in a block are not text either, and only the source says where
        they were: without it, when a block holds both, a comment may land one line off (fmt
        removes the blank lines, so the next run is exact).  A generated document has no
        anchors.
        """
        if span.line <= 0:
            return [None] * count
        rows = [n for n in range(span.line + 1, span.end_line + 1) if n not in self.not_text]
        if len(rows) < count:
            return [None] * count
        return [ast.Span(n, 0, n, 0) for n in rows[len(rows) - count :]]

    # -- document ------------------------------------------------------------------------------

    def document(self) -> None:
        header = self.doc.header
        h = K.HEADER
        if header.unit_name is not None or header.unit_code is not None:
            unit = " ".join(
                part.value for part in (header.unit_code, header.unit_name) if part is not None
            )
            span = (header.unit_code or header.unit_name).span  # type: ignore[union-attr]
            self.text_field(0, self.kw(h, "unit"), ast.Located(unit, span=span))
        for meaning in ("year", "money_unit", "framework", "layout", "title"):
            located = getattr(header, meaning)
            if located is not None:
                self.text_field(0, self.kw(h, meaning), located)
        for project in self.doc.projects:
            if self.lines:
                self.blank()
            self.project(project)

    def project(self, project: ast.Project) -> None:
        word = "project" if self.lang == "en" else "项目"
        name = project.name
        if _KEY_TOKEN.fullmatch(f"{word} {name}") and name.strip() == name:
            self.emit(0, f"{word} {name}:", project.span)
        else:
            self.emit(0, f"{word}: {quote(name)}", project.span)
        p = K.PROJECT
        for meaning in ("department", "implementer", "manager", "category", "period"):
            located = getattr(project, meaning)
            if located is not None:
                self.text_field(1, self.kw(p, meaning), located)
        if project.budget is not None:
            self.budget(project.budget)
        if project.purpose is not None:
            self.text_field(1, self.kw(p, "purpose"), project.purpose)
        for meaning in ("goals", "midterm_goals"):
            goals: tuple[ast.Goal, ...] = getattr(project, meaning)
            if goals:
                self.emit(1, f"{self.kw(p, meaning)}:", getattr(project, meaning + "_span"))
                for number, goal in enumerate(goals, 1):
                    self.emit(2, f"{number}. {value_text(goal.text)}", goal.span)
        for level1 in project.indicators:
            self.level1(level1)

    def money(self, money: ast.Money) -> str:
        return f"{format_decimal(money.amount)}{money.unit or ''}"

    def budget(self, budget: ast.Budget) -> None:
        self.emit(1, f"{self.kw(K.PROJECT, 'budget')}: {self.money(budget.total)}", budget.span)
        for line in budget.lines:
            self.emit(2, f"{self.kw(K.FUNDING, line.kind)}: {self.money(line.amount)}", line.span)

    def category(self, name: str) -> str:
        if self.lang == "en" and name in K.CATEGORY_ENGLISH:
            return K.CATEGORY_ENGLISH[name]
        return key_text(name, K.PROJECT)

    def level1(self, level1: ast.Level1) -> None:
        self.emit(1, f"{self.category(level1.name)}:", level1.span)
        for level2 in level1.blocks:
            self.emit(2, f"{self.category(level2.name)}:", level2.span)
            for indicator in level2.indicators:
                self.indicator(indicator)

    def indicator(self, ind: ast.Indicator) -> None:
        name = key_text(ind.name)
        value = ind.value
        multiline = isinstance(value, Text) and "\n" in value.text
        if value is None or multiline:
            self.emit(3, f"{name}:", ind.span)
        else:
            self.emit(3, f"{name}: {typed_value_text(value)}", ind.span)
        t = K.INDICATOR
        if multiline:
            assert isinstance(value, Text)
            self.text_field(4, self.kw(t, "value"), ast.Located(value.text, span=ind.value_span))
        if ind.description is not None:
            if ind.description.value == "":
                self.emit(4, f'{self.kw(t, "description")}: ""', ind.description.span)
            else:
                self.text_field(4, self.kw(t, "description"), ind.description)
        if ind.midterm is not None:
            self.emit(
                4, f"{self.kw(t, 'midterm')}: {typed_value_text(ind.midterm)}", ind.midterm_span
            )
        for meaning in ("weight", "basis", "direction", "explanation", "remark"):
            located = getattr(ind, meaning)
            if located is not None:
                if meaning == "direction" and self.lang == "en":
                    # The AST holds 正向/反向; a file in English keywords reads them in English.
                    english = {"正向": "positive", "反向": "negative"}.get(located.value)
                    located = attrs.evolve(located, value=english or located.value)
                self.text_field(4, self.kw(t, meaning), located)

    # -- comments ------------------------------------------------------------------------------

    def render(self) -> str:
        anchors = sorted({ln.anchor for ln in self.lines if ln.anchor is not None})
        leading: dict[int, list[str]] = {}
        trailing: dict[int, str] = {}
        tail: list[str] = []
        for comment in self.doc.comments:
            line = comment.span.line
            if comment.trailing and line in anchors and line not in trailing:
                trailing[line] = comment.text
                continue
            index = bisect.bisect_right(anchors, line)
            if index < len(anchors):
                leading.setdefault(anchors[index], []).append(comment.text)
            else:
                tail.append(comment.text)
        out: list[str] = []
        done: set[int] = set()
        for ln in self.lines:
            pad = INDENT * ln.depth
            if ln.anchor is not None and ln.anchor not in done:
                done.add(ln.anchor)
                out.extend(pad + text for text in leading.get(ln.anchor, ()))
                suffix = f"  {trailing[ln.anchor]}" if ln.anchor in trailing else ""
            else:
                suffix = ""
            out.append((pad + ln.text + suffix) if ln.text else "")
        out.extend(tail)
        return "\n".join(out) + "\n"


def format_document(document: ast.Document, source: Sequence[str] | None = None) -> str:
    """The canonical text of a document, with ``\\n`` line ends (see :func:`to_file_text`).

    ``source``, the lines the document was parsed from, is optional: with it, a comment
    inside a ``|`` block that also holds blank lines stays exactly where it was.
    """
    printer = _Printer(document, source)
    printer.document()
    return printer.render()


def to_file_text(document: ast.Document, source: Sequence[str] | None = None) -> str:
    """The canonical text as the file should hold it: the author's line ends and BOM kept."""
    text = format_document(document, source)
    if document.line_ending != "\n":
        text = text.replace("\n", document.line_ending)
    return ("\ufeff" if document.bom else "") + text

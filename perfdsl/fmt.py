"""The canonical printer: one way to write every document, with the author's comments kept.

No options, like gofmt: two-space indentation, ``key: value`` with a half-width colon and one
space, fields in the registry's order (:mod:`perfdsl.standards.fields`), written with the
labels of the table's template, operators and digits in their canonical forms (``≥``, ``%``,
ASCII digits), numbered goals as ``1.``, keywords in the file's own language, a blank line
between projects.  Amounts keep the scale and unit the author wrote (``146.00``, ``250万``) and
any words after them.  How a value prints (``≥`` or ``>=``, thousands separators) is the
template's to say, not the source's.  Quotes appear only where the text needs them.

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
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Catalog, Template, for_document, for_project
from perfdsl.syntax import keywords as K
from perfdsl.values import Text, Value, parse_value


def _row_field(block: str, key: str) -> R.FieldDef | None:
    return None if ast.free_label(key) is not None else R.get("row", key, block)


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


def table_line(word: str, name: str) -> str:
    """A table's first line: ``项目 办案业务费:``, or ``项目: "…"`` for a name that would not
    read back as written (a colon, a ``#``, blanks around it)."""
    if (
        _KEY_TOKEN.fullmatch(f"{word} {name}")
        and name.strip() == name
        and not name.startswith(("#", '"'))
    ):
        return f"{word} {name}:"
    return f"{word}: {quote(name)}"


def key_text(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A name in key position, quoted if it holds a colon, looks like an item, or is a keyword."""
    needs = (
        not _KEY_TOKEN.fullmatch(name)
        or _ITEM_LIKE.match(name) is not None
        or K.fold(name) in reserved
        or K.fold(name) in K.CATEGORY_ALIASES
        or name == "\x00"
        or name.rstrip() != name  # the parser drops white space before the colon (U+3000 too)
        or _SPECIAL_KEY.fullmatch(name) is not None
    )
    return quote(name) if needs else name


#: Keys the builder reads as something other than a name: a table, a free field, a row.
_SPECIAL_KEY = re.compile(r"(?:项目|project|部门|overall|栏目|field)(?:\s.*)?|行|row", re.I | re.S)


def _spellings(*levels: R.Level) -> frozenset[str]:
    return frozenset(K.fold(s) for level in levels for f in R.at(level) for s in f.spellings)


#: Every spelling a key may have at a level, so that a name that spells one is quoted.
_PROJECT_KEYS = _spellings("project", "budget")
_CATEGORY_KEYS = _spellings("category")
_INDICATOR_KEYS = _spellings("indicator")

#: Project fields printed before the money columns; the others come after the goals.
_BEFORE_MONEY = frozenset(
    f.key for f in R.at("project")[: [f.key for f in R.at("project")].index("purpose")]
)
_AFTER_INDICATORS = ("annual_completion", "other_notes", "signoff")


@attrs.define
class _Line:
    depth: int
    text: str
    anchor: int | None  # the source line this output line stands for


class _Printer:
    def __init__(
        self,
        document: ast.Document,
        source: Sequence[str] | None = None,
        template: Template | None = None,
    ) -> None:
        self.doc = document
        self.file_template = template or for_document(document)
        self.template = self.file_template
        self.lang = document.keyword_language
        self.catalog: Catalog | None = None
        self.lines: list[_Line] = []
        #: Source lines that are not text inside a block: comment lines, and blank lines
        #: when the source is known (see block_rows).
        self.not_text = {c.span.line for c in document.comments if not c.trailing}
        if source is not None:
            self.not_text.update(n for n, line in enumerate(source, 1) if not line.strip())

    def word(self, field: R.FieldDef) -> str:
        """The key a field is written with: in an English file its English keyword; else the
        label the table's template prints for it (年度资金总额 in a 申报表), or its keyword."""
        if self.lang == "en":
            return field.en
        level = f"row.{field.block}" if field.level == "row" else field.level
        label = self.template.labels.get((level, field.key))
        if label and _KEY_TOKEN.fullmatch(label) and not _ITEM_LIKE.match(label):
            return label
        return field.zh

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[1] if self.lang == "en" else pair[0]

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
        elif text == "":
            self.emit(depth, f'{key}: ""', located.span)
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

    # -- fields --------------------------------------------------------------------------------

    def field(self, depth: int, key: str, value: ast.FieldValue, field: R.FieldDef | None) -> None:
        """One field of any kind, at ``depth``; ``field`` None is a free (栏目) field."""
        if field is None:
            label = ast.free_label(key) or key
            word = self.pick(("栏目", "field"))
            assert isinstance(value, ast.Located)
            self.text_field(depth, f"{word} {label}", value)
            return
        name = self.word(field)
        if isinstance(value, ast.Located):
            if field.key == "direction" and self.lang == "en":
                # The AST holds 正向/反向; a file in English keywords reads them in English.
                english = dict((w, o[0]) for w, o in field.choices).get(value.value)
                value = attrs.evolve(value, value=english or value.value)
            self.text_field(depth, name, value)
        elif isinstance(value, ast.Number):
            self.emit(depth, f"{name}: {value.text}", value.span)
        elif isinstance(value, ast.Money):
            self.emit(depth, f"{name}: {self.money(value)}", value.span)
        elif isinstance(value, ast.Typed):
            self.typed(depth, name, value.value, value.span)
        elif isinstance(value, ast.Goals):
            self.goals(depth, name, value.items, value.span)
        elif isinstance(value, ast.Rows):
            self.emit(depth, f"{name}:", value.span)
            for row in value.rows:
                self.emit(depth + 1, f"{self.pick(('行', 'row'))}:", row.span)
                for key, cell in row.fields.items():
                    column = _row_field(field.block, key)
                    if isinstance(cell, ast.Located) and column is not None:
                        self.cell(depth + 2, self.word(column), cell)
                    else:
                        self.field(depth + 2, key, cell, column)
        elif isinstance(value, ast.Labels):
            self.emit(depth, f"{name}:", value.span)
            for label, cell in value.fields.items():
                assert isinstance(cell, ast.Located)
                self.cell(depth + 1, key_text(label), cell)
        elif isinstance(value, ast.Tree):
            self.emit(depth, f"{name}:", value.span)
            for level1 in value.level1:
                self.level1(level1, depth + 1)

    def cell(self, depth: int, key: str, located: ast.Located) -> None:
        """A cell of a row or a sign-off line: an empty one is the key alone."""
        if located.value == "":
            self.emit(depth, f"{key}:", located.span)
        else:
            self.text_field(depth, key, located)

    def typed(self, depth: int, name: str, value: Value, span: ast.Span) -> None:
        if isinstance(value, Text) and "\n" in value.text:
            self.text_field(depth, name, ast.Located(value.text, span=span))
        else:
            self.emit(depth, f"{name}: {typed_value_text(value)}", span)

    def goals(self, depth: int, name: str, goals: Sequence[ast.Goal], span: ast.Span) -> None:
        self.emit(depth, f"{name}:", span)
        for number, goal in enumerate(goals, 1):
            self.emit(depth + 1, f"{number}. {value_text(goal.text)}", goal.span)

    def fields(self, depth: int, level: R.Level, fields: ast.Fields, keys: Sequence[str]) -> None:
        for key in keys:
            if key in fields:
                self.field(depth, key, fields[key], R.get(level, key))

    def free(self, depth: int, fields: ast.Fields) -> None:
        for key, value in fields.items():
            if ast.free_label(key) is not None:
                self.field(depth, key, value, None)

    # -- document ------------------------------------------------------------------------------

    def document(self) -> None:
        header = self.doc.header
        word = lambda key: self.word(R.get("header", key))  # noqa: E731
        if header.unit_name is not None or header.unit_code is not None:
            unit = " ".join(
                part.value for part in (header.unit_code, header.unit_name) if part is not None
            )
            span = (header.unit_code or header.unit_name).span  # type: ignore[union-attr]
            self.text_field(0, word("unit"), ast.Located(unit, span=span))
        for key in ("year", "money_unit"):
            located = getattr(header, key)
            if located is not None:
                self.text_field(0, word(key), located)
        for field in R.at("header"):
            value = header.fields.get(field.key)
            if value is None:
                continue
            if field.key == "template" and header.template_spec:
                assert isinstance(value, ast.Located)
                self.emit(0, f"{word('template')}: {value_text(value.value)}", value.span)
                for section in header.template_spec:
                    self.section(1, section)
                continue
            self.field(0, field.key, value, field)
        self.free(0, header.fields)
        for project in self.doc.projects:
            if self.lines:
                self.blank()
            self.project(project)

    def section(self, depth: int, section: ast.Section) -> None:
        # A template's own data: its keys are quoted only where the grammar needs it (a key
        # such as 项目 names a level here, not a table).
        needs = not _KEY_TOKEN.fullmatch(section.key) or _ITEM_LIKE.match(section.key)
        key = quote(section.key) if needs else section.key
        if section.value is None:
            self.emit(depth, f"{key}:", section.span)
        else:
            self.emit(depth, f"{key}: {value_text(section.value)}", section.span)
        for child in section.children:
            self.section(depth + 1, child)

    def project(self, project: ast.Project) -> None:
        self.template = for_project(project, self.file_template, self.catalog)
        if project.kind == "department":
            word = self.pick(("部门", "overall"))
        else:
            word = self.pick(("项目", "project"))
        self.emit(0, table_line(word, project.name), project.span)
        keys = [f.key for f in R.at("project") if f.kind != "structure" and f.key != "goals"]
        before = [k for k in keys if k in _BEFORE_MONEY]
        after = [k for k in keys if k not in _BEFORE_MONEY and k not in _AFTER_INDICATORS]
        self.fields(1, "project", project.fields, before)
        for budget in project.budgets:
            self.budget(budget)
        if "purpose" in project.fields:
            self.fields(1, "project", project.fields, ["purpose"])
        if project.goals:
            self.goals(1, self.word(R.get("project", "goals")), project.goals, project.goals_span)
        rest = [k for k in after if k not in ("purpose", "midterm_indicators")]
        self.fields(1, "project", project.fields, rest)
        self.free(1, project.fields)
        for level1 in project.indicators:
            self.level1(level1, 1)
        self.fields(1, "project", project.fields, ["midterm_indicators", *_AFTER_INDICATORS])

    def money(self, money: ast.Money) -> str:
        text = money.text
        return text if _raw_value_ok(text) else quote(text)

    def budget(self, budget: ast.Budget) -> None:
        name = self.word(R.get("budget", budget.key))
        self.emit(1, f"{name}: {self.money(budget.total)}", budget.span)
        self.funding(2, budget.lines)

    def funding(self, depth: int, lines: tuple[ast.FundingLine, ...]) -> None:
        for line in lines:
            word = self.word(R.get("funding", line.kind))
            self.emit(depth, f"{word}: {self.money(line.amount)}", line.span)
            self.funding(depth + 1, line.lines)

    def category(self, name: str, reserved: frozenset[str]) -> str:
        if self.lang == "en" and name in K.CATEGORY_ENGLISH:
            return K.CATEGORY_ENGLISH[name]
        return key_text(name, reserved)

    def level1(self, level1: ast.Level1, depth: int) -> None:
        self.emit(depth, f"{self.category(level1.name, _PROJECT_KEYS)}:", level1.span)
        self.fields(depth + 1, "category", level1.fields, [f.key for f in R.at("category")])
        for level2 in level1.blocks:
            self.emit(depth + 1, f"{self.category(level2.name, _CATEGORY_KEYS)}:", level2.span)
            self.fields(depth + 2, "category", level2.fields, [f.key for f in R.at("category")])
            for indicator in level2.indicators:
                self.indicator(indicator, depth + 2)

    def indicator(self, ind: ast.Indicator, depth: int) -> None:
        name = key_text(ind.name, _CATEGORY_KEYS)
        value = ind.value
        multiline = isinstance(value, Text) and "\n" in value.text
        if value is None or multiline:
            self.emit(depth, f"{name}:", ind.span)
        else:
            self.emit(depth, f"{name}: {typed_value_text(value)}", ind.span)
        if multiline:
            assert isinstance(value, Text)
            word = self.word(R.get("indicator", "value"))
            self.text_field(depth + 1, word, ast.Located(value.text, span=ind.value_span))
        keys = [f.key for f in R.at("indicator") if f.kind != "structure" and f.key != "value"]
        self.fields(depth + 1, "indicator", ind.fields, keys)
        self.free(depth + 1, ind.fields)

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


def format_document(
    document: ast.Document, source: Sequence[str] | None = None, catalog: Catalog | None = None
) -> str:
    """The canonical text of a document, with ``\\n`` line ends (see :func:`to_file_text`).

    ``source``, the lines the document was parsed from, is optional: with it, a comment
    inside a ``|`` block that also holds blank lines stays exactly where it was.  ``catalog``
    holds the user's templates (their labels are the keys fmt writes), if any.
    """
    printer = _Printer(document, source, for_document(document, catalog))
    printer.catalog = catalog
    printer.document()
    return printer.render()


def to_file_text(
    document: ast.Document, source: Sequence[str] | None = None, catalog: Catalog | None = None
) -> str:
    """The canonical text as the file should hold it: the author's line ends and BOM kept."""
    text = format_document(document, source, catalog)
    if document.line_ending != "\n":
        text = text.replace("\n", document.line_ending)
    return ("\ufeff" if document.bom else "") + text

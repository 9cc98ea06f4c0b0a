"""Text → typed AST, reporting every syntax error of the file in one run.

Lark's LALR parser stops at the first error.  The language is line-oriented, so recovery is
simple and predictable: report the error in words a user knows, repair the offending line in a
copy of the text (a line that cannot be read becomes a placeholder entry the builder skips,
together with anything indented under it; a wrongly indented line is snapped to the nearest
level), and parse again.  Repairs never add or remove lines, so every later position is still
true.  A file with no errors is parsed exactly once.

Parsing again means parsing a few top-level blocks again, not the whole file, so that a file
with K errors costs about two parses of it rather than K.  A line of code at the left margin
(``项目 …:``, ``单位: …``) starts a block, and the blocks of the file are independent: the
line-ending token before such a line stops right at it, the indentation is back at level 0,
and every parser state that could end the document lexes the next line as a fresh parse lexes
its first (tests/test_recovery.py checks that on the parse table).  So after the first failed
parse the text is parsed chunk by chunk (whole blocks, a few dozen lines at a time), each on
its own but with the file's line numbers, and a chunk with an error is repaired and parsed
again until it is clean.  The trees and comments of the chunks, put together, are those of
the whole repaired text.

The errors are exactly those that re-parsing the whole text after each repair finds, in the
same order, because each chunk meets the same tokens in the same parser states; the tests keep
that re-parse as the reference.  Two cases need care.  A chunk whose last entry is unfinished
(``说明: |`` with nothing under it) fails at its own end, where the whole file fails at the
next block's first token: the chunk is then read with the next block.  And a repair can reach
back before the chunk in progress (the tab repair fixes every tab-indented line of the file):
parsing then resumes at the chunk that holds the first changed line.

Why not Lark's own error handling (``on_error``, the interactive parser resuming after tokens
are dropped or fed in)?  Our repairs change the text, not the token stream: a line becomes a
placeholder, an indentation is snapped, and the post-lexer's indentation levels and the
contextual lexer would have to be rewound to match.  Re-parsing a block of the repaired text
cannot drift from what parsing the whole repaired text gives, and the parser stays plain
LALR for every file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from perfdsl import ast
from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Msg, Severity
from perfdsl.diagnostics import codes as C
from perfdsl.gcpause import gc_paused
from perfdsl.standards.templates import Catalog
from perfdsl.syntax.build import RECOVERED, build
from perfdsl.syntax.grammar import parser
from perfdsl.syntax.postlex import COMMENTS, LINE_ENDING, IndentationError_, code_of

MAX_ERRORS = 50

#: What a grammar terminal is, in words a finance officer knows.
_EXPECTED_WORDS = {
    "LINE": ("“名称: 值”", "`name: value`"),
    "PIPE_LINE": ("“名称: 值”", "`name: value`"),
    "PAIR_OPEN": ("“名称: 值”", "`name: value`"),
    "KEY_STRING": ("“名称: 值”", "`name: value`"),
    "_COLON": ("冒号", "a colon"),
    "TEXT_LINE": ("值", "a value"),
    "STRING_NL": ("值", "a value"),
    "PIPE_NL": ("`|`", "`|`"),
    "_NL": ("行尾", "the end of the line"),
    "_INDENT": ("缩进的下一级内容", "an indented block"),
    "_DEDENT": ("退回上一级", "a line one level out"),
    "ITEM": ("编号条目（如 `1.`）", "a numbered item (`1.`)"),
}


@attrs.frozen
class ParseResult:
    document: ast.Document | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def _expected(names: set[str] | frozenset[str]) -> Msg:
    words_zh: list[str] = []
    words_en: list[str] = []
    for name in sorted(names):
        if name in _EXPECTED_WORDS:
            zh, en = _EXPECTED_WORDS[name]
            if zh not in words_zh:
                words_zh.append(zh)
                words_en.append(en)
    return Msg("、".join(words_zh) or "别的内容", ", ".join(words_en) or "something else")


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _line_span(lines: list[str], number: int) -> Span:
    """The visible text of a line (indentation and trailing comment excluded)."""
    text = lines[number - 1]
    start = _indent_of(text)
    code = re.split(r"[ \t]#", text, maxsplit=1)[0].rstrip()
    end = max(len(code), start + 1)
    return Span(number, start + 1, number, end + 1)


def _placeholder(line: str) -> str:
    return " " * _indent_of(line) + RECOVERED + ":"


class _Recovery:
    """One error at a time: classify it, report it, and repair the copy of the text."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.original = list(self.lines)
        self.diagnostics: list[Diagnostic] = []
        self.repaired: set[int] = set()
        #: The first line the latest repair changed: what was parsed from there on is stale.
        self.first_changed = len(self.lines) + 1

    def report(self, diagnostic: Diagnostic) -> None:
        """Keep a diagnostic whose span was measured on the repaired lines as they are now."""
        self.diagnostics.append(self.to_original(diagnostic))

    def to_original(self, diagnostic: Diagnostic) -> Diagnostic:
        """Move a span measured on the repaired text onto the text the author wrote.

        Repairs change a line's indentation (tabs expanded, a stray indentation snapped to a
        level) or replace the line with a placeholder, so a column measured on the repaired
        line is off by the change in indentation, or past the end of the real line.
        """
        span = diagnostic.span
        if span is None or not (0 < span.line <= span.end_line <= len(self.lines)):
            return diagnostic
        if span.line not in self.repaired and span.end_line not in self.repaired:
            return diagnostic
        start = self._column(span.line, span.column)
        end = self._column(span.end_line, span.end_column)
        if span.line == span.end_line:
            end = max(end, start + 1)
        return attrs.evolve(diagnostic, span=Span(span.line, start, span.end_line, end))

    def _column(self, number: int, column: int) -> int:
        now, then = self.lines[number - 1], self.original[number - 1]
        indent_now, indent_then = _indent_of(now), _indent_of(then)
        if column > indent_now:  # in the code: shift by the change of indentation
            column += indent_then - indent_now
        else:  # in the indentation: at most its end
            column = min(column, indent_then + 1)
        return max(1, min(column, len(then) + 1))

    def replace(self, number: int, new: str) -> bool:
        """Repair line ``number``; False when it was repaired before (no progress: give up)."""
        if number in self.repaired and self.lines[number - 1] == new:
            return False
        self.set_line(number, new)
        return True

    def set_line(self, number: int, new: str) -> None:
        """Every repair goes through here, so the driver knows where to parse again."""
        self.lines[number - 1] = new
        self.repaired.add(number)
        self.first_changed = min(self.first_changed, number)

    def handle(self, exc: Exception) -> bool:
        """Report the error and repair the text; False when no repair makes progress."""
        self.first_changed = len(self.lines) + 1
        if isinstance(exc, IndentationError_):
            return self.indentation(exc)
        if isinstance(exc, UnexpectedToken):
            return self.unexpected_token(exc)
        if isinstance(exc, UnexpectedCharacters):
            return self.unexpected_characters(exc)
        if isinstance(exc, UnexpectedEOF | UnexpectedInput):
            line = min(max(getattr(exc, "line", 1) or 1, 1), len(self.lines))
            self.report(C.SYNTAX_ERROR.at(_line_span(self.lines, line)))
            return self.replace(line, _placeholder(self.lines[line - 1]))
        raise exc

    def indentation(self, exc: IndentationError_) -> bool:
        number = exc.line
        line = self.lines[number - 1]
        if exc.kind == "tab":
            tab_lines = [i for i, ln in enumerate(self.lines, 1) if "\t" in ln[: _indent_of(ln)]]
            notes = ()
            if len(tab_lines) > 1:
                notes = (
                    Msg(
                        f"共有 {len(tab_lines)} 行用了制表符缩进",
                        f"{len(tab_lines)} lines are indented with tabs",
                    ),
                )
            self.report(
                C.TAB_INDENT.at(
                    Span(number, exc.column, number, exc.column + 1),
                    help=Msg("改用空格缩进（每级两个空格）", "indent with spaces (two per level)"),
                    notes=notes,
                )
            )
            for i in tab_lines:
                ln = self.lines[i - 1]
                indent = _indent_of(ln)
                self.set_line(i, ln[:indent].expandtabs(4) + ln[indent:])
            return True
        # Snap to the nearest level; on a tie, the deeper one (a sibling of the line above).
        target = min(exc.levels, key=lambda lv: (abs(lv - exc.width), -lv))
        shown = " / ".join(str(lv) for lv in exc.levels)
        self.report(
            C.BAD_DEDENT.at(
                Span(number, 1, number, exc.width + 1 if exc.width else 2),
                Msg(
                    f"这一行缩进了 {exc.width} 个空格，与上面任何一级都对不齐",
                    f"this line is indented {exc.width} spaces, which matches no enclosing level",
                ),
                help=Msg(
                    f"改成 {shown} 个空格之一，与它所属的那一级对齐",
                    f"indent it by one of {shown} spaces, like the level it belongs to",
                ),
            )
        )
        return self.replace(number, " " * target + line.lstrip(" \t"))

    def unexpected_token(self, exc: UnexpectedToken) -> bool:
        token = exc.token
        expected = set(exc.expected)
        if token.type == "_INDENT":
            number = token.end_line or token.line
            previous = next(
                (
                    ln
                    for ln in reversed(self.lines[: number - 1])
                    if ln.strip() and not ln.strip().startswith("#")
                ),
                "",
            )
            self.report(
                C.UNEXPECTED_INDENT.at(
                    _line_span(self.lines, number),
                    help=Msg(
                        "与上一行对齐，或在上一行末尾加冒号使它成为上一级",
                        "align it with the line above, or end that line with a colon",
                    ),
                )
            )
            # Skip the line, and with it anything indented under it.
            return self.replace(number, " " * _indent_of(previous) + RECOVERED + ":")
        number = token.line or 1
        if token.type == "$END":
            number = len(self.lines)
        line = self.lines[number - 1]
        at_line_start = (token.column or 1) == _indent_of(line) + 1
        code = re.split(r"[ \t]#", line, maxsplit=1)[0]
        if at_line_start and "LINE" in expected and not re.search("[:：]", code):
            # The contextual lexer found no "key:" here and the whole-grammar lexer read the
            # line as text: the colon is missing.
            return self.missing_colon(number)
        if "_COLON" in expected and token.type == "_NL":
            return self.missing_colon(number)
        if "_INDENT" in expected and not (expected & {"LINE", "TEXT_LINE", "PIPE_NL"}):
            pipe_line = self.pipe_line_before(number)
            self.report(
                C.EMPTY_TEXT_BLOCK.at(
                    _line_span(self.lines, pipe_line),
                    help=Msg(
                        "在下一行缩进写文字，或把文字直接写在冒号后面并去掉 `|`",
                        "write the text on indented lines below, or after the colon without `|`",
                    ),
                )
            )
            return self.replace(pipe_line, _placeholder(self.lines[pipe_line - 1]))
        if token.type == "_NL" and expected <= {"TEXT_LINE", "STRING_NL"}:
            self.report(
                C.SYNTAX_ERROR.at(
                    _line_span(self.lines, number),
                    Msg("编号后面缺少内容", "nothing follows the item number"),
                    help=Msg(
                        "在编号后写上目标内容，如 `1.保障……`", "write the goal after the number"
                    ),
                )
            )
            return self.replace(number, _placeholder(self.lines[number - 1]))
        # A line-ending token runs on over the line break, blank lines and the next indentation:
        # underline its first line only, without the comment.
        ends_line = token.type in LINE_ENDING or token.type == "LINE_OPEN"
        width = len(code_of(token)) if ends_line else len(token)
        span = Span(number, token.column or 1, number, (token.column or 1) + max(width, 1))
        self.report(
            C.SYNTAX_ERROR.at(
                span,
                Msg(
                    f"这里应当是{_expected(expected).zh}", f"expected {_expected(expected).en} here"
                ),
            )
        )
        return self.replace(number, _placeholder(self.lines[number - 1]))

    def missing_colon(self, number: int) -> bool:
        line = self.lines[number - 1]
        code = re.split(r"[ \t]#", line, maxsplit=1)[0].strip()
        parts = code.split(None, 1)
        if len(parts) == 2 and not code.startswith(("项目 ", "project ")):
            fix = f"{parts[0]}: {parts[1]}"
        else:
            fix = f"{code}:"
        self.report(
            C.MISSING_COLON.at(
                _line_span(self.lines, number),
                help=Msg(f"名称和值之间加冒号：`{fix}`", f"put a colon after the name: `{fix}`"),
            )
        )
        return self.replace(number, _placeholder(line))

    def pipe_line_before(self, number: int) -> int:
        for i in range(min(number, len(self.lines)), 0, -1):
            code = re.split(r"[ \t]#", self.lines[i - 1], maxsplit=1)[0].rstrip()
            if code.endswith("|"):
                return i
        return number

    def unexpected_characters(self, exc: UnexpectedCharacters) -> bool:
        number, column = exc.line, exc.column
        line = self.lines[number - 1]
        char = line[column - 1] if 0 < column <= len(line) else ""
        allowed = set(exc.allowed or ())
        code = re.split(r"[ \t]#", line, maxsplit=1)[0]
        if "LINE" in allowed and char not in ':："' and not re.search("[:：]", code):
            return self.missing_colon(number)
        if char in ":：" and "LINE" in allowed:
            message = Msg("冒号前面缺少名称", "there is no name before the colon")
            help_ = Msg(
                "在冒号前写上名称，如 `陪审员参审次数: ≥400次`",
                "write the name before the colon: `陪审员参审次数: ≥400次`",
            )
        elif char == '"':
            message = Msg(
                "引号没有闭合，或引号后面还有别的内容",
                "an unclosed quote, or text after the closing quote",
            )
            help_ = Msg(
                '用引号把整个名称或整个值括起来：`"名称": 值`',
                'quote the whole name or the whole value: `"name": value`',
            )
        else:
            message = Msg(
                f"这里应当是{_expected(allowed).zh}", f"expected {_expected(allowed).en} here"
            )
            help_ = None
        self.report(
            C.SYNTAX_ERROR.at(Span(number, column, number, column + 1), message, help=help_)
        )
        return self.replace(number, _placeholder(line))


def _unmoved(diagnostic: Diagnostic) -> Diagnostic:
    return diagnostic


def _starts_block(line: str) -> bool:
    """A line of code at the left margin starts a top-level block (a comment line does not)."""
    return bool(line) and line[0] not in " \t#"


#: Recovery parses whole top-level blocks, at least this many lines at a time: a file of many
#: one-line blocks (a long header) then does not pay the set-up of a Lark parse per line, and
#: an error still costs no more than a re-parse of the few blocks around it.
_CHUNK_LINES = 50


@attrs.frozen
class _Chunk:
    """Lines ``start`` to ``stop - 1``, parsed: their top-level entries and their comments."""

    start: int
    stop: int
    entries: list  # type: ignore[type-arg]
    comments: list[ast.Comment]


def _recover(text: str) -> tuple[_Recovery, list[_Chunk] | None]:
    """Parse chunk by chunk; a chunk with an error is repaired and parsed again until clean.

    Returns the recovery (its diagnostics and repaired lines) and the chunks, or None when
    recovery gave up.  The errors are the ones, in the order, that re-parsing the whole text
    after each repair would find: see the module docstring.
    """
    recovery = _Recovery(text)
    lines = recovery.lines
    done: list[_Chunk] = []
    start, errors = 1, 0
    while start <= len(lines):
        try:
            chunk = _parse_chunk(lines, start)
        except (UnexpectedInput, IndentationError_) as exc:
            errors += 1
            if not recovery.handle(exc) or errors > MAX_ERRORS:
                return recovery, None
            start = _rewind(done, start, recovery.first_changed)
            continue
        done.append(chunk)
        start = chunk.stop
    return recovery, done


def _parse_chunk(lines: list[str], start: int) -> _Chunk:
    """Parse the whole top-level blocks that begin at line ``start`` and span a few lines."""
    stop = _block_after(lines, start + _CHUNK_LINES - 1)
    while True:
        try:
            return _parse_lines(lines, start, stop)
        except UnexpectedToken as exc:
            if exc.token.type != "$END" or stop > len(lines):
                raise
            # The last entry is unfinished (`说明: |` and nothing under it).  In the whole
            # file the parser stops at the next block's first token, with other words for what
            # it expected: read that block too, and the error is the whole file's.
            stop = _block_after(lines, stop)


def _parse_lines(lines: list[str], start: int, stop: int) -> _Chunk:
    """Parse lines ``start`` to ``stop - 1`` on their own, with the file's line numbers.

    The chunk is exactly that stretch of the file's text, and Lark's line counter (reached
    through its interactive parser, which parses as ``parse`` does) starts at ``start``, so
    every token, comment and error carries its position in the whole file.
    """
    part = lines[start - 1 : stop - 1]
    if stop <= len(lines):
        part.append("")  # the line break before the next chunk
    comments: list[ast.Comment] = []
    token = COMMENTS.set(comments)
    try:
        interactive = parser().parse_interactive("\n".join(part))
        interactive.lexer_thread.state.line_ctr.line = start  # type: ignore[union-attr]
        return _Chunk(start, stop, interactive.resume_parse(), comments)
    finally:
        COMMENTS.reset(token)


def _block_after(lines: list[str], number: int) -> int:
    """The first line after ``number`` that starts a top-level block (or one past the end)."""
    for after in range(number + 1, len(lines) + 1):
        if _starts_block(lines[after - 1]):
            return after
    return len(lines) + 1


def _rewind(done: list[_Chunk], start: int, changed: int) -> int:
    """Where to parse again after a repair at line ``changed``: drop the chunks from there on."""
    while done and changed < start:
        start = done.pop().start
    return start


def parse_tree(
    text: str,
) -> tuple[list | None, list[ast.Comment], list[Diagnostic], Callable[[Diagnostic], Diagnostic]]:  # type: ignore[type-arg]
    """Parse with recovery.

    Returns the generic tree, the comments, the syntax errors, and the function that moves
    a span measured on the (repaired) tree back onto the text as written.
    """
    if not text.endswith("\n"):
        text += "\n"
    comments: list[ast.Comment] = []
    token = COMMENTS.set(comments)
    try:
        return parser().parse(text), comments, [], _unmoved
    except (UnexpectedInput, IndentationError_):
        pass  # recovered below, chunk by chunk
    finally:
        COMMENTS.reset(token)
    recovery, chunks = _recover(text)
    if chunks is None:
        recovery.diagnostics.append(
            C.SYNTAX_ERROR.at(
                None,
                Msg(
                    f"错误太多（超过 {MAX_ERRORS} 个），停止解析",
                    f"too many errors (over {MAX_ERRORS}); parsing stopped",
                ),
            )
        )
        return None, [], recovery.diagnostics, recovery.to_original
    tree = [entry for chunk in chunks for entry in chunk.entries]
    comments = [comment for chunk in chunks for comment in chunk.comments]
    return tree, comments, recovery.diagnostics, recovery.to_original


def parse(text: str, path: str = "<input>", catalog: Catalog | None = None) -> ParseResult:
    """Parse a document with the templates of ``catalog`` (None: the built-in ones).

    Every diagnostic carries ``path``, but one about a template file keeps that file's.
    """
    with gc_paused():
        tree, comments, diagnostics, moved = parse_tree(text)
        if tree is None:  # recovery gave up: report the syntax errors alone
            return ParseResult(None, tuple(d.in_file(path) for d in diagnostics))
        document, structural = build(tree, catalog, path)
        structural = [d if d.file else moved(d) for d in structural]
    document = attrs.evolve(document, comments=tuple(comments))
    found = [d if d.file else d.in_file(path) for d in (*diagnostics, *structural)]
    found.sort(key=lambda d: d.sort_key)
    return ParseResult(document, tuple(found))

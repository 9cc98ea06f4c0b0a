"""Render diagnostics the way rustc does, with carets placed by display width.

    error[PD1001]: 这一行缺少冒号
      --> examples/court.pdsl:12:7
       |
    12 |       陪审员参审次数 ≥400次
       |       ^^^^^^^^^^^^^^^^^^^^^
       = help: 在名称后加冒号：`陪审员参审次数: ≥400次`

A Chinese character takes two terminal columns, so the caret line is built from the display
width of what precedes the span, not from its character count (Lark's own error context gets
this wrong).  Tabs in the source line are copied into the caret line so they line up too.

Everything quoted from the source (the line, names in the message, the path) is passed
through :func:`perfdsl.output.printable`, so an escape sequence in a source is shown
(``\x1b]0;…``) instead of acting on the terminal; the carets count the escapes as printed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click

from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.output import char_width, display_width, printable

_LABELS = {
    "zh": {"help": "帮助", "note": "注"},
    "en": {"help": "help", "note": "note"},
}
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def _pad_like(prefix: str) -> str:
    """Blank space as wide as ``prefix`` on screen, keeping its tabs."""
    if "\t" not in prefix:
        return " " * display_width(prefix)
    return "".join("\t" if ch == "\t" else " " * char_width(ch) for ch in prefix)


def render(
    diagnostic: Diagnostic,
    lines: Sequence[str] | None,
    lang: str = "zh",
    color: bool = False,
) -> str:
    """One diagnostic as text.  ``lines`` is the source file split into lines (no newlines)."""

    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    labels = _LABELS["en" if lang == "en" else "zh"]
    sev = diagnostic.severity
    head = style(f"{sev.value}[{diagnostic.code}]", fg=_COLOURS[sev], bold=True)
    out = [f"{head}{style(': ' + printable(diagnostic.message.get(lang)), bold=True)}"]
    span = diagnostic.span
    where = printable(diagnostic.file or "<input>")
    if span is not None and span.line > 0:
        where += f":{span.line}:{span.column}"
    gutter_width = len(str(span.line)) if span is not None and span.line > 0 else 1
    gutter = " " * gutter_width
    out.append(f"{gutter}{style('-->', fg='blue', bold=True)} {where}")

    related = [
        (other, text)
        for other, text in diagnostic.related
        if lines is not None and 0 < other.line <= len(lines)
    ]
    if related:  # the gutter fits the widest line number shown
        gutter_width = max(gutter_width, *(len(str(r.line)) for r, _ in related))
        gutter = " " * gutter_width
        out[-1] = f"{gutter}{style('-->', fg='blue', bold=True)} {where}"
    bar = style("|", fg="blue", bold=True)
    shown_main = span is not None and lines is not None and 0 < span.line <= len(lines)
    if shown_main:
        assert span is not None and lines is not None
        out.append(f"{gutter} {bar}")
        out += _snippet(lines[span.line - 1], span, "^", gutter_width, style, _COLOURS[sev])
    for other, text in related:
        assert lines is not None
        if not shown_main:
            out.append(f"{gutter} {bar}")
            shown_main = True
        else:
            out.append(f"{gutter} {style('...', fg='blue', bold=True)}")
        snippet = _snippet(lines[other.line - 1], other, "-", gutter_width, style, "blue")
        snippet[-1] += " " + style(printable(text.get(lang)), fg="blue", bold=True)
        out += snippet
    for note in diagnostic.notes:
        out.append(f"{gutter} = {labels['note']}: {printable(note.get(lang))}")
    if diagnostic.help is not None:
        help_ = printable(diagnostic.help.get(lang))
        out.append(f"{gutter} = {style(labels['help'], bold=True)}: {help_}")
    return "\n".join(out)


def _snippet(
    source: str, span: Span, mark: str, gutter_width: int, style: Callable[..., str], colour: str
) -> list[str]:
    """The source line of ``span`` and the line that underlines it with ``mark``."""
    start = max(span.column - 1, 0)
    if span.end_line == span.line:
        end = max(span.end_column - 1, start + 1)
    else:
        end = max(len(source.rstrip()), start + 1)
    end = min(end, max(len(source), start + 1))
    # Measured as shown: an escaped ESC (\x1b) is four columns wide, not zero.
    before, under = printable(source[:start]), printable(source[start:end])
    underline = mark * max(display_width(under), 1)
    bar = style("|", fg="blue", bold=True)
    number = style(str(span.line).rjust(gutter_width), fg="blue", bold=True)
    shown = before + under + printable(source[end:])
    gutter = " " * gutter_width
    return [
        f"{number} {bar} {shown}",
        f"{gutter} {bar} {_pad_like(before)}{style(underline, fg=colour, bold=True)}",
    ]


def summary(diagnostics: Sequence[Diagnostic], files: int, lang: str = "zh") -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    notes = sum(d.severity is Severity.NOTE for d in diagnostics)
    if lang == "en":
        if not diagnostics:
            return f"checked {files} file(s): no problems"
        text = f"checked {files} file(s): {errors} error(s), {warnings} warning(s)"
        return text + (f", {notes} note(s)" if notes else "")
    if not diagnostics:
        return f"已检查 {files} 个文件：没有发现问题"
    text = f"已检查 {files} 个文件：{errors} 个错误，{warnings} 个警告"
    return text + (f"，{notes} 个提示" if notes else "")

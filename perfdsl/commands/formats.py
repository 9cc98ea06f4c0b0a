"""Diagnostics for machines: concise lines, JSON, GitHub annotations and SARIF 2.1.0.

Every format gives the same positions as the full renderer: 1-based line and 1-based
*character* column (a Chinese character is one column here; only the caret line of the full
format counts display width), end exclusive.  SARIF says so with ``columnKind:
unicodeCodePoints``; GitHub's annotations take the same numbers.

* concise: ``file:line:col: CODE [severity] message``, the shape editors' error parsers and
  grep expect (a diagnostic without a position says ``1:1``, as ruff does for a file it
  cannot read);
* github: ``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=PD4001 name::message``
  workflow commands, escaped as the runner requires (``%``, CR and LF in the message; also
  ``:`` and ``,`` in property values);
* sarif: one run; the driver's rules are the registry's entries for the codes found (id,
  kebab name, title, explanation, helpUri docs/diagnostics/CODE.md, default level); each
  result with its rule, level, message and region; paths relative to the working directory.

Text from the source (and file names) is escaped as :func:`perfdsl.output.printable` escapes
it in the line formats, so no control character reaches a terminal or a CI log; the JSON
formats keep the values exact but are written by :func:`perfdsl.output.json_text`, so they
are just as safe to print and always valid UTF-8 (a byte of a file name that is not UTF-8
appears as ``\xff``; in a SARIF URI it is percent-encoded, ``%FF``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from perfdsl import __version__
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.output import json_text, printable

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: Where each code's page lives, relative to the repository root (docs/diagnostics/PD4001.md).
DOCS_PATH = "docs/diagnostics/{code}.md"


def display_path(file: str | None) -> str:
    """A path as a CI system wants it: relative to the working directory, with '/'."""
    if not file:
        return "<input>"
    if file.startswith("<"):
        return file  # <stdin>, <input>
    path = Path(file)
    if path.is_absolute():
        with contextlib.suppress(ValueError):  # outside the working directory: keep it
            path = path.relative_to(Path.cwd())
    return path.as_posix()


def _position(d: Diagnostic) -> tuple[int, int, int, int] | None:
    span = d.span
    if span is None or span.line <= 0:
        return None
    column = max(span.column, 1)
    end_line = max(span.end_line, span.line)
    end_column = span.end_column if end_line > span.line else max(span.end_column, column)
    return span.line, column, end_line, max(end_column, 1)


def _one_line(text: str) -> str:
    """Printable, and so one line: a newline quoted from the source is shown as ``\\n``."""
    return printable(text)


def _details(d: Diagnostic, lang: str) -> list[str]:
    """The notes and the help line, labelled as the full format labels them."""
    note, help_ = ("note", "help") if lang == "en" else ("注", "帮助")
    lines = [f"{note}: {n.get(lang)}" for n in d.notes]
    if d.help is not None:
        lines.append(f"{help_}: {d.help.get(lang)}")
    return lines


# --- concise -----------------------------------------------------------------------------------


def concise(d: Diagnostic, lang: str) -> str:
    where = _position(d)
    line, column = (where[0], where[1]) if where else (1, 1)
    path = printable(d.file or "<input>")
    return f"{path}:{line}:{column}: {d.code} [{d.severity.value}] {_one_line(d.message.get(lang))}"


# --- json --------------------------------------------------------------------------------------


def to_json(d: Diagnostic, lang: str) -> dict[str, object]:
    span = d.span
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message.get(lang),
        "file": d.file,
        "span": None
        if span is None or span.line == 0
        else {
            "line": span.line,
            "column": span.column,
            "end_line": span.end_line,
            "end_column": span.end_column,
        },
        "help": d.help.get(lang) if d.help else None,
        "notes": [n.get(lang) for n in d.notes],
        "related": [
            {"line": where.line, "column": where.column, "message": text.get(lang)}
            for where, text in d.related
        ],
    }


def json_report(diagnostics: Sequence[Diagnostic], lang: str) -> str:
    return json_text([to_json(d, lang) for d in diagnostics], indent=2)


# --- github ------------------------------------------------------------------------------------

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=…``, ``title=…``): ``:`` and ``,`` would end it early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(d: Diagnostic, lang: str) -> str:
    """One workflow command.  Source text is made printable first (a name's newline becomes
    ``\\n``), then escaped as the runner requires, so no value can end the command early."""
    props = [("file", printable(display_path(d.file)))]
    if (where := _position(d)) is not None:
        line, column, end_line, end_column = where
        props += [
            ("line", str(line)),
            ("col", str(column)),
            ("endLine", str(end_line)),
            ("endColumn", str(end_column)),
        ]
    props.append(("title", f"{d.code} {d.name}"))
    message = "\n".join(printable(part) for part in [d.message.get(lang), *_details(d, lang)])
    head = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{_GITHUB_LEVEL[d.severity]} {head}::{escape_data(message)}"


# --- sarif -------------------------------------------------------------------------------------

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _uri(file: str | None) -> str:
    """A relative URI reference: forward slashes, and percent-encoding for anything else
    (Chinese file names included), as RFC 3986 requires.  The path's bytes are encoded, so a
    name that is not UTF-8 keeps its bytes (``n%FF.pdsl``) instead of failing."""
    return quote(os.fsencode(display_path(file)), safe="/-._~")


def _rules(
    diagnostics: Sequence[Diagnostic], lang: str
) -> tuple[list[dict[str, object]], dict[str, int]]:
    """The registry's entries for the codes found, by code: a new code elsewhere in the
    registry changes neither this list nor any ruleIndex."""
    from perfdsl.diagnostics.codes import REGISTRY

    rules: list[dict[str, object]] = []
    index: dict[str, int] = {}
    for code in sorted({d.code for d in diagnostics if d.code in REGISTRY}):
        entry = REGISTRY[code]
        index[code] = len(rules)
        rules.append(
            {
                "id": entry.code,
                "name": entry.name,
                "shortDescription": {"text": entry.title.get(lang)},
                "fullDescription": {"text": entry.explanation.get(lang)},
                "helpUri": DOCS_PATH.format(code=entry.code),
                "help": {
                    "text": f"perfdsl explain {entry.code}; " + DOCS_PATH.format(code=entry.code)
                },
                "defaultConfiguration": {"level": _SARIF_LEVEL[entry.severity]},
                "properties": {"suppressible": entry.suppressible},
            }
        )
    return rules, index


def _result(d: Diagnostic, lang: str, index: dict[str, int]) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(d.file)}}
    if (where := _position(d)) is not None:
        line, column, end_line, end_column = where
        location["region"] = {
            "startLine": line,
            "startColumn": column,
            "endLine": end_line,
            "endColumn": end_column,
        }
    result: dict[str, object] = {
        "ruleId": d.code,
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": "\n".join([d.message.get(lang), *_details(d, lang)])},
        "locations": [{"physicalLocation": location}],
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    return result


def sarif_report(diagnostics: Sequence[Diagnostic], lang: str) -> str:
    rules, index = _rules(diagnostics, lang)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "perfdsl",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, lang, index) for d in diagnostics],
            }
        ],
    }
    return json_text(log, indent=2)

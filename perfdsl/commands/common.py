"""What several commands share: loading the named files and printing diagnostics."""

from __future__ import annotations

import json
import sys

import click

from perfdsl.diagnostics import Diagnostic
from perfdsl.diagnostics.render import render
from perfdsl.load import Loaded, load_bytes, load_file


def load(path: str) -> Loaded:
    if path == "-":
        return load_bytes(sys.stdin.buffer.read(), "<stdin>")
    return load_file(path)


def is_io_failure(loaded: Loaded) -> bool:
    return loaded.source is None and any(d.code == "PD0001" for d in loaded.diagnostics)


def print_diagnostics(
    diagnostics: list[Diagnostic],
    sources: dict[str, list[str] | None],
    lang: str,
    output_format: str = "full",
    color: bool = False,
) -> None:
    if output_format == "json":
        click.echo(
            json.dumps([to_json(d, lang) for d in diagnostics], ensure_ascii=False, indent=2)
        )
        return
    for d in diagnostics:
        if output_format == "concise":
            where = d.file or "<input>"
            if d.span is not None and d.span.line > 0:
                where += f":{d.span.line}:{d.span.column}"
            click.echo(f"{where}: {d.code} [{d.severity.value}] {d.message.get(lang)}")
        else:
            click.echo(render(d, sources.get(d.file or ""), lang, color=color), err=True)
            click.echo("", err=True)


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
    }

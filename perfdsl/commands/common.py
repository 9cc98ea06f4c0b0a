"""What several commands share: loading the named files and printing diagnostics."""

from __future__ import annotations

import click

from perfdsl.diagnostics import Diagnostic
from perfdsl.diagnostics.render import render
from perfdsl.load import READ_FAILURES, is_io_failure, load_path

__all__ = ["READ_FAILURES", "is_io_failure", "load", "print_diagnostics"]


load = load_path


#: The values of ``check --format``; see :mod:`perfdsl.commands.formats` for the shapes.
OUTPUT_FORMATS = ("full", "concise", "json", "github", "sarif")


#: The formats a file's findings can be written in alone (json and sarif are one document).
PER_FILE_FORMATS = ("full", "concise", "github")


def report_text(
    diagnostics: list[Diagnostic],
    sources: dict[str, list[str] | None],
    lang: str,
    output_format: str = "full",
    color: bool = False,
) -> str:
    """Findings as one of :data:`PER_FILE_FORMATS` prints them (each line ending in a
    newline), so many files' reports can be written apart and put end to end."""
    if output_format == "full":
        return "".join(
            render(d, sources.get(d.file or ""), lang, color=color) + "\n\n" for d in diagnostics
        )
    from perfdsl.commands import formats

    if output_format == "github":
        return "".join(formats.github(d, lang) + "\n" for d in diagnostics)
    if output_format == "concise":
        return "".join(formats.concise(d, lang) + "\n" for d in diagnostics)
    raise ValueError(f"not a per-file format: {output_format!r}")


def print_diagnostics(
    diagnostics: list[Diagnostic],
    sources: dict[str, list[str] | None],
    lang: str,
    output_format: str = "full",
    color: bool = False,
    report: bool = False,
) -> None:
    """Print in one of :data:`OUTPUT_FORMATS`: every machine format to stdout; full to
    stderr where it accompanies a command's output (fmt, build, diff), or to stdout where it
    is the command's report (``report``: ``check F > 报告.txt`` keeps it, as ruff's does)."""
    if output_format in PER_FILE_FORMATS:
        text = report_text(diagnostics, sources, lang, output_format, color)
        click.echo(text, nl=False, err=output_format == "full" and not report)
        return
    from perfdsl.commands import formats

    if output_format == "json":
        click.echo(formats.json_report(diagnostics, lang))
    elif output_format == "sarif":
        click.echo(formats.sarif_report(diagnostics, lang))
    else:
        raise ValueError(f"unknown output format {output_format!r}")


def to_json(d: Diagnostic, lang: str) -> dict[str, object]:
    """One diagnostic as the JSON format writes it (kept here for existing callers)."""
    from perfdsl.commands.formats import to_json as convert

    return convert(d, lang)

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
    if output_format == "full":
        for d in diagnostics:
            click.echo(render(d, sources.get(d.file or ""), lang, color=color), err=not report)
            click.echo("", err=not report)
        return
    from perfdsl.commands import formats

    if output_format == "json":
        click.echo(formats.json_report(diagnostics, lang))
    elif output_format == "sarif":
        click.echo(formats.sarif_report(diagnostics, lang))
    elif output_format == "github":
        for d in diagnostics:
            click.echo(formats.github(d, lang))
    elif output_format == "concise":
        for d in diagnostics:
            click.echo(formats.concise(d, lang))
    else:
        raise ValueError(f"unknown output format {output_format!r}")


def to_json(d: Diagnostic, lang: str) -> dict[str, object]:
    """One diagnostic as the JSON format writes it (kept here for existing callers)."""
    from perfdsl.commands.formats import to_json as convert

    return convert(d, lang)

"""``perfdsl check``: the front end's findings plus every rule, for each file."""

from __future__ import annotations

import click

from perfdsl.check import Context, run
from perfdsl.commands.common import is_io_failure, load, print_diagnostics
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.diagnostics.render import summary


def run_check(files: list[str], lang: str, output_format: str, color: bool) -> int:
    found: list[Diagnostic] = []
    sources: dict[str, list[str] | None] = {}
    io_failure = False
    for path in files:
        loaded = load(path)
        io_failure |= is_io_failure(loaded)
        sources[loaded.path] = loaded.lines
        diagnostics = list(loaded.diagnostics)
        if loaded.document is not None:
            diagnostics += [d.in_file(loaded.path) for d in run(Context(loaded.document))]
        diagnostics.sort(key=lambda d: d.sort_key)
        found.extend(diagnostics)
    print_diagnostics(found, sources, lang, output_format, color)
    if output_format == "full":
        click.echo(summary(found, len(files), lang), err=True)
    if io_failure:
        return 2
    return 1 if any(d.severity is Severity.ERROR for d in found) else 0

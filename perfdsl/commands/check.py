"""``perfdsl check``: the front end's findings plus every rule, for each file.

The judging itself is :func:`perfdsl.pipeline.check_file`, run over many files (in parallel,
from the cache) by :func:`perfdsl.batch.check_all`; this module prints."""

from __future__ import annotations

from functools import partial

import click

from perfdsl.batch import Outcome, check_all
from perfdsl.check.selection import SelectorError, compile_selection
from perfdsl.commands.common import PER_FILE_FORMATS, print_diagnostics, report_text
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.diagnostics.render import summary
from perfdsl.language import from_locale
from perfdsl.output import say
from perfdsl.pipeline import Checked, CheckOptions, check_file
from perfdsl.workspace import WorkspaceError, expand

__all__ = ["CheckOptions", "Checked", "check_file", "run_check"]


def _render(outcome: Outcome, output_format: str, lang: str | None, color: bool) -> str:
    """One file's report, in its configuration's language unless the command line chose."""
    chosen = lang or outcome.lang or from_locale()
    return report_text(list(outcome.diagnostics), outcome.sources, chosen, output_format, color)


def run_check(
    files: list[str], options: CheckOptions, jobs: int | None = None, use_cache: bool = True
) -> int:
    """Check every file (``jobs`` processes, None: every core; findings from the cache where
    nothing changed), print the report in the order of the command line, return the exit code."""
    found: list[Diagnostic] = []
    sources: dict[str, list[str] | None] = {}
    io_failure = False
    strict = bool(options.strict)
    lang = options.lang or from_locale()
    try:
        compile_selection(options.select, options.ignore)
    except SelectorError as exc:
        click.echo(f"perfdsl: {exc.message.get(lang)}", err=True)
        return 2
    try:
        files = [source.path for source in expand(files)]
    except WorkspaceError as exc:
        say(f"perfdsl: {exc.message.get(lang)}")
        return 2
    per_file = options.output_format in PER_FILE_FORMATS
    render = (
        partial(
            _render, output_format=options.output_format, lang=options.lang, color=options.color
        )
        if per_file
        else None
    )
    for outcome in check_all(files, options, jobs, use_cache, render):
        if outcome.fatal is not None:
            say(f"perfdsl: {outcome.fatal.get(lang)}")  # may quote the configuration
            return 2
        lang = options.lang or outcome.lang or from_locale()
        strict = options.strict if options.strict is not None else (strict or outcome.strict)
        io_failure |= outcome.io_failure
        sources.update(outcome.sources)
        found.extend(outcome.diagnostics)
        if outcome.report:
            click.echo(outcome.report, nl=False)  # file by file, as they come, in order
    if not per_file:
        print_diagnostics(found, sources, lang, options.output_format, options.color, report=True)
    if options.output_format == "full":
        click.echo(summary(found, len(files), lang), err=True)
    if io_failure:
        return 2
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in found) else 0

"""``perfdsl check``: the front end's findings plus every rule, for each file.

The judging itself is :func:`perfdsl.pipeline.check_file`; this module prints."""

from __future__ import annotations

import click

from perfdsl import config as configuration
from perfdsl.baseline import BaselineError
from perfdsl.check.selection import SelectorError, compile_selection
from perfdsl.commands.common import print_diagnostics
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.diagnostics.render import summary
from perfdsl.output import say
from perfdsl.pipeline import Checked, CheckOptions, check_file
from perfdsl.workspace import WorkspaceError, expand

__all__ = ["CheckOptions", "Checked", "check_file", "run_check"]


def run_check(files: list[str], options: CheckOptions) -> int:
    found: list[Diagnostic] = []
    sources: dict[str, list[str] | None] = {}
    io_failure = False
    strict = bool(options.strict)
    lang = options.lang or "zh"
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
    for path in files:
        try:
            checked = check_file(path, options)
        except configuration.ConfigError as exc:
            say(f"perfdsl: {exc.message.get(lang)}")  # may quote the configuration
            return 2
        except BaselineError as exc:
            say(f"perfdsl: {exc.message.get(lang)}")
            return 2
        config = checked.config
        lang = options.lang or config.lang or "zh"
        strict = options.strict if options.strict is not None else (strict or config.strict)
        io_failure |= checked.io_failure
        sources.update(checked.sources)
        found.extend(checked.diagnostics)
    print_diagnostics(found, sources, lang, options.output_format, options.color, report=True)
    if options.output_format == "full":
        click.echo(summary(found, len(files), lang), err=True)
    if io_failure:
        return 2
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in found) else 0

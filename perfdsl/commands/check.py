"""``perfdsl check``: the front end's findings plus every rule, for each file."""

from __future__ import annotations

import attrs
import click

from perfdsl import config as configuration
from perfdsl.check import Context, run
from perfdsl.commands.common import is_io_failure, load, print_diagnostics
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.diagnostics.render import summary


@attrs.frozen
class CheckOptions:
    lang: str | None = None
    output_format: str = "full"
    strict: bool | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    framework: str | None = None
    color: bool = False


def check_file(
    path: str, options: CheckOptions
) -> tuple[list[Diagnostic], list[str] | None, bool, configuration.Config]:
    """Diagnostics for one file, its lines, whether it could not be read, and its config.

    Raises ConfigError when the file's configuration is broken.
    """
    config = configuration.for_file(path)
    loaded = load(path)
    diagnostics = list(loaded.diagnostics)
    # The rules read a whole, well-formed document: after a syntax or structure error they
    # would only report the consequences of the part that could not be read.
    if loaded.document is not None and loaded.ok:
        context = Context(loaded.document, config, options.framework)
        found = run(context, options.select, options.ignore)
        diagnostics += [d.in_file(loaded.path) for d in found]
    diagnostics.sort(key=lambda d: d.sort_key)
    return diagnostics, loaded.lines, is_io_failure(loaded), config


def run_check(files: list[str], options: CheckOptions) -> int:
    found: list[Diagnostic] = []
    sources: dict[str, list[str] | None] = {}
    io_failure = False
    strict = bool(options.strict)
    lang = options.lang or "zh"
    for path in files:
        try:
            diagnostics, lines, failed, config = check_file(path, options)
        except configuration.ConfigError as exc:
            click.echo(f"perfdsl: {exc.message.get(lang)}", err=True)
            return 2
        lang = options.lang or config.lang or "zh"
        strict = options.strict if options.strict is not None else (strict or config.strict)
        io_failure |= failed
        sources[path if path != "-" else "<stdin>"] = lines
        found.extend(diagnostics)
    print_diagnostics(found, sources, lang, options.output_format, options.color)
    if options.output_format == "full":
        click.echo(summary(found, len(files), lang), err=True)
    if io_failure:
        return 2
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in found) else 0

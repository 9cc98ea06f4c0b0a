"""``perfdsl check``: the front end's findings plus every rule, for each file."""

from __future__ import annotations

import attrs
import click

from perfdsl import config as configuration
from perfdsl.check import Context, run
from perfdsl.check.selection import SelectorError, compile_selection
from perfdsl.commands.common import is_io_failure, load, print_diagnostics
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.diagnostics.render import summary
from perfdsl.load import Loaded
from perfdsl.output import say


@attrs.frozen
class CheckOptions:
    lang: str | None = None
    output_format: str = "full"
    strict: bool | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    framework: str | None = None
    color: bool = False


@attrs.frozen
class Checked:
    """One file after the front end and the rules: what ``check`` prints and ``build`` needs."""

    loaded: Loaded
    diagnostics: list[Diagnostic]
    config: configuration.Config

    @property
    def lines(self) -> list[str] | None:
        return self.loaded.lines

    @property
    def io_failure(self) -> bool:
        return is_io_failure(self.loaded)


def check_file(path: str, options: CheckOptions) -> Checked:
    """Load one file, run every rule on it, and sort the findings by position.

    Raises ConfigError when the file's configuration is broken, SelectorError when
    ``options`` name a rule that does not exist.
    """
    config = configuration.for_file(path)
    # The command line's selection replaces the configuration's ``select``; ignores add up.
    selection = compile_selection(
        options.select or config.select, (*config.ignore, *options.ignore)
    )
    loaded = load(path)
    diagnostics = list(loaded.diagnostics)
    # The rules read a whole, well-formed document: after a syntax or structure error they
    # would only report the consequences of the part that could not be read.
    if loaded.document is not None and loaded.ok:
        context = Context(loaded.document, config, options.framework)
        found = run(context, selection)
        diagnostics += [d.in_file(loaded.path) for d in found]
    diagnostics.sort(key=lambda d: d.sort_key)
    return Checked(loaded, diagnostics, config)


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
    for path in files:
        try:
            checked = check_file(path, options)
        except configuration.ConfigError as exc:
            say(f"perfdsl: {exc.message.get(lang)}")  # may quote the configuration
            return 2
        config = checked.config
        lang = options.lang or config.lang or "zh"
        strict = options.strict if options.strict is not None else (strict or config.strict)
        io_failure |= checked.io_failure
        sources[checked.loaded.path] = checked.lines
        found.extend(checked.diagnostics)
    print_diagnostics(found, sources, lang, options.output_format, options.color)
    if options.output_format == "full":
        click.echo(summary(found, len(files), lang), err=True)
    if io_failure:
        return 2
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in found) else 0

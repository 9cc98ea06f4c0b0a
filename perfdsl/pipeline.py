"""Read → configure → parse → check: how every command turns a path into a judged document.

Like Beancount's loader, this is library code, not CLI code: ``check``, ``build``, ``diff`` and
the tests all call :func:`check_file`, so a file is judged the same way everywhere.

1. the configuration that applies to the file (``perfdsl.toml`` found upwards);
2. the templates it can name: its own header's, ``*.template.toml`` files upwards, the
   configuration's ``[templates]``, the built-in ones (a broken user template is a positioned
   diagnostic, and the built-in ones are used meanwhile);
3. the file read and parsed with those templates;
4. the rules, only when the front end found no error (after a syntax or structure error they
   would only report the consequences of the part that could not be read).
"""

from __future__ import annotations

import attrs

from perfdsl import config as configuration
from perfdsl.baseline import load_baseline
from perfdsl.check import Context, run
from perfdsl.check.selection import compile_selection
from perfdsl.diagnostics import Diagnostic
from perfdsl.load import Loaded, is_io_failure, load_path
from perfdsl.standards.templates import Catalog, Template, TemplateError, catalog, for_document


@attrs.frozen
class CheckOptions:
    lang: str | None = None
    output_format: str = "full"
    strict: bool | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    framework: str | None = None
    color: bool = False
    #: Last year's file, a git revision or REV:PATH (``check --baseline``).
    baseline: str | None = None


@attrs.frozen
class Checked:
    """One file after the front end and the rules: what ``check`` prints and ``build`` needs."""

    loaded: Loaded
    diagnostics: list[Diagnostic]
    config: configuration.Config
    catalog: Catalog

    @property
    def lines(self) -> list[str] | None:
        return self.loaded.lines

    @property
    def sources(self) -> dict[str, list[str] | None]:
        """The lines of every file the diagnostics may point into (templates included)."""
        return {**self.loaded.template_sources, self.loaded.path: self.loaded.lines}

    @property
    def io_failure(self) -> bool:
        return is_io_failure(self.loaded)

    def template(self, override: str | None = None) -> Template:
        """The template the document prints in (``override``: a name from the command line)."""
        assert self.loaded.document is not None
        return for_document(self.loaded.document, self.catalog, override)


def templates_for(path: str, config: configuration.Config) -> tuple[Catalog, list[Diagnostic]]:
    """The templates a source at ``path`` can name, and any mistake in the user's ones."""
    try:
        found = config.catalog(path)
    except TemplateError as exc:  # (the default template the configuration names is unknown)
        return catalog(), [exc.diagnostic]
    return found, list(found.problems)


@attrs.frozen
class Read:
    """A file read and parsed with its configuration's templates (the rules not yet run)."""

    loaded: Loaded
    config: configuration.Config
    catalog: Catalog
    #: Mistakes in the user's templates (then the file was read with the built-in ones).
    problems: tuple[Diagnostic, ...] = ()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.problems, *self.loaded.diagnostics]

    @property
    def sources(self) -> dict[str, list[str] | None]:
        return {**self.loaded.template_sources, self.loaded.path: self.loaded.lines}


def read_file(path: str, config: configuration.Config | None = None) -> Read:
    """Steps 1–3: the configuration (ConfigError if broken), the templates, the parse."""
    config = config or configuration.for_file(path)
    found, problems = templates_for(path, config)
    loaded = load_path(path, found)
    if problems:
        loaded = attrs.evolve(loaded, template_sources={**found.sources, **_sources(config)})
    return Read(loaded, config, found, tuple(problems))


def check_file(path: str, options: CheckOptions) -> Checked:
    """Load one file, run every rule on it, and sort the findings by position.

    Raises ConfigError when the file's configuration is broken, SelectorError when
    ``options`` name a rule that does not exist, BaselineError when ``options.baseline``
    names nothing that can be read.
    """
    config = configuration.for_file(path)
    # The command line's selection replaces the configuration's ``select``; ignores add up.
    selection = compile_selection(
        options.select or config.select, (*config.ignore, *options.ignore)
    )
    read = read_file(path, config)
    loaded, found = read.loaded, read.catalog
    diagnostics = read.diagnostics
    if loaded.document is not None and loaded.ok and not read.problems:
        baseline = load_baseline(options.baseline, path) if options.baseline else None
        context = Context(loaded.document, config, options.framework, found, baseline)
        diagnostics += [d.in_file(loaded.path) for d in run(context, selection)]
    diagnostics.sort(key=lambda d: d.sort_key)
    return Checked(loaded, diagnostics, config, found)


def _sources(config: configuration.Config) -> dict[str, list[str]]:
    if config.path is None or not config.text:
        return {}
    return {str(config.path): config.text.split("\n")}

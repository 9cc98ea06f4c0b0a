"""The command line: parse the arguments, call the library, set the exit code.

Exit codes: 0 clean (or warnings only), 1 errors in a file (or, with ``fmt --check``, a file
that would change), 2 usage or I/O problems.  Heavy libraries (python-docx, templates) are
imported inside the commands that need them, so ``check`` and ``--help`` start instantly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from perfdsl import __version__
from perfdsl.gcpause import tune_for_run
from perfdsl.output import configure_streams, say


def rule_selection(command):
    """--select/--ignore/--framework, shared by check and build so both judge a file alike."""
    for option in reversed(
        (
            click.option(
                "--select",
                multiple=True,
                metavar="RULES",
                help="Only these rules (names, codes or prefixes such as PD5; comma-separated "
                "or repeated).",
            ),
            click.option("--ignore", multiple=True, metavar="RULES", help="Never these rules."),
            click.option(
                "--framework",
                default=None,
                metavar="NAME",
                help="Indicator framework (2015, 2021 or a local one), overriding the file.",
            ),
        )
    ):
        command = option(command)
    return command


LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of messages (中文 / English); default zh, or `lang` in perfdsl.toml.",
)


class _Guarded(click.Group):
    """The last line of defence: no input may ever show a user a Python traceback.

    Every command reports its own problems as diagnostics; anything that still escapes is a
    defect in perfdsl, reported in one line with exit code 2.  Before anything is printed,
    stdout and stderr are set to degrade rather than fail in an encoding that lacks a
    character (:func:`perfdsl.output.configure_streams`): once here, for every command.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        configure_streams()
        tune_for_run()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:  # `perfdsl check ... | head`: the reader has gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            say(
                f"perfdsl: 内部错误 / internal error: {type(exc).__name__}: {exc}"
                " — 这是 perfdsl 的缺陷，请报告 / a defect in perfdsl, please report it"
            )
            sys.exit(2)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfdsl")
def main() -> None:
    """perfdsl: 项目支出绩效目标表 as code — check, format and build the official tables."""


def _isatty(stream: object) -> bool:
    """Whether ``stream`` is a terminal; a stream closed at start-up (``2>&-``) is None."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _color() -> bool:
    return _isatty(sys.stderr)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of messages (中文 / English); default zh, or `lang` in perfdsl.toml.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["full", "concise", "json", "github", "sarif"]),
    default="full",
    show_default=True,
    help="How to print diagnostics: for people (full), editors and grep (concise), "
    "programs (json), GitHub Actions annotations (github) or code scanning (sarif).",
)
@click.option("--strict", is_flag=True, default=None, help="Warnings fail the check too (exit 1).")
@click.option(
    "--baseline",
    default=None,
    metavar="FILE|REV",
    help="Compare with last year's file (a path, a git revision, or REV:PATH): targets "
    "lowered, rows copied unchanged, indicators dropped (notes).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Check N files at a time (default: every core available).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file again, even one whose findings are in the cache.",
)
@rule_selection
def check(
    files: Sequence[str],
    lang: str | None,
    output_format: str,
    strict: bool | None,
    baseline: str | None,
    jobs: int | None,
    no_cache: bool,
    select: Sequence[str],
    ignore: Sequence[str],
    framework: str | None,
) -> None:
    """Check FILES (files, folders: every .pdsl under them, globs) and report every problem
    found (exit 1 on errors)."""
    from perfdsl.commands.check import CheckOptions, run_check

    options = CheckOptions(
        lang=lang,
        output_format=output_format,
        strict=strict,
        select=_split(select),
        ignore=_split(ignore),
        framework=framework,
        color=_color(),
        baseline=baseline,
    )
    sys.exit(run_check(list(files), options, jobs, use_cache=not no_cache))


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@main.command()
@click.argument("code", required=False)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def explain(code: str | None, lang: str) -> None:
    """Explain a diagnostic CODE (or rule name); without one, list them all."""
    from perfdsl.commands.explain import run_explain

    sys.exit(run_explain(code, lang))


@main.command(name="fmt")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print what would change; write nothing.")
@LANG
def fmt(files: Sequence[str], check_only: bool, show_diff: bool, lang: str | None) -> None:
    """Rewrite FILES in the one canonical form ('-' reads stdin, writes stdout)."""
    from perfdsl.commands.fmt import run_fmt

    sys.exit(run_fmt(list(files), check_only, show_diff, lang=lang, color=_color()))


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from perfdsl.commands.build import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Directory to write the outputs to (created if missing).",
)
@click.option(
    "--to",
    "formats",
    default="docx,json,html",
    show_default=True,
    metavar="FORMATS",
    callback=_formats,
    help="Comma-separated output formats: docx, json, html, pdf (pdf needs LibreOffice).",
)
@click.option(
    "--template",
    "--layout",
    "template",
    default=None,
    metavar="NAME",
    help="Template to print in (tianjin, mof2015, …); overrides the source's 模板.",
)
@click.option("--force", is_flag=True, help="Build even a source with errors (still exit 1).")
@click.option(
    "--name",
    default=None,
    metavar="NAME",
    help="The outputs' name for a source read from standard input ('-'): NAME.docx, ….",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of messages (中文 / English); default zh, or `lang` in perfdsl.toml.",
)
@rule_selection
def build(
    files: Sequence[str],
    out_dir: str,
    formats: tuple[str, ...],
    template: str | None,
    force: bool,
    name: str | None,
    lang: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    framework: str | None,
) -> None:
    """Build FILES (files, folders, globs) into DIR as <name>.docx, <name>.json and
    <name>.html (and <name>.pdf with --to pdf), mirroring their folders (2024/X.pdsl →
    DIR/2024/X.docx); exit 1 on errors."""
    from perfdsl.commands.build import run_build

    sys.exit(
        run_build(
            list(files),
            out_dir,
            formats,
            template,
            force,
            lang=lang,
            color=_color(),
            framework=framework,
            select=_split(select),
            ignore=_split(ignore),
            name=name,
        )
    )


class _DiffCommand(click.Command):
    """Keeps what follows ``--`` apart, as git does: ``diff REV [REV] -- FILE``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["perfdsl.diff.after"] = args[at + 1 :]
            args = args[:at]
        # git difftool passes the working-tree file as $REMOTE, which may be "-x.pdsl": an
        # existing file that is not one of our options is a file, so spell it "./-x.pdsl".
        options = {name for p in self.get_params(ctx) for name in (*p.opts, *p.secondary_opts)}
        args = [
            f"./{arg}"
            if arg.startswith("-")
            and arg != "-"
            and arg.split("=")[0] not in options
            and os.path.lexists(arg)
            else arg
            for arg in args
        ]
        return super().parse_args(ctx, args)


@main.command(cls=_DiffCommand)
@click.argument("args", nargs=-1, metavar="[OLD NEW | REV [REV]] [--] [PATH...]")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a merge-request comment, json for programs.",
)
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when there are changes, 0 when there are none."
)
@LANG
def diff(args: Sequence[str], output_format: str, exit_code: bool, lang: str | None) -> None:
    """Show what changed, by table path, with exact money deltas.

    \b
    perfdsl diff OLD.pdsl NEW.pdsl       two files
    perfdsl diff OLD_DIR NEW_DIR         the files of two folders (2024 2025)
    perfdsl diff REV [--] FILE           FILE at a git revision against the working tree
    perfdsl diff REV1 REV2 [--] FILE     FILE between two git revisions
    perfdsl diff REV1 REV2               every changed .pdsl of a change, with totals
    perfdsl diff [REV] [--] DIR          every changed .pdsl under DIR
    perfdsl diff                         every uncommitted change

    Formatting alone (spacing, comments, key order, English keywords) is not a change.
    """
    from perfdsl.commands.diff import DiffOptions, run_diff
    from perfdsl.config import lang_for

    after = click.get_current_context().meta.get("perfdsl.diff.after")
    named = [a for a in [*args, *(after or [])] if os.path.exists(a)]
    language = lang_for(lang, named[-1] if named else None)
    options = DiffOptions(output_format, exit_code, language, color=_isatty(sys.stdout))
    sys.exit(run_diff(list(args), after, options))


@main.command(name="import")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="OUT.pdsl|DIR",
    help="Where to write: a .pdsl file (one input) or a folder (<stem>.pdsl each); "
    "default standard output.",
)
@click.option("--template", default=None, metavar="NAME", help="Read the tables in this template.")
@LANG
def import_(
    files: Sequence[str], output: str | None, template: str | None, lang: str | None
) -> None:
    """Import Word (.docx), Excel (.xlsx) and PDF tables as perfdsl source (.doc/.xls through
    LibreOffice); exit 1 when a cell could not be placed, 2 when a file cannot be read."""
    from perfdsl.commands.import_ import run_import
    from perfdsl.config import lang_for

    sys.exit(run_import(files, output, template, lang_for(lang, output)))


@main.command()
@click.argument("file")
@click.option(
    "--unit", default=None, metavar="UNIT", help='The unit: "215101 天津市北辰区人民法院".'
)
@click.option("--year", default=None, metavar="YEAR", help="The budget year (2025).")
@click.option(
    "--template", default=None, metavar="NAME", help="The template (tianjin, mof2015, …)."
)
@click.option(
    "--project",
    "projects",
    multiple=True,
    metavar="NAME",
    help="A table to write (repeatable); with an existing FILE, added at its end.",
)
@LANG
def new(
    file: str,
    unit: str | None,
    year: str | None,
    template: str | None,
    projects: Sequence[str],
    lang: str | None,
) -> None:
    """Write FILE from a template, ready to fill in ('-' prints it); an existing FILE is
    never overwritten: with --project, the tables are added to it."""
    from perfdsl.commands.new import run_new

    sys.exit(run_new(file, unit, year, template, projects, lang))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
def textconv(file: str) -> None:
    """Print a .docx as text (headings, paragraphs, table rows) for `git diff`.

    Set up once per repository:

    \b
    echo '*.docx diff=docx' >> .gitattributes
    git config diff.docx.textconv 'perfdsl textconv'
    """
    from perfdsl.commands.textconv import run_textconv

    sys.exit(run_textconv(file))


if __name__ == "__main__":  # pragma: no cover
    main()

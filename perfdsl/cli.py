"""The command line: parse the arguments, call the library, set the exit code.

Exit codes: 0 clean (or warnings only), 1 errors in a file (or, with ``fmt --check``, a file
that would change), 2 usage or I/O problems.  Heavy libraries (python-docx, templates) are
imported inside the commands that need them, so ``check`` and ``--help`` start instantly.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from perfdsl import __version__

LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of messages (中文 / English).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfdsl")
def main() -> None:
    """perfdsl: 项目支出绩效目标表 as code — check, format and build the official tables."""


def _color() -> bool:
    return sys.stderr.isatty()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@LANG
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["full", "concise", "json"]),
    default="full",
    show_default=True,
    help="How to print diagnostics.",
)
def check(files: Sequence[str], lang: str, output_format: str) -> None:
    """Check FILES and report every problem found (exit 1 on errors)."""
    from perfdsl.commands.check import run_check

    sys.exit(run_check(list(files), lang=lang, output_format=output_format, color=_color()))


@main.command(name="fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print what would change; write nothing.")
@LANG
def fmt(files: Sequence[str], check_only: bool, show_diff: bool, lang: str) -> None:
    """Rewrite FILES in the one canonical form ('-' reads stdin, writes stdout)."""
    from perfdsl.commands.fmt import run_fmt

    sys.exit(run_fmt(list(files), check_only, show_diff, lang=lang, color=_color()))


if __name__ == "__main__":  # pragma: no cover
    main()

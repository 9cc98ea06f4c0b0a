"""``perfdsl fmt``: rewrite files in canonical form, or say which would change."""

from __future__ import annotations

import difflib

import click

from perfdsl.atomic import write_atomic
from perfdsl.commands.common import is_io_failure, print_diagnostics
from perfdsl.config import ConfigError, lang_for
from perfdsl.diagnostics import Severity
from perfdsl.fmt import to_file_text
from perfdsl.output import printable, say, write_source
from perfdsl.pipeline import read_file
from perfdsl.workspace import WorkspaceError, expand


def _lines(text: str) -> list[str]:
    """Lines with their "\\n", split at "\\n" only: str.splitlines also splits at form feeds,
    U+2028 and the like, which belong inside their line (where they are shown escaped)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _diff(path: str, old: str, new: str, color: bool) -> str:
    """A unified diff for a terminal: each line printable (a control character in the source
    is shown escaped, never sent to the terminal), coloured when asked."""
    lines = difflib.unified_diff(_lines(old), _lines(new), path, path)
    out = []
    for line in lines:
        shown = printable(line.removesuffix("\n"))
        if color and line.startswith("+") and not line.startswith("+++"):
            shown = click.style(shown, fg="green")
        elif color and line.startswith("-") and not line.startswith("---"):
            shown = click.style(shown, fg="red")
        out.append(shown + "\n")
    return "".join(out)


def run_fmt(
    files: list[str], check_only: bool, show_diff: bool, lang: str | None, color: bool
) -> int:
    status = 0
    chosen = lang
    try:
        files = [source.path for source in expand(files)]
    except WorkspaceError as exc:
        say(f"perfdsl: {exc.message.get(lang_for(chosen))}")
        return 2
    for path in files:
        lang = lang_for(chosen, path)  # (each file's own configuration)
        try:
            read = read_file(path)
        except ConfigError as exc:
            say(f"perfdsl: {exc.message.get(lang)}")
            status = 2
            continue
        loaded = read.loaded
        errors = [d for d in read.diagnostics if d.severity is Severity.ERROR]
        if loaded.document is None or errors:
            print_diagnostics(read.diagnostics, read.sources, lang, color=color)
            message = {
                "zh": f"{loaded.path}：有错误，未格式化",
                "en": f"{loaded.path}: has errors, not formatted",
            }[lang]
            say(message)
            status = max(status, 2 if is_io_failure(loaded) else 1)
            continue
        assert loaded.source is not None
        new = to_file_text(loaded.document, loaded.source.lines, read.catalog)
        old = ("\ufeff" if loaded.source.bom else "") + loaded.source.text.replace(
            "\n", loaded.source.line_ending
        )
        changed = new != old or loaded.source.encoding != "utf-8"
        if path == "-" and not (check_only or show_diff):
            # (With --check or --diff, stdin is checked like a file.)  The output is the
            # formatted file itself, so it is UTF-8 wherever it goes, as fmt writes every file:
            # in a console's encoding it would lose what that encoding lacks.
            write_source(new)
            continue
        if changed and loaded.source.encoding != "utf-8":
            # The text may already be canonical: what changes is the encoding, say so.
            encoding = loaded.source.encoding.upper()
            say(
                {
                    "zh": f"{path}：文件是 {encoding} 编码，格式化会把它改存为 UTF-8",
                    "en": f"{path}: the file is {encoding}; formatting saves it as UTF-8",
                }[lang]
            )
        if show_diff and changed:
            click.echo(_diff(path, old.lstrip("\ufeff"), new.lstrip("\ufeff"), color), nl=False)
        if check_only or show_diff:
            if changed:
                if check_only:
                    say({"zh": f"需要格式化：{path}", "en": f"would reformat {path}"}[lang])
                status = max(status, 1)
            continue
        if changed:
            try:
                write_atomic(path, new.encode("utf-8"))
            except OSError as exc:  # a read-only file or directory, a full disk: no traceback
                reason = exc.strerror or type(exc).__name__
                say(
                    {
                        "zh": f"perfdsl: 无法写入 {path}：{reason}（原文件未改动）",
                        "en": f"perfdsl: cannot write {path}: {reason} (the file is unchanged)",
                    }[lang]
                )
                status = 2
                continue
            say({"zh": f"已格式化：{path}", "en": f"reformatted {path}"}[lang])
    return status

"""``perfdsl import FILE... [-o OUT.pdsl | -o DIR] [--template NAME]``: tables → source.

Each file's tables are recognised (:mod:`perfdsl.importer`), written in canonical form next to
where ``-o`` says (one file: ``-o OUT.pdsl``; several, or a folder: ``-o DIR`` gets
``<stem>.pdsl`` each; no ``-o``: standard output), and a report says, table by table, what was
recognised and every cell that was not.  Exit 0 when every cell was placed, 1 when something
was left over (or no table was found), 2 when a file could not be read at all.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from perfdsl.diagnostics import Diagnostic, Msg, Severity
from perfdsl.diagnostics import codes as C
from perfdsl.diagnostics.render import render
from perfdsl.output import say


def _emit(diagnostic: Diagnostic, lang: str) -> None:
    click.echo(render(diagnostic, None, lang), err=True)


def run_import(files: Sequence[str], output: str | None, template: str | None, lang: str) -> int:
    from perfdsl import config as configuration
    from perfdsl.atomic import WriteError, write_atomic
    from perfdsl.importer import SUFFIXES, Unreadable, import_file
    from perfdsl.pipeline import templates_for
    from perfdsl.standards.templates import TemplateError
    from perfdsl.workspace import WorkspaceError, expand

    try:
        sources = expand(files, SUFFIXES)
    except WorkspaceError as exc:
        say(f"perfdsl import: {exc.message.get(lang)}")
        return 2
    to_dir = output is not None and (
        len(sources) > 1 or os.path.isdir(output) or output.endswith(os.sep)
    )
    worst = 0
    for source in sources:
        path = source.path
        target = None
        if output is not None:  # a folder: the files' tree mirrored, each as .pdsl
            place = os.path.join(output, *source.relative.with_suffix(".pdsl").parts)
            target = place if to_dir else output
        where = target or path
        try:
            config = configuration.for_file(where)
            catalog, _problems = templates_for(where, config)
            chosen = catalog.named(template, None, "<command line>") if template else None
        except TemplateError as exc:
            _emit(exc.diagnostic, lang)
            return 2
        except Exception as exc:  # a broken perfdsl.toml
            say(f"perfdsl import: {where}: {exc}")
            return 2
        try:
            imported = import_file(path, catalog, chosen)
        except Unreadable as exc:
            _emit(
                C.IMPORT_UNREADABLE.at(None, Msg(exc.zh, exc.en)).in_file(path),
                lang,
            )
            worst = 2
            continue
        report = imported.report
        if imported.text is None:
            _emit(C.IMPORT_NO_TABLE.at(None).in_file(path), lang)
            worst = max(worst, 1)
            continue
        for line in report.lines(lang):
            click.echo(line, err=True)
        for leftover in report.leftovers:
            message = Msg(
                f"第 {leftover.table} 个表格第 {leftover.row} 行第 {leftover.column} 列"
                f"“{leftover.text}”没有放进源文件：{leftover.why}",
                f"grid {leftover.table}, row {leftover.row}, column {leftover.column}: "
                f"“{leftover.text}” was not placed: {leftover.why}",
            )
            _emit(C.IMPORT_LEFTOVER.at(None, message).in_file(path), lang)
        for refused in report.refused:
            message = Msg(
                f"写出的源文件有错误：{refused.zh}",
                f"the written source has an error: {refused.en}",
            )
            _emit(C.IMPORT_LEFTOVER.at(None, message, severity=Severity.ERROR).in_file(path), lang)
        for note in report.notes:
            _emit(C.IMPORT_GUESS.at(None, Msg(note.zh, note.en)).in_file(path), lang)
        if target is None:
            click.echo(imported.text, nl=False)
        else:
            if to_dir:
                os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            try:
                write_atomic(target, imported.text.encode("utf-8"))
            except (OSError, WriteError) as exc:
                say(f"perfdsl import: {target}: {exc}")
                return 2
            say(f"已写出 {target}" if lang == "zh" else f"wrote {target}")
        if not report.clean:
            worst = max(worst, 1)
    return worst

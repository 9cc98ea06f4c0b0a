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


def _template_place(output: str | None, to_dir: bool, name: str) -> tuple[str | None, Msg | None]:
    """Where ``--save-template NAME`` writes: NAME.template.toml in the folder ``-o`` names
    (or holds the output file), where ``check`` and ``build`` of the sources find it."""
    if output is None:
        return None, Msg("--save-template 需要 -o：模板写在源文件旁边", "--save-template needs -o")
    if not name.strip() or any(c in name for c in "/\\") or name.startswith("."):
        return None, Msg(f"模板名称“{name}”不能当文件名", f"“{name}” cannot name a file")
    folder = output if to_dir else (os.path.dirname(output) or ".")
    place = os.path.join(folder, f"{name}.template.toml")
    if os.path.exists(place):
        return None, Msg(f"{place} 已经有了，不覆盖", f"{place} exists; not overwritten")
    return place, None


def run_import(
    files: Sequence[str],
    output: str | None,
    template: str | None,
    lang: str,
    save_template: str | None = None,
) -> int:
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
    if to_dir and output is not None:
        # 附件/x.docx and 附件/x.pdf would both write x.pdsl: refused before anything is written
        # (casefold: macOS and Windows folders ignore case), as build refuses its own.
        seen: dict[str, str] = {}
        for source in sources:
            place = os.path.join(output, *source.relative.with_suffix(".pdsl").parts)
            earlier = seen.setdefault(place.casefold(), source.path)
            if earlier != source.path:
                why = Msg(
                    f"{earlier} 和 {source.path} 会写出同一个 {place}，请分两次导入到不同目录",
                    f"{earlier} and {source.path} would both write {place}; "
                    "import them into different folders",
                )
                say(f"perfdsl import: {why.get(lang)}")
                return 2
    saving: str | None = None
    if save_template is not None:
        saving, why = _template_place(output, to_dir, save_template)
        if why is not None:
            say(f"perfdsl import: {why.get(lang)}")
            return 2
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
        if saving is not None and imported.adaptation and save_template is not None:
            from perfdsl.importer.adapt import template_file

            text = template_file(imported.adaptation, imported.base, os.path.basename(path))
            try:
                os.makedirs(os.path.dirname(saving) or ".", exist_ok=True)
                write_atomic(saving, text.encode("utf-8"))
            except (OSError, WriteError) as exc:
                say(f"perfdsl import: {saving}: {exc}")
                return 2
            say(f"已写出模板 {saving}" if lang == "zh" else f"wrote template {saving}")
            saving = None
            # Read again with it: the source names the template, its header adapts no more.
            try:
                catalog, _problems = templates_for(where, configuration.for_file(where))
                again = catalog.named(save_template, None, "<command line>")
                imported = import_file(path, catalog, again)
            except (TemplateError, Unreadable) as exc:  # (never expected: it was just read)
                say(f"perfdsl import: {exc}")
                return 2
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

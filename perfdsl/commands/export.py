"""``perfdsl export PATH... --to xlsx|csv|sqlite -o OUT [--lang zh|en]``: the command.

It checks the arguments (nothing is written when they are wrong), stages every file's rows
(:class:`perfdsl.export.stage.Stage`), writes the output (the staged database renamed over
OUT, or the sheets of :mod:`perfdsl.export.sheets` as CSV files or a workbook), prints the
files' errors and what was written, and returns the exit code: 0, 1 when a source had errors
(it is still exported as far as it reads), 2 for a usage or I/O problem (nothing written).
:mod:`perfdsl.export` says what is where.

The workbook is written by :mod:`perfdsl.export.xlsx` itself: no library to install.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from perfdsl.diagnostics import Msg, Severity
from perfdsl.output import say

if TYPE_CHECKING:
    import sqlite3

    from perfdsl.export.sheets import Sheet
    from perfdsl.export.stage import Stage

FORMATS: Final = ("xlsx", "csv", "sqlite")

#: The ending of the database being written (a hidden file beside an ``sqlite`` output).
STAGE_SUFFIX: Final = ".perfdsl-export.tmp"


class ExportError(Exception):
    """A usage or I/O problem: nothing is written, exit 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def _stage_file(directory: Path | None, name: str) -> str:
    """The database the rows go to: beside the output for ``sqlite`` (so that the rename is
    atomic), in the temporary folder otherwise.  Not named like :mod:`perfdsl.atomic`'s
    temporaries, so that a build or export writing into the same folder meanwhile (which
    deletes those as debris) leaves it alone."""
    try:
        fd, path = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=STAGE_SUFFIX)
    except OSError as exc:
        raise ExportError(
            Msg(
                f"输出目录 {directory} 不可写（{exc.strerror or type(exc).__name__}），未写出任何文件",
                f"the output directory {directory} is not writable "
                f"({exc.strerror or type(exc).__name__}); nothing was written",
            )
        ) from None
    os.close(fd)
    return path


def _prepare(to: str, out: str, sources: Sequence[str]) -> tuple[Path, str]:
    """The directory the output goes to, and the name the temporary database takes."""
    target = Path(out)
    named = {_identity(Path(s)) for s in sources if s != "-"}
    if to == "csv":
        if target.exists() and not target.is_dir():
            raise ExportError(
                Msg(
                    f"--to csv 写出一个目录，而 {out} 是一个文件",
                    f"--to csv writes a folder, and {out} is a file",
                )
            )
        # (created when the files are written: a run that fails leaves no empty folder)
        for name in ("indicators", "projects", "units"):
            if _identity(target / f"{name}.csv") in named:
                raise ExportError(_overwrites(str(target / f"{name}.csv")))
        return target, "export"
    if target.is_dir() or out.endswith(("/", os.sep)):
        raise ExportError(
            Msg(
                f"--to {to} 写出一个文件，而 {out} 是一个目录；请写成 -o {os.path.join(out, 'export.' + to)}",
                f"--to {to} writes one file, and {out} is a folder; "
                f"try -o {os.path.join(out, 'export.' + to)}",
            )
        )
    if _identity(target) in named:
        raise ExportError(_overwrites(out))
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(
            Msg(f"输出目录 {parent} 不存在", f"the output folder {parent} does not exist")
        )
    return parent, target.name


def _overwrites(path: str) -> Msg:
    return Msg(
        f"输出 {path} 会覆盖一个源文件，请换一个 -o",
        f"the output {path} would overwrite a source; choose another -o",
    )


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def run_export(paths: Sequence[str], to: str, out: str, lang: str | None) -> int:
    """Export every file ``paths`` name; return the exit code (0, 1: a source had errors,
    2: usage or I/O, nothing written).  Never raises but KeyboardInterrupt."""
    from perfdsl.config import lang_for

    speak = lang_for(lang, paths[0] if paths else None)
    headers = lang or "zh"  # the outputs never depend on the locale
    try:
        return _run(paths, to, out, headers, speak)
    except ExportError as exc:
        say(f"perfdsl export: {exc.message.get(speak)}")
        return 2


def _run(paths: Sequence[str], to: str, out: str, headers: str, speak: str) -> int:
    from perfdsl.atomic import WriteError, recover, write_all_atomic, write_atomic
    from perfdsl.baseline import BaselineError
    from perfdsl.collect import collect
    from perfdsl.commands.common import print_diagnostics
    from perfdsl.config import ConfigError
    from perfdsl.emit.timestamp import TimestampError, build_timestamp, epoch_from_environment
    from perfdsl.export.csv import csv_bytes
    from perfdsl.export.sheets import sheets
    from perfdsl.export.stage import Stage
    from perfdsl.load import READ_FAILURES
    from perfdsl.workspace import WorkspaceError, expand

    if to not in FORMATS:
        raise ExportError(
            Msg(
                f"不认识的格式 {to}；可选：{'、'.join(FORMATS)}",
                f"unknown format {to}; choose from {', '.join(FORMATS)}",
            )
        )
    try:
        epoch_from_environment()
    except TimestampError as exc:
        raise ExportError(exc.message) from None
    try:
        sources = expand(paths)
    except WorkspaceError as exc:
        raise ExportError(exc.message) from None
    directory, name = _prepare(to, out, [s.path for s in sources])
    recover(directory)  # what a killed export (or build) left there
    staged = _stage_file(directory if to == "sqlite" else None, name)
    stage: Stage | None = None
    try:
        stage = Stage(staged)
        for unit in collect(paths):
            unreadable = [d for d in unit.diagnostics if d.code in READ_FAILURES]
            if unit.document is None and unreadable:  # not there, or not readable: I/O
                said = unreadable[0].message
                raise ExportError(
                    Msg(
                        f"{unit.path}：{said.zh}，未写出任何文件",
                        f"{unit.path}: {said.en}; nothing was written",
                    )
                )
            errors = [d for d in unit.diagnostics if d.severity is Severity.ERROR]
            if errors:
                print_diagnostics(errors, {unit.path: unit.lines}, speak)
            if unit.document is None:
                say(
                    Msg(
                        f"{unit.path}：无法读取或解析，只导出它在单位表中的一行",
                        f"{unit.path}: cannot be read; only its row of the units table is exported",
                    ).get(speak)
                )
            elif errors:
                say(
                    Msg(
                        f"{unit.path}：有 {len(errors)} 个错误，仍按读出的内容导出",
                        f"{unit.path}: {len(errors)} error(s); exported as far as it reads",
                    ).get(speak)
                )
            stage.add(unit)
        stage.commit()
        totals = stage.totals
        if to == "sqlite":
            stage.db.execute("ANALYZE")  # (deterministic: statistics of the same rows)
            stage.close()
            stage = None
            try:
                _publish(staged, Path(out))
            except OSError as exc:
                raise ExportError(_cannot_write(out, exc)) from None
            written = [out]
        else:
            timestamp = (
                build_timestamp(stage.first_document)
                if stage.first_document is not None
                else epoch_from_environment() or datetime(1980, 1, 1, tzinfo=UTC)
            )
            all_sheets = sheets(stage, headers)
            try:
                if to == "csv":
                    outputs = [
                        (Path(out) / f"{s.key}.csv", csv_bytes(stage.db, s, headers))
                        for s in all_sheets
                    ]
                    write_all_atomic(outputs)
                    written = [str(p) for p, _ in outputs]
                else:
                    write_atomic(out, _xlsx(stage.db, all_sheets, headers, timestamp))
                    written = [out]
            except (OSError, WriteError) as exc:
                raise ExportError(_cannot_write(out, exc)) from None
    except (ConfigError, BaselineError, WorkspaceError) as exc:
        raise ExportError(exc.message) from None
    except TimestampError as exc:
        raise ExportError(exc.message) from None
    finally:
        if stage is not None:
            stage.close()
        with contextlib.suppress(OSError):
            os.unlink(staged)
    for path in written:
        say(Msg(f"已写出 {path}", f"wrote {path}").get(speak))
    say(
        Msg(
            f"已导出 {totals.units} 个文件、{totals.projects} 个项目、{totals.indicators} 条指标"
            + (f"；{totals.with_errors} 个文件有错误" if totals.with_errors else ""),
            f"exported {totals.units} file(s), {totals.projects} project(s), "
            f"{totals.indicators} indicator(s)"
            + (f"; {totals.with_errors} file(s) with errors" if totals.with_errors else ""),
        ).get(speak)
    )
    return 1 if totals.with_errors else 0


def _xlsx(db: sqlite3.Connection, all_sheets: Sequence[Sheet], lang: str, when: datetime) -> bytes:
    """The workbook of the sheets, once each fits in an Excel sheet."""
    from perfdsl.export.sheets import row_count, sheet_table
    from perfdsl.export.xlsx import XLSX_MAX_ROWS, workbook_bytes

    for sheet in all_sheets:
        count = row_count(db, sheet)
        if count + 1 > XLSX_MAX_ROWS:
            raise ExportError(
                Msg(
                    f"{sheet.zh}表有 {count} 行，超过 Excel 一张工作表的上限 {XLSX_MAX_ROWS - 1} "
                    "行；请改用 --to csv 或 --to sqlite，或分开导出",
                    f"the {sheet.key} table has {count} rows, more than an Excel sheet holds "
                    f"({XLSX_MAX_ROWS - 1}); use --to csv or --to sqlite, or export in parts",
                )
            )
    return workbook_bytes(
        [sheet_table(db, sheet, lang) for sheet in all_sheets],
        lang,
        when,
        title="项目支出绩效目标" if lang == "zh" else "performance targets",
    )


def _publish(staged: str, target: Path) -> None:
    """Give the database the mode a new file gets (or the one it replaces keeps), sync it,
    and rename it over ``target``: a reader sees the old database or the new one."""
    if target.exists():
        mode = target.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(staged, mode)
    with open(staged, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(staged, target)


def _cannot_write(out: str, exc: OSError) -> Msg:
    where = exc.filename or out
    reason = exc.strerror or type(exc).__name__
    return Msg(
        f"无法写入 {where}：{reason}，未写出任何文件",
        f"cannot write {where}: {reason}; nothing was written",
    )

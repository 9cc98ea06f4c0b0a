"""Many units' files read together, one at a time: what ``summary``, ``export`` and ``site``
start from.

A department publishes all its units' tables at once and the finance bureau reviews them
together.  :func:`collect` walks the files a command line names (files, folders, globs, as
every command does: :func:`perfdsl.workspace.expand`) and judges each exactly as ``perfdsl
check`` does (:func:`perfdsl.pipeline.check_file`), yielding one :class:`UnitFile` at a time,
so a consumer that keeps only what it needs (totals, rows written out, an index entry) runs
in memory bounded by the largest file, not by the department.

Totals are :mod:`perfdsl.totals`' (exact, in one unit).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath

import attrs

from perfdsl import ast
from perfdsl.config import ConfigError
from perfdsl.diagnostics import Diagnostic, Msg, Severity
from perfdsl.gcpause import between_files
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.standards.templates import Catalog, Template, TemplateError
from perfdsl.workspace import expand


@attrs.frozen
class UnitFile:
    """One unit's file, read and judged."""

    path: str
    #: Where it stands in the tree the command line names (``2024/X.pdsl``).
    relative: PurePosixPath
    #: None when the file could not be read or parsed (its diagnostics say why).
    document: ast.Document | None
    template: Template | None
    diagnostics: tuple[Diagnostic, ...]
    lines: list[str] | None = attrs.field(default=None, repr=False, eq=False)
    #: The templates the file can name (what the emitters take as ``catalog``).
    catalog: Catalog | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        """Read, and without errors (warnings allowed)."""
        return self.document is not None and not self.errors

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def unit_name(self) -> str:
        header = self.document.header if self.document else None
        if header is not None and header.unit_name is not None:
            return header.unit_name.value
        return self.relative.stem

    @property
    def unit_code(self) -> str | None:
        header = self.document.header if self.document else None
        return header.unit_code.value if header is not None and header.unit_code else None

    @property
    def year(self) -> str | None:
        header = self.document.header if self.document else None
        return header.year.value if header is not None and header.year else None

    @property
    def money_unit(self) -> str:
        return self.document.header.unit if self.document else "万元"


def collect(
    args: Sequence[str], options: CheckOptions | None = None, jobs: int | None = None
) -> Iterator[UnitFile]:
    """Every file ``args`` name, in the command line's order, each judged as ``check`` does,
    read ahead in ``jobs`` worker processes (None: every core available; 1: here).

    At most two files per worker are read ahead of the one being used, so memory stays
    bounded by a few files however many there are.  Raises
    :class:`perfdsl.workspace.WorkspaceError` for a path that names nothing, and ConfigError
    as :func:`perfdsl.pipeline.check_file` does."""
    from perfdsl.batch import ahead

    sources = expand(args)
    calls = [(source.path, str(source.relative), options) for source in sources]
    for result in ahead(read_in_worker, calls, jobs):
        if isinstance(result, Msg):  # (sent back as its message: ConfigError does not pickle)
            raise ConfigError(result)
        yield result


def read_in_worker(path: str, relative: str, options: CheckOptions | None = None) -> UnitFile | Msg:
    """:func:`read_one` in a worker process: a broken configuration comes back as its
    message (ConfigError does not survive pickling), for the caller to raise again."""
    try:
        unit_file = read_one(path, PurePosixPath(relative), options)
    except ConfigError as exc:
        return exc.message
    between_files()
    return unit_file


def read_one(path: str, relative: PurePosixPath, options: CheckOptions | None = None) -> UnitFile:
    """One file read and judged as ``check`` judges it."""
    checked = check_file(path, options or CheckOptions())
    document = checked.loaded.document
    try:
        template = checked.template() if document is not None else None
    except TemplateError:  # (an unknown 模板: an error among its diagnostics)
        template = None
    return UnitFile(
        path,
        relative,
        document,
        template,
        tuple(checked.diagnostics),
        checked.lines,
        checked.catalog,
    )

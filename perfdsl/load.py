"""Read a file and parse it: the front end every command starts with."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import attrs

from perfdsl import ast
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.source import Source, decode, read, read_stream
from perfdsl.standards.templates import Catalog
from perfdsl.syntax.parse import parse


@attrs.frozen
class Loaded:
    """A source file, its AST (None if the file could not be read) and the front end's findings."""

    path: str
    source: Source | None
    document: ast.Document | None
    diagnostics: tuple[Diagnostic, ...]
    #: The lines of template files the diagnostics may point into.
    template_sources: dict[str, list[str]] = attrs.field(factory=dict)

    @property
    def lines(self) -> list[str] | None:
        return self.source.lines if self.source else None

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )


def _finish(
    source: Source | None, found: list[Diagnostic], path: str, catalog: Catalog | None
) -> Loaded:
    if source is None:
        return Loaded(path, None, None, tuple(found))
    result = parse(source.text, path, catalog)
    document = result.document
    if document is not None:
        document = attrs.evolve(document, line_ending=source.line_ending, bom=source.bom)
    sources = dict(catalog.sources) if catalog is not None else {}
    return Loaded(path, source, document, (*found, *result.diagnostics), sources)


def load_file(path: str | Path, catalog: Catalog | None = None) -> Loaded:
    """Read and parse a file with the templates of ``catalog`` (None: the built-in ones)."""
    source, found = read(path)
    return _finish(source, found, str(path), catalog)


def load_stream(
    stream: BinaryIO | None, path: str = "<stdin>", catalog: Catalog | None = None
) -> Loaded:
    """Standard input (None when it is closed), read as :func:`load_file` reads a file."""
    source, found = read_stream(stream, path)
    return _finish(source, found, path, catalog)


def load_bytes(data: bytes, path: str = "<input>", catalog: Catalog | None = None) -> Loaded:
    source, found = decode(data, path)
    return _finish(source, found, path, catalog)


def load_text(text: str, path: str = "<input>", catalog: Catalog | None = None) -> Loaded:
    return load_bytes(text.encode("utf-8"), path, catalog)


#: The file could not be read at all (PD0001), or was over the size limit (PD0004): exit 2.
READ_FAILURES = frozenset({"PD0001", "PD0004"})


def is_io_failure(loaded: Loaded) -> bool:
    return loaded.source is None and any(d.code in READ_FAILURES for d in loaded.diagnostics)


def load_path(path: str, catalog: Catalog | None = None) -> Loaded:
    """``-`` is standard input; anything else a file.  Both are read within the size limit."""
    if path == "-":
        # sys.stdin is None when the process was started with it closed (``<&-``).
        stream = sys.stdin.buffer if sys.stdin is not None else None
        return load_stream(stream, "<stdin>", catalog)
    return load_file(path, catalog)

"""Read a file and parse it: the front end every command starts with."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import attrs

from perfdsl import ast
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.source import Source, decode, read, read_stream
from perfdsl.syntax.parse import parse


@attrs.frozen
class Loaded:
    """A source file, its AST (None if the file could not be read) and the front end's findings."""

    path: str
    source: Source | None
    document: ast.Document | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def lines(self) -> list[str] | None:
        return self.source.lines if self.source else None

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )


def _finish(source: Source | None, found: list[Diagnostic], path: str) -> Loaded:
    if source is None:
        return Loaded(path, None, None, tuple(found))
    result = parse(source.text, path)
    document = result.document
    if document is not None:
        document = attrs.evolve(document, line_ending=source.line_ending, bom=source.bom)
    return Loaded(path, source, document, (*found, *result.diagnostics))


def load_file(path: str | Path) -> Loaded:
    source, found = read(path)
    return _finish(source, found, str(path))


def load_stream(stream: BinaryIO | None, path: str = "<stdin>") -> Loaded:
    """Standard input (None when it is closed), read as :func:`load_file` reads a file."""
    source, found = read_stream(stream, path)
    return _finish(source, found, path)


def load_bytes(data: bytes, path: str = "<input>") -> Loaded:
    source, found = decode(data, path)
    return _finish(source, found, path)


def load_text(text: str, path: str = "<input>") -> Loaded:
    return load_bytes(text.encode("utf-8"), path)

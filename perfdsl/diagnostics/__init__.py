"""Diagnostics: one type for every message perfdsl gives about a source file.

A :class:`Diagnostic` has a stable code (``PD1001``), a severity, a message in Chinese and
English, the span at fault, and optionally a help line (what to do) and notes.  Codes are
registered in :mod:`perfdsl.diagnostics.codes`, with their kebab-case names and explanations;
rendering lives in :mod:`perfdsl.diagnostics.render`.
"""

from __future__ import annotations

import enum

import attrs

from perfdsl.ast import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "note": 0}[self.value]


@attrs.frozen(slots=True)
class Msg:
    """A message in both languages; :meth:`get` picks one (Chinese is the default)."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@attrs.frozen(slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: Msg
    span: Span | None
    file: str | None = None
    help: Msg | None = None
    notes: tuple[Msg, ...] = ()
    #: Other places the finding is about (the other row of a pair), each with its label.
    related: tuple[tuple[Span, Msg], ...] = ()

    @property
    def name(self) -> str:
        from perfdsl.diagnostics.codes import REGISTRY

        entry = REGISTRY.get(self.code)
        return entry.name if entry else self.code

    def in_file(self, file: str) -> Diagnostic:
        return attrs.evolve(self, file=file)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        span = self.span
        return (self.file or "", span.line if span else 0, span.column if span else 0, self.code)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)

"""Last year's file, for ``check --baseline``: the version a table is compared with.

The baseline is named the way a reviewer would name it:

- a file (``2024/某单位.pdsl``): last year's file of the same unit;
- a folder (``2024``): in a year-folder layout, the file of the same name in it (a unit new
  this year, with no file there, is not compared);
- a git revision (``HEAD~1``, ``v2024``): the checked file as it was at that revision;
- ``REV:PATH``: another path at a revision (last year's file before it was moved).

It is read with the templates and configuration of its own place, as ``check`` would read it.
What cannot be read (no such file, an unknown revision, a file that does not parse) is a
:class:`BaselineError`: the comparison the user asked for cannot be made, and saying so beats
comparing with nothing.
"""

from __future__ import annotations

import os

import attrs

from perfdsl import ast, limits
from perfdsl.diagnostics import Msg
from perfdsl.load import Loaded, load_bytes


class BaselineError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


@attrs.frozen
class Baseline:
    """The version compared with: its document and how messages name it."""

    document: ast.Document
    #: ``2024/某单位.pdsl`` or ``HEAD~1:2025/某单位.pdsl``.
    label: str


def load_baseline(spec: str, checked: str) -> Baseline | None:
    """The baseline ``spec`` names for the file ``checked`` (None: a folder without that
    file); :class:`BaselineError` when it names nothing that can be read."""
    from perfdsl.pipeline import read_file  # (the pipeline imports this module)

    if os.path.isdir(spec):  # last year's folder: the file of the same name in it
        spec = os.path.join(spec, os.path.basename(checked))
        if not os.path.isfile(spec):
            return None  # a unit new this year has nothing to compare with
    if os.path.isfile(spec):
        return _parsed(read_file(spec).loaded, spec)
    revision, _, path = spec.partition(":")
    return _from_git(revision, path or checked, checked)


def _from_git(revision: str, path: str, checked: str) -> Baseline:
    from perfdsl.diff.gitrev import GitError, locate, read
    from perfdsl.pipeline import templates_for

    try:
        located = locate(path)
        data = read(located, revision)
    except GitError as exc:
        raise BaselineError(
            Msg(
                f"--baseline {revision}：既不是文件，也读不出 git 版本（{exc.message.zh}）",
                f"--baseline {revision}: not a file, and not readable from git ({exc.message.en})",
            )
        ) from None
    except limits.TooLarge:
        raise BaselineError(
            Msg(f"{revision}:{path} 太大，无法读取", f"{revision}:{path} is too large to read")
        ) from None
    label = f"{revision}:{located.path}"
    if data is None:
        raise BaselineError(
            Msg(
                f"版本 {revision} 里没有 {located.path}",
                f"{located.path} does not exist at {revision}",
            )
        )
    from perfdsl import config as configuration

    try:
        found, _problems = templates_for(checked, configuration.for_file(checked))
    except configuration.ConfigError as exc:
        raise BaselineError(exc.message) from None
    return _parsed(load_bytes(data, label, found), label)


def _parsed(loaded: Loaded, label: str) -> Baseline:
    if loaded.document is None or not loaded.ok:
        first = next((d for d in loaded.diagnostics if d.severity.value == "error"), None)
        where = f"{label}:{first.span}" if first is not None and first.span else label
        said = Msg(
            f"：{first.message.zh}" if first else "", f": {first.message.en}" if first else ""
        )
        raise BaselineError(
            Msg(
                f"上年的文件 {where} 有错误，无法比较{said.zh}",
                f"the baseline {where} has errors and cannot be compared{said.en}",
            )
        )
    return Baseline(loaded.document, label)

"""The files a command line names: files, folders (every ``.pdsl`` under them) and globs.

A department keeps one file per unit and year in folders (``2024/X.pdsl``, ``2025/X.pdsl``);
``perfdsl check .`` checks them all, ``perfdsl build . -o out`` writes ``out/2024/X.docx``.
Each source carries its path relative to the folder all the sources share, so a build
mirrors the tree and two years' files of one unit never write the same output.

In a folder, hidden folders (``.git``, ``.venv``) are skipped, and so is whatever the
``exclude`` patterns of the folder's ``perfdsl.toml`` name (gitignore-style: ``build/``,
``*.draft.pdsl``, ``old/**``).  Files named one by one are always taken: naming a file is
asking for it.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

import attrs

from perfdsl.diagnostics import Msg

SOURCE_SUFFIXES = (".pdsl",)
_GLOB = frozenset("*?[")


class WorkspaceError(Exception):
    """A path on the command line that names nothing to work on."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


@attrs.frozen
class Source:
    """One file to work on, and where it stands in the tree the command line names."""

    path: str
    #: Relative to the folder all the sources named share (``2024/X.pdsl``).
    relative: PurePosixPath


def expand(args: Sequence[str], suffixes: tuple[str, ...] = SOURCE_SUFFIXES) -> list[Source]:
    """Every file ``args`` name, in a stable order: each argument's files in turn, a folder's
    sorted by path.  ``-`` (standard input) passes through.  Raises WorkspaceError."""
    found: list[str] = []
    roots: list[str] = []  # the folders named: each is shared by everything under it
    for arg in args:
        if arg == "-":
            found.append(arg)
        elif os.path.isdir(arg):
            roots.append(os.path.abspath(arg))
            files = list(_walk(arg, suffixes))
            if not files:
                raise WorkspaceError(
                    Msg(
                        f"目录 {arg} 里没有 {'、'.join(suffixes)} 文件",
                        f"the folder {arg} holds no {', '.join(suffixes)} files",
                    )
                )
            found += files
        elif os.path.lexists(arg) or not (_GLOB & set(arg)):
            found.append(arg)  # (a file that is not there is the reader's to report, PD0001)
        else:
            files = sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
            if not files:
                raise WorkspaceError(Msg(f"没有文件与 {arg} 相符", f"no file matches {arg}"))
            found += files
    # One file named twice (2024/X.pdsl and ./2024/X.pdsl, or in its folder) is one source.
    unique: dict[str, str] = {}
    for path in found:
        unique.setdefault(path if path == "-" else os.path.abspath(path), path)
    return _relative(list(unique.values()), roots)


def _walk(folder: str, suffixes: tuple[str, ...]) -> Iterable[str]:
    excludes = _excludes(folder)
    root = Path(folder)
    out: list[tuple[str, str]] = []
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        rel_dir = here.relative_to(root).as_posix()
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not _excluded(_join(rel_dir, d) + "/", excludes)
        )
        for name in files:
            rel = _join(rel_dir, name)
            if name.lower().endswith(suffixes) and not _excluded(rel, excludes):
                out.append((rel, str(here / name)))
    return [path for _rel, path in sorted(out)]


def _join(folder: str, name: str) -> str:
    return name if folder in ("", ".") else f"{folder}/{name}"


def _excludes(folder: str) -> tuple[str, ...]:
    from perfdsl import config as configuration

    try:
        return configuration.for_file(os.path.join(folder, "x.pdsl")).exclude
    except configuration.ConfigError:
        return ()  # (check says what is wrong with the configuration)


def _excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    """gitignore-style: ``build/`` a folder anywhere, ``*.draft.pdsl`` a name anywhere,
    ``old/**`` or ``2023/x.pdsl`` a path from the folder."""
    name = relative.rstrip("/").rsplit("/", 1)[-1]
    for pattern in patterns:
        if pattern.endswith("/"):
            if relative.endswith("/") and fnmatch.fnmatchcase(name, pattern.rstrip("/")):
                return True
            continue
        if "/" not in pattern.rstrip("/"):
            if fnmatch.fnmatchcase(name, pattern):
                return True
            continue
        anchored = pattern.lstrip("/")
        if fnmatch.fnmatchcase(relative.rstrip("/"), anchored) or fnmatch.fnmatchcase(
            relative.rstrip("/"), anchored.replace("/**", "/*")
        ):
            return True
        if anchored.endswith("/**") and relative.startswith(anchored[:-2]):
            return True
    return False


def _relative(paths: list[str], roots: list[str]) -> list[Source]:
    """Each path relative to the folder all of them share (a folder named on the command
    line is shared by everything under it): ``perfdsl build . -o out`` writes
    ``out/2024/X.docx``, ``perfdsl build 2024/X.pdsl -o out`` writes ``out/X.docx``."""
    real = [p for p in paths if p != "-"]
    folders = [*roots, *(os.path.dirname(os.path.abspath(p)) for p in real)]
    try:
        common = os.path.commonpath(folders) if folders else os.getcwd()
    except ValueError:  # (different drives on Windows)
        common = ""
    out = []
    for path in paths:
        if path == "-" or not common:
            out.append(Source(path, PurePosixPath(os.path.basename(path) or "-")))
            continue
        rel = os.path.relpath(os.path.abspath(path), common)
        out.append(Source(path, PurePosixPath(Path(rel).as_posix())))
    return out

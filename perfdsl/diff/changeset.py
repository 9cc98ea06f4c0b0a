"""Which files a change touched, paired old with new: for ``perfdsl diff REV [REV]`` (every
changed ``.pdsl`` between two revisions, or a revision and the working tree) and for
``perfdsl diff OLD_DIR NEW_DIR`` (two folders, such as last year's and this year's).

Files pair by path; a file git saw renamed is one pair; what is left (a file removed and a
file added) pairs by close names as projects do (:func:`perfdsl.diff.match.pair_names`:
``2024/X.pdsl`` and ``2025/X.pdsl``), so a reviewer sees a unit's changes, not a deletion
and an addition.  The pairs come sorted by path, the order a reviewer reads a change in.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import attrs

from perfdsl.diff.gitrev import Located, changed
from perfdsl.diff.match import pair_names
from perfdsl.diff.model import Change, Delta
from perfdsl.totals import shared_unit
from perfdsl.values import convert_money
from perfdsl.workspace import SOURCE_SUFFIXES, expand

ADDED, REMOVED, MODIFIED, RENAMED = "added", "removed", "modified", "renamed"


@attrs.frozen
class Side:
    """One version of a file: its name in the report, and where to read it."""

    name: str  # ``HEAD~1:2024/X.pdsl`` for a revision, the path for a file on disk
    path: str  # the file on disk (its perfdsl.toml and templates are found from there)
    revision: str | None = None  # None: read from disk
    located: Located | None = None  # where it is in the repository, for a revision


@attrs.frozen
class Pair:
    status: str  # ADDED, REMOVED, MODIFIED or RENAMED
    old: Side | None
    new: Side | None

    @property
    def name(self) -> str:
        """The path the report files it under: ``2025/X.pdsl`` or ``2024/X.pdsl → 2025/X.pdsl``."""
        old, new = self.old, self.new
        if old is None or new is None:
            only = new or old
            assert only is not None
            return _plain(only)
        if self.status == RENAMED:
            return f"{_plain(old)} → {_plain(new)}"
        return _plain(new)


def _plain(side: Side) -> str:
    return side.located.path if side.located is not None else side.name


def _pair_leftovers(
    removed: list[str], added: list[str]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Removed and added paths that are one file renamed, and those left of each."""
    pairs = [(removed[o], added[n]) for o, n in pair_names(removed, added)]
    taken_old = {o for o, _n in pairs}
    taken_new = {n for _o, n in pairs}
    return (
        pairs,
        [p for p in removed if p not in taken_old],
        [p for p in added if p not in taken_new],
    )


def from_git(root: Path, old: str, new: str | None, paths: list[str]) -> list[Pair]:
    """Every ``.pdsl`` that differs between revision ``old`` and ``new`` (None: the working
    tree), limited to ``paths`` (relative to ``root``; none: the whole repository)."""

    def revision_side(revision: str, path: str) -> Side:
        return Side(f"{revision}:{path}", str(root / path), revision, Located(root, path))

    def new_side(path: str) -> Side:
        if new is None:
            return Side(_display(root / path), str(root / path), None, Located(root, path))
        return revision_side(new, path)

    pairs: list[Pair] = []
    removed: list[str] = []
    added: list[str] = []
    for c in changed(root, old, new, paths, SOURCE_SUFFIXES):
        if c.status == "A" and c.new:
            added.append(c.new)
        elif c.status == "D" and c.old:
            removed.append(c.old)
        elif c.old and c.new:
            status = RENAMED if c.status == "R" else MODIFIED
            pairs.append(Pair(status, revision_side(old, c.old), new_side(c.new)))
    renamed, removed, added = _pair_leftovers(removed, added)
    pairs += [Pair(RENAMED, revision_side(old, o), new_side(n)) for o, n in renamed]
    pairs += [Pair(REMOVED, revision_side(old, p), None) for p in removed]
    pairs += [Pair(ADDED, None, new_side(p)) for p in added]
    return sorted(pairs, key=_order)


def from_folders(old_dir: str, new_dir: str) -> list[Pair]:
    """Every ``.pdsl`` of two folders, paired by their path inside each folder."""
    old_files = {str(s.relative): s.path for s in expand([old_dir])}
    new_files = {str(s.relative): s.path for s in expand([new_dir])}
    pairs = [
        Pair(MODIFIED, _disk(old_files[rel]), _disk(new_files[rel]))
        for rel in new_files
        if rel in old_files
    ]
    removed = [rel for rel in old_files if rel not in new_files]
    added = [rel for rel in new_files if rel not in old_files]
    renamed, removed, added = _pair_leftovers(removed, added)
    pairs += [Pair(RENAMED, _disk(old_files[o]), _disk(new_files[n])) for o, n in renamed]
    pairs += [Pair(REMOVED, _disk(old_files[rel]), None) for rel in removed]
    pairs += [Pair(ADDED, None, _disk(new_files[rel])) for rel in added]
    return sorted(pairs, key=_order)


def _disk(path: str) -> Side:
    return Side(path, path)


def _display(path: Path) -> str:
    """A working-tree file as the user would type it: relative to here when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # (another drive on Windows)
        return str(path)


def _order(pair: Pair) -> tuple[str, str]:
    side = pair.new or pair.old
    assert side is not None
    return (_plain(side), pair.status)


@attrs.frozen
class FileDiff:
    """One file's part of a change: its pair, what changed in it, and its budget totals (the
    sum of its projects' budgets, in the file's money unit, None where there is none)."""

    pair: Pair
    changes: list[Change]
    unit: str
    old_total: Decimal | None = None
    new_total: Decimal | None = None


@attrs.frozen
class Totals:
    """The money of the whole change: every file's budgets added up in one unit."""

    unit: str
    old: Decimal
    new: Decimal

    @property
    def delta(self) -> Delta:
        return Delta(self.new - self.old, self.unit)


def totals(files: list[FileDiff]) -> Totals | None:
    """The budgets of every file before and after, exactly, in their shared unit."""
    if not any(f.old_total is not None or f.new_total is not None for f in files):
        return None
    unit = shared_unit(f.unit for f in files)
    old = new = Decimal(0)
    for f in files:
        if f.old_total is not None:
            old += convert_money(f.old_total, f.unit, unit)
        if f.new_total is not None:
            new += convert_money(f.new_total, f.unit, unit)
    return Totals(unit, old, new)

"""Write a set of files as one step: a reader, a crash or a second build sees the old set or
the new one, never a mixture.

Renaming one file over another is atomic, renaming three is not: if the second rename fails
(a directory in the way, a sticky directory owned by someone else) or the process is killed
between renames, the new docx would stand beside the old JSON and HTML.  So a write is a small
transaction on the target directory:

1. lock the directory (``flock`` on the directory itself, so no lock file is left behind);
   a second build into the same directory waits for the first;
2. finish what an earlier, killed write left: roll its journal back and delete its temporary
   and backup files (:data:`TEMP_PATTERN`), which nobody else can be using while we hold the
   lock;
3. write every new file in full to a temporary file beside its target, and fsync it;
4. keep each existing target as a hard-linked backup and record the plan in a journal;
5. rename the temporaries over the targets; if one rename fails, put every backup back (and
   remove targets that did not exist before), so the directory is as it was;
6. drop the backups and the journal.

A kill at any point leaves either the old set plus debris (cleaned by the next write into the
directory) or a journal that the next write rolls back.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

#: Temporary and backup files of a write in progress: ``.<target>.<random>.perfdsl.tmp``.
TEMP_PATTERN = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.perfdsl\.(?:tmp|bak)")
_TMP, _BAK = ".perfdsl.tmp", ".perfdsl.bak"
JOURNAL = ".perfdsl-journal"


class WriteError(OSError):
    """A target could not be written; nothing was changed.  ``filename`` is the target."""


# --- locking -------------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (a no-op where the platform has no flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: renames there refuse open files anyway
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # a directory we cannot open for reading: write without the lock
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# --- recovery ------------------------------------------------------------------------------------


def _recover(directory: Path) -> None:
    """Undo a write that was killed half-way, and delete its leftovers (lock held)."""
    journal = directory / JOURNAL
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            plan = []
        for entry in plan if isinstance(plan, list) else []:
            target = directory / str(entry.get("target", ""))
            backup = entry.get("backup")
            with contextlib.suppress(OSError):
                if backup and (directory / backup).exists():
                    os.replace(directory / backup, target)
                elif not backup and entry.get("new") and target.is_file():
                    target.unlink()  # did not exist before the killed write
        with contextlib.suppress(OSError):
            journal.unlink()
    with contextlib.suppress(OSError):
        for name in os.listdir(directory):
            if TEMP_PATTERN.fullmatch(name):
                with contextlib.suppress(OSError):
                    (directory / name).unlink()


# --- the transaction -----------------------------------------------------------------------------


def _stage(target: Path, data: bytes) -> str:
    """Write ``data`` to a synced temporary file beside ``target``; return its name."""
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=_TMP)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _backup(target: Path) -> str | None:
    """A second name for the current ``target`` (None when there is none to keep)."""
    if not target.is_file():
        return None
    while True:
        name = str(target.parent / f".{target.name}.{secrets.token_hex(4)}{_BAK}")
        try:
            os.link(target, name)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if os.path.exists(name):
                continue
            shutil.copy2(target, name)
        return name


def fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_journal(directory: Path, plan: list[dict[str, object]]) -> None:
    path = directory / JOURNAL
    with open(path, "w", encoding="utf-8") as f:
        json.dump(plan, f)  # ASCII: a name that is not UTF-8 survives as \udcXX
        f.flush()
        os.fsync(f.fileno())
    fsync_dir(directory)


def _fail(target: Path, exc: OSError) -> WriteError:
    error = WriteError(exc.errno or 0, exc.strerror or type(exc).__name__, str(target))
    error.__cause__ = exc
    return error


def _swap(directory: Path, outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Steps 3–6 for the outputs of one directory (the lock is held)."""
    staged: list[tuple[str, Path]] = []
    backups: list[str | None] = []
    try:
        for target, data in outputs:
            try:
                staged.append((_stage(target, data), target))
            except OSError as exc:
                raise _fail(target, exc) from exc
        for _tmp, target in staged:
            try:
                backups.append(_backup(target))
            except OSError as exc:
                raise _fail(target, exc) from exc
        plan = [
            {"target": t.name, "backup": b and Path(b).name, "new": b is None}
            for (_tmp, t), b in zip(staged, backups, strict=True)
        ]
        if len(staged) > 1:  # one rename is atomic by itself
            _write_journal(directory, plan)
        done: list[int] = []
        for i, (tmp, target) in enumerate(staged):
            try:
                os.replace(tmp, target)
            except OSError as exc:
                _roll_back(staged, backups, done)
                raise _fail(target, exc) from exc
            done.append(i)
        fsync_dir(directory)
    finally:
        # The journal goes first: once it is gone the new set is committed, and a kill while
        # the backups are deleted leaves only debris, never a journal pointing at nothing.
        with contextlib.suppress(OSError):
            (directory / JOURNAL).unlink()
        for tmp, _target in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for backup in backups:
            if backup:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


def _roll_back(staged: list[tuple[str, Path]], backups: list[str | None], done: list[int]) -> None:
    for i in reversed(done):
        target, backup = staged[i][1], backups[i]
        with contextlib.suppress(OSError):
            if backup:
                os.replace(backup, target)
            else:
                target.unlink()


def recover(directory: Path) -> None:
    """Clean up after a write into ``directory`` that was killed (no-op if there was none)."""
    if directory.is_dir():
        with locked(directory):
            _recover(directory)


def write_all_atomic(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files as one step: all of them, or (raising :class:`WriteError`) none.

    The files may lie in several directories; each directory is one transaction, taken in a
    fixed order so that two writers never wait for each other in a circle.
    """
    by_dir: dict[Path, list[tuple[Path, bytes]]] = {}
    for target, data in outputs:
        target = Path(target)
        directory = target.parent if str(target.parent) else Path(".")
        by_dir.setdefault(directory, []).append((target, data))
    for directory in sorted(by_dir, key=str):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _fail(directory, exc) from exc
        with locked(directory):
            _recover(directory)
            _swap(directory, by_dir[directory])


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write one file atomically: a reader sees the old file or the new one, never a mixture."""
    write_all_atomic([(Path(path), data)])

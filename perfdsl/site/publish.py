"""Publish a site as one step: readers see the previous site or the new one, never a mixture.

The whole site is written into a staging folder beside the target (``.site.<random>.perfdsl-site``
in the same parent, so the swap is a rename on one file system), each file synced.  Only when
every page is written is it swapped in: the previous site is renamed aside, the new one renamed
into its place, the previous one deleted.  A failure before the swap deletes the staging folder
and leaves the previous site as it was; a failed second rename puts the previous site back.

A run holds a lock (``flock``) on the parent folder, so two runs into one place take turns, and
first cleans what a killed run left: staging folders, and a previous site renamed aside (put
back if the target is missing, deleted otherwise).

The target is replaced as a whole, so it must be a folder this command owns: missing, empty, or
a site an earlier ``perfdsl site`` wrote (its ``index.html`` says so).  Anything else (``-o ~``)
is refused, never deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from perfdsl.atomic import fsync_dir, locked
from perfdsl.diagnostics import Msg

#: What index.html carries to say that a folder is a site this command wrote.
MARKER = b'<meta name="generator" content="perfdsl site">'
_STAGE, _OLD = ".perfdsl-site", ".perfdsl-old"


class PublishError(Exception):
    """The site cannot be written where it was asked for; nothing was changed."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _is_site(folder: Path) -> bool:
    try:
        with open(folder / "index.html", "rb") as f:
            return MARKER in f.read(4096)
    except OSError:
        return False


def check_target(out_dir: Path) -> None:
    """Refuse a target that is not a folder, or a folder this command does not own."""
    if out_dir.exists() and not out_dir.is_dir():
        raise PublishError(
            Msg(f"输出目录 {out_dir} 不是目录", f"output directory {out_dir} is not a directory")
        )
    if out_dir.is_dir():
        try:
            empty = not any(os.scandir(out_dir))
        except OSError as exc:
            raise PublishError(
                Msg(
                    f"无法读取输出目录 {out_dir}：{_reason(exc)}",
                    f"cannot read the output directory {out_dir}: {_reason(exc)}",
                )
            ) from None
        if not empty and not _is_site(out_dir):
            raise PublishError(
                Msg(
                    f"输出目录 {out_dir} 里已有别的文件，不是 perfdsl site 生成的网站；网站会整个"
                    "替换这个目录，为免删掉其中的文件，请换一个空目录或新目录",
                    f"the output directory {out_dir} holds other files and is not a site perfdsl "
                    "site wrote; the site replaces the whole folder, so to delete nothing, "
                    "choose an empty or new folder",
                )
            )


def _debris(parent: Path, name: str) -> tuple[list[Path], list[Path]]:
    pattern = re.compile(rf"\.{re.escape(name)}\.[A-Za-z0-9_]{{8}}({_STAGE}|{_OLD})")
    stages: list[Path] = []
    olds: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in sorted(os.listdir(parent)):
            found = pattern.fullmatch(entry)
            if found:
                (stages if found.group(1) == _STAGE else olds).append(parent / entry)
    return stages, olds


def _recover(target: Path) -> None:
    """Undo what a killed run left beside ``target`` (the lock is held)."""
    stages, olds = _debris(target.parent, target.name)
    if olds and not target.exists():
        with contextlib.suppress(OSError):
            os.rename(olds.pop(0), target)  # killed between the two renames: the old site
    for folder in [*stages, *olds]:
        shutil.rmtree(folder, ignore_errors=True)


class Staging:
    """The new site, being written; :meth:`commit` swaps it in."""

    def __init__(self, target: Path, folder: Path) -> None:
        self.target = target
        self.folder = folder
        self.count = 0

    def write(self, relative: PurePosixPath, data: bytes) -> None:
        path = self.folder / Path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as f:  # "x": two outputs of one name are a defect, not a loss
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self.count += 1

    def commit(self) -> None:
        for folder, _dirs, _files in os.walk(self.folder):
            fsync_dir(Path(folder))
        target = self.target
        if not target.exists():
            os.rename(self.folder, target)
        else:
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=_OLD))
            os.rmdir(old)  # (a free name in the parent, taken by the rename)
            os.rename(target, old)
            try:
                os.rename(self.folder, target)
            except OSError:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        fsync_dir(target.parent)


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Staging]:
    """A staging folder for the site at ``out_dir``; the caller writes into it and commits.

    Raises :class:`PublishError` when the target cannot be used (nothing changed); an
    exception inside the block deletes the staging folder and leaves the target as it was.
    """
    check_target(out_dir)
    target = Path(os.path.realpath(out_dir))  # a symlink to the site keeps pointing at it
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            Msg(
                f"无法创建 {parent}：{_reason(exc)}，未写出任何文件",
                f"cannot create {parent}: {_reason(exc)}; nothing was written",
            )
        ) from None
    with locked(parent):
        _recover(target)
        try:
            folder = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=_STAGE))
        except OSError as exc:
            raise PublishError(
                Msg(
                    f"无法在 {parent} 里写入：{_reason(exc)}，未写出任何文件",
                    f"cannot write in {parent}: {_reason(exc)}; nothing was written",
                )
            ) from None
        try:
            mode = target.stat().st_mode & 0o7777 if target.is_dir() else None
            if mode is None:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o777 & ~umask
            os.chmod(folder, mode)  # (mkdtemp makes it 0700: a web server could not read it)
            yield Staging(target, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # gone already once committed

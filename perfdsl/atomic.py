"""Write files so that a reader never sees half of one, and a failure leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _stage(target: Path, data: bytes) -> str:
    """Write ``data`` to a synced temporary file beside ``target``; return its name."""
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
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
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return tmp


def write_all_atomic(outputs: list[tuple[Path, bytes]]) -> None:
    """Write several files as one step: all of them, or (on a write error) none of them.

    Every file is first written in full to a temporary file beside its target; only when all
    are on disk are they renamed over the targets.  A full disk or a permission problem while
    writing therefore leaves every previous output as it was.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in outputs:
            staged.append((_stage(Path(target), data), Path(target)))
    except BaseException:
        for tmp, _target in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
    try:
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:  # a rename that failed leaves no temporary file behind
        for tmp, _target in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write one file atomically: a reader sees the old file or the new one, never a mixture."""
    write_all_atomic([(Path(path), data)])

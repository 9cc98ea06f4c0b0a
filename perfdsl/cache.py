"""The user cache directory, and what is kept there by content: check results, the built-in
templates (built once, not on every run; the compiled parser is kept by
:mod:`perfdsl.syntax.grammar`).

A department's CI checks hundreds of unit files on every push, and most did not change.  A
file's findings depend only on its bytes, its path (findings name it), the perfdsl that
judged it, the configuration and templates that apply to it and the rules chosen, so they
are kept under a hash of exactly those and served again while all of them are the same.

Where: ``$PERFDSL_CACHE_DIR`` (``off`` turns every cache off), else the platform's user
cache folder (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS,
``%LOCALAPPDATA%`` on Windows), under ``perfdsl``.  Never inside the installed package,
which may be read-only.  Entries are written to a temporary file and renamed into place, so
concurrent runs (``--jobs``, two CI jobs sharing a cache) never read half an entry; any
problem reading or writing one (missing, damaged, a read-only or full disk) just means
checking again.  Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

#: Bumped when the shape of a stored result changes.
FORMAT = b"perfdsl-check-1"


def directory() -> Path | None:
    """The user cache folder for perfdsl; None when ``PERFDSL_CACHE_DIR=off``."""
    explicit = os.environ.get("PERFDSL_CACHE_DIR")
    if explicit:
        return None if explicit == "off" else Path(explicit)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "perfdsl" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "perfdsl"
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "perfdsl"


@cache
def code_digest() -> bytes:
    """perfdsl's own code and data (the .py, .lark and .toml files of the package): a new
    release, or an edited checkout, never serves results an older one found."""
    from perfdsl import __version__

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    files = []
    for base in (root, root.parent / "grammar"):
        for folder, dirs, names in os.walk(base):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            files += [os.path.join(folder, n) for n in names if n.endswith(_CODE_SUFFIXES)]
    for name in sorted(files):
        try:
            digest.update(os.path.relpath(name, root.parent).encode())
            digest.update(Path(name).read_bytes())
        except (OSError, ValueError):
            digest.update(b"?")
    return digest.digest()


_CODE_SUFFIXES = (".py", ".lark", ".toml")


def key(parts: Iterable[bytes]) -> str:
    """A hash of ``parts``, each length-prefixed so no two lists of parts collide."""
    digest = hashlib.sha256(FORMAT)
    digest.update(code_digest())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def _entry(name: str, kind: str) -> Path | None:
    folder = directory()
    return None if folder is None else folder / kind / name[:2] / name


def get(name: str, kind: str = "check") -> object | None:
    """The value stored under ``name`` (in the ``kind`` folder: check results, templates),
    or None."""
    path = _entry(name, kind)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # missing, damaged, from another Python: check again
        return None


def put(name: str, value: object, kind: str = "check") -> None:
    """Store ``value`` under ``name``; silently nothing when the folder cannot be written."""
    path = _entry(name, kind)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, pickle.PicklingError):
        pass

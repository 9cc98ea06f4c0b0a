"""Build the Lark parser once per process, and reuse the compiled tables across processes.

Compiling the LALR tables takes tens of milliseconds; ``perfdsl check`` on one file should not
pay that every run.  The compiled parser is saved in the user's cache directory (:func:`perfdsl.cache.directory`,
never inside the installed package, which may be read-only), keyed by a hash of the grammar and the versions
of lark and Python, and written atomically so two processes never see half a file.  Any problem
with the cache just means compiling again.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import lark

from perfdsl import cache as user_cache
from perfdsl.syntax.postlex import Indenter
from perfdsl.syntax.tree import ToTree

_OPTIONS = {
    "parser": "lalr",
    "lexer": "contextual",
    "maybe_placeholders": False,
    "propagate_positions": False,
}


def grammar_text() -> str:
    """The grammar: inside the installed package, or at the top of a source checkout."""
    packaged = resources.files("perfdsl").joinpath("grammar/perfdsl.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / "perfdsl.lark"
    return checkout.read_text(encoding="utf-8")


def _cache_key(text: str) -> str:
    digest = hashlib.sha256()
    for part in (text, lark.__version__, sys.version, repr(sorted(_OPTIONS.items()))):
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()[:24]


_NOT_SAVED = ("transformer", "postlex")


def _load(f: BinaryIO) -> lark.Lark:
    # Lark.load() takes no options; _load() is how Lark's own cache passes them back in.
    return lark.Lark.__new__(lark.Lark)._load(f, transformer=ToTree(), postlex=Indenter())


def _build(text: str) -> lark.Lark:
    return lark.Lark(text, transformer=ToTree(), postlex=Indenter(), **_OPTIONS)


@cache
def parser() -> lark.Lark:
    """The process-wide parser.  Lark's LALR parser keeps no state between parses."""
    text = grammar_text()
    directory = user_cache.directory()
    if directory is None:
        return _build(text)
    path = directory / f"parser-{_cache_key(text)}.pickle"
    try:
        with path.open("rb") as f:
            return _load(f)
    except Exception:  # a missing, stale or damaged cache is never an error: compile again
        pass
    built = _build(text)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".parser-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                # The transformer and the post-lexer are code, not data: they are passed
                # in again when loading, as Lark's own cache=... does.
                built.save(f, exclude_options=_NOT_SAVED)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # read-only home, full disk: run without the cache
    return built

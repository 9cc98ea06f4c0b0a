"""Where the configuration is and its text: ``perfdsl.toml``, or ``pyproject.toml`` with a
``[tool.perfdsl]`` table, the nearest at or above a file's folder (as ruff and black find
theirs).  Kept apart from :mod:`perfdsl.config`, which gives the file its meaning, so that
``--help`` can learn the configured language without loading templates and frameworks."""

from __future__ import annotations

import tomllib
from pathlib import Path

from perfdsl import limits

CONFIG_NAMES = ("perfdsl.toml", "pyproject.toml")


def read_text(path: Path) -> str:
    """The file's text, as ``read_text`` gives it, but within the size limit of a source (a
    configuration is a file anyone can commit, and perfdsl reads it for every command)."""
    text = limits.read_file(path, limits.MAX_SOURCE_BYTES).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_tool_section(path: Path) -> bool:
    try:
        return "perfdsl" in tomllib.loads(read_text(path)).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, limits.TooLarge):
        return False


def find(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (a file or a directory)."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or has_tool_section(candidate)):
                return candidate
    return None

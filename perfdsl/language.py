"""Which language perfdsl speaks: messages, reports, ``--help`` and click's own words.

In order: ``--lang`` on the command line; ``lang`` in the configuration that applies
(``perfdsl.toml`` or ``[tool.perfdsl]``, found upwards); the user's locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, or Windows' user locale), Chinese when it is Chinese and English
when it names another language; Chinese when nothing names one (``C``, ``POSIX``, unset),
since the people perfdsl serves read Chinese.

This module is small on purpose: ``perfdsl --help`` decides its language before loading
anything else.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from perfdsl import limits
from perfdsl.configfile import find, read_text

LANGS = ("zh", "en")
DEFAULT = "zh"


def _named(value: str) -> str | None:
    """``zh_CN.UTF-8`` → zh, ``en_US`` → en, ``fr_FR`` → en, ``C.UTF-8`` → None."""
    code = value.split(":")[0].split(".")[0].split("@")[0].split("_")[0].split("-")[0]
    code = code.strip().lower()
    if code in ("", "c", "posix"):
        return None
    if code.startswith("zh") or code.startswith("chinese"):
        return "zh"
    return "en"


def from_locale() -> str:
    """The language the user's locale names, or :data:`DEFAULT`."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # the first one set decides, as for any program
            return _named(value) or DEFAULT
    if sys.platform == "win32":
        import locale

        name = locale.getlocale()[0] or ""
        return _named(name) or DEFAULT
    return DEFAULT


def configured(start: Path) -> str | None:
    """``lang`` of the nearest configuration at or above ``start``; None when there is none,
    it says nothing, or it cannot be read (the command that reads it says what is wrong)."""
    try:
        found = find(start)
        if found is None:
            return None
        data = tomllib.loads(read_text(found))
    except (OSError, ValueError, limits.TooLarge):  # (TOMLDecodeError, UnicodeDecodeError)
        return None
    if found.name == "pyproject.toml":
        data = data.get("tool", {}).get("perfdsl", {})
    lang = data.get("lang") if isinstance(data, dict) else None
    return lang if lang in LANGS else None


def resolve(chosen: str | None, start: Path | None = None) -> str:
    """The language to speak: ``chosen``, else the configuration's, else the locale's."""
    if chosen in LANGS:
        return chosen  # type: ignore[return-value]
    return configured(start or Path.cwd()) or from_locale()

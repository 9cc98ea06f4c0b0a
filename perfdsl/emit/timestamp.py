"""The one instant a build stamps into its outputs, chosen so that rebuilding changes nothing.

A docx carries zip entry times and core properties (created/modified); an HTML page may show
when it was generated.  Reading the wall clock would make every build differ byte-wise, so the
instant comes from, in order:

1. ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/), when set
   to a non-empty value: an integer count of seconds since 1970-01-01 UTC.  Anything else
   (``1.5``, ``yesterday``, a negative number, a date past year 9999) is an error, not
   silently ignored, since the user who sets it wants exactly that instant.
2. Otherwise 1 January of the document's budget year (年度), 00:00 UTC: the disclosure is
   published early in that year, and the date depends only on the source.  Years before
   1980 are raised to 1980, the earliest instant a zip file (and so a docx) can record.
3. A document without a usable year (only reachable with ``build --force``) gets
   1980-01-01 00:00 UTC.

Never the wall clock.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

from perfdsl.ast import Document
from perfdsl.diagnostics import Msg

#: The earliest instant a zip archive can store (MS-DOS date): the floor for derived stamps.
ZIP_EPOCH_YEAR = 1980
_MAX_EPOCH = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())


class TimestampError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set but is not a valid instant; ``message`` says why."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def epoch_from_environment(environ: Mapping[str, str] | None = None) -> datetime | None:
    """The instant ``SOURCE_DATE_EPOCH`` names, None if unset or empty; raises if invalid."""
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        raise TimestampError(
            Msg(
                f"环境变量 SOURCE_DATE_EPOCH 的值 {raw!r} 无效：应当是自 1970-01-01 UTC "
                "起的秒数（非负整数），例如 1704067200",
                f"SOURCE_DATE_EPOCH={raw!r} is not valid: it must be a whole, non-negative "
                "number of seconds since 1970-01-01 UTC, such as 1704067200",
            )
        )
    seconds = int(text)
    if seconds > _MAX_EPOCH:
        raise TimestampError(
            Msg(
                f"环境变量 SOURCE_DATE_EPOCH 的值 {raw!r} 超出范围（晚于 9999 年）",
                f"SOURCE_DATE_EPOCH={raw!r} is out of range (after the year 9999)",
            )
        )
    return datetime.fromtimestamp(seconds, tz=UTC)


def derived_timestamp(document: Document) -> datetime:
    """1 January 00:00 UTC of the budget year (at least 1980): a function of the source only."""
    year = document.header.year_number or ZIP_EPOCH_YEAR
    return datetime(max(year, ZIP_EPOCH_YEAR), 1, 1, tzinfo=UTC)


def build_timestamp(document: Document, environ: Mapping[str, str] | None = None) -> datetime:
    """The timestamp every output of ``document`` carries (timezone-aware, UTC).

    ``environ`` defaults to ``os.environ``; tests pass a dict instead of patching the process.
    Raises :class:`TimestampError` when ``SOURCE_DATE_EPOCH`` is set but invalid.
    """
    return epoch_from_environment(environ) or derived_timestamp(document)

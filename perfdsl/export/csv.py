"""``--to csv``: a sheet as a CSV file, the way Excel on Chinese Windows opens it."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from perfdsl.export.sheets import Sheet


def csv_bytes(db: sqlite3.Connection, sheet: Sheet, lang: str) -> bytes:
    """UTF-8 with a BOM (Excel on Chinese Windows then reads it as UTF-8, not GBK), CRLF
    line ends and minimal quoting (RFC 4180), numbers as the exact decimal text."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in sheet.columns])
    for row in db.execute(sheet.select()):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

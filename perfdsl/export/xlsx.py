"""Excel workbooks: :func:`workbook_bytes` writes :class:`Table` s as sheets, the same bytes for
the same tables.  ``perfdsl export --to xlsx`` and ``perfdsl summary --format xlsx`` both
write through it.

A sheet: the header row bold, filled, frozen and repeated on every printed page, an
autofilter over the rows, column widths from the content (a CJK character counting two).
A cell's kind says how it is written: ``text`` always as text (never a formula, whatever it
starts with), ``int`` as a whole number, ``money`` and ``number`` (given as exact decimal
text) as a number only when Excel shows exactly the digits written (money with thousands
separators), else as the text.  Core properties and zip entries carry the instant given,
never the clock.

openpyxl (the ``export`` extra) is imported only when a workbook is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from perfdsl.diagnostics.render import display_width

#: Excel's limits: rows per sheet, characters per cell, significant digits of a number,
#: characters of a sheet's name.
XLSX_MAX_ROWS: Final = 1_048_576
XLSX_MAX_CELL: Final = 32_767
EXCEL_DIGITS: Final = 15
XLSX_MAX_TITLE: Final = 31

CellKind = Literal["text", "int", "money", "number"]
Cell = str | int | None


@attrs.frozen
class Column:
    header: str
    kind: CellKind = "text"
    #: ``right``: text that reads as a figure (a share, ``81.4%``) stands right like numbers;
    #: None: the spreadsheet's own (text left, numbers right).
    align: Literal["right"] | None = None


@attrs.frozen
class Table:
    """One sheet: its name, its columns, and the rows (a cell per column).

    ``rows`` is gone through twice (the widths, then the cells): a list, or an iterable that
    reads its rows again each time (a one-shot iterator is read into a list first).  Money
    and numbers are exact decimal text; None is an empty cell (``""`` an empty text).
    ``fit_width``: printed, the sheet is scaled to one page wide."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell]]
    fit_width: bool = False


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_TITLE = re.compile(r"[\\*?:/\[\]]")


def excel_number(text: str) -> tuple[float, int] | None:
    """(the number, its decimals) when a cell can be an Excel number that shows exactly the
    digits written: at most 15 significant digits, and the float reads back as the same
    value (146.00 → 146.0 with 2 decimals); None: write the text."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    if not number.is_finite():
        return None
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    scale = max(0, -exponent)
    if len(digits) > EXCEL_DIGITS or scale > EXCEL_DIGITS:
        return None
    value = float(number)
    if Decimal(repr(value)) != number:
        return None
    return value, scale


def number_format(kind: CellKind, scale: int) -> str:
    """Money with thousands separators, other numbers plain; exactly ``scale`` decimals."""
    decimals = "." + "0" * scale if scale else ""
    return f"#,##0{decimals}" if kind == "money" else f"0{decimals}"


def _shown(value: Any, kind: CellKind) -> str:
    """The text a cell shows (for the column widths)."""
    if value is None:
        return ""
    if kind in ("money", "number") and isinstance(value, str):
        found = excel_number(value)
        if found is not None and kind == "money":
            return f"{Decimal(value):,.{found[1]}f}"
    text = str(value)
    return max(text.split("\n"), key=len) if "\n" in text else text


MIN_WIDTH, MAX_WIDTH = 6, 60


def workbook_bytes(
    tables: Sequence[Table], lang: str, timestamp: datetime, *, title: str | None = None
) -> bytes:
    """The workbook: a sheet per table, in order, the same bytes for the same input.

    ``lang`` is the workbook's language property, ``title`` its title property, and
    ``timestamp`` its created and modified time and every zip entry's.  Sheet titles must be
    unique, at most 31 characters and free of ``\\ / * ? : [ ]`` (Excel's rules): ValueError
    otherwise, and for a table of more rows than a sheet holds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.writer.excel import ExcelWriter

    from perfdsl.emit.docx import normalise_zip

    titles = [t.title for t in tables]
    for name in titles:
        if not name or len(name) > XLSX_MAX_TITLE or _ILLEGAL_TITLE.search(name):
            raise ValueError(f"not a sheet title Excel takes: {name!r}")
    if len({name.casefold() for name in titles}) != len(titles):
        raise ValueError(f"sheet titles repeat: {titles}")
    stamp = timestamp.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    book = Workbook(write_only=True)
    book.properties.creator = "perfdsl"
    book.properties.lastModifiedBy = "perfdsl"
    if title is not None:
        book.properties.title = title
    book.properties.language = "zh-CN" if lang == "zh" else "en"
    book.properties.created = stamp
    book.properties.modified = stamp
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center")
    for table in tables:
        rows = list(table.rows) if isinstance(table.rows, Iterator) else table.rows
        kinds = [column.kind for column in table.columns]
        headers = [column.header for column in table.columns]
        aligned = [
            None if column.align is None else Alignment(horizontal=column.align)
            for column in table.columns
        ]
        widths = [display_width(h) for h in headers]
        count = 0
        for row in rows:
            count += 1
            for i, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                widths[i] = max(widths[i], display_width(_shown(value, kind)))
        if count + 1 > XLSX_MAX_ROWS:
            raise ValueError(f"{table.title}: {count} rows, more than a sheet holds")
        ws = book.create_sheet(table.title)
        for i, width in enumerate(widths, start=1):
            # (a CJK character is a little wider than two digits in the default fonts)
            ws.column_dimensions[get_column_letter(i)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, round(width * 1.1) + 2)
            )
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"  # printed, every page repeats the header
        ws.page_setup.orientation = "landscape"
        if table.fit_width:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(ws, value=_xlsx_text(text))
            cell.data_type = "s"
            cell.font, cell.fill, cell.alignment = bold, fill, centre
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            cells = [_xlsx_cell(ws, value, kind) for value, kind in zip(row, kinds, strict=True)]
            for cell, alignment in zip(cells, aligned, strict=True):
                if alignment is not None and cell is not None:
                    cell.alignment = alignment
            ws.append(cells)
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # (save_workbook would stamp the clock)
    return normalise_zip(buffer.getvalue(), timestamp)


def _xlsx_text(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)
    return text if len(text) <= XLSX_MAX_CELL else text[: XLSX_MAX_CELL - 1] + "…"


def _xlsx_cell(ws: Any, value: Any, kind: CellKind) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if kind == "int":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "0"
        return cell
    if kind in ("money", "number"):
        found = excel_number(value)
        if found is not None:
            cell = WriteOnlyCell(ws, value=found[0])
            cell.number_format = number_format(kind, found[1])
            return cell
    cell = WriteOnlyCell(ws, value=_xlsx_text(str(value)))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell

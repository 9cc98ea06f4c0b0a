"""An Excel workbook as blocks: each sheet's used range as a table, merged ranges as spans.

openpyxl reads in read-only mode (rows streamed, nothing kept but the values), within a cap
on cells, so a 100 MB sheet stops with a message instead of filling memory; the package is
checked against the zip limits first.  Read-only mode does not read merged ranges, so they
are read from the sheet's own XML (``<mergeCell ref="A1:B3"/>``), streamed as well.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

from perfdsl.importer.docx_grid import checked_zip
from perfdsl.importer.grid import Block, Cell, Paragraph, Table, Unreadable

#: Cells of all sheets together that an import reads (a 绩效目标表 has a few hundred).
MAX_CELLS = 500_000
_REF = re.compile(r"([A-Z]+)(\d+)")


def _index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _merges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    out: list[tuple[int, int, int, int]] = []
    name = path.lstrip("/")
    try:
        stream = archive.open(name)
    except KeyError:
        return out
    with stream:
        for _event, el in ET.iterparse(stream):
            if el.tag.endswith("}mergeCell"):
                parts = [_REF.fullmatch(p) for p in el.get("ref", "").split(":")]
                if len(parts) == 2 and all(parts):
                    (c1, r1), (c2, r2) = ((_index(m[1]), int(m[2]) - 1) for m in parts)  # type: ignore[index]
                    out.append((r1, c1, r2, c2))
            if not el.tag.endswith("}mergeCell") and not el.tag.endswith("}mergeCells"):
                el.clear()
    return out


_DECIMALS = re.compile(r"0\.(0+)")


def _text(value: object, number_format: str = "General") -> str:
    """A cell as the sheet shows it: a number in its format's decimals (146.00 where the
    format is ``0.00``, 1,234.50 under ``#,##0.00``), a date as a date."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
            return value.isoformat(sep=" ")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        # As Excel stored it, without a binary tail (0.1, not 0.1000…01) …
        text = repr(value)
        number = Decimal(text) if "e" not in text.lower() else Decimal(str(value))
        # … and with the decimals and separators its format shows.
        found = _DECIMALS.search(number_format)
        places = len(found.group(1)) if found else None
        if "%" in number_format:
            number *= 100
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places))
        elif number == number.to_integral():
            number = number.quantize(Decimal(1))
        else:
            number = number.normalize()
        shown = f"{number:,f}" if "#,##" in number_format else f"{number:f}"
        return shown + ("%" if "%" in number_format else "")
    return str(value).strip()


def read_xlsx(path: str) -> list[Block]:
    try:
        import openpyxl
    except ImportError:
        raise Unreadable(
            "导入 .xlsx 需要 openpyxl：pip install 'perfdsl[import]'",
            "importing .xlsx needs openpyxl: pip install 'perfdsl[import]'",
        ) from None
    data = checked_zip(path, ".xlsx")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise Unreadable(
            f"不是有效的 .xlsx 文件（{exc}）", f"not a valid .xlsx file ({exc})"
        ) from None
    blocks: list[Block] = []
    cells_read = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for sheet in book.worksheets:
            rows: list[list[str]] = []
            for row in sheet.iter_rows():
                cells_read += len(row)
                if cells_read > MAX_CELLS:
                    raise Unreadable(
                        f"表格超过 {MAX_CELLS} 个单元格的上限，不像绩效目标表",
                        f"the workbook has more than {MAX_CELLS:,} cells; not a target table",
                    )
                rows.append(
                    [_text(c.value, getattr(c, "number_format", None) or "General") for c in row]
                )
            while rows and not any(rows[-1]):
                rows.pop()
            width = max((len(r) for r in rows), default=0)
            while width and not any(len(r) >= width and r[width - 1] for r in rows):
                width -= 1
            if not rows or not width:
                continue
            merges = _merges(archive, getattr(sheet, "_worksheet_path", ""))
            covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
            for r1, c1, r2, c2 in merges:
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        covered[(r, c)] = (r1, c1, r2, c2)
            cells: list[Cell] = []
            for r, row in enumerate(rows):
                for c in range(width):
                    merge = covered.get((r, c))
                    text = row[c] if c < len(row) else ""
                    if merge is None:
                        cells.append(Cell(r, c, 1, 1, text))
                    elif merge[:2] == (r, c):
                        r2 = min(merge[2], len(rows) - 1)
                        c2 = min(merge[3], width - 1)
                        cells.append(Cell(r, c, r2 - r + 1, c2 - c + 1, text))
            table = Table(cells, width, len(rows), 0)
            # Tables stacked on one sheet with blank rows between are tables of their own, as
            # in Word; a title row merged over the whole width is a line above its table.
            for part in _stacked(table):
                part.number = sum(isinstance(b, Table) for b in blocks) + 1
                blocks += _title_rows(part)
    book.close()
    return blocks


def _stacked(table: Table) -> list[Table]:
    """The table cut at its blank rows (no text, and no merged cell running through)."""
    cuts = [
        r
        for r in range(table.height)
        if all(not c.text for c in table.row_cells(r))
        and all(c.rowspan == 1 for c in table.row_cells(r))
    ]
    out: list[Table] = []
    start = 0
    for cut in [*cuts, table.height]:
        if cut > start:
            out.append(table.sub(start, cut))
        start = cut + 1
    return out


def _narrowed(table: Table) -> Table:
    """Without the blank columns at its right (a wider table's, further down the sheet)."""
    used = [c.end_col for c in table.cells if c.text or c.colspan > 1 or c.rowspan > 1]
    width = max(used, default=table.width)
    if width >= table.width:
        return table
    cells = [c for c in table.cells if c.col < width]
    return Table(cells, width, table.height, table.number)


def _title_rows(table: Table) -> list[Block]:
    out: list[Block] = []
    start = 0
    while start < table.height:
        cells = table.origins(start)
        if len(cells) == 1 and cells[0].colspan == table.width and table.width > 1:
            out.append(Paragraph(cells[0].text))
            start += 1
            continue
        filled = [c for c in cells if c.text]
        if len(filled) == 1 and table.width > 2 and filled[0].col == 0 and start == 0:
            out.append(Paragraph(filled[0].text))
            start += 1
            continue
        break
    if start < table.height:
        out.append(_narrowed(table.sub(start, table.height)))
    return out

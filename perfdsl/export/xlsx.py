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

The package is written directly (no library): SpreadsheetML parts, inline strings, one
style per number format used.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, BinaryIO, Final, Literal

import attrs

from perfdsl.output import display_width

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
    otherwise, and for a table of more rows than a sheet holds.

    The package is written here, part by part, as SpreadsheetML text (cells as inline
    strings, no shared-string table): a library that builds a cell object per cell spent a
    minute on a department's 81,000 indicator rows."""
    titles = [t.title for t in tables]
    for name in titles:
        if not name or len(name) > XLSX_MAX_TITLE or _ILLEGAL_TITLE.search(name):
            raise ValueError(f"not a sheet title Excel takes: {name!r}")
    if len({name.casefold() for name in titles}) != len(titles):
        raise ValueError(f"sheet titles repeat: {titles}")
    styles = _Styles()
    buffer = io.BytesIO()
    when = _zip_time(timestamp)
    sheets: list[tuple[str, int, int]] = []  # (title, columns, rows with the header)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        # [Content_Types].xml first, as Office writes it; each sheet streamed into the zip.
        archive.writestr(_entry("[Content_Types].xml", when), _content_types(len(tables)))
        for n, table in enumerate(tables, start=1):
            rows = list(table.rows) if isinstance(table.rows, Iterator) else table.rows
            count, widths = _measure(table, rows)
            if count + 1 > XLSX_MAX_ROWS:
                raise ValueError(f"{table.title}: {count} rows, more than a sheet holds")
            sheets.append((table.title, len(table.columns), count + 1))
            with archive.open(_entry(f"xl/worksheets/sheet{n}.xml", when), "w") as out:
                _write_sheet(out, table, rows, count, widths, styles)
        parts = {
            "_rels/.rels": _ROOT_RELS,
            "docProps/app.xml": _APP_XML,
            "docProps/core.xml": _core_xml(timestamp, lang, title),
            "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
            "xl/styles.xml": styles.xml(),
            "xl/workbook.xml": _workbook_xml(sheets),
        }
        for name, data in parts.items():
            archive.writestr(_entry(name, when), data)
    return buffer.getvalue()


def _measure(table: Table, rows: Iterable[Sequence[Cell]]) -> tuple[int, list[int]]:
    """The number of rows, and each column's width in characters (CJK counting two)."""
    kinds = [c.kind for c in table.columns]
    widths = [display_width(c.header) for c in table.columns]
    count = 0
    for row in rows:
        count += 1
        for i, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if value is not None:
                widths[i] = max(widths[i], display_width(_shown(value, kind)))
    return count, widths


# --- the parts -----------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
).encode()

_APP_XML = (
    f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>perfdsl</Application></Properties>'
).encode()


def _entry(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def _zip_time(timestamp: datetime) -> tuple[int, int, int, int, int, int]:
    moment = timestamp.astimezone(UTC)
    year = min(max(moment.year, 1980), 2107)  # what a zip entry can record
    return (year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)


def _content_types(sheets: int) -> bytes:
    overrides = [
        (
            "/xl/workbook.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        ),
        (
            "/xl/styles.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        ),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
        *((f"/xl/worksheets/sheet{n}.xml", _SHEET_TYPE) for n in range(1, sheets + 1)),
    ]
    body = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    ).encode()


def _workbook_xml(sheets: list[tuple[str, int, int]]) -> bytes:
    listed = "".join(
        f'<sheet name="{_attr(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _c, _r) in enumerate(sheets, start=1)
    )
    names = []
    for i, (name, columns, rows) in enumerate(sheets):
        quoted = "'" + name.replace("'", "''") + "'"
        last = _letter(columns)
        names.append(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{_text(quoted)}!$A$1:${last}${rows}</definedName>"
        )
        names.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{_text(quoted)}!$1:$1</definedName>"
        )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
        f"</bookViews><sheets>{listed}</sheets><definedNames>{''.join(names)}</definedNames>"
        "</workbook>"
    ).encode()


def _workbook_rels(sheets: int) -> bytes:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'.encode()


def _core_xml(timestamp: datetime, lang: str, title: str | None) -> bytes:
    stamp = timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    named = f"<dc:title>{_text(title)}</dc:title>" if title is not None else ""
    return (
        f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{named}<dc:creator>perfdsl</dc:creator><cp:lastModifiedBy>perfdsl</cp:lastModifiedBy>"
        f"<dc:language>{'zh-CN' if lang == 'zh' else 'en'}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


class _Styles:
    """The cell formats the sheets use, numbered as they are first asked for."""

    #: Fixed formats: 0 the default, 1 the header (bold, filled, centred), 2 whole numbers.
    HEADER, INT = 1, 2

    def __init__(self) -> None:
        self.formats: list[str] = []  # custom number formats, ids from 164
        self.xfs: list[tuple[int, bool]] = []  # (number format id, right-aligned), from 3
        self._index: dict[tuple[int, bool], int] = {}

    def number(self, code: str, right: bool = False) -> int:
        if code not in self.formats:
            self.formats.append(code)
        return self.xf(164 + self.formats.index(code), right)

    def xf(self, format_id: int, right: bool) -> int:
        key = (format_id, right)
        if key not in self._index:
            self._index[key] = 3 + len(self.xfs)
            self.xfs.append(key)
        return self._index[key]

    def xml(self) -> bytes:
        formats = "".join(
            f'<numFmt numFmtId="{164 + i}" formatCode="{_attr(code)}"/>'
            for i, code in enumerate(self.formats)
        )
        extra = "".join(_xf(fid, right) for fid, right in self.xfs)
        count = 3 + len(self.xfs)
        return (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="{len(self.formats)}">{formats}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="00DDEBF7"/>'
            "</patternFill></fill></fills>"
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{count}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
            'applyFill="1" applyAlignment="1"><alignment horizontal="center" '
            'vertical="center"/></xf>'
            '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
            f"{extra}</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        ).encode()


def _xf(format_id: int, right: bool) -> str:
    applied = ' applyNumberFormat="1"' if format_id else ""
    start = f'<xf numFmtId="{format_id}" fontId="0" fillId="0" borderId="0" xfId="0"{applied}'
    if not right:
        return start + "/>"
    return start + ' applyAlignment="1"><alignment horizontal="right"/></xf>'


def _write_sheet(
    out: BinaryIO,
    table: Table,
    rows: Iterable[Sequence[Cell]],
    count: int,
    widths: Sequence[int],
    styles: _Styles,
) -> None:
    columns = table.columns
    kinds = [c.kind for c in columns]
    right = [c.align == "right" for c in columns]
    last = _letter(len(columns))
    letters = [_letter(i) for i in range(1, len(columns) + 1)]
    head = [
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if table.fit_width else "",
        f'<dimension ref="A1:{last}{count + 1}"/>',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
        'activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/><cols>',
        *(
            # (a CJK character is a little wider than two digits in the default fonts)
            f'<col min="{i}" max="{i}" width="{min(MAX_WIDTH, max(MIN_WIDTH, round(w * 1.1) + 2))}"'
            ' customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        ),
        "</cols><sheetData>",
        '<row r="1">',
        *(
            f'<c r="{letters[i]}1" s="{styles.HEADER}" t="inlineStr"><is><t xml:space='
            f'"preserve">{_text(_xlsx_text(c.header))}</t></is></c>'
            for i, c in enumerate(columns)
        ),
        "</row>",
    ]
    out.write("".join(head).encode("utf-8"))
    for r, row in enumerate(rows, start=2):
        cells = [f'<row r="{r}">']
        for i, value in enumerate(row):
            if value is None:
                continue
            where = f"{letters[i]}{r}"
            kind = kinds[i]
            if kind == "int" and isinstance(value, int):
                cells.append(f'<c r="{where}" s="{styles.INT}"><v>{value}</v></c>')
                continue
            if kind in ("money", "number") and isinstance(value, str):
                found = excel_number(value)
                if found is not None:
                    style = styles.number(number_format(kind, found[1]), right[i])
                    cells.append(f'<c r="{where}" s="{style}"><v>{found[0]!r}</v></c>')
                    continue
            style = f' s="{styles.xf(0, True)}"' if right[i] else ""
            text = _text(_xlsx_text(str(value)))
            cells.append(
                f'<c r="{where}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t>'
                "</is></c>"
            )
        cells.append("</row>")
        out.write("".join(cells).encode("utf-8"))
    landscape = ' fitToWidth="1" fitToHeight="0"' if table.fit_width else ""
    out.write(
        (
            f'</sheetData><autoFilter ref="A1:{last}{count + 1}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            f'footer="0.3"/><pageSetup orientation="landscape"{landscape}/></worksheet>'
        ).encode()
    )


def _letter(n: int) -> str:
    """Column ``n`` (1 = A) as Excel names it: A … Z, AA …"""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _text(text).replace('"', "&quot;")


def _xlsx_text(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)
    return text if len(text) <= XLSX_MAX_CELL else text[: XLSX_MAX_CELL - 1] + "…"

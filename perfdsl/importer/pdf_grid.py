"""A text PDF as blocks, through pdfplumber: the lines outside tables, and each table's cells
with their spans worked out from the ruling lines (a merged cell is one rectangle).

A PDF with no text layer (a scan) is said to be one, with the advice to OCR it first; an
encrypted one is refused with a message.  Pages and characters are capped so that a huge or
hostile file stops instead of exhausting memory.
"""

from __future__ import annotations

import os
import re

from perfdsl.importer.grid import Block, Cell, Paragraph, Table, Unreadable, is_contents_line

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_PAGES = 500


def read_pdf(path: str) -> list[Block]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:
        raise Unreadable(
            "导入 PDF 需要 pdfplumber：pip install 'perfdsl[import]'",
            "importing a PDF needs pdfplumber: pip install 'perfdsl[import]'",
        ) from None
    if os.path.getsize(path) > MAX_PDF_BYTES:
        raise Unreadable("PDF 超过 64 MiB 的上限", "the PDF is over the 64 MiB limit")
    blocks: list[Block] = []
    texts = 0
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise Unreadable(
                    f"PDF 超过 {MAX_PAGES} 页的上限", f"the PDF has more than {MAX_PAGES} pages"
                )
            edges: dict[int, list[float]] = {}
            for page in pdf.pages:
                texts += len(page.chars)
                found = _page(page, len(blocks), edges)
                _continue(blocks, found, edges)
                blocks += found
                page.flush_cache()
    except Unreadable:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Unreadable(
            "PDF 加了密码，无法读取", "the PDF is encrypted (password protected)"
        ) from None
    except PDFSyntaxError as exc:
        raise Unreadable(f"不是有效的 PDF（{exc}）", f"not a valid PDF ({exc})") from None
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise Unreadable("PDF 加了密码，无法读取", "the PDF is encrypted") from None
        raise Unreadable(
            f"无法读取 PDF（{name}: {exc}）", f"cannot read the PDF ({name}: {exc})"
        ) from None
    if texts == 0:
        raise Unreadable(
            "这个 PDF 没有文字层（像是扫描件）；请先用 OCR（如 ocrmypdf）加上文字层，再导入",
            "this PDF has no text layer (it looks scanned); run OCR on it first "
            "(such as ocrmypdf), then import it",
        )
    return blocks


def _page(page: object, already: int, edges: dict[int, list[float]]) -> list[Block]:
    found = page.find_tables()  # type: ignore[attr-defined]
    out: list[tuple[float, Block]] = []
    boxes = [t.bbox for t in found]
    number = already
    for table in found:
        number += 1
        grid, xs = _table(table, number)
        edges[number] = xs
        out.append((table.bbox[1], grid))

    def outside(obj: dict) -> bool:  # type: ignore[type-arg]
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside)  # type: ignore[attr-defined]
    for line in rest.extract_text_lines(strip=True):
        text = line["text"].strip()
        # Page numbers and a table of contents are the printer's, not the tables' (a Word
        # file has them as fields and styles; a PDF only as text).
        if text and not _FURNITURE.fullmatch(text) and not is_contents_line(text):
            out.append((line["top"], Paragraph(text)))
    out.sort(key=lambda item: item[0])
    return [block for _, block in out]


#: A line alone at the top of a page that is the page's furniture, not the document's.
_FURNITURE = re.compile(r"[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d+\s*页?)?[-—–\s]*")


def _continue(blocks: list[Block], found: list[Block], edges: dict[int, list[float]]) -> None:
    """A table broken over a page: the page's first table, under nothing but a page number,
    with the same columns as the table that ended the page before, is more of that table.
    Its rows are added to it, and a blank cell at its top continues the cell above (the
    merged 一级 the page break cut)."""
    while found and isinstance(found[0], Paragraph) and _FURNITURE.fullmatch(found[0].text):
        found.pop(0)
    if not found or not blocks or not isinstance(found[0], Table):
        return
    last, new = blocks[-1], found[0]
    if not isinstance(last, Table) or last.width != new.width:
        return
    a, b = edges.get(last.number, []), edges.get(new.number, [])
    if len(a) != len(b) or any(abs(x - y) > 3 for x, y in zip(a, b, strict=True)):
        return
    first_row = [c for c in new.cells if c.row == 0 and c.text.strip()]
    heads = {c.col: c.text for c in last.cells if c.row == 0}
    if first_row and all(heads.get(c.col) == c.text for c in first_row):
        new = new.sub(1, new.height)  # the header repeated on the new page: the rest follow
    cells = list(last.cells)
    for cell in new.cells:
        above = last.at(last.height - 1, cell.col)
        if (
            cell.row == 0
            and not cell.text.strip()
            and above is not None
            and above.text.strip()
            and above.col == cell.col
            and above.colspan == cell.colspan
        ):
            grown = Cell(
                above.row, above.col, above.rowspan + cell.rowspan, above.colspan, above.text
            )
            cells[cells.index(above)] = grown
            continue
        cells.append(Cell(cell.row + last.height, cell.col, cell.rowspan, cell.colspan, cell.text))
    blocks[-1] = Table(
        sorted(cells, key=lambda c: (c.row, c.col)),
        last.width,
        last.height + new.height,
        last.number,
        last.joined + new.joined,
    )
    found.pop(0)


def _table(table: object, number: int) -> tuple[Table, list[float]]:
    """Cells from their rectangles: the grid lines are every distinct cell edge."""
    rects = [c for c in table.cells if c is not None]  # type: ignore[attr-defined]
    xs = sorted({round(v, 1) for c in rects for v in (c[0], c[2])})
    ys = sorted({round(v, 1) for c in rects for v in (c[1], c[3])})
    xs, ys = _merge_close(xs), _merge_close(ys)
    page = table.page  # type: ignore[attr-defined]
    cells: list[Cell] = []
    joined = 0
    for x0, top, x1, bottom in rects:
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        # A character is in the cell its centre is in (a glyph may stand a fraction of a
        # point over a ruling line, and would be lost to a strict crop).
        crop = page.filter(lambda o, b=(x0, top, x1, bottom): _centred(o, b))
        lines = [ln["text"].strip() for ln in crop.extract_text_lines(strip=True)]
        text = _join([ln for ln in lines if ln])
        joined += text.count("\n") + 1 < len([ln for ln in lines if ln])
        cells.append(Cell(r0, c0, r1 - r0, c1 - c0, text))
    cells.sort(key=lambda c: (c.row, c.col))
    return Table(cells, max(len(xs) - 1, 0), max(len(ys) - 1, 0), number, joined), xs


def _centred(obj: dict, box: tuple[float, float, float, float]) -> bool:  # type: ignore[type-arg]
    if obj.get("object_type") != "char":
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _merge_close(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _nearest(values: list[float], v: float) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - v))


#: A line that starts an item of its own: ``2.``/``2、`` (not ``3.6万亩``), ``(二)``, ``目标2:``.
_ITEM = re.compile(
    r"\d{1,3}[.、．](?!\d)|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|目标\d"
)


def _join(lines: list[str]) -> str:
    """A cell's lines as its text: a line the PDF wrapped joins the one before it; a line
    that starts a numbered item (``2.…``) starts a line of its own."""

    out = ""
    for line in lines:
        if not out:
            out = line
        elif _ITEM.match(line):
            out += "\n" + line
        else:
            out += line
    return out

"""A Word file as blocks: its paragraphs and tables, merged cells read from the raw XML.

python-docx reports a merged cell once in every grid position it covers (and rebuilds the
grid on every ``cell(r, c)`` call), so the body is read here from ``word/document.xml``
directly: ``w:gridSpan`` is a cell's width in grid columns, ``w:vMerge`` (without
``restart``) continues the cell above, ``w:gridBefore`` skips columns at a row's start.  The
package is checked against the limits of :mod:`perfdsl.limits` before anything is inflated
for real (a zip bomb stops there), and the XML parser refuses entity declarations.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from perfdsl.importer.grid import Block, Cell, Paragraph, Table, Unreadable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def checked_zip(path: str, what: str) -> bytes:
    """The bytes of an Office package within every size limit; Unreadable otherwise."""
    from perfdsl.commands.textconv import Refused, checked_docx

    try:
        data = checked_docx(path)
    except Refused as refused:
        raise Unreadable(
            f"{refused.message.zh}；这个文件可能是解压炸弹",
            f"{refused.message.en}; the file may be a zip bomb",
        ) from None
    except OSError as exc:
        raise Unreadable(
            f"无法读取文件：{exc.strerror or exc}", f"cannot read the file: {exc.strerror or exc}"
        ) from None
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        if _is_ole(path):
            raise Unreadable(
                f"这个 {what} 是加密的（设了打开密码），或者其实是旧的二进制格式；"
                "请在 Office 里去掉密码或另存为新格式后再导入",
                f"this {what} is encrypted (it has a password), or is really the old binary "
                "format; remove the password or save it in the new format, then import it",
            ) from None
        raise Unreadable(
            f"不是有效的 {what} 文件（{exc}）", f"not a valid {what} file ({exc})"
        ) from None
    return data


def _is_ole(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(8) == OLE
    except OSError:
        return False


def parse_xml(data: bytes, what: str) -> ET.Element:
    """XML without entity declarations (no billion laughs), as an element tree."""
    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:65536]:
        raise Unreadable(f"{what} 含有 DTD，拒绝读取", f"{what} holds a DTD; refused")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise Unreadable(
            f"{what} 不是有效的 XML（{exc}）", f"{what} is not valid XML ({exc})"
        ) from None


def read_docx(path: str) -> list[Block]:
    data = checked_zip(path, ".docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read("word/document.xml")
        except KeyError:
            raise Unreadable(
                "这个文件里没有 word/document.xml，不是 Word 文档",
                "there is no word/document.xml in it: not a Word document",
            ) from None
    root = parse_xml(xml, "word/document.xml")
    body = root.find(f"{W}body")
    if body is None:
        raise Unreadable("Word 文档没有正文", "the Word document has no body")
    blocks: list[Block] = []
    _walk(body, blocks)
    return blocks


def _walk(parent: ET.Element, blocks: list[Block]) -> None:
    for child in parent:
        tag = child.tag
        if tag == f"{W}p":
            blocks.append(Paragraph(paragraph_text(child), _style(child)))
        elif tag == f"{W}tbl":
            number = sum(isinstance(b, Table) for b in blocks) + 1
            blocks.append(table(child, number))
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            _walk(child, blocks)


def _style(p: ET.Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def paragraph_text(p: ET.Element) -> str:
    """The visible text of a paragraph: runs, tabs and line breaks; deleted text left out."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _cell_text(tc: ET.Element) -> str:
    lines: list[str] = []
    for child in tc:
        if child.tag == f"{W}p":
            lines.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":  # a table inside a cell: its text, row by row
            for p in child.iter(f"{W}p"):
                lines.append(paragraph_text(p))
        elif child.tag == f"{W}sdt":
            lines += [paragraph_text(p) for p in child.iter(f"{W}p")]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _int(el: ET.Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(f"{W}val", default)))
    except ValueError:
        return default


def table(tbl: ET.Element, number: int) -> Table:
    """One w:tbl as cells with their spans; a ragged table is widened to its widest row."""
    cells: list[Cell] = []
    #: the cell occupying each grid column in the row above (for vMerge continuations)
    above: dict[int, int] = {}
    rows = [tr for tr in tbl if tr.tag == f"{W}tr"]
    width = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    for r, tr in enumerate(rows):
        col = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        here: dict[int, int] = {}
        for tc in tr:
            if tc.tag == f"{W}sdt":
                inner = tc.find(f"{W}sdtContent/{W}tc")
                if inner is None:
                    continue
                tc = inner
            if tc.tag != f"{W}tc":
                continue
            span = max(1, _int(tc.find(f"{W}tcPr/{W}gridSpan"), 1))
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = merge is not None and merge.get(f"{W}val", "continue") != "restart"
            index = above.get(col)
            if continues and index is not None and cells[index].col == col:
                old = cells[index]
                cells[index] = Cell(old.row, old.col, r - old.row + 1, old.colspan, old.text)
                for c in range(col, col + old.colspan):
                    here[c] = index
            else:
                cells.append(Cell(r, col, 1, span, _cell_text(tc)))
                for c in range(col, col + span):
                    here[c] = len(cells) - 1
            col += span
        width = max(width, col)
        above = here
    return Table(cells, width, len(rows), number)

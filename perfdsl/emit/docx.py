"""The Word document: what a finance office publishes in its 部门预算公开 package.

python-docx supplies the package (parts, relationships, styles, core properties); the body is
written as WordprocessingML text and parsed once.  That is deliberate:

- python-docx's ``table.cell(r, c)`` rebuilds the grid on every call (quadratic), and it has no
  API for borders, ``w:tblHeader``, ``w:cantSplit`` or the East Asian font; writing the XML
  ourselves is both complete and fast (a 1,000-project document takes about a second).
- Every byte is decided here: zip entry dates come from ``timestamp``, core properties are
  fixed, and python-docx's template leftovers (thumbnail, customXml, stylesWithEffects, the
  "Microsoft Macintosh Word" app.xml) are dropped, so the same input gives the same bytes.

python-docx is imported inside the functions: importing this module stays cheap, and
``perfdsl check`` never loads it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as _xml_escape

from perfdsl.ast import Document
from perfdsl.emit.table import Cell, Covered, DocumentView, Grid, ProjectView, document_view
from perfdsl.standards.templates import Page, Template

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f'xmlns:w="{W_NS}"'

#: A4 portrait in twentieths of a point, and margins that leave a 17 cm wide text column.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 1440, 1304, 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
#: A4 landscape: the same margins round a page turned on its side.
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - 2 * MARGIN_SIDE

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class DocxError(Exception):
    """The document could not be built; the message says why, for the user."""


def esc(text: str) -> str:
    """Text safe inside an XML element or attribute; characters XML forbids are dropped."""
    return _xml_escape(_INVALID_XML.sub("", text), {'"': "&quot;"})


# --- runs and paragraphs -----------------------------------------------------------------------


def _run(text: str, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def _para(text: str, style: str | None = None, jc: str | None = None, bold: bool = False) -> str:
    ppr = ""
    if style or jc:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if jc:
            ppr += f'<w:jc w:val="{jc}"/>'
        ppr += "</w:pPr>"
    run = _run(text, bold) if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


# --- tables ------------------------------------------------------------------------------------

_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def column_twips(widths: Iterable[float], total: int = TEXT_WIDTH) -> list[int]:
    """Scale relative widths to twips that add up to exactly ``total``."""
    shares = list(widths)
    whole = sum(shares)
    twips = [int(total * share / whole) for share in shares]
    twips[-1] += total - sum(twips)
    return twips


def _cell_xml(
    cell: Cell | Covered, twips: list[int], col: int, small: bool = False
) -> tuple[str, int]:
    span = cell.colspan
    width = sum(twips[col : col + span])
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if isinstance(cell, Covered):
        tcpr += '<w:vMerge/><w:vAlign w:val="center"/>'
        return f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p/></w:tc>", span
    if cell.rowspan > 1:
        tcpr += '<w:vMerge w:val="restart"/>'
    tcpr += '<w:vAlign w:val="center"/>'
    style = "TableText" if cell.align == "center" else "TableTextLeft"
    if small:
        style += "Small"
    bold = cell.role == "column"
    paragraphs = "".join(_para(line, style, bold=bold) for line in cell.lines) or _para("", style)
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraphs}</w:tc>", span


def table_xml(grid: Grid, total: int = TEXT_WIDTH) -> str:
    """A bordered, fixed-layout table; header rows repeat on each page, no row splits."""
    twips = column_twips(grid.widths, total)
    margin = 40 if grid.crowded else 85  # a crowded table needs every twip for its words
    parts = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{_BORDERS}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="0"/>',
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in twips),
        "</w:tblGrid>",
    ]
    for index, row in enumerate(grid.rows):
        header = "<w:tblHeader/>" if index < grid.header_rows else ""
        parts.append(f'<w:tr><w:trPr><w:cantSplit/>{header}<w:trHeight w:val="454"/></w:trPr>')
        col = 0
        for cell in row:
            xml, span = _cell_xml(cell, twips, col, grid.crowded)
            parts.append(xml)
            col += span
        if col != len(twips):
            raise DocxError(f"internal layout error: a row has {col} of {len(twips)} columns")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


# --- headings and the table of contents ------------------------------------------------------


def bookmark(number: int) -> str:
    """The bookmark a heading carries and its TOC entry links to (Word's own _Toc prefix)."""
    return f"_Toc{number:08d}"


def _heading(project: ProjectView, first_on_page: bool = False) -> str:
    """The table's heading; each table starts a page, but the first of a document with nothing
    before it (no cover, no contents) stays on the first page."""
    name = bookmark(project.number)
    keep = '<w:pageBreakBefore w:val="0"/>' if first_on_page else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="Heading1"/>{keep}</w:pPr>'
        f'<w:bookmarkStart w:id="{project.number}" w:name="{name}"/>'
        f"{_run(project.heading)}"
        f'<w:bookmarkEnd w:id="{project.number}"/></w:p>'
    )


def _field(instruction: str, result: str = "") -> str:
    cached = f'<w:r><w:t xml:space="preserve">{esc(result)}</w:t></w:r>' if result else ""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{cached}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def toc_xml(view: DocumentView, pages: list[int]) -> str:
    """A real TOC field (``TOC \\o "1-1" \\h``) pre-filled with one entry per heading.

    The cached entries make the contents read correctly before Word updates fields (and in
    LibreOffice, which shows them as they are); ``w:updateFields`` in settings asks Word to
    refresh them, page numbers included, when the file is opened.
    """
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if not view.projects:
        return f'<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}{end}</w:p>'
    out = []
    last = len(view.projects) - 1
    for index, project in enumerate(view.projects):
        name = bookmark(project.number)
        page = _field(f"PAGEREF {name} \\h", str(pages[index]))
        entry = (
            f'<w:hyperlink w:anchor="{name}" w:history="1">{_run(project.heading)}'
            f"<w:r><w:tab/></w:r>{page}</w:hyperlink>"
        )
        out.append(
            '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>'
            f"{begin if index == 0 else ''}{entry}{end if index == last else ''}</w:p>"
        )
    return "".join(out)


def estimate_pages(view: DocumentView, toc_pages: int) -> list[int]:
    """Where each project's heading will land, for the TOC's cached page numbers.

    Every project starts a new page (Heading 1 has page-break-before), so the estimate is
    the pages of the contents plus the pages each earlier project fills, counted in lines
    of table text.  Word recomputes the real numbers when it updates the field on opening.
    """
    pages: list[int] = []
    page = toc_pages + 1
    for project in view.projects:
        pages.append(page)
        page += max(1, -(-_project_lines(project) // _LINES_PER_PAGE))
    return pages


_LINES_PER_PAGE = 44  # 10.5 pt table text with row padding on an A4 page with our margins


def _project_lines(project: ProjectView) -> int:
    lines = 5  # heading, unit line, money line, the gap between the tables
    for grid in project.tables:
        twips = column_twips(grid.widths)
        for row in grid.rows:
            height, col = 1, 0
            for cell in row:
                if isinstance(cell, Cell) and cell.rowspan == 1:
                    width = sum(twips[col : col + cell.colspan]) - 170
                    per_line = max(1, width // 210)  # 10.5 pt CJK characters per line
                    need = sum(max(1, -(-_display_width(t) // (2 * per_line))) for t in cell.lines)
                    height = max(height, need)
                col += cell.colspan
            lines += height
    return lines


def _display_width(text: str) -> int:
    """Columns ``text`` takes, CJK counting two: near enough for a page estimate, and fast
    (UTF-8 spends three bytes on a CJK character, one on ASCII)."""
    length = len(text)
    return length + (len(text.encode("utf-8", "surrogatepass")) - length) // 2


def body_xml(view: DocumentView, page: Page) -> str:
    """Everything between ``<w:body>`` and the section properties."""
    toc_lines_per_page = 34
    toc_pages = 1 + max(0, len(view.projects) - 1) // toc_lines_per_page
    pages = estimate_pages(view, toc_pages)
    parts: list[str] = []
    if view.cover:  # the title, the unit and the year alone on the first page
        parts += [
            _para(view.title, "Title"),
            _para(view.unit_line, "CoverLine"),
            _para(view.dated or (f"{view.year}年" if view.year else ""), "CoverLine"),
        ]
    if view.contents:
        if not view.cover:
            parts.append(_para(view.title, "Title"))
        parts += [_para("目录", "TOCTitle"), toc_xml(view, pages)]
    width = LANDSCAPE_TEXT_WIDTH if view.landscape else TEXT_WIDTH
    for number, project in enumerate(view.projects):
        first = number == 0 and not (view.cover or view.contents)
        parts.append(_heading(project, first_on_page=first))
        if project.subtitle:
            parts.append(_para(project.subtitle, "Subtitle"))
        parts += [_para(line, _line_style(line)) for line in project.above]
        for index, grid in enumerate(project.tables):
            if index:
                parts.append(_para("", "TableGap"))
            if grid.title:
                parts.append(_para(grid.title, "UnitLine"))
            parts.append(table_xml(grid, width))
        parts += [_para(line, "BelowLine") for line in project.below]
    return "".join(parts)


def _line_style(line: str) -> str:
    """A line above a table: the money unit (单位：万元) stands on the right, others on the left."""
    return "MoneyLine" if line.startswith("单位：") else "UnitLine"


# --- styles ------------------------------------------------------------------------------------


def _fonts(east_asia: str, latin: str) -> str:
    return (
        f'<w:rFonts w:ascii="{esc(latin)}" w:hAnsi="{esc(latin)}" '
        f'w:eastAsia="{esc(east_asia)}" w:cs="{esc(latin)}" w:hint="eastAsia"/>'
    )


def _size(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


_LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'


def _styles(layout: Page) -> dict[str, str]:
    """Paragraph styles by id: the body, headings, TOC and table text, all with Chinese fonts."""
    body = _fonts(layout.body_font, layout.latin_font)
    table = _fonts(layout.table_font, layout.latin_font)
    heading = _fonts(layout.heading_font, layout.latin_font)
    tight = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'

    def style(
        sid: str, name: str, ppr: str, rpr: str, extra: str = "", based_on: str = "Normal"
    ) -> str:
        custom = "" if sid in _BUILTIN else ' w:customStyle="1"'
        based = "" if sid == "Normal" else f'<w:basedOn w:val="{based_on}"/>'
        return (
            f'<w:style {_W} w:type="paragraph"{custom} w:styleId="{sid}">'
            f'<w:name w:val="{name}"/>{based}{extra}'
            f"<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}{_LANG}</w:rPr></w:style>"
        )

    tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
    return {
        "Normal": style(
            "Normal",
            "Normal",
            '<w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" w:line="360" '
            'w:lineRule="auto"/><w:jc w:val="both"/>',
            body + _size(layout.body_size_pt),
        ),
        "Title": style(
            "Title",
            "Title",
            '<w:spacing w:before="480" w:after="480"/><w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
            heading + _size(layout.title_size_pt),
            '<w:next w:val="Normal"/>',
        ),
        "TOCTitle": style(
            "TOCTitle",
            "TOC Title",
            '<w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/>',
            heading + _size(layout.heading_size_pt),
        ),
        "TOC1": style(
            "TOC1",
            "toc 1",
            f'{tabs}<w:spacing w:before="60" w:after="60"/><w:jc w:val="left"/>',
            body + _size(layout.body_size_pt),
            '<w:next w:val="Normal"/><w:uiPriority w:val="39"/>',
        ),
        "Heading1": style(
            "Heading1",
            "heading 1",
            '<w:keepNext/><w:keepLines/><w:pageBreakBefore/><w:spacing w:before="240" '
            'w:after="240" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>'
            '<w:outlineLvl w:val="0"/>',
            heading + _size(layout.heading_size_pt),
            '<w:next w:val="Normal"/><w:uiPriority w:val="9"/>',
        ),
        "UnitLine": style(
            "UnitLine",
            "Unit Line",
            f'<w:keepNext/>{tight}<w:jc w:val="left"/>',
            body + _size(layout.body_size_pt),
        ),
        "MoneyLine": style(
            "MoneyLine",
            "Money Unit Line",
            '<w:keepNext/><w:spacing w:before="0" w:after="60" w:line="240" w:lineRule="auto"/>'
            '<w:jc w:val="right"/>',
            body + _size(layout.body_size_pt),
        ),
        "TableText": style(
            "TableText",
            "Table Text",
            f'{tight}<w:jc w:val="center"/>',
            table + _size(layout.table_size_pt),
        ),
        "TableTextLeft": style(
            "TableTextLeft",
            "Table Text Left",
            f'{tight}<w:jc w:val="left"/>',
            table + _size(layout.table_size_pt),
            based_on="TableText",
        ),
        "TableTextSmall": style(
            "TableTextSmall",
            "Table Text Small",
            f'{tight}<w:jc w:val="center"/>',
            table + _size(layout.table_small_size_pt),
            based_on="TableText",
        ),
        "TableTextLeftSmall": style(
            "TableTextLeftSmall",
            "Table Text Left Small",
            f'{tight}<w:jc w:val="left"/>',
            table + _size(layout.table_small_size_pt),
            based_on="TableText",
        ),
        "Subtitle": style(
            "Subtitle",
            "Table Subtitle",
            f'<w:keepNext/>{tight}<w:jc w:val="center"/>',
            body + _size(layout.body_size_pt),
        ),
        "CoverLine": style(
            "CoverLine",
            "Cover Line",
            '<w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/>',
            heading + _size(layout.heading_size_pt),
        ),
        "BelowLine": style(
            "BelowLine",
            "Below Table",
            '<w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/>'
            '<w:jc w:val="left"/>',
            body + _size(layout.body_size_pt),
        ),
        "TableGap": style(
            "TableGap",
            "Table Gap",
            '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/>',
            table + _size(6),
        ),
    }


_BUILTIN = frozenset({"Normal", "Title", "TOC1", "Heading1"})


def _install_styles(word: WordDocument, layout: Page) -> None:
    from docx.oxml.parser import parse_xml

    styles = word.styles.element
    by_id = {s.get(f"{{{W_NS}}}styleId"): s for s in styles.findall(f"{{{W_NS}}}style")}
    for sid, xml in _styles(layout).items():
        element = parse_xml(xml)
        old = by_id.get(sid)
        if old is not None:
            old.addprevious(element)
            styles.remove(old)
        else:
            styles.append(element)
    defaults = parse_xml(
        f"<w:docDefaults {_W}><w:rPrDefault><w:rPr>"
        f"{_fonts(layout.body_font, layout.latin_font)}{_size(layout.body_size_pt)}{_LANG}"
        '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    old_defaults = styles.find(f"{{{W_NS}}}docDefaults")
    if old_defaults is not None:
        old_defaults.addprevious(defaults)
        styles.remove(old_defaults)
    else:
        styles.insert(0, defaults)


# --- package hygiene ---------------------------------------------------------------------------

_DROP_RELTYPES = (
    "/metadata/thumbnail",
    "/customXml",
    "/stylesWithEffects",
)

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>perfdsl</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _drop_template_leftovers(word: WordDocument) -> None:
    """Remove parts of python-docx's template that would misdescribe our document."""
    package = word.part.package
    for source in (package, word.part):
        rels: Any = source.rels
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(_DROP_RELTYPES):
                del rels[rid]
                rels._target_parts_by_rId.pop(rid, None)
        for rel in rels.values():
            if rel.reltype.endswith("/extended-properties"):
                rel.target_part._blob = _APP_XML.encode()


_AFTER_RSIDS = (
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def _settings(word: WordDocument) -> None:
    """Chinese theme-font language, no rsids, and ask Word to refresh the TOC on opening."""
    from docx.oxml.parser import parse_xml

    settings = word.settings.element
    q = f"{{{W_NS}}}"
    for tag in ("rsids", "themeFontLang", "updateFields", "proofState", "savePreviewPicture"):
        for old in settings.findall(q + tag):
            settings.remove(old)
    # CT_Settings is a sequence: updateFields goes just before the first of these.
    update = parse_xml(f'<w:updateFields {_W} w:val="true"/>')
    later = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")
    anchor = next((e for e in settings if e.tag.split("}")[1] in later + _AFTER_RSIDS), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)
    lang = parse_xml(f'<w:themeFontLang {_W} w:val="en-US" w:eastAsia="zh-CN"/>')
    scheme = settings.find(q + "clrSchemeMapping")
    if scheme is not None:
        scheme.addprevious(lang)
    else:
        settings.append(lang)


#: python-docx refuses a core property longer than this (the ECMA schema's limit).
CORE_PROPERTY_LIMIT = 255


def core_text(text: str) -> str:
    """A core property (title, author …): XML-safe, on one line, cut to fit with an ellipsis.

    The title and unit print in full in the body; the properties only label the file.
    """
    text = " ".join(_INVALID_XML.sub("", text).split())
    if len(text) > CORE_PROPERTY_LIMIT:
        text = text[: CORE_PROPERTY_LIMIT - 1] + "…"
    return text


def _core_properties(word: WordDocument, view: DocumentView, timestamp: datetime) -> None:
    props = word.core_properties
    props.title = core_text(view.title)
    props.subject = "项目支出绩效目标表"
    props.author = core_text(view.unit_line)
    props.last_modified_by = "perfdsl"
    props.comments = ""
    props.keywords = core_text(f"绩效目标表 {view.year}".strip())
    props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = timestamp
    props.modified = timestamp


def _page_setup(word: WordDocument, landscape: bool = False) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.parser import parse_xml
    from docx.shared import Twips

    section = word.sections[0]
    width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    section.page_width, section.page_height = Twips(width), Twips(height)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin = section.right_margin = Twips(MARGIN_SIDE)
    section.header_distance, section.footer_distance = Twips(851), Twips(850)
    sect = section._sectPr
    for attr in list(sect.attrib):
        del sect.attrib[attr]  # rsids of the template
    footer = section.footer._element
    for child in list(footer):
        footer.remove(child)
    footer.append(
        parse_xml(
            f'<w:p {_W}><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">— </w:t></w:r>{_field("PAGE", "1")}'
            '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
        )
    )


# --- zip ---------------------------------------------------------------------------------------


def _zip_time(timestamp: datetime) -> tuple[int, int, int, int, int, int]:
    """The UTC wall time of ``timestamp`` as a zip date, kept inside the years zip can hold."""
    utc = timestamp.astimezone(UTC) if timestamp.tzinfo else timestamp
    if utc.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if utc.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second - utc.second % 2)


def normalise_zip(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite the package with fixed entry dates, attributes and order: byte-reproducible."""
    when = _zip_time(timestamp)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    first = [e for e in entries if e[0] == "[Content_Types].xml"]
    rest = sorted(e for e in entries if e[0] != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, blob in first + rest:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


# --- entry point -------------------------------------------------------------------------------


def render_docx(
    document: Document, template: Template, timestamp: datetime, catalog: object = None
) -> bytes:
    """The .docx bytes of ``document`` in ``template``; the same inputs give the same bytes."""
    try:
        import docx
        from docx.oxml.parser import parse_xml
    except ImportError as error:  # pragma: no cover - python-docx is a dependency
        raise DocxError(f"python-docx is not installed: {error}") from error

    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=UTC)
    timestamp = timestamp.astimezone(UTC).replace(microsecond=0)
    view = document_view(document, template, catalog)
    page = template.page

    word = docx.Document()
    _drop_template_leftovers(word)
    _install_styles(word, page)
    _settings(word)
    _page_setup(word, view.landscape)
    _core_properties(word, view, timestamp)

    body = word.element.body
    sect = body.find(f"{{{W_NS}}}sectPr")
    for child in list(body):
        if child is not sect:
            body.remove(child)
    content = parse_xml(f"<w:body {_W}>{body_xml(view, page)}</w:body>")
    for child in list(content):
        sect.addprevious(child)

    buffer = io.BytesIO()
    word.save(buffer)
    return normalise_zip(buffer.getvalue(), timestamp)

"""Import the tables that exist today: a Word, Excel or PDF file → canonical perfdsl source.

Readers (:mod:`.docx_grid`, :mod:`.xlsx_grid`, :mod:`.pdf_grid`) turn a file into blocks of
paragraphs and tables with their merged cells (:mod:`.grid`); the recogniser
(:mod:`.recognise`) finds each 绩效目标表, picks the template whose labels match, and reads each
cell through the field registry and the template; :mod:`.report` lists what could not be placed.
"""

from __future__ import annotations

import os

from perfdsl.importer.grid import Block, Unreadable
from perfdsl.importer.recognise import Imported, recognise
from perfdsl.standards.templates import Catalog, Template

__all__ = ["Imported", "Unreadable", "import_file", "read_blocks"]

SUFFIXES = (".docx", ".xlsx", ".pdf", ".doc", ".xls")


def read_blocks(path: str) -> list[Block]:
    """The blocks of a file, by its extension; Unreadable with the reason otherwise."""
    suffix = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):
        what = "不是普通文件" if os.path.exists(path) else "文件不存在"
        what_en = "not a regular file" if os.path.exists(path) else "no such file"
        raise Unreadable(what, what_en)
    if suffix in (".doc", ".xls"):
        from perfdsl.importer.convert import converted

        with converted(path) as new:
            return read_blocks(new)
    if suffix == ".docx":
        from perfdsl.importer.docx_grid import read_docx

        return read_docx(path)
    if suffix == ".xlsx":
        from perfdsl.importer.xlsx_grid import read_xlsx

        return read_xlsx(path)
    if suffix == ".pdf":
        from perfdsl.importer.pdf_grid import read_pdf

        return read_pdf(path)
    raise Unreadable(
        f"不认识的文件类型 {suffix or '（无扩展名）'}；可以导入 .docx、.xlsx、.pdf（.doc、.xls 需要 LibreOffice）",
        f"unknown file type {suffix or '(no extension)'}; perfdsl imports .docx, .xlsx and .pdf "
        "(.doc and .xls through LibreOffice)",
    )


def import_file(path: str, catalog: Catalog, template: Template | None = None) -> Imported:
    return recognise(read_blocks(path), path, catalog, template)

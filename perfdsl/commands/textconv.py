"""``perfdsl textconv FILE.docx``: a built document as text, so ``git diff`` can show it.

git stores the published .docx files as binary blobs; with a textconv driver
(``*.docx diff=docx`` in .gitattributes and ``git config diff.docx.textconv 'perfdsl
textconv'``) ``git diff`` and ``git log -p`` show what changed in their tables instead of
"Binary files differ".

The output is one line per block, in document order, so a changed cell changes one line:

* a heading as ``# text`` (``##`` for level 2, …), the title as ``= text``;
* any other paragraph as its text (empty paragraphs are left out);
* a table row as its cells joined by tabs.  A cell merged across columns is printed once;
  a cell merged down rows is repeated on every row it covers, so each line reads on its
  own, the way a diff shows it (``产出指标<TAB>数量指标<TAB>陪审员参审次数…``).

Inside a cell, paragraphs are joined with `` / `` and tabs become spaces, so one row stays
one line.  python-docx is imported here only, never by ``check`` or ``--help``.
"""

from __future__ import annotations

import os
import re
import zipfile
from typing import Any

import click

_HEADING = re.compile(r"^(?:Heading|heading|标题)\s*(\d)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split("\n")).strip()


def _cell_text(tc: Any) -> str:
    from docx.text.paragraph import Paragraph

    parts = [Paragraph(p, None).text for p in tc.iterchildren(f"{_W}p")]
    return " / ".join(_one_line(p) for p in parts if p.strip())


def _table_lines(table: Any) -> list[str]:
    """One line per row, from the row's own ``w:tc`` elements (not ``row.cells``, which
    repeats a cell once per grid column it spans)."""
    lines = []
    above: dict[int, str] = {}  # grid column → text of the vertically merged cell starting there
    for tr in table._tbl.tr_lst:
        cells = []
        column = tr.grid_before
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = _cell_text(tc)
                above[column] = text
            cells.append(text)
            column += tc.grid_span
        lines.append("\t".join(cells).rstrip("\t"))
    return lines


def _paragraph_line(paragraph: Any) -> str | None:
    text = _one_line(paragraph.text)
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    if style == "Title":
        return f"= {text}"
    if match := _HEADING.match(style):
        return f"{'#' * int(match[1])} {text}"
    return text


def docx_text(path: str) -> str:
    """The text of the document at ``path``, as described in the module docstring."""
    import docx
    from docx.table import Table

    document = docx.Document(path)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += _table_lines(block)
        elif (line := _paragraph_line(block)) is not None:
            lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def run_textconv(path: str) -> int:
    """Print the text; on a file that is not a .docx say so in one line and exit 2."""
    if not os.path.isfile(path):
        click.echo(f"perfdsl textconv: {path}: no such file", err=True)
        return 2
    try:
        from docx.opc.exceptions import PackageNotFoundError

        text = docx_text(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        click.echo(f"perfdsl textconv: {path}: not a .docx file ({exc})", err=True)
        return 2
    except OSError as exc:
        click.echo(f"perfdsl textconv: {path}: cannot read: {exc.strerror or exc}", err=True)
        return 2
    except Exception as exc:  # a bug, or a document python-docx cannot read: one line
        click.echo(f"perfdsl textconv: {path}: cannot read ({type(exc).__name__}: {exc})", err=True)
        return 2
    click.echo(text, nl=False)
    return 0

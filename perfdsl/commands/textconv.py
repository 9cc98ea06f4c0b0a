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

git runs this on whatever .docx a repository holds, so the file is checked against the limits
of :mod:`perfdsl.limits` before python-docx opens it (a 388 KB zip bomb would otherwise
inflate to gigabytes): the file's size, its list of members, every member's declared size,
and then every member inflated in chunks and counted, since a declared size may lie.  A file
over a limit is reported as PD0004 and never reaches python-docx.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from typing import Any

import click

from perfdsl import limits
from perfdsl.diagnostics import Msg
from perfdsl.diagnostics import codes as C
from perfdsl.diagnostics.render import render
from perfdsl.output import printable, say

_HEADING = re.compile(r"^(?:Heading|heading|标题)\s*(\d)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _one_line(text: str) -> str:
    """A paragraph or cell on one line, printable: a document's text goes to git's pager, and
    a control character in it is shown escaped rather than sent to the terminal."""
    return printable(" ".join(text.replace("\t", " ").split("\n")).strip())


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


class Refused(Exception):
    """A .docx over one of the limits: what to say about it (PD0004)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def _directory_size(data: bytes) -> int | None:
    """The size of the central directory as zipfile will read it, or None if there is none.

    zipfile builds one object per entry of the directory before anyone can count them, so a
    small file with a huge directory costs memory on opening alone.  The record is found as
    zipfile finds it (``zipfile._EndRecData``): the last 22 bytes if they are an end record
    without a comment, else the last end-record signature in the final 64 KiB; a ZIP64 end
    record just before it replaces the size.
    """
    end = b"PK\x05\x06"
    if len(data) >= 22 and data[-22:-18] == end and data[-2:] == b"\0\0":
        at = len(data) - 22
    else:
        at = data.rfind(end, max(len(data) - (1 << 16) - 22, 0))
        if at < 0 or len(data) - at < 22:
            return None
    (size,) = struct.unpack_from("<L", data, at + 12)
    locator = at - 20
    if locator >= 56 and data[locator : locator + 4] == b"PK\x06\x07":
        record = locator - 56
        if data[record : record + 4] == b"PK\x06\x06":
            (size,) = struct.unpack_from("<Q", data, record + 40)
    return int(size)


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """How many bytes the member really inflates to, counted in chunks and never holding more
    than one: TooLarge once past ``limit``, whatever its declared size says."""
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(limits.CHUNK):
            size += len(chunk)
            if size > limit:
                raise limits.TooLarge(limit, None, info.filename)
    return size


def checked_docx(path: str) -> bytes:
    """The bytes of the .docx at ``path``, once they are known to be within every limit of
    :mod:`perfdsl.limits`; Refused otherwise.  Read once, so what was checked is what
    python-docx opens."""
    part, total = limits.describe(limits.MAX_DOCX_PART_BYTES), limits.MAX_DOCX_TOTAL_BYTES
    try:
        data = limits.read_file(path, limits.MAX_DOCX_BYTES)
    except limits.TooLarge as exc:
        limit = limits.describe(exc.limit)
        raise Refused(
            Msg(f"文件超过 {limit} 的大小上限，未读取", f"the file is over the {limit} size limit")
        ) from None
    directory = _directory_size(data)
    if directory is not None and directory > limits.MAX_DOCX_DIRECTORY_BYTES:
        limit = limits.describe(limits.MAX_DOCX_DIRECTORY_BYTES)
        raise Refused(
            Msg(
                f"成员列表有 {directory} 个字节，超过 {limit} 的上限",
                f"its list of members is {directory:,} bytes, over the {limit} limit",
            )
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > limits.MAX_DOCX_MEMBERS:
            raise Refused(
                Msg(
                    f"有 {len(members)} 个部件，超过 {limits.MAX_DOCX_MEMBERS} 个的上限",
                    f"it has {len(members):,} parts, over the limit of {limits.MAX_DOCX_MEMBERS:,}",
                )
            )
        for info in members:
            if info.file_size > limits.MAX_DOCX_PART_BYTES:
                raise Refused(
                    Msg(
                        f"部件 {info.filename} 解压后有 {info.file_size} 个字节，"
                        f"超过每个部件 {part} 的上限",
                        f"the part {info.filename} inflates to {info.file_size:,} bytes, over "
                        f"the {part} limit for one part",
                    )
                )
        declared = sum(info.file_size for info in members)
        if declared > total:
            raise Refused(
                Msg(
                    f"各部件解压后共有 {declared} 个字节，超过 {limits.describe(total)} 的上限",
                    f"its parts inflate to {declared:,} bytes in all, over the "
                    f"{limits.describe(total)} limit",
                )
            )
        inflated = 0
        for info in members:
            try:
                inflated += _inflated_size(archive, info, limits.MAX_DOCX_PART_BYTES)
            except limits.TooLarge:
                raise Refused(
                    Msg(
                        f"部件 {info.filename} 解压后超过每个部件 {part} 的上限"
                        f"（它自称只有 {info.file_size} 个字节）",
                        f"the part {info.filename} inflates to more than the {part} limit for "
                        f"one part (it claims {info.file_size:,} bytes)",
                    )
                ) from None
            if inflated > total:
                raise Refused(
                    Msg(
                        f"各部件解压后超过 {limits.describe(total)} 的上限",
                        f"its parts inflate to more than the {limits.describe(total)} limit",
                    )
                )
    return data


def docx_text(path: str) -> str:
    """The text of the document at ``path``, as described in the module docstring."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(checked_docx(path)))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += _table_lines(block)
        elif (line := _paragraph_line(block)) is not None:
            lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def run_textconv(path: str) -> int:
    """Print the text; on a file that is not a .docx say so in one line and exit 2; on one
    over a size limit print PD0004 and exit 2."""
    if not os.path.isfile(path):
        what = "not a regular file" if os.path.exists(path) else "no such file"
        say(f"perfdsl textconv: {path}: {what}")
        return 2
    try:
        from docx.opc.exceptions import PackageNotFoundError

        text = docx_text(path)
    except Refused as refused:
        # textconv's messages are in English (git shows them as they are; there is no --lang).
        diagnostic = C.TOO_LARGE.at(
            None,
            refused.message,
            help=Msg(
                "用 perfdsl build 生成的文档远小于这些上限；这个文件可能是解压炸弹",
                "documents perfdsl builds are far below these limits; this file may be a zip bomb",
            ),
        ).in_file(path)
        click.echo(render(diagnostic, None, "en"), err=True)
        return 2
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        say(f"perfdsl textconv: {path}: not a .docx file ({exc})")
        return 2
    except OSError as exc:
        say(f"perfdsl textconv: {path}: cannot read: {exc.strerror or exc}")
        return 2
    except Exception as exc:  # a bug, or a document python-docx cannot read: one line
        say(f"perfdsl textconv: {path}: cannot read ({type(exc).__name__}: {exc})")
        return 2
    click.echo(text, nl=False)
    return 0

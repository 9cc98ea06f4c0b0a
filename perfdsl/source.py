"""Read a source file's bytes into text, whatever a Windows desktop did to it.

UTF-8 with or without a BOM and CRLF line ends are read as they are (and remembered, so the
formatter writes them back the same way).  A file saved as GBK/GB18030, as Notepad and Excel do
on Chinese Windows, is decoded as such with a warning that says so and how to convert it; UTF-16
(Notepad's "Unicode") likewise.  Anything else is an error with the byte offset.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from pathlib import Path
from typing import BinaryIO

import attrs

from perfdsl import limits
from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C


@attrs.frozen(slots=True)
class Source:
    """Decoded text with ``\\n`` line ends, and how the file was written."""

    path: str
    text: str
    bom: bool = False
    line_ending: str = "\n"
    encoding: str = "utf-8"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def _position(before: str) -> Span:
    """Where the character after ``before`` stands, counted as the decoded text counts it.

    Columns count characters, not bytes, and a lone CR ends a line as it does once the text
    is read; counting bytes put the caret of a GBK warning past the end of the line.
    """
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return Span(line, column, line, column + 1)


def decode(data: bytes, path: str) -> tuple[Source | None, list[Diagnostic]]:
    """Decode bytes; returns the source (None if impossible) and any encoding diagnostics."""
    diagnostics: list[Diagnostic] = []
    bom = data.startswith(codecs.BOM_UTF8)
    encoding = "utf-8"
    utf16: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # FF FE that is not UTF-16 (odd length, a lone surrogate): try UTF-8 and GBK below.
        with contextlib.suppress(UnicodeDecodeError):
            utf16 = data.decode("utf-16")
    if utf16 is not None:
        text = utf16
        encoding = "utf-16"
        diagnostics.append(
            C.NOT_UTF8.at(
                Span(1, 1, 1, 2),
                Msg(
                    "文件是 UTF-16 编码，已按 UTF-16 读入", "the file is UTF-16; read it as UTF-16"
                ),
                help=Msg("请另存为 UTF-8", "save it as UTF-8"),
            ).in_file(path)
        )
    else:
        body = data[3:] if bom else data
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            # (exc.start counts from the end of the BOM; everything before it is UTF-8.)
            offset = len(data) - len(body) + exc.start
            where = _position(body[: exc.start].decode("utf-8"))
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                return None, [
                    C.UNDECODABLE.at(
                        where,
                        Msg(
                            f"第 {offset + 1} 个字节起无法按 UTF-8 或 GBK 解码",
                            f"from byte {offset + 1} on, the file is neither UTF-8 nor GBK",
                        ),
                        help=Msg(
                            "perfdsl 读取纯文本源文件；请确认这不是 Word/Excel 文件",
                            "perfdsl reads plain-text sources; check this is not a Word or "
                            "Excel file",
                        ),
                    ).in_file(path)
                ]
            encoding = "gb18030"
            where = _position(data[:offset].decode("gb18030", "replace"))
            diagnostics.append(
                C.NOT_UTF8.at(
                    where,
                    Msg(
                        "文件不是 UTF-8 编码，看起来是 GBK（GB18030），已按 GBK 读入",
                        "the file is not UTF-8; it looks like GBK (GB18030) and was read as such",
                    ),
                    help=Msg(
                        f"另存为 UTF-8，或运行：iconv -f GB18030 -t UTF-8 {path} -o 新文件.pdsl",
                        f"save it as UTF-8, or run: iconv -f GB18030 -t UTF-8 {path} -o new.pdsl",
                    ),
                ).in_file(path)
            )
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return None, [
            C.UNDECODABLE.at(
                Span(line, 1, line, 2),
                Msg("文件含有空字符，不是纯文本", "the file contains NUL characters: not text"),
            ).in_file(path)
        ]
    crlf = text.count("\r\n")
    line_ending = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    diagnostics += control_characters(text, path)
    return Source(path, text, bom, line_ending, encoding), diagnostics


#: What the language never holds: C0 controls but tab and line feed, DEL, C1 controls, and the
#: Unicode non-characters.  None can be written into a docx (XML 1.0 forbids most of them) or
#: shown on a page, and all of them can hide in text pasted from another system.
CONTROL = re.compile(
    "[\x01-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0x10000, 0x110000, 0x10000))
    + "]"
)
#: A file full of them is reported by its first few, with a count.
_MAX_REPORTED = 10


def control_characters(text: str, path: str) -> list[Diagnostic]:
    """PD0005 at each control character (the first :data:`_MAX_REPORTED` of them)."""
    found = [m.start() for m in CONTROL.finditer(text)]
    diagnostics: list[Diagnostic] = []
    for offset in found[:_MAX_REPORTED]:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        code = f"U+{ord(text[offset]):04X}"
        notes = ()
        if len(found) > _MAX_REPORTED and offset == found[_MAX_REPORTED - 1]:
            notes = (
                Msg(
                    f"文件里共有 {len(found)} 个控制字符，只列出前 {_MAX_REPORTED} 个",
                    f"the file holds {len(found)} control characters; the first "
                    f"{_MAX_REPORTED} are shown",
                ),
            )
        diagnostics.append(
            C.CONTROL_CHARACTER.at(
                Span(line, column, line, column + 1),
                Msg(
                    f"这里有一个看不见的控制字符 {code}，它写不进 Word 文件和网页",
                    f"an invisible control character {code} is here; it cannot be written into "
                    "a Word file or a web page",
                ),
                help=Msg(
                    "删掉它（常见于从其他系统复制来的文字）",
                    "delete it (it often comes with text pasted from another system)",
                ),
                notes=notes,
            ).in_file(path)
        )
    return diagnostics


def too_large(path: str, exc: limits.TooLarge) -> Diagnostic:
    """PD0004 for a source over :data:`perfdsl.limits.MAX_SOURCE_BYTES`."""
    limit = limits.describe(exc.limit)
    if exc.size is None:  # a stream: reading stopped one byte past the limit
        zh = f"超过 {limit} 的大小上限（读到第 {exc.limit + 1} 个字节时停止），未读取"
        en = f"more than the {limit} size limit (reading stopped at byte {exc.limit + 1:,}); not read"
    else:
        zh = f"文件有 {exc.size} 个字节，超过 {limit} 的大小上限，未读取"
        en = f"the file is {exc.size:,} bytes, over the {limit} size limit; not read"
    return C.TOO_LARGE.at(
        None,
        Msg(zh, en),
        help=Msg(
            "绩效目标表是纯文本，一万个项目也只有约 30 MB；请确认没有把别的文件（或 /dev/zero、"
            "管道）当作源文件",
            "a performance-target table is plain text, about 30 MB for 10,000 projects; check "
            "that no other file (or /dev/zero, a pipe) was given as the source",
        ),
    ).in_file(path)


def _cannot_read(name: str, reason: str) -> list[Diagnostic]:
    return [
        C.IO_ERROR.at(
            None, Msg(f"无法读取文件：{reason}", f"cannot read the file: {reason}")
        ).in_file(name)
    ]


def read(path: str | Path) -> tuple[Source | None, list[Diagnostic]]:
    """Read and decode a file; I/O problems come back as PD0001, a file over the size limit
    as PD0004, never as an exception."""
    name = str(path)
    try:
        data = limits.read_file(path, limits.MAX_SOURCE_BYTES)
    except limits.TooLarge as exc:
        return None, [too_large(name, exc)]
    except OSError as exc:
        return None, _cannot_read(name, exc.strerror or type(exc).__name__)
    return decode(data, name)


def read_stream(stream: BinaryIO | None, name: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read and decode standard input (or any stream), as :func:`read` reads a file.

    ``stream`` is None when the process was started with the stream closed (``<&-``): that
    is the user's mistake, said as such, not a defect.
    """
    if stream is None:
        return None, [
            C.IO_ERROR.at(
                None,
                Msg("无法读取标准输入：它已被关闭", "cannot read standard input: it is closed"),
                help=Msg(
                    "`-` 表示从标准输入读取源文件：用管道或 `<` 输入一个文件，或者直接写文件名",
                    "`-` reads the source from standard input: pipe or redirect a file into "
                    "it, or name the file instead",
                ),
            ).in_file(name)
        ]
    try:
        data = limits.read_bounded(stream, limits.MAX_SOURCE_BYTES, name)
    except limits.TooLarge as exc:
        return None, [too_large(name, exc)]
    except OSError as exc:
        return None, _cannot_read(name, exc.strerror or type(exc).__name__)
    return decode(data, name)

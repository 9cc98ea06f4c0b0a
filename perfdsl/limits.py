"""How much perfdsl will read: every size limit, in one place, and the one bounded reader.

git runs ``perfdsl textconv`` on every ``git diff`` and ``git log -p`` of a .docx, and every
command accepts a path that may be /dev/zero, a FIFO or a blob of any size.  Without limits a
388 KB zip bomb inflates to gigabytes and ``perfdsl diff /dev/zero x.pdsl`` reads until the
machine runs out of memory.  The limits are far above anything a real table reaches (a source
of 10,000 projects is about 30 MB; the docx of a 9-project source has a 140 KB document.xml),
so they only ever stop input that is not a performance-target table at all.

Reading stops one byte past a limit, so a source that never ends (/dev/zero, a FIFO) costs at
most the limit in memory, never more.  A .docx is checked before python-docx sees it: the
number of members and every member's declared size, then each member is inflated in chunks
and counted, because a declared size is only what the archive claims.
"""

from __future__ import annotations

import os
from typing import BinaryIO

MIB = 1024 * 1024

#: A source file, standard input or a git blob read by ``perfdsl diff``; also perfdsl.toml.
MAX_SOURCE_BYTES = 64 * MIB
#: A .docx file as stored (compressed), for ``perfdsl textconv``.
MAX_DOCX_BYTES = 64 * MIB
#: One member of a .docx once inflated (word/document.xml, styles, an image).
MAX_DOCX_PART_BYTES = 64 * MIB
#: All members of a .docx together, inflated.
MAX_DOCX_TOTAL_BYTES = 256 * MIB
#: Members of a .docx (a document from Word has a few dozen).
MAX_DOCX_MEMBERS = 10_000
#: A .docx's central directory, the list of its members (about 100 bytes a member).  Checked
#: before the archive is opened, because zipfile builds an object for every entry the
#: directory claims before anyone can count them.
MAX_DOCX_DIRECTORY_BYTES = 4 * MIB

#: How much is read at a time: small against the limits, large enough to be fast.
CHUNK = 1 * MIB


class TooLarge(Exception):
    """Input over a limit of ``limit`` bytes.  ``size`` is its size when known (a regular
    file's, a zip member's declared size), None when reading stopped at ``limit + 1`` bytes."""

    def __init__(self, limit: int, size: int | None = None, what: str = "") -> None:
        super().__init__(f"{what or 'input'}: more than {describe(limit)}")
        self.limit = limit
        self.size = size
        self.what = what


def describe(limit: int) -> str:
    """``64 MiB`` — the limits are whole mebibytes; anything else is shown in bytes."""
    if limit % MIB == 0:
        return f"{limit // MIB} MiB"
    return f"{limit:,} bytes"


def read_bounded(stream: BinaryIO, limit: int, what: str = "") -> bytes:
    """All of ``stream``, or TooLarge as soon as it gives more than ``limit`` bytes.

    Reads in chunks and at most ``limit + 1`` bytes in all, so an endless stream stops there.
    """
    data = bytearray()
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - len(data)))
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise TooLarge(limit, None, what)


def read_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """A file's bytes, or TooLarge past ``limit``.  A regular file over the limit is refused
    from its size, without reading it; a device or a FIFO is read up to the limit.  OSError
    as ``open`` raises it."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise TooLarge(limit, size, os.fsdecode(path))
        return read_bounded(f, limit, os.fsdecode(path))

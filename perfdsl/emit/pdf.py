"""PDF: the docx, printed by LibreOffice, made byte-for-byte reproducible.

Many bureaus publish the PDF rather than the Word file.  Laying out a table with merged cells,
Chinese line breaking and embedded fonts is what a word processor does well and what we would
do badly, so the PDF is the docx converted by LibreOffice (``soffice --convert-to pdf``), found
on ``PATH`` or named by ``PERFDSL_SOFFICE``.  Without it, ``build --to pdf`` stops before
building anything, with exit 2 and a message that says what to install.

Each conversion runs in a throw-away directory with its own LibreOffice profile and ``HOME``
(two conversions sharing a profile make the second exit 0 having written nothing), ``TZ=UTC``
and, on Linux, :file:`fonts/fonts.conf`, which lets the Windows font names the documents use
(宋体, 仿宋_GB2312, 黑体 ...) fall back to free Chinese fonts instead of the Japanese cut.

LibreOffice writes the wall clock (``/CreationDate``) and a random file identifier (``/ID``,
``/DocChecksum``) into every PDF.  :func:`normalise` replaces them, keeping every byte offset:
the dates become the build's own instant (:mod:`perfdsl.emit.timestamp`) and the identifiers a
digest of the rest of the file.  Everything else LibreOffice writes is already the same from
run to run; the same LibreOffice and fonts give the same bytes (a different version may lay
the page out differently, which no normalising can hide).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from perfdsl.ast import Document
from perfdsl.diagnostics import Msg
from perfdsl.standards.templates import Template

#: Seconds one conversion may take before LibreOffice is stopped (a large unit file takes a
#: few seconds; a hung office must not hang CI).
TIMEOUT = 600

FONTS_CONF = Path(__file__).with_name("fonts") / "fonts.conf"

_INSTALL = Msg(
    "请安装 LibreOffice（Debian/Ubuntu：apt install libreoffice-writer；其他系统见 "
    "https://www.libreoffice.org/download/），或用环境变量 PERFDSL_SOFFICE 指明 soffice 的位置",
    "install LibreOffice (Debian/Ubuntu: apt install libreoffice-writer; elsewhere "
    "https://www.libreoffice.org/download/), or name the soffice program in PERFDSL_SOFFICE",
)


class PdfUnavailable(Exception):
    """LibreOffice cannot be found: no PDF can be made on this machine (a usage problem)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


class PdfError(Exception):
    """LibreOffice ran but gave no PDF for one document; ``message`` says what happened."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def find_office() -> str:
    """The soffice program to run: ``PERFDSL_SOFFICE``, else soffice or libreoffice on PATH."""
    named = os.environ.get("PERFDSL_SOFFICE", "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise PdfUnavailable(
                Msg(
                    f"生成 PDF 需要 LibreOffice，但 PERFDSL_SOFFICE 指定的 {named} 无法运行；"
                    f"{_INSTALL.zh}",
                    f"a PDF needs LibreOffice, but PERFDSL_SOFFICE names {named}, which "
                    f"cannot be run; {_INSTALL.en}",
                )
            )
        return found
    for program in ("soffice", "libreoffice"):
        found = shutil.which(program)
        if found is not None:
            return found
    raise PdfUnavailable(
        Msg(
            f"生成 PDF 需要 LibreOffice，但找不到 soffice 程序；{_INSTALL.zh}",
            f"a PDF needs LibreOffice, and no soffice program was found; {_INSTALL.en}",
        )
    )


def render_pdf(
    document: Document, template: Template, timestamp: datetime, catalog: object = None
) -> bytes:
    """The PDF of ``document`` in ``template``: its docx, converted."""
    from perfdsl.emit.docx import render_docx

    return docx_to_pdf(render_docx(document, template, timestamp, catalog), timestamp)


def docx_to_pdf(docx: bytes, timestamp: datetime, office: str | None = None) -> bytes:
    """Convert docx bytes to normalised PDF bytes with LibreOffice; raises PdfError."""
    program = office or find_office()
    with tempfile.TemporaryDirectory(prefix="perfdsl-pdf-") as work:
        root = Path(work)
        source = root / "table.docx"
        source.write_bytes(docx)
        (root / "home").mkdir()
        command = [
            program,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--nofirststartwizard",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(root),
            str(source),
        ]
        try:
            finished = subprocess.run(
                command,
                env=_environment(root / "home"),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                Msg(
                    f"LibreOffice 在 {TIMEOUT} 秒内没有完成转换",
                    f"LibreOffice did not finish the conversion within {TIMEOUT} s",
                )
            ) from None
        except OSError as exc:
            raise PdfError(
                Msg(
                    f"无法运行 LibreOffice（{program}）：{exc.strerror or exc}",
                    f"cannot run LibreOffice ({program}): {exc.strerror or exc}",
                )
            ) from None
        produced = root / "table.pdf"
        # LibreOffice exits 0 when it could not convert: only a PDF on disk counts.
        if not produced.is_file() or produced.stat().st_size == 0:
            said = (finished.stderr or finished.stdout).decode("utf-8", "replace").strip()
            detail = said.splitlines()[-1] if said else f"exit status {finished.returncode}"
            raise PdfError(
                Msg(
                    f"LibreOffice 没有生成 PDF（{detail}）",
                    f"LibreOffice produced no PDF ({detail})",
                )
            )
        return normalise(produced.read_bytes(), timestamp)


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = str(home)  # LibreOffice writes there; never the user's own profile
    env["TZ"] = "UTC"  # dates come out as D:…Z', the shape normalise() rewrites
    if sys.platform.startswith("linux") and "FONTCONFIG_FILE" not in os.environ:
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


# --- reproducible bytes ---------------------------------------------------------------------------

_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{4,14})")
_XMP_DATE = re.compile(
    rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})"
)
_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")
_UUID = re.compile(
    rb"uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def normalise(pdf: bytes, timestamp: datetime) -> bytes:
    """``pdf`` with its dates set to ``timestamp`` and its identifiers derived from its content.

    Every replacement has the length of what it replaces, so the cross-reference table's byte
    offsets stay true and the file stays valid.
    """
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=UTC)
    stamp = timestamp.astimezone(UTC)
    digits = stamp.strftime("%Y%m%d%H%M%S").encode("ascii")
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%S").encode("ascii")
    out = _DATE.sub(lambda m: m.group(1) + digits[: len(m.group(2))], pdf)
    out = _XMP_DATE.sub(lambda m: m.group(1) + iso, out)
    # The identifiers: blank them, digest what remains, write the digest in.
    blank = _ID.sub(
        lambda m: (
            m.group(1) + b"0" * len(m.group(2)) + m.group(3) + b"0" * len(m.group(4)) + m.group(5)
        ),
        out,
    )
    blank = _CHECKSUM.sub(lambda m: m.group(1) + b"0" * len(m.group(2)), blank)
    blank = _UUID.sub(b"uuid:00000000-0000-0000-0000-000000000000", blank)
    digest = hashlib.sha256(blank).hexdigest().upper().encode("ascii")

    def fill(width: int) -> bytes:
        return (digest * (width // len(digest) + 1))[:width]

    out = _ID.sub(
        lambda m: (
            m.group(1) + fill(len(m.group(2))) + m.group(3) + fill(len(m.group(4))) + m.group(5)
        ),
        out,
    )
    out = _CHECKSUM.sub(lambda m: m.group(1) + fill(len(m.group(2))), out)
    d = digest.decode("ascii").lower()
    uuid = f"uuid:{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:32]}".encode("ascii")
    return _UUID.sub(uuid, out)

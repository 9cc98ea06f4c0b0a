""".doc and .xls: converted to .docx and .xlsx by LibreOffice, when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from perfdsl.importer.grid import Unreadable

#: How long LibreOffice may take to convert one file.
TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    return (
        os.environ.get("PERFDSL_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    )


@contextmanager
def converted(path: str) -> Iterator[str]:
    """The file converted to the new format in a temporary folder (removed afterwards)."""
    program = soffice()
    if program is None:
        raise Unreadable(
            "导入 .doc/.xls 需要 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer "
            "libreoffice-calc，或运行 scripts/install-render-tools.sh）；也可以先在 Office 里另存为 "
            ".docx/.xlsx",
            "importing .doc/.xls needs LibreOffice (Debian/Ubuntu: apt-get install "
            "libreoffice-writer libreoffice-calc, or scripts/install-render-tools.sh); or save "
            "the file as .docx/.xlsx first",
        )
    target = "docx" if path.lower().endswith(".doc") else "xlsx"
    with tempfile.TemporaryDirectory(prefix="perfdsl-import-") as folder:
        profile = os.path.join(folder, "profile")
        command = [
            program,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            folder,
            os.path.abspath(path),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Unreadable(
                f"LibreOffice 转换失败：{exc}", f"LibreOffice could not convert it: {exc}"
            ) from None
        stem = os.path.splitext(os.path.basename(path))[0]
        out = os.path.join(folder, f"{stem}.{target}")
        if not os.path.isfile(out):
            raise Unreadable(
                "LibreOffice 没有转换出文件（文件可能损坏或加密）",
                "LibreOffice produced no file (the file may be corrupt or encrypted)",
            )
        yield out

"""``build --to pdf``: the docx printed by LibreOffice, reproducible, and a clear stop without it.

The tests that run LibreOffice need it installed.  On a developer's machine without it they
are skipped; CI (``.ci/run``) installs it and sets ``PERFDSL_REQUIRE_OFFICE=1``, under which a
missing LibreOffice fails them instead, so they cannot silently stop running there.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import needs_office

from perfdsl.cli import main
from perfdsl.emit.pdf import PdfError, docx_to_pdf, normalise

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"
FLAT = ROOT / "examples" / "templates" / "flat-qingshen-fagai-2023.pdsl"
MOF2015 = ROOT / "examples" / "templates" / "mof2015-ningxiang-batang-2021.pdsl"


def build(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    environment = {"SOURCE_DATE_EPOCH": ""} | (env or {})
    return CliRunner().invoke(main, ["build", *map(str, args)], env=environment)


# --- normalise: pure, no LibreOffice -------------------------------------------------------------

FAKE = (
    b"%PDF-1.4\n1 0 obj\n<</Creator(Writer)/CreationDate(D:20261201132316Z')>>\nendobj\n"
    b"xref\n0 2\ntrailer\n<</Size 2/Info 1 0 R\n/ID [ <123BE1A0F0060A9664AA53A3B31B0C41>\n"
    b"<123BE1A0F0060A9664AA53A3B31B0C41> ]\n/DocChecksum /343474DA4CA2E6243FA332324E85B3F5\n>>\n"
    b"startxref\n9\n%%EOF\n"
)
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def test_normalise_sets_the_date_and_keeps_every_offset() -> None:
    out = normalise(FAKE, WHEN)
    assert len(out) == len(FAKE)
    assert b"/CreationDate(D:20240101000000Z')" in out
    assert b"20261201" not in out


def test_normalise_gives_one_identifier_whatever_libreoffice_drew() -> None:
    other = FAKE.replace(b"123BE1A0F0060A9664AA53A3B31B0C41", b"FFEE00112233445566778899AABBCCDD")
    other = other.replace(b"343474DA4CA2E6243FA332324E85B3F5", b"00000000000000000000000000000001")
    other = other.replace(b"D:20261201132316", b"D:20251111111111")
    assert normalise(FAKE, WHEN) == normalise(other, WHEN)
    assert normalise(normalise(FAKE, WHEN), WHEN) == normalise(FAKE, WHEN)


def test_normalise_identifier_follows_the_content() -> None:
    changed = FAKE.replace(b"(Writer)", b"(Wrider)")
    ids = [
        re.search(rb"/ID \[ <([0-9A-F]+)>", normalise(pdf, WHEN)).group(1)
        for pdf in (FAKE, changed)
    ]
    assert ids[0] != ids[1]
    assert len(ids[0]) == 32


def test_normalise_rewrites_xmp_dates_and_document_uuids() -> None:
    xmp = (
        b"<xmp:CreateDate>2026-12-01T13:23:16</xmp:CreateDate>"
        b"<xmpMM:DocumentID>uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</xmpMM:DocumentID>"
    )
    out = normalise(xmp, WHEN)
    assert len(out) == len(xmp)
    assert b"2024-01-01T00:00:00" in out
    assert b"0f1e2d3c" not in out


# --- without LibreOffice: a usage error, nothing built -----------------------------------------


def test_without_libreoffice_pdf_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(SEED, "-o", out, "--to", "docx,pdf", env={"PATH": str(tmp_path / "empty")})
    assert result.exit_code == 2, result.output
    assert "LibreOffice" in result.output and "libreoffice-writer" in result.output
    assert not out.exists() or not any(out.iterdir())  # not even the docx


def test_a_wrong_perfdsl_soffice_is_named(tmp_path: Path) -> None:
    result = build(
        SEED, "-o", tmp_path, "--to", "pdf", "--lang", "en",
        env={"PERFDSL_SOFFICE": str(tmp_path / "no-such-office")},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "PERFDSL_SOFFICE" in result.output and "no-such-office" in result.output


def test_other_formats_do_not_need_libreoffice(tmp_path: Path) -> None:
    result = build(SEED, "-o", tmp_path, env={"PATH": str(tmp_path / "empty")})
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".html", ".json"]


def _fake_office(tmp_path: Path, body: str) -> Path:
    program = tmp_path / "fake-soffice"
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return program


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_an_office_that_writes_nothing_fails_the_source_and_writes_nothing(tmp_path: Path) -> None:
    # LibreOffice exits 0 when it cannot convert a file: only a PDF on disk counts.
    office = _fake_office(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0")
    out = tmp_path / "out"
    result = build(
        SEED, "-o", out, "--lang", "en", "--to", "docx,pdf", env={"PERFDSL_SOFFICE": str(office)}
    )
    assert result.exit_code == 1, result.output
    assert "LibreOffice produced no PDF (Error: source file could not be loaded)" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not any(out.iterdir())  # all or nothing: no docx without its PDF


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_a_failed_pdf_leaves_the_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(SEED, "-o", out, "--to", "docx").exit_code == 0
    before = (out / "beichen-court-2024.docx").read_bytes()
    office = _fake_office(tmp_path, "exit 1")
    result = build(SEED, "-o", out, "--to", "docx,pdf", env={"PERFDSL_SOFFICE": str(office)})
    assert result.exit_code == 1
    assert (out / "beichen-court-2024.docx").read_bytes() == before
    assert not (out / "beichen-court-2024.pdf").exists()


def test_docx_to_pdf_reports_a_program_that_cannot_run(tmp_path: Path) -> None:
    not_a_program = tmp_path / "office"
    not_a_program.write_text("", encoding="utf-8")  # not executable
    with pytest.raises(PdfError) as caught:
        docx_to_pdf(b"PK", WHEN, office=str(not_a_program))
    assert "LibreOffice" in caught.value.message.en


# --- with LibreOffice ----------------------------------------------------------------------------


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page, from the page objects' /MediaBox."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    if not boxes:  # in a compressed object stream
        boxes = [
            box
            for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
            for box in re.findall(
                rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", _inflate(stream)
            )
        ]
    return [(float(w), float(h)) for w, h in boxes]


def _inflate(stream: bytes) -> bytes:
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return b""


def _text(pdf: Path) -> str:
    """The PDF's text, as a reader copying it would get it (poppler's pdftotext)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@needs_office
def test_pdf_is_the_same_bytes_in_another_process_and_environment(tmp_path: Path) -> None:
    outputs = []
    for i, tz in enumerate(("UTC", "Asia/Shanghai")):
        out = tmp_path / f"out{i}"
        env = dict(os.environ, TZ=tz, HOME=str(tmp_path / f"home{i}"), SOURCE_DATE_EPOCH="")
        (tmp_path / f"home{i}").mkdir()
        done = subprocess.run(
            [sys.executable, "-m", "perfdsl", "build", str(SEED), "-o", str(out), "--to", "pdf"],
            env=env, capture_output=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
        outputs.append((out / "beichen-court-2024.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(b"%PDF-")
    assert b"/CreationDate(D:20240101000000" in outputs[0]  # the budget year, not the clock


@needs_office
def test_pdf_prints_the_table_portrait_a4(tmp_path: Path) -> None:
    assert build(MOF2015, "-o", tmp_path, "--to", "pdf").exit_code == 0
    pdf = tmp_path / f"{MOF2015.stem}.pdf"
    pages = _pages(pdf.read_bytes())
    assert pages and all(round(w) == 595 and round(h) == 842 for w, h in pages)
    text = _text(pdf)
    for label in ("项目支出绩效目标申报表", "填报单位（盖章）", "二级指标", "一级指标", "指标值"):
        assert label in text, label


@needs_office
def test_pdf_of_a_landscape_template_is_landscape(tmp_path: Path) -> None:
    assert build(FLAT, "-o", tmp_path, "--to", "pdf").exit_code == 0
    pages = _pages((tmp_path / f"{FLAT.stem}.pdf").read_bytes())
    assert pages and all(w > h for w, h in pages)


@needs_office
def test_pdf_beside_docx_is_that_docx_printed(tmp_path: Path) -> None:
    both, alone = tmp_path / "both", tmp_path / "alone"
    assert build(SEED, "-o", both, "--to", "docx,pdf").exit_code == 0
    assert build(SEED, "-o", alone, "--to", "pdf").exit_code == 0
    assert (both / "beichen-court-2024.pdf").read_bytes() == (
        alone / "beichen-court-2024.pdf"
    ).read_bytes()

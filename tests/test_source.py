"""Reading source bytes: UTF-8 with or without a BOM, CRLF, GBK, UTF-16, and what is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main
from perfdsl.diagnostics import Severity
from perfdsl.fmt import to_file_text
from perfdsl.load import load_bytes, load_file
from perfdsl.source import decode, read

TEXT = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 万元

项目 1#楼维修:
  预算数: 146.00
    财政资金: 146.00
  资金用途: 维修“一号楼”屋面
  产出指标:
    数量指标:
      维修面积: ≥500平方米
"""


def codes(data: bytes) -> list[str]:
    return [d.code for d in load_bytes(data).diagnostics]


def test_utf8_without_bom() -> None:
    source, found = decode(TEXT.encode("utf-8"), "a.pdsl")
    assert found == []
    assert source is not None
    assert (source.text, source.bom, source.line_ending, source.encoding) == (
        TEXT,
        False,
        "\n",
        "utf-8",
    )


def test_utf8_with_bom_reads_the_same_and_remembers_the_bom() -> None:
    plain = load_bytes(TEXT.encode("utf-8"))
    with_bom = load_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert with_bom.ok and with_bom.diagnostics == ()
    assert with_bom.source is not None and with_bom.source.bom
    assert with_bom.source.text == TEXT  # the BOM is not part of the first key
    assert with_bom.document == plain.document
    assert with_bom.document is not None
    assert to_file_text(with_bom.document).startswith("\ufeff单位")


def test_crlf_is_read_as_lines_and_kept_by_fmt() -> None:
    data = codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8")
    loaded = load_bytes(data)
    assert loaded.ok and loaded.diagnostics == ()
    assert loaded.source is not None
    assert loaded.source.line_ending == "\r\n"
    assert "\r" not in loaded.source.text
    assert loaded.document is not None
    out = to_file_text(loaded.document)
    assert out.encode("utf-8") == data  # canonical already: byte for byte the same
    assert out.count("\r\n") == out.count("\n")


def test_crlf_file_is_rewritten_with_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.pdsl"
    path.write_bytes(TEXT.replace("≥500", "＞＝500").replace("\n", "\r\n").encode())
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == TEXT.replace("\n", "\r\n").encode()


def test_mostly_lf_stays_lf() -> None:
    source, _ = decode(b"a: 1\r\nb: 2\nc: 3\nd: 4\n", "x")
    assert (
        source is not None
        and source.line_ending == "\n"
        and source.text == "a: 1\nb: 2\nc: 3\nd: 4\n"
    )


def test_a_lone_cr_ends_a_line() -> None:
    source, _ = decode(b"a: 1\rb: 2\r", "x")
    assert source is not None and source.text == "a: 1\nb: 2\n"


def test_gbk_is_read_with_a_warning_naming_gbk() -> None:
    loaded = load_bytes(TEXT.encode("gbk"), "gbk.pdsl")
    assert loaded.source is not None and loaded.source.encoding == "gb18030"
    assert loaded.source.text == TEXT
    assert [d.code for d in loaded.diagnostics] == ["PD0002"]
    warning = loaded.diagnostics[0]
    assert warning.severity is Severity.WARNING
    assert "GBK" in warning.message.zh and "GBK" in warning.message.en
    assert warning.help is not None and "iconv -f GB18030 -t UTF-8 gbk.pdsl" in warning.help.en
    # The caret is on the first character that is not UTF-8: 单 at line 1, column 1.
    assert warning.span is not None and (warning.span.line, warning.span.column) == (1, 1)
    assert loaded.ok  # a warning, not an error: check and build go on
    assert loaded.document == load_bytes(TEXT.encode("utf-8")).document


def test_gbk_warning_points_at_the_first_non_utf8_character() -> None:
    text = "year: 2024\r\nabc: 项目"
    data = text.encode("gbk")
    loaded = load_bytes(data)
    assert loaded.source is not None and loaded.source.text == text.replace("\r\n", "\n")
    warning = next(d for d in loaded.diagnostics if d.code == "PD0002")
    assert warning.span is not None and (warning.span.line, warning.span.column) == (2, 6)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read_with_a_warning(codec: str) -> None:
    data = TEXT.encode(codec)
    if codec != "utf-16":
        bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    loaded = load_bytes(data)
    assert loaded.source is not None and loaded.source.encoding == "utf-16"
    assert loaded.source.text == TEXT
    assert [d.code for d in loaded.diagnostics] == ["PD0002"]
    assert "UTF-16" in loaded.diagnostics[0].message.en


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfea",  # a UTF-16 BOM, then an odd number of bytes
        b"\xfe\xff\xd8\x00\x00a",  # a lone surrogate
        bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe\x80\x81",  # a docx/zip
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
    ids=["utf16-odd", "utf16-surrogate", "all-bytes", "zip", "png"],
)
def test_binary_is_pd0003_and_never_a_traceback(data: bytes) -> None:
    loaded = load_bytes(data, "bin.pdsl")
    assert loaded.document is None and loaded.source is None
    assert [d.code for d in loaded.diagnostics] == ["PD0003"]
    assert loaded.diagnostics[0].severity is Severity.ERROR
    assert loaded.diagnostics[0].file == "bin.pdsl"


def test_undecodable_names_the_byte_counted_from_the_start_of_the_file() -> None:
    data = codecs.BOM_UTF8 + b"ab\n\xff\xff"
    (diagnostic,) = load_bytes(data).diagnostics
    assert diagnostic.code == "PD0003"
    assert "byte 7 " in diagnostic.message.en  # BOM (3) + "ab\n" (3), then the 7th byte
    assert diagnostic.span is not None and (diagnostic.span.line, diagnostic.span.column) == (2, 1)


def test_nul_bytes_are_not_text() -> None:
    assert codes(b"a: 1\n\x00\x00") == ["PD0003"]


def test_missing_file_is_pd0001(tmp_path: Path) -> None:
    source, found = read(tmp_path / "nope.pdsl")
    assert source is None
    assert [d.code for d in found] == ["PD0001"]
    loaded = load_file(tmp_path / "nope.pdsl")
    assert loaded.document is None and [d.code for d in loaded.diagnostics] == ["PD0001"]


def test_a_directory_is_pd0001(tmp_path: Path) -> None:
    assert [d.code for d in load_file(tmp_path).diagnostics] == ["PD0001"]

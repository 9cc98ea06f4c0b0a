"""textconv within limits: a .docx is checked against perfdsl.limits before python-docx opens it.

The declared sizes, the number of parts and the list of parts are checked first, then every
part is counted as it inflates.  Most tests lower a limit with monkeypatch; the zip bomb runs
in a real process against the real limits, under an address-space limit (see test_limits.py).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_limits import EXAMPLE, needs_dev_zero, perfdsl

from perfdsl import limits
from perfdsl.cli import main
from perfdsl.commands import textconv


def _bomb(seed_docx: Path, target: Path, inflated: int) -> Path:
    """seed_docx with word/document.xml padded with empty paragraphs to ``inflated`` bytes:
    a few hundred KB on disk (what gen-zipbomb.py in the reproducers makes)."""
    with zipfile.ZipFile(seed_docx) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    document = members["word/document.xml"].decode()
    head = document[: document.index("<w:body>") + len("<w:body>")]
    tail = document[document.index("<w:sectPr") :]
    count = (inflated - len(head) - len(tail)) // 6 + 1
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            if name != "word/document.xml":
                out.writestr(name, data)
                continue
            with out.open(name, "w", force_zip64=True) as f:
                f.write(head.encode())
                for _ in range(count // (1 << 20)):
                    f.write(b"<w:p/>" * (1 << 20))
                f.write(b"<w:p/>" * (count % (1 << 20)))
                f.write(tail.encode())
    return target


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1704067200"}).invoke(
        main, ["build", str(EXAMPLE), "-o", str(out), "--to", "docx"]
    )
    assert result.exit_code == 0, result.output
    return out / "beichen-court-2024.docx"


@needs_dev_zero
def test_textconv_refuses_a_zip_bomb_before_inflating_it(seed_docx: Path, tmp_path: Path) -> None:
    bomb = _bomb(seed_docx, tmp_path / "bomb.docx", limits.MAX_DOCX_PART_BYTES + 1)
    assert bomb.stat().st_size < limits.MAX_DOCX_PART_BYTES // 100
    result = perfdsl("textconv", str(bomb))
    assert result.returncode == 2 and result.stdout == ""
    assert "error[PD0004]" in result.stderr
    assert "the part word/document.xml inflates to 67,108,8" in result.stderr
    assert "over the 64 MiB limit for one part" in result.stderr
    assert f"--> {bomb}" in result.stderr


# --- textconv: each limit ----------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _textconv(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["textconv", str(path)])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def test_textconv_refuses_too_many_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_MEMBERS", 5)
    code, err = _textconv(_zip(tmp_path / "many.docx", {f"p{i}": b"" for i in range(6)}))
    assert code == 2 and "error[PD0004]" in err and "it has 6 parts, over the limit of 5" in err


def test_textconv_refuses_parts_that_inflate_too_much_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_TOTAL_BYTES", 1000)
    code, err = _textconv(_zip(tmp_path / "t.docx", {"a": b"x" * 600, "b": b"x" * 600}))
    assert code == 2 and "its parts inflate to 1,200 bytes in all, over the 1,000 bytes" in err


def test_textconv_refuses_a_file_over_the_limit(
    seed_docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 1000)
    code, err = _textconv(seed_docx)
    assert code == 2 and "error[PD0004]" in err and "the file is over the 1,000 bytes" in err


def test_textconv_refuses_a_huge_member_list_before_opening_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _zip(tmp_path / "list.docx", {f"member-{i:04}": b"" for i in range(100)})
    monkeypatch.setattr(limits, "MAX_DOCX_DIRECTORY_BYTES", 1000)
    # zipfile is never asked to open it: the check reads the end record itself.
    monkeypatch.setattr(zipfile, "ZipFile", None)
    code, err = _textconv(path)
    assert code == 2 and "its list of members is" in err and "over the 1,000 bytes limit" in err


def test_directory_size_is_read_as_zipfile_reads_it(tmp_path: Path) -> None:
    for members in ({"a": b"x"}, {f"n{i}": b"y" * i for i in range(50)}):
        for comment in (b"", b"a comment PK"):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as out:
                for name, data in members.items():
                    out.writestr(name, data)
                out.comment = comment
            data = buffer.getvalue()
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                first = min(info.header_offset for info in archive.infolist())
                assert first == 0
                expected = archive.start_dir
            end = data.rindex(b"PK\x05\x06")
            assert textconv._directory_size(data) == end - expected
    assert textconv._directory_size(b"not a zip") is None


def test_a_member_is_counted_as_it_inflates_whatever_it_declares(tmp_path: Path) -> None:
    path = _zip(tmp_path / "m.docx", {"word/document.xml": b"<w:p/>" * 10_000})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
        assert textconv._inflated_size(archive, info, 60_000) == 60_000
        with pytest.raises(limits.TooLarge):
            textconv._inflated_size(archive, info, 59_999)


def test_a_part_that_lies_about_its_size_is_not_read_past_it(tmp_path: Path) -> None:
    """Declared 100 bytes, really 1 MiB: reading stops at the declared size, and the file is
    reported as broken (its checksum fails), not inflated."""
    path = _zip(tmp_path / "liar.docx", {"word/document.xml": b"<w:p/>" * 200_000})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
        real = info.file_size
        directory = archive.start_dir
    lie = (100).to_bytes(4, "little")
    data[22:26] = lie  # the local header's uncompressed size
    entry = data.index(b"PK\x01\x02", directory)
    data[entry + 24 : entry + 28] = lie  # the central directory's
    path.write_bytes(bytes(data))
    code, err = _textconv(path)
    assert real > 1_000_000
    assert code == 2 and "not a .docx file" in err

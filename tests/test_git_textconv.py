"""``perfdsl textconv FILE.docx``: the text git diffs a built document as.

What a reviewer needs from it: every table row on one line, in document order, each merged
cell printed once per row (a cell merged across columns once; a cell merged down rows on
every row, so each line reads alone), the same text for the same document every time, and
one clear line (exit 2) for a file that is not a .docx.  The git side is in test_git.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.cli import main
from perfdsl.load import load_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1704067200"}).invoke(
        main, ["build", str(SEED), "-o", str(out), "--to", "docx"]
    )
    assert result.exit_code == 0, result.output
    return out / "beichen-court-2024.docx"


def textconv(path: Path | str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["textconv", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_headings_paragraphs_and_rows_in_document_order(seed_docx: Path) -> None:
    code, text, err = textconv(seed_docx)
    assert code == 0 and err == ""
    lines = text.splitlines()
    assert lines[0] == "= 天津市北辰区人民法院2024年项目支出绩效目标表"
    first = lines.index("# 1.办案业务费绩效目标表")
    assert lines[first + 1 : first + 5] == [
        "215101天津市北辰区人民法院",
        "单位：万元",
        "项目名称\t办案业务费",  # merged across six columns: printed once
        "预算规模及资金用途\t预算数\t146.00\t其中：财政资金\t146.00\t其他资金",
    ]
    # Merged down the rows: 产出指标 and 数量指标 on every row they cover.
    assert "产出指标\t数量指标\t陪审员参审次数\t陪审员参审次数\t≥400次" in lines
    assert "产出指标\t数量指标\t维保到场人员人数\t维保到场人员人数\t≥1人" in lines
    headings = [line for line in lines if line.startswith("# ")]
    assert len(headings) == 9
    assert text.endswith("\n") and "\r" not in text


def test_every_indicator_is_one_row(seed_docx: Path) -> None:
    _code, text, _err = textconv(seed_docx)
    lines = set(text.splitlines())
    document = load_file(SEED).document
    assert document is not None
    for project in document.projects:
        for l1, l2, indicator in project.iter_indicators():
            description = indicator.description.value if indicator.description else indicator.name
            assert indicator.value is not None
            row = "\t".join([l1.name, l2.name, indicator.name, description, indicator.value.text])
            assert row in lines, row


def test_output_is_stable(seed_docx: Path) -> None:
    assert textconv(seed_docx) == textconv(seed_docx)


def test_not_a_docx_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = textconv(SEED)
    assert code == 2 and out == ""
    assert err.startswith(f"perfdsl textconv: {SEED}: not a .docx file")
    assert err.count("\n") == 1
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    code, _out, err = textconv(broken)
    assert code == 2 and "not a .docx file" in err and "Traceback" not in err
    code, _out, err = textconv(tmp_path / "missing.docx")
    assert code == 2 and err.strip().endswith("missing.docx: no such file")


def test_real_process_prints_utf8(seed_docx: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "perfdsl", "textconv", str(seed_docx)],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},  # as git may run it: no UTF-8 locale
    )
    assert result.returncode == 0, result.stderr
    assert "产出指标\t数量指标\t陪审员参审次数".encode() in result.stdout

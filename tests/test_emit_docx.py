"""The Word document of the seed example, checked structurally (python-docx and raw XML).

What a reviewer of the published file would check: A4 pages, the headings and the TOC, each
cell's text, which cells are merged, the fonts Word will pick for Chinese text, the table
properties that keep rows whole and repeat the header, and byte-for-byte reproducibility.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest
from docx.shared import Twips

from perfdsl.ast import Document
from perfdsl.emit.docx import column_twips, normalise_zip, render_docx
from perfdsl.emit.table import money_text
from perfdsl.load import load_file, load_text
from perfdsl.standards.templates import get as get_layout
from perfdsl.values import format_decimal

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = Path(__file__).parent / "data" / "seed-beichen-court-2024.txt"
CASES = Path(__file__).parent / "cases" / "good"
WHEN = datetime(2024, 2, 1, 8, 30, 0, tzinfo=UTC)


def render(document: Document, layout: str | None = None, when: datetime = WHEN) -> bytes:
    return render_docx(document, get_layout(layout), when)


def word(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def load(text: str) -> Document:
    loaded = load_text(text)
    assert loaded.document is not None, loaded.diagnostics
    return loaded.document


@pytest.fixture(scope="module")
def seed(seed_loaded) -> Document:  # type: ignore[no-untyped-def]
    return seed_loaded.document


@pytest.fixture(scope="module")
def seed_docx(seed: Document) -> bytes:
    return render(seed)


@pytest.fixture(scope="module")
def seed_word(seed_docx: bytes) -> docx.document.Document:
    return word(seed_docx)


def cell_text(tc) -> str:  # type: ignore[no-untyped-def]
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.findall(f"{W}p"))


def raw_rows(table) -> list[list]:  # type: ignore[no-untyped-def]
    """The w:tc elements of each row, as written (merged cells appear once per row)."""
    return [tr.findall(f"{W}tc") for tr in table._tbl.findall(f"{W}tr")]


def vmerge(tc) -> str | None:  # type: ignore[no-untyped-def]
    """'restart', 'continue' or None for a w:tc."""
    element = tc.find(f"{W}tcPr/{W}vMerge")
    if element is None:
        return None
    return element.get(f"{W}val") or "continue"


def grid_rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Each row as grid columns (gridSpan expanded), with the text of the cell covering it."""
    out = []
    for tcs in raw_rows(table):
        row: list[str] = []
        for tc in tcs:
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            row += [cell_text(tc)] * (int(span.get(f"{W}val")) if span is not None else 1)
        out.append(row)
    return out


def indicator_tables(document: docx.document.Document) -> list:  # type: ignore[type-arg]
    return document.tables[1::2]


def header_tables(document: docx.document.Document) -> list:  # type: ignore[type-arg]
    return document.tables[0::2]


def runs(keys: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    out, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - start))
            start = i
    return out


# --- page, headings, contents -----------------------------------------------------------------


def test_a4_portrait_with_margins(seed_word: docx.document.Document) -> None:
    section = seed_word.sections[0]
    assert section.page_width == Twips(11906)
    assert section.page_height == Twips(16838)
    assert section.page_width < section.page_height
    for margin in (section.left_margin, section.right_margin, section.top_margin):
        assert Twips(1000) <= margin <= Twips(1800)


def published_headings() -> list[str]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    return [m.strip() for m in re.findall(r"\[bookmark: _Toc\d+\](.+)", text)]


def test_headings_match_the_published_document(seed_word: docx.document.Document) -> None:
    headings = [p for p in seed_word.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == published_headings()
    assert len(headings) == 9
    assert headings[0].text == "1.办案业务费绩效目标表"


def test_unit_and_money_lines(seed_word: docx.document.Document) -> None:
    texts = [p.text for p in seed_word.paragraphs]
    assert texts.count("215101天津市北辰区人民法院") == 9
    assert texts.count("单位：万元") == 9


def test_toc_is_a_field_with_prefilled_entries(seed_docx: bytes) -> None:
    body = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/document.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC \\o &quot;1-1&quot; \\h", body) or re.search(
        r'<w:instrText[^>]*> TOC \\o "1-1" \\h', body
    )
    document = word(seed_docx)
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    texts = [re.sub(r"\t?\d*$", "", "".join(t.text for t in p._p.iter(f"{W}t"))) for p in entries]
    assert texts == published_headings()
    for number in range(1, 10):
        assert f'w:anchor="_Toc{number:08d}"' in body
        assert f'w:name="_Toc{number:08d}"' in body
        assert f"PAGEREF _Toc{number:08d}" in body
    settings = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings


def test_estimated_toc_pages_follow_one_project_a_page(seed_word: docx.document.Document) -> None:
    entries = [p for p in seed_word.paragraphs if p.style.name == "toc 1"]
    texts = ["".join(t.text for t in p._p.iter(f"{W}t")) for p in entries]
    pages = [int(re.search(r"(\d+)$", text).group(1)) for text in texts]  # type: ignore[union-attr]
    assert pages == list(range(2, 11))


# --- fonts and styles ---------------------------------------------------------------------------


def test_chinese_fonts_are_east_asian_fonts(seed_docx: bytes) -> None:
    styles = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:docDefaults") : styles.index("</w:docDefaults>")]
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert 'w:eastAsia="zh-CN"' in defaults
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles)
    assert heading is not None
    assert 'w:eastAsia="黑体"' in heading.group(0)
    assert "Theme" not in heading.group(0)  # theme fonts would override the explicit ones
    assert '<w:outlineLvl w:val="0"/>' in heading.group(0)
    table = re.search(r'<w:style [^>]*w:styleId="TableText".*?</w:style>', styles)
    assert table is not None and 'w:eastAsia="宋体"' in table.group(0)
    settings = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/settings.xml").decode()
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings


def test_every_style_with_fonts_names_the_east_asian_font(seed_docx: bytes) -> None:
    styles = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/styles.xml").decode()
    for sid in ("Normal", "Title", "TOC1", "Heading1", "TableText", "TableTextLeft"):
        style = re.search(rf'<w:style [^>]*w:styleId="{sid}".*?</w:style>', styles)
        assert style is not None, sid
        assert "w:eastAsia=" in style.group(0), sid
        assert '<w:lang w:val="en-US" w:eastAsia="zh-CN"' in style.group(0), sid


# --- tables -----------------------------------------------------------------------------------


def test_two_tables_per_project(seed_word: docx.document.Document, seed: Document) -> None:
    assert len(seed_word.tables) == 2 * len(seed.projects)


def test_borders_on_every_cell(seed_word: docx.document.Document) -> None:
    for table in seed_word.tables:
        borders = table._tbl.find(f"{W}tblPr/{W}tblBorders")
        assert borders is not None
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = borders.find(f"{W}{side}")
            assert edge is not None and edge.get(f"{W}val") == "single", side


def test_rows_never_split_and_header_repeats(seed_word: docx.document.Document) -> None:
    for table in seed_word.tables:
        for tr in table._tbl.findall(f"{W}tr"):
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None
    for table in indicator_tables(seed_word):
        trs = table._tbl.findall(f"{W}tr")
        assert trs[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in trs[1:])


def test_table_grid_fills_the_text_width(seed_word: docx.document.Document) -> None:
    section = seed_word.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in seed_word.tables:
        cols = [int(c.get(f"{W}w")) for c in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert Twips(sum(cols)) == text_width
    widths = [
        int(c.get(f"{W}w"))
        for c in indicator_tables(seed_word)[0]._tbl.findall(f"{W}tblGrid/{W}gridCol")
    ]
    level1, level2, level3, description, value = widths
    assert level1 < level3 and level2 < level3 and level1 < description and level2 < value


def test_indicator_header_row(seed_word: docx.document.Document) -> None:
    for table in indicator_tables(seed_word):
        assert grid_rows(table)[0] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]


def test_merges_follow_consecutive_equal_cells(
    seed_word: docx.document.Document, seed: Document
) -> None:
    for table, project in zip(indicator_tables(seed_word), seed.projects, strict=True):
        triples = list(project.iter_indicators())
        rows = raw_rows(table)[1:]
        assert len(rows) == len(triples)
        level1 = [l1.name for l1, _, _ in triples]
        level1_runs = runs(level1)
        run_of = [i for i, (_, n) in enumerate(level1_runs) for _ in range(n)]
        level2 = [(run_of[i], l2.name) for i, (_, l2, _) in enumerate(triples)]
        for column, keys in ((0, level1), (1, level2)):
            expected: list[str | None] = []
            for _, length in runs(keys):
                expected += ["restart"] + ["continue"] * (length - 1) if length > 1 else [None]
            assert [vmerge(row[column]) for row in rows] == expected, (project.name, column)
            for start, _ in runs(keys):
                name = keys[start] if column == 0 else keys[start][1]
                assert cell_text(rows[start][column]) == name
            for index, state in enumerate(expected):
                if state == "continue":
                    assert cell_text(rows[index][column]) == ""


def test_alternating_level2_stays_separate(seed_word: docx.document.Document) -> None:
    """Seed table 9 alternates 数量指标 and 质量指标: four separate cells, not two merged."""
    rows = raw_rows(indicator_tables(seed_word)[8])[1:]
    assert [cell_text(r[1]) for r in rows[:4]] == ["数量指标", "质量指标", "数量指标", "质量指标"]
    assert [vmerge(r[1]) for r in rows[:4]] == [None, None, None, None]
    assert vmerge(rows[0][0]) == "restart"


def test_every_indicator_value_is_in_its_cell(
    seed_word: docx.document.Document, seed: Document
) -> None:
    for table, project in zip(indicator_tables(seed_word), seed.projects, strict=True):
        rows = grid_rows(table)[1:]
        # python-docx-free reading: merged continuation cells are empty, so take columns 2..4.
        for row, (_, _, indicator) in zip(rows, project.iter_indicators(), strict=True):
            name, description, value = row[2:]
            assert name == indicator.name
            expected = (
                indicator.description.value if indicator.description is not None else indicator.name
            )
            assert description == expected
            assert indicator.value is not None
            assert value == indicator.value.text


def test_values_print_as_written(seed_word: docx.document.Document) -> None:
    values = {row[4] for table in indicator_tables(seed_word) for row in grid_rows(table)[1:]}
    assert {"≤62万", "≤4137280元", "2024年1-12月", "2023年底前", "持续保障", "1辆"} <= values


def test_header_table_amounts_and_blank_funding(
    seed_word: docx.document.Document, seed: Document
) -> None:
    for table, project in zip(header_tables(seed_word), seed.projects, strict=True):
        rows = grid_rows(table)
        assert rows[0][0] == "项目名称" and rows[0][1] == project.name
        budget = rows[1]
        assert budget[0] == "预算规模及资金用途"
        assert budget[1] == "预算数"
        assert budget[2] == format_decimal(project.budget.total.amount)
        assert budget[3] == "其中：财政资金"
        assert budget[5] == "其他资金"
        for kind, cell in (("fiscal", budget[4]), ("other", budget[6])):
            line = project.budget.line(kind)
            assert cell == (format_decimal(line.amount.amount) if line else "")
        assert rows[2][1] == project.fields.text("purpose")
        assert rows[3][0] == "绩效目标"
        assert rows[3][1].split("\n") == [f"{i}.{g.text}" for i, g in enumerate(project.goals, 1)]
    first = grid_rows(header_tables(seed_word)[0])
    assert first[1][2] == "146.00" and first[1][4] == "146.00" and first[1][6] == ""
    last = grid_rows(header_tables(seed_word)[8])
    assert last[1][4] == "" and last[1][6] == "806.72"


def test_budget_group_label_is_merged_over_budget_and_purpose(
    seed_word: docx.document.Document,
) -> None:
    rows = raw_rows(header_tables(seed_word)[0])
    assert vmerge(rows[1][0]) == "restart"
    assert vmerge(rows[2][0]) == "continue"
    assert vmerge(rows[3][0]) is None


def test_goals_are_separate_paragraphs(seed_word: docx.document.Document) -> None:
    goals_cell = raw_rows(header_tables(seed_word)[3])[3][1]
    paragraphs = [cell_text_p(p) for p in goals_cell.findall(f"{W}p")]
    assert paragraphs[0].startswith("1.目标内容1：")
    assert paragraphs[1].startswith("2.目标内容2：")


def cell_text_p(p) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


# --- other sources and layouts ----------------------------------------------------------------


def test_multi_line_text_becomes_paragraphs() -> None:
    document = load_file(CASES / "text-blocks.pdsl").document
    result = word(render(document))
    header = raw_rows(result.tables[0])
    purpose = [cell_text_p(p) for p in header[2][1].findall(f"{W}p")]
    assert purpose == [
        "用于支付长聘人员工资，补充办案人员不足，提高办案效率；",
        "支付淮河道审判区房租：解决我院外派法庭办公场地问题。",
    ]
    cells = [row[4] for row in raw_rows(result.tables[1])[1:]]
    paragraphs = [[cell_text_p(p) for p in cell.findall(f"{W}p")] for cell in cells]
    assert ["切实解决涉法涉诉困难群众的实际问题，", "尊重保障人权"] in paragraphs


def test_extra_funding_lines_are_shown() -> None:
    document = load_file(CASES / "optional-fields.pdsl").document
    for layout in ("tianjin", "mof"):
        texts = [c for row in grid_rows(word(render(document, layout)).tables[0]) for c in row]
        for label, amount in (("上级资金", "1000000"), ("自有资金", "137280")):
            assert label in texts and amount in texts, layout
            assert texts.index(amount) > texts.index(label)
        assert "3000000.00" in texts


def test_mof_layout_header_and_columns() -> None:
    document = load_file(CASES / "optional-fields.pdsl").document
    result = word(render(document, "mof"))
    headings = [p.text for p in result.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["项目支出绩效目标申报表"]  # the form's title heads each table
    assert "（2024年度）" in [p.text for p in result.paragraphs]
    assert "填报单位（盖章）：天津市北辰区人民法院" in [p.text for p in result.paragraphs]
    assert not [p for p in result.paragraphs if p.style.name == "TOC Title"]  # no contents
    texts = [c for row in grid_rows(result.tables[0]) for c in row]
    for label in ("项目名称", "主管部门", "实施单位", "年度资金总额", "其中：财政拨款", "其他资金"):
        assert label in texts, label
    assert "年度目标" in texts and "中期目标" in texts
    assert "215 天津市北辰区人民法院" in texts
    head = grid_rows(result.tables[1])[0]
    # 绩效指标 is merged down the left of the whole table, as the form prints it.
    assert head[:4] == ["绩效指标", "一级指标", "二级指标", "三级指标"]
    assert "年度指标值" in head and "中期指标值" in head and "权重" in head
    assert "指标值设定依据" in head and "备注" in head
    # 描述 is written only as an explicit blank (描述: ""): no column of blanks for it.
    assert "指标描述" not in head


SOURCE = """单位: 215101 测试单位
年度: 2024
金额单位: 万元

项目 有权重:
  预算数: 10.00
    财政资金: 10.00
  资金用途: 测试
  绩效目标:
    1. 测试
  产出指标:
    数量指标:
      数量: ≥1个
        权重: 20
        备注: 说明

项目 无权重:
  预算数: 5
  资金用途: 测试
  绩效目标:
    1. 测试
  产出指标:
    数量指标:
      数量: ≥1个
"""


@pytest.mark.parametrize("layout", ["tianjin", "mof"])
def test_optional_columns_only_where_used(layout: str) -> None:
    result = word(render(load(SOURCE), layout))
    with_weight, without = (grid_rows(t)[0] for t in indicator_tables(result))
    assert "权重" in with_weight and "备注" in with_weight
    assert "权重" not in without and "备注" not in without
    assert "指标值设定依据" not in with_weight and "中期指标值" not in with_weight
    expected = {
        "tianjin": ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
        "mof": ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
    }
    assert without == expected[layout]


def test_absent_funding_lines_are_blank_cells() -> None:
    result = word(render(load(SOURCE)))
    budget = grid_rows(result.tables[2])[1]
    assert budget[2] == "5" and budget[4] == "" and budget[6] == ""


def test_text_from_the_source_is_kept_literally() -> None:
    source = SOURCE.replace("有权重", "<script>alert(1)</script> & Co").replace(
        "资金用途: 测试\n  绩效目标:\n    1. 测试\n  产出指标:\n    数量指标:\n      数量: ≥1个\n        权重",
        '资金用途: a < b & c > d "q"\n  绩效目标:\n    1. 测试\n  产出指标:\n    数量指标:\n      数量: ≥1个\n        权重',
    )
    result = word(render(load(source)))
    headings = [p.text for p in result.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1.<script>alert(1)</script> & Co绩效目标表"
    texts = [c for row in grid_rows(result.tables[0]) for c in row]
    assert 'a < b & c > d "q"' in texts


def test_money_prints_with_the_unit_its_author_wrote() -> None:
    from decimal import Decimal

    from perfdsl.ast import Money

    assert money_text(Money(Decimal("146.00")), "万元") == "146.00"
    assert money_text(Money(Decimal("146.00"), "万元"), "万元") == "146.00万元"
    assert money_text(Money(Decimal("4137280"), "元"), "万元") == "4137280元"
    assert money_text(Money(Decimal("854"), "万", note="(其中…)"), "万元") == "854万(其中…)"
    assert money_text(None, "万元") == ""


def test_empty_document_still_builds() -> None:
    document = load("单位: 215101 测试单位\n年度: 2024\n")
    result = word(render(document))
    assert result.tables == []


# --- reproducibility ----------------------------------------------------------------------------


def test_timestamp_sets_core_properties_and_zip_dates(seed: Document) -> None:
    when = datetime(2023, 12, 31, 16, 0, 1, tzinfo=timezone(timedelta(hours=-8)))
    data = render(seed, when=when)
    props = word(data).core_properties
    assert props.created == datetime(2024, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert props.modified == props.created
    assert props.last_modified_by == "perfdsl"
    assert props.revision == 1
    assert props.title == "天津市北辰区人民法院2024年项目支出绩效目标表"
    assert props.language == "zh-CN"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(2024, 1, 1, 0, 0, 0)}
    assert archive.namelist()[0] == "[Content_Types].xml"
    assert render(seed, when=when) == data
    assert render(seed, when=when + timedelta(days=1)) != data


def test_template_leftovers_are_gone(seed_docx: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(seed_docx))
    names = archive.namelist()
    assert not any("thumbnail" in n or "customXml" in n or "stylesWithEffects" in n for n in names)
    app = archive.read("docProps/app.xml").decode()
    assert "<Application>perfdsl</Application>" in app and "Macintosh" not in app
    core = archive.read("docProps/core.xml").decode()
    assert "python-docx" not in core
    body = archive.read("word/document.xml").decode()
    assert "w:rsid" not in body


def test_old_timestamps_are_clamped_to_the_zip_epoch(seed: Document) -> None:
    data = render(seed, when=datetime(1970, 1, 1, tzinfo=UTC))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_normalise_zip_is_idempotent(seed_docx: bytes) -> None:
    assert normalise_zip(seed_docx, WHEN) == seed_docx


def test_column_twips_add_up() -> None:
    assert sum(column_twips([1, 1, 1], 1000)) == 1000
    assert column_twips([1, 3], 400) == [100, 300]


def bare_document() -> Document:
    """A project with no budget, no goals and no indicators, and a header without a unit:
    what ``build --force`` may hand over.  It must render, with blank cells."""

    from perfdsl.ast import Header, Project

    header = Header(unit_code=None, unit_name=None, year=None, money_unit=None)
    project = Project(name="空项目\x01")
    return Document(header=header, projects=(project,))


@pytest.mark.parametrize("layout", ["tianjin", "mof"])
def test_a_bare_project_renders_with_blank_cells(layout: str) -> None:
    result = word(render(bare_document(), layout))
    headings = [p.text for p in result.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == {"tianjin": "1.空项目绩效目标表", "mof": "项目支出绩效目标申报表"}[layout]
    header_rows = grid_rows(result.tables[0])
    assert header_rows[0][1] == "空项目"  # the control character XML forbids is dropped
    indicator_rows = grid_rows(result.tables[1])
    assert len(indicator_rows) == 1  # the column headers only (绩效指标 down the side in mof)


def test_footer_has_a_page_number_and_one_paragraph_property(seed_docx: bytes) -> None:
    """Word rejects a paragraph with two w:pPr; python-docx's footer already has one."""
    footer = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/footer1.xml").decode()
    assert footer.count("<w:pPr>") == 1
    assert "> PAGE </w:instrText>" in footer


def test_settings_elements_keep_schema_order(seed_docx: bytes) -> None:
    settings = zipfile.ZipFile(io.BytesIO(seed_docx)).read("word/settings.xml").decode()
    assert settings.index("<w:updateFields") < settings.index("<w:compat>")
    assert settings.index("<w:themeFontLang") < settings.index("<w:clrSchemeMapping")
    assert "<w:rsids>" not in settings

"""Layouts as data: the one table model, and docx and HTML drawing exactly it.

Three layers of assertions:

* the model (:mod:`perfdsl.emit.table`): every grid is rectangular, a row-spanning cell is
  followed by a Covered placeholder of its width in each row it covers, widths add up;
* each renderer against the model: read back the docx (``w:gridSpan``, ``w:vMerge``) and the
  HTML (``colspan``, ``rowspan``, cut at the end of each row group as a browser does) into the
  same logical grid, cell by cell, with each cell's extent, for every example and for
  generated documents in every built-in template;
* each built-in template against the real table its example was written from: header labels,
  column headers, merges, orientation, fonts.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from test_properties import template_documents

from perfdsl import ast
from perfdsl.ast import Document
from perfdsl.emit.docx import render_docx
from perfdsl.emit.html import render_html
from perfdsl.emit.model import Cell, Covered, Grid
from perfdsl.emit.table import document_view
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.standards import templates as T

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(
    [
        *ROOT.glob("examples/*.pdsl"),
        *ROOT.glob("examples/templates/*.pdsl"),
        *ROOT.glob("examples/regional/*.pdsl"),
    ]
)
WHEN = datetime(2024, 1, 1, tzinfo=UTC)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: A logical grid: for each row, for each column, (origin row, origin column, text) of the
#: cell that occupies it.  Two renderings with equal logical grids have the same cells, texts
#: and merges.
Logical = list[list[tuple[int, int, str]]]


# --- reading each rendering back -----------------------------------------------------------------


def model_logical(grid: Grid) -> Logical:
    width = len(grid.widths)
    out: Logical = []
    for r, row in enumerate(grid.rows):
        line: list[tuple[int, int, str]] = []
        for item in row:
            c = len(line)
            if isinstance(item, Covered):
                above = out[r - 1][c]
                line.extend([above] * item.colspan)
            else:
                line.extend([(r, c, item.text)] * item.colspan)
        assert len(line) == width, f"row {r} fills {len(line)} of {width} columns"
        out.append(line)
    return out


def docx_logical(data: bytes) -> list[Logical]:
    """Every table of a docx body, in order, as logical grids (nested tables are not used)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = ET.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    tables = []
    for table in body.iter(f"{W}tbl"):
        width = len(table.findall(f"{W}tblGrid/{W}gridCol"))
        grid: Logical = []
        for r, tr in enumerate(table.findall(f"{W}tr")):
            line: list[tuple[int, int, str]] = []
            for tc in tr.findall(f"{W}tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                c = len(line)
                if merge is not None and merge.get(f"{W}val") != "restart":
                    assert r > 0, "a vMerge continuation in the first row"
                    above = grid[r - 1][c : c + span]
                    assert len(set(above)) == 1, f"row {r} col {c}: continues different cells"
                    line.extend(above)
                else:
                    text = "\n".join(
                        "".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.findall(f"{W}p")
                    )
                    line.extend([(r, c, text)] * span)
            assert len(line) == width, f"docx row {r} fills {len(line)} of {width} columns"
            grid.append(line)
        tables.append(grid)
    return tables


class _Tables(HTMLParser):
    """Every <table> of a page: its row groups, their rows, each cell's text and spans."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.cell: dict | None = None
        self.paragraphs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"cols": 0, "groups": []})
        elif tag == "col" and self.tables:
            self.tables[-1]["cols"] += 1
        elif tag in ("thead", "tbody"):
            self.tables[-1]["groups"].append((tag, []))
        elif tag == "tr":
            self.tables[-1]["groups"][-1][1].append([])
        elif tag in ("td", "th"):
            self.cell = {
                "tag": tag,
                "colspan": int(a.get("colspan") or 1),
                "rowspan": int(a.get("rowspan") or 1),
                "scope": a.get("scope"),
                "text": "",
            }
            self.paragraphs = []
        elif tag == "p" and self.cell is not None:
            self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            if self.paragraphs:
                self.cell["text"] = "\n".join(self.paragraphs)
            self.tables[-1]["groups"][-1][1][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is None:
            return
        if self.paragraphs:
            self.paragraphs[-1] += data
        else:
            self.cell["text"] += data


def html_tables(page: str) -> list[dict]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def html_logical(table: dict) -> Logical:
    """The HTML table model: a rowspan ends at the end of its row group, as in every browser."""
    width = table["cols"]
    grid: Logical = []
    for _tag, rows in table["groups"]:
        start = len(grid)
        taken: dict[tuple[int, int], tuple[int, int, str]] = {}
        for i, cells in enumerate(rows):
            r = start + i
            line: list[tuple[int, int, str] | None] = [None] * width
            for (rr, cc), owner in taken.items():
                if rr == r:
                    line[cc] = owner
            c = 0
            for cell in cells:
                while c < width and line[c] is not None:
                    c += 1
                assert c + cell["colspan"] <= width, f"html row {r} overflows {width} columns"
                owner = (r, c, cell["text"])
                for k in range(cell["colspan"]):
                    assert line[c + k] is None, f"html row {r} col {c + k} is taken twice"
                    line[c + k] = owner
                    for down in range(1, min(cell["rowspan"], len(rows) - i)):
                        taken[(r + down, c + k)] = owner
                c += cell["colspan"]
            assert None not in line, f"html row {r} leaves columns empty: {line}"
            grid.append(line)  # type: ignore[arg-type]
    return grid


def views(path: Path) -> tuple[Document, T.Template, object]:
    checked = check_file(str(path), CheckOptions())
    assert checked.loaded.document is not None
    return checked.loaded.document, checked.template(None), checked.catalog


def model_grids(document: Document, template: T.Template, catalog: object = None) -> list[Grid]:
    view = document_view(document, template, catalog)
    return [grid for project in view.projects for grid in project.tables]


def assert_renderers_draw_the_model(
    document: Document, template: T.Template, catalog: object = None
) -> None:
    expected = [model_logical(grid) for grid in model_grids(document, template, catalog)]
    assert docx_logical(render_docx(document, template, WHEN, catalog)) == expected
    page = render_html(document, template, WHEN, catalog)
    assert [html_logical(t) for t in html_tables(page)] == expected


# --- the model, and both renderers drawing it -------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_docx_and_html_draw_the_model_of_every_example(path: Path) -> None:
    assert_renderers_draw_the_model(*views(path))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("key", T.BUILTIN_ORDER)
def test_every_example_in_every_builtin_template(path: Path, key: str) -> None:
    """``build --template X`` reprints any table in any built-in layout, still consistent."""
    document, _own, catalog = views(path)
    assert_renderers_draw_the_model(document, T.builtin()[key], catalog)


@given(template_documents())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_documents_draw_the_same_in_docx_and_html(document: Document) -> None:
    assert_renderers_draw_the_model(document, T.for_document(document))


def test_model_rows_fill_the_grid_and_covered_cells_sit_under_their_span() -> None:
    grid = Grid(
        widths=(1, 1, 1),
        rows=(
            (Cell(("a",), rowspan=2), Cell(("b",), colspan=2)),
            (Covered(), Cell(("c",)), Cell(("d",))),
        ),
    )
    assert model_logical(grid) == [
        [(0, 0, "a"), (0, 1, "b"), (0, 1, "b")],
        [(0, 0, "a"), (1, 1, "c"), (1, 2, "d")],
    ]
    broken = Grid(widths=(1, 1), rows=((Cell(("a",)),),))
    with pytest.raises(AssertionError, match="fills 1 of 2"):
        model_logical(broken)


def test_indicator_model_merges_each_level_over_its_rows() -> None:
    document, template, catalog = views(ROOT / "examples" / "beichen-court-2024.pdsl")
    grid = model_grids(document, template, catalog)[1]
    assert grid.fields[:3] == ("level1", "level2", "name")
    cells = model_logical(grid)[grid.header_rows :]
    project = document.projects[0]
    rows = [
        (l1.name, l2.name, ind.name)
        for l1 in project.indicators
        for l2 in l1.blocks
        for ind in l2.indicators
    ]
    assert [(a[2], b[2], c[2]) for a, b, c, *_ in cells] == rows
    # A 一级 cell spans exactly its indicators; consecutive equal names stay one cell.
    for l1 in project.indicators:
        owners = {row[0][:2] for row in cells if row[0][2] == l1.name}
        assert len(owners) == 1
        (origin,) = owners
        size = sum(len(l2.indicators) for l2 in l1.blocks)
        first = grid.rows[origin[0]][0]
        assert isinstance(first, Cell) and first.rowspan == size


def test_html_cuts_a_rowspan_at_its_group_so_the_renderer_never_splits_one() -> None:
    """What the reader above guards against: a <thead> cell spanning into the <tbody>."""
    page = (
        "<table><colgroup><col><col></colgroup><thead><tr><th rowspan=2>side</th><th>h</th></tr>"
        "</thead><tbody><tr><td>x</td></tr></tbody></table>"
    )
    with pytest.raises(AssertionError, match="leaves columns empty"):
        html_logical(html_tables(page)[0])


# --- each built-in template against the real table ------------------------------------------


def _example(name: str) -> tuple[Document, T.Template, object]:
    """examples/templates/<template>-….pdsl, printed in that built-in template (its header
    may adapt it: the key then reads mof2015（本文件）)."""
    document, template, catalog = views(ROOT / "examples" / "templates" / f"{name}.pdsl")
    builtin = name.split("-")[0]
    assert template.key in (builtin, f"{builtin}（本文件）"), template.key
    return document, template, catalog


def _labels(grid: Grid) -> list[str]:
    return [c.text for row in grid.rows for c in row if isinstance(c, Cell) and c.role != "data"]


def _orientation(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    size = re.search(r"<w:pgSz [^>]*>", xml)
    assert size is not None
    w, h = (int(re.search(rf'w:{k}="(\d+)"', size.group()).group(1)) for k in ("w", "h"))
    return "landscape" if w > h else "portrait"


def _east_asian_fonts(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/styles.xml").decode("utf-8")
    return set(re.findall(r'w:eastAsia="([^"]+)"', xml)) - {"zh-CN"}


def _html_table_cells(page: str, index: int) -> list[dict]:
    table = html_tables(page)[index]
    return [cell for _tag, rows in table["groups"] for row in rows for cell in row]


def test_mof2015_prints_the_ministry_form_with_two_halves() -> None:
    document, template, catalog = _example("mof2015-ningxiang-batang-2021")
    header, indicators = model_grids(document, template, catalog)[:2]
    assert len(header.widths) == 5
    for label in ("项目名称", "主管部门", "实施单位", "项目属性", "项目资金（万元）", "总体目标"):
        assert label in _labels(header), label
    logical = model_logical(indicators)
    # 绩效指标 runs down the whole left side; 中期指标 and 年度指标 each head three columns.
    assert {row[0] for row in logical} == {(0, 0, "绩效指标")}
    assert [cell[2] for cell in logical[0]] == ["绩效指标", "一级指标"] + ["中期指标"] * 3 + [
        "年度指标"
    ] * 3
    assert [cell[2] for cell in logical[1][2:]] == ["二级指标", "三级指标", "指标值"] * 2
    data = render_docx(document, template, WHEN, catalog)
    assert _orientation(data) == "portrait"
    assert {"宋体"} <= _east_asian_fonts(data)
    page = render_html(document, template, WHEN, catalog)
    cells = _html_table_cells(page, 1)
    assert cells[0] == {
        "tag": "th",
        "colspan": 1,
        "rowspan": len(logical),
        "scope": "row",
        "text": "绩效指标",
    }
    assert [(c["text"], c["colspan"]) for c in cells if c["colspan"] > 1] == [
        ("中期指标", 3),
        ("年度指标", 3),
    ]
    assert "（2021年度）" in page and "填报单位（盖章）" in page and "<nav" not in page


def test_mof2021_prints_scores_and_the_basis_column() -> None:
    document, template, catalog = _example("mof2021-farmland-2024")
    grids = model_grids(document, template, catalog)
    header, year = grids[0], grids[1]
    assert [c.text for c in year.rows[0] if isinstance(c, Cell)] == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "指标值设定依据",
        "分值",
    ]
    assert "成本指标（20分）" in _labels(year)
    assert "中期资金总额" in _labels(header) and "年度资金总额" in _labels(header)
    assert _orientation(render_docx(document, template, WHEN, catalog)) == "portrait"


def test_department_prints_duties_and_the_year_indicators() -> None:
    document, template, catalog = _example("department-ningde-dangshi-2019")
    header, indicators = model_grids(document, template, catalog)[:2]
    labels = _labels(header)
    for label in (
        "部门（单位）名称",
        "年度预算安排（万元）",
        "年度履职目标",
        "部门职能",
        "年度总体绩效目标",
    ):
        assert label in labels, label
    assert indicators.fields == ("side", "level1", "level2", "name", "explanation", "value")
    assert model_logical(indicators)[0][0][2] == "年度绩效指标"


def test_flat_prints_one_landscape_sheet_with_each_projects_columns_merged() -> None:
    document, template, catalog = _example("flat-qingshen-fagai-2023")
    (sheet,) = model_grids(document, template, catalog)
    assert sheet.kind == "sheet"
    assert [c.text for c in sheet.rows[0] if isinstance(c, Cell)][:4] == [
        "单位名称",
        "项目名称",
        "预算数",
        "年度目标",
    ]
    logical = model_logical(sheet)
    rows_of_first = sum(
        len(l2.indicators) for l1 in document.projects[0].indicators for l2 in l1.blocks
    )
    for column in range(4):  # unit, project, budget, goals: one cell over the project's rows
        assert len({row[column] for row in logical[1 : 1 + rows_of_first]}) == 1
    data = render_docx(document, template, WHEN, catalog)
    assert _orientation(data) == "landscape"
    assert "size: A4 landscape" in render_html(document, template, WHEN, catalog)


def test_ndrc_prints_two_columns_and_its_own_categories() -> None:
    document, template, catalog = _example("ndrc-old-estates-2024")
    header, indicators = model_grids(document, template, catalog)[:2]
    assert len(header.widths) == 2
    assert "下达中央预算内投资（万元）" in _labels(header)
    assert model_logical(indicators)[1][0][2] == "实施效果指标"


def test_tianjin_keeps_the_seeds_columns_and_contents() -> None:
    document, template, catalog = views(ROOT / "examples" / "beichen-court-2024.pdsl")
    header, indicators = model_grids(document, template, catalog)[:2]
    assert [c.text for c in indicators.rows[0] if isinstance(c, Cell)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标值",
    ]
    assert _labels(header)[:2] == ["项目名称", "预算规模及资金用途"]
    page = render_html(document, template, WHEN, catalog)
    assert "<nav" in page
    assert _orientation(render_docx(document, template, WHEN, catalog)) == "portrait"


def test_a_total_row_sums_the_scores_and_a_header_without_rows_prints_no_header_table() -> None:
    """宁晋 prints its indicator table alone, ending in 总分 | … | 100 (the 分值 column's sum)."""
    path = ROOT / "examples" / "regional" / "22-hebei_ningjin_highschool_aid_2019.pdsl"
    document, template, catalog = views(path)
    grids = model_grids(document, template, catalog)
    assert [g.kind for g in grids] == ["indicators"]
    last = model_logical(grids[0])[-1]
    weight = grids[0].fields.index("weight")
    assert last[0][2] == "总分" and last[weight][2] == "100"
    assert {cell[2] for i, cell in enumerate(last) if i not in (0, weight)} == {""}
    assert_renderers_draw_the_model(document, template, catalog)
    # Without the setting there is no such row; without header rows, goals still print.
    plain = attrs.evolve(template, page=attrs.evolve(template.page, total_row=""))
    assert "总分" not in {
        c[2] for row in model_logical(model_grids(document, plain)[0]) for c in row
    }
    project = attrs.evolve(document.projects[0], goals=(ast.Goal("资助应助尽助。"),))
    with_goals = attrs.evolve(document, projects=(project,))
    header = model_grids(with_goals, template, catalog)[0]
    assert header.kind == "header" and "1.资助应助尽助。" in {
        c[2] for r in model_logical(header) for c in r
    }


# --- any page a user may write -------------------------------------------------------------------

from hypothesis import strategies as st  # noqa: E402

from perfdsl.standards.templates.build import _Where, build_template  # noqa: E402

page_settings = st.fixed_dictionaries(
    {},
    optional={
        "orientation": st.sampled_from(["portrait", "landscape"]),
        "midterm": st.sampled_from(["after", "before", "beside"]),
        "per": st.sampled_from(["project", "unit"]),
        "indicator_side": st.sampled_from(["", "绩效指标"]),
        "number_goals": st.booleans(),
        "split_value": st.booleans(),
        "always": st.sampled_from([["remark"], ["weight"]]),
        "total_row": st.sampled_from(["", "总分"]),
        "header": st.fixed_dictionaries(
            {},
            optional={
                "rows": st.just([]),
                "columns": st.integers(0, 8),
                "money": st.sampled_from(["inline", "stacked", "pairs", "matrix"]),
                "goals": st.sampled_from(["single", "split"]),
                "fields_per_row": st.sampled_from([1, 2]),
                "purpose_in_money": st.booleans(),
            },
        ),
    },
)


@given(template_documents(), page_settings)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_any_page_a_user_writes_draws_a_consistent_table(document: Document, page: dict) -> None:
    base = T.for_document(document)
    try:
        template = build_template({"page": page}, _Where("perfdsl.toml"), base, "user")
    except T.TemplateError as error:  # a setting this base cannot take: said, not drawn
        assert error.diagnostic.code == "PD3013"
        return
    assert_renderers_draw_the_model(document, template)

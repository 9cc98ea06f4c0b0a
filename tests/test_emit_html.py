"""The web page of the seed example, parsed with the standard library and checked.

A golden copy (tests/golden/beichen-court-2024.html) pins the whole page: the output is
deterministic, so any change shows up as a reviewable diff.  Regenerate it after an intended
change with ``PERFDSL_UPDATE_GOLDEN=1 pytest tests/test_emit_html.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from conftest import check_golden

from perfdsl.ast import Document
from perfdsl.emit.html import render_html
from perfdsl.load import load_file, load_text
from perfdsl.standards.templates import get as get_layout

GOLDEN = Path(__file__).parent / "golden" / "beichen-court-2024.html"
CASES = Path(__file__).parent / "cases" / "good"
WHEN = datetime(2024, 2, 1, 8, 30, 0, tzinfo=UTC)
VOID = {"meta", "col", "br", "img", "link", "hr", "input"}


@attrs.define
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = attrs.field(factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, tag: str) -> list[Node]:
        out = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    out.append(child)
                out += child.find_all(tag)
        return out

    def find(self, tag: str) -> Node:
        found = self.find_all(tag)
        assert found, tag
        return found[0]


class TreeBuilder(HTMLParser):
    """A strict little DOM: every non-void element must be closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def render(document: Document, layout: str | None = None) -> str:
    return render_html(document, get_layout(layout), WHEN)


@pytest.fixture(scope="module")
def seed(seed_loaded) -> Document:  # type: ignore[no-untyped-def]
    return seed_loaded.document


@pytest.fixture(scope="module")
def page(seed: Document) -> str:
    return render(seed)


@pytest.fixture(scope="module")
def tree(page: str) -> Node:
    return parse(page)


def expand(table: Node) -> list[list[Node | None]]:
    """The table as a grid: a cell covered by a rowspan/colspan from elsewhere is None."""
    grid: list[list[Node | None]] = []
    pending: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(table.find_all("tr")):
        row: list[Node | None] = []
        c = 0
        for cell in (n for n in tr.children if isinstance(n, Node)):
            while pending.pop((r, c), False):
                row.append(None)
                c += 1
            rowspan = int(cell.attrs.get("rowspan") or 1)
            colspan = int(cell.attrs.get("colspan") or 1)
            row.append(cell)
            for dc in range(colspan):
                if dc:
                    row.append(None)
                for dr in range(1, rowspan):
                    pending[(r + dr, c + dc)] = True
            c += colspan
        while pending.pop((r, c), False):
            row.append(None)
            c += 1
        grid.append(row)
    return grid


def test_page_skeleton(tree: Node, page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    html = tree.find("html")
    assert html.attrs["lang"] == "zh-CN"
    assert tree.find("meta").attrs.get("charset") == "utf-8"
    assert tree.find("title").text == "天津市北辰区人民法院2024年项目支出绩效目标表"
    assert not tree.find_all("script")
    assert not tree.find_all("link")  # self-contained: no external stylesheet
    style = tree.find("style").text
    assert "@page" in style and "size: A4" in style
    assert "@media print" in style


def test_contents_list_with_budgets(tree: Node, seed: Document) -> None:
    nav = tree.find("nav")
    items = nav.find_all("li")
    assert len(items) == len(seed.projects)
    for number, (item, project) in enumerate(zip(items, seed.projects, strict=True), 1):
        link = item.find("a")
        assert link.attrs["href"] == f"#p{number}"
        assert link.text == f"{number}.{project.name}绩效目标表"
        budget = next(s for s in item.find_all("span") if s.attrs.get("class") == "budget")
        assert budget.text == f"预算数 {project.budget.total.amount}万元"
    assert "预算数 146.00万元" in nav.text
    ids = {s.attrs.get("id") for s in tree.find_all("section")}
    assert {f"p{n}" for n in range(1, 10)} <= ids


def test_headings(tree: Node) -> None:
    headings = [h.text for h in tree.find_all("h2") if h.attrs.get("id", "").startswith("p")]
    assert headings[0] == "1.办案业务费绩效目标表"
    assert headings[8] == "9.特定项目资金-2024非财拨绩效目标表"
    assert len(headings) == 9


def indicator_tables(tree: Node) -> list[Node]:
    return [t for t in tree.find_all("table") if "indicators" in (t.attrs.get("class") or "")]


def header_tables(tree: Node) -> list[Node]:
    return [t for t in tree.find_all("table") if "header" in (t.attrs.get("class") or "")]


def test_column_headers_are_th_with_scope(tree: Node) -> None:
    for table in indicator_tables(tree):
        head = table.find("thead").find_all("th")
        assert [th.text for th in head] == [
            "一级指标",
            "二级指标",
            "三级指标",
            "绩效指标描述",
            "指标值",
        ]
        assert all(th.attrs["scope"] == "col" for th in head)


def test_rowspans_match_consecutive_equal_cells(tree: Node, seed: Document) -> None:
    for table, project in zip(indicator_tables(tree), seed.projects, strict=True):
        grid = expand(table)[1:]
        triples = list(project.iter_indicators())
        assert len(grid) == len(triples)
        for row, (_, _, indicator) in zip(grid, triples, strict=True):
            assert len(row) == 5
            three, description, value = row[2:]
            assert three is not None and three.tag == "td" and three.text == indicator.name
            assert description is not None
            expected = indicator.description.value if indicator.description else indicator.name
            assert description.text == expected
            assert value is not None and indicator.value is not None
            assert value.text == indicator.value.text
        # Each 一级/二级 cell is a th whose rowspan covers exactly its run of equal names.
        for column, name_of in ((0, lambda t: t[0].name), (1, lambda t: t[1].name)):
            start = 0
            while start < len(grid):
                cell = grid[start][column]
                assert cell is not None and cell.tag == "th"
                span = int(cell.attrs.get("rowspan") or 1)
                assert cell.text == name_of(triples[start])
                for i in range(start + 1, start + span):
                    assert grid[i][column] is None
                    assert name_of(triples[i]) == name_of(triples[start])
                end = start + span
                if end < len(triples) and column == 0:
                    assert name_of(triples[end]) != name_of(triples[start])
                start = end


def test_alternating_level2_cells_stay_separate(tree: Node) -> None:
    grid = expand(indicator_tables(tree)[8])[1:]
    cells = [grid[i][1] for i in range(4)]
    assert [c.text for c in cells if c] == ["数量指标", "质量指标", "数量指标", "质量指标"]
    assert all(c is not None and "rowspan" not in c.attrs for c in cells)
    first = grid[0][0]
    assert first is not None and first.attrs["rowspan"] == "8"
    assert first.attrs["scope"] == "rowgroup"
    assert all(c is not None and c.attrs["scope"] == "row" for c in cells)


def test_one_tbody_per_level1_block(tree: Node, seed: Document) -> None:
    table = indicator_tables(tree)[0]
    assert len(table.find_all("tbody")) == 3


def test_header_table(tree: Node) -> None:
    first = expand(header_tables(tree)[0])
    texts = [[c.text if c else None for c in row] for row in first]
    assert texts[0][:2] == ["项目名称", "办案业务费"]
    assert texts[1] == [
        "预算规模及资金用途",
        "预算数",
        "146.00",
        "其中：财政资金",
        "146.00",
        "其他资金",
        "",
    ]
    assert texts[3][0] == "绩效目标"
    assert first[0][0] is not None and first[0][0].tag == "th"
    assert first[0][0].attrs["scope"] == "row"
    last = expand(header_tables(tree)[8])
    assert [c.text if c else None for c in last[1]][4:] == ["", "其他资金", "806.72"]


def test_golden(page: str) -> None:
    check_golden(GOLDEN, page)


HOSTILE = """单位: 215101 <b>单位</b> & "公司"
年度: 2024
金额单位: 万元

项目 <script>alert('x')</script> & 资金:
  预算数: 10.00
    财政资金: 10.00
  资金用途: a < b && c > d
  绩效目标:
    1. <img src=x onerror=alert(1)>
  产出指标:
    数量指标:
      <i>数量</i>: ≥1个
        描述: "</td></tr></table>"
"""


def test_every_source_text_is_escaped() -> None:
    loaded = load_text(HOSTILE)
    assert loaded.document is not None, loaded.diagnostics
    page = render(loaded.document)
    for raw in ("<script>", "<b>", "<img", "<i>", "</td></tr></table>\n"):
        assert raw not in page.split("</style>")[1], raw
    tree = parse(page)
    assert not tree.find_all("script") and not tree.find_all("img") and not tree.find_all("b")
    assert "<script>alert('x')</script> & 资金" in tree.find("nav").text
    cells = [td.text for td in tree.find_all("td")]
    assert "a < b && c > d" in cells
    assert "</td></tr></table>" in cells
    assert "1.<img src=x onerror=alert(1)>" in cells
    assert '215101<b>单位</b> & "公司"' in tree.find("p").text


def test_mof_layout_page() -> None:
    document = load_file(CASES / "optional-fields.pdsl").document
    tree = parse(render(document, "mof"))
    header_texts = [c.text for c in tree.find_all("th")]
    for label in ("主管部门", "实施单位", "年度资金总额", "其中：财政拨款", "年度目标", "中期目标"):
        assert label in header_texts, label
    table = indicator_tables(tree)[0]
    # 绩效指标 runs down the side from the header row into the body, and HTML ends a rowspan
    # at its row group: so the whole table is one <tbody>, its first row the column headers.
    assert table.find_all("thead") == []
    head = [th.text for th in table.find("tr").find_all("th")]
    assert all(
        th.attrs["scope"] in ("col", "colgroup", "row") for th in table.find("tr").find_all("th")
    )
    assert head[:4] == ["绩效指标", "一级指标", "二级指标", "三级指标"]
    assert "年度指标值" in head and "中期指标值" in head and "权重" in head
    assert tree.find("title").text.endswith("绩效目标申报表")
    assert tree.find_all("nav") == []  # the form has no contents
    assert "（2024年度）" in [p.text for p in tree.find_all("p")]


def test_multi_line_cells_are_paragraphs() -> None:
    document = load_file(CASES / "text-blocks.pdsl").document
    tree = parse(render(document))
    paragraphs = [[p.text for p in td.find_all("p")] for td in tree.find_all("td")]
    assert ["切实解决涉法涉诉困难群众的实际问题，", "尊重保障人权"] in paragraphs


def test_a_bare_project_renders() -> None:
    from perfdsl.ast import Header, Project

    header = Header(unit_code=None, unit_name=None, year=None, money_unit=None)
    document = Document(header=header, projects=(Project(name="空项目", budgets=()),))
    tree = parse(render(document))
    assert "预算数 —" in tree.find("nav").text
    table = indicator_tables(tree)[0]
    assert not table.find_all("tbody")
    assert tree.find("title").text == "项目支出绩效目标表"

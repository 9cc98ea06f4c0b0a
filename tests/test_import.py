"""``perfdsl import``: Word, Excel and PDF tables back into source.

Round trips: every example built to .docx and imported gives the document back: the same AST
once the facts no table prints are set aside (the template's name and its adaptation in the
header, the framework, a money unit of a file without amounts, a unit code or year that no
line of the template prints, the order funding lines were written in — the table prints them
in the template's order), and, for every example, the same printed tables when the import is
built again.  Generated documents (hypothesis, the strategies of test_properties) too.  The
regional Word files keep every cell of their published table (compared as test_examples
compares the built examples).  Bad input gives a message and exit 2, never a traceback.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from conftest import needs_office
from hypothesis import HealthCheck, given, settings
from test_examples import check_table, tables_of
from test_layouts import model_logical
from test_properties import template_documents

from perfdsl import ast
from perfdsl.cli import main
from perfdsl.emit.docx import render_docx
from perfdsl.emit.table import document_view
from perfdsl.importer import Unreadable, import_file, read_blocks
from perfdsl.importer.docx_grid import read_docx
from perfdsl.importer.grid import Paragraph
from perfdsl.importer.vocab import vocabulary
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.standards import fields as R
from perfdsl.standards import templates as T
from perfdsl.standards.templates import Template
from perfdsl.syntax.parse import parse
from perfdsl.values import Text, Value, parse_value

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(
    [
        *ROOT.glob("examples/*.pdsl"),
        *ROOT.glob("examples/templates/*.pdsl"),
        *ROOT.glob("examples/regional/*.pdsl"),
    ]
)
#: The regional target tables as published (Word, and the PDF LibreOffice made of it), with
#: their cells in .expected.json: copies of the shared regional data, kept in the repository
#: so the suite runs them everywhere.
REGIONAL = Path(__file__).parent / "data" / "regional"
TARGETS = ("16", "21", "22", "23", "25")
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def printed_patterns(template: Template) -> str:
    page = template.page
    shown = [page.heading, page.subtitle, *page.above, *page.below]
    if page.contents or page.cover:
        shown.append(page.document_title)
    return " ".join(shown)


def comparable(document: ast.Document, template: Template) -> ast.Document:
    """The document without what its tables never print (see the module docstring)."""
    header = document.header
    fields = header.fields.without("template").without("framework")
    patterns = printed_patterns(template)
    money = any(ast.has_money(p) for p in document.projects)
    header = attrs.evolve(
        header,
        fields=fields,
        template_spec=(),
        money_unit=header.money_unit if money else None,
        unit_code=header.unit_code if "{unit_code}" in patterns else None,
        year=header.year if "{year}" in patterns else None,
    )
    order = {f.key: i for i, f in enumerate(R.at("funding"))}

    def lines(items: tuple[ast.FundingLine, ...]) -> tuple[ast.FundingLine, ...]:
        items = tuple(attrs.evolve(i, lines=lines(i.lines)) for i in items)
        return tuple(sorted(items, key=lambda i: order.get(i.kind, 99)))

    # Header rows written out cell by cell print only the money they place (the NDRC table's
    # 下达中央预算内投资, without its funding lines or the 项目总投资).
    spec = template.page.header
    explicit = [row for row in spec.rows if isinstance(row, tuple)]
    placed = {cell.partition(":")[2].partition("*")[0] for row in explicit for cell in row}

    def budgets(items: tuple[ast.Budget, ...]) -> tuple[ast.Budget, ...]:
        if explicit and "money" not in spec.rows:
            return tuple(attrs.evolve(b, lines=()) for b in items if b.key in placed)
        return tuple(attrs.evolve(b, lines=lines(b.lines)) for b in items)

    projects = tuple(attrs.evolve(p, budgets=budgets(p.budgets)) for p in document.projects)
    return attrs.evolve(document, header=header, projects=projects)


def imported(data: bytes, tmp_path: Path, catalog: T.Catalog, name: str = "x.docx"):
    path = tmp_path / name
    path.write_bytes(data)
    return import_file(str(path), catalog)


def grids(document: ast.Document, template: Template, catalog: object) -> list[object]:
    view = document_view(document, template, catalog)
    return [
        (p.heading, p.above, p.below, [model_logical(g) for g in p.tables]) for p in view.projects
    ]


# --- round trips ---------------------------------------------------------------------------------


def comes_back(path: Path, tmp_path: Path, save: Callable[[bytes, Path], Path]) -> None:
    """An example, printed to Word and saved as another format by ``save`` (docx bytes, a
    folder → the file to import), imports to the same printed tables, every cell placed."""
    checked = check_file(str(path), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    if document.header.template_spec:
        pytest.skip("a template adapted in the header is not recreated (its fields are 栏目)")
    template = checked.template()
    result = import_file(
        str(save(render_docx(document, template, WHEN, checked.catalog), tmp_path)),
        checked.catalog,
    )
    assert result.document is not None and result.text is not None
    # (what the template does not print, such as the flat sheet's 年度, is in report.refused)
    assert result.report.leftovers == []
    again = T.for_document(result.document, checked.catalog)
    assert grids(result.document, again, checked.catalog) == grids(
        document, template, checked.catalog
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_built_to_docx_imports_to_the_same_printed_tables(
    path: Path, tmp_path: Path
) -> None:
    checked = check_file(str(path), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    template = checked.template()
    result = imported(
        render_docx(document, template, WHEN, checked.catalog), tmp_path, checked.catalog
    )
    assert result.document is not None and result.text is not None
    assert result.report.leftovers == []
    # The source it writes is canonical and reads back as the same document.
    reread = parse(result.text, "x.pdsl", checked.catalog).document
    assert reread == result.document
    again = T.for_document(result.document, checked.catalog)
    if document.header.template_spec:
        pytest.skip("a template adapted in the header is not recreated (its fields are 栏目)")
    assert grids(result.document, again, checked.catalog) == grids(
        document, template, checked.catalog
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_built_to_docx_imports_to_the_same_document(path: Path, tmp_path: Path) -> None:
    checked = check_file(str(path), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    template = checked.template()
    if document.header.template_spec or template.page.per == "unit":
        pytest.skip("fields this template does not print cannot come back")
    result = imported(
        render_docx(document, template, WHEN, checked.catalog), tmp_path, checked.catalog
    )
    assert result.document is not None
    assert comparable(result.document, template) == comparable(document, template)


def readable(document: ast.Document) -> ast.Document:
    """A generated document made into one a table can show unambiguously, by the rules an
    importer reading printed tables cannot get round (docs/import.md lists them):

    - a cell whose whole text is a label (the template's, or any field's spelling) reads as
      that label, so such a text gets a character more;
    - blanks around a cell's text are typography (``1. 目标`` reads as the goal ``目标``);
    - two neighbouring categories of one name print as one merged cell;
    - the unit's code and name print run together (215101天津市…): a code reads back when it
      is five or more digits before a Chinese name, as the language reads such a line;
    - a template's main funding lines print in their own cells, so a breakdown (其中) of
      another line is never one of them; in a money grid of several columns (the MoF
      tables' 中期 | 年度 | 总预算) a breakdown prints as one more row, so none is generated;
    - a category left blank reads as more of the one above it (as an unmerged table's
      repeated cells do), so every category has a name;
    - with the 中期 tree beside the year's, a 一级 with no indicators prints blank in both
      halves, and whose it is cannot be seen.
    """
    template = T.for_document(document)
    vocab = vocabulary(template)
    main = set(template.page.main_funding)
    # Several money columns side by side print every line as one more row, its parent unseen.
    flat = template.page.header.money in ("matrix", "pairs")

    def funding(lines: tuple[ast.FundingLine, ...], nested: bool) -> tuple[ast.FundingLine, ...]:
        return tuple(
            attrs.evolve(line, lines=() if flat else funding(line.lines, True))
            for line in lines
            if not (nested and line.kind in main)
        )

    def text(value: str) -> str:
        value = value.strip()
        return value + "乙" if vocab.is_label(value) else value

    def goal(value: str) -> str:
        # Unnumbered goals print one a line: a goal of several lines would read as several.
        if not template.page.number_goals:
            return text(value.replace("\n", ""))
        # A numbered goal's next line that starts ``2、`` reads as the next goal.
        return text(re.sub(r"\n(?=\s*\d{1,3}\s*[.、．)）])", "\n·", value))

    def typed(cell: Value | None) -> Value | None:
        # A text that reads as a number (``0``) is the number once printed.
        return parse_value(text(cell.text)) if isinstance(cell, Text) else cell

    def located(value: ast.FieldValue) -> ast.FieldValue:
        if isinstance(value, ast.Typed) and value.value is not None:
            return attrs.evolve(value, value=typed(value.value))
        if isinstance(value, ast.Labels):  # sign-off labels print before a colon of their own
            return ast.Labels(
                ast.Fields(
                    tuple(
                        (f"{text(re.sub('[:：]', '', k)) or '签章'}{n}", located(v))
                        for n, (k, v) in enumerate(value.fields.items_)
                    )
                )
            )
        if isinstance(value, ast.Goals):
            return attrs.evolve(
                value,
                items=tuple(
                    attrs.evolve(g, text=goal(g.text)) for g in value.items if goal(g.text)
                ),
            )
        return (
            attrs.evolve(value, value=text(value.value))
            if isinstance(value, ast.Located)
            else value
        )

    def fields(items: ast.Fields) -> ast.Fields:
        return ast.Fields(tuple((k, located(v)) for k, v in items.items_))

    beside = template.page.midterm == "beside"

    def tree(level1: tuple[ast.Level1, ...]) -> tuple[ast.Level1, ...]:
        out = []
        for n, l1 in enumerate(level1):
            if beside and not any(l2.indicators for l2 in l1.blocks):
                continue  # blank in both halves: whose 一级 it is cannot be seen
            blocks = tuple(
                attrs.evolve(
                    l2,
                    name=f"{text(l2.name) or '二级'}{m}",
                    fields=fields(l2.fields),
                    indicators=tuple(
                        attrs.evolve(
                            i, name=text(i.name), value=typed(i.value), fields=fields(i.fields)
                        )
                        for i in l2.indicators
                    ),
                )
                for m, l2 in enumerate(l1.blocks)
            )
            name = f"{text(l1.name) or '一级'}{n}"
            out.append(attrs.evolve(l1, name=name, blocks=blocks, fields=fields(l1.fields)))
        return tuple(out)

    projects = []
    for project in document.projects:
        items = []
        for key, value in project.fields.items_:
            if isinstance(value, ast.Tree):
                value = attrs.evolve(value, level1=tree(value.level1))
            items.append((key, located(value)))
        projects.append(
            attrs.evolve(
                project,
                budgets=tuple(
                    attrs.evolve(b, lines=funding(b.lines, False)) for b in project.budgets
                ),
                name=text(project.name),
                # (an empty goal is no line in a cell)
                goals=tuple(
                    attrs.evolve(g, text=goal(g.text)) for g in project.goals if goal(g.text)
                ),
                indicators=tree(project.indicators),
                fields=ast.Fields(tuple(items)),
            )
        )
    header = document.header
    code = header.unit_code
    if code is not None and not re.fullmatch(r"\d{5,}", code.value):
        code = None
    name = text(header.unit)
    if code is not None and not re.match(r"[^\x00-\x7f]", name):
        name = "单位" + name
    head_fields = ast.Fields(
        tuple((k, v if k == "template" else located(v)) for k, v in header.fields.items_)
    )
    title = head_fields.located("title")
    if title is not None and not title.value:
        head_fields = head_fields.without("title")
    header = attrs.evolve(header, unit_code=code, unit_name=ast.Located(name), fields=head_fields)
    return attrs.evolve(document, header=header, projects=tuple(projects))


@given(template_documents().map(readable))
@settings(
    # 40 in the suite; PERFDSL_IMPORT_EXAMPLES=1000 for a deeper run by hand.
    max_examples=int(os.environ.get("PERFDSL_IMPORT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_generated_documents_come_back_as_the_same_printed_tables(document: ast.Document) -> None:
    import tempfile

    template = T.for_document(document)
    catalog = T.catalog()
    with tempfile.TemporaryDirectory() as folder:
        result = imported(render_docx(document, template, WHEN), Path(folder), catalog)
    assert result.document is not None
    again = T.for_document(result.document, catalog)
    assert grids(result.document, again, catalog) == grids(document, template, catalog)


# --- the real Word files -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
@pytest.mark.parametrize("nn", TARGETS)
def test_a_regional_file_imports_with_every_cell(nn: str, suffix: str, tmp_path: Path) -> None:
    (docx,) = REGIONAL.glob(f"{nn}_*{suffix}")
    data = json.loads(docx.with_suffix("").with_suffix(".expected.json").read_text("utf-8"))
    # The unit's repository has its region's template, as examples/regional does.
    for template in (ROOT / "examples" / "regional").glob("*.template.toml"):
        shutil.copy(template, tmp_path / template.name)
    target = tmp_path / f"{nn}.pdsl"
    result = CliRunner().invoke(main, ["import", str(docx), "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    checked = check_file(str(target), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    view = document_view(document, checked.template(), checked.catalog)
    source = target.read_text("utf-8")
    missing: list[str] = []
    for expected, project in zip(tables_of(data), view.projects, strict=False):
        missing += check_table(nn, expected, project, source).missing
    assert len(view.projects) == len(tables_of(data))
    assert missing == [], "\n".join(missing)
    fmt = CliRunner().invoke(main, ["fmt", "--check", str(target)])
    assert fmt.exit_code == 0, fmt.output


#: The regional tables that come back whole with no template of their region at hand: the
#: importer writes what their labels and columns differ by into the source's header.
WITHOUT_TEMPLATE = ("16", "21", "22")


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
@pytest.mark.parametrize("nn", WITHOUT_TEMPLATE)
def test_a_regional_file_imports_with_every_cell_without_its_template(
    nn: str, suffix: str, tmp_path: Path
) -> None:
    """A new user's first import: no template file of the region, only the built-in ones."""
    (docx,) = REGIONAL.glob(f"{nn}_*{suffix}")
    data = json.loads(docx.with_suffix(".expected.json").read_text("utf-8"))
    target = tmp_path / f"{nn}.pdsl"
    result = CliRunner().invoke(main, ["import", str(docx), "-o", str(target), "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    assert "differ from template" in result.output  # (and the report says so)
    source = target.read_text("utf-8")
    assert "\n  标签:\n" in source  # the table's own labels, in the header
    checked = check_file(str(target), CheckOptions())
    document = checked.loaded.document
    assert document is not None and document.header.template_spec
    view = document_view(document, checked.template(), checked.catalog)
    missing: list[str] = []
    for expected, project in zip(tables_of(data), view.projects, strict=True):
        missing += check_table(nn, expected, project, source).missing
    assert missing == [], "\n".join(missing)
    assert CliRunner().invoke(main, ["fmt", "--check", str(target)]).exit_code == 0


def test_the_header_adaptation_is_only_what_differs(tmp_path: Path) -> None:
    """Labels printed as the template prints them, or read as truncated, are not written;
    one that differs is, and the file builds it back."""
    from perfdsl.importer.adapt import adapt
    from perfdsl.importer.draft import DocumentDraft, ProjectDraft

    template = T.catalog().find("mof2015")
    assert template is not None
    project = ProjectDraft(name="x")
    project.labels = {
        ("project", "implementer"): [template.label("project", "implementer")],
        ("project", "manager"): ["项目负责人（签字）"],
        ("indicator", "value"): ["目标值"],
        ("indicator", "name"): ["绩效指标", template.label("indicator", "name")],
    }
    project.columns = [c.field for c in template.page.columns if not c.optional]
    adaptation = adapt(DocumentDraft(projects=[project], subtitle_seen=True), template)
    assert adaptation.labels == (
        ("project.manager", "项目负责人（签字）"),
        ("indicator.value", "目标值"),
    )
    assert adaptation.columns is None and adaptation.add == ()
    # An indicator table alone (宁晋's 评价指标表) asks for no 预算数 and prints no header
    # grid; no line was read above it, so none is printed there; nothing else changes.
    from perfdsl.importer.adapt import Adaptation

    bare = ProjectDraft(name="x", header_table=False)
    assert adapt(DocumentDraft(projects=[bare], subtitle_seen=True), template) == Adaptation(
        no_budget=True, no_header=True, no_above=True
    )
    seen = DocumentDraft(projects=[ProjectDraft(name="x")], above_seen=True, subtitle_seen=True)
    assert adapt(seen, template) == Adaptation(no_budget=True)
    # (a subtitle the base prints, （2024年度）, and the table had none)
    unseen = DocumentDraft(projects=[ProjectDraft(name="x")], above_seen=True)
    assert adapt(unseen, template).no_subtitle == bool(template.page.subtitle)


def test_an_indicator_table_in_its_own_column_order_is_printed_in_it(tmp_path: Path) -> None:
    """指标值 before 三级指标 in the Word file: the source says so, and builds it so."""
    source = EXAMPLES[0]
    checked = check_file(str(source), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    template = checked.template()
    fields = [c.field for c in template.page.columns]
    swapped = [*fields[:2], fields[3], fields[2], *fields[4:]]
    data = {"page": {"columns": swapped, "optional": []}}
    from perfdsl.standards.templates.build import _Where, build_template

    reordered = build_template(data, _Where("t"), template, "t")
    result = imported(render_docx(document, reordered, WHEN), tmp_path, checked.catalog)
    assert result.text is not None and result.document is not None
    assert f"    columns: {'、'.join(swapped)}" in result.text
    again = T.for_document(result.document, checked.catalog)
    assert [c.field for c in again.page.columns][: len(swapped)] == swapped


def test_a_midterm_table_of_its_own_comes_back_where_it_stood(tmp_path: Path) -> None:
    """长期绩效指标 in a table of its own above the year's (宁乡), printed by a template that
    sets them side by side: the source says where it stood and what the captions were."""
    from perfdsl.standards.templates.build import _Where, build_template

    path = ROOT / "examples" / "templates" / "mof2021-farmland-2024.pdsl"
    checked = check_file(str(path), CheckOptions())
    document = checked.loaded.document
    assert document is not None and document.projects[0].fields.get("midterm_indicators")
    base = checked.template()
    page = {
        "midterm": "before",
        "midterm_caption": "长期绩效指标:",
        "year_caption": "年度绩效指标:",
    }
    printed_so = build_template({"page": page}, _Where("t"), base, "t")
    result = imported(render_docx(document, printed_so, WHEN), tmp_path, checked.catalog)
    assert result.text is not None and result.document is not None
    assert "    midterm: before\n" in result.text
    assert "    midterm_caption: 长期绩效指标:\n" in result.text
    again = T.for_document(result.document, checked.catalog)
    assert (again.page.midterm, again.page.midterm_caption, again.page.year_caption) == (
        "before",
        "长期绩效指标:",
        "年度绩效指标:",
    )
    assert grids(result.document, again, checked.catalog) == grids(
        document, printed_so, checked.catalog
    )


def test_a_label_may_ask_for_a_seal_or_carry_a_unit() -> None:
    """实施单位（盖章） is the 实施单位; 预算金额(万元) the 预算金额 column of a block."""
    from perfdsl.importer.vocab import column_key

    vocab = vocabulary(T.catalog().find("mof2015"))  # type: ignore[arg-type]
    assert vocab.field("实施单位（盖章）") == vocab.field("实施单位") == ("project", "implementer")
    assert vocab.field("实施单位（说明）") is None
    columns = vocab.row_columns["duty_goals"]
    assert column_key(columns, "预算金额(万元)") == column_key(columns, "预算金额") == "amount"
    assert column_key(columns, "预算金额(万人)") is None


def test_a_money_group_of_its_own_is_written_into_the_header(tmp_path: Path) -> None:
    """湖北's 部门总体资金情况（单位：万元） over its money lines, 其他资金 printed blank: with
    no template of the region, the header keeps the group's label and the blank line."""
    (docx,) = REGIONAL.glob("23_*.docx")
    target = tmp_path / "23.pdsl"
    result = CliRunner().invoke(main, ["import", str(docx), "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    source = target.read_text("utf-8")
    assert "    budget_group: 部门总体资金情况 (单位:{money_unit})\n" in source
    # (the line above the table, 填报日期:2021 年 1 月 28 日, under its own label too)
    assert "    header.filed_on: 填报日期\n" in source
    checked = check_file(str(target), CheckOptions())
    assert checked.loaded.document is not None
    view = document_view(checked.loaded.document, checked.template(), checked.catalog)
    cells = {
        line
        for grid in view.projects[0].tables
        for row in grid.rows
        for c in row
        if hasattr(c, "lines")
        for line in c.lines
    }
    assert "部门总体资金情况 (单位:万元)" in cells
    assert "其他资金" in cells


def test_an_adaptation_the_header_cannot_hold_falls_back_to_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the written adaptation ever not read back, the table still comes out."""
    from perfdsl.importer import adapt

    monkeypatch.setattr(adapt.Adaptation, "lines", lambda self: ["  标签:", "    无此字段: x"])
    (docx,) = REGIONAL.glob("16_*.docx")
    result = import_file(str(docx), T.catalog())
    assert result.document is not None and result.text is not None
    assert "无此字段" not in result.text and not result.report.refused


def test_a_column_of_its_own_comes_back_in_its_place(tmp_path: Path) -> None:
    """A self-evaluation's 实际完成值 between 指标值 and 分值, and a 偏差原因 column left
    blank: a template places them (``栏目 实际完成值`` in columns), an import writes them so."""
    source = """单位: 某县某局
年度: 2024
金额单位: 万元
模板: mof2021
  版面:
    columns: level1、level2、name、value、栏目 实际完成值、weight、栏目 偏差原因
    optional:

项目 某项目:
  年度资金总额: 10
    财政拨款: 10
  产出指标:
    数量指标:
      完成数量: ≥50个
        分值: 8
        栏目 实际完成值: 50
"""
    path = tmp_path / "own.pdsl"
    path.write_text(source, encoding="utf-8")
    checked = check_file(str(path), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    template = checked.template()
    assert [c.field for c in template.page.columns][4:7] == [
        "free:实际完成值",
        "weight",
        "free:偏差原因",
    ]
    view = document_view(document, template, checked.catalog)
    head = [c.lines[0] for c in view.projects[0].tables[-1].rows[0] if hasattr(c, "lines")]
    assert head[-3:] == ["实际完成值", "分值", "偏差原因"]
    plain = attrs.evolve(document, header=attrs.evolve(document.header, template_spec=()))
    result = imported(render_docx(plain, template, WHEN), tmp_path, T.catalog())
    assert result.text is not None and result.document is not None
    assert "栏目 实际完成值、weight、栏目 偏差原因" in result.text
    again = T.for_document(result.document, T.catalog())
    assert grids(result.document, again, T.catalog()) == grids(document, template, checked.catalog)


def test_a_field_the_template_lacks_is_added_under_its_label(tmp_path: Path) -> None:
    """宁乡's 项目立项的依据 and 项目实施进度计划 with mof2015, which has neither: added to the
    header's template, typed and labelled, instead of written as 栏目 under another label."""
    from perfdsl.importer.adapt import adapt
    from perfdsl.importer.draft import DocumentDraft, ProjectDraft

    template = T.catalog().find("mof2015")
    assert template is not None and not template.has("project", "legal_basis")
    project = ProjectDraft(name="x", fields={"legal_basis": "按发改立项", "free:备注": "y"})
    project.rows = {"progress": [{"content": "规划", "start": "2016", "finish": "2020"}]}
    project.labels = {
        ("project", "legal_basis"): ["项目立项的依据"],
        ("project", "progress"): ["项目实施进度计划"],
    }
    adaptation = adapt(DocumentDraft(projects=[project], subtitle_seen=True), template)
    assert adaptation.add_project == ("legal_basis", "progress")
    assert ("project.legal_basis", "项目立项的依据") in adaptation.labels
    assert ("project.progress", "项目实施进度计划") in adaptation.labels
    # and the source written with it reads back with the fields typed, the block as rows
    (docx,) = REGIONAL.glob("25_*.docx")
    result = import_file(str(docx), T.catalog())
    assert result.document is not None and result.text is not None
    assert "    项目: " in result.text and "栏目 立项依据" not in result.text
    fields = result.document.projects[0].fields
    assert "legal_basis" in fields and "progress" in fields


def test_a_lone_tables_own_title_is_the_headers_title() -> None:
    """宁晋's only line, 2019年度宁晋县高中助学金项目绩效评价指标表: the 标题, not a 说明."""
    (docx,) = REGIONAL.glob("22_*.docx")
    result = import_file(str(docx), T.catalog())
    assert result.text is not None
    assert "\n标题: 2019年度宁晋县高中助学金项目绩效评价指标表\n" in result.text
    assert "说明: 2019年度" not in result.text


def test_save_template_writes_the_adaptation_once_for_a_regions_files(tmp_path: Path) -> None:
    """--save-template 宁德: one 宁德.template.toml beside the sources, each source `模板: 宁德`
    with no adaptation of its own, and still every cell of the table."""
    (docx,) = REGIONAL.glob("16_*.docx")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["import", str(docx), "-o", f"{out}/", "--save-template", "宁德", "--lang", "en"]
    )
    assert result.exit_code in (0, 1), result.output
    saved = out / "宁德.template.toml"
    assert saved.is_file() and 'base = "department"' in saved.read_text("utf-8")
    (target,) = out.glob("*.pdsl")
    source = target.read_text("utf-8")
    assert "\n模板: 宁德\n" in source and "  标签:" not in source
    data = json.loads(docx.with_suffix(".expected.json").read_text("utf-8"))
    checked = check_file(str(target), CheckOptions())
    assert checked.loaded.document is not None
    view = document_view(checked.loaded.document, checked.template(), checked.catalog)
    missing = check_table("16", tables_of(data)[0], view.projects[0], source).missing
    assert missing == [], "\n".join(missing)
    # A template of that name already there is never overwritten; without -o there is no
    # folder to write it in: both refused before anything is written.
    again = CliRunner().invoke(
        main, ["import", str(docx), "-o", f"{out}/", "--save-template", "宁德", "--lang", "en"]
    )
    assert again.exit_code == 2 and "not overwritten" in again.output
    alone = CliRunner().invoke(main, ["import", str(docx), "--save-template", "x", "--lang", "en"])
    assert alone.exit_code == 2 and "needs -o" in alone.output


def test_two_files_that_would_write_one_source_are_refused(tmp_path: Path) -> None:
    """宁德.docx and 宁德.pdf into one folder would both be 宁德.pdsl: nothing is written."""
    files = [str(p) for p in sorted(REGIONAL.glob("16_*")) if p.suffix in (".docx", ".pdf")]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", *files, "-o", f"{out}/", "--lang", "en"])
    assert result.exit_code == 2 and "would both write" in result.output
    assert not out.exists() or not any(out.iterdir())


# --- the command and bad input -------------------------------------------------------------------


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["import", *args, "--lang", "en"])


def test_import_writes_canonical_source_that_checks(tmp_path: Path) -> None:
    checked = check_file(str(EXAMPLES[0]), CheckOptions())
    assert checked.loaded.document is not None
    docx = tmp_path / "seed.docx"
    docx.write_bytes(render_docx(checked.loaded.document, checked.template(), WHEN))
    out = tmp_path / "seed.pdsl"
    result = run(str(docx), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "differ from template" not in result.output  # (its own template: nothing to adapt)
    assert CliRunner().invoke(main, ["fmt", "--check", str(out)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0


def _docx(body: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def _rows(*rows: tuple[str, ...]) -> str:
    """Table rows of a minimal Word document, one cell per text."""
    return "".join("<w:tr>" + "".join(_cell(t) for t in row) + "</w:tr>" for row in rows)


def test_no_table_is_pd8002_exit_1_and_a_table_of_indicators_is_not(tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    empty.write_bytes(_docx("<w:p><w:r><w:t>没有表格</w:t></w:r></w:p>"))
    result = run(str(empty))
    assert result.exit_code == 1 and "PD8002" in result.output
    table = _rows(
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("产出指标", "数量指标", "件数", "≥1件"),
    )
    near = tmp_path / "near.docx"
    near.write_bytes(_docx(f"<w:tbl>{table}</w:tbl>"))
    result = run(str(near))
    assert "PD8002" not in result.output and "件数: ≥1件" in result.output


def test_an_unknown_cell_is_pd8003_exit_1_and_a_known_one_is_placed(tmp_path: Path) -> None:
    rows = _rows(
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("产出指标", "数量指标", "件数", "≥1件"),
    )
    header = (
        "<w:tr>"
        + _cell("项目名称")
        + _cell("甲")
        + "</w:tr><w:tr>"
        + _cell("孤零零的一格")
        + "</w:tr>"
    )
    stray = tmp_path / "stray.docx"
    stray.write_bytes(_docx(f"<w:tbl>{header}</w:tbl><w:tbl>{rows}</w:tbl>"))
    result = run(str(stray))
    assert result.exit_code == 1 and "PD8003" in result.output and "孤零零的一格" in result.output
    known = (
        "<w:tr>"
        + _cell("项目名称")
        + _cell("甲")
        + "</w:tr><w:tr>"
        + _cell("资金用途")
        + _cell("买书")
        + "</w:tr><w:tr>"
        + _cell("预算数")
        + _cell("10")
        + "</w:tr>"
    )
    title = "<w:p><w:r><w:t>某单位2024年项目支出绩效目标表</w:t></w:r></w:p>"
    ok = tmp_path / "ok.docx"
    ok.write_bytes(_docx(f"{title}<w:tbl>{known}</w:tbl><w:tbl>{rows}</w:tbl>"))
    result = run(str(ok))
    assert result.exit_code == 0, result.output
    assert "PD8003" not in result.output and "资金用途: 买书" in result.output


def test_what_the_table_never_says_is_an_error_in_the_report(tmp_path: Path) -> None:
    """A table that prints no year and no budget: the source says what is missing, and the
    import is not clean (exit 1), instead of a source quietly lacking them."""
    rows = _rows(("项目名称", "甲"), ("一级指标", "二级指标", "三级指标", "指标值"))
    bare = tmp_path / "bare.docx"
    bare.write_bytes(_docx(f"<w:tbl>{rows}</w:tbl>"))
    result = run(str(bare))
    assert result.exit_code == 1
    assert "the written source has an error: the header has no `年度`" in result.output


def test_a_guessed_year_is_pd8004_and_a_printed_one_is_not(tmp_path: Path) -> None:
    rows = _rows(
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("产出指标", "时效指标", "完成时间", "2024年底前"),
    )
    guess = tmp_path / "guess.docx"
    guess.write_bytes(_docx(f"<w:tbl>{rows}</w:tbl>"))
    assert "PD8004" in run(str(guess)).output
    title = '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>某单位2024年项目支出绩效目标表</w:t></w:r></w:p>'
    printed = tmp_path / "printed.docx"
    printed.write_bytes(_docx(f"{title}<w:tbl>{rows}</w:tbl>"))
    out = run(str(printed)).output
    assert "year 2024 was found" not in out and "年度: 2024" in out


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("corrupt.docx", b"PK\x03\x04 not really a zip", "not a valid"),
        ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
        ("notes.txt", b"hello", "unknown file type"),
        ("scan.pdf", None, "no text layer"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("broken.xlsx", b"PK\x05\x06" + b"\0" * 18, "not a valid"),
    ],
)
def test_bad_input_is_pd8001_and_exit_2_without_a_traceback(
    tmp_path: Path, name: str, data: bytes | None, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data if data is not None else _blank_pdf())
    result = run(str(path))
    assert result.exit_code == 2, result.output
    assert "PD8001" in result.output and words in result.output
    assert "Traceback" not in result.output


def test_a_zip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(70):
            member.write(b"\0" * (1 << 20))
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb.getvalue())
    with pytest.raises(Unreadable, match="zip bomb"):
        read_blocks(str(path))


def test_a_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.docx"))
    assert result.exit_code == 2 and "no such file" in result.output


def _blank_pdf() -> bytes:
    """A one-page PDF with no text at all (what a scan without OCR looks like to us)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_paragraphs_and_merged_cells_are_read_from_the_raw_xml(tmp_path: Path) -> None:
    """A cell merged down (w:vMerge) is one cell spanning the rows, not one per row."""
    rows = (
        "<w:tr>" + _cell("一级指标") + _cell("三级指标") + "</w:tr>"
        '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>产出指标</w:t></w:r></w:p></w:tc>'
        + _cell("甲")
        + "</w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" + _cell("乙") + "</w:tr>"
    )
    path = tmp_path / "merged.docx"
    path.write_bytes(_docx(f"<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl>{rows}</w:tbl>"))
    blocks = read_docx(str(path))
    assert blocks[0] == Paragraph("标题")
    table = blocks[1]
    merged = table.at(1, 0)
    assert merged is table.at(2, 0) and merged.rowspan == 2 and merged.text == "产出指标"


# --- PDF: what `build --to pdf` prints comes back --------------------------------------------------


@needs_office
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_built_to_pdf_imports_to_the_same_printed_tables(
    path: Path, tmp_path: Path
) -> None:
    from perfdsl.emit.pdf import docx_to_pdf

    def as_pdf(docx: bytes, folder: Path) -> Path:
        (folder / "x.pdf").write_bytes(docx_to_pdf(docx, WHEN))
        return folder / "x.pdf"

    comes_back(path, tmp_path, as_pdf)


# --- Excel: the same tables on a sheet ------------------------------------------------------------


def as_workbook(blocks: list[object], path: Path) -> None:
    """The blocks of a Word file laid out on one sheet as a finance office keeps them: each
    line in a row merged across, each table with its merged cells, a blank row after it."""
    import openpyxl

    from perfdsl.importer.grid import Table

    book = openpyxl.Workbook()
    sheet = book.active
    width = max((b.width for b in blocks if isinstance(b, Table)), default=1)
    row = 1
    for block in blocks:
        if isinstance(block, Paragraph):
            sheet.cell(row, 1, block.text)
            if width > 1:
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
            continue
        assert isinstance(block, Table)
        for cell in block.cells:
            sheet.cell(row + cell.row, cell.col + 1, cell.text or None)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=row + cell.row,
                    start_column=cell.col + 1,
                    end_row=row + cell.row + cell.rowspan - 1,
                    end_column=cell.col + cell.colspan,
                )
        row += block.height + 1
    book.save(path)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_on_a_sheet_imports_to_the_same_printed_tables(
    path: Path, tmp_path: Path
) -> None:
    def on_a_sheet(docx: bytes, folder: Path) -> Path:
        (folder / "x.docx").write_bytes(docx)
        as_workbook(read_blocks(str(folder / "x.docx")), folder / "x.xlsx")
        return folder / "x.xlsx"

    comes_back(path, tmp_path, on_a_sheet)


def test_a_number_reads_as_its_cell_shows_it(tmp_path: Path) -> None:
    """Excel stores 146 where the sheet shows 146.00: the amount keeps the shown scale."""
    import openpyxl

    from perfdsl.importer.xlsx_grid import _text

    assert _text(146.0, "0.00") == "146.00"
    assert _text(1234.5, "#,##0.00") == "1,234.50"
    assert _text(0.95, "0%") == "95%"
    assert _text(0.1, "General") == "0.1"
    assert _text(238.93, "General") == "238.93"
    assert _text(100, "General") == "100"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "预算数", 146
    sheet["B1"].number_format = "0.00"
    book.save(tmp_path / "n.xlsx")
    (table,) = read_blocks(str(tmp_path / "n.xlsx"))
    assert [c.text for c in table.cells] == ["预算数", "146.00"]


@needs_office
def test_an_old_word_file_is_read_through_libreoffice(tmp_path: Path) -> None:
    import subprocess

    from perfdsl.importer.convert import soffice

    seed = EXAMPLES[0]
    checked = check_file(str(seed), CheckOptions())
    assert checked.loaded.document is not None
    docx = tmp_path / "seed.docx"
    docx.write_bytes(render_docx(checked.loaded.document, checked.template(), WHEN))
    program = soffice()
    assert program is not None
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    result = import_file(str(tmp_path / "seed.doc"), checked.catalog)
    assert result.document is not None
    assert len(result.document.projects) == len(checked.loaded.document.projects)


def test_an_old_file_without_libreoffice_names_the_package(tmp_path, monkeypatch) -> None:
    import shutil as shell

    monkeypatch.delenv("PERFDSL_SOFFICE", raising=False)
    monkeypatch.setattr(shell, "which", lambda _name: None)
    old = tmp_path / "表.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    result = run(str(old))
    assert result.exit_code == 2
    assert "libreoffice-writer" in result.output and "Traceback" not in result.output


def test_a_rate_that_reads_as_a_misread_operator_is_kept_and_said(tmp_path: Path) -> None:
    rows = _rows(
        ("项目名称", "甲"),
        ("预算数", "10"),
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("满意度指标", "服务对象满意度指标", "满意度", "295%"),
        ("产出指标", "数量指标", "增幅", "25%"),
    )
    title = "<w:p><w:r><w:t>某单位2024年项目支出绩效目标表</w:t></w:r></w:p>"
    path = tmp_path / "ocr.docx"
    path.write_bytes(_docx(f"{title}<w:tbl>{rows}</w:tbl>"))
    result = run(str(path))
    assert "满意度: 295%" in result.output  # as written
    assert "it looks like ≥95% (a ≥ read as 2?)" in result.output
    assert "25%" in result.output and "looks like ≥5%" not in result.output


def test_a_pdf_says_it_joined_the_lines_of_a_cell() -> None:
    (pdf,) = REGIONAL.glob("23_*.pdf")
    result = run(str(pdf))
    assert "cells take several lines in the PDF" in result.output
    (docx,) = REGIONAL.glob("23_*.docx")
    assert "cells take several lines" not in run(str(docx)).output


def test_a_sheet_over_the_cell_limit_stops_with_a_message(tmp_path, monkeypatch) -> None:
    import openpyxl

    from perfdsl.importer import xlsx_grid

    book = openpyxl.Workbook()
    for r in range(1, 31):
        book.active.cell(r, 1, "格")
    book.save(tmp_path / "big.xlsx")
    monkeypatch.setattr(xlsx_grid, "MAX_CELLS", 20)
    result = run(str(tmp_path / "big.xlsx"))
    assert result.exit_code == 2 and "more than 20 cells" in result.output
    monkeypatch.setattr(xlsx_grid, "MAX_CELLS", 40)
    assert run(str(tmp_path / "big.xlsx")).exit_code != 2

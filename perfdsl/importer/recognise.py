"""Blocks of a document → perfdsl source: find each 绩效目标表, pick its template, read it.

1. **Tables**: each grid is a header table (基本信息), an indicator table (its header row names
   一级/二级/三级/指标值), a flat sheet (an indicator table that also has a 项目名称 column), or
   a table below them (签章, 年度总体目标完成情况).  A grid holding both a header and the
   indicators is cut at the indicator header row.
2. **Projects**: a heading starts one (built documents have one per table); so does a header
   table after an indicator table, or a second year's indicator table.
3. **Template**: the one given, else the one whose printed labels (:mod:`.vocab`) match the
   most label cells and miss the fewest; the heading pattern breaks ties.
4. **Cells**: :mod:`.header_table` and :mod:`.indicator_table`; the lines around the tables
   are matched against the template's page patterns (:mod:`.patterns`) for the unit, the year,
   the money unit and the header's fields.
5. **Source**: the drafts written as text (:mod:`.source`), parsed with the same templates and
   printed by ``fmt`` — so what is written is what ``perfdsl check`` reads.
"""

from __future__ import annotations

import itertools
import re

import attrs

from perfdsl import ast
from perfdsl.diagnostics import Msg, Severity
from perfdsl.diagnostics import codes as C
from perfdsl.fmt import format_document
from perfdsl.importer.adapt import Adaptation, adapt, adapted
from perfdsl.importer.draft import DocumentDraft, Level1Draft, ProjectDraft
from perfdsl.importer.grid import Block, Cell, Paragraph, Table, is_contents_line
from perfdsl.importer.header_table import HeaderReader, goal_items
from perfdsl.importer.indicator_table import IndicatorReader, is_header_row
from perfdsl.importer.patterns import looks_like_unit, match
from perfdsl.importer.report import Leftover, Note, Report, TableReport
from perfdsl.importer.source import write
from perfdsl.importer.vocab import (
    MONEY_UNIT_RE,
    MONEY_UNITS,
    norm,
    printed_labels,
    vocabulary,
)
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Catalog, Template
from perfdsl.syntax.parse import parse

_FIELD_GAP = re.compile(r"[\u3000]{2,}|\s{3,}|\s+(?=[^\s:：]{1,12}[:：])")
_TOC_STYLES = ("TOC", "toc", "目录")
_LINE_STYLES = ("UnitLine", "BelowLine")
_HEADING_STYLES = re.compile(r"(?i)heading\s*1|标题\s*1|^1$")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_MONEY_LINE = re.compile(rf"(?:单位|金额单位|货币单位)\s*[:：]\s*({MONEY_UNIT_RE})")


@attrs.define
class Part:
    """A grid, or part of one, and what it is."""

    kind: str  # header | indicators | sheet | footer
    table: Table
    caption: str = ""  # the paragraph before it (中期指标、年度绩效指标：…)


@attrs.define
class Group:
    """The blocks of one 绩效目标表."""

    heading: str = ""
    before: list[str] = attrs.field(factory=list)
    after: list[str] = attrs.field(factory=list)
    subtitles: list[str] = attrs.field(factory=list)
    parts: list[Part] = attrs.field(factory=list)

    def has(self, kind: str) -> bool:
        return any(p.kind == kind for p in self.parts)


@attrs.define
class Imported:
    """The result: the source text (None when nothing was found), its document, the report."""

    text: str | None
    document: ast.Document | None
    report: Report
    draft: DocumentDraft | None = None
    #: What the source's header adapts of ``base`` (the template the tables were read with).
    adaptation: Adaptation | None = None
    base: str = ""


# --- 1-2. tables and projects --------------------------------------------------------------------


def _split(table: Table, catalog: Catalog) -> list[tuple[str, Table]]:
    """A grid as (kind, part) pieces: a header part above the indicator header row, if any."""
    for vocab in (vocabulary(t) for t in catalog.templates.values()):
        for row in range(table.height):
            if is_header_row(vocab, table, row):
                sheet = any(
                    vocab.field(c.text) == ("project", "name") for c in table.row_cells(row)
                )
                kind = "sheet" if sheet else "indicators"
                if row == 0:
                    return [(kind, table)]
                return [("header", table.sub(0, row)), (kind, table.sub(row, table.height))]
    return [("header", table)]


def _groups(
    blocks: list[Block], catalog: Catalog, template: Template | None = None
) -> tuple[list[str], list[Group]]:
    """(the document's own paragraphs before its first table, the tables' groups).

    A table's heading is a paragraph in a heading style; in a file without heading styles,
    and once the template is known, a paragraph its heading pattern reads a project name in
    (a project whose table the file lost still comes back, with what it has)."""

    styled = any(isinstance(b, Paragraph) and _HEADING_STYLES.search(b.style) for b in blocks)

    def by_pattern(block: Paragraph) -> bool:
        if template is None or "{name}" not in template.page.heading:
            return False
        found = match(template.page.heading, block.text, template)
        return found is not None and bool(found.get("name", "").strip())

    # The document's title may read as a heading too (宁晋's ``{year}年度{unit}{title}`` and
    # ``{year}年度{name}{title}``): the first line before the first table that is the title,
    # when another heading follows it there, is the title.
    title: Paragraph | None = None
    if template is not None and not styled:
        before = list(itertools.takewhile(lambda b: isinstance(b, Paragraph), blocks))
        headings = [b for b in before if isinstance(b, Paragraph) and by_pattern(b)]
        if len(headings) > 1 and match(template.page.document_title, headings[0].text, template):
            title = headings[0]

    def is_heading(block: Paragraph) -> bool:
        if styled:
            return bool(_HEADING_STYLES.search(block.style))
        return block is not title and by_pattern(block)

    by_heading = styled or (
        template is not None and any(isinstance(b, Paragraph) and is_heading(b) for b in blocks)
    )
    front: list[str] = []
    groups: list[Group] = []
    floating: list[str] = []
    current: Group | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text or block.style.startswith(_TOC_STYLES) or is_contents_line(block.text):
                continue
            if by_heading and is_heading(block):
                if current is not None:
                    current.after += floating
                else:
                    front += floating
                floating = []
                current = Group(heading=block.text.strip("\r\n"))  # (a title may begin with blanks)
                groups.append(current)
                continue
            if block.style == "Subtitle" and current is not None and by_heading:
                current.subtitles.append(text)
                continue
            floating.append(text)
            continue
        for kind, part in _split(block, catalog):
            new = current is None
            if current is not None and not by_heading:
                if kind == "header" and (current.has("indicators") or current.has("sheet")):
                    new = _names_project(part, catalog)
                if kind in ("indicators", "sheet") and current.has(kind):
                    new = not any(_caption(t, catalog) for t in floating)
            if new:
                current = Group()
                groups.append(current)
            assert current is not None
            if kind == "header" and (current.has("indicators") or current.has("sheet")):
                kind = "footer"
            caption = next((t for t in reversed(floating) if _caption(t, catalog)), "")
            others = [t for t in floating if t != caption]
            (current.after if current.parts else current.before).extend(others)
            floating = []
            current.parts.append(Part(kind, part, caption))
    if current is not None:
        current.after += floating
    else:
        front += floating
    return front, [g for g in groups if g.parts or g.heading]


def _names_project(table: Table, catalog: Catalog) -> bool:
    """Whether a header table names a project (then it starts the next table, not a footer)."""
    for template in catalog.templates.values():
        vocab = vocabulary(template)
        if any(vocab.field(c.text) == ("project", "name") for c in table.cells):
            return True
    return False


def _caption(text: str, catalog: Catalog) -> bool:
    return any(vocabulary(t).group(text) in ("midterm", "year") for t in catalog.templates.values())


# --- 3. the template -----------------------------------------------------------------------------


def _label_texts(groups: list[Group]) -> set[str]:
    out: set[str] = set()
    for group in groups:
        for part in group.parts:
            for cell in part.table.cells:
                key = norm(cell.text)
                if key and len(key) <= 40:
                    out.add(key)
    return out


def choose(groups: list[Group], front: list[str], catalog: Catalog) -> tuple[Template, int]:
    """The template whose labels fit the document best, and its score."""
    texts = _label_texts(groups)
    every = set().union(*(printed_labels(t) for t in catalog.templates.values()))
    labels = texts & every
    headings = [g.heading for g in groups if g.heading] + front
    best: tuple[float, bool, int, Template] | None = None
    for order, template in enumerate(catalog.templates.values()):
        vocab = printed_labels(template)
        score = len(labels & vocab) - len(labels - vocab)
        pattern = template.page.heading
        if any(match(pattern, h, template) is not None for h in headings):
            score += 2
        kind_ok = all(
            (p.kind == "sheet") == (template.page.per == "unit")
            for g in groups
            for p in g.parts
            if p.kind in ("sheet", "indicators")
        )
        if not kind_ok:
            score -= 5
        key = (score, template.key == catalog.default, -order)
        if best is None or key > best[:3]:
            best = (score, template.key == catalog.default, -order, template)
    assert best is not None
    return best[3], int(best[0])


#: A line naming the project before its table, where the template's heading reads none:
#: ``3岁以下婴幼儿照护服务项目项目绩效目标`` (慈溪), ``XX项目绩效目标表``.
_NAMED_HEADING = re.compile(r"(?P<name>\S.{1,58}?)(?P<suffix>项目绩效目标表?|绩效目标表?)")
#: A numbered line is a part of a table (（一）中长期绩效目标), not the heading of one.
_NUMBERED = re.compile(r"[(（]?[一二三四五六七八九十\d]+[)）、.．]")


def heading_pattern(blocks: list[Block], template: Template) -> str:
    """A heading for the document's tables when the template's reads no project name in it
    and every table is introduced by a line ``<name>项目绩效目标``: ``{name}`` and the
    line's ending, written into the header's adaptation ("" when there is no such line)."""
    if "{name}" in template.page.heading and any(
        isinstance(b, Paragraph)
        and (m := match(template.page.heading, b.text, template))
        and m.get("name")
        for b in blocks
    ):
        return ""
    vocab = vocabulary(template)
    suffixes: list[str] = []
    pending = ""
    for block in blocks:
        if isinstance(block, Table):
            if pending:
                suffixes.append(pending)
                pending = ""
            continue
        text = block.text.strip()
        found = _NAMED_HEADING.fullmatch(text)
        if (
            found is not None
            and not _NUMBERED.match(text)
            and not vocab.is_label(text)
            and vocab.group(text) is None
            and not found["name"].endswith(("支出", "整体"))  # 项目支出绩效目标表: a title
            and not _is_title(text, template)
        ):
            pending = found["suffix"]
    return "{name}" + max(set(suffixes), key=suffixes.count) if suffixes else ""


def _is_title(text: str, template: Template) -> bool:
    """A line the template prints itself, naming no project: its heading, its title."""
    page = template.page
    if norm(text).endswith(norm(template.title)):
        return True
    return any(match(p, text, template) is not None for p in (page.heading, page.document_title))


# --- 4. reading ----------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: str, template: Template, catalog: Catalog) -> None:
        self.template = template
        self.catalog = catalog
        self.vocab = vocabulary(template)
        self.report = Report(path, template.key)
        self.draft = DocumentDraft()
        self.found: dict[str, str] = {}
        #: Lines in the paragraph styles perfdsl prints a page's lines in (UnitLine above a
        #: table, BelowLine under it): a pattern's line for certain, whatever it says.
        self.pattern_lines: set[str] = set()

    def leftover_at(self, table: Table, offset: int) -> object:
        def note(cell: Cell, why: str) -> None:
            self.report.leftovers.append(
                Leftover(table.number, cell.row + offset + 1, cell.col + 1, cell.text, why)
            )

        return note

    def group(self, group: Group) -> list[ProjectDraft]:
        t = self.template
        if any(p.kind == "sheet" for p in group.parts):
            return self.sheet(group)
        draft = ProjectDraft(kind=t.kind)
        entry = TableReport("", t.key, [p.table.number for p in group.parts])
        first = group.parts[0].table if group.parts else Table([], 0, 0)
        reader = HeaderReader(self.vocab, draft, self.leftover_at(first, 0))  # type: ignore[arg-type]
        year_seen = False
        for part in group.parts:
            offset = _offset(part)
            leftover = self.leftover_at(part.table, offset)
            if part.kind in ("header", "footer"):
                reader.leftover = leftover  # type: ignore[assignment]
                if part.kind == "footer" and not self.known_labels(part.table):
                    draft.signoff += self.signoff(part.table)
                else:
                    reader.read(part.table)
                continue
            indicators = IndicatorReader(self.vocab, leftover)  # type: ignore[arg-type]
            year, midterm = indicators.read(part.table)
            if draft.columns is None and indicators.printed:
                draft.columns = [key for key, _ in indicators.printed]
                draft.total_row = indicators.total_row
                draft.side = indicators.side
                for key, label in indicators.printed:
                    if not key.startswith("free:"):
                        draft.labels.setdefault(("indicator", key), []).append(label)
            entry.indicator_rows += indicators.rows
            reader.notes += indicators.notes
            is_midterm = self.vocab.group(part.caption) == "midterm" if part.caption else False
            if midterm:
                draft.midterm_place = "beside"
            elif is_midterm:
                draft.midterm_place = "after" if year_seen else "before"
                draft.captions["midterm"] = part.caption
            elif part.caption and self.vocab.group(part.caption) == "year":
                draft.captions["year"] = part.caption
            if midterm or not is_midterm:
                if year_seen and not is_midterm:
                    draft.midterm = draft.midterm or year
                else:
                    draft.indicators, year_seen = year, True
                if midterm:
                    draft.midterm = midterm
            else:
                draft.midterm = year
        reader.finish()
        draft.money_group = reader.money_group
        draft.header_table = any(p.kind == "header" for p in group.parts)
        for zh, en in dict.fromkeys(reader.notes):  # (a label is looked at more than once)
            self.report.notes.append(Note(zh, en))
        entry.labels = reader.recognised
        if reader.money_unit:
            self.found.setdefault("money_unit", reader.money_unit)
        self.lines(group, draft)
        entry.project = draft.name
        self.report.tables.append(entry)
        return [draft]

    def known_labels(self, table: Table) -> bool:
        """Whether a table below the indicators holds fields of the project (年度总体目标完成
        情况 …) rather than sign-off rows (填表人, 审核意见 …)."""
        for cell in table.cells:
            found = self.vocab.field(cell.text)
            if found is not None and found[0] != "header":
                return True
        return False

    def signoff(self, table: Table) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for r in range(table.height):
            cells = table.origins(r)
            for i in range(0, len(cells), 2):
                label = cells[i].text.strip()
                value = cells[i + 1].text if i + 1 < len(cells) else ""
                if label:
                    out.append((label, value))
        return out

    def sheet(self, group: Group) -> list[ProjectDraft]:
        """A flat sheet: each project's rows under its merged 项目名称 cell."""
        t = self.template
        part = next(p for p in group.parts if p.kind == "sheet")
        table = part.table
        own: dict[str, str] = {}
        for key in t.page.sheet_columns:
            if key == "unit":
                label = t.label("header", "unit")
                own[norm(label + "名称" if label == "单位" else label)] = "unit"
            elif key == "name":
                own[norm(t.label("project", "name"))] = "name"
            elif key == "budget":
                own[norm(t.label("budget", "budget"))] = "budget"
            elif key == "goals":
                own[norm(t.label("project", "goals"))] = "goals"
        columns: dict[str, int] = {}
        first_indicator = table.width
        for cell in table.origins(0):
            key = own.get(norm(cell.text))
            if key is None:
                key_found = self.vocab.field(cell.text)
                if key_found is not None and key_found[1] in ("name", "budget", "goals", "unit"):
                    key = key_found[1]
            if key is not None and key not in columns:
                columns[key] = cell.col
            else:
                first_indicator = min(first_indicator, cell.col)
        name_col = columns.get("name", 0)
        runs: list[tuple[Cell, list[int]]] = []
        for r in range(1, table.height):
            cell = table.at(r, name_col)
            if cell is None:
                continue
            if runs and runs[-1][0] is cell:
                runs[-1][1].append(r)
            else:
                runs.append((cell, [r]))
        out: list[ProjectDraft] = []
        sub = Table(
            [c for c in table.cells if c.col >= first_indicator],
            table.width,
            table.height,
            table.number,
        )
        leftover = self.leftover_at(table, _offset(part))
        for cell, rows in runs:
            draft = ProjectDraft(kind=t.kind, name=cell.text.replace("\n", ""))
            row = rows[0]
            if "budget" in columns:
                money = table.at(row, columns["budget"])
                if money is not None and money.text.strip():
                    draft.budget("budget").total = money.text.strip()
            if "goals" in columns:
                goals = table.at(row, columns["goals"])
                if goals is not None:
                    items = goal_items(goals.text, t.page.number_goals)
                    if items:
                        draft.goals = items
            if "unit" in columns:
                unit = table.at(row, columns["unit"])
                if unit is not None and unit.text.strip():
                    self.found.setdefault("unit", unit.text.strip())
            reader = IndicatorReader(self.vocab, leftover)  # type: ignore[arg-type]
            columns_ = reader.columns(table, 0, first_indicator, table.width)
            body = [r for r in rows if r in reader.body_rows(table, 1)]
            draft.indicators = reader.tree(sub, body, columns_)
            self.report.tables.append(
                TableReport(draft.name, t.key, [table.number], reader.rows, len(columns))
            )
            out.append(draft)
        self.lines(group, out[0] if out else ProjectDraft())
        return out

    # -- the lines around a table ----------------------------------------------------------

    def lines(self, group: Group, draft: ProjectDraft) -> None:
        t = self.template
        page = t.page
        if group.heading:
            found = match(page.heading, group.heading, t)
            if found is None:  # the header's own 标题 standing for {title}
                found = match(page.heading, group.heading, t, title=True)
            if found is not None:
                self.take(found, draft)
        if group.subtitles:
            self.draft.subtitle_seen = True
        for text in group.subtitles:
            found = match(page.subtitle, text, t) if page.subtitle else None
            if found is not None:
                self.take(found, draft)
            elif not self.loose_subtitle(text, draft):
                self.draft.header.setdefault("subtitle", text)
        rest: list[str] = []
        # The most specific first: 单位：{money_unit} before {unit_code}{unit}.
        patterns = sorted([*page.above, *page.below], key=_literal_length, reverse=True)
        for text in self.labelled(group.before, draft) + self.labelled(group.after, draft):
            if not group.heading and (found := match(page.heading, text, t)) is not None:
                self.take(found, draft)
                continue
            if page.subtitle and (found := match(page.subtitle, text, t)) is not None:
                self.draft.subtitle_seen = True
                self.take(found, draft)
                continue
            if self.loose_subtitle(text, draft):
                continue
            for pattern in patterns:
                if not _literal_length(pattern) and not (
                    text.strip() in self.pattern_lines
                    or (_line_like(text) and looks_like_unit(text))
                ):
                    continue  # ({unit_code}{unit} would take any line for the unit)
                found = match(pattern, text, t)
                if found is not None and any(found.values()):
                    self.take(found, draft)
                    if pattern in page.above:
                        self.draft.above_seen = True
                    break
            else:
                rest.append(text)
        for text in rest:
            self.free_line(text, draft)

    def labelled(self, texts: list[str], draft: ProjectDraft) -> list[str]:
        """Fields printed as paragraphs, a label line and its text below (慈溪's
        ``(一)中长期绩效目标`` over the goals): read into ``draft``; the other lines returned."""
        rest: list[str] = []
        i = 0
        while i < len(texts):
            label = texts[i]
            j = i + 1
            # The text runs on while its paragraphs look alike: a sentence, then a short
            # caption (项目具体目标表, over the table) is not more of it.
            shape = _line_like(texts[j]) if j < len(texts) else False
            while (
                j < len(texts)
                and not self.is_label_line(texts[j], texts[j + 1 : j + 2])
                and _line_like(texts[j]) == shape
            ):
                j += 1
            if j == i + 1 or not self.is_label_line(label, texts[i + 1 : i + 2]):
                rest.append(label)
                i += 1
                continue
            value = "\n".join(texts[i + 1 : j])
            found = self.vocab.field(label)
            if found is not None and found[0] == "project" and found[1] not in draft.fields:
                HeaderReader(self.vocab, draft, lambda _c, _w: None).assign(
                    "project", found[1], value, Cell(0, 0, 1, 1, label)
                )
            else:
                draft.fields[f"free:{label.strip()}"] = value
            i = j
        return rest

    def is_label_line(self, text: str, following: list[str]) -> bool:
        """A paragraph that labels the text below it: a field's label, or a short numbered
        caption such as ``(二)中长期绩效指标`` followed by a sentence."""
        found = self.vocab.field(text)
        if found is not None and found[0] == "project":
            kind = R.get("project", found[1]).kind if found[1] != "name" else "text"
            return kind not in ("rows", "labels", "indicators") and bool(following)
        return (
            bool(following)
            and bool(_ENUMERATED.match(text.strip()))
            and _line_like(text)
            and not _line_like(following[0])
        )

    def loose_subtitle(self, text: str, draft: ProjectDraft) -> bool:
        """The subtitle as printed by hand, its brackets not the template's (宁德's
        ``2019年度)``): its values are taken, and the line is kept as written."""
        page = self.template.page
        if not page.subtitle or not self.template.has("header", "subtitle"):
            return False
        found = match(_unbracketed(page.subtitle), _unbracketed(text), self.template)
        if found is None or not any(found.values()):
            return False
        self.take(found, draft)
        self.draft.header.setdefault("subtitle", text.strip())
        self.draft.subtitle_seen = True
        return True

    def free_line(self, text: str, draft: ProjectDraft) -> None:
        """A line no pattern prints: ``填表人：张三　　联系电话：…``, a title, a subtitle."""
        money = _MONEY_LINE.search(text)
        if money is not None and len(text) < 20:
            self.found.setdefault("money_unit", money.group(1))
            return
        # Fields side by side: 　　 between them as printed, or a single blank once a PDF's
        # text has been extracted, before the next ``label：``.
        parts = [p for p in _FIELD_GAP.split(text) if p.strip()]
        placed = False
        unplaced: list[str] = []
        for part in parts:
            label, sep, value = part.partition("：") if "：" in part else part.partition(":")
            found = self.vocab.field(label) if sep else None
            if (
                found is not None
                and found[0] == "project"
                and not value.strip()
                and R.get("project", found[1]).kind in ("rows", "labels")
            ):
                placed = True  # a caption over a table of its own (年度履职目标：)
                continue
            if found is not None and found[0] in ("header", "project"):
                # (the line's label is the field's as printed: 填报日期 for 编报时间)
                draft.labels.setdefault(found, []).append(label)
            if found is not None and found[0] == "header":
                self.draft.header.setdefault(found[1], value.strip())
                placed = True
            elif found is not None and found[0] == "project" and found[1] not in draft.fields:
                draft.fields[found[1]] = value.strip()
                placed = True
            else:
                unplaced.append(part)
        if placed or len(parts) > 1:
            # The other parts of a line of fields (附件：2 beside 填报日期：…) are fields too;
            # nothing the line says is dropped.
            for part in unplaced:
                label, sep, value = part.partition("：") if "：" in part else part.partition(":")
                if sep and _line_like(label) and len(label.strip()) <= 12:
                    self.draft.header.setdefault(f"free:{label.strip()}", value.strip())
                else:
                    self.found["lines"] = self.found.get("lines", "") + part + "\n"
            return
        if not self.found.get("subtitle_seen") and re.fullmatch(r"[（(].*[)）]", text.strip()):
            self.found["subtitle_seen"] = "1"
            self.draft.header.setdefault("subtitle", text.strip())
            return
        self.found.setdefault("lines", "")
        self.found["lines"] += text + "\n"

    def own_title(self, first: list[str]) -> str:
        """The first line above a lone table, when it is a table's title the template does
        not print (宁晋's 2019年度宁晋县高中助学金项目绩效评价指标表): the header's 标题, taken
        out of the lines kept as 说明."""
        if len(self.draft.projects) != 1:
            return ""
        kept = self.found.get("lines", "").splitlines()
        # (the first of the lines above, after an 附件： or 附件2 line at most)
        text = next((t.strip() for t in first[:2] if _TITLE_END.search(t.strip())), "")
        if not (text and _line_like(text) and text in kept):
            return ""
        kept.remove(text)
        self.found["lines"] = "".join(line + "\n" for line in kept)
        return text

    def take(self, values: dict[str, str], draft: ProjectDraft) -> None:
        for name, value in values.items():
            names = name.split("|")
            if not value:
                continue
            if names[0] == "name":
                draft.name = draft.name or value
            elif names[0] in ("unit_code", "unit"):
                self.found[names[0]] = self.found.get(names[0]) or value
            elif names[0] == "filing_unit" and "unit" in names:
                self.found.setdefault("filing_unit|unit", value)
            elif names[0] in ("year", "money_unit"):
                self.found.setdefault(names[0], value)
            elif names[0] == "title":
                if norm(value) != norm(self.template.title):
                    self.draft.header.setdefault("title", value)
            elif names[0] != "number":
                self.draft.header.setdefault(names[0], value)

    # -- the document's header -------------------------------------------------------------

    def unit_from_tables(self) -> tuple[str, Msg]:
        """The unit when no line prints it: a 部门整体 table's department, else the first
        table's 实施单位 or 主管部门 (the header must name a unit; the report says whence)."""
        for project in self.draft.projects:
            if project.kind == "department" and project.name:
                return project.name, Msg(
                    f"表上没有另印单位名称，按部门名称“{project.name}”写",
                    f"the table prints no unit; the department “{project.name}” is used",
                )
        for key in ("implementer", "department"):
            for project in self.draft.projects:
                value = project.fields.get(key)
                if isinstance(value, str) and value.strip():
                    label = self.template.label("project", key)
                    return value.strip(), Msg(
                        f"表上没有另印单位名称，按{label}“{value.strip()}”写",
                        f"the table prints no unit; its {label} “{value.strip()}” is used",
                    )
        return "", Msg("", "")

    def header(self, front: list[str], blocks: list[Block], first: list[str]) -> None:
        t = self.template
        d = self.draft
        found = self.found
        title = ""
        if not front:  # a document without headings: its title stands above the first table
            for text in first:
                values = match(t.page.document_title, text, t)
                if values is not None:
                    self.take(values, ProjectDraft())
                    break
            else:
                title = self.own_title(first)
        for text in front:
            values = match(t.page.document_title, text, t)
            if values is not None and not title:
                title = text
                self.take(values, ProjectDraft())
            elif not title and not _MONEY_LINE.search(text):
                title = text
            else:
                self.free_line(text, ProjectDraft())
        unit = (found.get("unit_code", "") + found.get("unit", "")) or found.get(
            "filing_unit|unit", ""
        )
        if not unit and d.header.get("filing_unit"):
            unit = d.header["filing_unit"]
            self.report.notes.append(
                Note(
                    "表上没有印单位名称，按填报单位写",
                    "the table prints no unit; the filing unit is used",
                )
            )
        if not unit:
            unit, why = self.unit_from_tables()
            if unit:
                self.report.notes.append(Note(why.zh, why.en))
        if not unit:  # the header must name a unit: say so, in the source and the report
            unit = NO_UNIT
            self.report.notes.append(
                Note(
                    f"表上没有单位名称，文件头写作“{NO_UNIT}”：请改成本单位的名称",
                    f"the table names no unit; the header says “{NO_UNIT}”: put the unit's name",
                )
            )
        if found.get("filing_unit|unit") and unit and found["filing_unit|unit"] != unit:
            d.header.setdefault("filing_unit", found["filing_unit|unit"])
        d.unit = unit
        year = found.get("year", "")
        if not year:  # a title or a caption before any sentence that merely names a year
            texts = [
                *front,
                *first,
                *(c.text for b in blocks if isinstance(b, Table) for c in b.cells),
            ]
            for text in [*(t for t in texts if _line_like(t)), *texts]:
                m = _YEAR.search(text)
                if m is not None:
                    year = m.group(1)
                    self.report.notes.append(
                        Note(
                            f"年度 {year} 是从“{text[:30]}”里找到的，表上没有印年度",
                            f"the year {year} was found in “{text[:30]}”; the table prints none",
                        )
                    )
                    break
        d.year = year
        d.money_unit = found.get("money_unit", "")
        if title:
            filled = _fill(t.page.document_title, d, t)
            if norm(filled) != norm(title):
                d.header["title"] = title
        for text in found.get("lines", "").splitlines():
            d.header[
                f"free:{'说明' if 'free:说明' not in d.header else '说明' + str(len(d.header))}"
            ] = text


#: How a table's title ends: 绩效评价指标表, 项目绩效目标表(2021年度).
_TITLE_END = re.compile(r"表\s*(?:[(（][^()（）]*[)）])?$")

#: The unit written in the header when the table names none (the parser needs one).
NO_UNIT = "（表上未印单位名称）"
#: ``(一)``, ``（二）``, ``一、``, ``1.``: the numbering of a section caption.
_ENUMERATED = re.compile(r"[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、]")


def _line_like(text: str) -> bool:
    """A short line, not a sentence: a title, a unit's name, a caption."""
    text = text.strip()
    return 0 < len(text) <= 40 and not re.search(r"[。，,；;！？]", text)


def _unbracketed(text: str) -> str:
    return re.sub(r"[()（）\[\]【】〔〕\s]", "", text)


def _literal_length(pattern: str) -> int:
    return len(re.sub(r"\{[^}]*\}", "", pattern))


def _fill(pattern: str, d: DocumentDraft, t: Template) -> str:
    """A page pattern filled as the printer fills it from the header being written."""
    from perfdsl.emit.table import fill
    from perfdsl.syntax.build import _UNIT_CODE

    code, name = "", d.unit
    m = _UNIT_CODE.fullmatch(d.unit)
    code_text = m and (m.group(1) or m.group(3))
    if m and code_text and any(ch.isdigit() for ch in code_text):
        code, name = code_text, (m.group(2) or m.group(4)).strip()
    values = {"unit": name, "unit_code": code, "year": d.year, "title": t.title}
    values["money_unit"] = d.money_unit
    return fill(pattern, values)


def _offset(part: Part) -> int:
    return 0


def _has_money(draft: DocumentDraft) -> bool:
    for p in draft.projects:
        if any(b.total or b.lines for b in p.budgets.values()):
            return True
        if any(k in ("cost_items", "duty_goals") for k in p.rows):
            return True
        for tree in (p.indicators, p.midterm):
            for l1 in tree:
                for l2 in l1.blocks:
                    for ind in l2.indicators:
                        if re.search(rf"\d\s*(?:{MONEY_UNIT_RE}|万|亿)\s*$", ind.value):
                            return True
    return False


# --- 5. the whole document -----------------------------------------------------------------------


def recognise(
    blocks: list[Block], path: str, catalog: Catalog, template: Template | None = None
) -> Imported:
    front, groups = _groups(blocks, catalog)
    if not any(g.parts for g in groups):
        return Imported(None, None, Report(path))
    chosen = template or choose(groups, front, catalog)[0]
    base = chosen
    heading = heading_pattern(blocks, chosen)
    if heading:  # read with the heading the document has, and write it into the header
        chosen = adapted(chosen, Adaptation(heading=heading), path) or chosen
    front, groups = _groups(blocks, catalog, chosen)
    reader = _Reader(path, chosen, catalog)
    joined = sum(b.joined for b in blocks if isinstance(b, Table))
    if joined:
        reader.report.notes.append(
            Note(
                f"有 {joined} 格的文字在 PDF 里占了几行：看不出哪里是原有的换行、哪里是排版折行，"
                "按折行连成一段读（以 1.、(一)、目标2 这样的编号开头的行另起一行）；请核对这些格子",
                f"{joined} cells take several lines in the PDF, which cannot show an original line "
                "break from a wrapped line: they are read as one paragraph (a line starting 1., "
                "(一) or 目标2 starts a new one); please check those cells",
            )
        )
    reader.pattern_lines = {
        b.text.strip() for b in blocks if isinstance(b, Paragraph) and b.style in _LINE_STYLES
    }
    for group in groups:
        reader.draft.projects += reader.group(group)
    reader.header(front, blocks, groups[0].before)
    for project in reader.draft.projects:
        if not project.name:
            project.name = "未命名项目"
            reader.report.notes.append(
                Note(
                    "表上没有项目名称，写作“未命名项目”",
                    "the table names no project; written as 未命名项目",
                )
            )
    draft = reader.draft
    for project in draft.projects:
        for key, value in project.header.items():
            draft.header.setdefault(key, value)
    if not draft.money_unit and _has_money(draft):
        draft.money_unit = "万元"
        reader.report.notes.append(
            Note("表上没有印金额单位，按万元写", "the table prints no money unit; 万元 assumed")
        )
    if draft.money_unit and draft.money_unit not in MONEY_UNITS:
        draft.money_unit = ""
    adaptation = adapt(draft, base, heading=heading)
    written = adapted(base, adaptation, path) if adaptation else None
    if written is None:
        adaptation = Adaptation()
    if adaptation:
        reader.report.notes.append(
            Note(
                f"表的{adaptation.summary('zh')}和模板“{base.key}”不同，已写在文件头的 `模板:` 下面；"
                "同一地区的表多时，可以把它们写成一个模板文件（docs/language.md 16）",
                f"the table's {adaptation.summary('en')} differ from template “{base.key}”: written "
                "under the header's `模板:`; for many tables of one region, a template file can "
                "hold them instead (docs/language.md 16)",
            )
        )
    if base.key != catalog.default or adaptation:
        draft.template = base.key
    text = write(draft, written or base, adaptation.lines())
    result = parse(text, path, catalog)
    if adaptation and any(d.code == C.TEMPLATE_ERROR.code for d in result.diagnostics):
        # (never expected: the adaptation was built once already; but a table must still
        # come out, with the base template's labels, rather than not at all)
        draft.template = base.key if base.key != catalog.default else ""
        text = write(draft, base)
        result = parse(text, path, catalog)
        adaptation = Adaptation()
    document = result.document
    for diagnostic in result.diagnostics:
        line = Note(diagnostic.message.zh, diagnostic.message.en)
        if diagnostic.severity is Severity.ERROR:
            reader.report.refused.append(line)
        else:
            reader.report.notes.append(line)
    if document is None:
        return Imported(text, None, reader.report, draft, adaptation, base.key)
    text = format_document(document, None, catalog)
    return Imported(text, document, reader.report, draft, adaptation, base.key)


def tree_rows(tree: list[Level1Draft]) -> int:
    return sum(max(1, len(l2.indicators)) for l1 in tree for l2 in l1.blocks)

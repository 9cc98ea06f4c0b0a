"""The template a table was printed with, where it differs from the one it was read with.

A region's table is recognised by the closest template the catalog has, and its cells are
read into fields through the registry's spellings: 部门预算编码 is the 部门编码 field, 目标值 the
指标值 column.  Written as source with that template alone, the table would print back under
the template's labels and columns, not its own.  So the importer writes what differs into the
source's header, under ``模板:`` (docs/language.md 16.4) — the labels the table prints, the
indicator columns in its order, a column the base template lacks — and the file builds back
into the table it was imported from, with no template file to write by hand.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs

from perfdsl.ast import FREE
from perfdsl.fmt import value_text
from perfdsl.importer.draft import DocumentDraft
from perfdsl.importer.vocab import MONEY_UNIT_RE, MONEY_UNITS, norm
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Template, TemplateError
from perfdsl.standards.templates.build import _Where, build_template
from perfdsl.standards.templates.inline import INLINE_KEYS, INLINE_LEVELS

#: The levels a label is written for, as the header's ``标签:`` names them (``level.key``).
_LEVELS = ("project", "budget", "funding", "header", "indicator")


@attrs.frozen
class Adaptation:
    #: (field as ``level.key`` or ``row.<block>.<column>``, the label the table prints).
    labels: tuple[tuple[str, str], ...] = ()
    #: Indicator fields the table has and the base template lacks.
    add: tuple[str, ...] = ()
    #: Project fields (and blocks of rows) the table has and the base template lacks.
    add_project: tuple[str, ...] = ()
    #: The indicator table's columns in the table's order (None: the base's are right).
    columns: tuple[str, ...] | None = None
    #: The label of the row that adds up the scores (总分), where the base prints another.
    total_row: str = ""
    #: The label down the left of the indicator table ("": none), where the base's differs.
    side: str | None = None
    #: The table prints no money at all (an indicator table alone): no 预算数 is asked for.
    no_budget: bool = False
    #: The line naming each table's project (``{name}项目绩效目标``), where the base's reads none.
    heading: str = ""
    #: Where the 中期 indicators print and the captions above the two tables, where the
    #: base's differ: page keys (midterm, midterm_caption, year_caption) → value.
    midterm: tuple[tuple[str, str], ...] = ()
    #: The money grid: its group label (部门总体资金情况（单位：{money_unit}）) and the funding
    #: lines printed even when blank, where the base's differ: page keys → value.
    money: tuple[tuple[str, object], ...] = ()
    #: The tables have no header grid / no line the base prints above them.
    no_header: bool = False
    no_above: bool = False
    #: No subtitle was read, where the base prints one.
    no_subtitle: bool = False

    def __bool__(self) -> bool:
        return bool(self.data())

    def summary(self, lang: str) -> str:
        """What differs, in a few words: 标签、指标列、版面 / labels, indicator columns, page."""
        data = self.data()
        page = set(data.get("page", {})) - {"columns", "optional"}
        parts = [
            (bool(self.labels), "标签", "labels"),
            (bool(self.add or self.columns is not None), "指标列", "indicator columns"),
            (bool(page or "fields" in data), "版面", "page"),
        ]
        words = [zh if lang == "zh" else en for shown, zh, en in parts if shown]
        return "、".join(words) if lang == "zh" else ", ".join(words)

    def data(self) -> dict[str, Any]:
        """The adaptation as a template's data (what a template file would say)."""
        data: dict[str, Any] = {}
        if self.no_budget:
            data["fields"] = {"budget": []}
        if self.labels:
            data["labels"] = dict(self.labels)
        if self.add or self.add_project:
            data["add"] = {
                level: list(keys)
                for level, keys in (("project", self.add_project), ("indicator", self.add))
                if keys
            }
        page: dict[str, Any] = {}
        if self.columns is not None:
            names = [f"栏目 {k[len(FREE) :]}" if k.startswith(FREE) else k for k in self.columns]
            page |= {"columns": names, "optional": []}
        if self.total_row:
            page["total_row"] = self.total_row
        if self.side is not None:
            page["indicator_side"] = self.side
        if self.heading:
            page["heading"] = self.heading
        page |= dict(self.midterm)
        page |= {k: list(v) if isinstance(v, tuple) else v for k, v in self.money}
        if self.no_above:
            page["above"] = []
        if self.no_subtitle:
            page["subtitle"] = ""
        if self.no_header:
            page["header"] = {"rows": []}
        if page:
            data["page"] = page
        return data

    def lines(self) -> list[str]:
        """The adaptation as the lines under the header's ``模板:`` (indented by one): the
        same data, in the header's own words (标签, 增加: 项目 …)."""
        return _header_lines(self.data(), 1, levels=False)


#: The header's words for a template's sections and levels (inline.py reads them back).
_SECTIONS = {key: word for word, key in reversed(INLINE_KEYS.items())}
_LEVEL_WORDS = {key: word for word, key in reversed(INLINE_LEVELS.items())}


def _header_lines(table: dict[str, Any], depth: int, levels: bool) -> list[str]:
    out: list[str] = []
    for key, value in table.items():
        name = _SECTIONS.get(key, key) if depth == 1 else key
        if levels:
            name = _LEVEL_WORDS.get(key, key)
        indent = "  " * depth
        if isinstance(value, dict):
            out.append(f"{indent}{name}:")
            out += _header_lines(value, depth + 1, levels=depth == 1 and key in ("fields", "add"))
            continue
        text = "、".join(value) if isinstance(value, list | tuple) else str(value)
        out.append(f"{indent}{name}: {value_text(text)}" if text else f"{indent}{name}:")
    return out


def printed(label: str) -> str:
    """A label as the table prints it, on one line (a cell's line breaks are the layout's)."""
    return re.sub(r"\s*\n\s*", "", label).strip()


def _same(label: str, ours: str, money_unit: str) -> bool:
    """Whether the table's label is the template's, read as the importer reads labels."""
    wanted = {norm(ours.replace("{money_unit}", unit)) for unit in (money_unit, *MONEY_UNITS)}
    wanted.add(norm(re.sub(r"[（(]\{money_unit\}[)）]", "", ours)))
    return norm(label) in wanted


def _spec(level: str, key: str) -> str | None:
    if level.startswith("row."):
        return f"{level}.{key}"
    return f"{level}.{key}" if level in _LEVELS else None


def adapt(draft: DocumentDraft, template: Template, heading: str = "") -> Adaptation:
    """What the header must say for ``template`` to print the tables of ``draft`` as read.
    ``heading``: the heading the tables were read with (:func:`.recognise.heading_pattern`)."""
    labels: dict[tuple[str, str], list[str]] = {}
    columns: list[str] | None = None
    total = ""
    side: str | None = None
    for project in draft.projects:
        total = total or project.total_row
        if side is None and project.columns is not None:
            side = printed(project.side)
        for where, seen in project.labels.items():
            labels.setdefault(where, []).extend(seen)
        if columns is None and project.columns is not None and project.midterm_place != "beside":
            columns = list(project.columns)
    # Fields of the project the table has and the template lacks: added, so they are typed
    # and printed under their labels instead of written as 栏目 (宁乡's 项目立项的依据).
    add_project = tuple(
        dict.fromkeys(
            key
            for p in draft.projects
            for key in (*p.fields, *p.rows)
            if not key.startswith(FREE) and not _held(template, "project", key)
        )
    )
    written: list[tuple[str, str]] = []
    for (level, key), seen in labels.items():
        spec = _spec(level, key)
        ours = [template.label(level, key)]
        if (level, key) == ("indicator", "value") and "midterm" in (columns or ()):
            ours.append(template.page.value_label_with_midterm)  # (its label beside 中期值)
        if spec is None or any(
            _same(printed(s), label, draft.money_unit) for s in seen for label in ours if label
        ):
            continue  # (the template's own label is printed somewhere: it is the field's)
        text = printed(seen[0])
        if not text:
            continue
        added = level == "project" and key in add_project
        if level in ("project", "budget", "funding", "header") and not (
            added or _held(template, level, key)
        ):
            continue  # (written as a 栏目 under its own label)
        written.append((spec, text))
    add: tuple[str, ...] = ()
    order: tuple[str, ...] | None = None
    if columns and template.page.per == "project":
        structure = {f.key for f in R.at("indicator") if f.kind == "structure"} | {"value"}
        add = tuple(
            k
            for k in dict.fromkeys(columns)
            if k not in structure and not k.startswith(FREE) and not template.has("indicator", k)
        )
        # (an optional column prints only where some row fills it: an empty 备注 would not)
        shown = set(columns) & _filled(draft)
        would = [c.field for c in template.page.columns if not c.optional or c.field in shown]
        # (a 栏目 column some row fills prints after the template's, in the order read)
        would += [k for k in columns if k.startswith(FREE) and k in shown]
        if len(set(columns)) == len(columns) and columns != would:
            order = tuple(columns)
    if norm(total) == norm(template.page.total_row):
        total = ""
    if side is not None and norm(side) == norm(template.page.indicator_side):
        side = None
    # (a money line printed blank has its label read: that table does print money)
    bare = all(
        not p.budgets and not any(level in ("budget", "funding") for level, _ in p.labels)
        for p in draft.projects
    )
    no_budget = bare and bool(template.fields.get("budget"))
    midterm = _midterm(draft, template)
    money = _money(draft, template)
    per_project = template.page.per == "project"
    no_header = per_project and all(not p.header_table for p in draft.projects)
    no_above = per_project and bool(template.page.above) and not draft.above_seen
    no_subtitle = bool(template.page.subtitle) and not draft.subtitle_seen
    return Adaptation(
        tuple(written),
        add,
        add_project,
        order,
        total,
        side,
        no_budget,
        heading,
        midterm,
        money,
        no_header,
        no_above,
        no_subtitle,
    )


def _money(draft: DocumentDraft, template: Template) -> tuple[tuple[str, object], ...]:
    out: list[tuple[str, object]] = []
    group = next((p.money_group for p in draft.projects if p.money_group), "")
    if group:
        out.append(
            (
                "budget_group",
                re.sub(rf"(?<=[:：])\s*(?:{MONEY_UNIT_RE})", "{money_unit}", printed(group)),
            )
        )
    # A funding line the table prints with no amount (其他资金 | 空) prints again only if
    # the page always prints it.
    main = list(template.page.main_funding)
    for project in draft.projects:
        for level, key in project.labels:
            has_amount = any(
                line.kind == key and line.amount
                for b in project.budgets.values()
                for line in b.lines
            )
            if level == "funding" and key not in main and not has_amount:
                main.append(key)
    if main != list(template.page.main_funding):
        out.append(("main_funding", tuple(main)))
    return tuple(out)


def _midterm(draft: DocumentDraft, template: Template) -> tuple[tuple[str, str], ...]:
    """The 中期 table's place and the captions of the two tables, as the first project with
    a 中期 tree prints them."""
    project = next((p for p in draft.projects if p.midterm and p.midterm_place), None)
    if project is None or not template.has("project", "midterm_indicators"):
        return ()
    page = template.page
    out: list[tuple[str, str]] = []
    if project.midterm_place != page.midterm:
        out.append(("midterm", project.midterm_place))
    if project.midterm_place != "beside":
        for key, current in (("midterm", page.midterm_caption), ("year", page.year_caption)):
            caption = printed(project.captions.get(key, ""))
            if norm(caption) != norm(current):
                out.append((f"{key}_caption", caption))
    return tuple(out)


def _filled(draft: DocumentDraft) -> set[str]:
    """The indicator fields some row of the tables fills."""
    out = {"level1", "level2", "name", "value"}
    for project in draft.projects:
        for tree in (project.indicators, project.midterm):
            for l1 in tree:
                for l2 in l1.blocks:
                    for ind in l2.indicators:
                        out |= {key for key, text in ind.fields.items() if text.strip()}
    return out


def _held(template: Template, level: str, key: str) -> bool:
    return (level == "project" and key in ("name", "goals")) or template.has(level, key)


def adapted(template: Template, adaptation: Adaptation, path: str) -> Template | None:
    """The template with the adaptation applied (None when it cannot be: then the base)."""
    try:
        return build_template(
            adaptation.data(), _Where(path), template, f"{template.key}（本文件）"
        )
    except TemplateError:
        return None


def template_file(adaptation: Adaptation, base: str, source: str) -> str:
    """The adaptation as a template file (``<name>.template.toml``) on ``base``: for a
    region's many tables, one template instead of the same header in every file."""
    data = {"base": base, **adaptation.data()}
    lines = [
        f"# 由 perfdsl import 从 {source} 写出：这张表和模板“{base}”不同的标签、列和版面。",
        f"# Written by perfdsl import from {source}: where the table differs from “{base}”.",
    ]
    lines += _toml_table(data, ())
    return "\n".join(lines) + "\n"


def _toml_table(table: dict[str, Any], path: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    if path:
        out += ["", "[" + ".".join(_toml_key(k) for k in path) + "]"]
    for key, value in table.items():
        if not isinstance(value, dict):
            out.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, value in table.items():
        if isinstance(value, dict):
            out += _toml_table(value, (*path, key))
    return out


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # (a JSON string is a TOML basic one)

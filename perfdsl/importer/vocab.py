"""What a printed label means, for one template: read from the field registry and the template.

No label is spelt out here.  A template's own labels come first (where it prints 总额 for the
预算数, 总额 means the 预算数), then the registry's spellings of the fields the template holds,
then those of every other field (which the source then writes as a ``栏目`` if the template
lacks it).  Labels are compared after Unicode NFKC, without white space and without a trailing
colon, the way a published table varies them: ``项目资金(万元):`` is ``项目资金（万元）``.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

from perfdsl.standards import fields as R
from perfdsl.standards.templates import Template
from perfdsl.values import FILE_MONEY_UNITS

MONEY_UNITS = FILE_MONEY_UNITS
#: The money units as a regular expression's alternatives (元|万元|亿元).
MONEY_UNIT_RE = "|".join(map(re.escape, MONEY_UNITS))
#: The levels a header grid's labels may belong to, in the order a clash is decided.
HEADER_LEVELS: tuple[R.Level, ...] = ("project", "budget", "funding", "header")


def norm(text: str) -> str:
    """A label for comparing: NFKC, no white space, no trailing colon."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(":")


#: What a label asks of the signer, after it: 实施单位（盖章）, 填表人(签字).
_SIGNED = re.compile(r"\((?:盖章|签章|公章|签字|签名)\)$")

#: A money unit printed after a column's label: 预算金额(万元), 金额（元）.
_UNIT_AFTER = re.compile(rf"\((?:{MONEY_UNIT_RE})\)$")


def column_key(mapping: dict[str, str], text: str) -> str | None:
    """The field a column label names in ``mapping`` (norm(label) → key), also when the
    table prints the money unit after it (预算金额(万元) is the 预算金额 column)."""
    key = norm(text)
    found = mapping.get(key)
    if found is None and _UNIT_AFTER.search(key):
        found = mapping.get(_UNIT_AFTER.sub("", key))
    return found


@attrs.frozen
class Vocabulary:
    template: Template
    #: norm(label) → (level, key) for header-grid fields (project, budget, funding, header).
    fields: dict[str, tuple[str, str]]
    #: norm(label) → indicator column key (level1, level2, name, value, description …).
    indicator: dict[str, str]
    #: norm(label) → the rows-field key (progress, cost_items, duty_goals).
    blocks: dict[str, str]
    #: block → norm(column label) → row key.
    row_columns: dict[str, dict[str, str]]
    #: norm(group label) → what it is: "money" (with the unit it names, if any), "goals",
    #: "group", "source", "use", "total", "share", "amount", "side", "midterm", "year".
    groups: dict[str, tuple[str, str]]
    #: Labels of the sign-off and trailing rows (年度总体目标完成情况 …) are ordinary fields.
    #: norm(label) → (level, key) for the labels the template itself prints (no aliases).
    own: dict[str, tuple[str, str]] = attrs.field(factory=dict)

    def field(self, text: str) -> tuple[str, str] | None:
        key = norm(text)
        found = self.fields.get(key)
        if found is not None:
            return found
        signed = _SIGNED.sub("", key)
        if signed != key and signed:  # 实施单位（盖章） is the 实施单位
            found = self.fields.get(signed)
            if found is not None:
                return found
        prefix = norm(self.template.page.breakdown_prefix) if self.template.page else ""
        for p in {prefix, "其中"} - {""}:
            if key.startswith(p) and key[len(p) :]:
                inner = self.fields.get(key[len(p) :].lstrip(":"))
                if inner is not None and inner[0] in ("funding", "budget"):
                    return inner
        return None

    def truncated(self, text: str) -> tuple[str, tuple[str, str]] | None:
        """A label of the template printed with a character or two lost at either end
        (``联系电``, ``目起止时间``): the label and its field, when exactly one label fits."""
        key = norm(text)
        if len(key) < 3:
            return None
        found = {
            (label, value)
            for label, value in self.own.items()
            if 0 < len(label) - len(key) <= 2 and (label.startswith(key) or label.endswith(key))
        }
        if len({value for _label, value in found}) != 1:
            return None
        return min(found)

    def prefixed(self, text: str) -> bool:
        key = norm(text)
        prefix = norm(self.template.page.breakdown_prefix)
        return bool(prefix) and key.startswith(prefix) and key != prefix

    def money_group(self, text: str) -> str | None:
        """The money unit a money group's label names ("" if none), None if it is not one."""
        found = self.groups.get(norm(text))
        if found is not None and found[0] == "money":
            return found[1]
        return None

    def group(self, text: str) -> str | None:
        found = self.groups.get(norm(text))
        return found[0] if found is not None else None

    def is_label(self, text: str) -> bool:
        key = norm(text)
        return bool(key) and (
            self.field(text) is not None or key in self.groups or key in self.blocks
        )


def _in_template(template: Template, level: str, key: str) -> bool:
    if level == "project" and key in ("name", "goals"):
        return True
    return key in template.fields.get(level, ())


def _vocabulary(template: Template) -> Vocabulary:
    cached = _CACHE.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    vocab = _build(template)
    _CACHE[id(template)] = (template, vocab)
    return vocab


#: Vocabularies by template (a template holds dicts, so it cannot be a cache key itself).
_CACHE: dict[int, tuple[Template, Vocabulary]] = {}


def _build(template: Template) -> Vocabulary:
    fields: dict[str, tuple[str, str]] = {}

    def add(table: dict[str, tuple[str, str]], label: str, value: tuple[str, str]) -> None:
        key = norm(label)
        if key:
            table.setdefault(key, value)

    # Precedence: the template's labels, its fields' spellings, every other field's.
    for level in HEADER_LEVELS:
        for field in R.at(level):
            if _in_template(template, level, field.key):
                add(fields, template.label(level, field.key), (level, field.key))
    own = dict(fields)
    for level in HEADER_LEVELS:
        for field in R.at(level):
            if _in_template(template, level, field.key) and field.kind != "indicators":
                for spelling in field.spellings:
                    add(fields, spelling, (level, field.key))
    for level in HEADER_LEVELS:
        for field in R.at(level):
            if field.kind != "indicators":
                for spelling in field.spellings:
                    add(fields, spelling, (level, field.key))

    indicator: dict[str, str] = {}
    for column in template.page.columns:
        indicator.setdefault(norm(column.label), column.field)
    for field in R.at("indicator"):
        indicator.setdefault(norm(template.label("indicator", field.key)), field.key)
    if template.page.value_label_with_midterm:
        indicator.setdefault(norm(template.page.value_label_with_midterm), "value")
    for field in R.at("indicator"):
        for spelling in field.spellings:
            indicator.setdefault(norm(spelling), field.key)

    blocks: dict[str, str] = {}
    row_columns: dict[str, dict[str, str]] = {}
    for field in R.at("project"):
        if field.kind != "rows":
            continue
        blocks.setdefault(norm(template.label("project", field.key)), field.key)
        for spelling in field.spellings:
            blocks.setdefault(norm(spelling), field.key)
        columns: dict[str, str] = {}
        for column in R.at("row", field.block):
            columns.setdefault(norm(template.label(f"row.{field.block}", column.key)), column.key)
            for spelling in column.spellings:
                columns.setdefault(norm(spelling), column.key)
        row_columns[field.block] = columns

    page, spec = template.page, template.page.header
    groups: dict[str, tuple[str, str]] = {}
    if "{money_unit}" in page.budget_group:
        for unit in MONEY_UNITS:
            groups.setdefault(
                norm(page.budget_group.replace("{money_unit}", unit)), ("money", unit)
            )
    groups.setdefault(norm(page.budget_group.replace("（{money_unit}）", "")), ("money", ""))
    groups.setdefault(norm(page.budget_group.replace("{money_unit}", "")), ("money", ""))
    for row in spec.rows:  # text:… cells of explicit rows (下达中央预算内投资（万元）)
        if not isinstance(row, tuple):
            continue
        for cell, after in zip(row, (*row[1:], ""), strict=True):
            what, _, rest = cell.partition(":")
            if what != "text":
                continue
            text = rest.partition("*")[0]
            kind, _, key = after.partition(":")
            key = key.partition("*")[0]
            level = "budget" if any(f.key == key for f in R.at("budget")) else "project"
            for unit in MONEY_UNITS if "{money_unit}" in text else ("",):
                label = norm(text.replace("{money_unit}", unit))
                groups.setdefault(label, ("text", unit))
                if kind == "value" and key:
                    fields[label] = (level, key)
    groups.setdefault(norm(spec.goals_group), ("goals", ""))
    for name in spec.groups:
        groups.setdefault(norm(name), ("group", ""))
    for label, what in (
        (spec.source_label, "source"),
        (spec.use_label, "use"),
        (spec.total_label, "total"),
        (spec.share_label, "share"),
        ("金额", "amount"),
    ):
        if label:
            groups.setdefault(norm(label), (what, ""))
    if page.indicator_side:
        groups.setdefault(norm(page.indicator_side), ("side", ""))
    midterm = template.label("project", "midterm_indicators")
    for text in (midterm, page.midterm_caption):
        if text:
            groups.setdefault(norm(text), ("midterm", ""))
    for spelling in R.get("project", "midterm_indicators").spellings:
        groups.setdefault(norm(spelling), ("midterm", ""))
    for text in (page.year_caption, *_year_captions()):
        if text:
            groups.setdefault(norm(text), ("year", ""))
    return Vocabulary(template, fields, indicator, blocks, row_columns, groups, own)


def _year_captions() -> list[str]:
    """The year's indicator table named as the 中期 one is (年度指标, 年度绩效指标): the
    registry's spellings of 中期指标 with 年度 in place of 中期, 长期, 中长期 or 实施期."""
    spellings = R.get("project", "midterm_indicators").spellings
    return [re.sub(r"^(?:中长期|中期|长期|实施期)", "年度", s) for s in spellings if "期" in s]


def vocabulary(template: Template) -> Vocabulary:
    return _vocabulary(template)


def printed_labels(template: Template) -> frozenset[str]:
    """Every label a table in ``template`` may print (normalised): for choosing a template."""
    return _printed(template)


def _printed(template: Template) -> frozenset[str]:
    out: set[str] = set()
    for level in HEADER_LEVELS:
        for key in (
            *template.fields.get(level, ()),
            *(("name", "goals") if level == "project" else ()),
        ):
            try:
                out.add(norm(template.label(level, key)))
            except KeyError:
                continue
    prefix = template.page.breakdown_prefix
    for key in template.fields.get("funding", ()):
        out.add(norm(prefix + template.label("funding", key)))
    for column in template.page.columns:
        out.add(norm(column.label))
    vocab = _vocabulary(template)
    out |= {k for k, (what, _) in vocab.groups.items() if what not in ("midterm", "year")}
    out.add(norm(template.label("project", "midterm_indicators")))
    if template.page.total_row:
        out.add(norm(template.page.total_row))
    out.discard("")
    return frozenset(out)


def always_printed(template: Template) -> frozenset[str]:
    """The labels (normalised) the template prints in a table that says nothing: a row it
    prints whether or not the source writes the field.  A blank cell beside such a label is
    the field left out; beside any other label, a field written blank.  Asked of the printer
    itself, so the two cannot disagree."""
    cached = _ALWAYS.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    from decimal import Decimal

    from perfdsl import ast
    from perfdsl.emit.model import Cell
    from perfdsl.emit.table import document_view
    from perfdsl.standards.templates import catalog

    budgets = (ast.Budget(ast.Money(Decimal(0))),) if template.kind == "project" else ()
    project = ast.Project(name="x", budgets=budgets, kind=template.kind)
    header = ast.Header(None, ast.Located("x"), ast.Located("2024"), ast.Located("万元"))
    view = document_view(ast.Document(header, (project,)), template, catalog())
    found = frozenset(
        norm(line)
        for p in view.projects
        for grid in p.tables
        for row in grid.rows
        for cell in row
        if isinstance(cell, Cell)
        for line in cell.lines
    )
    _ALWAYS[id(template)] = (template, found)
    return found


_ALWAYS: dict[int, tuple[Template, frozenset[str]]] = {}

"""A :class:`DocumentDraft` written as perfdsl source, for the parser to type and fmt to print.

Keys are the registry's Chinese keywords (fmt rewrites them in the template's labels); a field
the template does not hold, a money line it has no field for, a weight that is not a number or a
direction that is neither 正向 nor 反向 is written as a ``栏目`` with the label the table printed,
so nothing a cell says is dropped and the source still parses.
"""

from __future__ import annotations

import re

from perfdsl import ast
from perfdsl.fmt import key_text, quote, table_line, value_text
from perfdsl.importer.draft import DocumentDraft, Level1Draft, ProjectDraft
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Template
from perfdsl.syntax import keywords as K
from perfdsl.values import NUMBER, normalise

_PROJECT_KEYS = frozenset(
    K.fold(s) for lv in ("project", "budget") for f in R.at(lv) for s in f.spellings
)  # type: ignore[arg-type]
_CATEGORY_KEYS = frozenset(K.fold(s) for f in R.at("category") for s in f.spellings)
_WEIGHT = re.compile(NUMBER)
_MONEY = re.compile(rf"{NUMBER}\s*(?:[元万亿千百]*元|万|亿)?(?:\D.*)?", re.S)


def text(value: str) -> str:
    return '""' if value == "" else value_text(value)


def free_label(label: str) -> str:
    """A printed label usable after ``栏目``: one line, no colon, not empty."""
    cleaned = re.sub(r"[:：\n\r]+", "", label).strip() or "栏目"
    return cleaned


class _Writer:
    def __init__(self, draft: DocumentDraft, template: Template, adaptation: list[str]) -> None:
        self.draft = draft
        self.template = template
        self.adaptation = adaptation
        self.out: list[str] = []

    def line(self, depth: int, body: str) -> None:
        self.out.append("  " * depth + body)

    def free(self, depth: int, label: str, value: str, seen: set[str]) -> None:
        name = free_label(label)
        base, n = name, 2
        while name in seen:
            name, n = f"{base}（{n}）", n + 1
        seen.add(name)
        self.line(depth, f"栏目 {name}: {text(value)}")

    # -- document ---------------------------------------------------------------------------

    def document(self) -> str:
        d = self.draft
        if d.unit:
            self.line(0, f"单位: {value_text(d.unit)}")
        if d.year:
            self.line(0, f"年度: {value_text(d.year)}")
        if d.money_unit:
            self.line(0, f"金额单位: {d.money_unit}")
        if d.template:
            self.line(0, f"模板: {value_text(d.template)}")
            self.out += self.adaptation
        seen: set[str] = set()
        for key, value in d.header.items():
            label = ast.free_label(key)
            if (label is None and key in self.template.fields.get("header", ())) or key == "title":
                self.line(0, f"{R.get('header', key).zh}: {text(value)}")
            else:
                name = label if label is not None else self.template.label("header", key)
                self.free(0, name, value, seen)
        for project in d.projects:
            self.out.append("")
            self.project(project)
        return "\n".join(self.out) + "\n"

    def project(self, p: ProjectDraft) -> None:
        word = "部门" if p.kind == "department" else "项目"
        self.line(0, table_line(word, p.name.replace("\n", "")))
        seen: set[str] = set()
        t = self.template
        for key, value in p.fields.items():
            label = ast.free_label(key)
            if label is not None:
                self.free(1, label, value if isinstance(value, str) else "\n".join(value), seen)
                continue
            field = R.get("project", key)
            if not t.has("project", key):
                shown = value if isinstance(value, str) else "\n".join(value)
                self.free(1, t.label("project", key), shown, seen)
                continue
            if field.kind == "goals":
                items = value if isinstance(value, list) else [value]
                self.goals(1, field.zh, items)
            elif (field.kind == "number" and not _WEIGHT.fullmatch(normalise(str(value)))) or (
                field.kind == "choice" and field.choice(str(value)) is None
            ):
                self.free(1, t.label("project", key), str(value), seen)
            else:
                self.line(1, f"{field.zh}: {text(str(value))}")
        order = [f.key for f in R.at("budget")]
        for budget in sorted(p.budgets.values(), key=lambda b: order.index(b.key)):
            self.budget(p, budget, seen)
        if p.goals is not None:
            self.goals(1, R.get("project", "goals").zh, p.goals)
        for key, rows in p.rows.items():
            field = R.get("project", key)
            if not t.has("project", key):
                for number, row in enumerate(rows, 1):
                    cells = "；".join(f"{k}：{v}" for k, v in row.items())
                    self.free(1, f"{t.label('project', key)}{number}", cells, seen)
                continue
            self.line(1, f"{field.zh}:")
            for row in rows:
                self.line(2, "行:")
                cells_seen: set[str] = set()
                for column, cell in row.items():
                    free = ast.free_label(column)
                    if free is not None:
                        self.free(3, free, cell, cells_seen)
                    else:
                        body = text(cell) if cell else ""
                        self.line(3, f"{R.get('row', column, field.block).zh}: {body}".rstrip())
        self.tree(1, p.indicators)
        if p.midterm:
            if t.has("project", "midterm_indicators"):
                self.line(1, "中期指标:")
                self.tree(2, p.midterm)
            else:
                for l1 in p.midterm:
                    for l2 in l1.blocks:
                        for ind in l2.indicators:
                            where = "›".join(x for x in (l1.name, l2.name, ind.name) if x)
                            self.free(1, f"中期指标{where}", ind.value, seen)
        if p.signoff:
            if t.has("project", "signoff"):
                self.line(1, "签章:")
                labels: set[str] = set()
                for label, value in p.signoff:
                    name = free_label(label)
                    base, n = name, 2
                    while name in labels:
                        name, n = f"{base}（{n}）", n + 1
                    labels.add(name)
                    body = f" {value_text(value)}" if value else ""
                    self.line(2, f"{key_text(name)}:{body}")
            else:
                for label, value in p.signoff:
                    self.free(1, label, value, seen)

    def goals(self, depth: int, key: str, items: list[str]) -> None:
        self.line(depth, f"{key}:")
        for number, item in enumerate(items, 1):
            self.line(depth + 1, f"{number}. {value_text(item) if item else quote('')}")

    def budget(self, p: ProjectDraft, budget: object, seen: set[str]) -> None:
        from perfdsl.importer.draft import BudgetDraft, FundingDraft

        assert isinstance(budget, BudgetDraft)
        t = self.template
        total = budget.total
        if not t.has("budget", budget.key) or not _MONEY.fullmatch(normalise(total)):
            if total:
                self.free(1, t.label("budget", budget.key), total, seen)
            for line in budget.lines:
                self.free(1, t.label("funding", line.kind), line.amount, seen)
            return
        self.line(1, f"{R.get('budget', budget.key).zh}: {value_text(total)}")

        def lines(depth: int, items: list[FundingDraft]) -> None:
            for line in items:
                ok = t.has("funding", line.kind) and _MONEY.fullmatch(normalise(line.amount))
                if not ok:
                    self.free(1, t.label("funding", line.kind), line.amount, seen)
                    continue
                self.line(depth, f"{R.get('funding', line.kind).zh}: {value_text(line.amount)}")
                lines(depth + 1, line.lines)

        lines(2, budget.lines)

    def tree(self, depth: int, tree: list[Level1Draft]) -> None:
        t = self.template
        scores = t.has("category", "score")
        for l1 in tree:
            self.line(depth, f"{key_text(l1.name, _PROJECT_KEYS)}:")
            if l1.score and scores:
                self.line(depth + 1, f"分值: {value_text(l1.score)}")
            for l2 in l1.blocks:
                self.line(depth + 1, f"{key_text(l2.name, _CATEGORY_KEYS)}:")
                if l2.score and scores:
                    self.line(depth + 2, f"分值: {value_text(l2.score)}")
                for ind in l2.indicators:
                    self.indicator(depth + 2, ind)

    def indicator(self, depth: int, ind: object) -> None:
        from perfdsl.importer.draft import IndicatorDraft

        assert isinstance(ind, IndicatorDraft)
        t = self.template
        name = key_text(ind.name.replace("\n", ""), _CATEGORY_KEYS)
        value = ind.value
        if "\n" in value:
            self.line(depth, f"{name}:")
            self.line(depth + 1, f"指标值: {quote(value)}")
        else:
            self.line(depth, f"{name}: {value_text(value)}" if value else f"{name}:")
        seen: set[str] = set()
        for key, cell in ind.fields.items():
            label = ast.free_label(key)
            if label is not None:
                self.free(depth + 1, label, cell, seen)
                continue
            field = R.get("indicator", key)
            bad = (
                not t.has("indicator", key)
                or (field.kind == "number" and not _WEIGHT.fullmatch(normalise(cell)))
                or (field.kind == "choice" and field.choice(cell) is None)
                or (field.kind == "value" and not cell)
            )
            if bad:
                if cell or key == "description":
                    self.free(depth + 1, t.label("indicator", key), cell, seen)
                continue
            self.line(depth + 1, f"{field.zh}: {text(cell)}")


def write(draft: DocumentDraft, template: Template, adaptation: list[str] = ()) -> str:  # type: ignore[assignment]
    """The draft as source; ``adaptation``: the lines under ``模板:`` (:mod:`.adapt`), and
    ``template`` the template they make."""
    return _Writer(draft, template, list(adaptation)).document()

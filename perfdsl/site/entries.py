"""What the index keeps of each published file: a few names and exact totals, never the document.

A department may publish hundreds of files; :func:`perfdsl.collect.collect` reads them one at
a time and the site keeps only an :class:`Entry` of each (the unit, the year, the totals in
万元, the names a reader may search for), so memory is bounded by the largest file.

Money is :mod:`perfdsl.totals`' arithmetic: Decimals from the source, converted exactly.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import quote

import attrs

from perfdsl import ast
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Template
from perfdsl.totals import COMMON_UNIT, add_up, budget_total, money_of

#: The index shows every amount in this unit, whatever each file writes in.
SITE_UNIT = COMMON_UNIT

#: The part of a budget its funding lines do not name (no line written, or lines that add up
#: to less than the budget).
UNSTATED = "unstated"
UNSTATED_LABEL = "未列明来源"


@attrs.frozen
class ProjectEntry:
    """One table of a file: its name, its anchor on the page, its indicators' names."""

    name: str
    anchor: str
    indicators: tuple[str, ...]


@attrs.frozen
class Entry:
    """One published file, as the index and the search need it."""

    #: The source's place in the tree (``2024/X.pdsl``); its page is ``2024/X.html``.
    relative: PurePosixPath
    unit_name: str
    unit_code: str | None
    year: str | None
    #: The table's name (项目支出绩效目标表, 部门整体支出绩效目标表 …).
    table_title: str
    #: The sum of the projects' budgets in 万元; None when no project states one.
    total: Decimal | None
    projects: tuple[ProjectEntry, ...]
    #: The budget by fund source (registry key → amount in 万元), in registry order.
    sources: tuple[tuple[str, Decimal], ...]

    @property
    def page(self) -> PurePosixPath:
        """The page's path under the site folder."""
        return self.relative.with_suffix(".html")

    @property
    def href(self) -> str:
        """The page's address relative to the index (percent-encoded: Chinese names, spaces)."""
        return quote(self.page.as_posix())

    @property
    def sort_key(self) -> tuple[bool, str, str, str]:
        """By unit code (units without one after those with one), then name and path."""
        code = self.unit_code or ""
        return (not code, code, self.unit_name, self.relative.as_posix())


def source_label(kind: str) -> str:
    """The name a fund source is shown under: the registry's, one name across templates."""
    return UNSTATED_LABEL if kind == UNSTATED else R.label("funding", kind)


def _source_rank() -> dict[str, int]:
    keys = [f.key for f in R.FIELDS if f.level == "funding" and f.dimension == "source"]
    return {key: i for i, key in enumerate(keys)}


def by_source(document: ast.Document) -> tuple[tuple[str, Decimal], ...]:
    """Each project's 预算数 split by its top-level funding lines of the ``source`` dimension
    (财政资金, 其他资金 …), in 万元; what they leave unnamed is :data:`UNSTATED`.

    Only top-level lines count: a breakdown (上级资金 under 财政资金) is part of its parent,
    and 基本支出/项目支出 say what the money is spent on, not where it comes from.
    """
    rank = _source_rank()
    file_unit = document.header.unit
    sums: dict[str, list[Decimal]] = {}
    for project in document.projects:
        budget = project.budget
        if budget is None:
            continue
        total = money_of(budget.total, file_unit, SITE_UNIT)
        if total is None:
            continue
        named: list[Decimal] = []
        for line in budget.lines:
            if line.kind not in rank:
                continue
            amount = money_of(line.amount, file_unit, SITE_UNIT)
            if amount is None:
                continue
            sums.setdefault(line.kind, []).append(amount)
            named.append(amount)
        rest = total - add_up(named)
        if rest > 0:
            sums.setdefault(UNSTATED, []).append(rest)
    order = sorted(sums, key=lambda k: rank.get(k, len(rank)))
    return tuple((kind, add_up(sums[kind])) for kind in order)


def anchor_of(template: Template, number: int) -> str:
    """The id of table ``number`` (from 1) on the page :func:`perfdsl.emit.html.render_html`
    writes: a sheet with a row per project (``per = "unit"``) is one table, ``p1``."""
    return "p1" if template.page.per == "unit" else f"p{number}"


def entry_of(
    relative: PurePosixPath,
    document: ast.Document,
    template: Template,
    unit_name: str,
    unit_code: str | None,
    year: str | None,
) -> Entry:
    """The index's record of one file."""
    projects = tuple(
        ProjectEntry(
            project.name,
            anchor_of(template, number),
            tuple(dict.fromkeys(ind.name for _l1, _l2, ind in ast.iter_tree(project.indicators))),
        )
        for number, project in enumerate(document.projects, 1)
    )
    return Entry(
        relative=relative,
        unit_name=unit_name,
        unit_code=unit_code,
        year=year,
        table_title=template.title,
        total=budget_total(document, SITE_UNIT),
        projects=projects,
        sources=by_source(document),
    )

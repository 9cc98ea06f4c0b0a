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
from perfdsl.standards.templates import Template
from perfdsl.totals import (
    COMMON_UNIT,
    add_up,
    budget_total,
    fund_sources,
    source_rank,
)

#: The index shows every amount in this unit, whatever each file writes in.
SITE_UNIT = COMMON_UNIT


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


def by_source(document: ast.Document) -> tuple[tuple[str, Decimal], ...]:
    """The file's budget by fund source (:func:`perfdsl.totals.fund_sources` of each project),
    in 万元, in the registry's order, :data:`~perfdsl.totals.UNSTATED` last."""
    rank = source_rank()
    sums: dict[str, list[Decimal]] = {}
    for project in document.projects:
        for kind, amount in fund_sources(project, document.header.unit, SITE_UNIT):
            sums.setdefault(kind, []).append(amount)
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

"""汇总: many units' tables added up, as the finance bureau reviews them together.

"逐单位、逐项目、逐指标、逐数值": for each unit file its budget, projects, indicators and
findings; and across them the budget by year, by fund source (:func:`perfdsl.totals.
fund_sources`: the top-level source lines of each 预算数, the rest 未列明来源) and by 项目类别, the
indicators counted by 一级 and 二级, and the findings by code.

Every amount is exact and in 万元 (a file in 元 or 亿元 is converted): Decimals
from the source text, converted without floats (:mod:`perfdsl.totals`).  A file that cannot
be read at all stops the summary (:func:`summarise_paths` returns it), since a total without
it would be wrong without saying so; a file with errors is counted as read, its errors
listed.  Each file is reduced to a small :class:`Part` (in a worker process when there are
several cores) and the parts are merged in the command line's order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from perfdsl.batch import ahead
from perfdsl.collect import UnitFile
from perfdsl.config import ConfigError
from perfdsl.diagnostics import Msg
from perfdsl.load import READ_FAILURES
from perfdsl.totals import COMMON_UNIT, add_up, fund_sources, money_of, source_label
from perfdsl.workspace import expand

#: Where a project with no 项目类别 is counted.
NO_CATEGORY = "（未填项目类别）"


@attrs.frozen
class UnitRow:
    """One unit file's line of the summary."""

    file: str
    unit_code: str | None
    unit_name: str
    year: str | None
    projects: int
    indicators: int
    #: The projects' budgets added up, in the summary's unit (None: none stated).
    budget: Decimal | None
    errors: int
    warnings: int
    notes: int
    #: Findings by code, sorted.
    codes: tuple[tuple[str, int], ...] = ()


@attrs.frozen
class Summary:
    unit: str
    units: tuple[UnitRow, ...]
    by_year: tuple[tuple[str, Decimal], ...]
    by_fund: tuple[tuple[str, Decimal], ...]
    by_category: tuple[tuple[str, Decimal], ...]
    #: Indicators (三级 rows) by 一级, and by (一级, 二级).
    level1: tuple[tuple[str, int], ...]
    level2: tuple[tuple[str, str, int], ...]
    #: Findings across every file: (code, severity, count).
    findings: tuple[tuple[str, str, int], ...]

    @property
    def budget(self) -> Decimal:
        return add_up(u.budget for u in self.units if u.budget is not None)

    @property
    def projects(self) -> int:
        return sum(u.projects for u in self.units)

    @property
    def indicators(self) -> int:
        return sum(u.indicators for u in self.units)


@attrs.frozen
class Part:
    """One file's contribution, small enough to send back from a worker process."""

    row: UnitRow
    by_year: tuple[tuple[str, Decimal], ...]
    by_fund: tuple[tuple[str, Decimal], ...]
    by_category: tuple[tuple[str, Decimal], ...]
    level2: tuple[tuple[str, str], ...]  # one (一级, 二级) per indicator row, in table order
    findings: tuple[tuple[str, str], ...]  # one (code, severity) per finding


def part_of(unit_file: UnitFile, unit: str = COMMON_UNIT) -> Part:
    """What ``unit_file`` adds to a summary in ``unit``."""
    by_year: list[tuple[str, Decimal]] = []
    by_fund: list[tuple[str, Decimal]] = []
    by_category: list[tuple[str, Decimal]] = []
    level2: list[tuple[str, str]] = []
    document = unit_file.document
    projects = 0
    budgets: list[Decimal] = []
    if document is not None:
        file_unit = document.header.unit
        for project in document.projects:
            projects += 1
            level2 += [(l1.name, l2.name) for l1, l2, _ind in project.iter_indicators()]
            budget = project.budget
            amount = None if budget is None else money_of(budget.total, file_unit, unit)
            if budget is None or amount is None:
                continue
            budgets.append(amount)
            by_year.append((unit_file.year or "?", amount))
            by_category.append((project.fields.text("category") or NO_CATEGORY, amount))
            by_fund += [
                (source_label(kind), part) for kind, part in fund_sources(project, file_unit, unit)
            ]
    diagnostics = unit_file.diagnostics
    row = UnitRow(
        unit_file.path,
        unit_file.unit_code,
        unit_file.unit_name,
        unit_file.year,
        projects,
        len(level2),
        add_up(budgets) if budgets else None,
        unit_file.errors,
        unit_file.warnings,
        len(diagnostics) - unit_file.errors - unit_file.warnings,
        tuple(sorted(Counter(d.code for d in diagnostics).items())),
    )
    findings = tuple((d.code, d.severity.value) for d in diagnostics)
    return Part(row, tuple(by_year), tuple(by_fund), tuple(by_category), tuple(level2), findings)


def merge(parts: Iterable[Part], unit: str = COMMON_UNIT) -> Summary:
    """The summary of the parts, in their order (the first file to name a year, a source or
    a 一级 puts it first)."""
    rows: list[UnitRow] = []
    tables: dict[str, dict[str, list[Decimal]]] = {"year": {}, "fund": {}, "category": {}}
    level1: Counter[str] = Counter()
    level2: Counter[tuple[str, str]] = Counter()
    findings: Counter[tuple[str, str]] = Counter()
    for part in parts:
        rows.append(part.row)
        for name, pairs in (
            ("year", part.by_year),
            ("fund", part.by_fund),
            ("category", part.by_category),
        ):
            for key, amount in pairs:
                tables[name].setdefault(key, []).append(amount)
        level1.update(a for a, _b in part.level2)
        level2.update(part.level2)
        findings.update(part.findings)

    def sums(table: dict[str, list[Decimal]]) -> tuple[tuple[str, Decimal], ...]:
        return tuple((k, add_up(v)) for k, v in table.items())

    first = list(level1)
    return Summary(
        unit,
        tuple(rows),
        tuple(sorted(sums(tables["year"]))),
        sums(tables["fund"]),
        sums(tables["category"]),
        tuple(level1.items()),
        tuple(sorted(((a, b, n) for (a, b), n in level2.items()), key=lambda r: first.index(r[0]))),
        tuple((code, sev, n) for (code, sev), n in sorted(findings.items())),
    )


def summarise(files: Iterable[UnitFile], unit: str = COMMON_UNIT) -> Summary:
    """The summary of ``files`` (consumed one at a time), every amount in ``unit``."""
    return merge((part_of(f, unit) for f in files), unit)


def _part_of_path(path: str, relative: str, unit: str) -> Part | UnitFile | Msg:
    """In a worker: one file read, judged and reduced to its part (an unreadable file comes
    back whole, so the command can say why)."""
    from perfdsl.collect import read_in_worker

    unit_file = read_in_worker(path, relative)
    if isinstance(unit_file, Msg):
        return unit_file
    if any(d.code in READ_FAILURES for d in unit_file.diagnostics):
        return attrs.evolve(unit_file, catalog=None, document=None, template=None)
    return part_of(unit_file, unit)


def summarise_paths(
    paths: Sequence[str], jobs: int | None = None, unit: str = COMMON_UNIT
) -> Summary | UnitFile:
    """The summary of every file ``paths`` name, read in ``jobs`` processes (None: every core);
    the first file that cannot be read at all instead of a summary with a hole in it.
    Raises WorkspaceError, ConfigError and BaselineError as :func:`perfdsl.collect.collect`."""
    sources = expand(paths)
    calls = [(source.path, str(source.relative), unit) for source in sources]
    done = list(ahead(_part_of_path, calls, jobs))
    for result in done:
        if isinstance(result, Msg):
            raise ConfigError(result)
        if isinstance(result, UnitFile):
            return result
    return merge(done, unit)  # type: ignore[arg-type]

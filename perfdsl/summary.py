"""汇总: many units' tables added up, as the finance bureau reviews them together.

"逐单位、逐项目、逐指标、逐数值": for each unit file its budget, projects, indicators and
findings; and across them the budget by year, by fund source (the funding lines of each
project's 预算数, top level only, so a breakdown is not counted twice) and by 项目类别, and the
indicators counted by 一级 and 二级, and the findings by code.

Every amount is exact, in one money unit (万元 unless every file uses the same one): Decimals
from the source text, converted without floats (:mod:`perfdsl.totals`).  A file that cannot
be read is listed with its errors and adds nothing.  Built one file at a time from
:func:`perfdsl.collect.collect`; only the counts are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

import attrs

from perfdsl import ast
from perfdsl.collect import UnitFile
from perfdsl.standards import fields as R
from perfdsl.totals import COMMON_UNIT, add_up, money_of

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


class _Adder:
    """The running totals while the files go by."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.units: list[UnitRow] = []
        self.by_year: dict[str, list[Decimal]] = {}
        self.by_fund: dict[str, list[Decimal]] = {}
        self.by_category: dict[str, list[Decimal]] = {}
        self.level1: Counter[str] = Counter()
        self.level2: Counter[tuple[str, str]] = Counter()
        self.findings: Counter[tuple[str, str]] = Counter()

    def add(self, unit_file: UnitFile) -> None:
        for d in unit_file.diagnostics:
            self.findings[(d.code, d.severity.value)] += 1
        codes = Counter(d.code for d in unit_file.diagnostics)
        document = unit_file.document
        projects = indicators = 0
        budgets: list[Decimal] = []
        if document is not None:
            file_unit = document.header.unit
            for project in document.projects:
                projects += 1
                for l1, l2, _ind in project.iter_indicators():
                    indicators += 1
                    self.level1[l1.name] += 1
                    self.level2[(l1.name, l2.name)] += 1
                budget = project.budget
                if budget is None:
                    continue
                amount = money_of(budget.total, file_unit, self.unit)
                if amount is None:
                    continue
                budgets.append(amount)
                self.by_year.setdefault(unit_file.year or "?", []).append(amount)
                category = project.fields.text("category") or NO_CATEGORY
                self.by_category.setdefault(category, []).append(amount)
                for line in budget.lines:
                    part = money_of(line.amount, file_unit, self.unit)
                    if part is not None:
                        label = _fund_label(unit_file, line)
                        self.by_fund.setdefault(label, []).append(part)
        self.units.append(
            UnitRow(
                unit_file.path,
                unit_file.unit_code,
                unit_file.unit_name,
                unit_file.year,
                projects,
                indicators,
                add_up(budgets) if budgets else None,
                unit_file.errors,
                unit_file.warnings,
                len(unit_file.diagnostics) - unit_file.errors - unit_file.warnings,
                tuple(sorted(codes.items())),
            )
        )

    def _order(self, row: tuple[str, str, int]) -> int:
        """二级 rows under their 一级, in the order the 一级 were first seen."""
        return list(self.level1).index(row[0])

    def result(self) -> Summary:
        def sums(table: dict[str, list[Decimal]]) -> tuple[tuple[str, Decimal], ...]:
            return tuple((k, add_up(v)) for k, v in table.items())

        return Summary(
            self.unit,
            tuple(self.units),
            tuple(sorted(sums(self.by_year))),
            sums(self.by_fund),
            sums(self.by_category),
            tuple(self.level1.items()),
            tuple(sorted(((a, b, n) for (a, b), n in self.level2.items()), key=self._order)),
            tuple((code, sev, n) for (code, sev), n in sorted(self.findings.items())),
        )


def _fund_label(unit_file: UnitFile, line: ast.FundingLine) -> str:
    """A fund source by the registry's name (the same source reads the same in every file,
    whatever its template prints)."""
    return ast.free_label(line.kind) or R.label("funding", line.kind)


def summarise(files: Iterable[UnitFile], unit: str = COMMON_UNIT) -> Summary:
    """The summary of ``files`` (consumed one at a time), every amount in ``unit``."""
    adder = _Adder(unit)
    for unit_file in files:
        adder.add(unit_file)
    return adder.result()

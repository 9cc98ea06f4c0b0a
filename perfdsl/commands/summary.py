"""``perfdsl summary PATH...``: the 汇总 of many units' files, for the bureau that reviews them.

Formats: ``table`` (the terminal, aligned by display width), ``markdown`` (a merge request,
a report), ``json`` (programs; every amount an exact decimal string) and ``xlsx`` (a
workbook, with ``-o``).  The numbers are :func:`perfdsl.summary.summarise`'s.

Exit codes: 0 written (findings in the files do not fail a summary: they are in it), 2 a
path that names nothing, a broken configuration, or an output that cannot be written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from perfdsl import config as configuration
from perfdsl.baseline import BaselineError
from perfdsl.collect import UnitFile
from perfdsl.diagnostics import Msg
from perfdsl.load import READ_FAILURES
from perfdsl.output import display_width, json_text, printable, say
from perfdsl.summary import Summary, summarise_paths
from perfdsl.values import format_decimal
from perfdsl.workspace import WorkspaceError

if TYPE_CHECKING:
    from perfdsl.export.xlsx import CellKind

FORMATS = ("table", "markdown", "json", "xlsx")

_W = {
    "zh": {
        "title": "汇总：{files} 个文件，{projects} 个项目，{indicators} 条指标；预算合计 {budget}",
        "units": "逐单位",
        "unit": "单位",
        "year": "年度",
        "projects": "项目",
        "indicators": "指标",
        "budget": "预算（{unit}）",
        "errors": "错误",
        "warnings": "警告",
        "file": "文件",
        "by_year": "按年度",
        "by_fund": "按资金来源",
        "by_category": "按项目类别",
        "amount": "金额（{unit}）",
        "share": "占比",
        "level1": "按一级指标（指标条数）",
        "level2": "按二级指标（指标条数）",
        "findings": "检查结果（按代码）",
        "code": "代码",
        "severity": "级别",
        "count": "条数",
        "none": "（无）",
        "fund": "资金来源",
        "category": "项目类别",
        "l1": "一级指标",
        "l2": "二级指标",
        "fund_note": "资金来源：各项目预算数下第一层的资金来源（财政资金、其他资金……）相加，"
        "“其中”不重复相加；基本支出、项目支出是用途，不算来源；没有写明来源的部分列为“未列明来源”。",
    },
    "en": {
        "title": "Summary: {files} file(s), {projects} project(s), {indicators} indicator(s); "
        "budgets in all {budget}",
        "units": "By unit",
        "unit": "Unit",
        "year": "Year",
        "projects": "Projects",
        "indicators": "Indicators",
        "budget": "Budget ({unit})",
        "errors": "Errors",
        "warnings": "Warnings",
        "file": "File",
        "by_year": "By year",
        "by_fund": "By fund source",
        "by_category": "By project category",
        "amount": "Amount ({unit})",
        "share": "Share",
        "level1": "By 一级 (indicators)",
        "level2": "By 二级 (indicators)",
        "findings": "Findings by code",
        "code": "Code",
        "severity": "Severity",
        "count": "Count",
        "none": "(none)",
        "fund": "Fund source",
        "category": "Project category",
        "l1": "一级",
        "l2": "二级",
        "fund_note": "Fund sources add up the first-level source lines of each project's "
        "budget (a breakdown is not added twice; 基本支出 and 项目支出 say what the money is "
        "spent on, not where it comes from); what no line names is 未列明来源.",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _W["en" if lang == "en" else "zh"]


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else format_decimal(amount)


def _share(part: Decimal, whole: Decimal) -> str:
    """A share for reading (rounded to 0.1%); the amounts beside it are the exact figures."""
    if not whole:
        return ""
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def tables(summary: Summary, lang: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every table of the summary: (title, header, rows), in the order they are shown."""
    w = _words(lang)
    unit = summary.unit
    out: list[tuple[str, list[str], list[list[str]]]] = []
    out.append(
        (
            w["units"],
            [
                w["unit"],
                w["year"],
                w["projects"],
                w["indicators"],
                w["budget"].format(unit=unit),
                w["errors"],
                w["warnings"],
                w["file"],
            ],
            [
                [
                    u.unit_name,
                    u.year or "",
                    str(u.projects),
                    str(u.indicators),
                    _money(u.budget),
                    str(u.errors),
                    str(u.warnings),
                    u.file,
                ]
                for u in summary.units
            ],
        )
    )
    total = summary.budget
    for key, rows in (
        ("by_year", summary.by_year),
        ("by_fund", summary.by_fund),
        ("by_category", summary.by_category),
    ):
        whole = total if key != "by_fund" else sum((a for _k, a in rows), Decimal(0))
        out.append(
            (
                w[key],
                ["", w["amount"].format(unit=unit), w["share"]],
                [[name, _money(amount), _share(amount, whole)] for name, amount in rows],
            )
        )
    out.append((w["level1"], ["", w["count"]], [[name, str(n)] for name, n in summary.level1]))
    out.append((w["level2"], ["", "", w["count"]], [[a, b, str(n)] for a, b, n in summary.level2]))
    out.append(
        (
            w["findings"],
            [w["code"], w["severity"], w["count"]],
            [[code, severity, str(n)] for code, severity, n in summary.findings],
        )
    )
    return out


def _title(summary: Summary, lang: str) -> str:
    return _words(lang)["title"].format(
        files=len(summary.units),
        projects=summary.projects,
        indicators=summary.indicators,
        budget=f"{format_decimal(summary.budget)}{summary.unit}",
    )


def _numeric(cell: str) -> bool:
    return bool(cell) and cell.replace(".", "", 1).replace("-", "", 1).rstrip("%").isdigit()


def render_table(summary: Summary, lang: str) -> str:
    """Aligned columns by display width (a Chinese character is two columns): numbers right."""
    w = _words(lang)
    out = [printable(_title(summary, lang)), ""]
    for title, header, rows in tables(summary, lang):
        out.append(printable(title))
        if not rows:
            out += [f"  {w['none']}", ""]
            continue
        cells = [[printable(c) for c in row] for row in [header, *rows]]
        widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
        for r, row in enumerate(cells):
            parts = []
            for i, cell in enumerate(row):
                pad = " " * (widths[i] - display_width(cell))
                parts.append(pad + cell if r and _numeric(cell) else cell + pad)
            out.append("  " + "  ".join(parts).rstrip())
        out.append("")
    out.append(printable(w["fund_note"]))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return printable(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(summary: Summary, lang: str) -> str:
    w = _words(lang)
    out = [f"## {_md(_title(summary, lang))}", ""]
    for title, header, rows in tables(summary, lang):
        out += [f"### {_md(title)}", ""]
        if not rows:
            out += [w["none"], ""]
            continue
        out.append("| " + " | ".join(_md(h) for h in header) + " |")
        out.append(
            "| "
            + " | ".join("---:" if _numeric(rows[0][i]) else "---" for i in range(len(header)))
            + " |"
        )
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        out.append("")
    out += [f"> {_md(w['fund_note'])}", ""]
    return "\n".join(out)


def to_data(summary: Summary) -> dict[str, object]:
    """The summary as JSON data: amounts as exact decimal strings, in ``unit``."""
    return {
        "version": 1,
        "unit": summary.unit,
        "files": len(summary.units),
        "projects": summary.projects,
        "indicators": summary.indicators,
        "budget": format_decimal(summary.budget),
        "units": [
            {
                "file": u.file,
                "unit_code": u.unit_code,
                "unit": u.unit_name,
                "year": u.year,
                "projects": u.projects,
                "indicators": u.indicators,
                "budget": None if u.budget is None else format_decimal(u.budget),
                "errors": u.errors,
                "warnings": u.warnings,
                "notes": u.notes,
                "codes": dict(u.codes),
            }
            for u in summary.units
        ],
        "by_year": {k: format_decimal(v) for k, v in summary.by_year},
        "by_fund": {k: format_decimal(v) for k, v in summary.by_fund},
        "by_category": {k: format_decimal(v) for k, v in summary.by_category},
        "level1": dict(summary.level1),
        "level2": [{"level1": a, "level2": b, "indicators": n} for a, b, n in summary.level2],
        "findings": [{"code": c, "severity": s, "count": n} for c, s, n in summary.findings],
    }


def render_json(summary: Summary) -> str:
    return json_text(to_data(summary), indent=2) + "\n"


def run_summary(
    paths: Sequence[str],
    output_format: str,
    out: str | None,
    lang: str,
    jobs: int | None = None,
) -> int:
    """Print (or write to ``out``) the summary; return the exit code.  Never raises."""
    try:
        summary = summarise_paths(paths, jobs)
        if isinstance(summary, UnitFile):  # (a file that cannot be read: no silent hole)
            failure = next(d for d in summary.diagnostics if d.code in READ_FAILURES)
            say(f"perfdsl summary: {summary.path}: {failure.message.get(lang)}")
            return 2
    except WorkspaceError as exc:
        say(f"perfdsl summary: {exc.message.get(lang)}")
        return 2
    except (configuration.ConfigError, BaselineError) as exc:
        say(f"perfdsl summary: {exc.message.get(lang)}")
        return 2
    if output_format == "xlsx":
        if out is None:
            say(
                Msg(
                    "perfdsl summary: --format xlsx 需要 -o 文件.xlsx",
                    "perfdsl summary: --format xlsx needs -o FILE.xlsx",
                ).get(lang)
            )
            return 2
        from perfdsl.emit.timestamp import TimestampError

        try:
            when = _timestamp(summary)
        except TimestampError as exc:
            say(f"perfdsl summary: {exc.message.get(lang)}")
            return 2
        return _write(out, lambda: render_xlsx(summary, lang, when), lang)
    if output_format == "json":
        text = render_json(summary)
    elif output_format == "markdown":
        text = render_markdown(summary, lang)
    else:
        text = render_table(summary, lang)
    if out is None:
        click.echo(text, nl=False)
        return 0
    return _write(out, lambda: text.encode("utf-8"), lang)


def _kind(header: str, lang: str, unit: str) -> CellKind:
    """How a column's cells go into a workbook: amounts are money, counts whole numbers, the
    rest (the shares, rounded for reading, among them) text."""
    w = _words(lang)
    if header in (w["budget"].format(unit=unit), w["amount"].format(unit=unit)):
        return "money"
    if header in (w["projects"], w["indicators"], w["errors"], w["warnings"], w["count"]):
        return "int"
    return "text"


def _sheet_titles(titles: Sequence[str]) -> list[str]:
    """Excel's sheet names: at most 31 characters, none twice."""
    from perfdsl.export.xlsx import XLSX_MAX_TITLE

    out: list[str] = []
    for title in titles:
        name, n = title[:XLSX_MAX_TITLE], 1
        while name.casefold() in {o.casefold() for o in out}:
            n += 1
            suffix = f" ({n})"
            name = title[: XLSX_MAX_TITLE - len(suffix)] + suffix
        out.append(name)
    return out


def render_xlsx(summary: Summary, lang: str, timestamp: datetime) -> bytes:
    """The workbook: a sheet per table of :func:`tables`, amounts as exact numbers (or their
    text when Excel cannot show them exactly), counts as numbers, shares as text standing
    right; a column the table's title names (``""`` in the header) gets its name, and each
    sheet prints one page wide."""
    from perfdsl.export.xlsx import Column, Table, workbook_bytes

    w = _words(lang)
    named = {
        w["by_year"]: [w["year"]],
        w["by_fund"]: [w["fund"]],
        w["by_category"]: [w["category"]],
        w["level1"]: [w["l1"]],
        w["level2"]: [w["l1"], w["l2"]],
    }
    found = tables(summary, lang)
    sheets = []
    for sheet_title, (title, header, rows) in zip(
        _sheet_titles([t for t, _h, _r in found]), found, strict=True
    ):
        names = iter(named.get(title, ()))
        columns = [
            Column(
                h or next(names, ""),
                _kind(h, lang, summary.unit),
                "right" if h == w["share"] else None,
            )
            for h in header
        ]
        cells = [
            tuple(
                None if cell == "" else int(cell) if column.kind == "int" else cell
                for cell, column in zip(row, columns, strict=True)
            )
            for row in rows
        ]
        sheets.append(Table(sheet_title, columns, cells, fit_width=True))
    return workbook_bytes(sheets, lang, timestamp, title=_title(summary, lang))


def _timestamp(summary: Summary) -> datetime:
    """What ``export`` stamps: ``SOURCE_DATE_EPOCH``, else 1 January of the first file's
    年度 (at least 1980), else 1980-01-01 (:mod:`perfdsl.emit.timestamp`)."""
    from perfdsl.emit.timestamp import ZIP_EPOCH_YEAR, epoch_from_environment

    found = epoch_from_environment()
    if found is not None:
        return found
    year = summary.units[0].year if summary.units else None
    number = int(year) if year and year.isdecimal() else ZIP_EPOCH_YEAR
    return datetime(max(number, ZIP_EPOCH_YEAR), 1, 1, tzinfo=UTC)


def _write(out: str, make: object, lang: str) -> int:
    from perfdsl.atomic import write_atomic

    try:
        data = make()  # type: ignore[operator]
        write_atomic(out, data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        say(
            Msg(
                f"perfdsl summary: 无法写入 {out}：{reason}",
                f"perfdsl summary: cannot write {out}: {reason}",
            ).get(lang)
        )
        return 2
    return 0

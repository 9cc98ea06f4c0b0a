"""``index.html``: every unit and year of the department, with its budget, charts and search.

The page is complete without JavaScript: every unit's row, every chart (inline SVG) and its
numbers are in the HTML; the script only filters what is there.  Every text from a source is
escaped with :func:`html.escape`.  No external script, style sheet, font or image.

Layout: a section per budget year, newest first (files without a 年度 last), each with the
year's budget by fund source and by unit, and a table of its units (code, name linked to the
page, the table's kind, number of projects, 预算数 in 万元, exact); above them, when several
years are published, the budget by year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from html import escape

from perfdsl.site.charts import NEUTRAL, PALETTE, Bar, bar_chart, money
from perfdsl.site.entries import SITE_UNIT, Entry
from perfdsl.site.search import SCRIPT
from perfdsl.standards import fields as R
from perfdsl.totals import UNSTATED, add_up, source_label

_FONTS = (
    '"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)

CSS = f"""
:root {{ color-scheme: light; }}
body {{ margin: 0 auto; max-width: 64rem; padding: 1.5rem 1rem 3rem;
  font-family: {_FONTS}; font-size: 16px; line-height: 1.6; color: #111; background: #fff; }}
a {{ color: #0b4f9c; }}
.skip {{ position: absolute; left: -999px; }}
.skip:focus {{ left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; }}
h1 {{ font-size: 1.7rem; margin: .5rem 0 .25rem; text-align: center; font-weight: bold; }}
h2 {{ font-size: 1.35rem; margin: 2.5rem 0 .5rem; padding-bottom: .25rem;
  border-bottom: 2px solid #0b4f9c; }}
.summary {{ text-align: center; color: #333; margin: 0 0 1.5rem; }}
#search {{ margin: 1rem 0 1.5rem; padding: .75rem 1rem; background: #f3f6fa;
  border: 1px solid #c9d6e6; border-radius: 4px; }}
#search label {{ font-weight: bold; margin-right: .5rem; }}
#search input {{ font: inherit; width: min(28rem, 100%); padding: .3rem .5rem;
  border: 1px solid #6b7c93; border-radius: 3px; }}
#search-status {{ margin: .5rem 0 0; color: #333; }}
#search-status:empty {{ display: none; }}
#hits {{ margin: .25rem 0 0; padding-left: 0; list-style: none; }}
#hits li {{ padding: .15rem 0; }}
#hits .kind {{ display: inline-block; min-width: 2.6em; margin-right: .5rem; padding: 0 .3em;
  font-size: .8rem; text-align: center; color: #fff; background: #4a5b70; border-radius: 3px; }}
#hits .where {{ margin-left: .75rem; color: #555; font-size: .9rem; }}
nav.years ul {{ list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap;
  gap: .25rem 1.25rem; justify-content: center; }}
.year-summary {{ margin: .25rem 0 1rem; color: #333; }}
figure.chart {{ margin: 1rem 0 1.5rem; max-width: 52rem; }}
figure.chart figcaption {{ font-weight: bold; margin-bottom: .25rem; }}
figure.chart svg {{ display: block; max-width: 52rem; min-width: 36rem; height: auto; }}
.scroll {{ overflow-x: auto; }}
table.units {{ min-width: 34rem; }}
figure.chart svg text {{ fill: #111; font-family: {_FONTS}; }}
.chart-data summary {{ cursor: pointer; color: #0b4f9c; font-size: .9rem; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }}
table.data {{ width: auto; min-width: 24rem; font-size: .95rem; }}
caption {{ text-align: left; font-weight: bold; padding: .25rem 0; }}
th, td {{ border: 1px solid #b8c2cf; padding: .35rem .6rem; text-align: left;
  vertical-align: top; }}
thead th {{ background: #eef2f7; }}
tbody th {{ font-weight: normal; }}
tfoot th, tfoot td {{ font-weight: bold; background: #f7f9fb; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.code {{ white-space: nowrap; font-variant-numeric: tabular-nums; }}
footer {{ margin-top: 3rem; font-size: .85rem; color: #444; text-align: center; }}
@page {{ size: A4; margin: 18mm 16mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 11pt; }}
  .skip, #search, nav.years, .chart-data {{ display: none !important; }}
  a {{ color: inherit; text-decoration: none; }}
  h2 {{ border-bottom-color: #000; break-after: avoid; }}
  figure.chart, tr {{ break-inside: avoid; }}
  .scroll {{ overflow: visible; }}
  figure.chart svg, table.units {{ min-width: 0; }}
  thead {{ display: table-header-group; }}
  thead th, tfoot th, tfoot td {{ background: none; }}
  th, td {{ border-color: #000; }}
}}
""".strip()

NO_YEAR = "年度未注明"


def default_title(entries: Sequence[Entry]) -> str:
    """``2024年度项目支出绩效目标公开``, ``2019—2024年度…`` over several years."""
    years = sorted({e.year for e in entries if e.year})
    span = (
        "" if not years else f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度"
    )
    return f"{span}项目支出绩效目标公开"


def _colour(kind: str) -> str:
    if kind == UNSTATED:
        return NEUTRAL
    keys = [f.key for f in R.FIELDS if f.level == "funding" and f.dimension == "source"]
    index = keys.index(kind) if kind in keys else len(keys)
    return PALETTE[index % len(PALETTE)]


def _amount(value: Decimal | None) -> str:
    return money(value) if value is not None else "—"


def _total(entries: Sequence[Entry]) -> Decimal | None:
    amounts = [e.total for e in entries if e.total is not None]
    return add_up(amounts) if amounts else None


def _years(entries: Sequence[Entry]) -> list[tuple[str | None, list[tuple[int, Entry]]]]:
    """(year, [(page number, entry)]) newest first, files without a year last; ``entries``
    must already be in :func:`ordered` order."""
    groups: dict[str | None, list[tuple[int, Entry]]] = {}
    for number, entry in enumerate(entries):
        groups.setdefault(entry.year, []).append((number, entry))
    return list(groups.items())


def ordered(entries: Sequence[Entry]) -> list[Entry]:
    """The index's order (and so the search's page numbers): newest year first, then by unit
    code, name and path."""
    dated = sorted((e for e in entries if e.year), key=lambda e: e.sort_key)
    dated.sort(key=lambda e: _year_key(e.year), reverse=True)
    return [*dated, *sorted((e for e in entries if not e.year), key=lambda e: e.sort_key)]


def _year_key(year: str | None) -> tuple[int, str]:
    text = year or ""
    return (int(text), text) if text.isdigit() else (-1, text)


def _year_id(year: str | None, index: int) -> str:
    """The section's id: ``y2024``; ``y-none`` without a year; ``y-3`` for a year that is
    not a number (the section's place, so the same sources give the same ids)."""
    if year and year.isdigit():
        return f"y{year}"
    return f"y-{index}" if year else "y-none"


def _heading(year: str | None) -> str:
    return f"{escape(year)}年度" if year else NO_YEAR


def _source_chart(chart_id: str, year: str | None, entries: Sequence[Entry]) -> str:
    sums: dict[str, list[Decimal]] = {}
    for entry in entries:
        for kind, amount in entry.sources:
            sums.setdefault(kind, []).append(amount)
    if not sums:
        return ""
    rank = [f.key for f in R.FIELDS if f.level == "funding" and f.dimension == "source"]
    kinds = sorted(sums, key=lambda k: rank.index(k) if k in rank else len(rank))
    # (a source every line of which is 0 is written, not money: it has no bar)
    bars = [Bar(source_label(k), add_up(sums[k]), _colour(k)) for k in kinds if add_up(sums[k])]
    if not bars:
        return ""
    when = f"{year}年度" if year else NO_YEAR
    return bar_chart(chart_id, f"{when}预算数按资金来源", bars, "资金来源", SITE_UNIT)


def _unit_label(entry: Entry, others: Sequence[Entry]) -> str:
    """The unit's name; where one unit has several files in a year, with the table's kind,
    else its file's name, so that no two bars read the same."""
    same = [e for e in others if e.unit_name == entry.unit_name]
    if len(same) == 1:
        return entry.unit_name
    if [e.table_title for e in same].count(entry.table_title) == 1:
        return f"{entry.unit_name}（{entry.table_title}）"
    return f"{entry.unit_name}（{entry.relative.stem}）"


def _unit_chart(chart_id: str, year: str | None, entries: Sequence[Entry]) -> str:
    funded = [e for e in entries if e.total is not None]
    if len(funded) < 2:
        return ""
    bars = [Bar(_unit_label(e, funded), e.total) for e in funded if e.total is not None]
    when = f"{year}年度" if year else NO_YEAR
    return bar_chart(chart_id, f"{when}各单位预算数", bars, "单位", SITE_UNIT)


def _year_chart(groups: list[tuple[str | None, list[tuple[int, Entry]]]]) -> str:
    bars = []
    for year, numbered in groups:
        total = _total([e for _n, e in numbered])
        if total is not None:
            bars.append(Bar(f"{year}年度" if year else NO_YEAR, total))
    if len(bars) < 2:
        return ""
    return bar_chart("chart-years", "各年度预算数", bars, "年度", SITE_UNIT, shares=False)


def _row(number: int, entry: Entry) -> str:
    code = escape(entry.unit_code or "")
    return (
        f'<tr data-page="{number}"><td class="code">{code}</td>'
        f'<th scope="row"><a href="{escape(entry.href)}">{escape(entry.unit_name)}</a></th>'
        f"<td>{escape(entry.table_title)}</td>"
        f'<td class="num">{len(entry.projects)}</td>'
        f'<td class="num">{_amount(entry.total)}</td></tr>\n'
    )


def _section(index: int, year: str | None, numbered: list[tuple[int, Entry]]) -> str:
    entries = [e for _n, e in numbered]
    sid = _year_id(year, index)
    heading = _heading(year)
    units = len({(e.unit_code or "", e.unit_name) for e in entries})
    projects = sum(len(e.projects) for e in entries)
    total = _total(entries)
    summary = (
        f"{units} 个单位，{len(entries)} 张表，{projects} 个项目；"
        f"预算数合计 {_amount(total)} {SITE_UNIT}。"
    )
    rows = "".join(_row(n, e) for n, e in numbered)
    charts = _source_chart(f"chart-{sid}-sources", year, entries) + _unit_chart(
        f"chart-{sid}-units", year, entries
    )
    return (
        f'<section class="year" id="{sid}" aria-labelledby="{sid}-h">\n'
        f'<h2 id="{sid}-h">{heading}</h2>\n'
        f'<p class="year-summary">{summary}</p>\n'
        f"{charts}"
        f'<div class="scroll">\n<table class="units">\n<caption>{heading}各单位绩效目标表</caption>\n'
        '<thead><tr><th scope="col">单位编码</th><th scope="col">单位</th>'
        f'<th scope="col">表格</th><th scope="col" class="num">项目数</th>'
        f'<th scope="col" class="num">预算数（{SITE_UNIT}）</th></tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n"
        f'<tfoot><tr><th scope="row" colspan="3">合计</th><td class="num">{projects}</td>'
        f'<td class="num">{_amount(total)}</td></tr></tfoot>\n'
        "</table>\n</div>\n</section>\n"
    )


def index_html(entries: Sequence[Entry], title: str, timestamp: datetime) -> bytes:
    """The index of ``entries`` (in :func:`ordered` order: the search's page numbers)."""
    groups = _years(entries)
    units = len({(e.unit_code or "", e.unit_name) for e in entries})
    projects = sum(len(e.projects) for e in entries)
    when = timestamp.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = f"共 {units} 个单位的 {len(entries)} 张绩效目标表，{projects} 个项目。"
    if len(groups) == 1:
        summary += f"预算数合计 {_amount(_total(entries))} {SITE_UNIT}。"
    years_nav = ""
    if len(groups) > 1:
        links = "".join(
            f'<li><a href="#{_year_id(year, i)}">{_heading(year)}</a></li>'
            for i, (year, _n) in enumerate(groups)
        )
        years_nav = f'<nav class="years" aria-label="年度"><ul>{links}</ul></nav>\n'
    sections = "".join(_section(i, year, numbered) for i, (year, numbered) in enumerate(groups))
    overview = _year_chart(groups)
    overview = (
        f'<section id="overview" aria-labelledby="overview-h">\n<h2 id="overview-h">'
        f"历年预算</h2>\n{overview}</section>\n"
        if overview
        else ""
    )
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="perfdsl site">\n'
        f'<meta name="dcterms.modified" content="{when}">\n'
        f"<title>{escape(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        '<a class="skip" href="#units">跳到单位列表</a>\n'
        f'<header>\n<h1>{escape(title)}</h1>\n<p class="summary">{summary}</p>\n</header>\n'
        '<form id="search" role="search" hidden>\n'
        '<label for="q">搜索单位、项目或指标</label>'
        '<input id="q" type="search" autocomplete="off" placeholder="如：办案业务费、满意度" '
        'aria-describedby="search-status">\n'
        '<p id="search-status" role="status" aria-live="polite"></p>\n'
        '<ol id="hits"></ol>\n</form>\n'
        f"{years_nav}"
        f'<main id="units">\n{overview}{sections}</main>\n'
        f"<footer>金额单位：{SITE_UNIT}；金额为各表预算数之和，按原表数字精确相加，"
        "占比四舍五入到 0.1%。由 perfdsl 生成。</footer>\n"
        '<script src="search.js"></script>\n'
        f"<script>\n{SCRIPT}\n</script>\n"
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")

"""A whole change (many files) for a reviewer: a line per file, its changes, the money.

Each file opens with one summary line: its path, what happened to it (修改/新增/删除/改名)
and its count of changes, with its budgets before and after; its change lines follow as
``perfdsl diff`` prints one file's.  The last line adds up the change: files by what happened
to them, and the budgets of every file before and after, exactly, in one money unit.

The same three formats as one file's: text, Markdown (a table of files, then each file's
tables) and JSON (``files``, each as one file's JSON, and ``summary``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import click

from perfdsl.diff.changeset import ADDED, MODIFIED, REMOVED, RENAMED, FileDiff, Totals, totals
from perfdsl.diff.model import Delta
from perfdsl.diff.render import (
    JSON_VERSION,
    change_to_json,
    counts,
    render_markdown,
    render_text,
    summary,
)
from perfdsl.output import json_text, printable
from perfdsl.values import format_decimal

_WORDS = {
    "zh": {
        ADDED: "新增",
        REMOVED: "删除",
        MODIFIED: "修改",
        RENAMED: "改名",
        "form_only": "只改了写法，内容无改动",
        "name_only": "只改了文件名，内容无改动",
        "unchanged": "（未变）",
        "budget": "预算 {money}",
        "files": "共 {n} 个文件有改动",
        "form_files": "另有 {n} 个文件内容无改动",
        "nothing": "表格内容没有改动（{n} 个文件只改了写法或文件名）",
        "total": "预算合计 {money}",
        "sep": "，",
        "semi": "；",
        "colon": "：",
        "open": "（",
        "close": "）",
        "title": "本次改动",
        "file": "文件",
        "status": "状态",
        "changes": "改动",
        "old": "原预算",
        "new": "新预算",
        "delta": "增减",
    },
    "en": {
        ADDED: "added",
        REMOVED: "removed",
        MODIFIED: "modified",
        RENAMED: "renamed",
        "form_only": "formatting only, no change to the tables",
        "name_only": "renamed only, no change to the tables",
        "unchanged": " (unchanged)",
        "budget": "budget {money}",
        "files": "{n} file(s) changed",
        "form_files": "{n} more with no change to the tables",
        "nothing": "no change to the tables ({n} file(s) changed in form or name only)",
        "total": "budgets in all {money}",
        "sep": ", ",
        "semi": "; ",
        "colon": ": ",
        "open": " (",
        "close": ")",
        "title": "Changes",
        "file": "File",
        "status": "Status",
        "changes": "Changes",
        "old": "Old budget",
        "new": "New budget",
        "delta": "Delta",
    },
}

_STATUSES = (MODIFIED, ADDED, REMOVED, RENAMED)


def _w(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "zh"]


def _money(old: Decimal | None, new: Decimal | None, unit: str, w: dict[str, str]) -> str:
    """``146.00 → 150.00 万元 (+4.00万元)``; one side alone for a file added or removed."""
    if old is None and new is None:
        return ""
    if old is None or new is None:
        return f"{format_decimal(new if old is None else old)}{unit}"  # type: ignore[arg-type]
    if new == old:
        return f"{format_decimal(new)}{unit}{w['unchanged']}"
    return f"{format_decimal(old)} → {format_decimal(new)} {unit} ({Delta(new - old, unit).text})"


def file_line(f: FileDiff, lang: str) -> str:
    """``2025/X.pdsl（修改）：共 3 处改动（修改 3）；预算 146.00 → 150.00 万元 (+4.00万元)``."""
    w = _w(lang)
    head = f"{f.pair.name}{w['open']}{w[f.pair.status]}{w['close']}{w['colon']}"
    if f.changes:
        body = summary(f.changes, lang)
    else:
        body = w["name_only"] if f.pair.status == RENAMED else w["form_only"]
    money = _money(f.old_total, f.new_total, f.unit, w)
    if money and (f.changes or f.old_total != f.new_total):
        body += w["semi"] + w["budget"].format(money=money)
    return printable(head + body)


def total_line(files: Sequence[FileDiff], lang: str) -> str:
    """``共 3 个文件有改动（修改 2，新增 1）；预算合计 … (+…)``."""
    w = _w(lang)
    real = [f for f in files if f.changes]
    if not real:
        return w["nothing"].format(n=len(files))
    parts = [
        f"{w[status]} {n}"
        for status in _STATUSES
        if (n := sum(f.pair.status == status for f in real))
    ]
    line = w["files"].format(n=len(real))
    if parts:
        line += w["open"] + w["sep"].join(parts) + w["close"]
    if form := len(files) - len(real):
        line += w["sep"] + w["form_files"].format(n=form)
    money = totals(real)  # (a file changed only in form adds the same on both sides)
    if money is not None:
        line += w["semi"] + w["total"].format(money=_money(money.old, money.new, money.unit, w))
    return line


def render_changeset_text(files: Sequence[FileDiff], lang: str, color: bool = False) -> str:
    if not files:
        return ""
    out: list[str] = []
    for f in files:
        line = file_line(f, lang)
        out.append(click.style(line, bold=True) if color else line)
        if f.changes:
            body = render_text(f.changes, lang, color=color)
            out.append(body.split("\n\n")[0])  # its lines, not its own summary line
        out.append("")
    out.append(total_line(files, lang))
    return "\n".join(out) + "\n"


def render_changeset_markdown(files: Sequence[FileDiff], lang: str) -> str:
    if not files:
        return ""
    w = _w(lang)
    out = [f"## {w['title']}", "", total_line(files, lang), ""]
    out.append(
        f"| {w['file']} | {w['status']} | {w['changes']} | {w['old']} | {w['new']} | {w['delta']} |"
    )
    out.append("| --- | --- | ---: | ---: | ---: | ---: |")
    for f in files:
        old = "" if f.old_total is None else f"{format_decimal(f.old_total)}{f.unit}"
        new = "" if f.new_total is None else f"{format_decimal(f.new_total)}{f.unit}"
        delta = ""
        if f.old_total is not None and f.new_total is not None and f.old_total != f.new_total:
            delta = Delta(f.new_total - f.old_total, f.unit).text
        cells = (f"`{f.pair.name}`", w[f.pair.status], str(len(f.changes)), old, new, delta)
        out.append("| " + " | ".join(printable(c).replace("|", "\\|") for c in cells) + " |")
    out.append("")
    for f in files:
        if f.changes:
            old = f.pair.old.name if f.pair.old else None
            new = f.pair.new.name if f.pair.new else None
            out.append(render_markdown(f.changes, lang, old, new))
    return "\n".join(out)


def _total_json(money: Totals | None) -> dict[str, str] | None:
    if money is None:
        return None
    return {
        "unit": money.unit,
        "old": format_decimal(money.old),
        "new": format_decimal(money.new),
        "delta": format_decimal(money.new - money.old),
    }


def render_changeset_json(files: Sequence[FileDiff]) -> str:
    def one(f: FileDiff) -> dict[str, object]:
        return {
            "status": f.pair.status,
            "old": f.pair.old.name if f.pair.old else None,
            "new": f.pair.new.name if f.pair.new else None,
            "changes": [change_to_json(c) for c in f.changes],
            "summary": counts(f.changes),
            "budget": _total_json(
                Totals(f.unit, f.old_total or Decimal(0), f.new_total or Decimal(0))
                if f.old_total is not None or f.new_total is not None
                else None
            ),
        }

    statuses = {s: sum(f.pair.status == s for f in files) for s in _STATUSES}
    document = {
        "version": JSON_VERSION,
        "files": [one(f) for f in files],
        "summary": {
            "files": {**statuses, "total": len(files)},
            "changes": sum(len(f.changes) for f in files),
            "budget": _total_json(totals([f for f in files if f.changes])),
        },
    }
    return json_text(document, indent=2) + "\n"

"""Three ways to show a list of changes: a terminal, a merge-request comment, a machine.

* text: one line per change, its full path first (so ``grep 办案业务费`` finds every change
  to a project), coloured only when asked (the command asks when stdout is a terminal);
* markdown: a heading per project and a table of its changes, for pasting into, or posting
  as, a merge-request comment;
* json: every change with its path as a list, the exact old and new cells and the delta as
  a decimal string, under a ``version`` so consumers can tell when the shape changes.

No changes: text and Markdown print nothing at all (so "formatting only" is silent); JSON
still prints a document, with an empty ``changes`` list, because a machine wants an answer.

Names and values come from the sources, so text and Markdown show them through
:func:`perfdsl.output.printable` (an escape sequence is shown, never acted on, and a
multi-line value stays on its change's line) and JSON is written by
:func:`perfdsl.output.json_text`.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from perfdsl.diff.model import OTHER, Change, Kind, ProjectKey
from perfdsl.output import json_text, printable
from perfdsl.values import format_decimal

#: Bumped when the JSON shape changes in a way that could break a consumer.
JSON_VERSION = 1

SEPARATOR = " › "

_MARKERS = {
    Kind.ADDED: ("+", "green"),
    Kind.REMOVED: ("-", "red"),
    Kind.CHANGED: ("±", "yellow"),
    Kind.RENAMED: ("~", "cyan"),
    Kind.MOVED: ("⇄", "cyan"),
    Kind.REORDERED: ("⇅", "blue"),
}

_WORDS = {
    "zh": {
        "empty": "（空）",
        "other": "有改动（未能逐项列出）",
        "renamed_to": "改名为 {new}",
        "moved": "从 {old} 移到 {new}",
        "after": "排在 {name} 之后",
        "first": "排在最前",
        "project_added": "新增项目",
        "project_removed": "删除项目",
        "budget": "预算数 {amount}",
        "whole_project": "（整个项目）",
        "header": "表头",
        "project": "项目 {name}",
        "where": "位置",
        "old": "原",
        "new": "新",
        "note": "说明",
        "note_renamed": "改名",
        "note_moved": "移动",
        "note_reordered": "行序调整",
        "note_added": "新增",
        "note_removed": "删除",
        "title": "绩效目标表改动：{unit}",
        "total": "共 {n} 处改动",
        "sep": "，",
        "open": "（",
        "close": "）",
        "kinds": {
            Kind.CHANGED: "修改 {n}",
            Kind.ADDED: "新增 {n}",
            Kind.REMOVED: "删除 {n}",
            Kind.RENAMED: "改名 {n}",
            Kind.MOVED: "移动 {n}",
            Kind.REORDERED: "调整顺序 {n}",
        },
    },
    "en": {
        "empty": "(empty)",
        "other": "changed (not itemised)",
        "renamed_to": "renamed to {new}",
        "moved": "moved from {old} to {new}",
        "after": "after {name}",
        "first": "first",
        "project_added": "project added",
        "project_removed": "project removed",
        "budget": "预算数 {amount}",
        "whole_project": "(whole project)",
        "header": "Header",
        "project": "项目 {name}",
        "where": "Where",
        "old": "Old",
        "new": "New",
        "note": "Note",
        "note_renamed": "renamed",
        "note_moved": "moved",
        "note_reordered": "reordered",
        "note_added": "added",
        "note_removed": "removed",
        "title": "Changes to the performance targets of {unit}",
        "total": "{n} change(s)",
        "sep": ", ",
        "open": " (",
        "close": ")",
        "kinds": {
            Kind.CHANGED: "{n} changed",
            Kind.ADDED: "{n} added",
            Kind.REMOVED: "{n} removed",
            Kind.RENAMED: "{n} renamed",
            Kind.MOVED: "{n} moved",
            Kind.REORDERED: "{n} reordered",
        },
    },
}


def _words(lang: str) -> dict:  # type: ignore[type-arg]
    return _WORDS["en" if lang == "en" else "zh"]


def summary(changes: Sequence[Change], lang: str = "zh") -> str:
    """``共 3 处改动（修改 2，新增 1）``."""
    w = _words(lang)
    counts = {kind: sum(c.kind is kind for c in changes) for kind in Kind}
    parts = [w["kinds"][kind].format(n=n) for kind, n in counts.items() if n]
    return w["total"].format(n=len(changes)) + w["open"] + w["sep"].join(parts) + w["close"]


def _cell(text: str | None, w: dict) -> str:  # type: ignore[type-arg]
    if text is None:
        return ""
    return text if text else w["empty"]


def _place(before: str | None, w: dict) -> str:  # type: ignore[type-arg]
    return w["first"] if before is None else w["after"].format(name=before)


def _is_other(change: Change) -> bool:
    return change.where == (OTHER,) and change.old is None and change.new is None


def _body(change: Change, w: dict) -> str:  # type: ignore[type-arg]
    """What happened, after the path: ``146.00 → 150.00 万元 (+4.00万元)``."""
    kind = change.kind
    if _is_other(change):
        return w["other"]
    if kind is Kind.RENAMED:
        return w["renamed_to"].format(new=change.new)
    if kind is Kind.MOVED:
        return w["moved"].format(old=change.old, new=change.new)
    if kind is Kind.REORDERED:
        return f"{_place(change.old, w)} → {_place(change.new, w)}"
    if not change.where and change.project is not None:  # a whole project
        label = w["project_added"] if kind is Kind.ADDED else w["project_removed"]
        amount = change.new if kind is Kind.ADDED else change.old
        return label + (w["sep"] + w["budget"].format(amount=amount) if amount else "")
    if kind is Kind.ADDED:
        return _cell(change.new, w)
    if kind is Kind.REMOVED:
        return _cell(change.old, w)
    text = f"{_cell(change.old, w)} → {_cell(change.new, w)}"
    if change.money_unit:
        text += f" {change.money_unit}"
    if change.delta is not None:
        text += f" ({change.delta.text})"
    return text


def render_text(changes: Sequence[Change], lang: str = "zh", color: bool = False) -> str:
    """One line per change, ``± 单位 › 项目 › … : old → new``, then a summary line."""
    if not changes:
        return ""
    w = _words(lang)
    lines = []
    for change in changes:
        marker, colour = _MARKERS[change.kind]
        path = printable(SEPARATOR.join(change.path))
        if color:
            marker = click.style(marker, fg=colour, bold=True)
            path = click.style(path, bold=True)
        lines.append(f"{marker} {path}: {printable(_body(change, w))}")
    lines += ["", summary(changes, lang)]
    return "\n".join(lines) + "\n"


# --- markdown ----------------------------------------------------------------------------------

_MD_ESCAPES = str.maketrans(
    {
        "|": "\\|",
        "\\": "\\\\",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "<": "&lt;",
        ">": "&gt;",
        "\n": "<br>",
        "\r": "",
    }
)


def _md(text: str) -> str:
    # Newlines become <br> first; any other control character is then shown as an escape.
    return printable(text.translate(_MD_ESCAPES).strip())


def _md_row(change: Change, w: dict) -> tuple[str, str, str, str]:  # type: ignore[type-arg]
    """(where, old, new, note) cells of one change, below its project."""
    where = SEPARATOR.join(change.where) if change.where else w["whole_project"]
    kind = change.kind
    if _is_other(change):
        return where, "", "", w["other"]
    if kind is Kind.REORDERED:
        return where, _place(change.old, w), _place(change.new, w), w["note_reordered"]
    if kind is Kind.RENAMED:
        return where, _cell(change.old, w), _cell(change.new, w), w["note_renamed"]
    if kind is Kind.MOVED:
        return where, _cell(change.old, w), _cell(change.new, w), w["note_moved"]
    old, new = _cell(change.old, w), _cell(change.new, w)
    if change.money_unit:
        old, new = f"{old}{change.money_unit}", f"{new}{change.money_unit}"
    if not change.where and kind in (Kind.ADDED, Kind.REMOVED):
        amount = change.new if kind is Kind.ADDED else change.old
        cell = w["budget"].format(amount=amount) if amount else ""
        note = w["note_added"] if kind is Kind.ADDED else w["note_removed"]
        return (where, "", cell, note) if kind is Kind.ADDED else (where, cell, "", note)
    note = change.delta.text if change.delta is not None else ""
    if kind is Kind.ADDED:
        return where, "", new, note or w["note_added"]
    if kind is Kind.REMOVED:
        return where, old, "", note or w["note_removed"]
    return where, old, new, note


def render_markdown(
    changes: Sequence[Change],
    lang: str = "zh",
    old_name: str | None = None,
    new_name: str | None = None,
) -> str:
    """A heading, a summary line, then a table per project (and one for the header)."""
    if not changes:
        return ""
    w = _words(lang)
    groups: dict[ProjectKey | None, list[Change]] = {}
    if any(c.project is None for c in changes):
        groups[None] = []
    for change in changes:
        groups.setdefault(change.project, []).append(change)
    out = [f"### {_md(w['title'].format(unit=changes[0].unit))}", ""]
    line = summary(changes, lang)
    if old_name and new_name:
        names = f"`{printable(old_name)}` → `{printable(new_name)}`"
        line = f"{names}{'：' if lang != 'en' else ': '}{line}"
    out += [line, ""]
    for project, items in groups.items():
        heading = w["header"] if project is None else w["project"].format(name=project.label)
        out += [f"#### {_md(heading)}", ""]
        out.append(f"| | {w['where']} | {w['old']} | {w['new']} | {w['note']} |")
        out.append("| --- | --- | --- | --- | --- |")
        for change in items:
            cells = (_MARKERS[change.kind][0], *_md_row(change, w))
            out.append("| " + " | ".join(_md(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out)


# --- json ------------------------------------------------------------------------------------


def change_to_json(change: Change) -> dict[str, object]:
    project = change.project
    return {
        "kind": change.kind.value,
        "path": list(change.path),
        "project": None
        if project is None
        else {"name": project.name, "occurrence": project.occurrence},
        "where": list(change.where),
        "old": change.old,
        "new": change.new,
        "money_unit": change.money_unit,
        "delta": None
        if change.delta is None
        else {
            "amount": format_decimal(change.delta.amount),
            "unit": change.delta.unit,
            "text": change.delta.text,
        },
    }


def counts(changes: Sequence[Change]) -> dict[str, int]:
    """How many changes of each kind, and in all, as the JSON ``summary`` gives them."""
    by_kind = {kind.value: sum(c.kind is kind for c in changes) for kind in Kind}
    return {**by_kind, "total": len(changes)}


def render_json(
    changes: Sequence[Change], old_name: str | None = None, new_name: str | None = None
) -> str:
    document = {
        "version": JSON_VERSION,
        "old": old_name,
        "new": new_name,
        "changes": [change_to_json(c) for c in changes],
        "summary": counts(changes),
    }
    return json_text(document, indent=2) + "\n"

"""Inline suppression: ``# perfdsl: ignore[rule-name, PD5005]``.

On the line of a finding, it silences that finding; on a project's line (``项目 X:  # perfdsl:
ignore[...]``) it silences the rule for the whole project.  Rules are named as for ``--ignore``
(:mod:`perfdsl.check.selection`): a code, a code's or a rule's name, or a code prefix.  A suppression that silences nothing is reported (PD6001), so a stale one cannot
hide a new problem later; naming a rule that does not exist, or a language error, is PD6002.
"""

from __future__ import annotations

import re

import attrs

from perfdsl import ast
from perfdsl.check.selection import SelectorError, resolve
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C

_PATTERN = re.compile(r"#\s*perfdsl\s*:\s*ignore\s*\[([^\]]*)\]", re.I)


@attrs.define
class _Suppression:
    comment: ast.Comment
    rules: list[str]  # codes
    first_line: int
    last_line: int
    used: set[str] = attrs.field(factory=set)


def _project_ranges(document: ast.Document) -> dict[int, int]:
    """Project header line → the last line of that project."""
    starts = [p.span.line for p in document.projects]
    ranges: dict[int, int] = {}
    for i, start in enumerate(starts):
        ranges[start] = starts[i + 1] - 1 if i + 1 < len(starts) else 10**9
    return ranges


def apply_suppressions(found: list[Diagnostic], document: ast.Document) -> list[Diagnostic]:
    projects = _project_ranges(document)
    suppressions: list[_Suppression] = []
    problems: list[Diagnostic] = []
    for comment in document.comments:
        match = _PATTERN.search(comment.text)
        if match is None:
            continue
        codes: list[str] = []
        for name in (part.strip() for part in match.group(1).split(",")):
            if not name:
                continue
            try:
                codes.extend(c for c in sorted(resolve(name)) if c not in codes)
            except SelectorError as exc:
                problems.append(
                    C.UNKNOWN_RULE.at(
                        comment.span,
                        Msg(
                            f"无法忽略：{exc.message.zh}",
                            f"cannot suppress: {exc.message.en}",
                        ),
                        help=Msg(
                            "`perfdsl explain` 列出所有规则", "`perfdsl explain` lists the rules"
                        ),
                    )
                )
        if not codes:
            continue
        line = comment.span.line
        last = projects.get(line, line) if comment.trailing else line
        suppressions.append(_Suppression(comment, codes, line, last))

    kept: list[Diagnostic] = []
    for diagnostic in found:
        span = diagnostic.span
        hit = None
        if span is not None:
            for s in suppressions:
                if diagnostic.code in s.rules and s.first_line <= span.line <= s.last_line:
                    hit = s
                    break
        if hit is None:
            kept.append(diagnostic)
        else:
            hit.used.add(diagnostic.code)
    for s in suppressions:
        for code in s.rules:
            if code not in s.used:
                name = C.REGISTRY[code].name
                where = (
                    Msg("这个项目", "this project")
                    if s.last_line > s.first_line
                    else Msg("这一行", "this line")
                )
                kept.append(
                    C.UNUSED_SUPPRESSION.at(
                        s.comment.span,
                        Msg(
                            f"{where.zh}没有 `{name}` 的问题，这条忽略注释没有起作用",
                            f"{where.en} has no `{name}` finding; the suppression does nothing",
                        ),
                        help=Msg("删掉它", "remove it"),
                    )
                )
    return kept + problems

"""``perfdsl explain CODE``: the long explanation behind a diagnostic code."""

from __future__ import annotations

import click

from perfdsl.diagnostics import codes as C
from perfdsl.output import say


def describe(entry: C.Code, lang: str) -> str:
    if lang == "en":
        kind = "rule (can be suppressed)" if entry.suppressible else "language"
        lines = [
            f"{entry.code} {entry.name}: {entry.title.en}",
            f"severity: {entry.severity.value}; {kind}",
            "",
            entry.explanation.en,
        ]
        if entry.suppressible:
            lines += ["", f"Suppress on a line or a project with: # perfdsl: ignore[{entry.name}]"]
    else:
        kind = "检查规则（可以忽略）" if entry.suppressible else "语言规则"
        severity = {"error": "错误", "warning": "警告", "note": "提示"}[entry.severity.value]
        lines = [
            f"{entry.code} {entry.name}：{entry.title.zh}",
            f"级别：{severity}；{kind}",
            "",
            entry.explanation.zh,
        ]
        if entry.suppressible:
            lines += ["", f"在该行或项目行末尾写 # perfdsl: ignore[{entry.name}] 可忽略。"]
    return "\n".join(lines)


def run_explain(code: str | None, lang: str) -> int:
    if code is None:
        for entry in C.REGISTRY.values():
            click.echo(
                f"{entry.code}  {entry.severity.value:<7}  {entry.name:<28} {entry.title.get(lang)}"
            )
        return 0
    entry = C.lookup(code)
    if entry is None:
        say(
            {
                "zh": f"没有 {code} 这个诊断代码；`perfdsl explain` 列出全部",
                "en": f"no diagnostic code {code}; `perfdsl explain` lists them all",
            }[lang]
        )
        return 2
    click.echo(describe(entry, lang))
    return 0

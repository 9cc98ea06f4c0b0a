"""The checker: rules that read a parsed document and report what a reviewer would flag.

Each rule is a function ``(Context) -> Iterable[Diagnostic]`` registered with :func:`rule`;
rules are grouped by family in the modules of this package.  A rule never raises: if one fails
internally, :func:`run` reports PD9001 for that rule and the other rules still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from perfdsl import ast
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C


@attrs.frozen
class Context:
    document: ast.Document


RuleFn = Callable[[Context], Iterable[Diagnostic]]
RULES: list[tuple[str, RuleFn]] = []


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES.append((name, fn))
        return fn

    return register


def run(context: Context) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for name, fn in RULES:
        try:
            found.extend(fn(context))
        except Exception as exc:
            found.append(
                C.INTERNAL.at(
                    None,
                    Msg(
                        f"检查规则 {name} 内部出错：{type(exc).__name__}: {exc}",
                        f"rule {name} failed internally: {type(exc).__name__}: {exc}",
                    ),
                )
            )
    return found

"""Which rule findings are reported: ``--select``/``--ignore``, ``select``/``ignore`` in the
configuration, and (through :func:`resolve`) ``# perfdsl: ignore[...]`` comments.

A selector names codes in one of four ways, as ruff's do: a code (``PD5005``), a code's name
(``vague-wording``), a rule's name (``framework-categories``, every code that rule emits) or a
code prefix (``PD5``, ``PD30``).  Only codes a reviewer may waive are selectable
(:attr:`~perfdsl.diagnostics.codes.Code.suppressible`); the language's errors, an unknown
framework or layout always report, so ``check`` and ``build`` judge a file alike under any
option.  A selector that names nothing selectable is an error with a did-you-mean, never a
silent no-op.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from perfdsl.diagnostics import Msg
from perfdsl.diagnostics import codes as C
from perfdsl.suggest import suggest


class SelectorError(Exception):
    """A selector that names no selectable rule."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def _rule_codes() -> dict[str, tuple[str, ...]]:
    """Rule name → the selectable codes it emits."""
    from perfdsl.check import RULES

    return {r.name: tuple(c for c in r.codes if C.REGISTRY[c].suppressible) for r in RULES}


def selectable() -> tuple[str, ...]:
    """Every code a selector may name, in registry order."""
    return tuple(code for code, entry in C.REGISTRY.items() if entry.suppressible)


def resolve(selector: str) -> frozenset[str]:
    """The selectable codes ``selector`` names; :class:`SelectorError` when there are none."""
    text = selector.strip()
    entry = C.lookup(text)
    if entry is not None:
        if not entry.suppressible:
            raise SelectorError(
                Msg(
                    f"`{text}`（{entry.code} {entry.name}）不是可以忽略或单独选择的检查规则："
                    "语言错误、未知的指标体系和版式总会报告",
                    f"`{text}` ({entry.code} {entry.name}) is not a rule that can be selected or "
                    "ignored: language errors and unknown frameworks or layouts always report",
                )
            )
        return frozenset((entry.code,))
    rules = _rule_codes()
    if rules.get(text.lower()):
        return frozenset(rules[text.lower()])
    prefix = text.upper()
    if prefix.startswith("PD") and prefix[2:].isdigit():
        found = frozenset(code for code in selectable() if code.startswith(prefix))
        if found:
            return found
    names = [*(C.REGISTRY[c].name for c in selectable()), *(n for n, c in rules.items() if c)]
    guess = suggest(text, names) or suggest(text, list(selectable()))
    raise SelectorError(
        Msg(
            f"没有名为 `{text}` 的检查规则" + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"there is no rule `{text}`" + (f"; did you mean `{guess}`?" if guess else ""),
        )
    )


@attrs.frozen
class Selection:
    """The codes to report, decided once per run from the command line and the configuration."""

    select: frozenset[str] | None = None  # None: every selectable code
    ignore: frozenset[str] = frozenset()

    def __contains__(self, code: str) -> bool:
        entry = C.REGISTRY.get(code)
        if entry is None or not entry.suppressible:
            return True
        if self.select is not None and code not in self.select:
            return False
        return code not in self.ignore


def _codes(selectors: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for selector in selectors:
        if selector.strip():
            found |= resolve(selector)
    return frozenset(found)


def compile_selection(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
    """A :class:`Selection`; raises :class:`SelectorError` for the first unknown selector."""
    chosen = [s for s in select if s.strip()]
    return Selection(_codes(chosen) if chosen else None, _codes(ignore))

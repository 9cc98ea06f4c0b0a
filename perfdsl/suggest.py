"""Did-you-mean: the closest known spelling to a misspelt key or indicator name."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int = 99) -> int:
    """Levenshtein distance by characters (a Chinese character is one edit)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word``, if it is near enough to be a plausible typo.

    A third of the longer word's length may differ (at least one character), so ``资金用户``
    suggests ``资金用途`` and ``budgte`` suggests ``budget``, but unrelated words suggest nothing.
    """
    best: tuple[int, str] | None = None
    folded = word.casefold()
    for candidate in candidates:
        limit = max(1, max(len(word), len(candidate)) // 3)
        distance = edit_distance(folded, candidate.casefold(), limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None

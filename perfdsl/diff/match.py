"""Which project of one version is which project of another, when names change a little.

A new year's file is last year's copied and edited: ``2024年高标准农田建设`` becomes
``2025年高标准农田建设``, ``办案业务费`` becomes ``办案业务经费``.  Projects are paired by
exact name first, then by name with the years taken out, then by close spelling (difflib's
ratio, greedily, best pair first), so a reviewer sees one project's changes instead of a
removal and an addition.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence

_YEAR = re.compile(r"(?:19|20)\d{2}(?:\s*[-—–~至]\s*(?:19|20)?\d{2})?\s*(?:年度|年)?")

#: How alike two names must be (difflib's ratio) to be the same project renamed.
CLOSE = 0.75


def stem(name: str) -> str:
    """A name without its years: ``2025年度高标准农田建设`` → ``高标准农田建设``."""
    return _YEAR.sub("", name).strip()


def pair_names(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of the names that are the same thing, in new's order."""
    pairs: dict[int, int] = {}  # new → old
    taken: set[int] = set()
    for key in (lambda n: n, stem):
        waiting: dict[str, list[int]] = defaultdict(list)
        for o, name in enumerate(old):
            if o not in taken:
                waiting[key(name)].append(o)
        for n, name in enumerate(new):
            if n in pairs:
                continue
            queue = waiting.get(key(name))
            if queue:
                o = queue.pop(0)
                pairs[n] = o
                taken.add(o)
    left_old = [o for o in range(len(old)) if o not in taken]
    left_new = [n for n in range(len(new)) if n not in pairs]
    # Close spellings: every remaining pair scored, the best taken first (few are left).
    if left_old and left_new and len(left_old) * len(left_new) <= 250_000:
        scored = []
        for n in left_new:
            matcher = difflib.SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(stem(new[n]))
            for o in left_old:
                matcher.set_seq1(stem(old[o]))
                if matcher.real_quick_ratio() >= CLOSE and matcher.quick_ratio() >= CLOSE:
                    ratio = matcher.ratio()
                    if ratio >= CLOSE:
                        scored.append((-ratio, n, o))
        for _ratio, n, o in sorted(scored):
            if n not in pairs and o not in taken:
                pairs[n] = o
                taken.add(o)
    return sorted(((o, n) for n, o in pairs.items()), key=lambda p: p[1])

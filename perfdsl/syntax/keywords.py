"""How keys are compared, and which language a key is written in.

The keywords themselves (what each key means at each level, in Chinese and in English, with
their aliases) are the field registry's (:mod:`perfdsl.standards.fields`); this module only
says when two spellings are the same key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from perfdsl.standards.fields import CATEGORY_ALIASES, CATEGORY_ENGLISH

__all__ = ["CATEGORY_ALIASES", "CATEGORY_ENGLISH", "fold", "is_english"]

#: Full-width ASCII (ｂｕｄｇｅｔ, Ｏｕｔｐｕｔ, ＿) and the ideographic space, as a Chinese input
#: method types them, to their ASCII forms.
_FULLWIDTH_ASCII: Final = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=4096)
def fold(key: str) -> str:
    """Compare keys without regard to ASCII case, '-'/'_'/space, or full-width letters.

    Cached: a file repeats the same few dozen keys (描述, 数量指标 …) thousands of times.
    """
    if not key.isascii():
        key = key.translate(_FULLWIDTH_ASCII)
    return key.casefold().replace("_", "-").replace(" ", "-")


def is_english(key: str) -> bool:
    return key.isascii() or key.translate(_FULLWIDTH_ASCII).isascii()

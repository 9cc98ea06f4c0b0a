"""docs/fields.md is generated from the field registry and kept in sync."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_field_list_is_generated_from_the_registry() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_field_docs import text

    assert (ROOT / "docs" / "fields.md").read_text(encoding="utf-8") == text(), (
        "run python scripts/gen_field_docs.py"
    )


def test_every_field_has_a_description_in_both_languages() -> None:
    from perfdsl.standards.fields import FIELDS

    missing = [f"{f.level}.{f.key}" for f in FIELDS if not (f.doc_zh and f.doc_en)]
    assert missing == []

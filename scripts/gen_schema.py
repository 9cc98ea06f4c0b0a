"""Write docs/perfdsl.schema.json from the field registry (tests/test_emit_json.py checks it)."""

from __future__ import annotations

import json
from pathlib import Path

from perfdsl.emit.schema import schema

ROOT = Path(__file__).resolve().parents[1]


def text() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "perfdsl.schema.json").write_text(text(), encoding="utf-8", newline="\n")
    print("wrote docs/perfdsl.schema.json")

"""docs/diagnostics/ is generated from the registry and the golden cases, and kept in sync."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_docs", ROOT / "scripts" / "gen_diagnostic_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_code_has_an_up_to_date_page():
    for path, text in _generator().pages().items():
        assert path.exists(), f"{path} is missing: run python scripts/gen_diagnostic_docs.py"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: regenerate it"

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED_EXAMPLE = EXAMPLES / "beichen-court-2024.pdsl"


@pytest.fixture(scope="session")
def seed_loaded():
    from perfdsl.load import load_file

    loaded = load_file(SEED_EXAMPLE)
    assert loaded.ok, loaded.diagnostics
    return loaded

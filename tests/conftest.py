from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The tests' caches (the compiled parser, check results) in a folder of their own: the
# user's cache is never written, and each test run starts from nothing.  Subprocesses the
# tests start inherit it.  Tests of the cache itself point it elsewhere.
if "PERFDSL_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["PERFDSL_CACHE_DIR"] = tempfile.mkdtemp(prefix="perfdsl-test-cache-")
# perfdsl speaks the locale's language when nothing else chooses (perfdsl.language): the
# tests expect the default, Chinese, whatever this machine's locale; a test of the locale
# sets its own.
os.environ["LC_ALL"] = "C.UTF-8"
EXAMPLES = ROOT / "examples"
SEED_EXAMPLE = EXAMPLES / "beichen-court-2024.pdsl"


@pytest.fixture(scope="session")
def seed_loaded():
    from perfdsl.load import load_file

    loaded = load_file(SEED_EXAMPLE)
    assert loaded.ok, loaded.diagnostics
    return loaded


def check_golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with the golden file ``path``; an update never passes by itself.

    With ``PERFDSL_UPDATE_GOLDEN=1`` a golden file that differs is rewritten and the test
    FAILS, naming it: the change is then reviewed in ``git diff`` like any other, and the next
    run (without the variable) passes only if the new file is kept.
    """
    exists = path.exists()
    expected = path.read_text(encoding="utf-8") if exists else None
    if actual == expected:
        return
    if os.environ.get("PERFDSL_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        pytest.fail(f"golden file {path} {'updated' if exists else 'created'}: review `git diff`")
    assert exists, f"no golden file {path}: run with PERFDSL_UPDATE_GOLDEN=1, then review it"
    assert actual == expected, f"differs from {path} (PERFDSL_UPDATE_GOLDEN=1 rewrites it)"


def _office_installed() -> bool:
    from perfdsl.emit.pdf import PdfUnavailable, find_office

    try:
        find_office()
    except PdfUnavailable:
        return False
    return True


#: Tests that print with LibreOffice: skipped without it, except under CI, which installs it
#: and sets PERFDSL_REQUIRE_OFFICE=1 so that a missing LibreOffice fails instead.
needs_office = pytest.mark.skipif(
    not _office_installed() and os.environ.get("PERFDSL_REQUIRE_OFFICE") != "1",
    reason="LibreOffice is not installed (CI installs it and sets PERFDSL_REQUIRE_OFFICE=1)",
)

"""How long ``perfdsl import`` takes on a Word file of many tables (not a timed test).

Builds the seed's first table repeated N times (default 100) to .docx, then imports it and
prints the seconds each step took.  Usage: ``python benchmarks/import_docx.py [N]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import attrs

from perfdsl.emit.docx import render_docx
from perfdsl.importer import import_file
from perfdsl.pipeline import CheckOptions, check_file

SEED = Path(__file__).resolve().parents[1] / "examples" / "beichen-court-2024.pdsl"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    checked = check_file(str(SEED), CheckOptions())
    document = checked.loaded.document
    assert document is not None
    projects = tuple(
        attrs.evolve(document.projects[i % len(document.projects)], name=f"项目{i + 1}")
        for i in range(count)
    )
    big = attrs.evolve(document, projects=projects)
    data = render_docx(big, checked.template(), datetime(2024, 1, 1, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "many.docx"
        path.write_bytes(data)
        start = time.perf_counter()
        result = import_file(str(path), checked.catalog)
        took = time.perf_counter() - start
    assert result.document is not None
    print(f"{count} tables, {len(data) / 1024:.0f} KiB docx: imported in {took:.2f} s")
    print(
        f"projects read back: {len(result.document.projects)}, leftovers: {len(result.report.leftovers)}"
    )


if __name__ == "__main__":
    main()

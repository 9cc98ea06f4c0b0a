"""Benchmark: render a synthetic N-project document to .docx (and HTML, for comparison).

    python benchmarks/build_docx.py [N ...]        (default: 1000)

The document repeats the seed's nine projects (examples/beichen-court-2024.pdsl) under new
names until it has N projects, built directly as an AST so only rendering is timed.  The
figure that matters is the docx one: python-docx's table.cell() is quadratic, and the
emitter must stay linear.  Each figure is the best of three runs, in seconds
(time.perf_counter); the docx size and a render-twice equality check are printed too.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import attrs

from perfdsl.ast import Document
from perfdsl.emit.docx import render_docx
from perfdsl.emit.html import render_html
from perfdsl.load import load_file
from perfdsl.standards.templates import get as get_template

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def synthetic(n: int) -> Document:
    document = load_file(SEED).document
    assert document is not None
    seed = document.projects
    projects = tuple(
        attrs.evolve(seed[i % len(seed)], name=f"{seed[i % len(seed)].name}-{i}") for i in range(n)
    )
    return attrs.evolve(document, projects=projects)


def best_of(runs: int, action) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(sizes: list[int]) -> None:
    layout = get_template(None)
    for n in sizes:
        document = synthetic(n)
        rows = sum(1 for p in document.projects for _ in p.iter_indicators())
        docx_time, data = best_of(3, lambda d=document: render_docx(d, layout, WHEN))
        html_time, _ = best_of(3, lambda d=document: render_html(d, layout, WHEN))
        same = render_docx(document, layout, WHEN) == data
        assert isinstance(data, bytes)
        print(
            f"{n:>6} projects, {rows:>6} indicator rows: docx {docx_time:6.2f} s "
            f"({len(data) / 1e6:.1f} MB, reproducible: {same}), html {html_time:6.2f} s"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])

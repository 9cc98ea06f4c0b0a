"""Benchmark: what syntax errors cost.  Checks N projects clean, then with K errors spread out.

    python benchmarks/error_recovery.py [N:K ...] [--repeat R]     (default: 2000:40 10000:50)

The document repeats the seed's nine projects (examples/beichen-court-2024.pdsl) under new
names until it has N projects; the broken copy drops the colon of K `资金用途:` lines spread
evenly through the file.  Both are written to a temporary directory, then loaded (the front
end: read, parse, build) and checked as ``perfdsl check`` checks a file (check_file: the
front end and, for the clean file only, the rules, which do not run after a syntax error).
The bar: a file with errors checks in under 3x the time of the same file clean.  Each figure
is the best of R runs (default 1), in seconds, measured with time.perf_counter; "reported"
counts the errors the check found in the broken file.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from perfdsl.commands.check import CheckOptions, check_file
from perfdsl.diagnostics import Severity
from perfdsl.load import load_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"
T = TypeVar("T")


def synthetic(n: int, k: int) -> str:
    """N renamed copies of the seed's projects, with K missing colons spread through them."""
    head, _, rest = SEED.read_text(encoding="utf-8").partition("\n项目 ")
    projects = ["项目 " + p for p in rest.split("\n\n项目 ")]
    out = [head.rstrip("\n"), ""]
    for i in range(n):
        first, _, body = projects[i % len(projects)].partition("\n")
        out.append(f"{first[:-1]}-{i:06d}:\n{body.rstrip()}\n")
    lines = "\n".join(out).split("\n")
    purposes = [i for i, line in enumerate(lines) if line.startswith("  资金用途:")]
    for i in purposes[:: max(1, len(purposes) // k)][:k] if k else []:
        lines[i] = lines[i].replace("资金用途:", "资金用途", 1)
    return "\n".join(lines)


def best(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The best time of ``repeat`` runs, and what the last run returned."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(directory: Path, n: int, k: int, repeat: int) -> None:
    clean, broken = directory / f"clean-{n}.pdsl", directory / f"errors-{n}-{k}.pdsl"
    clean.write_text(synthetic(n, 0), encoding="utf-8")
    broken.write_text(synthetic(n, k), encoding="utf-8")
    options = CheckOptions()
    load_clean, _ = best(lambda: load_file(clean), repeat)
    load_broken, _ = best(lambda: load_file(broken), repeat)
    check_clean, _ = best(lambda: check_file(str(clean), options), repeat)
    check_broken, checked = best(lambda: check_file(str(broken), options), repeat)
    reported = sum(1 for d in checked.diagnostics if d.severity is Severity.ERROR)
    print(
        f"{n:>9} {k:>6} {reported:>8}"
        f" {load_clean:>9.2f} {load_broken:>9.2f} {load_broken / load_clean:>6.2f}"
        f" {check_clean:>9.2f} {check_broken:>9.2f} {check_broken / check_clean:>6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["2000:40", "10000:50"], help="N:K")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(
        f"{'projects':>9} {'errors':>6} {'reported':>8}"
        f" {'load s':>9} {'+errors':>9} {'ratio':>6}"
        f" {'check s':>9} {'+errors':>9} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            n, _, k = size.partition(":")
            measure(Path(tmp), int(n), int(k or 0), args.repeat)


if __name__ == "__main__":
    main()

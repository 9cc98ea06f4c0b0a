"""Benchmark: what syntax errors cost.  Checks N projects clean, then with K errors spread out.

    python benchmarks/error_recovery.py [N:K ...] [--repeat R]     (default: 2000:40 10000:50)

The document repeats the seed's nine projects (examples/beichen-court-2024.pdsl) under new
names until it has N projects; the broken copy drops the colon of K `资金用途:` lines spread
evenly through the file (as /work/shared/repro/gen-errors-spread.py does).  Both are written
to a temporary directory and checked as ``perfdsl check`` checks a file (check_file), so the
figures include reading, parsing, building and, for the clean file, the rules (which do not
run on a file with syntax errors).  The front end (load_file) is timed on its own as well.
The bar: a file with errors checks in under 3x the time of the same file clean.  Each figure
is the best of R runs (default 1), in seconds, measured with time.perf_counter.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from perfdsl.commands.check import CheckOptions, check_file
from perfdsl.load import load_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"


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


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def errors_in(path: Path) -> int:
    return sum(1 for d in load_file(path).diagnostics if d.severity.value == "error")


def measure(directory: Path, n: int, k: int, repeat: int) -> None:
    clean, broken = directory / f"clean-{n}.pdsl", directory / f"errors-{n}-{k}.pdsl"
    clean.write_text(synthetic(n, 0), encoding="utf-8")
    broken.write_text(synthetic(n, k), encoding="utf-8")
    options = CheckOptions()
    load_clean = best(lambda: load_file(clean), repeat)
    load_broken = best(lambda: load_file(broken), repeat)
    check_clean = best(lambda: check_file(str(clean), options), repeat)
    check_broken = best(lambda: check_file(str(broken), options), repeat)
    print(
        f"{n:>9} {k:>6} {errors_in(broken):>8}"
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

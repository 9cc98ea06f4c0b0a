"""Benchmark: ``perfdsl check`` at a department's scale (a script run on demand, not a test).

    python benchmarks/workspace.py [--files 200] [--projects 50] [--big 10000] [--repeat 3]

1. A repository of FILES unit files in year folders (2024/, 2025/), each of PROJECTS
   projects (the seed's nine, renamed), checked as a user would, ``perfdsl check DIR`` in a
   fresh process: cold with 1 job and with 2 jobs (``--no-cache``), and warm (the same
   command again with the cache filled).  Targets: 2 jobs ≥ 1.7× faster than 1 on an idle
   machine of 2 cores or more; warm ≤ 10% of cold.
2. One file of BIG projects checked in-process (read, parse, rules), next to PyYAML's C
   loader reading the same content as YAML (benchmarks/parse_vs_yaml.py makes both).
   Target: ≤ 0.7× the C loader's time.
3. Start-up: ``perfdsl check --no-cache`` of the one-unit example in a fresh process,
   next to ``python -c "import lark"``.  Target: ≤ 2×.

Each figure is the best of REPEAT runs (start-up: of 15), in seconds (time.perf_counter).
The cache lives in a temporary folder (PERFDSL_CACHE_DIR), so the user's is not touched,
and byte-compiled files are written first, as an installed package has them.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402  (PyYAML: only the benchmarks need it)
from parse_vs_yaml import as_yaml, best, synthetic  # noqa: E402  (the same files and timing)


def unit_file(unit: int, year: int, projects: int) -> str:
    text = SEED.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n项目 ")
    blocks = ["项目 " + p for p in rest.split("\n\n项目 ")]
    head = head.replace("215101 天津市北辰区人民法院", f"{215000 + unit} 天津市第{unit}单位")
    head = head.replace("年度: 2024", f"年度: {year}")
    out = [head.rstrip("\n"), ""]
    for i in range(projects):
        first, _, body = blocks[i % len(blocks)].partition("\n")
        out.append(f"{first[:-1]}-{i:03d}:\n{body.rstrip()}\n")
    return "\n".join(out)


def make_repository(folder: Path, files: int, projects: int) -> None:
    for n in range(files):
        year = 2024 + n % 2
        path = folder / str(year) / f"{215000 + n // 2}-单位{n // 2}.pdsl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(unit_file(n // 2, year, projects), encoding="utf-8")


def perfdsl(*args: str, env: dict[str, str]) -> Callable[[], object]:
    command = [sys.executable, "-m", "perfdsl", *args]
    return lambda: subprocess.run(command, env=env, capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--big", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "perfdsl", quiet=1)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, {cores} cores, load average {load:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        repo = tmp_path / "repo"
        make_repository(repo, args.files, args.projects)
        env = {**os.environ, "PERFDSL_CACHE_DIR": str(tmp_path / "cache")}
        print(f"\n1. {args.files} files × {args.projects} projects, perfdsl check DIR")
        one = best(perfdsl("check", "--no-cache", "-j1", str(repo), env=env), args.repeat)
        two = best(perfdsl("check", "--no-cache", "-j2", str(repo), env=env), args.repeat)
        perfdsl("check", str(repo), env=env)()  # fills the cache
        warm = best(perfdsl("check", str(repo), env=env), args.repeat)
        print(f"   cold, 1 job   {one:8.2f} s")
        print(f"   cold, 2 jobs  {two:8.2f} s   {one / two:.2f}× faster (target ≥ 1.70×)")
        print(f"   warm (cache)  {warm:8.2f} s   {warm / one:.1%} of cold (target ≤ 10%)")

        from perfdsl.gcpause import tune_for_run
        from perfdsl.pipeline import CheckOptions, check_file

        tune_for_run()  # (as the command line sets the collector up)

        big = tmp_path / "big.pdsl"
        text = synthetic(args.big)
        big.write_text(text, encoding="utf-8")
        ytext = as_yaml(text)
        options = CheckOptions()
        ours = best(lambda: check_file(str(big), options), args.repeat)
        theirs = best(lambda: yaml.load(ytext, Loader=yaml.CLoader), args.repeat)
        print(f"\n2. one file of {args.big} projects ({text.count(chr(10))} lines)")
        print(f"   perfdsl check {ours:8.2f} s")
        print(f"   yaml CLoader  {theirs:8.2f} s   ratio {ours / theirs:.2f} (target ≤ 0.70)")

        start = best(perfdsl("check", "--no-cache", str(SEED), env=env), 15)
        lark = best(lambda: subprocess.run([sys.executable, "-c", "import lark"], check=False), 15)
        print("\n3. start-up, one unit")
        print(f"   perfdsl check {start:8.3f} s")
        print(f"   import lark   {lark:8.3f} s   ratio {start / lark:.2f} (target ≤ 2.00)")


if __name__ == "__main__":
    main()

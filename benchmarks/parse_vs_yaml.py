"""Benchmark: parse and check a synthetic N-project document, next to PyYAML's C loader.

    python benchmarks/parse_vs_yaml.py [N ...]        (default: 100 10000)

The document repeats the seed's nine projects (examples/beichen-court-2024.pdsl) under new
names until it has N projects.  The YAML holds the same content as nested mappings, so the
comparison is "our front end and checks" against "a C YAML parser building Python dicts".
Each figure is the best of several runs, in seconds, measured with time.perf_counter.
"""

from __future__ import annotations

import re
import sys
import time
from functools import partial
from pathlib import Path

import yaml

from perfdsl.check import Context, run
from perfdsl.load import load_text
from perfdsl.values import format_decimal

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"


def synthetic(n: int) -> str:
    text = SEED.read_text(encoding="utf-8")
    head, *projects = re.split(r"\n(?=项目 )", text)
    out = [head.rstrip("\n"), ""]
    for i in range(n):
        block = projects[i % len(projects)].rstrip("\n")
        out.append(block.replace(":\n", f"-{i}:\n", 1))
        out.append("")
    return "\n".join(out)


def as_yaml(text: str) -> str:
    doc = load_text(text).document
    assert doc is not None
    projects = {}
    for p in doc.projects:
        indicators: dict = {}
        for l1, l2, ind in p.iter_indicators():
            cell = ind.value.text if ind.value else ""
            if ind.description:
                cell = {"value": cell, "description": ind.description.value}
            indicators.setdefault(l1.name, {}).setdefault(l2.name, {})[ind.name] = cell
        projects[p.name] = {
            "预算数": {
                "total": format_decimal(p.budget.total.amount),
                **{f.kind: format_decimal(f.amount.amount) for f in p.budget.lines},
            },
            "资金用途": p.fields.text("purpose") or "",
            "绩效目标": [g.text for g in p.goals],
            **indicators,
        }
    header = {"单位": "215101 天津市北辰区人民法院", "年度": 2024, "金额单位": "万元"}
    return yaml.dump({**header, "项目": projects}, allow_unicode=True, sort_keys=False)


def check(text: str) -> None:
    loaded = load_text(text)
    assert loaded.document is not None
    run(Context(loaded.document))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(sizes: list[int]) -> None:
    loader = getattr(yaml, "CLoader", None)
    if loader is None:
        sys.exit("PyYAML was built without LibYAML: the C loader is not available")
    print(
        f"{'projects':>9} {'lines':>8} {'parse s':>9} {'check s':>9} {'yaml C s':>9} {'check/yaml':>10}"
    )
    for n in sizes:
        text = synthetic(n)
        ytext = as_yaml(text)
        repeat = 5 if n <= 1000 else 3
        parse_s = best(partial(load_text, text), repeat)
        check_s = best(partial(check, text), repeat)
        yaml_s = best(partial(yaml.load, ytext, Loader=loader), repeat)
        lines = text.count("\n")
        print(
            f"{n:>9} {lines:>8} {parse_s:>9.3f} {check_s:>9.3f} {yaml_s:>9.3f} {check_s / yaml_s:>10.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 10000])

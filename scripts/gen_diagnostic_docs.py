"""Write docs/diagnostics/: one page per diagnostic code, and an index.

    python scripts/gen_diagnostic_docs.py

Pages are generated from the registry (perfdsl/diagnostics/codes.py) and the golden cases
(tests/cases/bad/*.expected show each code as users see it), so they cannot drift from the
code: tests/test_diagnostic_docs.py fails when a page is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfdsl.diagnostics.codes import REGISTRY, Code  # noqa: E402

DOCS = ROOT / "docs" / "diagnostics"
CASES = ROOT / "tests" / "cases"
SEVERITY_ZH = {"error": "错误", "warning": "警告", "note": "提示"}


def _example(code: str) -> tuple[str, str] | None:
    """The first golden block that shows ``code``, and the case it comes from."""
    for expected in sorted((CASES / "bad").glob("*.expected")):
        blocks = expected.read_text(encoding="utf-8").split("\n\n")
        for block in blocks:
            if re.match(rf"(error|warning|note)\[{code}\]", block):
                return block.strip("\n"), expected.with_suffix(".pdsl").name
    return None


def _near_miss(code: str) -> str | None:
    for path in sorted((CASES / "good").glob("*.pdsl")):
        head = path.read_bytes()[:400].decode("utf-8", "replace")
        if re.search(rf"near-miss:[^\n]*\b{code}\b", head):
            return path.name
    return None


def page(entry: Code) -> str:
    kind_zh = (
        f"检查规则，可用 `# perfdsl: ignore[{entry.name}]` 忽略"
        if entry.suppressible
        else "语言规则，不能忽略"
    )
    kind_en = (
        f"rule, suppressible with `# perfdsl: ignore[{entry.name}]`"
        if entry.suppressible
        else "language rule, not suppressible"
    )
    lines = [
        f"# {entry.code} `{entry.name}`",
        "",
        f"**{entry.title.zh}** — {entry.title.en}",
        "",
        f"- 级别 / severity: {SEVERITY_ZH[entry.severity.value]} / {entry.severity.value}",
        f"- 类型 / kind: {kind_zh} / {kind_en}",
        "",
        "## 说明",
        "",
        entry.explanation.zh,
        "",
        "## Explanation",
        "",
        entry.explanation.en,
        "",
    ]
    example = _example(entry.code)
    if example is not None:
        block, case = example
        lines += [
            "## 示例 / Example",
            "",
            f"From `tests/cases/bad/{case}`:",
            "",
            "```text",
            block,
            "```",
            "",
        ]
    near = _near_miss(entry.code)
    if near is not None:
        lines += [f"A near miss that does not trigger it: `tests/cases/good/{near}`.", ""]
    lines += [f"`perfdsl explain {entry.code}` prints this explanation in the terminal.", ""]
    return "\n".join(lines)


def index() -> str:
    rows = [
        "# 诊断代码 / Diagnostic codes",
        "",
        "| code | name | severity | 说明 | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for entry in REGISTRY.values():
        rows.append(
            f"| [{entry.code}]({entry.code}.md) | `{entry.name}` | {entry.severity.value} | "
            f"{entry.title.zh} | {entry.title.en} |"
        )
    return "\n".join(rows) + "\n"


def pages() -> dict[Path, str]:
    out = {DOCS / "README.md": index()}
    for entry in REGISTRY.values():
        out[DOCS / f"{entry.code}.md"] = page(entry)
    return out


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for path, text in pages().items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(REGISTRY) + 1} pages to {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

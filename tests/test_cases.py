"""Golden cases: tests/cases/{good,bad}/NAME.pdsl with the expected report in NAME.expected.

The report is what ``perfdsl check`` prints (full format, Chinese), with the case's path
written relative to tests/cases.  Regenerate after a deliberate change with
``PERFDSL_UPDATE_GOLDEN=1 pytest tests/test_cases.py`` and review the diff like code.

A case may be checked against last year's file (``# baseline: NAME``, from
tests/cases/baselines/), as ``check --baseline`` does.

Each good case names the codes it is a near miss for (``# near-miss: PD1001 …``); together
with the bad cases this proves every diagnostic code has a case that triggers it and one that
comes close without triggering it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import check_golden

from perfdsl.commands.check import CheckOptions, check_file
from perfdsl.diagnostics.codes import REGISTRY
from perfdsl.diagnostics.render import render

CASES = Path(__file__).parent / "cases"
ALL = sorted([*CASES.glob("good/*.pdsl"), *CASES.glob("bad/*.pdsl")])
#: ``# baseline: NAME`` in a case's first lines: checked with ``--baseline`` of
#: tests/cases/baselines/NAME (last year's file, for the year-over-year rules).
_BASELINE = re.compile(r"^# baseline: (\S+)$", re.M)


def report(path: Path, lang: str = "zh") -> tuple[str, list[str]]:
    """What `perfdsl check` prints for a case, with the path relative to tests/cases."""
    name = path.relative_to(CASES).as_posix()
    named = _BASELINE.search(path.read_bytes()[:400].decode("utf-8", "replace"))
    baseline = CASES / "baselines" / named.group(1) if named else None
    options = CheckOptions(lang=lang, baseline=str(baseline) if baseline else None)
    checked = check_file(str(path), options)
    found = checked.diagnostics
    blocks = [render(d, checked.lines, lang).replace(str(path), name) for d in found]
    if baseline is not None:
        blocks = [b.replace(str(baseline), f"baselines/{baseline.name}") for b in blocks]
    return "\n\n".join(blocks) + ("\n" if blocks else ""), [d.code for d in found]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.relative_to(CASES).as_posix())
def test_case(path: Path) -> None:
    text, codes = report(path)
    check_golden(path.with_suffix(".expected"), text)
    if path.parent.name == "good":
        assert not any(c for c in codes if REGISTRY[c].severity.value == "error"), codes


@pytest.mark.parametrize("path", [p for p in ALL if p.parent.name == "bad"], ids=lambda p: p.stem)
def test_bad_case_reads_in_english_too(path: Path) -> None:
    zh, _ = report(path, "zh")
    en, _ = report(path, "en")
    assert zh != en
    # Every message line is translated: English words, not the Chinese sentence (names,
    # values and units quoted from the source stay as written).
    zh_lines = [ln for ln in zh.splitlines() if ln.startswith(("error[", "warning[", "note["))]
    en_lines = [ln for ln in en.splitlines() if ln.startswith(("error[", "warning[", "note["))]
    for zh_line, en_line in zip(zh_lines, en_lines, strict=True):
        assert zh_line != en_line
        assert len(re.findall(r"\b[a-z]{2,}\b", en_line)) >= 3, en_line


def _near_misses() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in CASES.glob("good/*.pdsl"):
        head = path.read_bytes()[:400].decode("utf-8", "replace")
        for match in re.finditer(r"near-miss:((?:\s+PD\d{4})+)", head):
            for code in match.group(1).split():
                found.setdefault(code, []).append(path.name)
    return found


# Codes not reachable from a source file: PD0001 (the file cannot be read) is tested in
# tests/test_cli.py, PD9001 (a rule crashed) in tests/test_check_machinery.py, PD0004 (over
# the 64 MiB size limit, no case for the repository) in tests/test_limits.py, with a source
# of exactly the limit as its near miss.  PD8001–PD8004 are about files being imported (Word,
# Excel, PDF), not sources: tests/test_import.py has a trigger and a near miss for each.
NOT_FROM_SOURCE = {"PD0001", "PD0004", "PD8001", "PD8002", "PD8003", "PD8004", "PD9001"}


def test_every_code_has_a_triggering_case_and_a_near_miss() -> None:
    triggered = set()
    for path in CASES.glob("bad/*.expected"):
        triggered |= set(
            re.findall(r"^(?:error|warning|note)\[(PD\d{4})\]", path.read_text("utf-8"), re.M)
        )
    near = _near_misses()
    for code in REGISTRY:
        if code in NOT_FROM_SOURCE:
            continue
        assert code in triggered, f"{code} has no bad case that triggers it"
        assert code in near, f"{code} has no good case marked as its near miss"
        for name in near[code]:
            _, codes = report(CASES / "good" / name)
            assert code not in codes, f"{name} is a near miss for {code} but triggers it"


def test_a_golden_update_never_passes_by_itself(tmp_path, monkeypatch) -> None:
    golden = tmp_path / "case.expected"
    golden.write_text("old\n", encoding="utf-8")
    monkeypatch.setenv("PERFDSL_UPDATE_GOLDEN", "1")
    with pytest.raises(pytest.fail.Exception, match="updated"):
        check_golden(golden, "new\n")
    assert golden.read_text(encoding="utf-8") == "new\n"  # rewritten, for review
    check_golden(golden, "new\n")  # unchanged: passes, in either mode
    monkeypatch.setenv("PERFDSL_UPDATE_GOLDEN", "yes")  # only "1" updates
    with pytest.raises(AssertionError):
        check_golden(golden, "other\n")
    assert golden.read_text(encoding="utf-8") == "new\n"

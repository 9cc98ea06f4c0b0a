"""All or nothing: a build's outputs change together, or not at all.

The faults are real: a directory standing where an output goes, a build killed with SIGKILL
in the middle of its renames, and two builds of different sources into one directory at the
same time.  The last two run real interpreters; the fault is injected by wrapping os.replace
in the child process, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl.atomic import JOURNAL, TEMP_PATTERN, write_all_atomic
from perfdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"


def build(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *map(str, args)], env={"SOURCE_DATE_EPOCH": ""})
    return result.exit_code, result.stderr


def sources(tmp_path: Path) -> tuple[Path, Path]:
    """Two versions of one source (the same stem), in two folders."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    text = SEED.read_text("utf-8")
    (a / "x.pdsl").write_text(text, "utf-8")
    (b / "x.pdsl").write_text(text.replace("146.00", "147.00"), "utf-8")
    return a / "x.pdsl", b / "x.pdsl"


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def debris(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if TEMP_PATTERN.fullmatch(n) or n == JOURNAL)


@pytest.fixture
def refs(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    a, b = sources(tmp_path)
    assert build(a, "-o", tmp_path / "ref-a")[0] == 0
    assert build(b, "-o", tmp_path / "ref-b")[0] == 0
    ref_a, ref_b = contents(tmp_path / "ref-a"), contents(tmp_path / "ref-b")
    assert set(ref_a) == {"x.docx", "x.json", "x.html"}
    assert all(ref_a[name] != ref_b[name] for name in ref_a)
    return a, b, ref_a, ref_b


def test_a_failed_rename_rolls_back_the_whole_set(tmp_path: Path, refs) -> None:
    a, b, ref_a, _ref_b = refs
    out = tmp_path / "out"
    assert build(a, "-o", out)[0] == 0
    (out / "x.json").unlink()
    (out / "x.json").mkdir()  # the second of three renames will fail
    before = contents(out)
    code, stderr = build(b, "-o", out, "--lang", "en")
    assert code == 2
    assert contents(out) == before  # the new docx was taken back
    assert contents(out)["x.docx"] == ref_a["x.docx"]
    assert f"cannot write {out / 'x.json'}" in stderr  # the target, not a temporary file
    assert ".perfdsl.tmp" not in stderr
    assert "nothing was written" in stderr
    assert debris(out) == []


def test_a_new_output_is_removed_again_when_a_later_rename_fails(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "b").mkdir()  # a directory where the second file should go
    with pytest.raises(OSError) as caught:
        write_all_atomic([(out / "a", b"new"), (out / "b", b"new")])
    assert caught.value.filename == str(out / "b")
    assert sorted(os.listdir(out)) == ["b"]


CHILD = """\
import os, signal, sys, time
from pathlib import Path
real_replace = os.replace
calls = []
def replace(src, dst, *args, **kwargs):
    real_replace(src, dst, *args, **kwargs)
    calls.append(dst)
    if len(calls) == 1 and {mode!r} == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if len(calls) == 1 and {mode!r} == "pause":
        Path({paused!r}).touch()
        for _ in range(3000):  # at most 30 s
            if Path({release!r}).exists():
                break
            time.sleep(0.01)
os.replace = replace
import perfdsl.atomic
real_write = perfdsl.atomic.write_all_atomic
def write_all_atomic(outputs):
    Path({writing!r}).touch()
    return real_write(outputs)
import perfdsl.commands.build
perfdsl.commands.build.write_all_atomic = write_all_atomic
from perfdsl.cli import main
sys.argv = ["perfdsl", "build", *sys.argv[1:]]
main()
"""


def child(mode: str, tmp_path: Path, tag: str, *args: str | Path) -> subprocess.Popen[bytes]:
    code = CHILD.format(
        mode=mode,
        paused=str(tmp_path / f"{tag}.paused"),
        release=str(tmp_path / f"{tag}.release"),
        writing=str(tmp_path / f"{tag}.writing"),
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None, f"the build ended before {path.name}"
        assert time.monotonic() < deadline, f"no {path.name} within 60 s"
        time.sleep(0.01)


def test_a_build_killed_between_renames_is_rolled_back_by_the_next(tmp_path: Path, refs) -> None:
    a, b, ref_a, ref_b = refs
    out = tmp_path / "out"
    assert build(a, "-o", out)[0] == 0
    killed = child("kill", tmp_path, "k", b, "-o", out)
    assert killed.wait(timeout=120) == -signal.SIGKILL
    assert contents(out)["x.docx"] == ref_b["x.docx"]  # the kill came after one rename
    assert JOURNAL in debris(out) and len(debris(out)) > 1
    # The next build, even one that writes nothing (a source with errors), restores the old
    # set and removes the debris.
    broken = tmp_path / "broken" / "x.pdsl"
    broken.parent.mkdir()
    broken.write_text(a.read_text("utf-8").replace("预算数: 146.00", "预算数 146.00"), "utf-8")
    assert build(broken, "-o", out)[0] == 1
    assert contents(out) == ref_a
    assert debris(out) == []
    # And a good build after it writes its whole set.
    assert build(b, "-o", out)[0] == 0
    assert contents(out) == ref_b


def test_leftover_temporary_files_are_removed(tmp_path: Path, refs) -> None:
    a, _b, ref_a, _ref_b = refs
    out = tmp_path / "out"
    out.mkdir()
    for name in (".x.docx.abc12345.perfdsl.tmp", ".x.json.0f0f0f0f.perfdsl.bak"):
        (out / name).write_bytes(b"\0" * 1000)
    (out / ".keep.tmp").write_bytes(b"not ours")
    assert build(a, "-o", out)[0] == 0
    assert contents(out) == ref_a | {".keep.tmp": b"not ours"}


def test_two_builds_into_one_directory_never_mix(tmp_path: Path, refs) -> None:
    a, b, _ref_a, ref_b = refs
    out = tmp_path / "out"
    assert build(a, "-o", out)[0] == 0
    first = child("pause", tmp_path, "p", a, "-o", out)  # pauses after its first rename
    try:
        wait_for(tmp_path / "p.paused", first)
        second = child("none", tmp_path, "s", b, "-o", out)
        wait_for(tmp_path / "s.writing", second)
        time.sleep(0.5)  # without the lock, the second build's whole write happens here
        (tmp_path / "p.release").touch()
        assert first.wait(timeout=120) == 0
        assert second.wait(timeout=120) == 0
    finally:
        (tmp_path / "p.release").touch()
        first.kill()
    assert contents(out) == ref_b  # the later build's set, whole
    assert debris(out) == []

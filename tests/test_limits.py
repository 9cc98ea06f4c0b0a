"""Bounded reads: no input makes perfdsl read (or inflate) more than perfdsl.limits allows.

Most tests lower a limit with monkeypatch so that a few kilobytes cross it; the mechanism is
the same at the real sizes, and two tests run a real process against the real limits, under
an address-space limit so that a regression fails the test instead of exhausting the machine.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl import limits
from perfdsl.cli import main
from perfdsl.load import load_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "beichen-court-2024.pdsl"
SMALL = 4096  # a lowered limit: the example (10 KB) is over it


def run(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


class Endless(io.RawIOBase):
    """/dev/zero as a Python stream, counting what was taken from it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        self.taken += len(buffer)
        buffer[:] = b"\0" * len(buffer)
        return len(buffer)


# --- the reader --------------------------------------------------------------------------------


def test_an_endless_stream_is_read_only_one_byte_past_the_limit() -> None:
    stream = Endless()
    with pytest.raises(limits.TooLarge) as caught:
        limits.read_bounded(stream, 3 * limits.CHUNK + 5)
    assert stream.taken == 3 * limits.CHUNK + 6
    assert caught.value.limit == 3 * limits.CHUNK + 5 and caught.value.size is None


def test_exactly_the_limit_is_read_whole() -> None:
    assert limits.read_bounded(io.BytesIO(b"x" * 100), 100) == b"x" * 100
    with pytest.raises(limits.TooLarge):
        limits.read_bounded(io.BytesIO(b"x" * 101), 100)


def test_a_regular_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.pdsl"
    path.write_bytes(b"x" * 101)
    with pytest.raises(limits.TooLarge) as caught:
        limits.read_file(path, 100)
    assert caught.value.size == 101


def test_limits_are_far_above_a_real_table() -> None:
    # A 10,000-project source is about 30 MB; its limit must leave room for twice that.
    assert limits.MAX_SOURCE_BYTES >= 60 * 1000 * 1000
    assert limits.describe(limits.MAX_SOURCE_BYTES) == "64 MiB"
    assert limits.describe(1000) == "1,000 bytes"


# --- sources: PD0004 ---------------------------------------------------------------------------


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(limits, "MAX_SOURCE_BYTES", SMALL)
    return SMALL


def test_a_source_over_the_limit_is_pd0004_and_exit_2(small_limit: int) -> None:
    result = run("check", "--lang", "en", str(EXAMPLE))
    assert result.exit_code == 2
    assert "error[PD0004]" in result.stdout  # (check's report is on stdout)
    assert f"the file is {EXAMPLE.stat().st_size:,} bytes, over the 4,096 bytes" in result.stdout
    assert f"--> {EXAMPLE}" in result.stdout


def test_a_source_of_exactly_the_limit_is_read(small_limit: int, tmp_path: Path) -> None:
    """The near miss: at the limit, PD0004 does not fire."""
    text = EXAMPLE.read_bytes()[:small_limit]
    path = tmp_path / "cut.pdsl"
    path.write_bytes(text)
    loaded = load_file(path)
    assert loaded.source is not None
    assert "PD0004" not in {d.code for d in loaded.diagnostics}


def test_stdin_over_the_limit_is_pd0004(small_limit: int) -> None:
    result = run("check", "-", input=b"# " + b"x" * small_limit)
    assert result.exit_code == 2
    assert "error[PD0004]" in result.stdout and "--> <stdin>" in result.stdout
    assert "PD0004" in run("fmt", "-", input=b"x" * (small_limit + 1)).stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_read_only_up_to_the_limit(small_limit: int, tmp_path: Path) -> None:
    fifo = tmp_path / "endless.pdsl"
    os.mkfifo(fifo)
    written = []

    def writer() -> None:
        """Writes until the reader closes the pipe (or, should it never, 16 MiB, so that a
        regression fails instead of hanging)."""
        try:
            with open(fifo, "wb") as f:
                while sum(written) < 16 * limits.MIB:
                    f.write(b"# x\n" * 1024)
                    written.append(4096)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    result = run("check", str(fifo))
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert result.exit_code == 2 and "error[PD0004]" in result.stdout
    assert sum(written) < 2 * limits.MIB  # what was read, and what the pipe held


def test_diff_refuses_a_source_over_the_limit(small_limit: int, tmp_path: Path) -> None:
    result = run("diff", "--lang", "en", str(EXAMPLE), str(EXAMPLE))
    assert result.exit_code == 2
    assert "error[PD0004]" in result.stderr and "has errors, cannot compare" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_refuses_a_git_blob_over_the_limit(
    small_limit: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.pdsl").write_bytes(EXAMPLE.read_bytes())
    for args in (
        ["init", "-q"],
        ["add", "a.pdsl"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "a"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    (repo / "a.pdsl").write_bytes(EXAMPLE.read_bytes()[:100])
    monkeypatch.chdir(repo)
    result = run("diff", "HEAD", "--", "a.pdsl")
    assert result.exit_code == 2
    assert "error[PD0004]" in result.stderr and "--> HEAD:a.pdsl" in result.stderr


def test_a_configuration_over_the_limit_is_a_clear_error(small_limit: int, tmp_path: Path) -> None:
    (tmp_path / "perfdsl.toml").write_text("# " + "x" * small_limit + "\n", encoding="utf-8")
    source = tmp_path / "a.pdsl"
    source.write_bytes(EXAMPLE.read_bytes()[:100])
    result = run("check", "--lang", "en", str(source))
    assert result.exit_code == 2
    assert "perfdsl.toml" in result.stderr and "is over the 4,096 bytes size limit" in result.stderr


# --- real processes, real limits ---------------------------------------------------------------

#: Address space for a child perfdsl: plenty for the real limits, far below what reading
#: /dev/zero or inflating a bomb without them takes.
CHILD_MEMORY = 1024 * limits.MIB


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def perfdsl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "perfdsl", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        preexec_fn=_limited,
        timeout=120,
    )


needs_dev_zero = pytest.mark.skipif(
    not os.path.exists("/dev/zero") or sys.platform == "win32", reason="needs /dev/zero"
)


@needs_dev_zero
def test_diff_of_dev_zero_stops_at_the_limit() -> None:
    result = perfdsl("diff", "--lang", "en", "/dev/zero", str(EXAMPLE))
    assert result.returncode == 2, result.stderr
    assert "error[PD0004]" in result.stderr
    assert "reading stopped at byte 67,108,865" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr

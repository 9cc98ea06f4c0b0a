"""The compiled parser is cached per user, atomically, and a read-only or broken cache is harmless."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from perfdsl.syntax import grammar
if sys.argv[1] == "forbid-build":
    def refuse(text):
        raise SystemExit("compiled the grammar although a cache was there")
    grammar._build = refuse
from perfdsl.load import load_text
loaded = load_text("单位: 1 测试\\n年度: 2024\\n金额单位: 万元\\n")
assert loaded.ok, loaded.diagnostics
print("ok")
"""


def _run(cache: Path, mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PERFDSL_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", PROBE, mode], env=env, capture_output=True, text=True, check=False
    )


def test_second_process_loads_the_cached_parser(tmp_path):
    cache = tmp_path / "cache"
    first = _run(cache, "normal")
    assert first.returncode == 0, first.stderr
    files = list(cache.glob("parser-*.pickle"))
    assert len(files) == 1
    assert not list(cache.glob(".parser-*"))  # no temporary file left behind
    second = _run(cache, "forbid-build")
    assert second.returncode == 0, second.stderr + second.stdout


def test_damaged_cache_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    assert _run(cache, "normal").returncode == 0
    (path,) = cache.glob("parser-*.pickle")
    path.write_bytes(b"not a pickle")
    assert _run(cache, "normal").returncode == 0
    assert path.read_bytes() != b"not a pickle"


def test_unwritable_cache_directory_still_works(tmp_path):
    # A cache "directory" below a regular file cannot be created, even by root.
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    result = _run(blocker / "cache", "normal")
    assert result.returncode == 0, result.stderr
    assert blocker.read_text(encoding="utf-8") == ""

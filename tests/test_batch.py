"""``perfdsl check`` over many files: --jobs, the result cache, and the report's order.

Nothing here is timed (benchmarks/workspace.py measures speed); these tests hold what must
be true whatever the speed: the same report from 1 job, 2 jobs and the cache, a cached
result used only while everything it depends on is unchanged, and a cache that cannot be
read or written never failing a check.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfdsl import batch, cache
from perfdsl.cli import main
from perfdsl.pipeline import CheckOptions

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
REGIONAL = ROOT / "examples" / "regional"


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PERFDSL_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Year folders of a few units: clean ones, one with findings, one with an error, and the
    regional examples with their templates."""
    root = tmp_path / "office"
    for year in ("2024", "2025"):
        (root / year).mkdir(parents=True)
        for n in range(3):
            text = SEED.replace("年度: 2024", f"年度: {year}")
            (root / year / f"单位{n}.pdsl").write_text(text, encoding="utf-8")
    broken = SEED.replace("    财政资金: 146.00", "    财政资金: 140.00")
    (root / "2025" / "有误.pdsl").write_text(broken, encoding="utf-8")
    shutil.copytree(REGIONAL, root / "regional")
    monkeypatch.chdir(root)
    return root


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_two_jobs_and_the_cache_print_the_same_report_as_one_job(office, own_cache):
    for output_format in ("full", "json", "concise"):
        one = check("--no-cache", "-j1", "--format", output_format, ".")
        assert one[0] == 1 and "PD" in one[1]
        assert check("--no-cache", "-j2", "--format", output_format, ".") == one
        first = check("-j2", "--format", output_format, ".")  # fills the cache
        assert first == one
        assert check("--format", output_format, ".") == one  # from it


def test_a_second_run_is_served_from_the_cache(office, own_cache, monkeypatch):
    files = [str(p.relative_to(office)) for p in sorted(office.rglob("*.pdsl"))]
    first = list(batch.check_all(files, CheckOptions(), jobs=1))

    def must_not_check(path, options):
        raise AssertionError(f"{path} was checked again")

    monkeypatch.setattr(batch, "check_one", must_not_check)
    assert list(batch.check_all(files, CheckOptions(), jobs=1)) == first


def rechecked(files: list[str], options: CheckOptions, monkeypatch) -> list[str]:
    """Which of ``files`` a run checks again (not served from the cache)."""
    seen: list[str] = []
    real = batch.check_one

    def spy(path, opts):
        seen.append(path)
        return real(path, opts)

    monkeypatch.setattr(batch, "check_one", spy)
    list(batch.check_all(files, options, jobs=1))
    monkeypatch.setattr(batch, "check_one", real)
    return seen


def test_a_change_to_anything_a_file_depends_on_checks_it_again(office, own_cache, monkeypatch):
    unit = "2024/单位0.pdsl"
    regional = "regional/21-zhejiang_cixi_infant_care_2023.pdsl"
    files = [unit, "2024/单位1.pdsl", regional]
    options = CheckOptions()
    assert rechecked(files, options, monkeypatch) == files
    assert rechecked(files, options, monkeypatch) == []
    # The file itself.
    Path(unit).write_text(SEED + "\n# 改了\n", encoding="utf-8")
    assert rechecked(files, options, monkeypatch) == [unit]
    # The rules chosen.
    assert rechecked(files, CheckOptions(ignore=("PD5",)), monkeypatch) == files
    # A template the file's folder holds.
    template = Path("regional/cixi.template.toml")
    template.write_text(template.read_text(encoding="utf-8") + "\n# 改了\n", encoding="utf-8")
    assert rechecked(files, options, monkeypatch) == [regional]
    # The configuration.
    Path("perfdsl.toml").write_text("strict = false\n", encoding="utf-8")
    assert rechecked(files, options, monkeypatch) == files
    # A baseline is another file's content: never cached.
    baseline = CheckOptions(baseline="2025/单位0.pdsl")
    assert rechecked([unit], baseline, monkeypatch) == [unit]
    assert rechecked([unit], baseline, monkeypatch) == [unit]


def test_a_damaged_entry_is_checked_again(office, own_cache):
    files = ["2025/有误.pdsl"]
    first = list(batch.check_all(files, CheckOptions(), jobs=1))
    [entry] = [p for p in own_cache.rglob("*") if p.is_file() and p.parent.parent.name == "check"]
    entry.write_bytes(b"not a pickle")
    assert list(batch.check_all(files, CheckOptions(), jobs=1)) == first
    entry.write_bytes(b"")
    assert check("2025/有误.pdsl")[0] == 1


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_cache_folder_never_fails_a_check(office, own_cache):
    own_cache.mkdir()
    own_cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert check(".")[0] == 1
        assert check("2024")[0] == 0
    finally:
        own_cache.chmod(stat.S_IRWXU)


def test_an_unwritable_cache_location_never_fails_a_check(office, monkeypatch):
    blocker = office / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PERFDSL_CACHE_DIR", str(blocker / "cache"))
    assert check("2024")[0] == 0
    monkeypatch.setenv("PERFDSL_CACHE_DIR", "off")
    assert cache.directory() is None
    assert check("2024")[0] == 0


def test_findings_pointing_into_a_template_keep_its_lines(office, own_cache):
    template = Path("regional/cixi.template.toml")
    template.write_text(template.read_text(encoding="utf-8") + "\n[bogus\n", encoding="utf-8")
    target = "regional/21-zhejiang_cixi_infant_care_2023.pdsl"
    first = check(target)
    assert "cixi.template.toml" in first[1]
    assert check(target) == first  # the lines shown come back from the cache too


def test_jobs_must_be_a_positive_number(office):
    code, _out, err = check("-j0", ".")
    assert code == 2 and "0" in err

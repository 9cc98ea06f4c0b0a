"""``perfdsl build``: what gets written, what is kept when a source is broken, exit codes.

Most tests drive the click command in-process (fast, and monkeypatch can break a renderer);
the ones about imports, terminals and tracebacks run a real interpreter in a subprocess.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from perfdsl.cli import main
from perfdsl.commands.build import parse_formats
from perfdsl.emit.timestamp import TimestampError, build_timestamp
from perfdsl.load import load_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "beichen-court-2024.pdsl"
GOLDEN = ROOT / "tests" / "golden" / "beichen-court-2024.json"
SCHEMA = json.loads((ROOT / "docs" / "perfdsl.schema.json").read_text(encoding="utf-8"))
GOOD_CASES = sorted((ROOT / "tests" / "cases" / "good").glob("*.pdsl"))
BAD_CASES = sorted((ROOT / "tests" / "cases" / "bad").glob("*.pdsl"))

SMALL = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 万元

项目 办案业务费:
  预算数: 146.00
    财政资金: 146.00
  产出指标:
    数量指标:
      陪审员参审次数: ≥400次
    成本指标:
      全年电子档案服务费用: ≤80万元
  效益指标:
    可持续影响指标:
      保障水平: 稳定保障
  满意度指标:
    服务对象满意度指标:
      审判执行部门对业务保障满意度: ≥95%
"""
#: A syntax error: the parser cannot read the file at all.
SYNTAX_ERROR = SMALL.replace("陪审员参审次数: ≥400次", "陪审员参审次数 ≥400次")
#: A rule error on a document that parses: 预算数 ≠ the sum of its funding lines.
RULE_ERROR = SMALL.replace("财政资金: 146.00", "财政资金: 140.00")


def build(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    environment = {"SOURCE_DATE_EPOCH": ""} | (env or {})
    return CliRunner().invoke(main, ["build", *map(str, args)], env=environment)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (a build mirrors its sources' folders), by its path."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# --- timestamps --------------------------------------------------------------------------------


def _document(year: str = "2024"):
    loaded = load_text(SMALL.replace("年度: 2024", f"年度: {year}"))
    assert loaded.document is not None
    return loaded.document


def test_timestamp_is_new_year_of_the_budget_year() -> None:
    assert build_timestamp(_document(), {}) == datetime(2024, 1, 1, tzinfo=UTC)
    assert build_timestamp(_document(), {"SOURCE_DATE_EPOCH": ""}) == datetime(
        2024, 1, 1, tzinfo=UTC
    )


def test_timestamp_never_before_zip_can_store() -> None:
    assert build_timestamp(_document("1975"), {}) == datetime(1980, 1, 1, tzinfo=UTC)


def test_timestamp_from_source_date_epoch() -> None:
    stamp = build_timestamp(_document(), {"SOURCE_DATE_EPOCH": "1700000000"})
    assert stamp == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert stamp.tzinfo is UTC


@pytest.mark.parametrize("raw", ["yesterday", "1.5", "-1", "0x10", "１２３", "99999999999999"])
def test_invalid_source_date_epoch_is_an_error(raw: str) -> None:
    with pytest.raises(TimestampError) as caught:
        build_timestamp(_document(), {"SOURCE_DATE_EPOCH": raw})
    assert "SOURCE_DATE_EPOCH" in caught.value.message.zh
    assert "SOURCE_DATE_EPOCH" in caught.value.message.en


# --- formats -----------------------------------------------------------------------------------


def test_parse_formats() -> None:
    assert parse_formats("json") == ("json",)
    assert parse_formats("html, JSON,docx,json") == ("docx", "json", "html")
    assert parse_formats("pdf,docx") == ("docx", "pdf")
    for bad in ("", ",", "odt", "json,xml"):
        with pytest.raises(ValueError):
            parse_formats(bad)


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = build(SEED, "-o", tmp_path, "--to", "json,odt")
    assert result.exit_code == 2
    assert "odt" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- JSON builds -------------------------------------------------------------------------------


def test_build_seed_json_is_the_golden_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = build("examples/beichen-court-2024.pdsl", "-o", tmp_path, "--to", "json")
    assert result.exit_code == 0, result.output
    out = tmp_path / "beichen-court-2024.json"
    assert out.read_bytes() == GOLDEN.read_bytes()
    assert f"已写出 {out}" in result.stderr
    assert "13 个警告" in result.stderr or "个警告" in result.stderr  # counted, not shown
    assert "warning[" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("path", [SEED, *GOOD_CASES], ids=lambda p: p.name)
def test_every_built_json_validates(path: Path, tmp_path: Path) -> None:
    result = build(path, "-o", tmp_path, "--to", "json")
    assert result.exit_code == 0, result.output

    def refuse(number: str) -> object:
        raise AssertionError(f"float {number}")

    data = json.loads((tmp_path / f"{path.stem}.json").read_text("utf-8"), parse_float=refuse)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["source_path"] == str(path)


def test_json_build_is_deterministic(tmp_path: Path) -> None:
    first, third = tmp_path / "1", tmp_path / "3"
    assert build(SEED, "-o", first, "--to", "json").exit_code == 0
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert build(SEED, "-o", third, "--to", "json", env=epoch).exit_code == 0
    assert snapshot(first) == snapshot(third)  # JSON carries no timestamp at all


def test_builds_in_two_processes_are_byte_identical(tmp_path: Path) -> None:
    """Same sources, every format, two interpreters that differ in everything that may vary:
    hash seed, time zone, locale, working directory, and the order of the files given."""
    sources = [SEED.resolve(), *(p.resolve() for p in GOOD_CASES)]
    runs = []
    for name, env, order in [
        ("a", {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"}, sources),
        (
            "b",
            {"PYTHONHASHSEED": "4242", "TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"},
            sources[::-1],
        ),
    ]:
        cwd = tmp_path / f"cwd-{name}"
        cwd.mkdir()
        environment = {
            k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "LC_ALL", "LANG")
        }
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "perfdsl",
                "build",
                *map(str, order),
                "-o",
                str(tmp_path / name),
            ],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=environment | env,
        )
        assert result.returncode == 0, result.stderr
        runs.append(snapshot(tmp_path / name))
    assert len(runs[0]) == 3 * len(sources)
    assert runs[0] == runs[1]


def test_output_dir_is_created(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    assert build(SEED, "-o", out, "--to", "json").exit_code == 0
    assert (out / "beichen-court-2024.json").is_file()


def test_english_messages(tmp_path: Path) -> None:
    result = build(SEED, "-o", tmp_path, "--to", "json", "--lang", "en")
    assert f"wrote {tmp_path / 'beichen-court-2024.json'}" in result.stderr
    assert "built 1 of 1" in result.stderr


# --- sources with errors -----------------------------------------------------------------------


@pytest.mark.parametrize("broken", [SYNTAX_ERROR, RULE_ERROR], ids=["syntax", "rule"])
def test_broken_source_keeps_previous_outputs(broken: str, tmp_path: Path) -> None:
    source = write(tmp_path / "court.pdsl", SMALL)
    out = tmp_path / "out"
    assert build(source, "-o", out, "--to", "json").exit_code == 0
    before = snapshot(out)
    assert list(before) == ["court.json"]

    write(source, broken)
    result = build(source, "-o", out, "--to", "json")
    assert result.exit_code == 1
    assert snapshot(out) == before  # byte-identical, and no temporary files left behind
    assert "error[" in result.stderr
    assert "未写出任何文件" in result.stderr
    assert "原有的输出保持不变" in result.stderr
    assert "Traceback" not in result.output

    english = build(source, "-o", out, "--to", "json", "--lang", "en")
    assert english.exit_code == 1
    assert "nothing was written" in english.stderr


def test_force_builds_a_source_with_errors(tmp_path: Path) -> None:
    source = write(tmp_path / "court.pdsl", RULE_ERROR)
    result = build(source, "-o", tmp_path / "out", "--to", "json", "--force")
    assert result.exit_code == 1  # still a failure for CI, as tsc does
    assert "--force" in result.stderr
    data = json.loads((tmp_path / "out" / "court.json").read_text("utf-8"))
    assert data["projects"][0]["budget"]["funding"][0]["amount"]["number"] == "140.00"


def test_force_cannot_build_what_is_not_text(tmp_path: Path) -> None:
    source = tmp_path / "court.pdsl"
    source.write_bytes(SMALL.encode("utf-8").replace(b"\n", b"\x00\n"))
    result = build(source, "-o", tmp_path / "out", "--to", "json", "--force")
    assert result.exit_code == 1
    assert "未写出任何文件" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("path", BAD_CASES, ids=lambda p: p.name)
def test_forced_json_of_a_broken_source_still_validates(path: Path, tmp_path: Path) -> None:
    """Whatever the parser recovered, --force writes JSON a loader can still read."""
    result = build(path, "-o", tmp_path, "--to", "json", "--force")
    assert "Traceback" not in result.output
    built = tmp_path / f"{path.stem}.json"
    if result.exit_code == 1 and not built.exists():
        assert "未写出任何文件" in result.stderr  # only what cannot be decoded at all
        return
    data = json.loads(built.read_text("utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("unit", ["千元", "美元"])
def test_forced_json_with_an_invalid_file_unit_validates(unit: str, tmp_path: Path) -> None:
    source = write(tmp_path / "court.pdsl", SMALL.replace("金额单位: 万元", f"金额单位: {unit}"))
    result = build(source, "-o", tmp_path, "--to", "json", "--force")
    assert result.exit_code == 1
    data = json.loads((tmp_path / "court.json").read_text("utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    total = data["projects"][0]["budget"]["total"]
    assert data["header"]["money_unit"] == total["unit"] == unit
    assert total["converted"] == ({"number": "146.00", "unit": "千元"} if unit == "千元" else None)


def test_other_files_still_build(tmp_path: Path) -> None:
    good = write(tmp_path / "good.pdsl", SMALL)
    bad = write(tmp_path / "bad.pdsl", SYNTAX_ERROR)
    out = tmp_path / "out"
    result = build(bad, good, "-o", out, "--to", "json")
    assert result.exit_code == 1
    assert list(snapshot(out)) == ["good.json"]
    assert "已构建 1/2 个源文件" in result.stderr


def test_a_failing_renderer_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    source = write(tmp_path / "court.pdsl", SMALL)
    out = tmp_path / "out"
    assert build(source, "-o", out, "--to", "json").exit_code == 0
    before = snapshot(out)
    write(source, SMALL.replace("≥400次", "≥500次"))

    def explode(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr("perfdsl.emit.json.render_json", explode)
    result = build(source, "-o", out, "--to", "json")
    assert result.exit_code == 1
    assert "boom" in result.stderr and "json" in result.stderr
    assert snapshot(out) == before


# --- usage and I/O problems --------------------------------------------------------------------


def test_missing_source_is_exit_2(tmp_path: Path) -> None:
    result = build(tmp_path / "nope.pdsl", "-o", tmp_path / "out", "--to", "json")
    assert result.exit_code == 2
    assert "无法读取" in result.stderr
    assert "Traceback" not in result.output


def test_output_path_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    blocker = write(tmp_path / "blocker", "")
    for out in (blocker, blocker / "sub"):
        result = build(SEED, "-o", out, "--to", "json")
        assert result.exit_code == 2, result.output
        assert str(blocker) in result.stderr
        assert "Traceback" not in result.output
    assert blocker.read_text() == ""


@contextlib.contextmanager
def unwritable(directory: Path):
    """Make ``directory`` unwritable for this process, root included.

    Permission bits do not stop root, so as root the directory is made immutable
    (``chattr +i``, which binds root too) or covered by a read-only mount.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(directory)], capture_output=True).returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
        return
    mount = ["mount", "-t", "tmpfs", "-o", "ro", "none", str(directory)]
    if subprocess.run(mount, capture_output=True).returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["umount", str(directory)], check=True)
        return
    pytest.skip("as root, neither chattr +i nor a read-only mount is possible here")


def test_read_only_output_dir_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    with unwritable(out):
        result = build(SEED, "-o", out, "--to", "json")
        assert list(out.iterdir()) == []
    assert result.exit_code == 2
    assert "不可写" in result.stderr


def test_write_failure_is_exit_2_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert build(SEED, "-o", out, "--to", "json,html").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    source = write(
        tmp_path / "beichen-court-2024.pdsl", SEED.read_text("utf-8").replace("≥400次", "≥450次")
    )

    import perfdsl.atomic

    real_stage = perfdsl.atomic._stage
    calls = []

    def disk_fills_up(target, data):
        calls.append(target)
        if len(calls) == 2:  # the first output is staged, the second finds the disk full
            raise OSError(28, "No space left on device", str(target))
        return real_stage(target, data)

    monkeypatch.setattr(perfdsl.atomic, "_stage", disk_fills_up)
    result = build(source, "-o", out, "--to", "json,html", "--lang", "en")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert "nothing was written" in result.stderr
    # All or nothing: the first output was not renamed into place either.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("raw", ["soon", "1.5"])
def test_invalid_source_date_epoch_is_exit_2(raw: str, tmp_path: Path) -> None:
    result = build(SEED, "-o", tmp_path / "out", "--to", "json", env={"SOURCE_DATE_EPOCH": raw})
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr
    assert not (tmp_path / "out").exists()


def test_two_years_of_one_unit_mirror_their_folders(tmp_path: Path) -> None:
    """2024/court.pdsl and 2025/court.pdsl: the guide's own layout builds to out/2024 and
    out/2025 (it used to refuse: both would have written out/court.*)."""
    (tmp_path / "2024").mkdir()
    (tmp_path / "2025").mkdir()
    one = write(tmp_path / "2024" / "court.pdsl", SMALL)
    two = write(tmp_path / "2025" / "court.pdsl", SMALL)
    result = build(one, two, "-o", tmp_path / "out", "--to", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(snapshot(tmp_path / "out")) == ["2024/court.json", "2025/court.json"]
    folder = build(tmp_path / "2024", tmp_path / "2025", "-o", tmp_path / "again", "--to", "json")
    assert folder.exit_code == 0
    assert snapshot(tmp_path / "again") == snapshot(tmp_path / "out")


def test_two_sources_with_one_output_is_exit_2(tmp_path: Path) -> None:
    """Names that differ only in case are one file on macOS and Windows: refused anywhere."""
    one = write(tmp_path / "court.pdsl", SMALL)
    two = write(tmp_path / "Court.pdsl", SMALL)
    result = build(one, two, "-o", tmp_path / "out", "--to", "json")
    assert result.exit_code == 2
    assert "court" in result.stderr.casefold()
    assert not (tmp_path / "out").exists()


def test_the_same_file_twice_is_fine(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    twice = ["examples/beichen-court-2024.pdsl", "./examples/beichen-court-2024.pdsl"]
    assert build(*twice, "-o", tmp_path, "--to", "json").exit_code == 0


def test_an_output_never_overwrites_a_source(tmp_path: Path) -> None:
    source = write(tmp_path / "court.json", SMALL)
    result = build(source, "-o", tmp_path, "--to", "json")
    assert result.exit_code == 2
    assert "覆盖源文件" in result.stderr
    assert source.read_text("utf-8") == SMALL
    assert build(source, "-o", tmp_path, "--to", "html").exit_code == 0


# --- processes: imports, terminals, tracebacks ---------------------------------------------------


def run_python(code: str, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        **kwargs,
    )


IMPORTS = """\
import sys
from perfdsl.cli import main
sys.argv = ["perfdsl", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m == "docx" or m.startswith(("docx.", "perfdsl.emit.")))
print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["check", "--help"],
        ["check", str(SEED)],
        ["build", "--help"],
    ],
    ids=" ".join,
)
def test_check_never_imports_docx(argv: list[str]) -> None:
    result = run_python(IMPORTS, *argv)
    assert "HEAVY []" in result.stderr, result.stderr


def test_json_build_does_not_import_docx(tmp_path: Path) -> None:
    result = run_python(IMPORTS, "build", str(SEED), "-o", str(tmp_path), "--to", "json")
    assert "HEAVY ['perfdsl.emit.json', 'perfdsl.emit.timestamp']" in result.stderr


def test_no_traceback_reaches_the_user(tmp_path: Path) -> None:
    blocker = write(tmp_path / "blocker", "")
    cases = [
        ["build", str(tmp_path / "missing.pdsl"), "-o", str(tmp_path / "o")],
        ["build", str(SEED), "-o", str(blocker / "sub"), "--to", "json"],
        ["build", str(SEED), "-o", str(tmp_path / "o"), "--to", "nope"],
        ["build", str(SEED), "-o", str(tmp_path / "o"), "--layout", "没有这个版式"],
    ]
    for argv in cases:
        result = subprocess.run(
            [sys.executable, "-m", "perfdsl", *argv], capture_output=True, text=True, cwd=ROOT
        )
        assert result.returncode == 2, (argv, result.stderr)
        assert "Traceback" not in result.stderr, (argv, result.stderr)


def _on_a_terminal(argv: list[str]) -> str:
    """Run perfdsl with stderr on a pseudo-terminal; return what the terminal showed."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "perfdsl", *argv],
            stdout=subprocess.DEVNULL,
            stderr=slave,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal was closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_bar_only_on_a_terminal_and_for_many_files(tmp_path: Path) -> None:
    one = write(tmp_path / "one.pdsl", SMALL)
    two = write(tmp_path / "two.pdsl", SMALL)
    many = _on_a_terminal(["build", str(one), str(two), "-o", str(tmp_path / "a"), "--to", "json"])
    assert "构建" in many and "100%" in many
    single = _on_a_terminal(["build", str(one), "-o", str(tmp_path / "b"), "--to", "json"])
    assert "100%" not in single
    piped = build(one, two, "-o", tmp_path / "c", "--to", "json")
    assert "100%" not in piped.stderr and "#" not in piped.stderr


# --- all three formats ---------------------------------------------------------------------------


def test_build_all_three_formats(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = build("examples/beichen-court-2024.pdsl", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    outputs = snapshot(tmp_path)
    assert list(outputs) == [
        "beichen-court-2024.docx",
        "beichen-court-2024.html",
        "beichen-court-2024.json",
    ]
    for name in outputs:
        assert f"已写出 {tmp_path / name}" in result.stderr
    assert outputs["beichen-court-2024.json"] == GOLDEN.read_bytes()

    with zipfile.ZipFile(io.BytesIO(outputs["beichen-court-2024.docx"])) as archive:
        assert archive.testzip() is None
        body = archive.read("word/document.xml").decode("utf-8")
    html = outputs["beichen-court-2024.html"].decode("utf-8")
    for text in ("办案业务费", "陪审员参审次数", "≥400次", "特定项目资金-2024非财拨", "806.72"):
        assert text in body and text in html


def test_the_timestamp_is_the_budget_year_or_source_date_epoch(tmp_path: Path) -> None:
    runs = {}
    for name, env in [("a", {}), ("c", {"SOURCE_DATE_EPOCH": "1700000000"})]:
        assert build(SEED, "-o", tmp_path / name, env=env).exit_code == 0
        runs[name] = snapshot(tmp_path / name)
    docx = "beichen-court-2024.docx"

    def created(outputs: dict[str, bytes]) -> str:
        with zipfile.ZipFile(io.BytesIO(outputs[docx])) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8")
        return core.split("<dcterms:created", 1)[1].split(">", 1)[1].split("<", 1)[0]

    # The timestamp reaches the documents: the budget year, or SOURCE_DATE_EPOCH when set.
    assert created(runs["a"]) == "2024-01-01T00:00:00Z"
    assert created(runs["c"]) == "2023-11-14T22:13:20Z"
    assert runs["a"]["beichen-court-2024.json"] == runs["c"]["beichen-court-2024.json"]


def test_every_good_case_builds_in_every_format(tmp_path: Path) -> None:
    result = build(*GOOD_CASES, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {f"{p.stem}{ext}" for p in GOOD_CASES for ext in (".docx", ".html", ".json")}


def test_broken_source_keeps_all_previous_outputs(tmp_path: Path) -> None:
    source = write(tmp_path / "court.pdsl", SMALL)
    out = tmp_path / "out"
    assert build(source, "-o", out).exit_code == 0
    before = snapshot(out)
    assert list(before) == ["court.docx", "court.html", "court.json"]
    write(source, SYNTAX_ERROR)
    assert build(source, "-o", out).exit_code == 1
    assert snapshot(out) == before


@pytest.mark.parametrize("module, function", [("docx", "render_docx"), ("html", "render_html")])
def test_one_failing_format_writes_no_format(
    module: str, function: str, tmp_path: Path, monkeypatch
) -> None:
    source = write(tmp_path / "court.pdsl", SMALL)
    out = tmp_path / "out"
    assert build(source, "-o", out).exit_code == 0
    before = snapshot(out)
    write(source, SMALL.replace("≥400次", "≥500次"))

    def explode(*args: object, **kwargs: object) -> object:
        raise ValueError("renderer broke")

    monkeypatch.setattr(f"perfdsl.emit.{module}.{function}", explode)
    result = build(source, "-o", out)
    assert result.exit_code == 1
    assert "renderer broke" in result.stderr
    assert snapshot(out) == before  # the JSON, which rendered fine, was not written either


MOF_SOURCE = SMALL.replace("金额单位: 万元\n", "金额单位: 万元\n版式: 财政部\n")


def test_layout_from_the_source_and_from_the_command_line(tmp_path: Path) -> None:
    source = write(tmp_path / "court.pdsl", MOF_SOURCE)
    assert build(source, "-o", tmp_path / "mof", "--to", "html").exit_code == 0
    assert "绩效目标申报表" in (tmp_path / "mof" / "court.html").read_text("utf-8")
    result = build(source, "-o", tmp_path / "tj", "--to", "html", "--layout", "tianjin")
    assert result.exit_code == 0
    page = (tmp_path / "tj" / "court.html").read_text("utf-8")
    assert "绩效目标申报表" not in page and "绩效目标表" in page


def test_unknown_layout(tmp_path: Path) -> None:
    result = build(SEED, "-o", tmp_path / "a", "--layout", "没有这个版式")
    assert result.exit_code == 2
    assert "没有这个版式" in result.stderr and "tianjin" in result.stderr
    assert not (tmp_path / "a").exists() or not list((tmp_path / "a").iterdir())

    source = write(
        tmp_path / "court.pdsl", SMALL.replace("金额单位: 万元\n", "金额单位: 万元\n版式: 火星\n")
    )
    result = build(source, "-o", tmp_path / "b")
    assert result.exit_code == 1
    assert "火星" in result.stderr and "未写出任何文件" in result.stderr
    assert list((tmp_path / "b").iterdir()) == []
    # The source itself names a layout that does not exist: `perfdsl check` reports it
    # (PD3012), so even with --layout or JSON only the file is not built without --force.
    assert build(source, "-o", tmp_path / "c", "--layout", "tianjin").exit_code == 1
    assert build(source, "-o", tmp_path / "d", "--to", "json").exit_code == 1
    forced = build(source, "-o", tmp_path / "e", "--layout", "tianjin", "--force")
    assert forced.exit_code == 1
    assert sorted(p.suffix for p in (tmp_path / "e").iterdir()) == [".docx", ".html", ".json"]


def test_build_judges_a_source_like_check_does(tmp_path: Path) -> None:
    # Under the 2021 framework the seed lacks its 成本指标 一级: an error, so nothing is built.
    result = build(SEED, "-o", tmp_path / "a", "--to", "json", "--framework", "2021")
    assert result.exit_code == 1
    assert "PD3005" in result.stderr
    assert not (tmp_path / "a").exists() or list((tmp_path / "a").iterdir()) == []
    # Ignoring that rule (by prefix) builds it again.
    ok = build(SEED, "-o", tmp_path / "b", "--to", "json", "--framework", "2021", "--ignore", "PD3")
    assert ok.exit_code == 0, ok.stderr
    assert (tmp_path / "b" / "beichen-court-2024.json").exists()


def test_build_does_not_run_rules_on_a_source_with_syntax_errors(tmp_path: Path) -> None:
    source = write(tmp_path / "court.pdsl", SYNTAX_ERROR)
    result = build(source, "-o", tmp_path / "out", "--to", "json")
    assert result.exit_code == 1
    assert "PD1001" in result.stderr
    assert "PD3" not in result.stderr  # no cascade of rule findings from the unreadable line


def test_two_jobs_build_the_same_files_and_say_the_same_things(tmp_path: Path) -> None:
    """Sources are checked and rendered in workers; reported and written here, in order."""
    sources = tmp_path / "src"
    for year in ("2024", "2025"):
        (sources / year).mkdir(parents=True)
        write(sources / year / "court.pdsl", SMALL.replace("年度: 2024", f"年度: {year}"))
        write(sources / year / "broken.pdsl", SYNTAX_ERROR)
    one = build(sources, "-o", tmp_path / "one", "-j1")
    two = build(sources, "-o", tmp_path / "two", "-j2")
    assert one.exit_code == two.exit_code == 1
    assert two.stderr.replace(str(tmp_path / "two"), str(tmp_path / "one")) == one.stderr
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert sorted(snapshot(tmp_path / "two")) == [
        "2024/court.docx",
        "2024/court.html",
        "2024/court.json",
        "2025/court.docx",
        "2025/court.html",
        "2025/court.json",
    ]

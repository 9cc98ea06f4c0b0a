"""Every example in docs/language.md is true of the implementation.

The reference marks its examples by the info string of the fenced code block:

- ```` ```pdsl ```` a complete file that parses with no errors and is already in canonical form
  (what ``perfdsl fmt`` writes);
- ```` ```pdsl accepted ```` a complete file that parses with no errors but is not canonical: it
  shows a spelling the language accepts and ``perfdsl fmt`` rewrites;
- ```` ```pdsl formatted ```` canonical, and exactly what ``perfdsl fmt`` makes of the
  ``accepted`` block just before it;
- ```` ```pdsl-error [CODE …] ```` deliberately wrong: at least one error, and each listed code
  among the errors.
- ```` ```pdsl config=NAME ```` read with the configuration of the ``toml`` block starting with
  ``# perfdsl.toml`` shown before it (a user template, for instance).

Only the language front end (perfdsl.load) is run here, not the checker's rules: the reference
documents the language.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import attrs
import pytest

from perfdsl.config import load as load_config
from perfdsl.diagnostics import Severity
from perfdsl.fmt import format_document
from perfdsl.load import load_text
from perfdsl.standards.templates import Catalog

DOC = Path(__file__).resolve().parents[1] / "docs" / "language.md"

_FENCE = re.compile(r"^(?P<indent> *)```(?P<info>.*)$")


@attrs.frozen
class Block:
    line: int  # line number of the opening fence in the document
    language: str
    flags: tuple[str, ...]
    text: str

    @property
    def id(self) -> str:
        return f"{self.language}@{self.line}"


def blocks(path: Path = DOC) -> list[Block]:
    """The fenced code blocks of a Markdown file, with their info strings split into words."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent = opening["indent"]
        words = opening["info"].split()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != f"{indent}```":
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip(" "))
            j += 1
        assert j < len(lines), f"{path.name}:{i + 1}: code block is never closed"
        text = "\n".join(body) + "\n"
        found.append(Block(i + 1, words[0] if words else "", tuple(words[1:]), text))
        i = j + 1
    return found


ALL = blocks()
GOOD = [b for b in ALL if b.language == "pdsl"]
BAD = [b for b in ALL if b.language == "pdsl-error"]


def _catalog(block: Block) -> Catalog | None:
    """The templates a block marked ``config=…`` is read with: the configuration the
    reference shows (the ``toml`` block starting ``# perfdsl.toml``) before it."""
    if not any(flag.startswith("config=") for flag in block.flags):
        return None
    index = ALL.index(block)
    config = next(
        b
        for b in reversed(ALL[:index])
        if b.language == "toml" and b.text.startswith("# perfdsl.toml")
    )
    folder = Path(tempfile.mkdtemp())
    (folder / "perfdsl.toml").write_text(config.text, encoding="utf-8")
    return load_config(folder / "perfdsl.toml").catalog(str(folder / "example.pdsl"))


def _errors(text: str, catalog: Catalog | None = None) -> list[str]:
    loaded = load_text(text, "example.pdsl", catalog)
    return [
        f"{d.code} {d.span.line if d.span else '-'}: {d.message.zh}"
        for d in loaded.diagnostics
        if d.severity is Severity.ERROR
    ]


def _formatted(text: str, catalog: Catalog | None = None) -> str:
    loaded = load_text(text, "example.pdsl", catalog)
    assert loaded.document is not None
    return format_document(loaded.document, catalog=catalog)


def test_the_reference_has_examples() -> None:
    assert len(GOOD) >= 20
    assert len(BAD) >= 4
    known = {"accepted", "formatted"}
    for block in GOOD:
        flags = {f for f in block.flags if not f.startswith("config=")}
        assert flags <= known, f"line {block.line}: unknown flags {block.flags}"


@pytest.mark.parametrize("block", GOOD, ids=lambda b: b.id)
def test_example_parses_without_errors(block: Block) -> None:
    assert _errors(block.text, _catalog(block)) == []


@pytest.mark.parametrize("block", GOOD, ids=lambda b: b.id)
def test_example_is_canonical_unless_marked_accepted(block: Block) -> None:
    formatted = _formatted(block.text, _catalog(block))
    if "accepted" in block.flags:
        assert formatted != block.text, "already canonical: drop the `accepted` mark"
    else:
        assert formatted == block.text


@pytest.mark.parametrize("block", [b for b in GOOD if "formatted" in b.flags], ids=lambda b: b.id)
def test_formatted_example_is_the_fmt_output_of_the_one_before(block: Block) -> None:
    index = ALL.index(block)
    before = next(
        (b for b in reversed(ALL[:index]) if b.language == "pdsl" and "accepted" in b.flags),
        None,
    )
    assert before is not None, "a `formatted` block follows an `accepted` one"
    assert _formatted(before.text) == block.text


@pytest.mark.parametrize("block", BAD, ids=lambda b: b.id)
def test_error_example_reports_its_errors(block: Block) -> None:
    errors = _errors(block.text)
    assert errors, "a `pdsl-error` example must produce at least one error"
    codes = {e.split()[0] for e in errors}
    for code in block.flags:
        assert code in codes, f"{code} not among {errors}"


@pytest.mark.parametrize(
    "block",
    [b for b in ALL if b.language == "toml" and b.text.startswith("# perfdsl.toml")],
    ids=lambda b: b.id,
)
def test_every_configuration_the_docs_show_loads(block: Block) -> None:
    """A perfdsl.toml the reference shows is one a user will copy: it must load as written
    (a key placed under the wrong [table] is the classic TOML slip)."""
    folder = Path(tempfile.mkdtemp())
    (folder / "perfdsl.toml").write_text(block.text, encoding="utf-8")
    config = load_config(folder / "perfdsl.toml")
    config.catalog(str(folder / "example.pdsl"))

"""Property: every document ``check`` accepts builds to every format.

A clean check is a promise to the finance office that ``build`` will work.  The documents are
real tables (the example and the good cases) with hostile text put into every free-text cell:
any Unicode, control characters, non-characters, very long titles and names.  Either the
check reports an error (a control character is PD0005), or docx, JSON and HTML all render.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdsl import ast
from perfdsl.check import Context, run
from perfdsl.diagnostics import Severity
from perfdsl.emit.docx import render_docx
from perfdsl.emit.html import render_html
from perfdsl.emit.json import render_json
from perfdsl.fmt import format_document
from perfdsl.load import load_file, load_text
from perfdsl.source import CONTROL
from perfdsl.standards.templates import for_document

ROOT = Path(__file__).resolve().parents[1]
SCALE = 50 if os.environ.get("PERFDSL_THOROUGH") == "1" else 1
BASES = [
    load_file(p).document
    for p in [
        ROOT / "examples" / "beichen-court-2024.pdsl",
        *sorted((ROOT / "tests" / "cases" / "good").glob("*.pdsl")),
    ]
]
BASES = [d for d in BASES if d is not None and d.projects]
WHEN = datetime(2024, 1, 1, tzinfo=UTC)

#: Characters no table should hold, and those XML and python-docx are strict about.  (A
#: carriage return is no character of a source's text: reading the file makes it a line end.)
NASTY = (
    "".join(chr(c) for c in [*range(1, 32), *range(0x7F, 0xA0)] if c != 13) + "\ufffe\uffff\ufdd0"
)


def no_cr(text: str) -> str:
    return text.replace("\r", "")


hostile = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
    st.text(st.sampled_from(NASTY + "ab办案 "), min_size=1, max_size=10),
    st.integers(250, 600).map(lambda n: "长" * n),
    st.integers(250, 600).map(lambda n: ("x\x01" * n)[:n]),
)
hostile = hostile.map(no_cr)


def named(text: str) -> str:
    return text.strip() or "名"


@st.composite
def documents(draw: st.DrawFn) -> ast.Document:
    base = draw(st.sampled_from(BASES))
    header = base.header
    header = attrs.evolve(
        header,
        fields=header.fields.with_("title", ast.Located(draw(hostile)))
        if draw(st.booleans())
        else header.fields,
        unit_name=ast.Located(named(draw(hostile))) if draw(st.booleans()) else header.unit_name,
    )
    projects = []
    for project in base.projects:
        if draw(st.booleans()):
            project = attrs.evolve(
                project,
                name=named(draw(hostile)) if draw(st.booleans()) else project.name,
                fields=project.fields.with_("purpose", ast.Located(draw(hostile))),
                goals=(ast.Goal(draw(hostile)),),
            )
        projects.append(project)
    return attrs.evolve(base, header=header, projects=tuple(projects))


@given(documents())
@settings(
    max_examples=60 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_every_document_check_accepts_builds_to_every_format(document: ast.Document) -> None:
    text = format_document(document)
    loaded = load_text(text)
    found = list(loaded.diagnostics)
    if loaded.ok:
        found += run(Context(loaded.document))
    has_errors = any(d.severity is Severity.ERROR for d in found)
    if CONTROL.search(text):
        assert any(d.code == "PD0005" for d in found), text
    if has_errors:
        return
    built = loaded.document
    layout = for_document(built)
    docx = render_docx(built, layout, WHEN)
    html = render_html(built, layout, WHEN)
    data = json.loads(render_json(built, "x.pdsl"))
    assert docx.startswith(b"PK")
    assert "</html>" in html
    assert data["projects"]

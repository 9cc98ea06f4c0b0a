"""A template's page patterns read backwards: ``{number}.{name}绩效目标表`` → the name.

The printer fills ``{unit}``, ``{year}``, ``{name}`` … into the template's heading, title and
the lines above and below each table (:func:`perfdsl.emit.table.fill`); the importer matches
the printed line against the same pattern to get the values back, so the two cannot disagree.
"""

from __future__ import annotations

import re

from perfdsl.importer.vocab import MONEY_UNIT_RE
from perfdsl.standards.templates import Template

_PLACEHOLDER = re.compile(r"(\{\w+(?:\|\w+)*\})")


def match(
    pattern: str, text: str, template: Template, title: bool = False
) -> dict[str, str] | None:
    """The placeholders' values if ``text`` is ``pattern`` filled in, else None.  A group
    such as ``{filing_unit|unit}`` is returned under its whole name.  ``{title}`` is the
    template's title, or with ``title`` whatever stands there (a header's own 标题)."""
    if not pattern.strip():
        return None
    out: list[str] = []
    names: list[str] = []
    for part in _PLACEHOLDER.split(pattern):
        inner = part[1:-1] if _PLACEHOLDER.fullmatch(part) else None
        if inner is None:
            out.append(_literal(part))
            continue
        first = inner.split("|")[0]
        if first == "title" and not title:
            out.append(_literal(template.title))
            continue
        group = f"g{len(names)}"
        names.append(inner)
        if first == "year":
            out.append(rf"(?P<{group}>(?:19|20)\d\d)")
        elif first == "number":
            out.append(rf"(?P<{group}>\d+)")
        elif first == "money_unit":
            out.append(rf"(?P<{group}>{MONEY_UNIT_RE}|)")
        else:
            out.append(rf"(?P<{group}>.*?)")
    regex = "".join(out)
    # As written first (a title may begin with blanks), then without the blanks around it.
    found = re.fullmatch(regex, text, re.S) or re.fullmatch(regex, text.strip(), re.S)
    if found is None and _GAP.search(text.strip()):
        # A PDF's text spaces words apart (天津市北辰区人民法院 2024 年…): its blanks go.
        found = re.fullmatch(regex, _GAP.sub("", text.strip()), re.S)
    if found is None:
        return None
    return {name: found[f"g{i}"] or "" for i, name in enumerate(names)}


#: Blanks between CJK characters and digits that a PDF's text extraction adds.
_GAP = re.compile(r"(?<=[\u4e00-\u9fff\d（）()：:])\s+(?=[\u4e00-\u9fff\d（）()：:])")


def _literal(text: str) -> str:
    """A pattern's literal text; the blanks in it may be there or not."""
    return r"\s*".join(re.escape(part) for part in re.split(r"\s+", text) if part) or ""


#: How the names of budget units end (a 局, a 法院, a 学校 …): a line that a pattern made of
#: placeholders only (``{unit_code}{unit}``) would read as the unit must look like one, or any
#: caption above a table would become the unit.
UNIT_ENDINGS = (
    "局",
    "院",
    "委",
    "办",
    "室",
    "厅",
    "部",
    "处",
    "署",
    "会",
    "所",
    "站",
    "馆",
    "队",
    "中心",
    "学校",
    "小学",
    "中学",
    "大学",
    "学院",
    "幼儿园",
    "政府",
    "街道",
    "社区",
    "村",
    "镇",
    "乡",
    "公司",
    "集团",
    "医院",
    "协会",
    "联合会",
    "基金会",
    "研究室",
    "办公室",
    "委员会",
    "管委会",
)
_UNIT_CODE = re.compile(r"^\s*\d{3,}")


def looks_like_unit(text: str) -> bool:
    """A unit's name (``天津市北辰区人民法院``), perhaps after its code (``215101``)."""
    text = text.strip()
    return bool(_UNIT_CODE.match(text)) or text.endswith(UNIT_ENDINGS)

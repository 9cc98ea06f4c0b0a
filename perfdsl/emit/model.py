"""The table model both visual emitters draw, and how a cell's text is written.

A :class:`Grid` is a list of rows; each row lists its cells left to right.  A cell that spans
columns is one :class:`Cell` with ``colspan`` > 1.  A cell that spans rows is a :class:`Cell`
with ``rowspan`` > 1 in its first row and a :class:`Covered` placeholder (of the same
``colspan``) in each row below it: Word needs a ``w:vMerge`` continuation cell there, HTML
simply leaves it out.

:class:`Style` is the template's way of writing numbers and words (``≥`` or ``>=``, thousands
separators, ``正向`` or ``正向指标``): the typed value stays canonical for checks, JSON and the
diff; only print follows the template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from perfdsl import ast
from perfdsl.ast import Goal, Money
from perfdsl.values import format_decimal

Align = Literal["left", "center"]
Role = Literal["data", "label", "column"]  # column = a column header (th scope=col)


@attrs.frozen
class Cell:
    """One visible cell.  ``lines`` are paragraphs; no lines means a blank cell.

    ``role`` says what kind of cell it is: a ``column`` header, a row ``label`` (项目名称,
    一级/二级 names) or ``data``.  ``field`` names the column it belongs to in an indicator
    table (tests and CSS use it).
    """

    lines: tuple[str, ...]
    role: Role = "data"
    colspan: int = 1
    rowspan: int = 1
    align: Align = "center"
    field: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@attrs.frozen
class Covered:
    """The part of a row that a cell from a row above spans into."""

    colspan: int = 1


Row = tuple[Cell | Covered, ...]


@attrs.frozen
class Grid:
    """A table: relative column widths, rows of cells, and how many leading rows are headers."""

    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    header_rows: int = 0
    kind: Literal["header", "indicators", "footer", "sheet"] = "indicators"
    #: The indicator table's column fields, in order (empty for a header table).
    fields: tuple[str, ...] = ()
    #: So many columns that even their minimum widths overflow the page: print smaller.
    crowded: bool = False
    #: What the table is, for a screen reader's caption (基本信息, 绩效指标 …).
    caption: str = ""
    #: A line printed above the table (长期绩效指标：), when the template prints one.
    title: str = ""


@attrs.frozen
class ProjectView:
    """What one table prints as: its heading, the lines above, its grids, the lines below."""

    number: int
    anchor: str
    heading: str
    above: tuple[str, ...]
    tables: tuple[Grid, ...]
    budget_text: str = ""
    below: tuple[str, ...] = ()
    subtitle: str = ""

    @property
    def header(self) -> Grid:
        return self.tables[0]

    @property
    def indicators(self) -> Grid:
        return next(t for t in self.tables if t.kind in ("indicators", "sheet"))

    @property
    def unit_line(self) -> str:
        return self.above[0] if self.above else ""

    @property
    def money_line(self) -> str:
        return next((line for line in self.above if line.startswith("单位：")), "")


@attrs.frozen
class DocumentView:
    title: str
    unit_line: str
    money_unit: str
    year: str
    projects: tuple[ProjectView, ...]
    #: The template's name for the table, for a page footer.
    table_title: str = ""
    landscape: bool = False
    #: A table of contents before the tables (the seed's disclosure has one).
    contents: bool = True
    #: A cover page: the title, the unit and the year alone on the first page.
    cover: bool = False
    #: The date the document gives for itself (编报时间), if it gives one.
    dated: str = ""


@attrs.frozen
class Style:
    """How a template writes amounts and values (see the module docstring)."""

    file_unit: str = "万元"
    #: ``unicode`` (≥ ≤) or ``ascii`` (>= <=).
    operators: str = "unicode"
    #: Amounts with thousands separators (4,137,280元).
    thousands: bool = False
    #: Words for a choice as the template prints it (正向 → 正向指标).
    words: Mapping[str, str] = attrs.field(factory=dict)

    def value(self, text: str) -> str:
        if self.operators == "ascii":
            text = text.replace("≥", ">=").replace("≤", "<=")
        return text

    def number(self, text: str) -> str:
        if not self.thousands:
            return text
        sign = "-" if text.startswith("-") else ""
        whole, dot, fraction = text.lstrip("-").partition(".")
        grouped = f"{int(whole):,}" if whole.isdigit() else whole
        return f"{sign}{grouped}{dot}{fraction}"


def as_style(style: Style | str) -> Style:
    return Style(file_unit=style) if isinstance(style, str) else style


# --- cell texts ------------------------------------------------------------------------------


def lines_of(text: str | None) -> tuple[str, ...]:
    """Split multi-line text into paragraphs; blank or absent text is no paragraph at all."""
    if text is None:
        return ()
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while parts and not parts[-1].strip():
        parts.pop()
    while parts and not parts[0].strip():
        parts.pop(0)
    return tuple(parts)


def money_text(money: Money | None, style: Style | str = "万元") -> str:
    """An amount with the scale and the unit its author wrote, if any, and the words after
    it: ``146.00``, ``4137280元``, ``250万``, ``854万(其中…)``."""
    if money is None:
        return ""
    style = as_style(style)
    return f"{style.number(format_decimal(money.amount))}{money.unit or ''}{money.note}"


def field_lines(value: ast.FieldValue | None, style: Style | str = "万元") -> tuple[str, ...]:
    """What a (text-like) field prints: its text, its value, its number, its amount."""
    if value is None:
        return ()
    style = as_style(style)
    if isinstance(value, ast.Located):
        return lines_of(style.words.get(value.value, value.value))
    if isinstance(value, ast.Typed):
        return lines_of(style.value(value.value.text))
    if isinstance(value, ast.Number):
        return (value.text,)
    if isinstance(value, ast.Money):
        return (money_text(value, style),)
    if isinstance(value, ast.Goals):
        return tuple(goal.text for goal in value.items)
    return ()


def goal_lines(goals: Sequence[Goal], numbered: bool = True) -> tuple[str, ...]:
    """The numbered list as the seed prints it: ``1.…``, one paragraph per goal line; the
    text alone when the template does not number its goals."""
    out: list[str] = []
    for number, goal in enumerate(goals, 1):
        parts = lines_of(goal.text) or ("",)
        out.append(f"{number}.{parts[0]}" if numbered else parts[0])
        out.extend(parts[1:])
    return tuple(out)


def label(text: str, **kw: object) -> Cell:
    return Cell((text,), role="label", **kw)  # type: ignore[arg-type]


def data(lines: Iterable[str], align: Align = "left", **kw: object) -> Cell:
    return Cell(tuple(lines), role="data", align=align, **kw)  # type: ignore[arg-type]

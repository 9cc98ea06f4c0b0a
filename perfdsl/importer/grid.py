"""What every reader (Word, Excel, PDF) hands the recogniser: the document as blocks.

A block is a paragraph (a line of text outside a table: the title, 单位：万元, a heading) or a
table.  A table is a rectangle of grid columns and rows holding :class:`Cell` s, each with the
row and column it starts at and how many it spans, so a merged cell is one cell whatever the
file format says about it (Word's ``w:vMerge``/``w:gridSpan``, Excel's merged ranges, the
ruling lines of a PDF).  Readers never guess what a cell means; that is the recogniser's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs


class Unreadable(Exception):
    """The input cannot be read at all (exit 2): ``zh``/``en`` say why and what to do."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@attrs.frozen
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str

    @property
    def end_col(self) -> int:
        return self.col + self.colspan

    @property
    def end_row(self) -> int:
        return self.row + self.rowspan


@attrs.frozen
class Paragraph:
    text: str
    #: The paragraph style's id or name as the file gives it ("Heading1", "Title", "TOC1" …).
    style: str = ""


@attrs.define
class Table:
    """Cells of a table; ``number`` is its position among the document's tables (1-based)."""

    cells: list[Cell]
    width: int
    height: int
    number: int = 0
    #: Cells whose lines were joined into one paragraph by guesswork (a PDF cannot tell a
    #: wrapped line from a line break): the report says so.
    joined: int = 0
    _grid: list[list[Cell | None]] | None = attrs.field(default=None, repr=False, eq=False)

    def grid(self) -> list[list[Cell | None]]:
        """For each row and column, the cell covering it (None: a hole in a ragged table)."""
        if self._grid is None:
            grid: list[list[Cell | None]] = [[None] * self.width for _ in range(self.height)]
            for cell in self.cells:
                for r in range(cell.row, min(cell.end_row, self.height)):
                    for c in range(cell.col, min(cell.end_col, self.width)):
                        grid[r][c] = cell
            self._grid = grid
        return self._grid

    def at(self, row: int, col: int) -> Cell | None:
        if 0 <= row < self.height and 0 <= col < self.width:
            return self.grid()[row][col]
        return None

    def row_cells(self, row: int) -> list[Cell]:
        """The distinct cells covering ``row``, left to right (merged-down ones included)."""
        out: list[Cell] = []
        for cell in self.grid()[row] if 0 <= row < self.height else ():
            if cell is not None and (not out or out[-1] is not cell):
                out.append(cell)
        return out

    def origins(self, row: int) -> list[Cell]:
        """The cells that start in ``row``, left to right."""
        return [c for c in self.row_cells(row) if c.row == row]

    def sub(self, start: int, stop: int, number: int | None = None) -> Table:
        """Rows ``start``..``stop`` as a table of their own (cells cut to those rows)."""
        cells: list[Cell] = []
        for cell in self.cells:
            top, bottom = max(cell.row, start), min(cell.end_row, stop)
            if top < bottom and (cell.row >= start or top == start):
                cells.append(Cell(top - start, cell.col, bottom - top, cell.colspan, cell.text))
        return Table(cells, self.width, stop - start, self.number if number is None else number)


Block = Paragraph | Table


def tables(blocks: list[Block]) -> Iterator[Table]:
    return (b for b in blocks if isinstance(b, Table))


def from_rows(rows: list[list[str | None]], number: int = 0) -> Table:
    """A table from plain rows of texts, where None continues the cell to its left (a
    horizontal merge) — the shape a PDF or CSV gives when it knows nothing else."""
    cells: list[Cell] = []
    width = max((len(r) for r in rows), default=0)
    for r, row in enumerate(rows):
        current: Cell | None = None
        for c in range(width):
            text = row[c] if c < len(row) else ""
            if text is None and current is not None:
                current = Cell(current.row, current.col, 1, current.colspan + 1, current.text)
                cells[-1] = current
                continue
            current = Cell(r, c, 1, 1, text or "")
            cells.append(current)
    return Table(cells, width, len(rows), number)


#: A line of a table of contents: a title and its page number, after a tab or dot leaders.
_CONTENTS = re.compile(r".+?(?:\t\s*|[.…·]{4,}\s*)\d{1,4}|目\s*录")


def is_contents_line(text: str) -> bool:
    """Whether a line is a table of contents' (a file's own, whatever its format kept of it:
    Word's TOC styles, a PDF's dot leaders, the tab a sheet's copy keeps)."""
    return _CONTENTS.fullmatch(text.strip("\r\n ")) is not None

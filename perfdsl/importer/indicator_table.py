"""The indicator table: 一级 | 二级 | 三级 | … → the tree of one project, rows in table order.

Its column headers say which field each column is (the template's labels first, then the
registry's spellings; any other header is a ``栏目`` column).  A 一级 or 二级 cell merged down
over rows is one block; in a table without merges, a repeated or empty 一级/二级 cell continues
the block above (python-docx style forward fill).  A row with nothing but its 二级 is a blank
pre-printed row.  The 中期 half and the 年度 half side by side (the MoF 申报表) are two trees;
a label merged down the whole left side (绩效指标) and a last 总分 row (a computed sum) are
recognised and not read as data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from perfdsl.importer.draft import IndicatorDraft, Level1Draft, Level2Draft
from perfdsl.importer.grid import Cell, Table
from perfdsl.importer.vocab import Vocabulary, column_key, norm
from perfdsl.standards.templates.model import TOTAL_ROW_LABELS
from perfdsl.values import SUFFIXES

Leftover = Callable[[Cell, str], None]
_SCORE = re.compile(r"(?P<name>.*?)(?:（(?P<n>\d+(?:\.\d+)?)分）|(?P<r>[(（][\d.\-~～—]+[)）]分?))")
#: Column labels that make a row the indicator table's header (at least two of them).
STRUCTURE = ("level1", "level2", "name", "value")


def header_fields(vocab: Vocabulary, cells: list[Cell]) -> list[str]:
    return [vocab.indicator[norm(c.text)] for c in cells if norm(c.text) in vocab.indicator]


def is_header_row(vocab: Vocabulary, table: Table, row: int) -> bool:
    """A row whose cells (with the next row's, for a two-row header) name at least two of
    一级/二级/三级/指标值, one of them 三级 or 二级."""
    keys = set(header_fields(vocab, table.row_cells(row)))
    if row + 1 < table.height:
        keys |= set(header_fields(vocab, table.origins(row + 1))) if keys & {"level1"} else set()
    found = keys & set(STRUCTURE)
    return len(found) >= 2 and bool(found & {"name", "level2"})


class IndicatorReader:
    def __init__(self, vocab: Vocabulary, leftover: Leftover) -> None:
        self.vocab = vocab
        self.template = vocab.template
        self.leftover = leftover
        self.rows = 0
        self.side = ""
        #: Readings that look wrong, kept as written and said: (zh, en).
        self.notes: list[tuple[str, str]] = []
        #: The columns of the (first) header row read: (field key, label as printed).
        self.printed: list[tuple[str, str]] = []
        #: The label of the table's last row when it is the total of the scores (总分).
        self.total_row = ""

    def read(self, table: Table) -> tuple[list[Level1Draft], list[Level1Draft]]:
        """(the year's tree, the 中期 half's tree when the table has both halves)."""
        start = 0
        first = table.at(0, 0)
        own_side = first is not None and norm(first.text) == norm(self.template.page.indicator_side)
        if (
            first is not None
            and table.width > 1
            # merged down the whole table; the template's own side label merged down most of
            # it is one too (a PDF's table cut by a page ends the merge at the page's foot)
            and (first.rowspan == table.height or (own_side and first.rowspan > 1))
            # (the template's side label, 绩效指标, is also a spelling of 三级指标)
            and (norm(first.text) not in self.vocab.indicator or own_side)
        ):
            start = 1
            self.side = first.text
        head = table.row_cells(0)
        halves = [
            c
            for c in head
            if c.col >= start and c.colspan > 1 and self.vocab.group(c.text) in ("midterm", "year")
        ]
        if len(halves) >= 2 and table.height > 1:
            return self.halves(table, start, halves)
        columns = self.columns(table, 0, start, table.width)
        body = self.body_rows(table, 1)
        return self.tree(table, body, columns), []

    def columns(self, table: Table, row: int, start: int, stop: int) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for c in range(start, stop):
            cell = table.at(row, c)
            if cell is None or cell.col != c:
                continue
            key = column_key(self.vocab.indicator, cell.text)
            if key is None:
                key = f"free:{cell.text.strip()}" if cell.text.strip() else f"free:第{c + 1}列"
            out.append((c, key))
        out = _infer_level1(out)
        if not self.printed:
            self.printed = [(key, table.at(row, c).text) for c, key in out]  # type: ignore[union-attr]
        return out

    def body_rows(self, table: Table, first: int) -> list[int]:
        rows = list(range(first, table.height))
        total = self.template.page.total_row
        if rows:
            last = rows[-1]
            cells = [c for c in table.row_cells(last) if c.row == last]
            label = norm(cells[0].text) if cells else ""
            if label and (label == norm(total) or (label in TOTAL_ROW_LABELS and _sums(cells[1:]))):
                rows.pop()  # the 总分 row: the sum of the 分值 column, computed on print
                self.total_row = cells[0].text.strip()
        return rows

    def halves(
        self, table: Table, start: int, halves: list[Cell]
    ) -> tuple[list[Level1Draft], list[Level1Draft]]:
        mid = next((h for h in halves if self.vocab.group(h.text) == "midterm"), halves[0])
        year = next((h for h in halves if h is not mid), halves[1])
        level1 = self.columns(table, 0, start, mid.col)
        mid_cols = level1 + self.columns(table, 1, mid.col, mid.end_col)
        year_cols = level1 + self.columns(table, 1, year.col, year.end_col)
        body = self.body_rows(table, 2)
        return (
            self.tree(table, body, year_cols, shared=True),
            self.tree(table, body, mid_cols, shared=True),
        )

    def tree(
        self, table: Table, rows: list[int], columns: list[tuple[int, str]], shared: bool = False
    ) -> list[Level1Draft]:
        """The 一级 › 二级 › 三级 tree of ``rows``.  ``shared``: the 一级 column serves two
        halves (中期 beside 年度), so a 一级 is this half's only when the half has rows for it."""
        tree: list[Level1Draft] = []
        cols = dict((key, c) for c, key in columns)
        l1_col, l2_col = cols.get("level1"), cols.get("level2")
        last1: Cell | None = None
        last2: Cell | None = None
        split = self.template.page.split_value
        # A table that merges its category cells (Word's vMerge) says where each block ends;
        # one that repeats them (a PDF, an export) is read by the repeats.
        merged = any(
            c.rowspan > 1 for c in table.cells if c.col in (l1_col, l2_col) and c.row in rows
        )

        def _new_block(cell: Cell, last: Cell) -> bool:
            return cell is not last if merged else _repeat_starts_block(cell, last)

        for r in rows:
            c1 = table.at(r, l1_col) if l1_col is not None else None
            c2 = table.at(r, l2_col) if l2_col is not None else None
            cells = {key: table.at(r, c) for c, key in columns if key not in ("level1", "level2")}
            texts = {k: (v.text if v is not None else "") for k, v in cells.items()}
            if not any(t.strip() for t in texts.values()) and (c2 is None or not c2.text.strip()):
                if shared:
                    continue  # the shorter half's filler
                if c1 is not None and (last1 is None or _new_block(c1, last1)):
                    tree.append(self.level1(c1.text))
                    last1, last2 = c1, None
                continue  # the shorter half's filler, or a 一级 without 二级
            if (c1 is not None and (last1 is None or _new_block(c1, last1))) or not tree:
                tree.append(self.level1(c1.text if c1 is not None else ""))
                last1, last2 = c1, None
            l1 = tree[-1]
            if (c2 is not None and (last2 is None or _new_block(c2, last2))) or not l1.blocks:
                name, score = self.score(c2.text if c2 is not None else "")
                l1.blocks.append(Level2Draft(name, score))
                last2 = c2
            l2 = l1.blocks[-1]
            self.rows += 1
            indicator = self.indicator(texts, split)
            if indicator is not None:
                l2.indicators.append(indicator)
        return tree

    def level1(self, text: str) -> Level1Draft:
        name, score = self.score(text)
        return Level1Draft(name, score)

    def score(self, text: str) -> tuple[str, str]:
        text = text.replace("\n", "")
        if not self.template.has("category", "score"):
            return text, ""
        match = _SCORE.fullmatch(text)
        if match is None or not match["name"]:
            return text, ""
        return match["name"], match["n"] or match["r"]

    def indicator(self, texts: dict[str, str], split: bool) -> IndicatorDraft | None:
        name = texts.pop("name", "").replace("\n", "")
        value = texts.pop("value", "")
        if split:
            op = texts.pop("operator", "").strip()
            measure = texts.pop("measure", "") if "measure" in texts else ""
            if value:
                # The unit goes before a bound word the printer kept with the number
                # (``0及以上`` | ``%`` is ``0%及以上``).
                suffix = next((w for w in SUFFIXES if value.endswith(w)), "")
                value = op + value[: len(value) - len(suffix)] + measure.strip() + suffix
            elif measure:
                texts["measure"] = measure
        if not name and not value and not any(t.strip() for t in texts.values()):
            return None
        fields: dict[str, str] = {}
        repeats = self.template.page.description_repeats_name
        for key, text in texts.items():
            if key == "description":
                if repeats and text == name:
                    continue
                if text or repeats:
                    fields[key] = text
                continue
            if text.strip():
                fields[key] = text  # as the cell says, blanks and all
        value = value.strip() if "\n" not in value else value
        likely = _misread_operator(value)
        if likely is not None:
            self.notes.append(
                (
                    f"“{name}”的值 {value} 照原样写出；看起来像 {likely}（≥ 被认成了 2？）",
                    f"the value {value} of “{name}” is written as it is; it looks like {likely} "
                    "(a ≥ read as 2?)",
                )
            )
        return IndicatorDraft(name, value, fields)


def _sums(cells: list[Cell]) -> bool:
    """Cells of a total row: blanks and numbers, at least one number."""
    texts = [norm(c.text) for c in cells]
    return any(texts) and all(re.fullmatch(r"\d+(?:\.\d+)?(?:分)?", t) for t in texts if t)


def _infer_level1(columns: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A table that names 二级 and 三级 but no 一级: the unknown column just left of the
    二级 one is the 一级 (宁晋's 评价指标 | 评价内容 | 指标名称), whatever its label says."""
    keys = [key for _, key in columns]
    if "level1" in keys or "level2" not in keys:
        return columns
    at = keys.index("level2")
    if at > 0 and keys[at - 1].startswith("free:"):
        columns = list(columns)
        columns[at - 1] = (columns[at - 1][0], "level1")
    return columns


def _repeat_starts_block(cell: Cell, last: Cell) -> bool:
    """In a table that does not merge, whether ``cell`` starts a new 一级/二级 block after
    ``last``: a cell of its own, unless its text repeats (or is left empty)."""
    if cell is last:
        return False
    return not (
        cell.rowspan == 1 and last.rowspan == 1 and norm(cell.text) in ("", norm(last.text))
    )


_TWO = re.compile(r"2(\d{1,3}(?:\.\d+)?)%")


def _misread_operator(value: str) -> str | None:
    """``295%`` where ``≥95%`` is meant: OCR and some PDF fonts turn ≥ into 2.  A rate over
    100% that is a 2 before a rate of at most 100% is said (never changed)."""
    found = _TWO.fullmatch(value.strip())
    if found is None or Decimal(found.group(1)) > 100 or Decimal(value.strip()[:-1]) <= 100:
        return None  # (25% is a rate; only a rate over 100% is suspect)
    return f"≥{found.group(1)}%"

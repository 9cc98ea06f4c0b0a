"""The header table of one 绩效目标表 (基本信息): labelled cells → a project's fields and money.

Whatever the template's layout (the seed's inline money row, stacked amounts, the MoF pairs,
a matrix of funding lines × money columns, groups merged down the left, blocks of rows, goals
side by side), a value is found the same way: the label to its left, else the column header
above it.  A money line belongs to the money column whose label stands above it (in its own
column, or in its label's column), else to the last one read.  A cell that is no label the
template or the registry knows, followed by a value, is a ``栏目`` of its own; anything else
that cannot be placed is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from perfdsl.importer.draft import FundingDraft, ProjectDraft
from perfdsl.importer.grid import Cell, Table
from perfdsl.importer.vocab import (
    HEADER_LEVELS,
    MONEY_UNIT_RE,
    Vocabulary,
    always_printed,
    column_key,
    norm,
)
from perfdsl.standards import fields as R
from perfdsl.values import NUMBER, Quantity, normalise, parse_value

Leftover = Callable[[Cell, str], None]
_GOAL_NUMBER = re.compile(r"\s*(\d{1,3})\s*[.、．)）]\s*")
_LABEL_VALUE = re.compile(r"(?P<label>[^:：]{1,30})[:：](?P<value>.*)", re.S)
_AMOUNT = re.compile(rf"(?P<num>{NUMBER}\s*(?:[元万亿千百]*元|万|亿)?.*)", re.S)


def goal_items(text: str, numbered: bool) -> list[str]:
    """The goals of a cell: numbered items (``1.…``, continuation lines joined), or one item a
    line when the template prints them unnumbered."""
    lines = [line for line in text.split("\n")]
    if not any(line.strip() for line in lines):
        return []
    first = _GOAL_NUMBER.match(lines[0])
    if not (numbered and first and first.group(1) == "1"):
        # (as written, blanks and all: only the empty lines between goals go)
        return [line for line in lines if line.strip()] if not numbered else [text.strip("\n")]
    items: list[str] = []
    for line in lines:
        match = _GOAL_NUMBER.match(line)
        if match and int(match.group(1)) == len(items) + 1:
            items.append(line[match.end() :])
        elif items:
            items[-1] += "\n" + line
    return items


class HeaderReader:
    def __init__(self, vocab: Vocabulary, draft: ProjectDraft, leftover: Leftover) -> None:
        self.vocab = vocab
        self.template = vocab.template
        self.draft = draft
        self.leftover = leftover
        #: (budget key, funding kind, amount, prefixed) in reading order.
        self.funding: list[tuple[str, str, str, bool]] = []
        self.last_budget = "budget"
        self.money_unit = ""
        #: The money group's label when the template prints another (湖北's).
        self.money_group = ""
        self.recognised = 0
        #: What the reader had to guess, for the report: (zh, en).
        self.notes: list[tuple[str, str]] = []

    # -- cells -------------------------------------------------------------------------------

    def meaning(self, cell: Cell) -> tuple[str, str, str] | None:
        """("field", level, key), ("block", key, ""), ("group", what, unit) or None."""
        if not norm(cell.text):
            return None
        key = norm(cell.text)
        if key in self.vocab.blocks:
            return ("block", self.vocab.blocks[key], "")
        if self.vocab.groups.get(key, ("",))[0] == "group":
            # The template's own group label (宁乡's 项目立项情况 over three fields) before a
            # field the registry happens to spell the same way.
            return ("group", "group", "")
        found = self.vocab.field(cell.text)
        if found is not None:
            group = self.vocab.groups.get(key)
            if group is not None and group[0] == "text" and group[1]:
                self.money_unit = self.money_unit or group[1]
            return ("field", *found)
        group = self.vocab.groups.get(key)
        if group is not None:
            return ("group", *group)
        near = self.vocab.truncated(cell.text)
        if near is not None:  # 联系电 for 联系电话, 目起止时间 for 项目起止时间
            label, found = near
            self.notes.append(
                (
                    f"“{cell.text.strip()}”看作“{label}”（表上少了字）",
                    f"“{cell.text.strip()}” read as “{label}” (the table lost a character)",
                )
            )
            return ("field", *found)
        # A money group printed with its unit by hand: 部门总体资金情况 (单位:万元).
        unit = _GROUP_UNIT.search(key)
        if (
            unit is not None
            and (
                self.vocab.groups.get(key[: unit.start()], ("",))[0] == "money"
                # a label of its own over several rows that names a money unit: this table's
                # money group (湖北's 部门总体资金情况（单位：万元）), whatever the template calls it
                or (cell.rowspan > 1 and key[: unit.start()])
            )
        ):
            self.money_unit = self.money_unit or unit["unit"]
            if self.vocab.groups.get(key[: unit.start()], ("",))[0] != "money":
                self.money_group = self.money_group or cell.text
            return ("group", "money", unit["unit"])
        return None

    def printed(self, level: str, key: str, label: Cell) -> None:
        """Remember the label a field is printed under here (the first one read)."""
        if level == "funding" and self.vocab.prefixed(label.text):
            return  # 其中：财政拨款 — the prefix is the page's, the label is what follows
        if level in HEADER_LEVELS and self.vocab.field(label.text) is None:
            return  # read as a label that lost a character (联系电): the template's is right
        if label.text.strip() and self.vocab.groups.get(norm(label.text)) is None:
            self.draft.labels.setdefault((level, key), []).append(label.text)

    def is_label(self, cell: Cell | None) -> bool:
        return cell is not None and self.meaning(cell) is not None

    # -- reading ---------------------------------------------------------------------------

    def read(self, table: Table) -> None:
        used: set[int] = set()
        if self.block_table(table, used):
            return
        r = 0
        while r < table.height:
            skip = self.row(table, r, used)
            r += max(1, skip)

    def block_table(self, table: Table, used: set[int]) -> bool:
        """A table of its own that is one block of rows (宁德's 年度履职目标 under its caption):
        its first row is the block's column labels, every one of them."""
        heads = table.origins(0)
        if len(heads) < 2 or table.height < 2:
            return False
        for key, field in ((k, R.get("project", k)) for k in set(self.vocab.blocks.values())):
            if not self.template.has("project", key):
                continue
            mapping = self.vocab.row_columns.get(field.block, {})
            if all(column_key(mapping, h.text) is not None for h in heads):
                head = Cell(0, 0, 1, table.width, "")
                self.recognised += len(heads)
                self.block(table, head, heads, key, used, start=1)
                return True
        return False

    def continued(self, table: Table, cells: list[Cell], i: int, r: int, used: set[int]) -> int:
        """A label merged down over several rows, each with its own value beside it (宁德's
        年度总体目标 with 目标1…目标4 one a row): the value of this row extends the field."""
        cell = cells[i]
        meaning = self.meaning(cell)
        if meaning is None or meaning[0] != "field":
            return 1
        j = i + 1
        values: list[Cell] = []
        while j < len(cells) and cells[j].row == r and not self.is_label(cells[j]):
            if id(cells[j]) not in used:
                values.append(cells[j])
            j += 1
        if not values:
            return 1
        for value in values:
            used.add(id(value))
        self.extend(meaning[1], meaning[2], "\n".join(v.text for v in values if v.text), cell)
        return j - i

    def extend(self, level: str, key: str, value: str, label: Cell) -> None:
        """One more row of a field read on the row above (a goal, a line of text)."""
        d = self.draft
        if not value.strip():
            return
        if level == "project" and key == "goals":
            d.goals = [*(d.goals or []), *goal_items(value, self.template.page.number_goals)]
            return
        if level == "project" and key != "name" and R.get("project", key).kind == "goals":
            before = d.fields.get(key)
            items = before if isinstance(before, list) else []
            d.fields[key] = [*items, *goal_items(value, self.template.page.number_goals)]
            return
        if level == "project" and isinstance(d.fields.get(key), str):
            d.fields[key] = f"{d.fields[key]}\n{value}" if d.fields[key] else value
            return
        self.leftover(label, "a second value for a field that takes one")

    def row(self, table: Table, r: int, used: set[int]) -> int:
        cells = table.row_cells(r)
        i = 0
        while i < len(cells):
            cell = cells[i]
            if cell.row != r:
                i += self.continued(table, cells, i, r, used)
                continue
            if id(cell) in used:
                i += 1
                continue
            used.add(id(cell))
            meaning = self.meaning(cell)
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if meaning is None:
                i += self.unlabelled(table, cells, i, used)
                continue
            what = meaning[0]
            self.recognised += 1
            if what == "block":
                return self.block(table, cell, cells[i + 1 :], meaning[1], used)
            if what == "group":
                if meaning[1] in ("money", "text") and meaning[2]:
                    self.money_unit = self.money_unit or meaning[2]
                if meaning[1] == "money":
                    self.money_columns(table, cell, used)
                i += 1
                continue
            level, key = meaning[1], meaning[2]
            self.printed(level, key, cell)
            values: list[Cell] = []
            j = i + 1
            while j < len(cells) and cells[j].row == r and not self.is_label(cells[j]):
                if id(cells[j]) not in used:
                    values.append(cells[j])
                j += 1
            if level in ("funding", "budget") and len(values) > 1:
                values = self.money_row(table, cell, values, used)
            if level == "funding" and values:
                for value in values:
                    used.add(id(value))
                    self.funding_value(table, cell, value, key)
                i = j
                continue
            if not values:
                below = table.at(cell.end_row, cell.col)
                if (
                    below is not None
                    and below.col == cell.col
                    and below.row == cell.end_row
                    and id(below) not in used
                    and not self.is_label(below)
                    and (nxt is None or self.is_label(nxt) or nxt.row != r)
                ):
                    used.add(id(below))
                    values = [below]
                else:
                    if level == "budget":  # a column header of a money grid
                        self.last_budget = key
                        i += 1
                        continue
                    self.assign(level, key, "", cell)
                    i += 1
                    continue
            for value in values:
                used.add(id(value))
            self.assign(
                level,
                key,
                "\n".join(v.text for v in values if v.text) if len(values) > 1 else values[0].text,
                cell,
            )
            i = j
        return 1

    def unlabelled(self, table: Table, cells: list[Cell], i: int, used: set[int]) -> int:
        """A cell that is no known label: a value beside a group (资金用途 in the seed's
        money group), a label and its value in one cell, or an unknown label with a value."""
        cell = cells[i]
        combined = self.split_combined(cell.text)
        if combined is not None:  # 总额10606.7522万元 beside the money group is the total
            (level, key), value = combined
            self.assign(level, key, value, cell)
            return 1
        left = cells[i - 1] if i > 0 else None
        left_meaning = self.meaning(left) if left is not None else None
        if left_meaning is not None and left_meaning[0] == "group":
            if left_meaning[1] == "money" and "purpose" not in self.draft.fields:
                self.assign("project", "purpose", cell.text, cell)
                return 1
            if left_meaning[1] in ("source", "use") and not cell.text:
                return 1
        if not norm(cell.text):
            return 1  # a blank cell with no label: filler
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if (
            nxt is not None
            and nxt.row == cell.row
            and not self.is_label(nxt)
            and id(nxt) not in used
        ):
            used.add(id(nxt))
            self.draft.fields[f"free:{cell.text.strip()}"] = nxt.text
            return 2
        self.leftover(cell, "no label the template or the registry knows")
        return 1

    def split_combined(self, text: str) -> tuple[tuple[str, str], str] | None:
        """``联系电话：123`` or ``总额10606.7522万元``: a label and its value in one cell."""
        match = _LABEL_VALUE.fullmatch(text.strip())
        if match is not None:
            found = self.vocab.field(match["label"])
            if found is not None:
                return found, match["value"].strip()
        compact = normalise(text.strip())
        for length in range(min(len(compact) - 1, 20), 0, -1):
            found = self.vocab.field(compact[:length])
            if found is not None and found[0] in ("budget", "funding"):
                rest = compact[length:]
                if _AMOUNT.fullmatch(rest):
                    return found, rest
        return None

    def assign(self, level: str, key: str, value: str, label: Cell) -> None:
        d = self.draft
        t = self.template
        if level == "budget":
            self.last_budget = key
            if value:
                d.budget(key).total = value
            return
        if level == "funding":
            self.funding.append((self.last_budget, key, value, self.vocab.prefixed(label.text)))
            return
        if level == "header":
            if key not in _placed(t):
                # A header field the template prints below the table, found in a cell: kept
                # as the cell it is, under its printed label (湖北's 填报人 in the grid).
                d.fields[self.free_name(label.text.strip())] = value
                return
            d.header[key] = value
            return
        if key == "name":
            if value and not d.name:
                d.name = value.replace("\n", "")
            return
        field = R.get("project", key)
        if key == "goals":
            d.goals = goal_items(value, t.page.number_goals)
            return
        if field.kind == "goals":
            d.fields[key] = goal_items(value, t.page.number_goals)
            return
        if field.kind in ("rows", "labels", "indicators"):
            self.leftover(label, "a block label with no block under it")
            return
        if key in d.fields and value:
            d.fields[f"free:{label.text.strip()}"] = value
            return
        if value or norm(label.text) not in always_printed(t):
            d.fields[key] = value  # (a blank cell the template prints anyway: left out)

    def money_columns(self, table: Table, group: Cell, used: set[int]) -> None:
        """Column labels beside a money group (当年金额 | 近两年收支金额 | 占比, and 年 | 年 under
        them): labels, not values.  The amounts under them are read by their lines; the labels
        themselves are reported when the template has no such column."""
        heads = [
            c
            for r in range(group.row, group.end_row)
            for c in table.origins(r)
            if c.col >= group.end_col and not self.is_label(c)
        ]
        if not heads or not all(_column_label(c.text) for c in heads):
            return
        for head in heads:
            used.add(id(head))
            if norm(head.text):
                self.leftover(head, "a column of the money grid that the template does not print")

    def money_row(
        self, table: Table, label: Cell, values: list[Cell], used: set[int]
    ) -> list[Cell]:
        """A money line with several value cells (湖北's 当年金额 | 近两年 | 占比): the first,
        and any other under a money column, are its amounts; every other cell is a field of
        its own, named by the line and its column (``合计占比``), or a blank."""
        amounts = [values[0]] + [
            v for v in values[1:] if norm(v.text) and self.column_of(table, v) is not None
        ]
        for value in values:
            if value in amounts:
                continue
            used.add(id(value))
            if not norm(value.text):
                continue
            column = self.header_above(table, value)
            name = f"{label.text.strip()}{column}" if column else label.text.strip()
            self.draft.fields[self.free_name(name)] = value.text.strip()
        return amounts

    def free_name(self, label: str) -> str:
        """``free:<label>``, numbered when the table prints the same label twice."""
        key, n = f"free:{label}", 2
        while key in self.draft.fields:
            key, n = f"free:{label}（{n}）", n + 1
        return key

    def header_above(self, table: Table, cell: Cell) -> str:
        """The label over ``cell``'s column: the nearest cell above that starts in its column
        and is text, not an amount."""
        for r in range(cell.row - 1, -1, -1):
            above = table.at(r, cell.col)
            if above is None or above.col != cell.col or above is cell:
                continue
            text = above.text.strip()
            if text and not re.fullmatch(rf"[\d\s.,%，]*|{NUMBER}.*", text):
                return text
        return ""

    def funding_value(self, table: Table, label: Cell, value: Cell, kind: str) -> None:
        key = self.column_of(table, value) or self.column_of(table, label) or self.last_budget
        if not norm(value.text):
            self.funding.append((key, kind, "", False))
            return
        self.funding.append((key, kind, value.text.strip(), self.vocab.prefixed(label.text)))

    def column_of(self, table: Table, cell: Cell) -> str | None:
        """The money column whose label stands above ``cell`` in its column, if any."""
        for r in range(cell.row - 1, -1, -1):
            above = table.at(r, cell.col)
            if above is None or above.col != cell.col:
                continue
            found = self.vocab.field(above.text)
            if found is not None and found[0] == "budget":
                return found[1]
        return None

    def block(
        self,
        table: Table,
        cell: Cell,
        rest: list[Cell],
        key: str,
        used: set[int],
        start: int | None = None,
    ) -> int:
        """A block of rows: its label (merged down beside them, or over the whole width),
        a row of column labels, then one row per row of the block.  ``start``: the block is
        the whole table, its column labels ``rest`` on the first row."""
        field = R.get("project", key)
        columns_row = [c for c in rest if c.row == cell.row]
        if start is None:
            start = cell.row + 1
            if not columns_row:  # the label spans the width: column labels on the next row
                columns_row = [c for c in table.row_cells(start) if c.row == start]
                start += 1
        stop = cell.end_row if cell.rowspan > 1 else table.height
        mapping = self.vocab.row_columns.get(field.block, {})
        columns: list[tuple[Cell, str]] = []
        if norm(cell.text) in self.vocab.blocks:
            self.printed("project", key, cell)
        for head in columns_row:
            used.add(id(head))
            column = column_key(mapping, head.text)
            if column is not None:
                self.printed(f"row.{field.block}", column, head)
            columns.append((head, column or f"free:{head.text.strip()}"))
        bounds = [(h.col, h.colspan) for h, _ in columns]
        rows: list[dict[str, str]] = []
        r = start
        while r < stop:
            origin = [
                c
                for c in table.row_cells(r)
                if c.row == r and c.col >= (columns_row[0].col if columns_row else 0)
            ]
            if cell.rowspan == 1 and (
                [(c.col, c.colspan) for c in origin] != bounds
                or (origin and self.is_label(origin[0]))
            ):
                break
            row: dict[str, str] = {}
            for c in origin:
                used.add(id(c))
                match = next((k for h, k in columns if h.col == c.col), None)
                if match is None:
                    self.leftover(c, "a cell of a block under no column label")
                elif c.text:
                    row[match] = c.text
            rows.append(row)
            r += 1
        self.draft.rows[key] = rows
        return r - cell.row

    # -- money ---------------------------------------------------------------------------

    def finish(self) -> None:
        """Funding lines into their columns, each breakdown (其中…) under the line it breaks
        down: the last line that is not one of the template's main lines, else the main line
        its parts add up to, else the first main line."""
        main = [k for k in self.template.page.main_funding if self.template.has("funding", k)]
        prefix = bool(norm(self.template.page.breakdown_prefix))
        by_budget: dict[str, list[tuple[str, str, bool]]] = {}
        for budget, kind, amount, prefixed in self.funding:
            by_budget.setdefault(budget, []).append((kind, amount, prefixed))
        for budget, entries in by_budget.items():
            column = self.draft.budget(budget)
            tops: list[FundingDraft] = []
            pending: list[FundingDraft] = []

            def flush(
                tops: list[FundingDraft] = tops, pending: list[FundingDraft] = pending
            ) -> None:
                if not pending:
                    return
                parent = _parent(tops, pending, main, strict=not prefix)
                if parent is None:
                    tops.extend(pending)
                else:
                    parent.lines.extend(pending)
                pending.clear()

            for kind, amount, prefixed in entries:
                if not amount:
                    continue
                line = FundingDraft(kind, amount)
                nested = (prefixed and kind not in main) if prefix else False
                if not prefix and kind not in main and tops and all(t.kind in main for t in tops):
                    nested = True  # (decided by the sums below)
                if nested:
                    pending.append(line)
                    continue
                flush()
                tops.append(line)
            flush()
            column.lines.extend(tops)


_GROUP_UNIT = re.compile(rf"[(（](?:单位[:：]?)?(?P<unit>{MONEY_UNIT_RE})[)）]$")


def _column_label(text: str) -> bool:
    """A short label, not an amount or a sentence (a value beside the group)."""
    text = text.strip()
    return (
        len(text) <= 12
        and not re.search(r"[。，,；;]", text)
        and not re.fullmatch(rf"{NUMBER}.*|[\d\s.%]*", text)
    )


def _number(amount: str) -> Decimal | None:
    value = parse_value(amount)
    if isinstance(value, Quantity):
        return value.number
    try:
        return Decimal(normalise(amount).replace(",", ""))
    except InvalidOperation:
        return None


def _parent(
    tops: list[FundingDraft], parts: list[FundingDraft], main: list[str], strict: bool
) -> FundingDraft | None:
    if not tops:
        return None
    last = tops[-1]
    if last.kind not in main:
        return last
    numbers = [_number(p.amount) for p in parts]
    total = sum(numbers, Decimal(0)) if None not in numbers else Decimal(0)  # type: ignore[arg-type]
    if total:  # (parts adding up to 0 would match any line of 0: no evidence)
        for top in reversed(tops):  # the nearest above: a breakdown prints under its line
            if _number(top.amount) == total:
                return top
    return None if strict else last  # (no sum decides: the line right above)


def _placed(template: object) -> set[str]:
    from perfdsl.emit.header import _placed as placed

    return placed(template.page.header)  # type: ignore[attr-defined]

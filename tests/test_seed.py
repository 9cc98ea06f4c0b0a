"""Every cell of the published seed document reaches the AST of examples/beichen-court-2024.pdsl.

The expected cells are read from the published text itself (tests/data/, a copy of the
disclosure), not typed in here, so this test compares two independent transcriptions.
"""

from __future__ import annotations

import re
from pathlib import Path

from perfdsl.values import format_decimal

SEED = Path(__file__).parent / "data" / "seed-beichen-court-2024.txt"
HEADING = re.compile(r"\[bookmark: _Toc\d+\](\d+)\.(.+)绩效目标表")


def _cells(block: str) -> list[str]:
    """Table cells: a line starting with a tab opens a cell; other non-blank lines continue it."""
    cells: list[str] = []
    for line in block.split("\n"):
        if line.startswith("\t"):
            cells.append(line[1:])
        elif line.strip() and cells:
            cells[-1] += "\n" + line
    return [re.sub(r"\[bookmark: \w+\]", "", c).strip() for c in cells]


def published_tables() -> list[dict]:
    text = SEED.read_text(encoding="utf-8")
    parts = HEADING.split(text)[1:]
    tables = []
    for number, title, body in zip(parts[0::3], parts[1::3], parts[2::3], strict=True):
        head, rows = body.split("\t指标值\n", 1)
        cells = _cells(head)
        assert cells[-4:] == ["一级指标", "二级指标", "三级指标", "绩效指标描述"]
        i = cells.index("项目名称")
        table = {
            "number": int(number),
            "title": title.strip(),
            "unit_line": cells[0],
            "money_line": cells[1],
            "name": cells[i + 1],
            "budget": cells[cells.index("预算数") + 1],
            "fiscal": cells[cells.index("其中：财政    资金") + 1],
            "other": cells[cells.index("其他资金") + 1],
            "purpose": cells[cells.index("其他资金") + 3],
            "goals": cells[cells.index("绩效目标") + 1].split("\n"),
        }
        row_cells = _cells(rows)
        assert len(row_cells) % 5 == 0, (number, row_cells)
        level1 = ""
        table["rows"] = []
        for r in range(0, len(row_cells), 5):
            l1, l2, l3, desc, value = row_cells[r : r + 5]
            level1 = l1 or level1
            table["rows"].append((level1, l2, l3, desc, value))
        tables.append(table)
    return tables


def test_seed_text_has_nine_tables():
    tables = published_tables()
    assert [t["number"] for t in tables] == list(range(1, 10))
    # 9 + 7 + 6 + 11 + 7 + 7 + 7 + 7 + 12 indicator rows, counted by hand in the published tables
    assert [len(t["rows"]) for t in tables] == [9, 7, 6, 11, 7, 7, 7, 7, 12]


def test_every_cell_of_the_seed_reaches_the_ast(seed_loaded):
    doc = seed_loaded.document
    tables = published_tables()
    assert len(doc.projects) == len(tables)
    header = doc.header
    for table, project in zip(tables, doc.projects, strict=True):
        where = f"table {table['number']}"
        assert table["unit_line"] == header.unit_code.value + header.unit_name.value, where
        assert table["money_line"] == f"单位：{header.money_unit.value}", where
        assert project.name == table["name"] == table["title"], where
        budget = project.budget
        assert format_decimal(budget.total.amount) == table["budget"], where
        for kind in ("财政资金", "其他资金"):
            published = table["fiscal" if kind == "财政资金" else "other"]
            line = budget.line("fiscal" if kind == "财政资金" else "other")
            # A blank published cell is a funding line the source leaves out.
            assert (format_decimal(line.amount.amount) if line else "") == published, (where, kind)
        assert project.fields.text("purpose") == table["purpose"], where
        published_goals = [re.sub(r"^\d+\.\s*", "", g).strip() for g in table["goals"]]
        assert [g.text for g in project.goals] == published_goals, where
        rows = [
            (
                l1.name,
                l2.name,
                ind.name,
                ind.description.value if ind.description else ind.name,
                ind.value.text if ind.value else "",
            )
            for l1, l2, ind in project.iter_indicators()
        ]
        assert rows == table["rows"], where


def test_every_number_of_the_seed_is_in_the_example():
    """A cruder net under the cell test: each number printed in the seed appears in the source."""
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"\[bookmark: \w+\]", "", text)
    source = (Path(__file__).parents[1] / "examples" / "beichen-court-2024.pdsl").read_text("utf-8")
    numbers = set(re.findall(r"\d+(?:\.\d+)?", text))
    missing = {n for n in numbers if n not in source}
    assert not missing

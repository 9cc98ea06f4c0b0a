"""What an import found, table by table, and every cell it could not place.

The report is the importer's promise that nothing was dropped silently: each cell is either
written into the source (as a field, or as a ``栏目`` the source declares) or listed here with
its table, row and column, and ``perfdsl import`` then exits 1.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Leftover:
    """A cell that could not be placed: 1-based table, row and column, its text, and why."""

    table: int
    row: int
    column: int
    text: str
    why: str


@attrs.frozen
class Note:
    """A reading made by guesswork (a year found in a cell, an assumed money unit): kept, and
    said."""

    zh: str
    en: str


@attrs.define
class TableReport:
    """One 绩效目标表 of the document."""

    project: str
    template: str
    tables: list[int] = attrs.field(factory=list)
    indicator_rows: int = 0
    labels: int = 0


@attrs.define
class Report:
    path: str
    template: str = ""
    tables: list[TableReport] = attrs.field(factory=list)
    leftovers: list[Leftover] = attrs.field(factory=list)
    notes: list[Note] = attrs.field(factory=list)
    #: What the written source's own reading refused (a cell the language cannot hold as
    #: read, two cells for one field): never silent, and the import is not clean.
    refused: list[Note] = attrs.field(factory=list)

    @property
    def clean(self) -> bool:
        return not self.leftovers and not self.refused

    def lines(self, lang: str = "zh") -> list[str]:
        out: list[str] = []
        for number, table in enumerate(self.tables, 1):
            where = (
                "、".join(map(str, table.tables))
                if lang == "zh"
                else ", ".join(map(str, table.tables))
            )
            if lang == "zh":
                out.append(
                    f"{self.path}: 第 {number} 张表《{table.project or '（无名称）'}》：模板 {table.template}，"
                    f"Word/Excel/PDF 的第 {where} 个表格，{table.indicator_rows} 行指标，{table.labels} 个标签"
                )
            else:
                out.append(
                    f"{self.path}: table {number} “{table.project or '(no name)'}”: template "
                    f"{table.template}, grid(s) {where}, {table.indicator_rows} indicator rows, "
                    f"{table.labels} labels"
                )
        return out

"""``perfdsl export``: many units' tables as one data set for the finance bureau's analysts.

Three tables, whatever the format (docs/export.md has the columns, keys and example
queries): ``indicators`` (指标, one row per 三级指标 of the year's tree and of a 中期 tree,
the typed value split into operator, number, unit, suffix, range bounds and dates),
``projects`` (项目, one row per table: its money columns and funding lines in the file's
money unit and in 万元, its goals, its fields) and ``units`` (单位, one row per file: unit,
year, money unit, projects, the budget total in 万元, errors and warnings).

The pipeline, a module a step:

* :mod:`~perfdsl.export.schema`: the columns and the SQLite schema (:func:`schema_sql`);
* :mod:`~perfdsl.export.rows`: what a row's cells hold, from a file's AST: exact amount text
  and 分, field text, a value cell split up;
* :mod:`~perfdsl.export.stage`: :class:`Stage`, every file's rows into a SQLite database as
  :func:`perfdsl.collect.collect` reads and judges them one at a time (memory stays bounded
  by the largest file), and the labels the templates give the columns;
* :mod:`~perfdsl.export.sheets`: the sheets ``xlsx`` and ``csv`` write, which columns each
  shows and the query that reads it back;
* :mod:`~perfdsl.export.csv` and :mod:`~perfdsl.export.xlsx`: the writers (the workbook
  writer, :func:`~perfdsl.export.xlsx.workbook_bytes`, also writes ``summary --format
  xlsx``).

The staged database *is* the ``sqlite`` output (renamed over OUT at the end); for ``xlsx``
and ``csv`` it is read back to write the sheets, then deleted.  Money is never a float:
amounts are exact decimal text, and SQLite also gets an INTEGER column in 分 (fen) for exact
sums.  The command, :mod:`perfdsl.commands.export`, checks the arguments, stages, writes and
reports (a file with errors is still exported, exit 1; a usage or I/O problem writes
nothing, exit 2).
"""

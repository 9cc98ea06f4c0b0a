"""``perfdsl new FILE --unit U --year Y [--template T] [--project NAME ...]``: a table to fill in.

A new file (FILE does not exist) gets the header and one skeleton per ``--project`` (without
one, a single table named ``××项目``, or for a 部门整体 template the unit's own name):

* the header: ``单位``, ``年度``, ``金额单位: 万元``; ``模板`` when the template is not the
  default one (the default is the configuration's ``template``, else tianjin), written as
  the name given; ``指标体系`` when the template names a built-in framework other than the
  default 2015 (``mof2021``: 2021), so the file says which rules it is held to;
* each table, written with the labels of its template (the formatter prints them): every
  project field the template lists (主管部门, 实施单位, 实施期 …) with the placeholder
  ``××``; every money column of the template (预算数, 中期资金总额 …) at ``0``, with the
  funding lines the template always prints (``page.main_funding``: 财政资金 and 其他资金,
  基本支出 and 项目支出 for 部门整体) at ``0``; 绩效目标 (and 中期目标 where the template has
  it) with one numbered ``××``; a block of rows (年度履职目标) with one row of ``××``; the
  scores 预算执行率分值 and 绩效指标分值 at the framework's values (10 and 90);
* the indicator tree of the table's framework (the one ``perfdsl check`` will apply: the
  header's, the template's, the configuration's): every 一级 and 二级 in the framework's
  order, each 二级 with one indicator ``××<二级>: ××`` (``××数量: ××``), and the indicator
  columns the template always prints besides 指标值 (``指标值设定依据: ××``, ``权重: 0`` …;
  not 描述 where the template repeats the name in it).

Left out: 年度总体目标完成情况 (filled in after the year), 签章 lines, a second 中期 indicator
tree, a 一级/二级's 分值 and the optional indicator columns; add them by hand where wanted.

``××`` is what the checker reports as a template placeholder (PD3008), so ``perfdsl check`` on
the new file lists what is left to fill in: the table's name, its text fields, goals, and each
indicator's name, value and text columns.  ``××`` in a quantity, cost or satisfaction value
also gets the rule for that kind of value (PD5004, PD5002, which say what belongs there), and
scores left at 0 are reported as not adding up yet (PD5006, PD5016).  The checker does not look for
placeholders in amounts, in typed fields (实施期, 预算执行率) or in the cells of a block of rows:
those show their ``0`` or ``××`` on the page.  The file itself reads without a single
front-end error and is in canonical form (the formatter prints it), so ``perfdsl fmt --check``
passes on it.

An existing FILE is never overwritten.  With ``--project``, the new tables are added at its
end instead: the file must read without errors, no table of that name may exist, and
``--unit``/``--year``, if given, must be the file's own.  The new tables follow the file's
template; ``--template`` naming another one gives each new table its own ``模板:`` line.  A
file in canonical form stays so (it is printed again by the formatter); any other file keeps
its text byte for byte, the new tables appended in canonical form.  A GBK or UTF-16 file is
saved as UTF-8, as ``perfdsl fmt`` would.  Every write is atomic.

``-`` as FILE prints the new file on standard output (in UTF-8).

Exit codes: 0 written; 1 the existing file has errors (they are printed, nothing is added); 2
a usage problem (an unknown template, a bad year, an existing file without ``--project``, a
table that exists already, a write that failed), as one line in the user's language.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import attrs

from perfdsl import ast
from perfdsl import config as configuration
from perfdsl.diagnostics import Diagnostic, Msg, Severity
from perfdsl.output import say, write_source
from perfdsl.standards import fields as R
from perfdsl.standards import frameworks as F
from perfdsl.standards.templates import Catalog, Template, TemplateError

#: What an unfilled cell holds: a run the checker reports as a template placeholder (PD3008).
PLACEHOLDER = "××"
#: The name of the one table a new file gets when no ``--project`` is given.
DEFAULT_PROJECT = f"{PLACEHOLDER}项目"
#: The money unit of a new file.
MONEY_UNIT = "万元"
#: Project fields a new table leaves out: its own template (written only when it differs),
#: what is filled in after the year, free sign-off lines, a second indicator tree.
_LEFT_OUT = frozenset({"template", "annual_completion", "signoff", "midterm_indicators"})
_YEAR = re.compile(r"(?:19|20)\d\d")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
INDENT = "  "


class _Refused(Exception):
    """Why nothing was written: one line for the user (exit 2)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.message = Msg(zh, en)


def run_new(
    path: str,
    unit: str | None,
    year: str | None,
    template: str | None,
    projects: Sequence[str],
    lang: str | None,
) -> int:
    language = configuration.lang_for(lang, path if path != "-" else None)
    try:
        return _run(path, unit, year, template, list(projects), language)
    except _Refused as exc:
        say(f"perfdsl new: {exc.message.get(language)}")
        return 2
    except configuration.ConfigError as exc:
        say(f"perfdsl new: {exc.message.get(language)}")
        return 2


def _run(
    path: str,
    unit: str | None,
    year: str | None,
    template_name: str | None,
    projects: list[str],
    lang: str,
) -> int:
    from perfdsl.pipeline import templates_for

    for name in projects:
        _check_name(name)
    if len(set(projects)) != len(projects):
        twice = next(n for n in projects if projects.count(n) > 1)
        raise _Refused(f"--project {twice} 写了两次", f"--project {twice} is given twice")
    if unit is not None:
        _check_unit(unit)
    if year is not None and not _YEAR.fullmatch(year):
        raise _Refused(
            f"--year 应当是四位半角数字的年度（19xx 或 20xx），而不是 `{year}`",
            f"--year must be a four-digit year (19xx or 20xx), not `{year}`",
        )
    where = path if path != "-" else os.path.join(os.getcwd(), "new.pdsl")
    config = configuration.for_file(where)
    catalog, problems = templates_for(where, config)
    chosen = _template(catalog, template_name, problems) if template_name else None
    if path != "-" and os.path.isdir(path):
        raise _Refused(f"{path} 是一个文件夹", f"{path} is a folder")
    if path != "-" and os.path.lexists(path):
        if not projects:
            raise _Refused(
                f"{path} 已经存在，没有改写它；要在其中增加项目，用 --project 名称",
                f"{path} exists already and was not overwritten; to add a project to it, "
                "give --project NAME",
            )
        return _add(
            path, unit, year, chosen, template_name, projects, config, catalog, problems, lang
        )
    if unit is None or year is None:
        missing = " 和 ".join(o for o, v in (("--unit", unit), ("--year", year)) if v is None)
        missing_en = " and ".join(o for o, v in (("--unit", unit), ("--year", year)) if v is None)
        raise _Refused(f"新文件要写 {missing}", f"a new file needs {missing_en}")
    template = chosen or _usable(catalog.templates[catalog.default], problems)
    header = "\n".join(_header(unit, year, template, template_name, catalog)) + "\n"
    draft = _Draft(header, catalog, config)
    names = projects or [_default_name(template, draft.document().header)]
    for name in names:
        draft.add(name, template, own_template=None)
    document, _text = draft.finish()
    text = _formatted(document, catalog)
    if path == "-":
        write_source(text)
        return 0
    _write(path, text.encode("utf-8"))
    say(
        Msg(
            f"已写出 {path}（{_count(len(names), 'zh')}）；`perfdsl check {path}` 列出还要填写的地方",
            f"wrote {path} ({_count(len(names), 'en')}); "
            f"`perfdsl check {path}` lists what is left to fill in",
        ).get(lang)
    )
    return 0


def _count(n: int, lang: str) -> str:
    return f"{n} 张表" if lang == "zh" else f"{n} table{'s' if n != 1 else ''}"


def _add(
    path: str,
    unit: str | None,
    year: str | None,
    chosen: Template | None,
    template_name: str | None,
    projects: list[str],
    config: configuration.Config,
    catalog: Catalog,
    problems: Sequence[Diagnostic],
    lang: str,
) -> int:
    """Add the tables ``projects`` at the end of the existing file ``path``."""
    from perfdsl.commands.common import print_diagnostics
    from perfdsl.fmt import to_file_text
    from perfdsl.load import load_path
    from perfdsl.standards.templates import for_document

    loaded = load_path(path, catalog)
    if loaded.source is None or loaded.document is None:
        problem = loaded.diagnostics[0] if loaded.diagnostics else None
        zh, en = _one_line(problem) if problem else ("", "")
        raise _Refused(f"无法读取 {path}：{zh}", f"cannot read {path}: {en}")
    if not loaded.ok:
        print_diagnostics(list(loaded.diagnostics), {path: loaded.lines}, lang)
        say(
            Msg(
                f"perfdsl new: {path}：有错误，没有增加项目",
                f"perfdsl new: {path}: has errors; no table was added",
            ).get(lang)
        )
        return 1
    source, document = loaded.source, loaded.document
    _same_header(path, document.header, unit, year, catalog, config)
    existing = {project.name for project in document.projects}
    for name in projects:
        if name in existing:
            raise _Refused(
                f"{path} 里已经有名为“{name}”的表，没有改动文件",
                f"{path} already has a table named “{name}”; the file is unchanged",
            )
    file_template = _usable(for_document(document, catalog), problems)
    template, own = file_template, None
    if chosen is not None and chosen.key != file_template.key:
        template, own = chosen, template_name
    draft = _Draft(source.text, catalog, config)
    for name in projects:
        draft.add(name, template, own_template=own)
    combined, text = draft.finish()
    # (The file's own keyword language, which a long skeleton in Chinese must not outvote.)
    combined = attrs.evolve(
        combined,
        line_ending=source.line_ending,
        bom=source.bom,
        keyword_language=document.keyword_language,
    )
    old = ("\ufeff" if source.bom else "") + source.text.replace("\n", source.line_ending)
    canonical = source.encoding == "utf-8" and to_file_text(document, source.lines, catalog) == old
    if canonical:
        data = to_file_text(combined, text.split("\n"), catalog).encode("utf-8")
    else:  # the author's text as it is, the new tables after it in canonical form
        added = combined.projects[len(combined.projects) - len(projects) :]
        alone = attrs.evolve(combined, comments=())
        tables = _formatted(attrs.evolve(alone, projects=added), catalog)
        header = _formatted(attrs.evolve(alone, projects=()), catalog)
        tail = tables[len(header) :] if header.strip() else "\n" + tables
        tail = tail.replace("\n", source.line_ending)
        if source.encoding == "utf-8":
            before = _read_bytes(path)  # (byte for byte, mixed line ends and all)
        else:
            before = old.lstrip("\ufeff").encode("utf-8")
            encoding = source.encoding.upper()
            say(
                Msg(
                    f"perfdsl new: {path} 是 {encoding} 编码，已改存为 UTF-8",
                    f"perfdsl new: {path} was {encoding}; it is saved as UTF-8",
                ).get(lang)
            )
        if before and not before.endswith((b"\n", b"\r")):
            before += source.line_ending.encode("ascii")
        data = before + tail.encode("utf-8")
    _write(path, data)
    names = "、".join(projects)
    say(
        Msg(
            f"已在 {path} 里增加 {_count(len(projects), 'zh')}：{names}",
            f"added {_count(len(projects), 'en')} to {path}: {', '.join(projects)}",
        ).get(lang)
    )
    return 0


def _same_header(
    path: str,
    header: ast.Header,
    unit: str | None,
    year: str | None,
    catalog: Catalog,
    config: configuration.Config,
) -> None:
    """``--unit`` and ``--year`` given with an existing file must be the file's own."""
    if year is not None and (header.year is None or header.year.value != year):
        written = header.year.value if header.year else "—"
        raise _Refused(
            f"{path} 是 {written} 年度的，不是 --year {year}",
            f"{path} is for the year {written}, not --year {year}",
        )
    if unit is not None:
        wanted = _Draft(f"单位: {_quoted(unit)}\n年度: 2000\n", catalog, config)
        try:
            given = wanted.document().header
        except _Refused:
            given = None
        same = given is not None and (
            _value(given.unit_code),
            _value(given.unit_name),
        ) == (_value(header.unit_code), _value(header.unit_name))
        if not same:
            written = " ".join(v for v in (_value(header.unit_code), _value(header.unit_name)) if v)
            raise _Refused(
                f"{path} 是“{written}”的，不是 --unit {unit.strip()}",
                f"{path} is for “{written}”, not --unit {unit.strip()}",
            )


def _value(located: ast.Located | None) -> str | None:
    return located.value if located is not None else None


def _quoted(text: str) -> str:
    from perfdsl.fmt import value_text

    return value_text(text.strip())


# --- the options ---------------------------------------------------------------------------------


def _check_name(name: str) -> None:
    if not name.strip():
        raise _Refused("--project 的名称是空的", "--project names no table (it is empty)")
    if _CONTROL.search(name):
        raise _Refused(
            "--project 的名称只能有一行，不能有控制字符",
            "--project must be one line, without control characters",
        )


def _check_unit(unit: str) -> None:
    if not unit.strip():
        raise _Refused("--unit 是空的", "--unit is empty")
    if _CONTROL.search(unit):
        raise _Refused(
            "--unit 只能有一行，不能有控制字符",
            "--unit must be one line, without control characters",
        )


def _template(catalog: Catalog, name: str, problems: list[Diagnostic]) -> Template:
    """The template ``--template`` names, or why not (an unknown name, a broken template)."""
    try:
        found = catalog.named(name, None, "<command line>")
    except TemplateError as exc:
        raise _Refused(*_one_line(exc.diagnostic)) from None
    return _usable(found, problems)


def _usable(template: Template, problems: Sequence[Diagnostic]) -> Template:
    """``template``, unless it is the stand-in for a user template with a mistake in it."""
    if template.origin != "<broken>":
        return template
    problem = next((p for p in problems if p.severity is Severity.ERROR), None)
    zh, en = _one_line(problem) if problem else ("", "")
    raise _Refused(
        f"模板“{template.key}”有错误，`perfdsl check` 会指出在哪里" + (f"：{zh}" if zh else ""),
        f"the template “{template.key}” has a mistake; `perfdsl check` shows where"
        + (f": {en}" if en else ""),
    )


def _one_line(diagnostic: Diagnostic) -> tuple[str, str]:
    """A diagnostic's message and help as one line in each language."""
    zh, en = diagnostic.message.zh, diagnostic.message.en
    if diagnostic.help is not None:
        zh, en = f"{zh}（{diagnostic.help.zh}）", f"{en} ({diagnostic.help.en})"
    return zh, en


def _default_name(template: Template, header: ast.Header) -> str:
    """A 部门整体 table is the unit's own; a project table gets a placeholder name."""
    if template.kind == "department" and header.unit_name is not None:
        return header.unit_name.value
    return DEFAULT_PROJECT


# --- the text ------------------------------------------------------------------------------------


def _header(
    unit: str, year: str, template: Template, written: str | None, catalog: Catalog
) -> list[str]:
    from perfdsl.fmt import value_text

    word = lambda key: R.get("header", key).zh  # noqa: E731
    lines = [
        f"{word('unit')}: {value_text(unit.strip())}",
        f"{word('year')}: {year}",
        f"{word('money_unit')}: {MONEY_UNIT}",
    ]
    framework = template.framework
    if isinstance(framework, str) and framework != F.DEFAULT and framework in F.BUILTIN:
        lines.append(f"{word('framework')}: {framework}")
    if template.key != catalog.templates[catalog.default].key:
        lines.append(f"{word('template')}: {value_text((written or template.key).strip())}")
    return lines


@attrs.define
class _Table:
    name: str
    template: Template
    #: The template named on the table's own ``模板:`` line (None: the file's).
    own_template: str | None


class _Draft:
    """The text so far (a header, or an existing file) and the tables to add to it.

    The tables are written twice: first without their indicators, read back to learn the
    framework each one is held to (as ``perfdsl check`` will resolve it), then in full.  The
    full text is read back once more: it must hold no error, and the formatter prints it.
    """

    def __init__(self, before: str, catalog: Catalog, config: configuration.Config) -> None:
        self.before = before if before.endswith("\n") or not before else before + "\n"
        self.catalog = catalog
        self.config = config
        self.tables: list[_Table] = []

    def add(self, name: str, template: Template, own_template: str | None) -> None:
        self.tables.append(_Table(name, template, own_template))

    def text(self, frameworks: Sequence[F.Framework | None] | None = None) -> str:
        parts = [self.before]
        for i, table in enumerate(self.tables):
            framework = frameworks[i] if frameworks is not None else None
            lines = _table_lines(table, framework, full=frameworks is not None)
            parts.append("\n" + "\n".join(lines) + "\n")
        return "".join(parts)

    def read(self, text: str) -> ast.Document:
        from perfdsl.load import load_text

        loaded = load_text(text, "<new>", self.catalog)
        errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
        if loaded.document is None or errors:
            zh, en = _one_line(errors[0]) if errors else ("", "")
            raise _Refused(f"写出的表读不回来：{zh}", f"the new table would not read back: {en}")
        return loaded.document

    def document(self) -> ast.Document:
        """What is written so far, read (the header alone, or the existing file)."""
        return self.read(self.before)

    def finish(self) -> tuple[ast.Document, str]:
        """The whole document, read, and its text as written (not yet formatted)."""
        from perfdsl.check import Context

        first = self.read(self.text())
        added = first.projects[len(first.projects) - len(self.tables) :]
        context = Context(first, self.config, None, self.catalog)
        frameworks = [context.framework_of(project) for project in added]
        text = self.text(frameworks)
        return self.read(text), text


def _table_lines(table: _Table, framework: F.Framework | None, full: bool) -> list[str]:
    """A table: its name line, its fields, money columns and goals, then (``full``) its
    scores and indicators."""
    from perfdsl.fmt import table_line, value_text

    template = table.template
    word = R.DEPARTMENT_WORDS[0] if template.kind == "department" else R.PROJECT_WORDS[0]
    lines = [table_line(word, table.name)]
    if table.own_template is not None:
        key = R.get("project", "template").zh
        lines.append(f"{INDENT}{key}: {value_text(table.own_template.strip())}")
    listed = template.fields.get("project", ())
    for key in R.order("project", listed):
        field = R.get("project", key)
        if key in _LEFT_OUT or field.kind in ("structure", "labels", "indicators"):
            continue
        if field.kind == "number":
            score = _score(key, framework) if full else None
            if score is not None:
                lines.append(f"{INDENT}{field.zh}: {score}")
            continue
        lines += _field_lines(field, 1)
    funding = template.fields.get("funding", ())
    main = [k for k in template.page.main_funding if k in funding]
    for key in R.order("budget", template.fields.get("budget", ())):
        lines.append(f"{INDENT}{R.get('budget', key).zh}: 0")
        lines += [f"{INDENT * 2}{R.get('funding', k).zh}: 0" for k in main]
    lines += _goal_lines(R.get("project", "goals"), 1)
    if full and framework is not None:
        lines += _indicator_lines(template, framework)
    return lines


def _field_lines(field: R.FieldDef, depth: int) -> list[str]:
    """A field with a placeholder (a block of rows: one row of them)."""
    pad = INDENT * depth
    if field.kind == "goals":
        return _goal_lines(field, depth)
    if field.kind == "rows":
        lines = [f"{pad}{field.zh}:", f"{pad}{INDENT}{R.ROW_WORDS[0]}:"]
        for column in R.at("row", field.block):
            lines += _field_lines(column, depth + 2)
        return lines
    if field.kind == "money":
        return [f"{pad}{field.zh}: 0"]
    if field.kind == "number":
        return [f"{pad}{field.zh}: 0"]
    if field.kind == "choice":
        return []  # (no placeholder is a valid choice: the cell is left blank)
    return [f"{pad}{field.zh}: {PLACEHOLDER}"]


def _goal_lines(field: R.FieldDef, depth: int) -> list[str]:
    return [f"{INDENT * depth}{field.zh}:", f"{INDENT * (depth + 1)}1. {PLACEHOLDER}"]


def _score(key: str, framework: F.Framework | None) -> str | None:
    """The scores a table states outside its indicators: 10 for 预算执行率, 90 for the rest."""
    from perfdsl.values import format_decimal

    scores = framework.scores if framework is not None else F.Scores()
    if key == "budget_execution_score":
        return None if scores.execution is None else format_decimal(scores.execution)
    if key == "indicator_score":
        total = max(scores.totals)
        rest = total - scores.execution if scores.execution is not None else total
        return format_decimal(rest if rest in scores.totals else total)
    return None


def _indicator_name(level2: str) -> str:
    """``××数量`` for 数量指标: a placeholder name, distinct for each 二级."""
    return PLACEHOLDER + (level2.removesuffix("指标") or level2)


def _indicator_lines(template: Template, framework: F.Framework) -> list[str]:
    """Every 一级 and 二级 of the framework, each 二级 with one placeholder indicator and the
    columns the template always prints."""
    from perfdsl.fmt import key_text

    page = template.page
    columns = [
        R.get("indicator", c.field)
        for c in page.columns
        if not c.optional
        and not c.field.startswith("free:")  # (a region's own column: no field to write)
        and c.field != "value"
        and R.get("indicator", c.field).kind != "structure"
        and not (c.field == "description" and page.description_repeats_name)
    ]
    lines: list[str] = []
    seen: set[str] = set()
    for level1, subs in framework.categories.items():
        lines.append(f"{INDENT}{key_text(level1)}:")
        for level2 in subs:
            lines.append(f"{INDENT * 2}{key_text(level2)}:")
            name = _indicator_name(level2)
            while name in seen:  # (the same 二级 under two 一级)
                name += PLACEHOLDER[0]
            seen.add(name)
            lines.append(f"{INDENT * 3}{key_text(name)}: {PLACEHOLDER}")
            for column in columns:
                lines += _field_lines(column, 4)
    return lines


# --- writing -------------------------------------------------------------------------------------


def _formatted(document: ast.Document, catalog: Catalog) -> str:
    from perfdsl.fmt import format_document

    return format_document(document, None, catalog)


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _Refused(f"无法读取 {path}：{reason}", f"cannot read {path}: {reason}") from None


def _write(path: str, data: bytes) -> None:
    from perfdsl.atomic import write_atomic

    try:
        write_atomic(path, data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _Refused(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}") from None

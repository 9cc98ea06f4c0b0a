"""Templates as data: what one region's (or one system's) 绩效目标表 holds and how it prints.

A template says, for one shape of the table:

* ``kind``: a project table (``project``) or a department's 部门整体 table (``department``);
* ``framework``: the indicator framework its tables are checked against (a name, or a local
  variant written in the template);
* ``fields``: which fields of the registry (:mod:`perfdsl.standards.fields`) its tables hold,
  level by level; a source may write these and nothing else (besides free ``栏目`` fields);
* ``labels``: what the table prints for a field (项目单位 for 实施单位); a label is also a
  spelling the source may use for the field;
* ``page``: how it prints: the header grid's shape, the indicator table's columns, headings,
  lines above the tables, fonts.

The built-in templates are TOML files in ``builtin/``; the first, ``tianjin``, is the default.
A user template starts from one of them (``base``) and says only what differs: relabel fields,
add or drop fields and columns, change the framework or the page.  User templates live in
``perfdsl.toml`` (``[templates.<name>]``), in ``<name>.template.toml`` files beside the sources
(found the way perfdsl.toml is, nearest first), or in the source's own header, under
``模板:``.  A mistake in a template is a diagnostic with a position, like one in a source.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

import attrs

from perfdsl.ast import Section, Span
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards import fields as R
from perfdsl.suggest import suggest

BUILTIN_DIR: Final = Path(__file__).parent / "builtin"
#: Built-in templates in the order ``perfdsl explain``, docs and suggestions list them.
BUILTIN_ORDER: Final = ("tianjin", "mof2015", "mof2021", "department", "flat", "ndrc")
DEFAULT: Final = "tianjin"
#: Levels a template lists fields for (``row`` fields come with their block).
LEVELS: Final[tuple[R.Level, ...]] = (
    "header",
    "project",
    "budget",
    "funding",
    "category",
    "indicator",
)


class TemplateError(Exception):
    """A template that cannot be used; ``diagnostic`` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message.en)
        self.diagnostic = diagnostic


@attrs.frozen
class Column:
    """One column of the indicator table: a field, its printed label, and its width."""

    field: str
    label: str
    width: float
    min_width: float
    align: R.Align
    #: An optional column prints only in a table where some row fills it.
    optional: bool = False
    #: Print it even when every cell is empty (templates that pre-print an empty 备注).
    always: bool = False


@attrs.frozen
class Page:
    """How a template prints.  ``grid`` names the shape of the header table."""

    grid: str = "tianjin"
    heading: str = "{number}.{name}{title}"
    #: The document's title when the header has no 标题.
    document_title: str = "{unit}{year}年项目支出{title}"
    columns: tuple[Column, ...] = ()
    orientation: str = "portrait"
    subtitle: str = ""
    #: The group label over the money cells (预算规模及资金用途, 项目资金).
    budget_group: str = "预算规模及资金用途"
    #: The funding lines that always have a cell, blank when the source has none.
    main_funding: tuple[str, ...] = ("fiscal", "other")
    breakdown_prefix: str = "其中："
    #: The 指标值 column's label when a 中期值 column stands beside it.
    value_label_with_midterm: str = "年度指标值"
    #: An indicator with no 描述 repeats its name in the 描述 column (the seed does).
    description_repeats_name: bool = False
    #: Goals numbered 1. 2. … as the seed prints them (off: the text alone).
    number_goals: bool = True
    #: The 指标值 column prints the number alone, its operator and unit in the 指标性质 and
    #: 计量单位 columns (the flat sheets of the 一体化 systems).
    split_value: bool = False
    body_font: str = "仿宋_GB2312"
    table_font: str = "宋体"
    heading_font: str = "黑体"
    latin_font: str = "Times New Roman"
    body_size_pt: float = 12.0
    table_size_pt: float = 10.5
    table_small_size_pt: float = 9.0
    heading_size_pt: float = 16.0
    title_size_pt: float = 20.0


@attrs.frozen
class Template:
    key: str
    #: What the table is called: 项目支出绩效目标表, 项目支出绩效目标申报表 …
    title: str
    aliases: tuple[str, ...] = ()
    kind: str = "project"
    #: A framework name (2015, 2021 or one from the configuration), or a local variant.
    framework: str | Mapping[str, Any] = "2015"
    fields: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    labels: Mapping[tuple[str, str], str] = attrs.field(factory=dict)
    page: Page = attrs.field(factory=Page)
    description: str = ""
    #: Where it was defined: "builtin", a file path, or "<header>".
    origin: str = "builtin"
    #: Spellings by level, computed once (a big file looks keys up hundreds of thousands of
    #: times); not part of the template's value.
    _spelling_cache: dict[str, dict[str, str]] = attrs.field(
        factory=dict, eq=False, repr=False, hash=False, init=False
    )

    def has(self, level: str, key: str) -> bool:
        if level == "row":
            return True
        return key in self.fields.get(level, ())

    def label(self, level: str, key: str, block: str = "") -> str:
        """What the table prints for a field: the template's label, else the registry's."""
        found = self.labels.get((level, key))
        if found:
            return found
        if level.startswith("row."):
            level, block = "row", level[len("row.") :]
        try:
            return R.get(level, key, block).printed  # type: ignore[arg-type]
        except KeyError:
            return key

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.title, *self.aliases)

    def spellings(self, level: str) -> dict[str, str]:
        """Every spelling a source may use at ``level`` (folded) → the field's key.

        The template's own labels come first: where a template prints 资金总额 for its
        项目总预算, ``资金总额:`` in its tables means that field, not the registry's alias.
        """
        found = self._spelling_cache.get(level)
        if found is None:
            found = self._spelling_cache[level] = _spellings(self, level)
        return found


def _spellings(template: Template, level: str) -> dict[str, str]:
    from perfdsl.syntax.keywords import fold

    table: dict[str, str] = {}
    for key in template.fields.get(level, ()):
        for spelling in R.get(level, key).spellings:  # type: ignore[arg-type]
            table.setdefault(fold(spelling), key)
    for (lv, key), label in template.labels.items():
        if lv == level and key in template.fields.get(level, ()):
            table[fold(label)] = key
    return table


# --- reading a template's data -------------------------------------------------------------------


@attrs.frozen
class _Where:
    """Where a template's data came from, to put a position on its mistakes."""

    path: str
    text: str = ""
    sections: Mapping[str, Section] = attrs.field(factory=dict)

    def span(self, *keys: str) -> Span | None:
        """The line of the deepest of ``keys`` that can be found (TOML has no positions)."""
        if self.sections:
            for depth in range(len(keys), 0, -1):
                found = self.sections.get(".".join(keys[:depth]))
                if found is not None:
                    return found.span
            return None
        if not self.text:
            return None
        lines = self.text.split("\n")
        best: Span | None = None
        start = 0
        for key in keys:
            for number in range(start, len(lines)):
                line = lines[number].strip()
                bare = line.strip("[]").strip().strip('"')
                if (
                    line.startswith(f"{key} ")
                    or line.startswith(f"{key}=")
                    or line.startswith(f'"{key}"')
                    or bare.endswith(f".{key}")
                    or bare.endswith(f'.{key}"')
                    or bare == key
                ):
                    column = lines[number].find(line[:1]) + 1
                    best = Span(number + 1, column, number + 1, column + len(line))
                    start = number + 1
                    break
        return best


def _fail(where: _Where, keys: tuple[str, ...], zh: str, en: str, help: Msg | None = None) -> None:
    raise TemplateError(
        C.TEMPLATE_ERROR.at(where.span(*keys), Msg(zh, en), help=help).in_file(where.path)
    )


def _strings(value: object, where: _Where, keys: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    _fail(
        where,
        keys,
        f"{'.'.join(keys)} 应当是字符串列表",
        f"{'.'.join(keys)} must be a list of strings",
    )
    raise AssertionError  # (unreachable: _fail raises)


_TOP_KEYS: Final = frozenset(
    {"name", "title", "aliases", "kind", "base", "framework", "fields", "add", "drop", "labels"}
    | {"page", "description"}
)
_PAGE_KEYS: Final = frozenset(attrs.fields_dict(Page)) - {"columns"} | {"columns", "optional"}
_KINDS: Final = ("project", "department")


#: Where a field named without its level is looked for first: a table's own fields (a name
#: such as 联系电话 is also a header field, but a template relabels the table's).
_SEARCH: Final = ("project", "budget", "funding", "indicator", "category", "header")


def resolve_field(
    name: str, where: _Where, keys: tuple[str, ...], levels: Iterable[str] = _SEARCH
) -> tuple[str, str]:
    """(level, key) for a field named by its key, any spelling, or ``level.key``; a column of
    a block of rows as ``<block>.<column>`` (``年度履职目标.支出项目``), level ``row.<block>``."""
    from perfdsl.syntax.keywords import fold

    head, _, tail = name.partition(".")
    block = next(
        (
            f.block
            for f in R.at("project")
            if f.kind == "rows"
            and (head in (f.block, "row") or fold(head) in map(fold, f.spellings))
        ),
        None,
    )
    if block is not None or head == "row":
        if head == "row":  # row.<block>.<column>
            block, _, tail = tail.partition(".")
        for field in R.at("row", block or ""):
            if tail == field.key or fold(tail) in {fold(s) for s in field.spellings}:
                return f"row.{block}", field.key
    level_hint, _, bare = name.rpartition(".")
    candidates = [level_hint] if level_hint in LEVELS else list(levels)
    if level_hint and level_hint not in LEVELS:
        bare = name
    for level in candidates:
        for field in R.at(level):  # type: ignore[arg-type]
            if bare == field.key or fold(bare) in {fold(s) for s in field.spellings}:
                return level, field.key
    every = [f.zh for lv in candidates for f in R.at(lv)]  # type: ignore[arg-type]
    guess = suggest(bare, every)
    _fail(
        where,
        keys,
        f"没有名为 `{name}` 的字段" + (f"；是不是想写 `{guess}`？" if guess else ""),
        f"there is no field `{name}`" + (f"; did you mean `{guess}`?" if guess else ""),
        help=Msg(
            "字段见 docs/language.md 的“字段一览”，或 `perfdsl explain PD3013`",
            "the fields are listed in docs/language.md, or see `perfdsl explain PD3013`",
        ),
    )
    raise AssertionError


def _columns(
    names: Iterable[str], optional: Iterable[str], labels: Mapping[tuple[str, str], str]
) -> tuple[Column, ...]:
    out: list[Column] = []
    optional = set(optional)
    for name in names:
        field = R.get("indicator", name)
        out.append(
            Column(
                field.key,
                labels.get(("indicator", field.key)) or field.printed,
                field.width,
                field.min_width,
                field.align,
                optional=field.key in optional,
            )
        )
    return tuple(out)


def build_template(
    data: Mapping[str, Any], where: _Where, base: Template | None, key: str
) -> Template:
    """A :class:`Template` from its data (TOML tables, or the header's sections)."""
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        guess = suggest(unknown[0], sorted(_TOP_KEYS))
        _fail(
            where,
            (unknown[0],),
            f"模板里没有 `{unknown[0]}` 这一项" + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"a template has no `{unknown[0]}`" + (f"; did you mean `{guess}`?" if guess else ""),
            help=Msg(
                f"可用：{', '.join(sorted(_TOP_KEYS))}", f"known: {', '.join(sorted(_TOP_KEYS))}"
            ),
        )
    kind = data.get("kind", base.kind if base else "project")
    if kind not in _KINDS:
        _fail(
            where,
            ("kind",),
            f"kind 应当是 {' 或 '.join(_KINDS)}",
            f"kind must be one of {', '.join(_KINDS)}",
        )
    title = data.get("title", base.title if base else "项目支出绩效目标表")
    if not isinstance(title, str):
        _fail(where, ("title",), "title 应当是字符串", "title must be a string")

    # fields: a full list per level, then what ``add`` and ``drop`` change.
    fields: dict[str, tuple[str, ...]] = dict(base.fields) if base else {}
    for section in ("fields", "add", "drop"):
        table = data.get(section, {})
        if not isinstance(table, dict):
            _fail(where, (section,), f"{section} 应当是表", f"{section} must be a table")
        for level, names in table.items():
            if level not in LEVELS:
                guess = suggest(level, list(LEVELS))
                _fail(
                    where,
                    (section, level),
                    f"{section} 里的 `{level}` 不是层级"
                    + (f"；是不是想写 `{guess}`？" if guess else ""),
                    f"`{level}` in {section} is not a level"
                    + (f"; did you mean `{guess}`?" if guess else ""),
                    help=Msg(f"层级：{', '.join(LEVELS)}", f"levels: {', '.join(LEVELS)}"),
                )
            keys = [
                key
                for n in _strings(names, where, (section, level))
                for key in (
                    _every(level)
                    if n == "*"
                    else [resolve_field(n, where, (section, level, n), (level,))[1]]
                )
            ]
            if section == "fields":
                fields[level] = tuple(dict.fromkeys(keys))
            elif section == "add":
                fields[level] = tuple(dict.fromkeys((*fields.get(level, ()), *keys)))
            else:
                fields[level] = tuple(k for k in fields.get(level, ()) if k not in keys)

    labels: dict[tuple[str, str], str] = dict(base.labels) if base else {}
    table = data.get("labels", {})
    if not isinstance(table, dict):
        _fail(where, ("labels",), "labels 应当是表", "labels must be a table")
    for name, label in _flatten(table):
        if not isinstance(label, str):
            _fail(
                where,
                ("labels", name),
                f"labels.{name} 应当是字符串",
                f"labels.{name} must be a string",
            )
        labels[resolve_field(name, where, ("labels", name))] = label

    page = _page(data.get("page", {}), where, base.page if base else Page(), labels, fields)
    framework = data.get("framework", base.framework if base else "2015")
    if not isinstance(framework, (str, int, dict)) or isinstance(framework, bool):
        _fail(
            where, ("framework",), "framework 应当是名称或表", "framework must be a name or a table"
        )
    if isinstance(framework, int):
        framework = str(framework)
    aliases = _strings(data.get("aliases", []), where, ("aliases",)) if "aliases" in data else ()
    description = data.get("description", base.description if base else "")
    return Template(
        key=key,
        title=title,
        aliases=aliases,
        kind=kind,
        framework=framework,
        fields=fields,
        labels=labels,
        page=page,
        description=str(description),
        origin=where.path,
    )


def _every(level: str) -> list[str]:
    """``"*"`` in a field list: every field of the level (a new column is in at once)."""
    return [f.key for f in R.at(level) if f.kind != "structure"]  # type: ignore[arg-type]


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """``{indicator = {value = "目标值"}}`` → ("indicator.value", "目标值"): TOML dotted keys."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _page(
    data: object,
    where: _Where,
    base: Page,
    labels: Mapping[tuple[str, str], str],
    fields: Mapping[str, tuple[str, ...]],
) -> Page:
    if not isinstance(data, dict):
        _fail(where, ("page",), "page 应当是表", "page must be a table")
    assert isinstance(data, dict)
    unknown = sorted(set(data) - _PAGE_KEYS)
    if unknown:
        guess = suggest(unknown[0], sorted(_PAGE_KEYS))
        _fail(
            where,
            ("page", unknown[0]),
            f"page 里没有 `{unknown[0]}` 这一项" + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"page has no `{unknown[0]}`" + (f"; did you mean `{guess}`?" if guess else ""),
        )
    changes: dict[str, Any] = {}
    for name, attribute in attrs.fields_dict(Page).items():
        if name in data and name != "columns":
            value = data[name]
            expected = type(getattr(base, name))
            if expected is tuple:
                value = tuple(
                    resolve_field(v, where, ("page", name), ("funding",))[1]
                    for v in _strings(value, where, ("page", name))
                )
            elif expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            elif not isinstance(value, expected):
                _fail(
                    where,
                    ("page", name),
                    f"page.{name} 应当是{_KIND_ZH.get(expected, expected.__name__)}",
                    f"page.{name} must be a {expected.__name__}",
                )
            changes[name] = value
        del attribute
    if "grid" in changes and changes["grid"] not in GRIDS:
        guess = suggest(changes["grid"], list(GRIDS))
        _fail(
            where,
            ("page", "grid"),
            f"page.grid 不能是 {changes['grid']!r}"
            + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"page.grid cannot be {changes['grid']!r}"
            + (f"; did you mean `{guess}`?" if guess else ""),
            help=Msg(f"可用：{', '.join(GRIDS)}", f"known: {', '.join(GRIDS)}"),
        )
    columns = base.columns
    if "columns" in data or "optional" in data:
        names = (
            [
                resolve_field(n, where, ("page", "columns"), ("indicator",))[1]
                for n in _strings(data["columns"], where, ("page", "columns"))
            ]
            if "columns" in data
            else [c.field for c in base.columns]
        )
        optional = (
            [
                resolve_field(n, where, ("page", "optional"), ("indicator",))[1]
                for n in _strings(data["optional"], where, ("page", "optional"))
            ]
            if "optional" in data
            else [c.field for c in base.columns if c.optional]
        )
        columns = _columns(names, optional, labels)
    else:  # the base's columns, relabelled, and dropped with their fields
        columns = tuple(
            attrs.evolve(c, label=labels.get(("indicator", c.field)) or c.label) for c in columns
        )
    structure = {f.key for f in R.at("indicator") if f.kind == "structure"}
    kept = set(fields.get("indicator", ())) | structure | {"value"}
    columns = tuple(c for c in columns if c.field in kept)
    # An added indicator field the page does not place prints as an optional column.
    placed = {c.field for c in columns}
    extra = [k for k in fields.get("indicator", ()) if k not in placed]
    columns = (*columns, *_columns(extra, extra, labels))
    return attrs.evolve(base, columns=columns, **changes)


_KIND_ZH = {str: "字符串", bool: "true 或 false", float: "数字", int: "整数"}
#: The shapes of header table the printer knows (:mod:`perfdsl.emit.table`).
GRIDS: Final = ("tianjin", "mof", "labelled", "department", "flat", "ndrc")


# --- built-in templates ----------------------------------------------------------------------


@cache
def builtin() -> dict[str, Template]:
    """The built-in templates, by key, in :data:`BUILTIN_ORDER`."""
    found: dict[str, Template] = {}
    for key in BUILTIN_ORDER:
        path = BUILTIN_DIR / f"{key}.toml"
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        base = found.get(data.get("base", "")) if data.get("base") else None
        where = _Where(f"<builtin>/{key}.toml", text)
        template = build_template(data, where, base, key)
        found[key] = attrs.evolve(template, origin="builtin")
    return found


def _fold_name(name: str) -> str:
    """Compare template names regardless of case, spaces, '-', '_' and a trailing 版式/模板."""
    folded = name.strip().casefold()
    for ch in (" ", "\u3000", "-", "_"):
        folded = folded.replace(ch, "")
    for suffix in ("版式", "表样", "模板", "layout", "template"):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            folded = folded[: -len(suffix)]
    return folded


# --- where user templates come from ------------------------------------------------------------


@attrs.frozen
class Catalog:
    """Every template a source can name: its own header's, template files, the configuration's,
    and the built-in ones (in that order of precedence)."""

    templates: Mapping[str, Template]
    default: str = DEFAULT
    #: Texts of the files templates came from, so their diagnostics can show the line.
    sources: Mapping[str, list[str]] = attrs.field(factory=dict)
    #: Mistakes in the user's templates (each such template is a stand-in that holds every
    #: field, so the tables naming it are read without a cascade of errors).
    problems: tuple[Diagnostic, ...] = ()

    def find(self, name: str) -> Template | None:
        wanted = _fold_name(name)
        for template in self.templates.values():
            if any(_fold_name(n) == wanted for n in template.names):
                return template
        return None

    def known(self) -> list[str]:
        return list(self.templates)

    def named(self, name: str | None, span: Span | None, path: str) -> Template:
        """The template ``name`` (None: the default); TemplateError (PD7001) if unknown."""
        if name is None or not name.strip():
            return self.templates[self.default]
        found = self.find(name)
        if found is not None:
            return found
        names = [t.key for t in self.templates.values()]
        spellings = [n for t in self.templates.values() for n in t.names]
        guess = suggest(name, spellings)
        listing = "、".join(names)
        raise TemplateError(
            C.UNKNOWN_TEMPLATE.at(
                span,
                Msg(f"没有名为 `{name}` 的模板", f"there is no template named `{name}`"),
                help=Msg(f"是不是想写 `{guess}`？", f"did you mean `{guess}`?")
                if guess
                else Msg(
                    f"可用的模板：{listing}；自定义模板写在 perfdsl.toml 的 [templates] 里，"
                    "或写成 <名称>.template.toml",
                    f"known templates: {', '.join(names)}; define your own under [templates] in "
                    "perfdsl.toml or in a <name>.template.toml file",
                ),
            ).in_file(path)
        )

    def with_template(self, template: Template) -> Catalog:
        return attrs.evolve(self, templates={template.key: template, **self.templates})


def template_files(start: Path) -> list[Path]:
    """``*.template.toml`` files from ``start``'s folder upwards, nearest folder first."""
    directory = start if start.is_dir() else start.parent
    found: list[Path] = []
    try:
        folders = (directory.resolve(), *directory.resolve().parents)
    except OSError:
        return found
    for folder in folders:
        try:
            found += sorted(folder.glob("*.template.toml"))
        except OSError:
            continue
    return found


def catalog(
    configured: Mapping[str, Mapping[str, Any]] | None = None,
    config_path: str = "perfdsl.toml",
    config_text: str = "",
    files: Iterable[Path] = (),
    default: str | None = None,
) -> Catalog:
    """Every template: files (nearest first) over the configuration's over the built-in ones.

    A template may start from any template defined before it in this order of loading:
    built-in ones, then the configuration's (in the order written), then the files (farthest
    first), so a file next to the sources can adapt the office's shared template.
    """
    templates: dict[str, Template] = dict(builtin())
    sources: dict[str, list[str]] = {}
    problems: list[Diagnostic] = []

    def add(name: str, data: object, where: _Where, keys: tuple[str, ...]) -> None:
        try:
            templates[name] = _derived(name, data, where, templates, keys)
        except TemplateError as exc:
            # Reported once; the tables that name it are read with a stand-in that holds
            # every field, so one mistake in a template is one diagnostic, not one per cell.
            problems.append(exc.diagnostic)
            templates[name] = _stand_in(name, data, templates)

    for name, data in (configured or {}).items():
        add(str(name), data, _Where(config_path, config_text), ("templates", str(name)))
    if config_text:
        sources[config_path] = config_text.split("\n")
    for path in reversed(list(files)):
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(
                C.TEMPLATE_ERROR.at(
                    None,
                    Msg(f"模板文件无法读取：{exc}", f"the template file cannot be read: {exc}"),
                ).in_file(str(path))
            )
            continue
        name = str(data.get("name") or path.name[: -len(".template.toml")])
        add(name, data, _Where(str(path), text), ())
        sources[str(path)] = text.split("\n")
    # The user's templates come first: an office's "县级" wins over a built-in alias.
    ordered = {k: v for k, v in templates.items() if v.origin != "builtin"}
    ordered |= {k: v for k, v in templates.items() if v.origin == "builtin"}
    chosen = default or DEFAULT
    result = Catalog(ordered, DEFAULT, sources, tuple(problems))
    if default is not None:
        found = result.find(default)
        if found is None:
            raise TemplateError(
                C.UNKNOWN_TEMPLATE.at(
                    None,
                    Msg(
                        f"默认模板 `{default}` 不存在",
                        f"the default template `{default}` does not exist",
                    ),
                ).in_file(config_path)
            )
        chosen = found.key
    return attrs.evolve(result, default=chosen)


def _stand_in(name: str, data: object, known: Mapping[str, Template]) -> Template:
    """A broken template's place: its base (or the default) holding every field."""
    base_name = data.get("base", DEFAULT) if isinstance(data, dict) else DEFAULT
    base = Catalog(known).find(str(base_name)) or known[DEFAULT]
    every = {level: tuple(_every(level)) for level in LEVELS}
    aliases = data.get("aliases", []) if isinstance(data, dict) else []
    aliases = tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else ()
    return attrs.evolve(base, key=name, aliases=aliases, fields=every, origin="<broken>")


def _derived(
    name: str,
    data: object,
    where: _Where,
    known: Mapping[str, Template],
    keys: tuple[str, ...],
) -> Template:
    if not isinstance(data, dict):
        _fail(where, keys, f"模板 {name} 应当是表", f"template {name} must be a table")
    assert isinstance(data, dict)
    base_name = data.get("base", DEFAULT)
    if not isinstance(base_name, str):
        _fail(where, (*keys, "base"), "base 应当是模板名称", "base must be a template's name")
    base = Catalog(known).find(base_name)
    if base is None:
        guess = suggest(base_name, [n for t in known.values() for n in t.names])
        _fail(
            where,
            (*keys, "base"),
            f"base = {base_name!r} 不是已知的模板" + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"base = {base_name!r} is not a known template"
            + (f"; did you mean `{guess}`?" if guess else ""),
        )
    assert base is not None
    inner = _Where(where.path, where.text, where.sections)
    return build_template(data, inner, base, name)


# --- a template in the source's own header -----------------------------------------------------

#: The header's adaptation is written with these keys (Chinese or English) under ``模板:``.
INLINE_KEYS: Final[dict[str, str]] = {
    "名称": "title",
    "表名": "title",
    "title": "title",
    "类型": "kind",
    "kind": "kind",
    "指标体系": "framework",
    "framework": "framework",
    "字段": "fields",
    "fields": "fields",
    "增加": "add",
    "add": "add",
    "删除": "drop",
    "drop": "drop",
    "标签": "labels",
    "labels": "labels",
    "版面": "page",
    "page": "page",
}
_INLINE_LEVELS: Final[dict[str, str]] = {
    "文件头": "header",
    "项目": "project",
    "资金": "budget",
    "资金来源": "funding",
    "分类": "category",
    "指标": "indicator",
}


def inline(base: Template, sections: tuple[Section, ...], path: str) -> Template:
    """The template a header writes under ``模板: <base>``: the base, adapted."""
    data: dict[str, Any] = {}
    index: dict[str, Section] = {}
    for section in sections:
        key = INLINE_KEYS.get(section.key.casefold(), section.key)
        index[key] = section
        if key in ("fields", "add", "drop", "labels", "page", "framework") and section.children:
            table: dict[str, Any] = {}
            required: list[str] | None = None
            for child in section.children:
                name = child.key
                if key in ("fields", "add", "drop"):
                    name = _INLINE_LEVELS.get(name, name)
                index[f"{key}.{name}"] = child
                if key == "framework" and name in _REQUIRED_KEYS:
                    required = list(_split(child.value))
                elif key == "framework":
                    table[name] = _split(child.value)
                elif child.children:
                    table[name] = {c.key: c.value or "" for c in child.children}
                elif key in ("fields", "add", "drop"):
                    table[name] = list(_split(child.value))
                else:
                    table[name] = _scalar(child.value)
            if key == "framework":
                spec: dict[str, Any] = {"base": section.value or "2015", "categories": table}
                if required is not None:
                    spec["required"] = required
                data[key] = spec
            else:
                data[key] = table
        else:
            data[key] = _scalar(section.value)
    where = _Where(path, sections=index)
    return build_template(data, where, base, f"{base.key}（本文件）")


#: Under ``指标体系:`` in a header adaptation, the line that lists the required 一级.
_REQUIRED_KEYS: Final = ("必需", "必备", "必须有", "required")


def _split(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    for sep in ("，", "、", "；", ";"):
        text = text.replace(sep, ",")
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _scalar(text: str | None) -> object:
    if text is None:
        return ""
    if text.casefold() in ("true", "是", "开"):
        return True
    if text.casefold() in ("false", "否", "关"):
        return False
    return text


# --- which template a document and a table print in ----------------------------------------------


def for_document(
    document: object, catalog: Catalog | None = None, override: str | None = None
) -> Template:
    """The template a document's header names (adapted by its own lines), or ``override``.

    Called on a document that checked clean, so every name resolves; an unknown one falls back
    to the default rather than failing the build.
    """
    from perfdsl.ast import Document

    assert isinstance(document, Document)
    catalog = catalog or _builtin_catalog()
    named = override or (document.header.template.value if document.header.template else None)
    try:
        base = catalog.named(named, None, "<build>")
    except TemplateError:
        base = catalog.templates[catalog.default]
    if document.header.template_spec and override is None:
        try:
            return inline(base, document.header.template_spec, "<header>")
        except TemplateError:
            return base
    return base


def for_project(project: object, file_template: Template, catalog: object = None) -> Template:
    """The template one table prints in: its own ``模板:`` if it names one, else the file's."""
    from perfdsl.ast import Project

    assert isinstance(project, Project)
    own = project.fields.located("template")
    if own is None:
        return file_template
    found = (catalog if isinstance(catalog, Catalog) else _builtin_catalog()).find(own.value)
    return found or file_template


@cache
def _builtin_catalog() -> Catalog:
    return catalog()


def get(name: str | None = None) -> Template:
    """A built-in template by any of its names (None: the default); KeyError if unknown."""
    found = _builtin_catalog().find(name) if name else _builtin_catalog().templates[DEFAULT]
    if found is None:
        raise KeyError(name)
    return found

"""A template from its data: a TOML table or the lines under ``模板:``, checked as it is read.

Every mistake is a :class:`~.model.TemplateError` carrying a positioned PD3013 diagnostic (TOML
gives no positions, so :class:`_Where` finds the line of a key in the file's text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from perfdsl.ast import FREE, Section, Span
from perfdsl.diagnostics import Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards import fields as R
from perfdsl.standards import frameworks as F
from perfdsl.standards.templates.model import (
    LEVELS,
    Column,
    HeaderRow,
    HeaderSpec,
    Page,
    Template,
    TemplateError,
)
from perfdsl.suggest import suggest

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
_PAGE_KEYS: Final = frozenset(attrs.fields_dict(Page)) | {"optional", "grid"}
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


#: A column of the page that is no field: ``栏目 实际完成值``, the 栏目 of that label each
#: indicator may hold, printed in its place (a region's own column).
_FREE_COLUMN: Final = re.compile(r"栏目\s+(?P<label>\S.*)")


def _column_field(name: str, where: _Where) -> str:
    free = _FREE_COLUMN.fullmatch(name.strip())
    if free is not None:
        return FREE + free["label"].strip()
    return resolve_field(name, where, ("page", "columns"), ("indicator",))[1]


def _columns(
    names: Iterable[str], optional: Iterable[str], labels: Mapping[tuple[str, str], str]
) -> tuple[Column, ...]:
    out: list[Column] = []
    optional = set(optional)
    for name in names:
        if name.startswith(FREE):
            label = name[len(FREE) :]
            out.append(Column(name, label, 2.4, 1.8, "left", optional=name in optional))
            continue
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
    if isinstance(framework, dict):  # read by the one spec reader the configuration uses
        try:
            F.parse_spec(framework)
        except F.SpecError as exc:
            _fail(where, ("framework", *exc.key), exc.message.zh, exc.message.en)
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
    for name in attrs.fields_dict(Page):
        if name in data and name not in ("columns", "header"):
            changes[name] = _page_value(name, data[name], getattr(base, name), where)
    header = base.header
    if "grid" in data:  # a named header shape: a built-in template's
        header = _grid(data["grid"], where)
    if "header" in data:
        header = _header(data["header"], header, where)
    changes["header"] = header
    columns = base.columns
    if "columns" in data or "optional" in data:
        names = (
            [_column_field(n, where) for n in _strings(data["columns"], where, ("page", "columns"))]
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
    columns = tuple(c for c in columns if c.field in kept or c.field.startswith(FREE))
    # An added indicator field the page does not place prints as an optional column.
    placed = {c.field for c in columns}
    extra = [k for k in fields.get("indicator", ()) if k not in placed]
    columns = (*columns, *_columns(extra, extra, labels))
    always = set(changes.get("always", base.always))
    columns = tuple(attrs.evolve(c, always=c.field in always) for c in columns)
    return attrs.evolve(base, columns=columns, **changes)


_KIND_ZH = {
    str: "字符串",
    bool: "true 或 false",
    float: "数字",
    int: "整数",
    tuple: "列表",
    dict: "表",
}

#: Page settings that name fields, and the level they name them at.
_FIELD_LISTS: Final = {"main_funding": ("funding",), "always": ("indicator",)}
#: Choices a page setting is limited to.
_CHOICES: Final = {
    "orientation": ("portrait", "landscape"),
    "per": ("project", "unit"),
    "midterm": ("after", "before", "beside"),
    "operators": ("unicode", "ascii"),
}


#: Page settings that are patterns: ``{unit}``, ``{filing_unit|unit}`` … are filled in print.
_PATTERNS: Final = frozenset(
    {
        "heading",
        "document_title",
        "subtitle",
        "above",
        "below",
        "footer",
        "budget_group",
        "year_caption",
        "midterm_caption",
    }
)
_PLACEHOLDER: Final = re.compile(r"\{([^{}]*)\}")


def _placeholders() -> tuple[str, ...]:
    """What a pattern may name: the document's own facts, the project's, every header field."""
    own = ("unit", "unit_code", "year", "title", "money_unit", "number", "name")
    return own + tuple(f.key for f in R.at("header") if f.key not in own)


def _check_pattern(name: str, texts: tuple[str, ...], where: _Where) -> None:
    """A misspelt placeholder would print nothing, silently: say so where it is written."""
    known = _placeholders()
    for text in texts:
        for group in _PLACEHOLDER.findall(text):
            for part in group.split("|"):
                if part not in known:
                    guess = suggest(part, list(known))
                    _fail(
                        where,
                        ("page", name),
                        f"page.{name} 里的 `{{{part}}}` 不是可以填入的内容"
                        + (f"；是不是想写 `{{{guess}}}`？" if guess else ""),
                        f"`{{{part}}}` in page.{name} names nothing to fill in"
                        + (f"; did you mean `{{{guess}}}`?" if guess else ""),
                        help=Msg(f"可用：{', '.join(known)}", f"known: {', '.join(known)}"),
                    )


def _page_value(name: str, value: object, current: object, where: _Where) -> object:
    """One page setting, typed like its default (a list of fields, a bool, a number …)."""
    keys = ("page", name)
    if name in _PATTERNS:
        _check_pattern(name, _strings(value, where, keys), where)
    if isinstance(current, tuple):
        texts = _strings(value, where, keys)
        levels = _FIELD_LISTS.get(name)
        if levels is None:
            return texts
        return tuple(resolve_field(v, where, keys, levels)[1] for v in texts)
    if isinstance(current, Mapping):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            _fail(
                where,
                keys,
                f"page.{name} 应当是文字对文字的表",
                f"page.{name} must map words to words",
            )
        return dict(value)  # type: ignore[arg-type]
    expected = type(current)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        _fail(
            where,
            keys,
            f"page.{name} 应当是{_KIND_ZH.get(expected, expected.__name__)}",
            f"page.{name} must be a {expected.__name__}",
        )
    choices = _CHOICES.get(name)
    if choices and value not in choices:
        _fail(
            where,
            keys,
            f"page.{name} 只能是 {' 或 '.join(choices)}",
            f"page.{name} must be one of {', '.join(choices)}",
        )
    return value


_SECTIONS: Final = ("name", "fields", "money", "purpose", "blocks", "goals")
_HEADER_CHOICES: Final = {
    "money": ("inline", "stacked", "pairs", "matrix"),
    "goals": ("single", "split"),
}


def _grid(value: object, where: _Where) -> HeaderSpec:
    """``grid = "mof"``: the header table of a built-in template."""
    from perfdsl.standards.templates.catalog import builtin

    presets = {"mof": "mof2015", "labelled": "department"}
    if not isinstance(value, str) or presets.get(value, value) not in builtin():
        shown = value if isinstance(value, str) else repr(value)
        guess = suggest(shown, list(GRIDS))
        _fail(
            where,
            ("page", "grid"),
            f"page.grid 不能是 {shown!r}" + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"page.grid cannot be {shown!r}" + (f"; did you mean `{guess}`?" if guess else ""),
            help=Msg(f"可用：{', '.join(GRIDS)}", f"known: {', '.join(GRIDS)}"),
        )
    return builtin()[presets.get(value, value)].page.header  # type: ignore[arg-type]


def _header(data: object, base: HeaderSpec, where: _Where) -> HeaderSpec:
    """``[page.header]``: the header table's rows and settings."""
    if not isinstance(data, dict):
        _fail(where, ("header",), "page.header 应当是表", "page.header must be a table")
    assert isinstance(data, dict)
    known = attrs.fields_dict(HeaderSpec)
    unknown = sorted(set(data) - set(known))
    if unknown:
        guess = suggest(unknown[0], sorted(known))
        _fail(
            where,
            ("header", unknown[0]),
            f"page.header 里没有 `{unknown[0]}` 这一项"
            + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"page.header has no `{unknown[0]}`" + (f"; did you mean `{guess}`?" if guess else ""),
        )
    changes: dict[str, Any] = {}
    for name, value in data.items():
        keys = ("header", name)
        current = getattr(base, name)
        if name == "rows":
            changes[name] = _header_rows(value, where)
        elif name == "widths":
            if not isinstance(value, list) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in value
            ):
                _fail(
                    where,
                    keys,
                    "widths 应当是正数的列表",
                    "widths must be a list of positive numbers",
                )
            changes[name] = tuple(float(v) for v in value)
        elif name == "groups":
            changes[name] = _header_groups(value, where)
        elif name == "money_columns":
            texts = _strings(value, where, keys)
            changes[name] = tuple(resolve_field(v, where, keys, ("budget",))[1] for v in texts)
        else:
            expected = type(current)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                _fail(
                    where,
                    keys,
                    f"page.header.{name} 应当是{_KIND_ZH.get(expected, expected.__name__)}",
                    f"page.header.{name} must be a {expected.__name__}",
                )
            choices = _HEADER_CHOICES.get(name)
            if choices and value not in choices:
                _fail(
                    where,
                    keys,
                    f"page.header.{name} 只能是 {' 或 '.join(choices)}",
                    f"page.header.{name} must be one of {', '.join(choices)}",
                )
            changes[name] = value
    spec = attrs.evolve(base, **changes)
    if spec.columns and len(spec.widths) != spec.columns and "widths" in changes:
        _fail(
            where,
            ("header", "widths"),
            f"widths 有 {len(spec.widths)} 个，应当与 columns（{spec.columns}）相同",
            f"widths has {len(spec.widths)} entries; columns is {spec.columns}",
        )
    if spec.columns and "columns" in changes and "widths" not in changes:
        spec = attrs.evolve(spec, widths=())
    if spec.columns == 1 or spec.columns < 0:
        _fail(
            where,
            ("header", "columns"),
            "表头至少要 2 列（标签一列、内容一列）；写 0 则按内容定",
            "a header needs at least 2 columns (a label and its value); 0 fits the content",
        )
    least = MONEY_COLUMNS.get(spec.money, 2)
    if 0 < spec.columns < least and spec.money != "inline" and "money" in spec.rows:
        _fail(
            where,
            ("header", "columns" if "columns" in changes else "money"),
            f'money = "{spec.money}" 至少要 {least} 列，表头只有 {spec.columns} 列',
            f'money = "{spec.money}" takes at least {least} columns; the header has {spec.columns}',
        )
    if spec.money == "inline" and 0 < spec.columns < INLINE_COLUMNS and "money" in spec.rows:
        _fail(
            where,
            ("header", "columns" if "columns" in changes else "money"),
            f'money = "inline" 要 {INLINE_COLUMNS} 列（组名 | 预算数 | 金额 | 其中：财政资金 | 金额 | '
            f'其他资金 | 金额），表头只有 {spec.columns} 列；列少时用 money = "stacked"',
            f'money = "inline" takes {INLINE_COLUMNS} columns (group | 预算数 | amount | 其中：财政资金 '
            f'| amount | 其他资金 | amount); the header has {spec.columns}; use money = "stacked"',
        )
    for row in spec.rows:
        used = row_span(row)
        if spec.columns and used > spec.columns:
            _fail(
                where,
                ("header", "rows" if "rows" in changes else "columns"),
                f"表头的一行 {list(row)} 占 {used} 列，表头只有 {spec.columns} 列",
                f"a header row {list(row)} takes {used} columns; the header has {spec.columns}",
            )
    return spec


def _header_groups(value: object, where: _Where) -> dict[str, tuple[str, ...]]:
    """``[page.header.groups]``: ``"项目立项情况" = ["立项依据", "可行性", "必要性"]``."""
    if not isinstance(value, dict):
        _fail(where, ("header", "groups"), "groups 应当是表", "groups must be a table")
    assert isinstance(value, dict)
    groups: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for group, names in value.items():
        keys = ("header", "groups", group)
        members = [resolve_field(n, where, keys) for n in _strings(names, where, keys)]
        for level, key in members:
            if level != "project":
                _fail(
                    where,
                    keys,
                    f"组里只能放项目的字段，`{key}` 不是",
                    f"a group holds project fields; `{key}` is not one",
                )
            if key in seen:
                _fail(
                    where,
                    keys,
                    f"`{key}` 已经在组“{seen[key]}”里",
                    f"`{key}` is already in the group {seen[key]!r}",
                )
            seen[key] = group
        groups[group] = tuple(key for _, key in members)
    return groups


#: The columns the seed's inline money row takes: its group label and three label | amount pairs.
INLINE_COLUMNS: Final = 7
#: The fewest columns each other money style can be drawn in: the group label, then a label
#: and an amount (stacked, pairs), or a source/use label, a line label and an amount (matrix).
MONEY_COLUMNS: Final = {"stacked": 3, "pairs": 3, "matrix": 4}


def row_span(row: HeaderRow) -> int:
    """How many columns a written-out header row takes (0 for a named section)."""
    if isinstance(row, str):
        return 0
    return sum(int(cell.partition("*")[2] or 1) for cell in row)


def _header_rows(value: object, where: _Where) -> tuple[HeaderRow, ...]:
    keys = ("header", "rows")
    if not isinstance(value, list):
        _fail(where, keys, "rows 应当是列表", "rows must be a list")
    assert isinstance(value, list)
    rows: list[HeaderRow] = []
    for row in value:
        if isinstance(row, str):
            if row not in _SECTIONS:
                guess = suggest(row, list(_SECTIONS))
                _fail(
                    where,
                    keys,
                    f"没有 `{row}` 这一部分" + (f"；是不是想写 `{guess}`？" if guess else ""),
                    f"there is no section `{row}`"
                    + (f"; did you mean `{guess}`?" if guess else ""),
                    help=Msg(f"可用：{', '.join(_SECTIONS)}", f"known: {', '.join(_SECTIONS)}"),
                )
            rows.append(row)
            continue
        cells = _strings(row, where, keys)
        out: list[str] = []
        for cell in cells:
            what, colon, rest = cell.partition(":")
            key, _, span = rest.partition("*")
            if not colon or what not in ("label", "value", "text") or (span and not span.isdigit()):
                _fail(
                    where,
                    keys,
                    f"格子 `{cell}` 应当写作 label:字段、value:字段 或 text:文字（可加 *列数）",
                    f"a cell `{cell}` is label:<field>, value:<field> or text:<words> (and *<span>)",
                )
            if what != "text":
                _level, found = _cell_field(key, where)
                key = found
            out.append(f"{what}:{key}" + (f"*{span}" if span else ""))
        rows.append(tuple(out))
    return tuple(rows)


def _cell_field(name: str, where: _Where) -> tuple[str, str]:
    if name in ("name", "goals"):
        return "project", name
    return resolve_field(name, where, ("header", "rows"), ("project", "budget"))


#: The shapes of header table the printer knows (:mod:`perfdsl.emit.table`).
GRIDS: Final = ("tianjin", "mof", "labelled", "department", "flat", "ndrc")

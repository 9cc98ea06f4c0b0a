"""Give the generic tree its meaning: header, tables, money, goals, blocks and indicators.

The grammar only knows ``key: value`` lines; this pass knows which keys exist where.  What a
key may be comes from two places: the field registry (:mod:`perfdsl.standards.fields`), which
has every field and its spellings in Chinese and English, and the file's template
(:mod:`perfdsl.standards.templates`), which says which of those fields its tables hold and what
it calls them (a template's label is a spelling too: ``项目单位:`` where the template prints
实施单位 that way).  Every value is typed here, once, by the kind of its field.

Nothing the author wrote is silently dropped: a key that is no field of the template is an
error with a did-you-mean against the template's own fields and labels; a one-off cell the
template does not have is written ``栏目 <label>: …``.  Entries whose key is :data:`RECOVERED`
stand in for lines the parser could not read (already reported), and are skipped with
everything under them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from perfdsl import ast
from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Catalog, Template, TemplateError, inline
from perfdsl.suggest import suggest
from perfdsl.syntax import keywords as K
from perfdsl.syntax.tree import Entry, Item, Scalar
from perfdsl.values import (
    FILE_MONEY_UNITS,
    NUMBER,
    Quantity,
    Text,
    Value,
    money_unit,
    normalise,
    parse_number,
    parse_value,
)

#: The key the error recovery writes in place of a line it could not parse.
RECOVERED = "\x00"

# "215101 天津市北辰区人民法院": a code, a blank, the name.  The published tables print the two
# run together ("215101天津市北辰区人民法院"), so a run of five or more digits directly before
# the name is a code too; a shorter one is part of the name ("101中学" is a school).
_UNIT_CODE = re.compile(r"([0-9A-Za-z][0-9A-Za-z._-]*)\s+(.+)|(\d{5,})([^\x00-\x7f].*)", re.S)
_TABLE_KEY = re.compile(r"(项目|project|部门|overall)(?:\s+(.*))?", re.I | re.S)
_FREE_KEY = re.compile(r"(栏目|field)\s+(.+)", re.I | re.S)
_ROW_KEY = frozenset(K.fold(w) for w in R.ROW_WORDS)
_WEIGHT = re.compile(NUMBER)
# 854万(其中：高标准农田建设400万元)：an amount, its unit, then words about it.
_MONEY_NOTE = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>[元万亿千百]*元|万|亿)?(?P<note>\D.*)", re.S
)

#: Header fields every template has: the structure of any file.
_CORE_HEADER = ("unit", "year", "money_unit", "framework", "template", "title")


def _quoted(text: str) -> str:
    return f"`{text}`"


def _recovered(node: Entry | Item) -> bool:
    return isinstance(node, Entry) and node.key.text == RECOVERED


def _is_template_key(key: Scalar) -> bool:
    return not key.quoted and K.fold(key.text) in _TEMPLATE_SPELLINGS


_TEMPLATE_SPELLINGS = frozenset(K.fold(s) for s in R.get("header", "template").spellings)


class Builder:
    def __init__(self, catalog: Catalog, path: str) -> None:
        self.catalog = catalog
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.zh_keys = 0
        self.en_keys = 0

    # -- helpers -----------------------------------------------------------------------------

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def _count_language(self, written: str) -> None:
        if K.is_english(written):
            self.en_keys += 1
        else:
            self.zh_keys += 1

    def unknown_key(
        self,
        key: Scalar,
        where: Msg,
        known: list[str],
        hint: Msg | None = None,
        extra: Msg | None = None,
    ) -> None:
        """PD2001: ``known`` lists the spellings to suggest from, canonical ones first."""
        guess = suggest(key.text, known)
        help_ = hint
        if guess:
            help_ = Msg(f"是不是想写 {_quoted(guess)}？", f"did you mean {_quoted(guess)}?")
        elif extra is not None and hint is None:
            help_ = extra
        if key.text[:1].isspace() and not key.quoted:
            # Only spaces and tabs indent; a full-width space (U+3000) starts the key itself.
            help_ = Msg(
                "这一行以全角空格等特殊空白开头，它不算缩进；请改用普通空格缩进",
                "this line starts with a full-width or other special space, which does not "
                "indent; indent with ordinary spaces",
            )
        listing = "、".join(dict.fromkeys(known[: self._canonical_count(known)]))
        self.report(
            C.UNKNOWN_KEY.at(
                key.span,
                Msg(
                    f"{where.zh}里没有 {_quoted(key.text)} 这个字段",
                    f"{where.en} has no key {_quoted(key.text)}",
                ),
                help=help_,
                notes=(Msg(f"可用的字段：{listing}", f"known keys: {listing}"),),
            )
        )

    _canonical: int = 0

    def _canonical_count(self, known: list[str]) -> int:
        return self._canonical or len(known)

    def no_block(self, entry: Entry, what: Msg) -> None:
        """Report children under an entry that takes none."""
        first = next((c for c in entry.children if not _recovered(c)), None)
        if first is None:
            return
        self.report(
            C.TOO_DEEP.at(
                first.span,
                Msg(f"{what.zh}下面不能再缩进内容", f"nothing can be nested under {what.en}"),
                help=Msg(
                    "把这一行的缩进减少一级，或删除它",
                    "indent this line one level less, or remove it",
                ),
            )
        )

    def text_of(self, entry: Entry, what: Msg, allow_empty: bool = False) -> ast.Located | None:
        """A text field: an inline value or a ``|`` block.  None (reported) if empty."""
        self.no_block(entry, what)
        if entry.lines is not None:
            text = "\n".join(line.text for line in entry.lines)
            return ast.Located(text, span=entry.span)
        if entry.value is None:
            if allow_empty:
                return ast.Located("", span=entry.key.span)
            self.report(
                C.SYNTAX_ERROR.at(
                    entry.key.span,
                    Msg(f"{what.zh}缺少内容", f"{what.en} has no value"),
                    help=Msg(
                        f"在冒号后写上内容，例如 {_quoted(entry.key.text + ': …')}",
                        f"write the value after the colon: {_quoted(entry.key.text + ': …')}",
                    ),
                )
            )
            return None
        return ast.Located(entry.value.text, span=entry.value.span)

    def money(self, scalar: Scalar | None, at: Scalar, what: Msg) -> ast.Money | None:
        if scalar is None:
            self.report(
                C.INVALID_AMOUNT.at(
                    at.span,
                    Msg(f"{what.zh}缺少金额", f"{what.en} has no amount"),
                    help=Msg(
                        "写上金额；资金来源为空时删去这一行即为空白",
                        "write the amount; to leave a funding line blank, leave the line out",
                    ),
                )
            )
            return None
        money = read_money(scalar)
        if money is not None:
            return money
        self.report(
            C.INVALID_AMOUNT.at(
                scalar.span,
                Msg(
                    f"{what.zh}应当是金额，而不是 {_quoted(scalar.text)}",
                    f"{what.en} must be an amount, not {_quoted(scalar.text)}",
                ),
                help=Msg(
                    "写数字，可带单位：146.00、4137280元、1.5亿元",
                    "write a number, optionally with a unit: 146.00, 4137280元, 1.5亿元",
                ),
            )
        )
        return None

    def duplicate(self, meaning: str, key: Scalar, seen: dict[str, Scalar]) -> bool:
        first = seen.get(meaning)
        if first is None:
            seen[meaning] = key
            return False
        self.report(
            C.DUPLICATE_KEY.at(
                key.span,
                Msg(f"{_quoted(key.text)} 写了两次", f"{_quoted(key.text)} is written twice"),
                help=Msg("删掉其中一个", "remove one of them"),
                notes=(
                    Msg(
                        f"第一次写在第 {first.span.line} 行",
                        f"first written on line {first.span.line}",
                    ),
                ),
            )
        )
        return True

    def misplaced_item(self, item: Item, where: Msg) -> None:
        self.report(
            C.MISPLACED_ITEM.at(
                item.span,
                Msg(f"{where.zh}不能写编号条目", f"a numbered item cannot stand in {where.en}"),
                help=Msg(
                    "编号条目写在 `绩效目标:` 或 `中期目标:` 下面",
                    "numbered items go under `绩效目标:` or `中期目标:`",
                ),
            )
        )

    def template_error(self, exc: TemplateError) -> None:
        self.report(exc.diagnostic)

    # -- typed fields ----------------------------------------------------------------------------

    def field_value(
        self, field: R.FieldDef, entry: Entry, template: Template
    ) -> ast.FieldValue | None:
        """A field's value, typed by its kind (the entry's key is the field's)."""
        what = Msg(f"`{entry.key.text}`", f"`{entry.key.text}`")
        kind = field.kind
        if kind == "goals":
            return ast.Goals(self.goals(entry), span=entry.key.span)
        if kind == "rows":
            return self.rows(entry, field, template)
        if kind == "labels":
            return self.labels(entry)
        if kind == "indicators":
            self._expect_block(entry)
            return ast.Tree(self.level1s(entry.children, template), span=entry.key.span)
        if kind == "money":
            self.no_block(entry, what)
            return self.money(entry.value, entry.key, what)
        if kind == "value":
            self.no_block(entry, what)
            if entry.lines is not None:
                return ast.Typed(
                    Text("\n".join(line.text for line in entry.lines)), span=entry.span
                )
            if entry.value is None:
                return None  # an empty value: the checker reports it where it matters
            return ast.Typed(self.value_of(entry.value), span=entry.value.span)
        allow_empty = field.key == "description"  # "描述:" alone: an explicit blank cell
        located = self.text_of(entry, what, allow_empty=allow_empty)
        if located is None:
            return None
        if kind == "number":
            return self.number(located, field)
        if kind == "choice":
            return self.choice(located, field)
        return located

    def number(self, located: ast.Located, field: R.FieldDef) -> ast.Number | None:
        # A number is plain: Decimal() alone would also take "NaN", "Infinity", "1_0" and any
        # Unicode digits; it is kept in the canonical form the formatter writes (ASCII digits,
        # half-width separators), as other numbers are.
        text = normalise(located.value).replace("，", ",")
        if _WEIGHT.fullmatch(text):
            return ast.Number(text, parse_number(text), span=located.span)
        self.report(
            C.INVALID_ATTRIBUTE.at(
                located.span,
                Msg(
                    f"{field.zh}应当是数字，而不是 {_quoted(located.value)}",
                    f"{field.en} must be a number, not {_quoted(located.value)}",
                ),
                help=Msg(f"例如 `{field.zh}: 10`", f"for example `{field.zh}: 10`"),
            )
        )
        return None

    def choice(self, located: ast.Located, field: R.FieldDef) -> ast.Located | None:
        word = field.choice(located.value)
        if word is not None:
            return ast.Located(word, span=located.span)
        words = " 或 ".join(w for w, _ in field.choices)
        words_en = " or ".join(f"`{w}`" for w, _ in field.choices)
        help_ = (
            Msg(
                "正向：越大越好；反向：越小越好",
                "`正向`: larger is better; `反向`: smaller is better",
            )
            if field.key == "direction"
            else Msg(f"写 {words}", f"write {words_en}")
        )
        self.report(
            C.INVALID_ATTRIBUTE.at(
                located.span,
                Msg(
                    f"{field.zh}应当是 {words}，而不是 {_quoted(located.value)}",
                    f"a {field.en} is {words_en}, not {_quoted(located.value)}",
                ),
                help=help_,
            )
        )
        return None

    def value_of(self, scalar: Scalar) -> Value:
        if scalar.quoted:
            return Text(scalar.text, quoted=True)
        return parse_value(scalar.text)

    def free_field(self, entry: Entry, label: str) -> ast.Located | None:
        """``栏目 联系电话: …``: a labelled cell the template does not have, kept as text."""
        self._count_language(entry.key.text.split(None, 1)[0])
        return self.text_of(entry, Msg(f"`{label}`", f"`{label}`"), allow_empty=True)

    # -- document ------------------------------------------------------------------------------

    def document(self, entries: list[Entry | Item]) -> ast.Document:
        template, spec, template_entry = self.file_template(entries)
        fields: list[tuple[str, ast.FieldValue]] = []
        core: dict[str, ast.Located] = {}
        seen: dict[str, Scalar] = {}
        projects: list[ast.Project] = []
        spellings = self.header_spellings(template)
        for node in entries:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg("文件顶层", "the top level of the file"))
                continue
            key = node.key
            free = _FREE_KEY.fullmatch(key.text) if not key.quoted else None
            meaning = spellings.get(K.fold(key.text)) if not key.quoted else None
            if meaning is not None:
                self._count_language(key.text)
                if self.duplicate(meaning, key, seen):
                    continue
                if node is template_entry:
                    located = ast.Located(
                        node.value.text if node.value else "",
                        span=node.value.span if node.value else key.span,
                    )
                    fields.append(("template", located))
                    continue
                field = R.get("header", meaning)
                located = self.text_of(node, Msg(f"`{key.text}`", f"`{key.text}`"))
                if located is None:
                    continue
                if meaning in ("unit", "year", "money_unit"):
                    core[meaning] = located
                else:
                    fields.append((meaning, self.header_value(field, located)))
                continue
            if free is not None:
                located = self.free_field(node, free.group(2).strip())
                if located is not None and not self.duplicate(
                    ast.free_key(free.group(2)), key, seen
                ):
                    fields.append((ast.free_key(free.group(2).strip()), located))
                continue
            match = _TABLE_KEY.fullmatch(key.text)
            if match is not None and not key.quoted:
                self._count_language(match.group(1))
                kind = (
                    "department" if match.group(1).casefold() in ("部门", "overall") else "project"
                )
                project = self.project(node, match.group(2), kind, template)
                if project is not None:
                    projects.append(project)
                continue
            where = Msg("文件头", "the file header")
            known = [
                *(R.get("header", k).zh for k in self.header_keys(template)),
                "项目 <名称>",
                "部门 <名称>",
            ]
            self._canonical = len(known)
            known += [s for s in spellings]
            self.unknown_key(key, where, known, _top_level_hint(node))
            self._canonical = 0
        header = self.header(core, fields, spec, any(map(ast.has_money, projects)))
        language = "en" if self.en_keys > self.zh_keys else "zh"
        return ast.Document(header=header, projects=tuple(projects), keyword_language=language)

    def header_keys(self, template: Template) -> list[str]:
        keys = [*_CORE_HEADER, *template.fields.get("header", ())]
        return list(dict.fromkeys(keys))

    def header_spellings(self, template: Template) -> dict[str, str]:
        table: dict[str, str] = {}
        for key in self.header_keys(template):
            for spelling in R.get("header", key).spellings:
                table.setdefault(K.fold(spelling), key)
        for (level, key), label in template.labels.items():
            if level == "header" and key in table.values():
                table[K.fold(label)] = key
        return table

    def header_value(self, field: R.FieldDef, located: ast.Located) -> ast.FieldValue:
        if field.kind == "value":
            return ast.Typed(parse_value(located.value), span=located.span)
        return located

    def file_template(
        self, entries: list[Entry | Item]
    ) -> tuple[Template, tuple[ast.Section, ...], Entry | None]:
        """The file's template (named under 模板:, adapted by the lines under it)."""
        entry = next(
            (
                n
                for n in entries
                if isinstance(n, Entry) and not _recovered(n) and _is_template_key(n.key)
            ),
            None,
        )
        return self.resolve_template(entry, self.catalog.templates[self.catalog.default])

    def resolve_template(
        self, entry: Entry | None, fallback: Template
    ) -> tuple[Template, tuple[ast.Section, ...], Entry | None]:
        if entry is None:
            return fallback, (), None
        name = entry.value.text if entry.value is not None else None
        try:
            base = self.catalog.named(
                name, entry.value.span if entry.value else entry.key.span, self.path
            )
        except TemplateError as exc:
            self.template_error(exc)
            return fallback, (), entry
        spec = tuple(
            _section(c) for c in entry.children if isinstance(c, Entry) and not _recovered(c)
        )
        for child in entry.children:
            if isinstance(child, Item):
                self.misplaced_item(child, Msg("模板下", "a template"))
        if not spec:
            return base, (), entry
        try:
            return inline(base, spec, self.path), spec, entry
        except TemplateError as exc:
            self.template_error(exc)
            return base, spec, entry

    def header(
        self,
        core: dict[str, ast.Located],
        fields: list[tuple[str, ast.FieldValue]],
        spec: tuple[ast.Section, ...],
        money: bool = True,
    ) -> ast.Header:
        code = name = None
        unit = core.get("unit")
        if unit is not None:
            m = _UNIT_CODE.fullmatch(unit.value)
            code_text = m and (m.group(1) or m.group(3))
            if m and code_text and any(ch.isdigit() for ch in code_text):
                code = ast.Located(code_text, span=unit.span)
                name = ast.Located((m.group(2) or m.group(4)).strip(), span=unit.span)
            else:
                name = unit
        year = core.get("year")
        if year is not None:  # ２０２４ is 2024, as in every value
            year = ast.Located(normalise(year.value), span=year.span)
        if year is not None and not re.fullmatch(r"(19|20)\d\d", year.value):
            self.report(
                C.INVALID_HEADER.at(
                    year.span,
                    Msg(
                        f"年度应当是四位数的年份，而不是 {_quoted(year.value)}",
                        f"`年度` must be a four-digit year, not {_quoted(year.value)}",
                    ),
                    help=Msg("例如 `年度: 2024`", "for example `年度: 2024`"),
                )
            )
        has_money = money
        money = core.get("money_unit")
        if money is not None and money.value not in FILE_MONEY_UNITS:
            guess = money_unit(money.value)
            self.report(
                C.INVALID_HEADER.at(
                    money.span,
                    Msg(
                        f"金额单位应当是 元、万元 或 亿元，而不是 {_quoted(money.value)}",
                        f"`金额单位` must be `元`, `万元` or `亿元`, not {_quoted(money.value)}",
                    ),
                    help=Msg(
                        f"改为 {_quoted(guess or '万元')}", f"write {_quoted(guess or '万元')}"
                    ),
                )
            )
        for meaning, zh in (("unit", "单位"), ("year", "年度"), ("money_unit", "金额单位")):
            if meaning in core or (meaning == "money_unit" and not has_money):
                continue  # (a table with no amounts at all needs no money unit)
            example = {"单位": "215101 天津市北辰区人民法院", "年度": "2024", "金额单位": "万元"}[
                zh
            ]
            self.report(
                C.MISSING_HEADER.at(
                    Span(1, 1, 1, 2),
                    Msg(f"文件头缺少 {zh}", f"the header has no `{zh}`"),
                    help=Msg(
                        f"在文件开头加一行 `{zh}: {example}`",
                        f"add the line `{zh}: {example}` at the top of the file",
                    ),
                )
            )
        return ast.Header(
            unit_code=code,
            unit_name=name,
            year=year,
            money_unit=money,
            fields=ast.Fields(tuple(fields)),
            template_spec=spec,
        )

    # -- tables --------------------------------------------------------------------------------

    def project(
        self, entry: Entry, name: str | None, kind: str, file_template: Template
    ) -> ast.Project | None:
        word = "部门" if kind == "department" else "项目"
        name_span = entry.key.span
        if name:  # point at the name itself, after the word 项目
            key = entry.key.span
            start = key.column + entry.key.text.rindex(name)
            name_span = Span(key.line, start, key.line, start + len(name))
        if not name and entry.value is not None:  # "项目: 名称" is accepted too
            name, name_span = entry.value.text, entry.value.span
        elif entry.value is not None:
            self.report(
                C.BLOCK_EXPECTED.at(
                    entry.value.span,
                    Msg(
                        "项目名称后面不写值，项目的内容缩进写在下面",
                        "a project takes no value; its contents go in the indented block",
                    ),
                    help=Msg("把这段内容移到下一行并缩进", "move this to an indented line below"),
                )
            )
        name = name.strip() if name else name  # (`项目: "  "` has no name either)
        if not name:
            self.report(
                C.MISSING_NAME.at(
                    entry.key.span,
                    help=Msg(f"写作 `{word} 办案业务费:`", f"write it as `{word} 办案业务费:`"),
                )
            )
            return None
        own = next(
            (
                c
                for c in entry.children
                if isinstance(c, Entry) and not _recovered(c) and _is_template_key(c.key)
            ),
            None,
        )
        template, _spec, _ = self.resolve_template(own, file_template)
        where = Msg(f"项目“{name}”", f"project “{name}”")
        fields: list[tuple[str, ast.FieldValue]] = []
        if own is not None and own.value is not None:
            fields.append(("template", ast.Located(own.value.text, span=own.value.span)))
        seen: dict[str, Scalar] = {}
        goals: tuple[ast.Goal, ...] = ()
        budgets: list[ast.Budget] = []
        level1: list[ast.Level1] = []
        project_words = template.spellings("project")
        money_words = template.spellings("budget")
        goals_words = {K.fold(s) for s in R.get("project", "goals").spellings}
        goals_words |= {
            K.fold(v) for (lv, k), v in template.labels.items() if (lv, k) == ("project", "goals")
        }
        for node in entry.children:
            if _recovered(node) or node is own:
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg("项目下", "a project"))
                continue
            key = node.key
            folded = K.fold(key.text)
            if not key.quoted and folded in goals_words:
                self._count_language(key.text)
                if not self.duplicate("goals", key, seen):
                    goals = self.goals(node)
                continue
            if not key.quoted and folded in money_words:
                self._count_language(key.text)
                meaning = money_words[folded]
                if not self.duplicate(meaning, key, seen):
                    budget = self.budget(node, meaning, template)
                    if budget is not None:
                        budgets.append(budget)
                continue
            if not key.quoted and folded in project_words:
                self._count_language(key.text)
                meaning = project_words[folded]
                if self.duplicate(meaning, key, seen):
                    continue
                value = self.field_value(R.get("project", meaning), node, template)
                if value is not None:
                    fields.append((meaning, value))
                continue
            free = _FREE_KEY.fullmatch(key.text) if not key.quoted else None
            if free is not None:
                label = free.group(2).strip()
                if not self.duplicate(ast.free_key(label), key, seen):
                    located = self.free_field(node, label)
                    if located is not None:
                        fields.append((ast.free_key(label), located))
                continue
            looks_like_field = node.value is not None or node.lines is not None
            canonical = _category(key)
            if looks_like_field and canonical in _CATEGORY_NAMES and not node.children:
                self._expect_block(node)  # 效益指标: 持续保障 — a category with a value
                continue
            elsewhere = _registry_field(key, ("project", "budget"))
            if elsewhere is not None and not key.quoted:
                self.not_in_template(key, where, template, "project", elsewhere)
                continue
            if looks_like_field or (
                not node.children
                and canonical == key.text
                and suggest(key.text, self.project_known(template))
            ):
                hint = None
                if K.fold(key.text) in template.spellings("funding") or _registry_field(
                    key, ("funding",)
                ):
                    hint = Msg(
                        f"资金来源写在 `预算数:` 下面，再缩进一级：`  {key.text}: …`",
                        f"funding lines go under `预算数:`, one level deeper: `  {key.text}: …`",
                    )
                known = self.project_known(template)
                self._canonical = len(known)
                known += list(project_words) + list(money_words)
                self.unknown_key(key, where, known, hint, self.free_hint(key))
                self._canonical = 0
                continue
            level1.append(self.level1(node, canonical, template))
        if (
            template.kind == "project"
            and kind == "project"
            and "budget" not in seen
            and "budget" in template.fields.get("budget", ())
        ):
            self.report(
                C.MISSING_BUDGET.at(
                    entry.key.span,
                    Msg(f"项目“{name}”缺少预算数", f"project “{name}” has no `预算数`"),
                    help=Msg(
                        "在项目下加 `预算数: 金额`，下面缩进写 财政资金 / 其他资金",
                        "add `预算数: <amount>` with 财政资金 / 其他资金 indented under it",
                    ),
                )
            )
        return ast.Project(
            name=name,
            budgets=tuple(budgets),
            goals=goals,
            indicators=tuple(level1),
            fields=ast.Fields(tuple(fields)),
            kind=kind,
            span=entry.key.span,
            name_span=name_span,
            goals_span=seen["goals"].span if "goals" in seen else entry.key.span,
        )

    def project_known(self, template: Template) -> list[str]:
        """The keys a table of ``template`` holds, as its keywords (for notes and guesses)."""
        fields = [
            k for k in template.fields.get("project", ()) if R.get("project", k).kind != "structure"
        ]
        keys = [R.get("budget", k).zh for k in template.fields.get("budget", ())]
        if "purpose" in fields:  # (the order a table reads in: money, what for, the goals)
            keys.append(R.get("project", "purpose").zh)
        keys.append(R.get("project", "goals").zh)
        keys += [R.get("project", k).zh for k in fields]
        return list(dict.fromkeys(keys))

    def free_hint(self, key: Scalar) -> Msg:
        return Msg(
            f"模板里没有的栏目写作 `栏目 {key.text}: …`",
            f"a cell the template does not have is written `栏目 {key.text}: …`",
        )

    def not_in_template(
        self, key: Scalar, where: Msg, template: Template, level: str, field: R.FieldDef
    ) -> None:
        """A field of the registry that this template's tables do not hold."""
        if field.kind in ("rows", "labels", "indicators", "goals"):  # no free-text stand-in
            Msg(
                f'在自己的模板里加上它（add.{field.level} = ["{field.zh}"]），或换一个有这个字段的模板',
                f'add it to your own template (add.{field.level} = ["{field.zh}"]), or use a '
                "template that has it",
            )
        else:
            Msg(
                f"写作 `栏目 {key.text}: …`，或在自己的模板里加上它（add.{field.level} = "
                f'["{field.zh}"]），或换一个有这个字段的模板',
                f"write `栏目 {key.text}: …`, or add it to your own template (add.{field.level}"
                f' = ["{field.zh}"]), or use a template that has it',
            )
        self.report(
            C.UNKNOWN_KEY.at(
                key.span,
                Msg(
                    f"{where.zh}里没有 {_quoted(key.text)} 这个字段：模板“{template.key}”没有{field.zh}",
                    f"{where.en} has no key {_quoted(key.text)}: the template “{template.key}” has "
                    f"no {field.en}",
                ),
                help=Msg(
                    f"写作 `栏目 {key.text}: …`，或在自己的模板里加上它（add.{field.level} = "
                    f'["{field.zh}"]），或换一个有这个字段的模板',
                    f"write `栏目 {key.text}: …`, or add it to your own template (add.{field.level}"
                    f' = ["{field.zh}"]), or use a template that has it',
                ),
            )
        )

    def budget(self, entry: Entry, key: str, template: Template) -> ast.Budget | None:
        label = R.get("budget", key).zh
        total = self.money(entry.value, entry.key, Msg(label, f"`{label}` (budget)"))
        lines = self.funding_lines(entry, Msg(label, f"`{label}`"), template, {})
        if total is None:
            return None
        return ast.Budget(total, tuple(lines), key=key, span=entry.key.span)

    def funding_lines(
        self, entry: Entry, where: Msg, template: Template, seen: dict[str, Scalar]
    ) -> list[ast.FundingLine]:
        """The funding lines under a money column or under another line (其中…); a kind is
        written once in a column, at whatever depth."""
        lines: list[ast.FundingLine] = []
        funding = template.spellings("funding")
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, where)
                continue
            kind = funding.get(K.fold(node.key.text))
            if kind is None or node.key.quoted:
                elsewhere = _registry_field(node.key, ("funding",))
                if elsewhere is not None and not node.key.quoted:
                    self.not_in_template(node.key, where, template, "funding", elsewhere)
                    continue
                known = [R.get("funding", k).zh for k in template.fields.get("funding", ())]
                self._canonical = len(known)
                known += list(funding)
                self.unknown_key(node.key, where, known)
                self._canonical = 0
                continue
            self._count_language(node.key.text)
            if self.duplicate(kind, node.key, seen):
                continue
            what = Msg(f"`{node.key.text}`", f"`{node.key.text}`")
            amount = self.money(node.value, node.key, Msg(node.key.text, f"`{node.key.text}`"))
            below = self.funding_lines(node, what, template, seen)
            if amount is not None:
                lines.append(ast.FundingLine(kind, amount, tuple(below), span=node.key.span))
        return lines

    def goals(self, entry: Entry) -> tuple[ast.Goal, ...]:
        goals: list[ast.Goal] = []
        if entry.lines is not None:
            text = "\n".join(line.text for line in entry.lines)
            goals.append(ast.Goal(text, span=entry.span))
        elif entry.value is not None:
            goals.append(ast.Goal(entry.value.text, span=entry.value.span))
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Entry):
                self.report(
                    C.MISPLACED_ITEM.at(
                        node.key.span,
                        Msg(
                            f"{_quoted(entry.key.text)} 下面只能写编号条目",
                            f"{_quoted(entry.key.text)} takes only numbered items",
                        ),
                        help=Msg("每条目标写作 `1.目标内容`", "write each goal as `1.<text>`"),
                    )
                )
                continue
            goals.append(ast.Goal(node.value.text, span=node.span))
        return tuple(goals)

    # -- blocks of rows ------------------------------------------------------------------------

    def rows(self, entry: Entry, field: R.FieldDef, template: Template) -> ast.Rows:
        """``进度计划:`` with ``行:`` entries under it, each with the block's columns."""
        columns = R.at("row", field.block)
        spellings: dict[str, str] = {}
        for column in columns:
            for spelling in column.spellings:
                spellings.setdefault(K.fold(spelling), column.key)
        for (level, key), label in template.labels.items():
            if level == f"row.{field.block}":  # a template's label is a spelling too
                spellings[K.fold(label)] = key
        rows: list[ast.Row] = []
        if entry.value is not None or entry.lines is not None:
            self._expect_rows(entry)
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item) or K.fold(node.key.text) not in _ROW_KEY or node.key.quoted:
                span = node.span if isinstance(node, Item) else node.key.span
                self.report(
                    C.MISPLACED_ITEM.at(
                        span,
                        Msg(
                            f"{_quoted(entry.key.text)} 下面每一行写作 `行:`",
                            f"each row under {_quoted(entry.key.text)} is written `row:`",
                        ),
                        help=Msg(
                            "写 `行:`，下面缩进写这一行的各栏：" + "、".join(c.zh for c in columns),
                            "write `row:` with the row's cells indented under it: "
                            + ", ".join(c.en for c in columns),
                        ),
                    )
                )
                continue
            self._count_language(node.key.text)
            values: list[tuple[str, ast.FieldValue]] = []
            seen: dict[str, Scalar] = {}
            for cell in node.children:
                if _recovered(cell):
                    continue
                if isinstance(cell, Item):
                    self.misplaced_item(cell, Msg("行下", "a row"))
                    continue
                meaning = spellings.get(K.fold(cell.key.text)) if not cell.key.quoted else None
                free = _FREE_KEY.fullmatch(cell.key.text) if not cell.key.quoted else None
                if meaning is None and free is None:
                    known = [c.zh for c in columns]
                    self._canonical = len(known)
                    known += list(spellings)
                    self.unknown_key(
                        cell.key, Msg("这一行", "this row"), known, extra=self.free_hint(cell.key)
                    )
                    self._canonical = 0
                    continue
                if free is not None:
                    label = free.group(2).strip()
                    if not self.duplicate(ast.free_key(label), cell.key, seen):
                        located = self.free_field(cell, label)
                        if located is not None:
                            values.append((ast.free_key(label), located))
                    continue
                assert meaning is not None
                self._count_language(cell.key.text)
                if self.duplicate(meaning, cell.key, seen):
                    continue
                column = R.get("row", meaning, field.block)
                what = Msg(f"`{cell.key.text}`", f"`{cell.key.text}`")
                if column.kind == "money":
                    self.no_block(cell, what)
                    value = self.money(cell.value, cell.key, what) if cell.value else None
                    if cell.value is None:
                        value = None
                        values.append((meaning, ast.Located("", span=cell.key.span)))
                        continue
                else:
                    value = self.text_of(cell, what, allow_empty=True)
                if value is not None:
                    values.append((meaning, value))
            rows.append(ast.Row(ast.Fields(tuple(values)), span=node.key.span))
        return ast.Rows(tuple(rows), span=entry.key.span)

    def _expect_rows(self, entry: Entry) -> None:
        where = entry.value.span if entry.value is not None else entry.span
        self.report(
            C.BLOCK_EXPECTED.at(
                where,
                Msg(
                    f"{_quoted(entry.key.text)} 由若干行组成，不带值",
                    f"{_quoted(entry.key.text)} is a block of rows and takes no value",
                ),
                help=Msg(
                    "每一行写作 `行:`，缩进写在下面", "write each row as `row:`, indented below"
                ),
            )
        )

    def labels(self, entry: Entry) -> ast.Labels:
        """签章: free ``label: text`` lines (``项目负责人（签字）: ``), in order."""
        values: list[tuple[str, ast.FieldValue]] = []
        seen: dict[str, Scalar] = {}
        if entry.value is not None or entry.lines is not None:
            self._expect_rows(entry)
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(
                    node, Msg(f"{_quoted(entry.key.text)} 下", f"{_quoted(entry.key.text)}")
                )
                continue
            label = node.key.text.strip()
            if self.duplicate(label, node.key, seen):
                continue
            located = self.text_of(node, Msg(f"`{label}`", f"`{label}`"), allow_empty=True)
            if located is not None:
                values.append((label, located))
        return ast.Labels(ast.Fields(tuple(values)), span=entry.key.span)

    # -- indicators ----------------------------------------------------------------------------

    def level1s(self, children: list[Entry | Item], template: Template) -> tuple[ast.Level1, ...]:
        out: list[ast.Level1] = []
        for node in children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg("指标下", "indicators"))
                continue
            out.append(self.level1(node, _category(node.key), template))
        return tuple(out)

    def category_field(
        self, node: Entry, template: Template, seen: dict[str, Scalar]
    ) -> tuple[str, ast.FieldValue] | bool | None:
        """A 一级/二级 attribute (``分值: 50``): (key, value), None if reported, False if the
        entry is no attribute."""
        if node.key.quoted or node.children:
            return False
        meaning = template.spellings("category").get(K.fold(node.key.text))
        if meaning is None:
            return False
        self._count_language(node.key.text)
        if self.duplicate(meaning, node.key, seen):
            return None
        value = self.field_value(R.get("category", meaning), node, template)
        return (meaning, value) if value is not None else None

    def level1(self, entry: Entry, name: str, template: Template) -> ast.Level1:
        self._expect_block(entry)
        blocks: list[ast.Level2] = []
        attributes: list[tuple[str, ast.FieldValue]] = []
        seen: dict[str, Scalar] = {}
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg(f"一级指标“{name}”下", f"level-1 indicator “{name}”"))
                continue
            attribute = self.category_field(node, template, seen)
            if attribute is not False:
                if attribute is not None:
                    attributes.append(attribute)  # type: ignore[arg-type]
                continue
            self._expect_block(node)
            sub = _category(node.key)
            indicators = []
            sub_attributes: list[tuple[str, ast.FieldValue]] = []
            sub_seen: dict[str, Scalar] = {}
            for child in node.children:
                if _recovered(child):
                    continue
                if isinstance(child, Item):
                    self.misplaced_item(
                        child, Msg(f"二级指标“{sub}”下", f"level-2 indicator “{sub}”")
                    )
                    continue
                attribute = self.category_field(child, template, sub_seen)
                if attribute is not False:
                    if attribute is not None:
                        sub_attributes.append(attribute)  # type: ignore[arg-type]
                    continue
                indicators.append(self.indicator(child, template))
            blocks.append(
                ast.Level2(
                    sub, tuple(indicators), ast.Fields(tuple(sub_attributes)), span=node.key.span
                )
            )
        return ast.Level1(name, tuple(blocks), ast.Fields(tuple(attributes)), span=entry.key.span)

    def _expect_block(self, entry: Entry) -> None:
        if entry.value is None and entry.lines is None:
            return
        where = entry.value.span if entry.value is not None else entry.span
        self.report(
            C.BLOCK_EXPECTED.at(
                where,
                Msg(
                    f"{_quoted(entry.key.text)} 是指标分类，不带值",
                    f"{_quoted(entry.key.text)} is an indicator category and takes no value",
                ),
                help=Msg(
                    "指标写在下一级：`三级指标名称: 指标值`",
                    "put the indicators one level down: `<name>: <value>`",
                ),
            )
        )

    def indicator(self, entry: Entry, template: Template) -> ast.Indicator:
        value: Value | None = None
        value_span = entry.key.span
        if entry.lines is not None:
            value = Text("\n".join(line.text for line in entry.lines))
            value_span = entry.span
        elif entry.value is not None:
            value = self.value_of(entry.value)
            value_span = entry.value.span
        values: list[tuple[str, ast.FieldValue]] = []
        seen: dict[str, Scalar] = {}
        if value is not None:
            seen["value"] = entry.key
        spellings = template.spellings("indicator")
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg(f"指标“{entry.key.text}”下", "an indicator"))
                continue
            free = _FREE_KEY.fullmatch(node.key.text) if not node.key.quoted else None
            if free is not None:
                label = free.group(2).strip()
                if not self.duplicate(ast.free_key(label), node.key, seen):
                    located = self.free_field(node, label)
                    if located is not None:
                        values.append((ast.free_key(label), located))
                continue
            meaning = spellings.get(K.fold(node.key.text)) if not node.key.quoted else None
            if meaning is None:
                self.unknown_indicator_attribute(entry, node, template)
                continue
            self._count_language(node.key.text)
            if self.duplicate(meaning, node.key, seen):
                continue
            field = R.get("indicator", meaning)
            typed = self.field_value(field, node, template)
            if meaning == "value":
                if isinstance(typed, ast.Typed):
                    value, value_span = typed.value, typed.span
                continue
            if typed is not None:
                values.append((meaning, typed))
        return ast.Indicator(
            name=entry.key.text.strip(),
            value=value,
            fields=ast.Fields(tuple(values)),
            span=entry.key.span,
            value_span=value_span,
        )

    def unknown_indicator_attribute(
        self, indicator: Entry, node: Entry, template: Template
    ) -> None:
        """An unknown key under an indicator: a typo, or a sibling indented one step too far."""
        where = Msg(f"指标“{indicator.key.text}”", f"indicator “{indicator.key.text}”")
        elsewhere = _registry_field(node.key, ("indicator",))
        if elsewhere is not None and not node.key.quoted and elsewhere.kind != "structure":
            self.not_in_template(node.key, where, template, "indicator", elsewhere)
            return
        spellings = template.spellings("indicator")
        known = [R.get("indicator", k).zh for k in template.fields.get("indicator", ())]
        if suggest(node.key.text, [*known, *spellings]):
            self._canonical = len(known)
            self.unknown_key(node.key, where, [*known, *spellings])
            self._canonical = 0
            return
        listing = "、".join(known)
        self.report(
            C.UNKNOWN_KEY.at(
                node.key.span,
                Msg(
                    f"{where.zh}里没有 {_quoted(node.key.text)} 这个字段",
                    f"{where.en} has no key {_quoted(node.key.text)}",
                ),
                help=Msg(
                    f"如果它是另一个三级指标，请把它与“{indicator.key.text}”对齐",
                    f"if it is another indicator, align it with “{indicator.key.text}”",
                ),
                notes=(Msg(f"可用的字段：{listing}", f"known keys: {listing}"),),
            )
        )


def read_money(scalar: Scalar) -> ast.Money | None:
    """An amount, as the author wrote it: ``146.00``, ``4,137,280元``, ``854万(其中…)``."""
    if scalar.quoted:
        return None
    written = scalar.text
    value = parse_value(written)
    if (
        isinstance(value, Quantity)
        and value.op is None
        and not value.suffix
        and (value.unit == "" or money_unit(value.unit))
    ):
        return ast.Money(value.number, value.unit or None, span=scalar.span)
    # Text after the amount (其中…, a bracket) is kept as the amount's note: a cell such as
    # 854万(高标准农田建设400万元,…) is published that way.
    match = _MONEY_NOTE.fullmatch(normalise(written))
    if match is not None and match["note"].strip() and match["note"].lstrip()[:1] in _NOTE_START:
        number = parse_number(match["num"])
        return ast.Money(
            number, match["unit"] or None, note=match["note"].strip(), span=scalar.span
        )
    return None


_NOTE_START = "（(，,；;：:、 其含"


def _section(entry: Entry) -> ast.Section:
    return ast.Section(
        key=entry.key.text,
        value=entry.value.text if entry.value is not None else None,
        children=tuple(
            _section(c) for c in entry.children if isinstance(c, Entry) and not _recovered(c)
        ),
        span=entry.key.span,
        value_span=entry.value.span if entry.value is not None else entry.key.span,
    )


def _category(key: Scalar) -> str:
    """An indicator category's canonical name: English aliases become Chinese (unless quoted)."""
    if key.quoted:
        return key.text
    return R.CATEGORY_ALIASES.get(K.fold(key.text), key.text)


def _registry_field(key: Scalar, levels: tuple[R.Level, ...]) -> R.FieldDef | None:
    """The registry field a key spells at one of ``levels`` (whatever the template), or None."""
    return _registry_spellings(levels).get(K.fold(key.text))


@cache
def _registry_spellings(levels: tuple[R.Level, ...]) -> dict[str, R.FieldDef]:
    table: dict[str, R.FieldDef] = {}
    for level in levels:
        for field in R.at(level):
            if field.kind != "structure":
                for spelling in field.spellings:
                    table.setdefault(K.fold(spelling), field)
    return table


def build(
    entries: list[Entry | Item], catalog: Catalog | None = None, path: str = "<input>"
) -> tuple[ast.Document, list[Diagnostic]]:
    from perfdsl.standards.templates import catalog as default_catalog

    builder = Builder(catalog or default_catalog(), path)
    document = builder.document(entries)
    return document, builder.diagnostics


def _all_category_names() -> frozenset[str]:
    from perfdsl.standards.frameworks import BUILTIN

    names: set[str] = set(R.CATEGORY_ALIASES.values())
    for framework in BUILTIN.values():
        names.update(framework.level1_names, framework.level2_names)
    return frozenset(names)


#: Indicator category names of the built-in frameworks: a key with one of these names and a
#: value is a category written like a field, not an unknown field.
_CATEGORY_NAMES = _all_category_names()


def _top_level_hint(node: Entry) -> Msg | None:
    """What a finance officer probably meant by an unknown key at the top of the file."""
    key = node.key.text
    if (
        K.fold(key) in {K.fold(s) for s in R.get("project", "name").spellings}
        and node.value is not None
    ):
        name = node.value.text
        return Msg(
            f"项目写作 `项目 {name}:`，内容缩进写在下面",
            f"a project is written `项目 {name}:` with its contents indented below",
        )
    if key in ("名称",) and node.value is not None:
        name = node.value.text
        return Msg(
            f"项目写作 `项目 {name}:`，内容缩进写在下面",
            f"a project is written `项目 {name}:` with its contents indented below",
        )
    if key.startswith("项目") and len(key) > 2:
        return Msg(
            f"“项目”和名称之间要有空格：`项目 {key[2:]}:`",
            f"put a space between 项目 and the name: `项目 {key[2:]}:`",
        )
    return None


Resolver = Callable[[str], Template]

"""Give the generic tree its meaning: header, projects, budget, goals and the indicator tree.

The grammar only knows ``key: value`` lines; this pass knows which keys exist at which level
(in Chinese and English, see :mod:`perfdsl.syntax.keywords`), types every value, and reports a
structural mistake as a diagnostic with the exact span.  Nothing the author wrote is silently
dropped: an unknown key is an error with a did-you-mean.  Entries whose key is
:data:`RECOVERED` stand in for lines the parser could not read (already reported), and are
skipped with everything under them.
"""

from __future__ import annotations

import re

from perfdsl import ast
from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
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
    parse_value,
)

#: The key the error recovery writes in place of a line it could not parse.
RECOVERED = "\x00"

# "215101 天津市北辰区人民法院": a code, a blank, the name.  The published tables print the two
# run together ("215101天津市北辰区人民法院"), so a run of five or more digits directly before
# the name is a code too; a shorter one is part of the name ("101中学" is a school).
_UNIT_CODE = re.compile(r"([0-9A-Za-z][0-9A-Za-z._-]*)\s+(.+)|(\d{5,})([^\x00-\x7f].*)", re.S)
_PROJECT_KEY = re.compile(r"(项目|project)(?:\s+(.*))?", re.I | re.S)


def _quoted(text: str) -> str:
    return f"`{text}`"


class Builder:
    def __init__(self) -> None:
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
        self, key: Scalar, where: Msg, table: dict[str, K.Keyword], hint: Msg | None = None
    ) -> None:
        candidates = K.all_spellings(table)
        guess = suggest(key.text, candidates)
        help_ = hint
        if guess:
            help_ = Msg(f"是不是想写 {_quoted(guess)}？", f"did you mean {_quoted(guess)}?")
        if key.text[:1].isspace() and not key.quoted:
            # Only spaces and tabs indent; a full-width space (U+3000) starts the key itself.
            help_ = Msg(
                "这一行以全角空格等特殊空白开头，它不算缩进；请改用普通空格缩进",
                "this line starts with a full-width or other special space, which does not "
                "indent; indent with ordinary spaces",
            )
        known = "、".join(kw.zh for kw in dict.fromkeys(table.values()))
        self.report(
            C.UNKNOWN_KEY.at(
                key.span,
                Msg(
                    f"{where.zh}里没有 {_quoted(key.text)} 这个字段",
                    f"{where.en} has no key {_quoted(key.text)}",
                ),
                help=help_,
                notes=(Msg(f"可用的字段：{known}", f"known keys: {known}"),),
            )
        )

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

    def text_of(self, entry: Entry, what: Msg) -> ast.Located | None:
        """A text field: an inline value or a ``|`` block.  None (reported) if empty."""
        self.no_block(entry, what)
        if entry.lines is not None:
            text = "\n".join(line.text for line in entry.lines)
            return ast.Located(text, span=entry.span)
        if entry.value is None:
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
        value = parse_value(scalar.text) if not scalar.quoted else Text(scalar.text, True)
        if (
            isinstance(value, Quantity)
            and value.op is None
            and not value.suffix
            and (value.unit == "" or money_unit(value.unit))
        ):
            return ast.Money(value.number, value.unit or None, span=scalar.span)
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

    # -- document ------------------------------------------------------------------------------

    def document(self, entries: list[Entry | Item]) -> ast.Document:
        fields: dict[str, ast.Located] = {}
        seen: dict[str, Scalar] = {}
        projects: list[ast.Project] = []
        header_entries: list[Entry] = []
        for node in entries:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg("文件顶层", "the top level of the file"))
                continue
            key = node.key
            kw = K.HEADER.get(K.fold(key.text))
            if kw is not None:
                self._count_language(key.text)
                if self.duplicate(kw.meaning, key, seen):
                    continue
                header_entries.append(node)
                located = self.text_of(node, Msg(f"`{key.text}`", f"`{key.text}`"))
                if located is not None:
                    fields[kw.meaning] = located
                continue
            match = _PROJECT_KEY.fullmatch(key.text)
            if match is not None and not key.quoted:
                self._count_language(match.group(1))
                project = self.project(node, match.group(2))
                if project is not None:
                    projects.append(project)
                continue
            where = Msg("文件头", "the file header")
            table = {**K.HEADER, "项目": K.Keyword("project", "项目 <名称>", "project <name>")}
            self.unknown_key(key, where, table, _top_level_hint(node))
        header = self.header(fields)
        language = "en" if self.en_keys > self.zh_keys else "zh"
        return ast.Document(header=header, projects=tuple(projects), keyword_language=language)

    def header(self, fields: dict[str, ast.Located]) -> ast.Header:
        code = name = None
        unit = fields.get("unit")
        if unit is not None:
            m = _UNIT_CODE.fullmatch(unit.value)
            code_text = m and (m.group(1) or m.group(3))
            if m and code_text and any(ch.isdigit() for ch in code_text):
                code = ast.Located(code_text, span=unit.span)
                name = ast.Located((m.group(2) or m.group(4)).strip(), span=unit.span)
            else:
                name = unit
        year = fields.get("year")
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
        money = fields.get("money_unit")
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
        missing = [
            (meaning, zh)
            for meaning, zh in (("unit", "单位"), ("year", "年度"), ("money_unit", "金额单位"))
            if meaning not in fields
        ]
        for _meaning, zh in missing:
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
            framework=fields.get("framework"),
            layout=fields.get("layout"),
            title=fields.get("title"),
        )

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

    # -- projects ------------------------------------------------------------------------------

    def project(self, entry: Entry, name: str | None) -> ast.Project | None:
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
                    help=Msg("写作 `项目 办案业务费:`", "write it as `项目 办案业务费:`"),
                )
            )
            return None
        fields: dict[str, object] = {}
        seen: dict[str, Scalar] = {}
        level1: list[ast.Level1] = []
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg("项目下", "a project"))
                continue
            key = node.key
            kw = K.PROJECT.get(K.fold(key.text))
            if kw is not None and not key.quoted:
                self._count_language(key.text)
                if self.duplicate(kw.meaning, key, seen):
                    continue
                fields[kw.meaning] = self.project_field(kw, node)
                continue
            looks_like_field = node.value is not None or node.lines is not None
            canonical = _category(key)
            if looks_like_field and canonical in _CATEGORY_NAMES and not node.children:
                self._expect_block(node)  # 效益指标: 持续保障 — a category with a value
                continue
            if looks_like_field or (
                not node.children
                and canonical == key.text
                and suggest(key.text, K.all_spellings(K.PROJECT))
            ):
                hint = None
                if K.fold(key.text) in K.FUNDING:
                    hint = Msg(
                        f"资金来源写在 `预算数:` 下面，再缩进一级：`  {key.text}: …`",
                        f"funding lines go under `预算数:`, one level deeper: `  {key.text}: …`",
                    )
                where = Msg(f"项目“{name}”", f"project “{name}”")
                self.unknown_key(key, where, K.PROJECT, hint)
                continue
            level1.append(self.level1(node, canonical))
        budget = fields.get("budget")
        if "budget" not in seen:
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
            budget=budget,  # type: ignore[arg-type]
            purpose=fields.get("purpose"),  # type: ignore[arg-type]
            goals=fields.get("goals", ()),  # type: ignore[arg-type]
            midterm_goals=fields.get("midterm_goals", ()),  # type: ignore[arg-type]
            department=fields.get("department"),  # type: ignore[arg-type]
            implementer=fields.get("implementer"),  # type: ignore[arg-type]
            manager=fields.get("manager"),  # type: ignore[arg-type]
            category=fields.get("category"),  # type: ignore[arg-type]
            period=fields.get("period"),  # type: ignore[arg-type]
            indicators=tuple(level1),
            span=entry.key.span,
            name_span=name_span,
            goals_span=seen["goals"].span if "goals" in seen else entry.key.span,
            midterm_goals_span=(
                seen["midterm_goals"].span if "midterm_goals" in seen else entry.key.span
            ),
        )

    def project_field(self, kw: K.Keyword, entry: Entry) -> object:
        what = Msg(f"`{entry.key.text}`", f"`{entry.key.text}`")
        if kw.meaning == "budget":
            return self.budget(entry)
        if kw.meaning in ("goals", "midterm_goals"):
            return self.goals(entry)
        return self.text_of(entry, what)

    def budget(self, entry: Entry) -> ast.Budget | None:
        total = self.money(entry.value, entry.key, Msg("预算数", "`预算数` (budget)"))
        lines: list[ast.FundingLine] = []
        seen: dict[str, Scalar] = {}
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg("预算数", "`预算数`"))
                continue
            kw = K.FUNDING.get(K.fold(node.key.text))
            if kw is None or node.key.quoted:
                self.unknown_key(node.key, Msg("预算数", "`预算数`"), K.FUNDING)
                continue
            self._count_language(node.key.text)
            if self.duplicate(kw.meaning, node.key, seen):
                continue
            self.no_block(node, Msg(f"`{node.key.text}`", f"`{node.key.text}`"))
            amount = self.money(node.value, node.key, Msg(node.key.text, f"`{node.key.text}`"))
            if amount is not None:
                lines.append(ast.FundingLine(kw.meaning, amount, span=node.key.span))
        if total is None:
            return None
        return ast.Budget(total, tuple(lines), span=entry.key.span)

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

    # -- indicators ----------------------------------------------------------------------------

    def level1(self, entry: Entry, name: str) -> ast.Level1:
        self._expect_block(entry)
        blocks: list[ast.Level2] = []
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg(f"一级指标“{name}”下", f"level-1 indicator “{name}”"))
                continue
            self._expect_block(node)
            sub = _category(node.key)
            indicators = []
            for child in node.children:
                if _recovered(child):
                    continue
                if isinstance(child, Item):
                    self.misplaced_item(
                        child, Msg(f"二级指标“{sub}”下", f"level-2 indicator “{sub}”")
                    )
                    continue
                indicators.append(self.indicator(child))
            blocks.append(ast.Level2(sub, tuple(indicators), span=node.key.span))
        return ast.Level1(name, tuple(blocks), span=entry.key.span)

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

    def value_of(self, scalar: Scalar) -> Value:
        if scalar.quoted:
            return Text(scalar.text, quoted=True)
        return parse_value(scalar.text)

    def indicator(self, entry: Entry) -> ast.Indicator:
        value: Value | None = None
        value_span = entry.key.span
        if entry.lines is not None:
            value = Text("\n".join(line.text for line in entry.lines))
            value_span = entry.span
        elif entry.value is not None:
            value = self.value_of(entry.value)
            value_span = entry.value.span
        attrs_: dict[str, object] = {}
        spans: dict[str, Span] = {}
        seen: dict[str, Scalar] = {}
        if value is not None:
            seen["value"] = entry.key
        for node in entry.children:
            if _recovered(node):
                continue
            if isinstance(node, Item):
                self.misplaced_item(node, Msg(f"指标“{entry.key.text}”下", "an indicator"))
                continue
            kw = K.INDICATOR.get(K.fold(node.key.text))
            if kw is None or node.key.quoted:
                self.unknown_indicator_attribute(entry, node)
                continue
            self._count_language(node.key.text)
            if self.duplicate(kw.meaning, node.key, seen):
                continue
            what = Msg(f"`{node.key.text}`", f"`{node.key.text}`")
            if kw.meaning in ("value", "midterm"):
                self.no_block(node, what)
                if node.lines is not None:
                    typed: Value = Text("\n".join(line.text for line in node.lines))
                    where = node.span
                elif node.value is not None:
                    typed, where = self.value_of(node.value), node.value.span
                else:
                    continue  # an empty value: the checker reports it
                if kw.meaning == "value":
                    value, value_span = typed, where
                else:
                    attrs_["midterm"], spans["midterm"] = typed, where
                continue
            located = self.attribute(kw, node, what)
            if located is not None:
                attrs_[kw.meaning] = located
        return ast.Indicator(
            name=entry.key.text.strip(),
            value=value,
            description=attrs_.get("description"),  # type: ignore[arg-type]
            weight=attrs_.get("weight"),  # type: ignore[arg-type]
            basis=attrs_.get("basis"),  # type: ignore[arg-type]
            direction=attrs_.get("direction"),  # type: ignore[arg-type]
            explanation=attrs_.get("explanation"),  # type: ignore[arg-type]
            remark=attrs_.get("remark"),  # type: ignore[arg-type]
            midterm=attrs_.get("midterm"),  # type: ignore[arg-type]
            span=entry.key.span,
            value_span=value_span,
            midterm_span=spans.get("midterm", entry.key.span),
        )

    def unknown_indicator_attribute(self, indicator: Entry, node: Entry) -> None:
        """An unknown key under an indicator: a typo, or a sibling indented one step too far."""
        where = Msg(f"指标“{indicator.key.text}”", f"indicator “{indicator.key.text}”")
        if suggest(node.key.text, K.all_spellings(K.INDICATOR)):
            self.unknown_key(node.key, where, K.INDICATOR)
            return
        known = "、".join(kw.zh for kw in dict.fromkeys(K.INDICATOR.values()))
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
                notes=(Msg(f"可用的字段：{known}", f"known keys: {known}"),),
            )
        )

    def attribute(self, kw: K.Keyword, node: Entry, what: Msg) -> ast.Located | None:
        if kw.meaning == "description" and node.value is None and node.lines is None:
            self.no_block(node, what)
            return ast.Located("", span=node.key.span)  # "描述:" alone: a blank cell
        located = self.text_of(node, what)
        if located is None:
            return None
        if kw.meaning == "weight":
            # A weight is a plain number.  Decimal() alone would also take "NaN", "Infinity",
            # "1_0" and any Unicode digits; the weight is kept in the canonical form the
            # formatter writes (ASCII digits, half-width separators), as other numbers are.
            number = normalise(located.value).replace("，", ",")
            if _WEIGHT.fullmatch(number):
                return ast.Located(number, span=located.span)
            self.report(
                C.INVALID_ATTRIBUTE.at(
                    located.span,
                    Msg(
                        f"权重应当是数字，而不是 {_quoted(located.value)}",
                        f"a weight must be a number, not {_quoted(located.value)}",
                    ),
                    help=Msg("例如 `权重: 10`", "for example `权重: 10`"),
                )
            )
            return None
        if kw.meaning == "direction" and located.value not in K.DIRECTIONS:
            english = {"positive": "正向", "negative": "反向"}.get(located.value.casefold())
            if english:
                return ast.Located(english, span=located.span)
            self.report(
                C.INVALID_ATTRIBUTE.at(
                    located.span,
                    Msg(
                        f"方向应当是 正向 或 反向，而不是 {_quoted(located.value)}",
                        f"a direction is `正向` or `反向`, not {_quoted(located.value)}",
                    ),
                    help=Msg(
                        "正向：越大越好；反向：越小越好",
                        "`正向`: larger is better; `反向`: smaller is better",
                    ),
                )
            )
            return None
        return located


_WEIGHT = re.compile(NUMBER)


def _category(key: Scalar) -> str:
    """An indicator category's canonical name: English aliases become Chinese (unless quoted)."""
    if key.quoted:
        return key.text
    return K.CATEGORY_ALIASES.get(K.fold(key.text), key.text)


def _recovered(node: Entry | Item) -> bool:
    return isinstance(node, Entry) and node.key.text == RECOVERED


def build(entries: list[Entry | Item]) -> tuple[ast.Document, list[Diagnostic]]:
    builder = Builder()
    document = builder.document(entries)
    return document, builder.diagnostics


def _all_category_names() -> frozenset[str]:
    from perfdsl.standards.frameworks import BUILTIN

    names: set[str] = set(K.CATEGORY_ALIASES.values())
    for framework in BUILTIN.values():
        names.update(framework.level1_names, framework.level2_names)
    return frozenset(names)


#: Indicator category names of the built-in frameworks: a key with one of these names and a
#: value is a category written like a field, not an unknown field.
_CATEGORY_NAMES = _all_category_names()


def _top_level_hint(node: Entry) -> Msg | None:
    """What a finance officer probably meant by an unknown key at the top of the file."""
    key = node.key.text
    if key in ("项目名称", "名称") and node.value is not None:
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

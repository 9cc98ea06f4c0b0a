"""Properties of the front end, tested with Hypothesis.

1. Round trip: for every document the strategy below can build, ``parse(format(d)) == d``
   with no error (spans, comments and the keyword language are presentation, not content).
2. Idempotence: ``fmt(fmt(t)) == fmt(t)`` for generated documents and for the example and the
   golden good cases after edits that keep them valid (re-indentation, comments, blank lines,
   full-width spellings, English keywords); edits that keep the content also keep the AST.
3. Robustness: arbitrary text, mutated examples and random bytes give a document or
   diagnostics, never an exception; every span lies inside the text; every diagnostic renders
   in both languages.

The example counts keep the whole file to a few seconds; for a long hunt::

    PERFDSL_THOROUGH=1 pytest tests/test_properties.py
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from perfdsl import ast
from perfdsl.diagnostics import Diagnostic, Severity
from perfdsl.diagnostics.render import render
from perfdsl.fmt import format_document, to_file_text
from perfdsl.load import Loaded, load_bytes, load_text
from perfdsl.standards import fields as R
from perfdsl.standards.templates import get as get_template
from perfdsl.syntax import keywords as K
from perfdsl.syntax.build import _UNIT_CODE
from perfdsl.syntax.parse import parse
from perfdsl.values import (
    MONEY_UNITS,
    SUFFIXES,
    Deadline,
    PartialDate,
    Period,
    Quantity,
    Range,
    Text,
    Value,
    format_decimal,
    parse_number,
    parse_value,
)

TIANJIN = get_template("tianjin")

#: PERFDSL_THOROUGH=1 multiplies every example count by 50, for a long hunt.  The settings
#: are given per test, not as a global profile, so other test modules keep their own.
SCALE = 50 if os.environ.get("PERFDSL_THOROUGH") == "1" else 1


def examples(n: int) -> settings:
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "beichen-court-2024.pdsl"
GOOD = sorted((ROOT / "tests" / "cases" / "good").glob("*.pdsl"))
SOURCES = {
    p.name: p.read_bytes().decode("utf-8-sig").replace("\r\n", "\n") for p in [EXAMPLE, *GOOD]
}


# --- text ------------------------------------------------------------------------------------

#: Characters a name or a cell may hold: Chinese, ASCII, and everything the syntax gives a
#: meaning to somewhere (colons, '#', quotes, '|', list markers, operators, full-width forms).
AWKWARD = ":：#\"'\\|-.、．,，%％≥≤><=＞＜＝±()（）*•・~～/ \t\u3000\xa0"
ALPHABET = st.one_of(
    st.sampled_from(
        "办案业务费陪审员参审次数满意度楼车间资金保障持续提升年月底前元万亿人次件台辆天"
    ),
    st.sampled_from("abcxyzABZ0123456789０１９"),
    st.sampled_from(AWKWARD),
)

#: Names and cells that once tripped a parser, or look like something else.
AWKWARD_WORDS = [
    "1#楼",
    "3#车间",
    "#1",
    "a #b",
    "甲：乙",
    "a: b",
    "a:b",
    ":",
    "：",
    '"引号"',
    '"',
    'a"b',
    '"a" b',
    "'单引号'",
    "\\",
    "|",
    "| x",
    "1.",
    "1. 目标",
    "1.5倍",
    "2、第二",
    "１．全角",
    "- 条目",
    "-条目",
    "* 星",
    "• 点",
    "output",
    "Output",
    "benefit",
    "economic benefit",
    "quantity",
    "预算数",
    "budget",
    "描述",
    "指标值",
    "项目",
    "项目 名称",
    "project x",
    "单位",
    "≥400次",
    "100%",
    "2024年1-12月",
    "2024年底之前",
    "持续保障",
    "a\tb",
    "x  y",
    "尾#",
    "\u3000\u3000段首全角空格",
    "全角\u3000空格",
]

raw_text = st.text(ALPHABET, min_size=1, max_size=12)
words = st.one_of(raw_text, st.sampled_from(AWKWARD_WORDS))
#: One line of text, possibly empty, with leading or trailing blanks and awkward characters.
line_text = st.one_of(
    words,
    st.lists(words, min_size=1, max_size=3).map(" ".join),
    st.sampled_from(["", " ", " 前导空格", "尾随空格 ", "\t制表"]),
)
#: Text over several lines (a ``|`` block or a quoted string with ``\n``).
multiline_text = st.lists(line_text, min_size=2, max_size=4).map("\n".join)
any_text = st.one_of(line_text, line_text, multiline_text)


def stripped(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Names the builder strips (project and indicator names) are generated stripped."""
    return strategy.map(str.strip).filter(bool)


# --- values ----------------------------------------------------------------------------------

NUMBER_UNITS = ["", "%", "‰", "次", "人", "人次", "个", "件", "台", "辆", "天", "年", "月"]
NUMBER_UNITS += ["公里", "平方米", "亩", "座", "元/亩", "万元/人", "℃", "m²", "km", "小时"]
NUMBER_UNITS += list(MONEY_UNITS)


@st.composite
def decimals(draw: st.DrawFn, signed: bool = True) -> Decimal:
    """An exact decimal with the scale the author wrote: 146.00 is not 146."""
    digits = draw(st.integers(min_value=0, max_value=10**9))
    scale = draw(st.integers(min_value=0, max_value=3))
    number = Decimal(digits).scaleb(-scale)
    if signed and draw(st.booleans()) and draw(st.booleans()):
        number = -number
    return number


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    op = draw(st.sampled_from([None, "≥", "≤", ">", "<", "=", "±"]))
    number = draw(decimals())
    unit = draw(st.sampled_from(NUMBER_UNITS))
    suffix = draw(st.sampled_from(["", "", *SUFFIXES]))
    if op is None and unit.startswith("年") and re.fullmatch(r"\d{4}", format_decimal(number)):
        # "2024年" reads as the year 2024 (a period), not as 2024 years: without an operator
        # such a quantity cannot be written, and the parser never produces it.
        unit = "次"
    return Quantity(op, number, unit, suffix)


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    high_unit = draw(st.sampled_from([u for u in NUMBER_UNITS if u]))
    low_unit = draw(st.sampled_from(["", high_unit]))
    low = Quantity(None, draw(decimals(signed=False)), low_unit)
    high = Quantity(None, draw(decimals(signed=False)), high_unit)
    if high_unit.startswith("年") and low_unit:
        # "2023年-2024年" is a period of years; see quantities().
        assume(not re.fullmatch(r"\d{4}", str(low.number)))
    return Range(low, high, draw(st.sampled_from(["-", "~", "—", "–", "至", "到"])))


years = st.integers(min_value=1990, max_value=2099)
months = st.integers(min_value=1, max_value=12)
days = st.integers(min_value=1, max_value=28)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Each written form of a period, with the dates it means worked out independently."""
    y, y2 = draw(years), draw(years)
    m1, m2 = draw(months), draw(months)
    d1, d2 = draw(days), draw(days)
    form = draw(st.integers(min_value=0, max_value=7))
    if form == 0:  # 2024年1-12月
        return Period(PartialDate(y, m1), PartialDate(y, m2), f"{y}年{m1}-{m2}月")
    if form == 1:  # 2024年1月-2024年12月
        return Period(PartialDate(y, m1), PartialDate(y2, m2), f"{y}年{m1}月-{y2}年{m2}月")
    if form == 2:  # 2023.07-2024.01
        return Period(PartialDate(y, m1), PartialDate(y2, m2), f"{y}.{m1:02}-{y2}.{m2:02}")
    if form == 3:  # 2024年3月1日-6月30日
        return Period(
            PartialDate(y, m1, d1), PartialDate(y, m2, d2), f"{y}年{m1}月{d1}日-{m2}月{d2}日"
        )
    if form == 4:  # 2024/3/1~2024/6/30
        return Period(
            PartialDate(y, m1, d1), PartialDate(y2, m2, d2), f"{y}/{m1}/{d1}~{y2}/{m2}/{d2}"
        )
    if form == 5:  # 2023年-2025年
        return Period(PartialDate(y), PartialDate(y2), f"{y}年-{y2}年")
    if form == 6:  # 2024年第一季度, 2024年3季度
        q = draw(st.integers(1, 4))
        name = draw(st.sampled_from(["第" + "一二三四"[q - 1], str(q)]))
        return Period(PartialDate(y, q * 3 - 2), PartialDate(y, q * 3), f"{y}年{name}季度")
    word = draw(st.sampled_from(["", "度", "全年"]))  # 2024年, 2024年度, 2024年全年
    return Period(PartialDate(y), PartialDate(y), f"{y}年{word}")


@st.composite
def deadlines(draw: st.DrawFn) -> Deadline:
    y, m, d = draw(years), draw(months), draw(days)
    end = draw(st.sampled_from(["底", "末"]))
    before = draw(st.sampled_from(["前", "之前", "以前"]))
    form = draw(st.integers(min_value=0, max_value=7))
    if form == 5:  # 2024-12-31, 2024/12/31, 2024.12.31
        sep = draw(st.sampled_from("-/."))
        return Deadline(PartialDate(y, m, d), f"{y}{sep}{m:02}{sep}{d:02}")
    if form == 6:  # 2024年12月31日, 2024年底 (a date without 前)
        if draw(st.booleans()):
            return Deadline(PartialDate(y, m, d), f"{y}年{m}月{d}日")
        return Deadline(PartialDate(y), f"{y}年{end}")
    if form == 7:  # 2024年第二季度末
        q = draw(st.integers(1, 4))
        return Deadline(PartialDate(y, q * 3), f"{y}年第{'一二三四'[q - 1]}季度{end}")
    if form == 0:  # 2024年底之前
        return Deadline(PartialDate(y), f"{y}年{end}{before}")
    if form == 1:  # 年底前
        return Deadline(PartialDate(None), f"年{end}{before}")
    if form == 2:  # 2024年6月底前
        return Deadline(PartialDate(y, m), f"{y}年{m}月{end}{before}")
    if form == 3:  # 2024年6月30日前完成
        return Deadline(PartialDate(y, m, d), f"{y}年{m}月{d}日{before}完成")
    return Deadline(PartialDate(y, m), f"截至{y}年{m}月{end}")  # 截至2024年6月底


texts = st.one_of(
    any_text.map(Text),
    # Text that would be typed if it were not quoted: a value the author kept as written.
    st.one_of(quantities(), ranges(), periods(), deadlines()).map(lambda v: Text(v.text)),
    st.sampled_from(["持续保障", "稳步提升", "有力提升", "保证干警执行活动安全高效"]).map(Text),
)
values: st.SearchStrategy[Value] = st.one_of(quantities(), ranges(), periods(), deadlines(), texts)


# --- the document ----------------------------------------------------------------------------


def located(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[ast.Located]:
    return strategy.map(ast.Located)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:  # type: ignore[type-arg]
    return st.one_of(st.none(), strategy)


weights = st.one_of(
    decimals(signed=False).map(str),
    st.sampled_from(["10", "2.5", "1,000", "0", "-5"]),  # 权重: １０ reads as "10"
)


def fields(pairs: list[tuple[str, object]]) -> ast.Fields:
    """The fields that are present, in a drawn order (the order written is presentation)."""
    return ast.Fields(tuple((k, v) for k, v in pairs if v is not None))  # type: ignore[misc]


def _number(text: str) -> ast.Number:
    return ast.Number(text, parse_number(text))


@st.composite
def indicators(draw: st.DrawFn) -> ast.Indicator:
    pairs = [
        ("description", draw(optional(located(st.one_of(st.just(""), any_text))))),
        ("weight", draw(optional(weights.map(_number)))),
        ("basis", draw(optional(located(any_text)))),
        ("direction", draw(optional(located(st.sampled_from(["正向", "反向"]))))),
        ("explanation", draw(optional(located(any_text)))),
        ("remark", draw(optional(located(any_text)))),
        ("midterm", draw(optional(values.map(ast.Typed)))),
    ]
    return ast.Indicator(
        name=draw(stripped(words)),
        value=draw(optional(values)),
        fields=fields(draw(st.permutations(pairs))),
    )


#: Indicator category names: the standard ones (written in English in an English file),
#: and anything else, including names that look like keywords and must be quoted.
category_names = st.one_of(
    st.sampled_from(sorted(K.CATEGORY_ENGLISH)),
    words,
    st.sampled_from(["output", "预算数", "budget", "goals", "描述", "二级 指标"]),
)

level2s = st.builds(ast.Level2, category_names, st.lists(indicators(), max_size=3).map(tuple))


@st.composite
def level1s(draw: st.DrawFn) -> ast.Level1:
    blocks = draw(st.lists(level2s, min_size=1, max_size=3))
    if len(blocks) > 1 and draw(st.booleans()):
        # The same 二级 twice in one 一级, as published tables do.
        blocks.append(attrs.evolve(blocks[0], indicators=blocks[-1].indicators))
    return ast.Level1(draw(category_names), tuple(blocks))


@st.composite
def money(draw: st.DrawFn) -> ast.Money:
    unit = draw(st.sampled_from([None, None, *MONEY_UNITS]))
    return ast.Money(draw(decimals()), unit)


@st.composite
def budgets(draw: st.DrawFn) -> ast.Budget:
    kinds = sorted(TIANJIN.fields["funding"])
    chosen = draw(st.lists(st.sampled_from(kinds), unique=True, max_size=len(kinds)))
    lines = tuple(ast.FundingLine(kind, draw(money())) for kind in chosen)
    return ast.Budget(draw(money()), lines)


goals = st.lists(any_text.map(ast.Goal), max_size=3).map(tuple)


@st.composite
def projects(draw: st.DrawFn) -> ast.Project:
    midterm = draw(goals)
    pairs = [
        ("purpose", draw(optional(located(any_text)))),
        ("midterm_goals", ast.Goals(midterm) if midterm else None),
        ("department", draw(optional(located(any_text)))),
        ("implementer", draw(optional(located(any_text)))),
        ("manager", draw(optional(located(any_text)))),
        ("category", draw(optional(located(any_text)))),
        ("period", draw(optional(values.map(ast.Typed)))),
    ]
    return ast.Project(
        name=draw(stripped(st.one_of(words, line_text))),
        budgets=(draw(budgets()),),
        goals=draw(goals),
        fields=fields(draw(st.permutations(pairs))),
        indicators=tuple(draw(st.lists(level1s(), max_size=3))),
    )


def _splits_as_code(name: str) -> bool:
    m = _UNIT_CODE.fullmatch(name)
    return bool(m and any(ch.isdigit() for ch in m.group(1)) and m.group(2))


@st.composite
def headers(draw: st.DrawFn) -> ast.Header:
    code = draw(optional(st.from_regex(r"[0-9][0-9A-Za-z._-]{0,8}", fullmatch=True)))
    if code is None:
        # Without a code, a name like "A1 法院" would be read as code "A1" and name "法院".
        name = draw(stripped(any_text).filter(lambda s: not _splits_as_code(s)))
    else:
        name = draw(stripped(any_text))
    pairs = [
        (
            "framework",
            draw(optional(located(st.one_of(st.sampled_from(["2015", "2021"]), any_text)))),
        ),
        ("template", draw(optional(located(st.sampled_from(["tianjin", "天津", "默认"]))))),
        ("title", draw(optional(located(any_text)))),
    ]
    return ast.Header(
        unit_code=None if code is None else ast.Located(code),
        unit_name=ast.Located(name),
        year=ast.Located(str(draw(years))),
        money_unit=ast.Located(draw(st.sampled_from(["元", "万元", "亿元"]))),
        fields=fields(draw(st.permutations(pairs))),
    )


documents = st.builds(
    ast.Document,
    header=headers(),
    projects=st.lists(projects(), max_size=3).map(tuple),
    keyword_language=st.sampled_from(["zh", "en"]),
)


# --- helpers ---------------------------------------------------------------------------------


def errors(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [
        f"{d.code} {d.span}: {d.message.en}" for d in diagnostics if d.severity is Severity.ERROR
    ]


def fmt(text: str) -> str:
    """What ``perfdsl fmt`` writes for a valid text."""
    loaded = load_text(text)
    assert loaded.document is not None and not errors(loaded.diagnostics), (
        errors(loaded.diagnostics),
        text,
    )
    return to_file_text(loaded.document)


# --- 1. round trip ---------------------------------------------------------------------------


@given(documents)
@examples(100)
def test_parse_of_format_is_identity(document: ast.Document) -> None:
    text = format_document(document)
    result = parse(text)
    assert not errors(result.diagnostics), (errors(result.diagnostics), text)
    assert result.document == document, text
    assert result.document.keyword_language == document.keyword_language


@given(values)
@examples(300)
def test_values_round_trip_through_an_indicator(value: Value) -> None:
    """A smaller, faster-shrinking view of the same property, for one value."""
    document = ast.Document(
        header=ast.Header(None, ast.Located("单位"), ast.Located("2024"), ast.Located("万元")),
        projects=(
            ast.Project(
                "项目甲",
                (ast.Budget(ast.Money(Decimal(1))),),
                indicators=(
                    ast.Level1(
                        "产出指标",
                        (
                            ast.Level2(
                                "数量指标",
                                (
                                    ast.Indicator(
                                        "指标",
                                        value,
                                        ast.Fields((("midterm", ast.Typed(value)),)),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    text = format_document(document)
    result = parse(text)
    assert not errors(result.diagnostics), text
    assert result.document == document, text


# --- 2. idempotence --------------------------------------------------------------------------


@given(documents)
@examples(25)
def test_fmt_is_idempotent_on_generated_documents(document: ast.Document) -> None:
    once = fmt(format_document(document))
    assert fmt(once) == once


# --- edits that keep a valid source valid ----------------------------------------------------

_ITEM_START = re.compile(r"(?:\d{1,3}[.、．](?!\d)|[-*・•][ \t])")
_KEY_LINE = re.compile(r"(?P<key>[^\s#\"][^:：]*?)[ \t]*[:：][ \t]*(?P<value>.*)")

#: Every spelling of every keyword, by the canonical Chinese one: what an author may write.
SPELLINGS: dict[str, list[str]] = {}
for _level in ("header", "project", "budget", "funding", "indicator"):
    for _field in R.at(_level):
        if _field.kind != "structure" and TIANJIN.has(_level, _field.key):
            SPELLINGS.setdefault(_field.zh, list(dict.fromkeys(_field.spellings)))
for _en, _zh in K.CATEGORY_ALIASES.items():
    SPELLINGS[_zh] = [_zh, _en, _en.replace("-", " "), _en.replace("-", "_").title()]


@attrs.define
class SourceLine:
    """One line of a valid source, and what it is: the edits below only touch the code."""

    indent: int
    code: str  # the line without indentation and without its trailing comment
    kind: str  # "blank" | "comment" | "text" (in a | block) | "item" | "key" | "quoted"
    comment: str = ""  # the trailing comment, with the blanks before it

    def __str__(self) -> str:
        return self.code + self.comment


def classify(text: str) -> list[SourceLine]:
    """The lines of a source by kind.  The lines under ``模板:`` are a template's own data
    (its keys are kept as written, like a configuration's), so they are "spec", never respelt."""
    out: list[SourceLine] = []
    block: int | None = None
    spec = False
    for line in text.split("\n"):
        if line[:1] not in ("", " ", "#"):
            spec = re.match(r"(?:模板|版式|template|layout)\s*[:：]", line) is not None
        elif spec and line.strip() and not line.lstrip().startswith("#"):
            out.append(SourceLine(len(line) - len(line.lstrip(" ")), line.lstrip(" "), "spec"))
            continue
        code = line.lstrip(" ")
        indent = len(line) - len(code)
        comment = ""
        if not code.startswith(('"', "#")) and (m := re.search(r"[ \t]+#", code)):
            code, comment = code[: m.start()], code[m.start() :]
        if not code:
            out.append(SourceLine(indent, code, "blank"))
        elif code.startswith("#"):
            out.append(SourceLine(indent, code, "comment"))
        elif block is not None and indent > block:
            out.append(SourceLine(indent, code, "text"))
        else:
            block = None
            if _ITEM_START.match(code):
                kind = "item"
            elif code.startswith('"'):
                kind = "quoted"
            else:
                kind = "key"
                if re.search(r"[:：][ \t]*\|$", code):
                    block = indent
            out.append(SourceLine(indent, code, kind, comment))
            continue
        out[-1].comment = comment
    return out


def join(lines: list[SourceLine], indent_unit: int = 1) -> str:
    return "\n".join(" " * (ln.indent * indent_unit) + str(ln) for ln in lines)


FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
OPERATOR_SPELLINGS = {"≥": [">=", "＞＝", "≧", "=>"], "≤": ["<=", "＜＝", "≦", "=<"]}


@st.composite
def respelled_value(draw: st.DrawFn, value: str) -> str:
    """The same typed value in another spelling: full-width forms, separators, spaces."""
    for op, spellings in OPERATOR_SPELLINGS.items():
        if value.startswith(op) and draw(st.booleans()):
            value = draw(st.sampled_from(spellings)) + value[1:]
    if draw(st.booleans()):
        value = value.replace("%", "％")
    if draw(st.booleans()):
        value = value.translate(FULLWIDTH_DIGITS)
    if draw(st.booleans()) and isinstance(parse_value(value), Quantity):
        sep = draw(st.sampled_from([",", "，"]))
        value = re.sub(r"\d{4,}", lambda m: f"{int(m.group()):,}".replace(",", sep), value, count=1)
    if draw(st.booleans()) and value[:1] in "≥≤":
        value = value[0] + " " + value[1:]
    return value


@st.composite
def edited(draw: st.DrawFn, text: str) -> tuple[str, set[str]]:
    """``text`` after random edits that keep it valid and keep what it means.

    Returns the text and the set of edits made, so a test can tell which properties hold.
    The lines to edit are drawn as a few indices, not one decision per line: the sources are
    hundreds of lines long, and Hypothesis shrinks short choice sequences best.
    """
    lines = classify(text)
    done: set[str] = set()
    keyed = [i for i, ln in enumerate(lines) if ln.kind == "key"]
    some_keys = st.lists(st.sampled_from(keyed), unique=True, max_size=12)
    for i in draw(some_keys):  # another spelling of the keyword: English, an alias, a case
        ln = lines[i]
        m = _KEY_LINE.fullmatch(ln.code)
        assert m is not None, ln.code
        key, rest = m["key"], ln.code[len(m["key"]) :]
        if key in SPELLINGS:
            key = draw(st.sampled_from(SPELLINGS[key]))
        elif key.startswith("项目 "):
            key = draw(st.sampled_from(["project ", "Project ", "项目  "])) + key[3:]
        ln.code = key + rest
        done.add("keyword")
    for i in draw(some_keys):  # another colon, another typed-value spelling
        ln = lines[i]
        m = _KEY_LINE.fullmatch(ln.code)
        assert m is not None, ln.code
        key, value = m["key"], m["value"]
        if ln.indent > 0 and re.fullmatch(r"[≥≤]?\d[\d.]*(?:%|[^\d\s]{1,3})?", value):
            value = draw(respelled_value(value))
        colon = draw(st.sampled_from(["：", ":", "： ", ":  ", ": "]))
        ln.code = f"{key}{colon}{value}".rstrip(" ")
        done.add("spelling")
    coded = [i for i, ln in enumerate(lines) if ln.kind not in ("blank", "comment")]
    for i in draw(st.lists(st.sampled_from(coded), unique=True, max_size=6)):
        lines[i].comment += draw(st.sampled_from(["  # 行尾注释", " #", "\t# tab", " # a: |"]))
        done.add("comment")
    insertions = st.tuples(
        st.integers(0, len(lines)),
        st.integers(0, 6),
        st.sampled_from(["", "# 注释", "#", "# 1#楼: 注释 # 里的 #", "#：|"]),
    )
    for at, indent, code in sorted(draw(st.lists(insertions, max_size=6)), reverse=True):
        lines.insert(at, SourceLine(indent, code, "comment" if code else "blank"))
        done.add("comment" if code else "blank")
    width = draw(st.sampled_from([1, 1, 2]))
    if width != 1:
        done.add("indent")
    new = join(lines, width)
    if draw(st.booleans()):
        end = draw(st.sampled_from(["", "\n\n", "\n   \n", "\n# 末尾注释\n"]))
        new = new.rstrip("\n") + end
        done.add("comment" if "#" in end else "blank")
    return new, done


def loaded_ok(text: str) -> Loaded:
    loaded = load_text(text)
    assert loaded.document is not None and not errors(loaded.diagnostics), (
        errors(loaded.diagnostics),
        text,
    )
    return loaded


source_names = st.sampled_from(sorted(SOURCES))


@given(st.data())
@examples(60)
def test_edits_keep_the_meaning_and_fmt_is_idempotent(data: st.DataObject) -> None:
    name = data.draw(source_names, label="source")
    original = SOURCES[name]
    text, done = data.draw(edited(original), label="edited")
    before = loaded_ok(original).document
    after = loaded_ok(text).document
    assert after == before, text
    once = fmt(text)
    assert fmt(once) == once
    assert loaded_ok(once).document == before
    if not done & {"comment", "keyword"}:
        # Only layout and spelling changed: the canonical text is the original's.
        assert once == fmt(original)


@given(source_names, st.booleans(), st.booleans())
@examples(20)
def test_fmt_keeps_crlf_and_bom(name: str, crlf: bool, bom: bool) -> None:
    text = SOURCES[name].replace("\r\n", "\n")
    data = (("\ufeff" if bom else "") + text.replace("\n", "\r\n" if crlf else "\n")).encode()
    loaded = load_bytes(data)
    assert loaded.document is not None and not errors(loaded.diagnostics)
    once = to_file_text(loaded.document)
    assert once.startswith("\ufeff") == bom
    body = once.removeprefix("\ufeff")
    assert body.count("\r\n") == (body.count("\n") if crlf else 0)
    again = load_bytes(once.encode())
    assert again.document is not None
    assert to_file_text(again.document) == once


# --- 3. robustness ---------------------------------------------------------------------------

BROAD = st.one_of(
    st.sampled_from(' \t\r\n\n\n::：："|#-1.、．≥%％'),
    st.sampled_from("0123456789"),
    st.sampled_from("项目预算数财政资金产出指标数量描述单位年度金额万元"),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
KEYWORD_SOUP = st.sampled_from(
    [
        "单位: 1 法院\n",
        "年度: 2024\n",
        "金额单位: 万元\n",
        "项目 甲:\n",
        "  预算数: 1\n",
        "    财政资金: 1\n",
        "  绩效目标:\n",
        "    1. 目标\n",
        "  产出指标:\n",
        "    数量指标:\n",
        "      指标: ≥1次\n",
        "        描述: |\n",
        "          文字\n",
        '      "引号": "值"\n',
        "\t",
        "  ",
        "# 注释\n",
        "|\n",
    ]
)
soup = st.lists(st.one_of(KEYWORD_SOUP, st.text(BROAD, max_size=8)), max_size=30).map("".join)


def check_front_end(loaded: Loaded, text: str | None) -> None:
    """The properties every outcome of the front end has, whatever the input."""
    assert loaded.document is not None or loaded.diagnostics
    lines = loaded.lines
    if text is not None and loaded.source is not None:
        assert loaded.source.text == text.replace("\r\n", "\n").replace("\r", "\n")
    for d in loaded.diagnostics:
        span = d.span
        if span is not None and lines is not None:
            assert 1 <= span.line <= span.end_line <= len(lines), (d, len(lines))
            assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (d, lines[span.line - 1])
            assert span.end_column <= len(lines[span.end_line - 1]) + 2, (d, lines)
            if span.line == span.end_line:
                assert span.column <= span.end_column, d
        for lang in ("zh", "en"):
            rendered = render(d, lines, lang)
            assert d.code in rendered
            render(d, lines, lang, color=True)
    if loaded.ok:
        # Whatever parses cleanly, formats to a text that means the same and is a fixed point.
        assert loaded.document is not None
        once = to_file_text(loaded.document)
        again = load_text(once)
        assert again.ok, (errors(again.diagnostics), once)
        assert again.document == loaded.document
        assert again.document is not None and to_file_text(again.document) == once


@given(st.one_of(st.text(BROAD, max_size=200), soup))
@examples(300)
def test_arbitrary_text_never_raises(text: str) -> None:
    check_front_end(load_text(text), text if "\x00" not in text else None)


@given(st.binary(max_size=300))
@examples(200)
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_front_end(load_bytes(data), None)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = SOURCES[draw(source_names)].split("\n")
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "swap", "tab"])
        )
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 3)) :]
        elif action == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(BROAD, min_size=1, max_size=3)) + lines[i][at:]
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == "tab":
            lines[i] = "\t" + lines[i].lstrip(" ")
    text = "\n".join(lines)
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


@given(mutated())
@examples(60)
def test_mutated_examples_never_raise(text: str) -> None:
    check_front_end(load_text(text), text if "\x00" not in text else None)


# --- 4. every field of every template ----------------------------------------------------------
#
# Documents that name a built-in template and hold any of its fields, of every kind: text,
# choices, numbers, values, money (with words after it), goals, blocks of rows, sign-off
# lines, a second indicator tree, free fields, scores on categories, funding lines with their
# own breakdown, several money columns.  Some adapt their template in their own header (a
# relabelled field is written with its label).  The same properties hold.

from perfdsl.fmt import _KEY_TOKEN as _FREE_KEY_TEXT  # noqa: E402
from perfdsl.standards import templates as T  # noqa: E402

notes = st.sampled_from(["(其中上级补助40万元)", "（含结转）", "，其中：本级10万元"])


@st.composite
def noted_money(draw: st.DrawFn) -> ast.Money:
    amount = draw(money())
    if amount.unit is not None and draw(st.booleans()):
        return attrs.evolve(amount, note=draw(notes))
    return amount


@st.composite
def field_value(draw: st.DrawFn, field: R.FieldDef, template: T.Template) -> object:
    kind = field.kind
    if kind == "text":
        return ast.Located(draw(any_text))
    if kind == "choice":
        return ast.Located(draw(st.sampled_from([w for w, _ in field.choices])))
    if kind == "number":
        return _number(draw(weights))
    if kind == "value":
        return ast.Typed(draw(values))
    if kind == "money":
        return draw(noted_money())
    if kind == "goals":
        items = draw(goals)
        return ast.Goals(items) if items else None
    if kind == "rows":
        columns = R.at("row", field.block)
        rows = []
        for _ in range(draw(st.integers(0, 2))):
            cells = []
            for column in draw(st.lists(st.sampled_from(columns), unique=True, max_size=3)):
                if column.kind == "money":
                    cells.append((column.key, draw(money())))
                else:
                    cells.append((column.key, ast.Located(draw(line_text).strip())))
            if draw(st.booleans()):
                cells.append((ast.free_key(draw(free_labels)), ast.Located(draw(raw_text))))
            rows.append(ast.Row(fields(cells)))
        return ast.Rows(tuple(rows))
    if kind == "labels":
        labels = draw(st.lists(stripped(raw_text), unique_by=K.fold, max_size=3))
        return ast.Labels(
            fields([(label, ast.Located(draw(raw_text).strip())) for label in labels])
        )
    if kind == "indicators":
        return ast.Tree(within(tuple(draw(st.lists(level1s(), min_size=1, max_size=2))), template))
    return None


@st.composite
def template_fields(draw: st.DrawFn, level: str, template: T.Template) -> ast.Fields:
    keys = [k for k in template.fields.get(level, ()) if R.get(level, k).kind != "structure"]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=6)) if keys else []
    pairs = [(key, draw(field_value(R.get(level, key), template))) for key in chosen]
    if draw(st.booleans()):
        label = draw(free_labels)
        pairs.append((ast.free_key(label), ast.Located(draw(raw_text))))
    return fields(pairs)


#: A free field's label is the rest of its key, so it is whatever a key may hold.
free_labels = stripped(raw_text).filter(lambda t: _FREE_KEY_TEXT.fullmatch(f"栏目 {t}") is not None)


def within(tree: tuple[ast.Level1, ...], template: T.Template) -> tuple[ast.Level1, ...]:
    """The tree with only the indicator fields ``template`` has."""
    allowed = set(template.fields.get("indicator", ()))

    def keep(ind: ast.Indicator) -> ast.Indicator:
        pairs = tuple((k, v) for k, v in ind.fields.items() if k in allowed)
        return attrs.evolve(ind, fields=ast.Fields(pairs))

    return tuple(
        attrs.evolve(
            l1,
            blocks=tuple(
                attrs.evolve(l2, indicators=tuple(keep(i) for i in l2.indicators))
                for l2 in l1.blocks
            ),
        )
        for l1 in tree
    )


@st.composite
def funding(draw: st.DrawFn, template: T.Template, depth: int = 0) -> tuple[ast.FundingLine, ...]:
    kinds = list(template.fields.get("funding", ()))
    chosen = draw(st.lists(st.sampled_from(kinds), unique=True, max_size=3))
    lines = []
    for kind in chosen:
        below = draw(funding(template, depth + 1)) if depth == 0 and draw(st.booleans()) else ()
        lines.append(ast.FundingLine(kind, draw(money()), below))
    return tuple(lines)


def _unique_kinds(lines: tuple[ast.FundingLine, ...]) -> bool:
    seen = [line.kind for line in ast.Budget(ast.Money(Decimal(0)), lines).all_lines()]
    return len(seen) == len(set(seen))


@st.composite
def template_documents(draw: st.DrawFn) -> ast.Document:
    key = draw(st.sampled_from(list(T.BUILTIN_ORDER)))
    template = T.builtin()[key]
    projects = []
    for _ in range(draw(st.integers(1, 2))):
        budgets = []
        columns = draw(
            st.lists(st.sampled_from(template.fields["budget"]), unique=True, max_size=2)
        )
        if template.kind == "project" and "budget" not in columns:  # (required: PD2010)
            columns.insert(0, "budget")
        for column in columns:
            lines = draw(funding(template).filter(_unique_kinds))
            budgets.append(ast.Budget(draw(noted_money()), lines, key=column))
        level1 = []
        for l1 in within(tuple(draw(st.lists(level1s(), max_size=2))), template):
            if "score" in template.fields.get("category", ()) and draw(st.booleans()):
                l1 = attrs.evolve(l1, fields=fields([("score", ast.Typed(draw(values)))]))
            level1.append(l1)
        projects.append(
            ast.Project(
                name=draw(stripped(words)),
                budgets=tuple(budgets),
                goals=draw(goals),
                indicators=tuple(level1),
                fields=draw(template_fields("project", template)),
                kind=template.kind,
            )
        )
    header = draw(headers())
    header = attrs.evolve(
        header,
        fields=header.fields.without("template").with_("template", ast.Located(key)),
    )
    return ast.Document(
        header=header,
        projects=tuple(projects),
        keyword_language=draw(st.sampled_from(["zh", "en"])),
    )


@given(template_documents())
@examples(60)
def test_every_field_of_every_template_round_trips(document: ast.Document) -> None:
    text = format_document(document)
    result = parse(text)
    assert not errors(result.diagnostics), (errors(result.diagnostics), text)
    assert result.document == document, text
    assert format_document(result.document) == text


@given(template_documents(), st.data())
@examples(30)
def test_a_header_adaptation_round_trips(document: ast.Document, data: st.DataObject) -> None:
    """The header relabels some of its template's fields: the file is written with the new
    labels, reads back the same, and formats to itself."""
    template = T.for_document(document)
    keys = [k for k in template.fields.get("project", ()) if k in document.projects[0].fields]
    assume(keys)
    relabelled = data.draw(st.lists(st.sampled_from(keys), unique=True, min_size=1, max_size=2))
    spec = (
        ast.Section(
            "标签",
            None,
            tuple(
                ast.Section(R.get("project", k).zh, f"本地{R.get('project', k).zh}")
                for k in relabelled
            ),
        ),
    )
    document = attrs.evolve(document, header=attrs.evolve(document.header, template_spec=spec))
    text = format_document(document)
    for key in relabelled:
        if document.keyword_language == "zh":
            assert f"\n  本地{R.get('project', key).zh}:" in text, text
    result = parse(text)
    assert not errors(result.diagnostics), (errors(result.diagnostics), text)
    assert result.document == document, text
    assert format_document(result.document) == text

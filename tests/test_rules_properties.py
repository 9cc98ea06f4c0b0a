"""Properties of the checker: exact money across units, and findings independent of order."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdsl.check import Context, run
from perfdsl.fmt import format_document
from perfdsl.load import load_file, load_text
from perfdsl.values import convert_money, format_decimal

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    ROOT / "examples" / "beichen-court-2024.pdsl",
    *sorted((ROOT / "tests" / "cases" / "bad").glob("rules-*.pdsl")),
]

# An amount in 万元 with up to 4 decimals is a whole number of 元 — the grain of real budgets.
amounts = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999999"), places=4)


def budget_table(total: str, lines: list[str]) -> str:
    funding = "".join(f"    {line}\n" for line in lines)
    return (
        "单位: 1 测试单位\n年度: 2024\n金额单位: 万元\n\n项目 甲:\n"
        f"  预算数: {total}\n{funding}"
        "  产出指标:\n    数量指标:\n      次数: ≥1次\n"
        "  效益指标:\n    社会效益指标:\n      及时率: ≥95%\n"
        "  满意度指标:\n    服务对象满意度指标:\n      满意度: ≥95%\n"
    )


def findings(text: str) -> list[str]:
    loaded = load_text(text)
    assert loaded.ok, loaded.diagnostics
    return [d.code for d in run(Context(loaded.document))]


@settings(max_examples=150, deadline=None)
@given(amounts, st.sampled_from(["元", "万元", "亿元"]), st.sampled_from(["元", "万元", "亿元"]))
def test_the_same_amount_in_any_unit_compares_equal(amount, unit_a, unit_b):
    # Split the budget in two and write each part in a different unit.
    part = (amount / 3).quantize(Decimal("0.0001"))
    rest = amount - part
    a = convert_money(part, "万元", unit_a)
    b = convert_money(rest, "万元", unit_b)
    assert convert_money(a, unit_a, "万元") + convert_money(b, unit_b, "万元") == amount
    text = budget_table(
        format_decimal(amount),
        [f"财政资金: {format_decimal(a)}{unit_a}", f"其他资金: {format_decimal(b)}{unit_b}"],
    )
    assert "PD4001" not in findings(text)
    # One 元 more in either line, and the sum no longer matches.
    one_yuan = convert_money(Decimal(1), "元", unit_a)
    off = budget_table(
        format_decimal(amount),
        [
            f"财政资金: {format_decimal(a + one_yuan)}{unit_a}",
            f"其他资金: {format_decimal(b)}{unit_b}",
        ],
    )
    assert "PD4001" in findings(off)


@given(amounts, st.sampled_from(["元", "千元", "万元", "百万元", "亿元"]))
def test_conversion_round_trips_exactly(amount, unit):
    assert convert_money(convert_money(amount, "万元", unit), unit, "万元") == amount


def _shuffled(document, rnd):
    def shuffle(items):
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    projects = []
    for project in document.projects:
        level1 = []
        for l1 in project.indicators:
            blocks = [attrs.evolve(l2, indicators=shuffle(l2.indicators)) for l2 in l1.blocks]
            level1.append(attrs.evolve(l1, blocks=shuffle(blocks)))
        projects.append(attrs.evolve(project, indicators=shuffle(level1)))
    return attrs.evolve(document, projects=shuffle(projects), comments=())


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(DOCUMENTS), st.randoms(use_true_random=False))
def test_reordering_projects_and_indicators_keeps_the_findings(path, rnd):
    loaded = load_file(path)
    document = attrs.evolve(loaded.document, comments=())
    before = Counter(d.code for d in run(Context(document)))
    # Print the reordered document and read it back, so spans are real, as a user would.
    again = load_text(format_document(_shuffled(document, rnd)))
    assert again.ok
    after = Counter(d.code for d in run(Context(again.document)))
    assert after == before


# Documents of every shape the language allows (tests/test_properties.py builds them): the
# rules must never fail internally on any of them — a crash would be PD9001, not an exception.
from tests.test_properties import documents  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(documents)
def test_no_rule_fails_on_any_document(document):
    for framework in (None, "2015", "2021"):
        found = run(Context(document, framework_override=framework))
        assert not [d for d in found if d.code == "PD9001"], [d.message.en for d in found]

"""Layouts are data: names resolve, unknown names fail with a useful message, widths fit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from perfdsl.emit.table import PAGE_TEXT_CM, fit_widths
from perfdsl.standards.layouts import (
    LAYOUTS,
    MOF,
    TIANJIN,
    Column,
    UnknownLayout,
    get_layout,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        (None, "tianjin"),
        ("", "tianjin"),
        ("天津", "tianjin"),
        ("tianjin", "tianjin"),
        ("TianJin", "tianjin"),
        ("天津市", "tianjin"),
        ("天津版式", "tianjin"),
        ("财政部", "mof"),
        ("mof", "mof"),
        ("MoF", "mof"),
        ("ministry_of_finance", "mof"),
        ("绩效目标申报表", "mof"),
        (" 财政部 ", "mof"),
    ],
)
def test_names_and_aliases(name: str | None, key: str) -> None:
    assert get_layout(name).key == key


def test_unknown_layout_lists_known_names() -> None:
    with pytest.raises(KeyError) as raised:
        get_layout("广东")
    message = str(raised.value)
    assert isinstance(raised.value, UnknownLayout)
    assert "广东" in message
    for key in LAYOUTS:
        assert key in message
    assert "天津" in message and "财政部" in message
    assert not message.startswith("'")  # str() is the message, not KeyError's quoted repr


def test_every_layout_resolves_by_its_own_names() -> None:
    for layout in LAYOUTS.values():
        for name in (layout.key, layout.name, *layout.aliases):
            assert get_layout(name) is layout


def test_tianjin_is_the_seed_layout() -> None:
    required = [c.label for c in TIANJIN.columns if not c.optional]
    assert required == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]
    assert TIANJIN.heading(1, "办案业务费") == "1.办案业务费绩效目标表"
    assert TIANJIN.funding_label("财政资金") == "财政资金"
    assert TIANJIN.description_repeats_name


def test_mof_layout_columns_and_labels() -> None:
    required = [c.label for c in MOF.columns if not c.optional]
    assert required == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert MOF.budget_label == "年度资金总额"
    assert MOF.funding_label("财政资金") == "财政拨款"
    assert MOF.goals_label == "年度目标"
    optional = {c.field for c in MOF.columns if c.optional}
    assert {"midterm", "weight", "basis", "remark", "description"} <= optional


def test_layout_columns_are_validated() -> None:
    with pytest.raises(ValueError):
        Column("nonsense", "无", 1.0)


def test_natural_widths_stretch_to_the_page() -> None:
    widths, crowded = fit_widths(TIANJIN.columns[:5])
    assert not crowded
    assert sum(widths) == pytest.approx(PAGE_TEXT_CM)


def test_wide_tables_shrink_wide_columns_first() -> None:
    keep = {"level1", "level2", "level3", "description", "value", "midterm", "weight", "basis"}
    columns = [c for c in TIANJIN.columns if c.field in keep]
    assert sum(c.width for c in columns) > PAGE_TEXT_CM
    widths, crowded = fit_widths(columns)
    assert sum(widths) == pytest.approx(PAGE_TEXT_CM)
    for column, width in zip(columns, widths, strict=True):
        assert width >= column.min_width - 1e-9
        assert width <= column.width
    assert not crowded


def test_too_many_columns_is_crowded_but_still_fits() -> None:
    widths, crowded = fit_widths(TIANJIN.columns)
    assert crowded
    assert sum(widths) == pytest.approx(PAGE_TEXT_CM)


def test_layouts_do_not_load_python_docx() -> None:
    code = (
        "import sys, perfdsl.standards.layouts, perfdsl.emit.table, perfdsl.emit.html, "
        "perfdsl.emit.docx; assert 'docx' not in sys.modules, 'python-docx was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

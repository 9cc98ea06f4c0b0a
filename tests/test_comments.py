"""Comments: where ``#`` starts one, and that ``perfdsl fmt`` keeps every one in its place."""

from __future__ import annotations

import attrs

from perfdsl.fmt import format_document, to_file_text
from perfdsl.load import load_text


def fmt(text: str) -> str:
    loaded = load_text(text)
    assert loaded.ok, loaded.diagnostics
    assert loaded.document is not None and loaded.source is not None
    return to_file_text(loaded.document, loaded.source.lines)


def comments(text: str) -> list[str]:
    loaded = load_text(text)
    assert loaded.document is not None
    return [c.text for c in loaded.document.comments]


def indicators(text: str) -> list[tuple[str, str]]:
    loaded = load_text(text)
    assert loaded.ok and loaded.document is not None, loaded.diagnostics
    return [
        (ind.name, ind.value.text if ind.value else "")
        for project in loaded.document.projects
        for _l1, _l2, ind in project.iter_indicators()
    ]


HEAD = "单位: 215101 天津市北辰区人民法院\n年度: 2024\n金额单位: 万元\n"

COMMENTED = f"""\
# 文件顶部的注释
# 第二行
{HEAD}
# 项目前的注释
项目 办案业务费:  # 项目行尾的注释
  # 预算前的注释
  预算数: 146.00  # 预算行尾
    财政资金: 146.00
  资金用途: |  # 竖线后的注释
    第一行
    # 文字块中间的注释
    第二行  # 文字块里的行尾注释
  产出指标:
    数量指标:
      # 指标前的注释
      陪审员参审次数: ≥400次  # 指标行尾
        描述: 陪审员参审  # 描述行尾
# 文件末尾的注释
"""


def test_canonical_text_with_comments_everywhere_is_a_fixed_point() -> None:
    assert fmt(COMMENTED) == COMMENTED


def test_every_comment_is_kept_in_its_place() -> None:
    messy = (
        COMMENTED.replace("  # 项目行尾的注释", "\t# 项目行尾的注释")
        .replace("  # 预算前的注释", "# 预算前的注释")  # indented like the file, not the node
        .replace("    # 文字块中间的注释", "        # 文字块中间的注释")
        .replace("\n# 项目前的注释", "\n\n\n      # 项目前的注释\n")
    )
    once = fmt(messy)
    assert comments(once) == comments(COMMENTED)
    assert fmt(once) == once
    # Each comment still precedes (or ends) the same line.
    lines = once.split("\n")
    assert lines[lines.index("# 项目前的注释") + 1].startswith("项目 办案业务费:")
    assert lines[lines.index("  # 预算前的注释") + 1] == "  预算数: 146.00  # 预算行尾"
    assert lines[lines.index("    # 文字块中间的注释") + 1] == "    第二行  # 文字块里的行尾注释"
    assert lines[-2] == "# 文件末尾的注释"


def test_comments_inside_a_text_block_stay_inside_it() -> None:
    text = f"""\
{HEAD}
项目 甲:
  预算数: 1
  资金用途: |
    # 块首注释
    第一行

    # 空行之后的注释
    第二行  # 行尾
    第三行
  绩效目标:
    1. 目标
"""
    once = fmt(text)
    assert (
        "  资金用途: |\n    # 块首注释\n    第一行\n    # 空行之后的注释\n    第二行  # 行尾\n"
        in once
    )
    loaded = load_text(once)
    assert (
        loaded.document is not None
        and loaded.document.projects[0].fields.text("purpose") is not None
    )
    assert loaded.document.projects[0].fields.text("purpose") == "第一行\n第二行\n第三行"
    assert fmt(once) == once


def test_comments_of_a_generated_document_are_none() -> None:
    loaded = load_text(COMMENTED)
    assert loaded.document is not None
    bare = format_document(attrs.evolve(loaded.document, comments=()))
    assert "#" not in bare


def test_hash_inside_text_is_not_a_comment() -> None:
    text = f"""\
{HEAD}
项目 1#楼维修:
  预算数: 1
  资金用途: 维修1#楼、3#车间#
  产出指标:
    数量指标:
      1#楼维修面积: ≥10平方米
      重点楼栋: 3#楼 # 这才是注释
      编号: #1
      紧挨冒号：#2楼
"""
    loaded = load_text(text)
    assert loaded.ok and loaded.document is not None, loaded.diagnostics
    project = loaded.document.projects[0]
    assert project.name == "1#楼维修"
    assert project.fields.text("purpose") == "维修1#楼、3#车间#"
    assert indicators(text) == [
        ("1#楼维修面积", "≥10平方米"),
        ("重点楼栋", "3#楼"),
        ("编号", ""),  # "# 1" after a blank: a comment, and the value is empty
        ("紧挨冒号", "#2楼"),  # no blank between the colon and '#'
    ]
    assert comments(text) == ["# 这才是注释", "#1"]
    once = fmt(text)
    assert indicators(once) == indicators(text)
    assert fmt(once) == once


def test_a_quoted_value_keeps_its_hash() -> None:
    text = f'{HEAD}\n项目 甲:\n  预算数: 1\n  产出指标:\n    数量指标:\n      编号: "#1 # 不是注释"  # 注释\n'
    assert indicators(text) == [("编号", "#1 # 不是注释")]
    assert comments(text) == ["# 注释"]
    assert fmt(fmt(text)) == fmt(text)


def test_comments_in_an_english_file() -> None:
    text = (
        "# top\nunit: 215101 court\nyear: 2024\nmoney-unit: 万元\n\n"
        "project a:  # the project\n  budget: 1\n  output:\n    quantity:\n"
        "      # before\n      x: ≥1次  # after\n# bottom\n"
    )
    assert fmt(text) == text

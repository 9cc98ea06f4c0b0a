"""Structure rules: the indicator tree against the framework, and what must not be missing.

unknown 一级/二级 (with did-you-mean), a 二级 under the wrong 一级, required 一级 missing,
empty blocks, empty values, template placeholders, an indicator twice in one project, a
project name twice in a file, and the same indicator filed under different 二级.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from perfdsl import ast
from perfdsl.check import Context, rule
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards.fields import label as field_label
from perfdsl.suggest import suggest
from perfdsl.values import Text


def _did_you_mean(name: str, candidates: tuple[str, ...]) -> Msg | None:
    guess = suggest(name, candidates)
    if guess is None:
        return None
    return Msg(f"是不是想写 `{guess}`？", f"did you mean `{guess}`?")


@rule("framework-categories", C.UNKNOWN_LEVEL1, C.UNKNOWN_LEVEL2, C.WRONG_PARENT, C.MISSING_LEVEL1)
def framework_categories(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        framework = ctx.framework_of(project)
        if framework is None:
            continue
        level1_names = framework.level1_names
        level2_names = framework.level2_names
        listing = "、".join(level1_names)
        # A 一级 counts as present when it holds an indicator: blank pre-printed rows alone
        # leave the table without it.  (A 中期 tree is checked for its categories, and it
        # need not hold every 一级: many tables list only a few long-term indicators.)
        present = {l1.name for l1 in project.indicators if any(l2.indicators for l2 in l1.blocks)}
        blank = {l1.name for l1 in project.indicators if l1.blocks} - present
        for l1 in (l1 for tree in ctx.trees_of(project) for l1 in tree):
            if l1.name not in framework.categories:
                yield C.UNKNOWN_LEVEL1.at(
                    l1.span,
                    Msg(
                        f"{framework.name} 指标体系里没有一级指标 `{l1.name}`",
                        f"the {framework.name} framework has no level-1 indicator `{l1.name}`",
                    ),
                    help=_did_you_mean(l1.name, level1_names)
                    or Msg(f"一级指标有：{listing}", f"the level-1 indicators are: {listing}"),
                )
                continue
            allowed = framework.categories[l1.name]
            for l2 in l1.blocks:
                if l2.name in allowed:
                    continue
                parents = framework.parents_of(l2.name)
                if l2.name in framework.categories:
                    yield C.WRONG_PARENT.at(
                        l2.span,
                        Msg(
                            f"在 {framework.name} 指标体系中 `{l2.name}` 是一级指标，不能放在 `{l1.name}` 下",
                            f"in the {framework.name} framework `{l2.name}` is a level-1 indicator, not a "
                            f"level-2 indicator under `{l1.name}`",
                        ),
                        help=Msg(
                            f"把 `{l2.name}` 提升为一级指标（与 `{l1.name}` 对齐）",
                            f"move `{l2.name}` up a level (aligned with `{l1.name}`)",
                        ),
                    )
                elif parents:
                    yield C.WRONG_PARENT.at(
                        l2.span,
                        Msg(
                            f"`{l2.name}` 属于 `{parents[0]}`，不属于 `{l1.name}`",
                            f"`{l2.name}` belongs under `{parents[0]}`, not `{l1.name}`",
                        ),
                        help=Msg(f"把它移到 `{parents[0]}` 下", f"move it under `{parents[0]}`"),
                    )
                else:
                    subs = "、".join(allowed)
                    yield C.UNKNOWN_LEVEL2.at(
                        l2.span,
                        Msg(
                            f"{framework.name} 指标体系里没有二级指标 `{l2.name}`",
                            f"the {framework.name} framework has no level-2 indicator `{l2.name}`",
                        ),
                        help=_did_you_mean(l2.name, allowed)
                        or _did_you_mean(l2.name, level2_names)
                        or Msg(f"`{l1.name}` 下的二级指标有：{subs}", f"`{l1.name}` holds: {subs}"),
                    )
        missing = [name for name in framework.required if name not in present]
        if missing:
            names = "、".join(missing)
            empty = [m for m in missing if m in blank]
            notes = (
                (
                    Msg(
                        f"{'、'.join(empty)} 下只有空白行，没有指标",
                        f"{', '.join(empty)} holds blank rows only, no indicators",
                    ),
                )
                if empty
                else ()
            )
            yield C.MISSING_LEVEL1.at(
                project.span,
                Msg(
                    f"项目“{project.name}”缺少一级指标 {names}",
                    f"project “{project.name}” lacks {', '.join(f'`{m}`' for m in missing)}",
                ),
                notes=notes,
                help=Msg(
                    f"{framework.name} 指标体系要求每张表都有 {'、'.join(framework.required)}",
                    f"the {framework.name} framework requires {', '.join(framework.required)}",
                ),
            )


@rule("empty-block", C.EMPTY_BLOCK)
def empty_blocks(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        for l1 in project.indicators:
            if not l1.blocks:
                yield C.EMPTY_BLOCK.at(
                    l1.span,
                    Msg(
                        f"一级指标 `{l1.name}` 下面没有内容",
                        f"the level-1 indicator `{l1.name}` is empty",
                    ),
                    help=Msg("补上二级和三级指标，或删除它", "add its indicators, or remove it"),
                )
            # (A 二级 with no indicators is a blank pre-printed row: templates list every
            # 二级, and the rows a unit leaves empty stay printed.  Not a mistake.)


@rule("empty-value", C.EMPTY_VALUE)
def empty_values(ctx: Context) -> Iterator[Diagnostic]:
    comment_lines = {c.span.line: c for c in ctx.document.comments if c.trailing}
    for _project, _l1, _l2, indicator in ctx.indicators():
        if indicator.value is not None and not (
            isinstance(indicator.value, Text) and not indicator.value.text.strip()
        ):
            continue
        help_ = Msg(
            f"在冒号后写上指标值，如 `{indicator.name}: ≥95%`",
            f"write its value after the colon: `{indicator.name}: ≥95%`",
        )
        comment = comment_lines.get(indicator.span.line)
        if indicator.description is None and comment is not None:
            # "维修楼栋: #3楼" — a value starting with # after a blank is read as a comment.
            help_ = Msg(
                f'`{comment.text}` 被当作了注释；以 # 开头的值请加引号：`{indicator.name}: "{comment.text}"`',
                f"`{comment.text}` was read as a comment; quote a value that starts with #: "
                f'`{indicator.name}: "{comment.text}"`',
            )
        yield C.EMPTY_VALUE.at(
            indicator.span,
            Msg(
                f"指标 `{indicator.name}` 没有指标值", f"indicator `{indicator.name}` has no value"
            ),
            help=help_,
        )


# Template placeholders: runs of asterisks, crosses or X's standing for a missing number.
_PLACEHOLDER = re.compile(r"\*{1,}|＊+|×{2,}|[Xx]{2,}|？{2,}|\?{2,}|…{2,}|○{2,}|△{2,}")


def _placeholder_in(text: str) -> str | None:
    m = _PLACEHOLDER.search(text)
    return m.group(0) if m else None


def _texts(ctx: Context, project: ast.Project) -> Iterator[tuple[str, ast.Span, str]]:
    """Every text cell of a project, with its span and what it is (for the message)."""
    for key, value in project.fields.items():
        if isinstance(value, ast.Located):
            yield value.value, value.span, field_label("project", key)
    for goal in (*project.goals, *project.midterm_goals):
        yield goal.text, goal.span, "绩效目标"
    for _l1, _l2, ind in (row for tree in ctx.trees_of(project) for row in ast.iter_tree(tree)):
        if ind.value is not None:
            yield ind.value.text, ind.value_span, ind.name
        for key, value in ind.fields.items():
            if isinstance(value, ast.Located):
                yield value.value, value.span, f"{ind.name} 的{field_label('indicator', key)}"


@rule("placeholder", C.PLACEHOLDER)
def placeholders(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        for text, span, what in _texts(ctx, project):
            found = _placeholder_in(text)
            if found is None:
                continue
            yield C.PLACEHOLDER.at(
                span,
                Msg(
                    f"{what}里还留着模板占位符 `{found}`",
                    f"{what} still holds the template placeholder `{found}`",
                ),
                help=Msg("填入真实的数值或内容", "fill in the real figure or text"),
            )


@rule("duplicate-indicator", C.DUPLICATE_INDICATOR)
def duplicate_indicators(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        for tree in ctx.trees_of(project):  # (a 中期 tree repeats the year's names: fine)
            yield from _duplicates(project, tree)


def _duplicates(project: ast.Project, tree: tuple[ast.Level1, ...]) -> Iterator[Diagnostic]:
    first: dict[str, ast.Indicator] = {}
    for _l1, _l2, ind in ast.iter_tree(tree):
        earlier = first.setdefault(ind.name, ind)
        if earlier is ind:
            continue
        yield C.DUPLICATE_INDICATOR.at(
            ind.span,
            Msg(
                f"项目“{project.name}”里 `{ind.name}` 出现了两次",
                f"`{ind.name}` appears twice in project “{project.name}”",
            ),
            help=Msg("合并这两个指标，或改成不同的名称", "merge the two, or rename one"),
            notes=(
                Msg(f"第一次在第 {earlier.span.line} 行", f"first on line {earlier.span.line}"),
            ),
        )


@rule("duplicate-project", C.DUPLICATE_PROJECT)
def duplicate_projects(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, ast.Project] = {}
    for project in ctx.document.projects:
        earlier = first.setdefault(project.name, project)
        if earlier is project:
            continue
        yield C.DUPLICATE_PROJECT.at(
            project.name_span,
            Msg(
                f"项目名称“{project.name}”与第 {earlier.span.line} 行的项目相同",
                f"project name “{project.name}” is the same as the project on line {earlier.span.line}",
            ),
            help=Msg(
                "如果是两个不同的项目，在名称里加以区分（如资金批次）",
                "if these are two projects, make the names distinct (by batch of funds, say)",
            ),
        )


@rule("inconsistent-category", C.INCONSISTENT_CATEGORY)
def inconsistent_categories(ctx: Context) -> Iterator[Diagnostic]:
    """The same indicator filed under different 二级 in different projects of one file.

    The category most projects use is taken as right (on a tie, the first in Unicode order),
    and every other filing is reported: the result does not depend on the order of projects.
    """
    filed: dict[str, list[tuple[str, ast.Project, ast.Indicator]]] = {}
    for project in ctx.document.projects:
        for _l1, l2, ind in ctx.rows_of(project):
            filed.setdefault(ind.name, []).append((l2.name, project, ind))
    for name, uses in filed.items():
        counts = Counter(category for category, _p, _i in uses)
        if len(counts) < 2:
            continue
        usual = min(counts, key=lambda c: (-counts[c], c))
        where = next(p for c, p, _i in uses if c == usual)
        for category, _project, ind in uses:
            if category == usual:
                continue
            yield C.INCONSISTENT_CATEGORY.at(
                ind.span,
                Msg(
                    f"`{name}` 在这里归入 `{category}`，在项目“{where.name}”（第 {where.span.line} 行）"
                    f"等 {counts[usual]} 处归入 `{usual}`",
                    f"`{name}` is filed under `{category}` here but under `{usual}` in "
                    f"{counts[usual]} place(s) such as project “{where.name}” (line {where.span.line})",
                ),
                help=Msg("核对哪一处归类正确，并统一", "check which is right and make them agree"),
            )

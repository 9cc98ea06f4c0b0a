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
from perfdsl.check import Context, named, rule
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards import frameworks as F
from perfdsl.standards.fields import label as field_label
from perfdsl.suggest import suggest
from perfdsl.values import Text


def _did_you_mean(name: str, candidates: tuple[str, ...]) -> Msg | None:
    guess = suggest(name, candidates)
    if guess is None:
        return None
    return Msg(f"是不是想写 `{guess}`？", f"did you mean `{guess}`?")


#: A pre-printed filler row of a template (…, ……, ...): a place for more rows, not a category.
_FILLER = re.compile(r"^[\s.…·。—\-]*$")


def is_filler(block: ast.Level2) -> bool:
    return not block.indicators and bool(_FILLER.match(block.name))


def _umbrella(framework: F.Framework, l1: ast.Level1) -> bool:
    """A 一级 above the framework's 一级 (the NDRC's 实施效果指标 over 产出指标 and 效益指标):
    an unknown name whose 二级 are all 一级 of the framework."""
    names = [framework.canonical(l2.name) for l2 in l1.blocks if not is_filler(l2)]
    return bool(names) and all(n in framework.categories for n in names)


def _present(framework: F.Framework, project: ast.Project) -> set[str]:
    """The framework's 一级 a table has, counting only blocks that hold an indicator: a 一级
    by its own name (or a synonym), a 一级 through one of its 二级 filed elsewhere
    (satisfaction inside 效益指标), and a 一级 written one level down under an umbrella."""
    present: set[str] = set()
    for l1 in project.indicators:
        name = framework.canonical(l1.name)
        for l2 in l1.blocks:
            if not l2.indicators:
                continue
            present.add(name)
            sub = framework.canonical(l2.name)
            if sub in framework.categories and name not in framework.categories:
                present.add(sub)  # (under an umbrella; not 成本指标 kept under 产出 in 2021)
            present.update(framework.parents_of(sub))
    return present


@rule("framework-categories", C.UNKNOWN_LEVEL1, C.UNKNOWN_LEVEL2, C.WRONG_PARENT, C.MISSING_LEVEL1)
def framework_categories(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        framework = ctx.framework_of(project)
        if framework is None:
            continue
        yield from _tree_categories(framework, ctx.trees_of(project))
        yield from _missing_level1(framework, project)


def _tree_categories(
    framework: F.Framework, trees: list[tuple[ast.Level1, ...]]
) -> Iterator[Diagnostic]:
    level1_names = framework.level1_names
    level2_names = framework.level2_names
    listing = "、".join(level1_names)
    for l1 in (l1 for tree in trees for l1 in tree):
        name1 = framework.canonical(l1.name)
        if name1 not in framework.categories:
            if _umbrella(framework, l1):
                continue
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
        allowed = framework.categories[name1]
        for l2 in l1.blocks:
            name2 = framework.canonical(l2.name)
            if framework.allows(name1, name2) or is_filler(l2):
                continue
            parents = framework.parents_of(name2)
            if name2 in framework.categories:
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


def _missing_level1(framework: F.Framework, project: ast.Project) -> Iterator[Diagnostic]:
    # (A 中期 tree need not hold every 一级: many tables list only a few long-term ones.)
    present = _present(framework, project)
    missing = [name for name in framework.required if name not in present]
    if not missing:
        return
    names = "、".join(missing)
    written = {framework.canonical(l1.name) for l1 in project.indicators if l1.blocks}
    empty = [m for m in missing if m in written]
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
        shown = indicator.name if indicator.name.strip() else "指标名称"
        help_ = Msg(
            f"在冒号后写上指标值，如 `{shown}: ≥95%`",
            f"write its value after the colon: `{shown}: ≥95%`",
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
                f"指标 {named(indicator.name)} 没有指标值",
                f"indicator {named(indicator.name, 'en')} has no value",
            ),
            help=help_,
        )


# Template placeholders: runs of asterisks, crosses or X's standing for a missing number.
_PLACEHOLDER = re.compile(r"\*{1,}|＊+|×{2,}|[Xx]{2,}|？{2,}|\?{2,}|…{2,}|○{2,}|△{2,}")


def _placeholder_in(text: str) -> str | None:
    m = _PLACEHOLDER.search(text)
    return m.group(0) if m else None


def texts_of(ctx: Context, project: ast.Project) -> Iterator[tuple[str, ast.Span, str]]:
    """Every text cell of a project, with its span and what it is (for the message): its
    name, its fields (text, typed values such as 实施期, the cells of blocks of rows), goals,
    and each indicator's name, value and other columns."""
    yield project.name, project.name_span, "项目名称"
    for key, value in project.fields.items():
        label = field_label("project", key)
        if isinstance(value, ast.Located):
            yield value.value, value.span, label
        elif isinstance(value, ast.Typed):  # 实施期, 预算执行率: a placeholder is no value
            yield value.value.text, value.span, label
        elif isinstance(value, ast.Rows):  # 进度计划, 成本构成 …: each cell of each row
            for row in value.rows:
                for column, cell in row.fields.items():
                    if isinstance(cell, ast.Located):
                        yield cell.value, cell.span, f"{label}的{field_label('row', column, key)}"
    for goal in (*project.goals, *project.midterm_goals):
        yield goal.text, goal.span, "绩效目标"
    for _l1, _l2, ind in (row for tree in ctx.trees_of(project) for row in ast.iter_tree(tree)):
        yield ind.name, ind.span, "指标名称"
        if ind.value is not None:
            yield ind.value.text, ind.value_span, ind.name
        for key, value in ind.fields.items():
            if isinstance(value, ast.Located):
                yield value.value, value.span, f"{ind.name} 的{field_label('indicator', key)}"


@rule("placeholder", C.PLACEHOLDER)
def placeholders(ctx: Context) -> Iterator[Diagnostic]:
    for project in ctx.document.projects:
        for text, span, what in texts_of(ctx, project):
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
    count: Counter[str] = Counter()
    for _l1, _l2, ind in ast.iter_tree(tree):
        count[ind.name] += 1
        earlier = first.setdefault(ind.name, ind)
        if earlier is ind:
            continue
        times = count[ind.name]
        nth = (
            Msg("第二次", "a second time")
            if times == 2
            else Msg(f"第 {times} 次", f"{times} times")
        )
        yield C.DUPLICATE_INDICATOR.at(
            ind.span,
            Msg(
                f"项目“{project.name}”里 {named(ind.name)} {nth.zh}出现（第一次在第 {earlier.span.line} 行）",
                f"{named(ind.name, 'en')} appears {nth.en} in project “{project.name}” (first on "
                f"line {earlier.span.line})",
            ),
            help=Msg("合并这两个指标，或改成不同的名称", "merge the two, or rename one"),
            related=((earlier.span, Msg("第一次在这里", "first here")),),
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
    and every other project's filing is reported with the row it disagrees with: the result
    does not depend on the order of projects.  Within one project a repeated name is
    PD3009's business, not this rule's.
    """
    filed: dict[str, dict[str, dict[int, tuple[ast.Project, ast.Indicator]]]] = {}
    for index, project in enumerate(ctx.document.projects):
        for _l1, l2, ind in ctx.rows_of(project):
            if not ind.name.strip():
                continue
            filed.setdefault(ind.name, {}).setdefault(l2.name, {}).setdefault(index, (project, ind))
    for name, by_category in filed.items():
        if len(by_category) < 2:
            continue
        counts = {category: len(projects) for category, projects in by_category.items()}
        usual = min(counts, key=lambda c: (-counts[c], c))
        usual_projects = by_category[usual]
        for category, projects in by_category.items():
            if category == usual:
                continue
            for index, (_project, ind) in projects.items():
                others = [i for i in usual_projects if i != index]
                if not others:
                    continue  # (only this project files it under the usual category too)
                where, row = usual_projects[others[0]]
                yield C.INCONSISTENT_CATEGORY.at(
                    ind.span,
                    Msg(
                        f"`{name}` 在这里归入 `{category}`，在项目“{where.name}”（第 {row.span.line} 行）"
                        f"等 {len(others)} 处归入 `{usual}`",
                        f"`{name}` is filed under `{category}` here but under `{usual}` in "
                        f"{len(others)} place(s) such as project “{where.name}” (line {row.span.line})",
                    ),
                    help=Msg(
                        "核对哪一处归类正确，并统一", "check which is right and make them agree"
                    ),
                    related=(
                        (row.span, Msg(f"这里归入 `{usual}`", f"filed under `{usual}` here")),
                    ),
                )

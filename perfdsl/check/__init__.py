"""The checker: rules that read a parsed document and report what a reviewer would flag.

Each rule is a function ``(Context) -> Iterable[Diagnostic]`` registered with :func:`rule`;
rules are grouped by family in the modules of this package (structure, money, values,
cells, yearly).  A rule
never raises: if one fails internally, :func:`run` reports PD9001 for that rule and the other
rules still run.  After the rules, suppression comments and --select/--ignore are applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from perfdsl import ast
from perfdsl.baseline import Baseline
from perfdsl.config import Config
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.gcpause import gc_paused
from perfdsl.standards import frameworks as F
from perfdsl.standards.templates import Catalog, Template, for_document, for_project
from perfdsl.suggest import suggest

Row = tuple[ast.Level1, ast.Level2, ast.Indicator]


@attrs.define
class _Rows:
    """The rule context's cache of indicator rows (the context itself is immutable)."""

    every: list[tuple[ast.Project, ast.Level1, ast.Level2, ast.Indicator]] | None = None
    by_project: dict[int, list[Row]] = attrs.field(factory=dict)


@attrs.frozen
class Context:
    """What the rules read: the document and the framework it is checked against."""

    document: ast.Document
    config: Config = attrs.field(factory=Config)
    #: A framework named on the command line, overriding the file and the configuration.
    framework_override: str | None = None
    #: The templates the file was read with (None: the built-in ones).
    catalog: Catalog | None = None
    #: Last year's file (``check --baseline``), for the year-over-year rules.
    baseline: Baseline | None = None

    @property
    def template(self) -> Template:
        """The file's template (its own adaptation included)."""
        return for_document(self.document, self.catalog)

    def template_of(self, project: ast.Project) -> Template:
        return for_project(project, self.template, self.catalog)

    @property
    def framework(self) -> F.Framework | None:
        """The file's framework; None when the file names one that does not exist."""
        return _resolve(self)[0]

    def framework_of(self, project: ast.Project) -> F.Framework | None:
        """The framework one table is checked against (its own template's, if it has one)."""
        if project.fields.located("template") is None:
            return self.framework
        return _resolve(self, project)[0]

    @property
    def year(self) -> int | None:
        return self.document.header.year_number

    @property
    def unit(self) -> str:
        return self.document.header.unit

    #: Rows computed once and shared by every rule (a 10,000-project file has 80,000 rows).
    _rows: _Rows = attrs.field(factory=lambda: _Rows(), init=False, eq=False, repr=False)
    #: What a rule family computes once and its rules share (the year-over-year pairing).
    memo: dict[str, object] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def indicators(self) -> list[tuple[ast.Project, ast.Level1, ast.Level2, ast.Indicator]]:
        """Every indicator of the file as (project, 一级, 二级, indicator), in table order."""
        if self._rows.every is None:
            self._rows.every = [
                (project, l1, l2, ind)
                for project in self.document.projects
                for tree in self.trees_of(project)
                for l1, l2, ind in ast.iter_tree(tree)
            ]
        return self._rows.every

    def rows_of(self, project: ast.Project) -> list[Row]:
        """A project's year indicators as (一级, 二级, indicator), in table order."""
        rows = self._rows.by_project.get(id(project))
        if rows is None:
            rows = self._rows.by_project[id(project)] = list(project.iter_indicators())
        return rows

    def trees_of(self, project: ast.Project) -> list[tuple[ast.Level1, ...]]:
        """A table's indicator trees: the year's, then its 中期 (long-term) one if it has one.
        Rules about values read both; rules about the year's budget read the first."""
        midterm = project.get("midterm_indicators")
        if isinstance(midterm, ast.Tree) and midterm.level1:
            return [project.indicators, midterm.level1]
        return [project.indicators]


def _template_framework(
    ctx: Context, template: Template
) -> tuple[F.Framework | None, Diagnostic | None]:
    spec = template.framework
    if isinstance(spec, str):
        return ctx.config.framework_named(spec), None
    known = {**F.BUILTIN, **ctx.config.frameworks}
    try:
        return F.from_spec(f"{template.key}", spec, known), None
    except F.SpecError as exc:
        # Its shape was checked when the template was read; what is left is a base that names
        # none of the frameworks, the configuration's included.
        return None, C.UNKNOWN_FRAMEWORK.at(
            None,
            Msg(
                f"模板“{template.key}”的指标体系：{exc.message.zh}",
                f"the framework of template “{template.key}”: {exc.message.en}",
            ),
        )


def _resolve(
    ctx: Context, project: ast.Project | None = None
) -> tuple[F.Framework | None, Diagnostic | None]:
    """The framework in force: the command line's, the file's 指标体系, the template's when
    the file (or the table, or the configuration) chose that template, the configuration's
    default, and last the default template's."""
    header = ctx.document.header.framework
    name = ctx.framework_override or (header.value if header else None)
    if name is None:
        template = ctx.template_of(project) if project is not None else ctx.template
        chosen = (
            project is not None
            or ctx.document.header.template is not None
            or bool(ctx.document.header.template_spec)
            or ctx.config.template is not None
        )
        if chosen or ctx.config.framework is None:
            found, error = _template_framework(ctx, template)
            if found is not None or error is not None:
                return found, error
        name = ctx.config.framework or F.DEFAULT
    found = ctx.config.framework_named(name)
    if found is not None:
        return found, None
    span = header.span if header is not None and not ctx.framework_override else None
    known = ctx.config.framework_names()
    guess = suggest(name, known)
    return None, C.UNKNOWN_FRAMEWORK.at(
        span,
        Msg(f"没有名为 `{name}` 的指标体系", f"there is no framework named `{name}`"),
        help=Msg(f"是不是想写 `{guess}`？", f"did you mean `{guess}`?")
        if guess
        else Msg(
            "可用：" + "、".join(known) + "；本地体系在 perfdsl.toml 的 [frameworks] 中定义",
            "known: " + ", ".join(known) + "; local variants are defined under [frameworks] "
            "in perfdsl.toml",
        ),
    )


def named(name: str, lang: str = "zh") -> str:
    """A name quoted for a message; an empty one as a clear placeholder, not empty backticks."""
    if name.strip():
        return f"`{name}`"
    return "（无名称）" if lang == "zh" else "(no name)"


RuleFn = Callable[[Context], Iterable[Diagnostic]]


@attrs.frozen
class Rule:
    """A rule: its kebab-case name, the codes it may emit (its whole interface to selection
    and suppression, as ruff's ``codes.rs``), and the function."""

    name: str
    codes: tuple[str, ...]
    fn: RuleFn


RULES: list[Rule] = []


def rule(name: str, *codes: C.Code) -> Callable[[RuleFn], RuleFn]:
    """Register a rule that emits ``codes``."""

    def register(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(name, tuple(c.code for c in codes), fn))
        return fn

    return register


def _run_rules(context: Context) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    error = _resolve(context)[1]
    if error is not None:
        found.append(error)
    for entry in RULES:
        try:
            found.extend(entry.fn(context))
        except Exception as exc:  # one broken rule must not hide the others
            found.append(
                C.INTERNAL.at(
                    None,
                    Msg(
                        f"检查规则 {entry.name} 内部出错：{type(exc).__name__}: {exc}",
                        f"rule {entry.name} failed internally: {type(exc).__name__}: {exc}",
                    ),
                )
            )
    return found


def run(context: Context, selection: Selection | None = None) -> list[Diagnostic]:
    """All rule findings for a document, after suppressions and ``selection`` (by default,
    the configuration's ``select``/``ignore``)."""
    from perfdsl.check.suppress import apply_suppressions

    if selection is None:
        selection = compile_selection(context.config.select, context.config.ignore)
    with gc_paused():
        found = apply_suppressions(_run_rules(context), context.document)
    return [d for d in found if d.code in selection]


# The rule families register themselves on import; they need Context and rule from above.
from perfdsl.check import cells, money, structure, values, yearly  # noqa: E402, F401
from perfdsl.check.selection import Selection, compile_selection  # noqa: E402

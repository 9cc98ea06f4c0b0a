"""The command line: parse the arguments, call the library, set the exit code.

Exit codes: 0 clean (or warnings only), 1 errors in a file (or, with ``fmt --check``, a file
that would change), 2 usage or I/O problems.  Heavy libraries (python-docx, templates) are
imported inside the commands that need them, so ``check`` and ``--help`` start instantly.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from perfdsl import __version__
from perfdsl.cli_lang import Help, Option, lang_of, localise, option
from perfdsl.gcpause import tune_for_run
from perfdsl.output import configure_streams, say


def _described(zh: str, en: str):  # type: ignore[no-untyped-def]
    """A command's help in both languages (click shows the one the user speaks)."""

    def attach(function):  # type: ignore[no-untyped-def]
        function.__doc__ = Help(inspect.cleandoc(zh), inspect.cleandoc(en))
        return function

    return attach


def rule_selection(command):
    """--select/--ignore/--framework, shared by check and build so both judge a file alike."""
    for decorate in reversed(
        (
            option(
                "--select",
                multiple=True,
                metavar="RULES",
                help=Help(
                    "只运行这些规则（名称、代码或 PD5 这样的前缀；逗号分隔或重复写）。",
                    "Only these rules (names, codes or prefixes such as PD5; comma-separated "
                    "or repeated).",
                ),
            ),
            option(
                "--ignore",
                multiple=True,
                metavar="RULES",
                help=Help("不运行这些规则。", "Never these rules."),
            ),
            option(
                "--framework",
                default=None,
                metavar="NAME",
                help=Help(
                    "指标体系（2015、2021 或本地的），代替文件里写的。",
                    "Indicator framework (2015, 2021 or a local one), overriding the file.",
                ),
            ),
        )
    ):
        command = decorate(command)
    return command


LANG_HELP = Help(
    "提示用哪种语言（zh 中文 / en English）；默认按 perfdsl.toml 的 lang，再按系统语言，否则中文。",
    "Language of messages (zh 中文 / en English); default: `lang` in perfdsl.toml, else the "
    "locale's, else zh.",
)

JOBS = option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help=Help(
        "同时读 N 个文件（默认：能用的 CPU 核数）。",
        "Read N files at a time (default: every core available).",
    ),
)

LANG = option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help=LANG_HELP,
)


class _Guarded(click.Group):
    """The last line of defence: no input may ever show a user a Python traceback.

    Every command reports its own problems as diagnostics; anything that still escapes is a
    defect in perfdsl, reported in one line with exit code 2.  Before anything is printed,
    stdout and stderr are set to degrade rather than fail in an encoding that lacks a
    character (:func:`perfdsl.output.configure_streams`): once here, for every command.
    """

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        configure_streams()
        tune_for_run()
        from perfdsl.language import resolve

        argv = list(sys.argv[1:] if args is None else args)
        localise(self, resolve(lang_of(argv)))  # --help and click's words in that language
        return super().main(argv, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:  # `perfdsl check ... | head`: the reader has gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            say(
                f"perfdsl: 内部错误 / internal error: {type(exc).__name__}: {exc}"
                " — 这是 perfdsl 的缺陷，请报告 / a defect in perfdsl, please report it"
            )
            sys.exit(2)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    prog_name="perfdsl",
    cls=Option,
    help=Help("显示版本并退出。", "Show the version and exit."),
)
@_described(
    "perfdsl：项目支出绩效目标表写成代码 —— 检查、整理格式、生成正式表格。",
    "perfdsl: 项目支出绩效目标表 as code — check, format and build the official tables.",
)
def main() -> None:
    pass


def _isatty(stream: object) -> bool:
    """Whether ``stream`` is a terminal; a stream closed at start-up (``2>&-``) is None."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _color() -> bool:
    return _isatty(sys.stderr)


@main.command()
@click.argument("files", nargs=-1, required=True)
@option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help=LANG_HELP,
)
@option(
    "--format",
    "output_format",
    type=click.Choice(["full", "concise", "json", "github", "sarif"]),
    default="full",
    show_default=True,
    help=Help(
        "诊断的格式：给人看（full）、编辑器和 grep（concise）、程序（json）、"
        "GitHub Actions 标注（github）、代码扫描（sarif）。",
        "How to print diagnostics: for people (full), editors and grep (concise), "
        "programs (json), GitHub Actions annotations (github) or code scanning (sarif).",
    ),
)
@option(
    "--strict",
    is_flag=True,
    default=None,
    help=Help("有警告也算不通过（退出码 1）。", "Warnings fail the check too (exit 1)."),
)
@option(
    "--baseline",
    default=None,
    metavar="FILE|REV",
    help=Help(
        "和上年的文件比（路径、git 版本或 版本:路径）：目标调低、照抄上年、去掉的指标（提示）。",
        "Compare with last year's file (a path, a git revision, or REV:PATH): targets "
        "lowered, rows copied unchanged, indicators dropped (notes).",
    ),
)
@JOBS
@option(
    "--no-cache",
    is_flag=True,
    help=Help(
        "每个文件都重新检查，不用缓存里的结果。",
        "Check every file again, even one whose findings are in the cache.",
    ),
)
@rule_selection
@_described(
    "检查 FILES（文件、目录：其下所有 .pdsl，或通配符），列出发现的每个问题（有错误时退出码 1）。",
    "Check FILES (files, folders: every .pdsl under them, globs) and report every problem "
    "found (exit 1 on errors).",
)
def check(
    files: Sequence[str],
    lang: str | None,
    output_format: str,
    strict: bool | None,
    baseline: str | None,
    jobs: int | None,
    no_cache: bool,
    select: Sequence[str],
    ignore: Sequence[str],
    framework: str | None,
) -> None:
    from perfdsl.commands.check import CheckOptions, run_check

    options = CheckOptions(
        lang=lang,
        output_format=output_format,
        strict=strict,
        select=_split(select),
        ignore=_split(ignore),
        framework=framework,
        color=_color(),
        baseline=baseline,
    )
    sys.exit(run_check(list(files), options, jobs, use_cache=not no_cache))


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@main.command()
@click.argument("code", required=False)
@LANG
@_described(
    "解释一个诊断代码 CODE（或规则名）；不写时列出全部。",
    "Explain a diagnostic CODE (or rule name); without one, list them all.",
)
def explain(code: str | None, lang: str | None) -> None:
    from perfdsl.commands.explain import run_explain
    from perfdsl.language import resolve

    sys.exit(run_explain(code, resolve(lang)))


@main.command(name="fmt")
@click.argument("files", nargs=-1, required=True)
@option(
    "--check",
    "check_only",
    is_flag=True,
    help=Help(
        "不写文件；有文件需要改时退出码 1。", "Write nothing; exit 1 if a file would change."
    ),
)
@option(
    "--diff",
    "show_diff",
    is_flag=True,
    help=Help("显示会改动什么，不写文件。", "Print what would change; write nothing."),
)
@LANG
@_described(
    "把 FILES 改写为唯一的规范格式（'-' 从标准输入读、向标准输出写）。",
    "Rewrite FILES in the one canonical form ('-' reads stdin, writes stdout).",
)
def fmt(files: Sequence[str], check_only: bool, show_diff: bool, lang: str | None) -> None:
    from perfdsl.commands.fmt import run_fmt

    sys.exit(run_fmt(list(files), check_only, show_diff, lang=lang, color=_color()))


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from perfdsl.commands.build import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("files", nargs=-1, required=True)
@option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help=Help(
        "输出写到这个目录（没有时新建）。",
        "Directory to write the outputs to (created if missing).",
    ),
)
@option(
    "--to",
    "formats",
    default="docx,json,html",
    show_default=True,
    metavar="FORMATS",
    callback=_formats,
    help=Help(
        "输出格式，逗号分隔：docx、json、html、pdf（pdf 需要 LibreOffice）。",
        "Comma-separated output formats: docx, json, html, pdf (pdf needs LibreOffice).",
    ),
)
@option(
    "--template",
    "--layout",
    "template",
    default=None,
    metavar="NAME",
    help=Help(
        "按这个模板出表（tianjin、mof2015……），代替源文件的“模板”。",
        "Template to print in (tianjin, mof2015, …); overrides the source's 模板.",
    ),
)
@option(
    "--force",
    is_flag=True,
    help=Help(
        "源文件有错误也生成（退出码仍为 1）。", "Build even a source with errors (still exit 1)."
    ),
)
@option(
    "--name",
    default=None,
    metavar="NAME",
    help=Help(
        "从标准输入（'-'）读时输出文件的名字：NAME.docx……",
        "The outputs' name for a source read from standard input ('-'): NAME.docx, ….",
    ),
)
@option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help=LANG_HELP,
)
@JOBS
@rule_selection
@_described(
    "把 FILES（文件、目录、通配符）生成到 DIR：<名称>.docx、<名称>.json、<名称>.html（--to pdf 时还有 "
    "<名称>.pdf），按源文件的目录放（2024/X.pdsl → DIR/2024/X.docx）；有错误时退出码 1。",
    "Build FILES (files, folders, globs) into DIR as <name>.docx, <name>.json and "
    "<name>.html (and <name>.pdf with --to pdf), mirroring their folders (2024/X.pdsl → "
    "DIR/2024/X.docx); exit 1 on errors.",
)
def build(
    files: Sequence[str],
    out_dir: str,
    formats: tuple[str, ...],
    template: str | None,
    force: bool,
    name: str | None,
    lang: str | None,
    jobs: int | None,
    select: Sequence[str],
    ignore: Sequence[str],
    framework: str | None,
) -> None:
    from perfdsl.commands.build import run_build

    sys.exit(
        run_build(
            list(files),
            out_dir,
            formats,
            template,
            force,
            lang=lang,
            color=_color(),
            framework=framework,
            select=_split(select),
            ignore=_split(ignore),
            name=name,
            jobs=jobs,
        )
    )


class _DiffCommand(click.Command):
    """Keeps what follows ``--`` apart, as git does: ``diff REV [REV] -- FILE``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["perfdsl.diff.after"] = args[at + 1 :]
            args = args[:at]
        # git difftool passes the working-tree file as $REMOTE, which may be "-x.pdsl": an
        # existing file that is not one of our options is a file, so spell it "./-x.pdsl".
        options = {name for p in self.get_params(ctx) for name in (*p.opts, *p.secondary_opts)}
        args = [
            f"./{arg}"
            if arg.startswith("-")
            and arg != "-"
            and arg.split("=")[0] not in options
            and os.path.lexists(arg)
            else arg
            for arg in args
        ]
        return super().parse_args(ctx, args)


@main.command(cls=_DiffCommand)
@click.argument("args", nargs=-1, metavar="[OLD NEW | REV [REV]] [--] [PATH...]")
@option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help=Help(
        "text 给终端，markdown 给合并请求评论，json 给程序。",
        "text for a terminal, markdown for a merge-request comment, json for programs.",
    ),
)
@option(
    "--exit-code",
    is_flag=True,
    help=Help(
        "有改动时退出码 1，没有时 0。", "Exit 1 when there are changes, 0 when there are none."
    ),
)
@LANG
@_described(
    """按表格位置列出改动，金额差额精确。

    \b
    perfdsl diff 旧.pdsl 新.pdsl          两个文件
    perfdsl diff 旧目录 新目录            两个目录里同名的文件（2024 2025）
    perfdsl diff 版本 [--] 文件           git 版本里的文件和工作区的比
    perfdsl diff 版本1 版本2 [--] 文件    两个 git 版本之间
    perfdsl diff 版本1 版本2              一次改动里所有改过的 .pdsl，带合计
    perfdsl diff [版本] [--] 目录         目录下所有改过的 .pdsl
    perfdsl diff                          所有还没提交的改动

    只改写法（空格、注释、字段顺序、英文关键字）不算改动。
    """,
    """Show what changed, by table path, with exact money deltas.

    \b
    perfdsl diff OLD.pdsl NEW.pdsl       two files
    perfdsl diff OLD_DIR NEW_DIR         the files of two folders (2024 2025)
    perfdsl diff REV [--] FILE           FILE at a git revision against the working tree
    perfdsl diff REV1 REV2 [--] FILE     FILE between two git revisions
    perfdsl diff REV1 REV2               every changed .pdsl of a change, with totals
    perfdsl diff [REV] [--] DIR          every changed .pdsl under DIR
    perfdsl diff                         every uncommitted change

    Formatting alone (spacing, comments, key order, English keywords) is not a change.
    """,
)
def diff(args: Sequence[str], output_format: str, exit_code: bool, lang: str | None) -> None:
    from perfdsl.commands.diff import DiffOptions, run_diff
    from perfdsl.config import lang_for

    after = click.get_current_context().meta.get("perfdsl.diff.after")
    named = [a for a in [*args, *(after or [])] if os.path.exists(a)]
    language = lang_for(lang, named[-1] if named else None)
    options = DiffOptions(output_format, exit_code, language, color=_isatty(sys.stdout))
    sys.exit(run_diff(list(args), after, options))


@main.command(name="import")
@click.argument("files", nargs=-1, required=True)
@option(
    "-o",
    "--output",
    default=None,
    metavar="OUT.pdsl|DIR",
    help=Help(
        "写到哪里：一个 .pdsl 文件（一个输入时）或一个目录（每个输入一个 <名称>.pdsl）；默认标准输出。",
        "Where to write: a .pdsl file (one input) or a folder (<stem>.pdsl each); "
        "default standard output.",
    ),
)
@option(
    "--template",
    default=None,
    metavar="NAME",
    help=Help("按这个模板读表。", "Read the tables in this template."),
)
@option(
    "--save-template",
    default=None,
    metavar="NAME",
    help=Help(
        "表和模板不同的地方（标签、列、版面）写成 -o 处的 NAME.template.toml，源文件写 `模板: NAME`，"
        "不再各自在文件头里写一遍（同一地区的许多表）。",
        "Write where the table differs from its template (labels, columns, page) as "
        "NAME.template.toml where -o points, and `模板: NAME` in the sources, instead of the "
        "same header in each (a region's many tables).",
    ),
)
@LANG
@_described(
    "把 Word（.docx）、Excel（.xlsx）和 PDF 的表读成 perfdsl 源文件（.doc/.xls 经 LibreOffice）；"
    "有单元格放不下时退出码 1，文件读不了时 2。",
    "Import Word (.docx), Excel (.xlsx) and PDF tables as perfdsl source (.doc/.xls through "
    "LibreOffice); exit 1 when a cell could not be placed, 2 when a file cannot be read.",
)
def import_(
    files: Sequence[str],
    output: str | None,
    template: str | None,
    save_template: str | None,
    lang: str | None,
) -> None:
    from perfdsl.commands.import_ import run_import
    from perfdsl.config import lang_for

    sys.exit(run_import(files, output, template, lang_for(lang, output), save_template))


@main.command()
@click.argument("file")
@option(
    "--unit",
    default=None,
    metavar="UNIT",
    help=Help('单位："215101 天津市北辰区人民法院"。', 'The unit: "215101 天津市北辰区人民法院".'),
)
@option(
    "--year",
    default=None,
    metavar="YEAR",
    help=Help("预算年度（2025）。", "The budget year (2025)."),
)
@option(
    "--template",
    default=None,
    metavar="NAME",
    help=Help("模板（tianjin、mof2015……）。", "The template (tianjin, mof2015, …)."),
)
@option(
    "--project",
    "projects",
    multiple=True,
    metavar="NAME",
    help=Help(
        "要写的项目表（可重复）；FILE 已存在时加在末尾。",
        "A table to write (repeatable); with an existing FILE, added at its end.",
    ),
)
@LANG
@_described(
    "按模板写出 FILE，留好待填的地方（'-' 打印出来）；已有的 FILE 不会被覆盖：加 --project 时把"
    "项目表加进去。",
    "Write FILE from a template, ready to fill in ('-' prints it); an existing FILE is "
    "never overwritten: with --project, the tables are added to it.",
)
def new(
    file: str,
    unit: str | None,
    year: str | None,
    template: str | None,
    projects: Sequence[str],
    lang: str | None,
) -> None:
    from perfdsl.commands.new import run_new

    sys.exit(run_new(file, unit, year, template, projects, lang))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@option(
    "--format",
    "output_format",
    type=click.Choice(["table", "markdown", "json", "xlsx"]),
    default="table",
    show_default=True,
    help=Help(
        "格式：终端表格（table）、Markdown、JSON，或 Excel 工作簿（xlsx，需要 -o）。",
        "table for a terminal, markdown, json, or an Excel workbook (xlsx, needs -o).",
    ),
)
@option(
    "-o",
    "--output",
    default=None,
    metavar="FILE",
    help=Help("写到这个文件（默认标准输出）。", "Write to FILE (default: standard output)."),
)
@JOBS
@LANG
@_described(
    "汇总 PATHS（文件、目录、通配符）里所有单位的表：逐单位的预算、项目数、指标数和检查结果，"
    "按年度、资金来源、项目类别的金额（精确，同一金额单位），按一级、二级指标的条数。",
    "Sum up every unit's tables under PATHS (files, folders, globs): each unit's budget, "
    "projects, indicators and findings; amounts by year, fund source and project category "
    "(exact, in one money unit); indicators by 一级 and 二级.",
)
def summary(
    paths: Sequence[str], output_format: str, output: str | None, jobs: int | None, lang: str | None
) -> None:
    from perfdsl.commands.summary import run_summary
    from perfdsl.config import lang_for

    sys.exit(run_summary(list(paths), output_format, output, lang_for(lang, output), jobs))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@option(
    "--to",
    "to",
    type=click.Choice(["xlsx", "csv", "sqlite"]),
    required=True,
    help=Help(
        "导出格式：Excel 工作簿（xlsx）、一个目录里的三个 CSV 文件（csv）或 SQLite 数据库（sqlite）。",
        "Export format: an Excel workbook (xlsx), three CSV files in a folder (csv) or a "
        "SQLite database (sqlite).",
    ),
)
@option(
    "-o",
    "--out",
    "out",
    required=True,
    metavar="OUT",
    help=Help(
        "写到哪里：xlsx、sqlite 是一个文件（已有的会被整体替换），csv 是一个目录。",
        "Where to write: a file for xlsx and sqlite (an existing one is replaced whole), a "
        "folder for csv.",
    ),
)
@LANG
@_described(
    "把 PATHS（文件、目录、通配符）里所有单位的表导出为数据：每条指标、每个项目、每个单位一行，"
    "金额精确（按文件的金额单位，另有折合万元）；有错误的文件照样导出能读出的部分，退出码 1。",
    "Export every unit's tables under PATHS (files, folders, globs) as data: a row per "
    "indicator, per project and per unit, amounts exact (in the file's money unit and in "
    "万元); a file with errors is exported as far as it reads, with exit code 1.",
)
def export(paths: Sequence[str], to: str, out: str, lang: str | None) -> None:
    from perfdsl.commands.export import run_export

    sys.exit(run_export(list(paths), to, out, lang))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help=Help(
        "网站写到这个目录（整个替换；只能是空目录、新目录或以前生成的网站）。",
        "Folder to write the site to (replaced as a whole: an empty or new folder, or a "
        "site written before).",
    ),
)
@option(
    "--title",
    default=None,
    metavar="TEXT",
    help=Help(
        "索引页的标题（默认“<年度>项目支出绩效目标公开”）。",
        "The index page's title (default: “<年度>项目支出绩效目标公开”).",
    ),
)
@LANG
@_described(
    "把 PATHS（文件、目录、通配符）生成为部门预算公开网站，写到 DIR：index.html（各单位、各年度的"
    "预算和项目数，图表，离线搜索）和每个文件一页（2024/X.pdsl → DIR/2024/X.html）；有错误的文件"
    "不发布，退出码 1。",
    "Build the public disclosure site of PATHS (files, folders, globs) into DIR: index.html "
    "(every unit and year with its budget and projects, charts, offline search) and a page "
    "per file (2024/X.pdsl → DIR/2024/X.html); a file with errors is not published (exit 1).",
)
def site(paths: Sequence[str], out_dir: str, title: str | None, lang: str | None) -> None:
    from perfdsl.commands.site import run_site

    sys.exit(run_site(list(paths), out_dir, lang, title))


@main.command()
@_described(
    "显示 perfdsl 的版本，以及它用到的 Python 和库的版本（报告问题时附上）。",
    "Show perfdsl's version and those of Python and the libraries it uses (for a bug report).",
)
def version() -> None:
    from importlib import metadata

    click.echo(f"perfdsl {__version__}")
    click.echo(f"Python {sys.version.split()[0]} ({sys.platform})")
    for name in ("lark", "attrs", "click", "python-docx", "openpyxl", "pdfplumber"):
        try:
            click.echo(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            click.echo(f"{name} -")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_described(
    """把 .docx 打印成文字（标题、段落、表格行），给 `git diff` 用。

    每个仓库设置一次：

    \b
    echo '*.docx diff=docx' >> .gitattributes
    git config diff.docx.textconv 'perfdsl textconv'
    """,
    """Print a .docx as text (headings, paragraphs, table rows) for `git diff`.

    Set up once per repository:

    \b
    echo '*.docx diff=docx' >> .gitattributes
    git config diff.docx.textconv 'perfdsl textconv'
    """,
)
def textconv(file: str) -> None:
    from perfdsl.commands.textconv import run_textconv

    sys.exit(run_textconv(file))


if __name__ == "__main__":  # pragma: no cover
    main()

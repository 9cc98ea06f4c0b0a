"""``perfdsl build``: turn sources into the documents people publish (docx, HTML, PDF) and load (JSON).

Safety comes first, because the outputs are what a finance office publishes:

* A source with errors (from the front end or any check rule) writes nothing, unless
  ``--force``, and the outputs of the previous build stay as they were.
* All of a source's outputs are rendered in memory before any is written, so a renderer that
  fails leaves no half-updated set (a new docx beside an old JSON).
* All of a source's outputs are written as one transaction (:mod:`perfdsl.atomic`): staged in
  temporary files, then renamed over the old ones under a lock on the directory, with the old
  ones kept until every rename succeeded.  A full disk, a rename that fails half-way, a second
  build into the same directory or a ``kill -9`` never leaves a new docx beside an old JSON;
  what a killed build leaves behind is cleaned up by the next one.
* Same source, same bytes: the only instant an output carries comes from
  :func:`perfdsl.emit.timestamp.build_timestamp`, never the clock.

Exit codes: 0 every file built (warnings allowed); 1 some source had errors or failed to render
(the others are still built; with ``--force`` a source with errors is built and still counts as
1, as ``tsc`` does, so CI notices); 2 a usage or I/O problem (bad ``--to``, an unknown
``--template``, an invalid ``SOURCE_DATE_EPOCH``, an unreadable source, an output directory that
cannot be written).  No traceback reaches the user: anything unexpected is reported in a line.

The docx and HTML emitters (and python-docx) are imported only when those formats are asked
for, so ``perfdsl check`` and ``--help`` never pay for them.  The PDF is the docx printed by
LibreOffice (:mod:`perfdsl.emit.pdf`); without LibreOffice ``--to pdf`` is a usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
import click

from perfdsl import config as configuration
from perfdsl.ast import Document
from perfdsl.atomic import recover, write_all_atomic
from perfdsl.batch import ahead
from perfdsl.check.selection import SelectorError, compile_selection
from perfdsl.commands.common import is_io_failure, print_diagnostics
from perfdsl.diagnostics import Diagnostic, Msg, Severity
from perfdsl.emit.timestamp import TimestampError, build_timestamp, epoch_from_environment
from perfdsl.gcpause import between_files
from perfdsl.language import from_locale
from perfdsl.output import printable, say
from perfdsl.pipeline import Checked, CheckOptions, check_file
from perfdsl.standards.templates import TemplateError
from perfdsl.workspace import Source, WorkspaceError, expand

#: Every output format, in the order outputs are rendered and written.
FORMATS = ("docx", "json", "html", "pdf")
SUFFIXES = {"docx": ".docx", "json": ".json", "html": ".html", "pdf": ".pdf"}

Renderer = Callable[[Document, Any, datetime], bytes]


class UsageError(Exception):
    """A problem with the command line or the environment: nothing is built, exit 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def parse_formats(text: str) -> tuple[str, ...]:
    """``docx,json`` → ("docx", "json"), in :data:`FORMATS` order; ValueError names the bad one."""
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown or not asked:
        raise ValueError(
            f"unknown format {', '.join(unknown)!s}; choose from {', '.join(FORMATS)}"
            if unknown
            else f"no format given; choose from {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in asked)


@attrs.frozen
class Options:
    out_dir: Path
    formats: tuple[str, ...]
    #: ``--template``: print in this template instead of the source's own.
    template: str | None
    force: bool
    #: None: ``lang`` from perfdsl.toml, else Chinese.
    lang: str | None
    color: bool
    #: As for ``perfdsl check``: which framework and rules decide whether a source has errors.
    framework: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Each source's place in the tree the command line names (``2024/X.pdsl``): its
    #: outputs go to the same place under ``out_dir``.
    places: dict[str, PurePosixPath] = attrs.field(factory=dict)

    def target(self, path: str, fmt: str) -> Path:
        """Where a source's output in ``fmt`` goes: ``out_dir/2024/X.docx``."""
        place = self.places.get(path) or PurePosixPath(Path(path).name)
        return self.out_dir / Path(place.with_suffix(SUFFIXES[fmt]))


# --- reporting ---------------------------------------------------------------------------------


class Reporter:
    """Everything the command says goes to stderr, through here, so a progress bar stays tidy."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang or from_locale()
        self.bar_active = False

    def say(self, message: Msg) -> None:
        self.clear_line()
        say(message.get(self.lang))  # messages name sources and outputs: printable

    def clear_line(self) -> None:
        if self.bar_active:
            click.echo("\r\x1b[K", nl=False, err=True)


@contextmanager
def _progress(files: Sequence[str], reporter: Reporter) -> Iterator[Iterator[str]]:
    """A progress bar over ``files`` when stderr is a terminal and there is more than one."""
    if len(files) < 2 or sys.stderr is None or not sys.stderr.isatty():
        yield iter(files)
        return
    label = Msg("构建", "building").get(reporter.lang)
    with click.progressbar(
        files,
        label=label,
        file=click.get_text_stream("stderr"),
        item_show_func=lambda item: printable(item) if item is not None else None,
    ) as bar:
        reporter.bar_active = True
        try:
            yield iter(bar)
        finally:
            reporter.bar_active = False


# --- the command -------------------------------------------------------------------------------


def run_build(
    files: list[str],
    out_dir: str,
    formats: tuple[str, ...],
    template: str | None,
    force: bool,
    lang: str | None,
    color: bool,
    framework: str | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    name: str | None = None,
    jobs: int | None = None,
) -> int:
    """Build every file; return the exit code.  Never raises (bar KeyboardInterrupt).

    Sources are checked and rendered in ``jobs`` worker processes (None: every core; one for
    standard input), and reported and written here, one after another in the command line's
    order, each as one transaction: the same messages and files as one at a time."""
    reporter = Reporter(lang)
    try:
        sources = _named(expand(files), name)
    except WorkspaceError as exc:
        reporter.say(Msg(f"错误：{exc.message.zh}", f"error: {exc.message.en}"))
        return 2
    files = [source.path for source in sources]
    options = Options(
        Path(out_dir),
        formats,
        template,
        force,
        lang,
        color,
        framework,
        select,
        ignore,
        {source.path: source.relative for source in sources},
    )
    try:
        _prepare(files, options)
        status = 0
        built = written = 0
        workers = 1 if "-" in files else jobs  # (standard input is this process's own)
        made = ahead(_made_in_worker, [(path, options) for path in files], workers)
        with _progress(files, reporter) as items:
            for _path, one in zip(items, made, strict=True):
                code, outputs = _finish(one, options, reporter)
                status = max(status, code)
                built += bool(outputs)
                written += len(outputs)
        reporter.say(_summary(built, len(files), written))
        return status
    except UsageError as exc:
        reporter.say(Msg(f"错误：{exc.message.zh}", f"error: {exc.message.en}"))
        return 2
    except Exception as exc:  # a bug: say so in one line, never a traceback
        reporter.say(
            Msg(
                f"perfdsl 内部错误：{type(exc).__name__}: {exc}（请报告此问题）",
                f"perfdsl internal error: {type(exc).__name__}: {exc} (please report it)",
            )
        )
        return 2


def _named(sources: list[Source], name: str | None) -> list[Source]:
    """Standard input has no name to give its outputs: ``--name`` gives one (``-.docx`` is
    no document anyone can publish)."""
    if not any(s.path == "-" for s in sources):
        if name is not None:
            raise WorkspaceError(
                Msg(
                    "--name 只用于从标准输入（-）读入的源文件",
                    "--name is only for a source read from standard input (-)",
                )
            )
        return sources
    if name is None or not name.strip() or any(c in name for c in '/\\:*?"<>|'):
        raise WorkspaceError(
            Msg(
                "从标准输入（-）构建时要用 --name 给输出文件起名，如 --name 215101-北辰区法院",
                "building from standard input (-) needs --name for the outputs, such as "
                "--name 215101-court",
            )
        )
    if sum(s.path == "-" for s in sources) > 1:
        raise WorkspaceError(Msg("标准输入只能读一次", "standard input can be read only once"))
    return [
        Source(s.path, PurePosixPath(f"{name.strip()}.pdsl")) if s.path == "-" else s
        for s in sources
    ]


def _summary(built: int, total: int, written: int) -> Msg:
    failed = total - built
    zh = f"已构建 {built}/{total} 个源文件，写出 {written} 个文件"
    en = f"built {built} of {total} source file(s), wrote {written} file(s)"
    if failed:
        zh += f"；{failed} 个未构建"
        en += f"; {failed} not built"
    return Msg(zh, en)


def _prepare(files: Sequence[str], options: Options) -> None:
    """Check everything that does not depend on a source, so usage problems stop the run early."""
    try:
        epoch_from_environment()
    except TimestampError as exc:
        raise UsageError(exc.message) from None
    try:
        compile_selection(options.select, options.ignore)
    except SelectorError as exc:
        raise UsageError(exc.message) from None
    _check_collisions(files, options)
    if options.template is not None and _needs_layout(options.formats):
        _check_template(files, options.template)
    _renderers(options.formats)  # (here: a missing LibreOffice stops the run before any work)
    _prepare_out_dir(options.out_dir)


def _check_collisions(files: Sequence[str], options: Options) -> None:
    """Refuse a run whose outputs would overwrite each other or one of its own sources.

    Two sources with one stem (a/x.pdsl, b/x.pdsl) would write the same x.json; a source
    named x.json built into its own folder would be replaced by its output.
    """
    seen: dict[str, tuple[str, Path]] = {}
    sources = {_identity(Path(path)) for path in files}
    for path in files:
        # casefold: macOS and Windows folders ignore case
        key = str(options.target(path, "json").with_suffix("")).casefold()
        earlier = seen.get(key)
        if earlier is not None and earlier[1] != _identity(Path(path)):
            name = Path(key).name
            raise UsageError(
                Msg(
                    f"{earlier[0]} 和 {path} 会写出同名的输出（{name}.*），请分两次构建到不同目录",
                    f"{earlier[0]} and {path} would write the same outputs ({name}.*); "
                    "build them into different directories",
                )
            )
        seen[key] = (path, _identity(Path(path)))
        for fmt in options.formats:
            target = options.target(path, fmt)
            if _identity(target) in sources:
                raise UsageError(
                    Msg(
                        f"输出 {target} 会覆盖源文件，请换一个输出目录",
                        f"the output {target} would overwrite a source; choose another -o",
                    )
                )


def _identity(path: Path) -> Path:
    """One name per file however it was spelt (./a/x.pdsl, a/x.pdsl, a symlink to it)."""
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(
            Msg(f"输出目录 {out_dir} 不是目录", f"output directory {out_dir} is not a directory")
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(
            Msg(
                f"无法创建输出目录 {out_dir}：{reason}",
                f"cannot create the output directory {out_dir}: {reason}",
            )
        ) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(
            Msg(
                f"输出目录 {out_dir} 不可写，未写出任何文件",
                f"the output directory {out_dir} is not writable; nothing was written",
            )
        )
    recover(out_dir)  # what a killed build left: even if this run writes nothing


def _needs_layout(formats: tuple[str, ...]) -> bool:
    return any(fmt in formats for fmt in ("docx", "html", "pdf"))


def _renderers(formats: tuple[str, ...]) -> dict[str, Renderer]:
    """Import the emitters the run needs, and only those (python-docx is slow to import)."""
    renderers: dict[str, Renderer] = {}
    try:
        if "docx" in formats:
            from perfdsl.emit.docx import render_docx

            renderers["docx"] = render_docx
        if "html" in formats:
            from perfdsl.emit.html import render_html

            def html(
                document: Document, template: Any, timestamp: datetime, catalog: Any = None
            ) -> bytes:
                return render_html(document, template, timestamp, catalog).encode("utf-8")

            renderers["html"] = html
        if "pdf" in formats:
            from perfdsl.emit.pdf import PdfUnavailable, find_office, render_pdf

            try:
                find_office()  # before anything is built: a machine without LibreOffice
            except PdfUnavailable as exc:
                raise UsageError(exc.message) from None
            renderers["pdf"] = render_pdf
    except ImportError as exc:
        raise UsageError(
            Msg(
                f"此安装无法生成所要求的格式：{exc}",
                f"this installation cannot write the requested format: {exc}",
            )
        ) from None
    return renderers


def _check_template(files: Sequence[str], name: str) -> None:
    """``--template`` must name a template every source can use: a usage error, exit 2."""
    for path in files:
        try:
            catalog = configuration.for_file(path).catalog(path)
        except (configuration.ConfigError, TemplateError):
            continue  # reported with the source
        if catalog.find(name) is None:
            known = ", ".join(catalog.known())
            raise UsageError(
                Msg(
                    f"没有名为 `{name}` 的模板（可用：{known}）",
                    f"there is no template `{name}` (known: {known})",
                )
            )


def _template(checked: Checked, name: str | None) -> Any:
    """The template the document prints in: ``--template`` if given, else its own."""
    if name is not None and checked.catalog.find(name) is None:
        known = ", ".join(checked.catalog.known())
        raise UsageError(
            Msg(
                f"没有名为 `{name}` 的模板（可用：{known}）",
                f"there is no template `{name}` (known: {known})",
            )
        )
    return checked.template(name)


# --- one source ----------------------------------------------------------------------------------


@attrs.frozen
class _Made:
    """One source checked and rendered, ready to be reported and written: what a worker
    process sends back (no AST, only what the report and the write need)."""

    path: str
    lang: str
    status: int = 0  # 0, or the exit status when nothing is to be written
    shown: tuple[Diagnostic, ...] = ()  # the errors, in full
    sources: dict[str, list[str] | None] = attrs.field(factory=dict)
    errors: int = 0
    warnings: int = 0
    #: Why nothing is written (the source's own words), or None.
    refusal: Msg | None = None
    outputs: tuple[tuple[Path, bytes], ...] = ()


def _make(path: str, options: Options) -> _Made:
    """Check and render one source, in memory (a worker's part of a build)."""
    lang = options.lang or from_locale()
    try:
        checked = check_file(
            path,
            CheckOptions(framework=options.framework, select=options.select, ignore=options.ignore),
        )
    except configuration.ConfigError as exc:
        return _Made(
            path,
            lang,
            2,
            refusal=Msg(
                f"{path}：{exc.message.zh}，未写出任何文件",
                f"{path}: {exc.message.en}; nothing was written",
            ),
        )
    lang = options.lang or checked.config.lang or from_locale()
    loaded, diagnostics = checked.loaded, checked.diagnostics
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    # Errors in full: they say why nothing was written.  Warnings do not stop a build and a
    # batch can have hundreds, so the build counts them and ``perfdsl check`` shows them.
    shown = tuple(d for d in diagnostics if d.severity is Severity.ERROR)
    made = _Made(path, lang, 0, shown, checked.sources if shown else {}, errors, warnings)
    kept = _kept(options.out_dir)
    if is_io_failure(loaded):
        refusal = Msg(
            f"{path}：无法读取，未写出任何文件", f"{path}: unreadable; nothing was written"
        )
        return attrs.evolve(made, status=2, refusal=refusal)
    if loaded.document is None:
        refusal = Msg(
            f"{path}：无法解析，未写出任何文件{kept.zh}",
            f"{path}: cannot be read as perfdsl; nothing was written{kept.en}",
        )
        return attrs.evolve(made, status=1, refusal=refusal)
    if errors and not options.force:
        refusal = Msg(
            f"{path}：有 {errors} 个错误，未写出任何文件{kept.zh}。请修正后重新构建，"
            "或用 --force 强制生成",
            f"{path}: {errors} error(s), so nothing was written{kept.en}. Fix them and "
            "build again, or use --force",
        )
        return attrs.evolve(made, status=1, refusal=refusal)
    try:
        outputs = _render(path, checked, options, _renderers(options.formats))
    except UsageError as exc:  # --template names a template that does not exist
        refusal = Msg(
            f"{path}：{exc.message.zh}，未写出任何文件{kept.zh}",
            f"{path}: {exc.message.en}; nothing was written{kept.en}",
        )
        return attrs.evolve(made, status=1, refusal=refusal)
    except _RenderFailure as failure:
        return attrs.evolve(made, status=1, refusal=failure.message(path, kept))
    return attrs.evolve(made, outputs=tuple(outputs))


def _made_in_worker(path: str, options: Options) -> _Made:
    made = _make(path, options)
    between_files()
    return made


def _finish(made: _Made, options: Options, reporter: Reporter) -> tuple[int, list[Path]]:
    """Report one source and write its outputs as one transaction; (exit status, written)."""
    path = made.path
    reporter.lang = made.lang
    if made.shown:
        reporter.clear_line()
        print_diagnostics(list(made.shown), made.sources, reporter.lang, color=options.color)
    if made.warnings:
        reporter.say(
            Msg(
                f"{path}：{made.warnings} 个警告（运行 perfdsl check {path} 查看）",
                f"{path}: {made.warnings} warning(s) (run perfdsl check {path} to see them)",
            )
        )
    if made.refusal is not None:
        reporter.say(made.refusal)
        return made.status, []
    outputs = list(made.outputs)
    kept = _kept(options.out_dir)
    try:
        write_all_atomic(outputs)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        reporter.say(
            Msg(
                f"{path}：无法写入 {exc.filename or out_dir_of(outputs)}：{reason}，未写出任何文件{kept.zh}",
                f"{path}: cannot write {exc.filename or out_dir_of(outputs)}: {reason}; "
                f"nothing was written{kept.en}",
            )
        )
        return 2, []
    written = [target for target, _data in outputs]
    for target in written:
        reporter.say(Msg(f"已写出 {target}", f"wrote {target}"))
    if made.errors:
        reporter.say(
            Msg(
                f"{path}：有 {made.errors} 个错误，已按 --force 强制生成",
                f"{path}: {made.errors} error(s); built anyway because of --force",
            )
        )
        return 1, written
    return 0, written


def out_dir_of(outputs: list[tuple[Path, bytes]]) -> str:
    return str(outputs[0][0].parent) if outputs else "."


def _kept(out_dir: Path) -> Msg:
    return Msg(
        f"（{out_dir} 中原有的输出保持不变）",
        f" (previous outputs in {out_dir} are left as they were)",
    )


class _RenderFailure(Exception):
    def __init__(self, fmt: str, exc: Exception) -> None:
        super().__init__(fmt)
        self.fmt = fmt
        self.exc = exc

    def message(self, path: str, kept: Msg) -> Msg:
        said = getattr(self.exc, "message", None)
        if self.fmt == "pdf" and isinstance(said, Msg):  # LibreOffice failed, not perfdsl
            return Msg(
                f"{path}：{said.zh}，该文件的所有输出均未写出{kept.zh}",
                f"{path}: {said.en}, so none of its outputs were written{kept.en}",
            )
        what = f"{type(self.exc).__name__}: {self.exc}"
        return Msg(
            f"{path}：生成 {self.fmt} 时出错（{what}），该文件的所有输出均未写出{kept.zh}；"
            "这是 perfdsl 的缺陷，请报告",
            f"{path}: rendering {self.fmt} failed ({what}), so none of its outputs were "
            f"written{kept.en}; this is a bug in perfdsl, please report it",
        )


def _render(
    path: str, checked: Checked, options: Options, renderers: dict[str, Renderer]
) -> list[tuple[Path, bytes]]:
    """Every requested output of one source, in memory: all of them or (by raising) none."""
    document = checked.loaded.document
    assert document is not None
    timestamp = build_timestamp(document)
    template = None
    if _needs_layout(options.formats):
        template = _template(checked, options.template)
    outputs: list[tuple[Path, bytes]] = []
    rendered: dict[str, bytes] = {}
    for fmt in options.formats:
        try:
            if fmt == "json":
                from perfdsl.emit.json import render_json

                data = render_json(document, path).encode("utf-8")
            elif fmt == "pdf" and "docx" in rendered:  # the PDF is this very docx, printed
                from perfdsl.emit.pdf import docx_to_pdf

                data = docx_to_pdf(rendered["docx"], timestamp)
            else:
                data = renderers[fmt](document, template, timestamp, checked.catalog)
        except Exception as exc:
            raise _RenderFailure(fmt, exc) from exc
        rendered[fmt] = data
        outputs.append((options.target(path, fmt), data))
    return outputs

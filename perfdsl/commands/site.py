"""``perfdsl site PATH... -o DIR``: the department's public disclosure site (部门预算公开).

DIR gets ``index.html`` (every unit and year, its budget in 万元, exact; charts; a search that
works offline), ``search.js`` (the search's index) and one page per source at its place in the
tree (``2024/X.pdsl`` → ``DIR/2024/X.html``): the page ``perfdsl build --to html`` writes,
with a link back to the index.  See docs/site.md.

* A source with errors is not published: its errors are printed, it is left out of the site
  and the run exits 1; the rest is published.
* A path that names nothing (or a file that cannot be read) is a usage problem: nothing is
  written, the previous site stays, exit 2.  So is a DIR that is a file, cannot be written,
  or holds files that are not a site this command wrote (the site replaces DIR as a whole).
* The site is built in full beside DIR and swapped in at the end (:mod:`perfdsl.site.publish`):
  a run that fails leaves the previous site as it was.
* Same sources, same bytes: the only instant a page carries is
  :func:`perfdsl.emit.timestamp.build_timestamp`'s; the site's words are Chinese whatever
  ``--lang`` (which chooses the language of messages, as for every command) or the locale.

Exit codes: 0 every source published (warnings allowed); 1 some source had errors and was left
out; 2 a usage or I/O problem (nothing written).  Never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath

from perfdsl import config as configuration
from perfdsl.baseline import BaselineError
from perfdsl.diagnostics import Msg, Severity
from perfdsl.load import READ_FAILURES
from perfdsl.output import say
from perfdsl.workspace import WorkspaceError, expand

#: Files of the site's own at its top: a source may not take their names.
RESERVED = ("index.html", "search.js")


class _Stop(Exception):
    """Stop the run, write nothing, exit 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


def run_site(paths: Sequence[str], out_dir: str, lang: str | None, title: str | None) -> int:
    """Build the site of every file ``paths`` name into ``out_dir``; return the exit code."""
    from perfdsl.config import lang_for

    language = lang_for(lang, next((p for p in paths if p != "-"), None))

    def tell(message: Msg) -> None:
        say(message.get(language))

    try:
        return _run(paths, Path(out_dir), title, language, tell)
    except _Stop as exc:
        tell(Msg(f"错误：{exc.message.zh}", f"error: {exc.message.en}"))
        return 2
    except Exception as exc:  # a defect: one line, never a traceback; nothing was swapped in
        tell(
            Msg(
                f"perfdsl 内部错误：{type(exc).__name__}: {exc}（请报告此问题）；原有网站保持不变",
                f"perfdsl internal error: {type(exc).__name__}: {exc} (please report it); "
                "the previous site is left as it was",
            )
        )
        return 2


def _preflight(paths: Sequence[str], title: str | None) -> None:
    """What does not need the sources read: the environment, the paths, the pages' names."""
    from perfdsl.emit.timestamp import TimestampError, epoch_from_environment

    try:
        epoch_from_environment()
    except TimestampError as exc:
        raise _Stop(exc.message) from None
    if title is not None and not title.strip():
        raise _Stop(Msg("--title 不能为空", "--title cannot be empty"))
    try:
        sources = expand(paths)
    except WorkspaceError as exc:
        raise _Stop(exc.message) from None
    seen: dict[str, str] = {}
    for source in sources:
        if source.path == "-":
            raise _Stop(
                Msg(
                    "perfdsl site 不从标准输入（-）读：请给出文件或目录",
                    "perfdsl site does not read standard input (-): name files or folders",
                )
            )
        page = source.relative.with_suffix(".html").as_posix()
        if page in RESERVED:
            raise _Stop(
                Msg(
                    f"{source.path} 的页面 {page} 会和网站自己的 {page} 同名，请给源文件改名",
                    f"the page of {source.path} ({page}) would take the name of the site's own "
                    f"{page}; rename the source",
                )
            )
        key = page.casefold()  # macOS and Windows folders ignore case
        if key in seen:
            raise _Stop(
                Msg(
                    f"{seen[key]} 和 {source.path} 会写出同名的页面（{page}）",
                    f"{seen[key]} and {source.path} would write the same page ({page})",
                )
            )
        seen[key] = source.path


def _run(
    paths: Sequence[str],
    out_dir: Path,
    title: str | None,
    language: str,
    tell: Callable[[Msg], None],
) -> int:
    from perfdsl.collect import collect
    from perfdsl.commands.common import print_diagnostics
    from perfdsl.emit.timestamp import build_timestamp
    from perfdsl.site.entries import Entry, entry_of
    from perfdsl.site.index import default_title, index_html, ordered
    from perfdsl.site.pages import unit_page
    from perfdsl.site.publish import PublishError, staged
    from perfdsl.site.search import search_js

    _preflight(paths, title)
    kept = Msg(f"（{out_dir} 原有的网站保持不变）", f" (the previous site in {out_dir} is kept)")
    color = sys.stderr is not None and sys.stderr.isatty()
    status = 0
    total = 0
    entries: list[Entry] = []
    latest: datetime | None = None
    try:
        with staged(out_dir) as stage:
            try:
                for unit in collect(paths):
                    total += 1
                    errors = [d for d in unit.diagnostics if d.severity is Severity.ERROR]
                    if unit.document is None and any(d.code in READ_FAILURES for d in errors):
                        print_diagnostics(errors, {unit.path: unit.lines}, language, color=color)
                        raise _Stop(
                            Msg(
                                f"无法读取 {unit.path}，未写出网站{kept.zh}",
                                f"cannot read {unit.path}, so no site was written{kept.en}",
                            )
                        )
                    if errors:
                        print_diagnostics(errors, {unit.path: unit.lines}, language, color=color)
                    if unit.warnings:
                        tell(
                            Msg(
                                f"{unit.path}：{unit.warnings} 个警告（运行 perfdsl check "
                                f"{unit.path} 查看）",
                                f"{unit.path}: {unit.warnings} warning(s) (run perfdsl check "
                                f"{unit.path} to see them)",
                            )
                        )
                    if unit.document is None or unit.template is None or errors:
                        why = (
                            Msg("无法解析", "cannot be read as perfdsl")
                            if unit.document is None
                            else Msg(f"有 {len(errors)} 个错误", f"{len(errors)} error(s)")
                        )
                        tell(
                            Msg(
                                f"{unit.path}：{why.zh}，未发布（网站上没有这个文件的页面）",
                                f"{unit.path}: {why.en}, so it is not published (the site has "
                                "no page for it)",
                            )
                        )
                        status = 1
                        continue
                    stamp = build_timestamp(unit.document)
                    latest = stamp if latest is None else max(latest, stamp)
                    page = unit.relative.with_suffix(".html")
                    stage.write(
                        page,
                        unit_page(unit.document, unit.template, stamp, unit.catalog, page),
                    )
                    entries.append(
                        entry_of(
                            unit.relative,
                            unit.document,
                            unit.template,
                            unit.unit_name,
                            unit.unit_code,
                            unit.year,
                        )
                    )
            except (configuration.ConfigError, BaselineError) as exc:
                raise _Stop(
                    Msg(f"{exc.message.zh}{kept.zh}", f"{exc.message.en}{kept.en}")
                ) from None
            if not entries:
                tell(
                    Msg(
                        f"没有可以发布的文件，未写出网站{kept.zh}",
                        f"no file can be published, so no site was written{kept.en}",
                    )
                )
                return max(status, 1)
            entries = ordered(entries)
            assert latest is not None
            stage.write(
                PurePosixPath("index.html"),
                index_html(entries, title.strip() if title else default_title(entries), latest),
            )
            stage.write(PurePosixPath("search.js"), search_js(entries))
            pages = stage.count
            stage.commit()
    except PublishError as exc:
        raise _Stop(exc.message) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = exc.filename or out_dir
        raise _Stop(
            Msg(
                f"无法写入 {where}：{reason}，未写出网站{kept.zh}",
                f"cannot write {where}: {reason}, so no site was written{kept.en}",
            )
        ) from None
    left_out = total - len(entries)
    zh = f"已发布 {len(entries)}/{total} 个源文件到 {out_dir}（{pages} 个文件）"
    en = f"published {len(entries)} of {total} source file(s) to {out_dir} ({pages} files)"
    if left_out:
        zh += f"；{left_out} 个有错误，未发布"
        en += f"; {left_out} with errors not published"
    tell(Msg(zh, en))
    return status

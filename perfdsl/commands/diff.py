"""``perfdsl diff``: what changed between two versions of a file, for a reviewer.

The ways to name what to compare, as git users expect::

    perfdsl diff OLD.pdsl NEW.pdsl         two files (also: a git difftool, with temp files)
    perfdsl diff OLD_DIR NEW_DIR           every .pdsl of two folders, paired by path
    perfdsl diff REV [--] FILE             FILE at REV against the working tree
    perfdsl diff REV1 REV2 [--] FILE       FILE at REV1 against FILE at REV2
    perfdsl diff [--] FILE                 FILE at HEAD against the working tree
    perfdsl diff REV [REV] [[--] PATH...]  a whole change: every .pdsl that differs (under
                                           PATH, a folder or files), added, removed, renamed

Without ``--``, what exists on disk is a path and what comes before it a revision, as git
reads them; a file that no longer exists must come after ``--``.  A whole change prints a
line per file (what happened to it, its changes, its budgets before and after) and the
change's money in all (:mod:`perfdsl.diff.render_changeset`).

A version that does not exist (the file was added or deleted between the revisions, or git
difftool passes /dev/null) is an empty document, so everything in the other one shows as
added or removed.  A version that does not parse is reported with its diagnostics, exit 2.

Exit codes: 0 (or, with ``--exit-code``, 0 no changes and 1 changes), 2 usage, I/O, git or
parse errors.  No traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import attrs
import click

from perfdsl import ast, limits
from perfdsl import config as configuration
from perfdsl.commands.common import load, print_diagnostics
from perfdsl.diagnostics import Msg
from perfdsl.diff import changeset
from perfdsl.diff.gitrev import GitError, is_revision, locate, read, toplevel
from perfdsl.diff.model import diff_documents
from perfdsl.diff.render import render_json, render_markdown, render_text
from perfdsl.load import Loaded, load_bytes
from perfdsl.output import say
from perfdsl.source import too_large
from perfdsl.standards.templates import Catalog, TemplateError, catalog, for_document
from perfdsl.totals import budget_total
from perfdsl.workspace import WorkspaceError

#: What a missing version compares as: no header, no projects.
EMPTY = ast.Document(header=ast.Header(None, None, None, None), projects=())

FORMATS = ("text", "markdown", "json")


class UsageError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


@attrs.frozen
class Version:
    """One side of the comparison: its name in messages, and its document."""

    name: str
    loaded: Loaded | None  # None: the file does not exist in that version

    @property
    def document(self) -> ast.Document:
        if self.loaded is None or self.loaded.document is None:
            return EMPTY
        return self.loaded.document


@attrs.frozen
class DiffOptions:
    output_format: str = "text"
    exit_code: bool = False
    lang: str = "zh"
    color: bool = False


_USAGE = Msg(
    "用法：perfdsl diff 旧文件 新文件，perfdsl diff 旧目录 新目录，"
    "或 perfdsl diff [版本 [版本]] [--] [路径…]",
    "usage: perfdsl diff OLD NEW, perfdsl diff OLD_DIR NEW_DIR, "
    "or perfdsl diff [REV [REV]] [--] [PATH...]",
)


def _is_empty(loaded: Loaded) -> bool:
    return loaded.source is not None and not loaded.source.text.strip()


def _catalog(path: str) -> Catalog:
    """The templates a file at ``path`` can name (a broken configuration: the built-in ones,
    and ``check`` says what is wrong with it)."""
    try:
        return configuration.for_file(path).catalog(path)
    except (configuration.ConfigError, TemplateError):
        return catalog()


def _from_file(path: str) -> Version:
    loaded = load(path, _catalog(path))
    # /dev/null from git difftool, or a file emptied on purpose: nothing, not a broken header.
    return Version(loaded.path, None if _is_empty(loaded) else loaded)


def _from_worktree(file: str, lang: str) -> Version:
    """The working tree's side of a revision diff: a deleted file is an empty one, as in git."""
    if not os.path.lexists(file):
        _note(
            Msg(
                f"注意：工作区中没有 {file}，按空文件比较",
                f"note: {file} does not exist in the working tree; comparing with nothing",
            ),
            lang,
        )
        return Version(file, None)
    return _from_file(file)


def _note(message: Msg, lang: str) -> None:
    say(message.get(lang))


def _from_revision(file: str, revision: str, lang: str) -> Version:
    located = locate(file)
    name = f"{revision}:{located.path}"
    try:
        data = read(located, revision)
    except limits.TooLarge as exc:  # reported like a file that size, as PD0004
        return Version(name, Loaded(name, None, None, (too_large(name, exc),)))
    if data is None:
        _note(
            Msg(
                f"注意：{revision} 中没有 {located.path}，按空文件比较",
                f"note: {located.path} does not exist at {revision}; comparing with nothing",
            ),
            lang,
        )
        return Version(name, None)
    loaded = load_bytes(data, name, _catalog(file))
    return Version(name, None if _is_empty(loaded) else loaded)


def _is_file(arg: str) -> bool:
    """A file to compare as it is: not a folder (``-`` standard input, /dev/null from git
    difftool, a FIFO or a device, whose reading stops at the size limit)."""
    return arg in ("-", os.devnull) or (os.path.exists(arg) and not os.path.isdir(arg))


def _split(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Revisions and paths of a command line without ``--``, as git tells them apart: what
    exists on disk is a path (and so is everything after it), what comes before is a
    revision, which must be one."""
    at = next((i for i, arg in enumerate(args) if os.path.lexists(arg)), len(args))
    revisions, paths = list(args[:at]), list(args[at:])
    root = toplevel() if revisions else None
    for revision in revisions:
        if root is None or not is_revision(root, revision):
            raise UsageError(
                Msg(
                    f"{revision} 既不是版本也不是文件（已删除的文件请写在 -- 之后：perfdsl diff "
                    f"版本 -- {revision}）",
                    f"{revision} is neither a revision nor a file (name a deleted file after "
                    f"--: perfdsl diff REV -- {revision})",
                )
            )
    return revisions, paths


def plan(
    args: Sequence[str], after: Sequence[str] | None, lang: str
) -> tuple[Version, Version] | list[changeset.Pair]:
    """What the command line asks to compare (see the module docstring): two versions of
    one file, or the files of a whole change."""
    if after is None:
        if len(args) == 2 and _is_file(args[0]) and not os.path.isdir(args[1]):
            return _from_file(args[0]), _from_file(args[1])  # (a missing NEW is PD0001)
        if len(args) == 2 and all(os.path.isdir(a) for a in args):
            return changeset.from_folders(args[0], args[1])
        revisions, paths = _split(args)
    else:
        if not args and len(after) == 2 and all(_is_file(a) for a in after):
            return _from_file(after[0]), _from_file(after[1])  # "--" only ended the options
        revisions, paths = list(args), list(after)
    if len(revisions) > 2:
        raise UsageError(_USAGE)
    old_rev = revisions[0] if revisions else "HEAD"
    new_rev = revisions[1] if len(revisions) == 2 else None
    if len(paths) == 1 and not os.path.isdir(paths[0]):
        file = paths[0]
        old = _from_revision(file, old_rev, lang)
        new = _from_worktree(file, lang) if new_rev is None else _from_revision(file, new_rev, lang)
        return old, new
    if paths:
        located = [locate(path) for path in paths]
        root = located[0].root
        if any(place.root != root for place in located):
            raise UsageError(
                Msg("这些路径不在同一个 git 仓库里", "the paths are in different repositories")
            )
        specs = list(dict.fromkeys(place.path for place in located))
    else:
        found = toplevel()
        if found is None:
            raise GitError(
                Msg("当前目录不在 git 仓库里", "the current folder is not inside a git repository")
            )
        root, specs = found, []
    return changeset.from_git(root, old_rev, new_rev, specs)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _broken(version: Version) -> bool:
    return version.loaded is not None and not version.loaded.ok


def _report_broken(version: Version, options: DiffOptions) -> None:
    loaded = version.loaded
    assert loaded is not None
    print_diagnostics(
        list(loaded.diagnostics), {loaded.path: loaded.lines}, options.lang, color=options.color
    )
    say(
        Msg(
            f"{version.name}：有错误，无法比较",
            f"{version.name}: has errors, cannot compare",
        ).get(options.lang)
    )


def _diff_one(old: Version, new: Version, options: DiffOptions) -> int:
    broken = [v for v in (old, new) if _broken(v)]
    for version in broken:
        _report_broken(version, options)
    if broken:
        return 2
    if old.loaded is None and new.loaded is None:
        raise UsageError(
            Msg(
                f"{old.name} 和 {new.name} 都不存在或是空的，没有可比较的内容",
                f"neither {old.name} nor {new.name} exists or has content: nothing to compare",
            )
        )
    template = for_document(new.document, _catalog(new.name))
    changes = diff_documents(old.document, new.document, template)
    if options.output_format == "json":
        output = render_json(changes, old.name, new.name)
    elif options.output_format == "markdown":
        output = render_markdown(changes, options.lang, old.name, new.name)
    else:
        output = render_text(changes, options.lang, color=options.color)
    click.echo(output, nl=False)
    return 1 if changes and options.exit_code else 0


def _side(side: changeset.Side | None) -> Version:
    """One version of a file of a change, read from git or from disk."""
    if side is None:
        return Version("", None)
    if side.revision is None:
        version = _from_file(side.path)
        return attrs.evolve(version, name=side.name)
    assert side.located is not None
    try:
        data = read(side.located, side.revision)
    except limits.TooLarge as exc:
        return Version(side.name, Loaded(side.name, None, None, (too_large(side.name, exc),)))
    if data is None:
        return Version(side.name, None)
    loaded = load_bytes(data, side.name, _catalog(side.path))
    return Version(side.name, None if _is_empty(loaded) else loaded)


def _file_diff(pair: changeset.Pair, options: DiffOptions) -> changeset.FileDiff | None:
    """One file's changes; None (its diagnostics printed) when a version does not parse."""
    old, new = _side(pair.old), _side(pair.new)
    broken = [v for v in (old, new) if _broken(v)]
    for version in broken:
        _report_broken(version, options)
    if broken:
        return None
    where = (pair.new or pair.old).path  # type: ignore[union-attr]
    newest = new.document if new.loaded is not None else old.document
    template = for_document(newest, _catalog(where))
    changes = diff_documents(old.document, new.document, template)
    unit = newest.header.unit
    return changeset.FileDiff(
        pair,
        changes,
        unit,
        budget_total(old.document, unit) if old.loaded is not None else None,
        budget_total(new.document, unit) if new.loaded is not None else None,
    )


def _diff_many(pairs: list[changeset.Pair], options: DiffOptions) -> int:
    from perfdsl.diff import render_changeset as show

    files: list[changeset.FileDiff] = []
    broken = False
    for pair in pairs:
        found = _file_diff(pair, options)
        if found is None:
            broken = True
        elif found.changes or pair.status in (changeset.MODIFIED, changeset.RENAMED):
            files.append(found)
    if options.output_format == "json":
        output = show.render_changeset_json(files)
    elif options.output_format == "markdown":
        output = show.render_changeset_markdown(files, options.lang)
    else:
        output = show.render_changeset_text(files, options.lang, color=options.color)
    click.echo(output, nl=False)
    if broken:
        return 2
    return 1 if options.exit_code and any(f.changes for f in files) else 0


def run_diff(args: Sequence[str], after: Sequence[str] | None, options: DiffOptions) -> int:
    """Print the changes; return the exit code.  Never raises (bar KeyboardInterrupt)."""
    lang = options.lang
    try:
        planned = plan(args, after, lang)
        if isinstance(planned, list):
            return _diff_many(planned, options)
        return _diff_one(*planned, options)
    except BrokenPipeError:
        # The reader (head, a closed pager) went away: nothing is wrong, stop quietly.
        _silence_stdout()
        return 0
    except (UsageError, GitError, WorkspaceError) as exc:
        say(f"perfdsl diff: {exc.message.get(lang)}")  # names files, revisions, git's words
        return 2
    except Exception as exc:  # a bug: say so in one line, never a traceback
        say(
            Msg(
                f"perfdsl 内部错误：{type(exc).__name__}: {exc}（请报告此问题）",
                f"perfdsl internal error: {type(exc).__name__}: {exc} (please report it)",
            ).get(lang)
        )
        return 2

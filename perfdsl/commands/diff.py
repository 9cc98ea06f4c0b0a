"""``perfdsl diff``: what changed between two versions of a file, for a reviewer.

Three ways to name the two versions, as git users expect::

    perfdsl diff OLD.pdsl NEW.pdsl         two files (also: a git difftool, with temp files)
    perfdsl diff REV -- FILE               FILE at REV against the working tree
    perfdsl diff REV1 REV2 -- FILE         FILE at REV1 against FILE at REV2
    perfdsl diff -- FILE                   FILE at HEAD against the working tree

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
from perfdsl.diff.gitrev import GitError, locate, read
from perfdsl.diff.model import diff_documents
from perfdsl.diff.render import render_json, render_markdown, render_text
from perfdsl.load import Loaded, load_bytes
from perfdsl.output import say
from perfdsl.source import too_large
from perfdsl.standards.templates import Catalog, TemplateError, catalog, for_document

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
    "用法：perfdsl diff 旧文件 新文件，或 perfdsl diff 版本 [版本] -- 文件",
    "usage: perfdsl diff OLD NEW, or perfdsl diff REV [REV] -- FILE",
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


def versions(
    args: Sequence[str], after: Sequence[str] | None, lang: str
) -> tuple[Version, Version]:
    """The two versions the command line names (see the module docstring)."""
    if after is None:
        if len(args) != 2:
            raise UsageError(_USAGE)
        return _from_file(args[0]), _from_file(args[1])
    if not args:
        if len(after) == 2:  # ``perfdsl diff -- OLD NEW``: "--" only ended the options
            return _from_file(after[0]), _from_file(after[1])
        if len(after) == 1:
            return _from_revision(after[0], "HEAD", lang), _from_worktree(after[0], lang)
        raise UsageError(_USAGE)
    if len(after) != 1 or len(args) > 2:
        raise UsageError(_USAGE)
    file = after[0]
    old = _from_revision(file, args[0], lang)
    new = _from_revision(file, args[1], lang) if len(args) == 2 else _from_worktree(file, lang)
    return old, new


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _broken(version: Version) -> bool:
    return version.loaded is not None and not version.loaded.ok


def run_diff(args: Sequence[str], after: Sequence[str] | None, options: DiffOptions) -> int:
    """Print the changes; return the exit code.  Never raises (bar KeyboardInterrupt)."""
    lang = options.lang
    try:
        old, new = versions(args, after, lang)
        broken = [v for v in (old, new) if _broken(v)]
        for version in broken:
            assert version.loaded is not None
            loaded = version.loaded
            print_diagnostics(
                list(loaded.diagnostics), {loaded.path: loaded.lines}, lang, color=options.color
            )
            say(
                Msg(
                    f"{version.name}：有错误，无法比较",
                    f"{version.name}: has errors, cannot compare",
                ).get(lang)
            )
        if broken:
            return 2
        if old.loaded is None and new.loaded is None:
            raise UsageError(
                Msg(
                    f"{old.name} 和 {new.name} 都不存在或是空的，没有可比较的内容",
                    f"neither {old.name} nor {new.name} exists or has content: nothing to compare",
                )
            )
        newest = new.document or old.document
        template = for_document(newest, _catalog(new.name)) if newest is not None else None
        changes = diff_documents(old.document, new.document, template)
        if options.output_format == "json":
            output = render_json(changes, old.name, new.name)
        elif options.output_format == "markdown":
            output = render_markdown(changes, lang, old.name, new.name)
        else:
            output = render_text(changes, lang, color=options.color)
        click.echo(output, nl=False)
        return 1 if changes and options.exit_code else 0
    except BrokenPipeError:
        # The reader (head, a closed pager) went away: nothing is wrong, stop quietly.
        _silence_stdout()
        return 0
    except (UsageError, GitError) as exc:
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

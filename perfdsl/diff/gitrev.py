"""Read a file as it was at a git revision, for ``perfdsl diff REV [REV] -- FILE``.

git is run as a subprocess (``git show REV:path``), the way a person would, so whatever git
understands as a revision works here too (``HEAD~1``, ``origin/main``, a tag, a hash).  The
path is resolved against the repository's top level, so the command works from any
directory inside the repository.  Every failure becomes a :class:`GitError` with a message
in both languages; the command prints it and exits 2, never with a traceback.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from pathlib import Path

import attrs

from perfdsl import limits
from perfdsl.diagnostics import Msg

#: Seconds any one git command may take before it is stopped.
TIMEOUT = 120


class GitError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


@attrs.frozen
class Located:
    """A file inside a repository: the repository's top level and the path from there."""

    root: Path
    path: str  # relative to root, with forward slashes, as git names it


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _cannot_run(exc: Exception) -> GitError:
    if isinstance(exc, FileNotFoundError):
        return GitError(Msg("找不到 git 命令：请先安装 git", "git is not installed"))
    return GitError(Msg(f"无法运行 git：{exc}", f"cannot run git: {exc}"))


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """A git command whose output is small (a path, a listing, nothing)."""
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, env=_env(), check=False, timeout=TIMEOUT
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _cannot_run(exc) from None


def _run_bounded(args: list[str], cwd: Path, limit: int) -> subprocess.CompletedProcess[bytes]:
    """A git command whose output is a file: read as it comes, and stopped (TooLarge) once it
    passes ``limit`` bytes, so a huge blob never has to fit in memory.

    stderr goes to a temporary file rather than a pipe: a pipe nobody reads while stdout is
    being read could fill up and stall git.
    """
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                ["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=errors, env=_env()
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise _cannot_run(exc) from None
        timer = threading.Timer(TIMEOUT, process.kill)
        timer.start()
        try:
            assert process.stdout is not None
            with process.stdout:
                try:
                    output = limits.read_bounded(process.stdout, limit, " ".join(args))
                except limits.TooLarge:
                    process.kill()
                    raise
                finally:
                    process.wait()
        finally:
            timer.cancel()
        errors.seek(0)
        said = errors.read(64 * 1024)  # git's own message: a line or two
    return subprocess.CompletedProcess(args, process.returncode, output, said)


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's own last words, for the end of our message."""
    text = result.stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[-1] if text else f"git exited with {result.returncode}"


def _existing_dir(path: Path) -> Path:
    for candidate in (path.parent, *path.parent.parents):
        if candidate.is_dir():
            return candidate
    return Path.cwd()


def locate(file: str) -> Located:
    """Which repository ``file`` is in, and its path there.  The file need not exist now."""
    target = Path(file)
    if not target.is_absolute():
        target = Path.cwd() / target
    start = _existing_dir(target)
    result = _run(["rev-parse", "--show-toplevel"], start)
    if result.returncode != 0:
        raise GitError(
            Msg(
                f"{file} 不在 git 仓库里（{_said(result)}）",
                f"{file} is not inside a git repository ({_said(result)})",
            )
        )
    root = Path(result.stdout.decode("utf-8", "surrogateescape").strip())
    # Resolve the directory (symlinked temp dirs, /private on macOS) but keep the file's own
    # name: git tracks a symlink by its name, not by its target.
    where = target.parent.resolve() / target.name
    try:
        relative = where.relative_to(root.resolve())
    except ValueError:
        raise GitError(
            Msg(f"{file} 不在仓库 {root} 里", f"{file} is not inside the repository {root}")
        ) from None
    return Located(root, relative.as_posix())


def verify(root: Path, revision: str) -> None:
    """Fail with a clear message unless ``revision`` names a commit."""
    if revision.startswith("-"):
        raise GitError(Msg(f"无效的版本：{revision}", f"not a revision: {revision}"))
    result = _run(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)
    if result.returncode != 0:
        raise GitError(
            Msg(
                f"git 仓库里没有版本 {revision}",
                f"unknown revision {revision} in the git repository",
            )
        )


def read(located: Located, revision: str) -> bytes | None:
    """The file's bytes at ``revision``; None when the revision exists but the file did not.

    A blob over :data:`perfdsl.limits.MAX_SOURCE_BYTES` raises :class:`perfdsl.limits.TooLarge`,
    as a file that size would.
    """
    verify(located.root, revision)
    result = _run_bounded(
        ["show", f"{revision}:{located.path}"], located.root, limits.MAX_SOURCE_BYTES
    )
    if result.returncode == 0:
        return result.stdout
    listing = _run(["ls-tree", "--name-only", revision, "--", located.path], located.root)
    if listing.returncode == 0 and not listing.stdout.strip():
        return None
    raise GitError(
        Msg(
            f"无法读取 {revision}:{located.path}（{_said(result)}）",
            f"cannot read {revision}:{located.path} ({_said(result)})",
        )
    )


def toplevel(start: Path | None = None) -> Path | None:
    """The top level of the repository ``start`` (default: the current folder) is in."""
    result = _run(["rev-parse", "--show-toplevel"], start or Path.cwd())
    if result.returncode != 0:
        return None
    return Path(result.stdout.decode("utf-8", "surrogateescape").strip())


def is_revision(root: Path, text: str) -> bool:
    """Whether ``text`` names a commit in the repository at ``root``."""
    if text.startswith("-"):
        return False
    result = _run(["rev-parse", "--verify", "--quiet", f"{text}^{{commit}}"], root)
    return result.returncode == 0


@attrs.frozen
class Changed:
    """A file a change touched: git's status letter and its path before and after (None:
    absent on that side), relative to the repository's top level."""

    status: str  # A, D, M, R (T and C count as M and A)
    old: str | None
    new: str | None


def changed(
    root: Path, old: str, new: str | None, paths: list[str], suffixes: tuple[str, ...]
) -> list[Changed]:
    """The files ending in ``suffixes`` that differ between ``old`` and ``new`` (None: the
    working tree, untracked files included), renames found as git finds them (``-M``)."""
    verify(root, old)
    if new is not None:
        verify(root, new)
    revisions = [old] if new is None else [old, new]
    args = ["diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "-M", *revisions]
    result = _run([*args, "--", *paths], root)
    if result.returncode != 0:
        raise GitError(
            Msg(
                f"无法列出改动的文件（{_said(result)}）",
                f"cannot list changed files ({_said(result)})",
            )
        )
    fields = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    found: list[Changed] = []
    i = 0
    while i < len(fields) and fields[i]:
        letter = fields[i][0]
        if letter in "RC":
            before, after = fields[i + 1], fields[i + 2]
            i += 3
            found.append(
                Changed("R", before, after) if letter == "R" else Changed("A", None, after)
            )
            continue
        path = fields[i + 1]
        i += 2
        if letter == "A":
            found.append(Changed("A", None, path))
        elif letter == "D":
            found.append(Changed("D", path, None))
        else:  # M, T (type), U (unmerged): the file is on both sides
            found.append(Changed("M", path, path))
    if new is None:  # files not yet added to git are part of the working tree too
        others = _run(["ls-files", "-z", "--others", "--exclude-standard", "--", *paths], root)
        if others.returncode == 0:
            for path in others.stdout.decode("utf-8", "surrogateescape").split("\0"):
                if path:
                    found.append(Changed("A", None, path))
    return [c for c in found if any(p and p.lower().endswith(suffixes) for p in (c.old, c.new))]

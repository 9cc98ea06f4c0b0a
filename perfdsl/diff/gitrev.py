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
from pathlib import Path

import attrs

from perfdsl.diagnostics import Msg


class GitError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


@attrs.frozen
class Located:
    """A file inside a repository: the repository's top level and the path from there."""

    root: Path
    path: str  # relative to root, with forward slashes, as git names it


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, env=env, check=False, timeout=120
        )
    except FileNotFoundError:
        raise GitError(Msg("找不到 git 命令：请先安装 git", "git is not installed")) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(Msg(f"无法运行 git：{exc}", f"cannot run git: {exc}")) from None


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
    """The file's bytes at ``revision``; None when the revision exists but the file did not."""
    verify(located.root, revision)
    result = _run(["show", f"{revision}:{located.path}"], located.root)
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

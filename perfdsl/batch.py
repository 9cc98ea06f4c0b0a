"""Check many files at once: each from the result cache when nothing it depends on changed,
the rest on every core, the findings always in the order of the command line.

``perfdsl check .`` on a department's repository (hundreds of unit files) calls
:func:`check_all`.  Each file is judged by :func:`perfdsl.pipeline.check_file`, exactly as one
file is, in a worker process when there are several to do (the parser and the rules are
pure Python, so threads would share one core).  A worker sends back only what the report
needs: the findings and the lines they point into, never the AST.

The cache key (:func:`perfdsl.cache.key`) holds everything a file's findings depend on: its
path and bytes, perfdsl's own code, the configuration's text, the template files that apply
to it, and the rules chosen (``--select``, ``--ignore``, ``--framework``).  With
``--baseline`` the findings depend on another file or revision too, so nothing is cached.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import attrs

from perfdsl import cache, limits
from perfdsl import config as configuration
from perfdsl.baseline import BaselineError
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.gcpause import between_files, tune_for_run
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.standards.templates.catalog import template_files


@attrs.frozen
class Outcome:
    """What ``check`` reports of one file."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The lines of the files the findings point into (the source, a template).
    sources: dict[str, list[str] | None] = attrs.field(factory=dict)
    io_failure: bool = False
    #: The file's configuration's ``lang`` and ``strict``.
    lang: str | None = None
    strict: bool = False
    #: The configuration or the baseline could not be read: the run stops with this.
    fatal: Msg | None = None
    #: The findings as the report prints them, written where the file was checked (then
    #: ``sources`` is left empty: only the text is needed).
    report: str | None = None


def available_cores() -> int:
    """The cores this process may run on (a container's or CI runner's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_one(path: str, options: CheckOptions) -> Outcome:
    """One file judged as ``perfdsl check`` judges it (never raises for a bad file)."""
    try:
        checked = check_file(path, options)
    except (configuration.ConfigError, BaselineError) as exc:
        return Outcome(path, fatal=exc.message)
    diagnostics = tuple(checked.diagnostics)
    pointed = {d.file for d in diagnostics}
    sources = {name: lines for name, lines in checked.sources.items() if name in pointed}
    config = checked.config
    return Outcome(path, diagnostics, sources, checked.io_failure, config.lang, config.strict)


def _describe(render: Render | None) -> str:
    """What a report looks like, for the key: the function and its settings (format, colour)."""
    if render is None:
        return ""
    if isinstance(render, partial):
        return repr((_describe(render.func), render.args, sorted(render.keywords.items())))
    return f"{render.__module__}.{render.__qualname__}"


def _relative(path: Path) -> bytes:
    """A path as the key holds it: from the working folder, so a fresh clone elsewhere (a CI
    runner's) finds the same entries."""
    try:
        return os.path.relpath(path).encode("utf-8", "surrogateescape")
    except ValueError:  # (another drive on Windows)
        return str(path).encode("utf-8", "surrogateescape")


def cache_key(path: str, options: CheckOptions, render: Render | None = None) -> str | None:
    """The key of a file's findings; None when they cannot be cached (standard input, an
    unreadable file or configuration, a baseline)."""
    if path == "-" or options.baseline:
        return None
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limits.MAX_SOURCE_BYTES:
            return None  # a FIFO or a device is read once, by the check; PD0004 is not kept
        data = Path(path).read_bytes()
        config = configuration.for_file(path)
        parts = [path.encode("utf-8", "surrogateescape"), data]
        chosen = (options.select, options.ignore, options.framework, options.lang)
        parts += [repr(chosen).encode(), _describe(render).encode()]
        if config.path is not None:
            parts += [_relative(config.path), config.text.encode("utf-8")]
        for template in template_files(Path(path)):
            parts += [_relative(template), template.read_bytes()]
    except (OSError, configuration.ConfigError):
        return None
    return cache.key(parts)


#: Writes a file's findings as the report prints them (a module-level function or a
#: functools.partial of one, so it can be sent to a worker process).
Render = Callable[[Outcome], str]


T = TypeVar("T")


def ahead(
    function: Callable[..., T], calls: Sequence[tuple[Any, ...]], jobs: int | None = None
) -> Iterator[T]:
    """``function(*args)`` for each of ``calls``, yielded in order as they are used, computed
    ahead in ``jobs`` worker processes (None: every core available) — at most two per worker
    ahead of the one being used, so memory holds a few results, not all of them."""
    workers = min(jobs or available_cores(), len(calls))
    if workers <= 1:
        for args in calls:
            yield function(*args)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    pending = iter(calls)
    with ProcessPoolExecutor(max_workers=workers, initializer=tune_for_run) as pool:
        waiting: deque[Future[T]] = deque()

        def submit() -> None:
            args = next(pending, None)
            if args is not None:
                waiting.append(pool.submit(function, *args))

        for _ in range(workers * 2):
            submit()
        while waiting:
            result = waiting.popleft().result()
            submit()
            yield result


def _judge(path: str, options: CheckOptions, render: Render | None) -> Outcome:
    outcome = check_one(path, options)
    between_files()
    if render is None or outcome.fatal is not None:
        return outcome
    return attrs.evolve(outcome, report=render(outcome), sources={})


def check_all(
    paths: Sequence[str],
    options: CheckOptions,
    jobs: int | None = None,
    use_cache: bool = True,
    render: Render | None = None,
) -> Iterator[Outcome]:
    """Every file's outcome, in the order of ``paths``; ``jobs`` processes (None: every core
    available) for the files the cache does not have.  With ``render``, each outcome carries
    its report, written in the worker (a report of thousands of findings is much of the
    work) and kept in the cache with the findings."""
    tune_for_run()  # (again: what the command imported since start-up is loaded for good)
    keys = [cache_key(path, options, render) if use_cache else None for path in paths]
    found: list[Outcome | None] = []
    for name in keys:
        hit = cache.get(name) if name else None
        found.append(hit if isinstance(hit, Outcome) else None)
    todo = [i for i, outcome in enumerate(found) if outcome is None]
    results: dict[int, Outcome] = {}
    if min(jobs or available_cores(), len(todo)) > 1:
        done = list(ahead(_judge, [(paths[i], options, render) for i in todo], jobs))
        results = dict(zip(todo, done, strict=True))
    for i, path in enumerate(paths):
        outcome = found[i]
        if outcome is None:
            outcome = results.get(i) or _judge(path, options, render)
            name = keys[i]
            if name and outcome.fatal is None:
                cache.put(name, outcome)
        yield outcome

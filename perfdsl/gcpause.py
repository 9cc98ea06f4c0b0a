"""Python's cyclic garbage collector: tuned for a whole run, paused around building or walking
a large AST."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Parsing allocates hundreds of thousands of small objects and no reference cycles, and the
    rules walk them all; each full collection would traverse every node of a 10,000-project
    AST again to find nothing (half the time of a large file).  Reference counting still frees
    everything as usual; the collector's previous state is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def tune_for_run() -> None:
    """Settings for a whole command-line run (and each worker of ``--jobs``).

    Checking builds and drops a large AST per file, made of small objects with no cycles:
    with the default threshold (700 allocations) the collector runs thousands of times a
    file and finds nothing (a tenth of a 10,000-project check).  A young collection every
    100,000 allocations, and a full one after each file (:func:`between_files`), still free
    the cycles other libraries make, and ``gc.freeze()`` takes what is loaded by then
    (modules, the grammar) out of every later collection.
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def between_files() -> None:
    """Free what one file left in cycles before the next (python-docx and lxml make them):
    with the thresholds above a full collection would almost never run, and a build of 200
    files grew to a gigabyte.  Cheap: what is loaded for good is frozen, and a finished file's
    tree is already freed by reference counting, so little is left to traverse."""
    gc.collect()

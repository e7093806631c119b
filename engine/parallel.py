"""Use both cores for the embarrassingly parallel steps.

After the model is assembled, rendering Markdown, diffing versions and
rendering pages and feeds are independent per item.  ``parallel_map`` forks
worker processes that inherit the whole assembled state (nothing but the
results crosses a pipe) and falls back to a plain loop for small jobs, on
one core, or where ``fork`` is unavailable.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any, Callable, Sequence

log = logging.getLogger(__name__)

MIN_ITEMS = 64
"""Below this many items, forking costs more than it saves."""
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def workers() -> int:
    wanted = os.environ.get("FEUILLETON_JOBS")
    if wanted and wanted.isdigit():
        return max(1, int(wanted))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _JOB is not None
    fn, items = _JOB
    return [fn(item) for item in items[bounds[0]:bounds[1]]]


def parallel_map(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``[fn(x) for x in items]``, spread over the cores when it pays."""
    global _JOB
    count = workers()
    if count < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(item) for item in items]
    step = max(1, len(items) // (count * 4))
    chunks = [(start, min(start + step, len(items))) for start in range(0, len(items), step)]
    _JOB = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            results = pool.map(_run, chunks)
    finally:
        _JOB = None
    return [value for chunk in results for value in chunk]

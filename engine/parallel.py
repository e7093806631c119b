"""Use both cores for the embarrassingly parallel steps.

After the model is assembled, rendering Markdown, diffing versions and
rendering pages and feeds are independent per item.  ``parallel_map`` forks
one child per extra core; each child inherits the whole assembled state,
works through every n-th item (neighbouring items cost alike, so the shares
come out even) and leaves its pickled results in a file; the parent does
its own share meanwhile.  Nothing but results crosses a process boundary.
It falls back to a plain loop for small jobs, on one core, or where
``fork`` is unavailable.

``multiprocessing.Pool`` was measured here first: its task queue, result
thread and per-chunk round trips left the workers idle for a third of the
time when the parent process is large.
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import tempfile
from typing import Any, Callable, Sequence

log = logging.getLogger(__name__)

MIN_ITEMS = 64
"""Below this many items, forking costs more than it saves."""


def workers() -> int:
    wanted = os.environ.get("FEUILLETON_JOBS")
    if wanted and wanted.isdigit():
        return max(1, int(wanted))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def parallel_map(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``[fn(x) for x in items]``, spread over the cores when it pays.

    An exception raised for any item is raised here, as the loop would.
    """
    count = min(workers(), len(items) // (MIN_ITEMS // 2) or 1)
    if count < 2 or len(items) < MIN_ITEMS or not hasattr(os, "fork"):
        return [fn(item) for item in items]
    with tempfile.TemporaryDirectory(prefix="feuilleton-work-") as folder:
        children = []
        gc.freeze()  # the children's collector then never walks (and so copies) the parent's objects
        try:
            for share in range(1, count):
                pid = os.fork()
                if pid == 0:  # the child: its share, then out without running the parent's clean-up
                    _child(fn, items, share, count, os.path.join(folder, str(share)))
                children.append((pid, share))
            results: list[Any] = [None] * len(items)
            results[0::count] = [fn(item) for item in items[0::count]]
        finally:
            failed = [share for pid, share in children if os.waitpid(pid, 0)[1] != 0]
            gc.unfreeze()
        if failed:
            raise RuntimeError(f"a worker process died (shares {failed})")
        for _, share in children:
            outcome = _collect(os.path.join(folder, str(share)))
            if isinstance(outcome, BaseException):
                raise outcome
            results[share::count] = outcome
    return results


def _child(fn: Callable[[Any], Any], items: Sequence[Any], share: int, count: int, path: str) -> None:
    code = 0
    try:
        try:
            outcome: Any = [fn(item) for item in items[share::count]]
        except BaseException as e:  # noqa: BLE001 — handed to the parent, which raises it
            outcome = e
        with open(path, "wb") as handle:
            try:
                pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as e:  # an exception that cannot be pickled arrives as its text
                handle.seek(0)
                handle.truncate()
                pickle.dump(RuntimeError(f"{type(e).__name__}: {outcome!r}"), handle)
    except BaseException:  # noqa: BLE001 — nothing may escape into the parent's code
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _collect(path: str) -> Any:
    with open(path, "rb") as handle:
        return pickle.load(handle)

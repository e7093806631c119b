"""Use both cores for the embarrassingly parallel steps.

After the model is assembled, rendering Markdown, diffing versions and
rendering pages and feeds are independent per item.  ``parallel_map`` forks
one child per extra core; each child inherits the whole assembled state,
works through every n-th item (neighbouring items cost alike, so the shares
come out even) and sends its pickled results down a pipe, which a thread of
the parent drains while the parent does its own share.  Nothing but results
crosses a process boundary.  It falls back to a plain loop for small jobs,
on one core, or where ``fork`` is unavailable.

``multiprocessing.Pool`` was measured here first: its task queue, result
thread and per-chunk round trips left the workers idle for a third of the
time when the parent process is large.

A build can be called off (``serve`` does when a newer change arrives):
inside ``cancelled_by(event)``, ``parallel_map`` checks the event before each
of the parent's items, and once it is set kills the children and raises
``Cancelled``.
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Sequence

log = logging.getLogger(__name__)

MIN_ITEMS = 64
"""Below this many items, forking costs more than it saves."""


class WorkerDied(RuntimeError):
    """A worker process ended without handing back its results: killed (often by the system, out of
    memory) or crashed.  Nothing it did reaches ``output/``: the build stops before the swap."""


class Cancelled(Exception):
    """The build was called off before it wrote anything to ``output/``."""


_cancel: ContextVar[threading.Event | None] = ContextVar("feuilleton_cancel", default=None)


@contextmanager
def cancelled_by(event: threading.Event) -> Iterator[None]:
    """Within this block, ``check_cancelled`` and ``parallel_map`` raise ``Cancelled`` once ``event`` is set."""
    token = _cancel.set(event)
    try:
        yield
    finally:
        _cancel.reset(token)


def check_cancelled() -> None:
    event = _cancel.get()
    if event is not None and event.is_set():
        raise Cancelled()


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
        return _share(fn, items)
    children: list[tuple[int, int, _Reader]] = []
    gc.freeze()  # the children's collector then never walks (and so copies) the parent's objects
    try:
        for share in range(1, count):
            readable, writable = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its share, then out without running the parent's clean-up
                os.close(readable)
                _child(fn, items, share, count, writable)
            os.close(writable)
            children.append((pid, share, _Reader(readable)))
        results: list[Any] = [None] * len(items)
        results[0::count] = _share(fn, items[0::count])
    except Cancelled:
        for pid, _, _ in children:  # their work is wasted now: stop it at once
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        outcomes = [(share, reader.result(), os.waitpid(pid, 0)[1]) for pid, share, reader in children]
        gc.unfreeze()
    for share, data, status in outcomes:
        if status != 0 or not data:
            raise WorkerDied(_death(status))
        outcome = pickle.loads(data)
        if isinstance(outcome, BaseException):
            raise outcome
        results[share::count] = outcome
    return results


def _share(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """The parent's items, stopping if the build is called off."""
    results = []
    for item in items:
        check_cancelled()
        results.append(fn(item))
    return results


def _death(status: int) -> str:
    """How a worker ended, from its ``waitpid`` status, for the author to read."""
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        return f"a worker process died (exit status {code}) before handing back its results"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = " (the system kills the largest process when memory runs out)" if -code == signal.SIGKILL else ""
    return f"a worker process was killed by {name}{hint}"


class _Reader(threading.Thread):
    """Drains a child's pipe while the parent works, so the child never waits for room in it."""

    def __init__(self, fd: int):
        super().__init__(daemon=True)
        self.fd, self.data = fd, b""
        self.start()

    def run(self) -> None:
        with os.fdopen(self.fd, "rb") as handle:
            self.data = handle.read()

    def result(self) -> bytes:
        self.join()
        return self.data


def _child(fn: Callable[[Any], Any], items: Sequence[Any], share: int, count: int, fd: int) -> None:
    code = 0
    try:
        try:
            outcome: Any = [fn(item) for item in items[share::count]]
        except BaseException as e:  # noqa: BLE001 — handed to the parent, which raises it
            outcome = e
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # an exception that cannot be pickled arrives as its text
            data = pickle.dumps(RuntimeError(f"{type(e).__name__}: {outcome!r}"))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:  # noqa: BLE001 — nothing may escape into the parent's code
        code = 1
    finally:  # no flushing of inherited stdio: it would repeat the parent's buffered output, or wait on a
        os._exit(code)  # lock another thread of the parent (serve's server) held when it forked

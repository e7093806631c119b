"""Use both cores for the embarrassingly parallel steps.

After the model is assembled, rendering Markdown, diffing versions and
rendering pages and feeds are independent per item.  ``parallel_map`` forks
one child per extra core; each child inherits the whole assembled state.
The items are dealt in runs of neighbours: each process starts with a run
of its own, then the parent and each child take the next ticket (a run's
start, four bytes, in a pipe filled before the fork) when they are free,
so a process that drew dear items (a long diff, a big book) takes fewer,
and all finish within a run of each other.  Each child sends its pickled
results down a pipe, which a thread of the parent drains while the parent
works.  Nothing but tickets and results crosses a process boundary.  It falls back to a plain loop for small jobs,
on one core, or where ``fork`` is unavailable.

``multiprocessing.Pool`` was measured here first: its task queue, result
thread and per-chunk round trips left the workers idle for a third of the
time when the parent process is large.  Dealing every n-th item to each
process, as this module did before the tickets, left one core idle for up
to a tenth of a step (110 ms of the pages of 1,000 posts with revisions).

A build can be called off (``serve`` does when a newer change arrives):
inside ``cancelled_by(event)``, ``parallel_map`` checks the event before each
of the parent's items, and once it is set kills the children and raises
``Cancelled``.  An error in the parent's items stops the dealing too: the
children finish the run in hand and are done.
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import select
import signal
import struct
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Sequence

log = logging.getLogger(__name__)

MIN_ITEMS = 64
"""Below this many items, forking costs more than it saves."""
RUNS = 64
"""Runs per process, at most: enough that the last runs even out, few enough that taking one (a read
from a pipe) costs nothing next to a run."""
_TICKET = struct.Struct("<I")
_MAX_RUNS = select.PIPE_BUF // _TICKET.size
"""So many tickets fit in one write to an empty pipe, which goes in whole and never waits for a reader."""


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
    run = -(-len(items) // min(count * RUNS, _MAX_RUNS))
    starts = range(0, len(items), run)
    tickets = _deal(starts[count:])  # each process's first run is its own: every child has a share
    children: list[tuple[int, _Reader]] = []
    gc.freeze()  # the children's collector then never walks (and so copies) the parent's objects
    try:
        for share in range(1, count):
            readable, writable = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its runs, then out without running the parent's clean-up
                os.close(readable)
                _child(fn, items, run, starts[share], tickets, writable)
            os.close(writable)
            children.append((pid, _Reader(readable)))
        done = _runs(fn, items, run, starts[0], tickets)
    except Cancelled:
        for pid, _ in children:  # their work is wasted now: stop it at once
            os.kill(pid, signal.SIGKILL)
        raise
    except BaseException:
        while os.read(tickets, select.PIPE_BUF):  # take every ticket left: the children stop after the run in hand
            pass
        raise
    finally:
        outcomes = _gather(children)
        os.close(tickets)
        gc.unfreeze()
    results: list[Any] = [None] * len(items)
    for start, values in done:
        results[start:start + len(values)] = values
    for data, status in outcomes:
        if status != 0 or not data:
            raise WorkerDied(_death(status))
        outcome = pickle.loads(data)
        if isinstance(outcome, BaseException):
            raise outcome
        for start, values in outcome:
            results[start:start + len(values)] = values
    return results


def _share(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """The items in this process, stopping if the build is called off."""
    results = []
    for item in items:
        check_cancelled()
        results.append(fn(item))
    return results


def _runs(fn: Callable[[Any], Any], items: Sequence[Any], run: int, first: int,
          fd: int) -> list[tuple[int, list[Any]]]:
    """The run at ``first``, then one per ticket until there are none: ``(start, results)`` of each."""
    done = [(first, _share(fn, items[first:first + run]))]
    while len(ticket := os.read(fd, _TICKET.size)) == _TICKET.size:
        start = _TICKET.unpack(ticket)[0]
        done.append((start, _share(fn, items[start:start + run])))
    return done


def _deal(starts: range) -> int:
    """A pipe holding a ticket for each run start, its writing end closed: read to its end, it is empty.
    Each ticket is read whole (four bytes, as every one was written), so no process reads half of one."""
    readable, writable = os.pipe()
    try:
        os.write(writable, b"".join(_TICKET.pack(start) for start in starts))  # at most PIPE_BUF: in whole
    finally:
        os.close(writable)
    return readable


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


def _gather(children: list[tuple[int, _Reader]]) -> list[tuple[bytes, int]]:
    """Each child's result and exit status, once it has ended.  A signal that stops the parent while it
    waits (a second Ctrl-C, SIGTERM) kills the children and is raised only when they are gone: a child left
    running would go on writing into a folder the parent's clean-up is removing."""
    outcomes, stopped = [], None
    for pid, reader in children:
        status = None
        while status is None:
            try:
                status = os.waitpid(pid, 0)[1]
            except ChildProcessError:  # reaped already
                status = 0
            except BaseException as e:  # noqa: BLE001 — raised below, once every child is gone
                stopped = stopped or e
                for other, _ in children:
                    try:
                        os.kill(other, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        outcomes.append((reader.result() if stopped is None else b"", status))
    if stopped is not None:
        raise stopped
    return outcomes


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


def _child(fn: Callable[[Any], Any], items: Sequence[Any], run: int, first: int, tickets: int, fd: int) -> None:
    code = 0
    try:
        try:
            outcome: Any = _runs(fn, items, run, first, tickets)
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

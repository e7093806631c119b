"""``parallel_map`` gives what the plain loop gives, errors included, with real forked children."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import REPO
from engine.errors import Diagnostic, SiteError
from engine.speed.parallel import Cancelled, WorkerDied, cancelled_by, parallel_map


@pytest.fixture(autouse=True)
def two_workers(monkeypatch):
    monkeypatch.setenv("FEUILLETON_JOBS", "2")


def slowly(x):
    """An item that takes a moment, so that a child forked after the parent began still gets some."""
    time.sleep(0.001)
    return x


def test_results_come_back_in_order_and_whole():
    items = list(range(500))
    assert parallel_map(lambda x: (x, os.getpid(), b"x" * 50_000), items)[123][0] == 123
    results = parallel_map(lambda x: (slowly(x) * 3, os.getpid()), items)
    assert [r for r, _ in results] == [x * 3 for x in items]
    assert len({pid for _, pid in results}) == 2  # a child did some of them


def test_every_child_has_a_run_even_when_the_items_take_no_time():
    """Each process starts with a run of its own: a parent could otherwise take every ticket of instant
    items before a child it just forked asked for one."""
    for _ in range(20):
        assert len(set(parallel_map(lambda x: os.getpid(), list(range(100))))) == 2


def test_a_process_that_draws_dear_items_takes_fewer():
    """Every odd item is dear: dealt every other item, the child would take them all and the parent none
    while the parent idled; dealt by tickets, whoever is free takes the next."""
    def work(x):
        time.sleep(0.01 if x % 2 else 0)
        return os.getpid()
    pids = parallel_map(work, list(range(200)))
    dear = [pid for x, pid in enumerate(pids) if x % 2]
    assert os.getpid() in dear and len(set(dear)) == 2


def test_a_user_error_in_a_child_arrives_whole():
    parent = os.getpid()

    def fails(x):
        if os.getpid() != parent:
            raise SiteError(Diagnostic("posts/a.md", 3, "boom"))
        return slowly(x)
    with pytest.raises(SiteError) as caught:
        parallel_map(fails, list(range(100)))
    assert caught.value.diagnostics == (Diagnostic("posts/a.md", 3, "boom"),)


def test_an_error_in_the_parents_share_stops_the_child_and_is_raised(tmp_path):
    parent, log = os.getpid(), tmp_path / "child.log"

    def fails(x):
        if os.getpid() == parent and x >= 40:
            raise ValueError("the parent's share")
        if os.getpid() != parent:
            with open(log, "a") as f:
                f.write(f"{x}\n")
        return slowly(x)
    with pytest.raises(ValueError, match="the parent's share"):
        parallel_map(fails, list(range(2000)))
    done_by_child = log.read_text().split()
    assert 0 < len(done_by_child) < 1000  # the dealing stopped: the child did not go on to the end


def test_a_child_that_dies_is_an_error_not_missing_results():
    parent = os.getpid()

    def dies(x):
        if os.getpid() != parent:
            os._exit(3)
        return slowly(x)
    with pytest.raises(WorkerDied, match=r"worker process died \(exit status 3\)"):
        parallel_map(dies, list(range(100)))


def test_a_killed_child_is_named_by_its_signal():
    parent = os.getpid()

    def killed(x):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return slowly(x)
    with pytest.raises(WorkerDied, match="killed by SIGKILL .*memory runs out"):
        parallel_map(killed, list(range(100)))


def test_small_jobs_stay_in_the_process():
    assert {pid for pid in parallel_map(lambda x: os.getpid(), list(range(10)))} == {os.getpid()}


CALLED_OFF = """
import os, sys, threading, time
from engine.speed.parallel import Cancelled, cancelled_by, parallel_map

parent, event, done = os.getpid(), threading.Event(), []

def work(x):
    if os.getpid() != parent:
        time.sleep(600)  # a child's item that would take ten minutes
    time.sleep(0.001)
    done.append(x)
    if len(done) == 10:
        event.set()  # a newer change arrives while the parent is at its 10th item
    return x

with cancelled_by(event):
    try:
        parallel_map(work, list(range(100)))
    except Cancelled:
        print("called off")
"""


def test_a_called_off_map_stops_its_children_at_once():
    done = subprocess.run([sys.executable, "-c", CALLED_OFF], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FEUILLETON_JOBS": "2", "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == "called off", done.stderr  # and not ten minutes later: the child was killed


def test_outside_a_cancellable_block_the_event_is_not_consulted():
    event = threading.Event()
    event.set()
    assert parallel_map(lambda x: x, list(range(100))) == list(range(100))
    with cancelled_by(event), pytest.raises(Cancelled):
        parallel_map(lambda x: x, list(range(10)))  # a small job, in the process: called off as well


def test_a_signal_while_waiting_for_the_workers_is_raised_once_they_are_gone(monkeypatch) -> None:
    """Ctrl-C or SIGTERM reaching the parent as it waits for its workers: none is left running (it would go
    on writing into a build folder the parent's clean-up removes), and the signal is raised after."""
    from engine.speed import parallel
    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    real_fork, real_wait, forked, interrupted = os.fork, os.waitpid, [], []

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    def waitpid(pid: int, options: int):
        if not interrupted:  # the signal lands while the parent waits for its first worker
            interrupted.append(pid)
            raise KeyboardInterrupt
        return real_wait(pid, options)

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(os, "waitpid", waitpid)
    with pytest.raises(KeyboardInterrupt):
        parallel.parallel_map(lambda n: time.sleep(0.005) or n, list(range(parallel.MIN_ITEMS * 4)))
    monkeypatch.setattr(os, "waitpid", real_wait)
    assert forked and interrupted
    for pid in forked:  # every worker ended and was reaped before the signal was raised
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)

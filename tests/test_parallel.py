"""``parallel_map`` gives what the plain loop gives, errors included, with real forked children."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from conftest import REPO
from engine.errors import Diagnostic, SiteError
from engine.speed.parallel import Cancelled, WorkerDied, cancelled_by, parallel_map


@pytest.fixture(autouse=True)
def two_workers(monkeypatch):
    monkeypatch.setenv("FEUILLETON_JOBS", "2")


def test_results_come_back_in_order_and_whole():
    items = list(range(500))
    assert parallel_map(lambda x: (x, os.getpid(), b"x" * 50_000), items)[123][0] == 123
    results = parallel_map(lambda x: (x * 3, os.getpid()), items)
    assert [r for r, _ in results] == [x * 3 for x in items]
    assert len({pid for _, pid in results}) == 2  # a child did half of them


def test_a_user_error_in_a_child_arrives_whole():
    def fails(x):
        if x == 77:  # an odd item: the child's share
            raise SiteError(Diagnostic("posts/a.md", 3, "boom"))
        return x
    with pytest.raises(SiteError) as caught:
        parallel_map(fails, list(range(100)))
    assert caught.value.diagnostics == (Diagnostic("posts/a.md", 3, "boom"),)


def test_an_error_in_the_parents_share_is_raised_and_the_child_reaped():
    def fails(x):
        if x == 76:
            raise ValueError("the parent's share")
        return x
    with pytest.raises(ValueError, match="the parent's share"):
        parallel_map(fails, list(range(100)))


def test_a_child_that_dies_is_an_error_not_missing_results():
    def dies(x):
        if x == 77:
            os._exit(3)
        return x
    with pytest.raises(WorkerDied, match=r"worker process died \(exit status 3\)"):
        parallel_map(dies, list(range(100)))


def test_a_killed_child_is_named_by_its_signal():
    def killed(x):
        if x == 77:
            os.kill(os.getpid(), signal.SIGKILL)
        return x
    with pytest.raises(WorkerDied, match="killed by SIGKILL .*memory runs out"):
        parallel_map(killed, list(range(100)))


def test_small_jobs_stay_in_the_process():
    assert {pid for pid in parallel_map(lambda x: os.getpid(), list(range(10)))} == {os.getpid()}


CALLED_OFF = """
import os, sys, threading, time
from engine.speed.parallel import Cancelled, cancelled_by, parallel_map

parent, event = os.getpid(), threading.Event()

def work(x):
    if os.getpid() != parent:
        time.sleep(600)  # a child's share that would take ten minutes
    if x == 20:
        event.set()  # a newer change arrives while the parent is at its 11th item
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

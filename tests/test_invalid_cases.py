"""Invalid sites, one folder each under ``tests/cases/invalid/``: ``feuilleton check`` prints exactly the
lines the case expects, exits with its code, and writes nothing.

A case is a small site as it lies on disk (``config.toml``, ``posts/…``, ``templates/…``, ``static/…``)
and ``expected.txt``: a first line ``exit N``, then every line ``check`` must print on stderr, in order.
``<site>`` in a line stands for the site folder's absolute path.  Adding a case is adding a folder; a
failing case shows what ``check`` printed, to be read line by line before it replaces ``expected.txt``.

Each case runs in a process of its own, forked from the test's: the command's ``main`` with its own
working folder, environment, stdout, stderr, logging and exit code, as ``feuilleton check`` run there, but
without the third of a second a new Python takes to start and import the engine (sixty cases would
otherwise be a third of the quick subset's time).  ``test_cli.py`` runs the real command in a subprocess.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import traceback
from pathlib import Path

import pytest

import engine.build  # noqa: F401  (loaded here once, not again in every forked check)
from conftest import EPOCH, snapshot
from engine.cli import main

CASES = Path(__file__).parent / "cases" / "invalid"
EXPECTED = "expected.txt"


def expected(case: Path, root: Path) -> tuple[int, list[str]]:
    """The exit code and stderr lines ``case`` expects of ``check`` run in ``root``."""
    first, *lines = (case / EXPECTED).read_text(encoding="utf-8").splitlines()
    code = re.fullmatch(r"exit (\d+)", first)
    assert code, f"{case.name}/{EXPECTED} must start with a line `exit N`, not {first!r}"
    return int(code.group(1)), [line.replace("<site>", str(root)) for line in lines]


def check(root: Path, out: Path, err: Path) -> int:
    """``feuilleton check`` run in ``root`` by a forked child; its stdout and stderr go to ``out`` and ``err``,
    and its exit code is returned."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.chdir(root)
            os.environ.update(EPOCH)
            for fd, path in ((1, out), (2, err)):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            logging.root.handlers.clear()  # pytest's; the command sets up its own, as in a new process
            code = main(["check"])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException:
            traceback.print_exc()  # as Python does for an exception nothing catches
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_check_prints_exactly_what_the_case_expects(tmp_path: Path, name: str) -> None:
    root = tmp_path / name
    shutil.copytree(CASES / name, root, ignore=shutil.ignore_patterns(EXPECTED))
    code, lines = expected(CASES / name, root)
    before = snapshot(root, folders=True)
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    returned = check(root, out, err)
    printed = err.read_text(encoding="utf-8")
    assert (returned, printed.splitlines()) == (code, lines), printed
    assert out.read_text(encoding="utf-8") == ""
    assert snapshot(root, folders=True) == before  # check writes nothing, not even a cache

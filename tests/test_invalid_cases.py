"""Invalid sites, one folder each under ``tests/cases/invalid/``: ``feuilleton check`` prints exactly the
lines the case expects, exits with its code, and writes nothing.

A case is a small site as it lies on disk (``config.toml``, ``posts/…``, ``templates/…``, ``static/…``)
and ``expected.txt``: a first line ``exit N``, then every line ``check`` must print on stderr, in order.
``<site>`` in a line stands for the site folder's absolute path.  Adding a case is adding a folder; a
failing case shows what ``check`` printed, to be read line by line before it replaces ``expected.txt``.

A case whose ``expected.txt`` says what ``check`` should print but does not yet holds ``known-bug.txt``,
one line on what is wrong: it is expected to fail, and fails the suite once the engine is fixed, so that
the file is deleted then.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EPOCH, run_cli, snapshot

CASES = Path(__file__).parent / "cases" / "invalid"
EXPECTED = "expected.txt"
KNOWN_BUG = "known-bug.txt"


def expected(case: Path, root: Path) -> tuple[int, list[str]]:
    """The exit code and stderr lines ``case`` expects of ``check`` run in ``root``."""
    first, *lines = (case / EXPECTED).read_text(encoding="utf-8").splitlines()
    code = re.fullmatch(r"exit (\d+)", first)
    assert code, f"{case.name}/{EXPECTED} must start with a line `exit N`, not {first!r}"
    return int(code.group(1)), [line.replace("<site>", str(root)) for line in lines]


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_check_prints_exactly_what_the_case_expects(tmp_path: Path, request: pytest.FixtureRequest,
                                                   name: str) -> None:
    if (CASES / name / KNOWN_BUG).is_file():
        bug = (CASES / name / KNOWN_BUG).read_text(encoding="utf-8").strip()
        request.applymarker(pytest.mark.xfail(reason=bug, strict=True))
    root = tmp_path / name
    shutil.copytree(CASES / name, root, ignore=shutil.ignore_patterns(EXPECTED, KNOWN_BUG))
    code, lines = expected(CASES / name, root)
    before = snapshot(root, folders=True)
    done = run_cli("check", cwd=root, env=EPOCH)
    assert (done.returncode, done.stderr.splitlines()) == (code, lines), done.stderr
    assert done.stdout == ""
    assert snapshot(root, folders=True) == before  # check writes nothing, not even a cache

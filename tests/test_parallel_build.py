"""A site big enough for the build to fork its workers gives the same bytes as a build on one core."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, snapshot
from engine.build import build
from engine.errors import SiteError
from engine.speed.parallel import MIN_ITEMS
from tests.bench.corpus import generate

pytestmark = pytest.mark.slow  # sites big enough to fork workers


def test_workers_write_what_one_process_writes(tmp_path, monkeypatch):
    forked = generate(tmp_path / "forked", 400)
    alone = tmp_path / "alone"
    shutil.copytree(forked, alone)
    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    result = build(forked, now=NOW)
    assert result.pages >= MIN_ITEMS and result.feeds >= 3 * MIN_ITEMS  # pages and feeds alike were forked
    monkeypatch.setenv("FEUILLETON_JOBS", "1")
    build(alone, now=NOW)
    assert snapshot(forked / "output") == snapshot(alone / "output")

    edited = sorted((forked / "posts").glob("series-*/part-2.md"))[0]
    for root in (forked, alone):
        path = root / edited.relative_to(forked)
        path.write_text(path.read_text().replace("A section heading", "A renamed heading"))
    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    again = build(forked, now=NOW)
    assert 0 < len(again.written.written) < 40, again.written.written  # the edit, not the whole site
    monkeypatch.setenv("FEUILLETON_JOBS", "1")
    shutil.rmtree(alone / ".feuilleton-cache")
    build(alone, now=NOW)
    assert snapshot(forked / "output") == snapshot(alone / "output")

    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    unchanged = build(forked, now=NOW)  # old versions' views and diffs are worked out on the workers:
    assert unchanged.rendered == 0 and unchanged.written.written == []  # their fingerprints must hold still


def test_a_template_error_in_a_worker_leaves_the_output_as_it_was(tmp_path, monkeypatch):
    root = generate(tmp_path / "site", 60)
    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    assert build(root, now=NOW).pages >= MIN_ITEMS
    before = snapshot(root / "output")
    (root / "templates").mkdir()
    (root / "templates/version.html").write_text('{% extends "theme/version.html" %}'
                                                 '{% block content %}{{ 1 / 0 }}{% endblock %}')
    with pytest.raises(SiteError) as caught:
        build(root, now=NOW)
    assert "templates/version.html" in str(caught.value.diagnostics[0])
    assert snapshot(root / "output") == before


KILLING_BUILD = """
import os, signal, sys
import engine.output.outputs
from engine.cli import main
parent, render = os.getpid(), engine.output.outputs.render_page

def render_or_die(*args, **kwargs):
    if os.getpid() != parent:  # a forked worker: killed as the system kills a process out of memory
        os.kill(os.getpid(), signal.SIGKILL)
    return render(*args, **kwargs)

engine.output.outputs.render_page = render_or_die
sys.exit(main(["--site", sys.argv[1], "build"]))
"""


def test_a_killed_worker_stops_the_build_with_a_message_and_leaves_the_output(tmp_path):
    root = generate(tmp_path / "site", 60)
    env = {**os.environ, "FEUILLETON_JOBS": "2", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    assert subprocess.run([sys.executable, "-m", "engine", "--site", str(root), "build"], env=env,
                          capture_output=True).returncode == 0
    before = snapshot(root / "output")
    (root / ".feuilleton-cache").rename(tmp_path / "old-cache")  # every page is rendered again: on the workers
    done = subprocess.run([sys.executable, "-c", KILLING_BUILD, str(root)], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "a worker process was killed by SIGKILL" in done.stderr
    assert "previous output is left as it was" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(root / "output") == before

"""The cache a CI workflow restores between runs (``init --ci``), used as the workflows use it: a fresh
shallow clone each run, ``.feuilleton-cache/`` copied in from the last run, no ``output/``, and a build for
the Pages address (``build --base-url URL --output output``).

The restored cache must spare the renders of pages that did not change, never serve a page rendered for
another address, and know what the last run published: a version that run published and the site lost
stops the build, as it does a build into the old ``output/`` and a deploy.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EPOCH, post, run_cli, snapshot, write_site
from engine.config import CACHE_DIR

pytestmark = pytest.mark.slow
PAGES = "https://me.github.io/essays"
"""The address ``actions/configure-pages`` gives a project page."""
PREVIEW = "https://preview.example.net/pr-7"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org",
                               "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org"}).stdout.strip()


def feuilleton(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command run in ``site``, as a workflow's step runs it (``--output output`` is the site's)."""
    return run_cli(*args, cwd=site, env=EPOCH)


def commit(site: Path, message: str) -> None:
    git(site, "add", "-A")
    git(site, "commit", "-qm", message)


def ci_run(tmp_path: Path, site: Path, name: str, last: Path | None,
           *build: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One run of the workflow: a shallow clone of ``site``, the cache of the ``last`` run restored, the build."""
    run = tmp_path / name
    subprocess.run(["git", "clone", "-q", "--depth", "1", site.as_uri(), str(run)], check=True, capture_output=True)
    if last is not None:
        shutil.copytree(last / CACHE_DIR, run / CACHE_DIR)
    return run, feuilleton(run, "build", "-v", *(build or ("--base-url", PAGES, "--output", "output")))


def rendered(done: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    line = next(line for line in done.stderr.splitlines() if " pages rendered" in line)
    count, _, total = line.split(" pages rendered")[0].split(" ")
    return int(count), int(total)


def essays(root: Path, count: int = 4) -> Path:
    files = {f"posts/essay-{n}.md": post(f"Essay {n}", f"2026-10-0{n + 1}T09:00:00", f"Essay {n} says one thing.")
             for n in range(count)}
    root = write_site(root, files)
    git(root, "init", "-q", "-b", "main")
    commit(root, "essays")
    return root


def test_a_ci_run_with_the_cache_restored_renders_only_what_changed(tmp_path: Path) -> None:
    site = essays(tmp_path / "site")
    first, done = ci_run(tmp_path, site, "run1", None)
    assert done.returncode == 0, done.stderr
    count, total = rendered(done)
    assert count == total and "the rest" not in done.stderr  # a cold build: there is no rest
    path = site / "posts/essay-1.md"
    path.write_text(path.read_text().replace("says one thing", "says another thing"))
    commit(site, "edit")
    second, done = ci_run(tmp_path, site, "run2", first)
    assert done.returncode == 0, done.stderr
    count, total = rendered(done)
    assert 0 < count < total and "the rest had the same content" in done.stderr
    cold, done = ci_run(tmp_path, site, "cold", None)
    assert done.returncode == 0, done.stderr
    assert snapshot(second / "output") == snapshot(cold / "output")
    assert b"says another thing" in (second / "output/essay-1/index.html").read_bytes()


def test_builds_for_two_addresses_never_serve_each_others_pages(tmp_path: Path) -> None:
    """A preview built with --base-url, then the site's own build in the same folder (and back), with the
    output kept and with it gone: each is a cold build's bytes for its address."""
    site = essays(tmp_path / "site")
    colds = {}
    for name, args in (("preview", ("--base-url", PREVIEW)), ("own", ())):
        twin = essays(tmp_path / f"cold-{name}")
        assert feuilleton(twin, "build", *args).returncode == 0
        colds[args] = snapshot(twin / "output")
    assert colds[()] != colds[("--base-url", PREVIEW)]
    for args in (("--base-url", PREVIEW), (), ("--base-url", PREVIEW), (), ("--base-url", PREVIEW)):
        done = feuilleton(site, "build", *args)
        assert done.returncode == 0, done.stderr
        assert snapshot(site / "output") == colds[args], args
    for args in ((), ("--base-url", PREVIEW), ()):
        shutil.rmtree(site / "output")
        done = feuilleton(site, "build", *args)
        assert done.returncode == 0, done.stderr
        assert snapshot(site / "output") == colds[args], args

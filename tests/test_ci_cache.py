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


def revised_in_git(root: Path) -> Path:
    """``ess`` published (version 1) and revised (version 2), each in a commit of its own."""
    root = write_site(root, {"posts/ess.md": post("Ess", "", body="Body one.", draft="true")})
    git(root, "init", "-q", "-b", "main")
    assert feuilleton(root, "publish", "posts/ess.md", "--at", "2026-11-01T10:00").returncode == 0
    commit(root, "v1")
    path = root / "posts/ess.md"
    path.write_text(path.read_text() + "\nBody two.\n")
    assert feuilleton(root, "revise", "posts/ess.md", "--note", "Second.", "--at", "2026-11-02T10:00").returncode == 0
    commit(root, "revise: v2")
    return root


def test_a_version_a_ci_run_published_and_git_took_back_stops_the_next_run(tmp_path: Path) -> None:
    """`git revert` of the commit that recorded version 2: the next run, with the last run's cache and no
    output/, would upload a site without /ess/v2/, an address feeds gave out for good."""
    site = revised_in_git(tmp_path / "site")
    first, done = ci_run(tmp_path, site, "run1", None)
    assert done.returncode == 0, done.stderr
    assert (first / "output/ess/v2/index.html").is_file()
    git(site, "revert", "--no-edit", "HEAD")
    second, done = ci_run(tmp_path, site, "run2", first)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[0] == (
        "posts/ess.md: version 2 was published (the last build into output/ wrote /ess/v2/, as .feuilleton-cache/ "
        "records it), but ess.versions/v2.md is gone and the post names version 1: restore them from git or a "
        "backup, since a published version is never taken back (`git log --diff-filter=D -- "
        "posts/ess.versions/v2.md` names the commit that took it: `git revert` that commit, or `git checkout "
        "COMMIT^ -- posts/ess.md posts/ess.versions/`); to build an older state of the site on purpose, build it "
        "into another folder (--output)")
    assert not (second / "output").exists()
    for args in (("check",), ("build", "--output", "output")):  # the site's own address, and check, alike
        again = feuilleton(second, *args)
        assert again.returncode == 1 and "posts/ess.md: version 2 was published" in again.stderr, args
    cold, done = ci_run(tmp_path, site, "cold", None)  # no cache: nothing to know it by
    assert done.returncode == 0, done.stderr

    # the way the message gives: the commit that took the version, reverted
    taken = git(site, "log", "--format=%H", "--diff-filter=D", "--", "posts/ess.versions/v2.md")
    git(site, "revert", "--no-edit", taken)
    third, done = ci_run(tmp_path, site, "run3", second)
    assert done.returncode == 0, done.stderr
    assert (third / "output/ess/v2/index.html").is_file()
    assert snapshot(third / "output") == snapshot(ci_run(tmp_path, site, "cold3", None)[0] / "output")


def test_a_version_recorded_again_over_one_a_ci_run_published_stops_the_next_run(tmp_path: Path) -> None:
    """Version 2 lost, and another text recorded as version 2 since: /ess/v2/ would change without a word."""
    site = revised_in_git(tmp_path / "site")
    first, done = ci_run(tmp_path, site, "run1", None)
    assert done.returncode == 0, done.stderr
    git(site, "revert", "--no-edit", "HEAD")
    path = site / "posts/ess.md"
    path.write_text(path.read_text() + "\nAnother body two.\n")
    assert feuilleton(site, "revise", "posts/ess.md", "--note", "Other.", "--at", "2026-11-03T10:00").returncode == 0
    commit(site, "revise again")
    _, done = ci_run(tmp_path, site, "run2", first)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "posts/ess.md: the last build published version 2 (/ess/v2/) with another text than the version 2 " \
        "this post now has" in done.stderr and "delete .feuilleton-cache/ as well" in done.stderr

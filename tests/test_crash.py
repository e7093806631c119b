"""Crash safety with real processes, real signals and real races.

A build killed with SIGKILL in the middle of writing must leave the last
good ``output/`` exactly as it was (or, past the atomic swap, exactly the new
site), and the next build must finish the job.  A ``revise`` killed at any
moment must leave the post and its archive as they were, fully recorded, or
in the one in-between state the engine recognises and names.  An output
folder that cannot be written, files that vanish or are saved while a build
reads them, and a ``revise`` while ``serve`` watches all end in a correct
site or a clean ``file: message`` error — never a traceback.

No hooks in the engine: kills are timed from outside (many posts make the
write phase long enough to land in, and a watch on the folders beside
``output/`` says when it has begun), and races are real threads.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import EPOCH, NOW, REPO, post, run_cli, snapshot, write_site
from engine.build import build
from engine.config import load_config
from engine.errors import Report, SiteError
from engine.output.write import Writer
from engine.source.versions import read_archive
from engine.speed.parallel import Cancelled, cancelled_by

pytestmark = pytest.mark.slow  # kills and races with real processes

ENV = {**os.environ, "PYTHONPATH": str(REPO), **EPOCH, "PYTHONUNBUFFERED": "1"}
PARAGRAPH = "The quick brown fox jumps over the lazy dog beside the river, as foxes do. " * 30
SHOWN = re.compile(r"^[^\s:][^\n]*?(:\d+)?: \S.*$")


# --- helpers ---------------------------------------------------------------------

def start(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    """``python -m engine ARGS`` in a session of its own, so a kill reaches its worker processes too."""
    return subprocess.Popen([sys.executable, "-m", "engine", *args], cwd=cwd, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def kill(process: subprocess.Popen[str]) -> bool:
    """SIGKILL the command and its workers; True if it was still running."""
    alive = process.poll() is None
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=60)
    return alive


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=EPOCH)


def assert_clean_failure(done: subprocess.CompletedProcess[str]) -> list[str]:
    """Exit 1, no traceback, and every stderr line is ``path: message`` or ``path:line: message``."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines and all(SHOWN.match(line) for line in lines), done.stderr
    return lines


def many_posts(edition: str, count: int = 240) -> dict[str, str]:
    files = {"posts/long/series.toml": 'title = "A long series"\n'}
    body = f"Edition {edition}.\n\n" + "\n\n".join([PARAGRAPH] * 6)
    for n in range(count):
        if n < 40:
            files[f"posts/long/part-{n + 1}.md"] = post(f"Part {n + 1}", f"2026-0{1 + n % 9}-{1 + n % 27:02d}T09:00:00",
                                                         body, part=n + 1, tags="[law, cities]")
        else:
            files[f"posts/p{n:04d}.md"] = post(f"Essay {n}", f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}T09:00:00",
                                              body, tags=f"[topic-{n % 15}]")
    return files


def leftovers(site: Path) -> list[str]:
    """Staging folders and half-written temporary files anywhere beside or inside the output."""
    found = [p.name for p in site.iterdir() if p.name.startswith(".feuilleton-staging-")]
    for folder in [site / "output", *site.glob(".feuilleton-spare-*")]:
        if folder.is_dir():
            found += [p.as_posix() for p in folder.rglob("*") if p.name.endswith((".feuilleton-tmp", ".tmp"))]
    return found


# --- (a) a build killed while it writes ---------------------------------------------

class WriteWatch:
    """Notices from outside when a build starts touching the folders beside ``output/``."""

    def __init__(self, site: Path):
        self.site = site
        self.before = self.signature()

    def signature(self) -> list[tuple[str, int, int]]:
        found = []
        for entry in os.scandir(self.site):
            if entry.name.startswith((".feuilleton-spare-", ".feuilleton-staging-", "output")):
                stat = entry.stat(follow_symlinks=False)
                found.append((entry.name, stat.st_ino, stat.st_mtime_ns))
                if entry.is_dir(follow_symlinks=False):
                    for inner in os.scandir(entry.path):
                        if inner.is_dir(follow_symlinks=False) or inner.name.endswith("tmp"):
                            inner_stat = inner.stat(follow_symlinks=False)
                            found.append((f"{entry.name}/{inner.name}", inner_stat.st_ino, inner_stat.st_mtime_ns))
        return sorted(found)

    def wait_for_writing(self, process: subprocess.Popen[str], limit: float = 120) -> bool:
        """True once the write phase has visibly begun; False if the build ended first."""
        deadline = time.monotonic() + limit
        while process.poll() is None and time.monotonic() < deadline:
            if self.signature() != self.before:
                return True
        return False


@pytest.fixture(scope="module")
def killed_builds(tmp_path_factory):
    """A site of 240 posts built once (A), then every post edited; B is what a full build of the edit gives."""
    base = tmp_path_factory.mktemp("kill")
    site = write_site(base / "site", many_posts("first"))
    assert cli("--site", str(site), "build", "-q").returncode == 0
    before = snapshot(site / "output", folders=True)
    write_site(site, many_posts("second"))
    reference = base / "reference"
    shutil.copytree(site, reference, symlinks=True, ignore=shutil.ignore_patterns("output", ".feuilleton-*"))
    assert cli("--site", str(reference), "build", "-q").returncode == 0
    after = snapshot(reference / "output", folders=True)
    assert before != after
    saved = base / "saved"
    shutil.copytree(site, saved, symlinks=True)
    return site, saved, before, after


KILL_POINTS = [("seconds", 0.3), ("seconds", 0.9), ("writing", 0.0), ("writing", 0.003), ("writing", 0.015),
               ("writing", 0.05), ("writing", 0.15), ("writing", 0.6)]
"""Before the write phase (during reading and rendering), then at moments after it visibly begins."""


@pytest.mark.parametrize("when, delay", KILL_POINTS)
def test_a_build_killed_while_writing_leaves_a_complete_site(killed_builds, when: str, delay: float) -> None:
    site, saved, before, after = killed_builds
    shutil.rmtree(site)
    shutil.copytree(saved, site, symlinks=True)  # same path, so the cache is warm as it was

    watch = WriteWatch(site)
    process = start("--site", str(site), "build", "-q")
    if when == "seconds":
        time.sleep(delay)
    elif watch.wait_for_writing(process):
        time.sleep(delay)
    was_running = kill(process)

    now = snapshot(site / "output", folders=True)
    assert now == before or now == after, "output/ is neither the old site nor the new one"
    if not was_running:
        assert now == after
    spare = {p.name: snapshot(p, folders=True) for p in site.glob(".feuilleton-spare-*") if p.is_dir()}
    print(f"killed at {when} + {delay} s: output is the {'old' if now == before else 'new'} site"
          f"{'' if was_running else ' (the build had finished)'}; "
          f"{'a spare tree was half-updated' if any(t not in (before, after) for t in spare.values()) else ''}")

    done = cli("--site", str(site), "build", "-v")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(site / "output", folders=True) == after
    assert leftovers(site) == []


def test_a_stale_staging_folder_is_removed_by_the_next_build(site) -> None:
    root = site({"posts/essay.md": post("An essay")})
    assert cli("--site", str(root), "build", "-q").returncode == 0
    stale = root / ".feuilleton-staging-99999999"
    (stale / "essay").mkdir(parents=True)
    (stale / "essay" / "index.html").write_text("half a page")
    good = snapshot(root / "output", folders=True)
    gathered = root / ".feuilleton-spare-output-search-0a1b2c3d4e5f"  # pages a build killed while indexing left
    (gathered / "essay").mkdir(parents=True)
    (gathered / "essay" / "index.html").write_text("a page")
    done = cli("--site", str(root), "build", "-q")
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and not gathered.exists()
    assert snapshot(root / "output", folders=True) == good


def test_a_deploy_worktrees_hidden_files_in_output_outlive_every_build(site) -> None:
    root = site({"posts/essay.md": post("An essay", body="First text.")})
    assert cli("--site", str(root), "build", "-q").returncode == 0
    out = root / "output"
    (out / ".git" / "refs" / "tags").mkdir(parents=True)  # git keeps empty folders such as this
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / ".nojekyll").write_text("")
    for text in ("Second text.", "Third text.", "Fourth text."):  # each build swaps the trees
        (root / "posts/essay.md").write_text(post("An essay", body=text))
        done = cli("--site", str(root), "build", "-q")
        assert done.returncode == 0, done.stderr
        assert text in (out / "essay/index.html").read_text()
        assert (out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
        assert (out / ".git/refs/tags").is_dir() and (out / ".nojekyll").is_file()
    assert not (root / ".feuilleton-spare-output" / ".git").exists()  # moved along, not copied
    assert cli("--site", str(root), "build", "-q").returncode == 0  # nothing changed: all stays


# --- (b) revise killed at random moments ------------------------------------------------

ESSAY = post("An essay", "2026-11-01T09:00:00", "The first text of the essay.\n\nA second paragraph.")


def _archive(site: Path) -> dict[str, bytes]:
    folder = site / "posts" / "essay.versions"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def _state(site: Path, before: tuple[bytes, dict[str, bytes]]) -> str:
    """``before``, ``recorded`` (v2 in the archive and pinned in the post) or ``unpinned`` (v2 only)."""
    path = site / "posts" / "essay.md"
    text, archive = path.read_bytes(), {k: v for k, v in _archive(site).items() if not k.startswith(".")}
    if (text, archive) == before:
        return "before"
    config, _ = load_config(site)
    report = Report(site)
    versions = read_archive(path, config.timezone, report)
    assert report.items == [], [str(d) for d in report.items]
    assert sorted(archive) == ["v1.md", "v2.md"], sorted(archive)
    assert archive["v1.md"] == before[1]["v1.md"], "a recorded version was rewritten"
    v2 = versions[-1]
    assert v2.number == 2 and v2.note == NOTE
    if text.decode() == v2.text:
        return "recorded"
    assert text == before[0], "the post changed without being recorded"
    assert v2.text == text.decode().replace("version: 1\n", "version: 2\n"), "v2 is not the post as it stood"
    return "unpinned"


NOTE = "Update: the second paragraph was rewritten."


def _revisable(folder: Path) -> tuple[Path, tuple[bytes, dict[str, bytes]]]:
    """A published essay (version 1) whose text has since been edited, ready for ``revise``."""
    site = write_site(folder, {"posts/essay.md": ESSAY})
    assert cli("--site", str(site), "publish", str(site / "posts/essay.md")).returncode == 0
    path = site / "posts" / "essay.md"
    path.write_text(path.read_text().replace("A second paragraph.", "A rewritten second paragraph."))
    return site, (path.read_bytes(), _archive(site))


@pytest.fixture(scope="module")
def revise_seconds(tmp_path_factory) -> float:
    """How long a whole ``revise`` takes here, start to exit."""
    site, _ = _revisable(tmp_path_factory.mktemp("timing") / "site")
    started = time.monotonic()
    assert cli("--site", str(site), "revise", str(site / "posts/essay.md"), "--note", NOTE).returncode == 0
    return time.monotonic() - started


REVISE_KILLS = [("timed", n) for n in range(8)] + [("when v2 appears", n) for n in range(4)]


@pytest.mark.parametrize("how, n", REVISE_KILLS)
def test_revise_killed_at_any_moment_leaves_a_known_state(tmp_path: Path, revise_seconds: float, how: str,
                                                          n: int) -> None:
    site, before = _revisable(tmp_path / "site")
    path = site / "posts" / "essay.md"
    process = start("--site", str(site), "revise", str(path), "--note", NOTE)
    if how == "timed":
        time.sleep((0.5 + 0.12 * n) * revise_seconds)  # from mid-way to past the end
    else:
        target = site / "posts" / "essay.versions" / "v2.md"
        while process.poll() is None and not target.exists():
            pass
    kill(process)
    state = _state(site, before)
    print(f"revise killed ({how}): {state}")

    check = cli("--site", str(site), "check")
    assert "Traceback" not in check.stderr
    assert check.returncode == 0, check.stderr
    if state == "unpinned":
        assert re.search(r"posts/essay.md:\d+: warning: says `version: 1`, but version 2 is recorded", check.stderr)
        assert "set `version: 2` here" in check.stderr
        finish = cli("--site", str(site), "revise", str(path))  # no note: completes the interrupted one
        assert finish.returncode == 0, finish.stderr
        assert "without `version: 2`; set it now" in finish.stdout
    elif state == "before":  # the edit is there, not recorded: said, until the revise run again records it
        assert check.stderr == ("posts/essay.md: warning: changed since version 1 was recorded: readers get the new "
                                "text with no note, and no version keeps it; run `feuilleton revise posts/essay.md "
                                '--note "…"` to record it (or `--minor` for words mended)\n'), check.stderr
        finish = cli("--site", str(site), "revise", str(path), "--note", NOTE)
        assert finish.returncode == 0, finish.stderr
    else:
        assert "warning" not in check.stderr, check.stderr
    assert _state(site, before) == "recorded"
    assert build(site, now=NOW, write=False).warnings == []
    assert not [p.name for p in site.rglob("*.tmp")], "a killed command's temporary file was left behind"


DRAFT = post("An essay", date="2026-11-01T09:00:00", body="The first text of the essay.", draft="true")  # publish keeps its date: the checks run at NOW


def _publish_state(site: Path, draft: bytes) -> str:
    """``before`` (still a draft), ``published`` (v1 recorded and pinned) or ``unrecorded`` (public, no v1)."""
    path = site / "posts" / "essay.md"
    text = path.read_bytes()
    archive = {k: v for k, v in _archive(site).items() if not k.startswith(".")}
    if text == draft:
        assert archive == {}, "a draft's text was recorded"
        return "before"
    assert b"draft" not in text and b"\nversion: 1\n" in text
    if not archive:
        return "unrecorded"
    config, _ = load_config(site)
    report = Report(site)
    versions = read_archive(path, config.timezone, report)
    assert report.items == [] and [v.number for v in versions] == [1]
    assert versions[0].text == text.decode()
    return "published"


PUBLISH_KILLS = [("timed", n) for n in range(4)] + [("when the post is rewritten", n) for n in range(4)]


@pytest.mark.parametrize("how, n", PUBLISH_KILLS)
def test_publish_killed_at_any_moment_can_be_finished(tmp_path: Path, revise_seconds: float, how: str,
                                                      n: int) -> None:
    site = write_site(tmp_path / "site", {"posts/essay.md": DRAFT})
    path = site / "posts" / "essay.md"
    draft = path.read_bytes()
    inode = path.stat().st_ino
    process = start("--site", str(site), "publish", str(path))
    if how == "timed":
        time.sleep((0.7 + 0.15 * n) * revise_seconds)
    else:
        while process.poll() is None and path.stat().st_ino == inode:
            pass
    kill(process)
    state = _publish_state(site, draft)
    print(f"publish killed ({how}): {state}")

    check = cli("--site", str(site), "check")
    if state == "unrecorded":
        (line,) = assert_clean_failure(check)
        assert "if `feuilleton publish` was interrupted, run it again: feuilleton publish posts/essay.md" in line
    else:
        assert check.returncode == 0 and "Traceback" not in check.stderr, check.stderr
    if state != "published":
        again = cli("--site", str(site), "publish", str(path))
        assert again.returncode == 0, again.stderr
    assert _publish_state(site, draft) == "published"
    assert build(site, now=NOW, write=False).warnings == []
    assert not [p.name for p in site.rglob("*.tmp")], "a killed command's temporary file was left behind"


def test_a_version_writer_killed_just_before_linking_leaves_no_file(tmp_path: Path) -> None:
    """The version is written to a file without a name and linked in whole: a kill at the worst moment
    leaves neither a temporary file nor a partial version."""
    script = """
import os, signal, sys
from datetime import datetime, timezone
from pathlib import Path
from engine.source.versions import NewVersion, append
os.link = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)  # dies where the name would be given
append(Path(sys.argv[1]), 1, NewVersion("---\\ntitle: T\\n---\\nText.\\n", datetime(2026, 11, 1, tzinfo=timezone.utc), "", False))
"""
    post_path = tmp_path / "essay.md"
    post_path.write_text("---\ntitle: T\n---\nText.\n")
    done = subprocess.run([sys.executable, "-c", script, str(post_path)], cwd=REPO, capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert os.listdir(tmp_path / "essay.versions") == []


# --- (c) an output folder that cannot be written ------------------------------------------

def test_unwritable_output_parent_is_a_clean_error(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("An essay")})
    assert cli("--site", str(root), "build", "-q").returncode == 0
    good = snapshot(root / "output", folders=True)
    parent = tmp_path / "elsewhere"
    if os.geteuid() == 0:  # root writes through chmod; a file where a folder must be stops even root
        parent.write_text("a file, not a folder")
    else:
        parent.mkdir()
        parent.chmod(0o555)
    try:
        done = cli("--site", str(root), "build", "--output", str(parent / "out"))
    finally:
        if parent.is_dir():
            parent.chmod(0o755)
    (line,) = assert_clean_failure(done)
    assert line.startswith(str(parent) + ": ") or line.startswith(str(parent / "out") + ": "), line
    assert snapshot(root / "output", folders=True) == good
    assert not (parent / "out").exists()


def test_output_that_is_a_file_is_a_clean_error_and_the_file_survives(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("An essay")})
    target = tmp_path / "notes.txt"
    target.write_text("my notes")
    (line,) = assert_clean_failure(cli("--site", str(root), "build", "--output", str(target)))
    assert line == (f"{target}: is a file, not a folder, so the site cannot be written there; "
                    "choose another output folder")
    assert target.read_text() == "my notes"
    assert not list(tmp_path.glob(".feuilleton-*"))


@pytest.mark.parametrize("output", ["posts", ".", "templates", "posts/site"])
def test_output_over_the_authors_files_is_refused_and_they_survive(site, output: str) -> None:
    root = site({"posts/essay.md": post("An essay"), "templates/README": "mine"})
    before = snapshot(root, folders=True)
    done = run_cli("--site", str(root), "build", "--output", output, cwd=root)
    (line,) = assert_clean_failure(done)
    assert line.startswith(f"{output}: --output ")
    assert snapshot(root, folders=True) == before


def test_output_dir_over_the_posts_is_refused_in_config(site) -> None:
    root = site({"posts/essay.md": post("An essay")}, config='title = "T"\nbase_url = "https://example.org/"\n'
                'output_dir = "posts"\n\n[author]\nname = "A"\n')
    before = snapshot(root, folders=True)
    (line,) = assert_clean_failure(cli("--site", str(root), "build"))
    assert line.startswith("config.toml:3: `output_dir` 'posts' overlaps the site's own posts/ folder")
    assert snapshot(root, folders=True) == before


def test_a_folder_feuilleton_did_not_make_is_never_replaced(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("An essay")})
    theirs = tmp_path / "documents"
    theirs.mkdir()
    (theirs / "letter.txt").write_text("Dear reader")
    (line,) = assert_clean_failure(cli("--site", str(root), "build", "--output", str(theirs)))
    assert line.startswith(f"{theirs}: holds files but no sitemap.xml")
    assert snapshot(theirs, folders=True) == {"letter.txt": b"Dear reader"}


# --- (d) and (e): files that vanish or are saved while a build reads them ------------------

def _outcome(root: Path, out: Path) -> str:
    try:
        build(root, now=NOW, output=out)
    except SiteError as e:
        for diagnostic in e.diagnostics:
            assert diagnostic.path and diagnostic.message, diagnostic
            assert SHOWN.match(str(diagnostic)), str(diagnostic)
        assert any(not d.warning for d in e.diagnostics)
        return "error"
    return "built"


def _churn(stop: threading.Event, action, counter: list[int]) -> None:
    while not stop.is_set():
        action()
        counter[0] += 1


SERIES = 'title = "Cities"\n\n[[planned]]\npart = 3\ntitle = "Later"\n'


def test_files_vanishing_during_builds_give_a_site_or_diagnostics(site, tmp_path: Path) -> None:
    files = {"posts/stays.md": post("Stays"), "posts/comes-and-goes.md": post("Comes and goes"),
             "posts/cities/series.toml": SERIES,
             "posts/cities/part-1.md": post("One", part=1), "posts/cities/part-2.md": post("Two", part=2)}
    root = site(files)
    out = tmp_path / "out"
    assert _outcome(root, out) == "built"
    essay = root / "posts" / "stays.md"
    assert cli("--site", str(root), "publish", str(essay)).returncode == 0
    essay.write_text(essay.read_text().replace("Some text.", "Some revised text."))
    assert cli("--site", str(root), "revise", str(essay), "--note", "Revised.").returncode == 0
    archive = root / "posts" / "stays.versions"
    saved = {p.name: p.read_bytes() for p in archive.iterdir()}

    def churn() -> None:
        (root / "posts" / "comes-and-goes.md").unlink()
        shutil.rmtree(root / "posts" / "cities")
        shutil.rmtree(archive)
        write_site(root, {k: v for k, v in files.items() if k != "posts/stays.md"}, config=None)
        archive.mkdir()
        for name, data in saved.items():
            (archive / name).write_bytes(data)

    stop, count = threading.Event(), [0]
    thread = threading.Thread(target=_churn, args=(stop, churn, count))
    thread.start()
    outcomes: dict[str, int] = {}
    try:
        last_good = snapshot(out, folders=True)
        for _ in range(60):
            result = _outcome(root, out)
            outcomes[result] = outcomes.get(result, 0) + 1
            if result == "built":
                assert (out / "stays" / "index.html").is_file()
                last_good = snapshot(out, folders=True)
            else:
                assert snapshot(out, folders=True) == last_good, "a failed build touched the output"
    finally:
        stop.set()
        thread.join()
    print(f"vanishing files: {count[0]} churns, builds {outcomes}")
    assert count[0] > 0 and sum(outcomes.values()) == 60
    assert _outcome(root, out) == "built"


def test_rename_style_saves_during_builds_give_a_consistent_site(site, tmp_path: Path) -> None:
    variants = [post("Alpha title", body="ALPHA-BODY first."), post("Bravo title", body="BRAVO-BODY second.")]
    root = site({"posts/essay.md": variants[0], "posts/other.md": post("Other")})
    path = root / "posts" / "essay.md"
    out = tmp_path / "out"
    turn = [0]

    def save() -> None:
        turn[0] += 1
        temp = path.with_name(".essay.md.swp")
        temp.write_text(variants[turn[0] % 2])
        os.replace(temp, path)

    stop, count = threading.Event(), [0]
    thread = threading.Thread(target=_churn, args=(stop, save, count))
    thread.start()
    seen: dict[str, int] = {}
    try:
        for _ in range(40):
            result = _outcome(root, out)
            if result == "built":
                page = (out / "essay" / "index.html").read_text()
                home = (out / "index.html").read_text()
                alpha = "Alpha title" in page and "ALPHA-BODY" in page
                bravo = "Bravo title" in page and "BRAVO-BODY" in page
                assert alpha != bravo, "a page mixes two saves"
                result = "alpha" if alpha else "bravo"
                assert ("Alpha title" if alpha else "Bravo title") in home, "the home page and the post disagree"
            seen[result] = seen.get(result, 0) + 1
    finally:
        stop.set()
        thread.join()
    print(f"rename-style saves: {count[0]} saves, builds {seen}")
    assert count[0] > 0 and seen.get("alpha", 0) + seen.get("bravo", 0) > 0


# --- (f) revise while serve is running ------------------------------------------------------

def test_revise_during_serve_ends_with_a_consistent_archive(site) -> None:
    root = site({"posts/essay.md": ESSAY})
    path = root / "posts" / "essay.md"
    assert cli("--site", str(root), "publish", str(path)).returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "engine", "--site", str(root), "serve", "--port", "0"],
                              env=ENV, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    lines: list[str] = []
    try:
        port = None
        while port is None:
            line = server.stdout.readline()
            assert line, "serve ended before serving:\n" + "".join(lines)
            lines.append(line)
            found = re.search(r"Serving .* at http://127\.0\.0\.1:(\d+)/", line)
            port = int(found.group(1)) if found else None
        url = f"http://127.0.0.1:{port}/essays/essay/"
        assert "A second paragraph." in _get(url)

        path.write_text(path.read_text().replace("A second paragraph.", "A rewritten second paragraph."))
        done = cli("--site", str(root), "revise", str(path), "--note", "Update: rewritten during serve.")
        assert done.returncode == 0, done.stderr

        config, _ = load_config(root)
        report = Report(root)
        versions = read_archive(path, config.timezone, report)
        assert report.items == []
        assert [v.number for v in versions] == [1, 2]
        assert versions[-1].text == path.read_text() and "version: 2" in versions[-1].text
        assert versions[-1].note == "Update: rewritten during serve."

        deadline = time.monotonic() + 60  # a hang guard, not a speed requirement
        page = ""
        while time.monotonic() < deadline:
            page = _get(url)
            if "rewritten during serve" in page and "A rewritten second paragraph." in page:
                break
            time.sleep(0.1)
        assert "rewritten during serve" in page and "A rewritten second paragraph." in page
        assert _get(f"http://127.0.0.1:{port}/essays/essay/v2/changes/")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            rest, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            rest, _ = server.communicate()
        lines.append(rest or "")
    assert "Traceback" not in "".join(lines), "".join(lines)
    assert server.returncode == 0
    assert cli("--site", str(root), "check").returncode == 0


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.read().decode("utf-8", "replace")


def test_a_build_called_off_while_it_lists_the_output_lets_go_of_the_lock(site) -> None:
    root = site({"posts/essay.md": post("An essay")})
    build(root, now=NOW)
    before = snapshot(root / "output", folders=True)
    called_off = threading.Event()
    called_off.set()
    writer = Writer(root / "output", ["index.html"])  # still referenced: its lock file is not closed by the collector
    with cancelled_by(called_off), pytest.raises(Cancelled):
        writer.__enter__()
    with open(writer.lock.path) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if the lock were still held
    assert snapshot(root / "output", folders=True) == before
    assert build(root, now=NOW).written is not None

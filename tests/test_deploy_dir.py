"""``deploy`` to ``dir:PATH``: the folder a web server serves is replaced in one step while a reader
process keeps reading it, and never shows it a missing or half-written file."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import EPOCH, assert_user_error, post, run_cli, snapshot

pytestmark = pytest.mark.slow

READER = textwrap.dedent("""\
    import sys, time
    root = sys.argv[1]
    names = ["index.html", "essay/index.html", "feed.xml", "sitemap.xml", "theme/style.css"]
    seen, bad = set(), []
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        for name in names:
            try:
                data = open(root + "/" + name, "rb").read()
            except OSError as e:
                bad.append(f"{name}: {e}")
                continue
            if name.endswith(".html") and not data.rstrip().endswith(b"</html>"):
                bad.append(f"{name}: half a file ({len(data)} bytes)")
            if name == "essay/index.html":
                seen.add(b"Version B" in data)
    print(sorted(seen), bad[:5], len(bad))
""")


def test_a_reader_never_sees_a_missing_or_half_file_while_the_site_is_swapped(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay", body="Version A. " * 3000)})
    served = tmp_path / "www" / "essays"
    first = run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH)
    assert first.returncode == 0, first.stderr
    assert served.is_symlink() and (served / "essay/index.html").is_file()
    reader = subprocess.Popen([sys.executable, "-c", READER, str(served), "12"], stdout=subprocess.PIPE, text=True)
    for n in range(3):
        body = ("Version B. " if n % 2 == 0 else "Version A. ") * 3000
        (root / "posts/essay.md").write_text(post("Essay", body=body), encoding="utf-8")
        done = run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH)
        assert done.returncode == 0, done.stderr
    out, _ = reader.communicate(timeout=60)
    assert out.strip().endswith("[] 0"), out  # no error, no half file
    assert "[False, True]" in out  # it read both sites, so the swaps happened while it read
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    assert snapshot(served) == snapshot(root / "output")
    releases = sorted(p.name for p in served.parent.iterdir() if p.name not in ("essays", ".essays.lock"))
    assert len(releases) == 2  # the newest and the one before; older ones are gone


def test_dry_run_compares_the_trees_and_changes_nothing(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay"), "posts/other.md": post("Other")})
    served = tmp_path / "essays"
    assert run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH).returncode == 0
    before = snapshot(served)
    (root / "posts/other.md").unlink()
    (root / "posts/essay.md").write_text(post("Essay", body="New text."), encoding="utf-8")
    (root / "posts/third.md").write_text(post("Third"), encoding="utf-8")
    dry = run_cli("deploy", "--to", f"dir:{served}", "--dry-run", cwd=root, env=EPOCH)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert "+ third/index.html" in lines and "~ essay/index.html" in lines and "- other/index.html" in lines
    assert snapshot(served) == before


def test_a_plain_folder_with_a_built_site_becomes_the_link_and_any_other_is_refused(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay")})
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    served = tmp_path / "served"
    subprocess.run(["cp", "-r", str(root / "output"), str(served)], check=True)
    (served / "stale.html").write_text("old")
    done = run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert served.is_symlink() and not (served / "stale.html").exists()
    for _ in range(2):  # two more deploys, which prune old releases: the folder that was there stays
        (root / "posts/essay.md").write_text(post("Essay", body=f"Words {_}."))
        assert run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH).returncode == 0
    kept = list(tmp_path.glob(".served.was-*"))
    assert len(kept) == 1 and (kept[0] / "stale.html").read_text() == "old"
    for name, files in (("photos", {"cat.jpg": b"jpeg"}),  # a web root with a sitemap is no site Feuilleton built
                        ("wordpress", {"sitemap.xml": b"<urlset/>", "index.php": b"<?php"})):
        other = tmp_path / name
        other.mkdir()
        for file, data in files.items():
            (other / file).write_bytes(data)
        refused = run_cli("deploy", "--to", f"dir:{other}", cwd=root, env=EPOCH)
        assert_user_error(refused)
        assert "not a site Feuilleton built" in refused.stderr
        assert {p.name: p.read_bytes() for p in other.iterdir()} == files
    itself = run_cli("deploy", "--to", "dir:.", cwd=root, env=EPOCH)
    assert_user_error(itself)
    assert os.path.isfile(root / "posts/essay.md")


@pytest.mark.parametrize("stop, code", [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_deploy_stopped_by_sigterm_leaves_no_temporary_build_behind(tmp_path: Path, stop: str, code: int) -> None:
    """A CI job's time limit or a service stopping sends SIGTERM: the deploy stops as at Ctrl-C, its build
    folder removed, nothing deployed, and exits 143."""
    import signal
    import time

    from tests.bench.corpus import generate

    site = generate(tmp_path / "site", 300, words=400, revisions=False)
    temp, target = tmp_path / "temp", tmp_path / "www" / "essays"
    temp.mkdir()
    env = {**os.environ, **EPOCH, "TMPDIR": str(temp)}
    process = subprocess.Popen([sys.executable, "-m", "engine", "--site", str(site), "deploy", "--to", f"dir:{target}"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 60
    while not any(temp.iterdir()) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the deploy ended before its build could be stopped"
    process.send_signal(getattr(signal, stop))
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "Traceback" not in err
    assert err.strip().endswith("interrupted: a dir: or git: target holds the site it had or the new one whole; an "
                                "rsync: one may hold some new files beside old ones (each whole); running deploy "
                                "again is safe")  # the author is told where things stand
    assert list(temp.iterdir()) == []
    assert not target.exists()


@pytest.mark.parametrize("inside", ["static/www", "www/essays", "output"])
def test_a_folder_inside_the_site_is_refused(site, inside: str) -> None:
    """One in static/ would be copied into every build (and deployed again, growing each time)."""
    root = site({"posts/essay.md": post("An essay")})
    before = snapshot(root)
    done = run_cli("--site", str(root), "deploy", "--to", f"dir:{root / inside}", env=EPOCH)
    assert_user_error(done)
    assert "is the site folder, one around it or one inside it" in done.stderr
    assert snapshot(root) == before


def test_a_link_that_deploy_did_not_make_is_not_replaced(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay")})
    other = tmp_path / "other-site"
    other.mkdir()
    (other / "index.html").write_text("theirs")
    served = tmp_path / "www"
    served.symlink_to(other)
    refused = run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH)
    assert_user_error(refused)
    assert "is a link to" in refused.stderr and "not to a release a deploy made" in refused.stderr
    assert os.readlink(served) == str(other) and (other / "index.html").read_text() == "theirs"
    served.unlink()
    for _ in range(2):  # its own link, made by the first deploy, is followed by the next
        assert run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH).returncode == 0


def test_a_second_deploy_to_the_folder_waits_for_the_first(site, tmp_path: Path) -> None:
    """Two deploys at once (a scheduled one and the author's): the second's clean-up removed the release the
    first had just put in place, and PATH led to a missing or half-deleted folder, both saying "Deployed"."""
    import fcntl
    root = site({"posts/essay.md": post("Essay")})
    served = tmp_path / "www" / "essays"
    assert run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=EPOCH).returncode == 0
    (root / "posts/essay.md").write_text(post("Essay", body="Version B."), encoding="utf-8")
    with open(served.parent / ".essays.lock", "a") as held:  # a deploy under way holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen([sys.executable, "-m", "engine", "--site", str(root), "deploy", "--to",
                                    f"dir:{served}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, **EPOCH})
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=8)  # built, and waiting its turn: nothing of the site changed meanwhile
        assert "Version B" not in (served / "essay/index.html").read_text()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "Version B" in (served / "essay/index.html").read_text()


def test_a_mount_point_is_refused_with_what_to_do_and_leaves_no_release_behind(
        site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A volume mounted where the web server looks cannot be swapped for a link: the deploy said to empty it
    (it was empty), and each try left a whole copy of the site beside it."""
    from engine.cli import main
    root = site({"posts/essay.md": post("Essay")})
    served = tmp_path / "www" / "essays"
    served.mkdir(parents=True)
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: str(path) == str(served) or real(path))
    monkeypatch.chdir(root)
    assert main(["deploy", "--to", f"dir:{served}"]) == 1
    assert [p.name for p in served.parent.iterdir()] == ["essays"] and not any(served.iterdir())


def test_a_folder_bound_at_path_counts_as_mounted_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bind mount shares its parent's device, so ``os.path.ismount`` misses it, and the deploy gave the old
    "move it aside (or empty it)" advice for an empty folder; the system's table of mounts lists it."""
    from engine.commands.deploy.folder import _mounted
    monkeypatch.setattr(os.path, "ismount", lambda path: False)  # as for a folder bound there
    assert _mounted(Path("/proc")) and not _mounted(Path("/proc/self").parent.parent / "nonexistent-x")


def test_a_deploy_under_a_clock_that_lags_does_not_take_a_scheduled_post_that_went_out_off_the_host(
        site, tmp_path: Path) -> None:
    """Out once its date came and deployed, a scheduled post went off the host with a deploy whose clock was
    before that date (exit 0, called "a deleted post"): a deploy builds elsewhere than output/, which the build's
    own check reads."""
    from datetime import datetime, timezone
    root = site({"posts/soon.md": "---\ntitle: Soon\ndraft: true\n---\nText.\n"})
    served = tmp_path / "www" / "essays"
    at = lambda day: {"SOURCE_DATE_EPOCH": str(int(datetime(2099, 6, day, 12, tzinfo=timezone.utc).timestamp()))}  # noqa: E731
    assert run_cli("publish", "posts/soon.md", "--at", "2099-06-02T12:00", cwd=root).returncode == 0  # scheduled
    assert run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=at(3)).returncode == 0
    assert (served / "soon/v1/index.html").is_file()
    lagging = run_cli("deploy", "--to", f"dir:{served}", cwd=root, env=at(1))
    assert_user_error(lagging)
    assert "posts/soon.md:" in lagging.stderr and "the target published it (/soon/v1/index.html)" in lagging.stderr
    assert "this deploy's clock says 2099-06-01T08:00:00-04:00, before its date (2099-06-02T12:00:00-04:00)" \
        in lagging.stderr and "nothing was sent" in lagging.stderr
    assert (served / "soon/index.html").is_file()


def test_a_dry_run_makes_no_folder_and_no_lock(site, tmp_path: Path) -> None:
    """`--dry-run` to a mistyped path made its folders and a `.essays.lock` in them."""
    root = site({"posts/essay.md": post("Essay")})
    www = tmp_path / "www"
    www.mkdir()
    dry = run_cli("deploy", "--to", f"dir:{www}/typo/essays", "--dry-run", cwd=root, env=EPOCH)
    assert dry.returncode == 0, dry.stderr
    assert "would add" in dry.stdout and list(www.iterdir()) == []
    (www / "essays").mkdir()  # the folder's parent there: still no lock beside it
    dry = run_cli("deploy", "--to", f"dir:{www}/essays/site", "--dry-run", cwd=root, env=EPOCH)
    assert dry.returncode == 0, dry.stderr
    assert list((www / "essays").iterdir()) == []
    assert run_cli("deploy", "--to", f"dir:{www}/essays/site", cwd=root, env=EPOCH).returncode == 0
    (root / "posts/essay.md").write_text(post("Essay", body="New words."))
    before = sorted(p.name for p in (www / "essays").iterdir())
    dry = run_cli("deploy", "--to", f"dir:{www}/essays/site", "--dry-run", cwd=root, env=EPOCH)
    assert dry.returncode == 0 and "~ essay/index.html" in dry.stdout, dry.stderr
    assert sorted(p.name for p in (www / "essays").iterdir()) == before

"""A deploy never takes a published version off the live site: a post put back to before a `revise` (git
checkout, git clean), with `output/` gone so that the build cannot see it, is refused at every kind of
target, before anything is sent."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EPOCH, post, run_cli, write_site

pytestmark = pytest.mark.slow


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=a", "-c", "user.email=a@example.org", *args],
                   check=True, capture_output=True)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--site", str(root), *args, env=EPOCH)


def revised_then_undone(tmp_path: Path, target: str) -> Path:
    """Published, deployed; revised, deployed (v2 is live); then git takes the post back to version 1."""
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true")})
    git(root, "init", "-q")
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "published")
    assert cli(root, "deploy", "--to", target).returncode == 0
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.").returncode == 0
    done = cli(root, "deploy", "--to", target)
    assert done.returncode == 0, done.stderr
    git(root, "checkout", "-q", "--", "posts")
    git(root, "clean", "-qfd", "posts")
    shutil.rmtree(root / "output", ignore_errors=True)
    return root


def refused(root: Path, target: str) -> None:
    for args in (("deploy", "--to", target, "--dry-run"), ("deploy", "--to", target)):
        done = cli(root, *args)
        assert done.returncode == 1, done.stderr
        assert "posts/towpath.md: the target publishes version 2 (/towpath/v2/), which the post no longer has" \
            in done.stderr and "nothing was sent" in done.stderr


@pytest.mark.parametrize("kind", ["dir", "rsync"])
def test_a_folder_target_keeps_a_version_the_site_lost(tmp_path: Path, kind: str) -> None:
    live = tmp_path / "www"
    if kind == "rsync":
        live.mkdir()  # rsync makes the last folder only; dir: makes its own link
    target = f"dir:{live}" if kind == "dir" else f"rsync:{live}/"
    root = revised_then_undone(tmp_path, target)
    before = (live / "towpath/v2/index.html").read_bytes()
    refused(root, target)
    assert (live / "towpath/v2/index.html").read_bytes() == before


def test_a_git_target_keeps_a_version_the_site_lost(tmp_path: Path) -> None:
    remote = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    root = revised_then_undone(tmp_path, f"git:{remote}#gh-pages")
    tip = subprocess.run(["git", "-C", str(remote), "rev-parse", "gh-pages"], capture_output=True, text=True).stdout
    refused(root, f"git:{remote}#gh-pages")
    assert subprocess.run(["git", "-C", str(remote), "rev-parse", "gh-pages"], capture_output=True,
                          text=True).stdout == tip


def test_a_deleted_post_may_still_leave_the_target(tmp_path: Path) -> None:
    """Deleting a post (and its versions) is the author's call, which the build warns of: deploy goes on."""
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true"),
                                          "posts/other.md": post("Other", "2026-11-02T09:00:00")})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    (root / "posts/towpath.md").unlink()
    shutil.rmtree(root / "posts/towpath.versions")
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert not (live / "towpath").exists()
    assert "deploy: warning: takes off the target 1 version page(s) of posts no longer in the site " \
           "(/towpath/v1/): a deleted post's permanent addresses are gone" in done.stderr

"""``deploy`` to ``rsync:DEST``, a folder on this machine: DEST becomes the built site, nothing outside
it is ever removed (file names that read as options or hold newlines included), and destinations that
could reach beyond the site's own folder are refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.commands.deploy.rsync import dest_problem
from tests.conftest import EPOCH, assert_user_error, post, run_cli, snapshot

HOSTILE = {"static/--delete": b"a", "static/-e x": b"b", "static/new\nline.txt": b"c", "static/with space.txt": b"d",
           "static/*": b"e", "static/$(touch pwned)": b"f"}


@pytest.mark.slow
def test_dest_becomes_the_site_and_nothing_outside_it_is_removed(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay"), **HOSTILE})
    server = tmp_path / "server"
    (server / "www/essays").mkdir(parents=True)
    (server / "www/essays/stale.html").write_text("old")
    (server / "www/other-site/index.html").parent.mkdir(parents=True)
    (server / "www/other-site/index.html").write_text("keep")
    (server / "www/--delete").write_text("keep")
    (server / "www/-e x").write_text("keep")
    outside = {k: v for k, v in snapshot(server).items() if not k.startswith("www/essays/")}

    dry = run_cli("deploy", "--to", f"rsync:{server}/www/essays", "--dry-run", cwd=root, env=EPOCH)
    assert dry.returncode == 0, dry.stderr
    assert "- stale.html" in dry.stdout and "+ --delete" in dry.stdout and "+ essay/index.html" in dry.stdout
    assert (server / "www/essays/stale.html").exists() and not (server / "www/essays/essay").exists()

    done = run_cli("deploy", "--to", f"rsync:{server}/www/essays", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    assert snapshot(server / "www/essays") == snapshot(root / "output")
    assert (server / "www/essays/new\nline.txt").read_bytes() == b"c"
    assert {k: v for k, v in snapshot(server).items() if not k.startswith("www/essays/")} == outside
    assert not (root / "pwned").exists() and not (Path.cwd() / "pwned").exists()

    again = run_cli("deploy", "--to", f"rsync:{server}/www/essays", cwd=root, env=EPOCH)
    assert "already has this site: nothing to send" in again.stdout  # checksums: nothing unchanged is sent


@pytest.mark.parametrize("dest", ["", "/", "~", "~/", "host:", "me@host:", "host:~", "host:/", "/home/me", "/home/me/",
                                  "/root", "/etc", "/var", "/srv/../etc", "-e", "me@host:/Users/me", "host:."])
def test_destinations_that_reach_beyond_a_site_folder_are_refused(dest: str, tmp_path: Path) -> None:
    assert dest_problem(dest, tmp_path / "site") is not None


@pytest.mark.parametrize("dest", ["/srv/www/essays", "me@host:/srv/www/essays/", "host:/var/www/site",
                                  "/home/me/public_html", "me@host:public_html"])
def test_a_sites_own_folder_is_taken(dest: str, tmp_path: Path) -> None:
    assert dest_problem(dest, tmp_path / "site") is None


@pytest.mark.slow
def test_the_site_folder_itself_is_refused(site) -> None:
    root = site({"posts/essay.md": post("Essay")})
    for dest in (".", str(root), str(root / "posts"), str(root.parent)):
        done = run_cli("deploy", "--to", f"rsync:{dest}", cwd=root, env=EPOCH)
        assert_user_error(done)
        assert "rsync destination refused" in done.stderr
    assert (root / "posts/essay.md").is_file()


@pytest.mark.slow
def test_without_rsync_the_deploy_says_so(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay")})
    import os
    done = run_cli("deploy", "--to", f"rsync:{tmp_path}/dest", cwd=root,
                   env={**EPOCH, "PATH": str(Path(os.__file__).parent)})  # a PATH with no rsync on it
    assert_user_error(done)
    assert "rsync is not installed" in done.stderr and not (tmp_path / "dest").exists()


def test_a_destination_whose_parent_folder_is_missing_is_said_so_before_anything_is_sent(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay")})
    done = run_cli("deploy", "--to", f"rsync:{tmp_path}/missing/essays/", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert f"the folder it goes in, {tmp_path}/missing, does not exist; create it first" in done.stderr
    assert "nothing was sent" in done.stderr and "may hold some new files" not in done.stderr


def test_a_tilde_is_refused_with_the_path_rsync_would_take(tmp_path: Path) -> None:
    """rsync gets the path as written, so `~` would be a folder named `~`: the advice names the same place."""
    said = dest_problem("me@host:~/public_html/", tmp_path / "site")
    assert said is not None and "is a home folder" not in said
    assert "`~` is not expanded here" in said and "me@host:public_html/" in said
    assert dest_problem("me@host:public_html/", tmp_path / "site") is None

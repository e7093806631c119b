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
    (server / "www/essays/theme").mkdir(parents=True)  # an earlier build's, with a file this one no longer has
    (server / "www/essays/sitemap.xml").write_text("<urlset/>")
    (server / "www/essays/theme/style.css").write_text("body {}")
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


def _holding(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("held", [
    {"shop/index.html": b"<h1>shop</h1>", "shop/.well-known/acme-challenge": b"token", "notes.txt": b"important"},
    {"notes.txt": b"important"},
    {".well-known/acme-challenge/token": b"t"},
])
def test_a_destination_holding_what_no_build_made_is_refused_and_left_as_it_was(site, tmp_path: Path, held) -> None:
    """`rsync:/srv/www/` (one folder too high, or a --to mistyped) deleted another site's folder and the files
    beside it, where `dir:` refused the same folder."""
    root = site({"posts/essay.md": post("Essay")})
    www = _holding(tmp_path / "srv/www", held)
    before = snapshot(www)
    for args in (("--dry-run",), ()):
        done = run_cli("deploy", "--to", f"rsync:{www}/", *args, cwd=root, env=EPOCH)
        assert_user_error(done)
        assert f"{www}/ holds files that are not a site Feuilleton built (no sitemap.xml and theme/style.css)" \
            in done.stderr, done.stderr
        assert held_name(held) in done.stderr and "nothing was changed" in done.stderr
    assert snapshot(www) == before


def held_name(held: dict[str, bytes]) -> str:
    top, _, below = sorted(held)[0].partition("/")
    return f"{top}/" if below else top


@pytest.mark.slow
def test_a_destination_holding_another_feuilleton_site_in_a_folder_is_refused(site, tmp_path: Path) -> None:
    """The other site's version pages were listed as a deleted post's, and 92 files went."""
    other = site({"posts/other.md": post("Other")})
    www = tmp_path / "srv/www"
    (www / "othersite").mkdir(parents=True)
    assert run_cli("deploy", "--to", f"rsync:{www}/othersite/", cwd=other, env=EPOCH).returncode == 0
    before = snapshot(www)
    root = site({"posts/essay.md": post("Essay")})
    done = run_cli("deploy", "--to", f"rsync:{www}/", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert "holds files that are not a site Feuilleton built" in done.stderr and "othersite/" in done.stderr
    assert snapshot(www) == before


@pytest.mark.slow
def test_an_empty_or_missing_destination_or_the_sites_own_takes_the_site(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay")})
    (tmp_path / "empty").mkdir()
    for dest in (tmp_path / "empty", tmp_path / "missing"):
        done = run_cli("deploy", "--to", f"rsync:{dest}/", cwd=root, env=EPOCH)
        assert done.returncode == 0, done.stderr
        assert (dest / "essay/index.html").is_file()
    (tmp_path / "empty/stale.html").write_text("old")  # this site's earlier deploy, with a file it no longer has
    (root / "posts/essay.md").write_text(post("Essay", body="New words."))
    done = run_cli("deploy", "--to", f"rsync:{tmp_path / 'empty'}/", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "empty/stale.html").exists() and "New words." in (tmp_path / "empty/essay/index.html").read_text()

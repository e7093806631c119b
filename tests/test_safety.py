"""What a second red-team pass found: a build that could replace the author's folders, a cache that
could run code, reads that left the site or waited on a pipe, clocks out of range, a command run twice,
and files written back in other line endings.  Each runs the CLI as a user would."""
from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import SERIES, post, run_cli, write_site


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {"posts/essay.md": post("Essay", body="The essay's words.")})


def unchanged(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("link, target", [("public", "posts"), ("here", "."), ("look", "templates")])
def test_an_output_folder_that_links_to_the_authors_files_is_refused(root: Path, link: str, target: str) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "posts/sitemap.xml").write_text("<urlset/>")  # what once made the swap take posts/ for an output
    (root / link).symlink_to(target)
    config = root / "config.toml"
    config.write_text(f'output_dir = "{link}"\n' + config.read_text())
    before = unchanged(root / "posts")
    for _ in range(2):
        done = run_cli("build", cwd=root)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"config.toml:1: `output_dir` '{link}' leads (through a link) to "), done.stderr
    assert unchanged(root / "posts") == before
    assert not list(root.parent.glob(".feuilleton-spare-*")) and not list(root.glob(".feuilleton-spare-*"))


@pytest.mark.parametrize("target, what", [("posts", "overlaps the site's own posts/ folder"),
                                         ("templates", "overlaps the site's own templates/ folder"),
                                         ("..", "the site folder or one around it")])
def test_the_default_output_folder_made_a_link_is_the_link_to_blame(root: Path, target: str, what: str) -> None:
    """config.toml names no folder: the message names `output` and the link, not `posts_dir`."""
    (root / "templates").mkdir(exist_ok=True)
    (root / "output").symlink_to(target)
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and done.stderr.startswith("output: is a link to "), done.stderr
    assert what in done.stderr and "remove the link" in done.stderr and "posts_dir" not in done.stderr


def test_a_planted_cache_or_stamp_runs_nothing_and_is_thrown_away(root: Path, tmp_path: Path) -> None:
    class Planted:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'ran'}",))
    (root / ".feuilleton-cache").mkdir()
    for name in ("cache.pickle", "stamp.pickle"):
        (root / ".feuilleton-cache" / name).write_bytes(pickle.dumps(Planted()))
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "ran").exists()
    assert (root / "output/essay/index.html").is_file()
    again = run_cli("build", cwd=root)  # the cache it wrote in their place is its own, and is used
    assert again.returncode == 0 and "(0 warnings; 0 files written)" in again.stdout


def test_compiled_templates_are_never_kept_in_the_site_folder(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "user-cache"
    assert run_cli("build", cwd=root, env={"XDG_CACHE_HOME": str(cache)}).returncode == 0
    assert not (root / ".feuilleton-cache/jinja").exists()
    assert list((cache / "feuilleton/jinja").rglob("*.cache"))


def test_a_series_toml_that_links_out_of_the_site_is_not_read(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "leak.toml"
    outside.write_text('title = "LEAKED"\ndescription = "outside text"\n')
    (root / "posts/ser").mkdir()
    (root / "posts/ser/series.toml").symlink_to(outside)
    (root / "posts/ser/part-1.md").write_text(post("One", part=1))
    done = run_cli("build", cwd=root)
    assert done.returncode == 1
    assert (f"posts/ser/series.toml: links out of the site (to {outside}), and nothing is read from outside it; "
            "copy the file into the site instead") in done.stderr.splitlines()
    assert not (root / "output").exists()


@pytest.mark.parametrize("name", ["cache.pickle", "stamp.pickle"])
def test_a_named_pipe_in_the_cache_is_no_wait(root: Path, name: str) -> None:
    assert run_cli("build", cwd=root).returncode == 0
    planted = root / ".feuilleton-cache" / name
    planted.unlink(missing_ok=True)  # a build that ran too soon after an edit leaves no stamp
    os.mkfifo(planted)
    opener = threading.Timer(40, lambda: open(planted, "wb").close())  # frees a build that would wait
    opener.start()
    try:
        done = run_cli("build", cwd=root, timeout=30)
    finally:
        opener.cancel()
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("epoch, why", [("253402300800", "year 10000 is out of range"),
                                        ("１２３", "not a whole number of seconds"),
                                        ("12abc", "not a whole number of seconds")])
def test_a_source_date_epoch_out_of_range_is_named(root: Path, epoch: str, why: str) -> None:
    done = run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": epoch})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"SOURCE_DATE_EPOCH: {epoch!r} is no moment a build can take as now ({why})")


def published(root: Path, name: str = "essay") -> Path:
    assert run_cli("publish", f"posts/{name}.md", cwd=root).returncode == 0
    return root / f"posts/{name}.md"


def test_the_same_revise_run_twice_records_one_version(root: Path) -> None:
    path = published(root)
    path.write_text(path.read_text().replace("words.", "words, revised."))
    assert run_cli("revise", "posts/essay.md", "--note", "Same.", cwd=root).returncode == 0
    again = run_cli("revise", "posts/essay.md", "--note", "Same.", cwd=root)
    assert again.returncode == 1
    assert again.stderr == ("posts/essay.md: nothing new to record: version 2 already records this note on this "
                            "text (was the command run twice?)\n")
    assert sorted(p.name for p in (root / "posts/essay.versions").iterdir()) == ["v1.md", "v2.md"]


def test_a_comment_beside_version_is_no_interrupted_revise(root: Path) -> None:
    path = published(root)
    path.write_text(path.read_text().replace("version: 1\n", "version: 1 # kept by hand\n"))
    done = run_cli("revise", "posts/essay.md", "--note", "An update.", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "interrupted" not in done.stdout


def test_publish_and_revise_keep_the_files_line_endings_and_byte_order_mark(root: Path) -> None:
    path = root / "posts/crlf.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\ndraft: true\r\n---\r\n\r\nBody.\r\n")
    published(root, "crlf")
    path.write_bytes(path.read_bytes() + b"More.\r\n")
    assert run_cli("revise", "posts/crlf.md", "--note", "More.", cwd=root).returncode == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n") and data.endswith(b"Body.\r\nMore.\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert run_cli("check", cwd=root).returncode == 0


def test_a_post_with_one_pasted_crlf_line_keeps_every_lines_own_ending(root: Path) -> None:
    """One line pasted with CRLF into a post written with LF: publish turned all of them into CRLF, and git
    showed the whole file changed."""
    path = root / "posts/mixed.md"
    path.write_bytes(b"---\ntitle: T\ndraft: true\n---\n\nLine one.\nPasted line.\r\nLine three.\n")
    published(root, "mixed")
    data = path.read_bytes()
    assert data.count(b"\r") == 1 and data.endswith(b"\n\nLine one.\nPasted line.\r\nLine three.\n")
    assert data.startswith(b"---\ntitle: T\n")


@pytest.mark.parametrize("key", ['published: "false"', "published: no", "published:", "status: [draft]",
                                 "status: trash", "hidden: true", "private: true"])
def test_other_ways_of_saying_not_yet_keep_a_post_off_the_site(root: Path, key: str) -> None:
    (root / "posts/secret.md").write_text(f"---\ntitle: T\ndate: 2026-11-01\n{key}\n---\n\nSECRET\n")
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr
    assert not (root / "output/secret").exists()
    assert "posts/secret.md:4: warning: `" in done.stderr and "is read as `draft: true`" in done.stderr


def test_init_next_to_a_gitignore_that_is_a_pipe_says_so(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".gitignore")
    done = run_cli("init", str(tmp_path), timeout=30)
    assert done.returncode == 1
    assert "/.gitignore: cannot read: not a regular file (a named pipe)" in done.stderr


def test_a_series_toml_inside_the_site_still_counts(root: Path) -> None:
    (root / "posts/ser").mkdir()
    (root / "shared.toml").write_text(SERIES)
    (root / "posts/ser/series.toml").symlink_to(root / "shared.toml")
    (root / "posts/ser/part-1.md").write_text(post("One", part=1))
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "output/ser/index.html").is_file()


def test_a_published_version_taken_back_by_git_stops_the_build(tmp_path: Path) -> None:
    """`git checkout -- posts && git clean -fd posts` after a revise takes the version file and the post's
    `version: 2` back: the build stops, names what is gone, and output/ keeps the published version."""
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="The towpath runs.",
                                                                   draft="true")})
    git = ["git", "-C", str(root), "-c", "user.name=a", "-c", "user.email=a@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert run_cli("--site", str(root), "publish", "posts/towpath.md", "--at", "2026-11-01T09:00",
                   env=EPOCH).returncode == 0
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "published"], check=True)
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert run_cli("--site", str(root), "revise", str(path), "--note", "Fixed.", env=EPOCH).returncode == 0
    assert run_cli("--site", str(root), "build", env=EPOCH).returncode == 0
    v2 = (root / "output/towpath/v2/index.html").read_bytes()

    subprocess.run([*git, "checkout", "-q", "--", "posts"], check=True)
    subprocess.run([*git, "clean", "-qfd", "posts"], check=True)
    for command in ("build", "check"):
        done = run_cli("--site", str(root), command, env=EPOCH)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "posts/towpath.md: version 2 was published (the last build wrote /towpath/v2/), but " \
               "towpath.versions/v2.md is gone and the post names version 1" in done.stderr
    assert (root / "output/towpath/v2/index.html").read_bytes() == v2
    other = run_cli("--site", str(root), "build", "--output", str(tmp_path / "older"), env=EPOCH)
    assert other.returncode == 0, other.stderr  # an older state, built on purpose elsewhere


def test_a_published_post_deleted_with_its_archive_stops_the_build_and_a_draft_does_not(tmp_path: Path) -> None:
    """Deleting a post's file and its `.versions/` folder (a wrong `rm -r`, a `git clean`) would take every
    published version away without a word: the build stops and names the address; `draft: true` is the
    way to take a post down, and a post moved with its archive is no loss."""
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="Runs.", draft="true"),
                                          "posts/weir.md": post("Weir", "", body="Falls.", draft="true")})
    for name in ("towpath", "weir"):
        assert run_cli("--site", str(root), "publish", f"posts/{name}.md", "--at", "2026-11-01T09:00",
                       env=EPOCH).returncode == 0
    assert run_cli("--site", str(root), "build", env=EPOCH).returncode == 0
    (root / "posts/2026").mkdir()
    for name in ("weir.md", "weir.versions"):  # moved with its archive: the same post
        (root / "posts" / name).rename(root / "posts/2026" / name)
    shutil.move(root / "posts/towpath.md", tmp_path / "towpath.md")
    shutil.move(root / "posts/towpath.versions", tmp_path / "towpath.versions")
    for command in ("build", "check"):
        done = run_cli("--site", str(root), command, env=EPOCH)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.splitlines()[0] == (
            "posts: the post at /towpath/ is gone, with the pages of its published versions (the last build wrote "
            "/towpath/v1/): "
            "no file in posts/ is that post any more. Restore it (and its .versions/ folder, if that went too) from "
            "git or a backup, since a published version is never taken back; to take the post off the site, set "
            "`draft: true` in it; to delete it for good, delete output/ as well (the next build writes the whole site "
            "anew)")
    assert (root / "output/towpath/v1/index.html").is_file()
    shutil.move(tmp_path / "towpath.md", root / "posts/towpath.md")
    shutil.move(tmp_path / "towpath.versions", root / "posts/towpath.versions")
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("title:", "draft: true\ntitle:"))
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert not (root / "output/towpath").exists() and (root / "output/weir/v1/index.html").is_file()


def test_publish_and_revise_keep_a_private_posts_permissions(tmp_path: Path) -> None:
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="Runs.", draft="true")})
    path = root / "posts/towpath.md"
    path.chmod(0o600)
    assert run_cli("--site", str(root), "publish", str(path), "--at", "2026-11-01T09:00", env=EPOCH).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_text(path.read_text().replace("Runs.", "Runs on."))
    assert run_cli("--site", str(root), "revise", str(path), "--note", "On.", env=EPOCH).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o600
    versions = root / "posts/towpath.versions"  # the recorded texts are as private as the post
    assert versions.stat().st_mode & 0o077 == 0
    assert sorted((v.name, v.stat().st_mode & 0o777) for v in versions.iterdir()) == [("v1.md", 0o600),
                                                                                     ("v2.md", 0o600)]


@pytest.mark.parametrize("kind", ["read-only", "hard link"])
def test_a_read_only_or_hard_linked_post_is_refused_before_anything_is_recorded(tmp_path: Path, kind: str) -> None:
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="Runs.", draft="true")})
    path = root / "posts/towpath.md"
    if kind == "read-only":
        path.chmod(0o444)
    else:
        os.link(path, tmp_path / "elsewhere.md")
    before = path.read_bytes()
    done = run_cli("--site", str(root), "publish", str(path), "--at", "2026-11-01T09:00", env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("is read-only" if kind == "read-only" else "has 1 other name(s) (a hard link)") in done.stderr
    assert "nothing was recorded" in done.stderr
    assert path.read_bytes() == before and not (root / "posts/towpath.versions").exists()


def _small_files(limit: int):
    """For a subprocess: no file it writes may grow past ``limit`` bytes (as on a full disk, it fails)."""
    import resource
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_new_on_a_full_disk_leaves_no_empty_post(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {})
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-m", "engine", "--site", str(root), "new", "Full disk draft"],
                          capture_output=True, text=True, env=env, preexec_fn=_small_files(16))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "full-disk-draft.md: File too large; the command stopped there" in done.stderr
    assert list((root / "posts").iterdir()) == []


def test_revise_on_a_full_disk_says_nothing_was_recorded(tmp_path: Path) -> None:
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/disk.md": post("Disk", "", body="Word. " * 100, draft="true")})
    path = root / "posts/disk.md"
    assert run_cli("--site", str(root), "publish", str(path), "--at", "2026-11-01T09:00", env=EPOCH).returncode == 0
    path.write_text(path.read_text().replace("Word.", "Words.", 1))
    before = path.read_bytes()
    env = {**os.environ, **EPOCH, "PYTHONPATH": str(Path(__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-m", "engine", "--site", str(root), "revise", str(path), "--note",
                           "Full."], capture_output=True, text=True, env=env, preexec_fn=_small_files(700))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "posts/disk.md: could not record version 2 in disk.versions/ (File too large): nothing was " \
           "recorded" in done.stderr
    assert path.read_bytes() == before and sorted(p.name for p in (root / "posts/disk.versions").iterdir()) == ["v1.md"]


@pytest.mark.parametrize("moved", ["file", "folder"])
def test_a_version_file_turned_into_a_link_out_of_the_site_is_refused_with_a_warm_cache(tmp_path: Path,
                                                                                        moved: str) -> None:
    """Moved out (keeping its size, time and inode) and linked back, or its folder: the cache must not vouch
    for it."""
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/six.md": post("Six", "2026-11-02T09:00:00", body="Six.")})
    assert run_cli("--site", str(root), "publish", "posts/six.md", env=EPOCH).returncode == 0
    assert run_cli("--site", str(root), "build", env=EPOCH).returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    if moved == "file":
        (root / "posts/six.versions/v1.md").rename(outside / "v1.md")
        (root / "posts/six.versions/v1.md").symlink_to(outside / "v1.md")
    else:
        (root / "posts/six.versions").rename(outside / "six.versions")
        (root / "posts/six.versions").symlink_to(outside / "six.versions")
    for command in ("build", "check"):
        done = run_cli("--site", str(root), command, env=EPOCH)
        assert done.returncode == 1, done.stderr
        assert "posts/six.versions/v1.md: cannot read: it links out of the site" in done.stderr


@pytest.mark.parametrize("cut", [0, 150])
def test_an_emptied_or_cut_version_file_is_told_to_be_restored_not_edited(tmp_path: Path, cut: int) -> None:
    from conftest import EPOCH
    root = write_site(tmp_path / "site", {"posts/ten.md": post("Ten", "2026-11-02T09:00:00", body="Ten.")})
    assert run_cli("--site", str(root), "publish", "posts/ten.md", env=EPOCH).returncode == 0
    version = root / "posts/ten.versions/v1.md"
    version.write_bytes(version.read_bytes()[:cut])
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 1
    assert "posts/ten.versions/v1.md:1: recorded version 1 is damaged (" in done.stderr
    assert "restore the file from git or a backup" in done.stderr
    assert "add a `---` line" not in done.stderr and "a post needs" not in done.stderr


def test_two_names_alike_but_for_how_their_accents_are_spelled_are_told_apart(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"posts/caf\u00e9.md": post("A", "2026-11-02T09:00:00"),
                                          "posts/cafe\u0301.md": post("B", "2026-11-02T09:00:00")})
    done = run_cli("build", cwd=root)
    assert done.returncode == 1
    assert "both claim; their names look alike, but one spells its accents as separate marks" in done.stderr


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_post_saved_as_utf16_without_a_bom_is_told_to_be_saved_as_utf8(tmp_path: Path, encoding: str) -> None:
    root = write_site(tmp_path / "site", {"posts/u16.md": post("U", "2026-11-02T09:00:00").encode(encoding)})
    done = run_cli("build", cwd=root)
    assert done.returncode == 1
    wide = encoding[:6].upper()
    assert f"posts/u16.md:1: is saved as {wide} (zero bytes beside each character); save the file as UTF-8" \
        in done.stderr

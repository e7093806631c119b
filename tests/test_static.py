"""Static files: what the build copies is what the author meant to publish.

A link in ``static/`` that leads out of the site (to ``/etc/passwd``, or a
relative link committed in a shared repository) is never followed; a named
pipe or a device where a file should be is skipped instead of making the
build wait forever.  Each is a warning that names the file.  Links that stay
inside the site are followed.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import post, run_cli, write_site
from engine.errors import Report
from engine.output.outputs import static_files

SECRET = "root:x:0:0:the builder's secret\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A site with one essay and a static file, beside a secret file outside it."""
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "key.txt").write_text(SECRET)
    return write_site(tmp_path / "site", {"posts/essay.md": post("An essay"), "static/style.txt": "kept\n"})


def published(out: Path) -> str:
    """Every byte of every file under ``out``, as text, to look for the secret in."""
    return "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())


def build(root: Path):
    """The CLI in a subprocess; a build that waits on a pipe fails here instead of hanging."""
    return run_cli("--site", str(root), "build", timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["absolute", "relative"])
def test_a_file_linked_out_of_the_site_is_skipped_with_a_warning(root: Path, target: str) -> None:
    secret = root.parent / "secret.txt"
    (root / "static" / "passwd.txt").symlink_to(secret if target == "absolute" else Path("../../secret.txt"))
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not (root / "output" / "passwd.txt").exists()
    assert "the builder's secret" not in published(root / "output")
    assert (root / "output" / "style.txt").read_text() == "kept\n"
    warning = (f"static/passwd.txt: warning: links out of the site (to {secret}), and nothing is read from outside "
               "it: skipped; copy the file into the site instead")
    report = Report(root)
    static_files(root, report)
    assert [str(d) for d in report.items] == [warning]
    assert warning in done.stderr  # the build says so
    again = build(root)  # and so does a build with nothing to do
    assert again.returncode == 0 and warning in again.stderr


def test_a_folder_linked_out_of_the_site_is_skipped_with_a_warning(root: Path) -> None:
    (root / "static" / "keys").symlink_to(root.parent / "private")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not (root / "output" / "keys").exists()
    assert "the builder's secret" not in published(root / "output")
    report = Report(root)
    static_files(root, report)
    assert [str(d) for d in report.items] == [
        f"static/keys: warning: links out of the site (to {root.parent / 'private'}), and nothing is read from "
        "outside it: skipped; copy the folder into the site instead"]


def test_links_that_stay_inside_the_site_are_followed(root: Path) -> None:
    (root / "assets" / "images").mkdir(parents=True)
    (root / "assets" / "images" / "map.svg").write_text("<svg/>\n")
    (root / "assets" / "logo.txt").write_text("logo\n")
    (root / "static" / "images").symlink_to(Path("../assets/images"))
    (root / "static" / "logo.txt").symlink_to(root / "assets" / "logo.txt")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert (root / "output" / "images" / "map.svg").read_text() == "<svg/>\n"
    assert (root / "output" / "logo.txt").read_text() == "logo\n"
    report = Report(root)
    static_files(root, report)
    assert report.items == []


def test_a_folder_linked_to_its_own_parent_is_read_once(root: Path) -> None:
    (root / "static" / "again").symlink_to(Path("."))
    report = Report(root)
    found = static_files(root, report)
    assert "style.txt" in found and not any(path.startswith("again/") for path in found)
    assert [str(d) for d in report.items] == [
        "static/again: warning: leads back to a folder that holds it (a link in a loop): skipped"]


def test_a_static_folder_linked_out_of_the_site_publishes_nothing_of_it(root: Path) -> None:
    (root / "static" / "style.txt").unlink()
    (root / "static").rmdir()
    (root / "static").symlink_to(root.parent / "private")
    report = Report(root)
    assert static_files(root, report) == {key: value for key, value in static_files(root, Report(root)).items()
                                          if key.startswith("theme/")}
    assert [str(d) for d in report.items] == [
        f"static: warning: links out of the site (to {root.parent / 'private'}), and nothing is read from "
        "outside it: skipped; copy the folder into the site instead"]


def test_a_named_pipe_in_static_is_skipped_instead_of_hanging_the_build(root: Path) -> None:
    os.mkfifo(root / "static" / "pipe.txt")
    (root / "static" / "nowhere.txt").symlink_to(root / "missing.txt")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert not (root / "output" / "pipe.txt").exists() and not (root / "output" / "nowhere.txt").exists()
    report = Report(root)
    static_files(root, report)
    assert [str(d) for d in report.items] == [
        "static/nowhere.txt: warning: is a link to nothing: skipped",
        "static/pipe.txt: warning: is not a regular file (a named pipe); only files are read: skipped"]


def test_a_device_in_static_is_skipped(root: Path) -> None:
    (root / "static" / "zero").symlink_to("/dev/zero")  # a link out of the site, and a device
    report = Report(root)
    found = static_files(root, report)
    assert "zero" not in found
    assert [d.path for d in report.items] == ["static/zero"]


def test_a_repository_kept_in_static_and_editors_backups_are_never_published(root: Path) -> None:
    """A clone kept in ``static/`` (slides) published its whole ``.git``, a token in its ``config`` and all;
    an editor's backup (``notes.txt~``) and autosave (``#notes.txt#``) went out beside the file."""
    static = root / "static"
    for repository in (".git", ".hg", ".svn"):
        (static / "slides" / repository / "refs").mkdir(parents=True)
        (static / "slides" / repository / "config").write_text(f"url = https://alice:{SECRET.strip()}@x/\n")
    (static / "slides" / "index.html").write_text("<p>slides</p>\n")
    (static / "notes.txt").write_text("notes\n")
    (static / "notes.txt~").write_text(SECRET)
    (static / "#notes.txt#").write_text(SECRET)
    (static / "notes.txt.bak").write_text(SECRET)  # what serve takes no change to, no build publishes either
    (static / ".well-known").mkdir()
    (static / ".well-known" / "security.txt").write_text("Contact: mailto:a@example.org\n")
    done = build(root)
    assert done.returncode == 0, done.stderr
    out = root / "output"
    assert (out / "slides" / "index.html").is_file() and (out / "notes.txt").is_file()
    assert (out / ".well-known" / "security.txt").is_file()  # a hidden folder a host reads is published
    assert SECRET.strip() not in published(out)
    assert not [p for p in out.rglob("*") if p.name in (".git", ".hg", ".svn", "notes.txt~", "#notes.txt#",
                                                        "notes.txt.bak")]


def test_a_clones_history_in_static_is_not_walked_by_the_check_for_changes(root: Path) -> None:
    """Each build asks whether anything it reads changed: a clone's ``.git`` in ``static/``, which it never
    publishes, was walked file by file, and a fetch in it set off a whole build."""
    from engine.speed.uptodate import scan
    (root / "static/slides/.git/objects").mkdir(parents=True)
    (root / "static/slides/.git/objects/ab").write_text("x")
    (root / "static/slides/index.html").write_text("<p>slides</p>\n")
    seen = scan(root, root / "posts").files
    assert str(root / "static/slides/index.html") in seen
    assert not [path for path in seen if "/.git" in path]

"""Every file the build and the commands read is a regular file, and a site's templates stay in the site.

A named pipe where ``config.toml``, a ``series.toml``, a template or a
``--note-file`` is expected would make a command wait forever for a writer;
each is an error that names the file instead.  A template that links out of
the site is never read: a page that uses it stops the build with an error,
since falling back to the theme's would publish pages the author did not
design, and reading it would print whatever it points at into every page.
Every command here runs with a timeout, so that a hang fails the test.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import EPOCH, REPO, post, run_cli, write_site
from engine.errors import SiteError
from engine.source.tomlfile import read_toml

SECRET = "the builder's secret"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "outside.html").write_text(f'{{% extends "theme/post.html" %}}{{# {SECRET} #}}\n'
                                           f'{{% block content %}}{SECRET}{{% endblock %}}\n')
    return write_site(tmp_path / "site", {"posts/essay.md": post("Essay")})


@contextmanager
def released_after(fifo: Path, seconds: float = 10.0):
    """Within: once ``seconds`` have passed, ``fifo`` is opened for writing and closed, so that a reader
    stuck on it in this process reads an end of file and the test fails instead of hanging."""
    done = threading.Event()

    def release() -> None:
        wait = seconds
        while not done.wait(wait):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                return
            except OSError:
                wait = 0.05  # no reader yet
    threading.Thread(target=release, daemon=True).start()
    try:
        yield
    finally:
        done.set()


def build(root: Path):
    return run_cli("--site", str(root), "build", env=EPOCH, timeout=60)


@pytest.mark.slow
def test_a_template_linked_out_of_the_site_is_an_error_when_a_page_uses_it(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "post.html").symlink_to(root.parent / "outside.html")
    done = build(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"templates/post.html: links out of the site (to {root.parent / 'outside.html'}), and no template is read "
        "from outside it; copy the file into templates/ in place of the link"]
    assert not (root / "output").exists()


@pytest.mark.slow
def test_an_include_linked_out_of_the_site_is_an_error(root: Path) -> None:
    write_site(root, {"templates/post.html": '{% extends "theme/post.html" %}\n{% block content %}\n'
                                             '{% include "part.html" %}\n{% endblock %}\n'}, config=None)
    (root / "templates" / "part.html").symlink_to(Path("../../outside.html"))
    done = build(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"templates/part.html: links out of the site (to {root.parent / 'outside.html'})")


@pytest.mark.slow
def test_a_templates_folder_linked_out_of_the_site_is_not_read(root: Path) -> None:
    (root.parent / "shared").mkdir()
    os.replace(root.parent / "outside.html", root.parent / "shared" / "post.html")
    (root / "templates").symlink_to(root.parent / "shared")
    done = build(root)
    assert done.returncode == 1 and SECRET not in done.stderr
    assert done.stderr.startswith("templates/post.html: links out of the site")


@pytest.mark.slow
def test_a_template_no_page_uses_may_link_anywhere_and_be_anything(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "unused.html").symlink_to(root.parent / "outside.html")
    os.mkfifo(root / "templates" / "pipe.html")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert SECRET not in (root / "output" / "essay" / "index.html").read_text()


@pytest.mark.slow
def test_templates_linked_within_the_site_are_used_and_followed_when_they_change(root: Path) -> None:
    write_site(root, {"layouts/post.html": '{% extends "theme/post.html" %}{% block content %}'
                                           '{% include "parts/body.html" %}{% endblock %}\n',
                      "layouts/parts/body.html": "first\n"}, config=None)
    (root / "templates").symlink_to(Path("layouts"))
    (root / "layouts" / "parts").rename(root / "shared")
    (root / "layouts" / "parts").symlink_to(Path("../shared"))
    assert build(root).returncode == 0
    assert "first" in (root / "output" / "essay" / "index.html").read_text()
    (root / "shared" / "body.html").write_text("second\n")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert "second" in (root / "output" / "essay" / "index.html").read_text()


@pytest.mark.slow
def test_a_named_pipe_for_a_used_template_is_an_error_not_a_wait(root: Path) -> None:
    (root / "templates").mkdir()
    os.mkfifo(root / "templates" / "post.html")
    done = build(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "templates/post.html: cannot read: not a regular file (a named pipe); only files are read"]


@pytest.mark.slow
def test_a_named_pipe_for_a_series_toml_is_an_error_not_a_wait(root: Path) -> None:
    (root / "posts" / "saga").mkdir()
    os.mkfifo(root / "posts" / "saga" / "series.toml")
    done = build(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "posts/saga/series.toml: cannot read: not a regular file (a named pipe); only files are read" \
        in done.stderr.splitlines()


def test_a_named_pipe_for_a_config_is_an_error_not_a_wait(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "config.toml")
    with released_after(tmp_path / "config.toml"), pytest.raises(SiteError) as raised:
        read_toml(tmp_path / "config.toml", "config.toml")
    assert str(raised.value) == "config.toml: cannot read: not a regular file (a named pipe); only files are read"


def test_a_named_pipe_for_a_note_file_is_an_error_not_a_wait(root: Path) -> None:
    os.mkfifo(root / "note.md")
    done = run_cli("--site", str(root), "revise", "posts/essay.md", "--note-file", str(root / "note.md"), timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{root / 'note.md'}: --note-file: cannot read: not a regular file (a named pipe); only files are read"]


def test_a_note_file_that_is_not_utf8_says_so(root: Path) -> None:
    (root / "note.md").write_bytes(b"Update:\r\n\xa9 2026\n")
    done = run_cli("--site", str(root), "revise", "posts/essay.md", "--note-file", str(root / "note.md"), timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"{root / 'note.md'}:2: --note-file: not UTF-8 text (byte 0xa9); "
                                        "save it as UTF-8"]


def test_what_is_wrong_in_a_note_file_is_said_at_its_line_of_that_file(root: Path) -> None:
    assert run_cli("--site", str(root), "publish", "posts/essay.md").returncode == 0
    (root / "note.md").write_text("Update: two things.\n\nFirst, <b>this.\n")
    done = run_cli("--site", str(root), "revise", "posts/essay.md", "--note-file", str(root / "note.md"), timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"{root / 'note.md'}:3: raw HTML: <b> is never closed (</p> comes first)"
    (root / "note.md").write_text("Update: two things.\n\nSee [the sequel](/sequel/).\n")
    done = run_cli("--site", str(root), "revise", "posts/essay.md", "--note-file", str(root / "note.md"), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith(f"{root / 'note.md'}:3: warning: link to /sequel/ leaves the site")


@pytest.mark.slow
def test_a_note_piped_in_is_read_with_a_dash(root: Path) -> None:
    assert run_cli("--site", str(root), "publish", "posts/essay.md").returncode == 0
    essay = root / "posts/essay.md"
    essay.write_text(essay.read_text().replace("The essay.", "The essay, revised."))
    done = subprocess.run([sys.executable, "-m", "engine", "--site", str(root), "revise", "posts/essay.md",
                           "--note-file", "-"], input="A note piped in.\n\nIts second paragraph.\n", text=True,
                          capture_output=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert "note: |\n  A note piped in.\n\n  Its second paragraph.\n" in (root / "posts/essay.versions/v2.md").read_text()


@pytest.mark.slow
def test_a_named_pipe_for_the_config_is_named_by_the_command(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "config.toml")
    with released_after(tmp_path / "config.toml"):
        done = run_cli("--site", str(tmp_path), "check", timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["config.toml: cannot read: not a regular file (a named pipe); only files "
                                        "are read"]


@pytest.mark.slow
def test_a_template_that_links_to_itself_is_an_error_not_the_themes_unseen(root: Path) -> None:
    """Following the link fails (ELOOP): the site's template is there but cannot be read, and quietly using
    the theme's in its place would publish pages the author did not design."""
    (root / "templates").mkdir()
    (root / "templates" / "post.html").symlink_to("post.html")
    done = build(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("templates/post.html: is a link to nothing (or in a loop of links)")
    assert not (root / "output").exists()


@pytest.mark.slow
def test_a_template_whose_name_is_not_utf8_does_not_stop_the_build(root: Path) -> None:
    (root / "templates").mkdir()
    Path(os.fsdecode(bytes(root / "templates") + b"/unused-\xff.html")).write_text("{{ nothing }}")
    done = build(root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert (root / "output" / "essay" / "index.html").is_file()

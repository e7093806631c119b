"""``feuilleton build`` with nothing changed does nothing; any change at all makes it build.

Every case runs the real command in a subprocess.  Files are aged an hour
before the first build, as an author's files are, because files saved in the
last two seconds are never trusted (see ``test_a_file_saved_just_now_is_not_trusted``).
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import EPOCH, NOW, post, run_cli, write_site

NOTHING = "nothing changed since the last build"


def age(root: Path, seconds: int = 3600) -> None:
    """Set every file and folder under ``root`` to ``seconds`` ago."""
    when = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when))


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path, *args: str, env: dict[str, str] | None = None):
    done = run_cli("build", "-v", *args, cwd=root, env={**EPOCH, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A small site (with one warning), aged, then built once."""
    root = write_site(tmp_path / "site", {
        "posts/first.md": post("First", body="The first essay, with a paragraph of plain words."),
        "posts/second.md": post("Second", date="2026-11-02T09:00:00", mood="calm",
                                body="The second essay."),
        "templates/.keep": "",
        "static/.keep": "",
    })
    age(root)
    first = build(root)
    assert NOTHING not in first.stderr
    return root


def test_a_second_build_with_nothing_changed_writes_nothing_and_reports_the_same(built):
    before = files(built / "output")
    first = build(built)  # the fixture's build left the stamp; this one may only read it
    again = build(built)
    for done in (first, again):
        assert NOTHING in done.stderr
        assert "unknown front-matter key `mood`" in done.stderr  # the same warnings, every time
        assert "(1 warning; 0 files written)" in done.stdout
    assert files(built / "output") == before


def _edit_post(root: Path) -> None:
    path = root / "posts/first.md"
    text = path.read_text()
    path.write_text(text.replace("plain words", "other words"))  # the same size


def _add_post(root: Path) -> None:
    (root / "posts/third.md").write_text(post("Third", body="A third essay."))


def _override_template(root: Path) -> None:
    (root / "templates/post.html").write_text('{% extends "theme/post.html" %}{% block title %}Overridden'
                                              '{% endblock %}')


def _add_static(root: Path) -> None:
    (root / "static/robots-note.txt").write_text("hello\n")


def _edit_config(root: Path) -> None:
    path = root / "config.toml"
    path.write_text(path.read_text().replace('"Test Site"', '"Best Site"'))


def _delete_output_file(root: Path) -> None:
    (root / "output/first/index.html").unlink()


def _tamper_with_output_file(root: Path) -> None:
    with open(root / "output/index.html", "a") as handle:
        handle.write("<!-- edited by hand -->")


def _add_stray_output_file(root: Path) -> None:
    (root / "output/first/stray.html").write_text("stray")


def _delete_cache(root: Path) -> None:
    shutil.rmtree(root / ".feuilleton-cache")


@pytest.mark.slow
@pytest.mark.parametrize("change", [_edit_post, _add_post, _override_template, _add_static, _edit_config,
                                    _delete_output_file, _tamper_with_output_file, _add_stray_output_file,
                                    _delete_cache])
def test_any_change_to_what_a_build_reads_or_wrote_makes_it_build(built, tmp_path, change):
    change(built)
    done = build(built)
    assert NOTHING not in done.stderr
    assert "pages rendered" in done.stderr
    fresh = tmp_path / "fresh"
    shutil.copytree(built, fresh, ignore=shutil.ignore_patterns("output", ".feuilleton-*"))
    build(fresh)
    assert {k: v[0] for k, v in files(built / "output").items()} == \
        {k: v[0] for k, v in files(fresh / "output").items()}, "the site is not what a clean build makes"


@pytest.mark.slow
def test_a_future_post_goes_out_once_its_date_has_passed(tmp_path):
    root = write_site(tmp_path / "site", {"posts/now.md": post("Now"),
                                          "posts/later.md": post("Later", date="2026-12-01T09:00:00")})
    age(root)
    build(root)
    assert NOTHING in build(root).stderr
    assert not (root / "output/later").exists()
    after = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()) + 4 * 86400)}
    done = build(root, env=after)
    assert NOTHING not in done.stderr
    assert (root / "output/later/index.html").is_file()
    before = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()) - 60 * 86400)}  # a clock set back unpublishes
    assert NOTHING not in build(root, env=before).stderr
    assert not (root / "output/now").exists()


@pytest.mark.slow
def test_options_and_output_folder_are_part_of_what_is_compared(built):
    (built / "posts/draft.md").write_text(post("Draft", date="", draft="true"))
    age(built / "posts")
    build(built)
    assert NOTHING in build(built).stderr
    with_drafts = build(built, "--drafts")
    assert NOTHING not in with_drafts.stderr
    assert (built / "output/draft/index.html").is_file()
    # undated drafts take the build's time as their date, so such a build is never taken as current
    assert NOTHING not in build(built, "--drafts").stderr
    elsewhere = build(built, "--output", str(built.parent / "elsewhere"))
    assert NOTHING not in elsewhere.stderr
    assert (built.parent / "elsewhere/index.html").is_file()


@pytest.mark.slow
def test_a_file_saved_just_now_is_not_trusted(built):
    _edit_post(built)  # mtime: now, inside the two-second window
    build(built)
    assert NOTHING not in build(built).stderr
    age(built / "posts")
    build(built)
    assert NOTHING in build(built).stderr


@pytest.mark.slow
def test_check_always_runs_the_whole_pipeline(built):
    done = run_cli("check", cwd=built, env=EPOCH)
    assert done.returncode == 0
    assert "Checked" in done.stdout and NOTHING not in done.stderr


@pytest.mark.slow
def test_creating_a_folder_that_was_missing_counts_as_a_change(tmp_path):
    root = write_site(tmp_path / "site", {"posts/first.md": post("First")})
    age(root)
    build(root)
    assert NOTHING in build(root).stderr
    (root / "templates").mkdir()
    (root / "templates/post.html").write_text('{% extends "theme/post.html" %}{% block title %}Mine{% endblock %}')
    assert NOTHING not in build(root).stderr
    assert "Mine" in (root / "output/first/index.html").read_text()


@pytest.mark.slow
def test_another_install_of_feuilleton_builds_afresh(built, tmp_path):
    """A second copy of the engine elsewhere (an upgrade beside the old one, its theme changed): the last
    build's stamp lists the first copy's files, which did not change, and must not pass for this one's."""
    other = tmp_path / "other"
    shutil.copytree(Path(__file__).resolve().parent.parent / "engine", other / "engine",
                    ignore=shutil.ignore_patterns("__pycache__"))
    style = other / "engine/theme/static/style.css"
    style.write_text(style.read_text() + "\n/* the new theme */\n")
    age(other)
    assert NOTHING in build(built).stderr  # the stamp holds for the first copy
    done = run_cli("build", "-v", cwd=built, env={**EPOCH, "PYTHONPATH": str(other)})
    assert done.returncode == 0, done.stderr
    assert NOTHING not in done.stderr and "/* the new theme */" in (built / "output/theme/style.css").read_text()

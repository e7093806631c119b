"""Names Windows keeps for devices (CON, NUL, COM1, …) never become a folder of the output: a site built
anywhere can be checked out, copied and served on Windows."""
from __future__ import annotations

import re

import pytest

from conftest import EPOCH, post, run_cli
from engine.model.slugs import is_slug, windows_reserved
from engine.site import urls as U

RESERVED = ["con", "CON", "Nul", "aux.txt", "prn.tar.gz", "com1", "COM9", "lpt9", "lpt¹", "con.", "nul .", "aux "]


@pytest.mark.parametrize("name", RESERVED)
def test_windows_reserved_names(name):
    assert windows_reserved(name)
    assert not is_slug(name)


@pytest.mark.parametrize("name", ["console", "con-", "icon", "com10", "lpt", "nul-1", "aux_txt", "cons.txt", "com"])
def test_names_that_only_look_reserved_are_free(name):
    assert not windows_reserved(name)


@pytest.mark.parametrize("name", ["con", "Nul", "COM3"])
def test_a_post_file_named_like_a_device_is_an_error_that_says_to_rename_it(site, name):
    root = site({f"posts/{name}.md": post("A"), "posts/fine.md": post("Fine")})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("posts/")]
    assert line.startswith(f"posts/{name}.md: ") and "Windows" in line and "rename" in line, line


@pytest.mark.slow
def test_a_post_file_named_like_a_device_builds_with_a_slug_of_its_own(site):
    root = site({"posts/con.md": post("A", slug="a-contrarian-view")})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert (root / "output/a-contrarian-view/index.html").is_file()


@pytest.mark.slow
def test_a_part_named_like_a_device_is_an_error(site):
    root = site({"posts/cities/series.toml": 'title = "Cities"\n', "posts/cities/aux.md": post("A", part=1)})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.search(r"^posts/cities/aux\.md: .*Windows", done.stderr, re.MULTILINE), done.stderr


@pytest.mark.slow
def test_a_series_folder_named_like_a_device_is_one_error_at_its_series_toml(site):
    root = site({"posts/lpt1/series.toml": 'title = "Printers"\n', "posts/lpt1/part-1.md": post("One", part=1),
                 "posts/lpt1/part-2.md": post("Two", part=2)})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("posts/")]
    assert len(errors) == 1 and errors[0].startswith("posts/lpt1/series.toml: "), done.stderr
    assert "Windows" in errors[0] and "rename the folder" in errors[0]


@pytest.mark.slow
def test_a_tag_named_like_a_device_keeps_its_name_on_a_page_of_its_own(site):
    root = site({"posts/a.md": post("A", tags="[con, Con, nul, LPT9, con-]")})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    tags = {p.name for p in (root / "output/tags").iterdir() if p.is_dir()}
    assert not any(windows_reserved(name) for name in tags)
    assert {"con-", "nul-", "lpt9-"} <= tags and len(tags) == 5
    page = (root / "output/tags/con-/index.html").read_text(encoding="utf-8")
    assert "Posts tagged “con”" in page
    assert 'href="/essays/tags/con-/"' in (root / "output/a/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("names", [["con"], ["Con", "con"], ["com1", "COM1", "com1-"], ["aux", "aux-"]])
def test_tag_segments_are_never_reserved_and_stay_distinct(names):
    segments = U.tag_segments(names)
    assert len(set(segments.values())) == len(names)
    assert not any(windows_reserved(segment) for segment in segments.values())


@pytest.mark.slow
@pytest.mark.parametrize("title, made", [("Con", "posts/con-2.md"), ("AUX", "posts/aux-2.md"),
                                         ("Com 1", "posts/com-1.md"), ("LPT9", "posts/lpt9-2.md")])
def test_new_never_names_a_post_like_a_device(site, title, made):
    root = site({})
    done = run_cli("new", title, cwd=root)
    assert done.returncode == 0 and done.stdout.strip() == made, (done.stdout, done.stderr)
    assert run_cli("check", "--drafts", cwd=root, env=EPOCH).returncode == 0


def test_addresses_that_differ_only_in_case_are_errors_at_the_slug_that_makes_them(site):
    """Two file names in other letters were refused, but a ``slug:`` or a file of ``static/`` passed: on a
    disk of macOS or Windows, where authors build and ``deploy`` to ``dir:``, one page overwrote the other."""
    root = site({"posts/one.md": post("Essay one", "2026-11-01T09:00:00", "One.", slug="Essay"),
                 "posts/essay.md": post("Essay two", "2026-11-02T09:00:00", "Two."),
                 "posts/three.md": post("Shadow tags", "2026-11-03T09:00:00", "x", slug="TAGS"),
                 "posts/four.md": post("Shadow sitemap", "2026-11-04T09:00:00", "x", slug="Sitemap.xml"),
                 "static/Feed.XML": "<rss/>\n"})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    said = done.stderr.splitlines()
    assert sorted(said) == [
        "posts/four.md:4: would be written to Sitemap.xml/index.html, but sitemap.xml is already a file of the site "
        "(a feed, the sitemap or another page), in other letters, but macOS and Windows read a name in either case "
        "as one; choose another slug",
        "posts/one.md:4: would be written to Essay/index.html, which a disk blind to case, as on macOS and Windows, "
        "takes for essay/index.html (posts/essay.md), the one overwriting the other; change a slug",
        "posts/three.md:4: would be written to TAGS/index.html, which a disk blind to case, as on macOS and Windows, "
        "takes for tags/index.html (the tags index), the one overwriting the other; change a slug"], said
    for name in ("one", "three", "four"):
        (root / f"posts/{name}.md").unlink()
    static = run_cli("build", cwd=root, env=EPOCH)
    assert static.returncode == 1 and static.stderr == (
        "static/Feed.XML: would replace or block the generated feed.xml, in other letters, but macOS and Windows "
        "read a name in either case as one; rename or move it\n"), static.stderr
    (root / "static/Feed.XML").unlink()
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0


def test_an_alias_that_differs_from_a_page_only_in_case_is_the_alias_to_remove(site):
    """``aliases: [/Index.html]`` was blamed on the home page, with no line and "change a slug"."""
    root = site({"posts/a.md": post("A", "2026-11-01T09:00:00", "x", aliases="[/Index.html]")})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and done.stderr == (
        "posts/a.md:4: alias /Index.html: would be written to Index.html, which a disk blind to case, as on macOS "
        "and Windows, takes for index.html (the home page), the one overwriting the other; remove it\n"), done.stderr

"""An imported post's old addresses become its ``aliases`` only where the site can keep them, so that what
an import writes builds: each address once however it is written (``/a``, ``/a/``, ``/A/``), never the home
page, another page or a generated file, never one another post keeps; one the site's own posts keep
already stops the import, which then writes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import NOW, post, snapshot, write_site
from engine.build import build
from engine.cli import main


def jekyll(root: Path, posts: dict[str, str]) -> Path:
    """A Jekyll site folder whose posts are ``{file name: front matter lines}``."""
    for name, meta in posts.items():
        path = root / "_posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nlayout: post\n{meta}---\nA paragraph of the essay.\n", encoding="utf-8")
    (root / "_config.yml").write_text("title: An old blog\npermalink: /:year/:month/:title/\n", encoding="utf-8")
    return root


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_old_addresses_the_site_cannot_keep_are_left_out_and_the_site_builds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = jekyll(tmp_path / "old", {
        "2016-11-22-first.md": 'title: First\nredirect_from: ["/first", "/FIRST/", "//first-again/", "/", '
                               '"/feed.xml", "/2016/12/second/", "/shared/", "/index.xml"]\n',
        "2016-12-01-second.md": 'title: Second\nredirect_from: ["/shared/"]\n'})
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    report = capsys.readouterr().out
    assert front(root / "posts/first.md")["aliases"] == ["/2016/11/first/", "/first-again/", "/shared/"]
    assert front(root / "posts/second.md")["aliases"] == ["/2016/12/second/"]
    assert "old address /: no alias: it is the home page's address" in report
    assert "old address /feed.xml: no alias: it is the address of a file the site generates" in report
    assert ("old address /index.xml: no alias: it looks like an old feed's address, and a feed reader sent on from "
            "it to this post's page gets no feed") in report
    assert "old address /2016/12/second/" in report and "is where posts/second.md was" in report  # kept there
    assert "old address /shared/" in report and "already an alias of posts/first.md" in report
    build(root, now=NOW)  # no alias error
    for old in ("first-again", "shared", "2016/11/first"):
        assert "/essays/first/" in (root / "output" / old / "index.html").read_text(), old  # sent on


def test_an_old_address_a_post_of_the_site_keeps_stops_the_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = jekyll(tmp_path / "old", {"2016-11-22-first.md": 'title: First\nredirect_from: ["/old-home"]\n'})
    root = write_site(tmp_path / "site", {"posts/mine.md": post("Mine", aliases=["/old-home/"])})
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert "its old address /old-home is taken by posts/mine.md in the site" in err
    assert snapshot(root) == before


def test_a_post_or_old_address_where_the_site_has_its_own_pages_is_moved_or_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A post called `search`, and old addresses /archive/, /tags/x/, /page/2/, /atom.xml/ and /_redirects/:
    the import exited 0 and the build then refused them."""
    config = 'title = "T"\nbase_url = "https://example.org/"\nsearch = true\n\n[author]\nname = "A"\n'
    source = jekyll(tmp_path / "old", {
        "2016-11-22-search.md": 'title: Search\npermalink: /search/\n',
        "2016-11-23-first.md": 'title: First\nredirect_from: ["/archive/", "/tags/cities/", "/page/2/", '
                               '"/atom.xml/", "/_redirects/", "/pagefind/x/", "/first-old/"]\n'})
    root = write_site(tmp_path / "site", {}, config=config)
    assert main(["--site", str(root), "import", str(source)]) == 0
    report = capsys.readouterr().out
    assert (root / "posts/search-post.md").is_file() and not (root / "posts/search.md").exists()
    assert front(root / "posts/first.md")["aliases"] == ["/2016/11/first/", "/first-old/"]
    for old in ("/archive/", "/tags/cities/", "/page/2/", "/pagefind/x/"):
        assert f"old address {old}: no alias: it is the address of a page of the site" in report, old
    for old in ("/atom.xml/", "/_redirects/"):
        assert f"old address {old}: no alias: it is the address of a file the site generates" in report, old
    build(root, now=NOW)  # no error
    assert (root / "output/search/index.html").is_file() and (root / "output/search-post/index.html").is_file()

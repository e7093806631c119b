"""The front-matter keys an import writes into a post, useful without one too: ``aliases`` (old addresses
that redirect to the post) and ``imported_from`` (where the post came from, kept for a second import run)."""
from __future__ import annotations

import pytest

from conftest import EPOCH, NOW, build_model, post, run_cli
from engine.build import build
from engine.config import Options
from engine.model.aliases import Unservable, alias_path
from engine.site.redirects import redirect_pages


def test_imported_from_is_kept_on_the_model_without_a_warning(site) -> None:
    root = site({"posts/essay.md": post("Essay", imported_from='"wordpress:123"')})
    model, report = build_model(root)
    assert model.posts["essay.md"].imported_from == "wordpress:123"
    assert "imported_from" not in model.posts["essay.md"].extra
    assert report.items == []


@pytest.mark.slow
def test_imported_from_is_never_shown_to_readers(site) -> None:
    root = site({"posts/essay.md": post("Essay", imported_from='"jekyll:_posts/2016-11-28-x.md"')})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    written = [p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()]  # fonts too
    assert written and not any(b"_posts/2016-11-28-x.md" in data for data in written)


def test_a_post_without_imported_from_has_none(site) -> None:
    model, _ = build_model(site({"posts/essay.md": post("Essay")}))
    assert model.posts["essay.md"].imported_from == ""


def test_imported_from_that_is_not_text_is_an_error_at_its_line(site) -> None:
    root = site({"posts/essay.md": post("Essay", imported_from="[wordpress, 123]")})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1
    assert "posts/essay.md:4: `imported_from`: must be text, not a list or mapping" in done.stderr




def test_each_form_of_an_alias_names_one_site_path() -> None:
    base = "https://example.org/essays/"
    assert alias_path("/2016/11/28/old-slug/", base) == "2016/11/28/old-slug/"
    assert alias_path("/2016/11/28/old-slug", base) == "2016/11/28/old-slug/"
    assert alias_path("/old.html", base) == "old.html"
    assert alias_path("https://EXAMPLE.org/essays/caf%C3%A9", base) == "café/"
    assert alias_path("http://example.org/essays/", base) == ""


def test_an_alias_with_a_query_is_unservable_and_another_host_is_wrong() -> None:
    with pytest.raises(Unservable):
        alias_path("/?p=12", "https://example.org/")
    with pytest.raises(ValueError, match="not on the site's own host"):
        alias_path("https://example.net/old/", "https://example.org/")


ALIASED = post("Essay", aliases="\n  - /2016/11/28/old-slug/\n  - /old.html\n  - https://example.org/essays/caf%C3%A9")


def test_the_build_writes_a_redirect_page_at_each_alias(site) -> None:
    root = site({"posts/essay.md": ALIASED, "posts/other.md": post("Other")})
    result = build(root, now=NOW)
    out = root / "output"
    for path in ("2016/11/28/old-slug/index.html", "old.html", "café/index.html"):
        html = (out / path).read_text(encoding="utf-8")
        assert '<meta http-equiv="refresh" content="0; url=/essays/essay/">' in html, path
        assert 'href="/essays/essay/"' in html and '<meta name="robots" content="noindex">' in html
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "old-slug" not in sitemap and "old.html" not in sitemap
    assert not result.warnings


def test_aliases_are_in_the_list_of_redirects_with_moved_posts(site) -> None:
    root = site({"posts/essay.md": ALIASED})
    maker = build(root, now=NOW).maker
    pages = redirect_pages(maker, set())
    assert {(p.path, p.context["target"], p.source) for p in pages} == {
        ("2016/11/28/old-slug/", "/essays/essay/", "posts/essay.md"), ("old.html", "/essays/essay/", "posts/essay.md"),
        ("café/", "/essays/essay/", "posts/essay.md")}


@pytest.mark.slow
def test_an_alias_of_a_moved_posts_own_old_address_is_no_error(site) -> None:
    root = site({"posts/essay.md": post("Essay")})
    done = run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    text = (root / "posts/essay.md").read_text(encoding="utf-8")
    (root / "posts/essay.md").write_text(text.replace("---\n\n", "slug: renamed\naliases: [/essay/]\n---\n\n", 1),
                                         encoding="utf-8")
    result = build(root, now=NOW)
    assert not [w for w in result.warnings if "alias" in w.message]
    html = (root / "output/essay/index.html").read_text(encoding="utf-8")
    assert 'url=/essays/renamed/"' in html


def test_the_query_warning_names_the_line_and_the_rest_is_written(site) -> None:
    root = site({"posts/essay.md": post("Essay", aliases="[/old/, /index.php?p=12]")})
    result = build(root, now=NOW)
    assert [(w.path, w.line, w.warning) for w in result.warnings] == [("posts/essay.md", 4, True)]
    assert "?p=12" in result.warnings[0].message and "skipped" in result.warnings[0].message
    assert (root / "output/old/index.html").is_file()


def test_an_alias_no_plain_host_serves_as_a_page_is_warned_and_an_old_feeds_is_skipped(site) -> None:
    """``/2016/old.php`` is sent by nginx or ``python -m http.server`` as a download; ``/index.xml``, an old
    feed's address, would lead a feed reader to a page on every host."""
    root = site({"posts/essay.md": post("Essay", aliases="\n  - /2016/old.php\n  - /index.xml\n  - /old.HTM\n"
                                        "  - /old/")})
    result = build(root, now=NOW)
    said = {w.line: w.message for w in result.warnings}
    assert sorted(said) == [5, 6], said
    assert said[5].startswith("alias /2016/old.php: a host that reads no `_redirects` sends the page written there "
                              "as a .php file, which browsers download instead of showing")
    assert said[6] == ("alias /index.xml: looks like an old feed's address, and a feed reader sent on from it to "
                       "this post's page gets no feed; skipped")
    assert (root / "output/2016/old.php").is_file() and not (root / "output/index.xml").exists()
    assert (root / "output/old.HTM").is_file() and (root / "output/old/index.html").is_file()


def test_an_old_feed_folder_is_skipped_and_a_skipped_alias_claims_nothing(site) -> None:
    """WordPress's feed was at /feed/: a page there is no feed.  A feed address skipped on one post is no clash
    with the same on another, and /.well-known/ holds no feeds."""
    root = site({"posts/a.md": post("A", aliases="\n  - /feed/\n  - /blog/RSS/\n  - /index.xml"),
                 "posts/b.md": post("B", aliases="\n  - /Index.XML\n  - /.well-known/x.json")})
    result = build(root, now=NOW)
    said = sorted((w.path, w.line, w.message.split(":")[0]) for w in result.warnings)
    assert said == [("posts/a.md", 5, "alias /feed/"), ("posts/a.md", 6, "alias /blog/RSS/"),
                    ("posts/a.md", 7, "alias /index.xml"), ("posts/b.md", 5, "alias /Index.XML")], said
    assert not (root / "output/feed").exists() and (root / "output/.well-known/x.json").is_file()


def test_an_alias_on_a_draft_is_written_only_with_the_draft(site) -> None:
    root = site({"posts/essay.md": post("Essay", draft="true", aliases="[/old/]")})
    build(root, now=NOW)
    assert not (root / "output/old").exists()
    build(root, Options(drafts=True), now=NOW)
    assert (root / "output/old/index.html").is_file()


def test_an_alias_inside_the_search_index_is_the_alias_error_at_its_line(site) -> None:
    root = site({"posts/essay.md": post("E", aliases=["/pagefind/"])})
    config = (root / "config.toml").read_text()
    (root / "config.toml").write_text(config.replace("[author]", "search = true\n\n[author]", 1))
    done = run_cli("check", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = next(n for n, text in enumerate((root / "posts/essay.md").read_text().splitlines(), 1)
                if text.startswith("aliases"))
    assert (f"posts/essay.md:{line}: alias /pagefind/: would be written to pagefind/index.html, inside pagefind/, "
            "where the search index goes; remove it") in done.stderr


@pytest.mark.parametrize("alias, said", [
    ("/index.html", "posts/a.md:5: alias /index.html: would be written to index.html, which posts/a.md and the home "
                    "page both claim; remove it"),
    ("/con/", "posts/a.md:5: alias /con/: its address would be con/, but Windows takes a folder named con for a "
              "device"),
])
def test_an_alias_onto_the_home_page_or_a_device_is_told_at_its_line_to_go(site, alias, said) -> None:
    """The home page was blamed for an alias of ``/index.html`` ("the home page: … change a slug"), and an
    alias of ``/con/`` was said with no line."""
    root = site({"posts/a.md": f'---\ntitle: "A"\ndate: 2026-11-01T09:00:00\naliases:\n  - {alias}\n---\n\nText.\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and done.stderr.startswith(said), done.stderr

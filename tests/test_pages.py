"""Standalone pages (``layout: page``): an About or Contact page with a title and text, undated, in no
series, listing or feed, on its own address and in the sitemap; ``publish`` only drops its ``draft`` and
``revise`` refuses, since a page keeps no versions."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import (
    BROWSER_ARGS,
    CHROMIUM,
    EPOCH,
    NOW,
    REPO,
    SERIES,
    assert_user_error,
    build_model,
    nu_errors,
    post,
    run_cli,
    serving,
    snapshot,
)
from engine.build import build
from engine.config import Options

ABOUT = """\
---
title: "About this site"
layout: page
---

I write about *rivers* and the law. Write to me at [the office](mailto:a@example.org).
"""


def _site_with_a_page(site) -> Path:
    return site({"posts/about.md": ABOUT, "posts/essay.md": post("Essay", tags="[rivers]"),
                 "posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1)})


def test_a_page_needs_no_date_and_is_a_page_of_the_model(site) -> None:
    model, report = build_model(_site_with_a_page(site))
    page = model.posts["about.md"]
    assert (page.layout, page.status, page.series, page.part) == ("page", "published", None, None)
    assert model.pages == ("about.md",)
    assert "about.md" not in model.order and set(model.order) == {"essay.md", "cities/part-1.md"}
    assert report.items == []


def test_a_page_is_at_its_address_and_in_the_sitemap_but_in_no_listing_or_feed(site) -> None:
    root = _site_with_a_page(site)
    result = build(root, now=NOW)
    assert not result.warnings
    out = root / "output"
    html = (out / "about/index.html").read_text(encoding="utf-8")
    assert "<h1 class=\"post-title\">About this site</h1>" in html and "<em>rivers</em>" in html
    assert "<time" not in html and "Published" not in html and "version" not in html.lower()
    assert "https://example.org/essays/about/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    for listing in ("index.html", "archive/index.html", "updates/index.html", "tags/rivers/index.html",
                    "series/index.html", "cities/index.html", "tags/index.html"):
        assert "about/" not in (out / listing).read_text(encoding="utf-8"), listing
    for feed in ("feed.xml", "atom.xml", "cities/feed.xml"):
        parsed = feedparser.parse((out / feed).read_bytes())
        assert parsed.entries and all("about" not in e.link for e in parsed.entries), feed
    assert "about" not in (out / "updates/feed.xml").read_text(encoding="utf-8")
    assert all("about" not in item["url"] for item in json.loads((out / "feed.json").read_text())["items"])


def test_a_drafted_page_is_shown_only_with_drafts_and_says_so(site) -> None:
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\ndraft: true")})
    build(root, now=NOW)
    assert not (root / "output/about").exists()
    build(root, Options(drafts=True), now=NOW)
    assert "Draft: not published" in (root / "output/about/index.html").read_text(encoding="utf-8")


def test_a_page_dated_later_waits_for_its_date(site) -> None:
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\ndate: 2026-12-01")})
    model, _ = build_model(root)
    assert model.pages == () and [p.status for p in model.held_back] == ["future"]


def test_aliases_of_a_page_redirect_to_it(site) -> None:
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\naliases: [/about-me/]")})
    build(root, now=NOW)
    assert 'url=/essays/about/"' in (root / "output/about-me/index.html").read_text(encoding="utf-8")


def test_tags_on_a_page_are_a_warning_and_shown_nowhere(site) -> None:
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\ntags: [rivers]")})
    result = build(root, now=NOW)
    assert [(w.path, w.line) for w in result.warnings] == [("posts/about.md", 4)]
    assert "tags" in result.warnings[0].message
    assert not (root / "output/tags/rivers").exists()


def test_a_tag_spelt_two_ways_is_a_warning_at_the_odd_spelling(site) -> None:
    root = site({"posts/a.md": post("A", tags="[Rivers, law]"), "posts/b.md": post("B", tags="[rivers]"),
                 "posts/c.md": post("C", tags="[rivers, Law]"), "posts/d.md": post("D", tags="[first sale]"),
                 "posts/e.md": post("E", tags="[first-sale]"), "posts/f.md": post("F", tags="[Canal, canal]")})
    result = build(root, now=NOW)
    said = sorted((w.path, w.line, w.message) for w in result.warnings)
    assert said == [
        ("posts/a.md", 4, "tag `Rivers` is spelt `rivers` on 2 other posts, and each spelling makes a tag page "
                          "of its own: spell them alike to make one"),
        ("posts/c.md", 4, "tag `Law` is spelt `law` on 1 other post, and each spelling makes a tag page of its "
                          "own: spell them alike to make one"),
        ("posts/d.md", 4, "tag `first sale` is spelt `first-sale` on 1 other post, and each spelling makes a "
                          "tag page of its own: spell them alike to make one"),
        ("posts/f.md", 4, "tag `Canal` is spelt `canal` on this post too, and each spelling makes a tag page of "
                          "its own: spell them alike to make one"),
    ]
    assert (root / "output/tags/rivers/index.html").is_file()  # the pages stay apart: their addresses are out
    assert len(list((root / "output/tags").glob("rivers-*/index.html"))) == 1


def test_broken_html_in_a_scheduled_post_is_said_now_not_on_its_day(site) -> None:
    """The build that publishes a scheduled post runs unwatched (a timer, CI): one that stopped there would
    keep the post from going out.  So the build before says so, as a warning, and still builds."""
    root = site({"posts/essay.md": post("Essay"),
                 "posts/later.md": post("Later", date="2026-12-24T09:00:00", body="Text.\n\n<div>\nOpen.")})
    result = build(root, now=NOW)
    assert [str(w) for w in result.warnings] == [
        "posts/later.md:8: warning: raw HTML: <div> is never closed; this post is scheduled for 2026-12-24 09:00, "
        "and the build that publishes it would stop here: mend it now"]
    assert not (root / "output/later").exists()


def test_a_page_made_by_new_with_empty_tags_is_no_warning(site) -> None:
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\ntags: []")})
    assert build(root, now=NOW).warnings == []


@pytest.mark.slow
def test_publish_drops_draft_from_a_page_and_records_nothing(site) -> None:
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\ndraft: true")})
    done = run_cli("publish", "posts/about.md", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "a page records no versions" in done.stdout
    text = (root / "posts/about.md").read_text(encoding="utf-8")
    assert text == ABOUT
    assert not (root / "posts/about.versions").exists()
    before = snapshot(root / "posts")
    again = run_cli("publish", "posts/about.md", cwd=root, env=EPOCH)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert snapshot(root / "posts") == before


@pytest.mark.slow
def test_revise_refuses_a_page_at_its_layout_line(site) -> None:
    root = site({"posts/about.md": ABOUT})
    before = snapshot(root)
    done = run_cli("revise", "posts/about.md", "--note", "Moved offices.", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert done.stderr.startswith("posts/about.md:3: is a page (`layout: page`), and a page keeps no versions")
    assert snapshot(root) == before


@pytest.mark.slow
def test_a_post_with_versions_cannot_quietly_become_a_page(site) -> None:
    root = site({"posts/essay.md": post("Essay")})
    assert run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH).returncode == 0
    text = (root / "posts/essay.md").read_text(encoding="utf-8")
    (root / "posts/essay.md").write_text(text.replace("---\n\n", "layout: page\n---\n\n", 1), encoding="utf-8")
    done = run_cli("check", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert "a page keeps no versions, but this post has 1 recorded" in done.stderr
    assert "`id` says" not in done.stderr  # one error, not a second about the id a page has no use for


@pytest.mark.slow
def test_the_example_about_page_passes_axe_and_the_nu_checker_in_both_schemes_and_widths(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "config.toml", root / "config.toml")
    shutil.copytree(REPO / "posts", root / "posts")
    build(root, now=NOW)
    assert nu_errors(root / "output" / "about") == []
    axe = (REPO / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    with serving(root / "output") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for scheme in ("light", "dark"):
            for width in (390, 1280):
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{base}/about/")
                page.add_script_tag(content=axe)
                found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                      ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(', '))")
                assert found == [], (scheme, width, found)
                assert page.locator('.site-nav a[aria-current="page"]').inner_text() == "About"
                context.close()
        browser.close()



def test_a_footnote_in_the_bio_or_a_series_description_is_named_apart_from_the_essays(site) -> None:
    """``[^a]`` in the bio and in the essay made one id twice on the page, and the bio's mark led to the
    essay's note."""
    root = site({"posts/s/series.toml": 'title = "S"\ndescription = "About.[^a]\\n\\n[^a]: Series note."\n',
                 "posts/s/part-1.md": post("One", body="Essay.[^a]\n\n[^a]: Essay note.", part=1)})
    config = root / "config.toml"
    config.write_text(config.read_text().replace('bio = "A. Writer', 'bio = "Bio.[^a]\\n\\n[^a]: Bio note. A. Writer'))
    assert build(root, now=NOW).warnings == []
    for page in ("s/part-1/index.html", "s/index.html"):
        ids = re.findall(r'\bid="([^"]+)"', (root / "output" / page).read_text())
        assert len(ids) == len(set(ids)), page
    page = (root / "output/s/part-1/index.html").read_text()
    assert 'href="#bio-fn-a"' in page and 'id="bio-fn-a"' in page and 'href="#fn-a"' in page

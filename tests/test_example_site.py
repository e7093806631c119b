"""The repository's own example site, built end to end: pages, validity, feeds, golden files."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import NOW, REPO, nu_errors, snapshot
from engine.build import build

GOLDEN = REPO / "tests" / "golden"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example site, built once with the tests' clock."""
    root = tmp_path_factory.mktemp("example") / "site"
    root.mkdir()
    for name in ("config.toml", "posts", "templates"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy(source, root / name)
    build(root, now=NOW)
    return root / "output"


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def text(out: Path, path: str) -> str:
    """A page's words, tags dropped, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", "", page(out, path)).split())


def test_every_page_type_is_built(example: Path) -> None:
    for path in ("index.html", "archive/index.html", "series/index.html", "tags/index.html",
                 "updates/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", "atom.xml",
                 "feed.json", "lending-the-digital-shelf/index.html", "lending-the-digital-shelf/feed.xml",
                 "lending-the-digital-shelf/part-1/index.html", "lending-the-digital-shelf/part-1/v1/index.html",
                 "lending-the-digital-shelf/part-1/v3/changes/index.html", "the-dated-correction/index.html",
                 "theme/style.css"):
        assert (example / path).is_file(), path


def test_post_page_shows_series_notes_and_continuation(example: Path) -> None:
    html = page(example, "lending-the-digital-shelf/part-1/index.html")
    words = text(example, "lending-the-digital-shelf/part-1/index.html")
    assert "Part 1 of 3" in words
    assert "Update: November 2, 2026, 12:00 pm:" in words
    assert "Revised as of 9:00 am on October 21, 2026" in words
    assert words.index("Update: November 2") < words.index("Revised as of 9:00 am")  # newest first
    assert 'href="/lending-the-digital-shelf/v3/changes/"' not in html
    assert 'href="/lending-the-digital-shelf/part-1/v3/changes/"' in html
    assert "Continued in Part 2" in words
    assert 'href="/lending-the-digital-shelf/part-2/"' in html
    assert "Maren Ostrow is a copyright lawyer" in html
    part2 = page(example, "lending-the-digital-shelf/part-2/index.html")
    assert "To be continued in Part 3: What a statute could say" in text(example, "lending-the-digital-shelf/part-2/index.html")
    assert 'class="part-ref forthcoming">Part 3' in part2


def test_old_version_is_marked_and_not_indexed(example: Path) -> None:
    html = page(example, "lending-the-digital-shelf/part-1/v1/index.html")
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical" href="https://essays.example.org/lending-the-digital-shelf/part-1/">' in html
    assert "This is an old version of this essay, from October 5, 2026, 9:00 am: it has been revised 3 times since." \
        in text(example, "lending-the-digital-shelf/part-1/v1/index.html")
    assert "teh library" in html  # the typo that version 2 corrected
    assert "<title>The license is not a book (version of October 5, 2026) — The Long Margin</title>" in html
    changes = page(example, "lending-the-digital-shelf/part-1/v3/changes/index.html")
    assert "<title>What changed in The license is not a book on October 21, 2026 — The Long Margin</title>" in changes


def test_the_navigation_marks_the_section_a_page_lies_in(example: Path) -> None:
    assert '<a href="/series/" aria-current="true">Series</a>' in page(example, "lending-the-digital-shelf/index.html")
    assert '<a href="/series/" aria-current="page">Series</a>' in page(example, "series/index.html")
    assert '<a href="/tags/" aria-current="true">Tags</a>' in page(example, "tags/copyright/index.html")
    post = page(example, "lending-the-digital-shelf/part-1/index.html")
    assert "aria-current=\"true\">" not in post[:post.index("</nav>")]


def test_changes_page_marks_words(example: Path) -> None:
    html = page(example, "lending-the-digital-shelf/part-1/v2/changes/index.html")
    assert "<del>" in html and "teh" in html
    assert "<ins>" in html
    v3 = page(example, "lending-the-digital-shelf/part-1/v3/changes/index.html")
    assert "moved" in v3
    assert "<details" in v3


@pytest.mark.slow
def test_every_page_passes_the_nu_checker(example: Path) -> None:
    assert nu_errors(example) == []


def test_feeds_parse_with_absolute_links(example: Path) -> None:
    for name in ("feed.xml", "atom.xml", "lending-the-digital-shelf/atom.xml", "updates/atom.xml"):
        feed = feedparser.parse((example / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.entries, name
        for entry in feed.entries:
            assert entry.link.startswith("https://essays.example.org/"), entry.link
            for content in entry.get("content", []):
                assert 'href="/' not in content.value and "href='/" not in content.value
        assert all(e.get("author") == "Maren Ostrow" for e in feed.entries), name
        dates = [e.published_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True), name


def test_each_feed_links_the_page_it_follows_and_itself(example: Path) -> None:
    for name, home in (("feed.xml", ""), ("atom.xml", ""), ("lending-the-digital-shelf/feed.xml",
                                                            "lending-the-digital-shelf/")):
        feed = feedparser.parse((example / name).read_bytes()).feed
        assert feed.link == f"https://essays.example.org/{home}", name  # RSS's channel <link>: a page, not XML
        assert {(link.rel, link.href) for link in feed.links} >= {
            ("alternate", f"https://essays.example.org/{home}"), ("self", f"https://essays.example.org/{name}")}


def test_revision_reaches_subscribers_as_its_own_entry(example: Path) -> None:
    feed = feedparser.parse((example / "atom.xml").read_bytes())
    titles = [e.title for e in feed.entries]
    assert "Updated: The license is not a book — November 2, 2026" in titles  # the site's date format
    update = feed.entries[titles.index("Updated: The license is not a book — November 2, 2026")]
    # version 4 only added its note, which is the change: the entry links to that version, not to an empty diff
    assert update.link == "https://essays.example.org/lending-the-digital-shelf/part-1/v4/"
    assert "v4/changes/" not in update.content[0].value
    assert not any(t.startswith("Updated:") and "October 6" in t for t in titles)  # minor: no entry
    post = next(e for e in feed.entries if e.title == "The license is not a book")
    assert post.id == "tag:essays.example.org,2026-10-05:lending-the-digital-shelf/part-1"


def test_json_feed(example: Path) -> None:
    data = json.loads(page(example, "feed.json"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert all(item["url"].startswith("https://") for item in data["items"])


def test_golden_output(example: Path, request: pytest.FixtureRequest) -> None:
    """The example site's output, compared file by file; `pytest --update-golden` rewrites it."""
    # The theme's static files are copied verbatim: compare them with their source, not a second copy.
    assert (example / "theme/style.css").read_bytes() == (REPO / "engine/theme/static/style.css").read_bytes()
    # The search index is Pagefind's own output (tests/test_search.py reads it back through the search page).
    built = {rel: data for rel, data in snapshot(example).items() if not rel.startswith(("theme/", "pagefind/"))}
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = snapshot(GOLDEN)
    assert sorted(built) == sorted(golden)
    changed = [rel for rel in built if built[rel] != golden[rel]]
    assert changed == []


def test_rebuild_without_cache_gives_identical_bytes(example: Path, tmp_path: Path) -> None:
    site = example.parent
    before = snapshot(example)
    shutil.rmtree(site / ".feuilleton-cache", ignore_errors=True)
    other = tmp_path / "again"
    build(site, now=NOW, output=other)
    assert snapshot(other) == before


def test_warm_rebuild_rewrites_nothing(example: Path) -> None:
    site = example.parent
    stamps = {p: p.stat().st_mtime_ns for p in example.rglob("*") if p.is_file()}
    result = build(site, now=NOW)
    assert result.written is not None and result.written.written == []
    assert {p: p.stat().st_mtime_ns for p in example.rglob("*") if p.is_file()} == stamps


def test_built_below_a_domains_root_as_its_pages_workflow_builds_it_every_link_stays_inside(
        example: Path, tmp_path: Path) -> None:
    """``init --ci github`` in this repository builds it for ``https://USER.github.io/REPO``: the about page's
    three links, written from the domain's root, led out of the site there, each a warning and a 404."""
    out = tmp_path / "project-page"
    report = build(example.parent, now=NOW, base_url="https://me.github.io/essays/", output=out)
    assert [str(w) for w in report.warnings] == []
    about = page(out, "about/index.html")
    assert re.findall(r'href="(/[^"]*)"', about) and all(
        href.startswith("/essays/") for href in re.findall(r'href="(/[^"]*)"', about))

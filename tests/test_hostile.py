"""Hostile content: markup in every text field, and names that try to leave ``output/``.

Titles, summaries, tags, series titles, the site's title and the author's name
are plain text: whatever they contain must reach readers as those very
characters, in every page and in the RSS, Atom and JSON feeds, and never as
markup.  The author's Markdown (the essay, revision notes, the bio) is trusted
and keeps its raw HTML.  Slugs, tags and series folders with ``/``, ``..``,
spaces, other scripts or clashing case must give pages inside ``output/`` at
distinct, stable addresses, or a ``file:line`` error.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW, assert_user_error, post, run_cli, write_site
from engine.build import build
from engine.errors import SiteError
from engine.site import urls as U
from engine.text.smart import smart, smart_inside

X = '<script>alert(1)</script> "><img src=x onerror=alert(1)> ]]> AT&T &amp;'
"""In every plain-text field: a script, an attribute break-out, a CDATA end, ampersands."""
BASE = "https://example.org/essays/"
SITE_TITLE, AUTHOR = f"Site {X}", f"Author {X}"
SERIES_TITLE, PLANNED = f"Series {X}", f"Planned {X}"
OLD_TITLE, TITLE, SUMMARY = f"Old title {X}", f"Title {X}", f"Summary {X}"
SCRIPT_TITLE = "</script><script>alert(2)</script>"
TAGS = [f"Tag {X}", "Law", "law", "LAW", "Ökonomie", "日本", "a/b", "..", "../../etc", "with space", "untitled"]
NOTE = 'A *note* with <span class="note-raw">raw HTML</span>, `<script>alert(4)</script>` in code, and AT&T.'
SHOWN_TITLE, SHOWN_SERIES, SHOWN_PLANNED, SHOWN_SUMMARY = smart(TITLE), smart(SERIES_TITLE), smart(PLANNED), smart(SUMMARY)
"""As pages and feeds show them, with the smart punctuation essays get (the attribute break-out's ``"`` becomes
``“``; the site's title and the author's name keep theirs)."""


def q(text: str) -> str:
    """A string as YAML and TOML both read it."""
    return json.dumps(text)


CONFIG_TOML = f"""\
title = {q(SITE_TITLE)}
base_url = "{BASE}"
timezone = "America/New_York"
description = {q("About " + X)}
copyright = {q("Copyright " + X)}

[author]
name = {q(AUTHOR)}
bio = {q('A bio with <span class="bio-raw">raw HTML</span> and *emphasis*.')}
"""

BODY = """\
Body with <span class="body-raw">raw HTML</span>, `<script>alert(3)</script>` in code, AT&T and ]]> too.

A second paragraph that stays as it is.
"""


def part_1(title: str, body: str) -> str:
    return (f"---\ntitle: {q(title)}\ndate: 2026-09-01T09:00:00\npart: 1\nsummary: {q(SUMMARY)}\n"
            f"tags: [{', '.join(q(t) for t in TAGS)}]\n---\n\n{body}")


def hostile_files() -> dict[str, str]:
    return {
        "posts/Ökonomie/series.toml": (f"title = {q(SERIES_TITLE)}\ndescription = \"A *series* in parts.\"\n\n"
                                       f"[[planned]]\npart = 3\ntitle = {q(PLANNED)}\n"),
        "posts/Ökonomie/Teil 1.md": part_1(OLD_TITLE, BODY),
        "posts/Ökonomie/teil-2.md": post("The second part", date="2026-09-10T09:00:00", part=2, tags="[law]"),
        "posts/日本/series.toml": 'title = "日本の連載"\n',
        "posts/日本/一.md": post("第一部", date="2026-09-05T09:00:00", part=1, tags="[日本]"),
        "posts/with space.md": post(SCRIPT_TITLE, date="2026-09-20T09:00:00", tags="[LAW]"),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile site, with part 1 published, retitled and revised with a note, then built."""
    home = tmp_path_factory.mktemp("hostile")
    root = write_site(home / "site", hostile_files(), config=CONFIG_TOML)
    part = root / "posts" / "Ökonomie" / "Teil 1.md"
    done = run_cli("--site", str(root), "publish", str(part))
    assert done.returncode == 0, done.stderr
    text = part.read_text(encoding="utf-8")
    assert text.count(q(OLD_TITLE)) == 1 and text.count("stays as it is") == 1
    part.write_text(text.replace(q(OLD_TITLE), q(TITLE)).replace("stays as it is", "was revised"), encoding="utf-8")
    done = run_cli("--site", str(root), "revise", str(part), "--note", NOTE, "--at", "2026-10-01T12:00")
    assert done.returncode == 0, done.stderr
    before = _listing(home)
    build(root, now=NOW)
    made = _listing(home) - before
    outside = [p for p in made if not p.startswith(("site/output/", "site/.feuilleton"))]
    assert outside == [], f"the build wrote outside output/: {outside}"
    return root / "output"


def _listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def parse_page(out: Path, path: str) -> lxml.html.HtmlElement:
    """A written page, parsed."""
    return lxml.html.fromstring((out / path).read_bytes())


def within(doc: lxml.html.HtmlElement, css_class: str, tag: str = "*") -> list[lxml.html.HtmlElement]:
    """Elements named ``tag`` inside (or being) elements of class ``css_class``."""
    test = f'contains(concat(" ", normalize-space(@class), " "), " {css_class} ")'
    return doc.xpath(f"//*[{test}]/descendant-or-self::{tag}")


def words(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


POST = "ökonomie/teil-1/index.html"
CHANGES = "ökonomie/teil-1/v2/changes/index.html"


@pytest.mark.slow
def test_every_written_file_is_inside_output(hostile: Path) -> None:
    out = hostile.resolve()
    files = [p for p in out.rglob("*") if p.is_file() or p.is_symlink()]
    assert len(files) > 30
    assert all(p.resolve().is_relative_to(out) for p in files)
    names = {p.relative_to(out).as_posix() for p in files}
    assert {POST, CHANGES, "ökonomie/index.html", "日本/一/index.html", "with-space/index.html"} <= names
    assert not any(part in ("..", ".", "") for name in names for part in name.split("/"))


def test_no_page_carries_markup_from_plain_text_fields(hostile: Path) -> None:
    found = pages(hostile)
    assert len(found) > 20
    for path, text in found.items():
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert scripts in ([], ['<script type="application/ld+json">']), (path, scripts)
        assert "<img" not in text and "<script>alert" not in text, path
        assert "]]>" not in text, path
        doc = lxml.html.fromstring(text)
        assert not [(el.tag, name) for el in doc.iter() for name in el.attrib if name.lower().startswith("on")], path
        assert [el.get("type") for el in doc.iter("script")] in ([], ["application/ld+json"]), path
        assert not list(doc.iter("img")), path
    assert "Site &lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt; ]]&gt; " \
           "AT&amp;T &amp;amp;" in found["index.html"]


def test_plain_text_fields_read_back_exactly(hostile: Path) -> None:
    doc = parse_page(hostile, POST)
    assert doc.findtext(".//title") == f"{SHOWN_TITLE} — {SITE_TITLE}"
    assert words(doc.find_class("post-title")[0]) == " ".join(SHOWN_TITLE.split())
    meta = {m.get("name") or m.get("property"): m.get("content") for m in doc.iter("meta")}
    assert meta["description"] == SHOWN_SUMMARY and meta["og:description"] == SHOWN_SUMMARY
    assert meta["og:title"] == SHOWN_TITLE and meta["author"] == AUTHOR and meta["og:site_name"] == SITE_TITLE
    assert [m.get("content") for m in doc.iter("meta") if m.get("property") == "article:tag"] == TAGS
    assert [a.text for a in within(doc, "post-tags", "a")] == TAGS
    assert within(doc, "series-name")[0].text == SHOWN_SERIES
    assert within(doc, "copyright")[0].text == f"Copyright {X}"
    feeds = [link.get("title") for link in doc.iter("link") if link.get("rel") == "alternate"]
    assert f"{SHOWN_SERIES} (RSS)" in feeds and f"{SITE_TITLE} (Atom)" in feeds
    assert within(doc, "author-bio", "h2")[0].text == f"About {AUTHOR}"
    part2 = parse_page(hostile, "ökonomie/teil-2/index.html")
    assert within(part2, "part-nav-title")[0].text == SHOWN_TITLE
    assert within(part2, "working-title")[0].text == SHOWN_PLANNED
    changes = parse_page(hostile, CHANGES)
    assert words(changes.find_class("title-change")[0]) == " ".join(f"The title changed in this revision: it was “{smart_inside(OLD_TITLE)}”.".split())
    tag = parse_page(hostile, "tags/index.html")
    assert sorted(a.text for a in within(tag, "tag-list", "a")) == sorted(TAGS)


def test_the_authors_markdown_keeps_its_raw_html(hostile: Path) -> None:
    page = (hostile / POST).read_text(encoding="utf-8")
    assert '<span class="body-raw">raw HTML</span>' in page
    assert "<code>&lt;script&gt;alert(3)&lt;/script&gt;</code>" in page
    assert "AT&amp;T and ]]&gt; too" in page
    assert "A <em>note</em> with <span class=\"note-raw\">raw HTML</span>" in page
    assert "<code>&lt;script&gt;alert(4)&lt;/script&gt;</code>" in page
    assert '<span class="bio-raw">raw HTML</span> and <em>emphasis</em>' in page
    changes = (hostile / CHANGES).read_text(encoding="utf-8")
    assert '<span class="note-raw">raw HTML</span>' in changes
    assert '<span class="body-raw">raw HTML</span>' in changes


def json_ld(page: str) -> dict:
    """The JSON-LD block as a browser splits it: up to the first ``</script``."""
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script', page, re.DOTALL | re.IGNORECASE)
    assert len(found) == 1
    return json.loads(found[0])


def test_json_ld_cannot_close_its_script(hostile: Path) -> None:
    solo = (hostile / "with-space/index.html").read_text(encoding="utf-8")
    assert json_ld(solo)["headline"] == SCRIPT_TITLE
    assert lxml.html.fromstring(solo).findtext(".//h1") == SCRIPT_TITLE
    data = json_ld((hostile / POST).read_text(encoding="utf-8"))
    assert data["headline"] == SHOWN_TITLE and data["description"] == SHOWN_SUMMARY
    assert data["author"]["name"] == AUTHOR and data["keywords"] == TAGS
    assert data["isPartOf"]["name"] == SHOWN_SERIES
    series = json_ld((hostile / "ökonomie/index.html").read_text(encoding="utf-8"))
    assert series["name"] == SHOWN_SERIES
    assert [p["headline"] for p in series["hasPart"]] == [SHOWN_TITLE, "The second part"]
    assert series["hasPart"][0]["url"] == BASE + "%C3%B6konomie/teil-1/"


def as_text(detail: feedparser.FeedParserDict) -> str:
    """What a feed reader shows for a text construct."""
    if detail.type == "text/html":
        assert "<" not in detail.value, detail.value  # no markup a reader would act on
        return html.unescape(detail.value)
    assert detail.type == "text/plain", detail.type
    return detail.value


FEEDS = ["feed.xml", "atom.xml", "ökonomie/feed.xml", "ökonomie/atom.xml", "updates/feed.xml", "updates/atom.xml"]


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_carry_the_exact_text(hostile: Path, name: str) -> None:
    feed = feedparser.parse((hostile / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert as_text(feed.feed.title_detail).startswith(SHOWN_SERIES if "ökonomie" in name else SITE_TITLE)
    entries = {as_text(e.title_detail): e for e in feed.entries}
    update = entries[f"Updated: {SHOWN_TITLE} — October 1, 2026"]
    assert as_text(update.summary_detail) == "A note with raw HTML, <script>alert(4)</script> in code, and AT&T."
    assert update.link == BASE + "%C3%B6konomie/teil-1/v2/changes/"
    assert [t.term for t in update.tags] == TAGS
    if name.endswith("atom.xml"):  # RSS names an author only with an e-mail address
        assert update.author == AUTHOR and feed.feed.author == AUTHOR
    if "updates" in name:
        return
    essay = entries[SHOWN_TITLE]
    assert as_text(essay.summary_detail) == SHOWN_SUMMARY
    assert [t.term for t in essay.tags] == TAGS
    assert SCRIPT_TITLE in entries or "ökonomie" in name


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_feed_content_is_the_rendered_markdown(hostile: Path, name: str) -> None:
    raw = (hostile / name).read_text(encoding="utf-8")
    assert "<script" not in re.sub(r"<!\[CDATA\[.*?\]\]>", "", raw, flags=re.DOTALL)  # only escaped or in CDATA
    feed = feedparser.parse(raw.encode("utf-8"), sanitize_html=False)
    contents = {e.title: e.content[0].value for e in feed.entries}
    essay = contents[SHOWN_TITLE]
    assert '<span class="body-raw">raw HTML</span>' in essay
    assert "<code>&lt;script&gt;alert(3)&lt;/script&gt;</code>" in essay and "]]&gt; too" in essay
    note = contents[f"Updated: {SHOWN_TITLE} — October 1, 2026"]
    assert 'A <em>note</em> with <span class="note-raw">raw HTML</span>' in note
    assert f'href="{BASE}%C3%B6konomie/teil-1/v2/changes/"' in note


@pytest.mark.parametrize("name", ["feed.json", "ökonomie/feed.json", "updates/feed.json"])
def test_json_feeds_carry_the_exact_text(hostile: Path, name: str) -> None:
    data = json.loads((hostile / name).read_text(encoding="utf-8"))
    assert data["authors"] == [{"name": AUTHOR}]
    items = {item["title"]: item for item in data["items"]}
    assert items[f"Updated: {SHOWN_TITLE} — October 1, 2026"]["tags"] == TAGS
    if "updates" not in name:
        assert items[SHOWN_TITLE]["summary"] == SHOWN_SUMMARY
        assert '<span class="body-raw">raw HTML</span>' in items[SHOWN_TITLE]["content_html"]


def _target(out: Path, url: str) -> Path | None:
    """The file a site URL is served from (None for other sites)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if not url.startswith(BASE):
            return None
        path = parts.path
    elif url.startswith("/"):
        path = parts.path
    else:
        return None
    base = urlsplit(BASE).path
    assert path.startswith(base), url
    rel = unquote(path[len(base):])
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def test_every_link_reaches_a_written_file(hostile: Path) -> None:
    broken = []
    checked = 0
    for path in [*pages(hostile), *FEEDS, "sitemap.xml"]:
        text = (hostile / path).read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>|<link>([^<]+)</link>', text):
            url = html.unescape(next(u for u in url if u))
            target = _target(hostile, url)
            if target is not None:
                checked += 1
                if not target.is_file():
                    broken.append(f"{path}: {url}")
    assert checked > 300
    assert broken == []


def tag_urls(out: Path) -> dict[str, str]:
    doc = parse_page(out, "tags/index.html")
    return {a.text: a.get("href") for a in within(doc, "tag-list", "a")}


def test_tag_urls_are_distinct_safe_and_stable(hostile: Path, tmp_path: Path) -> None:
    urls = tag_urls(hostile)
    assert sorted(urls) == sorted(TAGS)
    assert len(set(urls.values())) == len(urls)
    for url in urls.values():
        segment = unquote(url.removeprefix("/essays/tags/").removesuffix("/"))
        assert segment and "/" not in segment and segment not in (".", "..") and " " not in segment, url
        assert (hostile / "tags" / segment / "index.html").is_file()
    assert urls["Ökonomie"] == "/essays/tags/%C3%B6konomie/" and urls["日本"] == "/essays/tags/%E6%97%A5%E6%9C%AC/"
    assert urls["law"] == "/essays/tags/law/" and urls["untitled"] == "/essays/tags/untitled/"
    again = tmp_path / "again"
    build(hostile.parent, now=NOW, output=again, use_cache=False)
    assert tag_urls(again) == urls


names = st.lists(st.text(alphabet="Ll .-/_Öö日本İ\u0301", min_size=1, max_size=12)
                 | st.text(alphabet="Ll日本", min_size=100, max_size=140), max_size=12)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(names, st.randoms())
def test_tag_segments_are_distinct_safe_and_independent_of_order(tags: list[str], rnd) -> None:
    segments = U.tag_segments(tags)
    assert set(segments) == set(tags)
    assert len(set(segments.values())) == len(segments)
    for segment in segments.values():
        assert segment not in ("", ".", "..") and "/" not in segment and len(segment.encode()) <= U.MAX_NAME
    shuffled = list(tags)
    rnd.shuffle(shuffled)
    assert U.tag_segments(shuffled) == segments


def test_a_tag_named_like_another_tags_hashed_slug_stays_distinct() -> None:
    hashed = U.tag_segments(["Law", "law"])["Law"]
    assert hashed.startswith("law-")
    segments = U.tag_segments(["Law", "law", hashed])
    assert len(set(segments.values())) == 3 and segments[hashed] == hashed


def test_a_long_tag_gets_a_short_distinct_folder(site) -> None:
    long_a, long_b = "日本" * 60 + "a", "日本" * 60 + "b"
    root = site({"posts/a.md": post("A", tags=f"[{long_a}, {long_b}]")})
    build(root, now=NOW)
    folders = [p.name for p in (root / "output" / "tags").iterdir() if p.is_dir()]
    assert len(folders) == 2 and all(len(name.encode()) <= U.MAX_NAME for name in folders)


def test_a_build_stopped_by_an_escaping_slug_writes_nothing_anywhere(site) -> None:
    # check's exact message for this and every other slug that cannot be written: tests/cases/invalid/slug-*
    root = site({"posts/a.md": post("A", slug="../../etc")})
    before = _listing(root.parent)
    assert_user_error(run_cli("--site", str(root), "build"))
    assert _listing(root.parent) == before and not (root.parent.parent / "etc").exists()


@pytest.mark.parametrize("files", [
    {"posts/Law.md": post("Upper"), "posts/law.md": post("Lower")},
    {"posts/Law/series.toml": 'title = "Upper"\n', "posts/Law/p.md": post("A", part=1),
     "posts/law/series.toml": 'title = "Lower"\n', "posts/law/p.md": post("B", part=1)},
], ids=["posts", "series folders"])
def test_names_differing_only_in_case_are_an_error(site, files: dict[str, str]) -> None:
    root = site(files)
    with pytest.raises(SiteError) as caught:
        build(root, now=NOW)
    message = str(caught.value)
    assert "Law" in message and "law" in message and "/tmp" not in message, message
    assert not (root / "output").exists()

"""``engine/site/feeds.py``, read back through feedparser: RSS, Atom and JSON Feed of one feed, entries in
the order given, ids that never change, dates from the content (never the clock), links made absolute."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import feedparser
import pytest

from engine.site import urls as U
from engine.site.feeds import (
    DELETED,
    INSERTED,
    MARK,
    MOVED,
    Entry,
    Feed,
    first_sentence,
    newest,
    redline,
    render_feed,
    revision_id,
)

URLS = U.Urls("https://example.org/essays/")
HOME = "https://example.org/essays/cities/"


def entry(n: int, **changes) -> Entry:
    fields = dict(id=f"tag:example.org,2026-10-0{n}:cities/part-{n}", title=f"Part {n}",
                  url=f"{HOME}part-{n}/", published=datetime(2026, 10, n, 13, 0, tzinfo=timezone.utc),
                  updated=datetime(2026, 10, n, 13, 0, tzinfo=timezone.utc),
                  content=f'<p>Part {n}. See <a href="../part-1/">the first</a> and <a href="#fn-1">a note</a>.</p>',
                  summary=f"The {n}th part.", tags=("law", "cities"))
    return Entry(**{**fields, **changes})


FEED = Feed("Cities", "Whether cities may refuse.", HOME, "cities/",
            (entry(3, updated=datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)), entry(1), entry(2)))


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return render_feed(FEED, URLS, "A. Writer", "en")


@pytest.mark.parametrize("name", ["cities/feed.xml", "cities/atom.xml"])
def test_rss_and_atom_read_back_whole_and_in_the_order_given(files: dict[str, bytes], name: str) -> None:
    feed = feedparser.parse(files[name])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Cities" and feed.feed.link == HOME and feed.feed.language == "en"
    assert [e.id for e in feed.entries] == [FEED.entries[i].id for i in (0, 1, 2)]  # appended, not prepended
    first = feed.entries[0]
    assert (first.title, first.link, first.author) == ("Part 3", f"{HOME}part-3/", "A. Writer")
    assert [t.term for t in first.tags] == ["law", "cities"]
    assert first.published_parsed[:5] == (2026, 10, 3, 13, 0)
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"https://example.org/essays/{name}"


def test_the_feeds_date_is_its_newest_entrys_not_the_clocks(files: dict[str, bytes]) -> None:
    atom, rss = feedparser.parse(files["cities/atom.xml"]), feedparser.parse(files["cities/feed.xml"])
    assert atom.feed.updated_parsed[:5] == (2026, 11, 2, 9, 0)
    assert rss.feed.updated_parsed[:5] == (2026, 11, 2, 9, 0)  # lastBuildDate
    assert render_feed(FEED, URLS, "A. Writer", "en") == files  # the same bytes every time


def test_an_empty_feed_is_dated_as_it_is_told() -> None:
    quiet = datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)
    empty = render_feed(Feed("Updates", "", "https://example.org/essays/updates/", "updates/", (), quiet=quiet),
                        URLS, "A", "en")
    atom = feedparser.parse(empty["updates/atom.xml"])
    assert not atom.bozo and atom.entries == [] and atom.feed.updated_parsed[:5] == (2026, 11, 20, 8, 30)
    assert feedparser.parse(empty["updates/feed.xml"]).feed.updated_parsed[:5] == (2026, 11, 20, 8, 30)
    assert feedparser.parse(empty["updates/feed.xml"]).feed.subtitle == "Updates"  # a description is required


@pytest.mark.parametrize("name", ["cities/feed.xml", "cities/atom.xml"])
def test_links_in_an_entrys_content_are_absolute_against_its_page(files: dict[str, bytes], name: str) -> None:
    content = feedparser.parse(files[name], sanitize_html=False).entries[0].content[0].value
    assert f'<a href="{HOME}part-1/">the first</a>' in content
    assert f'<a href="{HOME}part-3/#fn-1">a note</a>' in content


def test_a_quotations_source_is_made_absolute_as_a_link_is() -> None:
    quoted = entry(1, content='<blockquote cite="../part-2/">Quoted.</blockquote><p><q cite="/essays/x/">y</q></p>')
    files = render_feed(Feed("Cities", "", HOME, "cities/", (quoted,)), URLS, "A", "en")
    for name in ("cities/feed.xml", "cities/atom.xml"):
        content = feedparser.parse(files[name], sanitize_html=False).entries[0].content[0].value
        assert f'<blockquote cite="{HOME}part-2/">' in content and 'cite="https://example.org/essays/x/"' in content
    assert f'cite=\\"{HOME}part-2/\\"' in files["cities/feed.json"].decode()


def test_json_feed_carries_the_same_entries(files: dict[str, bytes]) -> None:
    data = json.loads(files["cities/feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://example.org/essays/cities/feed.json" and data["home_page_url"] == HOME
    assert [item["id"] for item in data["items"]] == [e.id for e in FEED.entries]
    item = data["items"][0]
    assert item["date_published"] == "2026-10-03T13:00:00+00:00" and item["date_modified"] == "2026-11-02T09:00:00+00:00"
    assert item["tags"] == ["law", "cities"] and f'href="{HOME}part-1/"' in item["content_html"]


def test_json_feed_leaves_out_tags_an_entry_has_none_of() -> None:
    feed = Feed("Cities", "", HOME, "cities/", (entry(1, tags=()),))
    (item,) = json.loads(render_feed(feed, URLS, "A", "en")["cities/feed.json"])["items"]
    assert "tags" not in item


def test_a_revisions_id_is_stable_and_its_own() -> None:
    post_id = "tag:example.org,2026-10-01:cities/part-1"
    assert revision_id(post_id, 2) == revision_id(post_id, 2)
    assert revision_id(post_id, 2).startswith("urn:uuid:")
    assert len({revision_id(post_id, 2), revision_id(post_id, 3), revision_id(post_id + "x", 2)}) == 3


def test_newest_keeps_the_limit_and_makes_none_of_them() -> None:
    made: list[int] = []

    def maker(n: int):
        return lambda: made.append(n) or entry(n)
    when = datetime(2026, 10, 5, tzinfo=timezone.utc)
    candidates = [(datetime(2026, 10, n, tzinfo=timezone.utc), f"id-{n}", maker(n)) for n in (1, 4, 2, 3)]
    candidates.append((when, "id-5b", maker(6)))
    candidates.append((when, "id-5a", maker(5)))  # the same moment: ordered by id
    kept = newest(candidates, 3)
    assert [key for _, key, _ in kept] == ["id-5b", "id-5a", "id-4"]
    assert made == []  # the feeds' revisions are worked out on all cores before any entry is made
    assert [make().title for _, _, make in kept] == ["Part 6", "Part 5", "Part 4"]
    assert sorted(made) == [4, 5, 6]


def test_an_entrys_top_and_end_surround_its_content_in_every_format() -> None:
    told = entry(1, before='<p><em>Part 1 of 2</em></p>', after='<p>Continued in <a href="../part-2/">Part 2</a></p>')
    files = render_feed(Feed("Cities", "", HOME, "cities/", (told,)), URLS, "A. Writer", "en")
    rss, atom = (feedparser.parse(files[f"cities/{n}.xml"]).entries[0].content[0].value for n in ("feed", "atom"))
    shown = json.loads(files["cities/feed.json"])["items"][0]["content_html"]
    for content in (rss, atom, shown):
        assert content.startswith("<p><em>Part 1 of 2</em></p><p>Part 1.")
        assert content.endswith(f'<p>Continued in <a href="{HOME}part-2/">Part 2</a></p>')


DIFF = """<details class="unchanged"><summary>2 unchanged paragraphs</summary>
<p>Old and same.</p>
</details>
<h2 id="one">One</h2>
<p>Kept as it was.</p>
<p>It <del><span class="visually-hidden">deleted: </span>exhausts</del><ins><span class="visually-hidden">inserted: \
</span>limits</ins> one right.</p>
<h2 id="two">Two</h2>
<p>Nothing here.</p>
<p class="diff-note">Moved from later in the essay.</p>
<p class="moved">A moved paragraph.</p>
<p>It <del>stays</del> here<del class="mark">,</del> now.</p>
<p class="diff-note">A paragraph moved from here to earlier in the essay.</p>
<section class="footnotes" aria-label="Footnotes">
<ol>
<li class="unchanged-notes"><details class="unchanged"><summary>2 unchanged notes</summary>
<ol start="1">
<li id="fn-1"><p>First note.</p></li>
<li id="fn-2"><p>Second note.</p></li>
</ol></details></li>
<li value="3" id="fn-3"><p>Third <ins>new</ins> note.</p></li>
</ol>
</section>
"""


def test_the_redline_keeps_only_changed_paragraphs_under_their_headings_marked_inline() -> None:
    shown = redline(DIFF)
    assert "Old and same" not in shown and "Kept as it was" not in shown and "Nothing here" not in shown
    assert "visually-hidden" not in shown and "deleted:" not in shown  # feed readers would show the hint
    assert shown.index('<h2 id="one">') < shown.index("exhausts") < shown.index('<h2 id="two">')
    assert f'<del style="{DELETED}">exhausts</del><ins style="{INSERTED}">limits</ins>' in shown
    assert '<p style="font-style:italic">Moved from later in the essay.</p>' in shown
    assert f'<p class="moved" style="{MOVED}">A moved paragraph.</p>' in shown  # the page's bar, inline
    assert f'here<del class="mark" style="{MARK}">,</del> now' in shown  # boxed, as on the page
    sanitized = feedparser.parse(f"<rss><channel><item><description><![CDATA[{shown}]]></description></item>"
                                 "</channel></rss>").entries[0].description
    assert "border: 1px dashed" in sanitized  # what a reader's sanitizer keeps of the box (it drops an outline)
    assert "moved from here" not in shown  # the paragraphs around the place it left are not in the feed
    assert "unchanged notes" not in shown and "First note" not in shown  # a fold, which no feed reader opens
    assert '<li value="3" id="fn-3"><p>Third' in shown


def test_an_unchanged_text_has_no_redline() -> None:
    assert redline('<details class="unchanged"><summary>3 unchanged paragraphs</summary><p>Same.</p></details>') == ""


@pytest.mark.parametrize("text, first", [
    ("Corrected the date of the ruling. It was 2018, not 2017.", "Corrected the date of the ruling."),
    ("See 17 U.S.C. § 109 for the rule. Then more.", "See 17 U.S.C. § 109 for the rule."),
    ("He said “it stops here.” Then he left.", "He said “it stops here.”"),
    ("One sentence only", "One sentence only"),
    ("Une phrase. Deux phrases.", "Une phrase."),
    ("After City v. State, I added a word. Then more.", "After City v. State, I added a word."),
    ("See the U.S. Supreme Court in Printz. Then more.", "See the U.S. Supreme Court in Printz."),
    ("As J. Smith and Dr. Jones argue, e.g. Here. Next.", "As J. Smith and Dr. Jones argue, e.g. Here."),
    ("The answer is no. But why?", "The answer is no."),
    ("It rose 5.5 percent. Then fell.", "It rose 5.5 percent."),
    ("word " * 100, ("word " * 100)[:300].rsplit(" ", 1)[0] + "…"),
])
def test_a_notes_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first

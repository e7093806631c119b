"""Feeds that tell the story, read back through feedparser: a part's entry says which part of which series it
is, opens with its revision notes and ends with where the series goes on; a revision's entry is dated as the
site dates things, summed up by its note's first sentence, and shows the changed words marked inline."""
from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from conftest import EPOCH, post, run_cli
from engine.site.feeds import DELETED, INSERTED

SERIES = """\
title = "Sanctuary Cities"
status = "ongoing"

[[planned]]
part = 3
title = "The remedy"
date = 2026-12-05
"""
BASE = "https://example.org/essays/"


def cli(root: Path, *args: str) -> None:
    done = run_cli("--site", str(root), *args, env=EPOCH)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def told(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Part 1 of 3 revised with a two-sentence note, Part 2 out, Part 3 planned; built."""
    from conftest import write_site
    root = write_site(tmp_path_factory.mktemp("told"), {
        "posts/cities/series.toml": SERIES,
        "posts/cities/part-1.md": post("Introduction", "2026-11-01T09:00:00", part=1,
                                       body="Cities may refuse to help.\n\nThe law exhausts one right."),
        "posts/cities/part-2.md": post("The Statutes", "2026-11-10T09:00:00", part=2, body="The second part.")})
    for part in (1, 2):
        cli(root, "publish", f"posts/cities/part-{part}.md")
    cli(root, "build")
    path = root / "posts/cities/part-1.md"
    path.write_text(path.read_text().replace("exhausts", "limits"))
    cli(root, "revise", str(path), "--note", "Corrected the verb in the second paragraph. A reader wrote in.",
        "--at", "2026-11-12T15:30")
    cli(root, "build")
    return root / "output"


def entries(out: Path, name: str) -> dict[str, feedparser.FeedParserDict]:
    feed = feedparser.parse((out / name).read_bytes(), sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return {e.title: e for e in feed.entries}


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "cities/feed.xml", "cities/atom.xml", "updates/atom.xml"])
def test_a_revisions_entry_is_dated_summed_up_and_shows_what_changed(told: Path, name: str) -> None:
    update = entries(told, name)["Updated: Introduction — November 12, 2026"]  # the site's date format, not ISO
    assert update.summary == "Corrected the verb in the second paragraph."
    assert update.link == BASE + "cities/part-1/v2/changes/"
    content = update.content[0].value
    assert f'<del style="{DELETED}">exhausts</del>' in content.replace(" </del>", "</del>")
    assert f'<ins style="{INSERTED}">limits</ins>' in content
    assert "Cities may refuse" not in content  # an unchanged paragraph is not repeated
    assert "visually-hidden" not in content


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "cities/feed.xml", "cities/atom.xml"])
def test_a_parts_entry_tells_where_it_stands_in_its_series(told: Path, name: str) -> None:
    found = entries(told, name)
    first = found["Introduction"].content[0].value
    assert first.startswith(f'<p><em>Part 1 of 3 · <a href="{BASE}cities/">Sanctuary Cities</a></em></p>')
    top = first.index("<strong>Revised as of 3:30 pm on November 12, 2026:</strong>")  # worded as on its page
    page = (told / "cities/part-1/index.html").read_text(encoding="utf-8")
    assert 'Revised as of <time datetime="2026-11-12T15:30:00-05:00">3:30 pm on November 12, 2026</time>:' in page
    assert top < first.index("Corrected the verb") < first.index("Cities may refuse to help.")
    assert f'<a href="{BASE}cities/part-1/v2/changes/">See what changed</a>' in first[:first.index("Cities may")]
    assert first.rstrip().endswith(
        f'<p><strong>Continued in Part 2: <a href="{BASE}cities/part-2/">The Statutes</a></strong></p>')
    second = found["The Statutes"].content[0].value
    assert second.startswith("<p><em>Part 2 of 3 · ") and "Update:" not in second
    assert second.rstrip().endswith(
        "<p><strong>To be continued in Part 3: <em>The remedy</em> (planned for December 5, 2026)</strong></p>")


def test_the_json_feeds_entries_say_the_same(told: Path) -> None:
    rss = etree.parse(told / "feed.xml").getroot()
    encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
    shown = {item.findtext("title"): item.findtext(encoded) for item in rss.iter("item")}
    items = {i["title"]: i for i in json.loads((told / "feed.json").read_text())["items"]}
    assert items["Introduction"]["content_html"] == shown["Introduction"]  # the same bytes in each format
    assert items["Updated: Introduction — November 12, 2026"]["summary"] == \
        "Corrected the verb in the second paragraph."


def test_a_parts_entry_keeps_its_id_through_a_revision(told: Path) -> None:
    atom = entries(told, "atom.xml")
    assert atom["Introduction"].id == "tag:example.org,2026-11-01:cities/part-1"
    assert atom["Updated: Introduction — November 12, 2026"].id.startswith("urn:uuid:")


def test_a_revision_that_only_adds_a_picture_is_not_told_as_unchanged(tmp_path: Path) -> None:
    from conftest import png, write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("Weirs", "2026-11-01T09:00:00", body="A river."),
                                          "static/img/weir.png": png(4, 4)})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    path.write_text(path.read_text() + "\n![](/essays/img/weir.png)\n")
    cli(root, "revise", str(path), "--note", "Added a picture of the weir.", "--at", "2026-11-12T15:30")
    cli(root, "build")
    update = entries(root / "output", "atom.xml")["Updated: Weirs — November 12, 2026"]
    content = update.content[0].value
    assert "unchanged" not in content
    assert "1 paragraph changed" in content and "weir.png" in content


def test_a_paragraph_added_or_taken_away_whole_is_shown_in_the_revisions_entry(tmp_path: Path) -> None:
    from conftest import write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("Weirs", "2026-11-01T09:00:00",
                                                                 body="A river.\n\nA paragraph that goes.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    path.write_text(path.read_text().replace("A paragraph that goes.", "A whole new paragraph about weirs."))
    cli(root, "revise", str(path), "--note", "Replaced the second paragraph.", "--at", "2026-11-12T15:30")
    cli(root, "build")
    content = entries(root / "output", "atom.xml")["Updated: Weirs — November 12, 2026"].content[0].value
    assert f'<ins class="block" style="{INSERTED}"><p>A whole new paragraph about weirs.</p></ins>' in content
    assert f'<del class="block" style="{DELETED}"><p>A paragraph that goes.</p></del>' in content
    assert "A river." not in content and "visually-hidden" not in content


def test_two_revisions_recorded_at_one_moment_keep_their_order(tmp_path: Path) -> None:
    """Ten revisions recorded by one clock reading (a script, an import): v10 and v11 sort after v9 only by
    their numbers."""
    from datetime import datetime, timezone

    from conftest import write_site
    from engine.commands.revise import revise
    from engine.config import load_config
    root = write_site(tmp_path / "site", {"posts/essay.md": post("Weirs", "2026-11-01T09:00:00", body="A river.")})
    cli(root, "publish", "posts/essay.md")
    path, (config, _) = root / "posts/essay.md", load_config(root)
    moment = datetime(2026, 11, 12, 20, 30, tzinfo=timezone.utc)
    for number in range(2, 12):
        path.write_text(path.read_text().replace("river", f"river{number}" if number == 2 else "river")
                        .replace(f"river{number - 1}", f"river{number}"))
        revise(path, root, config, f"Revision {number}.", None, False, moment)
    cli(root, "build")
    feed = feedparser.parse((root / "output/updates/atom.xml").read_bytes())
    assert len({e.updated for e in feed.entries}) == 1
    assert [e.summary for e in feed.entries] == [f"Revision {n}." for n in range(11, 1, -1)]


def test_a_revisions_entry_keeps_the_title_the_post_had_then(tmp_path: Path) -> None:
    """Retitling a post later does not rewrite what its earlier revisions' entries were called."""
    from conftest import write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("First title", "2026-11-01T09:00:00",
                                                                 body="The statute is old.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    path.write_text(path.read_text().replace("is old", "is very old"))
    cli(root, "revise", str(path), "--note", "After City v. State, I added a word.", "--at", "2026-11-10T09:00")
    path.write_text(path.read_text().replace("First title", "Second title"))
    cli(root, "revise", str(path), "--note", "Retitled.", "--at", "2026-11-20T09:00")
    cli(root, "build")
    for name in ("feed.xml", "atom.xml"):
        found = entries(root / "output", name)
        assert set(found) == {"Second title", "Updated: Second title — November 20, 2026",
                              "Updated: First title — November 10, 2026"}
        assert found["Updated: First title — November 10, 2026"].summary == "After City v. State, I added a word."
        retitled = found["Updated: Second title — November 20, 2026"]
        told = retitled.content[0].value if "content" in retitled else retitled.description
        assert "The title changed; the text of the essay is unchanged." in told  # not "unchanged" alone


def test_an_objects_address_is_absolute_in_feeds_and_found_from_old_versions(tmp_path: Path) -> None:
    from conftest import write_site
    root = write_site(tmp_path / "site", {
        "posts/essay.md": post("Maps", "2026-11-01T09:00:00", body='A map.\n\n<object data="../img/map.svg"></object>'),
        "static/img/map.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    path.write_text(path.read_text().replace("A map.", "A better map."))
    cli(root, "revise", str(path), "--note", "Better.", "--at", "2026-11-10T09:00")
    cli(root, "build")
    for name in ("feed.xml", "atom.xml"):
        content = entries(root / "output", name)["Maps"].content[0].value
        assert '<object data="https://example.org/essays/img/map.svg">' in content
    old = (root / "output/essay/v1/index.html").read_text(encoding="utf-8")
    assert '<object data="/essays/img/map.svg">' in old


def test_a_preview_builds_feed_ids_are_the_sites_own(tmp_path: Path) -> None:
    """An id names the entry, not an address: a deploy preview's feeds give a post never published with
    `publish` (no `id:` pinned) the id the site's feeds give it."""
    from conftest import write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("Before Feuilleton", "2026-11-02T09:00:00")})
    cli(root, "build")
    own = entries(root / "output", "atom.xml")["Before Feuilleton"].id
    cli(root, "build", "--base-url", "https://preview-42.example.net/")
    preview = entries(root / "output", "atom.xml")["Before Feuilleton"]
    assert preview.link == "https://preview-42.example.net/essay/"
    assert preview.id == own == "tag:example.org,2026-11-02:essay"


def test_a_feed_with_no_entry_yet_is_dated_by_the_sites_first_post(tmp_path: Path) -> None:
    """A series with only planned parts, and the updates of a site no one has revised: their feeds exist, for
    whoever subscribes early, and say they have been empty since the site's first post, not since the year
    2000 (nor since its newest post, which would rewrite them at every post for no news)."""
    from conftest import write_site
    root = write_site(tmp_path, {
        "posts/cities/series.toml": SERIES,
        "posts/cities/part-1.md": post("Introduction", "2026-11-01T09:00:00", part=1, body="Cities may refuse."),
        "posts/later/series.toml": 'title = "Later"\n\n[[planned]]\npart = 1\ntitle = "Soon"\n',
        "posts/aside.md": post("An aside", "2026-11-03T14:15:00", body="A short one.")})
    cli(root, "build")
    for name in ("later/atom.xml", "later/feed.xml", "updates/atom.xml"):
        feed = feedparser.parse((root / "output" / name).read_bytes())
        assert not feed.bozo and feed.entries == []
        assert feed.feed.updated_parsed[:5] == (2026, 11, 1, 14, 0), name  # 9:00 in New York, after DST


def test_a_part_revised_often_does_not_push_the_parts_out_of_the_feeds(tmp_path: Path) -> None:
    """Three entries a feed (``feed_entries = 3``), a third part revised four times: the feeds keep the three
    parts and the three newest revisions; before, the revisions took every place, and a new subscriber to
    the series could not start it from Part 1."""
    from datetime import datetime, timezone

    from conftest import CONFIG, SERIES, write_site
    from engine.commands.revise import revise
    from engine.config import load_config
    root = write_site(tmp_path / "site", {
        "posts/cities/series.toml": SERIES,
        **{f"posts/cities/part-{n}.md": post(f"Part {n}", f"2026-11-0{n}T09:00:00", part=n, body="A river.")
           for n in (1, 2, 3)}}, config="feed_entries = 3\n" + CONFIG)
    for n in (1, 2, 3):
        cli(root, "publish", f"posts/cities/part-{n}.md")
    path, (config, _) = root / "posts/cities/part-3.md", load_config(root)
    for number in range(2, 6):
        path.write_text(path.read_text().replace("river", f"river{number}" if number == 2 else "river")
                        .replace(f"river{number - 1}", f"river{number}"))
        revise(path, root, config, f"Revision {number}.", None, False,
               datetime(2026, 11, 10 + number, 9, tzinfo=timezone.utc))
    cli(root, "build")
    for feed_path in ("output/cities/atom.xml", "output/atom.xml"):
        feed = feedparser.parse((root / feed_path).read_bytes())
        titles = [e.title for e in feed.entries]
        assert [t for t in titles if not t.startswith("Updated")] == ["Part 3", "Part 2", "Part 1"], titles
        assert len([t for t in titles if t.startswith("Updated")]) == 3, titles


def test_two_revisions_in_one_minute_have_titles_told_apart(tmp_path: Path) -> None:
    """A typo mended a few seconds after a revision: both entries read "Updated: Weirs — 3:30 pm on November 12,
    2026", one title for two entries in a reader's list; the later one says its version."""
    from conftest import write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("Weirs", "2026-11-01T09:00:00", body="A river.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    for words, at in (("A wide river.", "2026-11-12T09:00"), ("A wide, slow river.", "2026-11-12T15:30:05"),
                      ("A wide, slow, cold river.", "2026-11-12T15:30:40")):
        path.write_text(path.read_text().replace(path.read_text().split("\n")[-2], words))
        cli(root, "revise", str(path), "--note", f"Now: {words}", "--at", at)
    cli(root, "build")
    titles = [entry.title for entry in feedparser.parse((root / "output/atom.xml").read_bytes()).entries]
    assert {"Updated: Weirs — November 12, 2026", "Updated: Weirs — 3:30 pm on November 12, 2026",
            "Updated: Weirs — 3:30 pm on November 12, 2026, version 4"} <= set(titles)
    assert len(titles) == len(set(titles))


def test_an_entry_shows_the_three_newest_notes_and_links_to_the_others(site) -> None:
    """As the page folds them: an essay revised every week had its first words pages down its entry."""
    from datetime import datetime, timezone

    from engine.commands.publish import publish
    from engine.commands.revise import revise
    from engine.config import load_config
    root = site({"posts/weekly.md": post("Weekly", "2026-10-01T09:00:00", body="The essay itself.")})
    config, _ = load_config(root)
    path, now = root / "posts/weekly.md", datetime(2026, 11, 28, tzinfo=timezone.utc)
    publish(path, root, config, None, now)
    for week in range(1, 6):
        revise(path, root, config, f"Week {week}: a reader wrote in.", f"2026-10-{week * 5:02}T09:00", False, now)
    cli(root, "build")
    entry = entries(root / "output", "atom.xml")["Weekly"]
    content = entry.content[0].value
    assert [n for n in range(1, 6) if f"Week {n}:" in content] == [3, 4, 5]
    assert f'<a href="{BASE}weekly/#history">2 earlier updates</a>' in content
    assert content.index("Week 3:") < content.index("2 earlier updates") < content.index("The essay itself.")
    page = (root / "output/weekly/index.html").read_text(encoding="utf-8")
    assert 'id="history"' in page and "2 earlier updates" in page  # where the link leads, as the page folds

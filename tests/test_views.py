"""``engine/site/views.py`` and the ``part:`` resolver (``engine/text/parts.py``): previous and next, what the
end of a part says about the next one, a series' table of contents, a post's notes, and ``part:N`` links."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import build_model, post
from engine.model.types import Site, Version
from engine.site import urls as U
from engine.site.views import Continuation, TocEntry, continuation, notes, previous_next, series_view
from engine.text.fragment import Fragment
from engine.text.parts import PartIndex, resolve_parts

NEW_YORK = ZoneInfo("America/New_York")
URLS = U.Urls("https://example.org/essays/")
CITIES = 'title = "Cities"\nstatus = "ongoing"\n\n[[planned]]\npart = 3\ntitle = "The three statutes"\ndate = 2026-12-05\n'


@pytest.fixture
def model(site) -> Site:
    """Cities: parts 1 and 2 out, 3 planned; Borders: complete in one part; Rivers: ongoing, nothing planned."""
    root = site({"posts/cities/series.toml": CITIES,
                 "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00", part=1, summary="The first."),
                 "posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00", part=2),
                 "posts/borders/series.toml": 'title = "Borders"\nstatus = "complete"\n',
                 "posts/borders/only.md": post("Only", "2026-09-01T09:00:00", part=1),
                 "posts/rivers/series.toml": 'title = "Rivers"\n',
                 "posts/rivers/first.md": post("First", "2026-09-02T09:00:00", part=1),
                 "posts/essay.md": post("Alone")})
    found, report = build_model(root)
    assert report.items == []
    return found


def link(post) -> str:
    return URLS.link(U.post_path(post))


# --- previous and next ----------------------------------------------------------------

@pytest.mark.parametrize("items, index, expected", [(["a"], 0, (None, None)), (["a", "b", "c"], 0, (None, "b")),
                                                    (["a", "b", "c"], 1, ("a", "c")), (["a", "b", "c"], 2, ("b", None))])
def test_previous_and_next_are_the_neighbours_and_none_at_the_ends(items: list, index: int, expected: tuple) -> None:
    assert previous_next(items, index) == expected


# --- the end of a part ------------------------------------------------------------------

def test_a_part_followed_by_a_published_one_links_to_it(model: Site) -> None:
    assert continuation(model.series["cities"], 1, model, URLS) == Continuation(
        "next", 2, "Two", "/essays/cities/part-2/", datetime(2026, 10, 8, 9, 0, tzinfo=NEW_YORK))


def test_a_part_followed_by_a_planned_one_announces_it_with_its_date(model: Site) -> None:
    assert continuation(model.series["cities"], 2, model, URLS) == Continuation(
        "forthcoming", 3, "The three statutes", None, datetime(2026, 12, 5, tzinfo=NEW_YORK))


def test_the_last_part_of_a_complete_series_concludes_it(model: Site) -> None:
    assert continuation(model.series["borders"], 1, model, URLS) == Continuation("concluded", None, "", None, None)


def test_the_last_part_of_an_ongoing_series_with_nothing_planned_says_more_is_to_come(model: Site) -> None:
    assert continuation(model.series["rivers"], 1, model, URLS) == Continuation("unknown", 2, "", None, None)


# --- a series' table of contents ----------------------------------------------------------

def test_a_series_view_lists_published_and_planned_parts_in_order(model: Site) -> None:
    view = series_view(model, model.series["cities"], URLS, lambda text, series, path: Fragment(f"<p>{text}</p>"),
                       lambda p: p.summary)
    assert (view.url, view.abs_url, view.total) == ("/essays/cities/", "https://example.org/essays/cities/", 3)
    assert view.entries == (
        TocEntry(1, "One", "/essays/cities/part-1/", datetime(2026, 10, 1, 9, 0, tzinfo=NEW_YORK), None, "The first.",
                 False),
        TocEntry(2, "Two", "/essays/cities/part-2/", datetime(2026, 10, 8, 9, 0, tzinfo=NEW_YORK), None, "", False),
        TocEntry(3, "The three statutes", None, datetime(2026, 12, 5, tzinfo=NEW_YORK), None, "", True))
    assert view.feeds == (("rss", "/essays/cities/feed.xml"), ("atom", "/essays/cities/atom.xml"),
                          ("json", "/essays/cities/feed.json"))


# --- a post's notes -----------------------------------------------------------------------

def version(number: int, note: str, body: str, minor: bool = False) -> Version:
    return Version(number=number, date=datetime(2026, 11, number, 9, 0, tzinfo=NEW_YORK), note=note, minor=minor,
                   title="Alone", head="---\n---\n", body=body, body_line=3, path=Path(f"v{number}.md"))


def test_notes_link_each_version_and_what_changed_in_it(model: Site) -> None:
    essay = dataclasses.replace(model.posts["essay.md"], versions=(
        version(1, "", "First text."), version(2, "Corrected.", "Second text."),
        version(3, "A reader asked.", "Second text."), version(4, "Why.\n\nAt length.", "Third text.", minor=True)))
    found = notes(essay, URLS, lambda text, number: Fragment(f"<p>{text}</p>"))
    assert [(n.number, n.url, n.changes_url) for n in found] == [
        (1, "/essays/essay/v1/", None), (2, "/essays/essay/v2/", "/essays/essay/v2/changes/"),
        (3, "/essays/essay/v3/", None), (4, "/essays/essay/v4/", "/essays/essay/v4/changes/")]
    # version 3 changed no word: its note is the change, and no page of what changed is linked
    assert [str(n.html) for n in found] == ["", "<p>Corrected.</p>", "<p>A reader asked.</p>", "<p>Why.\n\nAt length.</p>"]
    # long: an "Update:" block, for a note of paragraphs or one whose version changed no word
    assert [n.long for n in found] == [False, False, True, True]
    assert [n.minor for n in found] == [False, False, False, True]
    assert essay.updated == found[2].date  # the last major revision; a minor one does not count


# --- part: references ---------------------------------------------------------------------

def test_a_part_reference_resolves_to_a_link_or_says_why_not(model: Site) -> None:
    index = PartIndex(model, link)
    cities = index.resolver("cities")
    assert cities("2") == ("/essays/cities/part-2/", "")
    assert cities("3") == (None, "forthcoming")
    assert cities("7") == (None, "not yet published")
    assert cities("borders/1") == ("/essays/borders/only/", "")  # another series, by its slug
    assert index.resolver(None)("1") == (None, "not yet published")  # a post in no series names none
    assert index.resolver(None)("cities/1") == ("/essays/cities/part-1/", "")


@pytest.mark.parametrize("raw, series, target", [("2", "cities", ("cities", 2)), ("rivers/10", "cities", ("rivers", 10)),
                                                 ("2", None, None), ("two", "cities", None), ("", "cities", None),
                                                 ("cities/", None, None), ("-1", "cities", None)])
def test_a_part_target_is_a_series_and_a_number(model: Site, raw: str, series: str | None, target) -> None:
    assert PartIndex(model, link).target(raw, series) == target


def test_resolving_keeps_the_links_text_and_attributes_and_marks_what_is_not_out(model: Site) -> None:
    html = ('<p><a href="part:2" title="next">Part <em>2</em></a>, '
            '<a href="part:3">Part 3</a> and <a href="/essays/x/">x</a>.</p>')
    assert resolve_parts(html, PartIndex(model, link).resolver("cities")) == (
        '<p><a href="/essays/cities/part-2/" title="next">Part <em>2</em></a>, '
        '<span class="part-ref forthcoming">Part 3 <span class="forthcoming-mark">(forthcoming)</span></span> '
        'and <a href="/essays/x/">x</a>.</p>')


def test_publishing_a_planned_part_turns_its_references_into_links(model: Site) -> None:
    one = model.posts["cities/part-1.md"]
    three = dataclasses.replace(model.posts["cities/part-2.md"], key="cities/part-3.md", title="Three", part=3,
                                slug="part-3", date=one.date + timedelta(days=30))
    series = dataclasses.replace(model.series["cities"], parts=(*model.series["cities"].parts, three.key), planned=())
    later = dataclasses.replace(model, posts={**model.posts, three.key: three}, series={**model.series, "cities": series})
    assert PartIndex(later, link).resolver("cities")("3") == ("/essays/cities/part-3/", "")

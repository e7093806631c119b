"""Sources + config + now → the site model: coercion, dates, drafts, slugs, ids.  Posts the model refuses,
each with its exact ``file:line: message``, are cases in ``tests/cases/invalid/``."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, build_model, post
from engine.config import Options

NEW_YORK = ZoneInfo("America/New_York")


def only_post(root: Path, options: Options = Options()):
    model, _ = build_model(root, options)
    (only,) = model.posts.values()
    return only


# --- dates -------------------------------------------------------------------

def test_date_with_named_zone(site):
    root = site({"posts/a.md": post("A", date="2016-11-22 10:00 Europe/Paris")})
    moment = only_post(root).date
    assert moment == datetime(2016, 11, 22, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert moment.utcoffset() == timedelta(hours=1)


def test_naive_date_takes_the_site_zone(site):
    root = site({"posts/a.md": post("A", date="2016-11-22T10:00:00")})
    moment = only_post(root).date
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(hours=-5)
    assert moment == datetime(2016, 11, 22, 15, 0, tzinfo=timezone.utc)


def test_naive_date_in_summer_takes_daylight_time(site):
    root = site({"posts/a.md": post("A", date="2016-07-04T10:00:00")})
    assert only_post(root).date.utcoffset() == timedelta(hours=-4)


def test_date_only_is_midnight_in_the_site_zone(site):
    root = site({"posts/a.md": post("A", date="2016-11-22")})
    assert only_post(root).date == datetime(2016, 11, 22, 0, 0, tzinfo=NEW_YORK)


def test_aware_date_is_kept(site):
    root = site({"posts/a.md": post("A", date="2016-11-22T10:00:00+02:00")})
    moment = only_post(root).date
    assert moment.utcoffset() == timedelta(hours=2)
    assert moment == datetime(2016, 11, 22, 8, 0, tzinfo=timezone.utc)


def test_utc_date_is_kept(site):
    root = site({"posts/a.md": post("A", date="2016-11-22T10:00:00Z")})
    assert only_post(root).date == datetime(2016, 11, 22, 10, 0, tzinfo=timezone.utc)


def test_date_as_quoted_string(site):
    root = site({"posts/a.md": post("A", date='"2016-11-22 10:00"')})
    assert only_post(root).date == datetime(2016, 11, 22, 10, 0, tzinfo=NEW_YORK)


# --- drafts and the future ---------------------------------------------------

def drafts_and_future(site):
    return site({
        "posts/out.md": post("Out", date="2026-11-01T09:00:00"),
        "posts/draft.md": post("Draft", date="", draft="true"),
        "posts/soon.md": post("Soon", date="2026-11-28T12:30:00"),  # 30 minutes after NOW
    })


def test_drafts_and_future_posts_are_left_out(site):
    model, _ = build_model(drafts_and_future(site))
    assert list(model.posts) == ["out.md"]
    assert model.order == ("out.md",)


def test_drafts_are_shown_with_the_drafts_option(site):
    model, _ = build_model(drafts_and_future(site), Options(drafts=True))
    assert sorted(model.posts) == ["draft.md", "out.md"]
    assert model.posts["draft.md"].status == "draft"


def test_future_posts_are_shown_with_the_future_option(site):
    model, _ = build_model(drafts_and_future(site), Options(future=True))
    assert sorted(model.posts) == ["out.md", "soon.md"]
    assert model.posts["soon.md"].status == "future"


def test_a_future_post_is_published_once_its_time_has_come(site):
    root = drafts_and_future(site)
    model, _ = build_model(root, now=NOW + timedelta(hours=1))
    assert sorted(model.posts) == ["out.md", "soon.md"]
    assert model.posts["soon.md"].status == "published"


def test_a_draft_with_a_past_date_is_still_a_draft(site):
    root = site({"posts/d.md": post("D", date="2016-01-01", draft="true")})
    model, _ = build_model(root)
    assert dict(model.posts) == {}


def test_order_is_newest_first(site):
    root = site({
        "posts/old.md": post("Old", date="2016-01-01"),
        "posts/new.md": post("New", date="2026-01-01"),
        "posts/mid.md": post("Mid", date="2020-01-01"),
    })
    model, _ = build_model(root)
    assert model.order == ("new.md", "mid.md", "old.md")


# --- slugs -------------------------------------------------------------------

def test_slug_from_file_name(site):
    root = site({"posts/The Long Margin.md": post("Anything")})
    assert only_post(root).slug == "the-long-margin"


def test_slug_from_front_matter(site):
    root = site({"posts/a.md": post("A", slug="my-own_slug.v2")})
    assert only_post(root).slug == "my-own_slug.v2"


def test_a_post_file_named_index_md_is_told_its_address_is_index(site):
    """`posts/my-essay/index.md`, a bundle as Hugo keeps one, was published at /index/ without a word."""
    root = site({"posts/my-essay/index.md": post("Mine"), "posts/other/index.md": post("Other", slug="other")})
    model, report = build_model(root)
    assert sorted(p.slug for p in model.posts.values()) == ["index", "other"]
    assert [str(d) for d in report.items] == [
        "posts/my-essay/index.md:1: warning: is published at /index/, since a post's file name is its address: "
        "name the file for the post (what index.md's folder was called), or give it a `slug:`"]


def test_a_slug_with_its_accents_as_separate_marks_is_read_as_one_letter_each(site):
    """``slug: café`` pasted from a name macOS saved (e and a combining accent) was refused as no letter."""
    root = site({"posts/a.md": post("A", slug='"cafe\u0301"')})
    assert only_post(root).slug == "caf\u00e9"


# --- other keys --------------------------------------------------------------

def test_unknown_key_is_a_warning_and_kept_in_extra(site):
    root = site({"posts/a.md": post("A", mood="hopeful", subtitle='"A second line"')})
    model, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        "posts/a.md:4: warning: unknown front-matter key `mood` (ignored: no page shows it)",
        "posts/a.md:5: warning: unknown front-matter key `subtitle` (ignored: no page shows it)",
    ]
    assert dict(model.posts["a.md"].extra) == {"mood": "hopeful", "subtitle": "A second line"}


def test_a_near_miss_of_a_key_gets_a_hint(site):
    root = site({"posts/a.md": post("A", summery='"Short."', tag="[law]")})
    _, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        "posts/a.md:4: warning: unknown front-matter key `summery`; did you mean `summary`?",
        "posts/a.md:5: warning: unknown front-matter key `tag`; did you mean `tags`?",
    ]


def test_known_keys_are_not_in_extra(site):
    root = site({"posts/a.md": post("A", summary="Short.", tags="[law]")})
    assert dict(only_post(root).extra) == {}


@pytest.mark.parametrize("written, expected", [
    ("[law, cities]", ("law", "cities")),
    ("law, cities", ("law", "cities")),
    ("law", ("law",)),
    ("[law, 1917, law, '  ']", ("law", "1917")),
    ("[]", ()),
])
def test_tags_are_coerced(site, written, expected):
    root = site({"posts/a.md": post("A", tags=written)})
    assert only_post(root).tags == expected


def test_body_and_its_line(site):
    root = site({"posts/a.md": post("A", body="The essay.")})
    found = only_post(root)
    assert str(found.body) == "\nThe essay.\n"
    assert found.body_line == 5  # the blank line after the closing `---` on line 4
    assert found.line("date") == 3


# --- feed ids ----------------------------------------------------------------

def test_default_entry_id_is_a_tag_uri(site):
    root = site({"posts/a.md": post("A", date="2016-11-22T10:00:00")})
    assert only_post(root).entry_id == "tag:example.org,2016-11-22:a"


def test_default_entry_id_survives_title_and_slug_changes(site):
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/part-1.md": post("First title", date="2016-11-22T10:00:00", part=1)})
    before = only_post(root).entry_id
    (root / "posts/s/part-1.md").write_text(
        post("A wholly different title", date="2016-11-22T10:00:00", part=1, slug="renamed"), encoding="utf-8")
    after = only_post(root)
    assert after.title == "A wholly different title"
    assert after.slug == "renamed"
    assert after.entry_id == before
    assert before.startswith("tag:example.org,2016-11-22:")


def test_different_posts_get_different_ids(site):
    root = site({"posts/a.md": post("Same"), "posts/b.md": post("Same")})
    model, _ = build_model(root)
    assert model.posts["a.md"].entry_id != model.posts["b.md"].entry_id


def test_id_in_front_matter_wins(site):
    root = site({"posts/a.md": post("A", id="urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")})
    assert only_post(root).entry_id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"

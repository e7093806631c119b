"""Series: folders with ``series.toml``, part numbers, "Part N of M", planned parts."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, build_model, diagnostics_of, errors_of, post
from engine.build import build
from engine.config import Options
from engine.model.types import PlannedPart

NEW_YORK = ZoneInfo("America/New_York")
ONGOING = 'title = "Sanctuary Cities"\ndescription = "Whether *cities* may refuse."\nstatus = "ongoing"\n'
COMPLETE = 'title = "Sanctuary Cities"\nstatus = "complete"\n'


def planned(*entries: tuple[int, str] | tuple[int, str, str]) -> str:
    text = ""
    for entry in entries:
        text += f'\n[[planned]]\npart = {entry[0]}\ntitle = "{entry[1]}"\n'
        if len(entry) == 3:
            text += f"date = {entry[2]}\n"
    return text


# --- membership ----------------------------------------------------------------

def test_series_folder_with_series_toml(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-2.md": post("The statutes", part=2, date="2016-11-29"),
        "posts/cities/part-1.md": post("Introduction", part=1, date="2016-11-22"),
    })
    model, report = build_model(root)
    assert report.items == []
    series = model.series["cities"]
    assert series.slug == "cities"
    assert series.title == "Sanctuary Cities"
    assert series.description == "Whether *cities* may refuse."
    assert series.status == "ongoing"
    assert series.parts == ("cities/part-1.md", "cities/part-2.md")
    assert model.posts["cities/part-1.md"].series == "cities"
    assert model.posts["cities/part-1.md"].part == 1


def test_series_key_from_outside_the_folder(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("Introduction", part=1),
        "posts/elsewhere.md": post("Kept apart", part=2, series="cities"),
    })
    model, report = build_model(root)
    assert report.items == []
    assert model.series["cities"].parts == ("cities/part-1.md", "elsewhere.md")
    assert model.posts["elsewhere.md"].series == "cities"


def test_post_in_series_folder_needs_a_part(site):
    root = site({"posts/cities/series.toml": ONGOING, "posts/cities/part-1.md": post("Introduction")})
    assert errors_of(root) == ["posts/cities/part-1.md:1: a post in series `cities` needs `part: N`"]


def test_unknown_series_lists_the_known_ones(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/borders/series.toml": 'title = "Borders"\n',
        "posts/x.md": post("X", series="nope", part=1),
    })
    assert errors_of(root) == [
        "posts/x.md:4: unknown series `nope` (series are folders with series.toml: borders, cities)"]


def test_unknown_series_when_there_are_none(site):
    root = site({"posts/x.md": post("X", series="nope", part=1)})
    (error,) = errors_of(root)
    assert error.startswith("posts/x.md:4: unknown series `nope`")
    assert "none yet" in error


def test_two_posts_claiming_the_same_part(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/intro.md": post("Introduction", part=1),
        "posts/cities/opening.md": post("Opening", part=1),
    })
    (error,) = errors_of(root)
    assert error.startswith("posts/cities/opening.md:4: part 1 of series `cities` is claimed by both ")
    assert "posts/cities/intro.md" in error
    assert "posts/cities/opening.md and" in error or error.endswith("posts/cities/opening.md")


def test_same_part_claimed_from_inside_and_outside_the_folder(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("Introduction", part=1),
        "posts/stray.md": post("Stray", part=1, series="cities"),
    })
    (error,) = errors_of(root)
    assert "posts/cities/part-1.md" in error and "posts/stray.md" in error
    assert "claimed by both" in error


def test_a_draft_claiming_a_published_part_is_still_a_clash(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("Introduction", part=1),
        "posts/cities/part-1-new.md": post("Rewrite", part=1, draft="true"),
    })
    (error,) = errors_of(root)
    assert "claimed by both" in error


@pytest.mark.parametrize("value, shown", [("0", "0"), ("two", "'two'"), ("-1", "-1"), ("1.5", "1.5"),
                                          ("true", "True")])
def test_part_must_be_a_positive_whole_number(site, value, shown):
    root = site({"posts/cities/series.toml": ONGOING, "posts/cities/p.md": post("P", part=value)})
    errors = errors_of(root)
    assert errors[0] == f"posts/cities/p.md:4: `part`: `part` must be a positive whole number, got {shown}"


def test_part_without_a_series_is_a_warning(site):
    root = site({"posts/x.md": post("X", part=2)})
    model, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        "posts/x.md:1: warning: `part` is set but the post is in no series; "
        "add `series: SLUG` or move it into the series folder"]
    assert "x.md" in model.posts


# --- Part N of M -----------------------------------------------------------------

def test_total_is_none_while_ongoing_with_nothing_planned(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Two", part=2),
    })
    series = build_model(root)[0].series["cities"]
    assert series.highest == 2
    assert series.total is None


def test_total_counts_planned_parts(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((3, "The cases"), (4, "Conclusions")),
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Two", part=2),
    })
    series = build_model(root)[0].series["cities"]
    assert series.total == 4
    assert series.planned == (PlannedPart(3, "The cases", None), PlannedPart(4, "Conclusions", None))


def test_total_is_the_highest_published_when_complete(site):
    root = site({
        "posts/cities/series.toml": COMPLETE,
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Two", part=2),
        "posts/cities/part-3.md": post("Three", part=3),
    })
    series = build_model(root)[0].series["cities"]
    assert series.status == "complete"
    assert series.total == 3


def test_total_when_a_low_part_is_planned_and_higher_ones_are_out(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((2, "Postponed")),
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-3.md": post("Three", part=3),
    })
    model, report = build_model(root)
    assert model.series["cities"].total == 3
    assert report.items == []  # part 2 is planned: no gap


def test_planned_part_with_a_date(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((2, "The three statutes", "2016-12-05")),
        "posts/cities/part-1.md": post("One", part=1),
    })
    (part,) = build_model(root)[0].series["cities"].planned
    assert part == PlannedPart(2, "The three statutes", datetime(2016, 12, 5, 0, 0, tzinfo=NEW_YORK))


def test_planned_part_already_published_warns_and_published_wins(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((1, "Working title"), (2, "Next")),
        "posts/cities/part-1.md": post("Final title", part=1),
    })
    model, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        'posts/cities/series.toml:5: warning: part 1 is planned here as "Working title" but published as '
        '"Final title"; the published part wins (remove the [[planned]] entry)']
    series = model.series["cities"]
    assert series.parts == ("cities/part-1.md",)
    assert [p.number for p in series.planned] == [2]
    assert model.posts["cities/part-1.md"].title == "Final title"


def test_a_plan_that_came_true_is_no_warning(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((1, "The three statutes"), (2, "Next")),
        "posts/cities/part-1.md": post("The three statutes", part=1),
    })
    model, report = build_model(root)
    assert report.warnings == []
    assert [p.number for p in model.series["cities"].planned] == [2]


def test_parts_in_a_folder_without_series_toml_are_an_error_not_a_move(site):
    root = site({"posts/cities/part-1.md": post("One", part=1), "posts/cities/notes.md": post("Notes")})
    assert errors_of(root) == [
        "posts/cities/part-1.md:4: `part` is set, but cities/ has no series.toml, so it is no series: "
        "add cities/series.toml with the series' title (its parts' addresses depend on it)"]


def test_a_part_that_fails_to_read_leaves_no_gap_warning(site):
    root = site({"posts/cities/series.toml": ONGOING, "posts/cities/part-1.md": post("One", part=1),
                 "posts/cities/part-2.md": "---\ntitle: [unclosed\n---\n", "posts/cities/part-3.md": post("Three", part=3)})
    assert diagnostics_of(root) == [
        "posts/cities/part-2.md:2: invalid YAML in front matter: did not find expected ',' or ']'"]


def test_gap_in_numbering_warns(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-3.md": post("Three", part=3),
    })
    model, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        "posts/cities/series.toml:1: warning: part 2 is neither published nor planned: "
        "a gap in the numbering (add a [[planned]] entry or renumber)"]
    assert model.series["cities"].parts == ("cities/part-1.md", "cities/part-3.md")


def test_future_parts_count_as_forthcoming_and_drafts_stay_private(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Two, in draft", part=2, date="", draft="true"),
        "posts/cities/part-3.md": post("Three, scheduled", part=3, date="2026-12-05T09:00:00"),
    })
    model, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        "posts/cities/series.toml:1: warning: part 2 is neither published nor planned: "
        "a gap in the numbering (add a [[planned]] entry or renumber)"]
    series = model.series["cities"]
    assert series.parts == ("cities/part-1.md",)
    assert series.planned == (PlannedPart(3, "Three, scheduled", datetime(2026, 12, 5, 9, 0, tzinfo=NEW_YORK)),)
    assert series.total == 3
    assert sorted(model.posts) == ["cities/part-1.md"]


def test_a_draft_part_title_appears_nowhere_in_the_output(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("One", part=1, body="Read on in [the next part](part:2)."),
        "posts/cities/part-2.md": post("Secret working title", part=2, date="", draft="true"),
    })
    build(root, now=NOW)
    leaks = [str(path.relative_to(root)) for path in (root / "output").rglob("*")
             if path.is_file() and b"Secret working title" in path.read_bytes()]
    assert leaks == []
    assert (root / "output/cities/part-1/index.html").is_file()


def test_planned_entry_title_wins_over_a_draft_title(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((2, "The working title", "2016-12-05")),
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Draft title", part=2, date="", draft="true"),
    })
    (part,) = build_model(root)[0].series["cities"].planned
    assert part.number == 2 and part.title == "The working title"
    assert part.date == datetime(2016, 12, 5, tzinfo=NEW_YORK)


def test_drafts_option_publishes_the_draft_part(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Two", part=2, date="", draft="true"),
    })
    series = build_model(root, Options(drafts=True))[0].series["cities"]
    assert series.parts == ("cities/part-1.md", "cities/part-2.md")
    assert series.planned == ()


# --- series.toml -------------------------------------------------------------------

def test_series_toml_syntax_error_names_its_line(site):
    root = site({
        "posts/cities/series.toml": 'title = "Cities"\ndescription = "x"\nstatus = "ongoing\n',
        "posts/cities/part-1.md": post("One", part=1),
    })
    errors = errors_of(root)
    assert len(errors) == 1
    assert errors[0].startswith("posts/cities/series.toml:3: invalid TOML: ")


def test_series_toml_bad_status_names_its_line(site):
    root = site({
        "posts/cities/series.toml": 'title = "Cities"\n\nstatus = "paused"\n',
        "posts/cities/part-1.md": post("One", part=1),
    })
    assert errors_of(root) == [
        "posts/cities/series.toml:3: `status` must be \"ongoing\" or \"complete\", got 'paused'"]


def test_series_toml_without_title(site):
    root = site({"posts/cities/series.toml": 'status = "ongoing"\n', "posts/cities/part-1.md": post("One", part=1)})
    assert errors_of(root) == ['posts/cities/series.toml:1: missing `title` (title = "…")']


def test_series_toml_unknown_key_warns(site):
    root = site({"posts/cities/series.toml": ONGOING + 'colour = "red"\n', "posts/cities/part-1.md": post("One", part=1)})
    _, report = build_model(root)
    assert [str(w) for w in report.warnings] == ["posts/cities/series.toml:4: warning: unknown key `colour` (ignored)"]


def test_planned_part_with_bad_number_names_its_line(site):
    root = site({
        "posts/cities/series.toml": ONGOING + '\n[[planned]]\npart = "two"\ntitle = "Two"\n',
        "posts/cities/part-1.md": post("One", part=1),
    })
    assert errors_of(root) == ["posts/cities/series.toml:6: planned `part` must be a positive whole number, got 'two'"]


def test_planned_part_without_title(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((2, "First")) + "\n[[planned]]\npart = 3\n",
        "posts/cities/part-1.md": post("One", part=1),
    })
    (error,) = errors_of(root)
    assert error.startswith("posts/cities/series.toml:")
    assert "planned part 3 needs a working `title`" in error
    # the second [[planned]] table starts on line 9
    assert error.startswith("posts/cities/series.toml:9:")


def test_planned_part_bad_date_names_its_line(site):
    root = site({
        "posts/cities/series.toml": ONGOING + planned((2, "Two", '"soon"')),
        "posts/cities/part-1.md": post("One", part=1),
    })
    (error,) = errors_of(root)
    assert error.startswith("posts/cities/series.toml:8: ")
    assert "'soon'" in error



def test_a_part_planned_twice_is_an_error(site):
    root = site({"posts/cities/series.toml": ONGOING + planned((2, "One title"), (2, "Another")),
                 "posts/cities/part-1.md": post("One", part=1)})
    (error,) = errors_of(root)
    assert error == ("posts/cities/series.toml:9: planned part 2 is listed twice (also in the [[planned]] entry on "
                     "line 5): keep one")

"""Series: folders with ``series.toml``, part numbers, "Part N of M", planned parts.  Series the model
refuses (parts claimed twice, unknown series, a broken series.toml) are cases in ``tests/cases/invalid/``."""
from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import EPOCH, NOW, assert_user_error, build_model, post, run_cli
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


@pytest.mark.parametrize("folder_form, typed_form", [("NFD", "NFC"), ("NFC", "NFD")])
def test_series_key_matches_its_folder_however_the_accent_is_spelt(site, folder_form, typed_form):
    """A folder copied from a Mac names "café" with e and a combining accent; ``series:`` typed here spells é
    as one letter (and the other way round). They read the same and are one series."""
    folder, typed = unicodedata.normalize(folder_form, "café"), unicodedata.normalize(typed_form, "café")
    root = site({
        f"posts/{folder}/series.toml": ONGOING,
        f"posts/{folder}/part-1.md": post("Introduction", part=1),
        "posts/elsewhere.md": post("Kept apart", part=2, series=f'"{typed}"'),
    })
    model, report = build_model(root)
    assert report.items == []
    assert model.series[folder].parts == (f"{folder}/part-1.md", "elsewhere.md")
    assert model.posts["elsewhere.md"].series == folder


def test_a_draft_claiming_a_published_part_warns_and_stops_only_a_build_that_shows_it(site):
    """A rewrite of Part 1 drafted beside it: the builds that leave drafts out (``build``, ``deploy``) go on,
    told so at the draft's ``part`` line; one with ``--drafts`` stops, since it would show two Part 1s."""
    from engine.errors import SiteError
    root = site({
        "posts/cities/series.toml": ONGOING,
        "posts/cities/part-1.md": post("Introduction", part=1),
        "posts/cities/part-1-new.md": post("Rewrite", part=1, draft="true"),
    })
    model, report = build_model(root)
    assert [str(item) for item in report.items] == [
        "posts/cities/part-1-new.md:4: warning: part 1 of series `cities` is claimed by both "
        "posts/cities/part-1-new.md and posts/cities/part-1.md; posts/cities/part-1-new.md is a draft, which this "
        "build leaves out: built with --drafts or published, it needs a part of its own"]
    assert model.series["cities"].parts == ("cities/part-1.md",)
    with pytest.raises(SiteError) as stopped:
        build_model(root, Options(drafts=True))
    assert [str(d) for d in stopped.value.diagnostics] == [
        "posts/cities/part-1.md:4: part 1 of series `cities` is claimed by both posts/cities/part-1-new.md and "
        "posts/cities/part-1.md"]


def test_part_without_a_series_is_a_warning(site):
    root = site({"posts/x.md": post("X", part=2)})
    line = 1 + (root / "posts/x.md").read_text().splitlines().index("part: 2")
    model, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        f"posts/x.md:{line}: warning: `part` is set but the post is in no series; "
        "add `series: SLUG` or move it into the series folder"]
    assert "x.md" in model.posts


def test_a_series_folder_inside_another_folder_is_an_error_at_its_series_toml_and_nothing_is_recorded(site):
    """``posts/2026/common-water/`` was silently no series: ``check`` warned the part to move into the series
    folder it was in, ``publish`` recorded Part 1 as a standalone post at /part-1/, and the build wrote it so."""
    draft = post("Who owns a river?", date="", draft="true", part=1, body="See [Part 2](part:2).")
    root = site({"posts/2026/common-water/series.toml": ONGOING + planned((2, "Dams")),
                 "posts/2026/common-water/part-1.md": draft})
    said = ("posts/2026/common-water/series.toml:1: a series folder must be directly in posts/ (its name is the "
            "series' address), and common-water/ is in posts/2026/, where no series.toml is read: move the folder "
            "to posts/common-water/")
    for command in (["check"], ["check", "--drafts"], ["build", "--drafts"]):
        done = run_cli(*command, cwd=root, env=EPOCH)
        assert_user_error(done)
        assert done.stderr.splitlines()[0] == said, done.stderr
        assert "in no series" not in done.stderr, done.stderr
    assert not (root / "output").exists()
    done = run_cli("publish", "posts/2026/common-water/part-1.md", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert said in done.stderr.splitlines() and "nothing was recorded" in done.stderr, done.stderr
    assert (root / "posts/2026/common-water/part-1.md").read_text() == draft
    assert not (root / "posts/2026/common-water/part-1.versions").exists()

    (root / "posts/2026/common-water").rename(root / "posts/common-water")  # as the error says
    done = run_cli("publish", "posts/common-water/part-1.md", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "address: common-water/part-1/\n" in (root / "posts/common-water/part-1.versions/v1.md").read_text()


def test_a_series_toml_in_posts_itself_is_an_error_that_says_where_it_goes(site):
    root = site({"posts/series.toml": ONGOING, "posts/part-1.md": post("One", part=1)})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert done.stderr.splitlines() == [
        "posts/series.toml:1: posts/ itself is no series, and no series.toml is read here: a series is a folder "
        "directly in posts/ (its name is the series' address); move this file, with the series' parts, into a "
        "folder named for the series (posts/SLUG/)"]


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


def test_a_draft_of_a_planned_part_shown_with_drafts_is_not_called_published(site):
    """``check --drafts`` said the draft Part 2 was "published", and to remove the [[planned]] entry, which
    would take "Part 2 (forthcoming)" and its date off the live pages."""
    from engine.config import Options
    root = site({
        "posts/cities/series.toml": ONGOING + planned((2, "Working title")),
        "posts/cities/part-1.md": post("One", part=1),
        "posts/cities/part-2.md": post("Draft two", part=2, draft="true"),
    })
    _, report = build_model(root, Options(drafts=True))
    assert [str(w) for w in report.warnings] == [
        'posts/cities/series.toml:5: warning: part 2 is planned here as "Working title", and its draft is titled '
        '"Draft two": readers see the planned title until it is published, then its own (remove the [[planned]] '
        'entry then)']


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
    assert [str(w) for w in report.warnings] == [  # the draft is named as such: the gap is known
        "posts/cities/series.toml:1: warning: part 2 is still a draft, so readers go from part 1 to part 3: "
        "publish it first, or plan it with a [[planned]] entry, which readers see as forthcoming"]
    series = model.series["cities"]
    assert series.parts == ("cities/part-1.md",)
    assert series.planned == (PlannedPart(3, "Three, scheduled", datetime(2026, 12, 5, 9, 0, tzinfo=NEW_YORK)),)
    assert series.total == 3
    assert sorted(model.posts) == ["cities/part-1.md"]


def test_drafts_before_the_first_part_out_are_named_as_drafts(site):
    root = site({
        "posts/cities/series.toml": ONGOING,
        **{f"posts/cities/part-{n}.md": post(f"Part {n}", part=n, date="", draft="true") for n in (1, 2)},
        "posts/cities/part-3.md": post("Three", part=3),
    })
    _, report = build_model(root)
    assert [str(w) for w in report.warnings] == [
        "posts/cities/series.toml:1: warning: parts 1–2 are still drafts, so readers start at part 3: publish "
        "them first, or plan them with a [[planned]] entry, which readers see as forthcoming"]


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

def test_series_toml_unknown_key_warns(site):
    root = site({"posts/cities/series.toml": ONGOING + 'colour = "red"\n', "posts/cities/part-1.md": post("One", part=1)})
    _, report = build_model(root)
    assert [str(w) for w in report.warnings] == ["posts/cities/series.toml:4: warning: unknown key `colour` (ignored)"]


def test_a_misspelt_planned_table_or_key_is_named_with_the_one_meant(site):
    """``[[planed]]`` drops the planned parts from the series page and from "Part N of M": say what was meant,
    even beside a ``[[planned]]`` written right."""
    root = site({"posts/cities/series.toml": ONGOING + planned((2, "Two")) + '\n[[planed]]\npart = 3\ntitle = "Three"\n'
                 '\n[[planned]]\npart = 4\ntitle = "Four"\ndtae = 2026-12-01\n',
                 "posts/cities/part-1.md": post("One", part=1)})
    _, report = build_model(root)
    assert [str(w) for w in report.warnings][:2] == [
        "posts/cities/series.toml:9: warning: unknown key `planed` (ignored); did you mean `[[planned]]`?",
        "posts/cities/series.toml:16: warning: unknown key `dtae` in [[planned]]; did you mean `date`?"]



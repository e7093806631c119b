"""``engine/model/dates.py``: dates as authors write them → aware datetimes; wall-clock times the clocks
skipped or showed twice; offsets no place uses; the build's clock and ``SOURCE_DATE_EPOCH``."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from engine.errors import SiteError
from engine.model.dates import build_time, check_offset, recording_time, to_datetime, utc

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


# --- zones and offsets -------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (date(2026, 7, 4), datetime(2026, 7, 4, 4, 0, tzinfo=timezone.utc)),              # midnight, summer time
    (datetime(2026, 1, 5, 9, 30), datetime(2026, 1, 5, 14, 30, tzinfo=timezone.utc)),  # a naive one: the site's zone
    ("2026-01-05 09:30 Europe/London", datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)),  # a zone named after it
    ("2026-07-05T09:30:00Z", datetime(2026, 7, 5, 9, 30, tzinfo=timezone.utc)),
    (" 2026-07-05T09:30+05:30 ", datetime(2026, 7, 5, 4, 0, tzinfo=timezone.utc)),
])
def test_every_way_of_writing_a_date_names_one_moment(value: object, expected: datetime) -> None:
    moment = to_datetime(value, NEW_YORK)
    assert moment.tzinfo is not None
    assert utc(moment) == expected and utc(moment).tzinfo == timezone.utc


def test_standard_time_is_refused_only_where_the_site_keeps_summer_time() -> None:
    """``EST`` is refused only where it would be an hour off the local time its writer means: not in winter,
    nor on a site whose zone keeps standard time all year (Phoenix and ``MST``, Cancún and ``EST``)."""
    assert to_datetime("2026-12-20T09:00 EST", NEW_YORK).utcoffset() == timedelta(hours=-5)
    assert to_datetime("2026-07-01T09:00 MST", ZoneInfo("America/Phoenix")).utcoffset() == timedelta(hours=-7)
    assert to_datetime("2026-07-01T09:00 EST", ZoneInfo("America/Cancun")).utcoffset() == timedelta(hours=-5)


def test_a_named_zone_is_kept_for_showing_the_date() -> None:
    moment = to_datetime("2026-07-05 09:30 Europe/London", NEW_YORK)
    assert moment.tzinfo == LONDON and moment.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("value, message", [
    ("next tuesday", "cannot read 'next tuesday' as a date; write it as 2016-11-22 or 2016-11-22T10:00"),
    ("2026-01-05 09:30 Mars/Olympus", "unknown time zone 'Mars/Olympus'; use an IANA name such as America/New_York"),
    ("2026-10-20T09:00 EST", "EST is standard time, and on 2026-10-20 America/New_York is on summer time (EDT, "
                             "UTC-04:00): write the time without EST for the local time, or an offset such as -04:00"),
    (20261105, "expected a date such as 2016-11-22 or 2016-11-22T10:00, got 20261105"),
    (["2026-01-05"], "expected a date such as 2016-11-22 or 2016-11-22T10:00, got a list"),
    ({True: "2026-01-05"}, "expected a date such as 2016-11-22 or 2016-11-22T10:00, got a mapping"),  # `{on: …}`
])
def test_what_is_no_date_is_said_so(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        to_datetime(value, NEW_YORK)
    assert str(caught.value) == message


@pytest.mark.parametrize("hours, minutes, fine", [(14, 0, True), (-14, 0, True), (14, 1, False), (-14, -1, False),
                                                  (20, 0, False)])
def test_offsets_beyond_fourteen_hours_are_refused(hours: int, minutes: int, fine: bool) -> None:
    moment = datetime(2026, 1, 5, 9, 30, tzinfo=timezone(timedelta(hours=hours, minutes=minutes)))
    if fine:
        check_offset(moment)
    else:
        with pytest.raises(ValueError, match=r"out of range \(at most ±14:00\)"):
            check_offset(moment)


# --- summer time -------------------------------------------------------------------

def test_a_time_the_clocks_skipped_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        to_datetime("2026-03-08T02:30", NEW_YORK)
    assert str(caught.value) == ("2026-03-08T02:30 never happened in America/New_York: the clocks skipped ahead "
                                 "past it; give a time after the change, or an offset")


def test_a_time_the_clocks_showed_twice_is_refused_with_both_offsets() -> None:
    with pytest.raises(ValueError) as caught:
        to_datetime(datetime(2025, 11, 2, 1, 10), NEW_YORK)
    assert str(caught.value) == ("2025-11-02 01:10:00 happened twice in America/New_York, as the clocks went back: "
                                 "add the offset, -04:00 for the first time or -05:00 for the second")


@pytest.mark.parametrize("offset, hour_utc", [("-04:00", 5), ("-05:00", 6)])
def test_either_offset_of_a_repeated_hour_picks_its_moment(offset: str, hour_utc: int) -> None:
    assert utc(to_datetime(f"2025-11-02T01:10{offset}", NEW_YORK)) == datetime(2025, 11, 2, hour_utc, 10,
                                                                                tzinfo=timezone.utc)


def test_the_hours_on_either_side_of_a_change_are_plain_moments() -> None:
    before, after = to_datetime("2026-03-08T01:59", NEW_YORK), to_datetime("2026-03-08T03:00", NEW_YORK)
    assert utc(after) - utc(before) == timedelta(minutes=1)
    assert (before.utcoffset(), after.utcoffset()) == (timedelta(hours=-5), timedelta(hours=-4))


# --- the range of dates ------------------------------------------------------------

@pytest.mark.parametrize("value", [date(1, 1, 1), "0001-01-01T00:00:00+00:00", "9999-12-31T12:00:00+00:00",
                                   datetime(9999, 12, 31, 23, 0)])
def test_a_date_at_the_edge_of_the_calendar_is_out_of_range(value: object) -> None:
    with pytest.raises(ValueError, match="is out of range: a date must lie after 0001-01-01 and before 9999-12-31"):
        to_datetime(value, NEW_YORK)


def test_ordinary_old_and_far_dates_are_in_range() -> None:
    assert to_datetime(date(1066, 10, 14), LONDON).year == 1066
    assert to_datetime("9000-01-01", NEW_YORK).year == 9000


# --- the build's clock ---------------------------------------------------------------

def test_source_date_epoch_is_the_builds_now(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1795885200 ")
    assert build_time() == datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)


def test_without_source_date_epoch_the_build_reads_the_clock(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    before = datetime.now(timezone.utc)
    assert before <= build_time() <= datetime.now(timezone.utc)


@pytest.mark.parametrize("epoch", ["yesterday", "-1", "1.5", "١٢٣", "99999999999999"])
def test_a_source_date_epoch_that_is_no_moment_is_an_error_naming_it(monkeypatch, epoch: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(SiteError) as caught:
        build_time()
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == "SOURCE_DATE_EPOCH"
    assert diagnostic.message.startswith(f"{epoch!r} is no moment a build can take as now (")
    assert diagnostic.message.endswith(", or unset it")


def test_a_recorded_version_is_dated_by_the_clock_never_by_source_date_epoch(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "315532800")  # 1980
    before = datetime.now(timezone.utc)
    assert before <= recording_time() <= datetime.now(timezone.utc)


def test_a_moment_in_local_mean_time_is_written_for_machines_in_utc(site):
    """Before 1972 Monrovia kept −0:44:30 (Amsterdam +0:19:32 before 1937). Feeds, the sitemap and ``<time
    datetime>`` wrote that offset with its seconds (``-004430``, ``-00:44:30``), which RFC 822, RFC 3339 and
    HTML cannot write: feedparser found no date. The page still shows the author's own clock."""
    import json
    import re

    import feedparser

    from conftest import config_with, post
    from engine.build import build
    root = site({"posts/old.md": post("Old", "1960-05-01T10:00:00")},
                config=config_with().replace('"America/New_York"', '"Africa/Monrovia"'))
    build(root, now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    out = root / "output"
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert parsed.entries[0].published_parsed[:6] == (1960, 5, 1, 10, 44, 30), name
    item = json.loads((out / "feed.json").read_text())["items"][0]
    assert item["date_published"] == "1960-05-01T10:44:30+00:00"
    page = (out / "old/index.html").read_text()
    assert re.findall(r'<time datetime="([^"]+)">([^<]+)', page)[0] == ("1960-05-01T10:44:30+00:00",
                                                                          "May 1, 1960, 10:00 am")
    assert "<lastmod>1960-05-01T10:44:30+00:00</lastmod>" in (out / "sitemap.xml").read_text()
    assert not re.search(r"[+-]\d\d:?\d\d:?\d\d\b", "".join(p.read_text() for p in out.rglob("*.xml")))

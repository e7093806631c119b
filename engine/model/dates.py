"""Dates as authors write them → aware datetimes, and aware datetimes → dates as readers read them.

YAML hands us ``date`` and ``datetime`` objects (naive or aware) or strings;
authors write ISO 8601 with or without a time and an offset, and may name an
IANA zone after the time (``2016-11-28 12:00 America/New_York``).  Values
without a zone take the site's.  Readers get dates and times in their
page's language through CLDR (Babel): a named length, a CLDR pattern, or a
strftime pattern, which stays English.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format, parse_pattern

from ..errors import Diagnostic, SiteError

log = logging.getLogger(__name__)

_NAMED_ZONE = re.compile(r"^(.*\d)\s+([A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)*)$")


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc)
    try:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError("not a whole number of seconds")
        return _in_range(datetime.fromtimestamp(int(epoch), tz=timezone.utc), epoch)
    except (ValueError, OverflowError, OSError) as e:
        raise SiteError(Diagnostic("SOURCE_DATE_EPOCH", 0, f"{epoch!r} is no moment a build can take as now "
                                   f"({e}); give the seconds since 1970-01-01 UTC, such as "
                                   f"{int(datetime.now(timezone.utc).timestamp())}, or unset it")) from e


def recording_time() -> datetime:
    """Now by this machine's clock, for what ``publish`` and ``revise`` record.  ``SOURCE_DATE_EPOCH`` makes
    builds reproducible and never dates a version: a shell that sets it (to 1980, say) would back-date
    every revision, and one that lags would take a published version 1 for one still scheduled."""
    return datetime.now(timezone.utc)


_EARLIEST = datetime(1, 1, 2, tzinfo=timezone.utc)
_LATEST = datetime(9999, 12, 30, tzinfo=timezone.utc)
"""A day inside ``datetime``'s range, so that showing a date in any zone cannot overflow."""


def to_datetime(value: object, zone: tzinfo) -> datetime:
    """Coerce a front-matter value; raises ValueError with a readable reason."""
    return _in_range(_aware(value, zone), value)


def _in_range(moment: datetime, value: object) -> datetime:
    try:
        inside = _EARLIEST <= moment.astimezone(timezone.utc) <= _LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"{value!s} is out of range: a date must lie after 0001-01-01 and before 9999-12-31")
    return moment


def _aware(value: object, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else _local(value, zone, value)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    if value is None or isinstance(value, str) and not value.strip():
        raise ValueError("is empty: write a date such as 2016-11-22 or 2016-11-22T10:00, or leave the key out")
    if not isinstance(value, str):
        kind = "a list" if isinstance(value, (list, tuple)) else "a mapping" if isinstance(value, dict) else \
            "true or false" if isinstance(value, bool) else f"{value!r}"  # a number as written: 20261105
        raise ValueError(f"expected a date such as 2016-11-22 or 2016-11-22T10:00, got {kind}")
    text, site_zone = value.strip(), zone
    named = _NAMED_ZONE.match(text)
    if named and not named.group(2).upper() == "Z":
        text, zone = named.group(1), _zone(named.group(2))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as e:
        raise ValueError(f"cannot read {value!r} as a date; write it as 2016-11-22 or 2016-11-22T10:00") from e
    if named and not parsed.tzinfo and named.group(2).upper() in ("EST", "MST", "HST"):
        _not_summer_abbreviation(named.group(2).upper(), parsed, site_zone)
    return parsed if parsed.tzinfo else _local(parsed, zone, value)


def _not_summer_abbreviation(name: str, naive: datetime, site_zone: tzinfo) -> None:
    """Refuse a zone that is a fixed standard time (``EST``, ``MST``: the time zone database keeps both at one
    offset all year) for a moment when the site's own zone, at that standard offset, is on summer time: the
    writer means the local time, an hour off what the name says.  Where the site keeps standard time all year
    (America/Phoenix and ``MST``), the name is right."""
    fixed = ZoneInfo(name).utcoffset(naive)
    local = naive.replace(tzinfo=site_zone)
    summer = local.dst()
    if not summer or fixed is None or local.utcoffset() - summer != fixed:
        return
    raise ValueError(f"{name} is standard time, and on {naive.date()} {site_zone} is on summer time "
                     f"({local.tzname()}, UTC{local.isoformat()[-6:]}): write the time without {name} for the local "
                     f"time, or an offset such as {local.isoformat()[-6:]}")


def _local(naive: datetime, zone: tzinfo, value: object) -> datetime:
    """A wall-clock time in ``zone``; one the clocks skipped or showed twice (around a change to or from
    summer time) is refused, with the offsets that say which moment is meant."""
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    if first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{value!s} never happened in {zone}: the clocks skipped ahead past it; give a "
                         "time after the change, or an offset")
    raise ValueError(f"{value!s} happened twice in {zone}, as the clocks went back: add the offset, "
                     f"{first.isoformat()[-6:]} for the first time or {second.isoformat()[-6:]} for the second")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as America/New_York") from e


def check_offset(moment: datetime) -> None:
    """Reject offsets no place uses (YAML accepts +25:00 but nothing else does)."""
    offset = moment.utcoffset() or timedelta(0)
    if abs(offset) > timedelta(hours=14):
        raise ValueError(f"time zone offset {offset} is out of range (at most ±14:00)")


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def for_machines(moment: datetime) -> datetime:
    """``moment`` as feeds, the sitemap and ``<time datetime>`` may write it: in its own offset when that is
    whole minutes, as every zone's has been since 1972, and in UTC before a zone kept standard time (local
    mean time, such as Monrovia's −0:44:30 or Amsterdam's +0:19:32), which RFC 3339 and RFC 822 cannot
    write and feed readers refuse."""
    offset = moment.utcoffset()
    return moment if offset is None or offset.seconds % 60 == 0 else moment.astimezone(timezone.utc)


LENGTHS = ("short", "medium", "long", "full")
"""The named lengths ``date_format`` and ``time_format`` may give instead of a pattern."""
ENGLISH_DATE, ENGLISH_TIME = "%B %-d, %Y", "%-I:%M %P"
"""The default formats: "November 28, 2016" and "12:00 pm" in English; in any other language, the
CLDR ``long`` date and ``short`` time."""


_TIME_FIELDS = frozenset("abBhHKkjJCmsSAzZOvVXx")
"""The letters of CLDR's time fields (zones among them: Babel formats them from a time)."""
_DATE_FIELDS = frozenset("GyYuUrQqMLlwWdDFgEec")
_STRFTIME_TIME = frozenset("HIklMSpPfzZXTRrcs")
"""strftime's directives that show a time of day (``%c``, date and time, among them)."""
_STRFTIME_DATE = frozenset("aAbBhdejmUWyYxDFGguVwCc")
_STRFTIME_ALTERNATIVE = {"E": frozenset("cCxXyY"), "O": frozenset("bBhdeHImMSuUVwWy")}
"""The fields the C library's modifiers take (``%Ey``, ``%OB``); any other it prints as it stands."""
_STRFTIME_TOKEN = re.compile(r"%(?:%|[-_0^#]*\d*([EO]?)(.?))", re.S)
"""A strftime directive: ``%%``, or a % with flags, a width, a modifier and (if any) its letter."""


def pattern_problem(pattern: str, what: str) -> str | None:
    """Why ``pattern`` cannot be a ``date_format`` or ``time_format`` (None if it can): a named length,
    a CLDR pattern, or a strftime pattern, any of them with at least one field."""
    if pattern in LENGTHS:
        return None
    if "%" in pattern:
        fields, unknown, dangling = _strftime_fields(pattern)
        found, why = bool(fields), "without a % field"
        wrong = [f for f in dict.fromkeys(fields) if f[1] in (_STRFTIME_TIME if what == "date" else _STRFTIME_DATE)]
        if wrong:
            return _mixed(pattern, what, wrong, "")
        if unknown:
            return (f"has {unknown[0]!r}, which is no strftime field, so every {what} would show it as it stands "
                    f"({pattern!r}); use strftime's fields (such as {_example(what)}), and write %% for a percent sign")
        if dangling and found:
            return (f"ends in {dangling!r}, a % with no field after it, so every {what} would show it as it stands "
                    f"({pattern!r}); finish the field (such as {_example(what)}), or write %% for a percent sign")
    else:
        try:
            fields = re.findall(r"%\((\w+)\)s", parse_pattern(pattern).format)
            found, why = bool(fields), "without a field"
        except (ValueError, TypeError, KeyError) as e:
            fields, found, why = [], False, f"it is not a CLDR pattern ({e}), and"
        wrong = [f for f in dict.fromkeys(fields) if f[0] in (_TIME_FIELDS if what == "date" else _DATE_FIELDS)]
        if wrong:
            return _mixed(pattern, what, wrong, " (letters stand for fields; put words between single quotes, as "
                                                "in \"'at' h:mm a\")")
    if found:
        return None
    cldr, strftime = ("MMMM d, y", ENGLISH_DATE) if what == "date" else ("h:mm a", ENGLISH_TIME)
    return (f"must be a length ({', '.join(LENGTHS)}), a CLDR pattern such as \"{cldr}\" or a strftime pattern "
            f"such as \"{strftime}\", got {pattern!r}: {why}, every {what} would read the same")


def _strftime_fields(pattern: str) -> tuple[list[str], list[str], str]:
    """A strftime pattern's fields (``%B``, flags and modifiers aside), the directives the C library does not
    know and would print as they stand (``%Q``, ``%Ed``), and a % left unfinished at its end (``%``, ``%-``)."""
    fields, unknown, dangling = [], [], ""
    for token in _STRFTIME_TOKEN.finditer(pattern):
        modifier, letter = token.group(1), token.group(2)
        if letter is None:  # %%
            continue
        if not letter:
            dangling = token.group()
        elif letter in _STRFTIME_TIME | _STRFTIME_DATE | {"n", "t"} and (
                not modifier or letter in _STRFTIME_ALTERNATIVE[modifier]):
            fields += [f"%{letter}"] if letter not in "nt" else []
        else:
            unknown.append(token.group())
    return fields, unknown, dangling


def _example(what: str) -> str:
    return "%d, %B, %Y" if what == "date" else "%H, %M, %p"


def _mixed(pattern: str, what: str, wrong: list[str], hint: str) -> str:
    """Why a date format may not show a time, nor a time format a date: pages show both together already
    ("November 28, 2016, 12:00 pm"), and would show one of them twice."""
    other, shows = ("time", "a date alone") if what == "date" else ("date", "a time of day alone")
    return (f"must show {shows}, but {pattern!r} has the {other} field{'s' if len(wrong) > 1 else ''} "
            f"{', '.join(wrong)}{hint}; the {other} has its own {other}_format")


def is_strftime(pattern: str) -> bool:
    """Whether a format is a strftime pattern, which shows month and day names in English only."""
    return "%" in pattern


_FIRST = {"it": "1°", "fr": "1er"}
"""The first of a month where the language says it as an ordinal, in the dates CLDR writes "1 …"."""


def _american(locale: Locale) -> bool:
    """Whether the defaults (``ENGLISH_DATE``, ``ENGLISH_TIME``: "November 28, 2016, 12:00 pm") are how the
    language writes a date: English, unless a region says otherwise (``en-GB``: "28 November 2016, 12:00")."""
    return locale.language == "en" and locale.territory in (None, "US")


def show_date(local: datetime, pattern: str, locale: Locale) -> str:
    """A local date in ``pattern``; the English default becomes the CLDR ``long`` date elsewhere."""
    if is_strftime(pattern):
        if pattern == ENGLISH_DATE and not _american(locale):
            shown = format_date(local, "long", locale=locale)
            # Italian and French write the first of a month as an ordinal: "1° novembre", "1er novembre"
            first = _FIRST.get(locale.language)
            return first + shown[1:] if first and local.day == 1 and shown.startswith("1 ") else shown
        return local.strftime(pattern)
    return format_date(local, pattern, locale=locale)


def show_time(local: datetime, pattern: str, locale: Locale) -> str:
    """A local time in ``pattern``; in the hour the clocks show twice, with its zone's abbreviation
    (1:30 am EDT, then 1:30 am EST), so that two such times are told apart."""
    if is_strftime(pattern) and not (pattern == ENGLISH_TIME and not _american(locale)):
        shown = local.strftime(pattern)
    else:
        shown = format_time(local, "short" if is_strftime(pattern) else pattern, locale=locale)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return f"{shown} {local.tzname()}"
    return shown


def show_datetime(local: datetime, date_pattern: str, time_pattern: str, locale: Locale) -> str:
    """A local date and time joined as the language joins them ("November 28, 2016, 12:00 pm")."""
    date_text, time_text = show_date(local, date_pattern, locale), show_time(local, time_pattern, locale)
    if is_strftime(date_pattern) and _american(locale):
        return f"{date_text}, {time_text}"
    joined = str(get_datetime_format(date_pattern if date_pattern in LENGTHS else "medium", locale=locale))
    joined = re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", joined)
    return joined.replace("{1}", date_text).replace("{0}", time_text)


class _Dated(Protocol):
    date: datetime


Dated = TypeVar("Dated", bound=_Dated)
"""A recorded version, as ``days_kept`` sees it (``model.types`` imports this module, through ``config``)."""


def days_kept(versions: tuple[Dated, ...], zone: tzinfo, now: datetime) -> tuple[Dated, ...]:
    """Versions dated midnight, a day without a time (``date: 2026-11-01``, ``--at 2026-11-01``), kept that
    day after the site's timezone changed: recorded as midnight where the site was, each was shown as the day
    alone, which that moment in the new zone would make the evening before, with a time.  Each moves to
    midnight in ``zone`` unless that would put it out of order with its neighbours or after ``now`` when it
    is out (its page would go); its seal holds the moment recorded, checked as it was read."""
    kept: list[Dated] = []
    for index, version in enumerate(versions):
        moment, local = version.date, version.date.replace(tzinfo=None)
        if local.time() == time(0) and moment.utcoffset() != zone.utcoffset(local):
            day = datetime.combine(local.date(), time(0), tzinfo=zone)
            later = versions[index + 1].date if index + 1 < len(versions) else None
            if (not kept or kept[-1].date <= day) and (later is None or day <= later) and (day <= now or moment > now):
                version = replace(version, date=day)
        kept.append(version)
    return tuple(kept)

"""Series: ``series.toml`` + the posts that claim parts → ``Series`` models.

Separate from ``assemble`` because a series spans files: duplicate part
numbers, planned parts that are already out, gaps in the numbering and posts
naming a series that does not exist are all rules over several sources.
"""
from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from ..config import Config
from ..errors import Report, meant
from ..source.load import SERIES_FILE, Sources
from ..source.textcheck import nesting_problem
from ..source.tomlfile import TomlFile
from .dates import to_datetime
from .types import PlannedPart, Post, Series

log = logging.getLogger(__name__)

_KEYS = {"title", "description", "status", "planned"}
_PLANNED_KEYS = {"part", "title", "date"}


def _planned(toml: TomlFile, config: Config, report: Report) -> list[tuple[PlannedPart, int]]:
    entries = toml.data.get("planned", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        report.error(toml.path, toml.line("planned"), "`planned` must be [[planned]] tables")
        return []
    found: list[tuple[PlannedPart, int]] = []
    for index, entry in enumerate(entries):
        line = toml.line("planned", index)
        number = entry.get("part")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            report.error(toml.path, toml.line("planned", index, "part"),
                         f"planned `part` must be a positive whole number, got {number!r}")
            continue
        title = entry.get("title", "")
        if not isinstance(title, str) or not title.strip():
            report.error(toml.path, toml.line("planned", index, "title"),
                         f"planned part {number} needs a working `title`")
            continue
        when = None
        if "date" in entry:
            try:
                when = to_datetime(entry["date"], config.timezone)
            except ValueError as e:
                report.error(toml.path, toml.line("planned", index, "date"), str(e))
        for key in entry:
            if key not in _PLANNED_KEYS:
                close = meant(key, _PLANNED_KEYS, entry)
                hint = f"; did you mean `{close}`?" if close else ""
                report.warn(toml.path, toml.line("planned", index, key), f"unknown key `{key}` in [[planned]]{hint}")
        twice = next((k for k, (part, _) in enumerate(found) if part.number == number), None)
        if twice is not None:
            report.error(toml.path, line, f"planned part {number} is listed twice (also in the [[planned]] entry "
                         f"on line {found[twice][1]}): keep one")
            continue
        found.append((PlannedPart(number, title.strip(), when, toml.line("planned", index, "date") if when else 0),
                      line))
    return found


def _header(slug: str, toml: TomlFile, report: Report) -> dict[str, Any] | None:
    data = toml.data
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        kind = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a table"}.get(
            type(title), "a date")
        report.error(toml.path, toml.line("title"), f"`title` must be text in quotes (title = \"…\"), not {kind}")
        return None
    if not isinstance(title, str) or not title.strip():
        report.error(toml.path, toml.line("title"), "missing `title` (title = \"…\")")
        return None
    description = data.get("description", "")
    if not isinstance(description, str):
        report.error(toml.path, toml.line("description"), "`description` must be a string")
        return None
    deep = nesting_problem(description)
    if deep:
        report.error(toml.path, toml.line("description"), f"`description`: {deep[1]}")
        return None
    status = data.get("status", "ongoing")
    if status not in ("ongoing", "complete"):
        report.error(toml.path, toml.line("status"), f"`status` must be \"ongoing\" or \"complete\", got {status!r}")
        return None
    for key in data:
        if key not in _KEYS:
            close = meant(key, _KEYS, [k for k in data if k != "planned"])  # one more [[planned]] is no clash
            hint = f"; did you mean `{'[[planned]]' if close == 'planned' else close}`?" if close else ""
            report.warn(toml.path, toml.line(key), f"unknown key `{key}` (ignored){hint}")
    return {"title": title.strip(), "description": description, "status": status}


def _check_membership(posts: list[Post], known: dict[str, TomlFile], report: Report, shown: set[str]) -> None:
    """Each post in a series that exists, with a part no other post claims (``shown``: the keys this build
    shows; a draft it does not show only warns of a clash)."""
    claimed: dict[tuple[str, int], Post] = {}
    for post in posts:
        if post.series is None:
            folder = post.key.split("/")[0] if post.key.count("/") == 1 else None
            if post.part is not None and folder is not None:
                if not (post.path.parent / SERIES_FILE).is_file():  # (one that cannot be read is reported)
                    report.error(post.path, post.line("part"), f"`part` is set, but {folder}/ has no {SERIES_FILE}, "
                                 f"so it is no series: add {folder}/{SERIES_FILE} with the series' title "
                                 "(its parts' addresses depend on it)")
            elif post.part is not None and not (post.path.parent / SERIES_FILE).is_file():  # (else: see its error)
                report.warn(post.path, post.line("part"), "`part` is set but the post is in no series; "
                            "add `series: SLUG` or move it into the series folder")
            continue
        if post.series not in known:
            names = ", ".join(sorted(known)) or "none yet"
            report.error(post.path, 1 if post.path.parent.name == post.series else post.line("series"),
                         f"unknown series `{post.series}` (series are folders with series.toml: {names})")
            continue
        if post.part is None:
            report.error(post.path, 1, f"a post in series `{post.series}` needs `part: N`")
            continue
        first = claimed.setdefault((post.series, post.part), post)
        if first is not post:
            said = f"part {post.part} of series `{post.series}` is claimed by both {first.shown} and {post.shown}"
            hidden = next((p for p in (post, first) if p.status == "draft" and p.key not in shown), None)
            if hidden is None:
                report.error(post.path, post.line("part"), said)
            else:  # a rewrite drafted beside the part that is out: no reason to stop every build of the site
                report.warn(hidden.path, hidden.line("part"), f"{said}; {hidden.shown} is a draft, which this build "
                            "leaves out: built with --drafts or published, it needs a part of its own")


def overdue(planned: datetime | None, now: datetime, zone: tzinfo) -> bool:
    """Whether a planned date has passed: its day is over in the site's zone (a part planned for December 7
    is not late on December 7, only from December 8)."""
    return planned is not None and planned.astimezone(zone).date() < now.astimezone(zone).date()


def overdue_from(planned: datetime, zone: tzinfo) -> datetime:
    """The moment ``overdue`` turns true for a planned date: the midnight that ends its day in ``zone``."""
    day = planned.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=zone)


def gaps(numbers: set[int]) -> list[tuple[int, int]]:
    """The missing runs ``(first, last)`` in 1…max(numbers), without counting through them."""
    runs, expected = [], 1
    for number in sorted(numbers):
        if number > expected:
            runs.append((expected, number - 1))
        expected = number + 1
    return runs


def assemble_series(sources: Sources, all_posts: list[Post], shown: list[Post],
                    config: Config, report: Report) -> dict[str, Series]:
    known = dict(sources.series)
    shown_keys = {p.key for p in shown}
    _check_membership(all_posts, known, report, shown_keys)
    result: dict[str, Series] = {}
    for slug, toml in sorted(known.items(), key=lambda item: item[0]):
        header = _header(slug, toml, report)
        planned = _planned(toml, config, report)
        if header is None:
            continue
        members = [p for p in all_posts if p.series == slug and p.part is not None]
        out = sorted((p for p in members if p.key in shown_keys), key=lambda p: p.part or 0)
        numbers = {p.part for p in out}
        upcoming: dict[int, PlannedPart] = {}
        titles = {p.part: p.title for p in out}
        states = {p.part: p.status for p in out}
        plan_lines = {part.number: line for part, line in planned}
        for part, line in planned:
            if part.number not in numbers:
                upcoming.setdefault(part.number, part)
            elif titles[part.number] != part.title and states[part.number] != "published":  # shown by --drafts
                which = "its draft" if states[part.number] == "draft" else "the part scheduled"
                report.warn(toml.path, line, f"part {part.number} is planned here as \"{part.title}\", and {which} "
                            f"is titled \"{titles[part.number]}\": readers see the planned title until it is "
                            "published, then its own (remove the [[planned]] entry then)")
            elif titles[part.number] != part.title:  # else the plan simply came true: nothing to say
                report.warn(toml.path, line, f"part {part.number} is planned here as \"{part.title}\" but published "
                            f"as \"{titles[part.number]}\"; the published part wins (remove the [[planned]] entry)")
        for post in members:  # a part scheduled for later is forthcoming; a draft is private, title and all
            if post.key not in shown_keys and post.part not in numbers and post.status == "future":
                found = upcoming.get(post.part)
                planned = found is not None and found.date is not None
                day, due = (d.astimezone(config.timezone).date() if d else None for d in (
                    found.date if found else None, post.date))
                if planned and day != due:  # readers are told the plan, which the author has moved since
                    report.warn(toml.path, found.date_line, f"part {post.part} is planned here for {day}, but "
                                f"{post.shown} is scheduled for {due}: readers are told {day}; give the "
                                "[[planned]] entry the scheduled date, or leave its date out")
                if found is not None and found.title != post.title:
                    report.warn(toml.path, plan_lines.get(post.part, 1), f"part {post.part} is "
                                f"planned here as \"{found.title}\", but {post.shown} is scheduled as "
                                f"\"{post.title}\": readers are told \"{found.title}\" until it comes out; give "
                                "the [[planned]] entry its title")
                upcoming[post.part] = PlannedPart(post.part, found.title if found else post.title,
                                                  found.date if planned else post.date,
                                                  found.date_line if planned else 0)
        highest = max([*numbers, *upcoming], default=0)
        unread = any(d.path.startswith(f"{toml.shown.rsplit('/', 1)[0]}/") for d in report.errors)
        drafts = {p.part for p in members if p.key not in shown_keys and p.status != "future"}
        for first, last in [] if unread else gaps(numbers | set(upcoming)):  # not a part that failed to read
            which = f"part {first} is" if first == last else f"parts {first}–{last} are"
            if all(n in drafts for n in range(first, last + 1)):  # written, not out: the gap is the author's plan
                go = f"go from part {first - 1} to" if first > 1 else "start at"
                report.warn(toml.path, 1, f"{which} still {'a draft' if first == last else 'drafts'}, so readers {go} "
                            f"part {last + 1}: publish {'it' if first == last else 'them'} "
                            f"first, or plan {'it' if first == last else 'them'} with a [[planned]] entry, which "
                            "readers see as forthcoming")
            else:
                report.warn(toml.path, 1, f"{which} neither published nor planned: "
                            "a gap in the numbering (add a [[planned]] entry or renumber)")
        result[slug] = Series(slug=slug, title=header["title"], description=header["description"],
                              status=header["status"], parts=tuple(p.key for p in out),
                              planned=tuple(upcoming[n] for n in sorted(upcoming)),
                              highest=highest, source=toml.path)
    return result

"""Model + rendered Markdown → the small view objects templates see.

Templates never walk the model: each page gets views resolved one level deep
(a post with its series' table of contents, its neighbours as links, its
notes as HTML).  Views are frozen and compare by value, which is also what
lets the writer skip pages whose views did not change.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..model.series import overdue
from ..model.packed import Packed
from ..model.types import PlannedPart, Post, Series, Site, Version
from ..text.fragment import EMPTY, Fragment
from ..text.smart import smart
from . import urls as U

log = logging.getLogger(__name__)

Render = Callable[[str, str | None, str], Fragment]
"""Markdown → HTML as shown: (text, its series for ``part:`` links, the site path its relative links start from)."""


@dataclass(frozen=True)
class Link:
    """Something to link to."""

    title: str
    """Plain text."""
    url: str
    """Root-relative URL."""
    part: int | None = None
    """Part number, for parts."""
    language: str = ""
    """For a post, its own language (``language:``) when not the site's; empty otherwise."""


@dataclass(frozen=True)
class Note:
    """One recorded version as readers see it in notes and history."""

    number: int
    """Version number."""
    date: datetime
    """When recorded."""
    html: Fragment
    """The note rendered (empty for none)."""
    minor: bool
    """Silent correction."""
    long: bool
    """Shown as an "Update:" block rather than one line."""
    url: str
    """This version's permanent page."""
    changes_url: str | None
    """What changed in it: None for version 1, and for a revision that only adds its note (the note is the
    change, so no page, feed, history or list of updates sends a reader to an empty comparison)."""


@dataclass(frozen=True)
class TocEntry:
    """One line of a series' table of contents."""

    part: int
    """Part number."""
    title: str
    """Title or working title."""
    url: str | None
    """None while forthcoming."""
    date: datetime | None
    """Published, or planned when known."""
    updated: datetime | None
    """Last major revision, when after publication."""
    summary: str
    """Plain text."""
    forthcoming: bool
    """Not out yet."""
    overdue: bool = False
    """Forthcoming, and its planned date has passed (readers see "was planned for")."""
    language: str = ""
    """The part's own language (``language:``) when not the site's; empty otherwise (and while forthcoming)."""


@dataclass(frozen=True)
class SeriesView:
    """A series as pages show it."""

    slug: str
    title: str
    url: str
    abs_url: str
    description: Fragment
    status: str
    total: int | None
    entries: tuple[TocEntry, ...]
    feeds: tuple[tuple[str, str], ...]
    """``(kind, url)`` for RSS, Atom and JSON Feed."""
    whole: str = ""
    """The page with every published part on it (empty while none is out)."""
    book: str = ""
    """The series' EPUB (empty while no part is out)."""


@dataclass(frozen=True)
class Continuation:
    """What the end of a part says about the next one."""

    kind: str
    """"next" (a link), "forthcoming", "unknown" or "concluded"."""
    part: int | None
    title: str
    url: str | None
    date: datetime | None
    overdue: bool = False
    """A forthcoming part whose planned date has passed."""
    language: str = ""
    """The next part's own language (``language:``) when not the site's; empty otherwise."""


@dataclass(frozen=True)
class PostView:
    """A post, ready for any template."""

    key: str
    title: str
    url: str
    abs_url: str
    date: datetime
    updated: datetime
    summary: str
    tags: tuple[Link, ...]
    html: Fragment
    status: str
    series: SeriesView | None
    part: int | None
    prev: Link | None
    next: Link | None
    continuation: Continuation | None
    notes: tuple[Note, ...]
    """Major revisions, newest first."""
    history: tuple[Note, ...]
    """Every version, oldest first."""
    entry_id: str
    language: str = ""
    """The post's own language (``language:``), when not the site's; empty otherwise."""
    compare_url: str = ""
    """The page of everything that changed since the first version (``all_changes``); empty unless the
    text changed in more than one revision."""


def grouped(views: list[PostView]) -> list[tuple[SeriesView | None, tuple[PostView, ...]]]:
    """A list of posts, newest first, with the parts of one series gathered where its newest part stands
    and put in their order (Part 1 above Part 2): ``(series, parts)``, or ``(None, (post,))`` for a post
    alone, or the one part of its series in the list."""
    groups: list[tuple[SeriesView | None, list[PostView]]] = []
    where: dict[str, int] = {}
    for view in views:
        if view.series is None or view.part is None:
            groups.append((None, [view]))
        elif view.series.slug in where:
            groups[where[view.series.slug]][1].append(view)
        else:
            where[view.series.slug] = len(groups)
            groups.append((view.series, [view]))
    return [(series, tuple(sorted(items, key=lambda v: v.part or 0))) if series and len(items) > 1
            else (None, tuple(items)) for series, items in groups]


def previous_next(items: list, index: int) -> tuple:
    """The neighbours of ``items[index]`` (None at either end)."""
    return (items[index - 1] if index > 0 else None,
            items[index + 1] if index + 1 < len(items) else None)


def series_view(site: Site, series: Series, urls: U.Urls, render: Render,
                summary: Callable[[Post], str]) -> SeriesView:
    entries, language = [], site.config.language
    for key in series.parts:
        post = site.posts[key]
        updated = post.updated if post.updated != post.date else None
        entries.append(TocEntry(post.part or 0, smart(post.title, post.language or language),
                                urls.link(U.post_path(post)), post.date, updated, summary(post), False,
                                language=post.language))
    zone = site.config.timezone
    entries += [TocEntry(p.number, smart(p.title, language), None, p.date, None, "", True,
                         overdue(p.date, site.now, zone))
                for p in series.planned]
    entries.sort(key=lambda e: e.part)
    path = U.series_path(series.slug)
    feeds = tuple((kind, urls.link(U.feed_path(path, kind))) for kind in U.FEEDS)
    whole = urls.link(U.whole_series_path(series.slug)) if series.parts else ""
    book = urls.link(U.book_path(series.slug)) if series.parts else ""
    return SeriesView(series.slug, smart(series.title, language), urls.link(path), urls.absolute(path),
                      render(series.description, None, path), series.status, series.total,
                      tuple(entries), feeds, whole, book)


def continuation(series: Series, part: int, site: Site, urls: U.Urls) -> Continuation:
    """What follows a part: the first part after it, published or planned, even past a gap in the numbers
    (parts 1, 2 and 4: part 2 goes on to part 4, and never says the series is concluded); "concluded" only
    after the last part of a complete series."""
    language = site.config.language
    published = min((site.posts[key] for key in series.parts
                     if site.posts[key].part is not None and site.posts[key].part > part),
                    key=lambda post: post.part, default=None)
    planned: PlannedPart | None = min((p for p in series.planned if p.number > part), key=lambda p: p.number,
                                      default=None)
    if published is not None and (planned is None or published.part < planned.number):
        return Continuation("next", published.part, smart(published.title, published.language or language),
                            urls.link(U.post_path(published)), published.date, language=published.language)
    if planned is not None:
        return Continuation("forthcoming", planned.number, smart(planned.title, language), None, planned.date,
                            overdue(planned.date, site.now, site.config.timezone))
    if series.status == "complete":
        return Continuation("concluded", None, "", None, None)
    return Continuation("unknown", part + 1, "", None, None)


Alike = Callable[[Packed, Packed], bool]
"""Whether two texts read alike, rendered (a blank line added at the end changes a text, not what it says)."""


def _alike(before: Version, after: Version, alike: Alike | None = None) -> bool:
    """Whether a version reads as the one before it: its title, and its text (byte for byte, or by ``alike``)."""
    return before.title == after.title and (before.body == after.body or alike is not None
                                             and alike(before.body, after.body))


def all_changes(post: Post, upto: int | None = None) -> bool:
    """Whether a post has a page of everything that changed since its first version (had one, as of its
    version ``upto``): when two revisions or more changed its text or title (after one, that revision's own
    page says it all)."""
    versions = post.versions[:upto]
    changed = sum(1 for before, after in zip(versions, versions[1:]) if not _alike(before, after))
    return changed > 1


def notes(post: Post, urls: U.Urls, render_note: Callable[[str, int], Fragment],
          alike: Alike | None = None) -> tuple[Note, ...]:
    """Every version of a post as a Note, oldest first (``render_note(text, version number)``)."""
    found = []
    for index, version in enumerate(post.versions):
        previous = post.versions[index - 1] if index else None
        unchanged = previous is not None and _alike(previous, version, alike)
        long = unchanged or "\n\n" in version.note.strip()
        html = render_note(version.note, version.number) if version.note else EMPTY
        found.append(Note(version.number, version.date, html,
                          version.minor, long, urls.link(U.version_path(post, version.number)),
                          urls.link(U.changes_path(post, version.number)) if previous and not unchanged else None))
    return tuple(found)

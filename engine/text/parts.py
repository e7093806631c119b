"""The ``part:`` reference scheme, whole: ``[Part 2](part:2)`` within a series, ``[…](part:other/3)``
across series, ``[…](part:2#holding)`` to a section of a part.

Markdown is rendered with ``href="part:…"`` left in place (``markdown.py``), so that cached HTML stays
valid when a part comes out; each build resolves the links against its ``PartIndex``: a published part
becomes a link, a planned one plain text marked forthcoming, and a reference to a part neither published
nor planned is a warning with its line.
"""
from __future__ import annotations

import html
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timezone
from typing import NamedTuple
from urllib.parse import unquote

from ..model.types import Post, Site, Version
from .elements import Element, elements, replace_elements

log = logging.getLogger(__name__)

PART_LINK = re.compile(r'<a href="part:([^"]*)"([^>]*)>')
"""A ``part:`` link's start tag as Markdown renders it: its target, its other attributes."""
_LINK_END = re.compile("</a>")
Resolve = Callable[[str], "tuple[str | None, str]"]
"""A ``part:`` target → ``(url, "")`` for a part that is out, ``(None, label)`` for one that is not."""


def part_targets(fragment: str) -> list[str]:
    """Every ``part:`` target referenced in rendered HTML, in order."""
    return [html.unescape(link.start.group(1)) for link in elements(fragment, PART_LINK, lambda _: _LINK_END)]


def resolve_parts(fragment: str, resolve: Resolve) -> str:
    """Turn ``part:`` links into links or forthcoming text.

    ``resolve(target)`` returns ``(url, label)``: a URL when the part is out,
    else ``None`` and a label such as "forthcoming".
    """
    if "part:" not in fragment:
        return fragment

    def replace(link: Element) -> str:
        url, label = resolve(html.unescape(link.start.group(1)))
        if url is not None:
            return f'<a href="{html.escape(url)}"{link.start.group(2)}>{link.body}</a>'
        return (f'<span class="part-ref forthcoming">{link.body}'
                f' <span class="forthcoming-mark">({html.escape(label)})</span></span>')

    return replace_elements(fragment, PART_LINK, lambda _: _LINK_END, replace)


def address_parts(fragment: str, resolve: Resolve, series: str | None) -> str:
    """``part:`` links to a part that is out made links to its page, as ``resolve`` says; the others are left
    for ``resolve_parts``, written as read in a post of ``series`` (``read_in``).  Two texts compared word by
    word so compare where their links lead, not how they were written: ``part:law/2`` and, once the series is
    renamed, ``part:water-law/2`` lead to one page; and the text a version deleted, shown among the words of
    the next, which may be of another series, still names the part it named."""
    if "part:" not in fragment:
        return fragment

    def replace(link: Element) -> str:
        raw = html.unescape(link.start.group(1))
        url, _ = resolve(raw)
        if url is None and read_in(raw, series) == raw:
            return link.whole
        href = f"part:{read_in(raw, series)}" if url is None else url
        return f'<a href="{html.escape(href)}"{link.start.group(2)}>{link.body}</a>'

    return replace_elements(fragment, PART_LINK, lambda _: _LINK_END, replace)


def read_in(raw: str, series: str | None) -> str:
    """A ``part:`` target as a post of ``series`` reads it, written so that it reads so in any post:
    ``2#holding`` in the series law is ``law/2#holding``; ``2`` in a post in no series names no part (``""``)."""
    if raw.partition("#")[0].rpartition("/")[0]:  # names its series already
        return raw
    return f"{series}/{raw.lstrip('/')}" if series else ""


Moment = tuple[datetime, datetime]
"""When a version was recorded, as its date and then the moment of the command that recorded it: two commands
run within one second (a revise, then a publish) are told apart by the second.  Its date comes first, the time
the site says readers had it: a part published with a date long past (``publish --at``) is taken to have held
its number since then, as its page says."""


LATER = (datetime.max.replace(tzinfo=timezone.utc),) * 2
"""A moment after every recorded one: until when a part holds a number no later version left."""


class Stint(NamedTuple):
    """A part holding a number of its series, from when it was recorded as it until it was recorded as
    another (renumbered, moved to another series or out of any)."""

    since: Moment
    url: str
    """The part's page."""
    came_out: bool
    """Whether it came out as this number (its first version was recorded as it), not moved or renumbered
    into it: a part only then can be the one that a reference to the number, forthcoming before, announced."""
    until: Moment = LATER
    """When its next version was recorded as another number (``LATER``: none was; an unrecorded renumbering
    ends no stint, as the build says to record it)."""


def moment(version: Version) -> Moment:
    """When ``version`` was recorded (``Moment``)."""
    return version.date, version.recorded or version.date


class PartIndex:
    """The parts of one site's series, published (with their links) and planned, that ``part:``
    references are resolved against."""

    def __init__(self, site: Site, link: Callable[[Post], str], renamed: dict[str, str] | None = None):
        self.published: dict[tuple[str, int], str] = {}
        self.planned: set[tuple[str, int]] = set()
        self.series = set(site.series)
        self.renamed = renamed or {}
        """A renamed series' old slug → its slug now: ``part:old/2`` written before the rename still finds it."""
        for slug, series in site.series.items():
            for key in series.parts:
                post = site.posts[key]
                self.published[(slug, post.part or 0)] = link(post)
            self.planned.update((slug, p.number) for p in series.planned)
        self.moved: dict[tuple[str, int], str] = {}
        """A part recorded in a series it has left (moved into another): ``part:2`` written there while it was
        Part 2, in a text since sealed in its version, leads to it where it is now."""
        stints: dict[tuple[str, int], list[Stint]] = defaultdict(list)  # who held it, from when, until when
        for post in site.posts.values():
            url, before = link(post), None
            for version in post.versions:
                then = self.recorded_series(post, version)
                key = (then, version.part) if then and version.part else None
                if key == before:
                    continue
                if before:  # left the number it held
                    stints[before][-1] = stints[before][-1]._replace(until=moment(version))
                if key:  # began to hold the number (again: parts swapped, then back)
                    stints[key].append(Stint(moment(version), url, version.number == 1))
                    if then != post.series:
                        self.moved.setdefault(key, url)
                before = key
        for slug, series in site.series.items():
            for key in series.parts:
                post = site.posts[key]
                held = stints.setdefault((slug, post.part or 0), [])
                if not post.versions:  # came out with no ``publish`` to record it: it holds its number since its date
                    held.append(Stint((post.date, post.date), link(post), True))
        self.holders: dict[tuple[str, int], list[Stint]] = {
            key: sorted(held, key=lambda stint: stint.since) for key, held in stints.items()}
        """Each number a part was recorded as or is published as now: the parts that held it, each from when it
        was recorded as it until it was recorded as another, oldest first, and a part no ``publish`` recorded from
        when it came out.  A part renumbered or moved into a number since its newest version, and not recorded
        so, holds it from no moment a version was recorded at: when is not known, and the build says to record
        it."""

    def recorded_series(self, post: Post, version: Version) -> str | None:
        """The series a version was recorded in (by its name now, if renamed): its own ``series`` key, else
        the folder of the address it was recorded at; the post's own when the version does not say."""
        if not version.address:
            return post.series
        folder, _, rest = version.address.partition("/")  # ``series/slug/``; ``slug/`` stands alone
        folder = version.series or (folder if rest else "")
        folder = self.renamed.get(folder, folder)
        return folder if folder in self.series else None

    def target(self, raw: str, series: str | None) -> tuple[str, int] | None:
        slug, _, number = raw.partition("#")[0].rpartition("/")  # ``part:1#holding``: a section of Part 1
        slug = self.renamed.get(slug, slug) or series or ""
        return (slug, int(number)) if number.isdigit() and slug else None

    def resolver(self, series: str | None, written: Moment | None = None) -> Resolve:
        """How references written in a post of ``series`` resolve: to ``(url, "")`` once the part is out,
        else to ``(None, label)``.  A text recorded at ``written`` (a sealed version's) leads where its number
        led then, or, for a part not out yet then, to the first part that came out as it."""
        def resolve(raw: str) -> tuple[str | None, str]:
            found, fragment = self.target(raw, series), raw.partition("#")[2]
            if found is None:
                return None, "not yet published"
            if written is not None and found in self.holders:  # a number a part was recorded or is out as
                url = self.held_at(found, written)
                ahead = url is None  # announced, and taken since by a part that came out as another
            else:
                url = self.published.get(found) or (self.moved.get(found) if found not in self.planned else None)
                ahead = found in self.planned
            if url is not None:
                return url + (f"#{fragment}" if fragment else ""), ""
            return None, "forthcoming" if ahead else "not yet published"
        return resolve

    def held_at(self, key: tuple[str, int], written: Moment) -> str | None:
        """The part that held ``key`` at ``written``, else the first to come out as it after: the part a
        reference to it, forthcoming then, announced.  ``None`` when neither: the parts that hold it since came
        out as another (parts inserted before it, renumbered) or in another series, and any of them may have
        taken the place of the part announced, or none (it is still to come, under another number).  A part
        that had left the number by ``written`` is none of these: nothing held it then."""
        held = self.holders[key]
        then = [stint.url for stint in held if stint.since <= written < stint.until]
        return then[-1] if then else next((stint.url for stint in held if stint.came_out and written < stint.since),
                                          None)

    def known(self, raw: str, series: str | None) -> bool:
        found = self.target(raw, series)
        return found in self.published or found in self.planned or found in self.moved

    def problem(self, raw: str, series: str | None) -> str | None:
        """What is wrong with a ``part:`` reference written in a post of ``series``, if anything."""
        if self.known(raw, series):
            return None
        slug, _, number = raw.partition("#")[0].rpartition("/")
        if not number.isdigit() or int(number) < 1:  # as written: ``<part: 2>`` is ``part:%202`` in the HTML
            return f"`part:{unquote(raw)}` is no part reference: write part:N, or part:SERIES/N for another series"
        if not slug and not series:
            return f"`part:{raw}` needs a series, and this post is in none: write part:SERIES/{number}"
        if self.renamed.get(slug, slug or series) not in self.series:
            names = ", ".join(f"`{name}`" for name in sorted(self.series)) or "none yet"
            return f"`part:{raw}` names no series of this site (its series: {names})"
        where = "this series" if not slug else f"series `{slug}`"
        return f"`part:{raw}` refers to a part that is neither published nor planned in {where}"


def part_problems(index: PartIndex, targets: tuple[str, ...], series: str | None) -> list[tuple[str, str]]:
    """``(what to look for in the text to find its line, the warning)`` for each ``part:`` target, written in
    a post of ``series``, that names no part published or planned."""
    found = []
    for target in targets:
        problem = index.problem(target, series)
        if problem is not None:
            found.append((f"part:{target}", problem))
    return found

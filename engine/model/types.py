"""The site model: plain frozen types, no I/O.

``assemble`` builds these from sources; everything after it (Markdown,
diffs, pages, feeds) only reads them.  The model refers by key: a post names
its series by slug, a series lists its parts by post key, and ``Site`` holds
the lookup tables.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Mapping

from ..config import Config
from .packed import Packed

Status = Literal["published", "draft", "future"]


@dataclass(frozen=True)
class Version:
    """One recorded state of a post, from its archive."""

    number: int
    """1 for the first publication, then 2, 3, …"""
    date: datetime
    """When it was recorded (aware)."""
    note: str
    """The revision note, Markdown; empty for version 1 and for bare minor edits."""
    minor: bool
    """A silent correction: listed in the history, no note on top, no feed entry."""
    title: str
    """The post's title as recorded."""
    head: str
    """The post file as recorded, up to ``body``: its front matter."""
    body: Packed
    """The Markdown body as recorded (packed: a string given is packed)."""
    body_line: int
    """Line of the body's first line inside the version file."""
    path: Path
    """The version file (for messages)."""
    note_line: int = 0
    """Line of the note's first line inside the version file (0: no note)."""
    summary: str = ""
    """The post's ``summary`` as recorded (empty: none was written)."""
    address: str = ""
    """Where the post was when this version was recorded (``series/slug/``), as ``publish`` and ``revise``
    write it down; empty in versions recorded before they did."""
    slug: str = ""
    """The ``slug`` key of the recorded front matter (empty: none)."""
    series: str = ""
    """The ``series`` key of the recorded front matter (empty: none)."""
    recorded: datetime | None = None
    """When the command that recorded it ran, by that machine's clock (None in versions recorded before
    this was written down)."""
    sealed: bool = True
    """Whether it carries a seal (versions recorded before seals existed do not)."""
    entry_id: str = ""
    """The ``id`` key of the recorded front matter (empty: none was pinned yet)."""
    part: int = 0
    """The ``part`` key of the recorded front matter (0: none)."""
    language: str = ""
    """The ``language`` key of the recorded front matter (empty: the site's): the text's marks and the page's
    language, as when it was published."""
    origin: str = ""
    """Where an import took it from (``git <commit id>``, ``wordpress revision 201``; empty: recorded here)."""

    @property
    def text(self) -> str:
        """The whole post file as recorded (front matter and body)."""
        return self.head + str(self.body)

    @property
    def shown_digest(self) -> str:
        """A digest of the title and text its page shows readers: not of the note, which an author may
        correct by hand, nor of where the post is."""
        return hashlib.blake2b(b"\0".join((self.title.encode(), self.body.digest)), digest_size=16).hexdigest()

    def __post_init__(self) -> None:
        _pack_body(self)


def _pack_body(record: Version | Post) -> None:
    if isinstance(record.body, str):
        object.__setattr__(record, "body", Packed(record.body))


@dataclass(frozen=True)
class Alias:
    """An old address of a post, written in its ``aliases``, that sends readers on to it."""

    path: str
    """A site path, as ``urls.py`` writes them: ``2016/11/28/old-slug/``, or ``old.html`` for a file."""
    line: int
    """Where it is written in the post's front matter."""


@dataclass(frozen=True)
class Post:
    """One essay, standalone or a part of a series."""

    key: str
    """Path under ``posts/``; the post's identity."""
    path: Path
    """The Markdown file."""
    shown: str
    """The path as messages show it."""
    title: str
    """Plain text, escaped wherever it is shown."""
    slug: str
    """Last URL segment; from ``slug:`` or the file name."""
    date: datetime
    """First publication (aware); for an undated draft or page, the build's clock (``now``)."""
    summary: str
    """Plain text; given, or the first words of the essay."""
    tags: tuple[str, ...]
    """As written, duplicates removed."""
    status: Status
    """Whether readers see it now."""
    series: str | None
    """Slug of its series, if any."""
    part: int | None
    """Position in its series."""
    entry_id: str
    """Feed id, stable across title and slug changes."""
    body: Packed
    """The Markdown text (the newest text, always; packed: a string given is packed)."""
    body_line: int
    """Line of the body's first line in the file (for ``file:line``)."""
    versions: tuple[Version, ...]
    """Recorded versions, oldest first; empty when never recorded."""
    extra: Mapping[str, object]
    """Front-matter keys Feuilleton does not know, for templates."""
    lines: Mapping[str, int]
    """Line of each front-matter key, for messages."""
    moved_from: tuple[tuple[str, int], ...] = ()
    """Addresses the post had when earlier versions were recorded, each with the newest version recorded
    there: a slug changed, or the file renamed or moved, after publication.  Their pages now redirect."""
    layout: Literal["post", "page"] = "post"
    """A post (an essay, in every listing and feed), or a standalone page (About, Contact): undated, in
    no series, listing or feed, its own page alone."""
    aliases: tuple[Alias, ...] = ()
    """Old addresses (``aliases:``) whose pages send readers here."""
    language: str = ""
    """The language the post is written in (``language:``), when not the site's; empty otherwise."""
    imported_from: str = ""
    """Where ``feuilleton import`` found the post (``wordpress:blog.example/?p=123``, ``jekyll:_posts/…``), so
    that a second run of the same import knows it; never shown to readers (empty: not imported)."""

    def __post_init__(self) -> None:
        _pack_body(self)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def moved_on(self) -> bool:
        """Whether the text (or the title) differs from the last recorded version's; False with none."""
        return bool(self.versions) and (self.versions[-1].body != self.body or self.versions[-1].title != self.title)

    @property
    def updated(self) -> datetime:
        """Last major revision, or first publication."""
        major = [v.date for v in self.versions[1:] if not v.minor]
        return major[-1] if major else self.date


@dataclass(frozen=True)
class PlannedPart:
    """A part announced in ``series.toml`` that is not out yet."""

    number: int
    """Its part number."""
    title: str
    """Working title."""
    date: datetime | None
    """Planned date, when given."""
    date_line: int = field(default=0, compare=False)
    """The line of that date in ``series.toml`` (0 when the date is the scheduled part's own)."""


@dataclass(frozen=True)
class Series:
    """An essay in parts: a folder with ``series.toml``."""

    slug: str
    """The folder name."""
    title: str
    """Plain text."""
    description: str
    """Markdown."""
    status: Literal["ongoing", "complete"]
    """Whether more parts are coming."""
    parts: tuple[str, ...]
    """Keys of its published parts, by part number."""
    planned: tuple[PlannedPart, ...]
    """Parts not out yet (planned, draft or future-dated), by number."""
    highest: int
    """The highest published or planned part number (0 for none)."""
    source: Path
    """Its ``series.toml``."""

    @property
    def total(self) -> int | None:
        """M in "Part N of M"; None while nothing is planned and more may come."""
        if not self.planned and self.status == "ongoing":
            return None
        return self.highest


@dataclass(frozen=True)
class Site:
    """The whole assembled site, ready to render."""

    config: Config
    """Settings."""
    now: datetime
    """The build's clock (aware)."""
    posts: Mapping[str, Post]
    """Every post readers see in this build, by key (pages too)."""
    order: tuple[str, ...]
    """Keys of the posts that are essays (``layout: post``), newest first: what listings and feeds show."""
    series: Mapping[str, Series]
    """Every series, by slug, in slug order."""
    held_back: tuple[Post, ...] = ()
    """Drafts and future-dated posts this build leaves out."""
    pages: tuple[str, ...] = ()
    """Keys of the standalone pages (``layout: page``) in ``posts``, in key order."""

    @staticmethod
    def freeze(mapping: dict) -> Mapping:
        return MappingProxyType(mapping)

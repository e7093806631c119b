"""What a reader of another tool's archive hands to the writer: posts, their history, and what was left out.

Every reader (WordPress, Jekyll, Hugo, Pelican, Substack, a feed) turns its source into these types and
nothing else; ``write.py`` alone decides file names, checks clashes and writes.  Nothing here touches
the disk.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from urllib.parse import quote


@dataclass(frozen=True)
class Where:
    """A place in the source, for the report and for ``file:line`` errors."""

    path: str
    """The source file (or the export file), as the author would name it."""
    line: int = 0
    """1-based line, or 0 when the format has no useful line."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Asset:
    """A file the source holds locally (an image, a PDF) that the site must carry."""

    source: Path
    """Where it is now."""
    target: str
    """Where it goes, relative to the site's ``static/`` folder (``2016/11/map.png``)."""
    data: bytes | None = None
    """Its bytes, for a file an earlier version links that the folder no longer holds (moved or deleted since),
    as the commit of that version left it at ``source``; None: ``source`` is the file, read when written."""
    commit: str = ""
    """That commit; empty for a file the folder holds."""


@dataclass(frozen=True)
class Revision:
    """One earlier (or the current) text of a post, from git or from the source's own revisions."""

    markdown: str
    """The post's body at that moment, as Markdown."""
    date: datetime
    """When that text was made (a commit's author date); aware."""
    note: str
    """What the revision says about itself (a commit subject); empty for the first version."""
    origin: str
    """Where it came from, kept in the archive: ``git <commit id>`` or ``wordpress revision 812``."""
    minor: bool = False
    """A small change, recorded as a silent correction."""
    title: str = ""
    """The title the post had with this text, when the source says (a commit's front matter); empty: the
    post's own."""
    summary: str | None = None
    """The summary the post had with this text, when the source says (empty for none); None: the post's own."""


@dataclass(frozen=True)
class SeriesInfo:
    """A series the source names."""

    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class ImportedPost:
    """One post or page, converted, ready to be written as ``posts/…/SLUG.md``."""

    source_id: str
    """Stable id in the source (``wordpress:blog.example/?p=123``, ``jekyll:_posts/2016-11-28-x.md``), written
    as ``imported_from`` so that a second run recognizes the post."""
    where: Where
    title: str
    slug: str
    markdown: str
    """The newest body, as Markdown (raw HTML where Markdown cannot say it)."""
    date: datetime | None
    """First publication; None for a page or an undated draft."""
    layout: str = "post"
    """``post`` or ``page``."""
    draft: bool = False
    summary: str = ""
    tags: tuple[str, ...] = ()
    series: str | None = None
    """Slug of its series (a key of ``ImportResult.series``)."""
    part: int | None = None
    aliases: tuple[str, ...] = ()
    """Every old address of the post on the old site, as site paths (``/2016/11/28/old-slug/``)."""
    assets: tuple[Asset, ...] = ()
    history: tuple[Revision, ...] = ()
    """Oldest first; the last is the current text.  Empty: version 1 is the post as it stands."""
    entry_id: str = ""
    """The id the old site's feeds gave the post (a WordPress ``guid``, a feed entry's id), kept as its
    ``id`` so that feed readers do not show every post again as new after the move; empty: none known, or
    none an Atom feed could carry (``old_id`` keeps only an absolute IRI)."""
    extra: dict[str, object] = field(default_factory=dict)
    """Front-matter keys to keep as they are (``language``)."""
    listed: bool = True
    """False for a page the old site kept out of its menus (Pelican's ``Status: hidden``): the report does not
    suggest it for ``[[menu]]``."""
    text_line: int = 0
    """The line of ``where.path`` that ``markdown`` starts on, when the text is that file's own, line for line
    (a Markdown post of Jekyll, Hugo or Pelican); 0 when it was made from something else (HTML)."""
    raw_html_why: str = ""
    """Why the raw HTML of the text is read as HTML where the source could have left it out (the setting that
    had the old site show it), said with an error at an element it leaves open; empty: nothing to say."""


@dataclass(frozen=True)
class Skipped:
    """Something the import left out or kept as raw HTML, and why."""

    where: Where
    what: str
    """``comment``, ``nav menu``, ``shortcode [gallery]``, ``Liquid {% include %}``, …"""
    why: str
    kept: bool = False
    """True when it is in the post as raw HTML or visible text rather than dropped."""


@dataclass(frozen=True)
class ImportResult:
    """Everything one source holds, read and converted, before anything is written."""

    kind: str
    """``wordpress``, ``jekyll``, ``hugo``, ``pelican``, ``substack`` or ``feed``."""
    posts: tuple[ImportedPost, ...]
    series: dict[str, SeriesInfo]
    skipped: tuple[Skipped, ...] = ()
    origins: tuple[str, ...] = ()
    """The old site's addresses (``https://old.example/blog``), by which its posts linked one another."""


@dataclass(frozen=True)
class ReadOptions:
    """What the command line tells every reader (``read(source, options) -> ImportResult``)."""

    series_from: str | None = None
    """``category``, ``tag`` or ``title``: where a reader without a series notion of its own finds series."""
    history: bool | None = None
    """``--history`` (True), ``--no-history`` (False), or neither (None: history when the source is in git)."""
    minor_below: int = 10
    """A revision changing fewer words than this is recorded as minor: under ten words is a correction
    inside a sentence (a typo, a date, a name); a sentence added or rewritten (fifteen words or so) is a
    revision readers are told about."""
    static_prefix: str = "/"
    """The URL path at which the site serves its ``static/`` folder (the base URL's path)."""
    zone: tzinfo = timezone.utc
    """The site's timezone, for source dates written without one."""
    language: str = "en"
    """The site's ``language``: a post written in another says so in its front matter."""
    imported: frozenset[str] = frozenset()
    """The ``source_id`` of each post an earlier run imported into the site, which this one leaves as it is:
    no check of its text stops the import."""
    imported_paths: dict[str, frozenset[str]] = field(default_factory=dict)
    """For each of ``imported``, the site paths its post answers at (``slug/`` and its aliases, as
    ``alias_path`` writes them, casefolded): a reader whose ids once had another form tells by them whether
    the post is the one it reads."""

    def static_url(self, target: str) -> str:
        """The address a post links an ``Asset.target`` by."""
        return self.static_prefix + quote(target, safe="/-_.~")


def old_id(found: object) -> str:
    """An id from the old site's feeds, if an Atom ``<id>`` can carry it (an absolute IRI: ``tag:…``,
    ``https://…/?p=12``); else empty, and the post gets an id of its own."""
    text = str(found or "").strip()
    return text if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S+$", text) else ""

"""What one build keeps for the next: the cache of rendered work, and the stamp that lets a build with
nothing to do stop before reading anything (``uptodate.py``).

``build`` wraps its stages in a ``Kept``: created before anything is read (the stamp must see every
input as it was then), told when writing starts (a stamp is never left behind a half-written output),
and saved after a build that succeeded.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

from ..config import CACHE_DIR, Options
from ..errors import Diagnostic
from ..model.series import overdue, overdue_from
from ..model.types import Post, Site
from ..site import urls as U
from ..text.quotes import marks_for
from . import uptodate
from .cache import Cache

log = logging.getLogger(__name__)


def version_owners(site: Site) -> dict[str, str]:
    """Each version page the site publishes (its output path) → its post's feed id: by which the next build
    tells a version page a post lost from one another post left at that address (``checks.lost_versions``);
    and those at the addresses a post had before, which send readers on (``checks.dropped_addresses``).
    A post a preview shows before its day (``--future``) published nothing: its pages are no one's."""
    out = _published(site)
    owners = {U.output_path(U.version_path(old, number)): post.entry_id
              for post in out for old, newest in post.moved_from for number in range(1, newest + 1)}
    owners.update({U.output_path(U.version_path(post, version.number)): post.entry_id
                   for post in out for version in post.versions})
    return owners


def version_texts(site: Site) -> dict[str, str]:
    """Each version page the site publishes where its post is (its output path) → a digest of the version's
    title and text: by which the next build tells the version it published from another recorded under the
    same number since (``checks.replaced_versions``), without reading the page."""
    return {U.output_path(U.version_path(post, version.number)): version.shown_digest
            for post in _published(site) for version in post.versions}


def _published(site: Site) -> list[Post]:
    """The posts readers have: a preview (``--future``, ``--drafts``) shows others, whose pages promise nothing."""
    return [post for post in site.posts.values() if post.status == "published"]


class Kept:
    """The cache and the stamp of one build of ``site_dir``."""

    def __init__(self, site_dir: Path, posts_dir: Path, options: Options, cache: Cache | None,
                 use_cache: bool, stamped: bool):
        self.site_dir, self.options = site_dir, options
        self.inputs = uptodate.scan(site_dir, posts_dir) if stamped else None  # before anything is read
        self.cache = cache or Cache(site_dir, enabled=use_cache)

    def prepare(self, site: Site) -> None:
        """Render the site's Markdown on all cores, ahead of the pages that will ask for it."""
        self.cache.marks = site_marks = marks_for(site.config.language)
        texts = [(text, site_marks) for text in (site.config.author.bio,
                                                 *(series.description for series in site.series.values()))]
        for post in site.posts.values():
            marks = marks_for(post.language) if post.language else site_marks
            texts.append((post.body, marks))
            texts += [(v.body, marks) for v in post.versions] + [(v.note, marks) for v in post.versions if v.note]
        self.cache.prepare(texts)

    def writing(self) -> None:
        """The output is about to change: the stamp of the last build no longer holds."""
        uptodate.remove(self.site_dir / CACHE_DIR)

    def save(self, site: Site, out: Path, fingerprints: dict[str, str], persist: bool, pages: int, feeds: int,
             warnings: list[Diagnostic], files: Iterable[str] | None = None) -> None:
        """Keep the cache and, when stamped, what this build read and wrote (``files``: every file the
        build left in ``out``, if known, which spares a walk of it)."""
        written = uptodate.snapshot(out, files)
        self.cache.save(out, fingerprints, written, persist, version_owners(site), version_texts(site))
        if self.inputs is not None:
            uptodate.save(self.site_dir / CACHE_DIR, self._stamp(site, out, written, pages, feeds, warnings))

    def _stamp(self, site: Site, out: Path, written: dict[str, uptodate.FileState], pages: int, feeds: int,
               warnings: list[Diagnostic]) -> uptodate.Stamp:
        """What this build read and wrote, and until when that stays true (the next scheduled post)."""
        assert self.inputs is not None
        posts = [*site.posts.values(), *site.held_back]
        published = [p.date for p in posts if p.status == "published"]
        future = [p.date for p in posts if p.status == "future"]
        zone = site.config.timezone  # a planned date that passes turns "planned for" into "was planned for"
        future += [overdue_from(p.date, zone) for s in site.series.values() for p in s.planned
                   if p.date is not None and not overdue(p.date, site.now, zone)]
        drafts = self.options.drafts and any(p.status == "draft" and p.date == site.now for p in posts)
        return uptodate.Stamp(
            key=uptodate.key(self.site_dir, self.options.drafts, self.options.future, out), inputs=self.inputs,
            valid_from=max(published, default=None),
            valid_until=site.now if drafts else min(future, default=None),  # undated drafts are dated "now"
            output=written, pages=pages, feeds=feeds, warnings=tuple(warnings))

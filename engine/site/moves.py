"""Posts that moved after publication, and the pages they left behind.

A post moves when its slug is edited, its file is renamed (with its
``.versions/`` folder) or its series folder is renamed, after readers have
linked to it.  Each version records the address the post had
(``address:`` in its header), so a build knows every address a post was
published at: this module lists, for each old one, where the same page is
now (the post's, each old version's and each page of what changed, and a
renamed series' page), and each address a post's ``aliases`` name; ``redirects.py`` makes the pages
that send readers on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from gettext import NullTranslations

from ..model.slugs import split_am, without_marks
from ..model.types import Post, Site
from ..text.smart import smart_inside
from . import urls as U
from .views import all_changes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Move:
    """A page a post had at an earlier address."""

    path: str
    """Its old site path."""
    target: str
    """The site path of the same page now."""
    what: str
    """What it is, for readers (“Version 2 of ‘Title’”)."""
    post: Post
    """The post that moved."""
    since: datetime
    """When the post's last version at the old address was recorded."""
    number: int
    """That version's number (0 for an alias, which no version left)."""


def moves(site: Site, text: NullTranslations = NullTranslations()) -> list[Move]:
    """Every page that posts left behind when they moved, the latest claim to an address first; ``what``
    in the words of ``text``, the theme's in the site's language."""
    found = []
    for post in site.posts.values():
        title = _quoted_title(post, site, text)
        for old, newest in post.moved_from:
            since = post.versions[newest - 1].date

            def move(path: str, target: str, what: str) -> None:
                found.append(Move(path, target, what, post, since, newest))

            move(old, U.post_path(post), title)
            for number in range(1, newest + 1):
                move(U.version_path(old, number), U.version_path(post, number),
                     text.gettext("Version %(number)s of %(title)s") % {"number": number, "title": title})
                if number > 1:
                    move(U.changes_path(old, number), U.changes_path(post, number),
                         text.gettext("What changed in version %(number)s of %(title)s") % {
                             "number": number, "title": title})
            if all_changes(post, newest):  # the page of everything since the first version, which the
                move(U.all_changes_path(old), U.all_changes_path(post),  # old address had too
                     text.gettext("What changed in %(title)s since its first version") % {"title": title})
    found.sort(key=lambda m: (m.since, m.post.key), reverse=True)
    return found


def aliases(site: Site, text: NullTranslations = NullTranslations()) -> list[Move]:
    """Every old address that a post's ``aliases`` send on to it, post by post in key order; ``what`` as
    ``moves`` says it."""
    return [Move(alias.path, U.post_path(post), _quoted_title(post, site, text), post, post.date, 0)
            for post in sorted(site.posts.values(), key=lambda p: p.key) for alias in post.aliases]


def _quoted_title(post: Post, site: Site, text: NullTranslations) -> str:
    """“Title”, as a page that sends readers on names the post, in the site's language: smart, in the post's
    language (else the site's), a quotation in it taking the site's inner marks."""
    language = site.config.language
    return text.gettext("“%(title)s”") % {"title": smart_inside(post.title, post.language or language, language)}


def renamed_series(site: Site) -> dict[str, str]:
    """Old series folder (``cities/``) → the slug of the series its parts are in now, for each series
    folder that parts left and that is no series or post now: a renamed series.  A series whose name an
    earlier Feuilleton spelled without its vowel signs (``without_marks``), or with Thai or Lao AM split
    (``split_am``), counts as renamed from it."""
    present = {U.series_path(slug) for slug in site.series} | {U.post_path(p) for p in site.posts.values()}
    found: dict[str, str] = {}
    for move in moves(site):
        then = U.address_series(move.path) if move.target == U.post_path(move.post) else None
        if then and move.post.series and then not in present:
            found.setdefault(then, move.post.series)
    for slug in site.series:  # a folder named in an Indic or Thai script had another address before
        for then in (U.series_path(without_marks(slug)), split_am(U.series_path(slug))):
            if then != U.series_path(slug) and then not in present and site.series[slug].parts:
                found.setdefault(then, slug)
    return found


def last_recorded_at(post: Post) -> str | None:
    """Where the post's newest version was recorded, if the post is no longer there (as its ``address``
    says, or for a version recorded before addresses were, as its ``slug`` places it)."""
    newest = post.versions[-1].number if post.versions else 0
    return next((old for old, number in post.moved_from if number == newest), None)

"""Posts that moved after publication, and the pages they left behind.

A post moves when its slug is edited, its file is renamed (with its
``.versions/`` folder) or its series folder is renamed, after readers have
linked to it.  Each version records the address the post had
(``address:`` in its header), so a build knows every address a post was
published at.  At each old one it writes a small page that sends readers on
to where the page is now: the post's, each old version's and each page of
what changed, and for a renamed series its page (and a copy of its feeds,
which a feed reader cannot be redirected from).

A real page always keeps its address.  When two moved posts left the same
address, the one recorded there last keeps it.
"""
from __future__ import annotations

import logging
import shlex
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import unquote

from . import urls as U
from .errors import Diagnostic
from .model import Post, Site
from .render import Page

if TYPE_CHECKING:
    from .pages import Planner

log = logging.getLogger(__name__)

TEMPLATE = "redirect.html"


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
    """That version's number."""


def moves(site: Site) -> list[Move]:
    """Every page that posts left behind when they moved, the latest claim to an address first."""
    found = []
    for post in site.posts.values():
        title = f"“{post.title}”"
        for old, newest in post.moved_from:
            since = post.versions[newest - 1].date

            def move(path: str, target: str, what: str) -> None:
                found.append(Move(path, target, what, post, since, newest))

            move(old, U.post_path(post), title)
            for number in range(1, newest + 1):
                move(U.version_path(old, number), U.version_path(post, number), f"Version {number} of {title}")
                if number > 1:
                    move(U.changes_path(old, number), U.changes_path(post, number),
                         f"What changed in version {number} of {title}")
    found.sort(key=lambda m: (m.since, m.post.key), reverse=True)
    return found


def renamed_series(site: Site) -> dict[str, str]:
    """Old series folder (``cities/``) → the slug of the series its parts are in now, for each series
    folder that parts left and that is no series or post now: a renamed series."""
    present = {U.series_path(slug) for slug in site.series} | {U.post_path(p) for p in site.posts.values()}
    found: dict[str, str] = {}
    for move in moves(site):
        then = U.address_series(move.path) if move.target == U.post_path(move.post) else None
        if then and move.post.series and then not in present:
            found.setdefault(then, move.post.series)
    return found


def redirect_pages(planner: Planner, taken: set[str]) -> list[Page]:
    """A page at each address a moved post left behind (and at each renamed series' old page) that
    sends readers on.  An address a page in ``taken`` has, whatever the case of its letters (some
    hosts ignore it), stays that page's."""
    site, urls = planner.site, planner.urls
    claimed = {path.casefold() for path in taken}
    series = [(old, U.series_path(slug), f"The series “{site.series[slug].title}”", None)
              for old, slug in renamed_series(site).items()]
    pages = []
    for path, target, what, post in [*((m.path, m.target, m.what, m.post) for m in moves(site)), *series]:
        if path.casefold() in claimed:
            continue
        claimed.add(path.casefold())
        meta = planner.meta(f"Moved: {what}", path, noindex=True, canonical=urls.absolute(target))
        pages.append(Page(path, TEMPLATE, planner.context(meta, what=what, target=urls.link(target),
                                                          shown_url=unquote(urls.absolute(target))),
                          post.shown if post else "a renamed series"))
    return pages


def move_problems(planner: Planner, pages: list[Page]) -> list[Diagnostic]:
    """Warnings about moved posts: an old address that another page took (said to the post that took it,
    whose slug can change), one that another moved post left later, and a post whose present address
    no version records yet (if it moves again, links to it here would break)."""
    site, link = planner.site, partial(_link, planner)
    by_path = {page.path.casefold(): page for page in pages if page.template != TEMPLATE}
    by_shown = {post.shown: post for post in site.posts.values()}
    found, first_claim = [], {}
    for move in moves(site):
        if move.target != U.post_path(move.post):
            continue  # the post's own address speaks for its versions' pages
        was = f"{move.post.shown} was until its version {move.number}"
        if move.path.casefold() in by_path:
            page = by_path[move.path.casefold()]
            taker = by_shown.get(page.source)
            if taker is move.post:
                continue  # its own slug in other letters: ``unrecorded_move`` says what to do
            found.append(Diagnostic(taker.shown, _slug_line(taker), f"{link(move.path)} is where {was}: links made "
                                    "to that post there now reach this page instead", True) if taker else
                         Diagnostic(move.post.shown, _slug_line(move.post), f"moved from {link(move.path)}, where "
                                    f"{page.source} now is: links made to this post there reach that page instead",
                                    True))
        elif first_claim.setdefault(move.path, move).post is not move.post:
            later = first_claim[move.path].post
            found.append(Diagnostic(move.post.shown, _slug_line(move.post),
                                    f"moved from {link(move.path)}, which {later.shown} left later: links made to "
                                    f"this post there reach {later.shown} instead", True))
    found += filter(None, (unrecorded_move(planner, post) for post in site.posts.values()))
    return found


def unrecorded_move(planner: Planner, post: Post) -> Diagnostic | None:
    """The warning that a post is no longer where its newest version was recorded (``publish`` and ``revise``
    leave it out: the version they record says where the post is now)."""
    recorded, now_at = last_recorded_at(post), U.post_path(post)
    if recorded is None:
        return None
    link = partial(_link, planner)
    redirects = "" if recorded.casefold() == now_at.casefold() else " (which redirects here)"
    return Diagnostic(post.shown, _slug_line(post), (
        f"is at {link(now_at)} now, but its last recorded version was at {link(recorded)}{redirects}; record the "
        "move, so that links to the new address survive a later one: feuilleton revise "
        f'{shlex.quote(post.shown)} --minor --note "Moved to {link(now_at)}"'), True)


def last_recorded_at(post: Post) -> str | None:
    """Where the post's newest version was recorded, if the post is no longer there (as its ``address``
    says, or for a version recorded before addresses were, as its ``slug`` places it)."""
    newest = post.versions[-1].number if post.versions else 0
    return next((old for old, number in post.moved_from if number == newest), None)


def _link(planner: Planner, path: str) -> str:
    """A root-relative link as the author wrote it (not percent-encoded)."""
    return unquote(planner.urls.link(path))


def _slug_line(post: Post) -> int:
    return post.lines.get("slug", 0)

"""The pages a moved post left behind: a small page at each old address that sends readers on (and at
each address a post's ``aliases`` name), the warnings about moves (an old address another page took, a
move no version records yet) and the errors about aliases (one that another page or file has).  Which
pages moved is ``moves.py``'s to say."""
from __future__ import annotations

import logging
import shlex
from datetime import datetime
from functools import partial
from urllib.parse import unquote

from ..errors import Diagnostic
from ..model.aliases import feed_address, served_as
from ..model.slugs import split_am, without_marks
from ..model.types import Post, Site
from ..output.render import Page
from . import urls as U
from .maker import PageMaker
from .moves import aliases, last_recorded_at, moves, renamed_series
from .pages import fixed_files

log = logging.getLogger(__name__)

TEMPLATE = "redirect.html"


def redirect_pages(maker: PageMaker, taken: set[str]) -> list[Page]:
    """A page at each address a moved post left behind (and at each renamed series' old page, at each
    alias, and at a tag's address from before slugs kept vowel signs) that sends readers on.  An address
    a page in ``taken`` has, whatever the case of its letters
    (some hosts ignore it), stays that page's (``alias_problems`` says so of an alias)."""
    site, urls = maker.site, maker.urls
    claimed = {path.casefold() for path in taken}
    gettext = maker.text.gettext  # a page that sends readers on speaks the site's language
    series = []
    for old, slug in renamed_series(site).items():
        what = gettext("The series “%(title)s”") % {"title": maker.smart(site.series[slug].title, around="")}
        series.append((old, U.series_path(slug), what, None))
        if U.whole_series_path(slug) in taken:  # its page read whole (its EPUB: ``hosting.py``)
            series.append((old + "all/", U.whole_series_path(slug), what, None))
    for name, slug in maker.tag_slugs.items():  # a tag an earlier Feuilleton spelled without its vowel signs,
        for before in dict.fromkeys((U.tag_path(without_marks(slug)), split_am(U.tag_path(slug)))):  # or AM split
            if before != U.tag_path(slug):
                series.append((before, U.tag_path(slug), gettext("“%(title)s”") % {"title": name}, None))
    pages = []
    named = [(m.path, m.target, m.what, m.post) for m in aliases(site, maker.text) if not feed_address(m.path)]
    left = ((m.path, m.target, m.what, m.post) for m in moves(site, maker.text))
    for path, target, what, post in [*left, *series, *named]:
        if path.casefold() in claimed:
            continue
        claimed.add(path.casefold())
        meta = maker.meta(gettext("Moved: %(what)s") % {"what": what}, path, noindex=True,
                          canonical=urls.absolute(target))
        pages.append(Page(path, TEMPLATE, maker.context(meta, what=what, target=urls.link(target),
                                                          shown_url=unquote(urls.absolute(target))),
                          post.shown if post else "a renamed series"))
    return pages


def move_problems(maker: PageMaker, pages: list[Page]) -> list[Diagnostic]:
    """Warnings about moved posts: an old address that another page took (said to the post that took it,
    whose slug can change; an error once that post's version pages stand where the moved post's are), one that
    another moved post left later, and a post whose present address no version records yet (if it moves
    again, links to it here would break)."""
    site, link = maker.site, partial(_link, maker)
    by_path = {page.path.casefold(): page for page in pages if page.template != TEMPLATE}
    by_shown = {post.shown: post for post in site.posts.values()}
    found, first_claim, refused = [], {}, set()
    for move in moves(site):
        if move.target != U.post_path(move.post):
            continue  # the post's own address speaks for its versions' pages
        was = f"{move.post.shown} was until its version {move.number}"
        if move.path.casefold() in by_path:
            page = by_path[move.path.casefold()]
            taker = by_shown.get(page.source)
            if taker is move.post:
                continue  # its own slug in other letters: ``unrecorded_move`` says what to do
            if taker and taker.versions and not _recorded_at(taker, move.path):  # a version's address would show
                # another text; one this post recorded there already (before this was refused) is as it was
                found.append(_taking_versions(maker, move, taker))
                refused.update((taker.key, move.post.key))  # recording either where it is now is no way out
                continue
            kept = _version_pages(maker, move)
            found.append(Diagnostic(taker.shown, _slug_line(taker), f"{link(move.path)} is where {was}: links made "
                                    "to that post there now reach this page instead, and its version pages there "
                                    f"({kept}) become this post's as it records versions: to leave them that post's, "
                                    "give this one another slug", True) if taker else
                         Diagnostic(move.post.shown, _slug_line(move.post), f"moved from {link(move.path)}, where "
                                    f"{page.source} now is: links made to this post there reach that page instead",
                                    True))
        elif first_claim.setdefault(move.path, move).post is not move.post:
            later = first_claim[move.path].post
            found.append(Diagnostic(move.post.shown, _slug_line(move.post),
                                    f"moved from {link(move.path)}, which {later.shown} left later: links made to "
                                    f"this post there reach {later.shown} instead", True))
    moved = {post.key: said for post in site.posts.values() if post.key not in refused
             and (said := unrecorded_move(maker, post)) is not None}
    found += moved.values()  # the revise that records a move records a new number too: one warning says it
    found += filter(None, (unrecorded_part(maker, post) for post in site.posts.values() if post.key not in moved))
    return found + _series_in_left_folders(maker)


def unrecorded_part(maker: PageMaker, post: Post) -> Diagnostic | None:
    """The warning that a part's number is not the one its newest version recorded (renumbered by ``part:``):
    the old versions of other parts lead to the part that held each number when they were recorded, which the
    record of this one tells (``publish`` and ``revise`` leave it out: the version they record says it)."""
    last = post.versions[-1] if post.versions and post.status == "published" else None  # a draft's is not out
    if last is None or not post.part or not last.part or last.part == post.part \
            or maker.parts.recorded_series(post, last) != post.series:
        return None
    return Diagnostic(post.shown, post.lines.get("part", 1), (
        f"is Part {post.part} now, but its last recorded version was Part {last.part}; record the renumbering, so "
        "that the parts' versions recorded from now on lead to it: "
        f'feuilleton revise {shlex.quote(post.shown)} --minor --note "Now Part {post.part}"'), True)


def _series_in_left_folders(maker: PageMaker) -> list[Diagnostic]:
    """A warning for each series in a folder that a renamed series left, one none of whose parts was there
    before: the old series' page and feeds there, which readers had subscribed to, are this one's now."""
    site, found, told = maker.site, [], set()
    folders = {U.series_path(slug): slug for slug in site.series}
    for move in moves(site):
        then = U.address_series(move.path) if move.target == U.post_path(move.post) else None
        slug = folders.get(then) if then and move.post.series else None
        if slug is None or slug == move.post.series or slug in told or not site.series[slug].parts \
                or _was_there(site, slug, then, move.since):
            continue  # a series with no part out yet gives its subscribers nothing
        told.add(slug)
        feeds = ", ".join(_link(maker, then + name) for name in U.FEEDS.values())
        found.append(Diagnostic(maker.source_name(site.series[slug].source), 1, (
            f"{_link(maker, then)} is where the series `{move.post.series}` was until its parts moved: readers "
            f"subscribed to its feeds there ({feeds}) now get this series' parts, and its page there is this one; "
            "to leave them that series', give this folder another name"), True))
    return found


def _was_there(site: Site, slug: str, folder: str, since: datetime) -> bool:
    """Whether a part of the series ``slug`` was recorded in ``folder`` by ``since``: the series that was
    there, a part of which moved out, not a new one in its place (a version recorded before addresses were
    is taken to be where its post is)."""
    return any((version.address or U.post_path(post)).startswith(folder) and version.date <= since
               for post in (site.posts[key] for key in site.series[slug].parts) for version in post.versions)


def _version_pages(maker: PageMaker, move) -> str:
    """The version pages a moved post left at its old address, for a message."""
    link = partial(_link, maker)
    return f"{link(U.version_path(move.path, 1))}" + (
        f" to {link(U.version_path(move.path, move.number))}" if move.number > 1 else "")


def _taking_versions(maker: PageMaker, move, taker: Post) -> Diagnostic:
    """The error for a post whose version pages would stand where a moved post's are: each of those addresses
    was given out (feeds, citations) for that post's version, and would show another text for good."""
    parts = "; to renumber a series' parts, change `part:` in each file and leave the files' names, which are " \
        "their addresses" if taker.series and taker.series == move.post.series else ""
    return Diagnostic(taker.shown, _slug_line(taker), f"{_link(maker, move.path)} is where {move.post.shown} was "
                      f"until its version {move.number}, and its version pages there ({_version_pages(maker, move)}) "
                      "would show this post's versions instead: a version's address is for good, so give this post "
                      f"another slug with `slug:` in its front matter{parts}")


def takes_version_pages(maker: PageMaker, post: Post) -> Diagnostic | None:
    """The error ``move_problems`` would give ``post`` once it has a version (``publish`` records its first):
    None unless it stands where a moved post's version pages are."""
    here = U.post_path(post).casefold()
    for move in moves(maker.site):
        if move.post is not post and move.target == U.post_path(move.post) and move.path.casefold() == here \
                and not _recorded_at(post, move.path):
            return _taking_versions(maker, move, post)
    return None


def _recorded_at(post: Post, path: str) -> bool:
    """Whether a version of ``post`` was recorded at ``path``: it stands there as it did when that was allowed."""
    return any(version.address.casefold() == path.casefold() for version in post.versions)


def alias_problems(maker: PageMaker, pages: list[Page]) -> list[Diagnostic]:
    """An error for each alias that cannot send readers on: its address is another page's, a file the site
    generates, an old address a moved post or series left, or another post's alias."""
    site = maker.site
    others = {page.path.casefold(): page.source for page in pages if page.template != TEMPLATE}
    generated = {path.casefold() for path in fixed_files(site)}
    left = {move.path.casefold(): move for move in moves(site)}
    series = {old.casefold(): slug for old, slug in renamed_series(site).items()}
    first: dict[str, tuple[Post, int]] = {}
    found = []
    for post in sorted(site.posts.values(), key=lambda p: p.key):
        for alias in post.aliases:
            key, said = alias.path.casefold(), f"alias /{alias.path}"  # as written: from the site's root
            skipped = feed_address(alias.path)  # no page is written there: it claims nothing
            move, other = left.get(key), (post, 0) if skipped else first.setdefault(key, (post, alias.line))
            if key in others:
                why = f"is the address of {others[key]}: readers asking for it get that page, not this post"
            elif key in generated:
                why = "is the address of a file the site generates (a feed, the sitemap, the stylesheet)"
            elif move and not (move.post is post and move.target == U.post_path(post)):
                why = f"is where {move.post.shown} was until its version {move.number}, and sends readers on there"
            elif key in series:
                why = f"is the old address of the series `{series[key]}`, and sends readers on there"
            elif other[0] is not post:
                why = f"is also an alias of {other[0].shown} (line {other[1]}), and one address can lead to one post"
            else:
                served = served_as(alias.path)
                if served:
                    found.append(Diagnostic(post.shown, alias.line, f"{said}: {served}", True))
                continue
            found.append(Diagnostic(post.shown, alias.line, f"{said} {why}: remove it"))
    return found


def unrecorded_move(maker: PageMaker, post: Post) -> Diagnostic | None:
    """The warning that a post is no longer where its newest version was recorded (``publish`` and ``revise``
    leave it out: the version they record says where the post is now)."""
    recorded, now_at = last_recorded_at(post), U.post_path(post)
    if recorded is None or recorded == U.address_split_am(post.series, post.slug, "slug" in post.lines):
        return None  # spelled so by an earlier Feuilleton: no move of the author's; the next version says
    link = partial(_link, maker)
    ahead = len(post.versions) == 1 and post.versions[0].date > maker.site.now  # version 1 not out yet
    # an address readers never had (version 1 not out) sends no one on
    redirects = "" if ahead or recorded.casefold() == now_at.casefold() else " (which redirects here)"
    note = maker.words(post.language).gettext("Moved to %(address)s") % {"address": link(now_at)}  # readers'
    command = f"feuilleton publish {shlex.quote(post.shown)}" if ahead else \
        f'feuilleton revise {shlex.quote(post.shown)} --minor --note "{note}"'
    return Diagnostic(post.shown, _slug_line(post), (
        f"is at {link(now_at)} now, but its last recorded version was at {link(recorded)}{redirects}; record the "
        f"move, so that links to the new address survive a later one: {command}"), True)


def _link(maker: PageMaker, path: str) -> str:
    """A root-relative link as the author wrote it (not percent-encoded)."""
    return unquote(maker.urls.link(path))


def _slug_line(post: Post) -> int:
    """Where the post's address is said: its ``slug`` line, else line 1, where its front matter (and a
    ``slug:`` written to change the address) starts."""
    return post.lines.get("slug", 1)

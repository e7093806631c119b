"""What a build can tell is wrong once the site is planned, said before anything is rendered.

Errors stop the build: raw HTML left unbalanced in an essay, a note, the bio or a series description, an
alias whose address another page or file has, and a published version the last build wrote that the site
lost (a version file, or a whole post with its archive).
Warnings do not: a tag spelt two ways, posts that moved without a record of it, a menu entry that leads
nowhere, and (for ``check``) when each scheduled post goes out; the links an author wrote that are wrong
are ``linkchecks.py``'s to say.  ``publish`` and ``revise`` ask the same questions of the note they are
about to record.
"""
from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable, Iterable
from datetime import datetime, time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import CACHE_DIR
from ..errors import Report
from ..model.series import overdue
from ..model.slugs import slugify, usual_spelling
from ..model.types import Post, Site, Version
from ..output.render import Page
from ..source.files import read_start
from ..source.load import VERSIONS_SUFFIX
from ..source.textcheck import markdown_problem
from ..source.tomlfile import read_toml
from ..text.markdown import plain_text, render
from ..text.markup import unbalanced_lines
from . import urls as U
from .linkchecks import authored_markdown, check_links, check_site_texts, site_texts
from .maker import PageMaker, menu_post
from .redirects import alias_problems, move_problems, unrecorded_move

log = logging.getLogger(__name__)


def check_site(maker: PageMaker, pages: list[Page], report: Report, schedule: bool = False) -> None:
    """Every check of a planned site, into ``report`` (``schedule``: say when scheduled posts go out)."""
    check_links(maker, report)
    check_site_texts(maker, report)
    report.items.extend(move_problems(maker, pages))
    report.items.extend(alias_problems(maker, pages))
    check_markup(maker, report)
    check_menu(maker, pages, report)
    check_plans(maker.site, report)
    check_tags(maker.site, report)
    check_unrecorded_edits(maker, report)
    if schedule:
        report_schedule(maker.site, report)


def check_unrecorded_edits(maker: PageMaker, report: Report) -> None:
    """A warning for a published post changed since its last version was recorded: readers get words no
    version keeps until ``revise`` records them.  And for a post scheduled with ``publish --at`` and changed
    since: it would go out as it stands, while its version 1, its permanent first text, would hold words no
    reader saw; or moved since (its series renamed): the build that takes it out would send readers on from
    where version 1 says it was, an address no reader had.  A build with ``--future`` shows the post, and says
    a move as of any post."""
    site = maker.site
    for post in [*site.held_back, *site.posts.values()]:
        if post.status != "future" or len(post.versions) != 1:
            continue
        if post.moved_on():
            report.warn(post.path, 0, "changed since `publish` recorded it as version 1 for its day: run "
                        f"`feuilleton publish {post.shown}` again, so that version 1 is the text that goes out")
        elif post.key not in site.posts and (moved := unrecorded_move(maker, post)) is not None:
            report.items.append(moved)  # a preview says it with the moves of the posts it shows
    for post in site.posts.values():
        if (edited := unrecorded_edit(post)) is not None:
            report.warn(post.path, 0, edited)


def unrecorded_edit(post: Post) -> str | None:
    """The warning for a published post changed since its last version was recorded, whose text no version
    holds (None for any other): ``revise`` records it now, and does not say it."""
    if post.status != "published" or not post.moved_on() or _only_spacing(post):
        return None
    first = post.versions[0]
    if len(post.versions) == 1 and first.recorded and first.recorded < first.date:  # an unattended build took it out
        return (f"went out at {first.date.isoformat()} changed since `publish` recorded it as version 1 for its day, "
                f"so readers have text no version records: run `feuilleton revise {post.shown}` to record it (with "
                "--minor for words mended)")
    # edited and not revised: the feeds carry the new words in full, with no note and no new date
    return (f"changed since version {post.versions[-1].number} was recorded: readers get the new text with no note, "
            f"and no version keeps it; run `feuilleton revise {post.shown} --note \"…\"` to record it (or `--minor` "
            "for words mended)")


def _only_spacing(post: Post) -> bool:
    """Whether the text differs from its last version only in the spaces and line ends between its words (a
    paragraph wrapped anew, blank lines at the end), which no reader sees: not worth a revision's word."""
    last = post.versions[-1]
    return last.title == post.title and str(last.body).split() == str(post.body).split()


def check_tags(site: Site, report: Report) -> None:
    """A warning at each post whose tag is spelt otherwise than the same tag on other posts (``Law`` and
    ``law``, ``first sale`` and ``first-sale``): they are two tags, with two pages that look alike.  The pages
    stay apart (their addresses are out there), so the author decides which spelling is the tag."""
    spellings: dict[str, dict[str, list[Post]]] = {}
    for post in site.posts.values():
        for name in post.tags:
            spellings.setdefault(slugify(name, site.config.slug_ascii), {}).setdefault(name, []).append(post)
    for slug, names in spellings.items():
        if len(names) < 2:
            continue
        usual = usual_spelling({name: len(posts) for name, posts in names.items()}, slug)
        for name, posts in sorted(names.items()):
            if name == usual:
                continue
            for post in posts:
                others = sum(other is not post for other in names[usual])
                where = f"on {others} other post{'s' if others > 1 else ''}" if others else "on this post too"
                report.warn(post.path, post.line("tags"), f"tag `{name}` is spelt `{usual}` {where}, and each "
                            "spelling makes a tag page of its own: spell them alike to make one")


def lost_versions(site: Site, published: Callable[[Post, str], bool],
                  owned: Iterable[tuple[str, str]] = ()) -> list[tuple[Post, int, str]]:
    """Each version a post no longer has whose page is out there (``published(post, output path)``: in the
    last build's ``output/``, on a deploy's target, as that post's), with the site path of that page: a
    version file lost, or the post and its archive put back to an older state (``git checkout``).  Where the
    post is now, and, among the version pages ``owned`` (output path, its post's feed id), where a recorded
    move since undone had taken it."""
    found = []
    for post in site.posts.values():
        number = len(post.versions) + 1
        while published(post, U.output_path(U.version_path(post, number))):
            found.append((post, number, U.version_path(post, number)))
            number += 1
    live = {post.entry_id: post for post in site.posts.values()}
    for path, entry_id in sorted(owned):
        number, post = U.version_number(path), live.get(entry_id)
        if number and post and number > len(post.versions) and not path.startswith(U.post_path(post)) \
                and published(post, path):
            found.append((post, number, U.site_path(path)))
    return found


_MARKER = re.compile(rb'<!--feuilleton-version="([0-9a-f]+) ([^"]*)"-->')
MARK_BYTES = 65536
"""How much of a version page is read for what it shows: its mark is the line after its doctype, and on a page
an earlier Feuilleton wrote without one, the date in its banner (``banner_date``) comes after the page's head
and menu."""
_BANNER = re.compile(rb'<div class="old-version-banner"[^>]*>.*?<time datetime="([^"]+)"', re.DOTALL)
_TIMES = re.compile(rb'<time datetime="([^"]+)"')


def with_marker(page: bytes, shown: str, owner: str) -> bytes:
    """A version page with what it shows marked in a comment after its doctype, whatever template rendered it:
    the digest of its title and text (``Version.shown_digest``) and its post's feed id, which the next build
    or deploy reads where the page stands (``version_marker``)."""
    mark = f'<!--feuilleton-version="{shown} {html.escape(owner)}"-->\n'.encode()
    head, found, rest = page.partition(b"\n") if page[:15].upper().startswith(b"<!DOCTYPE") else (b"", b"", page)
    return head + found + mark + rest


def version_marker(page: bytes | None) -> tuple[str, str] | None:
    """What a version page says it shows (``with_marker``): the digest of its title and text and its post's
    feed id; None for a page without the mark (written before it)."""
    found = _MARKER.search(page) if page else None
    return (found.group(1).decode(), html.unescape(found.group(2).decode("utf-8", "replace"))) if found else None


def banner_date(page: bytes | None) -> datetime | None:
    """The date a version page without a mark says it is of: its banner's first ``<time datetime>``, which every
    version of the theme has written since versions had pages; None where there is none or it cannot be read."""
    found = _BANNER.search(page) if page else None
    return _moment(found.group(1)) if found else None


def dated_otherwise(page: bytes | None, version: Version) -> bool:
    """Whether a version page without a mark, in the theme's banner, shows another version than ``version``: a
    version is recorded at the moment it is dated, so another text recorded under its number since (on another
    day, or at another time) has another date, which no ``<time>`` of the page shows.  A page's dates are to the
    second, and may be written in another offset (the site's zone changed); a day without a time is the same day
    at midnight in either zone (``dates.days_kept``)."""
    if banner_date(page) is None:
        return False
    date = version.date.replace(microsecond=0)
    return not any(shown == date or shown.time() == date.time() == time(0) and shown.date() == date.date()
                   for shown in map(_moment, _TIMES.findall(page or b"")) if shown is not None)


def theme_banner(site: Site) -> bool:
    """Whether the site's version pages have the theme's banner, whose first date is the version's: a
    ``templates/version.html`` of the author's own may show another date there, or none."""
    return not (site.config.source.parent / "templates" / "version.html").exists()


def _moment(written: bytes) -> datetime | None:
    """A ``<time datetime>``'s moment; None for one without an offset, or that cannot be read."""
    try:
        moment = datetime.fromisoformat(written.decode("ascii"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def replaced_versions(site: Site, texts: dict[str, str], owners: dict[str, str], published: Callable[[str], bool],
                      read: Callable[[str], bytes | None]) -> list[tuple[Post, int, str, bool]]:
    """Each version of a post whose page in ``output/`` (``published(output path)``) shows another title or
    text than the version the post now has under that number, with its site path, and whether that page was
    this post's: if so, the published version's file was lost and another recorded under its number, and
    writing the page again would change a public version without a word; if not, a deleted post's slug was
    given to a new one.  What a page shows is what the cache knows the last build wrote there (``texts``:
    ``Version.shown_digest`` of each page; ``owners``: its post's feed id), so that a build reads no page;
    else what the page's marker says (``read(output path)``: its first bytes); else, on a page an earlier
    Feuilleton wrote without a marker, the date its banner shows (``dated_otherwise``)."""
    found, banners = [], functools.cache(lambda: theme_banner(site))
    for post in site.posts.values():
        for version in post.versions:
            path = U.output_path(U.version_path(post, version.number))
            if texts.get(path) == version.shown_digest or not published(path):
                continue
            if path in texts:
                shown, owner = texts[path], owners.get(path)
                replaced = shown != version.shown_digest
            else:
                page = read(path)
                shown, owner = version_marker(page) or (None, None)
                replaced = shown != version.shown_digest if shown is not None else \
                    banners() and dated_otherwise(page, version)
            if replaced:
                found.append((post, version.number, U.version_path(post, version.number),
                              owner in (None, post.entry_id)))
    return found


def replaced_message(number: int, address: str, where: str) -> str:
    return (f"{where} version {number} ({address}) with another text than the version {number} this post now has: "
            "the published one was lost and another recorded under its number since. A published version is never "
            "changed: restore its version file from git or a backup, then record the new text again with "
            "`feuilleton revise`")


def check_published_versions(site: Site, out: Path, report: Report, pages: list[Page],
                             owners: dict[str, str], texts: dict[str, str], written: Iterable[str] = ()) -> None:
    """A version the last build published (its page is in ``out``) that the post no longer has stops the
    build: it would otherwise take a public version and its address away without a word.  A page this build
    writes again (``pages``: a redirect a moved post left), or one the last build wrote for another post
    (``owners``: each version page's post, by feed id, as the cache knows them; two parts swapped, a new post
    where a deleted one stood), is no version of this post's.  So does a post whose file and archive are
    both gone (``lost_posts``).

    With no ``out`` at all but the cache of the last build into it (a CI runner: a fresh checkout, the cache
    restored, the site uploaded from what this build writes), what that build wrote (``written``) is what was
    published: a version lost, or recorded again with another text, stops the build as well.  A post deleted
    whole, or an address changed, is said only where the last build's pages are there to read."""
    cached, written = not out.is_dir(), frozenset(written)
    if cached and not written:
        return
    there = written.__contains__ if cached else lambda path: (out / path).is_file()
    read = (lambda path: None) if cached else lambda path: read_start(out / path, MARK_BYTES)
    planned = functools.cache(lambda: {U.output_path(page.path) for page in pages})  # asked only for a page found

    def published(post: Post, path: str) -> bool:
        return there(path) and owners.get(path) in (None, post.entry_id) and path not in planned()
    named_posts = set()

    def lost(post: Post, number: int, page: str) -> None:
        if post.key in named_posts:  # the first version it lost is the one to name: the later go with it
            return
        named_posts.add(post.key)
        report.error(post.path, 0, lost_message(site, post, number, page, out, cached))
    for post, number, page in lost_versions(site, published, owners.items()):
        lost(post, number, page)
    for post, number, page, own in replaced_versions(site, texts, owners, there, read):
        if own:  # another post's page here is a deleted post's, which ``lost_posts`` names
            report.error(post.path, 0, replaced_message(number, f"/{page}", "the last build published") +
                         (f" (to mean it, delete {CACHE_DIR}/ as well, or clear the CI cache that restores it: the "
                          "next build then knows nothing of what was published)" if cached else
                          f" (to mean it, delete {out.name}/ as well: the next build writes the whole site anew)"))
    for pages in [] if cached else lost_posts(site, out, owners, planned):
        addresses = " and ".join(dict.fromkeys(f"/{page.removesuffix('/').rpartition('/')[0]}/" for page in pages))
        report.error(site.config.source.parent / site.config.posts_dir, 0,
                     f"the post at {addresses} is gone, with the pages of its published versions "
                     f"(the last build wrote /{pages[-1]}): no file in {site.config.posts_dir}/ is that post any "
                     f"more. Restore it (and its {VERSIONS_SUFFIX}/ folder, if that went too) from git or a backup, "
                     "since a published version is never taken back; to take the post off the site, set "
                     "`draft: true` in it; to delete it for "
                     f"good, delete {out.name}/ as well (the next build writes the whole site anew)")
    for post, page in taken_back(site, lambda path, post: owners.get(path) == post.entry_id and there(path)):
        report.error(post.path, post.line("date"), taken_back_message(site, post, page, "the last build",
                                                                      "this build's"))
    for post, pages in [] if cached else dropped_addresses(site, out, owners, planned):
        report.error(post.path, 0, f"the last build sent readers on from /{pages[0]}, an address this post had, "
                     f"and this build would not: the addresses of its versions are read from the `address:` lines "
                     f"in {post.path.stem}{VERSIONS_SUFFIX}/, so put back the one that changed, since a published "
                     f"version's address is never taken back (to mean it, delete {out.name}/ as well: the next build "
                     "writes the whole site anew)")


def lost_message(site: Site, post: Post, number: int, page: str, out: Path, cached: bool) -> str:
    """What to say of a post's published version ``number`` (at ``page``) that it no longer has: where it was
    published (``cached``: as the cache of the last build into ``out`` says, ``out`` being gone), and how git
    gives it back."""
    archive, named = f"{post.path.stem}{VERSIONS_SUFFIX}", f"version {number - 1}" if number > 1 else "none"
    lost = f"{post.shown.removesuffix(post.path.name)}{archive}/v{number}.md"
    where = f"the last build into {out.name}/ wrote /{page}, as {CACHE_DIR}/ records it" if cached else \
        f"the last build wrote /{page}"
    return (f"version {number} was published ({where}), but {archive}/v{number}.md is gone and the post names "
            f"{named}: restore them from git or a backup, since a published version is never taken back (`git log "
            f"--diff-filter=D -- {lost}` names the commit that took it: `git revert` that commit, or `git checkout "
            f"COMMIT^ -- {post.shown} {lost.rpartition('/')[0]}/`); to build an older state of the site on purpose, "
            "build it into another folder (--output)")


def _clock(moment: datetime, site: Site) -> str:
    """A moment as a clock message says it: in the site's zone, to the second, to set beside another."""
    return moment.astimezone(site.config.timezone).isoformat(timespec="seconds")


def taken_back(site: Site, published: Callable[[str, Post], bool]) -> list[tuple[Post, str]]:
    """Each post scheduled for later with a version page that is published (``published(path, post)``: by the
    last build, or on a deploy's target; its date had come by that clock), and the first such page: this
    clock is before that date (a machine's that lags, or SOURCE_DATE_EPOCH from an earlier commit), and would
    take the post off.  What to say of each is ``taken_back_message``."""
    found = []
    for post in site.held_back:
        if post.status != "future":
            continue
        pages = (U.output_path(U.version_path(post, version.number)) for version in post.versions)
        page = next((path for path in pages if published(path, post)), None)
        if page is not None:
            found.append((post, page))
    return found


def taken_back_message(site: Site, post: Post, page: str, published_by: str, clock_of: str) -> str:
    return (f"{published_by} published it (/{page}), but {clock_of} clock says {_clock(site.now, site)}, before its "
            f"date ({_clock(post.date, site)}), and would take it off: a published post is never taken back. Check "
            "this machine's clock, or SOURCE_DATE_EPOCH (it must not be earlier than the build that published it)")


def dropped_addresses(site: Site, out: Path, owners: dict[str, str],
                      planned: Callable[[], set[str]]) -> list[tuple[Post, list[str]]]:
    """For each post on the site whose version pages the last build wrote into ``out`` at an address its
    versions recorded (pages that sent readers on), the pages of those that this build writes nowhere: the
    ``address:`` of a version edited, which nothing else would say.  Pages the post had at an address no
    version recorded (a move never recorded, then undone) were never promised."""
    live = {post.entry_id: post for post in site.posts.values()}
    found: dict[str, tuple[Post, list[str]]] = {}
    for path, entry_id in sorted(owners.items()):
        post = live.get(entry_id)
        if post is None or path.startswith(U.post_path(post)) or path in planned() or not _sent_on(out / path):
            continue  # a version lost where the post is now is ``lost_versions``' to say
        found.setdefault(post.key, (post, []))[1].append(U.site_path(path))
    return list(found.values())


_REFRESH = re.compile(rb"""http-equiv\s*=\s*["']?refresh""", re.IGNORECASE)
"""A page's ``<meta http-equiv="refresh">``, however a site's own ``redirect.html`` writes it."""


def _sent_on(page: Path) -> bool:
    """Whether a page of the last build is one that sends readers on (a redirect page)."""
    try:
        return page.is_file() and _REFRESH.search(page.read_bytes()) is not None
    except OSError:
        return False


def lost_posts(site: Site, out: Path, owners: dict[str, str], planned: Callable[[], set[str]]) -> list[list[str]]:
    """For each post whose version pages the last build wrote into ``out`` (``owners``: page → the post's
    feed id) that no post of the site, out or held back, is now: those pages still there (``slug/v2/``)."""
    present = {post.entry_id for post in site.posts.values()} | {post.entry_id for post in site.held_back}
    lost: dict[str, list[str]] = {}
    for path, entry_id in sorted(owners.items()):
        if entry_id not in present and path not in planned() and (out / path).is_file():
            lost.setdefault(entry_id, []).append(U.site_path(path))
    return list(lost.values())


def note_problem(note: str) -> tuple[int, str] | None:
    """``(line, what is wrong)`` for a revision note no page can carry: a character no page or feed
    takes, raw HTML left open, or (line 0: the note as a whole) no words a reader would see."""
    bad = markdown_problem(note)
    html = render(note) if not bad and note.strip() else ""
    if not bad and "<" in note:
        bad = next(iter(unbalanced_lines(note, html)), None)
    if bad:
        return bad
    if note.strip() and "<img" not in html and not any(c.isalnum() for c in plain_text(html)):
        return 0, "shows readers no words (only marks, spaces or a comment); say what changed"
    return None


def report_schedule(site: Site, report: Report) -> None:
    """For ``check``: when each future-dated post will go out."""
    zone = site.config.timezone
    for post in sorted(site.held_back, key=lambda p: p.date):
        if post.status != "future":
            continue
        what = f"part {post.part} of `{post.series}`" if post.series and post.part else "this post"
        when = post.date.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        report.warn(post.path, post.line("date"), f"{what} is dated {when}: it is published by the first "
                    "build after that moment (run `feuilleton build` then, or use --future to preview it)")


def check_plans(site: Site, report: Report) -> None:
    """Warn, at its ``date`` in ``series.toml``, of a planned part whose date has passed: readers now read
    that it "was planned for" that day (a part scheduled by its own file's date is published when that
    moment comes)."""
    zone = site.config.timezone
    for series in site.series.values():
        for planned in series.planned:
            if planned.date_line and overdue(planned.date, site.now, zone):
                day = planned.date.astimezone(zone).strftime("%Y-%m-%d")
                report.warn(series.source, planned.date_line,
                            f"part {planned.number} (\"{planned.title}\") was planned for {day}, which has passed: "
                            "readers are told it is late; publish the part or give it a new `date`")


def check_markup(maker: PageMaker, report: Report) -> None:
    """Unbalanced raw HTML in an essay, a note, the author's bio or a series description would break
    the pages that show it: an error, with its line (a TOML value's: the line its key is on); in a post
    scheduled for later, a warning now, since the build that publishes it would stop."""
    scheduled = [post for post in maker.site.held_back if post.status == "future"]
    for post in [*maker.site.posts.values(), *scheduled]:
        later = post.status == "future" and post.key not in maker.site.posts
        for source, first, path, _ in authored_markdown(post):
            text = str(source)
            if "<" not in text:
                continue
            for line, problem in unbalanced_lines(text, str(maker.cached.markdown(source)))[:3]:
                if later:  # not out yet, but the build that publishes it would stop here, with no one watching
                    when = post.date.astimezone(maker.config.timezone).strftime("%Y-%m-%d %H:%M")
                    report.warn(path, (first or 1) + line - 1, f"{problem}; this post is scheduled for {when}, and "
                                "the build that publishes it would stop here: mend it now")
                else:
                    report.error(path, (first or 1) + line - 1, problem)
    for text, _, path, keys, _ in site_texts(maker):
        if "<" in text:
            for _, problem in unbalanced_lines(text, str(maker.cached.markdown(text)))[:1]:
                report.error(path, read_toml(path, report.where(path)).line(*keys), f"`{'.'.join(keys)}`: {problem}")


def check_menu(maker: PageMaker, pages: list[Page], report: Report) -> None:
    """Warn about a ``[[menu]]`` entry that leads nowhere: a post file this build does not show, or a
    site path ending in ``/`` that no page has."""
    paths = {page.path for page in pages}
    for entry in maker.config.menu:
        if entry.post_file and menu_post(maker.site, entry) is None:
            report.warn(maker.config.source, entry.line, f"[[menu]] `url` {entry.url} is no post this build shows "
                        "(missing, a draft or scheduled for later): the entry is left out of the navigation")
        elif entry.url.startswith("/"):
            path = unquote(urlsplit(entry.url).path)[1:]
            if path.endswith("/") or not path:
                if path not in paths:
                    report.warn(maker.config.source, entry.line, f"[[menu]] `url` {entry.url} is no page of the site: "
                                "its link leads to the 404 page")

"""Links an author wrote that a build can tell are wrong, said as warnings with their file and line: a
``part:`` reference to a part neither out nor planned (or not out when the post's last version was recorded, and
leading now to another part than the one it announced), a link into the site at nothing this build writes (or
at a section a page lacks), and, on a site living below a domain's root, a link that leaves it, in an essay,
a note, the author's bio or a series' description.  ``revise`` asks the same of the note it records."""
from __future__ import annotations

import logging
import posixpath
import re
import shlex
from collections.abc import Collection
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Diagnostic, Report
from ..model.packed import Packed
from ..model.types import Post, Version
from ..source.tomlfile import read_toml
from ..text.footnotes import footnote_problems
from ..text.markdown import RESERVED_IDS, source_lines
from ..text.parts import moment, part_problems
from . import urls as U
from .maker import PageMaker, written
from .redirects import unrecorded_move, unrecorded_part

log = logging.getLogger(__name__)


def authored_markdown(post) -> list[tuple[str | Packed, int, Path, Version | None]]:
    """The Markdown an author wrote for a post — its essay (packed, as the Markdown cache knows it) and its
    notes — with where each starts, and the version a note was recorded with (whose address its relative
    links are read from, and whose series its ``part:`` links name parts of)."""
    return [(post.body, post.body_line, post.path, None)] + [(v.note, v.note_line, v.path, v)
                                                            for v in post.versions if v.note]


def _read_at(maker: PageMaker, post: Post, version: Version | None) -> tuple[str, str | None]:
    """Where a text of ``post`` is read from: the post's page and series, or the address and series a
    note's version was recorded at."""
    if version is None:
        return U.post_path(post), post.series
    return written(post, version).at, maker.parts.recorded_series(post, version)


def site_texts(maker: PageMaker) -> list[tuple[str, str, Path, tuple[str, ...], str]]:
    """The Markdown an author wrote for the whole site: the bio and each series' description, each with the
    site path it is read from, its TOML file, its key there, and what that page is, for a message."""
    config = maker.config
    texts = [(config.author.bio, U.HOME, config.source, ("author", "bio"), "the home page")]
    texts += [(series.description, U.series_path(slug), series.source, ("description",), "the series' page")
              for slug, series in maker.site.series.items()]
    return texts


def check_links(maker: PageMaker, report: Report) -> None:
    """Warn, with file and line, about the links a build can tell are wrong (``link_problems``)."""
    for post in maker.site.posts.values():
        for text, first, path, version in authored_markdown(post):
            found = link_problems(maker, post, text, *_read_at(maker, post, version)) + footnote_problems(
                str(maker.cached.markdown(text)), text, "essay" if text is post.body else "note")
            found += announced_parts(maker, post) if text is post.body else []
            if not found:
                continue
            lines = source_lines(str(text), first or 1, [needle for needle, _ in found])
            for line, (_, problem) in zip(lines, found):
                report.warn(path, line, problem)


def check_targets(maker: PageMaker, files: Collection[str], report: Report) -> None:
    """Warn, with file and line, about each link or image in a post's essay or notes that points into the site
    at nothing this build writes (``files``: every output path).  A file lying beside the post (``map.png``
    next to ``part-1.md``) is named: ``posts/`` is not published, ``static/`` is.  A scheduled post's address
    is no warning (it appears when the post goes out); a draft's is."""
    targets = _Targets(maker, files)
    for post in maker.site.posts.values():
        for text, first, path, version in authored_markdown(post):
            found = targets.problems(post, text, _read_at(maker, post, version)[0])
            if found:
                lines = source_lines(str(text), first or 1, [u for u, _ in found])
                for line, (_, problem) in zip(lines, found):
                    report.warn(path, line, problem)


def note_targets(maker: PageMaker, post: Post, note: str, files: Collection[str]) -> list[tuple[str, str]]:
    """``check_targets``' warnings for a note not yet recorded (``revise`` says them before the note is sealed
    in its version), with what to look for in the note to find each one's line."""
    return _Targets(maker, files).problems(post, note)


class _Targets:
    """What ``check_targets`` asks of each text: the site's files, its scheduled posts, its sections."""

    def __init__(self, maker: PageMaker, files: Collection[str]):
        self.maker, self.files = maker, files
        self.later = {U.output_path(U.post_path(p)): p for p in maker.site.held_back}
        self.sections = _Sections(maker)

    def problems(self, post: Post, text: str | Packed, at: str | None = None) -> list[tuple[str, str]]:
        """``(what to look for in the text, the warning)`` for each link of ``text``, an essay or note of ``post``
        (read from the site path ``at``: the post's, unless a note was recorded elsewhere), into the site at
        nothing this build writes."""
        maker, files, sections, later = self.maker, self.files, self.sections, self.later
        base = maker.urls.base_path
        page = maker.urls.link(U.post_path(post) if at is None else at)
        fragment = maker.cached.markdown(text)
        found = [(f"part:{target}", problem) for target in fragment.parts if "#" in target
                 for problem in [sections.part_problem(target, post)] if problem]
        essay = text is post.body and post.status == "published"
        if not (fragment.local or found or essay):  # known without unpacking the HTML
            return found
        html = str(fragment)
        if essay and _OWN_SECTION.search(html):  # the essay's links to sections of its own page
            found += [(url, f"link to {unquote(unescape(url))} leads to no section of this page: a heading's "
                       "id is its text in lower case, words joined by -; check the heading")
                      for url in dict.fromkeys(u for u in U.addresses(html) if u.startswith("#") and len(u) > 1)
                      if unquote(unescape(url[1:])) not in sections.own(post)]
        for url in dict.fromkeys(filter(U.is_local, U.addresses(html) if fragment.local else ())):
            parts = urlsplit(U.join(page, unescape(url)))
            target = unquote(parts.path)
            if not target.startswith(base) or target.startswith(base + U.SEARCH_INDEX):
                continue  # leaving the site is ``link_problems``'s to say; the search index is made last
            within = target[len(base):]
            if any(name in files for name in (U.output_path(within), within + "/index.html")):
                missing = sections.missing(within, unquote(parts.fragment), unquote(unescape(url)))
                if missing:
                    found.append((url, missing))
                continue
            held = later.get(U.output_path(within)) or later.get(within + "/index.html")
            if held is not None and held.status == "future":
                continue
            beside = post.path.parent / unquote(url.split("#")[0].split("?")[0])
            shown = unquote(unescape(url))  # as written: ``{filename}``, not the page's ``%7Bfilename%7D``
            if held is not None:
                problem = (f"link to {shown} leads to {held.shown}, which is not published: readers find "
                           "nothing there")
            elif not url.startswith(("/", ".")) and beside.is_file():
                problem = (f"{shown} lies beside the post, but posts/ is not published: move it into static/ and "
                           f"write {posixpath.relpath(base + url, page)} (static/ is copied to the site's root)")
            else:
                problem = f"link to {shown} leads to nothing on the site: no page or file of this build is {target}"
            found.append((url, problem))
        return found


_OWN_SECTION = re.compile(r'href="#(?!fn-|fnref-)')
"""A link to a section of the page it is on, other than a footnote's (which Markdown itself made)."""
_ANCHOR_NAME = re.compile(r"""<a\s[^>]*?\bname=["']?([^"'\s>]+)""", re.IGNORECASE)
"""An anchor named the old way (``<a name="x">``), which a browser scrolls to for ``#x``."""


class _Sections:
    """The ids of the posts' pages, read when a link names one (``../part-1/#the-holding``), to tell a link to a
    section that is not there: a heading renamed, or an id mistyped, leaves the reader at the top of the page
    (and a book whose link leads nowhere fails epubcheck)."""

    def __init__(self, maker: PageMaker):
        self.maker = maker
        self.pages = {U.output_path(U.post_path(p)): p for p in maker.site.posts.values() if p.status == "published"}
        self.ids: dict[str, set[str]] = {}

    def _ids(self, post: Post) -> set[str]:
        found = self.ids.get(post.key)
        if found is None:
            html = str(self.maker.essay(post))  # an <a name>, which browsers (and the book, as an id) follow
            found = self.ids[post.key] = U.ids_of(html) | set(_ANCHOR_NAME.findall(html)) | RESERVED_IDS
        return found

    def own(self, post: Post) -> set[str]:
        """The ids a link from the post's essay to a section of its own page may name."""
        return self._ids(post)

    def missing(self, within: str, section: str, shown: str) -> str | None:
        post = self.pages.get(U.output_path(within)) or self.pages.get(within + "/index.html")
        if not section or post is None or section in self._ids(post):
            return None
        return (f"link to {shown} leads to {post.shown}, which has no section #{section}: a heading's id is its "
                "text in lower case, words joined by -; check the heading, or link to the page alone")

    def part_problem(self, target: str, post: Post) -> str | None:
        found = self.maker.parts.target(target, post.series)
        key = self.maker.site.series[found[0]].parts if found and found[0] in self.maker.site.series else ()
        part = next((self.maker.site.posts[k] for k in key if self.maker.site.posts[k].part == found[1]), None)
        section = unquote(target.partition("#")[2])
        if part is None or not section or section in self._ids(part):
            return None
        return (f"`part:{target}` leads to {part.shown}, which has no section #{section}: a heading's id is its "
                "text in lower case, words joined by -; check the heading, or leave the section out")


def link_problems(maker: PageMaker, post: Post, text: str | Packed, at: str | None = None,
                  series: str | None = None) -> list[tuple[str, str]]:
    """``(what to look for in the text to find its line, the warning)`` for each wrong link in ``text``, an
    essay or note of ``post``: a ``part:`` link to a part neither out nor planned, and, on a site living
    below a domain's root (``base_url`` with a path), a link that leaves it: ``/img/map.png``, or
    ``../../img/map.png`` climbing out, on a site at ``/essays/``.  Such a link works nowhere but in a
    preview that serves the site at the root, which ``serve`` does not.  ``at`` and ``series``: where and in
    which series the text is read (a note recorded elsewhere: its version's), else the post's."""
    html = maker.cached.markdown(text)
    found = part_problems(maker.parts, html.parts, post.series if at is None else series)
    if "/" in text:
        found += leaving_links(maker, str(html), U.post_path(post) if at is None else at, "this post")
    return found


def announced_parts(maker: PageMaker, post: Post) -> list[tuple[str, str]]:
    """``(what to look for in the text to find its line, the warning)`` for each ``part:`` reference of a post's
    text, as its last version has it too, that named a part not out yet when that version was recorded, and
    leads now to a part that came out as another (parts inserted before it, renumbered): not the part it
    announced, which the version keeps forthcoming, while the post's page follows the numbers as they are now."""
    referred = maker.cached.markdown(post.body).parts
    if post.status == "draft" or not post.versions or not referred:
        return []
    last = post.versions[-1]
    recorded = maker.cached.markdown(last.body).parts
    kept = [target for target in dict.fromkeys(referred) if target in recorded]
    then = maker.parts.resolver(maker.recorded_series(post, last), moment(last))
    now = maker.parts.resolver(post.series)
    found = []
    for target in kept:
        url = now(target)[0]
        if url is None or then(target)[0] is not None:
            continue
        led = _led_to(maker, url)
        named = led.shown if led is not None else url.partition("#")[0]
        found.append((f"part:{target}", (
            f"`part:{target}` now leads to {named}, which came out as another part (renumbered or moved here since): "
            f"when version {last.number} was recorded, the part it names was not out yet, and version {last.number} "
            f"keeps it forthcoming; point the reference at the part you mean (then `feuilleton revise {post.shown} "
            f"--minor --note \"…\"`), or, if it is this one, say so in a note: `feuilleton revise {post.shown} "
            "--note \"…\"`")))
    return found


def unrecorded_referred(maker: PageMaker, post: Post, together: frozenset[Path] = frozenset()
                        ) -> list[tuple[str, str]]:
    """``(what to look for in the text, the error)`` for each ``part:`` reference of ``post``'s text that leads
    to another part whose new number or address is not recorded yet (``redirects.unrecorded_part``,
    ``unrecorded_move``): a version reads its references by the parts' records as of its date, so one recorded
    now would show that part forthcoming, or lead elsewhere, for good, where the site shows it.  A part
    recorded at the same moment by the same command (``together``, by file) is no such part; where the two
    refer to each other (a series folder renamed), each waiting for the other, the error says to record both
    so."""
    found = []
    for target, other, said in _unrecorded_targets(maker, post):
        if other.path in together:
            continue
        what, _, command = said.message.partition("; ")
        command = command.rpartition(": ")[2]
        if any(back is post for _, back, _ in _unrecorded_targets(maker, other)):
            command = re.sub(r"^feuilleton revise \S+", lambda m: f"{m.group(0)} {shlex.quote(post.shown)}", command)
            first = "Record both at once"
        else:
            first = "Record it first"
        found.append((f"part:{target}", (
            f"`part:{target}` leads to {other.shown}, which {what}: the version recorded now would read the "
            f"reference by that record, not as the site shows it. {first}: {command}")))
    return found


def _unrecorded_targets(maker: PageMaker, post: Post) -> list[tuple[str, Post, Diagnostic]]:
    """Each ``part:`` reference of ``post``'s text that leads to another part whose new number or address is
    not recorded yet: the reference, that part and the warning of it."""
    resolve, found = maker.parts.resolver(post.series), []
    for target in dict.fromkeys(maker.cached.markdown(post.body).parts):
        url = resolve(target)[0]
        other = _led_to(maker, url) if url else None
        said = (unrecorded_part(maker, other) or unrecorded_move(maker, other)) if other not in (None, post) else None
        if other is not None and said is not None:
            found.append((target, other, said))
    return found


def _led_to(maker: PageMaker, url: str) -> Post | None:
    """The post whose page a link a ``part:`` reference became leads to (its section aside)."""
    page = url.partition("#")[0]
    return next((p for p in maker.site.posts.values() if maker.urls.link(U.post_path(p)) == page), None)


def leaving_links(maker: PageMaker, html: str, page: str, what: str) -> list[tuple[str, str]]:
    """``(link, warning)`` for each link in ``html``, a text shown as read from the site path ``page``
    (``what`` it is, for the warning), that leaves a site living below a domain's root."""
    base = maker.urls.base_path
    if base == "/":
        return []
    found, page = [], maker.urls.link(page)
    written = urlsplit(maker.config.written_base_url).path if maker.config.written_base_url else base
    where = (f"this build puts at {base} (--base-url; config.toml's base_url, at {written})" if written != base
             else f"lives at {base} (base_url)")
    for url in dict.fromkeys(filter(U.is_local, U.addresses(html))):
        parts = urlsplit(U.join(page, unescape(url)))
        target = parts.path
        if not target.startswith(base) and target + "/" != base:
            meant = "" if target + "/" == written else \
                target[len(written):] if written != base and target.startswith(written) else target[1:]
            relative = posixpath.relpath(base + meant, page) + ("/" if not meant or meant.endswith("/") else "")
            relative += ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
            found.append((url, f"link to {url} leaves the site, which {where}: write {relative}, relative to {what}, "
                               "which stays inside the site wherever it lives"))
    return found


def check_site_texts(maker: PageMaker, report: Report) -> None:
    """Warn, at its key's line, of a link in the author's bio or a series' description that leaves a site
    living below a domain's root: they are shown on many pages, read from the home page and the series'."""
    for text, page, source, key, what in site_texts(maker):
        found = leaving_links(maker, str(maker.cached.markdown(text)), page, what) if "/" in text else []
        if found:
            toml = read_toml(source, maker.source_name(source))
            for _, problem in found:
                report.warn(source, toml.line(*key), problem)

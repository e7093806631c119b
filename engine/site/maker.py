"""``PageMaker``: the site's views, made once for every page (a post's, a series', the site's own facts),
and the Markdown of every text as it is shown on this site.

Planning (``pages.py``), the feeds, the books, ``serve``'s fast path and ``revise``'s preview all take
their views from one maker.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup

from ..config import MenuEntry
from ..locale import Translations, cldr_locale, translations, words_key
from ..locale.grammar import agreeing
from ..locale.marks import localize, localize_labels, translates_labels
from ..model.dates import show_date
from ..model.packed import Packed
from ..model.types import Post, Site, Version
from ..speed.parallel import check_cancelled
from ..text.diff import Diff
from ..text.fragment import Fragment, Resolved
from ..text.markdown import summarize
from ..text.parts import Moment, PartIndex, Resolve, address_parts, moment, read_in, resolve_parts
from ..text.quotes import Marks, marks_for
from ..text.smart import smart, smart_inside
from . import urls as U
from .images import local_sizes, sized
from .moves import renamed_series
from .views import Link, PostView, all_changes, continuation, notes, previous_next, series_view

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Meta:
    """What the ``<head>`` of a page needs."""

    title: str
    url: str
    canonical: str
    description: str
    kind: str
    """Open Graph type: "website" or "article"."""
    noindex: bool = False
    feeds: tuple[tuple[str, str, str], ...] = ()
    """``(kind, title, url)`` for autodiscovery."""
    json_ld: Markup = Markup("")
    see_also: tuple[str, ...] = ()
    section: str = ""
    """The site navigation's link this page lies under, when it is not one itself (a series page lies
    under the series index)."""
    search: bool = False
    """The page holds a post's current text, which site search finds (``data-pagefind-body``)."""


@dataclass(frozen=True)
class SiteView:
    """Site-wide facts every template may use."""

    title: str
    description: str
    language: str
    base_url: str
    home: str
    author: str
    bio: Fragment
    copyright: str
    style: str
    nav: tuple[Link, ...]
    feeds: tuple[tuple[str, str, str], ...]

    @property
    def origin(self) -> str:
        """The scheme and host of ``base_url``: what a root-relative link needs to be followed from paper."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Cached:
    """What planning needs from the build: cached rendering and diffs."""

    markdown: Callable[[str], Fragment]
    diff: Callable[[Fragment, Fragment], Diff]
    value: Callable[..., Any]
    """``value(name, fn, *args)``: ``fn(*args)``, remembered between builds."""
    values: Callable[[str, Callable[..., Any], list[tuple]], list[Any]]
    """``values(name, fn, calls)``: ``value(name, fn, *args)`` for each ``args``, worked out at once, on
    all cores."""


_FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


def feed_links(urls: U.Urls, prefix: str, title: str) -> tuple[tuple[str, str, str], ...]:
    names = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
    return tuple((_FEED_TYPES[k], f"{title} ({names[k]})", urls.absolute(U.feed_path(prefix, k))) for k in U.FEEDS)


def json_ld(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def own_anchors(html: Fragment, prefix: str) -> Fragment:
    """A text shown beside an essay on its page (the bio, a series' description) with the anchors it gives
    (its footnotes', its headings') and its links to them named apart: ``[^a]`` in the bio and in the essay
    were one id twice, and the bio's mark led to the essay's note."""
    return Fragment(U.prefix_anchors(str(html), prefix, own=True)) if ' id="' in str(html) else html


class Written(NamedTuple):
    """When and where a recorded text was written: its ``part:`` links lead where they led then, and its
    relative links are read from the address it had."""

    when: Moment
    at: str
    """The site path of the post's page then (``series/slug/``)."""


def written(post: Post, version: Version) -> Written:
    """When and where a version of ``post`` was recorded: its ``address``, or, for one recorded before
    addresses were written down, the address the post's moves place it at (where the post is, if none)."""
    at = version.address or min(((newest, old) for old, newest in post.moved_from if newest >= version.number),
                                default=(0, U.post_path(post)))[1]
    return Written(moment(version), at)


def _addressed(fragment: Fragment, resolve: Resolve, series: str | None) -> Fragment:
    """``fragment`` with its ``part:`` links led where ``resolve`` says (``parts.address_parts``), worked out only
    when its text is read (a diff the cache does not hold): its digest is the fragment's and where each of its
    targets leads, which the targets it holds, found when it was made, tell without unpacking it."""
    led = [(raw, resolve(raw)[0], read_in(raw, series)) for raw in dict.fromkeys(fragment.parts)]
    return Resolved(fragment, lambda text: address_parts(text, resolve, series), repr(led).encode())


class PageMaker:
    """Builds views once, then lists every page."""

    def __init__(self, site: Site, cached: Cached):
        self.site, self.cached = site, cached
        self.config = site.config
        self.catalogs: dict[str, Translations] = {}
        # a post's site path → its own language, for the words the engine writes into its text
        self.languages = {U.post_path(post): post.language for post in site.posts.values() if post.language}
        self.urls = U.Urls(site.config.base_url)
        self.parts = PartIndex(site, lambda post: self.urls.link(U.post_path(post)),
                               {old.removesuffix("/"): new for old, new in renamed_series(site).items()})
        self.tag_slugs = U.tag_slugs(site)
        self.rendered: dict[tuple[str, str | None, str, Written | None], Fragment] = {}
        self.site_prefix = str(site.config.source.parent).rstrip("/") + "/"
        self.summarize_all()
        def description(text: str, series: str | None, page: str) -> Fragment:  # shown beside a part's essay
            return own_anchors(self.markdown(text, series, page), f"series-{page.strip('/').replace('/', '-')}-")
        self.series_views = {slug: series_view(site, s, self.urls, description,
                                               lambda p: self.smart(p.summary, p.language)
                                               or self.summary(self.essay(p)))
                             for slug, s in site.series.items()}
        self.posts = {key: self.post_view(site.posts[key]) for key in site.order}
        feeds = feed_links(self.urls, "", site.config.title)
        self.text = self.words(site.config.language)
        gettext = self.text.gettext
        nav = (Link(gettext("Home"), self.urls.link(U.HOME)), Link(gettext("Series"), self.urls.link(U.SERIES_INDEX)),
               Link(gettext("Archive"), self.urls.link(U.ARCHIVE)), Link(gettext("Updates"), self.urls.link(U.UPDATES)),
               Link(gettext("Tags"), self.urls.link(U.TAGS))) \
            + ((Link(gettext("Search"), self.urls.link(U.SEARCH)),) if site.config.search else ()) \
            + menu_links(site, self.urls)
        self.site_view = SiteView(site.config.title, site.config.description, site.config.language,
                                  site.config.base_url, self.urls.link(U.HOME), site.config.author.name,
                                  own_anchors(self.markdown(site.config.author.bio, None, U.HOME), "bio-"),
                                  site.config.copyright,
                                  self.urls.link(U.STYLE), nav, feeds)

    def markdown(self, text: str | Packed, series: str | None, page: str,
                 recorded: Written | None = None, language: str | None = None) -> Fragment:
        """Rendered Markdown as it is shown: its ``part:`` links resolved against this site, and its relative
        links read from ``page``, the site path of the page the text belongs to (a post's, for its essay and
        notes), wherever it is shown; a text ``recorded`` in a version, as they led when and where it was.
        One object per text, however often it is shown (an essay's notes appear on the page of every
        version).  Its language is its page's post's, or ``language`` (a version's, as recorded)."""
        found = self.rendered.get((text, series, page, recorded, language))
        if found is None:
            said = self.languages.get(page, "") if language is None else language
            found = self.cached.markdown(text, _marks(said))
            sizes = self._sizes(found, recorded.at if recorded else page) if found.images else {}
            labels = found.labelled and translates_labels(self.words(said))
            if found.parts or found.relative or sizes or labels:
                found = Resolved(found, *self._rewriter(found, series, page, sizes, recorded, said))
            self.rendered[text, series, page, recorded, language] = found
        return found

    def essay(self, post: Post, body: Packed | None = None) -> Fragment:
        """A post's essay as shown (``body``: another text of it, such as a recorded version's)."""
        return self.markdown(post.body if body is None else body, post.series, U.post_path(post))

    def note(self, text: str, post: Post, number: int) -> Fragment:
        """A revision note as shown, its own anchors (its footnotes, its headings) named after its post and
        version: a page shows several notes beside the essay, and the updates page the notes of many posts.
        Its footnotes' region is named so too ("Footnotes: An essay, version 3"), a landmark of its own.  Its
        links lead where they led when it was recorded, as its version's text's do, on every page."""
        path = U.post_path(post)
        version = post.versions[number - 1] if 0 < number <= len(post.versions) else None
        html = self.markdown(text, self.recorded_series(post, version) if version else post.series, path,
                             written(post, version) if version else None)
        if ' id="' not in str(html):
            return html
        shown = U.prefix_anchors(str(html), f"note-{path.strip('/').replace('/', '-')}-{number}-", own=True)
        if '<section class="footnotes"' in shown:
            words = self.words(post.language)
            number_said = words.gettext("version %(number)s") % {"number": number}
            which = f"{self.smart(post.title, post.language)}, {number_said}"
            named = words.gettext(": %(title)s") % {"title": which}
            shown = U.name_footnotes(shown, named)
        return Fragment(shown)

    def _rewriter(self, fragment: Fragment, series: str | None, page: str,
                  sizes: dict[str, tuple[int, int]] | None = None, recorded: Written | None = None,
                  language: str | None = None, resolve: Resolve | None = None) -> tuple[Callable[[str], str], bytes]:
        """How ``markdown`` shows a fragment, and a key for what that depends on besides the text (``sizes``:
        its images' sizes, when the caller has them already; ``recorded``: when and where a recorded text
        was written; ``resolve``: how its ``part:`` links read, if not as a text of ``series`` recorded then)."""
        resolve = resolve or self.parts.resolver(series, recorded and recorded.when)
        links = [resolve(target) for target in fragment.parts]
        at = recorded.at if recorded else page  # relative links are read from where they were written
        base = self.urls.link(at) if fragment.relative else None
        language = self.languages.get(page, "") if language is None else language
        words = self.words(language)

        if sizes is None:
            sizes = self._sizes(fragment, at) if fragment.images else {}

        labels = getattr(fragment, "labelled", False) and translates_labels(words)  # a diff: ``compare``

        def show(html: str) -> str:
            html = localize(resolve_parts(html, resolve), words) if links else html
            html = localize_labels(html, words) if labels and not links else html
            html = self.urls.rebase(html, at) if base is not None else html
            return sized(html, sizes)
        said = (language or self.config.language, words_key(words))  # the site's language is no post's own
        return show, repr((links, base, said, sorted(sizes.items()))).encode()

    def _sizes(self, fragment: Fragment, page: str) -> dict[str, tuple[int, int]]:
        """The width and height of the site's own images a fragment shows without them, by ``src`` as the
        page shows it (relative addresses read from ``page``)."""
        html = str(fragment)
        html = self.urls.rebase(html, page) if fragment.relative else html
        return local_sizes(html, self.urls.base_path, self.config.source.parent / "static")

    def compare(self, post: Post, before: Version, after: Version | None = None) -> tuple[Diff, Markup]:
        """What changed from a version of a post to a later one (``after``; else its text as it stands, for a
        preview), and its HTML as ``essay`` shows the post's essay, for a page of what changed.  The texts'
        ``part:`` links are compared by where each led when it was recorded (``led_then``), and shown so: the
        newer text's read in the series it was recorded in, and those only the older text had (words it
        deleted) as the older version shows them."""
        series = post.series if after is None else self.recorded_series(post, after)
        read = self.readings(post, before, after)
        older, newer, kept = read
        diff = self.cached.diff(*self.compared(post, before, after, read))

        def resolve(raw: str) -> tuple[str | None, str]:  # the older's are written with their series (``read_in``)
            return (newer if self.parts.target(raw, series) in kept else older)(raw)
        show, _ = self._rewriter(diff.html, series, U.post_path(post), recorded=written(post, after) if after else None,
                                 resolve=resolve)
        return diff, Markup(localize(show(str(diff.html)), self.words(post.language)))

    def compared(self, post: Post, before: Version, after: Version | None = None,
                 read: tuple[Resolve, Resolve, set] | None = None) -> tuple[Fragment, Fragment]:
        """The two rendered texts ``compare`` diffs: each with its ``part:`` links leading where they led
        (``readings``, worked out here unless given)."""
        marks = _marks(post.language)  # the post's own quotation marks, if not the site's
        old, new = (self.cached.markdown(post.body if v is None else v.body, marks) for v in (before, after))
        if old.parts or new.parts:
            older, newer, _ = read or self.readings(post, before, after)
            if old.parts:  # its references to a part not out read in its own series, shown among the newer's words
                old = _addressed(old, older, self.recorded_series(post, before))
            if new.parts:
                new = _addressed(new, newer, post.series if after is None else self.recorded_series(post, after))
        return old, new

    def all_compared(self) -> list[tuple[Post, Version, Version]]:
        """Every comparison the site's pages and feeds make (``compared`` gives its texts): each revision against
        the version before it, and, for a post revised more than once, its newest version against its first."""
        pairs = []
        for post in self.site.posts.values():
            versions = post.versions
            pairs += [(post, a, b) for a, b in zip(versions, versions[1:])]
            if len(versions) > 2:
                pairs.append((post, versions[0], versions[-1]))
        return pairs

    def readings(self, post: Post, before: Version,
                 after: Version | None) -> tuple[Resolve, Resolve, set[tuple[str, int] | None]]:
        """How the ``part:`` links of two texts of ``post`` compared read: ``before``'s (``led_then``), ``after``'s
        (None: the text as it stands), and the parts ``after``'s name."""
        series = post.series if after is None else self.recorded_series(post, after)
        new = self.cached.markdown(post.body if after is None else after.body, _marks(post.language))
        kept = {self.parts.target(raw, series) for raw in new.parts} - {None}
        return self.led_then(post, before, after, kept), self.parts.resolver(series, after and moment(after)), kept

    def led_then(self, post: Post, before: Version, after: Version | None, kept: set) -> Resolve:
        """Where the ``part:`` links of ``before``, a version of ``post``, led when it was recorded, as its page
        shows them; one to a part not out then that the newer text (``after``; None: as it stands) names as well
        (``kept``), where it leads by then: Part 2 coming out between two versions changes no link of the essay
        that announced it, nor does an author's note that the part renumbered into the number is the one.  A
        reference the newer text dropped reads as the version showed it."""
        series = self.recorded_series(post, before)
        then, later = self.parts.resolver(series, moment(before)), self.parts.resolver(series, after and moment(after))

        def resolve(raw: str) -> tuple[str | None, str]:
            found = then(raw)
            return later(raw) if found[0] is None and self.parts.target(raw, series) in kept else found
        return resolve

    def smart(self, text: str, language: str = "", around: str | None = None) -> str:
        """``smart.smart``: a title or summary with the punctuation of ``language`` (a post's own, else the site's);
        with ``around``, set inside the quotation marks of that language (else the site's): ``smart.smart_inside``."""
        if around is None:
            return smart(text, language or self.config.language)
        return smart_inside(text, language or self.config.language, around or self.config.language)

    def summary(self, html: Fragment) -> str:
        """The opening words of a rendered essay (remembered between builds)."""
        return self.cached.value("summary", _summary, html, str(self.config.summary_words))

    def day(self, moment: datetime, language: str = "") -> str:
        """A date as the pages show it: in the site's zone and date format, in ``language`` (the site's by
        default)."""
        local = moment.astimezone(self.config.timezone)
        return show_date(local, self.config.date_format, cldr_locale(language or self.config.language))

    def words(self, language: str) -> Translations:
        """The theme's words in ``language`` (a post's, or the site's), with the site's own over them."""
        language = language or self.config.language
        if language not in self.catalogs:
            self.catalogs[language] = agreeing(translations(language, self.config.source.parent), language)
        return self.catalogs[language]

    def summarize_all(self) -> None:
        """Work out on all cores the summaries the views will show (each essay without its own): one by
        one, they were the longest serial step of a cold build."""
        words = str(self.config.summary_words)
        self.cached.values("summary", _summary, [(self.essay(post), words)
                                                    for post in self.site.posts.values() if not post.summary])

    def version_view(self, post: Post, current: PostView, version: Version) -> PostView:
        """A recorded version as a post view: the current view with the version's text, title and permanent
        address (what a citation of the version must give).  Recorded in another series than the post's now
        (a part moved), or as another part of this one (parts renumbered), it says the part it was then, without
        the neighbours it had, and its ``part:`` links lead where they led then."""
        series, language = self.recorded_series(post, version), version.language
        html = self.markdown(version.body, series, U.post_path(post), written(post, version), language)
        base = self.urls.base_path
        if base != "/" and html.local:  # written from the domain's root, which a recorded text cannot mend now
            html = Resolved(html, partial(U.into_site, base_path=base), b"into " + base.encode())
        path = U.version_path(post, version.number)
        view = replace(current, html=html, summary=self.smart(version.summary, language) or self.summary(html),
                       title=self.smart(version.title or post.title, language), url=self.urls.link(path),
                       abs_url=self.urls.absolute(path), language=language)
        if series == post.series and (not version.part or version.part == post.part):
            return view
        return replace(view, series=self.series_views.get(series) if series else None,
                       part=version.part or None if series else None, prev=None, next=None, continuation=None)

    def recorded_series(self, post: Post, version: Version) -> str | None:
        """The series a version was recorded in (``PartIndex.recorded_series``)."""
        return self.parts.recorded_series(post, version)

    def post_view(self, post: Post, body: Packed | None = None) -> PostView:
        check_cancelled()
        urls, site = self.urls, self.site
        series = self.series_views.get(post.series) if post.series else None
        prev = nxt = ending = None
        if post.series and post.series in site.series:
            model = site.series[post.series]
            parts = [site.posts[k] for k in model.parts]
            if post.key in model.parts:
                prev, nxt = (Link(self.smart(p.title, p.language), urls.link(U.post_path(p)), p.part, p.language)
                             if p else None
                             for p in previous_next(parts, model.parts.index(post.key)))
            ending = continuation(model, post.part or 0, site, urls)
        path = U.post_path(post)
        html = self.essay(post, body)
        history = notes(post, urls, lambda text, number: self.note(text, post, number), self.alike)
        major = tuple(n for n in reversed(history[1:]) if not n.minor)
        tags = tuple(Link(t, urls.link(U.tag_path(self.tag_slugs[t]))) for t in post.tags)
        summary = self.smart(post.summary, post.language) or self.summary(html)
        return PostView(post.key, self.smart(post.title, post.language), urls.link(path), urls.absolute(path),
                        post.date, post.updated, summary, tags, html, post.status, series, post.part, prev, nxt, ending,
                        major, history, post.entry_id, post.language,
                        urls.link(U.all_changes_path(post)) if all_changes(post) else "")

    def alike(self, before: Packed, after: Packed) -> bool:
        """Whether two texts of a post render alike (each is rendered for its version's page anyway): the same
        HTML, or, for texts of nearly one length (a paragraph re-wrapped), the same but for where its lines
        break, outside any code block."""
        old, new = self.cached.markdown(before), self.cached.markdown(after)
        if old == new:
            return True
        if abs(before.size - after.size) > max(64, before.size // 20):  # more than its lines' marks and indents
            return False
        return _words_and_code(str(old)) == _words_and_code(str(new))

    def source_name(self, path: Path) -> str:
        """A source file as messages show it: relative to the site folder."""
        text = str(path)  # not Path.relative_to: this runs for every version of every post
        return text[len(self.site_prefix):] if text.startswith(self.site_prefix) else text

    def context(self, meta: Meta, **extra: Any) -> dict[str, Any]:
        return {"site": self.site_view, "page": meta, **extra}

    def meta(self, title: str, path: str, description: str = "", kind: str = "website", **extra: Any) -> Meta:
        feeds = extra.pop("feeds", self.site_view.feeds)
        return Meta(title, self.urls.link(path), extra.pop("canonical", self.urls.absolute(path)),
                    description or self.config.description, kind, feeds=feeds, **extra)


def menu_post(site: Site, entry: MenuEntry) -> Post | None:
    """The post a ``[[menu]]`` entry names by its file (from the site folder, or from ``posts/``), if this
    build shows it."""
    root = site.config.source.parent
    wanted = {root / entry.url, root / site.config.posts_dir / entry.url}
    return next((post for post in site.posts.values() if post.path in wanted), None)


def menu_links(site: Site, urls: U.Urls) -> tuple[Link, ...]:
    """The links ``[[menu]]`` adds to the navigation (one naming a post this build does not show is left
    out: ``checks.py`` warns of it)."""
    links = []
    for entry in site.config.menu:
        if entry.post_file:
            post = menu_post(site, entry)
            if post is not None:
                links.append(Link(entry.title, urls.link(U.post_path(post))))
        else:
            links.append(Link(entry.title, urls.link(entry.url[1:]) if entry.url.startswith("/") else entry.url))
    return tuple(links)


def _summary(html: Fragment, words: str) -> str:
    return summarize(str(html), int(words))


_CODE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def _words_and_code(html: str) -> list[str]:
    """Rendered HTML as readers read it: its words, however its lines break, and each code block as it is."""
    return [part if index % 2 else " ".join(part.split()) for index, part in enumerate(_CODE.split(html))]


def _marks(language: str | None) -> Marks | bool:
    """The quotation marks a text of a post in ``language`` is rendered with (True: the site's own)."""
    return marks_for(language) if language else True

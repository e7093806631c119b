"""The site → the list of pages to render.

``plan`` is the one place that knows which pages exist: home pages, posts,
old versions, what-changed pages, standalone pages, series, archive, tags,
updates, 404, sitemap and robots.txt.  It renders Markdown through the
caller's cache and hands every template small views (``views.py``).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from ..config import MenuEntry
from ..errors import Diagnostic, SiteError
from ..locale import Translations, cldr_locale, translations
from ..locale.marks import localize, localize_labels, translates_labels
from ..model.dates import show_date
from ..model.packed import Packed
from ..model.slugs import DEVICES_SHOWN
from ..model.types import Post, Site, Version
from ..output.render import Page
from ..speed.parallel import check_cancelled
from ..text.diff import Diff
from ..text.fragment import Fragment, Resolved
from ..text.markdown import summarize
from ..text.parts import PartIndex, resolve_parts
from ..text.smart import smart
from . import urls as U
from .images import local_sizes, sized
from .moves import renamed_series
from .views import Link, Note, PostView, all_changes, continuation, grouped, notes, previous_next, series_view

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


class PageMaker:
    """Builds views once, then lists every page."""

    def __init__(self, site: Site, cached: Cached):
        self.site, self.cached = site, cached
        self.config = site.config
        self.catalogs: dict[str, Translations] = {}
        # a post's site path → its own language, for the words the engine writes into its text
        self.languages = {U.post_path(post): post.language for post in site.posts.values() if post.language}
        self.urls = U.Urls(site.config.base_url)
        self.parts = PartIndex(site, lambda post: self.urls.link(U.post_path(post)))
        self.tag_slugs = U.tag_slugs(site)
        self.rendered: dict[tuple[str, str | None, str], Fragment] = {}
        self.site_prefix = str(site.config.source.parent).rstrip("/") + "/"
        self.summarize_all()
        self.series_views = {slug: series_view(site, s, self.urls, self.markdown, lambda p: smart(p.summary) or self.summary(self.essay(p)))
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
                                  self.markdown(site.config.author.bio, None, U.HOME), site.config.copyright,
                                  self.urls.link(U.STYLE), nav, feeds)

    def markdown(self, text: str | Packed, series: str | None, page: str) -> Fragment:
        """Rendered Markdown as it is shown: its ``part:`` links resolved against this site, and its
        relative links read from ``page``, the site path of the page the text belongs to (a post's, for
        its essay and notes), wherever it is shown.  One object per text, however often it is shown (an
        essay's notes appear on the page of every version)."""
        found = self.rendered.get((text, series, page))
        if found is None:
            found = self.cached.markdown(text)
            sizes = self._sizes(found, page) if found.images else {}
            labels = found.labelled and translates_labels(self.words(self.languages.get(page, "")))
            if found.parts or found.relative or sizes or labels:
                found = Resolved(found, *self._rewriter(found, series, page, sizes))
            self.rendered[text, series, page] = found
        return found

    def essay(self, post: Post, body: Packed | None = None) -> Fragment:
        """A post's essay as shown (``body``: another text of it, such as a recorded version's)."""
        return self.markdown(post.body if body is None else body, post.series, U.post_path(post))

    def note(self, text: str, post: Post, number: int) -> Fragment:
        """A revision note as shown, its own anchors (its footnotes, its headings) named after its post and
        version: a page shows several notes beside the essay, and the updates page the notes of many posts.
        Its footnotes' region is named so too ("Footnotes: An essay, version 3"), a landmark of its own."""
        path = U.post_path(post)
        html = self.markdown(text, post.series, path)
        if ' id="' not in str(html):
            return html
        shown = U.prefix_anchors(str(html), f"note-{path.strip('/').replace('/', '-')}-{number}-", own=True)
        if '<section class="footnotes"' in shown:
            words = self.words(post.language)
            which = f"{smart(post.title)}, {words.gettext('version %(number)s') % {'number': number}}"
            named = words.gettext(": %(title)s") % {"title": which}
            shown = U.name_footnotes(shown, named)
        return Fragment(shown)

    def _rewriter(self, fragment: Fragment, series: str | None, page: str,
                  sizes: dict[str, tuple[int, int]] | None = None) -> tuple[Callable[[str], str], bytes]:
        """How ``markdown`` shows a fragment, and a key for what that depends on besides the text (``sizes``:
        its images' sizes, when the caller has them already)."""
        resolve = self.parts.resolver(series)
        links = [resolve(target) for target in fragment.parts]
        base = self.urls.link(page) if fragment.relative else None
        language = self.languages.get(page, "")
        words = self.words(language)

        if sizes is None:
            sizes = self._sizes(fragment, page) if fragment.images else {}

        labels = getattr(fragment, "labelled", False) and translates_labels(words)  # a diff: ``compare``

        def show(html: str) -> str:
            html = localize(resolve_parts(html, resolve), words) if links else html
            html = localize_labels(html, words) if labels and not links else html
            html = self.urls.rebase(html, page) if base is not None else html
            return sized(html, sizes)
        return show, repr((links, base, language, sorted(sizes.items()))).encode()

    def _sizes(self, fragment: Fragment, page: str) -> dict[str, tuple[int, int]]:
        """The width and height of the site's own images a fragment shows without them, by ``src`` as the
        page shows it (relative addresses read from ``page``)."""
        html = str(fragment)
        html = self.urls.rebase(html, page) if fragment.relative else html
        return local_sizes(html, self.urls.base_path, self.config.source.parent / "static")

    def diff(self, old_body: Packed, new_body: Packed) -> Diff:
        """What changed between two versions of an essay's Markdown (remembered between builds)."""
        return self.cached.diff(self.cached.markdown(old_body), self.cached.markdown(new_body))

    def compare(self, post: Post, old_body: Packed, new_body: Packed) -> tuple[Diff, Markup]:
        """The diff between two texts of a post, and its HTML as ``essay`` shows the post's essay, for a
        page of what changed."""
        diff = self.diff(old_body, new_body)
        show, _ = self._rewriter(diff.html, post.series, U.post_path(post))
        return diff, Markup(localize(show(str(diff.html)), self.words(post.language)))

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
            self.catalogs[language] = translations(language, self.config.source.parent)
        return self.catalogs[language]

    def summarize_all(self) -> None:
        """Work out on all cores the summaries the views will show (each essay without its own): one by
        one, they were the longest serial step of a cold build."""
        words = str(self.config.summary_words)
        self.cached.values("summary", _summary, [(self.essay(post), words)
                                                    for post in self.site.posts.values() if not post.summary])

    def version_view(self, post: Post, current: PostView, version: Version) -> PostView:
        """A recorded version as a post view: the current view with the version's text, title and permanent
        address (what a citation of the version must give)."""
        html = self.essay(post, version.body)
        path = U.version_path(post, version.number)
        return replace(current, html=html, summary=smart(version.summary) or self.summary(html),
                       title=smart(version.title or post.title), url=self.urls.link(path),
                       abs_url=self.urls.absolute(path))

    def post_view(self, post: Post, body: Packed | None = None) -> PostView:
        check_cancelled()
        urls, site = self.urls, self.site
        series = self.series_views.get(post.series) if post.series else None
        prev = nxt = ending = None
        if post.series and post.series in site.series:
            model = site.series[post.series]
            parts = [site.posts[k] for k in model.parts]
            if post.key in model.parts:
                prev, nxt = (Link(smart(p.title), urls.link(U.post_path(p)), p.part, p.language) if p else None
                             for p in previous_next(parts, model.parts.index(post.key)))
            ending = continuation(model, post.part or 0, site, urls)
        path = U.post_path(post)
        html = self.essay(post, body)
        history = notes(post, urls, lambda text, number: self.note(text, post, number))
        major = tuple(n for n in reversed(history[1:]) if not n.minor)
        tags = tuple(Link(t, urls.link(U.tag_path(self.tag_slugs[t]))) for t in post.tags)
        summary = smart(post.summary) or self.summary(html)
        return PostView(post.key, smart(post.title), urls.link(path), urls.absolute(path), post.date, post.updated,
                        summary, tags, html, post.status, series, post.part, prev, nxt, ending,
                        major, history, post.entry_id, post.language,
                        urls.link(U.all_changes_path(post)) if all_changes(post) else "")

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


def _article_ld(maker: PageMaker, post: PostView) -> Markup:
    config = maker.config
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Article", "headline": post.title,
        "url": post.abs_url, "mainEntityOfPage": post.abs_url,
        "datePublished": post.date.isoformat(), "dateModified": post.updated.isoformat(),
        "author": {"@type": "Person", "name": config.author.name}, "inLanguage": post.language or config.language,
        "description": post.summary,
    }
    if post.tags:
        data["keywords"] = [t.title for t in post.tags]
    if post.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": post.series.title, "url": post.series.abs_url}
        data["position"] = post.part
    return json_ld(data)


def post_pages(maker: PageMaker) -> list[Page]:
    pages = []
    for key, view in maker.posts.items():
        check_cancelled()
        post = maker.site.posts[key]
        page = post_page(maker, post, view)
        pages.append(page)
        pages += version_pages(maker, post, view, page.context["page"])
    return pages


def post_page(maker: PageMaker, post: Post, view: PostView) -> Page:
    """The page of one post (``serve`` also calls this alone, to show an edit at once)."""
    site, urls = maker.site, maker.urls
    path = U.post_path(post)
    feeds = maker.site_view.feeds
    see_also: tuple[str, ...] = ()
    if view.series:
        feeds = feed_links(urls, U.series_path(post.series or ""), view.series.title) + feeds
        see_also = tuple(urls.absolute(U.post_path(site.posts[k]))
                         for k in site.series[post.series].parts if k != post.key)
    meta = maker.meta(view.title, path, view.summary, "article", feeds=feeds,
                        json_ld=_article_ld(maker, view), see_also=see_also, search=view.status == "published")
    return Page(path, "post.html", maker.context(meta, post=view), post.shown)


def standalone_pages(maker: PageMaker) -> list[Page]:
    """The page of each standalone page (``layout: page``): its title and text, in no listing."""
    pages = []
    for key in maker.site.pages:
        post = maker.site.posts[key]
        view = maker.post_view(post)
        path = U.post_path(post)
        pages.append(Page(path, "page.html", maker.context(maker.meta(view.title, path, view.summary), post=view),
                          post.shown))
    return pages


def version_pages(maker: PageMaker, post: Post, current: PostView, meta: Meta) -> list[Page]:
    urls, pages = maker.urls, []
    for index, version in enumerate(post.versions):
        note = current.history[index]
        path = U.version_path(post, version.number)
        text, day = maker.words(post.language), maker.day(version.date, post.language)
        vmeta = replace(meta, title=text.gettext("%(title)s (version of %(date)s)") % {
                            "title": version.title or post.title, "date": day},
                        url=urls.link(path), noindex=True, json_ld=Markup(""), search=False)
        newest = index == len(post.versions) - 1 and (version.title or post.title, version.body) == (
            post.title, post.body)  # the post page shows this very text
        pages.append(Page(path, "version.html", maker.context(vmeta, version=note, current=current,
                                                                is_current_text=newest),
                          maker.source_name(version.path), partial(_old_post, maker, post, current, version, vmeta)))
        if index == 0:
            continue
        before = post.versions[index - 1]
        cpath = U.changes_path(post, version.number)
        cmeta = replace(meta, title=text.gettext("What changed in %(title)s on %(date)s") % {
                            "title": post.title, "date": day},
                        url=urls.link(cpath), noindex=True, json_ld=Markup(""), search=False)
        pages.append(Page(cpath, "changes.html",
                          maker.context(cmeta, post=current, version=note, previous=current.history[index - 1],
                                          cumulative=False,
                                          title_changed=before.title != version.title, old_title=before.title,
                                          front_changed=_front(before.head) != _front(version.head)),
                          maker.source_name(version.path), partial(_changes, maker, post, before, version)))
    if current.compare_url:
        pages.append(all_changes_page(maker, post, current, meta))
    return pages


def all_changes_page(maker: PageMaker, post: Post, current: PostView, meta: Meta) -> Page:
    """Everything that changed from the first version to the newest, on one page: what a reader who read the
    essay when it came out wants to see."""
    first, last = post.versions[0], post.versions[-1]
    path = U.all_changes_path(post)
    text = maker.words(post.language)
    cmeta = replace(meta, title=text.gettext("What changed in %(title)s since its first version") % {
                        "title": post.title},
                    url=maker.urls.link(path), noindex=True, json_ld=Markup(""), search=False)
    return Page(path, "changes.html",
                maker.context(cmeta, post=current, version=current.history[-1], previous=current.history[0],
                              cumulative=True, title_changed=first.title != last.title, old_title=first.title),
                maker.source_name(last.path), partial(_changes, maker, post, first, last))


def _old_post(maker: PageMaker, post: Post, current: PostView, version: Version, meta: Meta) -> dict[str, Any]:
    """An old version's view, and its page's description from its own text, not the current one."""
    view = maker.version_view(post, current, version)
    return {"post": view, "page": replace(meta, description=view.summary or meta.description)}


def _changes(maker: PageMaker, post: Post, before: Version, version: Version) -> dict[str, Any]:
    diff, changes = maker.compare(post, before.body, version.body)
    return {"diff": diff, "changes": changes}


def listing_pages(maker: PageMaker) -> list[Page]:
    config, urls = maker.config, maker.urls
    views = list(maker.posts.values())
    pages = []
    per = config.posts_per_page
    chunks = [views[i:i + per] for i in range(0, len(views), per)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        path = U.home_page_path(number)
        pagination = {"number": number, "count": len(chunks),
                      "prev": urls.link(U.home_page_path(number - 1)) if number > 1 else None,
                      "next": urls.link(U.home_page_path(number + 1)) if number < len(chunks) else None}
        title = config.title if number == 1 else maker.text.gettext("%(site)s — page %(number)s") % {
            "site": config.title, "number": number}
        meta = maker.meta(title, path, section=urls.link(U.HOME) if number > 1 else "")
        pages.append(Page(path, "index.html", maker.context(meta, posts=chunk, groups=grouped(chunk),
                                                              pagination=pagination), "the home page"))
    years: dict[int, list[PostView]] = {}
    for view in views:
        years.setdefault(view.date.astimezone(config.timezone).year, []).append(view)
    pages.append(Page(U.ARCHIVE, "archive.html",
                      maker.context(maker.meta(maker.text.gettext("Archive"), U.ARCHIVE), years=sorted(years.items(), reverse=True)),
                      "the archive"))
    tags: dict[str, list[PostView]] = {}
    for view in views:
        for tag in view.tags:
            tags.setdefault(tag.title, []).append(view)
    tag_links = [(Link(name, urls.link(U.tag_path(maker.tag_slugs[name]))), len(items))
                 for name, items in sorted(tags.items(), key=lambda kv: kv[0].lower())]
    pages.append(Page(U.TAGS, "tags.html", maker.context(maker.meta(maker.text.gettext("Tags"), U.TAGS), tags=tag_links),
                      "the tags index"))
    for name, items in tags.items():
        path = U.tag_path(maker.tag_slugs[name])
        pages.append(Page(path, "tag.html", maker.context(maker.meta(maker.text.gettext("Posts tagged “%(tag)s”") % {"tag": name}, path,
                                                                         section=urls.link(U.TAGS)),
                                                            tag=name, posts=items), f"the page of tag {name!r}"))
    return pages


def series_pages(maker: PageMaker) -> list[Page]:
    urls, pages = maker.urls, []
    views = list(maker.series_views.values())
    for view in views:
        path = U.series_path(view.slug)
        parts = [e for e in view.entries if e.url]
        series_posts = [maker.posts[k] for k in maker.site.series[view.slug].parts]
        languages = {post.language or maker.config.language for post in series_posts}
        data = {"@context": "https://schema.org", "@type": "CreativeWorkSeries", "name": view.title,
                "url": view.abs_url, "author": {"@type": "Person", "name": maker.config.author.name},
                # the language its parts are written in (the site's, where they differ)
                "inLanguage": languages.pop() if len(languages) == 1 else maker.config.language,
                "hasPart": [{"@type": "Article", "headline": e.title, "position": e.part,
                             "url": urljoin(urls.base_url, e.url or "")} for e in parts]}
        meta = maker.meta(view.title, path, "", feeds=feed_links(urls, path, view.title) + maker.site_view.feeds,
                            json_ld=json_ld(data), section=urls.link(U.SERIES_INDEX))
        pages.append(Page(path, "series.html", maker.context(meta, series=view, posts=series_posts),
                          maker.source_name(maker.site.series[view.slug].source)))
    pages.append(Page(U.SERIES_INDEX, "series_index.html",
                      maker.context(maker.meta(maker.text.gettext("Series"), U.SERIES_INDEX), all_series=views), "the series index"))
    return pages


def update_items(maker: PageMaker) -> list[tuple[PostView, Note]]:
    """Every major revision on the site, newest first, each note's links to a place in its post (``#x``)
    leading there."""
    items = [(view, _anchored(note, view.url)) for view in maker.posts.values() for note in view.notes]
    items.sort(key=lambda item: (item[1].date, item[0].key), reverse=True)
    return items


def _front(head: str) -> list[str]:
    """A recorded front matter's lines but those every version changes (``version``) or pins (``id``)."""
    return [line for line in head.splitlines() if not line.startswith(("version:", "id:"))]


def _anchored(note: Note, post_link: str) -> Note:
    html = str(note.html)
    if "#" not in html:
        return note
    shown = U.anchored_to(html, post_link)
    return note if shown == html else replace(note, html=Fragment(shown))


def other_pages(maker: PageMaker) -> list[Page]:
    urls = maker.urls
    gettext = maker.text.gettext
    feeds = feed_links(urls, U.UPDATES, gettext("%(site)s: updates") % {"site": maker.config.title}) + maker.site_view.feeds
    pages = [Page(U.UPDATES, "updates.html",
                  maker.context(maker.meta(gettext("All updates"), U.UPDATES, feeds=feeds), updates=update_items(maker)),
                  "the updates page"),
             Page(U.NOT_FOUND, "404.html", maker.context(maker.meta(gettext("Page not found"), U.NOT_FOUND, noindex=True)),
                  "the 404 page")]
    if maker.config.search:
        pages.append(Page(U.SEARCH, "search.html",
                          maker.context(maker.meta(gettext("Search"), U.SEARCH, noindex=True),
                                        archive=urls.link(U.ARCHIVE), bundle=urls.link(U.SEARCH_INDEX),
                                        script=urls.link(U.SEARCH_SCRIPT)), "the search page"))
    return pages


def fixed_files(site: Site) -> list[str]:
    """Output files that are not pages: feeds (a renamed series' under its old address too), sitemap,
    robots.txt, the stylesheet, the EPUB of each series with a part out."""
    return U.fixed_files(U.feed_prefixes(site.series, renamed_series(site)), books(site))


def books(site: Site) -> list[str]:
    """The series that have a page of the whole series and an EPUB: those with a published part."""
    return [slug for slug, series in site.series.items() if series.parts]


def check_paths(site: Site, pages: list[Page]) -> None:
    """Stop before writing a page that needs a folder where a file goes, a name too long for a disk, or a
    folder Windows would take for a device."""
    owners: dict[str, Page] = {}
    problems: dict[str, str] = {}
    for page in pages:
        path = U.output_path(page.path)
        first = owners.setdefault(path, page)
        if first is not page:
            one, other = sorted((first.source, page.source))
            problems.setdefault(path, f"would be written to {path}, which {one} and {other} both claim; "
                                      "change a slug")
    targets = {path: page.source for path, page in owners.items()}
    for path, file in U.clashes([*targets, *fixed_files(site)]).items():
        if path in targets:
            problems.setdefault(path, f"would be written to {path}, but {file} is already a file of the site "
                                      "(a feed, the sitemap or another page); choose another slug")
    if site.config.search:
        for path in targets:
            if path.startswith(U.SEARCH_INDEX):
                problems.setdefault(path, f"would be written to {path}, inside {U.SEARCH_INDEX}, where the search "
                                          "index goes; choose another slug")
    for path in targets:
        name = U.too_long(path)
        if name:
            problems.setdefault(path, f"would be written to a folder named {name[:24]}…, which is "
                                      f"{len(name.encode())} bytes long; file systems allow {U.MAX_NAME}: "
                                      "choose a shorter slug")
    found: dict[tuple[str, int], str] = {}
    named = {alias.path: (post, alias) for post in site.posts.values() for alias in post.aliases}
    for path, message in sorted(problems.items()):
        page = owners[path]
        if page.template == "redirect.html" and page.path in named:  # an alias: it is the alias to change
            post, alias = named[page.path]
            found.setdefault((post.shown, alias.line), f"alias /{alias.path}: {message.rsplit('; ', 1)[0]}; "
                                                       "remove it")
            continue
        posts = [p for p in site.posts.values() if path.startswith(U.post_path(p))]
        post = next((p for p in posts if "slug" in p.lines), posts[0] if posts else None)  # a slug can be changed
        where = (post.shown, post.lines.get("slug", 1)) if post else (targets[path], 0)
        found.setdefault(where, message)
    diagnostics = [Diagnostic(path, line, message) for (path, line), message in found.items()]
    diagnostics += _device_names(site, pages)
    if diagnostics:
        raise SiteError(diagnostics)


def _device_names(site: Site, pages: list[Page]) -> list[Diagnostic]:
    """Each folder of the output that Windows would take for a device (``con/``), said once, to the file
    whose name it comes from: a post's file or a series' folder (a ``slug:`` never is one: ``assemble``
    refuses it at its line)."""
    posts = {U.post_path(post): post.shown for post in site.posts.values()}
    series = {U.series_path(slug) for slug in site.series}
    sources = {page.path: page.source for page in pages}
    found: dict[str, Diagnostic] = {}
    for path in sorted(sources):
        folder = U.device_folder(path)
        if folder is None or folder in found:
            continue
        name = folder.rstrip("/").rpartition("/")[2]
        why = (f"its address would be {folder}, but Windows takes a folder named {name} for a device "
               f"({DEVICES_SHOWN}), so the site could not be checked out, copied or served there")
        if folder in posts:
            found[folder] = Diagnostic(posts[folder], 0, f"{why}: rename the file (and its .versions folder, "
                                                         "if it has one), or give it a `slug:`")
        elif folder in series:
            found[folder] = Diagnostic(sources[folder], 0, f"{why}: rename the folder")
        else:
            found[folder] = Diagnostic(sources.get(folder, sources[path]), 0, f"{why}: choose another name")
    return list(found.values())


def plan(site: Site, cached: Cached) -> tuple[PageMaker, list[Page]]:
    """Every HTML page of the site but the redirects moved posts leave (``redirects.py``); feeds, sitemap
    and static files come separately."""
    maker = PageMaker(site, cached)
    pages = (post_pages(maker) + standalone_pages(maker) + listing_pages(maker) + series_pages(maker)
             + other_pages(maker))
    return maker, pages

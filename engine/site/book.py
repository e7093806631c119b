"""A series as one book: every published part in order, each with the version it is read at.

Two outputs show it: the page of the whole series (``series/all/``), where the parts' essays stand one
after another (their anchors prefixed, their headings one level down, so that the page keeps one
outline and no id twice), and the series' EPUB (``output/epub.py``), where each part is a chapter of
its own.  Both are planned here from the views the part pages already have.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from ..output.render import Page
from ..text.fragment import Fragment
from . import urls as U
from .maker import PageMaker, feed_links
from .pages import books
from .views import PostView, SeriesView

log = logging.getLogger(__name__)

_HEADING = re.compile(r"<(/?)h([1-5])\b", re.IGNORECASE)
_HREF = re.compile(r'href="([^"#]+(?:#[^"]*)?)"')


@dataclass(frozen=True)
class Anchored:
    """An essay shown among others on one page: its ids and links to them prefixed, its headings one level
    down (a part's title is the page's ``h2``), worked out only when the page is rendered."""

    html: Fragment
    """The essay as its own page shows it."""
    prefix: str
    """Put before each id, e.g. ``part-2-``."""
    named: str
    """What names this part after the label of its footnotes (": The part's title"), so that each part's
    footnotes are a landmark of their own name."""
    parts: tuple[tuple[str, str], ...] = ()
    """``(address, anchor)`` of every part on the page: a link to one leads to it on this page."""

    def __html__(self) -> str:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}",
                            U.prefix_anchors(str(self.html), self.prefix))
        html = U.name_footnotes(html, self.named)
        anchors = dict(self.parts)
        if not any(f'href="{url}' in html for url in anchors):
            return html

        def local(m: re.Match) -> str:
            url, _, fragment = m.group(1).partition("#")
            anchor = anchors.get(url)
            if anchor is None:
                return m.group(0)
            return f'href="#{anchor}-{fragment}"' if fragment else f'href="#{anchor}"'
        return _HREF.sub(local, html)

    __str__ = __html__


@dataclass(frozen=True)
class BookPart:
    """One published part as the book shows it."""

    post: PostView
    """The part's view, as its page has it."""
    anchor: str
    """Its id on the page of the whole series, e.g. ``part-2``."""
    version: int
    """The number of the version read (0: no version recorded yet)."""
    as_of: datetime
    """When that version was recorded (the date of publication when none was)."""
    essay: Anchored
    """The essay, ready to stand beside the others."""


@dataclass(frozen=True)
class BookView:
    """A series with its published parts, for the whole-series page and the EPUB."""

    series: SeriesView
    parts: tuple[BookPart, ...]
    """Published parts, by number."""
    as_of: datetime
    """The newest of the parts' versions: the book holds the text as of this moment."""
    url: str
    """The page of the whole series (root-relative)."""
    abs_url: str
    book_path: str
    """Where the EPUB is written (a site path)."""
    language: str
    """The book's language: the one every part is written in (a post's ``language``, else the site's), or the
    site's when they differ.  Its words, its ``dc:language`` and the way its pages turn follow it."""


def book_views(maker: PageMaker) -> list[BookView]:
    """A book for each series with a published part, in the order of the series."""
    found = []
    for slug in books(maker.site):
        series = maker.site.series[slug]
        parts = []
        addresses = tuple((maker.posts[key].url, f"part-{maker.site.posts[key].part}") for key in series.parts)
        for key in series.parts:
            post, view = maker.site.posts[key], maker.posts[key]
            last = post.versions[-1] if post.versions else None
            anchor = f"part-{post.part}"
            named = maker.words(post.language).gettext(": %(title)s") % {"title": view.title}
            parts.append(BookPart(view, anchor, last.number if last else 0, last.date if last else post.date,
                                  Anchored(view.html, f"{anchor}-", named, addresses)))
        path = U.whole_series_path(slug)
        languages = {maker.site.posts[key].language or maker.config.language for key in series.parts}
        found.append(BookView(maker.series_views[slug], tuple(parts), max(p.as_of for p in parts),
                              maker.urls.link(path), maker.urls.absolute(path), U.book_path(slug),
                              languages.pop() if len(languages) == 1 else maker.config.language))
    return found


def whole_series_pages(maker: PageMaker, views: list[BookView]) -> list[Page]:
    """The page of each series read whole: its contents at the top, then every published part."""
    pages = []
    for book in views:
        series = book.series
        path = U.whole_series_path(series.slug)
        title = maker.text.gettext("%(series)s: the whole series") % {"series": series.title}
        meta = maker.meta(title, path, maker.summary(series.description) if series.description else "",
                          feeds=feed_links(maker.urls, U.series_path(series.slug), series.title)
                          + maker.site_view.feeds, section=maker.urls.link(U.SERIES_INDEX), noindex=True,
                          json_ld=Markup(""))
        pages.append(Page(path, "series_whole.html", maker.context(meta, series=series, book=book),
                          maker.source_name(maker.site.series[series.slug].source)))
    return pages

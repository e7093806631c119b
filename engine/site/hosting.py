"""What static hosts read beside the pages: ``_redirects`` and ``_headers`` (the format Netlify and
Cloudflare Pages share).

``_redirects`` holds a ``FROM TO 301`` line for every redirect page the build plans (moved posts, renamed
series, aliases), taken from those pages themselves, so the two can never disagree: a host that reads the
file answers with a real 301, one that does not serves the HTML redirect page.  ``_headers`` gives the
theme's fonts long caching, and every feed a short one with its proper ``Content-Type``; HTML is left to
the host's default, which revalidates (two rules matching one path would have their values joined).
Both are pages of the plan rendered through templates a site may override (``templates/_redirects``);
neither is in the sitemap, and neither is a page a browser shows.
"""
from __future__ import annotations

import logging

from ..output.render import Page
from . import urls as U
from .maker import PageMaker
from .redirects import TEMPLATE as REDIRECT_TEMPLATE

log = logging.getLogger(__name__)

REDIRECTS, HEADERS = U.HOSTING
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
"""The ``Content-Type`` of each kind of feed in ``urls.FEEDS``."""
LONG_CACHE = "public, max-age=604800"
"""The theme's fonts: a week.  Not its stylesheet or script, whose addresses carry no fingerprint: cached
so long, a stylesheet changed by an upgrade or by the site would reach returning readers a week after the
pages that need it; the host's default has them asked for again, which costs a 304."""
SHORT_CACHE = "public, max-age=300"
"""Feeds: five minutes, so that a new part or revision reaches feed readers soon."""


def redirect_rules(maker: PageMaker, pages: list[Page], renamed: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """``(from, to)`` root-relative links: first one for the EPUB of each renamed series (old folder → slug in
    ``renamed``), which no page can stand in for, so that a host reading only so many rules (Cloudflare Pages,
    2,000) keeps it; then one for each redirect page in ``pages``, in their order."""
    planned, rules = {page.path for page in pages}, []
    for old, slug in renamed.items():  # ``old`` as it was: not made a slug again (which would mend a split AM)
        book = maker.urls.link(f"{old}{old.rstrip('/')}.epub")
        if U.whole_series_path(slug) in planned and book != maker.urls.link(U.book_path(slug)):
            rules.append((book, maker.urls.link(U.book_path(slug))))
    rules += [(maker.urls.link(page.path), page.context["target"]) for page in pages
              if page.template == REDIRECT_TEMPLATE]
    return tuple((_literal(source), _literal(target)) for source, target in rules)


def _literal(link: str) -> str:
    """A link as ``_redirects`` reads it letter for letter: a segment starting with ``:`` (``/:old/``, an
    alias) is a placeholder there, matching any segment, so its ``:`` is written escaped, as ``*`` is."""
    return link.replace("/:", "/%3A")


def header_rules(maker: PageMaker, feed_prefixes: list[str]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``(path pattern, ((header, value), …))`` for the theme's files and for every feed: the site's own feeds
    by name, and those one folder down (the updates', each series') by one ``:folder`` placeholder rule per
    kind, which both hosts read as one path segment, since Cloudflare Pages reads no more than 100 rules."""
    rules = [(maker.urls.link("theme/fonts/") + "*", (("Cache-Control", LONG_CACHE),))]
    folders = [prefix for prefix in feed_prefixes if prefix and prefix.count("/") == 1]
    places = [maker.urls.link(prefix) for prefix in feed_prefixes if prefix not in folders]
    places += [maker.urls.link("") + ":folder/"] if folders else []
    for place in places:
        for kind, name in U.FEEDS.items():
            rules.append((place + name, (("Content-Type", CONTENT_TYPES[kind]), ("Cache-Control", SHORT_CACHE))))
    return tuple(rules)


def hosting_pages(maker: PageMaker, pages: list[Page], renamed: dict[str, str]) -> list[Page]:
    """``_redirects`` and ``_headers``, as pages of the plan (after the redirect pages are in it); ``renamed``
    is ``moves.renamed_series``, whose old folders keep their feeds."""
    prefixes = U.feed_prefixes(maker.site.series, renamed)
    return [Page(REDIRECTS, REDIRECTS, {"redirects": redirect_rules(maker, pages, renamed)},
                 "redirects for static hosts"),
            Page(HEADERS, HEADERS, {"headers": header_rules(maker, prefixes)}, "headers for static hosts")]

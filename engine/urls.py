"""Every URL and output path, decided in one place.

URLs are "pretty": a page at ``x/y/`` is written to ``x/y/index.html``.
``Urls`` turns site paths into links (with the base URL's path, so a site may
live below a domain's root) and into absolute URLs for feeds and metadata.
Tag URLs stay distinct when two tag names slugify alike.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from .assemble import slugify
from .model import Post, Site

log = logging.getLogger(__name__)

HOME = ""
ARCHIVE = "archive/"
SERIES_INDEX = "series/"
TAGS = "tags/"
UPDATES = "updates/"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STYLE = "theme/style.css"
FEEDS = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


def output_path(site_path: str) -> str:
    """``x/y/`` → ``x/y/index.html``; files stay as they are."""
    return site_path + "index.html" if site_path == "" or site_path.endswith("/") else site_path


def post_path(post: Post, series_slug: str | None = None) -> str:
    if post.series:
        return f"{slugify(post.series)}/{post.slug}/"
    return f"{post.slug}/"


def version_path(post: Post, number: int) -> str:
    return f"{post_path(post)}v{number}/"


def changes_path(post: Post, number: int) -> str:
    return f"{post_path(post)}v{number}/changes/"


def series_path(slug: str) -> str:
    return f"{slugify(slug)}/"


def home_page_path(number: int) -> str:
    return HOME if number == 1 else f"page/{number}/"


def feed_path(prefix: str, kind: str) -> str:
    return prefix + FEEDS[kind]


def tag_slugs(site: Site) -> dict[str, str]:
    """Tag name → URL segment; names that slugify alike get a short hash."""
    names = sorted({tag for post in site.posts.values() for tag in post.tags})
    by_slug: dict[str, list[str]] = {}
    for name in names:
        by_slug.setdefault(slugify(name), []).append(name)
    slugs = {}
    for slug, group in by_slug.items():
        for name in group:
            if len(group) == 1 or name == slug:
                slugs[name] = slug
            else:
                slugs[name] = f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"
    return slugs


@dataclass(frozen=True)
class Urls:
    """Links for one site."""

    base_url: str
    """Absolute, ending in ``/``."""

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def link(self, site_path: str) -> str:
        """A root-relative link, e.g. ``/essays/x/``."""
        return self.base_path + quote(site_path, safe="/#%:?=&~.-_")

    def absolute(self, site_path: str) -> str:
        return self.base_url + quote(site_path, safe="/#%:?=&~.-_")

    def absolutize(self, fragment: str, page_url: str) -> str:
        """Make every ``href``/``src`` in an HTML fragment absolute (for feeds)."""
        return _ATTR.sub(lambda m: f'{m.group(1)}="{urljoin(page_url, m.group(2))}"', fragment)

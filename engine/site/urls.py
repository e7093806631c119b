"""Every URL and output path, decided in one place.

URLs are "pretty": a page at ``x/y/`` is written to ``x/y/index.html``.
``Urls`` turns site paths into links (with the base URL's path, so a site may
live below a domain's root) and into absolute URLs for feeds and metadata.
Tag URLs stay distinct when two tag names slugify alike, short enough for
any file system, and never a name Windows keeps for a device; ``clashes``
finds a page that would need a folder where another file is written.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import quote, unquote, urljoin, urlsplit

from markupsafe import escape

from ..model.slugs import slugify, split_am, usual_spelling, windows_reserved
from ..model.types import Post, Site

log = logging.getLogger(__name__)

HOME = ""
ARCHIVE = "archive/"
SERIES_INDEX = "series/"
TAGS = "tags/"
UPDATES = "updates/"
SEARCH = "search/"
SEARCH_INDEX = "pagefind/"
"""Where Pagefind writes the search index (``output/search.py``); no page may lie in it."""
SEARCH_SCRIPT = "theme/search.js"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STYLE = "theme/style.css"
FEEDS = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
HOSTING = ("_redirects", "_headers")
"""What static hosts read at the site's root (``hosting.py`` writes them); no page shows them."""
ROOT_FILES = frozenset({*FEEDS.values(), "index.html", NOT_FOUND, SITEMAP, ROBOTS, *HOSTING})
"""Files the site writes at its root, beside post folders (so no post may take their names as its slug)."""
_TAG = re.compile(r"""<[a-zA-Z][^\s/><]*+(?:(?:[\s/]++|(?<=["']))[^\s"'>/=<]++(?:\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'|[^\s"'><][^\s><]*+))?+)*+[\s/]*+>""")
"""A start tag with its attributes, as a browser reads it: values quoted with " or ' (the next attribute
may follow a quote at once), or in raw HTML not at all (up to a space or ``>``), and ``=`` with spaces
around it.  Nothing in it is ``<``, so that no attempt runs past the next tag: a search is linear even in
a run of ``<a x`` that never closes (a ``<`` inside an attribute value, legal but rare, leaves that
tag as written)."""
_ATTRIBUTE = re.compile(r"""(\s|(?<=["']))([^\s"'>/=]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>][^\s>]*))""")
"""One attribute with a value inside a start tag: (space, name, =, "value", 'value', bare value)."""
_ATTR_NAME = re.compile(r"(\w+)\s*\Z")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_NOT_RELATIVE = re.compile(_SCHEME.pattern + r"|[/#]|\Z")
"""A URL with a scheme (``part:`` links too), a root-relative one, a fragment of the same page, or none."""
_EQUALS = re.compile(r"""=\s*["']?\s*""")
"""An attribute's ``=`` and what stands between it and its value; a search that starts with a literal is
many times faster than one that starts with the attribute's name, which is checked afterwards."""
_LINKS = frozenset({"href", "src", "poster", "srcset", "data", "cite"})
"""Attributes whose values are addresses (``srcset``: a list of them, each with its width or density;
``data``: an ``<object>``'s; ``cite``: where a ``<blockquote>``, a ``<q>``, an ``<ins>`` or a ``<del>`` quotes
or explains from)."""
MAX_NAME = 255
"""Bytes in one file or folder name on common file systems."""
MAX_TAG_SLUG = 80
"""Bytes of a tag's slug before it is cut short and given a hash."""


def output_path(site_path: str) -> str:
    """``x/y/`` → ``x/y/index.html``; files stay as they are."""
    return site_path + "index.html" if site_path == "" or site_path.endswith("/") else site_path


def site_path(output: str) -> str:
    """What ``output_path`` made ``output`` from: ``x/y/index.html`` → ``x/y/``."""
    return output[:-len("index.html")] if output == "index.html" or output.endswith("/index.html") else output


def well_formed(url: str) -> bool:
    """Whether an address can be read at all: ``http://[host/`` (a typo for ``http://host/``) cannot, and
    urllib raises on it; a page shows such a link as written."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def post_path(post: Post) -> str:
    return address(post.series, post.slug)


def address(series: str | None, slug: str) -> str:
    """Where a post with this series and slug is: ``series/slug/``, or ``slug/`` for one standing alone."""
    return f"{slugify(series)}/{slug}/" if series else f"{slug}/"


def address_split_am(series: str | None, slug: str, written: bool) -> str:
    """The address an earlier Feuilleton, which split Thai and Lao AM in what it made a slug of, gave a post:
    its series folder so, and its slug so unless the author ``written`` it (a ``slug:`` key, kept as typed)."""
    made = slug if written else split_am(slug)
    return f"{split_am(series_path(series))}{made}/" if series else f"{made}/"


def address_series(address: str) -> str | None:
    """The series folder of a post's address (``series/slug/`` → ``series/``); None for one standing alone."""
    folder, _, rest = address.partition("/")
    return f"{folder}/" if rest else None


def version_path(post: Post | str, number: int) -> str:
    """An old version's page, of a post or of a post's address."""
    return f"{post if isinstance(post, str) else post_path(post)}v{number}/"


_VERSION_PAGE = re.compile(r"(?:^|/)v(\d+)/index\.html\Z")


def is_version_page(path: str) -> bool:
    """Whether an output path is the page of a recorded version (``essay/v2/index.html``)."""
    return _VERSION_PAGE.search(path) is not None


def version_number(output_path: str) -> int | None:
    """The number of the version whose page an output path is (``essay/v2/index.html`` → 2), or None."""
    found = _VERSION_PAGE.search(output_path)
    return int(found.group(1)) if found else None


def changes_path(post: Post | str, number: int) -> str:
    """The page of what changed in a version, of a post or of a post's address."""
    return f"{version_path(post, number)}changes/"


def all_changes_path(post: Post | str) -> str:
    """The page of everything that changed from a post's first version to its newest, of a post or of a
    post's address: ``slug/changes/``, beside its versions' ``slug/v2/changes/``."""
    return f"{post if isinstance(post, str) else post_path(post)}changes/"


def series_path(slug: str) -> str:
    return f"{slugify(slug)}/"


def whole_series_path(slug: str) -> str:
    """The page that holds every published part of a series, in order: ``series/all/``."""
    return f"{series_path(slug)}all/"


def book_path(slug: str) -> str:
    """The EPUB of a series, in its folder and named after it (a download keeps the name):
    ``series/series.epub``."""
    return f"{series_path(slug)}{slugify(slug)}.epub"


def feed_prefixes(series: Iterable[str], renamed: Iterable[str]) -> list[str]:
    """The folders that hold feeds: the site's root, the updates', each series' and each renamed series'
    old one (a feed reader cannot be sent on from a feed that is gone)."""
    return ["", UPDATES, *(series_path(slug) for slug in series), *renamed]


def fixed_files(prefixes: Iterable[str], books: Iterable[str] = ()) -> list[str]:
    """Output files that are not pages: the feeds in ``prefixes``, sitemap, robots.txt, the stylesheet, and
    the EPUBs of the series ``books`` names."""
    return [SITEMAP, ROBOTS, STYLE, *(feed_path(prefix, kind) for prefix in prefixes for kind in FEEDS),
            *(book_path(slug) for slug in books)]


def shown_by_no_page(output: str) -> bool:
    """Whether an output file is for feed readers and crawlers alone (a feed of the site, of the updates or
    of a series; the sitemap; robots.txt; what static hosts read): no page shows or loads it, so ``serve`` reloads no page for it."""
    return output.rpartition("/")[2] in (*FEEDS.values(), SITEMAP, ROBOTS) or output in HOSTING \
        or output.endswith(".epub")


def tag_path(segment: str) -> str:
    """The page of a tag, by its segment (``tag_slugs`` gives each tag's)."""
    return f"{TAGS}{segment}/"


def home_page_path(number: int) -> str:
    return HOME if number == 1 else f"page/{number}/"


SECTIONS = frozenset(path.split("/")[0] for path in (ARCHIVE, SERIES_INDEX, TAGS, UPDATES, SEARCH, SEARCH_INDEX,
                                                      STYLE, home_page_path(2)))
"""The top-level folders of the site's own pages and files (archive, tags, page, pagefind, theme, …): no post
standing alone, nor an old address it keeps, may lie in one."""


def feed_path(prefix: str, kind: str) -> str:
    return prefix + FEEDS[kind]


def tag_slugs(site: Site) -> dict[str, str]:
    """Tag name → URL segment for every tag on the site."""
    return tag_segments((tag for post in site.posts.values() for tag in post.tags), site.config.slug_ascii)


def tag_segments(names: Iterable[str], ascii: bool = False) -> dict[str, str]:
    """Tag name → URL segment, distinct for distinct names and the same whatever their order.

    A name keeps its bare slug unless another name slugifies alike or the slug
    is too long; the others get a short hash of the name.  Of names that
    slugify alike (``Law`` and ``law``), one keeps the bare slug, so that a
    tag's page never loses its address to a second spelling: the one spelt as
    the slug, else the one more posts use (``names`` holds a name once per
    post), else the first in order.  A bare slug Windows would take for a
    device gets a ``-`` (``con-``).
    """
    uses = Counter(names)
    by_slug: dict[str, list[str]] = {}
    for name in sorted(uses):
        by_slug.setdefault(slugify(name, ascii), []).append(name)
    plain: dict[str, str] = {}
    hashed: list[tuple[str, str]] = []
    for slug, group in by_slug.items():
        keeper = usual_spelling({name: uses[name] for name in group}, slug) if slug not in group else slug
        for name in group:
            if name == keeper and len(slug.encode()) <= MAX_TAG_SLUG:
                plain[name] = _no_device(slug)
            else:
                hashed.append((name, cut(slug, MAX_TAG_SLUG) or "tag"))
    slugs, taken = dict(plain), set(plain.values())
    for name, stem in hashed:
        digest = hashlib.sha1(name.encode()).hexdigest()
        slug = f"{stem}-{digest[:6]}"
        if slug in taken:  # a tag literally named like another's hashed slug
            slug = f"{stem}-{digest}"
        slugs[name] = slug
        taken.add(slug)
    return slugs


def _no_device(slug: str) -> str:
    """``con`` → ``con-``: a tag's folder that Windows can hold.  ``slugify`` never ends a slug with ``-``
    and a hashed one ends in hex digits, so no other tag has it."""
    return f"{slug}-" if windows_reserved(slug) else slug


def device_folder(path: str) -> str | None:
    """The first folder (or file) of a site path that Windows would take for a device: ``con/`` of
    ``con/v1/``; None if there is none."""
    parts = path.split("/")
    for depth, part in enumerate(parts, start=1):
        if windows_reserved(part):
            return "/".join(parts[:depth]) + ("/" if depth < len(parts) else "")
    return None


def cut(slug: str, limit: int) -> str:
    """At most ``limit`` bytes of UTF-8, cut between characters (a tag's slug, a new post's file name)."""
    return slug.encode()[:limit].decode("utf-8", "ignore").rstrip("-")


CASE_BLIND = ", in other letters, but macOS and Windows read a name in either case as one"
"""Said of two names that differ only in the case of their letters."""


def clashes(files: Iterable[str]) -> dict[str, str]:
    """Output paths that need a folder where another output file is, in letters of either case (as macOS and
    Windows read names): path → that file."""
    folded = {path.casefold(): path for path in sorted(files, reverse=True)}
    found = {}
    for path in sorted(folded.values()):
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = folded.get("/".join(parts[:depth]).casefold())
            if folder is not None:
                found[path] = folder
                break
    return found


@functools.lru_cache(maxsize=65536)
def _quoted(site_path: str) -> str:
    """A site path as it appears in a URL (remembered: each is linked from many pages).  A site path is
    decoded (an alias's ``%C3%A9`` is the ``é`` of a folder's name), so a ``%`` in one is the character
    itself and is written ``%25``."""
    return quote(site_path, safe="/#:?=&~.-_")


@functools.lru_cache(maxsize=16)
def _base_path(base_url: str) -> str:
    return urlsplit(base_url).path or "/"


def too_long(path: str) -> str | None:
    """The first name in an output path longer than file systems allow, if any."""
    return next((part for part in path.split("/") if len(part.encode()) > MAX_NAME), None)


@dataclass(frozen=True)
class Urls:
    """Links for one site."""

    base_url: str
    """Absolute, ending in ``/``."""

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, e.g. ``/essays/``."""
        return _base_path(self.base_url)

    def link(self, site_path: str) -> str:
        """A root-relative link, e.g. ``/essays/x/``."""
        return _base_path(self.base_url) + _quoted(site_path)

    def absolute(self, site_path: str) -> str:
        return self.base_url + _quoted(site_path)

    def absolutize(self, fragment: str, page_url: str) -> str:
        """Make every ``href``/``src`` in an HTML fragment absolute (for feeds)."""
        return _join_links(fragment, page_url, relative_only=False)

    def rebase(self, fragment: str, site_path: str) -> str:
        """Make each relative ``href``/``src`` in an HTML fragment root-relative, read as written on the
        page at ``site_path``: an essay's ``../img/map.png`` then finds the same file from its page, its old
        versions and its page of what changed, which all lie deeper."""
        return _join_links(fragment, self.link(site_path), relative_only=True)


_ANCHORED = {"id": "", "href": "#", "aria-describedby": "", "aria-labelledby": ""}
"""Attributes that name an element of the page by its id, and what comes before the id in their values."""


_ID = re.compile(r"""\bid=["']?([^"'\s>]+)""")
_FOOTNOTES = re.compile(r'(<section class="footnotes" aria-label="[^"]*)"')


def ids_of(fragment: str) -> set[str]:
    """The ids a fragment gives its elements."""
    return set(_ID.findall(fragment))


def name_footnotes(fragment: str, named: str) -> str:
    """The fragment with ``named`` (": Part 2", already in the page's language) added to the label of its
    footnotes: a page that shows several texts keeps their footnotes' regions apart."""
    return _FOOTNOTES.sub(lambda m: f'{m.group(1)}{escape(named)}"', fragment, count=1)


def prefix_anchors(fragment: str, prefix: str, own: bool = False) -> str:
    """The fragment with every id it gives an element, and every link or reference to one (``href="#x"``,
    ``aria-describedby``), prefixed: two essays shown on one page then keep their headings' and footnotes'
    anchors apart (``fn-1`` of Part 2 becomes ``part-2-fn-1``).  With ``own``, only the ids the fragment
    gives and the references to them: a note's footnotes, beside its post's, keep its links to the post's
    headings."""
    mine = ids_of(fragment) if own else None

    def renamed(word: str) -> str:
        return prefix + word if mine is None or word in mine else word

    def attribute(m: re.Match) -> str:
        space, name, equals, double, single, bare = m.groups()
        mark = _ANCHORED.get(name.lower())
        value = next(v for v in (double, single, bare) if v is not None)
        if mark is None or not value.startswith(mark) or value == mark:
            return m.group(0)
        if mark:
            changed = f"#{renamed(value[1:])}"
        else:
            changed = " ".join(renamed(word) for word in value.split())
        if changed == value:
            return m.group(0)
        return f'{space}{name}{equals}"{changed.replace(chr(34), "&quot;")}"'

    def tag(m: re.Match) -> str:
        return _ATTRIBUTE.sub(attribute, m.group(0)) if "=" in m.group(0) else m.group(0)
    return _TAG.sub(tag, fragment)


def anchored_to(fragment: str, page_link: str) -> str:
    """The fragment with each link to a place on its own page (``#who-owns-it``) that it does not hold
    itself pointed at ``page_link``: for a text shown on another page than its own (a note on the updates
    page), whose ``#`` links mean its post's headings."""
    own = ids_of(fragment)
    return _map_links(fragment, lambda url: page_link + url if url.startswith("#") and len(url) > 1
                      and unquote(url[1:]) not in own else url)


def link_kinds(html: str) -> tuple[bool, bool]:
    """Whether ``Urls.rebase`` may change an HTML fragment (False only if it certainly would not; True for any
    ``srcset``, whose later candidates this quick look does not reach), and whether it may link to this server
    at all (False only if every link certainly has a scheme, a host of its own, ``//…``, or only a fragment,
    ``#note``)."""
    local = False
    for m in _EQUALS.finditer(html):
        name = _link_attribute(html, m.start())
        if not name or html[m.end():m.end() + 1] in ("", '"', "'", ">"):
            continue
        if name == "srcset" or not _NOT_RELATIVE.match(html, m.end()):
            return True, True
        local = local or (html.startswith("/", m.end()) and not html.startswith("//", m.end()))
    return False, local


def _link_attribute(html: str, equals: int) -> str | None:
    """The name of the attribute whose ``=`` stands at ``equals`` (maybe after spaces), if it is one that
    holds an address (``data-href`` is none)."""
    name = _ATTR_NAME.search(html, max(0, equals - 24), equals)
    if name is None:
        return None
    before = html[name.start() - 1:name.start()]  # a space, or the quote that ends the attribute before it
    if not (before.isspace() or before in ("'", '"')):
        return None
    lowered = name.group(1).lower()
    return lowered if lowered in _LINKS else None


def addresses(fragment: str) -> list[str]:
    """Every address in the fragment's links (each candidate of a ``srcset``), as written, in order: the
    ones ``rebase`` and ``absolutize`` would join."""
    found: list[str] = []
    _map_links(fragment, lambda url: found.append(url) or url)
    return found


_ESCAPED_LETTERS = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def readable(url: str) -> str:
    """An address as a reader is shown it, the way a browser's address bar does: each letter of another script
    as itself (``/東京/``, not ``/%E6%9D%B1%E4%BA%AC/``), while an escaped space, ``%`` or ``/`` stays escaped."""
    def letters(m: re.Match[str]) -> str:
        try:
            return unquote(m.group(0), errors="strict")
        except UnicodeDecodeError:
            return m.group(0)
    return _ESCAPED_LETTERS.sub(letters, url)


def is_local(url: str) -> bool:
    """Whether an address is on this server: from its root, or relative (not ``//host/…``, nor ``#note``)."""
    return bool(url) and not url.startswith(("//", "#")) and _SCHEME.match(url) is None


def into_site(fragment: str, base_path: str) -> str:
    """Each link from the domain's root that leaves a site living below it (``/img/map.png`` on a site at
    ``/essays/``) read from the site's root instead: what a recorded version, whose text can no longer be
    mended, meant by it."""
    def inside(url: str) -> str:
        if not url.startswith("/") or url.startswith("//") or url.startswith(base_path) or url + "/" == base_path:
            return url
        return base_path + url[1:]
    return _map_links(fragment, inside)


def _join_links(fragment: str, base: str, relative_only: bool) -> str:
    """Each address in the fragment's links joined to ``base`` (``relative_only``: only those that depend on
    the page they are on; a link to a fragment of the same page stays as it is)."""
    return _map_links(fragment, lambda url: url if relative_only and _NOT_RELATIVE.match(url) else join(base, url))


_HOST = "http://h"


def join(base: str, url: str) -> str:
    """``urljoin``, but a link read from a root-relative ``base`` that climbs above the root stops there, as a
    browser's does: ``../../img/x.svg`` read from ``/essay/`` is ``/img/x.svg``, where ``urljoin`` gives the
    relative ``img/x.svg``, which leads somewhere else from every page."""
    if not base.startswith("/") or base.startswith("//") or urlsplit(url).scheme or url.startswith("//"):
        return urljoin(base, url)
    return urljoin(_HOST + base, url).removeprefix(_HOST)


def srcset(value: str) -> list[tuple[str, str]]:
    """A ``srcset``'s candidates, ``(address, width or density)``, read as HTML reads them: an address runs to
    the next space, commas and all (an image service's ``…/w_424,c_limit,f_webp/…``); a comma after its
    descriptor, or ending it, parts one candidate from the next."""
    found: list[tuple[str, str]] = []
    at, end = 0, len(value)
    while at < end:
        while at < end and (value[at].isspace() or value[at] == ","):
            at += 1
        start = at
        while at < end and not value[at].isspace():
            at += 1
        url = value[start:at]
        if not url:
            break
        if url.endswith(","):
            found.append((url.rstrip(","), ""))
            continue
        comma = value.find(",", at)
        found.append((url, value[at:comma if comma >= 0 else end].strip()))
        at = comma + 1 if comma >= 0 else end
    return found


def _map_links(fragment: str, change: Callable[[str], str]) -> str:
    """The fragment with ``change`` applied to each address in its tags' ``href``, ``src``, ``poster``,
    ``srcset``, ``data`` and ``cite`` values.  Text that only reads like an attribute (a code sample,
    ``a < b href=x`` in prose) is the author's words and stays as written; so does every value ``change`` leaves
    as it was."""
    def attribute(m: re.Match) -> str:
        space, name, equals, double, single, bare = m.groups()
        if name.lower() not in _LINKS:
            return m.group(0)  # not an address (data-href="…" is no link either)
        value = next(v for v in (double, single, bare) if v is not None)
        if name.lower() == "srcset":
            candidates = srcset(value)
            new = [(change(url), size) for url, size in candidates]
            changed = value if new == candidates else ", ".join(f"{url} {size}".strip() for url, size in new)
        else:
            changed = change(value)
        if changed == value:
            return m.group(0)
        if single is not None:
            return f"{space}{name}{equals}'{changed}'"
        return f'{space}{name}{equals}"{changed.replace(chr(34), "&quot;")}"'  # a bare value may hold a "

    def tag(m: re.Match) -> str:
        return _ATTRIBUTE.sub(attribute, m.group(0)) if "=" in m.group(0) else m.group(0)
    return _TAG.sub(tag, fragment)

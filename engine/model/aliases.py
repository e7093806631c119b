"""``aliases:`` in a post's front matter → the site paths that send readers on to it.

An alias is an address the post had elsewhere (an old blog's permalink, a page renamed by hand) written as
a path from the site's root (``/2016/11/28/old-slug/``, ``/old.html``) or as a full URL under the site's
``base_url``.  Each becomes a site path, as ``urls.py`` writes them (``2016/11/28/old-slug/``); what a
static host cannot serve (a ``?query``) is skipped with a warning.  Whether an alias collides with another
page is the site's to say, once every page is known (``site/redirects.py``).
"""
from __future__ import annotations

import logging
import unicodedata
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from ..errors import Report
from ..source.load import PostFile
from .types import Alias

log = logging.getLogger(__name__)

EXAMPLE = "aliases: [/2016/11/28/old-slug/]"


PAGE_KINDS = frozenset({"html", "htm", "xhtml", "shtml"})
"""The endings of an old address a host serves as a web page (the redirect page written there works)."""
FEED_KINDS = frozenset({"xml", "rss", "atom", "rdf", "json"})
"""The endings of an old feed's address (``/index.xml``, ``/rss.xml``): feed readers asked there."""
FEED_ADDRESS = "looks like an old feed's address, and a feed reader sent on from it to this post's page gets no feed"


def ending(path: str) -> str:
    """The ending of a site path's last segment, in small letters (``old.PHP`` → ``php``; a folder: none)."""
    last = path.rpartition("/")[2]
    return last.rpartition(".")[2].casefold() if "." in last else ""


FEED_FOLDERS = frozenset({"feed", "feeds", "rss", "rss2", "atom", "rdf"})
"""The last folder of an old feed's address without a file name (``/feed/``, WordPress's)."""


def feed_address(path: str) -> bool:
    """Whether a site path looks like an old feed's address (``index.xml``, ``rss.xml``, ``feed/``), where a
    page that sends readers on cannot stand in for a feed; none under ``.well-known/``, which is no feed."""
    if path.startswith(".well-known/"):
        return False
    last = path.rstrip("/").rpartition("/")[2].casefold()
    return ending(path) in FEED_KINDS or path.endswith("/") and last in FEED_FOLDERS


def served_as(path: str) -> str | None:
    """What is wrong with sending readers on from an alias's address, by its ending (None: nothing): an old
    feed's address, which no page can stand in for (no page is written there), or one a host that reads no
    ``_redirects`` serves as no web page."""
    kind = ending(path)
    if feed_address(path):
        return f"{FEED_ADDRESS}; skipped"
    if kind and kind not in PAGE_KINDS and not path.startswith(".well-known/"):
        return (f"a host that reads no `_redirects` sends the page written there as a .{kind} file, which browsers "
                "download instead of showing; only hosts that read `_redirects` (Netlify, Cloudflare Pages, GitLab "
                "Pages) send readers on from it")
    return None


class Unservable(ValueError):
    """An alias a static host cannot serve: readers asking for it get another page, whatever we write."""


def alias_list(value: Any, zone: Any) -> tuple[Any, ...]:
    """The front-matter converter: a list, whose items ``read_aliases`` checks one by one at their lines."""
    if not isinstance(value, list):
        raise ValueError(f"must be a list of old addresses, such as {EXAMPLE}")
    return tuple(value)


def read_aliases(source: PostFile, written: tuple[Any, ...], base_url: str, own: str,
                 report: Report) -> tuple[Alias, ...]:
    """Each alias as a site path with its line; a wrong one is an error there, an unservable one a warning
    (and left out).  ``own`` is the post's own site path, which cannot redirect to itself."""
    if not written:
        return ()
    lines = _item_lines(source, "aliases", len(written))
    found: dict[str, Alias] = {}
    for item, line in zip(written, lines):
        try:
            path = alias_path(item, base_url)
        except Unservable as e:
            report.warn(source.path, line, f"alias {item}: {e}; skipped")
            continue
        except ValueError as e:
            report.error(source.path, line, f"alias {item!r}: {e}" if not isinstance(item, str)
                         else f"alias {item}: {e}")
            continue
        if path.casefold() == own.casefold():
            report.error(source.path, line, f"alias {item} is this post's own address: remove it")
        elif path.casefold() in found:
            report.error(source.path, line, f"alias {item} is listed twice (also on line "
                                            f"{found[path.casefold()].line}): remove one")
        else:
            found[path.casefold()] = Alias(path, line)
    return tuple(found.values())


def alias_path(written: Any, base_url: str) -> str:
    """The site path an alias names (``/2016/11/28/old-slug`` → ``2016/11/28/old-slug/``; ``/old.html``
    stays a file), or ``ValueError`` saying why it names none."""
    if not isinstance(written, str):
        raise ValueError("must be an address written as text, such as /2016/11/28/old-slug/")
    try:
        parts = urlsplit(written.strip())
    except ValueError as e:
        raise ValueError(f"is not an address ({e})") from e
    if parts.query or written.rstrip().endswith("?"):
        raise Unservable(f"a static host serves {parts.path or '/'} whatever follows the `?`, so it cannot "
                         "redirect an address that differs only in its query")
    if parts.fragment:
        raise ValueError("has a `#…` part, which never reaches the server: write the address without it")
    path = _within_site(parts, base_url) if parts.scheme or parts.netloc else parts.path
    if not path.startswith("/"):
        raise ValueError("must be a path from the site's root, starting with / (such as /2016/11/28/old-slug/), "
                         "or a full URL on the site's own host")
    return _site_path(unquote(path))


def _within_site(parts, base_url: str) -> str:
    """A full URL's path from the site's root; an error unless it lies under ``base_url``."""
    base = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be a path (/old-slug/) or an http(s) URL")
    if parts.hostname.casefold() != (base.hostname or "").casefold():
        raise ValueError(f"is on {parts.hostname}, not on the site's own host {base.hostname}: a static site can "
                         "redirect only its own addresses")
    path = parts.path or "/"
    if not path.startswith(base.path):
        raise ValueError(f"lies outside the site, which lives at {base.path} (base_url)")
    return "/" + path[len(base.path):]


def _site_path(path: str) -> str:
    """``/a/b`` → ``a/b/``, ``/a/b/`` → ``a/b/``, ``/a/b.html`` → ``a/b.html``, ``/`` → the home page."""
    segments = path.split("/")[1:]
    if any(s in (".", "..") for s in segments):
        raise ValueError("may not contain `.` or `..` segments: write the address as readers reach it")
    if any(not s for s in segments[:-1]):
        raise ValueError("has an empty segment (`//`)")
    if any(unicodedata.category(c)[0] == "C" or c == "\\" for c in path):
        raise ValueError("holds a control character or a backslash, which no address may")
    last = segments[-1]
    return "/".join(segments) if not last or "." in last else "/".join(segments) + "/"


def _item_lines(source: PostFile, key: str, count: int) -> list[int]:
    """The line of each item of a list in the front matter, from the parser's marks (the key's own line
    for any the parser does not place)."""
    fallback = [source.line(key)] * count
    front = "\n".join(source.head.split("\n")[1:source.body_line - 2])  # between the fences
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return fallback
    if not isinstance(root, yaml.MappingNode):
        return fallback
    node = next((v for k, v in root.value if k.value == key), None)
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != count:
        return fallback
    return [item.start_mark.line + 2 for item in node.value]

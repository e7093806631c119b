"""The width and height of the site's own images, written into their ``<img>`` tags.

A browser that knows an image's size before it arrives keeps its place on
the page, so the text below does not jump when it loads.  Authors rarely
write the size by hand; the build reads it from the file (``imagesize``
reads only the header) for every image of the site's ``static/`` folder that
an essay or a note shows without one.  Other images are left as written.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SIZED = re.compile(r"\s(?:width|height)\s*=", re.IGNORECASE)


def sources(html: str, unsized: bool = False) -> list[str]:
    """The ``src`` of each ``<img>`` (``unsized``: of each that gives no width or height), as written."""
    found = []
    for tag in _IMG.finditer(html):
        src = _SRC.search(tag.group(0))
        if src and not (unsized and _SIZED.search(tag.group(0))):
            found.append(next(v for v in src.groups() if v is not None))
    return found


def local_sizes(html: str, base_path: str, static: Path) -> dict[str, tuple[int, int]]:
    """``src`` → (width, height) for the images of ``html`` that are files of ``static`` (the site's
    ``static/``, published at ``base_path``), by a root-relative address."""
    sizes: dict[str, tuple[int, int]] = {}
    unsized = sources(html, unsized=True)
    if not unsized:
        return sizes
    import imagesize  # here: it brings urllib.request and http.client, 20 ms of every build's start
    root = static.resolve()
    for src in unsized:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path.startswith(base_path):
            continue
        path = (static / unquote(parts.path[len(base_path):])).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            continue
        try:
            width, height = imagesize.get(path)
        except (OSError, ValueError) as e:
            log.debug("cannot read the size of %s: %s", path, e)
            continue
        if width > 0 and height > 0:  # an SVG's may be fractional (10.0): HTML wants whole pixels
            sizes[src] = (max(1, round(width)), max(1, round(height)))
    return sizes


def sized(html: str, sizes: dict[str, tuple[int, int]]) -> str:
    """``html`` with ``width`` and ``height`` on each ``<img>`` without them whose ``src`` ``sizes`` knows."""
    def tag(m: re.Match[str]) -> str:
        text = m.group(0)
        src = _SRC.search(text)
        found = sizes.get(next(v for v in src.groups() if v is not None)) if src else None
        if found is None or _SIZED.search(text):
            return text
        end = -2 if text.endswith("/>") else -1
        return f'{text[:end].rstrip()} width="{found[0]}" height="{found[1]}"{text[end:]}'
    return _IMG.sub(tag, html) if sizes else html

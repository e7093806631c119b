"""What the site holds before an import, read once: each post's file with its front matter, its address and
its aliases.  The readers are told from it which posts earlier imports brought (``imported_paths``), and the
writer what the site's posts already take (``write._existing``).

A reader whose ids were once written in another form (``wordpress:123``, before the blog's address was part
of a WordPress id) tells by these addresses whether a post the site has under the old form is the one it
is reading, or another source's post that happened to have the same number.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Report
from ..model.aliases import alias_path
from ..model.packed import Packed
from ..model.slugs import slugify
from ..site import urls as U
from ..source.load import read_split, walk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SitePost:
    """One post file of the site, as far as an import needs it."""

    path: Path
    meta: dict[str, Any]
    """Its front matter; empty where it cannot be read (the build says what is wrong with it)."""
    body: Packed | str
    """Its text after the front matter, packed as the build keeps it (``str()`` gives it)."""
    series: str | None
    address: str
    """Its site path, from its series and slug."""
    aliases: tuple[str, ...]
    """The site paths of its aliases that can be read."""


def site_posts(site: Path, posts_dir: Path, base_url: str) -> list[SitePost]:
    """Every post file under ``posts_dir``, as the build walks them."""
    if not posts_dir.is_dir():
        return []
    quiet = Report(site)  # the build says what is wrong with a post
    found = []
    for path in walk(posts_dir, quiet):
        try:
            source = read_split(path, quiet)
        except OSError:
            continue
        meta, body = (source.meta, source.body) if source else ({}, "")
        relative = path.relative_to(posts_dir)
        folder = relative.parts[0] if len(relative.parts) > 1 else None
        series = meta.get("series") if isinstance(meta.get("series"), str) else folder
        slug = meta.get("slug") if isinstance(meta.get("slug"), str) else slugify(path.stem)
        aliases = []
        for alias in meta.get("aliases") if isinstance(meta.get("aliases"), list) else ():
            try:
                aliases.append(alias_path(alias, base_url))
            except ValueError:
                continue  # the build says what is wrong with it
        found.append(SitePost(path, meta, body, series, U.address(series, slug), tuple(aliases)))
    return found


def imported_paths(posts: list[SitePost]) -> dict[str, frozenset[str]]:
    """``imported_from`` → the site paths (``slug/``, ``2016/11/22/old-slug/``, casefolded) of the post an
    earlier import wrote from it; the first such post, as the writer reads them."""
    found: dict[str, frozenset[str]] = {}
    for post in posts:
        key = post.meta.get("imported_from")
        if isinstance(key, str) and key not in found:
            found[key] = frozenset(path.casefold() for path in (post.address, *post.aliases))
    return found

"""What earlier imports left in the site, as a reader needs to know it before it reads: each imported post's
``imported_from`` and the addresses the post answers at (its own and its aliases).

A reader whose ids were once written in another form (``wordpress:123``, before the blog's address was part
of a WordPress id) tells by these addresses whether a post the site has under the old form is the one it
is reading, or another source's post that happened to have the same number.
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..config import Config
from ..errors import Report
from ..model.aliases import alias_path
from ..model.slugs import slugify
from ..site import urls as U
from ..source.load import read_split, walk

log = logging.getLogger(__name__)


def imported_paths(site: Path, config: Config) -> dict[str, frozenset[str]]:
    """``imported_from`` → the site paths (``slug/``, ``2016/11/22/old-slug/``, casefolded) of the post an
    earlier import wrote from it; the first such post, as the writer reads them."""
    posts_dir = site / config.posts_dir
    found: dict[str, frozenset[str]] = {}
    if not posts_dir.is_dir():
        return found
    quiet = Report(site)  # the build says what is wrong with a post
    for path in walk(posts_dir, quiet):
        try:
            source = read_split(path, quiet)
        except OSError:
            continue
        meta = source.meta if source else {}
        key = meta.get("imported_from")
        if isinstance(key, str) and key not in found:
            found[key] = _paths(meta, path.relative_to(posts_dir), config.base_url)
    return found


def _paths(meta: dict[str, object], relative: Path, base_url: str) -> frozenset[str]:
    folder = relative.parts[0] if len(relative.parts) > 1 else None
    series = meta.get("series") if isinstance(meta.get("series"), str) else folder
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else slugify(relative.stem)
    paths = {U.address(series, slug)}  # type: ignore[arg-type]
    aliases = meta.get("aliases")
    for alias in aliases if isinstance(aliases, list) else ():
        try:
            paths.add(alias_path(alias, base_url))
        except ValueError:
            continue  # the build says what is wrong with it
    return frozenset(path.casefold() for path in paths)

"""Series found where a source has no series of its own: in titles ("…, Part 3", "Part 3: …") or in
a category or tag the author names with ``--series-from``.

Readers hand the posts and, for terms, each post's category or tag names; these functions give each
post that belongs to a series its series slug and part number, and return the series.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone

from ..model.slugs import slugify
from .model import ImportedPost, SeriesInfo

log = logging.getLogger(__name__)

_NAME_FIRST = re.compile(r"^(?P<name>.+?)\s*(?:[,:;–—-]|\()\s*Part\s+(?P<number>\d{1,4})\b\)?(?:\s*[:.–—-]\s*.*)?$",
                         re.I)
_PART_FIRST = re.compile(r"^Part\s+(?P<number>\d{1,4})\s*(?:[:.–—-]\s*(?P<name>.+))?$", re.I)
_LATEST = datetime.max.replace(tzinfo=timezone.utc)


def series_of_title(title: str) -> tuple[str, int] | None:
    """``("Sanctuary Cities", 3)`` for "Sanctuary Cities, Part 3" (or "…: Part 3", "… (Part 3)"); for
    "Part 3: …" the name is empty (the series is then the post's first category, or one for them all)."""
    found = _NAME_FIRST.match(title.strip())
    if found and int(found.group("number")) > 0:
        return found.group("name").strip(), int(found.group("number"))
    found = _PART_FIRST.match(title.strip())
    if found and int(found.group("number")) > 0:
        return "", int(found.group("number"))
    return None


def by_title(posts: list[ImportedPost], fallback: dict[str, str], default: str
             ) -> tuple[list[ImportedPost], dict[str, SeriesInfo]]:
    """Series from titles; a "Part 3: …" title joins the series ``fallback`` names for it (its first
    category) or ``default`` (the site's title).  As with terms, a series needs two posts: a lone "…,
    part 1" whose sequel never came stays a post."""
    names: dict[str, str] = {}
    for post in posts:
        found = series_of_title(post.title) if post.layout == "post" else None
        if found:
            names[post.source_id] = found[0] or fallback.get(post.source_id) or default
    size = Counter(slugify(name) for name in names.values())
    return _assign(posts, {key: name for key, name in names.items() if size[slugify(name)] > 1}, numbered=True)


def by_terms(posts: list[ImportedPost], terms: dict[str, list[str]]) -> tuple[list[ImportedPost],
                                                                             dict[str, SeriesInfo]]:
    """Series from categories or tags: a term two or more posts share is a series; a post with several
    joins the smallest (the most particular)."""
    size = Counter(slugify(t) for found in terms.values() for t in dict.fromkeys(found))
    names: dict[str, str] = {}
    for post in posts:
        fitting = [t for t in terms.get(post.source_id, []) if size[slugify(t)] > 1] if post.layout == "post" else []
        if fitting:
            names[post.source_id] = min(fitting, key=lambda t: (size[slugify(t)], slugify(t)))
    return _assign(posts, names, numbered=False)


def _assign(posts: list[ImportedPost], names: dict[str, str], numbered: bool
            ) -> tuple[list[ImportedPost], dict[str, SeriesInfo]]:
    members: dict[str, list[ImportedPost]] = {}
    for post in posts:
        if post.source_id in names:
            members.setdefault(slugify(names[post.source_id]), []).append(post)
    parts: dict[str, tuple[str, int]] = {}
    for slug, group in members.items():
        from_titles = [series_of_title(p.title)[1] for p in group] if numbered else []  # type: ignore[index]
        ordered = sorted(group, key=lambda p: (p.draft, p.date or _LATEST, p.title))
        own = numbered and len(set(from_titles)) == len(from_titles)
        for number, post in enumerate(ordered, start=1):
            parts[post.source_id] = (slug, series_of_title(post.title)[1] if own else number)  # type: ignore[index]
    series = {slug: SeriesInfo(slug, names[group[0].source_id]) for slug, group in members.items()}
    result = []
    for post in posts:
        if post.source_id in parts:
            slug, part = parts[post.source_id]
            post = replace(post, series=slug, part=part, tags=tuple(t for t in post.tags if slugify(t) != slug))
        result.append(post)
    return result, series


CATEGORIES = "_categories"
"""Where a site folder's reader keeps a post's categories in ``ImportedPost.extra``, for ``folder_series``."""


def folder_series(posts: list[ImportedPost], own: dict[str, SeriesInfo], how: str | None, default: str
                  ) -> tuple[list[ImportedPost], dict[str, SeriesInfo]]:
    """A site folder's posts (Jekyll, Hugo, Pelican) with ``--series-from`` applied to those the source's own
    series (``own``) left in none: by category, by the post's other tags, or by title ("Part 3: …" joins its
    first category's series, or ``default``'s).  The readers' private keys (``_categories``, ``_series_title``)
    are taken out of every post."""
    free = [p for p in posts if p.series is None]
    categories = {p.source_id: list(p.extra.get(CATEGORIES, ())) for p in free}  # type: ignore[call-overload]
    found: dict[str, SeriesInfo] = {}
    if how == "title":
        free, found = by_title(free, {k: v[0] for k, v in categories.items() if v}, default)
    elif how == "category":
        free, found = by_terms(free, categories)
    elif how == "tag":
        free, found = by_terms(free, {p.source_id: [t for t in p.tags if t not in categories[p.source_id]]
                                      for p in free})
    clash = set(found) & set(own)  # a category named like a series of the source's own: that one wins
    placed = {p.source_id: p for p in free if p.series not in clash}
    result = []
    for post in posts:
        post = placed.get(post.source_id, post)
        result.append(replace(post, extra={k: v for k, v in post.extra.items() if not k.startswith("_")}))
    return result, {**{k: v for k, v in found.items() if k not in clash}, **own}

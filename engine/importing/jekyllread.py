"""Which files a Jekyll site read, as its ``_config.yml`` then stood: a post's text committed where Jekyll
never looked (a private ``_notes/`` folder, one ``exclude:`` names) was never on the site, and no version.

Jekyll's own rule (its ``EntryFilter``): a file or folder whose name begins with ``.``, ``_``, ``#`` or ``~``
is skipped unless ``include:`` names it, or it is a folder Jekyll reads for what it holds (``_posts``,
``_drafts``, a collection's whose documents have pages); one that ``exclude:`` names is skipped, and so is what it holds (a name there is
a glob, or the start of the path).  Jekyll adds its own names to ``exclude:`` (``node_modules``, ``vendor/…``,
``Gemfile``).
"""
from __future__ import annotations

import functools
import logging
from fnmatch import fnmatchcase
from typing import Any

import yaml

log = logging.getLogger(__name__)

EXCLUDED = (".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules", "vendor/bundle/",
            "vendor/cache/", "vendor/gems/", "vendor/ruby/")
"""What Jekyll excludes whatever ``exclude:`` says."""
_READ = ("_posts", "_drafts")
"""Folders beginning with ``_`` that Jekyll reads posts from, wherever they are."""


def read_by_jekyll(name: str, settings: bytes | None, current: dict[str, Any]) -> bool:
    """Whether Jekyll read the file at ``name`` (from the site's top), its ``_config.yml`` as a commit left it
    (``settings``; None: the site had none then); ``current`` is the settings now, for one that cannot be
    read (a site whose settings do not load does not build)."""
    config = {} if settings is None else _config(settings)
    if config is None:
        config = current
    exclude, include = _names(config.get("exclude")), _names(config.get("include"))
    folders = {*_READ, *(f"_{name}" for name, shown in collections(config).items() if shown)}
    home = str(config.get("collections_dir") or "").strip("/")
    parts = name.split("/")
    for depth, entry in enumerate(parts, start=1):
        path = "/".join(parts[:depth])
        included = any(_matches(pattern, path) or _matches(pattern, entry) for pattern in include)
        if not included and any(_matches(pattern, path) for pattern in (*EXCLUDED, *exclude) if pattern not in
                                include):
            return False
        special = entry.startswith((".", "_", "#", "~")) or entry.endswith("~")
        if special and not included and not (depth < len(parts) and (entry in folders or path == home)):
            return False
    return True


def _matches(pattern: str, path: str) -> bool:
    """Jekyll's ``glob_include?``: a glob, or the start of the path (``notes`` skips ``notes/x.md``)."""
    return fnmatchcase(path, pattern) or path.startswith(pattern) or pattern == f"{path}/"


def _names(value: object) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(str(item).strip().removeprefix("/") for item in values if isinstance(item, (str, int, float)))


def collections(config: dict[str, Any]) -> dict[str, bool]:
    """The site's collections (``collections:`` as a list or a mapping), ``posts`` aside, each with whether Jekyll
    made a page of each of its documents (``output: true``; a list's never): a draft kept in one that made none
    was never on the site."""
    found = config.get("collections")
    if isinstance(found, list):
        return {str(name): False for name in found if str(name) != "posts"}
    if not isinstance(found, dict):
        return {}
    return {str(name): isinstance(settings, dict) and settings.get("output") is True
            for name, settings in found.items() if str(name) != "posts"}


@functools.lru_cache(maxsize=32)
def _config(settings: bytes) -> dict[str, Any] | None:
    """A ``_config.yml`` as a commit left it; None when it cannot be read."""
    try:
        loaded = yaml.safe_load(settings.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return loaded if isinstance(loaded, dict) else {}

"""What a burst of changed paths means to ``serve``: one pure function, tested by a table.

The watcher hears of every file event under the site; ``kind_of`` says of one
path whether a build reads it at all, and ``classify`` says of a burst what it
touched.  Serve drops the paths no build reads before they can start (or call
off) a build — above all the build's own writes — and shows one post's edited
text at once, before the full rebuild, when that is all a burst holds.
Everything else rebuilds the whole site, which is cheap: only what changed is
rendered and written.  Hidden files are the build's to leave out, not serve's:
``static/.well-known/`` is published.

Nothing here touches the disk: the caller says which paths are gone.
"""
from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from ...config import CONFIG_FILE, SOURCE_FOLDERS
from ...source.files import EDITOR_FILES, REPOSITORIES
from ...source.load import VERSIONS_SUFFIX

TEMPLATES, STATIC = SOURCE_FOLDERS

_NOT_THE_AUTHORS = (".git", ".feuilleton")
"""Prefixes of folders no build reads: version control's, and Feuilleton's cache, staging and spare output."""
QUICK_PATHS = 3
"""Most paths one save touches: an editor that saves by renaming a temporary file over the post."""


class ChangeKind(enum.Enum):
    """What a burst of changes touched, from least to most."""

    NOTHING = "nothing"
    """Editors' and version control's files, Feuilleton's own folders: no build reads them."""
    OUTPUT = "output"
    """The output folder, which only the build writes."""
    POST_TEXT = "post text"
    """One post's Markdown file, and nothing else still there: its page can be shown before the rebuild."""
    OTHER = "other"
    """Anything else in the site folder, such as a folder that may become the posts folder."""
    STATIC = "static"
    """Files copied as they are."""
    POSTS = "posts"
    """Posts (more than one, or one and something else), ``series.toml``, recorded versions."""
    TEMPLATES = "templates"
    """The site's templates: any page may change."""
    CONFIG = "config"
    """``config.toml``: every page may change."""

    @property
    def rebuilds(self) -> bool:
        """Whether a change of this kind calls for a build."""
        return self not in (ChangeKind.NOTHING, ChangeKind.OUTPUT)


_ORDER = list(ChangeKind)


@dataclass(frozen=True)
class Layout:
    """Where a site keeps what: the part of its settings that tells its paths apart."""

    root: PurePath
    """The site folder, absolute, as the watcher names the paths under it."""
    posts: str
    """``posts_dir``, relative to ``root``."""
    output: str
    """``output_dir``, relative to ``root``."""


def kind_of(path: str, layout: Layout) -> ChangeKind:
    """The kind of a change to one path (``POST_TEXT`` for any post's Markdown file; ``classify`` decides
    whether a burst is one post's text alone)."""
    try:
        parts = PurePath(path).relative_to(layout.root).parts
    except ValueError:
        return ChangeKind.OTHER
    if not parts:
        return ChangeKind.OTHER
    if EDITOR_FILES.search(parts[-1]) or any(part.startswith(_NOT_THE_AUTHORS) or part in REPOSITORIES
                                             for part in parts):
        return ChangeKind.NOTHING
    if _under(parts, layout.output):
        return ChangeKind.OUTPUT
    if parts == (CONFIG_FILE,):
        return ChangeKind.CONFIG
    if parts[0] == TEMPLATES:
        return ChangeKind.TEMPLATES
    if parts[0] == STATIC:
        return ChangeKind.STATIC
    if _under(parts, layout.posts):
        archived = any(part.endswith(VERSIONS_SUFFIX) for part in parts[:-1])
        return ChangeKind.POSTS if archived or not parts[-1].endswith(".md") else ChangeKind.POST_TEXT
    if len(parts) == 1 and Path(path).is_file():
        return ChangeKind.NOTHING  # a file beside config.toml (a README, serve's own log) feeds no page
    return ChangeKind.OTHER


def classify(paths: Iterable[str], layout: Layout, gone: Collection[str] = frozenset()) -> ChangeKind:
    """The kind of a burst of changed ``paths``, of which ``gone`` no longer exist.

    One post's text is a burst of at most ``QUICK_PATHS`` paths in which the only one still there is a
    post's Markdown file (an editor's temporary file renamed over it is gone); any other burst is the
    broadest kind among its paths.
    """
    kinds = {path: kind_of(path, layout) for path in set(paths)}
    heard = [path for path, kind in kinds.items() if kind.rebuilds]
    if not heard:
        return ChangeKind.OUTPUT if ChangeKind.OUTPUT in kinds.values() else ChangeKind.NOTHING
    present = [path for path in heard if path not in gone]
    if len(heard) <= QUICK_PATHS and len(present) == 1 and kinds[present[0]] is ChangeKind.POST_TEXT:
        return ChangeKind.POST_TEXT
    posts = (ChangeKind.POSTS if kinds[path] is ChangeKind.POST_TEXT else kinds[path] for path in heard)
    return max(posts, key=_ORDER.index)


def _under(parts: tuple[str, ...], folder: str) -> bool:
    """Whether a path (as parts below the site) is ``folder`` or lies in it."""
    inside = PurePath(folder).parts
    return parts[:len(inside)] == inside

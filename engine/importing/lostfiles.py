"""The files a post's earlier versions link, as the commit each version was taken from left them, so that an old
version's page shows the file it showed.

A file the folder no longer holds (moved or deleted since) is copied into ``static/`` from that commit, at the
address the version links.  A file that had other bytes then than the one at its address now (replaced since,
or deleted and another added under its name later, or another version's of that name) cannot share that
address: it is copied to one of its own, named by its bytes (``images/chart.3f2a1b9c0d4e.png``), and that
version's links lead there.  The import writes each version's text and seals it only then, so the link is
changed in the version as recorded, never in the post; the report says so.

``history.py`` calls ``with_lost_files`` once each post's versions are known; ``write.py`` copies the files into
``static/`` as it copies the files the folder holds.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..source.files import read_regular
from .folder import LFS_POINTER, Files, rewrite_links
from .gitlog import blobs, relative
from .model import Asset, ImportedPost, Skipped

log = logging.getLogger(__name__)

_COMMITTED = re.compile(r"git ([0-9a-f]{40})")


def with_lost_files(files: Files, post: ImportedPost, repo: Path, notes: list[Skipped],
                    claimed: dict[str, Asset]) -> ImportedPost:
    """The post with the files its earlier versions link as their commits left them, newest version first.
    ``claimed`` holds, by its target, each file copied from a commit to the address the versions link, for
    every post of the import: the first to claim an address keeps it, and a version that showed other bytes
    there links a copy of its own.  A file that neither the folder nor the commit holds, or that the commit
    keeps in Git LFS, is reported."""
    linked = _linked(files, post)
    found = blobs(repo, [(commit, name) for _, commit, _, places in linked for name in _names(places, repo)])
    current = functools.cache(_bytes)  # a file now in the folder, read once however many versions link it
    now = {asset.target: asset.source for asset in post.assets if asset.data is None}
    assets: dict[str, Asset] = {}
    moved: dict[int, dict[str, str]] = {}
    for index, commit, target, places in linked:
        held = now.get(target) or next((place for place in places if place.is_file()), None)
        then = next(((name, found[commit, name]) for name in _names(places, repo) if (commit, name) in found), None)
        if then is None or then[1].startswith(LFS_POINTER):
            if held is None:
                why = "which that commit keeps in Git LFS, out of the import's reach" if then else \
                    "which neither the folder nor that commit holds"
                notes.append(Skipped(post.where, f"linked file /{target}", f"an earlier version (commit "
                                     f"{commit[:12]}) links it, {why}: that version's link leads nowhere"))
            continue
        name, data = then
        if not files.copied(data):
            continue
        asset = Asset(repo / name, target, data, commit)
        first = None if held is not None else claimed.setdefault(target, asset)
        shown = first.data if first is not None else current(held)
        if shown is None or shown == data:
            if first is not None:
                assets.setdefault(target, asset)
            continue
        copy = replace(asset, target=fingerprinted(target, data))
        assets.setdefault(copy.target, copy)
        moved.setdefault(index, {})[target] = copy.target
        notes.append(_moved_note(post, index, copy, target, first))
    history = tuple(replace(revision, markdown=_relinked(files, revision.markdown, moved[index]))
                    if index in moved else revision for index, revision in enumerate(post.history))
    return replace(post, assets=(*post.assets, *assets.values()), history=history) if assets else post


def _moved_note(post: ImportedPost, index: int, copy: Asset, target: str, first: Asset | None) -> Skipped:
    """What the report says of a version whose link to ``target`` now leads to ``copy``: what it showed, and
    what ``static/`` holds at ``target`` instead (``first``, another version's; None: the source's file)."""
    other = "the source's file now" if first is None else \
        f"commit {first.commit[:12]}'s, which static/{target} holds for another version"
    return Skipped(post.where, f"linked file /{target}", f"version {index + 1} showed it as commit "
                   f"{copy.commit[:12]} left it, with other bytes than {other}: version {index + 1}'s link leads to "
                   f"a copy from that commit, static/{copy.target}", kept=True)


def fingerprinted(target: str, data: bytes) -> str:
    """An address under ``static/`` for a file of these bytes beside ``target``, named by them
    (``images/chart.png`` → ``images/chart.3f2a1b9c0d4e.png``): one copy for every version that showed them,
    the same on every run."""
    path = PurePosixPath(target)
    return path.with_name(f"{path.stem}.{hashlib.sha256(data).hexdigest()[:12]}{path.suffix}").as_posix()


def _linked(files: Files, post: ImportedPost) -> list[tuple[int, str, str, list[Path]]]:
    """Each file each earlier version links, newest version first: its number in the history (from 0), its
    commit, the file's target under ``static/`` and the places the old site served it from.  The last text
    is the post's own, whose files the folder holds."""
    linked = []
    for index in reversed(range(len(post.history) - 1)):
        committed = _COMMITTED.fullmatch(post.history[index].origin)
        if committed is not None:
            targets = dict(_files(files, post.history[index].markdown))
            linked += [(index, committed.group(1), target, places) for target, places in targets.items()]
    return linked


def _files(files: Files, markdown: str) -> list[tuple[str, list[Path]]]:
    """``Files.file_places`` of every address a text links."""
    found: list[tuple[str, list[Path]]] = []

    def collect(url: str) -> None:
        places = files.file_places(url)
        if places is not None:
            found.append(places)
    rewrite_links(markdown, collect)
    return found


def _names(places: list[Path], repo: Path) -> list[str]:
    """The places a file may be at, by their names in the repository (those inside it)."""
    return [relative(place, repo) for place in places if place.resolve().is_relative_to(repo)]


def _relinked(files: Files, markdown: str, moved: dict[str, str]) -> str:
    """A version's text with each link to a file of ``moved`` (by target) leading to its copy instead."""
    def link(url: str) -> str | None:
        places = files.file_places(url)
        if places is None or places[0] not in moved:
            return None
        parts = urlsplit(url)
        return files.options.static_url(moved[places[0]]) + (f"?{parts.query}" if parts.query else "") + \
            (f"#{parts.fragment}" if parts.fragment else "")
    return rewrite_links(markdown, link)


def _bytes(path: Path) -> bytes | None:
    try:
        return read_regular(path)
    except OSError:
        return None

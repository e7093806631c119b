"""The files a post's earlier versions link that the source folder no longer holds (an image moved or deleted
since the version was committed), read from the commit each version was taken from, so that an old version's
page shows the image it showed.  ``history.py`` adds them to a post once its versions are known; ``write.py``
copies them into ``static/`` as it copies the files the folder holds.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from .folder import LFS_POINTER, Files, rewrite_links
from .gitlog import blobs, relative
from .model import Asset, ImportedPost, Skipped

log = logging.getLogger(__name__)

_COMMITTED = re.compile(r"git ([0-9a-f]{40})")


def with_lost_files(files: Files, post: ImportedPost, repo: Path, notes: list[Skipped]) -> ImportedPost:
    """The post with the files its earlier versions link that the folder no longer holds (an image moved or
    deleted since), each as the commit of the newest version that links it left it: a reader of an old version
    sees what it showed.  One that commit lacks too, or keeps in Git LFS, is reported."""
    have = {asset.target for asset in post.assets}
    wanted: dict[tuple[str, str], list[str]] = {}
    for revision in reversed(post.history[:-1]):  # the last is the post's own text, whose files the folder holds
        committed = _COMMITTED.fullmatch(revision.origin)
        if committed is None:
            continue
        for target, places in _lost_links(files, revision.markdown):
            names = [relative(place, repo) for place in places if place.resolve().is_relative_to(repo)]
            if target not in have and names:
                wanted.setdefault((committed.group(1), target), names)
    found = blobs(repo, [(commit, name) for (commit, _), names in wanted.items() for name in names])
    assets: dict[tuple[str, bytes], Asset] = {}
    for (commit, target), names in wanted.items():
        held = [(name, found[commit, name]) for name in names if (commit, name) in found]
        if held and not held[0][1].startswith(LFS_POINTER):
            name, data = held[0]
            if files.copied(data):
                assets.setdefault((target, data), Asset(repo / name, target, data, commit))
            continue
        why = "which that commit keeps in Git LFS, out of the import's reach" if held else \
            "which neither the folder nor that commit holds"
        notes.append(Skipped(post.where, f"linked file /{target}", f"an earlier version (commit {commit[:12]}) "
                             f"links it, {why}: that version's link leads nowhere"))
    return replace(post, assets=(*post.assets, *assets.values())) if assets else post


def _lost_links(files: Files, markdown: str) -> list[tuple[str, list[Path]]]:
    """``Files.lost`` of every address a text links."""
    found: list[tuple[str, list[Path]]] = []

    def collect(url: str) -> None:
        lost = files.lost(url)
        if lost is not None:
            found.append(lost)
    rewrite_links(markdown, collect)
    return found

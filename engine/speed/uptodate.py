"""Is ``output/`` already what a build would write?  Answered without running the pipeline.

A build whose inputs did not change should cost a glance, not a second
rendering nothing.  Each successful build leaves a stamp in the cache
folder: the size, mtime and inode of every file the build read (taken
*before* it read them), of the engine's own code and theme and of the
libraries that shape the output; the options and output folder; the window
of time in which no post changes between "published" and "future"; and
the state of every file and folder in ``output/`` just after it was
written.  ``feuilleton build`` compares all of that with the disk first,
and only when anything differs does it import and run the pipeline.

Files modified within ``RACY_NS`` of the scan are not trusted (the "racy
clean" problem git's index has: a coarse mtime cannot tell two saves in the
same tick apart), and neither is a drafts build that shows undated drafts
(they take the build's time as their date).  Deleting the cache folder
deletes the stamp; the next build is then a full one.
"""
from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import logging
import os
import pickle
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from .. import HOME
from ..errors import Diagnostic
from ..source.files import REPOSITORIES, entry_is, read_regular, replace_bytes
from . import pickles

log = logging.getLogger(__name__)

STAMP = "stamp.pickle"
_FORMAT = 1
RACY_NS = 2_000_000_000
"""Inputs modified less than two seconds before the scan might change again unseen in the same tick."""
_LIBRARIES = ("pyromark", "jinja2", "markupsafe", "feedgen", "lxml", "yaml", "pygments", "frontmatter", "babel",
              "ebooklib")
"""The libraries whose upgrade can change the bytes of a page or feed."""
_RENDERERS = ("Jinja2", "MarkupSafe", "feedgen", "lxml", "Babel", "tzdata", "EbookLib")
"""The distributions that turn a page's view data into its bytes (templates, escaping, feeds, dates, zones)."""

FileState = tuple[int, int, int]
"""``(size, mtime_ns, inode)``: a file that keeps all three is taken to keep its bytes."""
MISSING: FileState = (-1, -1, -1)
"""The state of a file or folder that does not exist."""


@dataclass(frozen=True)
class Inputs:
    """What a build is about to read, as the disk showed it before reading."""

    files: dict[str, FileState]
    """Every input file (site files, engine code and theme, library entry points) by absolute path."""
    racy: bool
    """Some file was modified too recently for its mtime to be trusted."""


@dataclass(frozen=True)
class Stamp:
    """What the last successful build read and wrote."""

    key: tuple
    """The format, the Python, the site, the options and the output folder the build used."""
    inputs: Inputs
    valid_from: datetime | None
    """The newest date of a published post: a clock set before it would unpublish that post."""
    valid_until: datetime | None
    """The oldest date of a post held back as future: from then on it is published."""
    output: dict[str, FileState]
    """Every file and folder of ``output/`` (relative paths; ``""`` is the folder itself)."""
    pages: int
    """Counts and warnings, to report the same summary the build reported."""
    feeds: int
    warnings: tuple[Diagnostic, ...]


def state(stat: os.stat_result) -> FileState:
    """What is compared of a file: its size, mtime and inode."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _walk(root: Path, into: dict[str, FileState], folders: bool = True,
          unentered: frozenset[str] = frozenset()) -> None:
    """Every file and folder under ``root`` (folders too: their mtime changes when an entry comes or goes;
    a ``root`` that does not exist is recorded as missing, so that creating it counts as a change).

    ``folders=False`` records files only and skips ``__pycache__``: for the engine's own code, whose
    folder changes when Python first caches bytecode beside it.
    """
    try:
        if folders:
            into[str(root)] = state(os.stat(root))
        entries = list(os.scandir(root))
    except OSError:  # gone, not a folder, or a link in a loop: recorded as missing, which no state equals
        into.setdefault(str(root), MISSING)
        return
    for entry in entries:
        if entry_is(entry.is_dir) and not (entry.is_symlink() and _loops(entry.path)):
            if (folders or entry.name != "__pycache__") and entry.name not in unentered:
                _walk(Path(entry.path), into, folders, unentered)
        else:
            try:
                into[entry.path] = state(entry.stat())
            except OSError:  # a dangling link, or one that cannot be followed: left out, as the build skips it
                continue


def _loops(link: str) -> bool:
    """Whether a linked folder is one of the folders that hold the link: walking it would never end."""
    target, here = os.path.realpath(link), os.path.realpath(os.path.dirname(link))
    return here == target or here.startswith(target.rstrip("/") + "/")


def scan(site_dir: Path, posts_dir: Path) -> Inputs:
    """The state of everything a build of ``site_dir`` reads; call it before reading any of it."""
    started = time.time_ns()
    files: dict[str, FileState] = {}
    for single in [site_dir / "config.toml", *_library_files()]:
        try:
            files[str(single)] = state(os.stat(single))
        except OSError:
            files[str(single)] = MISSING
    for root in (posts_dir, site_dir / "templates"):
        _walk(root, files)
    _walk(site_dir / "static", files, unentered=REPOSITORIES)  # a clone's history is never published
    _walk(HOME, files, folders=False)
    racy = any(mtime >= started - RACY_NS for _, mtime, _ in files.values())
    return Inputs(files, racy)


def _library_files() -> list[str]:
    found = []
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            found.append(spec.origin)
    return found


@functools.lru_cache(maxsize=1)
def library_versions() -> str:
    """Python's version and those of the libraries that render pages and feeds, for the fingerprint of
    rendered bytes: an upgrade renders them anew."""
    found = [sys.version]
    for name in _RENDERERS:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} absent")
    return "\n".join(found)


def snapshot(out: Path, files: Iterable[str] | None = None) -> dict[str, FileState]:
    """Every file and folder of a freshly written ``output/``, by path relative to it.

    ``files``, when given, are the files the build just made ``output/`` hold: those, their folders and
    ``output/`` itself are looked at one by one, and only the other top-level entries (a deploy
    worktree's ``.git``) are walked, so that a large site's folders are not all opened again.
    """
    found: dict[str, FileState] = {}
    if files is None:
        _walk(out, found)
    else:
        files = set(files)
        tops = {rel.split("/", 1)[0] for rel in files}
        try:
            others = [name for name in os.listdir(out) if name not in tops]
        except OSError:
            others = []
        folders = {str(out)} | {f"{out}/{rel.rpartition('/')[0]}" for rel in files if "/" in rel}
        for path in sorted(_ancestors(folders, str(out))) + [f"{out}/{rel}" for rel in files]:
            try:
                found[path] = state(os.stat(path))
            except OSError:
                found[path] = MISSING
        for name in others:
            _walk_entry(out / name, found)
    prefix = len(str(out)) + 1
    return {path[prefix:]: known for path, known in found.items()}


def _ancestors(folders: set[str], root: str) -> set[str]:
    """The folders and every folder between each and ``root``."""
    found = set()
    for folder in folders:
        while folder not in found and len(folder) >= len(root):
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def _walk_entry(path: Path, into: dict[str, FileState]) -> None:
    """One entry of a folder as ``_walk`` records it: a folder walked, anything else stated."""
    if path.is_dir() and not (path.is_symlink() and _loops(str(path))):
        _walk(path, into)
        return
    try:
        into[str(path)] = state(os.stat(path))
    except OSError:
        into[str(path)] = MISSING


def key(site_dir: Path, drafts: bool, future: bool, out: Path) -> tuple:
    """What a stamp holds only for the same build: the Python, the Feuilleton running (an install elsewhere,
    its theme another, leaves the last one's files as they were), the site, the options, the output folder."""
    return (_FORMAT, sys.version, str(HOME), str(site_dir), drafts, future, str(out))


def save(cache_dir: Path, stamp: Stamp) -> None:
    """Keep the stamp for the next build (atomically; a stamp that cannot be written is skipped)."""
    if stamp.inputs.racy:
        remove(cache_dir)
        return
    try:
        cache_dir.mkdir(exist_ok=True)
        replace_bytes(cache_dir / STAMP, pickle.dumps(stamp, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
    except OSError as e:
        log.debug("cannot write %s (%s)", cache_dir / STAMP, e)


def remove(cache_dir: Path) -> None:
    """Forget the stamp (before a build that may change ``output/``)."""
    try:
        os.unlink(cache_dir / STAMP)
    except FileNotFoundError:
        pass
    except OSError as e:  # an unusable cache folder only makes builds slower
        log.debug("cannot remove %s (%s)", cache_dir / STAMP, e)


def current(cache_dir: Path, site_dir: Path, drafts: bool, future: bool, out: Path,
            now: datetime) -> Stamp | None:
    """The last build's stamp if nothing it depends on changed since, else None."""
    try:
        stamp = pickles.loads(read_regular(cache_dir / STAMP))
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError) as e:
        log.debug("no usable stamp (%s)", e)
        return None
    if not isinstance(stamp, Stamp) or stamp.key != key(site_dir, drafts, future, out) or stamp.inputs.racy:
        return None
    if stamp.valid_from is not None and now < stamp.valid_from:
        return None
    if stamp.valid_until is not None and now >= stamp.valid_until:
        return None
    if _changed(stamp.inputs.files, "") or _changed(stamp.output, f"{out}{os.sep}"):
        return None
    return stamp


def _changed(recorded: dict[str, FileState], prefix: str) -> bool:
    """Whether any recorded file or folder differs on disk now (or any folder gained an entry)."""
    for path, then in recorded.items():
        try:
            if state(os.stat(prefix + path if path else prefix.rstrip(os.sep))) != then:
                return True
        except OSError:
            if then != MISSING:
                return True
    return False

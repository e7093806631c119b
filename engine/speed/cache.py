"""A cache of expensive results, keyed by content hashes, kept between builds.

It lives in ``.feuilleton-cache/`` beside ``config.toml`` and is always safe
to delete: every entry is keyed by a hash of everything its value depends
on, so a build without it produces the same bytes, only slower.  It holds
rendered Markdown and diffs (their HTML as ``Fragment``s), summaries, the
files last read, the fingerprint of every page last written, and where in
its packs (``store.py``) the bytes of every page and feed last rendered lie.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, Callable, Sequence

from .. import HOME
from ..config import CACHE_DIR
from ..model.packed import Packed
from ..source.files import open_regular, replace_atomically
from ..text import markdown
from ..text.quotes import Marks
from ..text.diff import Diff, diff_html
from ..text.fragment import Fragment
from . import pickles
from .parallel import parallel_map
from .store import Packs, Stored
from .uptodate import FileState, state

log = logging.getLogger(__name__)

_FORMAT = 8


def _code_digest() -> str:
    """A hash of the engine's own code: a new Feuilleton never trusts an old cache."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(HOME.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE = _code_digest()
_TABLES = ("markdown", "diff", "pages", "derived", "files", "rendered", "owners", "texts")


def fingerprint(*parts: str | Packed) -> str:
    """A short hash of strings (a packed text or ``Fragment`` by its digest), the key of every cache entry and
    page fingerprint."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.digest if isinstance(part, Packed) else part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def rendered_key(mark: str, path: str) -> str:
    """The key the bytes of the file at ``path`` with fingerprint ``mark`` are kept under."""
    return fingerprint(mark, path)


class Cache:
    """Markdown, diffs and page fingerprints; loaded once, saved after a good build."""

    def __init__(self, site_dir: Path, enabled: bool = True):
        self.path = site_dir / CACHE_DIR / "cache.pickle"
        self.site_dir = site_dir.resolve()
        self._places: dict[Path, str] = {}  # an output folder → what it is known by (``_where``)
        self.enabled = enabled
        self.data: dict[str, dict[str, Any]] = {t: {} for t in _TABLES}
        self.used: dict[str, dict[str, Any]] = {t: {} for t in _TABLES}
        self.packs = Packs(site_dir / CACHE_DIR / "pages", enabled)
        self.marks: Marks | None = None
        """The quotation marks of the site's language (``quotes``), which Markdown is rendered with unless it
        is asked for another language's: set by ``Kept.prepare`` (None: English's)."""
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            with open_regular(self.path) as handle:
                self.data = _read(handle)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, ImportError,
                IndexError) as e:
            log.debug("no usable cache (%s); starting cold", e)

    def _get(self, table: str, key: str) -> Any:
        value = self.used[table].get(key)
        if value is not None:
            return value
        value = self.data[table].get(key)
        if value is not None:
            self.used[table][key] = value
        return value

    def _put(self, table: str, key: str, value: Any) -> Any:
        self.used[table][key] = value
        return value

    def markdown(self, text: str | Packed, marks: Marks | None | bool = True) -> Fragment:
        """``text`` rendered, with the quotation marks ``marks`` (True: the site's, ``self.marks``)."""
        marks = self.marks if marks is True else marks
        key = _markdown_key(text, marks)
        found = self._get("markdown", key)
        return found if found is not None else self._put("markdown", key, _render((text, marks)))

    def diff(self, old_html: Fragment, new_html: Fragment) -> Diff:
        key = fingerprint(old_html, new_html)
        found = self._get("diff", key)
        return found if found is not None else self._put("diff", key, _diff_pair((old_html, new_html)))

    def value(self, name: str, fn: Callable[..., Any], *args: str | Fragment) -> Any:
        """``fn(*args)``, remembered under a key of ``name`` and the arguments."""
        key = fingerprint(name, *args)
        found = self._get("derived", key)
        return found if found is not None else self._put("derived", key, fn(*args))

    def values(self, name: str, fn: Callable[..., Any], calls: list[tuple]) -> list[Any]:
        """``value(name, fn, *args)`` for each of ``calls``, in order: those not remembered are worked out on
        all cores."""
        keys = [fingerprint(name, *args) for args in calls]
        wanted = {key: args for key, args in zip(keys, calls) if self._get("derived", key) is None}
        for key, value in zip(wanted, parallel_map(lambda args: fn(*args), list(wanted.values()))):
            self._put("derived", key, value)
        return [self._get("derived", key) for key in keys]

    def by_stat(self, path: Path, stat: os.stat_result, fn: Callable[[], Any]) -> Any:
        """``fn()`` for a file, remembered while its size, mtime and inode stay the same."""
        key = _stat_key(path, stat)
        found = self._get("files", key)
        return found if found is not None else self._put("files", key, fn())

    def assume(self, path: Path, value: Any) -> None:
        """Have ``by_stat`` give ``value`` for ``path`` as it now stands on disk: ``publish`` checks the site
        with a post as it is about to write it, without touching the file first."""
        self._put("files", _stat_key(path, os.stat(path)), value)

    def read_ahead(self, jobs: list[tuple[Path, Callable[[], Any]]]) -> None:
        """Read on all cores the files ``by_stat`` does not remember; what reads without error is kept."""
        todo = []
        for path, fn in jobs:
            try:
                key = _stat_key(path, os.stat(path))
            except OSError:
                continue  # the pipeline reports it
            if self._get("files", key) is None:
                todo.append((key, fn))
        for (key, _), value in zip(todo, parallel_map(lambda job: _quietly(job[1]), todo)):
            if value is not None:
                self._put("files", key, value)

    def prepare(self, texts: list[tuple[str | Packed, Marks | None]]) -> None:
        """Render missing Markdown (each text with the quotation marks of its language) on all cores."""
        missing = list({(t, m) for t, m in texts if self._get("markdown", _markdown_key(t, m)) is None})
        for (text, marks), html in zip(missing, parallel_map(_render, missing)):
            self._put("markdown", _markdown_key(text, marks), html)

    def diffs_ahead(self, jobs: Sequence[Any], texts: Callable[[Any], tuple[Fragment, Fragment]]) -> None:
        """Work out on all cores, before pages and feeds ask, the diffs of the texts each of ``jobs`` compares
        (``texts(job)``, made there too) that are not remembered; a remembered one stays in the parent, and is
        marked used there."""
        def work(job: Any) -> tuple[str, Diff | None]:
            htmls = texts(job)
            key = fingerprint(*htmls)
            return key, None if self._get("diff", key) is not None else _diff_pair(htmls)
        for key, result in parallel_map(work, jobs):
            if result is None:
                self._get("diff", key)
            else:
                self._put("diff", key, result)

    def rendered(self, key: str) -> bytes | None:
        """The bytes last rendered under ``key`` (a page's fingerprint), if its pack still holds them intact."""
        entry = self.data["rendered"].get(key)
        data = self.packs.read(entry) if entry is not None else None
        if data is not None:
            self.used["rendered"][key] = entry
        return data

    def keep_rendered(self, key: str, data: bytes) -> Stored | None:
        """Keep ``data`` under ``key`` for a build without ``output/``.  A forked worker hands the entry to
        the parent, which records it with ``kept_rendered``."""
        entry = self.packs.write(data)
        if entry is not None:
            self.used["rendered"][key] = entry
        return entry

    def kept_rendered(self, key: str, entry: Stored | None) -> None:
        """Record an entry a worker used or wrote (its own record went with the worker)."""
        if entry is not None:
            self.used["rendered"][key] = entry

    def page_fingerprint(self, out: Path, path: str) -> str | None:
        """The fingerprint of the page last written to ``out/path``, if the file is still as written."""
        mark, written = self.data["pages"].get(self._where(out), {}).get(path, (None, None))
        try:
            return mark if written is not None and state(os.stat(out / path)) == written else None
        except OSError:
            return None

    def version_owners_in(self, out: Path) -> dict[str, str]:
        """Each version page the builds into ``out`` wrote (its path) → the feed id of its post; empty if unknown."""
        return self.data["owners"].get(self._where(out), {})

    def version_owners(self, path: str) -> set[str]:
        """The feed ids of the posts whose version page any build kept here wrote at ``path`` (into ``output/``
        or a deploy's folder): what a deploy's target may hold there."""
        return {owners[path] for owners in self.data["owners"].values() if path in owners}

    def version_texts_in(self, out: Path) -> dict[str, str]:
        """Each version page the builds into ``out`` wrote → the digest of the title and text it showed
        (``kept.version_texts``); empty if unknown.  A deploy reads them on its target instead."""
        return self.data["texts"].get(self._where(out), {})

    def written_in(self, out: Path) -> frozenset[str]:
        """Every file the last build into ``out`` wrote (its path in ``out``): what it published, for a build
        into an ``out`` that is gone (a CI runner's fresh checkout, the cache restored)."""
        return frozenset(self.data["pages"].get(self._where(out), {}))

    def _where(self, out: Path) -> str:
        """What a build's output folder is known by here: its path in the site's folder, where it lies there
        (a CI runner restores the cache into another checkout's folder), else its absolute path.  Worked out
        once for each folder: every page a build writes asks."""
        if out not in self._places:
            resolved = out.resolve()
            self._places[out] = resolved.relative_to(self.site_dir).as_posix() \
                if resolved.is_relative_to(self.site_dir) else str(resolved)
        return self._places[out]

    def save(self, out: Path, pages: dict[str, str], written: dict[str, FileState], persist: bool = True,
             owners: dict[str, str] | None = None, texts: dict[str, str] | None = None) -> None:
        """Keep what this build used (so the cache never grows stale) and the page fingerprints,
        with the state each file was left in (``written``), so that a file edited in ``out`` is redone,
        and ``owners``: each version page's post, by its feed id (``version_owners_in``), added to those known
        from earlier builds into ``out``.

        ``persist=False`` keeps it in memory only (``serve`` writes it once, when it stops).
        """
        where = self._where(out)
        self.used["pages"] = {**self.data["pages"],
                              where: {path: (mark, written.get(path)) for path, mark in pages.items()}}
        known = self.data["owners"].get(where, {})  # a page a post left (a redirect now) stays its page
        self.used["owners"] = {**self.data["owners"], where: {**known, **(owners or {})}}
        self.used["texts"] = {**self.data["texts"], where: {**self.data["texts"].get(where, {}), **(texts or {})}}
        for path, mark in pages.items():  # the bytes of a file left as it was are kept as well
            key = rendered_key(mark, path)
            if key not in self.used["rendered"] and key in self.data["rendered"]:
                self.used["rendered"][key] = self.data["rendered"][key]
        self.data = self.used
        self.data["rendered"] = self.packs.collect(self.data["rendered"]) if self.enabled else {}
        self.used = {t: {} for t in _TABLES}
        if persist:
            self.persist()

    def keep_deployed(self, target: str, out: Path, owners: dict[str, str]) -> None:
        """After a deploy from the temporary folder ``out``: each version page the ``target`` now publishes,
        by its post's feed id, added to those its earlier deploys sent (``version_owners``: by which the next
        deploy tells a version page a post lost from a deleted post's), kept on disk; the folder's own entries
        go with it."""
        for table in ("pages", "owners", "texts"):
            self.data[table].pop(self._where(out), None)
        self.data["owners"][target] = {**self.data["owners"].get(target, {}), **owners}
        self.persist()

    def persist(self) -> None:
        """Write the cache to disk, atomically (a cache that cannot be written is skipped)."""
        if not self.enabled:
            return
        try:
            self._write()
        except OSError as e:
            log.warning("%s: cannot write the cache (%s); the next build will be slower", self.path.parent,
                        e.strerror)

    def _write(self) -> None:
        data = self.data
        self.path.parent.mkdir(exist_ok=True)
        replace_atomically(self.path, lambda handle: _dump(handle, data), durable=False)


_CHUNK = 256
"""Entries per pickle: a pickle keeps everything it wrote, and every copy it made to write it, alive
until it ends, so the cache is written as a run of small pickles."""


def _dump(handle: BinaryIO, data: dict[str, dict[str, Any]]) -> None:
    def dump(value: Any) -> None:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    dump((_FORMAT, markdown.ENGINE_VERSION, _CODE))
    for table in _TABLES:
        items = list(data[table].items())
        dump(len(items))
        for start in range(0, len(items), _CHUNK):
            dump(items[start:start + _CHUNK])


def _read(handle: BinaryIO) -> dict[str, dict[str, Any]]:
    """What ``_dump`` wrote; ValueError if it was written by another version of Feuilleton."""
    if pickles.load(handle) != (_FORMAT, markdown.ENGINE_VERSION, _CODE):
        raise ValueError("written by another version")
    data: dict[str, dict[str, Any]] = {}
    for table in _TABLES:
        count, data[table] = pickles.load(handle), {}
        while len(data[table]) < count:
            data[table].update(pickles.load(handle))
    return data


def _render(job: tuple[str | Packed, Marks | None]) -> Fragment:
    text, marks = job
    return Fragment(markdown.render(str(text), marks))


def _markdown_key(text: str | Packed, marks: Marks | None) -> str:
    """The key of a text's rendering: by its text alone with English's marks, as before there were others."""
    return fingerprint(text) if marks is None else fingerprint(text, "".join(marks))


def _quietly(fn: Callable[[], Any]) -> Any:
    """``fn()``, or None if its file went away meanwhile (the pipeline reports it when it reads the file)."""
    try:
        return fn()
    except OSError:
        return None


def _stat_key(path: Path, stat: os.stat_result) -> str:
    return f"{path}\0{state(stat)}"


def _diff_pair(pair: tuple[Fragment, Fragment]) -> Diff:
    """The diff of two rendered texts, its HTML kept as a ``Fragment``."""
    diff = diff_html(str(pair[0]), str(pair[1]))
    return replace(diff, html=Fragment(diff.html))


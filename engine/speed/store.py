"""Rendered pages and feeds, kept compressed between builds, so that a build whose ``output/`` is gone
(a CI runner that restores ``.feuilleton-cache/`` and nothing else) writes them without rendering them.

Each process that renders appends the pages it renders, compressed with
Zstandard, to a pack file of its own under ``.feuilleton-cache/pages/`` and
hands back a ``Stored`` entry; the cache keeps the entries by the key of
everything the page shows.  A stored page is taken only when its pack
still holds exactly what was written: the pack's name is checked against a
strict pattern, it is opened only as a regular file inside the folder, and
the bytes must have the recorded length, content size and digest.
Anything else — a missing, truncated, tampered or foreign pack — is a miss,
and the page is rendered again.  Packs no entry refers to are deleted after
a build, and packs that are mostly dead are compacted.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

import zstandard

from ..model.packed import compress, decompress

log = logging.getLogger(__name__)

_NAME = re.compile(r"[0-9a-f]{32}\.pack")
_MAX_PACKS = 64
"""More packs than this (a long ``serve`` session leaves one per rebuild) are compacted into one."""
_SLACK = 4 << 20
"""Dead bytes tolerated beyond the live ones before the packs are compacted."""


@dataclass(frozen=True, slots=True)
class Stored:
    """Where one rendered file lies in the packs, and what it must be to be used."""

    pack: str
    """The pack's file name (32 hex digits and ``.pack``)."""
    offset: int
    """Where its compressed bytes start in the pack."""
    length: int
    """How many compressed bytes."""
    size: int
    """How many bytes once decompressed."""
    digest: bytes
    """BLAKE2b (16 bytes) of the decompressed bytes."""


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Packs:
    """The pack folder of one site: appends from any process, verified reads, clean-up in the parent."""

    def __init__(self, folder: Path, enabled: bool = True):
        self.folder = folder
        self.enabled = enabled
        self._writing: tuple[int, str, int] | None = None
        """``(pid, pack name, fd)`` of the pack this process appends to (a forked worker opens its own)."""
        self._offset = 0
        self._readers: dict[str, int] = {}

    def read(self, entry: Stored) -> bytes | None:
        """The bytes ``entry`` stands for, or None if its pack does not hold exactly them."""
        if not self.enabled or not isinstance(entry, Stored) or not _NAME.fullmatch(str(entry.pack)):
            return None
        try:
            fd = self._reader(entry.pack)
            blob = os.pread(fd, entry.length, entry.offset)
            if len(blob) != entry.length or zstandard.frame_content_size(blob) != entry.size:
                return None
            data = decompress(blob)
        except (OSError, ValueError, TypeError, zstandard.ZstdError) as e:
            log.debug("stored page unusable (%s)", e)
            return None
        return data if len(data) == entry.size and _digest(data) == entry.digest else None

    def _reader(self, name: str) -> int:
        fd = self._readers.get(name)
        if fd is None:
            fd = os.open(self.folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise OSError(f"{name} is not a regular file")
            self._readers[name] = fd
        return fd

    def write(self, data: bytes) -> Stored | None:
        """Append ``data`` to this process's pack; None if it cannot be written (a build only gets slower)."""
        if not self.enabled:
            return None
        blob = compress(data)
        try:
            pack, fd = self._writer()
            offset = self._offset
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view):]
        except OSError as e:
            log.debug("cannot keep a rendered page (%s)", e)
            self.enabled = False
            return None
        self._offset += len(blob)
        return Stored(pack, offset, len(blob), len(data), _digest(data))

    def _writer(self) -> tuple[str, int]:
        pid = os.getpid()
        if self._writing is None or self._writing[0] != pid:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = secrets.token_hex(16) + ".pack"
            fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC,
                         0o644)
            self._writing, self._offset = (pid, name, fd), 0
        return self._writing[1], self._writing[2]

    def close(self) -> None:
        """Close what this process opened (a worker's inherited descriptors are the parent's to close)."""
        if self._writing is not None and self._writing[0] == os.getpid():
            os.close(self._writing[2])
        self._writing = None
        for fd in self._readers.values():
            try:
                os.close(fd)
            except OSError:
                pass
        self._readers = {}

    def collect(self, live: dict[str, Stored]) -> dict[str, Stored]:
        """Delete the packs no entry of ``live`` lies in, compact them if they are mostly dead or too many,
        and return the entries (moved, if compacted)."""
        self.close()
        try:
            names = [n for n in os.listdir(self.folder) if _NAME.fullmatch(n)]
        except OSError:
            return live
        used = {entry.pack for entry in live.values()}
        for name in names:
            if name not in used:
                _unlink(self.folder / name)
        kept = [n for n in names if n in used]
        try:
            total = sum(os.stat(self.folder / n).st_size for n in kept)
        except OSError:
            return live
        if total <= 2 * sum(e.length for e in live.values()) + _SLACK and len(kept) <= _MAX_PACKS:
            return live
        return self._compact(live, kept)

    def _compact(self, live: dict[str, Stored], old: list[str]) -> dict[str, Stored]:
        """Copy every live entry's compressed bytes into one new pack; entries that cannot be read are
        dropped (their pages are rendered again)."""
        moved: dict[str, Stored] = {}
        try:
            pack, fd = self._writer()
            for key, entry in live.items():
                blob = os.pread(self._reader(entry.pack), entry.length, entry.offset) if _NAME.fullmatch(
                    entry.pack) and entry.pack in old else b""
                if len(blob) != entry.length:
                    continue
                view = memoryview(blob)
                while view:
                    view = view[os.write(fd, view):]
                moved[key] = Stored(pack, self._offset, entry.length, entry.size, entry.digest)
                self._offset += entry.length
        except OSError as e:
            log.debug("cannot compact the stored pages (%s)", e)
            self.close()
            return live
        self.close()
        for name in old:
            _unlink(self.folder / name)
        return moved


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError as e:
        log.debug("cannot remove %s (%s)", path, e)

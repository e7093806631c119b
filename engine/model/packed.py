"""Long text as a build keeps it: compressed UTF-8, with a digest.

Python stores a string with any character past U+00FF (one curly quote will
do) at two bytes a character, and a build holds every essay's Markdown and
rendered HTML, and every recorded version's, from start to end.  ``Packed``
keeps a text's UTF-8 compressed with Zstandard at its fastest level (an
essay's Markdown to about half its size, its HTML to a fifth or less; a
15 KB essay compresses in 0.05 ms and comes back in 0.02 ms) and a digest
of it, by which it is compared, hashed and keyed in the cache without being
unpacked.  The model keeps the Markdown of posts and versions so
(``Post.body``, ``Version.body``), and rendered HTML is a packed
``text.fragment.Fragment``.  Code that needs the text calls ``str()``.
"""
from __future__ import annotations

import hashlib
import threading

import zstandard


class _Contexts(threading.local):
    """This thread's compressor and decompressor: made once, not per call as ``zstandard.compress`` makes
    them (which took 35 µs of a 15 KB essay's 80 and 20 of its 38 back), and one per thread because a
    context cannot be shared by two at once."""

    def __init__(self) -> None:
        self.compressor = zstandard.ZstdCompressor(level=1)
        self.decompressor = zstandard.ZstdDecompressor()


_contexts = _Contexts()


def compress(data: bytes) -> bytes:
    """``data`` compressed with Zstandard at its fastest level, in a frame that records its size."""
    # the compressor returns its output in a buffer sized for the worst case: copy it out at its size
    return bytes(memoryview(_contexts.compressor.compress(data)))


def decompress(data: bytes) -> bytes:
    """What ``compress`` was given; ``zstandard.ZstdError`` for bytes that are not such a frame."""
    return _contexts.decompressor.decompress(data)


def text_digest(utf8: bytes) -> bytes:
    """The digest of a text by its UTF-8: a ``Fragment``'s, and the one ``Digester`` gives a string."""
    return hashlib.blake2b(utf8, digest_size=16).digest()


class Packed:
    """A text stored as compressed UTF-8; ``str()`` gives it back.  Equal to another ``Packed`` of the same
    text, by digest (not to the text as a string)."""

    __slots__ = ("data", "digest")
    PICKLED = True
    """The cache keeps packed texts and fragments: ``speed.pickles`` may rebuild one."""

    def __init__(self, text: str):
        raw = text.encode("utf-8", "surrogatepass")
        self.data = compress(raw) if raw else b""
        self.digest = text_digest(raw)

    def __str__(self) -> str:
        return decompress(self.data).decode("utf-8", "surrogatepass") if self.data else ""

    def __bool__(self) -> bool:
        return bool(self.data)

    def __len__(self) -> int:
        return len(str(self))

    @property
    def size(self) -> int:
        """The text's length in UTF-8 bytes, read from its frame without unpacking it."""
        return zstandard.frame_content_size(self.data) if self.data else 0

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Packed):
            return NotImplemented  # a string is not equal to it: their hashes could not agree
        return type(other) is type(self) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        text = str(self)
        return f"{type(self).__name__}({text[:40]!r}{'…' if len(text) > 40 else ''})"

    def __getstate__(self) -> tuple:
        return self.data, self.digest

    def __setstate__(self, state: tuple) -> None:
        self.data, self.digest = state

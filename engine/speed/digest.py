"""Fast, stable digests of view data, for deciding what to re-render.

A page is re-rendered only when the digest of its context (and of the
templates) changed.  ``repr`` of a whole context would do, but a site's
contexts share big objects — the same post view appears on its page, its
neighbours' pages, the home page and the feeds — so the digests of views are
memoised per object for the length of one build, packed text and rendered HTML bring
their own digest (``Packed``, ``Fragment``), and strings are hashed, not copied.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
from datetime import date, datetime
from typing import Any

from ..model.packed import Packed, text_digest

log = logging.getLogger(__name__)

_FIELDS: dict[type, tuple[str, ...]] = {}


class Digester:
    """Digests values; remembers the digests of shared objects for one build.

    Views (dataclasses), their tuples and their dates are what pages share: they are remembered by
    identity.  Short strings (context keys, kinds, statuses) recur on every page: they are remembered
    by value.  A page's own lists and dicts are not remembered, so that the memo does not grow with
    entries no other page asks for.
    """

    def __init__(self) -> None:
        self.memo: dict[int, tuple[Any, bytes]] = {}
        self.words: dict[str, bytes] = {}

    def forget_views(self) -> None:
        """Let go of the remembered views (keeping the short strings), once the pages that shared them are
        made: what comes after shares few of them."""
        self.memo.clear()

    def __call__(self, value: Any) -> bytes:
        kind = type(value)
        if kind is str:
            if len(value) >= 100:
                return _text(value)
            found = self.words.get(value)
            if found is None:
                found = self.words[value] = _text(value)
            return found
        if kind in _SCALARS:
            return repr(value).encode()
        remembered = self.memo.get(id(value))
        if remembered is not None and remembered[0] is value:
            return remembered[1]
        result = self._compute(value)
        if kind is tuple or kind is datetime or kind in _FIELDS or dataclasses.is_dataclass(value):
            self.memo[id(value)] = (value, result)
        return result

    def _compute(self, value: Any) -> bytes:
        if isinstance(value, Packed):
            return value.digest
        if isinstance(value, str):
            return _text(value)
        if value is None or isinstance(value, (bool, int, float)):
            return repr(value).encode()
        if isinstance(value, datetime):
            return f"{value.isoformat()}|{value.tzinfo}".encode()
        if isinstance(value, date):
            return value.isoformat().encode()
        if isinstance(value, (list, tuple)):
            return _combine(b"L", [self(item) for item in value])
        if isinstance(value, dict) or hasattr(value, "items"):
            return _combine(b"M", [self(k) + self(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))])
        if dataclasses.is_dataclass(value):
            names = _FIELDS.get(type(value))
            if names is None:
                names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
            return _combine(type(value).__name__.encode(), [self(getattr(value, n)) for n in names])
        return hashlib.blake2b(repr(value).encode(), digest_size=16).digest()


_SCALARS = frozenset({type(None), bool, int, float})


def _text(value: str) -> bytes:
    return text_digest(value.encode("utf-8", "surrogatepass"))


def _combine(tag: bytes, parts: list[bytes]) -> bytes:
    """One digest of many parts; each is preceded by its length, so that ``[1, 23]`` and ``[12, 3]`` differ."""
    return hashlib.blake2b(b"".join([tag, *(len(part).to_bytes(4, "little") + part for part in parts)]),
                           digest_size=16).digest()

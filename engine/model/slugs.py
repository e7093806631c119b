"""Slugs: the names a post, a series folder or a tag gets in an address.

A slug must keep the page inside the output folder (no ``/``, no ``..``)
and be a name every system can hold: Windows keeps some names for devices
(CON, NUL, COM1, …, with any extension), and drops a trailing dot.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata

from anyascii import anyascii

log = logging.getLogger(__name__)

_MARKS = "\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\ua8e0-\ua8ff"
"""The Indic scripts, Thai, Lao, Tibetan, Myanmar and Khmer, whose vowel signs and viramas are marks (not
letters) without which a word is unreadable: a slug keeps them ("हिन्दी", not "हनद")."""
_SLUG_OK = re.compile(f"^[\\w][\\w.~{_MARKS}-]*$")
_DROPPED = re.compile(f"[^\\w\\s{_MARKS}-]")


@functools.lru_cache(maxsize=4096)
def slugify(text: str, ascii: bool = False) -> str:
    """A URL-safe, lower-case slug; keeps letters of any script, or with ``ascii`` (``slug_ascii = true``)
    spells them in Latin letters through anyascii ("Économie" → "economie", "Москва" → "moskva")
    (remembered: every link to a part asks)."""
    if ascii:
        text = anyascii(text)
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DROPPED.sub("", text).replace("\u0e4d\u0e32", "\u0e33").replace("\u0ecd\u0eb2", "\u0eb3")  # AM whole
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "untitled"


_AM_SPLIT = str.maketrans({"\u0e33": "\u0e4d\u0e32", "\u0eb3": "\u0ecd\u0eb2"})


def split_am(address: str) -> str:
    """An address (a slug, a site path) as an earlier Feuilleton spelled it, whose NFKC split Thai and Lao
    AM (ำ, ໍາ) into two letters: "น้ำ", as typed on a Thai keyboard, was ``น้ํา``, another address."""
    return address.translate(_AM_SPLIT)


def usual_spelling(uses: dict[str, int], slug: str) -> str:
    """Of the spellings of one tag (``uses``: spelling → how many posts use it), the one to keep: the most
    used; of equals, the one spelt as its address (``slug``), then the first in order."""
    return max(sorted(uses), key=lambda name: (uses[name], name == slug))


def without_marks(slug: str) -> str:
    """A slug as an earlier Feuilleton wrote it, before it kept the marks of ``_MARKS``' scripts: the same
    slug with those marks taken out (nothing else of it changes)."""
    return re.sub(f"[{_MARKS}]", lambda m: "" if unicodedata.category(m.group(0))[0] == "M" else m.group(0),
                  split_am(slug))


def slug_before_marks(text: str) -> str:
    """The slug ``slugify`` gave ``text`` before it kept the marks of ``_MARKS``' scripts: a post's old
    address."""
    return slugify(without_marks(unicodedata.normalize("NFKC", text)))


def check_slug(slug: str) -> None:
    """Raise ValueError, saying why and what to do, unless ``slug`` may be a slug."""
    if not _SLUG_OK.match(slug) or slug in (".", ".."):
        raise ValueError(f"slug {slug!r} is not allowed: use letters, digits and - . _ ~ only "
                         "(no `/`, no `..`), so the page stays inside the output folder")
    if windows_reserved(slug):
        raise ValueError(f"slug {slug!r} is a name Windows keeps for a device ({DEVICES_SHOWN}), so the site "
                         "could not be checked out, copied or served there; choose another")
    if slug.endswith("."):
        raise ValueError(f"slug {slug!r} ends in a dot, which Windows drops from a folder's name (the page "
                         f"would be lost there); choose another, such as {slug.rstrip('.')!r}")


_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                      *(port + n for port in ("com", "lpt") for n in "0123456789¹²³")})
DEVICES_SHOWN = "CON, PRN, AUX, NUL, COM0 to COM9, LPT0 to LPT9, in any case and with any extension"
"""The names ``windows_reserved`` knows, as an error message shows them."""


def windows_reserved(name: str) -> bool:
    """Whether Windows takes a file or folder of this name for a device: CON, NUL, COM1 and the rest, in any
    case, with any extension (``aux.txt``, ``nul.tar.gz``), with dots or spaces after it (``con.``).  Such
    a name cannot be checked out, copied or served there, so no slug, file name of a post, series folder or
    tag's folder may be one."""
    return name.split(".", 1)[0].rstrip(" ").casefold() in _DEVICES


def is_slug(value: str) -> bool:
    """Whether ``value`` may be a slug (or a series folder's name, or a part of an address a version
    recorded)."""
    try:
        check_slug(value)
    except ValueError:
        return False
    return True

"""Rendered HTML as a build keeps it: packed (``model.packed``), with what pages need to know of it.

A ``Fragment`` keeps the targets of the ``part:`` links its HTML holds, still
to resolve, and whether it shows images (whose sizes the page adds).  Jinja
shows it through ``__html__``, like ``Markup``; Python code that needs the
text calls ``str()``.
"""
from __future__ import annotations

import hashlib
import logging
import re
from typing import Any, Callable

from markupsafe import Markup

from ..model.packed import Packed
from ..site.urls import link_kinds
from .parts import part_targets

log = logging.getLogger(__name__)


_IMAGE = re.compile("<img", re.IGNORECASE)
"""An image element, as raw HTML may spell it (``<Img``) as well as Markdown does."""


class Fragment(Packed):
    """Trusted HTML, stored as compressed UTF-8.

    ``digest`` is the one ``Digester`` gives the same text as a string; ``parts`` lists the targets of
    the ``part:`` links the HTML holds, in order, for ``parts.resolve_parts``, and ``relative`` says
    whether it has links that depend on the page they are on, for ``Urls.rebase``, and ``local`` whether it
    may link to this server at all, for ``checks.check_targets`` (all found once,
    here, so that a build does not decompress every essay to look for them), and ``labelled`` whether it
    names a table's or the footnotes' region in English, for ``locale.marks.localize``.
    """

    __slots__ = ("parts", "relative", "local", "images", "labelled")

    def __init__(self, html: str):
        super().__init__(html)
        self.parts = tuple(part_targets(html)) if "part:" in html else ()
        self.relative, self.local = link_kinds(html)
        self.images = _IMAGE.search(html) is not None
        self.labelled = 'aria-label="Table' in html or 'aria-label="Footnotes"' in html

    __html__ = Packed.__str__

    def __getitem__(self, key: int | slice) -> Markup:
        return Markup(str(self))[key]

    def __getattr__(self, name: str) -> Any:
        """A template override may use any ``Markup`` method on the HTML (``html.striptags()``)."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(Markup(str(self)), name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fragment) and other.digest == self.digest

    __hash__ = Packed.__hash__

    def __getstate__(self) -> tuple[bytes, bytes, tuple[str, ...], bool, bool, bool, bool]:
        return self.data, self.digest, self.parts, self.relative, self.images, self.labelled, self.local

    def __setstate__(self, state: tuple) -> None:
        self.data, self.digest, self.parts, self.relative = state[:4]
        self.images = state[4] if len(state) > 4 else True  # kept by an older build: look when shown
        self.labelled = state[5] if len(state) > 5 else True
        self.local = state[6] if len(state) > 6 else True


EMPTY = Fragment("")


class Resolved(Fragment):
    """A fragment shown through a function worked out when it is shown (``part:`` links resolved
    against the site, relative links rebased), so that the build holds the fragment once.

    ``key`` stands for everything ``show`` depends on besides the text: it is part of the digest.
    """

    __slots__ = ("fragment", "show")

    def __init__(self, fragment: Fragment, show: Callable[[str], str], key: bytes):
        self.fragment, self.show = fragment, show
        self.data = b""
        self.digest = hashlib.blake2b(fragment.digest + key, digest_size=16).digest()
        self.parts, self.relative, self.images = (), False, fragment.images  # what it shows, for a book
        self.local = fragment.local
        self.labelled = False  # ``show`` put its labels in the page's language

    def __str__(self) -> str:
        return self.show(str(self.fragment))

    __html__ = __str__

    def __bool__(self) -> bool:
        return bool(self.fragment)

    def __getstate__(self) -> tuple[bytes, bytes, tuple[str, ...]]:
        raise TypeError("a Resolved fragment is shown where it was made; it is not stored")

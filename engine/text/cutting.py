"""Cutting text short without breaking what a reader sees as one character, and counting words in scripts
written without spaces between them."""
from __future__ import annotations

import itertools
import re
import unicodedata

_JOINS = frozenset("\u200c\u200d\u034f\ufe0e\ufe0f")
"""Zero-width joiners, variation selectors: they belong to the character before them."""
CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
"""Chinese and Japanese characters and their punctuation: written without spaces between words."""
CJK_RE = re.compile(f"[{CJK}]")
_UNITS = re.compile(f"[{CJK}]|[^\\s{CJK}]+")


def _continues(text: str, at: int) -> bool:
    """Whether ``text[at]`` belongs to the character a reader sees before it (a combining mark, a vowel
    sign, a joiner, an emoji's skin tone or tag, or anything after a zero-width joiner or a virama)."""
    char, before = text[at], text[at - 1]
    return (unicodedata.category(char) in ("Mn", "Mc", "Me") or char in _JOINS or before in _JOINS
            or unicodedata.combining(before) == 9  # a virama joins the consonant after it (a conjunct)
            or 0x1F3FB <= ord(char) <= 0x1F3FF or 0xE0020 <= ord(char) <= 0xE007F)


def grapheme_cut(text: str, at: int) -> str:
    """``text[:at]``, shortened so that it does not end inside a character as a reader sees it."""
    if at >= len(text):
        return text
    while at > 0 and _continues(text, at):
        at -= 1
    return text[:at]


def shorten(text: str, length: int, end: str = "…", leeway: int = 5) -> str:
    """``text`` cut after a word to ``length`` characters, ``end`` included, unless it is at most ``leeway``
    longer: Jinja's ``truncate``, except that text with no space to cut at is not cut inside a character."""
    if len(text) <= length + leeway:
        return text
    return grapheme_cut(text, length - len(end)).rsplit(" ", 1)[0] + end


def first_words(text: str, words: int) -> tuple[str, bool]:
    """The first ``words`` words of ``text`` with its spaces collapsed (each Chinese or Japanese character a
    word), and whether any were left out."""
    if not CJK_RE.search(text):
        parts = text.split()
        return " ".join(parts[:words]), len(parts) > words
    units = list(itertools.islice(_UNITS.finditer(text), words + 1))
    if len(units) <= words:
        return " ".join(text.split()), False
    return " ".join(text[:units[words - 1].end()].split()), True

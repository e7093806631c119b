"""Cutting text short without breaking what a reader sees as one character, and counting words in scripts
written without spaces between them."""
from __future__ import annotations

import html as html_entities
import re
import unicodedata

_JOINS = frozenset("\u200c\u200d\u034f\ufe0e\ufe0f")
"""Zero-width joiners, variation selectors: they belong to the character before them."""
_ALPHABETS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
"""Thai, Lao, Myanmar and Khmer: alphabets written without spaces, whose letters make words some four or
five long (where a Chinese or Japanese character is about a word)."""
UNSPACED = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef" + _ALPHABETS
"""The scripts written without spaces between words (Chinese, Japanese and ``_ALPHABETS``): each of their
characters (a letter with its vowel signs and tone marks) counts as a word."""
UNSPACED_RE = re.compile(f"[{UNSPACED}]")
_ALPHABET_RE = re.compile(f"[{_ALPHABETS}]")


def character_words(text: str) -> list[str]:
    """``text`` (no spaces in it) cut into words: each character of a script written without spaces, with
    what belongs to it as the reader sees it ("กิ" is one), and each run of other characters whole."""
    found: list[str] = []
    for at, char in enumerate(text):
        unspaced = UNSPACED_RE.match(char) is not None
        if found and (_continues(text, at) or not unspaced and not UNSPACED_RE.match(text[at - 1])):
            found[-1] += char
        else:
            found.append(char)
    return found


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


_HAN_KANA = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
"""Chinese and Japanese, whose sentences and paragraphs follow one another without a space (Thai and the
other ``_ALPHABETS`` put one between sentences)."""
_SPACE_BETWEEN = re.compile(f"(?<=[{_HAN_KANA}]) (?=[{_HAN_KANA}])")
_ENDS_HAN_KANA = re.compile(f"[{_HAN_KANA}]\\Z")


_BREAKING = re.compile(r"[^\S\u00a0\u202f\u2007]+")
"""Space a line may break at: not a no-break space (« non », 10\u00a0km), which holds its words together."""


def spaced(text: str) -> list[str]:
    """``text`` cut at its spaces, as ``str.split`` cuts it, but for its no-break spaces, which stay."""
    return [part for part in _BREAKING.split(text) if part]


def join_paragraphs(texts: list[str]) -> str:
    """Paragraphs' texts on one line: a space between two, except after one that ends in Chinese or Japanese
    (its 。, a character), whose next paragraph follows with none, as its next sentence would, whatever it
    begins with ("…结束了。2016年…", "…了。「引号」…")."""
    out = ""
    for text in texts:
        out += ("" if not out or _ENDS_HAN_KANA.search(out) else " ") + text
    return out


def gist(html: str) -> str:
    """The text of an HTML fragment on one line, for a preview: its tags dropped and its spaces and line
    breaks made one space (as ``striptags`` makes them, but for no-break spaces: « non »), except between two paragraphs (or lines) of Chinese or Japanese,
    which join as they would on a page, with none.  Its footnotes go, and their marks, which would read as
    part of a word ("the district court.1 The reversal")."""
    html = str(html)
    if "footnote-ref" in html:
        html = _FOOTNOTE_MARK.sub("", html.split('<section class="footnotes"', 1)[0])
    text = html_entities.unescape(_ANY_TAG.sub("", _COMMENT.sub("", html)))
    return _SPACE_BETWEEN.sub("", " ".join(spaced(text)))


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ANY_TAG = re.compile(r"<.*?>", re.S)
_FOOTNOTE_MARK = re.compile(r'<sup class="footnote-ref">.*?</sup>', re.S)


def shorten(text: str, length: int, end: str = "…", leeway: int = 5) -> str:
    """``text`` cut after a word to ``length`` characters, ``end`` included, unless it is at most ``leeway``
    longer: Jinja's ``truncate``, except that text with no space to cut at is not cut inside a character."""
    if len(text) <= length + leeway:
        return text
    return grapheme_cut(text, length - len(end)).rsplit(" ", 1)[0] + end


def first_words(text: str, words: int) -> tuple[str, bool]:
    """The first ``words`` words of ``text`` with its spaces collapsed, and whether any were left out; in a
    script written without spaces, a Chinese or Japanese character counts as a word, and four letters of
    Thai, Lao, Myanmar or Khmer do."""
    if not UNSPACED_RE.search(text):
        parts = spaced(text)
        return " ".join(parts[:words]), len(parts) > words
    budget, kept = float(words), []
    for word in spaced(text):
        if budget <= 0:
            return " ".join(kept), True
        if not UNSPACED_RE.search(word):
            kept.append(word)
            budget -= 1
            continue
        taken = ""
        for piece in character_words(word):
            if budget <= 0:
                kept.append(taken)
                return " ".join(kept), True
            taken += piece
            budget -= 0.25 if _ALPHABET_RE.match(piece) else 1
        kept.append(taken)
    return " ".join(kept), False

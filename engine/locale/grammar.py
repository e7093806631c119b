"""The catalog's word before a value, made to agree with the value it stands before.

A translation is written once, for every value: Italian writes "Pubblicato il %(date)s", but the 8th and
the 11th are "l’8" and "dell’11" ("otto" and "undici" begin with a vowel); Spanish writes "a las %(time)s",
but one o'clock is "a la 1:30"; French writes "À propos de %(author)s", but Élise's is "À propos
d’Élise".  ``agree`` changes the catalog's own word in front of a placeholder to the form the value needs
before the value goes in; the value, which may be the author's words, is never touched.  The templates'
``_`` calls it; the words the engine fills in Python (feeds, page titles) come from an ``Agreeing`` catalog,
whose translations do it when ``%`` fills them.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

_BEFORE = re.compile(r"(?<![\w’'])(?P<word>\w+) %\((?P<name>\w+)\)s")
"""A word of the catalog's, a space, then a placeholder."""
_SHOWN = re.compile(r"^(?:\s|<[^>]*>|[\u2066-\u2069])*")
"""What stands before a value's first visible character: markup, spaces, isolates."""

_IT_ELIDED = {"il": "l’", "del": "dell’", "al": "all’", "dal": "dall’", "nel": "nell’", "sul": "sull’"}
_IT_VOWEL_DAY = re.compile(r"(?:8|11)(?!\d)")
"""A day that begins with a vowel when said: otto, undici (eighty-odd is no day)."""
_ONE_OCLOCK = re.compile(r"0?1(?:[:.h]|$)")
_FR_VOWEL = re.compile(r"[aeiouàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def _italian(word: str, shown: str) -> str | None:
    lower = word.lower()
    if lower in _IT_ELIDED and _IT_VOWEL_DAY.match(shown):
        return _cased(_IT_ELIDED[lower], word)
    if lower == "alle" and _ONE_OCLOCK.match(shown):  # l’una
        return _cased("all’", word)
    return None


def _spanish(word: str, shown: str) -> str | None:
    return _cased("la", word) if word.lower() == "las" and _ONE_OCLOCK.match(shown) else None  # la una


def _portuguese(word: str, shown: str) -> str | None:
    return _cased("à", word) if word.lower() == "às" and _ONE_OCLOCK.match(shown) else None  # à uma


def _french(word: str, shown: str) -> str | None:
    return _cased("d’", word) if word.lower() == "de" and _FR_VOWEL.match(shown) else None


_RULES: dict[str, Callable[[str, str], str | None]] = {"it": _italian, "es": _spanish, "pt": _portuguese,
                                                       "fr": _french}
"""Per language: the catalog's word and the value's first visible characters → the word to write instead
(ending in an apostrophe when it joins the value), or None to leave it."""


@functools.lru_cache(maxsize=64)
def _rule(language: str) -> Callable[[str, str], str | None] | None:
    return _RULES.get(language.split("-")[0].lower())


def _cased(form: str, word: str) -> str:
    return form[:1].upper() + form[1:] if word[:1].isupper() else form


def agree(language: str, text: str, values: Mapping[str, object]) -> str:
    """``text`` (a translation, its placeholders not yet filled) with each word before a placeholder in the
    form ``values`` need."""
    rule = _rule(language)
    if rule is None or "%(" not in text:
        return text

    def one(found: re.Match[str]) -> str:
        value = values.get(found.group("name"))
        if value is None:
            return found.group(0)
        shown = str(value)
        shown = shown[_SHOWN.match(shown).end():]
        form = rule(found.group("word"), shown)
        if form is None:
            return found.group(0)
        joined = form.endswith("’")
        return f"{form}{'' if joined else ' '}%({found.group('name')})s"
    return _BEFORE.sub(one, text)



class _Template(str):
    """A translation not yet filled: ``%`` fills it with its words agreeing with the values."""

    language = ""

    def __mod__(self, values: object) -> str:
        if isinstance(values, Mapping):
            return str.__mod__(agree(self.language, str(self), values), values)
        return str.__mod__(self, values)


class Agreeing:
    """A gettext catalog whose translations, filled with ``%``, agree with the values put in them (for the
    languages ``agree`` knows; any other is given its catalog as it is)."""

    def __init__(self, words, language: str):
        self.words, self.language = words, language

    def _template(self, text: str) -> _Template:
        found = _Template(text)
        found.language = self.language
        return found

    def gettext(self, message: str) -> str:
        return self._template(self.words.gettext(message))

    def ngettext(self, one: str, many: str, n: int) -> str:
        return self._template(self.words.ngettext(one, many, n))

    def __getattr__(self, name: str) -> object:
        return getattr(self.words, name)


def agreeing(words, language: str):
    """``words`` as ``Agreeing`` where ``language`` has words to agree, else as they are."""
    return Agreeing(words, language) if _rule(language) else words

"""Reader-facing words in a page's language: gettext catalogs, CLDR locales, text direction.

The theme's catalogs are ``engine/locale/<lang>/LC_MESSAGES/messages.po``;
a site may put its own ``templates/locale/<lang>/messages.po`` beside its
templates, whose translations replace the theme's message by message (an
override of one string, or a whole language the theme does not ship).
Catalogs are compiled in memory with Babel when a build first asks for a
language, so no compiled file can fall behind its source.
"""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
import unicodedata
from collections import Counter
from gettext import c2py
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from ..errors import Diagnostic, SiteError
from .checks import (SAMPLES, forms_written, message_problems, nplurals_problem, plural_forms_problem,
                     too_many_forms)
from ..source.files import inside, is_regular, read_regular

log = logging.getLogger(__name__)

LOCALE = Path(__file__).parent
"""The theme's catalogs, one folder per language."""
SHIPPED = ("en", "fr", "de", "es", "it", "pt", "nl", "ar", "he")
"""The languages the theme is translated into."""
DOMAIN = "messages"


def cldr_locale(tag: str) -> Locale:
    """The CLDR locale for a BCP 47 tag (``pt-BR``, ``de``); its language alone when CLDR does not know the
    whole tag, English when it knows neither."""
    return _cldr_locale(tag)


@functools.lru_cache(maxsize=64)
def _cldr_locale(tag: str) -> Locale:
    for candidate in (tag, tag.split("-")[0]):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale("en")


def direction(tag: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian, Urdu, …), else ``ltr``."""
    return "rtl" if cldr_locale(tag).text_direction == "rtl" else "ltr"


def catalog_path(root: Path, language: str, site: bool = False) -> Path:
    """Where the catalog of ``language`` lies: under the theme's ``locale/<lang>/LC_MESSAGES/`` or a site's
    ``templates/locale/<lang>/``."""
    if site:
        return root / "templates" / "locale" / language / f"{DOMAIN}.po"
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(tag: str, site_dir: Path | None = None) -> Translations:
    """The translations for a language tag: the theme's catalog with the site's merged over it.  A tag
    with a region (``pt-BR``) uses its own catalog where there is one, else its language's; a language
    nobody translated shows the theme's English words."""
    sources = []
    for language in _candidates(tag):
        sources += [catalog_path(LOCALE, language)]
        if site_dir is not None:
            sources += [catalog_path(site_dir, language, site=True)]
    return _translations(tuple((str(p), _state(p, site_dir), _shown(p, site_dir)) for p in sources))


def _shown(path: Path, site_dir: Path | None) -> str:
    """A site's catalog as messages name it (relative to the site); empty for the theme's."""
    if site_dir is None or not path.is_relative_to(site_dir):
        return ""
    return path.relative_to(site_dir).as_posix()


def _candidates(tag: str) -> list[str]:
    """Catalog folders for a tag, most general first: ``pt``, then ``pt_BR`` (gettext's spelling) and ``pt-BR``
    (the tag's); a script as CLDR spells it, ``zh_Hant`` and ``zh-Hant``."""
    parts = tag.replace("_", "-").split("-")
    found = [parts[0].lower()]
    if len(parts) > 1:
        sub = parts[1].title() if len(parts[1]) == 4 else parts[1].upper()  # a script (Hant), else a region
        script = _CHINESE_SCRIPTS.get(sub) if found[0] == "zh" else None  # zh-TW is written in zh-Hant
        found += [f"zh_{script}", f"zh-{script}"] if script else []
        found += [f"{found[0]}_{sub}", f"{found[0]}-{sub}"]
    return found


_CHINESE_SCRIPTS = {"TW": "Hant", "HK": "Hant", "MO": "Hant", "CN": "Hans", "SG": "Hans", "MY": "Hans"}
"""The script Chinese is written in where it is (CLDR's likely subtags): a zh-TW post reads a zh-Hant catalog."""


def _state(path: Path, site_dir: Path | None) -> int | None:
    """A file's modification time, or None for none (or one that may not be read: outside the site,
    or not a regular file)."""
    if site_dir is not None and path.is_relative_to(site_dir) and not (path.exists() and inside(path, site_dir)):
        return None
    try:
        return path.stat().st_mtime_ns if is_regular(path) else None
    except OSError:
        return None


@functools.lru_cache(maxsize=32)
def _translations(sources: tuple[tuple[str, int | None, str], ...]) -> Translations:
    merged: Catalog | None = None
    for name, state, shown in sources:
        if state is None:
            continue
        catalog = read_catalog(Path(name), shown, Path(name).parent.name if shown else None, checked=bool(shown))
        if merged is None:
            merged = catalog
            continue
        if shown and catalog._num_plurals is not None and catalog.plural_expr != merged.plural_expr:
            _adopt_forms(merged, catalog)  # the site's Plural-Forms says how its language counts: the theme's too
        for message in catalog:
            if shown and isinstance(message.string, tuple) and any(message.string):
                message.string = _in_forms(message.string, merged)
            if message.id and _translated(message.string) and not message.fuzzy:  # a guess gettext leaves out
                known = merged.get(message.id)
                if known is None:
                    merged[message.id] = message
                else:  # Catalog's own assignment keeps the string it has
                    known.string = message.string
    if merged is None:
        return Translations()
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    found = Translations(compiled, domain=DOMAIN)
    found.key = hashlib.blake2b(compiled.getvalue(), digest_size=12).hexdigest()  # type: ignore[attr-defined]
    return found


def words_key(words: object) -> str:
    """What a language's words are, for a cache key: a digest of its catalogs as merged ("" for none, the
    English the theme is written in).  Text shown in them is remembered between builds, and must not
    outlive a change of the site's language or of its own catalog."""
    return getattr(words, "key", "")


def _adopt_forms(ours: Catalog, theirs: Catalog) -> None:
    """``ours`` (the theme's catalog) counted by ``theirs``' rule, a site's ``Plural-Forms`` header: each of its
    plural translations put in the forms of that rule, each form taking the one of ours most of its numbers
    took.  (Read the other way, by the theme's rule, a form grouping numbers the site's parts, such as
    Portuguese 0 and 1, showed "1 palavras".)"""
    before, after = c2py(ours.plural_expr), c2py(theirs.plural_expr)
    forms = []
    for form in range(theirs.num_plurals):
        votes = Counter(int(before(n)) for n in SAMPLES if int(after(n)) == form)
        forms.append(votes.most_common(1)[0][0] if votes else ours.num_plurals - 1)
    for message in ours:
        if message.id and isinstance(message.string, tuple):
            message.string = tuple(message.string[min(form, len(message.string) - 1)] for form in forms)
    ours._num_plurals, ours._plural_expr = theirs.num_plurals, theirs.plural_expr


def _in_forms(strings: tuple[str, ...], ours: Catalog) -> tuple[str, ...]:
    """A site's plural translation in all the forms of the catalog it is merged into (counted by one rule,
    ``_adopt_forms``): two forms, gettext's singular and plural, where CLDR's rule has more (French's third,
    for a million; Arabic's six), are the singular for the form of 1 and the plural for every other; a form
    left empty otherwise is the one before it.  Before, such a translation was dropped, and the page
    showed the theme's English."""
    given = list(strings)
    while given and not given[-1]:
        given.pop()
    if len(given) == 2 and ours.num_plurals > 2:
        one = int(c2py(ours.plural_expr)(1))
        return tuple(given[0] if form == one else given[1] for form in range(ours.num_plurals))
    filled, last = [], ""
    for string in [*given, *[""] * (ours.num_plurals - len(given))]:
        last = string or last
        filled.append(last)
    return tuple(filled)


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def read_catalog(path: Path, shown: str = "", language: str | None = None, checked: bool = False) -> Catalog:
    """A ``.po`` file as Babel reads it (its fuzzy entries are left out of what is compiled); one that
    cannot be read, or whose ``Plural-Forms`` gettext cannot count by, is a ``SiteError`` naming it as
    ``shown``.  ``language``: the catalog's, whose plural forms (CLDR's) it has when its header does not say.
    ``checked``: each translation is checked against its message too (``checks.message_problems``), and
    every one that would give readers wrong words is an error."""
    try:
        data = read_regular(path).removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as Notepad saved it
        text = data.decode("utf-8")
        _lines_read(text, shown or str(path))
        catalog = _parsed(data, text, shown or str(path), language)
    except PoFileError as e:  # Babel counts lines from 0
        raise SiteError(Diagnostic(shown or str(path), getattr(e, "lineno", -1) + 1, too_many_forms(e.catalog)
                                   if "more translations than num_plurals" in str(e) else
                                   f"cannot be read as a gettext catalog: {str(e).removesuffix(f' on {e.lineno}')}"
                                   )) from e
    except UnicodeDecodeError as e:
        line = e.object.count(b"\n", 0, e.start) + 1 if isinstance(e.object, bytes) else 0
        raise SiteError(Diagnostic(shown or str(path), line, f"not UTF-8 text (byte 0x{e.object[e.start]:02x}): "
                                   "save the catalog as UTF-8")) from e
    except (OSError, ValueError) as e:
        raise SiteError(Diagnostic(shown or str(path), 0, f"cannot be read as a gettext catalog: {e}")) from e
    problem = plural_forms_problem(catalog, text, shown or str(path))
    if problem:
        raise SiteError(problem)
    problems = message_problems(catalog, shown or str(path), forms_written(text)) if checked else []
    if problems:
        raise SiteError(problems)
    return catalog


def _parsed(data: bytes, text: str, shown: str, language: str | None) -> Catalog:
    """A catalog's bytes as Babel reads them; a ``Plural-Forms`` header whose ``nplurals`` Babel cannot read
    is reported at its line."""
    try:
        return read_po(io.BytesIO(data), locale=_babel_locale(language), domain=DOMAIN, abort_invalid=True)
    except ValueError as e:
        problem = nplurals_problem(text, shown)
        if problem:
            raise SiteError(problem) from e
        raise


def _babel_locale(language: str | None) -> str | None:
    """A catalog folder's name as Babel names a locale (``pt_BR``), or None for one it does not know."""
    if not language:
        return None
    try:
        return str(Locale.parse(language.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return None


_PO_LINE = re.compile(r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+".*"|".*")?\s*')
"""A line of a ``.po`` file: a comment, a keyword and its quoted string, a quoted string going on, or nothing."""


def _lines_read(text: str, shown: str) -> None:
    """Stop at a line Babel would pass over without a word (a string whose closing quote is missing, a
    misspelt keyword), taking the translation after it with it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.fullmatch(line) or line.rstrip().endswith('\\"') and not line.rstrip().endswith('\\\\"'):
            raise SiteError(Diagnostic(shown, number, f"not a line of a gettext catalog: {line.strip()[:60]!r}; "
                                       'each is a keyword (msgid, msgstr) and a string in quotes, "a string in '
                                       'quotes" going on from the line before, or a # comment'))


def language_problem(tag: str, site_dir: Path) -> str | None:
    """What a reader would get in English for a language tag: its dates, when CLDR does not know the
    language, or the theme's words, when neither the theme nor the site has a catalog for it."""
    language = tag.split("-")[0].lower()
    if cldr_locale(tag).language != language:
        return (f"{tag!r} is a language CLDR does not know, so dates and plural forms will be English; "
                "check the tag (such as \"fr\", \"pt-BR\" or \"ar\")")
    if any(catalog_path(LOCALE, name).is_file() for name in _candidates(tag)):
        return None
    own = [path for name in _candidates(tag) if (path := catalog_path(site_dir, name, site=True)).is_file()]
    if own:
        return _partly_translated(own, tag, site_dir)
    return (f"the theme's words have no translation into {tag!r} (shipped: {', '.join(SHIPPED)}), so they will be "
            f"English; translate them in templates/locale/{catalog_folder(tag)}/messages.po (see the guide, "
            "\"Languages\")")


def _partly_translated(catalogs: list[Path], tag: str, site_dir: Path) -> str | None:
    """What a site's own catalogs of a language the theme does not ship leave in English: the theme's
    messages none of them translates (a message missed, or one a newer Feuilleton added); None for none."""
    done: set[str] = set()
    for path in catalogs:
        try:
            catalog = read_catalog(path, str(path.relative_to(site_dir)), tag)
        except SiteError:
            return None  # a catalog that cannot be read is the build's to report, at its line
        done |= {_msgid(message.id) for message in catalog if message.id and message.string and not message.fuzzy
                 and all(message.string if isinstance(message.string, tuple) else (message.string,))}
    theme = _theme_messages()
    left = [message for message in theme if message not in done]
    if not left:
        return None
    return (f"templates/locale/{catalog_folder(tag)}/messages.po translates {len(theme) - len(left)} of the theme's "
            f"{len(theme)} messages, so {len(left)} will be English (the first: {left[0]!r}); add them from the "
            "theme's own catalog (see the guide, \"Languages\")")


@functools.cache
def _theme_messages() -> tuple[str, ...]:
    """Every message the theme shows, as its English catalog lists them (read once a process)."""
    return tuple(_msgid(message.id) for message in read_catalog(catalog_path(LOCALE, "en")) if message.id)


def _msgid(key: str | tuple) -> str:
    return key[0] if isinstance(key, tuple) else key


def catalog_folder(tag: str) -> str:
    """The folder of ``templates/locale/`` to write a tag's catalog in: its language's (``pt`` for ``pt-BR``,
    which reads it), or, for a script, its own (``zh-Hant``: Traditional and Simplified Chinese differ in
    every word)."""
    found = _candidates(tag)
    script = next((name for name in found if "-" in name and len(name.split("-")[1]) == 4), None)
    return script or found[0]  # zh-TW reads zh-Hant's


_BASE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe",
                               "þ": "th", "ð": "d", "ħ": "h", "ŀ": "l"})
"""Letters with no decomposition to their base letter, which alphabets file beside it (Polish Ł under L)."""

_OWN_LETTERS = {  # letters an alphabet files apart from the one they look like: after z, or after their base
    "sv": "zåäö", "fi": "zåäö", "da": "zæøå", "nb": "zæøå", "nn": "zæøå", "no": "zæøå", "is": "zþæö",
    "tr": "cç gğ ıi oö sş uü", "az": "cç gğ ıi oö sş uü",
}
"""For each language, runs of letters in their order: the first letter of a run is where the others
follow (Swedish Å, Ä, Ö after Z; Turkish Ç after C)."""


def _tailoring(language: str) -> dict[str, str]:
    table = {}
    for run in _OWN_LETTERS.get(language.split("-")[0].lower(), "").split():
        base = run[0]
        for rank, letter in enumerate(run[1:], start=1):
            table[letter] = base + "\x7f" + chr(rank)  # after every word of its base letter, in order
    return table


def alphabetical(name: str, language: str = "") -> tuple[str, str]:
    """A sort key that files a name by its letters as an index does, accents and case aside ("Äpfel" under
    A, "Łódź" under L), then by the name itself; in a language whose alphabet has letters of its own
    (Swedish Å, Ä, Ö after Z; Turkish Ç after C, ı before i), those are filed so: close to the order of the
    world's alphabets, without a collation library."""
    own = _tailoring(language)
    folded = "".join(own.get(char, char) for char in name.casefold()) if own else name.casefold()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", folded).translate(_BASE_LETTERS))
    return "".join(c for c in folded if not unicodedata.combining(c)), name

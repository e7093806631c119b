"""What a gettext catalog must hold for readers to get the right words, checked before any page is made.

A ``Plural-Forms`` header gettext cannot count by stopped the build with a traceback; a translation with a
plural form missing, or a placeholder written awry, printed wrong words with no warning ("2 billet",
"Partie 1ur 3").  The checks here report each as ``file:line: what is wrong``: a site's catalogs on every
build, the theme's in the tests.
"""
from __future__ import annotations

import logging
import re
from gettext import c2py

from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.pofile import unescape

from ..errors import Diagnostic

log = logging.getLogger(__name__)

SAMPLES = (*range(201), 1_000, 1_000_000)
"""Numbers that, between them, take every plural form CLDR and gettext give a language."""

_EXAMPLE = '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"'


def header_line(text: str, name: str) -> int:
    """The line of a catalog's text where its header ``name`` is written; 0 for none."""
    found = re.search(rf'^\s*"{re.escape(name)}\s*:', text, re.IGNORECASE | re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 0


def nplurals_problem(text: str, shown: str) -> Diagnostic | None:
    """The header's ``nplurals=`` when it is no whole number, which Babel stops at with Python's own words
    (``invalid literal for int()``); None when it is one, or when the catalog has no ``Plural-Forms``."""
    line = header_line(text, "Plural-Forms")
    if not line:
        return None
    value = unescape(text.split("\n")[line - 1].strip()).split(":", 1)[1].strip()
    try:
        Catalog().mime_headers = [("Plural-Forms", value)]  # as Babel reads it
    except ValueError:
        return Diagnostic(shown, line, f"the Plural-Forms header {value!r} has an nplurals= that is not a whole "
                                       f"number: it is how many plural forms the language has, as in {_EXAMPLE}")
    return None


def plural_forms_problem(catalog: Catalog, text: str, shown: str) -> Diagnostic | None:
    """Why gettext cannot count by a catalog's ``Plural-Forms`` header (None if it can, or if there is none):
    ``nplurals`` is not a number of forms, or ``plural`` is not a C expression of ``n`` that gives each
    number one of those forms."""
    if catalog._num_plurals is None:  # no header: the language's own forms, as CLDR gives them
        return None
    line, count, rule = header_line(text, "Plural-Forms"), catalog.num_plurals, catalog.plural_expr
    if count < 1:
        return Diagnostic(shown, line, f"the Plural-Forms header's nplurals={count}: a language has at least one "
                                       f"form, as in {_EXAMPLE}")
    try:
        form = c2py(rule)
    except (ValueError, RecursionError) as e:
        return Diagnostic(shown, line, f"the Plural-Forms header's plural={rule} is not an expression gettext can "
                                       f"read ({e}): write it in C, of the number n, as in {_EXAMPLE}")
    for number in SAMPLES:
        try:
            chosen = form(number)
        except ArithmeticError as e:
            return Diagnostic(shown, line, f"the Plural-Forms header's plural={rule} gives no form for {number} "
                                           f"({e}): write it as in {_EXAMPLE}")
        if not 0 <= chosen < count:
            return Diagnostic(shown, line, f"the Plural-Forms header's plural={rule} gives form {chosen} for "
                                           f"{number}, but nplurals={count} has forms 0 to {count - 1}")
    return None


def forms_written(text: str) -> dict[int, tuple[str, ...]]:
    """For each message, by the line of its ``msgid`` (Babel's ``lineno``), the keywords its translation is
    written with: ``msgstr``, or ``msgstr[0]``, ``msgstr[1]``, …  Babel reads a plain ``msgstr`` and a lone
    ``msgstr[0]`` alike, and pads the forms left out with empty ones."""
    found: dict[int, tuple[str, ...]] = {}
    current = 0
    for number, line in enumerate(text.split("\n"), start=1):
        keyword = _KEYWORD.match(line)
        if keyword and keyword[1] == "msgid":
            current, found[number] = number, ()
        elif keyword and current:
            found[current] += (keyword[1],)
    return found


_KEYWORD = re.compile(r"\s*(msgid|msgstr(?:\[\d+\])?)\s")


def message_problems(catalog: Catalog, shown: str, written: dict[int, tuple[str, ...]]) -> list[Diagnostic]:
    """Every translation in a catalog that would give readers wrong words, as ``msgfmt --check`` finds them
    and more: its forms not the plural forms the language counts (``2 billet``), a placeholder of its
    message left out, or one written otherwise than the message writes it (``%(part) sur``, which Python
    reads as ``%(part) s`` and shows as "Partie 1ur 3")."""
    problems: list[Diagnostic] = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or not any(strings):
            continue  # untranslated: the theme's words, or the message itself
        keywords = written.get(message.lineno, ())
        said = _forms_problem(catalog, message, keywords)
        if said:
            problems.append(Diagnostic(shown, message.lineno, said))
            continue
        given = [string for string in strings if string]  # every form, as the check above found
        alone = _alone_forms(catalog, len(given)) if message.pluralizable else frozenset()
        for form, string in enumerate(given):
            said = _placeholder_problem(message, form, string, form in alone)
            if said:
                problems.append(Diagnostic(shown, message.lineno, said))
    return list(dict.fromkeys(problems))


def _forms_problem(catalog: Catalog, message: Message, keywords: tuple[str, ...]) -> str | None:
    """Why a translation's forms are not its message's: a plain ``msgstr`` for a message with a plural, plural
    forms for one without, or not as many forms as the language counts (each of them given)."""
    first = f"the translation of {_msgid(message)!r}"
    if not message.pluralizable:
        if any(keyword != "msgstr" for keyword in keywords):
            return (f"{first} is written in plural forms (msgstr[0] …), but the message has no msgid_plural: "
                    "write one msgstr")
        return None
    if "msgstr" in keywords:
        return (f"{first} is a plain msgstr, but the message has a plural ({message.id[1]!r}), and readers would "
                f"get the same words for every number: give {_wanted(catalog)}")
    given = [k for k, string in enumerate(message.string) if string and f"msgstr[{k}]" in keywords]
    if any(given == [*range(count)] for count in _form_counts(catalog)):
        return None
    missing = next(k for k in range(len(message.string)) if k not in given)
    fault = "leaves msgstr[{}] empty" if f"msgstr[{missing}]" in keywords else "has no msgstr[{}]"
    return (f"{first} {fault.format(missing)}, and readers would get another form's words for the numbers it "
            f"counts: give {_wanted(catalog)}")


def too_many_forms(catalog: Catalog) -> str:
    """What is wrong with a translation Babel stopped at for having more plural forms than the catalog's."""
    return f"the translation has more plural forms than the language counts: give {_wanted(catalog)}"


def _form_counts(catalog: Catalog) -> tuple[int, ...]:
    """How many plural forms a translation may give: the header's ``nplurals``; without a header, the
    language's own (CLDR's), or gettext's two, singular and plural."""
    if catalog._num_plurals is not None:
        return (catalog.num_plurals,)
    return tuple(sorted({2, catalog.num_plurals}))


def _wanted(catalog: Catalog) -> str:
    """The forms a plural translation gives, and why."""
    if catalog._num_plurals is not None:
        return f"{_forms(catalog.num_plurals)}, as the Plural-Forms header says nplurals={catalog.num_plurals}"
    if catalog.num_plurals == 2:
        return f"{_forms(2)}, singular and plural"
    return (f"{_forms(2)} (singular and plural), or {_forms(catalog.num_plurals)} (the language's "
            f"{catalog.num_plurals} forms)")


def _forms(count: int) -> str:
    return " and ".join(f"msgstr[{k}]" for k in range(count)) if count <= 2 else f"msgstr[0] … msgstr[{count - 1}]"


def _alone_forms(catalog: Catalog, count: int) -> frozenset[int]:
    """The plural forms, of a translation giving ``count`` of them, that are shown for one number only (Arabic's
    "كلمتان", two words): such a form may leave out the number, as msgfmt allows.  Two forms where the
    language counts more are read as singular and plural: the form of 1, and every other."""
    rule = c2py(catalog.plural_expr)
    if catalog._num_plurals is None and count == 2 < catalog.num_plurals:
        one = rule(1)
        forms = [0 if rule(n) == one else 1 for n in SAMPLES]
    else:
        forms = [rule(n) for n in SAMPLES]
    return frozenset(form for form in range(count) if forms.count(form) == 1)


_NAMED = re.compile(r"%\((\w*)\)")


def _placeholder_problem(message: Message, form: int, string: str, alone: bool) -> str | None:
    """Why a translation's placeholders are not its message's: a ``%`` that starts none (``100% sure``), a
    placeholder without a name, one the message does not give, one written otherwise than the message writes
    it, or one of the message's left out (unless the form is shown for one number only)."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    first = f"the translation of {ids[0]!r}" + (f" (msgstr[{form}])" if message.pluralizable else "")
    wanted = {found[1]: found[0] for text in ids for found in PYTHON_FORMAT.finditer(text) if found[1] is not None}
    gives = ", ".join(sorted(wanted.values())) or "none"
    seen, at = set(), string.find("%")
    while at >= 0:
        found = PYTHON_FORMAT.match(string, at) or _NAMED.match(string, at)
        written, name = (found[0], found[1]) if found else ("%", None)
        whole = found is not None and found.re is PYTHON_FORMAT  # a placeholder Python reads, name to conversion
        if written == "%%":
            at = string.find("%", at + 2)
            continue
        if name is None and whole and found[3] != "%":
            return (f"{first} has {written!r}, a placeholder without a name, which would show the page's own "
                    f"data: write %% for a percent sign, or a placeholder of the message's ({gives})")
        if name is None:
            return f"{first} has a % that is no placeholder: write %% for a percent sign ({string[at:at + 12]!r})"
        if name not in wanted:
            return f"{first} uses {written}, which the message does not give (it gives: {gives})"
        if written != wanted[name]:
            rest = written[len(f"%({name})"):] if whole else ""
            hint = f" (Python reads {written!r} as one placeholder, and readers would not see {rest!r})" \
                if len(rest) > 1 else ""  # a flag or a width before the conversion: "%(part) sur"
            return f"{first} has {written!r} where the message has {wanted[name]!r}: write it as the message does{hint}"
        seen.add(name)
        at = string.find("%", at + len(written))
    left = [wanted[name] for text in ids[-1:] for name in _names(text) if name not in seen]
    if left and not alone:
        return (f"{first} leaves out {left[0]}, which the message has: readers would not see it; put it where the "
                "sentence needs it")
    return None


def _names(text: str) -> list[str]:
    return [found[1] for found in PYTHON_FORMAT.finditer(text) if found[1] is not None]


def _msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id

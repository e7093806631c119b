"""What a gettext catalog must hold for readers to get the right words, checked before any page is made.

A ``Plural-Forms`` header gettext cannot count by stopped the build with a traceback; the checks here
report it, and every other fault, as ``file:line: what is wrong``.
"""
from __future__ import annotations

import logging
import re
from gettext import c2py

from babel.messages.catalog import Catalog
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

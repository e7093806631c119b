"""Smart punctuation for the plain text around an essay: titles, working titles and summaries.

Essays and notes get curly quotes, dashes and ellipses from pyromark as they
are rendered; a title or a summary is plain text, written in front matter or
``series.toml``, and would otherwise show the straight quotes and double
hyphens the author typed beside an essay that shows curly ones.  The same
engine does the same work here: the text is escaped so that nothing in it
is read as Markdown but the punctuation it turns.
"""
from __future__ import annotations

import functools
import html
import logging
import re

import pyromark

log = logging.getLogger(__name__)

_MARKUP = re.compile(r"""[\\!#$%&()*+,/:;<=>?@\[\]^_`{|}~]""")
"""ASCII punctuation that Markdown may read as markup: everything but the quotes, hyphens and periods that
smart punctuation turns."""
_LEAD = "x "
"""Put before the text so that nothing in it begins a line (a list, a heading, a rule)."""
_GERSHAYIM = re.compile("(?<=[\u05d0-\u05ea])[\u201c\u201d](?=[\u05d0-\u05ea])")
"""A quotation mark smart punctuation made of a ``"`` between two Hebrew letters: gershayim, which Hebrew
writers type as ``"`` (צה"ל, התשי"ט), and which is no quotation."""


def hebrew_marks(html_text: str) -> str:
    """``html_text`` with each ``"`` typed as gershayim between two Hebrew letters, which smart punctuation
    made an opening or closing quotation mark (צה“ל), as the gershayim it is (צה״ל, U+05F4)."""
    return _GERSHAYIM.sub("\u05f4", html_text) if "\u201c" in html_text or "\u201d" in html_text else html_text


@functools.lru_cache(maxsize=1 << 14)
def smart(text: str) -> str:
    """``text`` with curly quotes and apostrophes, en and em dashes for ``--`` and ``---`` and an ellipsis
    for ``...``, exactly as an essay's text gets them; nothing else changes."""
    if not text or not any(mark in text for mark in ("'", '"', "--", "...")):
        return text
    escaped = _MARKUP.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    out = pyromark.html(_LEAD + escaped, options=pyromark.Options.ENABLE_SMART_PUNCTUATION)
    inner = out.strip()
    if not (inner.startswith("<p>" + _LEAD) and inner.endswith("</p>")) or "<" in inner[3:-4]:
        return text  # never expected; the text as written is always right to show
    return hebrew_marks(html.unescape(inner[3 + len(_LEAD):-4]))

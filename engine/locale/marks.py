"""The engine's words inside rendered text, in the page's language.

``text/`` writes a few English words into the HTML it makes, which is
cached whatever the language: the mark of a ``part:`` reference to a part
not out yet ("(forthcoming)"), and in a diff the summary of a fold of
unchanged blocks, the notes where a block moved from or to, and what a
screen reader hears before each change ("inserted: ", "deleted: ").
``localize`` puts those words in the page's language when the text is
shown (in English, the very words ``text/`` wrote); so are the labels of a table's and the footnotes'
regions.
"""
from __future__ import annotations

import functools
import logging
import re
from gettext import NullTranslations

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """A message for the catalogs, translated where it is shown."""
    return message


_AWAY = {(noun, side): message for noun, side, message in (
    ("paragraph", "later", N_("A paragraph moved from here to later in the essay.")),
    ("paragraph", "earlier", N_("A paragraph moved from here to earlier in the essay.")),
    ("quotation", "later", N_("A quotation moved from here to later in the essay.")),
    ("quotation", "earlier", N_("A quotation moved from here to earlier in the essay.")),
    ("list", "later", N_("A list moved from here to later in the essay.")),
    ("list", "earlier", N_("A list moved from here to earlier in the essay.")),
    ("table", "later", N_("A table moved from here to later in the essay.")),
    ("table", "earlier", N_("A table moved from here to earlier in the essay.")),
    ("code block", "later", N_("A code block moved from here to later in the essay.")),
    ("code block", "earlier", N_("A code block moved from here to earlier in the essay.")),
    ("heading", "later", N_("A heading moved from here to later in the essay.")),
    ("heading", "earlier", N_("A heading moved from here to earlier in the essay.")),
)}
_IN = {"earlier": N_("Moved from earlier in the essay."), "later": N_("Moved from later in the essay.")}
_MARKS = {"forthcoming": N_("forthcoming"), "not yet published": N_("not yet published")}
_LABELS = {"inserted": N_("inserted:"), "deleted": N_("deleted:")}
_REGIONS = {"Table": N_("Table"), "Footnotes": N_("Footnotes")}
_NAMED_TABLE = N_("Table: %(columns)s")
_BACK = N_("Back to reference %(number)s")
_BACK_AGAIN = N_("Back to reference %(number)s, citation %(use)s")

_NOTE = re.compile(r'<p class="diff-note">(?:A (paragraph|quotation|list|table|code block|heading) moved from here to '
                   r'(later|earlier) in the essay\.|Moved from (earlier|later) in the essay\.)</p>')
_MARK = re.compile(r'<span class="forthcoming-mark">\((forthcoming|not yet published)\)</span>')
_FOLD = re.compile(r"<summary>(\d+) unchanged (paragraph|heading|note)s?(?: and (\d+) headings?)?</summary>")
_LABEL = re.compile(r'<span class="visually-hidden">(inserted|deleted): </span>')
_REGION = re.compile(r'aria-label="(Footnotes|Table|Back to reference)'
                     r'(?:(?<=Table): ([^"]*)|(?<=reference) (\d+)(?:, citation (\d+))?)?"')


def localize(html: str, text: NullTranslations) -> str:
    """``html`` with its forthcoming marks and a diff's notes, fold summaries and labels of changes in ``text``'s
    language."""
    html = _MARK.sub(lambda m: f'<span class="forthcoming-mark">({text.gettext(_MARKS[m.group(1)])})</span>', html)
    html = _NOTE.sub(lambda m: _note(m, text), html)
    html = _LABEL.sub(lambda m: f'<span class="visually-hidden">{text.gettext(_LABELS[m.group(1)])} </span>', html)
    html = localize_labels(html, text) if translates_labels(text) else html
    return _FOLD.sub(lambda m: f"<summary>{_fold(m, text)}</summary>", html)


@functools.lru_cache(maxsize=32)
def translates_labels(text: NullTranslations) -> bool:
    """Whether ``text`` says a table's, the footnotes' or a way back's label otherwise than ``text/`` wrote it
    (not in English, unless a site's own catalog says so): only then is a fragment with such labels rewritten."""
    return any(text.gettext(message) != message
               for message in (*_REGIONS.values(), _NAMED_TABLE, _BACK, _BACK_AGAIN))


def localize_labels(html: str, text: NullTranslations) -> str:
    """``html`` with its regions' labels in ``text``'s language (``localize``'s part for essays and notes)."""
    return _REGION.sub(lambda m: _region(m, text), html) if 'aria-label="' in html else html


def _region(match: re.Match[str], text: NullTranslations) -> str:
    """A table's, the footnotes' or a footnote's way back's label (``aria-label``) in the page's language."""
    what, columns, number, use = match.groups()
    if number:  # the way back to a note's second citation is told from the way back to its first
        said = text.gettext(_BACK_AGAIN if use else _BACK) % {"number": number, "use": use}
    else:
        columns = columns.replace(", ", text.gettext(", ")) if columns else columns  # Arabic lists with "، "
        said = text.gettext(_NAMED_TABLE) % {"columns": columns} if columns else text.gettext(_REGIONS[what])
    return f'aria-label="{said.replace(chr(34), "&quot;")}"'


def _note(match: re.Match[str], text: NullTranslations) -> str:
    noun, side, came_from = match.groups()
    said = text.gettext(_IN[came_from]) if came_from else text.gettext(_AWAY[noun, side])
    return f'<p class="diff-note">{said}</p>'


def _fold(match: re.Match[str], text: NullTranslations) -> str:
    count, noun, headings = int(match.group(1)), match.group(2), match.group(3)
    if noun == "heading":
        return text.ngettext("%(num)s unchanged heading", "%(num)s unchanged headings", count) % {"num": count}
    if noun == "note":
        return text.ngettext("%(num)s unchanged note", "%(num)s unchanged notes", count) % {"num": count}
    paragraphs = text.ngettext("%(num)s unchanged paragraph", "%(num)s unchanged paragraphs", count) % {"num": count}
    if not headings:
        return paragraphs
    n = int(headings)
    return text.gettext("%(paragraphs)s and %(headings)s") % {
        "paragraphs": paragraphs, "headings": text.ngettext("%(num)s heading", "%(num)s headings", n) % {"num": n}}

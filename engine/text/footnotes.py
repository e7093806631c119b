"""Footnotes, whole: pyromark's definitions gathered into one numbered list at the end of a text, with links
both ways; what a page of what changed compares them by (their labels, not the numbers a deletion shifts);
and what ``check`` says of a note cited and never written, or written and never cited."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from .cutting import UNSPACED_RE, character_words
from .elements import Element, replace_elements

_FOOTNOTE_DEF = re.compile(
    r'<div class="footnote-definition" id="([^"]*)"><sup class="footnote-definition-label">([^<]*)</sup>\n?')
_FOOTNOTE_DEF_END = re.compile(r"</div>\n?")
_DIV = re.compile(r"<div\b", re.IGNORECASE)
"""A ``<div>`` the author wrote in a footnote, which ends before the note does."""
_FOOTNOTE_REF = re.compile(r'<sup class="footnote-reference"><a href="#([^"]*)">([^<]*)</a></sup>')


def gather_footnotes(out: str) -> str:
    """Move footnote bodies into one list at the end, with links both ways, numbered in the order the
    references first name them (notes no reference names come last)."""
    notes: dict[str, str] = {}

    def take(note: Element) -> str:
        notes.setdefault(note.start.group(1), note.body.strip())
        return ""

    out = replace_elements(out, _FOOTNOTE_DEF, lambda _: _FOOTNOTE_DEF_END, take, _DIV)
    numbers: dict[str, int] = {}
    uses: dict[str, int] = {}

    def ref(match: re.Match[str]) -> str:
        name = match.group(1)
        number = numbers.setdefault(name, len(numbers) + 1)
        uses[name] = uses.get(name, 0) + 1
        suffix = "" if uses[name] == 1 else f"-{uses[name]}"
        return (f'<sup class="footnote-ref"><a href="#fn-{_fid(name)}" id="fnref-{_fid(name)}{suffix}">'
                f"{number}</a></sup>")

    out = _FOOTNOTE_REF.sub(ref, out)
    done: set[str] = set()
    while True:  # a note citing another (``[^a]: … see [^b].``): the one cited is numbered after those cited first
        todo = [name for name in [*numbers, *notes] if name not in done]
        if not todo:
            break
        for name in todo:
            done.add(name)
            if name in notes:
                notes[name] = _FOOTNOTE_REF.sub(ref, notes[name])
    order = list(numbers) + [name for name in notes if name not in numbers]
    items = []
    for number, name in enumerate(order, start=1):
        body = notes.get(name, "<p>(This footnote has no text.)</p>")
        back = "".join(  # a note cited twice leads back to each citation (↩, ↩², …), each told apart to a screen reader
            f' <a href="#fnref-{_fid(name)}{"" if use == 1 else f"-{use}"}" class="footnote-backref" '
            f'aria-label="Back to reference {number}{"" if use == 1 else f", citation {use}"}">'
            f'↩{"" if use == 1 else f"<sup>{use}</sup>"}</a>'
            for use in range(1, uses.get(name, 0) + 1))
        if body.endswith("</p>"):
            body = body[:-4] + back + "</p>"
        else:
            body += back
        items.append(f'<li id="fn-{_fid(name)}">{body}</li>')
    if not items:
        return out
    return (out + '<section class="footnotes" aria-label="Footnotes">\n<ol>\n'
            + "\n".join(items) + "\n</ol>\n</section>\n")


_NUMBERED_REF = re.compile(r'(<sup class="footnote-ref"><a href="#fn-([^"]*)" id="fnref-[^"]*">)(\d+)(</a></sup>)')
_NUMBERED_BACK = re.compile(
    r'(<a href="#fnref-([^"]*)" class="footnote-backref" aria-label="Back to reference )(\d+)((?:, citation \d+)?")')
_LINKED_MARK = re.compile(r'<a href="#fn-([^"]*)" id="fnref-[^"]*">(\d+)</a>')
_NAMED = re.compile(r'((?:href="#|id=")fn(?:ref)?-)([^"]*)"')
_BACKREF = re.compile(r' <a href="#fnref-[^"]*" class="footnote-backref"[^>]*>.*?</a>', re.S)
_CITATION = re.compile(r'<sup class="footnote-ref">.*?</sup>', re.S)
_BLOCK_START = re.compile(r"<(?:p|li|td|th|h[1-6]|dd|dt|blockquote|figcaption)\b[^>]*>")


_NOTES = re.compile(r'(<section class="footnotes" aria-label="Footnotes">\n<ol>\n)(.*)(\n</ol>\n</section>\n)\Z', re.S)
_NOTE = re.compile(r'\n(?=<li id="fn-)')
_NOTE_NAME = re.compile(r'<li id="fn-([^"]*)"')


def numbered_as_in(old: str, new: str) -> str:
    """``old`` (a rendered text) with each footnote that ``new`` still has named, numbered and listed as
    ``new`` names, numbers and lists it: a note deleted, a paragraph moved with its notes, or labels
    renumbered by hand (``[^1]`` become ``[^2]`` to make room for a new first note) renumber and rename every
    note after it, which is no change of the author's to show.  Which note is which: ``_same_notes``.  A
    note ``new`` no longer has keeps the number readers saw, in its citations (unlinked) and in the list (its
    ``<li>`` says it with ``value``), and loses its ways back, which lead nowhere now."""
    if "footnote-ref" not in old:
        return old
    notes, listed = _NOTES.search(old), _NOTES.search(new)
    old_items = _NOTE.split(notes.group(2)) if notes else []
    new_items = _NOTE.split(listed.group(2)) if listed else []
    same = _same_notes(_bodies(old_items), _bodies(new_items), _contexts(old), _contexts(new))
    gone = {name for name in _names(old_items) if name not in same}
    taken = set(_names(new_items)) | set(same.values())
    for name in gone:  # a note deleted whose label a new note took: named apart, so that nothing leads to it
        if name in taken:
            fresh = f"gone-{name}"
            while fresh in taken:
                fresh = f"gone-{fresh}"
            same[name] = fresh
            taken.add(fresh)
    if any(old_name != new_name for old_name, new_name in same.items()):
        old = _NAMED.sub(lambda m: f'{m.group(1)}{_renamed(m.group(2), same)}"', old)
    numbers = {m.group(2): m.group(3) for m in _NUMBERED_REF.finditer(new)}

    def number(m: re.Match[str]) -> str:
        name = m.group(2) if m.group(2) in numbers else re.sub(r"-\d+\Z", "", m.group(2))  # a second citation's
        return f"{m.group(1)}{numbers.get(name, m.group(3))}{m.group(4)}"
    old = _NUMBERED_BACK.sub(number, _NUMBERED_REF.sub(number, old))
    gone = {same.get(name, name) for name in gone}
    if gone:  # a deleted note's mark leads nowhere now: its number alone, as readers saw it
        old = _LINKED_MARK.sub(lambda m: m.group(2) if m.group(1) in gone else m.group(0), old)
    notes = _NOTES.search(old)
    if notes is None:
        return old
    place = {name: at for at, name in enumerate(_names(new_items))}
    items, keys, last = _NOTE.split(notes.group(2)), [], -1.0
    for shown, item in enumerate(items, start=1):
        found = _NOTE_NAME.match(item)
        at = place.get(found.group(1)) if found else None
        last = float(at) if at is not None else last + 0.001  # a note gone stays after the one before it
        keys.append(last)
        if found and found.group(1) in gone:
            items[shown - 1] = _BACKREF.sub("", item.replace(found.group(0), f'{found.group(0)} value="{shown}"', 1))
    ordered = [item for _, item in sorted(zip(keys, items), key=lambda pair: pair[0])]
    return old[:notes.start(2)] + "\n".join(ordered) + old[notes.end(2):]


def _names(items: list[str]) -> list[str]:
    return [found.group(1) for found in map(_NOTE_NAME.match, items) if found]


def _bodies(items: list[str]) -> dict[str, str]:
    """Each listed note's text, without its ways back and with the notes it cites unnamed."""
    bodies = {}
    for item in items:
        found = _NOTE_NAME.match(item)
        if found:
            body = item[found.end():].partition(">")[2]
            bodies[found.group(1)] = _CITATION.sub("<sup></sup>", _BACKREF.sub("", body)).strip()
    return bodies


def _contexts(html: str) -> dict[str, str]:
    """Each note's name → the words just before its first citation, which tell notes of the same text apart
    ("Ibid." after one paragraph and after another)."""
    body = html.split('<section class="footnotes"', 1)[0]
    found: dict[str, str] = {}
    for cited in _CITED.finditer(body):
        if cited.group(1) not in found:
            before = body[max(0, cited.start() - 600):cited.start()]
            before = before[max((m.end() for m in _BLOCK_START.finditer(before)), default=0):]  # its paragraph's
            before = re.sub(r"<[^>]*>", " ", _CITATION.sub(" ", before))  # the other notes' marks: numbers that move
            found[cited.group(1)] = " ".join(before.split())[-80:]  # characters: Japanese has no spaces to count by
    return found


def _same_notes(old: dict[str, str], new: dict[str, str], old_at: dict[str, str] | None = None,
                new_at: dict[str, str] | None = None) -> dict[str, str]:
    """Old note's name → the name of the same note in ``new``: one with its text cited after the same words
    (its own label first); else the one with its label and its text; else one with its text, the notes of
    the same text ("Ibid.") paired in their order; else the one with its label and most of its words; else
    one with most of its words; else the one with its label."""
    same: dict[str, str] = {}
    claimed: set[str] = set()
    old_at, new_at = old_at or {}, new_at or {}

    def pair(test) -> None:
        for name, body in old.items():
            if name in same:
                continue
            match = next((other for other in ([name] if name in new else []) + list(new)
                          if other not in claimed and test(name, body, other)), None)
            if match is not None:
                same[name] = match
                claimed.add(match)
    pair(lambda name, body, other: new[other] == body and name in old_at and old_at[name] == new_at.get(other))
    pair(lambda name, body, other: other == name and new[other] == body)
    left = [name for name in old if name not in same]
    right = [name for name in new if name not in claimed]
    texts = SequenceMatcher(None, [old[name] for name in left], [new[name] for name in right], autojunk=False)
    for a, b, size in texts.get_matching_blocks():
        for k in range(size):
            same[left[a + k]] = right[b + k]
            claimed.add(right[b + k])
    pair(lambda name, body, other: other == name and _alike(body, new[other]))
    pair(lambda name, body, other: _alike(body, new[other]))
    pair(lambda name, body, other: other == name)
    return same


def _alike(a: str, b: str) -> bool:
    """Whether two notes' texts share most of their words (each character one, in Chinese or Japanese)."""
    words_a, words_b = _word_set(a), _word_set(b)
    total = len(words_a) + len(words_b)
    return bool(total) and 2 * len(words_a & words_b) / total >= 0.5


def _word_set(html: str) -> set[str]:
    words = re.sub(r"<[^>]*>", " ", html).split()
    if any(UNSPACED_RE.search(word) for word in words):
        return {piece for word in words for piece in character_words(word)}
    return set(words)


def _renamed(name: str, same: dict[str, str]) -> str:
    """A footnote name as written in an id or link (``a``, or ``a-2`` for its second citation), renamed."""
    if name in same:
        return same[name]
    base, dash, use = name.rpartition("-")
    return f"{same[base]}-{use}" if dash and use.isdigit() and base in same else name


_UNRESOLVED = re.compile(r"\[\^([^\]\s]+)\]")
_CODE_ELEMENT = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_CITED = re.compile(r'<sup class="footnote-ref"><a href="#fn-([^"]*)"')
_LISTED = re.compile(r'<li id="fn-([^"]*)">')


def footnote_problems(html: str, markdown: object = "", within: str = "essay") -> list[tuple[str, str]]:
    """``(what to look for in the Markdown to find its line, the warning)`` for each footnote that cannot work:
    a citation of a note never written (Markdown shows ``[^7]`` as it is), and a note nothing cites (it stays
    at the end of the list, where no reader is sent).  ``within``: what the text is, an essay or a note."""
    if "[^" not in html and html.count('<li id="fn-') <= html.count('class="footnote-backref" aria-label='):
        return []  # no citation left as text, and every note cited (led back to)
    body, _, notes = html.partition('<section class="footnotes"')
    unresolved = _UNRESOLVED.findall(_CODE_ELEMENT.sub("", body)) if "[^" in body else []
    if unresolved and markdown:  # ``\[^6]`` is the author's own bracket, escaped so that it shows as written
        written = str(markdown)  # a packed text is unpacked only here
        unresolved = [label for label in unresolved if re.search(rf"(?<!\\)\[\^{re.escape(label)}\]", written)]
    found = [(f"[^{label}]", f"footnote [^{label}] has no text, and readers see [^{label}]: write it below the "
              f"{within} as [^{label}]: …") for label in dict.fromkeys(unresolved)]
    if notes:
        cited = set(_CITED.findall(html))  # a note cited by another note is cited
        found += [(f"[^{name}]:", f"footnote [^{name}] is cited nowhere in the text: cite it, or delete it")
                  for name in _LISTED.findall(notes) if name not in cited]
    return found


def _fid(name: str) -> str:
    return re.sub(r"\s+", "-", name)

"""A table in two versions → the new table with what changed marked in it, row by row and cell by cell.

Authors of policy and legal essays keep figures in tables and correct them, add a year's row, drop a
withdrawn case.  Shown as two whole tables, one struck out above the other, a one-row change is a hunt.
So the rows of each section are aligned the way an essay's blocks are: identical rows anchor the rest,
and in a stretch that changed, a row with the same cells and much the same words is the same row
edited.  An edited row shows its changed cells' words marked; a row that came shows each of its cells
inserted; a row that went is shown where it stood, each cell struck out.  Only when the frame changed —
the caption, the sections, the columns of a row in both — is the table left to be replaced whole
(``None``).  Marks go inside the cells: an ``<ins>`` may not stand between a table's rows.
"""
from __future__ import annotations

import copy
import logging
from difflib import SequenceMatcher
from typing import Callable

from lxml import etree

from .worddiff import Tally, diff_words, element_pieces, hidden_label, inner_html, outer_element, without_ids

log = logging.getLogger(__name__)

SECTIONS = ("thead", "tbody", "tfoot")
SAME_ROW = 0.5
"""Share of words from which a changed row counts as the same row edited (as blocks pair, ``PAIR_MIN``)."""
_MARK = "feuilleton-changed-cell-{}"
"""Stands in, while the new table is serialized, for a cell's marked content."""

Words = Callable[[str], list]
"""A text's words, as the diff counts them."""


def table_diff(old: etree._Element, new: etree._Element, tally: Tally, words: Words) -> tuple[str, bool] | None:
    """The new table with its changes marked, and whether anything changed; None when its frame changed."""
    before, after = _sections(old), _sections(new)
    if [tag for tag, _, _ in before] != [tag for tag, _, _ in after] or _frame(old) != _frame(new):
        return None
    shown = copy.deepcopy(new)
    marks: list[str] = []
    for (_, _, was), (_, _, rows), (_, holder, places) in zip(before, after, _sections(shown)):
        steps = _align(was, rows, words)
        if steps is None:
            return None
        last = places[-1] if places else None
        for step, i, j in steps:
            if step == "edit":
                _edit(was[i], rows[j], places[j], tally, marks)
            elif step == "ins":
                tally.added += len(words(_text(rows[j])))
                _whole_row(places[j], "ins", marks)
            elif step == "del":
                tally.deleted += len(words(_text(was[i])))
                gone = without_ids(was[i])  # the new table may give its ids again
                gone.tail = None
                _whole_row(gone, "del", marks)
                if j < len(places):  # where it stood: before the row that now follows it
                    places[j].addprevious(gone)
                    continue
                if last is None:  # a section that lost every row
                    holder.append(gone)
                else:  # after the last row, and after any gone row put there before it
                    last.addnext(gone)
                last = gone
    if not marks:
        return outer_element(new), False
    html = outer_element(shown)
    for number, inner in enumerate(marks):
        html = html.replace(_MARK.format(number), inner, 1)
    tally.changed += 1
    return html, True


def _sections(table: etree._Element) -> list[tuple[str, etree._Element, list[etree._Element]]]:
    """The table's row groups in order, each with the element that holds it and its own rows (not those of
    a table in a cell): a ``thead``, ``tbody`` or ``tfoot``, and ``""`` for rows written straight inside
    the table, one group for each stretch of them."""
    found: list[tuple[str, etree._Element, list[etree._Element]]] = []
    for child in table:
        if child.tag in SECTIONS:
            found.append((child.tag, child, [row for row in child if row.tag == "tr"]))
        elif child.tag == "tr":
            if not found or found[-1][0] != "" or found[-1][2][-1].getnext() is not child:
                found.append(("", table, []))
            found[-1][2].append(child)
    return found


def _frame(table: etree._Element) -> str:
    """The table with its rows taken out: its caption, column groups and sections."""
    bare = copy.deepcopy(table)
    for _, _, rows in _sections(bare):
        for row in rows:
            row.getparent().remove(row)
    return outer_element(bare)


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _shape(row: etree._Element) -> tuple:
    """What must agree for two rows' cells to be set side by side: their kinds and spans."""
    return tuple((cell.tag, cell.get("colspan", "1"), cell.get("rowspan", "1")) for cell in _cells(row))


def _text(row: etree._Element) -> str:
    return " ".join(" ".join(cell.itertext()) for cell in _cells(row))


def _align(was: list[etree._Element], rows: list[etree._Element], words: Words) -> list[tuple] | None:
    """``(step, old index, new index)`` for each row of both versions in the order the new table shows them:
    ``same``, ``edit`` (its cells to be compared), ``ins`` or ``del``.  None when every row changed and the
    rows kept no shape in common: nothing would be seen side by side."""
    keys = [outer_element(row) for row in was], [outer_element(row) for row in rows]
    steps: list[tuple] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, *keys, autojunk=False).get_opcodes():
        if op == "equal":
            steps += [("same", i, j) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        i, j = i1, j1
        while i < i2 and j < j2:
            if _same_row(was[i], rows[j], words):
                steps.append(("edit", i, j))
                i, j = i + 1, j + 1
            elif any(_same_row(was[i], rows[k], words) for k in range(j + 1, j2)):
                steps.append(("ins", None, j))
                j += 1
            else:
                steps.append(("del", i, j))
                i += 1
        steps += [("del", k, j2) for k in range(i, i2)] + [("ins", None, k) for k in range(j, j2)]
    if was and rows and not any(step in ("same", "edit") for step, _, _ in steps):
        return None
    return steps


def _same_row(a: etree._Element, b: etree._Element, words: Words) -> bool:
    if _shape(a) != _shape(b):
        return False
    mine, theirs = set(words(_text(a))), set(words(_text(b)))
    total = len(mine) + len(theirs)
    return not total or 2 * len(mine & theirs) / total >= SAME_ROW


def _edit(was: etree._Element, row: etree._Element, place: etree._Element, tally: Tally, marks: list[str]) -> None:
    """The row's changed cells marked word by word in ``place`` (the row as shown)."""
    for old, cell, shown in zip(_cells(was), _cells(row), _cells(place)):
        if inner_html(old) != inner_html(cell):
            inner, _ = diff_words(element_pieces(old), element_pieces(cell), tally)
            _hold(shown, inner, marks)


def _whole_row(row: etree._Element, side: str, marks: list[str]) -> None:
    """Every cell of a row that came (``ins``) or went (``del``) marked so, and the row classed for the
    stylesheet; an empty cell stays empty."""
    row.set("class", f"{row.get('class', '')} {side}-block".strip())
    for cell in _cells(row):
        inner = inner_html(cell)
        if inner.strip():
            _hold(cell, f"<{side}>{hidden_label(side)}{inner}</{side}>", marks)


def _hold(cell: etree._Element, html: str, marks: list[str]) -> None:
    """Empty the cell, leaving a mark that the serialized table's ``html`` replaces."""
    for child in list(cell):
        cell.remove(child)
    cell.text = _MARK.format(len(marks))
    marks.append(html)


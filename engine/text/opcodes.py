"""Word opcodes in time that grows with a paragraph's length: difflib's matcher on what is short, and on
what is long, patience diff first (runs of words found once in each version anchor it), as the page of what
changed aligns both words and blocks."""
from __future__ import annotations

import logging
from collections import Counter
from difflib import SequenceMatcher

from patiencediff import unique_lcs

log = logging.getLogger(__name__)

WORK_BUDGET = 4_000_000
"""How much work (``_work``) SequenceMatcher may do on one paragraph: at worst some 0.15 s."""
ANCHOR = 4
"""How many units in a row anchor a long paragraph: four words found once in each version seldom match
by chance, and a four-word run almost never occurs twice in prose, however small its vocabulary."""
PATIENCE_DEPTH = 10


def word_opcodes(a: list, b: list) -> list[tuple]:
    """difflib's opcodes from ``a`` to ``b``, in time that grows with their length rather than its cube.

    SequenceMatcher finds the longest common run, then does the same on both sides of it, looking at
    every pair of equal words each time: on one paragraph of 10,000 words with every 50th changed that
    takes a minute.  Most paragraphs are well within ``WORK_BUDGET`` and go to it whole; a longer one
    is first aligned on runs of ``ANCHOR`` units found once in each version, and only the stretches
    between those go to SequenceMatcher, while the budget lasts: a stretch past it is shown replaced
    whole (a coarser diff, never a hang).
    """
    return _joined(_aligned(a, b, [WORK_BUDGET], anchor=True))


def _aligned(a: list, b: list, budget: list[int], anchor: bool) -> list[tuple]:
    """Opcodes of the common head and tail, and of the middle by SequenceMatcher, anchors or as one edit.

    ``budget`` holds the steps SequenceMatcher has left, shared by all the stretches of one paragraph.
    """
    head = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    pairs = zip(reversed(a[head:]), reversed(b[head:]))
    tail = next((k for k, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)) - head)
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    work = _work(mid_a, mid_b)
    if work <= budget[0]:
        budget[0] -= work
        middle = SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes()
    elif anchor:
        middle = _anchored(mid_a, mid_b, budget)
    else:
        log.debug("diff: %d and %d words between anchors shown as replaced whole", len(mid_a), len(mid_b))
        middle = [("replace", 0, len(mid_a), 0, len(mid_b))]
    head_op = [("equal", 0, head, 0, head)] if head else []
    tail_op = [("equal", len(a) - tail, len(a), len(b) - tail, len(b))] if tail else []
    return head_op + _shifted(middle, head, head) + tail_op


def _shifted(ops: list[tuple], i: int, j: int) -> list[tuple]:
    """Opcodes of a stretch that starts at ``a[i]`` and ``b[j]``, as opcodes of the whole."""
    return [(t, i1 + i, i2 + i, j1 + j, j2 + j) for t, i1, i2, j1, j2 in ops]


def _work(a: list, b: list) -> int:
    """A bound on SequenceMatcher's steps: each of its searches looks at every pair of equal units in its
    range, and it makes at most about twice as many searches as the shorter side has units."""
    if not a or not b:
        return 0
    counts = Counter(b)
    return sum(counts[unit] for unit in a) * min(len(a), len(b))


def _anchored(a: list, b: list, budget: list[int]) -> list[tuple]:
    """Opcodes from the anchors' runs, each stretch between two aligned on its own (never anchored again:
    patience diff has already looked there)."""
    ops: list[tuple] = []
    i = j = 0
    for ai, bj, size in [*_anchors(a, b), (len(a), len(b), 0)]:
        ops += _shifted(_aligned(a[i:ai], b[j:bj], budget, anchor=False), i, j)
        if size:
            ops.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return ops


def _anchors(a: list, b: list, k: int = ANCHOR) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, size)`` with ``a[i:i+size] == b[j:j+size]``, in order, found from the runs of ``k``
    units that occur once in each version (a run of them that overlaps the one before is cut short)."""
    ids: dict[tuple, int] = {}  # each k-run as a number: patiencediff compares numbers fastest
    grams_a, grams_b = ([ids.setdefault(g, len(ids)) for g in zip(*(x[s:] for s in range(k)))] for x in (a, b))
    found, end_a, end_b = [], 0, 0
    for i, j, n in _runs(_unique_matches(grams_a, grams_b)):
        skip = max(end_a - i, end_b - j, 0)
        size = n + k - 1 - skip
        if size > 0:
            found.append((i + skip, j + skip, size))
            end_a, end_b = i + skip + size, j + skip + size
    return found


def _joined(ops: list[tuple]) -> list[tuple]:
    """Adjacent equal opcodes as one (anchors and the stretches between them meet end to end)."""
    out: list[tuple] = []
    for op in ops:
        if out and op[0] == out[-1][0] == "equal":
            out[-1] = ("equal", out[-1][1], op[2], out[-1][3], op[4])
        else:
            out.append(op)
    return out


def _unique_matches(a: list, b: list) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` with ``a[i] == b[j]``, in order, as patience diff aligns two sequences.

    Items found once in each are aligned first (their longest common subsequence); the same is done
    between each two of them, and a stretch with no such item is matched from its equal ends.  This is
    what patiencediff's matcher does, but past ``PATIENCE_DEPTH`` levels a stretch is left unmatched
    where patiencediff panics and takes the build down.
    """
    found: list[tuple[int, int]] = []
    _patience(a, b, (0, len(a), 0, len(b)), found, PATIENCE_DEPTH)
    return found


def _patience(a: list, b: list, box: tuple[int, int, int, int], found: list, depth: int) -> None:
    """Match ``a[alo:ahi]`` with ``b[blo:bhi]`` (the box) into ``found``, looking ``depth`` levels deeper."""
    alo, ahi, blo, bhi = box
    if depth < 0 or alo == ahi or blo == bhi:
        return
    before, next_a, next_b = len(found), alo, blo
    for i, j in unique_lcs(a[alo:ahi], b[blo:bhi]):
        i, j = i + alo, j + blo
        if (i, j) != (next_a, next_b):
            _patience(a, b, (next_a, i, next_b, j), found, depth - 1)
        found.append((i, j))
        next_a, next_b = i + 1, j + 1
    if len(found) > before:
        _patience(a, b, (next_a, ahi, next_b, bhi), found, depth - 1)
    elif a[alo] == b[blo]:
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            found.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        _patience(a, b, (alo, ahi, blo, bhi), found, depth - 1)
    elif a[ahi - 1] == b[bhi - 1]:
        end_a, end_b = ahi - 1, bhi - 1
        while end_a > alo and end_b > blo and a[end_a - 1] == b[end_b - 1]:
            end_a, end_b = end_a - 1, end_b - 1
        _patience(a, b, (alo, end_a, blo, end_b), found, depth - 1)
        found.extend((end_a + d, end_b + d) for d in range(ahi - end_a))


def _runs(pairs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Matched pairs in order as runs ``(i, j, size)`` of consecutive pairs."""
    out: list[list[int]] = []
    for i, j in pairs:
        if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
            out[-1][2] += 1
        else:
            out.append([i, j, 1])
    return [(i, j, n) for i, j, n in out]


def patience_opcodes(a: list, b: list) -> list[tuple]:
    """difflib-style opcodes from ``a`` to ``b`` aligned by patience diff (``_unique_matches``)."""
    ops, i, j = [], 0, 0
    for ai, bj, size in [*_runs(_unique_matches(a, b)), (len(a), len(b), 0)]:
        if i < ai or j < bj:
            ops.append(("replace" if i < ai and j < bj else "delete" if i < ai else "insert", i, ai, j, bj))
        if size:
            ops.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return ops

"""Markdown helpers: where in the author's text a warning belongs."""
from __future__ import annotations

import pytest

from engine.text.markdown import source_lines

TEXT = "[a](part:70)\n\n[b](part:7)\n\n\n[c](part:7)\n[d](/img/map.png)\n"


@pytest.mark.parametrize("needles, lines", [
    (["part:7", "part:7"], [12, 15]),
    (["part:70", "part:7", "part:7"], [10, 12, 15]),
    (["part:7", "part:7", "part:7"], [12, 15, 15]),  # one written more often than found: its last place
    (["part:9", "/img/map.png"], [10, 16]),  # not in the text at all: where the text starts
    ([], []),
])
def test_the_nth_warning_for_a_needle_points_at_its_nth_occurrence(needles, lines):
    assert source_lines(TEXT, 10, needles) == lines


def test_a_needle_is_found_only_where_it_ends_as_a_whole_address():
    text = "[x](part:cities/20)\n[y](part:cities/2-old)\n[z](part:cities/2 \"title\")\n<part:cities/2>\n"
    assert source_lines(text, 1, ["part:cities/2", "part:cities/2"]) == [3, 4]

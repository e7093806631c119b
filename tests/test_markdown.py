"""Markdown helpers: where in the author's text a warning belongs."""
from __future__ import annotations

import re

import pytest

from conftest import post, run_cli
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


def test_repeated_headings_take_the_first_free_number_and_never_a_theme_id():
    from engine.text.markdown import render
    text = "## A\n\n## A\n\n## A 2\n\n## A\n\n## Top\n\n## Main\n\n## !!\n\n## ?\n\n## *A*\n"
    ids = re.findall(r'<h2 id="([^"]*)">', render(text))
    assert ids == ["a", "a-2", "a-2-2", "a-3", "top-2", "main-2", "section", "section-2", "a-4"]


def test_footnotes_are_numbered_by_first_reference_and_a_second_reference_links_back_apart():
    from engine.text.markdown import render
    text = "A[^b] B[^a] C[^b]\n\n[^a]: Note a.\n\n[^b]: Note b.\n\n[^unused]: Note u.\n"
    out = render(text)
    assert re.findall(r'<a href="#fn-(\w+)" id="fnref-([\w-]+)">(\d+)</a>', out) == [
        ("b", "b", "1"), ("a", "a", "2"), ("b", "b-2", "1")]
    assert re.findall(r'<li id="fn-(\w+)"><p>([^<]*)', out) == [("b", "Note b. "), ("a", "Note a. "), ("unused", "Note u.")]
    assert out.count('class="footnote-backref"') == 2


def test_part_warnings_point_at_each_place_the_reference_is_written(site):
    """The body starts on line 6; a reference definition used twice is both warnings' line."""
    root = site({"posts/p.md": post("T", body="[a](part:70)\n\n[b](part:7)\n\n[c][ref]\n\n[d](part:7)\n\n"
                                              "[e][ref]\n\n[ref]: part:9\n")})
    done = run_cli("check", cwd=root)
    assert sorted(re.findall(r"posts/p\.md:(\d+): warning: `(part:\d+)`", done.stderr)) == [
        ("12", "part:7"), ("16", "part:9"), ("16", "part:9"), ("6", "part:70"), ("8", "part:7")]


SIZES = {
    "headings": (20_000, lambda n: "## A\n\n" * n),
    "footnotes": (40_000, lambda n: "".join(f"x[^{i}]\n\n" for i in range(n))
                  + "".join(f"[^{i}]: note {i}\n\n" for i in range(n))),
    "part references": (40_000, lambda n: "".join(f"[P](part:{i})\n\n" for i in range(n))),
}
"""Posts that once took time growing with the square of their size: some forty seconds each at these
sizes, about two now."""


@pytest.mark.parametrize("case", SIZES)
def test_a_hostile_size_post_is_checked_in_time_linear_in_its_size(site, case):
    count, body = SIZES[case]
    root = site({"posts/p.md": post("T", body=body(count))})
    done = run_cli("check", cwd=root, timeout=20)
    assert done.returncode == 0, done.stderr[-2000:]

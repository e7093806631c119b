"""Markdown helpers: where in the author's text a warning belongs."""
from __future__ import annotations

import re

import pytest

from conftest import post, run_cli
from engine.text.markdown import render, source_lines

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
    text = "## A\n\n## A\n\n## A 2\n\n## A\n\n## Top\n\n## Main\n\n## !!\n\n## ?\n\n## *A*\n"
    ids = re.findall(r'<h2 id="([^"]*)">', render(text))
    assert ids == ["a", "a-2", "a-2-2", "a-3", "top-2", "main-2", "section", "section-2", "a-4"]


def test_footnotes_are_numbered_by_first_reference_and_a_second_reference_links_back_apart():
    text = "A[^b] B[^a] C[^b]\n\n[^a]: Note a.\n\n[^b]: Note b.\n\n[^unused]: Note u.\n"
    out = render(text)
    assert re.findall(r'<a href="#fn-(\w+)" id="fnref-([\w-]+)">(\d+)</a>', out) == [
        ("b", "b", "1"), ("a", "a", "2"), ("b", "b-2", "1")]
    assert re.findall(r'<li id="fn-(\w+)"><p>([^<]*)', out) == [("b", "Note b. "), ("a", "Note a. "), ("unused", "Note u.")]
    # note b, cited twice, leads back to each citation
    assert re.findall(r'<a href="#fnref-([\w-]+)" class="footnote-backref"', out) == ["b", "b-2", "a"]
    # and a screen reader tells the two ways back to note 1 apart
    assert re.findall(r'class="footnote-backref" aria-label="([^"]*)"', out) == [
        "Back to reference 1", "Back to reference 1, citation 2", "Back to reference 2"]


@pytest.mark.parametrize("div", ["div", "DIV"])
def test_a_footnote_holding_a_div_keeps_it_whole_in_the_list_of_notes(site, div):
    """The note's own end was taken for the first </div> after its start: the author's <div> lay in the list,
    its end at the top of the essay, and the build stopped at raw HTML that was never opened."""
    text = (f"A[^a] and B[^b].\n\n[^a]: <{div} class=\"aside\">A block <{div}>nested</{div}> in a note.</{div}>\n\n"
            "[^b]: A plain note.\n")
    out = render(text)
    body, _, notes = out.partition('<section class="footnotes"')
    assert "</div>" not in body.lower() and "<div" not in body.lower()
    assert re.findall(r'<li id="fn-(\w+)">(.*?)</li>', notes) == [
        ("a", f'<{div} class="aside">A block <{div}>nested</{div}> in a note.</{div}> <a href="#fnref-a" '
              'class="footnote-backref" aria-label="Back to reference 1">↩</a>'),
        ("b", '<p>A plain note. <a href="#fnref-b" class="footnote-backref" aria-label="Back to reference 2">'
              '↩</a></p>')]
    root = site({"posts/p.md": post("T", body=text)})
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr


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
    "footnotes holding a div": (40_000, lambda n: "".join(f"x[^{i}]\n\n" for i in range(n))
                                + "".join(f"[^{i}]: <div>note {i}</div>\n\n" for i in range(n))),
}
"""Posts that once took time growing with the square of their size: some forty seconds each at these
sizes, about two now."""


@pytest.mark.parametrize("case", SIZES)
def test_a_hostile_size_post_is_checked_in_time_linear_in_its_size(site, case):
    count, body = SIZES[case]
    root = site({"posts/p.md": post("T", body=body(count))})
    done = run_cli("check", cwd=root, timeout=20)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("text", ["", "<h2>a</h2><h2>b", "<h2><h2>x</h2></h2>", "<h2>a<h3>b</h2>c</h3>",
                                  "<h3></h2><h2></h3></h2>", "<h2>\n</h2>\n<h1></h1>"])
def test_elements_are_what_a_lazy_regex_finds(text):
    from engine.text.elements import elements
    start, end = re.compile(r"<h([1-6])>"), {str(n): re.compile(f"</h{n}>") for n in range(1, 7)}
    found = [(e.start.group(1), e.body, e.whole) for e in elements(text, start, lambda m: end[m.group(1)])]
    assert found == [(m.group(1), m.group(2), m.group(0)) for m in re.finditer(r"<h([1-6])>(.*?)</h\1>", text, re.DOTALL)]


def test_raw_html_problems_keep_their_lines():
    """Tags in any case, one name the start of another, a tag shown as code: each problem's line as before."""
    from engine.text.markup import unbalanced_lines
    text = "<div>\n<SPAN>a</ſpan>\n<t1/>\n</b>\n\n<t1>\n<t10>\n<div>\n</div>\n`<i>`\n\n<\u212abd>x\n"
    assert unbalanced_lines(text, render(text)) == [
        (3, "raw HTML: <t1/> is not a void element; write <t1></t1>"),
        (4, "raw HTML: </b> closes an element that was never opened"),
        (1, "raw HTML: <div> is never closed"), (1, "raw HTML: <span> is never closed"),
        (6, "raw HTML: <t1> is never closed"), (7, "raw HTML: <t10> is never closed"), (10, "raw HTML: <i> is never closed")]


def test_only_four_characters_beyond_ascii_pass_for_ascii_letters_in_a_case_blind_regex():
    """What markup.py relies on to pair tags written in any case in one reading of the text."""
    beyond = re.compile("[\x80-\U0010ffff]", re.IGNORECASE)
    assert {c for c in map(chr, range(128)) if beyond.fullmatch(c)} == set("iksIKS")
    assert {c for c in map(chr, range(128, 0x110000)) if any(x.isascii() for x in c.lower())} == {"\u0130", "\u212a"}
    assert {c for c in "\u0130\u0131\u017f\u212a" if re.fullmatch("[a-z]", c, re.IGNORECASE)} == set("\u0130\u0131\u017f\u212a")


OPEN = {
    "headings": (40_000, lambda n: "<h2>x\n\n" * n, "posts/p.md:6: raw HTML: <h2> is never closed"),
    "part links": (20_000, lambda n: '<a href="part:1">x\n\n' * n, "posts/p.md:6: raw HTML: <a> is never closed"),
    "code blocks": (20_000, lambda n: '<pre><code class="language-py">x\n\n' * n,
                    "posts/p.md:6: raw HTML: <pre> is never closed"),
    "distinct tags": (20_000, lambda n: "".join(f"<t{i}>\n\n" for i in range(n)),
                      "posts/p.md:6: raw HTML: <t0> is never closed"),
    "self-closing tags": (20_000, lambda n: "".join(f"<t{i}/>\n\n" for i in range(n)),
                          "posts/p.md:6: raw HTML: <t0/> is not a void element"),
    "footnotes of a div": (20_000, lambda n: "".join(f"x[^{i}]\n\n" for i in range(n))
                           + "".join(f"[^{i}]: <div>note {i}\n\n" for i in range(n)),
                           "posts/p.md:40006: raw HTML: <div> is never closed"),
}
"""Raw HTML left open in thousands of places: once a minute or more to check, each a second now."""


@pytest.mark.parametrize("case", OPEN)
def test_raw_html_left_open_everywhere_is_reported_in_time_linear_in_its_size(site, case):
    count, body, first = OPEN[case]
    root = site({"posts/p.md": post("T", body=body(count))})
    done = run_cli("check", cwd=root, timeout=20)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert first in done.stderr.splitlines()[0]


def test_only_a_table_markdown_made_is_wrapped_and_its_wrapper_closes_with_it() -> None:
    """A table written in HTML with attributes beside one Markdown made: the wrapper's ``</div>`` follows
    the wrapped table alone (it once followed every ``</table>``, and the build refused the stray one)."""
    html = render('<figure><table><tr><td>x</td></tr></table><figcaption>Cap</figcaption></figure>\n\n'
                  '<table class="k"><tr><td>y</td></tr></table>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')
    assert html.count('<div class="table-wrap"') == 2 and html.count("</div>") == 2
    assert '<table class="k"><tr><td>y</td></tr></table>\n' in html
    assert "</table></div><figcaption>" in html


def test_a_note_never_written_or_never_cited_is_a_warning_at_its_line(site):
    """``[^7]`` with no ``[^7]: …`` shows readers "[^7]"; a note nothing cites sits at the end of the list."""
    body = "A claim.[^1] Another.[^7] In code: `[^x]`.\n\n[^1]: Id.\n[^2]: Orphan.\n"
    root = site({"posts/p.md": post("T", body=body)})
    done = run_cli("check", cwd=root)
    assert done.returncode == 0
    assert "posts/p.md:6: warning: footnote [^7] has no text, and readers see [^7]" in done.stderr
    assert "posts/p.md:9: warning: footnote [^2] is cited nowhere in the text: cite it, or delete it" in done.stderr
    assert "[^x]" not in done.stderr and "[^1]" not in done.stderr


def test_a_note_citing_another_links_to_it_and_is_led_back_to():
    """``[^a]: … see [^b].``: the citation inside the note was a dead ``#b`` link, and b was "cited nowhere"."""
    from engine.text.footnotes import footnote_problems
    out = render("A claim.[^a]\n\n[^a]: As [^b] shows.\n[^b]: The source.\n")
    assert '<li id="fn-a"><p>As <sup class="footnote-ref"><a href="#fn-b" id="fnref-b">2</a></sup> shows.' in out
    assert '<a href="#fnref-b" class="footnote-backref"' in out and 'href="#b"' not in out
    assert footnote_problems(out) == []


def test_an_escaped_bracket_is_no_footnote_to_warn_of():
    from engine.text.footnotes import footnote_problems
    text = "Written \\[^6] as it is, and [^7] not.\n"
    assert [needle for needle, _ in footnote_problems(render(text), text)] == ["[^7]"]


def test_a_heading_never_takes_a_footnotes_id() -> None:
    """A heading "FN 1" took `fn-1`, footnote 1's id: two elements with one id, and the footnote's link led to
    the heading."""
    html = str(render("# FN 1\n\nText[^1].\n\n## fnref 1\n\n[^1]: A note.\n"))
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and '<h1 id="section-fn-1">' in html and '<li id="fn-1">' in html

"""Raw HTML in an essay must not break its page: unbalanced markup is a file:line error."""
from __future__ import annotations

import pytest

from conftest import NOW, post
from engine.build import build
from engine.errors import SiteError
from engine.text.markdown import render
from engine.text.markup import unbalanced, unbalanced_lines


@pytest.mark.parametrize("markdown, expected", [
    ("<div>\n\nText\n", [("div", "<div> is never closed")]),
    ("Text </main> here", [("main", "</main> closes an element that was never opened")]),
    ("<!-- open comment", [("!--", "an HTML comment <!-- is never closed with -->, which would hide the rest "
                                   "of the page")]),
    ("<section>\n<em>\n</section>", [("em", "<em> is never closed (</section> comes first)")]),
    ('<svg><rect width="1"/></svg> and <span/> after it', [("span", "<span/> is not a void element; write "
                                                                     "<span></span>")]),
])
def test_unbalanced_markup_is_found(markdown: str, expected: list) -> None:
    assert unbalanced(render(markdown)) == expected


@pytest.mark.parametrize("markdown", [
    "<details>\n<summary>More</summary>\n\nA *Markdown* paragraph inside.\n\n</details>\n",
    '<span class="x">raw</span>, a <br> and an <img src="a.png" alt="">',
    "<ul><li>one<li>two</ul>",
    "<script>if (a < b) { x = '</div>'; }</script>",
    "Plain text with 3 < 4 and a [link](https://example.org/).",
    # SVG and MathML elements may close themselves (karpathy.github.io's diagrams)
    '<svg width="40" height="40">\n  <rect x="1" y="1" width="10" height="10" />\n  <line x1="0" y2="9"/>\n</svg>',
    "<math><mi>x</mi><mspace width='1em'/></math>",
    # an old video embed, as WordPress kept them, written back with <param/> by the importer
    '<object width="425"><param name="movie" value="https://v.example/x"/><param name="w" value="t"></param>'
    '<embed src="https://v.example/x"></embed></object>',
])
def test_balanced_markup_passes(markdown: str) -> None:
    assert unbalanced(render(markdown)) == []


def test_an_essay_with_an_unclosed_div_stops_the_build_with_its_line(site) -> None:
    root = site({"posts/essay.md": post("Essay", body="First paragraph.\n\n<div class=\"aside\">\n\nAn aside.")})
    with pytest.raises(SiteError) as caught:
        build(root, now=NOW)
    assert [str(d) for d in caught.value.diagnostics] == ["posts/essay.md:8: raw HTML: <div> is never closed"]
    assert not (root / "output").exists()


def test_a_summary_keeps_punctuation_against_the_words_it_follows() -> None:
    from engine.text.markdown import render, summarize

    html = render("Standalone text, *in vino veritas*. Back to [Part 1](/one/).[^n] A `code` span;"
                  "<br>a break.\n\n[^n]: A note that is not part of the summary.\n")
    assert summarize(html, 50) == "Standalone text, in vino veritas. Back to Part 1. A code span; a break."
    assert summarize(html, 4) == "Standalone text, in vino…"
    assert summarize("<h2>Only a <em>heading</em></h2>", 50) == "Only a heading"


def test_a_summary_reads_an_image_among_words_as_its_text_and_leaves_one_alone_out() -> None:
    from engine.text.markdown import render, summarize

    html = render('![The weir at dawn](weir.jpg)\n\nSee the river and ![a chart](c.png "The > flow") and '
                  'the ![](deco.png)quote.')
    assert summarize(str(html), 50) == "See the river and a chart and the quote."


def test_the_line_given_is_the_faulty_tags_not_the_first_of_its_kind() -> None:
    from engine.text.markup import unbalanced_lines
    markdown = ('A <a href="x">good link</a> here.\n\n<div>\n\nInside.\n\n</div>\n\n'
                'And <a href="y">a link left open, then </span> a stray.\n\nEnd.\n')
    assert unbalanced_lines(markdown, render(markdown)) == [
        (9, "raw HTML: </span> closes an element that was never opened"),
        (9, "raw HTML: <a> is never closed (</p> comes first)")]
    shown_as_code = "Write `<em>` for emphasis, or <span/>.\n\n```\n<em>\n```\n\nThen <em>never closed.\n"
    assert [line for line, _ in unbalanced_lines(shown_as_code, render(shown_as_code))] == [1, 7]


def test_an_element_markdown_splits_between_list_items_is_named_where_it_is_split() -> None:
    """A ``<font>`` opened in one list item and closed in the next pairs up in the text, so the first
    ``<font>`` of the post, closed on its own line, was named instead (an imported Hugo post's)."""
    from engine.text.markup import unbalanced_lines
    markdown = ("First with <font color=#EB4925>a closed font</font>.\n\nSecond.\n\nThird.\n\n"
                "- <font color=#EBAC25>Helps reduce load\n- Helps make it stateless</font>\n")
    assert unbalanced_lines(markdown, render(markdown)) == [
        (7, "raw HTML: <font> is never closed (</li> comes first)"),
        (8, "raw HTML: </font> closes an element that was never opened")]


def test_a_blank_line_inside_raw_html_is_named_where_it_is() -> None:
    """CommonMark ends an HTML block at a blank line and wraps what follows in a paragraph, whose <p> and </p>
    the author never wrote: the blank line is the mistake to point at (an import from kramdown, which
    reads on, meets it often)."""
    from engine.text.markup import unbalanced_lines
    markdown = ('First paragraph.\n\n<div class="figure">\n<svg width="400" height="150">\n  <rect x="1" y="2"/>\n\n'
                '  <text x="180" y="90">*</text>\n</svg>\n</div>\n\nAfter.\n')
    assert unbalanced_lines(markdown, render(markdown)) == [
        (6, "raw HTML: a blank line inside <svg> (opened 2 lines above) ends the HTML block there, and Markdown "
            "reads what follows as a paragraph: remove the blank line")]
    intended = "<div>\n\n*Markdown* inside, on purpose.\n\n</div>\n"  # CommonMark's way: balanced, no mistake
    assert unbalanced_lines(intended, render(intended)) == []


def test_blank_lines_inside_a_closed_element_are_filled_and_others_left() -> None:
    """kramdown reads ``<div><svg>…</svg></div>`` whole, blank lines and all; CommonMark would end it at the first
    blank line.  Filled with a comment, it stays one element; an element never closed, one that holds a fence
    (Markdown set apart on purpose) and a ``<pre>`` (whole in CommonMark too) are left as they are."""
    from engine.text.markup import fill_closed_blank_lines
    drawing = '<div class="svgdiv">\n<svg width="10">\n  <rect/>\n\n  <text>*</text>\n</svg>\n</div>\n'
    fenced = "<div>\n\n```php\n<?php echo 1;\n\n```\n\n</div>\n"
    rest = "<pre>\na\n\nb\n</pre>\n\n<div>\n\nnever closed\n"
    out, lines = fill_closed_blank_lines(f"Intro.\n\n{drawing}\n{fenced}\n{rest}")
    assert lines == [6]
    assert out == f"Intro.\n\n{drawing.replace(chr(10) * 2, chr(10) + '<!-- -->' + chr(10))}\n{fenced}\n{rest}"
    drawn = render(out).split('<div class="svgdiv">')[1].split("</svg>")[0]
    assert "<text>*</text>" in drawn and "<p>" not in drawn


def test_a_self_closed_element_is_said_where_it_is_written_not_at_the_first_of_its_name() -> None:
    """`<a name="x" />` was said at the post's first `<a>`, a closed one lines above (a real blog had 7)."""
    markdown = 'See <a href="#pcg">PCG</a> below.\n\nSome text.\n\n<a name="pcg" />Procedural.\n\n<a name="x"/>Two.\n'
    assert unbalanced_lines(markdown, str(render(markdown))) == [
        (5, "raw HTML: <a/> is not a void element; write <a></a>"),
        (7, "raw HTML: <a/> is not a void element; write <a></a>")]
    shown = 'One <a name="one" />.\n\n```\n<a name="code" />\n```\n\n<a name="two" />Two.\n'  # code shows a tag
    assert [line for line, _ in unbalanced_lines(shown, str(render(shown)))] == [1, 7]


def test_a_marked_section_python_does_not_know_is_read_as_a_browser_reads_it(site) -> None:
    """``<![DATA[`` (a typo in a pasted XML sample) raised an exception out of Python's parser: a traceback
    from build, check and import. A browser reads it as a comment that the first ``>`` ends."""
    assert unbalanced("<div>\n<ol><li>\n<![DATA[ update t set a = 1 ]]>\n</li></ol>\n</div>") == []
    assert unbalanced("<div><![if x]><![endif]><![CDATA[ x ]]></div>") == []
    assert unbalanced("<div><![DATA[ never ended") == [("div", "<div> is never closed")]
    root = site({"posts/xml.md": post("XML", body="<div>\n<![DATA[ a ]]>\n</div>\n\nAfter.")})
    assert build(root, now=NOW).warnings == []
    assert "<p>After.</p>" in (root / "output/xml/index.html").read_text(encoding="utf-8")

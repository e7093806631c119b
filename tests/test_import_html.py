"""``engine.importing.html``: HTML from another tool → Markdown, with raw HTML wherever Markdown cannot say
the same thing (the importers' tests convert whole exports; these are the cases one at a time)."""
from __future__ import annotations

import pytest

from engine.importing.html import to_markdown
from engine.text.markdown import render


@pytest.mark.parametrize("html, markdown, kept", [
    ("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>x\n  y | z</td></tr></table>",
     "| A | B |\n| --- | --- |\n| 1 | x y \\| z |\n", ()),
    ("<table><thead><tr><th class='head'><p>A</p></th></tr></thead><tbody><tr><td><p>1</p></td></tr></tbody></table>",
     "| A |\n| --- |\n| 1 |\n", ()),  # docutils' cells, a paragraph each
    ("<table><tr><td>no</td><td>header</td></tr></table>",
     "<table><tr><td>no</td><td>header</td></tr></table>\n", ("table without a header row",)),
    ("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>",
     "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>\n",
     ("table with rows of different widths",)),  # a pipe table would drop the third cell
])
def test_a_table_is_a_pipe_table_only_when_one_says_all_of_it(html: str, markdown: str, kept: tuple[str, ...]) -> None:
    done = to_markdown(html)
    assert (done.markdown, done.kept) == (markdown, kept)


def test_a_pre_keeps_its_text_to_the_character() -> None:
    poem = "<pre><cite>Robert Frost</cite>\n\n\n  Two roads diverged in a yellow wood,\n\n  Then took the other</pre>"
    assert to_markdown(poem).markdown == poem + "\n"
    assert to_markdown("<ul><li>Run:<pre>a\n\n\n  b</pre></li></ul>").markdown == \
        "- Run:\n\n  ```\n  a\n  \n  \n    b\n  ```\n"
    assert to_markdown("<pre>one<br>\ntwo<br>three</pre>").markdown == "```\none\ntwo\nthree\n```\n"


def test_inline_elements_stay_html_and_footnotes_still_become_footnotes() -> None:
    done = to_markdown('<p>H<sub> 2</sub>O<sup><a href="#n1" id="r1">1</a></sup>, <kbd>*</kbd>.</p>'
                       '<ol><li id="n1">Water. <a href="#r1">↩</a></li></ol>')
    assert done.markdown == "H <sub>2</sub>O[^1], <kbd>\\*</kbd>.\n\n[^1]: Water.\n"


def test_an_address_stays_a_block_of_its_own_lines() -> None:
    done = to_markdown("<p>Write to us:</p><address>1 Infinite Loop<br>Cupertino, CA 95014</address>"
                       "<p><strong>Anchor Tag</strong></p>")
    assert "\n\n<address>1 Infinite Loop<br/>Cupertino, CA 95014</address>\n\n**Anchor Tag**" in done.markdown
    assert any("address" in why for why in done.kept)


def test_a_table_with_headers_in_its_rows_stays_html() -> None:
    done = to_markdown("<table><tr><th>Year</th><th>Cases</th></tr><tr><th>2016</th><td>12</td></tr></table>")
    assert "<th>2016</th>" in done.markdown and "| --- |" not in done.markdown
    assert "table with headers in its rows" in done.kept


def test_a_footnote_of_two_paragraphs_keeps_them_apart() -> None:
    html = ('<p>Claim.<sup><a href="#fn2" id="r2">2</a></sup> More.</p><div class="footnote" id="fn2">'
            "<p>Second note.</p><p>Second paragraph of the note.</p></div>")
    markdown = to_markdown(html).markdown
    assert markdown == "Claim.[^1] More.\n\n[^1]: Second note.\n\n    Second paragraph of the note.\n"


def test_a_backslash_shows_on_the_page_as_the_old_one_showed_it() -> None:
    html = r"<p>The set \(\{x_1\}\) and $$a \\ b$$, \[ c * d \] and C:\Users\ and a last one\</p>"
    assert render(to_markdown(html).markdown).strip() == html


def test_an_attribute_on_by_being_there_keeps_no_value_html_refuses() -> None:
    done = to_markdown('<iframe src="https://v.example/e/1" allowfullscreen="true" gesture="media"></iframe>')
    assert done.markdown == '<iframe allowfullscreen="" src="https://v.example/e/1" style="max-width: 100%"></iframe>\n'


@pytest.mark.parametrize("html, words", [
    ("<p>A <em>b&nbsp;</em>c.</p>", "A b\xa0c."),
    ("<p>A <strong>b&nbsp;</strong>c.</p>", "A b\xa0c."),
    ('<p>By <a href="https://example.org/">Triplett,&nbsp;</a><em>The American Journal&nbsp;</em>Vol. 9</p>',
     "By Triplett,\xa0The American Journal\xa0Vol. 9"),
    ("<p>A<em>&nbsp;b</em> c.</p>", "A\xa0b c."),
    ("<p>one<i> </i>two, three<i>&nbsp;</i>four</p>", "one two, three\xa0four"),
    ("<p>A <em>b </em>c.</p>", "A b c."),
    ("<p>C<strong>&nbsp;&nbsp;</strong>D</p>", "C\xa0\xa0D"),  # both kept, and no plain space beside them
    ('<p>and <a href="https://x.example/">&nbsp;<em>&nbsp;lit&nbsp;</em>&nbsp;</a>E</p>', "and \xa0\xa0lit\xa0\xa0E"),
    ("<p>F&nbsp;<em><strong>&nbsp;both&nbsp;</strong></em>&nbsp;G.</p>", "F\xa0\xa0both\xa0\xa0G."),
])
def test_a_no_break_space_at_the_edge_of_emphasis_or_a_link_keeps_the_words_apart(html: str, words: str) -> None:
    """Text pasted from a word processor ends an italic title with ``&nbsp;``: markdownify dropped it, and
    "Triplett, The American Journal" read "Triplett,The American Journal" on the imported page."""
    import lxml.html
    page = render(to_markdown(html).markdown)
    assert lxml.html.fromstring(page).text_content().strip() == words, page


@pytest.mark.parametrize("html", [
    # the note's anchor leads back to its citation, after a rule, each note a paragraph
    '<p>A claim.<a href="#_ftn1" name="_ftnref1">[1]</a> More.<sup><a href="#_ftn2">[2]</a></sup></p>\n'
    '<hr size="1" />\n<p><a href="#_ftnref1" name="_ftn1">[1]</a> See Smith, <em>Cities</em>, p. 4.</p>\n'
    '<p><a href="#_ftnref2">[2]</a> Ibid.</p>',
    # WordPress kept only the name of the note's anchor, each note in a div of its own
    '<p>A claim.<a title="" href="#_ftn1">[1]</a> More.<a title="" href="#_ftn2">[2]</a></p>\n<div><hr size="1" />'
    '<div><p><a title="" name="_ftn1">[1]</a> See Smith, <em>Cities</em>, p. 4.</p></div>'
    '<div><p><a title="" name="_ftn2">[2]</a> Ibid.</p></div></div>',
])
def test_footnotes_pasted_from_a_word_processor_become_footnotes(html: str) -> None:
    """Six essays of a real WordPress export cite ``<a href="#_ftn1">[1]</a>``: each citation was a link to no
    anchor (the build warned 177 times, of headings) and each note a paragraph of its own at the end."""
    assert to_markdown(html).markdown == "A claim.[^1] More.[^2]\n\n[^1]: See Smith, *Cities*, p. 4.\n[^2]: Ibid.\n"


_TRICKY = [
    "1986. L’année où tout a commencé.", "2) Deuxièmement.", "- Vous partez ? demanda-t-il.", "+ plus", "* étoile",
    "# 42 est le numéro du dossier, voir [pièce](annexe).", "## deux", "> pas une citation", "===", "---",
    "- - -", "_ _ _", "* * *", "~~~ pas du code", "``` non plus", "a | b", "[x]: /u", "[^1]: pas une note",
    "Écrire &lt; pour obtenir un chevron.", "&amp;copy; &#169; R&D", "a <b>gras</b> ou <http://x.example>",
    "*pas* **gras** _ni_ __ceci__, ~barré~ ~~ni ceci~~", "snake_case, a*b*c, 5 * 3, a~b, x_1_", "un `code` ou non",
    "[pièce](annexe) [ref][1] [court] ![image](i.png)", r"C:\Users\ et \* et \_ et \\ et fin\ ",
    "Titre #", "[sic] et [a] (b)", "3 < 4 > 2", "note* et *autre",
]
"""Texts Markdown would read as markup if written as they are (each also at the start of a line, after a break)."""


def _words(fragment: str) -> str:
    """The words of ``fragment``, with smart punctuation's dashes and quotes as typed: the site's typography,
    which the text of every post gets, not markup."""
    from engine.text.markdown import prose_text
    return prose_text(fragment).replace("—", "---").replace("–", "--").replace("’", "'")


def _elements(fragment: str) -> set[str]:
    import lxml.html
    return {element.tag for element in lxml.html.fromstring(f"<div>{fragment}</div>").iter()}


@pytest.mark.parametrize("text", _TRICKY)
@pytest.mark.parametrize("shape", ["<p>{}</p>", "<p>avant<br>{}</p>", "<blockquote><p>{}</p></blockquote>",
                                   "<ul><li>{}</li><li><p>un</p><p>{}</p></li></ul>", "<h2>{}</h2>",
                                   "<p><em>en italique</em> {}</p>", "<table><tr><th>A</th></tr><tr><td>{}</td></tr>"
                                   "</table>"])
def test_text_markdown_would_read_as_markup_comes_back_as_the_same_text(text: str, shape: str) -> None:
    """A paragraph "1986. L'année…" became a list that started at 1986, "- Vous partez ?" a bullet, "[pièce](annexe)"
    a link, "&amp;lt;" a "<": the page must show the words the old one showed, and no element it had not."""
    from html import escape
    html = shape.format(*[escape(text, quote=False)] * shape.count("{}"))
    markdown = to_markdown(html).markdown
    page = render(markdown)
    assert _words(page) == _words(html), (markdown, page)
    assert _elements(page) - {"p", "thead", "tbody"} <= _elements(html) | {"div"}, (markdown, page)


@pytest.mark.parametrize("html, markdown", [
    ("<p>1986. L'année où tout a commencé.</p>", "1986\\. L'année où tout a commencé.\n"),
    ("<p>- Vous partez ? demanda-t-il.</p>", "\\- Vous partez ? demanda-t-il.\n"),
    ("<p># 42 est le numéro du dossier, voir [pièce](annexe).</p>",
     "\\# 42 est le numéro du dossier, voir [pièce\\](annexe).\n"),
    ("<p>Écrire &amp;lt; pour obtenir un chevron.</p>", "Écrire \\&lt; pour obtenir un chevron.\n"),
    ("<p>Le 12. mai, 5 * 3 - 1 = 14 # environ, snake_case et x_1, a &lt; b &amp; c, [sic] (bis), 1986.</p>",
     "Le 12. mai, 5 * 3 - 1 = 14 # environ, snake_case et x_1, a < b & c, [sic] (bis), 1986.\n"),
])
def test_only_what_markdown_would_read_as_markup_is_escaped(html: str, markdown: str) -> None:
    """The author reads and edits the Markdown afterwards: ordinary text keeps no backslashes."""
    assert to_markdown(html).markdown == markdown



def test_a_heading_keeps_its_own_id_as_an_anchor() -> None:
    """Gutenberg's "HTML anchor" (``<h2 id="les-trois-lois">``) was dropped: the post's ``#les-trois-lois`` link,
    and every outside link to that section, led nowhere."""
    html = ('<p>Voir <a href="#les-trois-lois">les trois lois</a>.</p><h2 id="les-trois-lois">Les trois lois (1996)'
            '</h2><h2 id="texte">Texte</h2><h3 id="les-trois-lois">Encore</h3>')
    markdown = to_markdown(html).markdown
    assert markdown == ('Voir [les trois lois](#les-trois-lois).\n\n## <a id="les-trois-lois"></a>Les trois lois '
                        "(1996)\n\n## Texte\n\n### Encore\n")  # "texte" is the id the page gives it anyway
    page = render(markdown)
    assert page.count('id="les-trois-lois"') == 1 and 'id="texte"' in page


def test_a_footnote_keeps_its_lists_quotes_and_code_as_blocks() -> None:
    """A list in a note was run into one line ("* l1 * l2"), its code lost its line breaks."""
    html = ('<p>Claim.<sup id="fnref1"><a href="#fn1">1</a></sup></p><ol class="footnotes"><li id="fn1"><p>Para one '
            "of the note.</p><blockquote><p>A quote in a note.</p></blockquote><ul><li>l1</li><li>l2</li></ul><pre>"
            '<code>code in note\n  line 2</code></pre><p>Last para. <a href="#fnref1">↩</a></p></li></ol>')
    markdown = to_markdown(html).markdown
    assert markdown == ("Claim.[^1]\n\n[^1]: Para one of the note.\n\n    > A quote in a note.\n\n    - l1\n    - l2\n\n"
                        "    ```\n    code in note\n      line 2\n    ```\n\n    Last para.\n")
    page = render(markdown)
    assert "<li>l1</li>\n<li>l2</li>" in page and "<pre><code>code in note\n  line 2\n</code></pre>" in page


def test_a_substack_footnote_that_is_a_list_stays_a_list() -> None:
    html = ('<p>Trois sources.<a class="footnote-anchor" id="footnote-anchor-1" href="#footnote-1">1</a></p>'
            '<div class="footnote"><a id="footnote-1" href="#footnote-anchor-1" class="footnote-number">1</a>'
            '<div class="footnote-content"><ul><li><p>Printz v. United States (1997)</p></li><li><p>1992. New York'
            "</p></li></ul></div></div>")
    markdown = to_markdown(html).markdown
    assert markdown == ("Trois sources.[^1]\n\n[^1]: - Printz v. United States (1997)\n    - 1992\\. New York\n")
    assert "<ul>\n<li>Printz v. United States (1997)</li>\n<li>1992. New York</li>\n</ul>" in render(markdown)


def test_the_language_and_direction_of_words_are_kept() -> None:
    """An Arabic paragraph (``dir="rtl"``) was shown left to right, a ruby's reading ran into its word, a German word
    lost its ``lang``."""
    html = ('<p dir="rtl" lang="ar">الحدود ليست <em>خطاً</em>، بل عملية.</p><p><ruby>国境<rt>こっきょう</rt></ruby>は線'
            'ではない。</p><p>Ein <span lang="de">Grenzgänger</span>, <i lang="la">in vino</i>, <span class="x">so</span>.'
            "</p>")
    done = to_markdown(html)
    assert done.markdown == ('<div lang="ar" dir="rtl">\n\nالحدود ليست *خطاً*، بل عملية.\n\n</div>\n\n'
                             "<ruby>国境<rt>こっきょう</rt></ruby>は線ではない。\n\n"
                             'Ein <span lang="de">Grenzgänger</span>, <i lang="la">in vino</i>, so.\n')
    page = render(done.markdown)
    assert '<div lang="ar" dir="rtl">\n<p>الحدود ليست <em>خطاً</em>، بل عملية.</p>\n</div>' in page
    assert done.language is None  # words in several languages


@pytest.mark.parametrize("html, language", [
    ('<p lang="ar" dir="rtl">الحدود</p><h2 lang="ar">عنوان</h2><ul lang="ar"><li>واحد</li></ul>', "ar"),
    ('<div lang="ja"><p>国境</p><p>線</p></div>', "ja"),
    ('<p lang="ar">الحدود</p><p>Border</p>', None),
    ('<p lang="ar">الحدود</p><p lang="fa">مرز</p>', None),
    ('<p lang="x-klingon">Qapla</p>', None),  # no tag a post's `language` may have
    ("<p>Border</p>", None),
])
def test_a_document_all_in_one_marked_language_says_which(html: str, language: str | None) -> None:
    assert to_markdown(html).language == language

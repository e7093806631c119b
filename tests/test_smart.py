"""Titles, working titles and summaries get the smart punctuation essays get (``engine/text/smart.py``),
wherever they are shown: the page, its <title>, the series' contents, the archive, the feeds."""
from __future__ import annotations

import feedparser
import pytest

from conftest import EPOCH, NOW, run_cli
from engine.build import build
from engine.text.quotes import marks_for
from engine.text.smart import smart, smart_inside


@pytest.mark.parametrize("written, shown", [
    ('Don\'t say "never" -- or ever...', "Don’t say “never” – or ever…"),
    ("The cities' law --- a primer", "The cities’ law — a primer"),
    ("'Tis the 'season'", "’Tis the ‘season’"),
    ('1. "A list" - # *not* & AT&amp;T <b> [x](y) `c` \\', '1. “A list” - # *not* & AT&amp;T <b> [x](y) `c` \\'),
    ("- \"nor\" this", "- “nor” this"),
    ("Plain title", "Plain title"),
])
def test_smart_turns_only_the_punctuation(written: str, shown: str) -> None:
    assert smart(written) == shown


def test_titles_and_summaries_are_shown_smart_everywhere(site) -> None:
    root = site({
        "posts/cities/series.toml": 'title = "The \\"sanctuary\\" cities"\n\n[[planned]]\npart = 2\n'
                                    'title = "What \'detainer\' means"\n',
        "posts/cities/part-1.md": '---\ntitle: "Don\'t say \\"never\\" -- a primer"\ndate: 2026-11-01T09:00:00\n'
                                  'part: 1\nsummary: "\\"It\'s fine,\\" they said..."\n---\n\nThe text.\n',
    })
    build(root, now=NOW)
    page = (root / "output/cities/part-1/index.html").read_text()
    assert "<h1 class=\"post-title\">Don’t say “never” – a primer</h1>" in page
    assert "<title>Don’t say “never” – a primer — Test Site</title>" in page
    assert 'content="“It’s fine,” they said…"' in page  # the description
    assert "What ‘detainer’ means" in page and "The “sanctuary” cities" in page  # working title, series
    assert "Don’t say “never” – a primer" in (root / "output/archive/index.html").read_text()
    feed = feedparser.parse((root / "output/feed.xml").read_bytes())
    assert feed.entries[0].title == "Don’t say “never” – a primer"
    assert feed.entries[0].summary == "“It’s fine,” they said…"


def test_hebrew_gershayim_typed_as_a_straight_quote_is_no_quotation_mark() -> None:
    """Hebrew writers type ``"`` for gershayim (צה"ל, the year התשי"ט): smart punctuation made it an opening
    quotation mark, צה“ל; a quotation in Hebrew, spaced from its words, is still curled."""
    from engine.text.markdown import render
    assert smart('דו"ח צה"ל') == "דו״ח צה״ל"
    html = render('לפי דו"ח צה"ל משנת התשי"ט, "ציטוט" ו-`צה"ל`.')
    assert "דו״ח צה״ל משנת התשי״ט" in html and "“ציטוט”" in html
    assert '<code>צה"ל</code>' in html  # code as typed
    # a name quoted after a one-letter prefix: the word is closed by a quotation mark, so it opened one
    quoted = render('כתב ב"הארץ" היום, ול"ידיעות אחרונות". צה"ל אמר "שלום".')
    assert "ב“הארץ”" in quoted and "ול“ידיעות אחרונות”" in quoted and "צה״ל אמר “שלום”" in quoted
    assert smart('ב"הארץ"') == "ב“הארץ”"
    # an acronym inside a quotation: the quotation's own mark closes it, and the acronym keeps its gershayim
    inside = render('"ראיתי את צה"ל" אמר.\n\n"זה דו"ח" שלו.')
    assert "“ראיתי את צה״ל” אמר." in inside and "“זה דו״ח” שלו." in inside
    assert smart('"צה"ל"') == "“צה״ל”"
    assert "“שלום. ראיתי את צה״ל”" in render('"שלום. ראיתי את צה"ל" אמר.')  # a quotation of two sentences


@pytest.mark.parametrize("language, html, shown", [
    ("de", "<p>Er sagte: “Das Wasser gehört allen.” Und sie: ‘nein’. Don’t, Peters’ Haus.</p>",
     "<p>Er sagte: „Das Wasser gehört allen.“ Und sie: ‚nein‘. Don’t, Peters’ Haus.</p>"),
    ("de-CH", "<p>“Ja” ‘so’</p>", "<p>«Ja» ‹so›</p>"),
    ("fr-FR", "<p>Un “texte” <code>“x”</code> ‘dit’ l’eau</p><pre>“y”</pre>",
     "<p>Un «\u202ftexte\u202f» <code>“x”</code> “dit” l’eau</p><pre>“y”</pre>"),
    ("ja", '<a title="“t”" href="x">“a” ‘b’</a>', '<a title="“t”" href="x">「a」 『b』</a>'),
    ("de", "<p>‘Don’t <em>go</em>’, he said.</p><p>’tis</p>", "<p>‚Don’t <em>go</em>‘, he said.</p><p>’tis</p>"),
    ("en-GB", "<p>“As is” ‘so’</p>", "<p>“As is” ‘so’</p>"),
    ("pt-BR", "<p>“As is”</p>", "<p>“As is”</p>"),
    ("pt-PT", "<p>“Assim”</p>", "<p>«Assim»</p>"),
])
def test_quotation_marks_are_those_of_the_texts_language(language: str, html: str, shown: str) -> None:
    """Smart punctuation knows English marks only; a German essay got “…” where German writes „…“.  An
    apostrophe stays one, and code, preformatted text and attributes keep what the author typed."""
    from engine.text.quotes import marks_for, requote
    assert requote(html, marks_for(language)) == shown


def test_a_german_site_and_a_french_post_get_their_own_quotation_marks_everywhere(site) -> None:
    """Essay, title, summary, feed and the page of what changed, in the language of the post or the site."""
    from conftest import run_cli
    root = site({
        "posts/zitate.md": '---\ntitle: "Der \\"Fluss\\""\ndate: 2026-11-01T09:00:00\n---\n\n'
                           'Er sagte: "Das Wasser gehört allen." Und `"code"`.\n',
        "posts/texte.md": '---\ntitle: "Un \\"texte\\""\ndate: 2026-11-02T09:00:00\nlanguage: fr\n---\n\n'
                          'Il dit : "non".\n'})
    config = root / "config.toml"
    config.write_text(config.read_text().replace('timezone =', 'language = "de"\ntimezone ='))
    build(root, now=NOW)
    page = (root / "output/zitate/index.html").read_text()
    assert "Er sagte: „Das Wasser gehört allen.“ Und <code>\"code\"</code>" in page
    assert '<h1 class="post-title">Der „Fluss“</h1>' in page
    assert "Il dit : «\u202fnon\u202f»." in (root / "output/texte/index.html").read_text()
    feed = feedparser.parse((root / "output/feed.xml").read_bytes())
    assert {e.title for e in feed.entries} == {"Der „Fluss“", "Un «\u202ftexte\u202f»"}
    path = root / "posts/zitate.md"
    assert run_cli("publish", "posts/zitate.md", cwd=root).returncode == 0
    path.write_text(path.read_text().replace("allen.", "allen, sagte er."))
    assert run_cli("revise", "posts/zitate.md", "--note", "Genauer.", cwd=root).returncode == 0
    assert run_cli("build", cwd=root).returncode == 0
    changes = (root / "output/zitate/v2/changes/index.html").read_text()
    assert "„Das Wasser gehört" in changes and "“Das" not in changes


@pytest.mark.parametrize("language, written, shown", [
    # typed as German writes them: „…“ closes with “, which must not become an opening „
    ("de", "Getippt: „Das Wasser gehört allen“ und ‚so‘.", "Getippt: „Das Wasser gehört allen“ und ‚so‘."),
    ("fr", "Typée : « vrai » et “vrai”.", "Typée : « vrai » et “vrai”."),
    # straight quotes pair up in order: smart punctuation's own guess fails between Japanese characters
    ("ja", '彼は"水"と言った。', "彼は「水」と言った。"),
    ("fr", 'Il dit " bonjour " et "non".', "Il dit «\u202fbonjour\u202f» et «\u202fnon\u202f»."),
    # an inch mark is a double prime (27″) in any language, and does not turn the quotations after it inside out
    ("de", 'Der 27" Monitor "neu" und "so".', "Der 27″ Monitor „neu“ und „so“."),
    ("de", '12" Bildschirm. "...und dann"', "12″ Bildschirm. „…und dann“"),
    ("fr", 'Un écran de 27" et "oui".', "Un écran de 27″ et «\u202foui\u202f»."),
    ("ja", '27"の画面と"1"と"2"', "27″の画面と「1」と「2」"),
    # a quotation inside a quotation has the inner marks
    ("ru", '"Он сказал "Нет" и ушёл", — вспоминала она.', "«Он сказал „Нет“ и ушёл», — вспоминала она."),
    ("de", 'Sie sagte: "Er rief "Halt!" und lief."', "Sie sagte: „Er rief ‚Halt!‘ und lief.“"),
    ("fr", 'Il a dit "je cite "non" hier".', "Il a dit «\u202fje cite “non” hier\u202f»."),
    ("ja", '"Hello"と言った', "「Hello」と言った"),
    ("ja", '"A"と"B"と"C"', "「A」と「B」と「C」"),
    # the fourth re-check's: a quotation that opens with an ellipsis, a closing mark after a dash or a slash,
    # and an apostrophe for letters left out at a word's start
    ("ja", '彼は"……そうか"と呟いた。"水"と"火"。', "彼は「……そうか」と呟いた。「水」と「火」。"),
    ("zh-Hant", '他說"……好吧"然後"走了"。', "他說「……好吧」然後「走了」。"),
    ("de", '"example.org/"-Seite und "Ost-" und', "„example.org/“-Seite und „Ost-“ und"),
    ("de", "\"So 'n Quatsch\", Andreas' Hund, Rock 'n' Roll, '90er",
     "„So ’n Quatsch“, Andreas’ Hund, Rock ’n’ Roll, ’90er"),
    # the fifth re-check's: a quoted letter or number closed at once is a quotation; elisions are German's
    ("de", "Größe 'S' oder 'M', '1989' und 'ne Tasse", "Größe ‚S‘ oder ‚M‘, ‚1989‘ und ’ne Tasse"),
    ("fr", "Il dit 'Ne pas déranger'.", "Il dit “Ne pas déranger”."),
    ("zh-CN", '他说"你好"，然后"再见"。', "他说“你好”，然后“再见”。"),
    ("de", 'Er sagte: "Das Wasser gehört allen." Und sie: \'nein\'.',
     "Er sagte: „Das Wasser gehört allen.“ Und sie: ‚nein‘."),
    # the third probe's: a quotation that opens with a number is no year's elision ('90er is)
    ("de", "Er sagte: '1989 war anders', die '90er", "Er sagte: ‚1989 war anders‘, die ’90er"),
    ("fr", "\"Il a dit '3 000 personnes' hier\"", "«\u202fIl a dit “3 000 personnes” hier\u202f»"),
    # a quotation inside a quotation in Chinese or Japanese, where smart punctuation made two apostrophes
    ("ja", "市長は\"私たちは'安全な'都市だ\"と言った。", "市長は「私たちは『安全な』都市だ」と言った。"),
    ("zh-Hans", "市长说：\"我们是'安全的'城市。\"", "市长说：“我们是‘安全的’城市。”"),
    ("ja", "Peters'の本", "Peters’の本"),
    # Korean: a particle follows the closing mark
    ("ko", "\"피난처\"는 '법'이 아니다. O'Brien", "“피난처”는 ‘법’이 아니다. O’Brien"),
    # English: an inch mark closes, as SmartyPants has it
    ("en", "A 27\" monitor, 6'2\" tall, \"so\"", "A 27” monitor, 6’2” tall, “so”"),
])
def test_only_the_quotes_smart_punctuation_made_take_the_languages_marks(language, written, shown) -> None:
    """The marks an author typed are the author's; the straight ones smart punctuation curls become the
    language's, in the essay and in a title alike."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    assert render(written, marks_for(language)) == f"<p>{shown}</p>\n"
    assert smart(written, language) == shown


def test_a_quotation_runs_across_a_line_break_and_marks_typed_as_references_stay() -> None:
    """A `<br>` ended the pairing, and the quotation closed with an opening mark; `&bdquo;…&ldquo;` was taken
    for English marks and turned inside out; in code a reference is text and stays one."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    de = marks_for("de")
    assert render('"Erste Zeile  \nzweite Zeile" und "so".', de) == \
        "<p>„Erste Zeile<br />\nzweite Zeile“ und „so“.</p>\n"
    assert render("&bdquo;Das Wasser&ldquo; und `&ldquo;x&rdquo;`.", de) == \
        "<p>„Das Wasser“ und <code>&amp;ldquo;x&amp;rdquo;</code>.</p>\n"
    # a title is plain text: a reference shows as typed, in any language
    assert smart('Titel &bdquo;so "ja"', "de") == smart('Titel &bdquo;so "ja"', "en").replace("“ja”", "„ja“")


def test_quotation_marks_pair_across_emphasis_and_links() -> None:
    """Smart punctuation's guess beside Japanese characters and elements made 「強調「と」リンク「."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    assert render('"*強調*"と"[リンク](/l)"', marks_for("ja")) == \
        '<p>「<em>強調</em>」と「<a href="/l">リンク</a>」</p>\n'
    assert render('"*so*" und "[das](/x)" und ("so")', marks_for("de")) == \
        '<p>„<em>so</em>“ und „<a href="/x">das</a>“ und („so“)</p>\n'


def test_an_images_text_takes_the_languages_marks_too() -> None:
    """A screen reader reads an image's ``alt`` aloud: it had English marks on a German site."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    assert render('![Er sagte "nein"](x.png) und [so](/x "Ein \'Titel\'") "da"', marks_for("de")) == \
        '<p><img src="x.png" alt="Er sagte „nein“" /> und <a href="/x" title="Ein &#39;Titel&#39;">so</a> „da“</p>\n'
    # typed marks and the alt of an image in code stay as they are
    assert render('![„Getippt“](x.png) `<img alt="“x”">`', marks_for("de")) == \
        '<p><img src="x.png" alt="„Getippt“" /> <code>&lt;img alt="“x”"&gt;</code></p>\n'


@pytest.mark.parametrize("language", ["de", "fr", "ja", "en"])
def test_a_curly_mark_typed_in_an_address_stays_in_it(language) -> None:
    """The stand-in for a typed mark reached links and images percent-encoded (o%EF%B7%93brien), in every
    language with marks of its own: each such link was broken."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    out = render("[O’B](https://example.org/o’brien/) <https://example.org/it’s> ![x](/img/„a“.svg)\n\n"
                 "[ref]: https://example.org/„ref“\n\n[r][ref]", marks_for(language))
    assert 'href="https://example.org/o%E2%80%99brien/"' in out
    assert 'href="https://example.org/it%E2%80%99s"' in out
    assert 'src="/img/%E2%80%9Ea%E2%80%9C.svg"' in out
    assert 'href="https://example.org/%E2%80%9Eref%E2%80%9C"' in out
    assert "%EF%B7" not in out and not any("\ufdd0" <= c <= "\ufdef" for c in out)


@pytest.mark.parametrize("language", ["en", "de"])
def test_code_written_as_html_keeps_its_punctuation(language) -> None:
    """Markdown reads the text of an inline ``<code>`` or ``<script>`` as prose, and smart punctuation turned
    its quotes: ``getElementById(“n”)`` is a syntax error. SmartyPants leaves such elements alone."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    out = render('Run <code>grep -r "x" -- a...</code>, <kbd>\'</kbd> and "so".\n'
                 '<span id="n"></span><script>document.getElementById("n").textContent = \'ok\';</script>',
                 marks_for(language))
    assert '<code>grep -r &quot;x&quot; -- a...</code>' in out and "<kbd>'</kbd>" in out  # as Markdown writes " there
    assert "<script>document.getElementById(\"n\").textContent = 'ok';</script>" in out
    assert ("„so“" if language == "de" else "“so”") in out


def test_hebrew_gershayim_is_made_of_a_straight_quote_only_and_never_in_code() -> None:
    """A ” typed between Hebrew letters became gershayim, inside code too: the command no longer matched."""
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    out = render('הפקודה `grep "צה”ל" log` מוצאת צה"ל וגם צה”ל.\n\n```\ngrep "צה”ל" log\n```\n', marks_for("he"))
    assert out == ('<p>הפקודה <code>grep "צה”ל" log</code> מוצאת צה״ל וגם צה”ל.</p>\n'
                   '<pre><code>grep "צה”ל" log\n</code></pre>\n')


def test_an_escaped_reference_is_text() -> None:
    from engine.text.markdown import render
    from engine.text.quotes import marks_for
    assert render(r"Als \&ldquo; oder &ldquo;so&rdquo;", marks_for("de")) == "<p>Als &amp;ldquo; oder “so”</p>\n"


def test_code_written_as_html_keeps_its_markup_comments_and_escapes() -> None:
    """The re-check's: hiding every quote inside <code> broke its child tags' attributes (a build error, an
    SVG shown as text), showed comments and backslashes, and put a bare " into an image's text."""
    from engine.text.markdown import render
    for marks in (None, marks_for("de")):
        assert render('<code><span class="kw hl">if</span> x</code>', marks) == \
            '<p><code><span class="kw hl">if</span> x</code></p>\n'
        assert render('<svg width="1"><path d="M1 2" stroke-width="2"/></svg>', marks) == \
            '<p><svg width="1"><path d="M1 2" stroke-width="2"/></svg></p>\n'
        assert render('<code>git -m \\"msg\\"</code> <code>x<!-- TODO --></code>', marks) == \
            '<p><code>git -m "msg"</code> <code>x<!-- TODO --></code></p>\n'
        assert render('<code>Record<"on" | "off", n> a--b</code>', marks) == \
            '<p><code>Record&lt;&quot;on&quot; | &quot;off&quot;, n&gt; a--b</code></p>\n'  # no tag: text
        assert render('![The <kbd>"</kbd> key](k.png)', marks) == \
            '<p><img src="k.png" alt="The &lt;kbd&gt;&quot;&lt;/kbd&gt; key" /></p>\n'


@pytest.mark.parametrize("language, written, shown", [
    # a stray mark (an inch mark before a hyphen, a quotation left open) does not make every later quotation of
    # the paragraph an inner one
    ("de", 'Ein 27"-Monitor. Sie sagte "Ja" und er "Nein".', "Ein 27″-Monitor. Sie sagte „Ja“ und er „Nein“."),
    ("fr", 'Un écran 27"-pouces et "bonjour".', "Un écran 27″-pouces et «\u202fbonjour\u202f»."),
    ("de", 'Er rief "Halt! und lief. Dann sagte er "Nein".', "Er rief „Halt! und lief. Dann sagte er „Nein“."),
    ("de", 'Sie sagte: "Er rief "*Halt!*" und lief."', "Sie sagte: „Er rief ‚<em>Halt!</em>‘ und lief.“"),
    ("en", 'A 27"-inch screen', "A 27”-inch screen"),
    # the second re-check's: two quotations after a stray mark are alike; an inch mark inside a quotation
    ("de", 'Er rief "Halt! Dann sagten sie "Ja" und "Nein".', "Er rief „Halt! Dann sagten sie „Ja“ und „Nein“."),
    ("de", '"Ich kaufe einen 27"-Monitor."', "„Ich kaufe einen 27″-Monitor.“"),
    ("de", 'Der "Ost"-Teil und "1"-Zimmer', "Der „Ost“-Teil und „1“-Zimmer"),
    # an apostrophe at a word's start stays one (the Korean rule is Korean's), after code too
    ("de", "Komm 'raus, sonst geht's schief.", "Komm ’raus, sonst geht’s schief."),
    ("it", "Ho visto 'sto film e l'ho amato. Il `main`'s loop",
     "Ho visto ’sto film e l’ho amato. Il <code>main</code>’s loop"),
    ("ko", "그는 \"'정의'란 무엇인가\"라고 물었다.", "그는 “‘정의’란 무엇인가”라고 물었다."),
])
def test_the_recheck_of_the_quotation_marks(language, written, shown) -> None:
    from engine.text.markdown import render
    assert render(written, marks_for(language)) == f"<p>{shown}</p>\n"


@pytest.mark.parametrize("language, written, shown", [
    ("", 'The "duty" of asylum', "The ‘duty’ of asylum"),
    ("en", 'Don\'t say "never"', "Don’t say ‘never’"),
    ("de", 'Die "Pflicht" zum Asyl', "Die ‚Pflicht‘ zum Asyl"),
    ("fr", 'Le "devoir" d\'asile', "Le “devoir” d’asile"),
    ("ja", '"義務"とは', "『義務』とは"),
    ("he", 'ה"חובה" של צה"ל', "ה’חובה’ של צה״ל"),
    ("de", "Plain title", "Plain title"),
    ("en", "Ein „Zitat“ hier", "Ein „Zitat“ hier"),  # marks the author typed are the author's: kept as typed
    ("de", "Reading “Le ‘Monde’”", "Reading “Le ‘Monde’”"),
])
def test_a_title_set_inside_quotation_marks_quotes_with_the_inner_ones(language, written, shown) -> None:
    assert smart_inside(written, language) == shown


def test_the_theme_quoting_a_title_that_quotes_gives_it_the_inner_marks(site) -> None:
    root = site({"posts/duty.md": '---\ntitle: "The \\"duty\\" of asylum"\ndate: 2026-11-01T09:00:00\n---\n\nFirst.\n'})
    assert run_cli("publish", "posts/duty.md", cwd=root, env=EPOCH).returncode == 0
    (root / "posts/duty.md").write_text('---\ntitle: "A \\"right\\" to asylum"\ndate: 2026-11-01T09:00:00\n---\n\n'
                                        'Second text.\n', encoding="utf-8")
    done = run_cli("revise", "posts/duty.md", "--note", "Renamed.", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    build(root, now=NOW)
    changes = (root / "output/duty/v2/changes/index.html").read_text(encoding="utf-8")
    assert "it was “The ‘duty’ of asylum”." in changes
    assert "<h1 class=\"post-title\">A “right” to asylum</h1>" in (root / "output/duty/index.html").read_text()

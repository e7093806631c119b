"""Right to left in a real browser: in an Arabic page the note's rule, the series list's rule and the text sit
on the right, where an English page has them on the left."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from conftest import BROWSER_ARGS, CHROMIUM, CONFIG, EPOCH, NOW, run_cli, serving
from engine.build import build

pytestmark = pytest.mark.slow

SERIES = 'title = "المدن الملاذ"\nstatus = "ongoing"\n\n[[planned]]\npart = 2\ntitle = "القوانين الثلاثة"\n'
BODY = ("تتناول هذه المقالة سؤالًا واحدًا: هل يجوز للمدن أن ترفض مساعدة السلطات الاتحادية؟ "
        "ونبدأ بنص المادة 1373 من القانون (<bdi>8 U.S.C. § 1373</bdi>) كما صدر عام 1996.\n\n"
        "والفقرة الثانية تعرض الحجج المقابلة بالتفصيل.\n")
NOTE = "أضفت فقرة عن الحكم الأخير.\n\nولم يتغير شيء آخر في المقالة."


def arabic_site(root: Path, language: str) -> Path:
    """A series with one part, published and then revised with a long note, built into ``output``."""
    config = CONFIG.replace('timezone', f'language = "{language}"\ntimezone', 1)
    files = {"config.toml": config.replace("https://example.org/essays/", "https://example.org/"),
             "posts/cities/series.toml": SERIES,
             "posts/cities/part-1.md": f"---\ntitle: \"مقدمة\"\ndate: 2026-11-01T09:00:00\npart: 1\n---\n\n{BODY}"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    assert run_cli("publish", "posts/cities/part-1.md", cwd=root, env=EPOCH).returncode == 0
    essay = root / "posts/cities/part-1.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nفقرة جديدة عن الحكم الأخير.\n", encoding="utf-8")
    done = run_cli("revise", "posts/cities/part-1.md", "--note", NOTE, "--at", "2026-11-20T12:00", cwd=root)
    assert done.returncode == 0, done.stderr
    build(root, now=NOW)
    return root / "output"


def boxes(url: str, width: int) -> dict:
    """Where the note, its label and the current part of the table of contents are, and their rules."""
    script = r"""() => {
      const rect = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
      const rules = (el) => { const s = getComputedStyle(el);
        return {left: parseFloat(s.borderLeftWidth), right: parseFloat(s.borderRightWidth)}; };
      const note = document.querySelector('.revision-notes .note');
      const label = document.querySelector('.update-label');
      const current = document.querySelector('ol.toc li.current');
      const cited = document.querySelector('.essay bdi').firstChild;
      const at = (a, z) => { const g = document.createRange(); g.setStart(cited, a); g.setEnd(cited, z);
                             return g.getBoundingClientRect().left; };
      const text = document.createTreeWalker(label, NodeFilter.SHOW_TEXT,
                                             {acceptNode: n => n.data.trim() ? 1 : 3}).nextNode();
      const letter = document.createRange(); const at0 = text.data.search(/\S/);
      letter.setStart(text, at0); letter.setEnd(text, at0 + 1);
      return {dir: document.documentElement.dir, note: rect(note), label: rect(letter), rule: rules(note),
              toc: rules(current), citation: [at(0, 1), at(2, 8), at(cited.data.length - 4, cited.data.length)]};
    }"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url)
        found = page.evaluate(script)
        browser.close()
    return found


@pytest.mark.parametrize("width", [390, 1280])
def test_the_notes_rule_is_on_the_right_in_arabic_and_on_the_left_in_english(tmp_path: Path, width: int) -> None:
    for language, start in (("ar", "right"), ("en", "left")):
        out = arabic_site(tmp_path / language, language)
        with serving(out) as base:
            found = boxes(f"{base}/cities/part-1/", width)
        end = "left" if start == "right" else "right"
        assert found["dir"] == ("rtl" if language == "ar" else "")
        assert found["rule"][start] == 3 and found["rule"][end] == 0, found  # the rule opens the line
        assert found["toc"][start] == 3 and found["toc"][end] == 0, found
        note, label = found["note"], found["label"]
        gap_start = note["right"] - label["right"] if start == "right" else label["left"] - note["left"]
        gap_end = label["left"] - note["left"] if start == "right" else note["right"] - label["right"]
        assert gap_start < gap_end, found  # the label's first letter is on the rule's side
        assert found["citation"] == sorted(found["citation"]), found  # "8 U.S.C. § 1373" reads left to right


AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
}"""


def test_arabic_pages_pass_an_accessibility_audit_in_both_schemes(tmp_path: Path) -> None:
    from conftest import REPO
    out = arabic_site(tmp_path / "ar", "ar")
    found = {}
    with serving(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 390, "height": 900}, color_scheme=scheme)
            for path in ("/cities/part-1/", "/cities/part-1/v2/changes/", "/cities/", "/", "/updates/"):
                page.goto(base + path)
                page.add_script_tag(path=str(REPO / "node_modules" / "axe-core" / "axe.min.js"))
                found[scheme, path] = page.evaluate(AXE)
        browser.close()
    assert all(violations == [] for violations in found.values()), found


def test_a_paragraph_in_english_inside_an_arabic_essay_reads_left_to_right(tmp_path: Path) -> None:
    root = tmp_path / "site"
    out = arabic_site(root, "ar")
    essay = root / "posts/cities/part-1.md"
    quoted = "The court held that the statute does not reach the city."
    essay.write_text(essay.read_text(encoding="utf-8") + f"\n{quoted}\n", encoding="utf-8")
    build(root, now=NOW)
    script = """(quoted) => {
      const p = [...document.querySelectorAll('.essay p')].find(e => e.textContent.trim() === quoted);
      const arabic = document.querySelector('.essay p');
      const text = p.firstChild, range = document.createRange();
      const left = (a, z) => { range.setStart(text, a); range.setEnd(text, z);
                               return range.getBoundingClientRect().left; };
      const box = p.getBoundingClientRect(), first = arabic.getBoundingClientRect();
      const starts = (el) => { const r = document.createRange(); r.setStart(el.firstChild, 0);
                               r.setEnd(el.firstChild, 1); return r.getBoundingClientRect(); };
      return {word: left(0, 3), stop: left(quoted.length - 1, quoted.length),
              englishStart: starts(p).left - box.left, arabicStart: first.right - starts(arabic).right};
    }"""
    with serving(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/cities/part-1/")
        found = page.evaluate(script, quoted)
        browser.close()
    assert found["word"] < found["stop"], found  # "The" on the left, the full stop at the end on the right
    assert found["englishStart"] < 2 and found["arabicStart"] < 2, found  # each begins at its own side


def test_an_arabic_books_chapters_run_right_to_left(tmp_path: Path) -> None:
    """The EPUB of an Arabic series: its chapters say `dir="rtl"` and its pages turn right to left."""
    import zipfile
    out = arabic_site(tmp_path, "ar")
    with zipfile.ZipFile(out / "cities/cities.epub") as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        part = book.read("EPUB/part-1.xhtml").decode("utf-8")
        contents = book.read("EPUB/nav.xhtml").decode("utf-8")  # in the spine: read as a page of the book
    assert 'page-progression-direction="rtl"' in opf and re.search(r'<body[^>]* dir="rtl"', contents)
    assert re.search(r'<html[^>]* dir="rtl"', part) and re.search(r'<body[^>]* dir="rtl"', part)

    english = tmp_path / "en"
    english.mkdir()
    out = arabic_site(english, "en")  # the site's language says the text is English: a book left to right
    with zipfile.ZipFile(out / "cities/cities.epub") as book:
        assert "page-progression-direction" not in book.read("EPUB/content.opf").decode("utf-8")
        assert 'dir="rtl"' not in book.read("EPUB/part-1.xhtml").decode("utf-8")


def test_a_summary_keeps_the_isolation_a_bdi_gave_its_words(tmp_path: Path) -> None:
    """Lists and feeds show a summary as text: the essay's `<bdi>` becomes U+2068 … U+2069 there, so that
    "(8 U.S.C. § 1373)" is not reordered inside an Arabic line."""
    out = arabic_site(tmp_path, "ar")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "(\u20688 U.S.C. § 1373\u2069)" in home
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "(\u20688 U.S.C. § 1373\u2069)" in feed


def test_a_series_written_in_arabic_on_an_english_site_makes_an_arabic_book(tmp_path: Path) -> None:
    """Every part says `language: ar`: the book is Arabic (its `dc:language`, its pages turning right to left,
    the words of its title and author's pages), with the series' name and the bio marked as English; a series
    whose parts differ stays in the site's language."""
    import zipfile

    from test_whole_series import epubcheck
    files = {"config.toml": CONFIG.replace("https://example.org/essays/", "https://example.org/"),
             "posts/cities/series.toml": 'title = "Cities of Refuge"\ndescription = "Whether a city may refuse."\n',
             "posts/mixed/series.toml": 'title = "Two Tongues"\n'}
    for part in (1, 2):
        files[f"posts/cities/part-{part}.md"] = (f"---\ntitle: \"الجزء {part}\"\ndate: 2026-11-0{part}T09:00:00\n"
                                                 f"part: {part}\nlanguage: ar\n---\n\n{BODY}")
        files[f"posts/mixed/part-{part}.md"] = (f"---\ntitle: \"Part {part}\"\ndate: 2026-11-0{part}T10:00:00\n"
                                                f"part: {part}\n" + ("language: ar\n---\n\n" + BODY if part == 1
                                                                     else "---\n\nIn English.\n"))
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    build(tmp_path, now=NOW)
    path = tmp_path / "output/cities/cities.epub"
    with zipfile.ZipFile(path) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        title = book.read("EPUB/title.xhtml").decode("utf-8")
        about = book.read("EPUB/about.xhtml").decode("utf-8")
    assert "<dc:language>ar</dc:language>" in opf and 'page-progression-direction="rtl"' in opf
    assert re.search(r'<html[^>]* lang="ar"[^>]* dir="rtl"', title)
    assert "اقرأ على الإنترنت" in title and "Read online" not in title
    assert '<h1 lang="en" dir="ltr">Cities of Refuge</h1>' in title
    assert '<div class="description" lang="en" dir="ltr">' in title
    assert re.search(r'<div lang="en" dir="ltr">\s*<p>', about)
    assert epubcheck(path) == []
    with zipfile.ZipFile(tmp_path / "output/mixed/mixed.epub") as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        assert "<dc:language>en</dc:language>" in opf
        assert "Read online" in book.read("EPUB/title.xhtml").decode("utf-8")
        nav = book.read("EPUB/nav.xhtml").decode("utf-8")
    # the contents mark the Arabic part's title as its chapter is marked, and the English one not
    assert '<a href="part-1.xhtml" lang="ar" xml:lang="ar" dir="rtl">Part 1</a>' in nav
    assert '<a href="part-2.xhtml">Part 2</a>' in nav
    # what a reading system tells a reader before the book is opened
    assert re.findall(r'<meta property="schema:(\w+)">(\w+)</meta>', opf) == [
        ("accessMode", "textual"), ("accessModeSufficient", "textual"),
        ("accessibilityFeature", "structuralNavigation"), ("accessibilityFeature", "tableOfContents"),
        ("accessibilityFeature", "readingOrder"), ("accessibilityHazard", "none")]
    assert epubcheck(tmp_path / "output/mixed/mixed.epub") == []


def test_english_words_on_a_persian_site_without_a_catalog_are_isolated_left_to_right(tmp_path: Path) -> None:
    """No catalog ships for Persian, so the theme's words are English: each such message is isolated as left to
    right (U+2066 … U+2069) and the date in it by its own first letter (U+2068 … U+2069), or "First published."
    reads ".First published" on the page.  A shipped catalog's words, and an English site's, are left alone."""
    persian = tmp_path / "fa"
    persian.mkdir()
    out = arabic_site(persian, "fa")
    page = (out / "cities/part-1/index.html").read_text(encoding="utf-8")
    assert re.search("\u2066Published \u2068<time[^>]*>[^<]+</time>\u2069\u2069", page), page[:3000]
    assert "\u2066Skip to content\u2069" in page
    arabic = (arabic_site(tmp_path, "ar") / "cities/part-1/index.html").read_text(encoding="utf-8")
    assert "\u2066" not in arabic and "انتقل إلى المحتوى" in arabic


@pytest.mark.parametrize("language, marked", [("ar", True), ("en", False)])
def test_an_arabic_entrys_content_runs_right_to_left_in_every_feed(tmp_path: Path, language: str,
                                                                     marked: bool) -> None:
    """A feed reader shows an entry in its own page, which the post page's ``dir`` does not reach."""
    import json

    import feedparser
    out = arabic_site(tmp_path, language)  # the essay is in Arabic; on an English site, the post says so
    if language == "en":
        essay = tmp_path / "posts/cities/part-1.md"
        essay.write_text(essay.read_text(encoding="utf-8").replace("part: 1\n", "part: 1\nlanguage: ar\n"),
                         encoding="utf-8")
        build(tmp_path, now=NOW)
    for name in ("feed.xml", "atom.xml"):
        contents = [e.content[0].value for e in feedparser.parse((out / name).read_bytes()).entries]
        assert contents and all(c.startswith('<div dir="rtl">') for c in contents), name
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert all(item["content_html"].startswith('<div dir="rtl">') for item in items)
    assert marked or all(item.get("language") == "ar" for item in items)


def test_printed_addresses_on_an_arabic_page_read_left_to_right_in_one_piece(tmp_path: Path) -> None:
    """On paper, each link's address is printed beside it and the page's own under the site's name: each must
    read left to right as one unit inside the Arabic line (it printed as "(/https://…"), its letters shown
    as letters (not %D8%A7…), and the page's own at the start of the header's line, on the right."""
    out = arabic_site(tmp_path / "site", "ar")
    (out / "cities/part-1/index.html").write_text((out / "cities/part-1/index.html").read_text(encoding="utf-8")
                                                  .replace("فقرة جديدة", '<a href="/cities/">فقرة</a> جديدة'),
                                                  encoding="utf-8")
    with serving(out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 700, "height": 900})
        page.goto(url + "/cities/part-1/")
        page.emulate_media(media="print")
        found = page.evaluate("""() => {
          const after = (el) => { const s = getComputedStyle(el, '::after');
            return [s.direction, s.unicodeBidi, s.textAlign, s.content]; };
          return {link: after(document.querySelector('.essay a[href="/cities/"]')),
                  header: after(document.querySelector('.site-header-inner'))};
        }""")
        browser.close()
    # the address and its brackets in an isolate of their own, the space before them outside it: set as the
    # pseudo-element's direction, Chromium drew "(https://…/(" against the link's words
    assert found["link"][3].startswith('" \u2066(') and found["link"][3].endswith(')\u2069"'), found["link"]
    assert found["header"][:3] == ["ltr", "isolate", "right"]
    assert found["header"][3] == '"https://example.org/cities/part-1/"'


def test_scripts_without_an_italic_are_set_upright_with_emphasis_in_weight(tmp_path: Path) -> None:
    """A browser slants Japanese, Chinese or Hebrew letters it has no italic for (the emphasis of a Japanese
    essay, the title on its page of what changed): they are set upright, and emphasis is heavier."""
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, language, text in (("ja", "ja", "川は*強調*された。"), ("he", "he", "הנהר *חשוב* מאוד."),
                                 ("en", "", "The river *matters*.")):
        front = f"language: {language}\n" if language else ""
        (root / "posts" / f"{name}.md").write_text(f"---\ntitle: T\ndate: 2026-11-01\n{front}---\n\n{text}\n",
                                                   encoding="utf-8")
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    www = tmp_path / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")  # the site lives at /essays/
    with serving(www) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page()
        found = {}
        for name in ("ja", "he", "en"):
            page.goto(f"{url}/essays/{name}/")
            found[name] = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.essay em'));
                                                   return [s.fontStyle, s.fontWeight]; }""")
        browser.close()
    assert found["ja"] == ["normal", "600"] and found["he"] == ["normal", "600"]
    assert found["en"][0] == "italic"


def test_english_the_author_wrote_around_an_arabic_page_reads_left_to_right(tmp_path: Path) -> None:
    """A note, a series' description and a part's summary written in English on an Arabic site: the post's box
    of notes, its version history and the series page laid them out right to left (".Fixed the first
    paragraph (see FOIA, § 552)"), where the essay and the page of updates read them left to right."""
    root = tmp_path / "site"
    arabic_site(root, "ar")
    note = "Fixed the first paragraph (see FOIA, § 552)."
    (root / "posts/cities/series.toml").write_text(SERIES.replace('status =', 'description = "On the Lanham Act, '
                                                                  '15 U.S.C. § 1125."\nstatus ='), encoding="utf-8")
    essay = root / "posts/cities/part-1.md"
    text = essay.read_text(encoding="utf-8").replace("part: 1\n", 'part: 1\nsummary: "Reading 15 U.S.C. § 1125 (a)."\n')
    essay.write_text(text + "\nفقرة ثالثة.\n", encoding="utf-8")
    done = run_cli("revise", "posts/cities/part-1.md", "--note", note, "--at", "2026-11-25T12:00", cwd=root)
    assert done.returncode == 0, done.stderr
    out = build(root, now=NOW) and root / "output"
    script = """(selector) => [...document.querySelectorAll(selector)].filter(e => /^[A-Z]/.test(e.textContent.trim()))
      .map(e => { const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        let node, texts = []; while ((node = walker.nextNode())) if (node.textContent.trim()) texts.push(node);
        const first = texts[0], last = texts[texts.length - 1], range = document.createRange();
        const at = (n, a, z) => { range.setStart(n, a); range.setEnd(n, z); return range.getBoundingClientRect().left; };
        const start = first.textContent.search(/\\S/), end = last.textContent.trimEnd().length;
        return {text: e.textContent.trim(), word: at(first, start, start + 3), stop: at(last, end - 1, end)}; })"""
    with serving(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        found = []
        for address, selector in (("cities/part-1/", ".note-text p"), ("cities/part-1/", ".history-note p"),
                                  ("cities/", ".series-description p"), ("cities/", ".series-part-summary")):
            page.goto(f"{base}/{address}")
            laid = page.evaluate(script, selector)
            assert laid, (address, selector)
            found += [(selector, one) for one in laid]
        browser.close()
    wrong = [(selector, one) for selector, one in found if not one["word"] < one["stop"]]
    assert not wrong, wrong  # the first word on the left, the full stop at the end on the right

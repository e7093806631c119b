"""The example site built in every shipped language: the theme's words, month names and plural forms in the
pages and feeds, right-to-left Arabic pages that pass the Nu checker, a site's own strings, and English pages
exactly as before."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import feedparser
import lxml.html
import pytest

from conftest import NOW, REPO, nu_errors
from engine.build import build
from engine.locale import SHIPPED

PART = "lending-the-digital-shelf/part-1/index.html"
CHANGES = "lending-the-digital-shelf/part-1/v3/changes/index.html"

EXPECTED = {
    # language: (part label, the update note's opening, "What changed", a plural, the feed entry title's start)
    "en": ("Part 1 of 3", "Update: November 2, 2026, 12:00 pm:", "What changed in", "2 parts published",
           "Updated: "),
    "fr": ("Partie 1 sur 3", "Mise à jour du 2 novembre 2026, 12:00 :", "Ce qui a changé dans",
           "2 parties publiées", "Mis à jour\u00a0: "),
    "de": ("Teil 1 von 3", "Aktualisierung vom 2. November 2026, 12:00:", "Was sich an", "2 Teile erschienen",
           "Aktualisiert: "),
    "es": ("Parte 1 de 3", "Actualización del 2 de noviembre de 2026, 12:00:", "Qué cambió en",
           "2 partes publicadas", "Actualizado: "),
    "it": ("Parte 1 di 3", "Aggiornamento del 2 novembre 2026, 12:00:", "Cosa è cambiato in", "2 parti pubblicate",
           "Aggiornato: "),
    "pt": ("Parte 1 de 3", "Atualização de 2 de novembro de 2026 12:00:", "O que mudou em",
           "2 partes publicadas", "Atualizado: "),
    "nl": ("Deel 1 van 3", "Update van 2 november 2026, 12:00:", "Wat er veranderd is in", "2 delen verschenen",
           "Bijgewerkt: "),
    "ar": ("الجزء 1 من 3", "تحديث 2 نوفمبر 2026، 12:00\u00a0م:", "ما الذي تغيّر في", "جزآن منشوران",
           "تحديث: "),
    "he": ("חלק 1 מתוך 3", "עדכון מיום 2 בנובמבר 2026, 12:00:", "מה השתנה במאמר", "פורסמו 2 חלקים", "עודכן: "),
}


def example_in(root: Path, language: str) -> Path:
    """A copy of the example site with ``language`` set, built with the tests' clock; its output folder."""
    copy_example(root, language)
    build(root, now=NOW)
    return root / "output"


def copy_example(root: Path, language: str) -> Path:
    """A copy of the example site with ``language`` set."""
    root.mkdir(parents=True)
    for name in ("config.toml", "posts", "templates"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy(source, root / name)
    config = (root / "config.toml").read_text(encoding="utf-8")
    assert 'language = "en"' in config
    (root / "config.toml").write_text(config.replace('language = "en"', f'language = "{language}"'), encoding="utf-8")
    return root


def words(out: Path, path: str) -> str:
    """A page's text as a reader sees it, tags dropped and entities read."""
    import html
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (out / path).read_text(encoding="utf-8"))).split())


def squeeze(text: str) -> str:
    """Text with the spaces tags leave around punctuation taken out, as it reads."""
    return re.sub(r" (?=[:.,،)])", "", text).replace("( ", "(")


@pytest.mark.slow
@pytest.mark.parametrize("language", SHIPPED)
def test_the_example_site_speaks_each_shipped_language(tmp_path: Path, language: str) -> None:
    out = example_in(tmp_path / "site", language)
    part, update, changed, plural, updated = EXPECTED[language]
    page = (out / PART).read_text(encoding="utf-8")
    text = squeeze(words(out, PART))
    assert f'<html lang="{language}"' in page
    assert part in text
    spaced = squeeze(words(out, PART).replace("\u00a0", " ").replace("\u202f", " "))
    assert squeeze(update.replace("\u00a0", " ")) in spaced
    assert changed in squeeze(words(out, CHANGES))
    assert plural in squeeze(words(out, "lending-the-digital-shelf/index.html"))
    label = re.search(r'<strong class="update-label">(.*?)</strong>', page).group(1)
    series_line = re.search(r'<span class="part-label">(.*?)</span>', page).group(1)
    if language != "en":  # the theme's words, not the essay's, which stays as the author wrote it
        assert not label.startswith("Update: ") and "November 2, 2026" not in label
        assert series_line != "Part 1 of 3"
        assert '<span class="forthcoming-mark">(forthcoming)</span>' not in page  # a part: reference's mark
        assert "unchanged paragraph" not in (out / CHANGES).read_text(encoding="utf-8")
        assert screen_reader_labels(out / CHANGES).isdisjoint({"inserted: ", "deleted: "})
    else:
        assert '<span class="forthcoming-mark">(forthcoming)</span>' in page
    feed = feedparser.parse((out / "atom.xml").read_bytes())
    assert feed.feed.get("language", feed.feed.get("title_detail", {}).get("language")) in (language, None)
    titles = [e.title for e in feed.entries]
    assert any(t.startswith(updated) for t in titles), titles
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    assert rss.feed.language == language
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["language"] == language


@pytest.mark.slow
def test_arabic_pages_are_right_to_left_and_pass_the_nu_checker(tmp_path: Path) -> None:
    out = example_in(tmp_path / "site", "ar")
    for path in (PART, CHANGES, "index.html", "lending-the-digital-shelf/index.html", "updates/index.html"):
        assert '<html lang="ar" dir="rtl">' in (out / path).read_text(encoding="utf-8"), path
    assert "فقرتان لم تتغيرا" in words(out, CHANGES) or "لم تتغير" in words(out, CHANGES)  # the diff's folds
    assert "unchanged paragraph" not in words(out, CHANGES)
    assert nu_errors(out) == []


@pytest.mark.parametrize("language, heard", [("fr", "flux RSS de The Long Margin"),
                                             ("de", "RSS-Feed von The Long Margin"),
                                             ("en", "RSS feed of The Long Margin")])
def test_a_feed_link_is_named_in_the_order_its_language_says_it(tmp_path: Path, language: str, heard: str) -> None:
    """The link showed "RSS" and hid " flux de …" after it, so a screen reader said "RSS flux de …", which no
    French reader says; the whole name is now one string a translator words, around the "RSS" shown."""
    out = example_in(tmp_path / "site", language)
    for page, where in (("index.html", "footer-feeds"), ("lending-the-digital-shelf/index.html", "series-feeds")):
        link = parsed(out / page).xpath(f"//p[@class='{where}']/a")[0]
        shown = [t for t in link.xpath("./text()") if t.strip()]
        assert shown == ["RSS"]  # all else is hidden on screen
        assert text_of(link) == (heard if where == "footer-feeds" else
                                 heard.replace("The Long Margin", "Lending the Digital Shelf"))


@pytest.mark.parametrize("language, line", [("de", "Teil 2 von 3 · Lending the Digital Shelf"),
                                            ("it", "Parte 2 di 3 · Lending the Digital Shelf"),
                                            ("en", "Part 2 of 3 · Lending the Digital Shelf")])
def test_the_archive_names_a_parts_series_as_the_other_pages_do(tmp_path: Path, language: str, line: str) -> None:
    """"Teil 2 von 3 von …", "Parte 2 di 3 di L'…": the archive glued a second "of" to the part's "of"."""
    out = example_in(tmp_path / "site", language)
    shown = [text_of(span) for span in parsed(out / "archive/index.html").find_class("archive-series")]
    assert line in shown, shown


def test_english_pages_keep_their_words(tmp_path: Path) -> None:
    out = example_in(tmp_path / "site", "en")
    golden = REPO / "tests" / "golden"
    for path in (PART, CHANGES, "index.html", "updates/index.html", "404.html"):
        assert (out / path).read_bytes() == (golden / path).read_bytes(), path


def test_a_site_overrides_a_string_without_copying_a_template(tmp_path: Path) -> None:
    root = tmp_path / "site"
    po = root / "templates" / "locale" / "fr" / "messages.po"
    out = None
    root.mkdir()
    shutil.copytree(REPO / "posts", root / "posts")
    config = (REPO / "config.toml").read_text(encoding="utf-8").replace('language = "en"', 'language = "fr"')
    (root / "config.toml").write_text(config, encoding="utf-8")
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Part %(part)s of %(total)s"\nmsgstr "Épisode %(part)s/%(total)s"\n', encoding="utf-8")
    build(root, now=NOW)
    out = root / "output"
    assert "Épisode 1/3" in words(out, PART)
    assert "Mise à jour du" in words(out, PART)  # the rest stays the theme's
    po.write_text('msgid "Part %(part)s of %(total)s"\nmsgstr "Volet %(part)s sur %(total)s"\n', encoding="utf-8")
    build(root, now=NOW)
    assert "Volet 1 sur 3" in words(out, PART)  # an edited catalog is never stale


def test_a_french_post_in_an_english_site_has_its_own_language_in_the_feeds(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "posts", root / "posts")
    shutil.copy(REPO / "config.toml", root / "config.toml")
    essay = root / "posts" / "the-dated-correction.md"
    text = essay.read_text(encoding="utf-8")
    essay.write_text(text.replace("---\n", "---\nlanguage: fr\n", 1), encoding="utf-8")
    build(root, now=NOW)
    out = root / "output"
    page = (out / "the-dated-correction/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Publié le" in page
    assert 'class="site-header-inner" lang="en" dir="ltr"' in page  # the site's own name and navigation
    atom = (out / "atom.xml").read_text(encoding="utf-8")
    assert re.search(r'<entry xml:lang="fr">\s*<id>[^<]*</id>\s*<title>[^<]*</title>', atom) or 'xml:lang="fr"' in atom
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {item.get("language") for item in items} >= {"fr", None}
    revisions = [i for i in items if i["title"].startswith("Mis à jour")]
    assert all(i.get("language") == "fr" for i in revisions)
    rss = (out / "feed.xml").read_text(encoding="utf-8")  # RSS has no language of an item's own: Dublin Core's
    assert rss.count("<dc:language>fr</dc:language>") == len([i for i in items if i.get("language") == "fr"]) > 0
    assert "<dc:language>en</dc:language>" not in rss


def test_titles_in_any_script_give_readable_slugs_and_slug_ascii_spells_them_in_latin_letters() -> None:
    from engine.model.slugs import slugify
    assert slugify("Économie politique") == "économie-politique"
    assert slugify("المدن الملاذ") == "المدن-الملاذ"
    assert slugify("Économie politique", ascii=True) == "economie-politique"
    assert slugify("Die Straße", ascii=True) == "die-strasse"
    assert slugify("Москва и Петербург", ascii=True) == "moskva-i-peterburg"
    assert slugify("المدن الملاذ", ascii=True) == "lmdn-lmldh"


@pytest.mark.parametrize("title, slug", [
    ("हिन्दी निबंध", "हिन्दी-निबंध"), ("தமிழ் கட்டுரை", "தமிழ்-கட்டுரை"), ("বাংলা প্রবন্ধ", "বাংলা-প্রবন্ধ"),
    ("ภาษาไทย เรียงความ", "ภาษาไทย-เรียงความ"),
])
def test_indic_and_thai_slugs_keep_their_vowel_signs(tmp_path: Path, title: str, slug: str) -> None:
    """A vowel sign or a virama is a mark, not a letter: dropped, "हिन्दी" read "हनद"."""
    from conftest import CONFIG, post, run_cli
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    done = run_cli("new", title, cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "posts" / f"{slug}.md").is_file()
    (root / "posts" / "tagged.md").write_text(post("Tagged", tags=f"[{title.split()[0]}]"), encoding="utf-8")
    (root / "posts" / f"{slug}.md").unlink()
    (root / "posts" / f"{slug}.md").write_text(post(title), encoding="utf-8")
    build(root, now=NOW)
    assert (root / "output" / slug / "index.html").is_file()
    assert (root / "output" / "tags" / slug.split("-")[0] / "index.html").is_file()


def test_an_indic_post_keeps_the_address_it_had_before_slugs_kept_vowel_signs(tmp_path: Path) -> None:
    """The address an older Feuilleton gave it ("हनद-नबध") sends readers on: through an alias for a post
    with no versions, through its recorded address (and a warning to record the move) for one with."""
    from conftest import CONFIG, post
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "posts" / "हिन्दी-निबंध.md").write_text(post("हिन्दी निबंध"), encoding="utf-8")
    (root / "posts" / "बिना.md").write_text(post("Named", slug="बिना"), encoding="utf-8")
    build(root, now=NOW)
    old = (root / "output" / "हनद-नबध" / "index.html").read_text(encoding="utf-8")
    assert f'http-equiv="refresh" content="0; url=/essays/{quote("हिन्दी-निबंध")}/"' in old
    assert not (root / "output" / "बन").exists()  # a slug the author wrote is their own: no alias
    from conftest import EPOCH, run_cli  # its first version, recorded now, says nothing of where it was before
    done = run_cli("revise", "posts/हिन्दी-निबंध.md", "--note", "Mended.", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    build(root, now=NOW)
    assert (root / "output" / "हनद-नबध" / "index.html").read_text(encoding="utf-8") == old


def test_slug_ascii_names_new_posts_and_tag_pages_in_ascii(tmp_path: Path) -> None:
    from conftest import config_with, post, run_cli
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(config_with(slug_ascii=True), encoding="utf-8")
    done = run_cli("new", "Η πόλη και ο νόμος", cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "posts" / "i-poli-kai-o-nomos.md").is_file()
    (root / "posts" / "tagged.md").write_text(post("Tagged", tags="[Économie]"), encoding="utf-8")
    build(root, now=NOW)
    assert (root / "output" / "tags" / "economie" / "index.html").is_file()


def test_the_page_an_old_address_leaves_speaks_the_sites_language(tmp_path: Path) -> None:
    from conftest import config_with, post
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(config_with(language="fr"), encoding="utf-8")
    (root / "posts" / "essai.md").write_text(post("L’essai", aliases="[/ancien/]"), encoding="utf-8")
    build(root, now=NOW)
    page = (root / "output" / "ancien" / "index.html").read_text(encoding="utf-8")
    assert "<title>Déplacé\u00a0: «\u00a0L’essai\u00a0» — Test Site</title>" in page
    assert "«\u00a0L’essai\u00a0» se trouve désormais à l’adresse" in page
    assert "Cette page a été déplacée" in page


SERIES_PAGE = "lending-the-digital-shelf/index.html"
PART_2 = "lending-the-digital-shelf/part-2/index.html"
WHOLE = "lending-the-digital-shelf/all/index.html"


@pytest.fixture(scope="module")
def french_part(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, in English, with its Part 1 written in French (``language: fr``); its output folder."""
    root = copy_example(tmp_path_factory.mktemp("french-part") / "site", "en")
    essay = root / "posts" / "lending-the-digital-shelf" / "part-1.md"
    essay.write_text(essay.read_text(encoding="utf-8").replace("\npart: 1\n", "\npart: 1\nlanguage: fr\n", 1),
                     encoding="utf-8")
    build(root, now=NOW)
    return root / "output"


def parsed(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def screen_reader_labels(path: Path) -> set[str]:
    """What a screen reader hears before each inserted and deleted stretch of a page of what changed."""
    spans = parsed(path).xpath('//ins/span[@class="visually-hidden"] | //del/span[@class="visually-hidden"]')
    assert spans, path
    return {span.text_content() for span in spans}


def own_language(element: lxml.html.HtmlElement) -> tuple[str | None, str | None]:
    return element.get("lang"), element.get("dir")


def test_a_diffs_words_for_screen_readers_are_in_the_posts_language(tmp_path: Path, french_part: Path) -> None:
    german = example_in(tmp_path / "site", "de")
    assert screen_reader_labels(german / CHANGES) == {"hinzugefügt: ", "gestrichen: "}
    assert screen_reader_labels(german / "lending-the-digital-shelf/part-1/changes/index.html") == {
        "hinzugefügt: ", "gestrichen: "}
    assert screen_reader_labels(french_part / CHANGES) == {"ajouté : ", "supprimé : "}  # a French post's
    english = example_in(tmp_path / "english", "en")
    assert screen_reader_labels(english / CHANGES) == {"inserted: ", "deleted: "}


def test_the_whole_series_dates_a_part_in_its_own_language(french_part: Path) -> None:
    page = parsed(french_part / WHOLE)
    french, english = page.get_element_by_id("part-1"), page.get_element_by_id("part-2")
    assert own_language(french) == ("fr", "ltr")
    assert text_of(french.find_class("version-stamp")[0]).startswith("Version 4, 2 novembre 2026 · Cette partie")
    assert text_of(french.find_class("whole-part-number")[0]) == "Partie 1"
    assert own_language(english) == (None, None)
    assert text_of(english.find_class("version-stamp")[0]).startswith("Version 1, October 19, 2026 · This part")
    assert text_of(page.find_class("whole-series-meta")[0]).startswith("2 parts published · as of November 2, 2026")


def test_a_title_in_another_language_than_its_page_carries_its_own(french_part: Path) -> None:
    series = parsed(french_part / SERIES_PAGE)
    titles = series.xpath('//h2[@class="series-part-title"]/a')
    assert [(a.get("lang"), a.get("hreflang"), a.get("dir")) for a in titles] == [("fr", "fr", "ltr"),
                                                                                  (None, None, None)]
    assert [own_language(p) for p in series.find_class("series-part-summary")] == [("fr", "ltr"), (None, None)]
    whole = parsed(french_part / WHOLE).xpath('//nav[@class="whole-contents"]//*[@class="toc-title"]')
    assert [own_language(t) for t in whole] == [("fr", "ltr"), (None, None), (None, None)]

    english = parsed(french_part / PART_2)  # the English Part 2: the French Part 1 is marked
    previous = english.find_class("part-nav-prev")[0]
    assert previous.get("hreflang") == "fr" and own_language(previous) == (None, None)
    assert own_language(previous.find_class("part-nav-title")[0]) == ("fr", "ltr")
    assert own_language(previous.find_class("part-nav-label")[0]) == (None, None)
    toc = english.xpath('//section[@class="series-toc"]//*[@class="toc-title"]')
    assert [own_language(t) for t in toc] == [("fr", "ltr"), (None, None), (None, None)]
    assert toc[0].get("hreflang") == "fr"

    french = parsed(french_part / PART)  # the French Part 1: the English Part 2 and the planned Part 3 are
    assert french.get("lang") == "fr"
    following = french.xpath('//p[contains(@class, "continuation-next")]/a')[0]
    assert (following.get("lang"), following.get("hreflang"), following.get("dir")) == ("en", "en", "ltr")
    toc = french.xpath('//section[@class="series-toc"]//*[@class="toc-title"]')
    assert [own_language(t) for t in toc] == [(None, None), ("en", "ltr"), ("en", "ltr")]
    # the series' name, in the site's language, is marked so on the French page (a screen reader's voice)
    assert own_language(french.find_class("series-name")[0]) == ("en", "ltr")
    assert own_language(french.xpath('//section[@class="series-toc"]/h2/a')[0]) == ("en", "ltr")
    assert own_language(english.find_class("series-name")[0]) == (None, None)


@pytest.mark.slow
def test_a_site_with_a_part_in_another_language_passes_the_nu_checker(french_part: Path) -> None:
    assert nu_errors(french_part) == []


def test_tables_and_footnotes_are_regions_named_apart_in_the_pages_language(tmp_path: Path) -> None:
    """Two tables on a page are two landmarks a screen reader tells apart (named by their columns), and
    their names, the footnotes' and a footnote's way back are in the page's language."""
    from conftest import post, write_site

    body = ("Un tableau.[^1] Encore.[^1]\n\n| Ville | Année |\n|---|---|\n| Lyon | 2016 |\n\n"
            "| Pays |\n|---|\n| France |\n\n"
            "<table>\n<tr><td>Écluse</td><td>1890</td></tr>\n</table>\n\n"  # in HTML, no header row
            "<table>\n<caption>Barrages</caption>\n<tr><td>Écluse</td><td>1890</td></tr>\n</table>\n\n"
            "[^1]: Une note.")
    root = write_site(tmp_path / "site", {"posts/essai.md": post("Essai", body=body)},
                      config='title = "T"\nbase_url = "https://example.org/"\nlanguage = "fr"\n\n[author]\nname = "A"\n')
    build(root, now=NOW)
    html = (root / "output/essai/index.html").read_text(encoding="utf-8")
    labels = re.findall(r'aria-label="([^"]*)"', html)
    assert "Tableau : Ville, Année" in labels and "Tableau : Pays" in labels
    assert "Tableau : Écluse, 1890" in labels and "Tableau : Barrages" in labels  # its first row, its caption
    assert "Notes" in labels and "Retour à l’appel de note 1" in labels
    assert "Retour à l’appel de note 1, occurrence 2" in labels  # the way back to its second citation
    assert not [label for label in labels if label in ("Table", "Footnotes") or label.startswith("Back to")]


def test_tags_are_listed_in_alphabetical_order_accents_and_case_aside(tmp_path: Path) -> None:
    from conftest import config_with, post
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(config_with(language="de"), encoding="utf-8")
    (root / "posts/a.md").write_text(post("A", tags='[Zeit, Öl, Ordnung, Äpfel, Łódź, Migracja, ärger]'),
                                     encoding="utf-8")
    build(root, now=NOW)
    tags = parsed(root / "output/tags/index.html").xpath('//a[contains(@href, "/tags/")]')
    names = [text_of(a) for a in tags if text_of(a)]
    listed = [n for n in names if n.split()[0] in {"Zeit", "Öl", "Ordnung", "Äpfel", "Łódź", "Migracja", "ärger"}]
    assert [n.split()[0] for n in listed] == ["Äpfel", "ärger", "Łódź", "Migracja", "Öl", "Ordnung", "Zeit"]


def test_an_indic_series_and_tag_keep_the_addresses_they_had_before_slugs_kept_vowel_signs(tmp_path: Path) -> None:
    """An earlier Feuilleton put the series of folder "कहानी-संग्रह" at /कहन-सगरह/ and the tag "हिन्दी" at
    /tags/हनद/: the series page, its parts, its whole page, its EPUB and its feeds, and the tag page, are
    still found there (feeds written at both addresses, as for a renamed series)."""
    from conftest import CONFIG, post
    root = tmp_path / "site"
    (root / "posts/कहानी-संग्रह").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "posts/कहानी-संग्रह/series.toml").write_text('title = "कहानी"\n', encoding="utf-8")
    (root / "posts/कहानी-संग्रह/part-1.md").write_text(post("भाग", part=1, tags='["हिन्दी"]'), encoding="utf-8")
    build(root, now=NOW)
    out = root / "output"
    for old, new in (("कहन-सगरह/", "कहानी-संग्रह/"), ("कहन-सगरह/part-1/", "कहानी-संग्रह/part-1/"),
                     ("कहन-सगरह/all/", "कहानी-संग्रह/all/"), ("tags/हनद/", "tags/हिन्दी/")):
        page = (out / old / "index.html").read_text(encoding="utf-8")
        assert f'content="0; url=/essays/{quote(new)}"' in page, old
    assert (out / "कहन-सगरह/feed.xml").is_file() and (out / "कहानी-संग्रह/feed.xml").is_file()
    redirects = (out / "_redirects").read_text(encoding="utf-8")
    assert f"/essays/{quote('कहन-सगरह/कहन-सगरह.epub')} /essays/{quote('कहानी-संग्रह/कहानी-संग्रह.epub')} 301" \
        in redirects


def test_a_thai_am_stays_whole_in_an_address_and_the_split_one_an_earlier_feuilleton_gave_sends_readers_on(
        tmp_path: Path) -> None:
    """"น้ำ" (water) as a Thai keyboard types it ends in AM, U+0E33, which NFKC splits in two (U+0E4D U+0E32):
    ``new "น้ำท่วม"`` wrote posts/น้ําท่วม.md, and a link typed as the title read led nowhere.  The address
    now keeps the letter typed; the split one sends readers on, from a post's recorded versions (no move of the
    author's to record), a post without versions, a series and a tag."""
    from engine.model.slugs import slugify, split_am
    from conftest import CONFIG, post, run_cli
    water = "น้ำท่วม"
    assert slugify(water) == water and "\u0e33" in slugify("แม่น้ำ") and split_am(water) != water
    root = tmp_path / "site"
    (root / "posts/สายน้ำ").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    done = run_cli("new", water, cwd=root)
    assert done.returncode == 0 and (root / "posts" / f"{water}.md").is_file(), done.stderr
    (root / "posts" / f"{water}.md").unlink()
    (root / "posts/สายน้ำ/series.toml").write_text('title = "สายน้ำ"\n', encoding="utf-8")
    (root / "posts/สายน้ำ/part-1.md").write_text(post("หนึ่ง", part=1, tags="[น้ำ]"), encoding="utf-8")
    (root / "posts/แม่น้ำ.md").write_text(post("แม่น้ำ"), encoding="utf-8")
    assert run_cli("publish", "posts/แม่น้ำ.md", cwd=root).returncode == 0
    v1 = root / "posts/แม่น้ำ.versions/v1.md"  # recorded where an earlier Feuilleton had it
    v1.write_text(v1.read_text(encoding="utf-8").replace("address: แม่น้ำ/", f"address: {split_am('แม่น้ำ')}/"),
                  encoding="utf-8")
    (root / "posts/ไม่มี.md").write_text(post("ไม่มี", slug="ไม่มี-น้ำ"), encoding="utf-8")
    (root / "posts/สายน้ำ/two.md").write_text(post("สอง", part=2, slug="คำตอบ"), encoding="utf-8")
    assert run_cli("publish", "posts/สายน้ำ/two.md", cwd=root).returncode == 0
    v1 = root / "posts/สายน้ำ/two.versions/v1.md"  # the folder made a slug, split; the slug as written
    v1.write_text(v1.read_text(encoding="utf-8").replace("address: สายน้ำ/", f"address: {split_am('สายน้ำ')}/"),
                  encoding="utf-8")
    result = build(root, now=NOW)
    assert result.warnings == []
    out = root / "output"
    assert (out / "แม่น้ำ/v1/index.html").is_file() and (out / "สายน้ำ/part-1/index.html").is_file()
    for new in ("แม่น้ำ/", "แม่น้ำ/v1/", "สายน้ำ/", "สายน้ำ/part-1/", "tags/น้ำ/"):
        page = (out / split_am(new) / "index.html").read_text(encoding="utf-8")
        assert f'content="0; url=/essays/{quote(new)}"' in page, new
    assert not (out / split_am("ไม่มี-น้ำ")).exists()  # a slug the author wrote was always as written
    rules = [line.split(" ")[:2] for line in (out / "_redirects").read_text().splitlines()]
    book = f"/essays/{quote('สายน้ำ/สายน้ำ.epub')}"  # its old address sent on, and none sent to itself
    assert [f"/essays/{quote(split_am('สายน้ำ/สายน้ำ.epub'))}", book] in rules
    assert all(source != target for source, target in rules)


def test_posts_in_a_language_the_theme_has_no_words_for_are_warned_of_once(tmp_path: Path) -> None:
    """A Persian post on an English site read "Published", "Part 7" in English, laid out right to left, and
    the author was never told, as they are for a site's own language."""
    from conftest import CONFIG, post
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, language in (("a", "fa"), ("b", "fa-IR")):  # one catalog would give both their words: one warning
        (root / "posts" / f"{name}.md").write_text(post("رود", language=language), encoding="utf-8")
    (root / "posts/c.md").write_text(post("Fleuve", language="fr"), encoding="utf-8")
    assert [str(w) for w in build(root, now=NOW).warnings] == [
        "posts/a.md:4: warning: `language: fa`: the theme's words have no translation into 'fa' (shipped: en, fr, "
        "de, es, it, pt, nl, ar, he), so they will be English; translate them in templates/locale/fa/messages.po (see "
        "the guide, \"Languages\") (1 more post in it)"]
    (root / "templates/locale/fa").mkdir(parents=True)
    (root / "templates/locale/fa/messages.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (said,) = [str(w) for w in build(root, now=NOW).warnings]  # a catalog begun, nothing in it yet
    assert said.startswith("posts/a.md:4: warning: `language: fa`: templates/locale/fa/messages.po translates 0 of "
                           "the theme's ") and said.endswith("(1 more post in it)")


def test_a_tag_typed_with_an_accent_either_way_is_one_tag(tmp_path: Path) -> None:
    from conftest import CONFIG, post
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "posts/a.md").write_text(post("A", tags="[caf\u00e9]"), encoding="utf-8")
    (root / "posts/b.md").write_text(post("B", tags="[cafe\u0301]"), encoding="utf-8")
    build(root, now=NOW)
    assert [p.name for p in (root / "output/tags").iterdir() if p.is_dir()] == ["caf\u00e9"]
    assert "2 posts" in (root / "output/tags/index.html").read_text(encoding="utf-8")


def test_the_follow_box_marks_the_series_name_in_the_sites_language(tmp_path: Path) -> None:
    from conftest import CONFIG, post
    root = tmp_path / "site"
    (root / "posts/cities").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "posts/cities/series.toml").write_text('title = "Sanctuary Cities"\n\n[[planned]]\npart = 2\n'
                                                   'title = "Next"\n', encoding="utf-8")
    (root / "posts/cities/part-1.md").write_text(post("مقدمة", part=1, language="ar"), encoding="utf-8")
    build(root, now=NOW)
    page = parsed(root / "output/cities/part-1/index.html")
    box = page.find_class("follow-feeds")[0]
    names = box.xpath('.//span[text()="Sanctuary Cities"]')
    assert len(names) == 4 and all(own_language(n) == ("en", "ltr") for n in names)  # the line, three feeds


@pytest.mark.parametrize("language, names", [
    ("sv", ["apa", "zebra", "åsa", "ära", "öga"]),  # Å, Ä, Ö after Z
    ("da", ["apa", "zebra", "æble", "øl", "ål"]),
    ("tr", ["cam", "çay", "ılık", "iyi", "ot", "öz"]),  # Ç after C, ı before i, Ö after O
    ("de", ["apa", "ära", "åsa", "öga", "zebra"]),  # German files them under A and O
])
def test_languages_with_letters_of_their_own_file_them_so(language: str, names: list[str]) -> None:
    from engine.locale import alphabetical
    assert sorted(reversed(names), key=lambda name: alphabetical(name, language)) == names


def test_the_book_shows_an_address_in_another_script_as_its_letters_and_links_it_escaped(tmp_path: Path) -> None:
    import zipfile

    from conftest import CONFIG, post
    root = tmp_path / "site"
    (root / "posts/水の法").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "posts/水の法/series.toml").write_text('title = "水の法"\n', encoding="utf-8")
    (root / "posts/水の法/part-1.md").write_text(post("第一部", part=1), encoding="utf-8")
    build(root, now=NOW)
    with zipfile.ZipFile(root / "output/水の法/水の法.epub") as book:
        part, title = (book.read(f"EPUB/{name}").decode() for name in ("part-1.xhtml", "title.xhtml"))
    escaped = "https://example.org/essays/" + quote("水の法/part-1/")
    assert f'<a href="{escaped}">https://example.org/essays/水の法/part-1/</a>' in part
    assert f'<a href="{escaped.removesuffix("part-1/")}">https://example.org/essays/水の法/</a>' in title


def test_words_for_screen_readers_say_which_language_they_are_in(french_part: Path) -> None:
    """On the French Part 1 of an English site, the menu's label is French and the menu English, each marked;
    on the updates page, the French title a screen reader hears after "See what changed" is marked French."""
    nav = parsed(french_part / PART).xpath('//nav[@class="site-nav"]')[0]
    assert (nav.get("aria-label"), own_language(nav)) == ("Site", ("fr", "ltr"))
    assert own_language(nav.find("ul")) == ("en", "ltr")
    english_nav = parsed(french_part / PART_2).xpath('//nav[@class="site-nav"]')[0]
    assert own_language(english_nav) == (None, None) and own_language(english_nav.find("ul")) == (None, None)
    hidden = parsed(french_part / "updates/index.html").xpath('//p[@class="see-changes"]//span[@lang="fr"]')
    assert hidden and all(span.getparent().get("class") == "visually-hidden" for span in hidden)


def test_a_next_parts_title_in_another_language_is_marked_in_the_feeds(french_part: Path) -> None:
    """The French Part 1's feed entry goes on to the English Part 2: its title is marked English, as the page
    marks it; the English Part 2's own entry leaves its planned Part 3 unmarked."""
    atom = (french_part / "lending-the-digital-shelf/atom.xml").read_text(encoding="utf-8")
    entries = [e for e in feedparser.parse(atom).entries if e.get("summary_detail") or e.get("content")]
    french = next(e for e in entries if e.link.endswith("/part-1/") and "Suite dans la partie 2" in e.content[0].value)
    assert re.search(r'/part-2/"[^>]* lang="en"[^>]*>Exhaustion', french.content[0].value)  # as parsed
    assert 'lang="en" dir="ltr"&gt;Exhaustion without an object' in atom  # as written (parsers drop dir)
    english = next(e for e in entries if e.link.endswith("/part-2/") and "part-3" not in e.link)
    assert 'lang="' not in english.content[0].value.split("<hr>")[-1]


def test_an_arabic_tables_name_lists_its_columns_with_the_arabic_comma(tmp_path: Path) -> None:
    from conftest import post, write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("مقالة", body="| المدينة | المنحة |\n|---|---|\n| أ | ب |\n")},
                      config='title = "T"\nbase_url = "https://example.org/"\nlanguage = "ar"\n\n[author]\nname = "A"\n')
    build(root, now=NOW)
    html = (root / "output/essay/index.html").read_text(encoding="utf-8")
    assert re.findall(r'aria-label="(جدول[^"]*)"', html) == ["جدول: المدينة، المنحة"]

"""Following a series and reading it whole: the end of a part, planned dates that passed, the page of the whole
series, its EPUB (through epubcheck), and the home page's parts in order."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import sync_playwright

from conftest import BROWSER_ARGS, CHROMIUM, EPOCH, NOW, REPO, SERIES, png, post, run_cli, serving
from engine.build import build

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
"""Debian's epubcheck, installed by tests/setup.sh."""
SERIES_URL = "/lending-the-digital-shelf/"
BOOK = "lending-the-digital-shelf/lending-the-digital-shelf.epub"


def example_site(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("config.toml", "posts", "templates"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built with the tests' clock: Part 3 is planned for December 7, 2026, still ahead."""
    root = example_site(tmp_path_factory.mktemp("whole") / "site")
    build(root, now=NOW)
    return root / "output"


def parse(out: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / path).read_bytes())


def words(element) -> str:
    return " ".join(element.text_content().split())


def epubcheck(path: Path) -> list[str]:
    """The errors and fatal errors epubcheck reports for an EPUB (its warnings too: a clean book has none)."""
    assert EPUBCHECK.is_file(), "epubcheck is missing: run tests/setup.sh"
    done = subprocess.run(["java", "-jar", str(EPUBCHECK), str(path), "--json", "-"], capture_output=True,
                          text=True, timeout=300)
    report = json.loads(done.stdout[done.stdout.index("{"):])  # after a line of plain text
    found = [f"{m['severity']} {m['ID']}: {m['message']} ({[loc.get('path') for loc in m['locations']]})"
             for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert found or done.returncode == 0, done.stderr[-2000:]
    return found


# The end of a part ----------------------------------------------------------------------------------------------


def test_the_end_of_a_part_offers_the_next_part_once(example: Path) -> None:
    doc = parse(example, "lending-the-digital-shelf/part-1/index.html")
    nexts = doc.xpath('//a[@rel="next"]')
    assert [a.get("href") for a in nexts] == [SERIES_URL + "part-2/"]
    assert words(nexts[0].getparent()) == "Continued in Part 2: Exhaustion without an object"
    assert not doc.find_class("part-nav-next")  # no second "Next: Part 2" card
    offers = [a for a in doc.xpath('//*[contains(@class, "continuation") or contains(@class, "part-nav") or '
                                   'contains(@class, "follow-series")]//a') if a.get("href") == SERIES_URL + "part-2/"]
    assert len(offers) == 1  # the table of contents lists it too; nothing else offers it again
    assert not doc.find_class("follow-series")  # the next part is out: nothing to wait for


def test_to_be_continued_comes_with_a_follow_block(example: Path) -> None:
    doc = parse(example, "lending-the-digital-shelf/part-2/index.html")
    block = doc.find_class("follow-series")[0]
    text = words(block)
    assert text.startswith("To be continued in Part 3: What a statute could say (planned for December 7, 2026)")
    assert "Follow this series" in text
    assert block.xpath(".//time/@datetime") == ["2026-12-07"]
    feeds = [(a.text, a.get("href")) for a in block.iter("a")]
    assert feeds == [("RSS", SERIES_URL + "feed.xml"), ("Atom", SERIES_URL + "atom.xml"),
                     ("JSON", SERIES_URL + "feed.json")]
    for _, href in feeds:
        assert (example / href.lstrip("/")).is_file()
    assert doc.find_class("part-nav-prev")  # the previous part is still offered
    assert not doc.xpath('//a[@rel="next"]')


def test_part_n_of_m_links_to_the_series_page(example: Path) -> None:
    doc = parse(example, "lending-the-digital-shelf/part-1/index.html")
    line = doc.find_class("series-line")[0]
    link = line.find("a")
    assert link.get("href") == SERIES_URL
    assert words(link) == "Part 1 of 3 · Lending the Digital Shelf"
    assert link.find_class("part-label")[0].text == "Part 1 of 3"


def test_each_part_and_the_series_page_link_the_whole_series_and_its_epub(example: Path) -> None:
    for path in ("lending-the-digital-shelf/index.html", "lending-the-digital-shelf/part-1/index.html",
                 "lending-the-digital-shelf/part-2/index.html"):
        links = {a.get("href"): words(a) for a in parse(example, path).find_class("whole-series")[0].iter("a")}
        assert links == {SERIES_URL + "all/": "Read the whole series on one page",
                         "/" + BOOK: "Download it as an EPUB"}, path


LATE = """\
title = "Sanctuary Cities"
status = "ongoing"

[[planned]]
part = 2
title = "The three statutes"
date = 2026-11-20
"""


def test_a_planned_date_that_passed_reads_was_planned_for_and_check_warns(site) -> None:
    root = site({"posts/cities/series.toml": LATE,
                 "posts/cities/part-1.md": post("Introduction", part=1, date="2026-11-01T09:00:00")})
    done = run_cli("check", "--site", str(root), env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert ('posts/cities/series.toml:7: warning: part 2 ("The three statutes") was planned for 2026-11-20, which '
            'has passed: readers are told it is late; publish the part or give it a new `date`'
            in done.stderr), done.stderr
    build(root, now=NOW)
    out = root / "output"
    assert "To be continued in Part 2: The three statutes (was planned for November 20, 2026)" in words(
        parse(out, "cities/part-1/index.html").find_class("follow-series")[0])
    assert "forthcoming, was planned for November 20, 2026" in words(
        parse(out, "cities/part-1/index.html").find_class("series-toc")[0])
    assert "Forthcoming · was planned for November 20, 2026" in words(parse(out, "cities/index.html"))
    feed = (out / "cities/feed.xml").read_text(encoding="utf-8")  # the part's entry says it as the page does
    assert "The three statutes</em> (was planned for November 20, 2026)" in feed


def test_a_planned_day_is_not_late_until_it_is_over(site) -> None:
    today = LATE.replace("2026-11-20", "2026-11-28")  # NOW is noon on November 28 in New York
    root = site({"posts/cities/series.toml": today,
                 "posts/cities/part-1.md": post("Introduction", part=1, date="2026-11-01T09:00:00")})
    done = run_cli("check", "--site", str(root), env=EPOCH)
    assert "was planned for" not in done.stderr
    build(root, now=NOW)
    assert "(planned for November 28, 2026)" in words(parse(root / "output", "cities/part-1/index.html"))
    build(root, now=NOW + timedelta(days=1))  # the stamp of the last build does not outlive the day
    assert "(was planned for November 28, 2026)" in words(parse(root / "output", "cities/part-1/index.html"))


def test_an_ongoing_series_with_nothing_planned_still_offers_its_feeds(site) -> None:
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1)})
    build(root, now=NOW)
    block = parse(root / "output", "cities/part-1/index.html").find_class("follow-series")[0]
    assert words(block).startswith("To be continued in Part 2. Follow this series")
    assert [a.text for a in block.iter("a")] == ["RSS", "Atom", "JSON"]


# The whole series on one page -------------------------------------------------------------------------------------


def test_the_whole_series_page_holds_every_part_in_order_with_its_version(example: Path) -> None:
    doc = parse(example, "lending-the-digital-shelf/all/index.html")
    assert doc.findtext(".//title") == "Lending the Digital Shelf: the whole series — The Long Margin"
    contents = doc.get_element_by_id("contents").getparent()
    assert [a.get("href") for a in contents.iter("a")] == ["#part-1", "#part-2"]
    assert "What a statute could say forthcoming" in words(contents)  # the plan, not a link
    parts = doc.find_class("whole-part")
    assert [p.get("id") for p in parts] == ["part-1", "part-2"]
    assert [words(p.find_class("whole-part-title")[0]) for p in parts] == [
        "The license is not a book", "Exhaustion without an object"]
    stamps = [words(p.find_class("version-stamp")[0]) for p in parts]
    assert stamps[0].startswith("Version 4, November 2, 2026")
    assert stamps[1].startswith("Version 1, October 19, 2026")
    assert [p.find_class("version-stamp")[0].find("a").get("href") for p in parts] == [
        SERIES_URL + "part-1/", SERIES_URL + "part-2/"]
    assert "2 parts published · as of November 2, 2026 · by Maren Ostrow" in words(doc.find_class("whole-series-meta")[0])


def test_the_parts_on_one_page_keep_their_anchors_apart(example: Path) -> None:
    doc = parse(example, "lending-the-digital-shelf/all/index.html")
    ids = Counter(e.get("id") for e in doc.iter() if e.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    for link in doc.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href  # every footnote and its way back lead somewhere on this page
    assert [s.get("aria-label") for s in doc.find_class("footnotes")] == [
        "Footnotes: The license is not a book", "Footnotes: Exhaustion without an object"]  # two landmarks, named apart
    part2 = doc.get_element_by_id("part-2")
    assert part2.xpath('.//a[@href="#part-2-fn-1"]') and part2.xpath('.//*[@id="part-2-fn-1"]')
    # a part's title is the page's h2: the essays' own sections are one level down
    assert [h.tag for h in part2.iter("h2", "h3")][:2] == ["h2", "h3"]
    assert not part2.xpath('.//div[@class="essay"]//h2')
    # a link to another part leads to it on this page
    assert part2.xpath('.//div[@class="essay"]//a[@href="#part-1"]')
    assert not doc.xpath('//div[@class="essay"]//a[starts-with(@href, "/lending-the-digital-shelf/part-")]')


def test_a_series_with_no_part_out_has_no_whole_page_nor_book(site) -> None:
    root = site({"posts/cities/series.toml": SERIES + '\n[[planned]]\npart = 1\ntitle = "Soon"\n',
                 "posts/hello.md": post("Hello")})
    build(root, now=NOW)
    assert not (root / "output/cities/all").exists()
    assert not list((root / "output").rglob("*.epub"))
    assert "whole-series" not in (root / "output/cities/index.html").read_text()


def test_a_part_whose_slug_is_all_is_told_to_change_it(site) -> None:
    root = site({"posts/cities/series.toml": SERIES, "posts/cities/all.md": post("All of it", part=1)})
    done = run_cli("build", "--site", str(root), env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "would be written to cities/all/index.html" in done.stderr and "change a slug" in done.stderr


# The EPUB ---------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_epub_passes_epubcheck(example: Path) -> None:
    assert epubcheck(example / BOOK) == []


def test_the_epub_holds_the_contents_the_author_the_date_and_each_parts_notes(example: Path) -> None:
    with zipfile.ZipFile(example / BOOK) as book:
        assert book.namelist()[0] == "mimetype" and book.read("mimetype") == b"application/epub+zip"
        assert book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        opf = book.read("EPUB/content.opf").decode()
        nav = lxml.html.fromstring(book.read("EPUB/nav.xhtml"))
        part1 = book.read("EPUB/part-1.xhtml").decode()
        part2 = book.read("EPUB/part-2.xhtml").decode()
        title = book.read("EPUB/title.xhtml").decode()
        about = book.read("EPUB/about.xhtml").decode()
    assert "<dc:creator id=\"creator\">Maren Ostrow</dc:creator>" in opf
    assert "<dc:title>Lending the Digital Shelf</dc:title>" in opf
    assert "<dc:date>2026-11-02T17:00:00Z</dc:date>" in opf  # as of the newest version: noon in New York
    assert '<meta property="dcterms:modified">2026-11-02T17:00:00Z</meta>' in opf
    assert [words(a) for a in nav.iter("a")] == ["Lending the Digital Shelf", "The license is not a book",
                                                  "Exhaustion without an object", "Maren Ostrow"]
    assert "as of <time" in title and "by Maren Ostrow" in title
    # the notes, newest first, above the essay, each labelled as on the part's page: a long one "Update:", a
    # short one "Revised as of"
    assert part1.index("Update: <time") < part1.index("November 2, 2026, 12:00 pm") \
        < part1.index("Revised as of <time") < part1.index("9:00 am on October 21, 2026") \
        < part1.index("Open the lending app")
    assert "Version 4, <time" in part1 and "Version 1, <time" in part2
    assert 'href="part-2.xhtml"' in part1  # a part: link leads to the part's chapter
    assert 'href="https://essays.example.org/lending-the-digital-shelf/part-1/"' in part1  # where it is online
    assert 'href="#fn-1"' in part2  # a footnote stays inside its chapter
    assert "copyright lawyer in Philadelphia" in about
    # the series goes on: the book's last part says so, as the page does; a part the book holds the next of, not
    assert 'To be continued in Part 3: <span class="working-title">What a statute could say</span>' in part2
    assert "continued" not in part1.lower()


def test_the_epub_is_the_same_bytes_whenever_it_is_built(example: Path, tmp_path: Path) -> None:
    """No clock in the book: another build, seconds later (a zip entry's time has a two-second grain) and
    on another day, makes the same bytes."""
    time.sleep(2.1)
    root = example_site(tmp_path / "again")
    build(root, now=NOW + timedelta(days=1), use_cache=False)
    assert (root / "output" / BOOK).read_bytes() == (example / BOOK).read_bytes()
    with zipfile.ZipFile(example / BOOK) as book:
        assert {info.date_time for info in book.infolist()} == {(2026, 11, 2, 17, 0, 0)}


def test_a_revised_part_makes_a_new_epub_and_an_unrelated_post_leaves_it(tmp_path: Path) -> None:
    root = example_site(tmp_path / "site")
    build(root, now=NOW)
    first = (root / "output" / BOOK).read_bytes()
    (root / "posts/about.md").write_text((root / "posts/about.md").read_text() + "\nOne more line.\n")
    result = build(root, now=NOW)
    assert BOOK not in result.written.written and (root / "output" / BOOK).read_bytes() == first
    part2 = root / "posts/lending-the-digital-shelf/part-2.md"
    part2.write_text(part2.read_text() + "\nA closing sentence nobody had read before.\n")
    result = build(root, now=NOW)
    assert BOOK in result.written.written
    with zipfile.ZipFile(root / "output" / BOOK) as book:
        assert "A closing sentence nobody had read before." in book.read("EPUB/part-2.xhtml").decode()


@pytest.mark.slow
def test_a_book_with_images_frames_and_scripts_still_passes_epubcheck(site) -> None:
    body = ("An essay with a picture.\n\n![A map of the city](map.png)\n\n"
            '<iframe src="https://video.example/embed/1" title="A talk"></iframe>\n\n'
            "<script>alert(1)</script>\n\nA [link home](/) and a [note][^1].\n\n[^1]: The note.\n")
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1, body=body, language="fr"),
                 "posts/cities/part-2.md": post("Second", part=2, body="See [Part 1](part:1).")})
    build(root, now=NOW)
    book = root / "output/cities/cities.epub"
    assert epubcheck(book) == []
    with zipfile.ZipFile(book) as made:
        chapter = made.read("EPUB/part-1.xhtml").decode()
        assert 'lang="fr"' in chapter
        assert re.search(r'<a class="external" href="https://example.org/essays/cities/part-1/map.png">A map of the '
                         r'city</a>', chapter), chapter
        assert '<a class="external" href="https://video.example/embed/1">A talk</a>' in chapter
        assert "<script" not in chapter and "<iframe" not in chapter
        assert 'href="part-1.xhtml"' in made.read("EPUB/part-2.xhtml").decode()


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
       b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
"""A GIF of one pixel."""
PICTURES = """\
![A map of the city](/essays/img/map.png)

<picture><source srcset="/essays/img/chart.webp" type="image/webp"><img src="../../img/chart.gif" alt="A chart" \
loading="lazy" srcset="/essays/img/chart.gif 1x"></picture>

![Far away](https://images.example/far.png) and ![A photo](/essays/img/photo.webp) and ![Gone](/essays/img/none.png)
"""


@pytest.mark.slow
def test_the_sites_own_images_go_into_the_book_and_others_stay_links(site) -> None:
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1, body=PICTURES),
                 "posts/cities/part-2.md": post("Second", part=2, body="![The map again](/essays/img/map.png)"),
                 "static/img/map.png": png(40, 20), "static/img/chart.gif": GIF,
                 "static/img/photo.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00",
                 "static/notes.txt": "Not an image."})
    build(root, now=NOW)
    book = root / "output/cities/cities.epub"
    assert epubcheck(book) == []
    with zipfile.ZipFile(book) as made:
        held = {name: made.read(name) for name in made.namelist() if name.startswith("EPUB/images/")}
        first, second = made.read("EPUB/part-1.xhtml").decode(), made.read("EPUB/part-2.xhtml").decode()
    assert sorted(held.values()) == sorted([png(40, 20), GIF])  # one copy of the map for both parts
    names = {data: name.removeprefix("EPUB/") for name, data in held.items()}
    assert f'<img src="{names[png(40, 20)]}" alt="A map of the city"' in first
    assert f'<img src="{names[png(40, 20)]}" alt="The map again"' in second
    chart = lxml.html.fromstring(first.encode()).xpath('//img[@alt="A chart"]')[0]
    assert chart.get("src") == names[GIF] and chart.getparent().tag != "picture"
    assert chart.get("srcset") is None and chart.get("loading") is None
    assert '<a class="external" href="https://images.example/far.png">Far away</a>' in first
    assert '<a class="external" href="https://example.org/essays/img/photo.webp">A photo</a>' in first  # no EPUB 3.2 type
    assert '<a class="external" href="https://example.org/essays/img/none.png">Gone</a>' in first

    (root / "static/notes.txt").write_text("Still not an image.")
    assert "cities/cities.epub" not in build(root, now=NOW).written.written  # it holds nothing that changed
    (root / "static/img/map.png").write_bytes(png(20, 40))
    assert "cities/cities.epub" in build(root, now=NOW).written.written
    with zipfile.ZipFile(book) as made:
        assert sorted(made.read(n) for n in made.namelist() if n.startswith("EPUB/images/")) == sorted([png(20, 40), GIF])


@pytest.mark.slow
def test_an_image_the_sites_own_chapter_template_shows_is_held_and_followed(site) -> None:
    title = '<h1>{{ series.title }}</h1>\n<img src="{{ site.base_url }}img/logo.png" alt="The logo">\n'
    root = site({"posts/cities/series.toml": SERIES, "posts/cities/part-1.md": post("Introduction", part=1),
                 "templates/_epub_title.html": title, "static/img/logo.png": png(8, 8)})
    build(root, now=NOW)
    book = root / "output/cities/cities.epub"
    (root / "static/img/logo.png").write_bytes(png(16, 8))
    assert "cities/cities.epub" in build(root, now=NOW).written.written  # no text shows it: the template does
    assert epubcheck(book) == []
    with zipfile.ZipFile(book) as made:
        assert [made.read(n) for n in made.namelist() if n.startswith("EPUB/images/")] == [png(16, 8)]
        assert re.search(r'<img src="images/\w+\.png" alt="The logo"', made.read("EPUB/title.xhtml").decode())


# The home page ----------------------------------------------------------------------------------------------------


def test_the_home_page_puts_a_series_new_parts_together_in_order(example: Path) -> None:
    doc = parse(example, "index.html")
    group = doc.find_class("series-group")[0]
    assert words(group.find_class("series-group-title")[0]) == "Lending the Digital Shelf"
    assert [words(h) for h in group.find_class("summary-title")] == ["The license is not a book",
                                                                     "Exhaustion without an object"]
    assert [h.tag for h in group.find_class("summary-title")] == ["h3", "h3"]
    titles = [words(h) for h in doc.find_class("summary-title")]
    assert titles.index("The license is not a book") < titles.index("Exhaustion without an object")


def test_a_series_alone_part_on_the_home_page_stands_with_its_series_line(site) -> None:
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1, date="2026-11-01T09:00:00"),
                 "posts/other.md": post("Other", date="2026-11-02T09:00:00")})
    build(root, now=NOW)
    doc = parse(root / "output", "index.html")
    assert not doc.find_class("series-group")
    assert "Part 1 · Sanctuary Cities" in words(doc.find_class("post-summary")[1])


# In a browser -----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_follow_block_and_the_whole_page_fit_a_phone(example: Path) -> None:
    with serving(example) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for path in ("lending-the-digital-shelf/part-2/", "lending-the-digital-shelf/all/"):
            page.goto(f"{url}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.goto(f"{url}/lending-the-digital-shelf/part-2/")
        block = page.locator(".follow-series")
        box = block.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        for name in ("RSS", "Atom", "JSON"):
            assert block.get_by_role("link", name=re.compile(name)).is_visible()
        page.goto(f"{url}/lending-the-digital-shelf/all/")
        page.get_by_role("link", name="Exhaustion without an object").first.click()
        page.wait_for_function("location.hash === '#part-2'")
        top = page.evaluate("document.getElementById('part-2').getBoundingClientRect().top")
        assert -2 <= top < 100  # the contents' link lands on the part
        browser.close()

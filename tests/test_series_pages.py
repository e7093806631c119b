"""Series as readers meet them: part references, "To be continued", series pages, feeds, metadata."""
from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import EPOCH, NOW, post, run_cli
from engine.build import build

SERIES = '''title = "Cities"
description = "Whether *cities* may refuse."
status = "ongoing"

[[planned]]
part = 3
title = "The three statutes"
date = 2026-12-05
'''


def series_site(site, **extra):
    return site({
        "posts/cities/series.toml": SERIES,
        "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00",
                                       "As I will show in [Part 2](part:2), and in [Part 3](part:3).", part=1),
        "posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00",
                                       "Back to [the first part](part:cities/1).", part=2),
        **extra,
    })


def text(root: Path, path: str) -> str:
    html = (root / "output" / path).read_text()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def html(root: Path, path: str) -> str:
    return (root / "output" / path).read_text()


def test_part_references_resolve_to_links_or_forthcoming_text(site) -> None:
    root = series_site(site)
    build(root, now=NOW)
    one = html(root, "cities/part-1/index.html")
    assert '<a href="/essays/cities/part-2/">Part 2</a>' in one
    assert '<span class="part-ref forthcoming">Part 3 <span class="forthcoming-mark">(forthcoming)</span></span>' in one
    assert '<a href="/essays/cities/part-1/">the first part</a>' in html(root, "cities/part-2/index.html")


def test_a_part_reference_to_a_section_leads_to_it_on_the_part_the_whole_series_and_the_book(site) -> None:
    """``part:1#holding``: before, "Part 1 (not yet published)", for ever on the version recorded so."""
    import zipfile
    from conftest import run_cli
    root = site({
        "posts/cities/series.toml": SERIES,
        "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00", "## The holding\n\nIt held.", part=1),
        "posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00", "As [Part 1 held](part:1#the-holding), so.",
                                       part=2)})
    done = run_cli("check", cwd=root)
    assert done.returncode == 0 and "part:1#the-holding" not in done.stderr, done.stderr
    build(root, now=NOW)
    assert '<a href="/essays/cities/part-1/#the-holding">Part 1 held</a>' in html(root, "cities/part-2/index.html")
    assert 'href="#part-1-the-holding"' in html(root, "cities/all/index.html")
    assert 'id="part-1-the-holding"' in html(root, "cities/all/index.html")
    with zipfile.ZipFile(root / "output/cities/cities.epub") as book:
        assert 'href="part-1.xhtml#the-holding"' in book.read("EPUB/part-2.xhtml").decode()


def test_a_link_to_a_section_a_part_does_not_have_is_a_warning_and_the_book_still_passes_epubcheck(site) -> None:
    """A heading renamed, or an id mistyped: the reader lands at the top of the part, and the book's link leads
    nowhere, which epubcheck refuses."""
    import zipfile
    from conftest import run_cli
    from test_whole_series import epubcheck
    root = site({
        "posts/cities/series.toml": SERIES,
        "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00", "## On appeal\n\nIt held.", part=1),
        "posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00", "As [Part 1 held](part:1#the-holding).\n\n"
                                       "See [the appeal](../part-1/#on-appeal) and [this](../part-1/#no-such).",
                                       part=2)})
    done = run_cli("check", cwd=root)
    assert done.returncode == 0, done.stderr
    assert ("posts/cities/part-2.md:7: warning: `part:1#the-holding` leads to posts/cities/part-1.md, which has no "
            "section #the-holding") in done.stderr
    assert ("posts/cities/part-2.md:9: warning: link to ../part-1/#no-such leads to posts/cities/part-1.md, which "
            "has no section #no-such") in done.stderr
    assert "#on-appeal" not in done.stderr
    build(root, now=NOW)
    with zipfile.ZipFile(root / "output/cities/cities.epub") as book:
        chapter = book.read("EPUB/part-2.xhtml").decode()
    assert 'href="part-1.xhtml#on-appeal"' in chapter and "#the-holding" not in chapter and "#no-such" not in chapter
    assert epubcheck(root / "output/cities/cities.epub") == []


def test_a_section_in_any_script_and_a_dead_link_within_a_part_keep_the_book_valid(site) -> None:
    """``part:1#façade-élégante`` was dropped to the bare chapter in the book; ``[x](#nothere)`` within a part
    was no warning, and left the book failing epubcheck."""
    import zipfile
    from conftest import run_cli
    from test_whole_series import epubcheck
    root = site({
        "posts/cities/series.toml": SERIES,
        "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00", "## Façade élégante\n\nSee [x](#nothere).",
                                       part=1),
        "posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00", "As [its façade](part:1#façade-élégante).",
                                       part=2)})
    done = run_cli("check", cwd=root)
    assert "posts/cities/part-1.md:9: warning: link to #nothere leads to no section of this page" in done.stderr
    assert "façade-élégante" not in done.stderr
    build(root, now=NOW)
    with zipfile.ZipFile(root / "output/cities/cities.epub") as book:
        two, one = book.read("EPUB/part-2.xhtml").decode(), book.read("EPUB/part-1.xhtml").decode()
    assert 'href="part-1.xhtml#fa%C3%A7ade-%C3%A9l%C3%A9gante"' in two and "#nothere" not in one
    assert epubcheck(root / "output/cities/cities.epub") == []


def test_part_n_of_m_and_continuations(site) -> None:
    root = series_site(site)
    build(root, now=NOW)
    one, two = text(root, "cities/part-1/index.html"), text(root, "cities/part-2/index.html")
    assert "Part 1 of 3" in one and "Part 2 of 3" in two
    assert "Continued in Part 2: Two" in one
    assert "To be continued in Part 3: The three statutes" in two
    assert "December 5, 2026" in two


def test_series_page_lists_published_and_forthcoming_parts(site) -> None:
    root = series_site(site)
    build(root, now=NOW)
    page = text(root, "cities/index.html")
    assert "Cities" in page and "Ongoing" in page
    assert page.index("One") < page.index("Two") < page.index("The three statutes")
    assert "<em>cities</em>" in html(root, "cities/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html(root, "cities/index.html"), re.S).group(1))
    assert data["@type"] == "CreativeWorkSeries"
    assert [p["position"] for p in data["hasPart"]] == [1, 2]
    assert "Cities" in text(root, "series/index.html")


def series_ld(root: Path, slug: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html(root, f"{slug}/index.html"), re.S).group(1))


def test_a_series_names_the_language_its_parts_are_written_in(site) -> None:
    root = series_site(site, **{
        "posts/recht/series.toml": 'title = "Recht"\n',
        "posts/recht/teil-1.md": post("Eins", "2026-10-01T09:00:00", "Ein Text.", part=1, language="de"),
        "posts/recht/teil-2.md": post("Zwei", "2026-10-08T09:00:00", "Noch einer.", part=2, language="de"),
        "posts/mixed/series.toml": 'title = "Mixed"\n',
        "posts/mixed/one.md": post("One", "2026-10-01T09:00:00", "A text.", part=1),
        "posts/mixed/zwei.md": post("Zwei", "2026-10-08T09:00:00", "Ein Text.", part=2, language="de")})
    build(root, now=NOW)
    assert series_ld(root, "cities")["inLanguage"] == "en"  # the site's, as its parts are
    assert series_ld(root, "recht")["inLanguage"] == "de"
    assert series_ld(root, "mixed")["inLanguage"] == "en"  # parts in two languages: the site's


def test_parts_carry_is_part_of_position_and_see_also(site) -> None:
    root = series_site(site)
    build(root, now=NOW)
    page = html(root, "cities/part-2/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["isPartOf"] == {"@type": "CreativeWorkSeries", "name": "Cities",
                                "url": "https://example.org/essays/cities/"}
    assert data["position"] == 2
    assert '<meta property="og:see_also" content="https://example.org/essays/cities/part-1/">' in page
    assert 'href="https://example.org/essays/cities/atom.xml"' in page  # series feed autodiscovery


def test_dangling_reference_is_a_warning_with_file_and_line(site) -> None:
    root = series_site(site, **{"posts/cities/part-2.md": post(
        "Two", "2026-10-08T09:00:00", "First line.\n\nSee [Part 7](part:7) and [x](part:nowhere/2).", part=2)})
    result = build(root, now=NOW)
    messages = [str(w) for w in result.warnings]
    assert ("posts/cities/part-2.md:9: warning: `part:7` refers to a part that is neither published nor "
            "planned in this series") in messages
    assert ("posts/cities/part-2.md:9: warning: `part:nowhere/2` names no series of this site (its series: "
            "`cities`)") in messages


def test_a_reference_written_with_a_capital_resolves_and_is_placed_on_its_line(site) -> None:
    """``[Part 2](Part:2)``: a scheme in any case is the same scheme; before, it was a dead link, unwarned."""
    root = series_site(site, **{"posts/cities/part-2.md": post(
        "Two", "2026-10-08T09:00:00", "See [the first](Part:1),\n\n[again](PART:cities/1) and [x](Part:7).",
        part=2)})
    messages = [str(w) for w in build(root, now=NOW).warnings]
    page = html(root, "cities/part-2/index.html")
    assert '<a href="/essays/cities/part-1/">the first</a>' in page
    assert '<a href="/essays/cities/part-1/">again</a>' in page and 'href="Part:' not in page.replace("PART", "Part")
    assert ("posts/cities/part-2.md:9: warning: `part:7` refers to a part that is neither published nor "
            "planned in this series") in messages


@pytest.mark.slow
def test_a_reference_in_a_revision_note_resolves(site) -> None:
    root = series_site(site)
    path = root / "posts/cities/part-2.md"
    assert run_cli("--site", str(root), "publish", str(path)).returncode == 0
    done = run_cli("--site", str(root), "revise", str(path), "--note", "See [Part 1](part:1) and [Part 3](part:3).",
                   env=EPOCH)
    assert done.returncode == 0, done.stderr
    build(root, now=NOW)
    page = html(root, "cities/part-2/index.html")
    note = page[page.index("revision-notes"):page.index('class="essay"')]
    assert '<a href="/essays/cities/part-1/">Part 1</a>' in note
    assert "part-ref forthcoming" in note


@pytest.mark.slow
def test_a_dangling_reference_in_a_note_is_placed_on_its_line_of_the_version_file(site) -> None:
    root = series_site(site)
    path = root / "posts/cities/part-2.md"
    assert run_cli("--site", str(root), "publish", str(path)).returncode == 0
    note = root / "note.md"
    note.write_text("A reader asked.\n\nSee [Part 7](part:7) for more.\n")
    done = run_cli("--site", str(root), "revise", str(path), "--note-file", str(note),
                   env=EPOCH)
    assert done.returncode == 0, done.stderr
    version = root / "posts/cities/part-2.versions/v2.md"
    line = 1 + next(n for n, text in enumerate(version.read_text().splitlines()) if "part:7" in text)
    messages = [str(w) for w in build(root, now=NOW).warnings]
    assert (f"posts/cities/part-2.versions/v2.md:{line}: warning: `part:7` refers to a part that is neither "
            "published nor planned in this series") in messages


def test_publishing_the_planned_part_turns_references_into_links_and_changes_nothing_else(site) -> None:
    root = series_site(site)
    build(root, now=NOW)
    before = {p.relative_to(root / "output").as_posix(): p.read_bytes()
              for p in (root / "output").rglob("*") if p.is_file()}
    (root / "posts/cities/part-3.md").write_text(post("The three statutes", "2026-11-20T09:00:00",
                                                      "Here they are.", part=3))
    result = build(root, now=NOW)
    one, two = html(root, "cities/part-1/index.html"), text(root, "cities/part-2/index.html")
    assert '<a href="/essays/cities/part-3/">Part 3</a>' in one and "forthcoming" not in one
    assert "Continued in Part 3: The three statutes" in two and "To be continued" not in two
    feed = feedparser.parse((root / "output/cities/atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["The three statutes", "Two", "One"]
    changed = {p for p in result.written.written if before.get(p) is not None}
    assert changed == {
        "cities/part-1/index.html", "cities/part-2/index.html", "cities/index.html", "index.html", "series/index.html",
        "archive/index.html", "sitemap.xml", "feed.xml", "atom.xml", "feed.json",
        "cities/feed.xml", "cities/atom.xml", "cities/feed.json", "cities/all/index.html", "cities/cities.epub"}
    assert set(result.written.written) - changed == {"cities/part-3/index.html"}


def test_a_complete_series_concludes(site) -> None:
    root = site({"posts/cities/series.toml": 'title = "Cities"\nstatus = "complete"\n',
                 "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00", part=1),
                 "posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00", part=2)})
    build(root, now=NOW)
    assert "Part 2 of 2" in text(root, "cities/part-2/index.html")
    assert "This concludes the series." in text(root, "cities/part-2/index.html")


def test_a_part_before_a_gap_goes_on_to_the_next_part_out_and_only_the_last_concludes(site) -> None:
    """Parts 1, 2 and 4 of a complete series, part 6 planned in another: part 2 said "This concludes the
    series." above a card for part 4, and part 4 concluded a series with a part still to come."""
    root = site({"posts/cities/series.toml": 'title = "Cities"\nstatus = "complete"\n',
                 **{f"posts/cities/part-{n}.md": post(f"Part {n}", f"2026-10-0{n}T09:00:00", part=n) for n in (1, 2, 4)},
                 "posts/towns/series.toml": 'title = "Towns"\nstatus = "complete"\n\n[[planned]]\npart = 3\n'
                                            'title = "The last town"\n',
                 "posts/towns/part-1.md": post("Town", "2026-10-01T10:00:00", part=1)})
    build(root, now=NOW)
    second = text(root, "cities/part-2/index.html")
    assert "Continued in Part 4: Part 4" in second and "This concludes the series." not in second
    assert "This concludes the series." in text(root, "cities/part-4/index.html")
    first = text(root, "towns/part-1/index.html")
    assert "The last town" in first and "This concludes the series." not in first


def test_ongoing_series_with_nothing_planned_says_part_n(site) -> None:
    root = site({"posts/cities/series.toml": 'title = "Cities"\n',
                 "posts/cities/part-1.md": post("One", "2026-10-01T09:00:00", part=1)})
    build(root, now=NOW)
    page = text(root, "cities/part-1/index.html")
    assert "Part 1 ·" in page or "Part 1 Cities" in page
    assert "Part 1 of" not in page
    assert "To be continued in Part 2." in page


@pytest.mark.slow
def test_check_reports_gaps_dangling_references_and_scheduled_parts(site) -> None:
    root = series_site(site, **{
        "posts/cities/part-5.md": post("Five", "2026-12-24T09:00:00", "See [Part 9](part:9).", part=5)})
    done = run_cli("--site", str(root), "check", env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "posts/cities/series.toml:1: warning: part 4 is neither published nor planned" in done.stderr
    assert ("posts/cities/part-5.md:3: warning: part 5 of `cities` is dated 2026-12-24 09:00 EST: it is published "
            "by the first build after that moment") in done.stderr
    assert not (root / "output").exists()


def test_home_and_archive_show_series_and_part(site) -> None:
    root = series_site(site)
    build(root, now=NOW)
    for page in ("index.html", "archive/index.html"):
        words = text(root, page)
        assert "Part 2 of 3" in words and "Cities" in words, page


def test_a_bad_part_reference_is_told_what_is_wrong_with_it(site):
    root = site({"posts/cities/series.toml": 'title = "Cities"\n', "posts/cities/part-1.md": post("One", part=1),
                 "posts/cities/part-2.md": post("Two", part=2, body="See [a](part:abc) and [b](part:cities/3)."),
                 "posts/alone.md": post("Alone", body="See [c](part:1).")})
    messages = [str(w) for w in build(root, now=NOW).warnings]
    assert ("posts/cities/part-2.md:7: warning: `part:abc` is no part reference: write part:N, or part:SERIES/N "
            "for another series") in messages
    assert ("posts/cities/part-2.md:7: warning: `part:cities/3` refers to a part that is neither published nor "
            "planned in series `cities`") in messages
    assert "posts/alone.md:6: warning: `part:1` needs a series, and this post is in none: write part:SERIES/1" in messages


def test_each_repeated_dangling_reference_is_placed_on_its_own_line(site) -> None:
    body = "[Part 70](part:70) is not it.\n\nSee [Part 7](part:7) here.\n" + "\n" * 7 + "And [again](part:7) there."
    root = series_site(site, **{"posts/cities/part-2.md": post("Two", "2026-10-08T09:00:00", body, part=2)})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    lines = re.findall(r"posts/cities/part-2\.md:(\d+): warning: `part:7` ", done.stderr)
    assert lines == ["9", "17"], done.stderr  # the body starts on line 7


@pytest.mark.slow
def test_each_repeated_dangling_reference_in_a_note_is_placed_on_its_own_line(site) -> None:
    root = series_site(site)
    path = root / "posts/cities/part-2.md"
    assert run_cli("--site", str(root), "publish", str(path)).returncode == 0
    done = run_cli("--site", str(root), "revise", str(path), "--note", "See [Part 9](part:90).\n\n[Part 9](part:9)"
                   " and\n[again](part:9).", env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert re.findall(r"--note, line (\d+): `part:9` ", done.stderr) == ["3", "4"], done.stderr


def test_a_series_descriptions_markdown_reads_as_prose_in_its_feeds(site) -> None:
    """Emphasis and links do not part a word from its punctuation ("About rivers ." was written), and a
    footnote, its mark and its way back ("paragraph.1 … A note on weirs. ↩") are left out."""
    import feedparser

    root = site({"posts/rivers/series.toml": 'title = "Rivers"\ndescription = """About *rivers*, and [weirs](/w/).\n\n'
                                             'A second paragraph.[^1]\n\n[^1]: A note on weirs."""\n',
                 "posts/rivers/part-1.md": post("One", part=1)})
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(str(root / "output/rivers" / name)).feed
        assert feed.subtitle == "About rivers, and weirs. A second paragraph.", name
    assert '"description": "About rivers, and weirs. A second paragraph."' in (
        root / "output/rivers/feed.json").read_text()


def test_a_planned_date_the_scheduled_part_no_longer_keeps_is_warned_of(site) -> None:
    """Part 2 planned for January 20, then scheduled for the 21st: readers are told the plan, and the author
    is told at the plan's line."""
    root = site({"posts/h/series.toml": 'title = "H"\n\n[[planned]]\npart = 2\ntitle = "Zoning"\ndate = 2027-01-20\n',
                 "posts/h/part-1.md": post("One", "2026-11-01T09:00:00", "Intro.", part=1),
                 "posts/h/part-2.md": post("Zoning", "2027-01-21T08:00:00", "Zoning.", part=2)})
    result = build(root, now=NOW)
    assert [str(w) for w in result.warnings] == [
        "posts/h/series.toml:6: warning: part 2 is planned here for 2027-01-20, but posts/h/part-2.md is scheduled "
        "for 2027-01-21: readers are told 2027-01-20; give the [[planned]] entry the scheduled date, or leave its "
        "date out"]
    (root / "posts/h/series.toml").write_text('title = "H"\n\n[[planned]]\npart = 2\ntitle = "Zoning"\n'
                                              'date = 2027-01-21\n')
    assert build(root, now=NOW).warnings == []


def part_2_moved_to_tenants(site, note: str, moved_at: str | None = None) -> Path:
    """Housing's Part 1 revised (with ``note``) to say "As I show in Part 2", then Housing's Part 2 moved to be
    Part 1 of the series tenants, the move recorded (at ``moved_at``)."""
    root = site({"posts/housing/series.toml": 'title = "Housing"\n', "posts/tenants/series.toml": 'title = "T"\n',
                 "posts/housing/part-1.md": post("One", "2026-11-01T09:00:00", "Intro.", part=1),
                 "posts/housing/part-2.md": post("Two", "2026-11-02T09:00:00", "Vouchers.", part=2)})
    for name in ("part-1", "part-2"):
        assert run_cli("publish", f"posts/housing/{name}.md", cwd=root, env=EPOCH).returncode == 0
    first = root / "posts/housing/part-1.md"
    first.write_text(first.read_text() + "\nAs I show in [Part 2](part:2).\n")
    done = run_cli("revise", str(first), "--note", note, "--at", "2026-11-03T09:00", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    (root / "posts/housing/part-2.md").rename(root / "posts/tenants/part-1.md")
    (root / "posts/housing/part-2.versions").rename(root / "posts/tenants/part-1.versions")
    moved = root / "posts/tenants/part-1.md"
    moved.write_text(moved.read_text().replace("part: 2", "part: 1"))
    at = ("--at", moved_at) if moved_at else ()
    assert run_cli("revise", str(moved), "--minor", "--note", "Moved.", *at, cwd=root, env=EPOCH).returncode == 0
    return root


def test_a_part_moved_into_another_series_is_still_where_old_references_lead(site) -> None:
    """Part 1's version 2 said "as I show in Part 2" while Part 2 was housing's; Part 2 then moved to the series
    tenants.  The sealed text's link leads to it where it is, not to "Part 2 (not yet published)"."""
    root = part_2_moved_to_tenants(site, "Pointed to [Part 2](part:2).")
    result = build(root, now=NOW)
    assert result.warnings == []
    old = (root / "output/housing/part-1/v2/index.html").read_text()
    assert old.count('<a href="/essays/tenants/part-1/">Part 2</a>') >= 2 and "not yet published" not in old


def test_a_sealed_texts_part_reference_leads_where_it_led_when_recorded(site) -> None:
    """Part 2 moved to the series tenants and a new Part 2 came out in its place: the version of Part 1 that
    said "as I show in Part 2" still leads to the essay it meant, and so does the page of what changed in
    it; Part 1's text now leads to the new Part 2."""
    root = part_2_moved_to_tenants(site, "A pointer.", moved_at="2026-11-04T09:00")
    (root / "posts/housing/zoning.md").write_text(post("Zoning", "2026-11-05T09:00:00", "Zoning.", part=2))
    assert run_cli("publish", "posts/housing/zoning.md", cwd=root, env=EPOCH).returncode == 0
    assert build(root, now=NOW).warnings == []
    then = '<a href="/essays/tenants/part-1/">Part 2</a>'
    assert then in html(root, "housing/part-1/v2/index.html")
    assert then in html(root, "housing/part-1/v2/changes/index.html")
    now = html(root, "housing/part-1/index.html")
    assert '<a href="/essays/housing/zoning/">Part 2</a>' in now and then not in now


def test_after_parts_are_renumbered_a_sealed_texts_part_reference_keeps_its_essay(site) -> None:
    """Parts 2 and 3 swapped numbers (``part:``, files kept): the first version of Part 1, written when Part 2
    was "Two", still leads there; Part 1's text leads to the Part 2 now."""
    root = site({"posts/h/series.toml": 'title = "H"\n',
                 "posts/h/part-1.md": post("One", "2026-11-01T09:00:00", "See [Part 2](part:2).", part=1),
                 "posts/h/part-2.md": post("Two", "2026-11-02T09:00:00", "Two.", part=2),
                 "posts/h/part-3.md": post("Three", "2026-11-03T09:00:00", "Three.", part=3)})
    for name in ("part-1", "part-2", "part-3"):
        assert run_cli("publish", f"posts/h/{name}.md", cwd=root, env=EPOCH).returncode == 0
    for name, old, new in (("part-2", 2, 3), ("part-3", 3, 2)):
        path = root / f"posts/h/{name}.md"
        path.write_text(path.read_text().replace(f"part: {old}", f"part: {new}"))
    for name in ("part-2", "part-3"):
        done = run_cli("revise", f"posts/h/{name}.md", "--minor", "--note", "Renumbered.", "--at", "2026-11-04T09:00",
                       cwd=root, env=EPOCH)
        assert done.returncode == 0, done.stderr
    assert build(root, now=NOW).warnings == []
    assert '<a href="/essays/h/part-2/">Part 2</a>' in html(root, "h/part-1/v1/index.html")
    assert '<a href="/essays/h/part-3/">Part 2</a>' in html(root, "h/part-1/index.html")


def test_parts_swapped_and_swapped_back_lead_where_they_led_at_each_version(site) -> None:
    """Alpha was Part 2, then Part 3 (Beta Part 2), then Part 2 again: a version of Part 1 recorded after the
    swap back leads to Alpha, as one recorded between the swaps leads to Beta.  Its note, recorded with it, leads
    where its text does, on its own page and on the post's."""
    root = site({"posts/h/series.toml": 'title = "H"\n',
                 "posts/h/one.md": post("One", "2026-11-01T09:00:00", "See [Part 2](part:2).", part=1),
                 "posts/h/alpha.md": post("Alpha", "2026-11-02T09:00:00", "Alpha.", part=2),
                 "posts/h/beta.md": post("Beta", "2026-11-03T09:00:00", "Beta.", part=3)})
    for name in ("one", "alpha", "beta"):
        assert run_cli("publish", f"posts/h/{name}.md", cwd=root, env=EPOCH).returncode == 0

    def swap(day: str) -> None:
        for name in ("alpha", "beta"):
            path = root / f"posts/h/{name}.md"
            text = path.read_text()
            path.write_text(text.replace("part: 2", "part: X").replace("part: 3", "part: 2").replace("part: X",
                                                                                                      "part: 3"))
        for name in ("alpha", "beta"):
            done = run_cli("revise", f"posts/h/{name}.md", "--minor", "--note", "Renumbered.", "--at", day,
                           cwd=root, env=EPOCH)
            assert done.returncode == 0, done.stderr

    def revise_one(words: str, day: str) -> None:
        path = root / "posts/h/one.md"
        path.write_text(path.read_text() + f"\n{words}\n")
        done = run_cli("revise", "posts/h/one.md", "--note", f"{words} [Part 2](part:2).", "--at", day,
                       cwd=root, env=EPOCH)
        assert done.returncode == 0, done.stderr
    swap("2026-11-04T09:00")
    revise_one("Between.", "2026-11-05T09:00")  # v2: Part 2 is Beta
    swap("2026-11-06T09:00")
    revise_one("After.", "2026-11-07T09:00")  # v3: Part 2 is Alpha again
    assert build(root, now=NOW).warnings == []
    def essay(page: str) -> list[str]:
        return re.findall(r'<div class="essay[^>]*>.*?href="/essays/h/(\w+)/">Part 2', html(root, page), re.S)
    assert essay("h/one/v2/index.html") == ["beta"] and essay("h/one/v3/index.html") == ["alpha"]
    notes = re.findall(r'(Between|After)\. <a href="/essays/h/(\w+)/">Part 2</a>', html(root, "h/one/index.html"))
    assert set(notes) == {("Between", "beta"), ("After", "alpha")}  # each note as it was recorded, on every page
    assert set(re.findall(r'(Between|After)\. <a href="/essays/h/(\w+)/">Part 2</a>',
                          html(root, "h/one/v2/index.html"))) == {("Between", "beta"), ("After", "alpha")}


def test_a_part_out_without_a_recorded_version_holds_its_number_from_when_it_came_out(site) -> None:
    """Alpha left Part 2; Beta, a post public by its date alone (no ``publish``), took it on February 1: a
    version of Part 1 recorded in March leads to Beta."""
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/one.md": post("One", "", "See [the next](part:2) now.", part=1, draft="true"),
                 "posts/s/a.md": post("Alpha", "", "Alpha.", part=2, draft="true")})
    for name, day in (("one", "2026-01-01T10:00"), ("a", "2026-01-02T10:00")):
        assert run_cli("publish", f"posts/s/{name}.md", "--at", day, cwd=root, env=EPOCH).returncode == 0
    alpha = root / "posts/s/a.md"
    alpha.write_text(alpha.read_text().replace("part: 2", "part: 3"))
    assert run_cli("revise", "posts/s/a.md", "--minor", "--note", "r", "--at", "2026-02-01T10:00", cwd=root,
                   env=EPOCH).returncode == 0
    (root / "posts/s/b.md").write_text(post("Beta", "2026-02-01T11:00:00", "Beta.", part=2))
    one = root / "posts/s/one.md"
    one.write_text(one.read_text().replace("now.", "now, v2."))
    assert run_cli("revise", "posts/s/one.md", "--note", "v2", "--at", "2026-03-01T10:00", cwd=root,
                   env=EPOCH).returncode == 0
    build(root, now=NOW)
    assert 'href="/essays/s/b/">the next</a>' in html(root, "s/one/v2/index.html")
    assert 'href="/essays/s/a/">the next</a>' in html(root, "s/one/v1/index.html")


def test_parts_renumbered_without_a_record_are_warned_of_and_recording_it_is_quiet(site) -> None:
    """The guide's way to renumber (``part:`` changed, the files left) gave no warning, and the versions recorded
    after it led to the part that had held the number, for good."""
    root = site({"posts/h/series.toml": 'title = "H"\n',
                 "posts/h/one.md": post("One", "", "See [Part 2](part:2).", part=1, draft="true"),
                 "posts/h/beta.md": post("Beta", "", "Beta.", part=2, draft="true"),
                 "posts/h/alpha.md": post("Alpha", "", "Alpha.", part=3, draft="true")})
    for name, day in (("one", "2026-01-01T10:00"), ("beta", "2026-01-02T10:00"), ("alpha", "2026-01-03T10:00")):
        assert run_cli("publish", f"posts/h/{name}.md", "--at", day, cwd=root, env=EPOCH).returncode == 0
    for name, old, new in (("beta", 2, 3), ("alpha", 3, 2)):
        path = root / f"posts/h/{name}.md"
        path.write_text(path.read_text().replace(f"part: {old}", f"part: {new}"))
    assert [str(w) for w in build(root, now=NOW).warnings] == [
        f"posts/h/{name}.md:3: warning: is Part {new} now, but its last recorded version was Part {old}; record the "
        "renumbering, so that the parts' versions recorded from now on lead to it: feuilleton revise "
        f'posts/h/{name}.md --minor --note "Now Part {new}"' for name, old, new in (("alpha", 3, 2), ("beta", 2, 3))]
    for name, new in (("alpha", 2), ("beta", 3)):
        done = run_cli("revise", f"posts/h/{name}.md", "--minor", "--note", f"Now Part {new}", "--at",
                       "2026-02-01T10:00", cwd=root, env=EPOCH)
        assert done.returncode == 0 and "renumbering" not in done.stderr, done.stderr
    one = root / "posts/h/one.md"
    one.write_text(one.read_text().replace("See", "So see"))
    assert run_cli("revise", "posts/h/one.md", "--note", "v2", "--at", "2026-03-01T10:00", cwd=root,
                   env=EPOCH).returncode == 0
    assert build(root, now=NOW).warnings == []
    assert 'href="/essays/h/alpha/">Part 2</a>' in html(root, "h/one/v2/index.html")
    assert 'href="/essays/h/beta/">Part 2</a>' in html(root, "h/one/v1/index.html")


def test_until_a_renumbering_is_recorded_old_versions_keep_their_links(site) -> None:
    """Parts 2 and 3 swapped by ``part:``, not yet recorded: Part 1's versions, recorded before, still lead
    where they led (one of them led both its links to one part)."""
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/part-1.md": post("One", "", "See [P2](part:2) and [P3](part:3).", part=1, draft="true"),
                 "posts/s/part-2.md": post("Two", "", "Two.", part=2, draft="true"),
                 "posts/s/part-3.md": post("Three", "", "Three.", part=3, draft="true")})
    for n, day in ((1, "2026-01-01T10:00"), (2, "2026-01-02T10:00"), (3, "2026-01-03T10:00")):
        assert run_cli("publish", f"posts/s/part-{n}.md", "--at", day, cwd=root, env=EPOCH).returncode == 0
    one = root / "posts/s/part-1.md"
    one.write_text(one.read_text().replace("See", "So see"))
    assert run_cli("revise", "posts/s/part-1.md", "--note", "v2", "--at", "2026-01-04T10:00", cwd=root,
                   env=EPOCH).returncode == 0
    for n, new in ((2, 3), (3, 2)):
        path = root / f"posts/s/part-{n}.md"
        path.write_text(path.read_text().replace(f"part: {n}", f"part: {new}"))
    build(root, now=NOW)
    for page in ("s/part-1/v1/index.html", "s/part-1/v2/index.html"):
        shown = html(root, page)
        assert '<a href="/essays/s/part-2/">P2</a>' in shown and '<a href="/essays/s/part-3/">P3</a>' in shown, page


def test_a_working_title_the_scheduled_part_no_longer_has_is_warned_of(site) -> None:
    root = site({"posts/h/series.toml": 'title = "H"\n\n[[planned]]\npart = 2\ntitle = "Zoning"\n',
                 "posts/h/part-1.md": post("One", "2026-11-01T09:00:00", "Intro.", part=1),
                 "posts/h/part-2.md": post("Zoning and its discontents", "2027-01-21T08:00:00", "Zoning.", part=2)})
    assert [str(w) for w in build(root, now=NOW).warnings] == [
        'posts/h/series.toml:3: warning: part 2 is planned here as "Zoning", but posts/h/part-2.md is scheduled as '
        '"Zoning and its discontents": readers are told "Zoning" until it comes out; give the [[planned]] entry its '
        'title']


def clubs_announced(site) -> Path:
    """Part 1 announces the planned Part 3, "Clubs"; Part 2, "Statutes", is out."""
    root = site({"posts/s/series.toml": 'title = "S"\n\n[[planned]]\npart = 3\ntitle = "Clubs"\n',
                 "posts/s/one.md": post("One", "", "[Part 3](part:3) turns to the clubs.", part=1, draft="true"),
                 "posts/s/two.md": post("Statutes", "", "Two.", part=2, draft="true")})
    for name, day in (("one", "2026-01-01T10:00"), ("two", "2026-01-02T10:00")):
        assert run_cli("publish", f"posts/s/{name}.md", "--at", day, cwd=root, env=EPOCH).returncode == 0
    return root


def test_an_old_versions_forthcoming_part_stays_so_when_another_part_takes_its_number(site) -> None:
    """Statutes became Part 3 and an inserted part Part 2, "Clubs" now planned as Part 4: Part 1's version 1,
    which read "Part 3 (forthcoming)", led to Statutes, with no warning."""
    root = clubs_announced(site)
    two = root / "posts/s/two.md"
    two.write_text(two.read_text().replace("part: 2", "part: 3"))
    (root / "posts/s/series.toml").write_text('title = "S"\n\n[[planned]]\npart = 4\ntitle = "Clubs"\n')
    assert run_cli("revise", "posts/s/two.md", "--minor", "--note", "Now Part 3", "--at", "2026-01-03T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    (root / "posts/s/ins.md").write_text(post("Inserted", "", "Ins.", part=2, draft="true"))
    assert run_cli("publish", "posts/s/ins.md", "--at", "2026-01-04T10:00", cwd=root, env=EPOCH).returncode == 0
    warning = ("posts/s/one.md:9: warning: `part:3` now leads to posts/s/two.md, which came out as another part "
               "(renumbered or moved here since): when version 1 was recorded, the part it names was not out yet, and "
               "version 1 keeps it forthcoming; point the reference at the part you mean (then `feuilleton revise "
               'posts/s/one.md --minor --note "…"`), or, if it is this one, say so in a note: `feuilleton revise '
               'posts/s/one.md --note "…"`')
    assert [str(w) for w in build(root, now=NOW).warnings] == [warning]
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/v1/index.html")
    assert '<a href="/essays/s/two/">Part 3</a> turns' in html(root, "s/one/index.html")  # the numbers as they are
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 0 and warning in done.stderr, done.stderr
    revised = run_cli("revise", "posts/s/one.md", "--note", "Part 3 is on statutes now.", "--at", "2026-01-05T10:00",
                      cwd=root, env=EPOCH)
    assert revised.returncode == 0 and "now leads to" not in revised.stderr, revised.stderr  # what it records
    assert build(root, now=NOW).warnings == []
    assert '<a href="/essays/s/two/">Part 3</a> turns' in html(root, "s/one/v2/index.html")
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/v1/index.html")
    assert "The text of the essay did not change" in text(root, "s/one/v2/changes/index.html")  # a note alone


def test_an_old_versions_forthcoming_part_leads_to_the_part_that_came_out_as_it_wherever_it_is_now(site) -> None:
    """"Clubs" came out as the announced Part 3, then became Part 4 when an interlude was inserted: Part 1's
    version 1 leads to Clubs, and nothing is warned of (the post's page follows the numbers as they are now)."""
    root = clubs_announced(site)
    (root / "posts/s/series.toml").write_text('title = "S"\n')
    (root / "posts/s/clubs.md").write_text(post("Clubs", "", "Clubs.", part=3, draft="true"))
    assert run_cli("publish", "posts/s/clubs.md", "--at", "2026-01-03T10:00", cwd=root, env=EPOCH).returncode == 0
    clubs = root / "posts/s/clubs.md"
    clubs.write_text(clubs.read_text().replace("part: 3", "part: 4"))
    assert run_cli("revise", "posts/s/clubs.md", "--minor", "--note", "Now Part 4", "--at", "2026-01-04T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    (root / "posts/s/interlude.md").write_text(post("Interlude", "", "Ins.", part=3, draft="true"))
    assert run_cli("publish", "posts/s/interlude.md", "--at", "2026-01-05T10:00", cwd=root,
                   env=EPOCH).returncode == 0
    assert build(root, now=NOW).warnings == []
    assert '<a href="/essays/s/clubs/">Part 3</a> turns' in html(root, "s/one/v1/index.html")
    assert '<a href="/essays/s/interlude/">Part 3</a> turns' in html(root, "s/one/index.html")


def test_an_old_versions_forthcoming_part_does_not_lead_to_a_part_that_had_left_its_number(site) -> None:
    """Statutes came out as Part 3 and was renumbered Part 2 (recorded) before Part 1's version 2 announced the
    planned Part 3, "Clubs": version 2 led to Statutes, before Clubs came out and after, as if Statutes still
    held the number it had left."""
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/one.md": post("One", "", "One.", part=1, draft="true"),
                 "posts/s/statutes.md": post("Statutes", "", "Statutes.", part=3, draft="true")})
    for name, day in (("one", "2026-01-01T10:00"), ("statutes", "2026-01-02T10:00")):
        assert run_cli("publish", f"posts/s/{name}.md", "--at", day, cwd=root, env=EPOCH).returncode == 0
    statutes, one = root / "posts/s/statutes.md", root / "posts/s/one.md"
    statutes.write_text(statutes.read_text().replace("part: 3", "part: 2"))
    assert run_cli("revise", "posts/s/statutes.md", "--minor", "--note", "Now Part 2", "--at", "2026-01-03T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    (root / "posts/s/series.toml").write_text('title = "S"\n\n[[planned]]\npart = 3\ntitle = "Clubs"\n')
    one.write_text(one.read_text().replace("One.", "[Part 3](part:3) turns to the clubs."))
    assert run_cli("revise", "posts/s/one.md", "--note", "Clubs next.", "--at", "2026-01-04T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    assert build(root, now=NOW).warnings == []
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/v2/index.html")
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/index.html")
    (root / "posts/s/series.toml").write_text('title = "S"\n')
    (root / "posts/s/clubs.md").write_text(post("Clubs", "", "Clubs.", part=3, draft="true"))
    assert run_cli("publish", "posts/s/clubs.md", "--at", "2026-01-05T10:00", cwd=root, env=EPOCH).returncode == 0
    assert build(root, now=NOW).warnings == []
    assert '<a href="/essays/s/clubs/">Part 3</a> turns' in html(root, "s/one/v2/index.html")
    assert '<a href="/essays/s/clubs/">Part 3</a> turns' in html(root, "s/one/index.html")


def test_an_old_versions_forthcoming_part_stays_so_before_the_renumbering_into_its_number_is_recorded(site) -> None:
    """Statutes became Part 3, and that was not recorded yet: Part 1's version 1 led to it, with no warning, and
    read "Part 3 (forthcoming)" again once the renumbering was recorded, a sealed version's page changing
    between two builds."""
    root = clubs_announced(site)
    two = root / "posts/s/two.md"
    two.write_text(two.read_text().replace("part: 2", "part: 3"))
    (root / "posts/s/series.toml").write_text('title = "S"\n\n[[planned]]\npart = 4\ntitle = "Clubs"\n')
    warnings = [str(w) for w in build(root, now=NOW).warnings]
    assert [w for w in warnings if w.startswith("posts/s/one.md:9: warning: `part:3` now leads to posts/s/two.md, "
                                                "which came out as another part")], warnings
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/v1/index.html")
    assert '<a href="/essays/s/two/">Part 3</a> turns' in html(root, "s/one/index.html")
    before = html(root, "s/one/v1/index.html")
    assert run_cli("revise", "posts/s/two.md", "--minor", "--note", "Now Part 3", "--at", "2026-01-03T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    build(root, now=NOW)
    assert html(root, "s/one/v1/index.html") == before


def test_a_deleted_forthcoming_part_reads_on_the_page_of_what_changed_as_its_version_showed_it(site) -> None:
    """Statutes was renumbered into Part 3, which Part 1's version 1 announced as forthcoming; version 2 dropped
    the announcement: its page of what changed struck out a link to Statutes, where version 1 reads "Part 3
    (forthcoming)"."""
    root = clubs_announced(site)
    two, one = root / "posts/s/two.md", root / "posts/s/one.md"
    two.write_text(two.read_text().replace("part: 2", "part: 3"))
    (root / "posts/s/series.toml").write_text('title = "S"\n')
    assert run_cli("revise", "posts/s/two.md", "--minor", "--note", "Now Part 3", "--at", "2026-01-03T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    one.write_text(one.read_text().replace("[Part 3](part:3) turns to the clubs.", "Clubs wait for a book."))
    assert run_cli("revise", "posts/s/one.md", "--note", "No clubs.", "--at", "2026-01-04T10:00",
                   cwd=root, env=EPOCH).returncode == 0
    build(root, now=NOW)
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/v1/index.html")
    assert "Part 3 (forthcoming) turns to the clubs" in text(root, "s/one/v2/changes/index.html")
    changes = html(root, "s/one/v2/changes/index.html")
    assert 'two/">Part 3</a> turns' not in changes and 'class="link-target"' not in changes


def test_a_version_is_not_recorded_while_a_part_it_refers_to_has_an_unrecorded_number(site) -> None:
    """Ay came out as Part 2 and its file says Part 3, not recorded yet; Part 1, published meanwhile with "See
    Part 3", sealed a version that read the reference by the record: "Part 3 (forthcoming)" for good, where the
    site showed a link to Ay, and recording Ay's number afterwards changed nothing."""
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/ay.md": post("Ay", "", "Body A.", part=2, draft="true")})
    assert run_cli("publish", "posts/s/ay.md", "--at", "2026-01-02T10:00", cwd=root, env=EPOCH).returncode == 0
    ay = root / "posts/s/ay.md"
    ay.write_text(ay.read_text().replace("part: 2", "part: 3"))
    (root / "posts/s/one.md").write_text(post("One", "", "See [Part 3](part:3) here.", part=1, draft="true"))
    refused = run_cli("publish", "posts/s/one.md", "--at", "2026-01-03T10:00", cwd=root, env=EPOCH)
    assert refused.returncode == 1
    assert ("posts/s/one.md:7: `part:3` leads to posts/s/ay.md, which is Part 3 now, but its last recorded version was "
            "Part 2: the version recorded now would read the reference by that record, not as the site shows it. "
            'Record it first: feuilleton revise posts/s/ay.md --minor --note "Now Part 3"\n'
            "posts/s/one.md: nothing was recorded: record that first, then run `feuilleton publish` again") \
        in refused.stderr, refused.stderr
    assert not (root / "posts/s/one.versions").exists()
    assert run_cli("revise", "posts/s/ay.md", "--minor", "--note", "Now Part 3", "--at", "2026-01-03T09:00",
                   cwd=root, env=EPOCH).returncode == 0
    assert run_cli("publish", "posts/s/one.md", "--at", "2026-01-03T10:00", cwd=root, env=EPOCH).returncode == 0
    build(root, now=NOW)
    assert '<a href="/essays/s/ay/">Part 3</a> here' in html(root, "s/one/v1/index.html")


def test_parts_that_refer_to_each_other_moved_with_their_series_are_recorded_at_one_moment(site) -> None:
    """The series' folder renamed, each part's move waited for the other's: neither could be revised again,
    and every build kept its warnings.  Named together, both are recorded at one moment, each version's
    reference leading to the other part where it is now; one refused refuses both."""
    root = site({"posts/a/series.toml": 'title = "A"\nstatus = "ongoing"\n',
                 "posts/a/one.md": post("One", "", "See [Part 2](part:2).", part=1, draft="true"),
                 "posts/a/two.md": post("Two", "", "Back to [Part 1](part:1).", part=2, draft="true")})
    for name, at in (("one", "2026-01-02T10:00"), ("two", "2026-01-03T10:00")):
        assert run_cli("publish", f"posts/a/{name}.md", "--at", at, cwd=root, env=EPOCH).returncode == 0
    (root / "posts/a").rename(root / "posts/b")
    refused = run_cli("revise", "posts/b/one.md", "--minor", "--note", "Moved", cwd=root, env=EPOCH)
    assert refused.returncode == 1
    assert ("Record both at once: feuilleton revise posts/b/two.md posts/b/one.md --minor --note \"Moved to "
            "/essays/b/two/\"\nposts/b/one.md: nothing was recorded: run the command above, which records them at "
            "one moment") in refused.stderr, refused.stderr
    both = ("revise", "posts/b/two.md", "posts/b/one.md", "--minor", "--note", "Moved to /b/")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    wrong = run_cli(*both, "--at", "2026-01-02T12:00", cwd=root, env=EPOCH)  # before two's version 1
    assert wrong.returncode == 1 and "earlier than version 1" in wrong.stderr, wrong.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    done = run_cli(*both, "--at", "2026-01-04T10:00", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "posts/b/two.md: recorded version 2 (moved to b/two/, 2026-01-04T10:00:00-05:00)",
        "posts/b/one.md: recorded version 2 (moved to b/one/, 2026-01-04T10:00:00-05:00)"]
    result = build(root, now=NOW)
    assert not [w for w in result.warnings if "moved" in w.message or "recorded version was" in w.message]
    assert '<a href="/essays/b/two/">Part 2</a>' in html(root, "b/one/v2/index.html")
    assert '<a href="/essays/b/one/">Part 1</a>' in html(root, "b/two/v2/index.html")

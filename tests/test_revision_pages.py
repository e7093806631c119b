"""Revisions as readers meet them: notes, history, old versions, what changed, and feeds."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest

from conftest import EPOCH, NOW, nu_errors, post, run_cli
from engine.build import build

BODY = "The first paragraph stays.\n\nThe second paragraph says one thing.\n\nThe third paragraph closes."


def cli(root: Path, *args: str) -> None:
    done = run_cli("--site", str(root), *args, env=EPOCH)
    assert done.returncode == 0, done.stderr


def text(root: Path, path: str) -> str:
    """The words of a page's main content, as a reader sees them."""
    html = (root / "output" / path).read_text()
    html = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def edited_after_publishing(site) -> tuple[Path, Path]:
    """A site whose essay was published (version 1) and then edited: ready for ``revise``."""
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("stays.", "stays put."))
    return root, path


def revised_site(site) -> Path:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("stays.", "stayz."))
    cli(root, "revise", str(path), "--minor", "--note", "Fixed a typo.", "--at", "2026-11-02T08:00")
    path.write_text(path.read_text().replace("stayz.", "stays.").replace("one thing", "another thing"))
    cli(root, "revise", str(path), "--note", "Corrected the second paragraph.", "--at", "2026-11-03T09:00")
    note = root / "note.md"  # beside posts/, where a build would take it for a post
    note.write_text("A reader wrote in.\n\nThis second paragraph explains why nothing changed.")
    cli(root, "revise", str(path), "--note-file", str(note), "--at", "2026-11-04T12:00")
    note.unlink()
    return root


@pytest.mark.slow
def test_post_page_shows_dates_notes_newest_first_and_history(site) -> None:
    root = revised_site(site)
    build(root, now=NOW)
    words = text(root, "essay/index.html")
    assert "Published November 1, 2026, 9:00 am" in words
    assert "Last updated November 4, 2026, 12:00 pm" in words
    update = words.index("Update: November 4, 2026, 12:00 pm:")
    revised = words.index("Revised as of 9:00 am on November 3, 2026: Corrected the second paragraph.")
    assert update < revised < words.index("The first paragraph stays.")
    assert "Fixed a typo" not in words[:words.index("The first paragraph stays.")]  # minor: no note on top
    history = words[words.index("The third paragraph closes."):]
    for fragment in ("November 1, 2026", "November 2, 2026", "Fixed a typo", "November 3, 2026", "November 4, 2026"):
        assert fragment in history, fragment


@pytest.mark.slow
def test_every_version_has_a_permanent_page_and_every_revision_a_diff(site) -> None:
    root = revised_site(site)
    build(root, now=NOW)
    for number in (1, 2, 3, 4):
        page = (root / f"output/essay/v{number}/index.html").read_text()
        assert '<meta name="robots" content="noindex">' in page
        assert '<link rel="canonical" href="https://example.org/essays/essay/">' in page
    assert "stayz" in text(root, "essay/v2/index.html") and "one thing" in text(root, "essay/v2/index.html")
    for number in (2, 3, 4):
        assert (root / f"output/essay/v{number}/changes/index.html").is_file()
    assert not (root / "output/essay/v1/changes").exists()


@pytest.mark.slow
def test_only_the_newest_version_holding_the_current_text_says_so(site) -> None:
    root = revised_site(site)
    (root / "templates").mkdir()  # a site template may cite a version: its view carries the version's address
    (root / "templates/version.html").write_text(
        '{% extends "theme/version.html" %}{% block essay %}<p>Cite: {{ post.abs_url }}</p>{% endblock %}')
    build(root, now=NOW)
    newest, older = text(root, "essay/v4/index.html"), text(root, "essay/v3/index.html")
    assert "the current text, at the permanent address of this version" in newest
    assert "Read the current version" not in newest
    assert "Read the current version" in older and "current text" not in older
    assert "Cite: https://example.org/essays/essay/v3/" in older
    essay = root / "posts/essay.md"
    essay.write_text(essay.read_text().replace("closes.", "closes, for now."))  # an edit not yet recorded
    build(root, now=NOW)
    assert "Read the current version" in text(root, "essay/v4/index.html")


@pytest.mark.slow
def test_changes_page_marks_the_known_edit(site) -> None:
    root = revised_site(site)
    build(root, now=NOW)
    page = (root / "output/essay/v3/changes/index.html").read_text()
    assert re.search(r"<del><span class=\"visually-hidden\">deleted: </span>one ?</del>", page)
    assert re.search(r"<ins><span class=\"visually-hidden\">inserted: </span>another</ins>", page)
    assert "Corrected the second paragraph." in page
    assert "+2 words, −2 words, 2 paragraphs changed" in text(root, "essay/v3/changes/index.html")


def test_the_summary_of_changes_names_only_counts_that_are_not_nought(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("stays.", "stays, for good."))
    cli(root, "revise", str(path), "--note", "Added two words.", "--at", "2026-11-02T08:00")
    build(root, now=NOW)
    page = (root / "output/essay/v2/changes/index.html").read_text()
    summary = re.search(r'<p class="diff-summary">(.*?)</p>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", summary).split() == ["+2", "words,", "1", "paragraph", "changed"]
    update = feedparser.parse((root / "output/atom.xml").read_bytes()).entries[0]
    assert "+2 words, 1 paragraph changed." in update.content[0].value and "−0" not in update.content[0].value


@pytest.mark.slow
def test_feeds_carry_major_revisions_only_and_keep_the_post_id(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    build(root, now=NOW)
    first = feedparser.parse((root / "output/atom.xml").read_bytes())
    original_id = first.entries[0].id
    original_updated = first.entries[0].updated
    path.write_text(path.read_text().replace("stays.", "stayz."))
    cli(root, "revise", str(path), "--minor", "--note", "Fixed a typo.", "--at", "2026-11-02T08:00")
    build(root, now=NOW)
    minor = feedparser.parse((root / "output/atom.xml").read_bytes())
    assert [e.id for e in minor.entries] == [original_id]
    assert minor.entries[0].updated == original_updated  # <updated> moves only for major revisions
    path.write_text(path.read_text().replace("one thing", "another thing"))
    cli(root, "revise", str(path), "--note", "Corrected the second paragraph.", "--at", "2026-11-03T09:00")
    build(root, now=NOW)
    feed = feedparser.parse((root / "output/atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Updated: An essay — November 3, 2026", "An essay"]
    update, entry = feed.entries
    assert entry.id == original_id and entry.updated != original_updated
    assert update.link == "https://example.org/essays/essay/v3/changes/"
    assert "Corrected the second paragraph." in update.content[0].value
    assert "+1 word, −1 word, 1 paragraph changed." in update.content[0].value
    assert 'href="https://example.org/essays/essay/v3/changes/"' in update.content[0].value
    updates = feedparser.parse((root / "output/updates/atom.xml").read_bytes())
    assert [e.id for e in updates.entries] == [update.id]


@pytest.mark.slow
def test_updates_page_lists_major_revisions_in_date_order(site) -> None:
    root = revised_site(site)
    build(root, now=NOW)
    words = text(root, "updates/index.html")
    assert words.index("November 4, 2026") < words.index("November 3, 2026")
    assert "Fixed a typo" not in words


def test_a_notes_link_to_a_section_of_its_post_leads_there_from_the_updates_page(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", "## Who owns it\n\n" + BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("stays.", "stays put."))
    cli(root, "revise", str(path), "--note", "See [who owns it](#who-owns-it) and the note.[^n]\n\n[^n]: Here.")
    build(root, now=NOW)
    updates = (root / "output/updates/index.html").read_text()
    assert 'href="/essays/essay/#who-owns-it"' in updates
    # the note's own footnote, on this page, named after its post and version (the essay may have an fn-n too)
    assert 'href="#note-essay-2-fn-n"' in updates and 'id="note-essay-2-fn-n"' in updates
    post_page = (root / "output/essay/index.html").read_text()
    assert 'href="#who-owns-it"' in post_page  # on the post's page it is a place on that page


@pytest.mark.slow
def test_a_note_can_be_corrected_by_hand(site) -> None:
    root = revised_site(site)
    version = root / "posts/essay.versions/v3.md"
    version.write_text(version.read_text().replace("Corrected the second", "Clarified the second"))
    build(root, now=NOW)
    assert "Clarified the second paragraph." in text(root, "essay/index.html")


def test_a_note_corrected_in_an_editor_that_ends_the_file_with_a_newline_still_builds(site) -> None:
    """A post saved without a final newline (as Notepad saves) is recorded so; vim, nano and VS Code add one
    when its version's note is corrected, as the guide allows: every build then stopped at "altered"."""
    root = site({"posts/a.md": '---\ntitle: "W"\ndate: 2026-11-01T10:00:00\n---\n\nNo final newline.'})
    assert run_cli("publish", "posts/a.md", cwd=root, env=EPOCH).returncode == 0
    path = root / "posts/a.md"
    path.write_text(path.read_text() + "\n\nA second paragraph.")
    assert run_cli("revise", "posts/a.md", "--note", "Fixed teh date.", cwd=root, env=EPOCH).returncode == 0
    version = root / "posts/a.versions/v2.md"
    assert not version.read_text().endswith("\n")
    version.write_text(version.read_text().replace("teh", "the") + "\n")
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "Fixed the date." in text(root, "a/index.html")
    assert "A second paragraph." in text(root, "a/v2/index.html")
    (root / "posts/b.md").write_text('---\ntitle: "B"\ndate: 2026-11-01T10:00:00\n---\n\nEnds with a newline.\n')
    assert run_cli("publish", "posts/b.md", cwd=root, env=EPOCH).returncode == 0
    first = root / "posts/b.versions/v1.md"
    assert first.read_text().endswith("newline.\n")
    first.write_text(first.read_text().removesuffix("\n"))  # an editor that takes the final newline away
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    version.write_text(version.read_text().replace("A second paragraph.", "A second paragraph.  \nbroken"))
    trimmed = run_cli("build", cwd=root, env=EPOCH)
    assert trimmed.returncode == 1 and "if you only corrected its note, the editor changed the text as it saved: " \
        "spaces taken from the ends of lines" in trimmed.stderr, trimmed.stderr


@pytest.mark.slow
def test_tampering_with_a_recorded_text_stops_the_build(site) -> None:
    root = revised_site(site)
    version = root / "posts/essay.versions/v2.md"
    version.write_text(version.read_text().replace("stayz.", "stays."))
    done = run_cli("--site", str(root), "build")
    assert done.returncode == 1
    assert done.stderr.startswith("posts/essay.versions/v2.md:5: recorded version 2 was altered or truncated")
    assert "Traceback" not in done.stderr


def test_date_filters_tell_apart_the_two_readings_of_a_repeated_hour(site) -> None:
    """The filters remember what they formatted; 1:30 am before and after the clocks go back compare
    equal, so the memo must still keep their offsets apart."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from engine.config import load_config
    from engine.output.render import environment

    root = site({})
    env = environment(root, load_config(root)[0])
    filters = {name: (lambda moment, name=name: env.from_string(f"{{{{ m|{name} }}}}").render(m=moment))
               for name in ("iso", "date", "time", "clock", "datetime")}  # a page's filters, in its language
    zone = ZoneInfo("America/New_York")
    summer, winter = (datetime(2026, 11, 1, 1, 30, fold=fold, tzinfo=zone) for fold in (0, 1))
    assert summer == winter  # what a plain memo would be fooled by
    assert filters["iso"](summer) == "2026-11-01T01:30:00-04:00"
    assert filters["iso"](winter) == "2026-11-01T01:30:00-05:00"
    assert filters["iso"](summer) == "2026-11-01T01:30:00-04:00"
    in_utc = datetime(2026, 11, 1, 6, 30, tzinfo=ZoneInfo("UTC"))  # the same moment as `winter`, elsewhere
    assert filters["iso"](in_utc) == "2026-11-01T01:30:00-05:00"
    assert filters["datetime"](in_utc) == "November 1, 2026, 1:30 am EST"  # the repeated hour names its zone
    assert filters["time"](summer) == "1:30 am EDT"
    assert filters["time"](datetime(2026, 11, 1, 2, 30, tzinfo=zone)) == "2:30 am"  # only that hour
    assert filters["datetime"](datetime(2026, 11, 3, tzinfo=zone)) == "November 3, 2026"  # a date without time
    assert filters["clock"](datetime(2026, 11, 3, tzinfo=zone)) == ""
    assert filters["clock"](datetime(2026, 11, 3, 9, tzinfo=zone)) == "9:00 am"
    assert filters["date"](None) == filters["time"](None) == ""


@pytest.mark.slow
@pytest.mark.parametrize("at, message", [
    ("2025-11-02T01:10", "--at: 2025-11-02T01:10 happened twice in America/New_York, as the clocks went back: "
                         "add the offset, -04:00 for the first time or -05:00 for the second"),
    ("2026-03-08T02:30", "--at: 2026-03-08T02:30 never happened in America/New_York: the clocks skipped ahead "
                         "past it; give a time after the change, or an offset"),
])
def test_a_wall_clock_time_that_names_no_single_moment_is_refused(site, at, message) -> None:
    root = site({"posts/essay.md": post("An essay", "2025-10-01T09:00:00", BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("stays.", "stays put."))
    done = run_cli("--site", str(root), "revise", str(path), "--note", "N.", "--at", at, env=EPOCH)
    assert done.returncode == 1 and done.stderr == f"posts/essay.md: {message}\n"
    (root / "posts/other.md").write_text(post("Other", at, "Text."))
    done = run_cli("--site", str(root), "check", env=EPOCH)
    assert done.returncode == 1 and f"posts/other.md:3: `date`: {message[len('--at: '):]}" in done.stderr


@pytest.mark.slow
def test_altering_a_recorded_date_or_kind_stops_the_build(site) -> None:
    root = revised_site(site)
    build(root, now=NOW)
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    for name, old, new in (("v3.md", "date: '2026-11-03T09:00:00-05:00'", "date: '2026-11-02T09:00:00-05:00'"),
                           ("v2.md", "minor: true", "minor: false")):
        version = root / "posts/essay.versions" / name
        recorded = version.read_text()
        assert old in recorded
        version.write_text(recorded.replace(old, new))
        done = run_cli("--site", str(root), "build", env=EPOCH)
        assert done.returncode == 1
        line = 1 + recorded.splitlines().index(next(x for x in recorded.splitlines() if x.startswith("seal:")))
        assert done.stderr.startswith(f"posts/essay.versions/{name}:{line}: recorded version {name[1]} was "
                                      "altered: its date or whether it is minor no longer matches its seal")
        assert "Traceback" not in done.stderr
        assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == before
        version.write_text(recorded)
    build(root, now=NOW)  # the note alone may still be corrected by hand: see test_a_note_can_be_corrected_by_hand


def without(path: Path, *keys: str) -> None:
    """Take the header lines that start with ``keys`` out of a version file, as a hand edit would."""
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith(keys)))


@pytest.mark.slow
def test_a_version_recorded_before_seals_is_still_read(site) -> None:
    root = revised_site(site)
    for version in (root / "posts/essay.versions").glob("v*.md"):  # as versions were written before seals
        without(version, "seal:", "address:", "recorded:")
    build(root, now=NOW)
    assert "Corrected the second paragraph." in text(root, "essay/index.html")


@pytest.mark.slow
@pytest.mark.parametrize("name, old, new", [
    ("v2.md", "minor: true", "minor: false"),  # the silent correction would gain a note and a feed entry
    ("v3.md", "minor: false", "minor: true"),  # the revision would lose its feed entry
    ("v3.md", "date: '2026-11-03T09:00:00-05:00'", "date: '2026-11-02T09:00:00-05:00'"),  # back-dated
])
def test_a_seal_taken_out_of_a_version_recorded_with_one_stops_the_build(site, name, old, new) -> None:
    root = revised_site(site)
    version = root / "posts/essay.versions" / name
    recorded = version.read_text()
    without(version, "seal:")
    version.write_text(version.read_text().replace(old, new))
    done = run_cli("--site", str(root), "check", env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = 1 + recorded.splitlines().index(next(x for x in recorded.splitlines() if x.startswith("sha256:")))
    assert done.stderr.startswith(f"posts/essay.versions/{name}:{line}: recorded version {name[1]} has no seal, but "
                                  "every version recorded since seals exist has one"), done.stderr


@pytest.mark.slow
def test_a_version_an_older_feuilleton_recorded_after_a_sealed_one_is_read_with_a_warning(site) -> None:
    """An older copy of the tool (another machine, a downgrade) recorded version 3 the way it did, without a
    seal, and the site published it.  Refused, the author was told to restore the very same file from git, and,
    once it was gone, that a published version was lost: no way out.  It is read, and said."""
    root = revised_site(site)
    for name in ("v3.md", "v4.md"):  # written as a Feuilleton from before seals writes them
        without(root / "posts/essay.versions" / name, "seal:", "address:", "recorded:")
    done = run_cli("--site", str(root), "check", env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert ("posts/essay.versions/v3.md:1: warning: recorded version 3 has no seal, though version 2 has: a "
            "Feuilleton from before seals recorded it") in done.stderr
    assert "v4.md" not in done.stderr  # said once, where the seals stop


@pytest.mark.slow
def test_a_part_an_older_feuilleton_scheduled_past_the_day_seals_came_is_read(site) -> None:
    """A Feuilleton from before seals scheduled a part for December: its version 1, dated after the day seals
    came, was refused for its date, though no date tells which tool recorded a version."""
    root = site({"posts/later.md": post("Later", "", "Coming.", draft="true")})
    assert run_cli("publish", "posts/later.md", "--at", "2026-12-20T09:00", cwd=root, env=EPOCH).returncode == 0
    without(root / "posts/later.versions/v1.md", "seal:", "address:", "recorded:")
    done = run_cli("--site", str(root), "check", env=EPOCH)
    assert done.returncode == 0 and "seal" not in done.stderr, done.stderr


@pytest.mark.slow
def test_relative_links_in_an_essay_reach_the_same_place_from_every_page_that_shows_it(site) -> None:
    body = ("A map: ![the map](../../img/map.png) and [the other essay](../../other/).\n\n"
            "See [the note](#note) and [the archive](/essays/archive/).\n\nA second paragraph.")
    root = site({"posts/law/series.toml": 'title = "Law"\n',
                 "posts/law/part-1.md": post("Part one", "2026-11-01T09:00:00", body, part=1),
                 "static/img/map.png": b"\x89PNG\r\n"})
    path = root / "posts/law/part-1.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("A second paragraph.", "A second, longer paragraph."))
    cli(root, "revise", str(path), "--note", "See [the map](../../img/map.png) again.", "--at", "2026-11-02T09:00")
    build(root, now=NOW)
    origin = "https://example.org"
    for page in ("law/part-1/", "law/part-1/v1/", "law/part-1/v2/", "law/part-1/v2/changes/"):
        html = (root / "output" / page / "index.html").read_text()
        main = html[html.index("<main"):html.index("</main>")]
        here = f"{origin}/essays/{page}"
        images = {urljoin(here, src) for src in re.findall(r'<img [^>]*src="([^"]*)"', main)}
        assert images == {f"{origin}/essays/img/map.png"}, page
        links = {urljoin(here, href) for href in re.findall(r'href="([^"]*)"', main)}
        assert f"{origin}/essays/other/" in links, page
        assert f"{origin}/essays/archive/" in links, page
        assert 'href="#note"' in main, page  # a link within the page stays one
    assert 'href="/essays/img/map.png"' in (root / "output/law/part-1/index.html").read_text()  # the note's link
    feed = feedparser.parse((root / "output/law/atom.xml").read_bytes())
    content = " ".join(entry.content[0].value for entry in feed.entries)
    assert 'src="https://example.org/essays/img/map.png"' in content
    assert "../" not in content


def test_a_recorded_versions_relative_links_are_read_from_where_it_was_recorded(site) -> None:
    """A standalone essay's ``../img/map.png`` was ``/essays/img/map.png``; the essay then became Part 1 of a
    series, one folder deeper.  Its sealed versions, which no one can mend, still show the map and lead to
    the other essay; only its text now is read from its new page (and warned of)."""
    root = site({"posts/law/series.toml": 'title = "Law"\n', "static/img/map.png": b"\x89PNG\r\n",
                 "posts/essay.md": post("Essay", "2026-11-01T09:00:00",
                                        "![the map](../img/map.png), [other](../other/)."),
                 "posts/other.md": post("Other", "2026-10-01T09:00:00", "Other.")})
    cli(root, "publish", "posts/essay.md")
    (root / "posts/essay.md").write_text((root / "posts/essay.md").read_text() + "\nMore.\n")
    cli(root, "revise", "posts/essay.md", "--note", "More, beside ![the map](../img/map.png).", "--at",
        "2026-11-02T09:00")
    for name in ("essay.md", "essay.versions"):
        (root / "posts" / name).rename(root / "posts/law" / name)
    moved = root / "posts/law/essay.md"
    moved.write_text(moved.read_text().replace("title: \"Essay\"", "title: \"Essay\"\npart: 1"))
    cli(root, "revise", "posts/law/essay.md", "--minor", "--note", "Moved.", "--at", "2026-11-03T09:00")
    result = build(root, now=NOW)
    for page in ("law/essay/v1/", "law/essay/v2/", "law/essay/v2/changes/"):
        html = (root / "output" / page / "index.html").read_text()
        assert '<img src="/essays/img/map.png"' in html and 'href="/essays/other/"' in html, page
    assert 'href="/essays/law/other/"' in (root / "output/law/essay/index.html").read_text()
    assert any("link to ../other/ leads to nothing on the site" in str(w) for w in result.warnings)
    # the note recorded with version 2 reads its links from where it was recorded too: no warning of them
    assert not any("essay.versions" in str(w) for w in result.warnings), [str(w) for w in result.warnings]


def test_a_version_recorded_before_addresses_reads_its_links_from_where_its_moves_place_it(site) -> None:
    """A version from before ``address:`` lines is placed by its slug and series (a redirect is written
    there); its images are read from there too, not from the post's new address in a series."""
    root = site({"posts/weir.md": post("Weir", "", "Look ![the weir](../img/weir.png).", draft="true"),
                 "posts/ser/series.toml": 'title = "Ser"\n', "static/img/weir.png": b"\x89PNG\r\n"})
    cli(root, "publish", "posts/weir.md", "--at", "2026-11-01T10:00")
    without(root / "posts/weir.versions/v1.md", "address:", "recorded:")  # as a version from before addresses
    path = root / "posts/weir.md"
    path.write_text(path.read_text().replace('title: "Weir"', 'title: "Weir"\nseries: ser\npart: 1'))
    build(root, now=NOW)
    assert '<img src="/essays/img/weir.png"' in (root / "output/ser/weir/v1/index.html").read_text()


def test_a_relative_link_climbing_above_the_domains_root_stops_there_as_in_a_browser(site) -> None:
    root = site({"posts/essay.md": post("Essay", "2026-11-01T09:00:00", "![map](../../img/map.png), [o](../../o/)."),
                 "posts/o.md": post("O", "2026-10-01T09:00:00", "O."), "static/img/map.png": b"\x89PNG\r\n"})
    config = root / "config.toml"
    config.write_text(config.read_text().replace("https://example.org/essays/", "https://example.org/"))
    result = build(root, now=NOW)
    html = (root / "output/essay/index.html").read_text()
    assert '<img src="/img/map.png"' in html and 'href="/o/"' in html  # not src="img/map.png", from /essay/
    assert result.warnings == []


def test_a_link_that_leaves_the_site_in_the_bio_or_a_series_description_is_a_warning_at_its_key(site) -> None:
    """Shown on every post, the series' pages and the book, ``/about/`` led to nothing on a site at /essays/."""
    root = site({"posts/s/series.toml": 'title = "S"\ndescription = "Start at [the archive](/archive/)."\n',
                 "posts/s/part-1.md": post("One", part=1), "posts/about.md": post("About", layout="page")})
    config = root / "config.toml"
    config.write_text(config.read_text().replace('bio = "A. Writer', 'bio = "[About](/about/): A. Writer'))
    result = build(root, now=NOW)
    assert [str(w) for w in result.warnings] == [
        "config.toml:7: warning: link to /about/ leaves the site, which lives at /essays/ (base_url): write about/, "
        "relative to the home page, which stays inside the site wherever it lives",
        "posts/s/series.toml:2: warning: link to /archive/ leaves the site, which lives at /essays/ (base_url): "
        "write ../archive/, relative to the series' page, which stays inside the site wherever it lives"]
    config.write_text(config.read_text().replace("(/about/)", "(about/)"))
    (root / "posts/s/series.toml").write_text('title = "S"\ndescription = "Start at [the archive](../archive/)."\n')
    assert build(root, now=NOW).warnings == []
    assert 'href="/essays/about/"' in (root / "output/s/part-1/index.html").read_text()
    assert 'href="/essays/archive/"' in (root / "output/s/index.html").read_text()


def test_a_link_from_the_servers_root_that_leaves_a_site_below_it_is_a_warning_with_its_line(site) -> None:
    body = ("First.\n\nA map: ![map](/img/map.png), [the archive](/essays/archive/), [a site](//example.com/).\n\n"
            "[Up and out](../../top/), [up](../archive/), [a query](?page=2), [a note](#top).\n\n"
            '<p><img alt="" srcset="/essays/a.png 1x, /b.png 2x"> and <video poster=/still.jpg></video></p>')
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", body), "static/a.png": "a"})
    result = build(root, now=NOW)
    assert [str(w) for w in result.warnings] == [
        "posts/essay.md:8: warning: link to /img/map.png leaves the site, which lives at /essays/ (base_url): "
        "write ../img/map.png, relative to this post, which stays inside the site wherever it lives",
        "posts/essay.md:10: warning: link to ../../top/ leaves the site, which lives at /essays/ (base_url): "
        "write ../top/, relative to this post, which stays inside the site wherever it lives",
        "posts/essay.md:12: warning: link to /b.png leaves the site, which lives at /essays/ (base_url): "
        "write ../b.png, relative to this post, which stays inside the site wherever it lives",
        "posts/essay.md:12: warning: link to /still.jpg leaves the site, which lives at /essays/ (base_url): "
        "write ../still.jpg, relative to this post, which stays inside the site wherever it lives"]
    page = (root / "output/essay/index.html").read_text()
    assert 'href="/essays/essay/?page=2"' in page and 'href="#top"' in page  # a query is read from the post's page too
    # built for another address (a Pages project site), a link written for config.toml's is read as that
    moved = build(root, now=NOW, base_url="https://user.github.io/repo/")
    assert [str(w) for w in moved.warnings][:2] == [
        "posts/essay.md:8: warning: link to /img/map.png leaves the site, which this build puts at /repo/ "
        "(--base-url; config.toml's base_url, at /essays/): write ../img/map.png, relative to this post, which "
        "stays inside the site wherever it lives",
        "posts/essay.md:8: warning: link to /essays/archive/ leaves the site, which this build puts at /repo/ "
        "(--base-url; config.toml's base_url, at /essays/): write ../archive/, relative to this post, which stays "
        "inside the site wherever it lives"]
    (root / "posts/essay.md").write_text(post("An essay", "2026-11-01T09:00:00", "[Home](/essays) and "
                                              "[a part](/essays/archive/?page=2#top)."))
    moved = build(root, now=NOW, base_url="https://user.github.io/repo/")
    assert [str(w).split(": write ")[1].split(",")[0] for w in moved.warnings] == ["../", "../archive/?page=2#top"]


@pytest.mark.slow
def test_two_revisions_on_one_day_have_feed_entries_told_apart_by_their_titles(site) -> None:
    root, path = edited_after_publishing(site)
    cli(root, "revise", str(path), "--note", "Morning.", "--at", "2026-11-03T09:00")
    build(root, now=NOW)
    first = [e.title for e in feedparser.parse((root / "output/atom.xml").read_bytes()).entries]
    path.write_text(path.read_text().replace("closes.", "closes at last."))
    cli(root, "revise", str(path), "--note", "Afternoon.", "--at", "2026-11-03T15:30")
    build(root, now=NOW)
    titles = [e.title for e in feedparser.parse((root / "output/atom.xml").read_bytes()).entries]
    assert "Updated: An essay — November 3, 2026" in first
    assert "Updated: An essay — November 3, 2026" in titles  # the first keeps the title readers have seen
    assert "Updated: An essay — 3:30 pm on November 3, 2026" in titles


@pytest.mark.slow
def test_an_old_versions_description_comes_from_its_own_text(site) -> None:
    root = revised_site(site)
    build(root, now=NOW)
    old = (root / "output/essay/v1/index.html").read_text()
    new = (root / "output/essay/index.html").read_text()
    assert re.search(r'<meta name="description" content="[^"]*says one thing', old)
    assert re.search(r'<meta property="og:description" content="[^"]*says one thing', old)
    assert re.search(r'<meta name="description" content="[^"]*says another thing', new)


@pytest.mark.slow
def test_a_code_sample_that_reads_like_a_link_is_shown_as_written_on_pages_and_in_feeds(site) -> None:
    body = ("Write `<a href=\"../x/\">` or `<img src='../y.png'>` in raw HTML.\n\n"
            "<a href='../../raw/'>single quotes</a> work too.\n\nA second paragraph.")
    root = site({"posts/law/series.toml": 'title = "Law"\n',
                 "posts/law/part-1.md": post("Part one", "2026-11-01T09:00:00", body, part=1)})
    path = root / "posts/law/part-1.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("A second paragraph.", "A second, longer paragraph."))
    cli(root, "revise", str(path), "--note", "Longer.", "--at", "2026-11-02T09:00")
    build(root, now=NOW)
    for page in ("law/part-1/", "law/part-1/v1/", "law/part-1/v2/changes/"):
        html = (root / "output" / page / "index.html").read_text()
        assert "&lt;a href=\"../x/\"&gt;" in html and "&lt;img src='../y.png'&gt;" in html, page
        assert re.search(r"""<a href=["']/essays/raw/["']>""", html), page  # (the diff writes " quotes)
    content = feedparser.parse((root / "output/law/atom.xml").read_bytes()).entries[-1].content[0].value
    assert '&lt;a href="../x/"&gt;' in content and "&lt;img src='../y.png'&gt;" in content
    assert re.search(r"""<a href=["']https://example.org/essays/raw/["']>""", content)


@pytest.mark.slow
def test_a_revision_dated_without_a_time_is_revised_on_its_day(site) -> None:
    root, path = edited_after_publishing(site)
    cli(root, "revise", str(path), "--note", "Short.", "--at", "2026-11-03")
    build(root, now=NOW)
    words = text(root, "essay/index.html")
    assert "Revised on November 3, 2026: Short." in words and "12:00 am" not in words


def test_a_silent_correction_of_the_tags_is_labelled_so_and_not_called_note_only(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY, tags=["law"])})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    text = path.read_text()
    tags = next(line for line in text.splitlines() if line.startswith("tags:"))
    path.write_text(text.replace(tags, "tags: [law, statutes]"))
    cli(root, "revise", str(path), "--minor", "--note", "Filed under statutes too.")
    build(root, now=NOW)
    page = (root / "output/essay/v2/changes/index.html").read_text()
    assert "Correction: <time" in page and "Update: <time" not in page
    assert "The text of the essay did not change in this revision.</p>" in page
    assert "it adds only the note above" not in page


def test_footnotes_of_the_essay_and_of_its_notes_keep_their_ids_apart(site) -> None:
    """Two notes with a [^1] each, beside an essay with one: three footnote lists on the post's page."""
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", "A claim.[^1]\n\n[^1]: Its source.\n\n"
                                        + BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    for n, word in enumerate(("put.", "put, twice.")):
        path.write_text(path.read_text().replace("stays" + (" put." if n else "."), "stays " + word))
        cli(root, "revise", str(path), "--note", f"Revision {n + 1}.[^1]\n\n[^1]: Why, {n + 1}.")
    build(root, now=NOW)
    for page in ("essay/index.html", "updates/index.html", "essay/v3/index.html"):
        html = (root / "output" / page).read_text()
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), page
        labels = re.findall(r'<section class="footnotes" aria-label="([^"]*)"', html)
        assert len(labels) == len(set(labels)), (page, labels)  # each list of footnotes a landmark of its own
        for href in re.findall(r'href="#([^"]+)"', html):
            assert href in ids, (page, href)
    assert "Footnotes: An essay, version 2" in (root / "output/essay/index.html").read_text()


@pytest.mark.slow
def test_a_table_revised_row_by_row_shows_its_rows_marked_in_a_valid_page(site) -> None:
    """A figure corrected, a row dropped and a row added: the page of what changed keeps one table with the
    rows marked, and the Nu checker finds nothing wrong with it."""
    table = ("| Year | Filings |\n|------|--------:|\n| 2014 | 120 |\n| 2015 | 131 |\n| 2016 | 158 |\n\n"
             "The rise is steady.")
    root = site({"posts/essay.md": post("Filings", "2026-11-01T09:00:00", table)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("| 2015 | 131 |\n", "").replace("158", "163")
                    .replace("| 2016 | 163 |\n", "| 2016 | 163 |\n| 2017 | 171 |\n"))
    cli(root, "revise", str(path), "--note", "Added 2017.", "--at", "2026-11-02T08:00")
    cli(root, "build")
    changes = root / "output/essay/v2/changes"
    html = (changes / "index.html").read_text()
    assert html.count("<table") == 1
    assert re.search(r'<tr class="del-block"><td><del><span class="visually-hidden">deleted: </span>2015</del>', html)
    assert re.search(r'<tr class="ins-block"><td><ins><span class="visually-hidden">inserted: </span>2017</ins>', html)
    assert re.search(r"<del>.{0,60}158</del><ins>.{0,60}163</ins>", html)
    assert nu_errors(changes) == []


def test_a_text_revised_and_put_back_as_it_was_has_a_page_of_everything_since(site) -> None:
    """Changed, then changed back: the page of everything since the first version compares two equal texts.
    Before, it stopped the whole build at a template error (``front_changed`` undefined)."""
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    first = path.read_text()
    path.write_text(first.replace("stays.", "stays put."))
    cli(root, "revise", str(path), "--note", "Said where.", "--at", "2026-11-02T08:00")
    path.write_text(path.read_text().replace("stays put.", "stays."))
    cli(root, "revise", str(path), "--note", "Took it back.", "--at", "2026-11-03T08:00")
    build(root, now=NOW)
    page = text(root, "essay/changes/index.html")
    assert "The text of the essay is the same as in its first version." in page and "this revision" not in page


QUOTED = BODY + "\n\n> A quoted passage that goes on for a while, with clauses.\n\n```\nkeep  these   spaces\n```\n"


@pytest.mark.parametrize("body, edit", [
    (BODY, lambda text: text + "\n\n"),
    (BODY, lambda text: text.replace("says one thing", "says\none thing")),
    (QUOTED, lambda text: text.replace("goes on for", "goes on\n> for")),  # a quotation re-wrapped, code beside it
])
def test_a_revision_whose_text_reads_as_before_links_to_no_page_of_what_changed(site, body, edit) -> None:
    """A blank line added at the end, or a paragraph or quotation re-wrapped, changes the file, not what readers
    read: like a revision that only adds its note, it sends no reader to an empty comparison, from the page, the
    updates or a feed."""
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", body)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(edit(path.read_text()))
    cli(root, "revise", str(path), "--note", "A word on what the essay leaves out.")
    build(root, now=NOW)
    for page in ("essay/index.html", "updates/index.html", "feed.xml", "atom.xml", "feed.json"):
        assert "essay/v2/changes/" not in (root / "output" / page).read_text(), page
    assert "Update: <time" in (root / "output/essay/index.html").read_text()  # the note is the change


def test_spaces_changed_inside_code_are_a_change(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", QUOTED)})
    path = root / "posts/essay.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("keep  these   spaces", "keep these spaces"))
    cli(root, "revise", str(path), "--note", "Tidied the example.")
    build(root, now=NOW)
    assert "essay/v2/changes/" in (root / "output/essay/index.html").read_text()


def test_a_version_is_shown_in_the_language_it_was_recorded_in(site) -> None:
    """A post published in German and then turned French: its version 1 page had become French, the German
    text under French quotation marks and ``lang="fr"``. A published version is shown as it was published.
    The titles of version and changes pages, and of the page an alias leaves, are smart too."""
    root = site({"posts/stadt.md": post('Die "Stadt"', body='Er sagte "Nein".', language="de",
                                        aliases="[/old/stadt/]")})
    assert run_cli("publish", "posts/stadt.md", cwd=root).returncode == 0
    path = root / "posts/stadt.md"
    path.write_text(path.read_text().replace("language: de", "language: fr").replace('Er sagte "Nein"', 'Il a dit "Non"')
                    .replace('Die "Stadt"', 'La "Ville"'))
    assert run_cli("revise", "posts/stadt.md", "--note", "Traduit.", cwd=root).returncode == 0
    assert run_cli("build", cwd=root).returncode == 0
    v1 = (root / "output/stadt/v1/index.html").read_text()
    assert '<html lang="de"' in v1 and "<p>Er sagte „Nein“.</p>" in v1
    assert "<title>Die „Stadt“ (Fassung vom" in v1 and "«" not in v1.split("<title>")[1].split("</title>")[0]
    assert '<div lang="fr" dir="ltr"><p>Traduit.</p>' in v1  # the note is in the post's language now
    assert '<span lang="fr" dir="ltr">La «\u202fVille\u202f»</span>' in v1.split("old-version-banner-end")[1]
    changes = (root / "output/stadt/v2/changes/index.html").read_text()
    assert '<html lang="fr"' in changes and "<title>Ce qui a changé dans La «\u202fVille\u202f»" in changes
    assert "Die “Stadt”" in changes and '&#34;' not in changes  # French inner marks, inside its own
    assert "<title>Moved: “La ‘Ville’”" in (root / "output/old/stadt/index.html").read_text()


def part_referring_essay(site) -> Path:
    """Parts 1 and 2 of the series law, and an essay pointing at Part 1 (``part:law/1``), all published."""
    root = site({"posts/law/series.toml": 'title = "Law"\n',
                 "posts/law/one.md": post("One", "2026-11-01T09:00:00", "One.", part=1),
                 "posts/law/two.md": post("Two", "2026-11-02T09:00:00", "Two.", part=2),
                 "posts/essay.md": post("Essay", "2026-11-03T09:00:00", "See [the first part](part:law/1) for more.")})
    for name in ("law/one", "law/two", "essay"):
        cli(root, "publish", f"posts/{name}.md")
    return root


@pytest.mark.slow
def test_a_part_reference_pointed_elsewhere_shows_the_addresses_readers_were_led_to(site) -> None:
    """``part:law/1`` became ``part:law/2``: the page of what changed and the revision's feed entry showed the
    author's ``⟨part:law/1⟩`` and ``⟨part:law/2⟩`` as the link's addresses."""
    root = part_referring_essay(site)
    essay = root / "posts/essay.md"
    essay.write_text(essay.read_text().replace("part:law/1", "part:law/2"))
    cli(root, "revise", str(essay), "--note", "Pointed to the second part.", "--at", "2026-11-04T09:00")
    build(root, now=NOW)
    changes = (root / "output/essay/v2/changes/index.html").read_text()
    assert '<a href="/essays/law/two/">the first part</a>' in changes
    assert "⟨/essays/law/one/⟩</bdi></del>" in changes and "⟨/essays/law/two/⟩</bdi></ins>" in changes
    update = feedparser.parse((root / "output/atom.xml").read_bytes()).entries[0]
    assert update.title == "Updated: Essay — November 4, 2026"
    content = update.content[0].value
    assert "⟨/essays/law/one/⟩" in content and "⟨/essays/law/two/⟩" in content
    assert "part:" not in changes + content


@pytest.mark.slow
def test_a_part_reference_that_followed_its_renamed_series_shows_no_link_changed(site) -> None:
    """The series law became water-law and the essay's ``part:law/1`` became ``part:water-law/1``: both lead
    to one page, yet its page of what changed showed the link led elsewhere."""
    root = part_referring_essay(site)
    (root / "posts/law").rename(root / "posts/water-law")
    for name in ("one", "two"):
        cli(root, "revise", f"posts/water-law/{name}.md", "--minor", "--note", "Moved.", "--at", "2026-11-04T09:00")
    essay = root / "posts/essay.md"
    essay.write_text(essay.read_text().replace("part:law/1) for", "part:water-law/1) for much"))
    cli(root, "revise", str(essay), "--note", "The series has a new name.", "--at", "2026-11-05T09:00")
    build(root, now=NOW)
    changes = (root / "output/essay/v2/changes/index.html").read_text()
    assert '<a href="/essays/water-law/one/">the first part</a> for <ins>' in changes
    assert 'class="link-target"' not in changes and "<del>" not in changes
    assert "+1 word, 1 paragraph changed" in text(root, "essay/v2/changes/index.html")
    update = feedparser.parse((root / "output/atom.xml").read_bytes()).entries[0]
    assert update.title == "Updated: Essay — November 5, 2026"
    assert "+1 word, 1 paragraph changed." in update.content[0].value and "⟨" not in update.content[0].value


@pytest.mark.slow
def test_a_part_that_came_out_between_two_versions_changes_no_link_of_the_essay_that_announced_it(site) -> None:
    """Part 1 announced the forthcoming Part 2, which came out before Part 1 was revised: the link the reference
    became is no change of the author's, and shows none (its version 1 leads there too, now it is out)."""
    root = site({"posts/law/series.toml": 'title = "Law"\n\n[[planned]]\npart = 2\ntitle = "Two"\n',
                 "posts/law/one.md": post("One", "2026-11-01T09:00:00", "As [Part 2](part:2) shows, it holds.", part=1),
                 "posts/law/two.md": post("Two", "2026-11-02T09:00:00", "Two.", part=2, draft="true")})
    cli(root, "publish", "posts/law/one.md")
    cli(root, "publish", "posts/law/two.md", "--at", "2026-11-02T09:00")
    one = root / "posts/law/one.md"
    one.write_text(one.read_text().replace("it holds", "it still holds"))
    cli(root, "revise", str(one), "--note", "Still.", "--at", "2026-11-03T09:00")
    build(root, now=NOW)
    assert '<a href="/essays/law/two/">Part 2</a>' in (root / "output/law/one/v1/index.html").read_text()
    changes = (root / "output/law/one/v2/changes/index.html").read_text()
    assert 'As <a href="/essays/law/two/">Part 2</a> shows, it <ins>' in changes
    assert "+1 word, 1 paragraph changed" in text(root, "law/one/v2/changes/index.html")


@pytest.mark.slow
def test_each_comparison_is_worked_out_once_ahead_of_the_pages_and_feeds(site, monkeypatch) -> None:
    """The texts compared have their ``part:`` links led where they led; the diffs worked out ahead, on all cores,
    were of the texts as written, so every revision of an essay with such a link was diffed again, one by one,
    for its feed entry (a fifth more time for a build with revisions), and again for its page."""
    from engine.speed import cache

    root = part_referring_essay(site)
    essay = root / "posts/essay.md"
    for n, (was, now), when in ((2, ("1", "2"), "2026-11-04T09:00"), (3, ("2", "1"), "2026-11-05T09:00")):
        essay.write_text(essay.read_text().replace(f"part:law/{was}", f"part:law/{now}") + f"\nMore {n}.\n")
        cli(root, "revise", str(essay), "--note", f"Revision {n}.", "--at", when)
    worked: list[tuple[str, str]] = []
    diffed = cache._diff_pair
    monkeypatch.setenv("FEUILLETON_JOBS", "1")  # every diff in this process, where it is counted
    monkeypatch.setattr(cache, "_diff_pair", lambda pair: worked.append((str(pair[0]), str(pair[1]))) or diffed(pair))
    built = build(root, now=NOW)
    assert (root / "output/essay/v3/changes/index.html").is_file() and "⟨/essays/law/" in \
        (root / "output/essay/v2/changes/index.html").read_text()
    assert len(worked) == len(set(worked)) == 3  # v1→v2, v2→v3 and v1→v3, each once
    assert all("part:" not in old + new for old, new in worked)
    worked.clear()
    build(root, now=NOW, cache=built.cache)
    assert worked == []  # remembered


@pytest.mark.slow
def test_the_preview_of_an_edit_no_reader_sees_says_the_text_did_not_change(site) -> None:
    """An unrecorded edit that changes no word readers see (a blank line, a ``part:`` reference spelt another way
    that leads to the same page): ``serve``'s preview stopped at a template error ('front_changed' is
    undefined), where the page offered it."""
    from engine.site.preview import render_preview

    root = part_referring_essay(site)
    essay = root / "posts/essay.md"
    for edit in (lambda text: text + "\n\n", lambda text: text.replace("part:law/1", "part:law/1#")):
        essay.write_text(edit(essay.read_text()))
        built = build(root, now=NOW)
        page = render_preview(built.maker, root, built.maker.urls.link("essay/"))
        assert page is not None
        shown = " ".join(re.sub(r"<[^>]+>", " ", page.decode()).split())
        assert "The text of the essay did not change in this revision." in shown
        assert "adds only the note above" not in shown


@pytest.mark.slow
def test_a_deleted_reference_to_a_part_still_to_come_reads_in_the_series_the_older_version_was_in(site) -> None:
    """The essay, Part 1 of beta, pointed at beta's planned Part 2; its version 2 moved it to law, as Part 3, and
    deleted that sentence: its page of what changed, and the revision's feed entry, struck out a link to law's
    Part 2, where version 1 had read "the next part (forthcoming)"."""
    root = site({"posts/law/series.toml": 'title = "Law"\n',
                 "posts/law/one.md": post("One", "2026-11-01T09:00:00", "One.", part=1),
                 "posts/law/two.md": post("Two", "2026-11-02T09:00:00", "Two.", part=2),
                 "posts/beta/series.toml": 'title = "Beta"\n\n[[planned]]\npart = 2\ntitle = "Beta two"\n',
                 "posts/essay.md": post("Essay", "2026-11-03T09:00:00", "Opening words.\n\n"
                                        "More in [the next part](part:2) soon.\n\nClosing words.", series="beta",
                                        part=1)})
    for name in ("law/one", "law/two", "essay"):
        cli(root, "publish", f"posts/{name}.md")
    essay = root / "posts/essay.md"
    essay.write_text(essay.read_text().replace("series: beta", "series: law").replace("part: 1", "part: 3")
                     .replace("More in [the next part](part:2) soon.\n\n", ""))
    (root / "posts/beta/series.toml").write_text('title = "Beta"\n\n[[planned]]\npart = 1\ntitle = "Beta one"\n\n'
                                                 '[[planned]]\npart = 2\ntitle = "Beta two"\n')
    cli(root, "revise", str(essay), "--note", "Moved to Law.", "--at", "2026-11-04T09:00")
    build(root, now=NOW)
    assert "More in the next part (forthcoming) soon." in text(root, "law/essay/v1/index.html")
    changes = (root / "output/law/essay/v2/changes/index.html").read_text()
    assert "More in the next part (forthcoming) soon." in text(root, "law/essay/v2/changes/index.html")
    assert 'law/two/">the next part' not in changes
    content = feedparser.parse((root / "output/atom.xml").read_bytes()).entries[0].content[0].value
    assert "the next part <span" in content and "(forthcoming)" in content
    assert 'law/two/">the next part' not in content

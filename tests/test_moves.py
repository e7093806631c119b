"""A post that moves after publication (its slug edited, its file renamed) keeps its old addresses: each
page a reader could have linked to there, the post's, its old versions' and its pages of what changed,
sends them on to where that page is now."""
from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import sync_playwright

from conftest import BROWSER_ARGS, CHROMIUM, EPOCH, SERIES, post, published_series, run_cli, serving


def cli(root: Path, *args: str):
    done = run_cli(*args, cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    return done


def edit(path: Path, old: str, new: str) -> None:
    """Change the file as an author would in an editor."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def assert_minor_refused(root: Path, post_file: str) -> None:
    """``revise --minor`` on a post that neither changed nor moved records nothing."""
    refused = run_cli("revise", post_file, "--minor", "--note", "Nothing.", cwd=root, env=EPOCH)
    assert refused.returncode == 1 and "--minor records a silent correction, but the text is unchanged" in refused.stderr


def revised_part(site) -> Path:
    """Part 2 of a series, published, then revised once."""
    root = published_series(site)
    edit(root / "posts/cities/part-2.md", "second part.", "second part, corrected.")
    cli(root, "revise", "posts/cities/part-2.md", "--note", "Corrected the opening.")
    return root


def redirect_of(root: Path, address: str) -> str | None:
    """Where the page at a site address sends readers on to, if it is a redirect."""
    page = (root / "output" / address / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    return found.group(1) if found else None


@pytest.mark.slow
def test_publish_and_revise_record_where_the_post_is(site):
    root = revised_part(site)
    for number in (1, 2):
        head = (root / f"posts/cities/part-2.versions/v{number}.md").read_text(encoding="utf-8").split("---")[1]
        assert "\naddress: cities/part-2/\n" in head


@pytest.mark.slow
def test_a_renamed_post_leaves_a_redirect_at_every_page_it_had(site):
    root = revised_part(site)
    (root / "posts/cities/part-2.md").rename(root / "posts/cities/the-statutes.md")
    (root / "posts/cities/part-2.versions").rename(root / "posts/cities/the-statutes.versions")
    built = cli(root, "build")
    assert built.stderr == (
        "posts/cities/the-statutes.md:1: warning: is at /essays/cities/the-statutes/ now, but its last recorded version "
        "was at /essays/cities/part-2/ (which redirects here); record the move, so that links to the new address "
        "survive a later one: feuilleton revise posts/cities/the-statutes.md --minor --note \"Moved to "
        "/essays/cities/the-statutes/\"\n")

    assert redirect_of(root, "cities/part-2") == "/essays/cities/the-statutes/"
    assert redirect_of(root, "cities/part-2/v1") == "/essays/cities/the-statutes/v1/"
    assert redirect_of(root, "cities/part-2/v2") == "/essays/cities/the-statutes/v2/"
    assert redirect_of(root, "cities/part-2/v2/changes") == "/essays/cities/the-statutes/v2/changes/"
    assert not (root / "output/cities/part-2/v1/changes").exists()  # version 1 has no page of what changed
    assert redirect_of(root, "cities/the-statutes") is None
    moved = (root / "output/cities/part-2/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/essays/cities/the-statutes/">' in moved
    assert '<meta name="robots" content="noindex">' in moved
    sitemap = (root / "output/sitemap.xml").read_text(encoding="utf-8")
    assert "/essays/cities/the-statutes/" in sitemap and "/cities/part-2/" not in sitemap

    # the move is recorded as a silent correction of the unchanged text; the old address keeps its redirects
    done = cli(root, "revise", "posts/cities/the-statutes.md", "--minor", "--note", "Moved.")
    assert "recorded version 3 (moved to cities/the-statutes/," in done.stdout
    assert done.stderr == ""  # no advice to record the move it records
    head = (root / "posts/cities/the-statutes.versions/v3.md").read_text(encoding="utf-8").split("---")[1]
    assert "\naddress: cities/the-statutes/\n" in head
    assert "warning" not in cli(root, "build").stderr
    assert redirect_of(root, "cities/part-2/v2/changes") == "/essays/cities/the-statutes/v2/changes/"
    assert not (root / "output/cities/part-2/v3").exists()  # version 3 never was at the old address
    assert_minor_refused(root, "posts/cities/the-statutes.md")


@pytest.mark.slow
def test_a_slug_changed_in_a_version_recorded_without_its_address_still_redirects(site):
    root = site({"posts/essay.md": post("An Essay", slug="first-thoughts", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    first = root / "posts/essay.versions/v1.md"
    edit(first, "address: first-thoughts/\n", "")  # as versions recorded before addresses were
    path = root / "posts/essay.md"
    edit(path, "slug: first-thoughts", "slug: an-essay")
    built = cli(root, "build")
    assert redirect_of(root, "first-thoughts") == "/essays/an-essay/"
    assert redirect_of(root, "first-thoughts/v1") == "/essays/an-essay/v1/"
    assert "posts/essay.md:4: warning: is at /essays/an-essay/ now, but its last recorded version was at " \
           "/essays/first-thoughts/ (which redirects here)" in built.stderr

    edit(path, "slug: an-essay", "slug: first-thoughts")  # moved back: nothing to redirect, nothing to record
    assert cli(root, "build").stderr == ""
    assert redirect_of(root, "first-thoughts") is None
    assert not (root / "output/an-essay").exists()
    assert_minor_refused(root, "posts/essay.md")


def test_an_address_edited_in_a_version_file_that_would_drop_published_pages_stops_the_build(site):
    """``address:`` is outside the seal, for mending; edited (a typo, a bad merge), the pages that sent readers
    on from the post's old address went without a word, and a deploy took them off as "a deleted post's"."""
    root = site({"posts/essay.md": post("Essay", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    edit(root / "posts/essay.md", "title: \"Essay\"", "title: \"Essay\"\nslug: renamed")
    cli(root, "revise", "posts/essay.md", "--minor", "--note", "Moved to /renamed/")
    cli(root, "build")
    assert redirect_of(root, "essay/v1") == "/essays/renamed/v1/"
    v1 = root / "posts/essay.versions/v1.md"
    edit(v1, "address: essay/", "address: something-else/")
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and done.stderr.startswith(
        "posts/essay.md: the last build sent readers on from /essay/v1/, an address this post had, and this build "
        "would not: the addresses of its versions are read from the `address:` lines in essay.versions/"), done.stderr
    assert redirect_of(root, "essay/v1") == "/essays/renamed/v1/"  # the last good output/ stays
    edit(v1, "address: something-else/", "address: essay/")
    (root / "templates").mkdir(exist_ok=True)  # a site's own redirect page, which writes its refresh otherwise
    theme = (Path(__file__).parent.parent / "engine/theme/redirect.html").read_text()
    assert 'http-equiv="refresh"' in theme
    (root / "templates/redirect.html").write_text(theme.replace('http-equiv="refresh"', "http-equiv=Refresh"))
    cli(root, "build")
    edit(v1, "address: essay/", "address: something-else/")
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 1


@pytest.mark.slow
def test_an_old_address_another_post_took_warns_and_its_versions_there_stay_that_posts(site):
    """A post at an address a moved post left takes the links made to it there (a warning); publishing it there
    would give it the version pages the moved post has there, for good (an error): readers who cite
    /essays/notes/v1/ cite the first post's first version."""
    root = site({"posts/essay.md": post("An Essay", slug="notes", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    edit(path, "slug: notes", "slug: an-essay")
    cli(root, "revise", "posts/essay.md", "--minor", "--note", "A shorter address.")
    (root / "posts/notes.md").write_text(post("Notes", body="Other text."), encoding="utf-8")  # public, unrecorded
    taken = ("posts/notes.md:1: warning: /essays/notes/ is where posts/essay.md was until its version 1: links made to "
             "that post there now reach this page instead, and its version pages there (/essays/notes/v1/) become "
             "this post's as it records versions: to leave them that post's, give this one another slug")
    assert cli(root, "build").stderr == taken + "\n"
    assert "Other text." in (root / "output/notes/index.html").read_text(encoding="utf-8")
    assert redirect_of(root, "notes/v1") == "/essays/an-essay/v1/"  # still the first post's first version
    refused = run_cli("publish", "posts/notes.md", cwd=root, env=EPOCH)
    assert refused.returncode == 1 and not (root / "posts/notes.versions").exists()
    assert ("posts/notes.md:1: /essays/notes/ is where posts/essay.md was until its version 1, and its version pages "
            "there (/essays/notes/v1/) would show this post's versions instead: a version's address is for good, so "
            "give this post another slug with `slug:` in its front matter\n") in refused.stderr
    edit(root / "posts/notes.md", 'title: "Notes"', 'title: "Notes"\nslug: other-notes')
    cli(root, "publish", "posts/notes.md")
    cli(root, "build")
    assert redirect_of(root, "notes/v1") == "/essays/an-essay/v1/"
    assert "Other text." in (root / "output/other-notes/v1/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_part_renumbered_by_swapping_files_is_refused_and_told_how(site):
    """Parts 2 and 3 swapped by renaming their files (and folders of versions): each would take the other's
    version pages, which feeds and citations gave out."""
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-2.md": post("Two", series="cities", part=2, body="The second."),
                 "posts/cities/part-3.md": post("Three", series="cities", part=3, body="The third.")})
    cli(root, "publish", "posts/cities/part-2.md")
    cli(root, "publish", "posts/cities/part-3.md")
    cli(root, "build")
    folder = root / "posts/cities"
    for a, b in (("part-2", "t"), ("part-3", "part-2"), ("t", "part-3")):
        (folder / f"{a}.md").rename(folder / f"{b}.md")
        (folder / f"{a}.versions").rename(folder / f"{b}.versions")
    before = (root / "output/cities/part-2/v1/index.html").read_bytes()
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 1
    assert "give this post another slug with `slug:` in its front matter; to renumber a series' parts, change " \
           "`part:` in each file and leave the files' names, which are their addresses" in built.stderr
    assert "revise" not in built.stderr  # recording the move is no way out: no warning says to
    assert (root / "output/cities/part-2/v1/index.html").read_bytes() == before and b"The second." in before


def test_parts_swapped_and_recorded_before_this_was_refused_still_build(site, monkeypatch):
    """A site whose author swapped two parts' files and recorded the moves, as an earlier Feuilleton allowed:
    each post has a version recorded where it stands, so its pages there are as they were, and the build goes
    on with the warnings it gave then."""
    import engine.site.redirects as redirects
    from engine.build import build
    from engine.commands.revise import revise
    from engine.config import load_config
    from conftest import NOW
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-2.md": post("Two", series="cities", part=2, body="The second."),
                 "posts/cities/part-3.md": post("Three", series="cities", part=3, body="The third.")})
    cli(root, "publish", "posts/cities/part-2.md")
    cli(root, "publish", "posts/cities/part-3.md")
    folder = root / "posts/cities"
    for a, b in (("part-2", "t"), ("part-3", "part-2"), ("t", "part-3")):
        (folder / f"{a}.md").rename(folder / f"{b}.md")
        (folder / f"{a}.versions").rename(folder / f"{b}.versions")
    config, _ = load_config(root)
    with monkeypatch.context() as earlier:  # the tool as it was: the moves recorded
        earlier.setattr(redirects, "_recorded_at", lambda post, path: True, raising=False)
        for name in ("part-2", "part-3"):
            revise(folder / f"{name}.md", root, config, "Moved.", None, True, NOW)
    result = build(root, now=NOW)
    assert result.pages and all(w.warning for w in result.warnings)
    assert "The third." in (root / "output/cities/part-2/v2/index.html").read_text()


@pytest.mark.slow
def test_a_slug_whose_letters_only_changed_case_leaves_no_redirect_onto_itself(site):
    root = site({"posts/essay.md": post("An Essay", slug="Notes", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    edit(path, "slug: Notes", "slug: notes")
    built = cli(root, "build")
    assert redirect_of(root, "notes") is None
    assert not (root / "output/Notes").exists()  # on a host that ignores case it would be the page itself
    assert built.stderr == (  # one warning, and no false word of a redirect
        "posts/essay.md:4: warning: is at /essays/notes/ now, but its last recorded version was at /essays/Notes/; "
        "record the move, so that links to the new address survive a later one: feuilleton revise posts/essay.md "
        "--minor --note \"Moved to /essays/notes/\"\n")
    cli(root, "revise", "posts/essay.md", "--minor", "--note", "Lower case.")
    assert cli(root, "build").stderr == ""


def test_the_note_suggested_for_a_move_is_in_the_posts_language(site):
    """The note the warning suggests goes into the public history: on a German site it read "kleine Korrektur
    — Moved to …" on every version's page."""
    root = site({"posts/essay.md": post("Ein Essay", body="Text.", slug="alt"),
                 "posts/essai.md": post("Un essai", body="Texte.", slug="ancien", language="fr")})
    config = root / "config.toml"
    config.write_text(config.read_text().replace("timezone =", 'language = "de"\ntimezone ='))
    cli(root, "publish", "posts/essay.md")
    cli(root, "publish", "posts/essai.md")
    edit(root / "posts/essay.md", "slug: alt", "slug: neu")
    edit(root / "posts/essai.md", "slug: ancien", "slug: nouveau")
    said = cli(root, "build").stderr
    assert 'feuilleton revise posts/essay.md --minor --note "Verschoben nach /essays/neu/"\n' in said, said
    assert 'feuilleton revise posts/essai.md --minor --note "Déplacé vers /essays/nouveau/"\n' in said, said


@pytest.mark.slow
def test_a_hand_edited_address_that_is_none_stops_the_build_at_its_line(site):
    root = site({"posts/essay.md": post("An Essay", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    first = root / "posts/essay.versions/v1.md"
    edit(first, "address: essay/", "address: ../../etc/")
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert ("posts/essay.versions/v1.md:8: `address: ../../etc/` is not an address on the site (like series/slug/); "
            "correct it, or delete the line") in built.stderr
    (root / "output/.git").mkdir(parents=True)  # a deploy worktree
    (root / "output/.git/config").write_text("[core]\n", encoding="utf-8")
    edit(first, "address: ../../etc/", "address: .git/")
    assert "`address: .git/` is not an address on the site" in run_cli("build", cwd=root, env=EPOCH).stderr
    assert (root / "output/.git/config").read_text(encoding="utf-8") == "[core]\n"


@pytest.mark.slow
def test_a_reader_following_an_old_link_lands_on_the_page_in_a_browser(site):
    root = revised_part(site)
    path = root / "posts/cities/part-2.md"
    edit(path, "part: 2", "part: 2\nslug: statutes")
    cli(root, "build")
    (root / "www").mkdir()
    (root / "www/essays").symlink_to(root / "output")  # the site lives at /essays/, as its base_url says
    with serving(root / "www") as server, sync_playwright() as p:
        base = server + "/essays"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page()
        page.goto(base + "/cities/part-2/v2/changes/")
        page.wait_for_url(base + "/cities/statutes/v2/changes/")
        assert page.locator("h1").first.inner_text().startswith("What changed")
        page.goto(base + "/cities/part-2/#fn-1")
        page.wait_for_url(base + "/cities/statutes/#fn-1")  # to the same place on the page
        assert page.locator("h1").first.inner_text() == "The Statutes"
        browser.close()


@pytest.mark.slow
def test_a_renamed_series_sends_readers_of_its_old_page_to_the_new_one(site):
    root = revised_part(site)
    (root / "posts/cities").rename(root / "posts/sanctuary")
    cli(root, "build")
    assert redirect_of(root, "cities") == "/essays/sanctuary/"
    assert redirect_of(root, "cities/part-1") == "/essays/sanctuary/part-1/"
    assert redirect_of(root, "cities/part-2/v2/changes") == "/essays/sanctuary/part-2/v2/changes/"
    assert "The series “Sanctuary Cities” is now at" in (root / "output/cities/index.html").read_text(encoding="utf-8")
    for name in ("feed.xml", "atom.xml"):  # a feed reader cannot follow a page: the feeds stay where they were
        old, new = (feedparser.parse((root / "output" / folder / name).read_bytes()) for folder in ("cities", "sanctuary"))
        assert not old.bozo and [e.id for e in old.entries] == [e.id for e in new.entries] and len(old.entries) == 3
        assert old.entries[0].link.startswith("https://example.org/essays/sanctuary/")
    atom = feedparser.parse((root / "output/cities/atom.xml").read_bytes())
    assert atom.feed.id == "https://example.org/essays/cities/"  # a feed's id never changes
    # the series read whole, and its EPUB (a host that reads _redirects answers for a file no page can be)
    assert redirect_of(root, "cities/all") == "/essays/sanctuary/all/"
    rules = (root / "output/_redirects").read_text().splitlines()
    assert "/essays/cities/all/ /essays/sanctuary/all/ 301" in rules
    # first: a host that reads only so many rules keeps the one no page stands in for
    assert rules[0] == "/essays/cities/cities.epub /essays/sanctuary/sanctuary.epub 301"
    assert (root / "output/sanctuary/sanctuary.epub").is_file()


def test_a_new_series_in_a_renamed_series_folder_is_told_it_takes_that_series_feeds(site):
    """Readers subscribed to /cities/feed.xml followed "Sanctuary Cities"; a new series written in the folder
    it left would reach them instead, which the author is told.  A series a part only moved out of is not."""
    root = published_series(site)
    (root / "posts/cities").rename(root / "posts/sanctuary")
    for part in (1, 2):
        cli(root, "revise", f"posts/sanctuary/part-{part}.md", "--minor", "--note", "Moved.")
    (root / "posts/cities").mkdir()
    (root / "posts/cities/series.toml").write_text('title = "Other cities"\n', encoding="utf-8")
    (root / "posts/cities/ports.md").write_text(post("Ports", part=1, body="Ports."), encoding="utf-8")
    built = cli(root, "build")
    assert ("posts/cities/series.toml:1: warning: /essays/cities/ is where the series `sanctuary` was until its "
            "parts moved: readers subscribed to its feeds there (/essays/cities/feed.xml, /essays/cities/atom.xml, "
            "/essays/cities/feed.json) now get this series' parts, and its page there is this one; to leave them "
            "that series', give this folder another name") in built.stderr.splitlines()
    (root / "posts/cities").rename(root / "posts/harbours")
    assert "series.toml" not in cli(root, "build").stderr


def test_a_series_all_of_whose_parts_moved_into_another_is_not_told_it_took_a_folder(site):
    root = published_series(site)
    (root / "posts/other").mkdir()
    (root / "posts/other/series.toml").write_text('title = "Other"\n', encoding="utf-8")
    for part in (1, 2):
        for name in (f"part-{part}.md", f"part-{part}.versions"):
            (root / "posts/cities" / name).rename(root / "posts/other" / name)
        cli(root, "revise", f"posts/other/part-{part}.md", "--minor", "--note", "Moved to Other.")
    assert "series.toml" not in cli(root, "build").stderr  # cities/ keeps its series.toml, and no part


def test_a_part_moved_and_renumbered_is_told_once_what_records_both(site):
    """A new slug and a new number, both unrecorded: one ``revise`` records both, and one warning says so."""
    root = published_series(site)
    edit(root / "posts/cities/part-2.md", "part: 2", "part: 3\nslug: statutes")
    said = [line for line in cli(root, "build").stderr.splitlines() if "posts/cities/part-2.md" in line]
    assert len(said) == 1 and "record the move" in said[0], said


def test_a_series_a_part_moved_out_of_is_not_told_it_took_a_folder(site):
    root = published_series(site)
    (root / "posts/other").mkdir()
    (root / "posts/other/series.toml").write_text('title = "Other"\n', encoding="utf-8")
    for name in ("part-2.md", "part-2.versions"):
        (root / "posts/cities" / name).rename(root / "posts/other" / name.replace("part-2", "part-1"))
    edit(root / "posts/other/part-1.md", "part: 2", "part: 1")
    cli(root, "revise", "posts/other/part-1.md", "--minor", "--note", "Moved to Other.")
    assert cli(root, "build").stderr == ""


def test_a_part_reference_to_a_renamed_series_finds_the_part_where_it_is_now(site):
    root = published_series(site)
    (root / "posts/essay.md").write_text(post("Essay", body="See [the statutes](part:cities/2)."), encoding="utf-8")
    (root / "posts/cities").rename(root / "posts/sanctuary")
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "part:cities/2" not in done.stderr, done.stderr
    page = (root / "output/essay/index.html").read_text(encoding="utf-8")
    assert '<a href="/essays/sanctuary/part-2/">the statutes</a>' in page


def test_a_version_recorded_as_another_part_of_its_series_keeps_the_number_readers_read(site):
    """A part inserted before Part 2, which became Part 3 as the guide says (``part:`` changed, the file's name
    kept, the move recorded): Part 2's version 1, read and cited as "Part 2", said "Part 3" at its permanent
    address, where a part moved to another series keeps the part it was there."""
    root = published_series(site)
    cli(root, "build")
    assert re.search(r'<span class="part-label">Part 2</span>', (root / "output/cities/part-2/v1/index.html").read_text())
    edit(root / "posts/cities/part-2.md", "part: 2", "part: 3")
    (root / "posts/cities/inserted.md").write_text(post("Inserted", date="2026-11-12T09:00:00", part=2,
                                                        body="Between."), encoding="utf-8")
    cli(root, "revise", "posts/cities/part-2.md", "--minor", "--note", "Now Part 3.")
    cli(root, "publish", "posts/cities/inserted.md")
    cli(root, "build")
    label = re.compile(r'<span class="part-label">(Part \d)</span>')
    assert label.findall((root / "output/cities/part-2/v1/index.html").read_text()) == ["Part 2"]
    assert label.findall((root / "output/cities/part-2/v2/index.html").read_text()) == ["Part 3"]
    assert label.findall((root / "output/cities/part-2/index.html").read_text())[:1] == ["Part 3"]


def test_a_version_recorded_in_another_series_keeps_its_part_links_and_its_place_there(site):
    """Part 2 of one series moved to be Part 1 of another: its version 1 is what readers read as Part 2, and
    ``[Part 1](part:1)`` in it meant the first series' Part 1.  Before, the permanent page of version 1 said
    "Part 1 · Other" and its link led to the post itself."""
    root = published_series(site)
    edit(root / "posts/cities/part-2.md", "The second part.", "The second part, after [Part 1](part:1).")
    cli(root, "revise", "posts/cities/part-2.md", "--note", "Pointed back to the first part.")
    (root / "posts/other").mkdir()
    (root / "posts/other/series.toml").write_text('title = "Other"\n', encoding="utf-8")
    for name in ("part-2.md", "part-2.versions"):
        (root / "posts/cities" / name).rename(root / "posts/other" / name.replace("part-2", "part-1"))
    edit(root / "posts/other/part-1.md", "part: 2", "part: 1")
    edit(root / "posts/other/part-1.md", "(part:1)", "(part:cities/1)")
    cli(root, "revise", "posts/other/part-1.md", "--minor", "--note", "Moved to Other.")
    cli(root, "build")
    old = (root / "output/other/part-1/v2/index.html").read_text(encoding="utf-8")
    assert 'after <a href="/essays/cities/part-1/">Part 1</a>' in old
    assert re.search(r'class="series-line"><span class="part-label">Part 2</span>.*?>Sanctuary Cities</a>', old)
    now = (root / "output/other/part-1/index.html").read_text(encoding="utf-8")
    assert 'after <a href="/essays/cities/part-1/">Part 1</a>' in now and ">Other</a>" in now
    changed = (root / "output/other/part-1/v2/changes/index.html").read_text(encoding="utf-8")
    assert '<a href="/essays/cities/part-1/">Part 1</a>' in changed  # v2 was written in that series, too
    assert '<a href="/essays/other/part-1/">Part 1</a>' not in changed


def test_the_redirect_page_shows_the_new_address_as_readers_write_it(site):
    root = site({"posts/essay.md": post("Café", slug="cafe", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    edit(path, "slug: cafe", "slug: café-été")
    cli(root, "build")
    page = (root / "output/cafe/index.html").read_text(encoding="utf-8")
    assert "is now at <a href=\"/essays/caf%C3%A9-%C3%A9t%C3%A9/\">https://example.org/essays/café-été/</a>." in page


@pytest.mark.slow
def test_an_old_address_a_series_took_is_said_to_the_post_that_moved(site):
    root = site({"posts/essay.md": post("An Essay", slug="cities", body="Text.")})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    edit(path, "slug: cities", "slug: an-essay")
    cli(root, "revise", "posts/essay.md", "--minor", "--note", "Moved.")
    (root / "posts/cities").mkdir()
    (root / "posts/cities/series.toml").write_text(SERIES, encoding="utf-8")
    built = cli(root, "build")
    assert built.stderr == ("posts/essay.md:4: warning: moved from /essays/cities/, where posts/cities/series.toml now "
                            "is: links made to this post there reach that page instead\n")
    assert redirect_of(root, "cities") is None and redirect_of(root, "cities/v1") == "/essays/an-essay/v1/"


@pytest.mark.slow
def test_a_bad_address_in_one_version_is_the_one_error_said(site):
    root = revised_part(site)
    first = root / "posts/cities/part-2.versions/v1.md"
    for bad in ("address: ' x/'", "address: <b>x/"):
        first.write_text(re.sub(r"address: .*", bad, first.read_text(encoding="utf-8")), encoding="utf-8")
        built = run_cli("build", cwd=root, env=EPOCH)
        assert built.returncode == 1
        assert [line.split(": ", 1)[0] for line in built.stderr.splitlines()] == ["posts/cities/part-2.versions/v1.md:8"]


@pytest.mark.slow
def test_a_post_taking_a_moved_posts_address_in_other_letters_is_refused(site):
    root = site({"posts/essay.md": post("An Essay", slug="delta", body="Text."),
                 "posts/my notes.md": post("Notes", body="Other.", slug="Delta", draft=True)})
    cli(root, "publish", "posts/essay.md")
    path = root / "posts/essay.md"
    edit(path, "slug: delta", "slug: épsilon")
    built = cli(root, "build")
    assert ("posts/essay.md:4: warning: is at /essays/épsilon/ now, but its last recorded version was at /essays/delta/ "
            "(which redirects here); record the move, so that links to the new address survive a later one: "
            "feuilleton revise posts/essay.md --minor --note \"Moved to /essays/épsilon/\"") in built.stderr
    refused = run_cli("publish", "posts/my notes.md", cwd=root, env=EPOCH)
    assert refused.returncode == 1
    assert ("posts/my notes.md:4: /essays/delta/ is where posts/essay.md was until its version 1, and its version "
            "pages there (/essays/delta/v1/) would show this post's versions instead") in refused.stderr


@pytest.mark.slow
def test_the_page_of_everything_since_the_first_version_follows_a_moved_post(site):
    root = revised_part(site)
    edit(root / "posts/cities/part-2.md", "corrected.", "corrected again.")
    cli(root, "revise", "posts/cities/part-2.md", "--note", "Corrected it again.")
    cli(root, "build")
    assert (root / "output/cities/part-2/changes/index.html").is_file()  # two revisions changed the text
    (root / "posts/cities/part-2.md").rename(root / "posts/cities/the-statutes.md")
    (root / "posts/cities/part-2.versions").rename(root / "posts/cities/the-statutes.versions")
    cli(root, "build")
    assert redirect_of(root, "cities/part-2/changes") == "/essays/cities/the-statutes/changes/"
    assert (root / "output/cities/the-statutes/changes/index.html").is_file()
    hosts = (root / "output/_redirects").read_text(encoding="utf-8")
    assert "/essays/cities/part-2/changes/ /essays/cities/the-statutes/changes/ 301" in hosts

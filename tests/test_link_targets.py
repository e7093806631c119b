"""Links and images in an essay or a note that point into the site at nothing the build writes are a warning
with their line: a file left beside the post (``posts/`` is not published), a page that does not exist, a
draft.  What does exist — pages, listings, feeds, versions, static files, a scheduled post — is no warning."""
from __future__ import annotations

import pytest

from conftest import CONFIG, NOW, SERIES, post
from engine.build import build
from engine.commands.revise import revise
from engine.config import load_config

AT_ROOT = CONFIG.replace("https://example.org/essays/", "https://example.org/")


@pytest.fixture
def site(site):
    """The shared factory, for a site at its domain's root unless a config is given."""
    return lambda files, config=AT_ROOT: site(files, config=config)


def _warnings(root) -> list[str]:
    return [str(w) for w in build(root, now=NOW).warnings]


def test_a_file_beside_the_post_is_named_with_where_it_belongs(site) -> None:
    root = site({"posts/essay.md": post("Essay", body="A map:\n\n![map](map.png)\n"),
                 "posts/map.png": "png",
                 "posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("One", part=1, body="[the chart](chart.svg)\n"),
                 "posts/cities/chart.svg": "<svg/>"})
    assert sorted(_warnings(root)) == [
        "posts/cities/part-1.md:7: warning: chart.svg lies beside the post, but posts/ is not published: move it "
        "into static/ and write ../../chart.svg (static/ is copied to the site's root)",
        "posts/essay.md:8: warning: map.png lies beside the post, but posts/ is not published: move it into "
        "static/ and write ../map.png (static/ is copied to the site's root)"]
    assert not (root / "output/essay/map.png").exists()


def test_a_link_to_no_page_is_a_warning_with_its_line(site) -> None:
    body = "First.\n\n[gone](/no-such-essay/) and [typo](../arhcive/).\n\n![x](/img/missing.png)\n"
    root = site({"posts/essay.md": post("Essay", body=body)})
    assert _warnings(root) == [
        "posts/essay.md:8: warning: link to /no-such-essay/ leads to nothing on the site: no page or file of this "
        "build is /no-such-essay/",
        "posts/essay.md:8: warning: link to ../arhcive/ leads to nothing on the site: no page or file of this "
        "build is /arhcive/",
        "posts/essay.md:10: warning: link to /img/missing.png leads to nothing on the site: no page or file of "
        "this build is /img/missing.png"]


def test_a_link_the_page_spells_otherwise_is_placed_on_its_own_line_and_shown_as_written(site) -> None:
    """``{filename}/x.png`` (left by an import) is ``%7Bfilename%7D/x.png`` in the page: found at its own line,
    and shown as the author wrote it; before, the warning fell on the first line of the text."""
    root = site({"posts/essay.md": post("Essay", body="One.\n\nTwo.\n\n![a]({filename}/x.png) and "
                                                     "[b](|category|notes) and [c](<part: 2>).\n")})
    assert sorted(_warnings(root)) == [
        "posts/essay.md:10: warning: `part: 2` is no part reference: write part:N, or part:SERIES/N for another "
        "series",
        "posts/essay.md:10: warning: link to {filename}/x.png leads to nothing on the site: no page or file of this "
        "build is /essay/{filename}/x.png",
        "posts/essay.md:10: warning: link to |category|notes leads to nothing on the site: no page or file of this "
        "build is /essay/|category|notes"]


def test_links_to_what_the_build_writes_are_no_warning(site) -> None:
    body = ("[home](/), [archive](/archive/), [other](../other), [its version](/other/v1/), [feed](/feed.xml), "
            "[series feed](/cities/atom.xml), [tag](/tags/rivers/), [part](/cities/part-1/#top), "
            "[query](/archive/?x=1), [mail](mailto:a@example.org), [web](https://example.com/nothing/), "
            "[same page](#top), [spaced](/img/a%20map.png), [book](/cities/cities.epub), [style](/theme/style.css)\n"
            "\n![map](/img/a map.png)\n")
    root = site({"posts/essay.md": post("Essay", body=body, tags="[rivers]"),
                 "posts/other.md": post("Other"),
                 "posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("One", part=1),
                 "static/img/a map.png": "png"})
    config, _ = load_config(root)
    revise(root / "posts/other.md", root, config, "Update.", None, False, NOW)
    assert _warnings(root) == []
    assert (root / "output/cities/cities.epub").is_file()


def test_a_draft_is_named_and_a_scheduled_post_is_not(site) -> None:
    body = "[soon](/soon/) and [unfinished](/unfinished/)\n"
    root = site({"posts/essay.md": post("Essay", body=body),
                 "posts/soon.md": post("Soon", date="2026-12-24T09:00:00"),
                 "posts/unfinished.md": post("Unfinished", draft="true")})
    assert _warnings(root) == [
        "posts/essay.md:6: warning: link to /unfinished/ leads to posts/unfinished.md, which is not published: "
        "readers find nothing there"]


def test_a_note_is_checked_at_its_own_line(site) -> None:
    root = site({"posts/essay.md": post("Essay")})
    config, _ = load_config(root)
    revise(root / "posts/essay.md", root, config, "Update: see [the follow-up](/follow-up/).", None, False, NOW)
    assert _warnings(root) == [
        "posts/essay.versions/v2.md:10: warning: link to /follow-up/ leads to nothing on the site: no page or "
        "file of this build is /follow-up/"]


def test_a_site_below_the_root_checks_within_its_folder(site) -> None:
    root = site({"posts/essay.md": post("Essay", body="[a](../archive/) [b](../missing/)\n")}, config=CONFIG)
    assert _warnings(root) == [
        "posts/essay.md:6: warning: link to ../missing/ leads to nothing on the site: no page or file of this "
        "build is /essays/missing/"]


def test_a_link_to_an_anchor_named_the_old_way_is_followed_on_the_page_and_in_the_book(site) -> None:
    """`<a name="loss">`, as imported blogs hold it: browsers scroll to it, but the build warned that the link
    led to no section, and the series' book sent the link to the chapter's top."""
    import zipfile
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("One", part=1, body="See [the loss](#loss) and [x](#nothere).\n\n"
                                                "<a name=\"loss\"></a>The loss function.\n"),
                 "posts/cities/part-2.md": post("Two", "2026-11-02T09:00:00", part=2,
                                                body="As [part 1 said](../part-1/#loss).\n")})
    assert _warnings(root) == [
        "posts/cities/part-1.md:7: warning: link to #nothere leads to no section of this page: a heading's id is "
        "its text in lower case, words joined by -; check the heading"]
    with zipfile.ZipFile(root / "output/cities/cities.epub") as book:
        one, two = book.read("EPUB/part-1.xhtml").decode(), book.read("EPUB/part-2.xhtml").decode()
    assert '<a href="#loss">the loss</a>' in one and '<a id="loss"/>' in one and 'name="loss"' not in one
    assert '<a href="part-1.xhtml#loss">part 1 said</a>' in two

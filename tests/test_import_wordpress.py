"""``feuilleton import`` of a WordPress export (tests/fixtures/import/wordpress/export.xml, written here):
posts, pages, a series by category, drafts, revisions as a sealed archive, assets, the report, and
the imported site built and validated."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
import pytest
import yaml

from conftest import EPOCH, broken_links, build_model, nu_errors, run_cli, snapshot, write_site
from engine.build import build
from engine.cli import main
from engine.importing.html import to_markdown
from engine.importing.model import ReadOptions
from engine.importing.report import Progress, progress_for
from engine.importing.wordpress import autop, read
from engine.text.markdown import render

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "wordpress"
EXPORT = FIXTURE / "export.xml"


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Path, str]:
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(EXPORT), *args]) == 0
    return root, capsys.readouterr().out


def test_posts_pages_drafts_and_a_series_by_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, out = imported(tmp_path, capsys, "--series-from", "category")
    posts = root / "posts"
    assert sorted(p.relative_to(posts).as_posix() for p in posts.rglob("*.md") if ".versions" not in str(p)) == [
        "a-scheduled-essay.md", "about.md", "contact.md", "on-reading-statutes.md", "private-thoughts.md",
        "sanctuary-cities/sanctuary-cities-part-1.md", "sanctuary-cities/sanctuary-cities-part-2.md",
        "sanctuary-cities/sanctuary-cities-part-3.md"]
    series = (posts / "sanctuary-cities/series.toml").read_text()
    assert series == 'title = "Sanctuary Cities"\nstatus = "ongoing"\n'  # part 3 is a draft
    first = front(posts / "sanctuary-cities/sanctuary-cities-part-1.md")
    assert first["part"] == 1 and first["imported_from"] == "wordpress:notes.example.org/?p=101"
    assert first["summary"] == "Whether a city may refuse to help federal immigration enforcement."
    assert first["tags"] == ["immigration"]  # the category that became the series is not a tag too
    assert first["aliases"] == ["/2016/11/22/sanctuary-cities-part-1/"]
    assert str(first["date"]) == "2016-11-22 10:00:00-05:00"  # as the blog showed it (post_date)
    assert [front(posts / f"sanctuary-cities/sanctuary-cities-part-{n}.md")["part"] for n in (2, 3)] == [2, 3]
    for name in ("sanctuary-cities/sanctuary-cities-part-3.md", "a-scheduled-essay.md", "private-thoughts.md"):
        assert front(posts / name)["draft"] is True, name
    about = front(posts / "about.md")
    assert about["layout"] == "page" and "date" not in about and "aliases" not in about  # /about/ is its address
    assert front(posts / "contact.md")["aliases"] == ["/about/contact/"]
    assert front(posts / "on-reading-statutes.md")["tags"] == ["Essays", "immigration"]
    assert out.splitlines()[0] == ("wordpress: imported 6 posts, 2 pages, 1 series, 2 versions, 2 images and "
                                   "files, 5 aliases")


def test_html_becomes_markdown_and_what_markdown_cannot_say_stays_html(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = imported(tmp_path, capsys)
    first, second = body(root / "posts/sanctuary-cities-part-1.md"), body(root / "posts/sanctuary-cities-part-2.md")
    assert "an old question.[^1] It is asked again now." in first
    assert first.rstrip().endswith("[^1]: See 8 U.S.C. § 1373.")  # the back-link is gone
    assert "The statute says less than either side claims.  \nIt says it in one sentence." in first  # wpautop
    assert ('<figure><img alt="A map of the cities" class="size-full wp-image-50" height="480" '
            'src="/essays/wp-content/uploads/2016/11/map-of-cities.png" width="640"/> '
            "<figcaption>Cities that limit cooperation, 2016</figcaption></figure>") in first
    assert "> No State or local government entity may prohibit" in first
    assert "| Statute | Year |\n| --- | --- |\n| 8 U.S.C. § 1373 | 1996 |" in second
    assert '<table><tr><th colspan="2">Who must share what</th></tr>' in second  # no border, no cellpadding
    assert ('<iframe allowfullscreen="" height="315" src="https://www.youtube.com/embed/abc123" '
            'style="max-width: 100%"') in second
    assert "frameborder" not in second and "wp:" not in second
    statutes = body(root / "posts/on-reading-statutes.md")
    assert '[gallery ids="50,51" columns="2"]' in statutes
    assert "![The courthouse](/essays/wp-content/uploads/2016/11/courthouse.png)" in statutes
    for name in ("map-of-cities.png", "courthouse.png"):
        assert (root / "static/wp-content/uploads/2016/11" / name).read_bytes() == \
            (FIXTURE / "uploads/2016/11" / name).read_bytes()


def test_the_report_names_everything_left_out_or_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = imported(tmp_path, capsys)
    where = str(EXPORT)
    for line in (f"  {where}:18: author A. Writer: authors are not imported",
                 f"  {where}:43: 2 comment(s) on 'Sanctuary Cities, Part 1': comments are not imported",
                 f"  {where}:43: address /?p=101: a query address cannot be redirected by a static host",
                 f"  {where}:136: block wp:latest-posts: WordPress renders it when a page is viewed",
                 f"  {where}:271: nav menu item: menus are not imported",
                 f"  {where}:193: shortcode [gallery]: WordPress expands it when a page is viewed; kept as visible",
                 f"  {where}:136: table with merged cells or blocks in its cells: kept as raw HTML",
                 f"  {where}:136: iframe (an embed): kept as raw HTML",
                 f"  {where}:50: figure with a caption: kept as raw HTML",
                 f"  {where}:212: post 'A Scheduled Essay': scheduled on WordPress: imported as a draft",
                 f"  {where}:227: post 'Private Thoughts': private on WordPress: imported as a draft"):
        assert any(printed.startswith(line) for printed in out.splitlines()), line
    assert "block wp:embed" not in out  # an embed block has content, which is kept
    assert '  title = "About"\n  url = "/about/"' in out


def test_revisions_become_the_posts_sealed_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = imported(tmp_path, capsys)
    site, report = build_model(root)
    assert report.errors == []
    post = next(p for p in site.posts.values() if p.imported_from == "wordpress:notes.example.org/?p=101")
    assert [(v.number, v.minor, v.date.isoformat()) for v in post.versions] == [
        (1, False, "2016-11-22T10:00:00-05:00"), (2, True, "2016-11-25T17:30:00+00:00")]
    assert "It says it in one sentence." not in post.versions[0].body  # the text at publication (revision 201)
    assert "It says it in one sentence." in post.versions[1].body
    assert "Half a sentence" not in str(post.versions[0].body) + str(post.versions[1].body)  # the autosave is not a version
    archive = (root / "posts/sanctuary-cities-part-1.versions/v1.md").read_text()
    assert "origin: wordpress revision 201" in archive and "seal: " in archive
    assert [v.title for v in post.versions] == ["Sanctuary Cities, the First Part", "Sanctuary Cities, Part 1"]
    assert front(root / "posts/sanctuary-cities-part-1.md")["version"] == 2


def test_a_second_run_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = imported(tmp_path, capsys, "--series-from", "category")
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(EXPORT), "--series-from", "category"]) == 0
    out = capsys.readouterr().out
    assert snapshot(root) == before
    assert "wordpress: imported 0 posts, 0 pages, 0 series, 0 versions" in out
    assert "8 posts were imported by an earlier run and are left as they are; nothing changed" in out


def test_a_dry_run_prints_the_report_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    before = snapshot(root, folders=True)
    assert main(["--site", str(root), "import", str(EXPORT), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert snapshot(root, folders=True) == before
    assert out.startswith("wordpress: would import 6 posts, 2 pages, 0 series, 2 versions")
    assert out.rstrip().endswith("dry run: nothing was written")


def test_series_from_titles_and_from_tags() -> None:
    by_title = read(EXPORT, ReadOptions(series_from="title"))
    parts = {p.title: (p.series, p.part) for p in by_title.posts if p.series}
    assert parts == {"Sanctuary Cities, Part 1": ("sanctuary-cities", 1),
                     "Sanctuary Cities, Part 2": ("sanctuary-cities", 2),
                     "Sanctuary Cities, Part 3": ("sanctuary-cities", 3)}
    by_tag = read(EXPORT, ReadOptions(series_from="tag"))
    assert {p.title: p.part for p in by_tag.posts if p.series == "immigration"} == {
        "On Reading Statutes": 1, "Sanctuary Cities, Part 1": 2}
    assert by_tag.series["immigration"].title == "immigration"


def test_without_an_uploads_folder_images_keep_their_addresses(tmp_path: Path) -> None:
    alone = tmp_path / "export.xml"
    shutil.copy(EXPORT, alone)
    result = read(alone, ReadOptions())
    post = next(p for p in result.posts if p.source_id == "wordpress:notes.example.org/?p=104")
    assert post.assets == ()
    assert "![The courthouse](https://notes.example.org/wp-content/uploads/2016/11/courthouse.png)" in post.markdown


def test_classic_paragraphs_are_made_as_wordpress_makes_them() -> None:
    assert autop("One\nline.\n\nTwo.\n\n<blockquote>Three</blockquote>\n\n\n[caption]x[/caption]") == (
        "<p>One<br>\nline.</p>\n\n<p>Two.</p>\n\n<blockquote>Three</blockquote>\n\n[caption]x[/caption]")


@pytest.mark.slow
def test_the_imported_site_builds_cleanly_and_validates(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(EXPORT), "--series-from", "category", cwd=root)
    assert done.returncode == 0, done.stderr
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert "error" not in built.stderr.lower(), built.stderr
    checked = run_cli("check", cwd=root, env=EPOCH)
    assert checked.returncode == 0 and "warning" not in checked.stderr, checked.stderr
    output = root / "output"
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert not feed.bozo and {e.title for e in feed.entries} >= {"Sanctuary Cities, Part 1", "On Reading Statutes"}
    assert "About" not in {e.title for e in feed.entries}  # a page is in no feed
    ids = {e.title: e.id for e in feed.entries}  # readers know the posts by their old ids: no duplicates
    assert ids["Sanctuary Cities, Part 1"] == "https://notes.example.org/?p=101"
    assert ids["On Reading Statutes"].startswith("https://notes.example.org/?p=")
    series_feed = feedparser.parse((output / "sanctuary-cities/feed.xml").read_bytes())
    assert not series_feed.bozo and len(series_feed.entries) >= 2
    assert (output / "2016/11/22/sanctuary-cities-part-1/index.html").is_file()  # the old address redirects
    assert (output / "wp-content/uploads/2016/11/map-of-cities.png").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []


def test_headings_are_renumbered_so_that_none_skips_a_level() -> None:
    done = to_markdown("<h3>First</h3><p>Text.</p><h5>Second</h5><h3>Third</h3>")
    assert done.markdown == "## First\n\nText.\n\n### Second\n\n## Third\n"
    assert done.kept == ("headings renumbered (h3 as h2, h5 as h3) to follow the title",)
    assert to_markdown("<h2>A</h2><h3>B</h3>").kept == ()


def test_a_terminal_sees_a_counter_and_a_file_sees_nothing(tmp_path: Path) -> None:
    shown = io.StringIO()
    counter = Progress(shown)
    for number in range(1, 4):
        counter.step(number, 3, "items")
    counter.close()
    assert shown.getvalue() == ("\rreading items: 1/3\x1b[K\rreading items: 2/3\x1b[K\rreading items: 3/3\x1b[K"
                                "\r\x1b[K")
    with open(tmp_path / "log", "w") as log:
        assert progress_for(log, quiet=False) is None


def test_no_history_leaves_the_revisions_out() -> None:
    posts = {p.source_id: p for p in read(EXPORT, ReadOptions(history=False)).posts}
    assert posts["wordpress:notes.example.org/?p=101"].history == ()
    again = {p.source_id: p for p in read(EXPORT, ReadOptions()).posts}
    assert len(again["wordpress:notes.example.org/?p=101"].history) == 2


SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="{wp}" xmlns:excerpt="{wp}excerpt/">
<channel><title>Small</title><link>https://small.example/blog</link><wp:wxr_version>{version}</wp:wxr_version>
<wp:base_blog_url>https://small.example/blog</wp:base_blog_url>
<item><title>Notes</title><link>https://small.example/blog/2020/notes/</link>
<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>A claim.<sup data-fn="f1" class="fn"><a href="#f1" id="f1-link">1</a></sup></p>
<!-- /wp:paragraph -->
<!-- wp:footnotes /-->]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2020-01-02 03:04:05</wp:post_date>
<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt><wp:post_name>notes</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:postmeta><wp:meta_key>footnotes</wp:meta_key>
<wp:meta_value><![CDATA[[{{"content":"The <em>source</em>.","id":"f1"}}]]]></wp:meta_value></wp:postmeta>
</item></channel></rss>
"""


@pytest.mark.parametrize("wp, version", [("http://wordpress.org/export/1.1/", "1.1"),
                                         ("https://wordpress.org/export/1.2/", "1.2")])
def test_wxr_1_1_and_1_2_with_gutenbergs_footnotes_block(tmp_path: Path, wp: str, version: str) -> None:
    export = tmp_path / "small.xml"
    export.write_text(SMALL.format(wp=wp, version=version), encoding="utf-8")
    result = read(export, ReadOptions(zone=ZoneInfo("America/New_York")))
    (post,) = result.posts
    assert post.markdown == "A claim.[^1]\n\n[^1]: The *source*.\n"
    assert post.date.isoformat() == "2020-01-02T03:04:05-05:00"  # no GMT date: the site's zone
    assert post.aliases == ("/2020/notes/",)  # from the blog's own address, below its folder
    assert not [s for s in result.skipped if "footnotes" in s.what]


CLASSIC = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Markup</title><link>https://markup.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://markup.example</wp:base_blog_url>
<item><title>Markup: HTML Tags and Formatting</title><link>https://markup.example/2013/01/markup-tags/</link>
<content:encoded><![CDATA[<strong>Tables</strong>
<table>
<thead>
<tr>
<th>Employee</th>
<th>Salary</th>
<th></th>
</tr>
</thead>
<tbody>
<tr>
<td><a href="https://markup.example/">Jane Roe</a></td>
<td>$1<br>a year</td>
<td>Because that's all | she asked for.</td>
</tr>
</tbody>
</table>
<h2>Definition Lists</h2>
<dl><dt>Definition List Title</dt><dd>This is a definition list division.</dd></dl>
<h2>Preformatted</h2>
This tag is for preserving whitespace as typed, such as in poetry or ASCII art.
<pre>  Two roads diverged in a yellow wood,
  And "sorry" I could not travel both     \\/
  And be one traveler, long I stood      (oo)
          <cite>Robert Frost</cite></pre>
<pre>.post-title {
	margin: 0 0 5px;
}</pre>
<h2>Inline</h2>
Science: H<sub>2</sub>O and E = MC<sup>2</sup>; <abbr title="Seriously">srsly</abbr>, <kbd>Ctrl</kbd>+<kbd>*</kbd>, <q>Developers...</q> --<cite>Steve</cite>, <del>struck</del>, <strike>old</strike>, <ins>added</ins>, <var>x_1</var>, <mark>marked</mark>, <small>fine print</small>, <acronym title="For The Win">ftw</acronym>, <code>&lt;code&gt;</code>, <tt>teletype</tt>.]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2013-01-11 20:22:19</wp:post_date>
<wp:post_date_gmt>2013-01-11 20:22:19</wp:post_date_gmt><wp:post_name>markup-tags</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item></channel></rss>
"""
"""A classic-editor post modelled on WordPress's theme unit test data ("Markup: HTML Tags and Formatting")."""


def test_classic_markup_keeps_what_markdown_cannot_say(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "classic.xml"
    export.write_text(CLASSIC, encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    out = capsys.readouterr().out
    text = body(root / "posts/markup-tags.md")
    assert ("**Tables**  \n\n| Employee | Salary |  |\n| --- | --- | --- |\n"
            "| [Jane Roe](https://markup.example/) | $1<br>a year | Because that's all \\| she asked for. |\n") in text
    assert "<dl><dt>Definition List Title</dt><dd>This is a definition list division.</dd></dl>" in text
    assert ('<pre>  Two roads diverged in a yellow wood,\n  And "sorry" I could not travel both     \\/\n'
            "  And be one traveler, long I stood      (oo)\n          <cite>Robert Frost</cite></pre>") in text
    assert "```\n.post-title {\n\tmargin: 0 0 5px;\n}\n```" in text
    assert ("Science: H<sub>2</sub>O and E = MC<sup>2</sup>; <abbr title=\"Seriously\">srsly</abbr>, "
            "<kbd>Ctrl</kbd>+<kbd>\\*</kbd>, <q>Developers...</q> --<cite>Steve</cite>, ~~struck~~, <s>old</s>, "
            "<ins>added</ins>, <var>x_1</var>, <mark>marked</mark>, <small>fine print</small>, "
            '<abbr title="For The Win">ftw</abbr>, `<code>`, `teletype`.') in text
    for what in ("definition list", "preformatted text with markup"):
        assert any(what in line and "kept as raw HTML" in line for line in out.splitlines()), what
    site, report = build_model(root)
    assert report.errors == []


@pytest.mark.slow
def test_classic_markup_builds_and_validates(tmp_path: Path) -> None:
    export = tmp_path / "classic.xml"
    export.write_text(CLASSIC, encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert run_cli("import", str(export), cwd=root).returncode == 0
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    page = (root / "output/markup-tags/index.html").read_text()
    assert "<td>$1<br>a year</td><td>Because that’s all | she asked for.</td>" in page and "<sub>2</sub>" in page
    assert "<pre>  Two roads diverged in a yellow wood,\n" in page
    assert nu_errors(root / "output") == []


def test_blank_lines_and_indents_inside_a_classic_pre_are_kept(tmp_path: Path) -> None:
    poem = "<pre><cite>Robert Frost</cite>\n\n\n  Two roads diverged in a yellow wood,\n\n  Then took the other</pre>"
    start, rest = CLASSIC.split("<![CDATA[", 1)
    export = tmp_path / "classic.xml"
    export.write_text(f"{start}<![CDATA[{poem}]]>{rest.split(']]>', 1)[1]}", encoding="utf-8")
    (post,) = read(export, ReadOptions()).posts
    assert poem in post.markdown


def test_a_pre_wrapped_in_code_is_a_code_block_not_a_character_of_the_converters_own() -> None:
    """`<code><pre>…</pre></code>`: the `<pre>` was held as a stand-in holding a NUL, the `<code>` around it
    held again, and the NUL reached the text; the import stopped, telling the author to delete it."""
    made = autop("Markup:\n\n<code><pre>\n&lt;span>x&lt;/span>\n</pre></code>\n\nDone.")
    assert "\0" not in made and made == "<p>Markup:</p>\n\n<pre>\n&lt;span>x&lt;/span>\n</pre>\n\n<p>Done.</p>"


def test_a_control_character_of_an_old_encoding_is_taken_out_and_reported(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """U+009D, the remains of a closing quote read in the wrong encoding, stopped the whole import, where the
    guide says such a character is taken out and reported."""
    start, rest = CLASSIC.split("<![CDATA[", 1)
    source = tmp_path / "classic.xml"
    source.write_text(f"{start}<![CDATA[He called it \u201cnamed field\x9d data.]]>{rest.split(']]>', 1)[1]}",
                      encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert "its text, line 1: the control character U+009D taken out: no page or feed can carry it" in out, out
    (post,) = (root / "posts").glob("*.md")
    assert "He called it \u201cnamed field data." in post.read_text(encoding="utf-8")
    assert run_cli("build", cwd=root).returncode == 0


def test_a_title_with_markup_is_read_as_the_text_wordpress_shows(tmp_path: Path) -> None:
    export = tmp_path / "small.xml"
    export.write_text(SMALL.format(wp="https://wordpress.org/export/1.2/", version="1.2").replace(
        "<title>Notes</title>", "<title><![CDATA[Markup: Title <em>With</em> <b>Mark<sup>up</sup></b> &amp; more]]>"
                                "</title>"), encoding="utf-8")
    (post,) = read(export, ReadOptions(zone=ZoneInfo("America/New_York"))).posts
    assert post.title == "Markup: Title With Markup & more"


DOTCOM = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.0/" xmlns:excerpt="http://wordpress.org/export/1.0/excerpt/">
<channel><title>Dotcom</title><link>https://dotcom.example</link><wp:wxr_version>1.0</wp:wxr_version>
<atom:link rel="search" type="application/opensearchdescription+xml" href="https://dotcom.example/osd.xml" />
<atom:link rel='hub' href='https://dotcom.example/?pushpress=hub'/>
<item><title>A video</title><link>https://dotcom.example/2009/05/a-video/</link>
<content:encoded><![CDATA[Watch this:
<object width="425" height="350"><param name="movie" value="https://www.youtube.com/v/abc"></param><param name="wmode" value="transparent"></param><embed src="https://www.youtube.com/v/abc" type="application/x-shockwave-flash" width="425" height="350"></embed></object>
It still explains the point.
<svg width="40" height="20" viewBox="0 0 40 20"><rect x="1" y="2" width="10" height="5" fill="red" onclick="steal()"/></svg>]]></content:encoded>
<wp:post_id>3</wp:post_id><wp:post_date>2009-05-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2009-05-01 14:00:00</wp:post_date_gmt><wp:post_name>a-video</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item></channel></rss>
"""
"""A WordPress.com export of its day: ``atom:`` links in the channel without ``xmlns:atom``, and a Flash video
embedded with ``<object><param>``, and a drawing in SVG."""


def test_a_wordpress_com_export_with_an_undeclared_prefix_and_an_old_embed_imports(tmp_path: Path,
                                                                                  capsys) -> None:
    export = tmp_path / "dotcom.xml"
    export.write_text(DOTCOM, encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0, capsys.readouterr().err
    text = body(root / "posts/a-video.md")
    assert '<param name="movie" value="https://www.youtube.com/v/abc"' in text and "<embed" in text
    assert "It still explains the point." in text
    drawing = lxml.html.fragment_fromstring(re.search(r"<svg.*</svg>", text).group(0))
    assert dict(drawing.attrib) == {"width": "40", "height": "20", "viewbox": "0 0 40 20"}  # a browser reads
    assert dict(drawing[0].attrib) == {"x": "1", "y": "2", "width": "10", "height": "5", "fill": "red"}  # viewBox
    assert "steal" not in text
    assert main(["--site", str(root), "build"]) == 0, capsys.readouterr().err
    assert "youtube.com/v/abc" in (root / "output/a-video/index.html").read_text()


def test_syntaxhighlighter_shortcodes_become_code_blocks_in_their_language(tmp_path: Path) -> None:
    """``[bash]``, ``[sourcecode language=…]`` and ``[code lang=…]`` held code that WordPress showed as written;
    read as prose, a ``# comment`` line became a heading and ``<p>`` an escaped tag."""
    content = ('Set it up:\n\n[bash]\n# old TEXT=1\necho "<p>" && ls\n\n  indented\n[/bash]\n\n'
               '[sourcecode language="python"]\ndef f():\n    return 1 < 2\n[/sourcecode]\n\n'
               '[code lang="js"]if (a &lt; b) { go(); }[/code]\n\nAfter the code.')
    export = tmp_path / "code.xml"
    export.write_text(DOTCOM.replace(DOTCOM[DOTCOM.index("<content:encoded>"):DOTCOM.index("</content:encoded>")],
                                     f"<content:encoded><![CDATA[{content}]]>"), encoding="utf-8")
    (post,) = read(export, ReadOptions(history=False)).posts
    assert ('```bash\n# old TEXT=1\necho "<p>" && ls\n\n  indented\n```' in post.markdown), post.markdown
    assert "```python\ndef f():\n    return 1 < 2\n```" in post.markdown, post.markdown
    assert "```javascript\nif (a < b) { go(); }\n```" in post.markdown, post.markdown
    assert "After the code." in post.markdown and "[bash]" not in post.markdown


def test_two_items_with_one_guid_keep_it_on_the_earlier_and_the_site_builds(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A post copied on WordPress keeps its guid (the theme unit test export has two such pairs): written as
    it is, both posts would claim one feed id and the site would not build."""
    text = EXPORT.read_text(encoding="utf-8")
    start = text.index("\t<item>\n\t\t<title><![CDATA[On Reading Statutes]]>")
    item = text[start:text.index("</item>", start) + len("</item>\n")]
    copy = (item.replace("On Reading Statutes", "On Reading Statutes Again")
            .replace("<wp:post_id>104", "<wp:post_id>107")
            .replace("[on-reading-statutes]", "[on-reading-statutes-again]").replace("2016-10-03", "2016-10-09")
            .replace("/2016/10/03/on-reading-statutes/", "/2016/10/09/on-reading-statutes-again/"))
    export = tmp_path / "export.xml"
    export.write_text(text.replace(item, copy + "\n" + item), encoding="utf-8")  # the copy comes first in the file
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    out = capsys.readouterr().out
    assert front(root / "posts/on-reading-statutes.md")["id"] == "https://notes.example.org/?p=104"
    assert "id" not in front(root / "posts/on-reading-statutes-again.md")
    assert "feed id https://notes.example.org/?p=104: is also the id of 'On Reading Statutes'" in out, out
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr


def test_dates_keep_the_blogs_clock_and_a_site_on_another_zone_is_told(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The export dates each post twice (post_date, post_date_gmt): the post keeps the blog's offset, and a site
    whose `timezone` would show other hours, some on another day, is told to set it."""
    from conftest import CONFIG
    note = ("config.toml: timezone: most posts were dated at UTC−05:00 or UTC−04:00, the old site's clock, but the "
            "site shows every date in its `timezone`, UTC, at another hour and some on another day: set `timezone` "
            "in config.toml to the zone the old site used")
    for zone, told in (("UTC", True), ("America/New_York", False)):
        root = write_site(tmp_path / zone.replace("/", "-"), {}, CONFIG.replace("America/New_York", zone))
        assert main(["--site", str(root), "import", str(EXPORT)]) == 0
        out = capsys.readouterr().out
        assert (note in out) is told, out
        assert str(front(root / "posts/on-reading-statutes.md")["date"]) == "2016-10-03 09:00:00-04:00"


def test_a_link_to_another_post_by_its_permalink_leads_to_its_new_address(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    text = EXPORT.read_text(encoding="utf-8").replace(
        "A statute is read as a whole",
        'As <a href="https://notes.example.org/2016/11/22/sanctuary-cities-part-1/">the first part</a> said, a '
        "statute is read as a whole", 1)
    export = tmp_path / "export.xml"
    export.write_text(text, encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    assert "[the first part](/essays/sanctuary-cities-part-1/)" in body(root / "posts/on-reading-statutes.md")


def test_the_report_names_a_line_once_with_how_often_it_was_found_there() -> None:
    """One WordPress item holds many blocks of a kind: the export's line of that item was given once per block
    (`6770,6770,6770,…`, cut off by the terminal)."""
    from engine.importing.model import Skipped, Where
    from engine.importing.report import _grouped
    found = [Skipped(Where(path, line), "block wp:archives", "left out")
             for path, line in [("export.xml", 6770)] * 38 + [("export.xml", 12), ("other.xml", 0)]]
    assert _grouped(found) == ["  40 × block wp:archives: left out (export.xml:12,6770 (38×); other.xml)"]


def test_a_post_saved_once_and_never_changed_has_its_version_1(tmp_path: Path) -> None:
    """A post whose one saved revision is the text it went out with: version 1 alone, the text readers read,
    so that an edit revised later does not become version 1 in its place."""
    text = EXPORT.read_text(encoding="utf-8")
    item = text[text.index("<title><![CDATA[On Reading Statutes]]>"):]
    body = item[item.index("<content:encoded>"):item.index("</content:encoded>") + len("</content:encoded>")]
    revision = (f"<item>\n<title><![CDATA[On Reading Statutes]]></title>\n{body}\n<wp:post_id>204</wp:post_id>\n"
                "<wp:post_date><![CDATA[2016-10-03 08:55:00]]></wp:post_date>\n<wp:post_date_gmt><![CDATA[2016-10-03 "
                "12:55:00]]></wp:post_date_gmt>\n<wp:post_name><![CDATA[104-revision-v1]]></wp:post_name>\n"
                "<wp:status><![CDATA[inherit]]></wp:status>\n<wp:post_parent>104</wp:post_parent>\n"
                "<wp:post_type><![CDATA[revision]]></wp:post_type>\n</item>\n")
    export = tmp_path / "export.xml"
    export.write_text(text.replace("</channel>", revision + "</channel>"), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    versions = sorted(p.name for p in next((root / "posts").rglob("on-reading-statutes.versions")).iterdir())
    assert versions == ["v1.md"]


def test_a_plugins_shortcode_is_reported_when_its_name_or_its_line_says_so(tmp_path: Path) -> None:
    """``[woocommerce_cart]`` or a line that is only ``[contact]``: a plugin's output WordPress drew there; a
    bracket in a sentence (``[sic]``) is the author's."""
    content = "[mc4wp_form]\n\nHe wrote [sic] that.\n\n[contact]\n\n<p>[site-map]</p>\n\nThe [plain words] stay."
    export = tmp_path / "plugins.xml"
    export.write_text(DOTCOM.replace(DOTCOM[DOTCOM.index("<content:encoded>"):DOTCOM.index("</content:encoded>")],
                                     f"<content:encoded><![CDATA[{content}]]>"), encoding="utf-8")
    done = read(export, ReadOptions(history=False))
    assert sorted(s.what for s in done.skipped if s.what.startswith("shortcode")) == [
        "shortcode [contact]", "shortcode [mc4wp_form]", "shortcode [site-map]"]
    assert "He wrote [sic] that." in done.posts[0].markdown


def test_minor_below_on_a_source_without_commits_says_what_it_does_not_weigh(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, out = imported(tmp_path, capsys, "--minor-below", "3")
    assert f"{EXPORT}: --minor-below 3: weighs the changes of git commits; WordPress's own revisions are recorded " \
        "as silent corrections" in out


def test_each_page_of_a_post_in_pages_keeps_its_address(tmp_path: Path) -> None:
    """A post split with ``<!--nextpage-->`` was read at ``…/a-video/``, ``…/a-video/2/`` and ``…/a-video/3/``;
    imported as one page, its later pages' addresses lead to it."""
    content = ("Page one.\n<!--nextpage-->\nPage two.\n\n"
               "<!-- wp:nextpage -->\n<!--nextpage-->\n<!-- /wp:nextpage -->\nThree.")
    export = tmp_path / "pages.xml"
    export.write_text(DOTCOM.replace(DOTCOM[DOTCOM.index("<content:encoded>"):DOTCOM.index("</content:encoded>")],
                                     f"<content:encoded><![CDATA[{content}]]>"), encoding="utf-8")
    done = read(export, ReadOptions(history=False))
    assert done.posts[0].aliases == ("/2009/05/a-video/", "/2009/05/a-video/2/", "/2009/05/a-video/3/")
    assert "Page two." in done.posts[0].markdown and "Three." in done.posts[0].markdown
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0 and build(root).pages
    page = (root / "output/2009/05/a-video/3/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in page and "/a-video/" in page


def test_a_tag_written_over_lines_with_blank_ones_is_one_tag_as_wordpress_shows_it() -> None:
    """HTML brought from Squarespace, pretty-printed: a blank line inside a ``<div`` made two paragraphs, and
    ``data-x="y" >`` showed on the page as text (WordPress's own paragraphs skip what is inside a tag)."""
    html = autop('<p>Before.</p>\n\n<div\n    class="wrap"\n\n    style="padding: 1em"\n>\n<p>Inside.</p>\n</div>\n\n'
                 "<p>After.</p>\n\nA line <!-- a note\n\nto myself --> and more.")
    page = render(to_markdown(html).markdown)
    assert lxml.html.fromstring(f"<div>{page}</div>").text_content().split() == \
        ["Before.", "Inside.", "After.", "A", "line", "and", "more."], page


ONE_POST = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Small</title><link>https://small.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Watch</title><link>https://small.example/watch/</link>
<guid isPermaLink="false">http://www.old-name.example/?p=8</guid>
<content:encoded><![CDATA[{html}]]></content:encoded>
<wp:post_id>8</wp:post_id><wp:post_date>2020-01-02 03:04:05</wp:post_date>
<wp:post_date_gmt>2020-01-02 03:04:05</wp:post_date_gmt><wp:post_name>watch</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item></channel></rss>
"""


def test_an_address_wordpress_embedded_becomes_a_link_and_is_named_in_the_report(tmp_path: Path) -> None:
    """A video address on a line of its own (classic) or in an embed block (Gutenberg) is a player WordPress
    fetched when the page was viewed: it came out as dead text, and the report said nothing."""
    classic = "<p>Watch this:</p>\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAnd see https://example.org/ too."
    gutenberg = ('<!-- wp:embed {"url":"https://twitter.com/jack/status/20","type":"rich"} -->\n<figure class="'
                 'wp-block-embed is-type-rich"><div class="wp-block-embed__wrapper">\nhttps://twitter.com/jack/status/20'
                 "\n</div></figure>\n<!-- /wp:embed -->")
    export = tmp_path / "embeds.xml"
    empty = '<!-- wp:embed {"url":"https://vimeo.com/12345","type":"video","providerNameSlug":"vimeo"} /-->'
    for html, url in ((classic, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
                      (gutenberg, "https://twitter.com/jack/status/20"), (empty, "https://vimeo.com/12345")):
        export.write_text(ONE_POST.format(html=html), encoding="utf-8")
        result = read(export, ReadOptions())
        (post,) = result.posts
        assert f"<{url}>" in post.markdown, post.markdown
        assert [s.what for s in result.skipped if "embed" in s.what] == [f"embed of {url}"]
        if html == classic:
            assert "And see https://example.org/ too." in post.markdown  # an address in a sentence is the sentence's


def test_uploads_linked_under_the_blogs_old_name_are_copied_and_those_missing_are_named(tmp_path: Path) -> None:
    """A blog that moved links its early images under its old name, the host of its items' ids: they stayed
    on the old site; and an upload not copied, with no uploads folder or missing from it, went unreported
    ("0 images and files") while the post kept linking to the site being shut down."""
    html = ('<p><img src="http://www.old-name.example/wp-content/uploads/2010/12/bowling.png" alt="Bowling"></p>\n'
            '<p><img src="https://small.example/wp-content/uploads/2011/01/jfk.jpg" alt="JFK"></p>\n'
            '<p><img src="https://elsewhere.example/wp-content/uploads/x.png" alt="Another blog\'s"></p>')
    export = tmp_path / "export" / "blog.xml"
    export.parent.mkdir()
    export.write_text(ONE_POST.format(html=html), encoding="utf-8")
    result = read(export, ReadOptions())
    assert sorted(s.what for s in result.skipped if s.what.startswith("file ")) == [
        "file http://www.old-name.example/wp-content/uploads/2010/12/bowling.png",
        "file https://small.example/wp-content/uploads/2011/01/jfk.jpg"]
    assert all("put the site's uploads folder beside the export" in s.why for s in result.skipped
               if s.what.startswith("file "))
    (export.parent / "uploads/2010/12").mkdir(parents=True)
    (export.parent / "uploads/2010/12/bowling.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = read(export, ReadOptions())
    (post,) = result.posts
    assert [asset.target for asset in result.posts[0].assets] == ["wp-content/uploads/2010/12/bowling.png"]
    assert "](/wp-content/uploads/2010/12/bowling.png)" in post.markdown
    assert [(s.what, s.why) for s in result.skipped if s.what.startswith("file ")] == [
        ("file https://small.example/wp-content/uploads/2011/01/jfk.jpg",
         "not in the uploads folder beside the export: it stays linked on the old site")]


def test_closing_tags_on_lines_of_their_own_are_not_made_a_paragraph() -> None:
    """Word's notes pasted into the classic editor end in ``</div>`` lines: they were wrapped as a paragraph
    (``<p></div><br></div></p>``), which kept the rule above the notes as a stray ``---`` at the essay's end."""
    html = ('<p>Claim.<a href="#_ftn1" name="_ftnref1">[1]</a></p>\n\n<p>&nbsp;</p>\n<div>\n\n'
            '<hr align="left" size="1" width="33%" />\n\n<div id="ftn1">\n\n'
            '<p><a href="#_ftnref1" name="_ftn1">[1]</a> Land Registry.</p>\n\n</div>\n</div>')
    assert "<p></div>" not in autop(html)
    assert to_markdown(autop(html)).markdown == "Claim.[^1]\n\n[^1]: Land Registry.\n"


def test_a_classic_code_written_over_lines_of_its_own_stays_lines_of_code(tmp_path: Path) -> None:
    """The theme unit test's "Code Tag": ``<code>`` over six lines, which WordPress shows line by line. It
    came out as one inline code span, its lines run together; inline code in a sentence stays inline."""
    text = ("This tag styles blocks of code.\n<code>.post-title {\n\tmargin: 0 0 5px;\n\tfont-weight: bold;<br />\n"
            "}</code>\nAfter the code, <code>inline</code> stays.")
    start, rest = CLASSIC.split("<![CDATA[", 1)
    export = tmp_path / "classic.xml"
    export.write_text(f"{start}<![CDATA[{text}]]>{rest.split(']]>', 1)[1]}", encoding="utf-8")
    (post,) = read(export, ReadOptions()).posts
    assert "```\n.post-title {\n\tmargin: 0 0 5px;\n\tfont-weight: bold;\n}\n```" in post.markdown
    assert post.markdown.index("This tag styles blocks of code.") < post.markdown.index("```")
    assert "After the code, `inline` stays." in post.markdown


BLOG = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Blog</title><link>{base}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{base}</wp:base_site_url><wp:base_blog_url>{base}</wp:base_blog_url>
{channel}
{items}</channel></rss>
"""


def blog_item(number: int, slug: str, base: str = "https://old.example.net", html: str = "<p>Text.</p>",
              date: str = "2018-02-05", more: str = "", status: str = "publish", kind: str = "post",
              link: str = "") -> str:
    """One item of a WXR export, its permalink ``/YYYY/MM/DD/slug/`` (``?p=N`` for a draft) unless ``link``."""
    link = link or (f"{base}/{date.replace('-', '/')}/{slug}/" if status == "publish" else f"{base}/?p={number}")
    return (f"<item><title>{slug.replace('-', ' ').title()}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{base}/?p={number}</guid>'
            f"<content:encoded><![CDATA[{html}]]></content:encoded>"
            f"<wp:post_id>{number}</wp:post_id><wp:post_date>{date} 10:00:00</wp:post_date>"
            f"<wp:post_date_gmt>{date} 10:00:00</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>"
            f"<wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>{more}</item>\n")


def blog(path: Path, *items: str, base: str = "https://old.example.net", channel: str = "") -> Path:
    path.write_text(BLOG.format(base=base, channel=channel, items="".join(items)), encoding="utf-8")
    return path


def test_a_second_blog_whose_posts_have_the_same_numbers_is_imported_beside_the_first(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every blog numbers its posts from 1: with ``imported_from: wordpress:1``, the second blog's post 1 was
    taken for the first's, left out, and the report said "nothing changed"."""
    newer = "https://newer.example.org"
    first = blog(tmp_path / "old.xml", blog_item(1, "premier", date="2009-05-01"))
    second = blog(tmp_path / "newer.xml", blog_item(1, "premier-essai", base=newer, date="2019-05-01"), base=newer)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(first)]) == 0
    assert main(["--site", str(root), "import", str(second)]) == 0
    assert capsys.readouterr().out.count("wordpress: imported 1 post,") == 2
    assert front(root / "posts/premier.md")["imported_from"] == "wordpress:old.example.net/?p=1"
    assert front(root / "posts/premier-essai.md")["imported_from"] == "wordpress:newer.example.org/?p=1"
    before = snapshot(root)
    moved = "https://moved.example.net"  # the first blog, at its new address: its post 1 is known by its address
    for again in (second, blog(tmp_path / "moved.xml", blog_item(1, "premier", base=moved, date="2009-05-01"),
                               base=moved)):
        assert main(["--site", str(root), "import", str(again)]) == 0
        assert snapshot(root) == before
        assert "1 post was imported by an earlier run and is left as it is; nothing changed" in \
            capsys.readouterr().out


def test_a_post_imported_under_its_number_alone_is_known_by_its_addresses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site imported by an earlier version says ``imported_from: wordpress:1``: importing the same blog
    again changes nothing (the post answers at the item's old address, or a draft at its slug), while another
    blog's post 1, 2 or 3 is imported beside it."""
    first = blog(tmp_path / "old.xml", blog_item(1, "premier", date="2009-05-01"),
                 blog_item(2, "brouillon", status="draft"),
                 blog_item(3, "about", kind="page", link="https://old.example.net/about/"))
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(first)]) == 0
    for number, name in ((1, "premier"), (2, "brouillon"), (3, "about")):
        path = root / "posts" / f"{name}.md"
        written = path.read_text(encoding="utf-8")
        assert f"imported_from: wordpress:old.example.net/?p={number}\n" in written
        path.write_text(written.replace(f"old.example.net/?p={number}", str(number)), encoding="utf-8")
    before = snapshot(root)
    capsys.readouterr()
    assert main(["--site", str(root), "import", str(first)]) == 0
    assert snapshot(root) == before
    assert "3 posts were imported by an earlier run and are left as they are; nothing changed" in \
        capsys.readouterr().out
    newer = "https://newer.example.org"
    second = blog(tmp_path / "newer.xml", blog_item(1, "premier-essai", base=newer, date="2019-05-01"),
                  blog_item(2, "esquisse", base=newer, status="draft"),
                  blog_item(3, "contact", base=newer, kind="page", link=f"{newer}/contact/"), base=newer)
    assert main(["--site", str(root), "import", str(second)]) == 0
    assert "wordpress: imported 2 posts, 1 page," in capsys.readouterr().out
    assert [front(root / "posts" / f"{name}.md")["imported_from"] for name in ("premier-essai", "esquisse",
                                                                               "contact")] == [
        f"wordpress:newer.example.org/?p={number}" for number in (1, 2, 3)]


def test_a_reusable_block_is_the_content_of_its_item_in_the_export(tmp_path: Path) -> None:
    """``<!-- wp:block {"ref":99} /-->`` shows item 99 (post type wp_block): it was dropped as a block "the
    export holds nothing" of, and item 99 reported as no post."""
    html = ('<!-- wp:paragraph --><p>Le texte.</p><!-- /wp:paragraph -->\n<!-- wp:block {"ref":99} /-->\n'
            '<!-- wp:block {"ref":98} /-->\n<!-- wp:block {"ref":97} /-->')
    disclaimer = '<!-- wp:paragraph --><p>Ceci n’est pas un conseil juridique.</p><!-- /wp:paragraph -->'
    export = blog(tmp_path / "blocks.xml", blog_item(1, "essai", html=html),
                  blog_item(99, "avertissement", html=disclaimer, kind="wp_block"),
                  blog_item(97, "boucle", html='<p>Avant.</p><!-- wp:block {"ref":97} /-->', kind="wp_block"))
    result = read(export, ReadOptions())
    (post,) = result.posts
    assert post.markdown == "Le texte.\n\nCeci n’est pas un conseil juridique.\n\nAvant.\n"
    said = {s.what: s.why for s in result.skipped}
    assert said["reusable block wp:block 98"].startswith("the export does not hold it (item 98")
    assert said["reusable block wp:block 97"] == "it is inside itself"
    assert said["reusable block 'Avertissement'"].startswith("not a post: its content is put into each post")
    assert not [what for what in said if what == "block wp:block" or "not a post or a page" in said[what]]


def test_term_names_and_the_excerpt_are_read_as_wordpress_shows_them(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """WordPress keeps ``&`` and ``'`` in term names as references, and an excerpt as typed with its
    texturized quotes: they were written as they are ("Law &amp; Order", a tag page ``law-amp-order``)."""
    terms = ('<category domain="category" nicename="law-order"><![CDATA[Law &amp; Order]]></category>'
             '<category domain="post_tag" nicename="droits-de-l-homme"><![CDATA[Droits de l&#039;homme]]></category>'
             "<excerpt:encoded><![CDATA[Où l&#8217;on parle de droit &amp; de loi.]]></excerpt:encoded>")
    export = blog(tmp_path / "terms.xml", blog_item(7, "la-loi", more=terms))
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    written = front(root / "posts/la-loi.md")
    assert written["tags"] == ["Law & Order", "Droits de l'homme"]
    assert written["summary"] == "Où l’on parle de droit & de loi."
    marked = blog(tmp_path / "marked.xml", blog_item(7, "la-loi", more="<excerpt:encoded><![CDATA[Sur <em>la</em> "
                                                   "loi &amp; le droit.]]></excerpt:encoded>"))
    assert read(marked, ReadOptions()).posts[0].summary == "Sur la loi & le droit."


def test_a_control_character_xml_forbids_is_taken_out_and_reported(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A backspace pasted from Word, which WordPress exports as it is: the import stopped, blaming a CDATA
    section, where the guide says such a character is taken out and reported."""
    export = blog(tmp_path / "pasted.xml", blog_item(8, "colle", html="<p>Texte collé\x08 depuis Word.\x1b</p>"))
    text = export.read_text(encoding="utf-8")
    line = text[:text.index("\x08")].count("\n") + 1
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    out = capsys.readouterr().out
    assert f"  {export}:{line}: 2 × control character" not in out
    for code in ("0008", "001B"):
        assert f"{export}:{line}: control character U+{code}: taken out: XML forbids it" in out, out
    assert body(root / "posts/colle.md").strip() == "Texte collé depuis Word."


@pytest.mark.parametrize("link, aliases", [
    ("", ("/2018/02/05/la-loi/", "/2018/02/05/brouillon-sur-la-loi/", "/2018/02/05/loi-v2/")),
    ("https://old.example.net/archives/10", ("/archives/10/",))])
def test_old_slugs_wordpress_redirected_become_aliases(tmp_path: Path, link: str, aliases: tuple[str, ...]) -> None:
    """``_wp_old_slug``: WordPress sent a renamed post's address at its old slug to it; a blog whose
    permalinks hold no slug had no such address."""
    old = "".join(f"<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>{slug}</wp:meta_value>"
                  "</wp:postmeta>" for slug in ("brouillon-sur-la-loi", "loi-v2"))
    export = blog(tmp_path / "renamed.xml", blog_item(10, "la-loi", more=old, link=link))
    assert read(export, ReadOptions()).posts[0].aliases == aliases


FRONTIERES = ("<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>frontieres</wp:category_nicename>"
              "<wp:cat_name><![CDATA[Frontières]]></wp:cat_name><wp:category_description><![CDATA[Une série sur "
              "les frontières, en <em>cinq</em> parties.]]></wp:category_description></wp:category>")
IN_FRONTIERES = '<category domain="category" nicename="frontieres"><![CDATA[Frontières]]></category>'


def test_a_series_from_a_category_has_its_slug_and_its_description(tmp_path: Path) -> None:
    """The series was named from the category's display name (``/frontières/``) and lost its description."""
    export = blog(tmp_path / "series.xml", blog_item(1, "un", date="2019-03-14", more=IN_FRONTIERES),
                  blog_item(2, "deux", date="2019-04-02", more=IN_FRONTIERES), channel=FRONTIERES)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export), "--series-from", "category"]) == 0
    assert sorted(p.relative_to(root / "posts").as_posix() for p in (root / "posts").rglob("*") if p.is_file()) == [
        "frontieres/deux.md", "frontieres/series.toml", "frontieres/un.md"]
    assert (root / "posts/frontieres/series.toml").read_text(encoding="utf-8") == (
        'title = "Frontières"\ndescription = "Une série sur les frontières, en *cinq* parties."\n'
        'status = "complete"\n')


def test_a_series_an_earlier_import_named_from_the_category_keeps_its_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Earlier versions named a series folder from the category's name: a later export's new part joins
    that series, rather than a second one named from the category's slug."""
    items = [blog_item(1, "un", date="2019-03-14", more=IN_FRONTIERES),
             blog_item(2, "deux", date="2019-04-02", more=IN_FRONTIERES)]
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog(tmp_path / "2019.xml", *items, channel=FRONTIERES)),
                 "--series-from", "category"]) == 0
    (root / "posts/frontieres").rename(root / "posts/frontières")  # as an earlier version wrote it
    later = blog(tmp_path / "2020.xml", *items, blog_item(3, "trois", date="2020-01-05", more=IN_FRONTIERES),
                 channel=FRONTIERES)
    assert main(["--site", str(root), "import", str(later), "--series-from", "category"]) == 0
    assert sorted(p.relative_to(root / "posts").as_posix() for p in (root / "posts").rglob("*.md")) == [
        "frontières/deux.md", "frontières/trois.md", "frontières/un.md"]
    assert front(root / "posts/frontières/trois.md")["part"] == 3

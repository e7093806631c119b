"""``feuilleton import`` of an RSS or Atom feed (tests/fixtures/import/feed, written here), from a file
and over HTTP, built and validated afterwards."""
from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import EPOCH, broken_links, nu_errors, run_cli, serving, write_site
from engine.cli import main
from engine.importing.feed import read
from engine.importing.model import ReadOptions

FEEDS = Path(__file__).parent / "fixtures" / "import" / "feed"


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_rss_full_content_is_preferred_and_a_summary_alone_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(FEEDS / "rss.xml")]) == 0
    out = capsys.readouterr().out
    first = root / "posts/rivers-part-1.md"
    meta = front(first)
    assert meta["summary"] == "A short summary of the first river."
    assert meta["tags"] == ["Rivers", "travel"] and meta["imported_from"] == "feed:field-1"
    assert meta["aliases"] == ["/2019/rivers-part-1.html"] and str(meta["date"]) == "2019-01-07 10:00:00+00:00"
    text = first.read_text()
    assert "The first river runs *north*.\n\nSee [the map](https://maps.example/river)." in text
    assert ('<iframe height="300" src="https://video.example/embed/1" style="max-width: 100%" width="400">'
            "</iframe>") in text
    assert "Only a summary is in the feed." in (root / "posts/a-short-note.md").read_text()
    assert f"  {FEEDS / 'rss.xml'}:26: entry 3 (A Short Note): the feed has only a summary of it" in out
    assert out.splitlines()[0] == "feed: imported 3 posts, 0 pages, 0 series, 0 versions, 0 images and files, 3 aliases"


def test_atom_content_in_html_and_xhtml_and_series_from_categories() -> None:
    result = read(FEEDS / "atom.xml", ReadOptions(series_from="category"))
    silence, noise = result.posts
    assert silence.markdown == ("Silence is **underrated**.\n\n| Place | Decibels |\n| --- | --- |\n"
                                "| Library | 40 |\n")
    assert silence.date.isoformat() == "2020-05-01T09:00:00+02:00" and silence.summary == "Why silence matters."
    assert noise.summary == ""  # it has none: feedparser's copy of its content is not one
    assert noise.markdown == ("Noise is everywhere; [silence](https://quiet.example.com/essays/on-silence/) "
                              "is not.\n")
    assert (silence.series, silence.part, noise.series, noise.part) == ("essays", 1, "essays", 2)
    assert silence.aliases == ("/essays/on-silence/",)
    rivers = read(FEEDS / "rss.xml", ReadOptions(series_from="title"))
    assert {p.title: (p.series, p.part) for p in rivers.posts} == {
        "Rivers, Part 1": ("rivers", 1), "Rivers, Part 2": ("rivers", 2), "A Short Note": (None, None)}


@pytest.mark.slow
def test_a_feed_at_an_address_is_imported_built_and_validated(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(FEEDS / "atom.xml", served / "atom.xml")
    root = write_site(tmp_path / "site", {})
    with serving(served) as address:
        done = run_cli("import", f"{address}/atom.xml", cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("feed: imported 2 posts")
    assert run_cli("import", str(FEEDS / "rss.xml"), "--series-from", "title", cwd=root).returncode == 0
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    output = root / "output"
    for name in ("feed.xml", "atom.xml", "rivers/atom.xml"):
        feed = feedparser.parse((output / name).read_bytes())
        assert not feed.bozo and feed.entries, name
    assert {e.title for e in feedparser.parse((output / "atom.xml").read_bytes()).entries} >= {
        "On Silence", "On Noise", "Rivers, Part 1", "A Short Note"}
    ids = {e.title: e.id for e in feedparser.parse((output / "atom.xml").read_bytes()).entries}
    assert ids["On Silence"] == "tag:quiet.example.com,2020:on-silence"  # the id its old feed gave it
    assert ids["Rivers, Part 1"].startswith("tag:example.org,")  # "field-1" is no IRI an Atom id can be
    assert (output / "essays/on-silence/index.html").is_file()  # the old address redirects
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []


ROUGE = """<p>With line numbers:</p>
<figure class="highlight"><pre><code class="language-rust" data-lang="rust"><table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">1
2
3
4
</pre></td><td class="code"><pre><span class="nd">#[derive(Debug)]</span>
<span class="k">struct</span> <span class="n">Point</span><span class="p">;</span>

<span class="k">fn</span> <span class="nf">main</span><span class="p">()</span> <span class="p">{}</span>
</pre></td></tr></tbody></table></code></pre></figure>
<p>Older, as a table of its own:</p>
<div class="highlight"><pre><code class="language-ruby" data-lang="ruby"><table class="linenotable"><tbody><tr><td class="linenos gl"><pre class="lineno">1
2
3</pre></td><td class="code"><pre><span class="k">def</span> <span class="nf">hi</span>

  <span class="nb">puts</span> <span class="s2">"a &lt; b"</span></pre></td></tr></tbody></table></code></pre></div>
<p>Without:</p>
<div class="language-python highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="k">if</span> <span class="n">a_b</span> <span class="o">*</span> <span class="mi">2</span><span class="p">:</span>


    <span class="k">pass</span>
</code></pre></div></div>
<div class="highlight"><pre><span></span><span class="n">fence</span> <span class="o">=</span> <span class="s2">"```"</span>
</pre></div>"""
"""Code as a Jekyll site's feed carries it, highlighted by Rouge (and Pygments before it)."""


def test_highlighted_code_keeps_its_text_and_language_and_loses_its_line_numbers(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Code</title><link href="https://code.example/"/>
<id>https://code.example/</id><updated>2021-03-01T00:00:00+00:00</updated>
<entry><title>Highlighted</title><link href="https://code.example/2021/highlighted.html"/>
<id>https://code.example/2021/highlighted</id><updated>2021-03-01T00:00:00+00:00</updated>
<content type="html">{escape(ROUGE)}</content></entry></feed>
""", encoding="utf-8")
    (entry,) = read(feed, ReadOptions()).posts
    assert entry.markdown == (
        "With line numbers:\n\n```rust\n#[derive(Debug)]\nstruct Point;\n\nfn main() {}\n```\n\n"
        "Older, as a table of its own:\n\n```ruby\ndef hi\n\n  puts \"a < b\"\n```\n\n"
        "Without:\n\n```python\nif a_b * 2:\n\n\n    pass\n```\n\n"
        '````\nfence = "```"\n````\n')


@pytest.mark.slow
def test_highlighted_code_builds_and_validates(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Code</title>
<link>https://code.example/</link><description>Code</description>
<item><title>Highlighted</title><link>https://code.example/2021/highlighted.html</link>
<pubDate>Mon, 01 Mar 2021 10:00:00 +0000</pubDate><content:encoded>{escape(ROUGE)}</content:encoded></item>
</channel></rss>
""", encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert run_cli("import", str(feed), cwd=root).returncode == 0
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    page = (root / "output/highlighted/index.html").read_text()
    assert "lineno" not in page and "rouge" not in page and "language-rust" in page
    assert nu_errors(root / "output") == []


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Notes</title><link href="https://old.example/"/>
<id>https://old.example/</id><updated>2017-12-18T16:16:16+01:00</updated>
<entry><title>The 300MB Problem</title><id>https://old.example/The-300MB-Problem/</id>
<link href="https://old.example/The-300MB-Problem/"/><published>2017-12-18T16:16:16+01:00</published>
<updated>2017-12-18T16:16:16+01:00</updated><content type="html">{body}</content></entry>
<entry><title>Panel data of U.S. games</title><id>tag:old.example,2018:2</id>
<link href="https://old.example/post/panel-data-of-u.s.-games/"/><published>2018-02-28T00:00:00Z</published>
<updated>2018-02-28T00:00:00Z</updated><content type="html">Text.</content></entry>
<entry><title>Page with an extension</title><id>tag:old.example,2018:3</id>
<link href="https://old.example/2018/essay.html"/><published>2018-03-01T00:00:00Z</published>
<updated>2018-03-01T00:00:00Z</updated><content type="html">Text.</content></entry>
</feed>
"""


def test_an_entry_keeps_its_offset_its_dotted_slug_and_its_relative_links_lead_to_the_old_site(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = escape('<p>See <img src="img/plot.png" alt="Plot"> and <a href="../other/">the other</a>, \\(x_1\\).</p>')
    feed = tmp_path / "atom.xml"
    feed.write_text(ATOM.format(body=body), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in (root / "posts").glob("*.md")) == [
        "essay.md", "panel-data-of-us-games.md", "the-300mb-problem.md"]
    text = (root / "posts/the-300mb-problem.md").read_text(encoding="utf-8")
    assert "date: 2017-12-18T16:16:16+01:00" in text  # as the feed wrote it, not moved to UTC
    assert "![Plot](https://old.example/The-300MB-Problem/img/plot.png)" in text
    assert "[the other](https://old.example/other/)" in text
    assert (f"  {feed}:4: old address /The-300MB-Problem/: differs from the new one, /the-300mb-problem/, only in the "
            "case of its letters") in out
    assert "config.toml: timezone: most posts were dated at UTC+01:00" not in out  # two of three are at UTC
    assert f"  {feed}:4: math ($$ … $$): shown as written" in out  # at the line its entry starts on


def test_a_feed_whose_addresses_name_no_host_has_its_files_reported(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "rss.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>/index.xml</link>'
                    '<item><title>Git, part 1</title><link>/note/git-part-1/</link>'
                    '<pubDate>Fri, 20 Oct 2017 00:00:00 +0000</pubDate><description>'
                    + escape('<p><img src="img/rebase.png" alt="Rebase"> <a href="/note/other/">other</a></p>')
                    + "</description></item></channel></rss>", encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "![Rebase](/note/git-part-1/img/rebase.png)" in (root / "posts/git-part-1.md").read_text(encoding="utf-8")
    assert (f"  {feed}:1: entry 1 (Git, part 1): 1 file of the old site (/note/git-part-1/img/rebase.png): a feed "
            "carries no files, and its address names no host: copy them into static/ at those paths") in out


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Randnotizen</title><link>https://rand.example.de/</link><description>Essays</description>
{items}
</channel>
</rss>
"""


def item(title: str, link: str = "", date: str = "Tue, 10 Jan 2023 09:15:00 +0100", body: str = "<p>Text.</p>",
         extra: str = "") -> str:
    return (f"<item><title>{title}</title>" + (f"<link>{link}</link>" if link else "") +
            (f"<pubDate>{date}</pubDate>" if date else "") + extra +
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")


def test_a_feed_cut_short_is_refused_with_its_line_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = RSS.format(items=item("Erster Text", "https://rand.example.de/2023/01/erster.html",
                                  body="<p>Erster Absatz.</p>\n<p>Zweiter Absatz, der hier endet.</p>"))
    feed = tmp_path / "feed.xml"
    feed.write_text(whole[:whole.index("der hier")], encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{feed}:5: not well-formed XML (unclosed CDATA section, column 20): the feed is cut short (it does not "
        "end with its </rss> or </feed>); fetch or export it again")
    assert list((root / "posts").iterdir()) == []
    feed.write_text(whole.replace("<p>Erster Absatz.</p>", "<p>Erster & Absatz.</p>").replace("<![CDATA[", "")
                    .replace("]]>", ""), encoding="utf-8")  # markup in it unescaped: broken, though whole
    assert main(["--site", str(root), "import", str(feed)]) == 1
    assert "feed.xml:4: not well-formed XML (not well-formed (invalid token), column" in capsys.readouterr().err
    assert list((root / "posts").iterdir()) == []
    feed.write_bytes(whole.replace("Zweiter", "Café").encode("latin-1"))  # declared UTF-8
    assert main(["--site", str(root), "import", str(feed)]) == 1
    assert "the file is not in the encoding it declares (UTF-8 unless it says otherwise)" in capsys.readouterr().err
    assert list((root / "posts").iterdir()) == []


def test_an_html_entity_no_dtd_defines_is_read_as_feed_readers_read_it(tmp_path: Path) -> None:
    """``&nbsp;`` outside CDATA is not XML, but every feed reader takes it: the feed is imported, whole."""
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(items=item("Erster&nbsp;Text", "https://rand.example.de/2023/01/erster.html",
                                          body="<p>Erster Absatz.</p>")), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 0
    text = (root / "posts/erster.md").read_text(encoding="utf-8")
    assert ("title: Erster Text" in text or "title: Erster\u00a0Text" in text) and text.endswith("Erster Absatz.\n")


def test_an_entry_without_a_date_is_refused_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(items=item("Avec date", "https://rand.example.de/a/") + "\n" +
                               item("Sans date", "https://rand.example.de/b/", date="")), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{feed}:5: entry 2 (Sans date): no date (published or updated); a post needs one")


def test_a_podcast_episode_links_its_audio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "podcast.xml"
    audio = '<enclosure url="https://cdn.example.fr/ete.mp3" length="12345678" type="audio/mpeg"/>'
    feed.write_text(RSS.format(items=item("Épisode 1", "https://rand.example.de/episodes/ete/", extra=audio,
                                          body="<p>Notes de l'épisode.</p>")), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 0
    text = (root / "posts/ete.md").read_text(encoding="utf-8")
    assert text.endswith("---\n\n[Listen to the episode](https://cdn.example.fr/ete.mp3)\n\nNotes de l'épisode.\n")
    assert (f"  {feed}:4: entry 1 (Épisode 1): enclosure https://cdn.example.fr/ete.mp3: the file stays where the "
            "feed had it; the post links it") in capsys.readouterr().out


def test_a_feed_at_an_address_reads_an_entrys_links_from_the_entrys_own_address(tmp_path: Path) -> None:
    body = ('<p>Eine Karte: <img src="img/karte.png" alt="Karte"> und eine Fußnote<sup><a href="#fn1" id="r1">1</a>'
            '</sup>.</p>\n<ol class="footnotes"><li id="fn1"><p>Kant, 1795. <a href="#r1">↩</a></p></li></ol>')
    served = tmp_path / "www"
    (served / "feed").mkdir(parents=True)
    (served / "feed/index.xml").write_text(RSS.format(items=item(
        "Die Stadt", "https://rand.example.de/2023/02/stadt.html", body=body)), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    with serving(served) as address:
        assert main(["--site", str(root), "import", f"{address}/feed/index.xml"]) == 0
    text = (root / "posts/stadt.md").read_text(encoding="utf-8")
    assert "![Karte](https://rand.example.de/2023/02/img/karte.png) und eine Fußnote[^1]." in text
    assert text.endswith("\n[^1]: Kant, 1795.\n")


def test_atom_titles_in_html_and_text_content_are_read_as_what_readers_saw(tmp_path: Path) -> None:
    feed = tmp_path / "atom.xml"
    feed.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Chroniques</title><link href="https://ch.example.fr/"/>
<id>https://ch.example.fr/</id><updated>2024-03-01T10:00:00+01:00</updated>
<entry><title type="html">L&amp;rsquo;exil &amp;amp; le retour</title><link href="https://ch.example.fr/exil/"/>
<id>https://ch.example.fr/exil/</id><updated>2024-03-01T10:00:00+01:00</updated>
<content type="text">Write &lt;b&gt; to make text bold.

Second paragraph.</content></entry>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Le <em>retour</em></div></title>
<link href="https://ch.example.fr/retour/"/><id>https://ch.example.fr/retour/</id>
<updated>2024-02-01T10:00:00+01:00</updated><content type="html">&lt;p&gt;Un autre.&lt;/p&gt;</content></entry>
</feed>
""", encoding="utf-8")
    exile, back = read(feed, ReadOptions()).posts
    assert (exile.title, back.title) == ("L\u2019exil & le retour", "Le retour")
    assert exile.markdown == "Write \\<b> to make text bold.\n\nSecond paragraph.\n"


def test_links_between_entries_lead_to_their_new_addresses(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(items=item(
        "Zweiter Text", "https://rand.example.de/2023/02/zweiter.html", "Wed, 15 Feb 2023 09:15:00 +0100",
        '<p>Wie im <a href="https://rand.example.de/2023/01/erster.html#teil">ersten Text</a>.</p>') +
        item("Erster Text", "https://rand.example.de/2023/01/erster.html")), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 0
    assert "Wie im [ersten Text](/essays/erster/#teil)." in (root / "posts/zweiter.md").read_text(encoding="utf-8")


def test_an_entry_with_neither_link_nor_guid_is_known_again_when_the_feed_has_grown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "feed.xml"
    old = item("Sans lien", date="Mon, 19 Feb 2024 09:15:00 +0100")
    feed.write_text(RSS.format(items=old), encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(feed)]) == 0
    feed.write_text(RSS.format(items=item("Nouveau", date="Mon, 26 Feb 2024 09:15:00 +0100") + old),
                    encoding="utf-8")
    capsys.readouterr()
    assert main(["--site", str(root), "import", str(feed)]) == 0
    assert "1 post was imported by an earlier run and is left as it is" in capsys.readouterr().out
    assert sorted(p.name for p in (root / "posts").glob("*.md")) == ["nouveau.md", "sans-lien.md"]


def test_an_entry_kept_as_a_folders_index_page_is_named_after_the_folder(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(items=item("Le premier", "https://rand.example.de/premier/index.html") +
                               item("Le deuxième", "https://rand.example.de/deuxieme/index.html")), encoding="utf-8")
    first, second = read(feed, ReadOptions()).posts
    assert (first.slug, second.slug) == ("premier", "deuxieme")
    assert first.aliases == ("/premier/index.html",)

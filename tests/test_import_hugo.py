"""``feuilleton import`` of a Hugo site folder (tests/fixtures/import/hugo, written here): YAML, TOML and
JSON front matter, permalinks and aliases, the series taxonomy with its _index.md, a page bundle and its
image, shortcodes written out or kept visible, headless bundles and stray files reported; broken front
matter stops everything; the imported site builds and validates.  Small sites written in the tests, in the
shape of real ones: ``disablePathToLower`` and a ``url`` with capitals, ``canonifyURLs`` with relative image
links, gists."""
from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import feedparser
import pytest
import yaml

from conftest import CONFIG, EPOCH, broken_links, imported_site, nu_errors, png, run_cli, snapshot, write_site
from engine.cli import main
from engine.importing.hugo import read
from engine.importing.model import ReadOptions
from engine.text.markdown import render
from engine.text.markup import unbalanced

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "hugo"
CONFIG_FR = CONFIG.replace('timezone = "America/New_York"', 'timezone = "America/New_York"\nlanguage = "fr"')


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The fixture copied out of this repository, so that its git history is not read."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "hugo"))


def test_the_reader_finds_posts_pages_series_and_old_addresses(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p for p in result.posts}
    assert sorted(by_id) == ["hugo:content/about.md", "hugo:content/notes/json-note.md",
                             "hugo:content/posts/the-courts/index.md", "hugo:content/posts/the-question.md",
                             "hugo:content/posts/unfinished.md"]
    question = by_id["hugo:content/posts/the-question.md"]
    assert question.slug == "sanctuary-question" and question.series == "sanctuary-cities"
    assert question.aliases == ("/2016/11/sanctuary-question/", "/sanctuary/", "/posts/old-question")
    assert question.tags == ("law", "immigration") and question.summary == "Whether a city may refuse to help."
    courts = by_id["hugo:content/posts/the-courts/index.md"]  # a bundle, TOML front matter
    assert courts.slug == "the-courts" and courts.date is not None
    assert courts.date.isoformat() == "2016-11-29T09:00:00-05:00"
    assert [a.target for a in courts.assets] == ["2016/11/the-courts/courthouse.png"]
    assert sorted(a.target for a in question.assets) == ["images/map.png", "posts/images/seal.png"]
    note = by_id["hugo:content/notes/json-note.md"]  # JSON front matter, the default address
    assert note.aliases == ("/notes/json-note/",) and note.summary == "Front matter in JSON."
    assert by_id["hugo:content/about.md"].layout == "page" and by_id["hugo:content/posts/unfinished.md"].draft
    assert result.series["sanctuary-cities"].description == ("Whether a city may refuse to help federal "
                                                             "immigration enforcement.")
    left_out = {s.what for s in result.skipped if not s.kept}
    assert left_out == {"the home page (content/_index.md)", "section posts (content/posts/_index.md)",
                        "headless bundle content/headless-gallery/index.md", "file content/notes/data.csv"}


def test_shortcodes_are_written_out_or_kept_visible(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p.markdown for p in result.posts}
    question = by_id["hugo:content/posts/the-question.md"]
    assert ('<figure><img src="/essays/images/map.png" alt="A map of the cities"><figcaption>Cities that limit '
            "cooperation, 2016</figcaption></figure>") in question
    assert "```go\nfunc mayRefuse(c City) bool { return c.SharesNothing }\n```" in question
    assert "[the statutes](/essays/2016/11/the-courts/)" in question  # ref, to its old address
    assert ("[the courts](/essays/2016/11/the-courts/), [again](/essays/2016/11/the-courts/#the-ruling)"
            in question)  # by name, with the section named
    assert "![The seal](/essays/posts/images/seal.png)" in question  # a file of content/, under the old baseURL
    assert "[gist someone/0123abcd](https://gist.github.com/someone/0123abcd)" in question and "<script" not in question
    courts = by_id["hugo:content/posts/the-courts/index.md"]
    assert "![The courthouse](/essays/2016/11/the-courts/courthouse.png)" in courts
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc123"' in courts
    assert 'width="560" height="315" style="max-width: 100%"' in courts  # a phone's page scrolled sideways
    assert '{{< tweet user="someone" id="123" >}}' in courts
    assert 'write {{< figure src="x.png" >}}.' in courts  # an escaped shortcode is shown as written
    reported = {(str(s.where), s.what) for s in result.skipped if s.kept}
    assert ("content/posts/the-courts/index.md:13", "shortcode {{< tweet >}}") in reported
    assert not any(what == "shortcode {{< ref >}}" for _, what in reported)
    assert ("content/posts/the-question.md:25", "shortcode {{< gist >}}") in reported  # below a highlight block


@pytest.mark.parametrize("name, text, line, message", [
    ("posts/bad-toml.md", '+++\ntitle = "A"\ndate = 2016-13-45\n+++\nText.\n', 3, "broken TOML front matter"),
    ("posts/bad-yaml.md", "---\ntitle: [A\n---\nText.\n", 3, "broken front matter"),
    ("posts/bad-json.md", '{\n  "title": "A",\n  "date": \n}\nText.\n', 4, "broken JSON front matter"),
    ("posts/bad-date.md", "---\ntitle: A\ndate: next tuesday\n---\nText.\n", 1, "date: 'next tuesday' is not a date"),
    ("posts/no-such-day.md", "---\ntitle: A\ndate: 2020-02-30\n---\nText.\n", 3,
     "broken front matter: cannot read '2020-02-30' as a date (day is out of range for month)"),  # was a traceback
])
def test_broken_front_matter_is_an_error_at_its_line_and_nothing_is_written(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, line: int,
        message: str) -> None:
    (source / "content" / name).write_text(text)
    root = write_site(tmp_path / "site", {})
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"content/{name}:{line}: {message}" in err, err
    assert snapshot(root) == before


@pytest.mark.slow
def test_the_imported_hugo_site_builds_cleanly_and_validates(tmp_path: Path, source: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(source), cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("hugo: imported 4 posts, 1 page, 1 series, 0 versions, 3 images and "
                                           "files, 5 aliases")
    assert front(root / "posts/sanctuary-cities/the-courts.md")["part"] == 2
    assert "description" in (root / "posts/sanctuary-cities/series.toml").read_text()
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "error" not in built.stderr.lower(), built.stderr
    output = root / "output"
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert not feed.bozo and {e.title for e in feed.entries} == {"The Question", "The Courts", "A Note in JSON"}
    assert "sanctuary-cities/sanctuary-question/" in (output / "2016/11/sanctuary-question/index.html").read_text()
    assert (output / "2016/11/the-courts/courthouse.png").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []
    again = run_cli("import", str(source), cwd=root)
    assert again.returncode == 0 and "nothing changed" in again.stdout


def front_and_body(path: Path) -> tuple[dict, str]:
    _, meta, text = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(meta), text


STARTUP = """\
    ---
    title: 关于创业
    date: '2015-02-18'
    url: /2015/02/18/Starup/
    ---

    ![StartUp](images/StartUP-header.jpg)

    See also [the start](/2014/09/07/startup/).
    """
"""A post in the shape of coderzh/coderzh-hugo-blog's: its own ``url`` with a capital, and a relative image
link that ``canonifyURLs`` read from the site's root."""


@pytest.mark.parametrize("name, config", [
    ("config.toml", 'baseURL = "https://blog.example/"\ndisablePathToLower = true\n'),
    ("config.yaml", 'baseurl: "https://blog.example"\ndisablePathToLower: true\n'),
], ids=["toml", "yaml"])
def test_disable_path_to_lower_keeps_the_old_addresses_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, config: str) -> None:
    root = imported_site(tmp_path, {name: config, "content/post/2015-02-18-Starup.md": STARTUP,
                                    "content/post/NewStart.md": "---\ntitle: New\ndate: 2015-03-15\n---\nA.\n",
                                    "content/post/OldName.md": "---\ntitle: Old\ndate: 2015-03-16\n"
                                                               "aliases: [/Old/Name/]\n---\nB.\n"})
    assert front_and_body(root / "posts/2015-02-18-starup.md")[0]["aliases"] == ["/2015/02/18/Starup/"]
    assert front_and_body(root / "posts/newstart.md")[0]["aliases"] == ["/post/NewStart/"]
    assert front_and_body(root / "posts/oldname.md")[0]["aliases"] == ["/post/OldName/", "/Old/Name/"]
    capsys.readouterr()
    assert main(["--site", str(root), "build"]) == 0, capsys.readouterr().err
    assert "2015-02-18-starup/" in (root / "output/2015/02/18/Starup/index.html").read_text()


def test_without_disable_path_to_lower_made_addresses_are_lower_case_and_a_url_is_as_written(tmp_path: Path) -> None:
    source = write_site(tmp_path / "blog", {"hugo.toml": 'baseURL = "https://blog.example/"\n',
                                            "content/post/2015-02-18-Starup.md": STARTUP,
                                            "content/post/NewStart.md": "---\ntitle: New\ndate: 2015-03-15\n"
                                                                        "aliases: [/Old/Name/]\n---\nA.\n"},
                        config=None)
    by_id = {p.source_id: p for p in read(source, ReadOptions()).posts}
    assert by_id["hugo:content/post/2015-02-18-Starup.md"].aliases == ("/2015/02/18/Starup/",)  # Hugo keeps a url
    assert by_id["hugo:content/post/NewStart.md"].aliases == ("/post/newstart/", "/Old/Name/")


def test_canonify_urls_reads_a_relative_link_from_the_site_root_and_copies_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = png(4, 3)
    starup = dedent(STARTUP) + "\n[Feed](feed.xml)\n"  # a copy of an old feed in static/, line 11
    root = imported_site(tmp_path, {"config.yaml": 'baseurl: "https://blog.example"\ncanonifyurls: true\n',
                                    "content/post/2015-02-18-Starup.md": starup,
                                    "static/images/StartUP-header.jpg": image,
                                    "static/feed.xml": "<rss></rss>\n"})
    out = capsys.readouterr().out
    assert "1 image and file" in out.splitlines()[0], out
    assert "  content/post/2015-02-18-Starup.md:11: linked file feed.xml: the new site makes its own feed.xml" in out
    assert (root / "static/images/StartUP-header.jpg").read_bytes() == image
    text = front_and_body(root / "posts/2015-02-18-starup.md")[1]
    assert "![StartUp](/essays/images/StartUP-header.jpg)" in text
    assert "[the start](/essays/2014/09/07/startup/)" in text and "[Feed](/essays/feed.xml)" in text
    assert main(["--site", str(root), "build"]) == 0, capsys.readouterr().err
    assert (root / "output/images/StartUP-header.jpg").read_bytes() == image
    assert '/essays/images/StartUP-header.jpg"' in (root / "output/2015-02-18-starup/index.html").read_text()


def test_canonify_urls_leaves_footnotes_as_written(tmp_path: Path) -> None:
    """``[^1]: Obviously, …`` is a footnote, not a link reference: its first word is no address to rewrite
    (it came out as ``/Obviously%2C …``); a link reference beside it still is one."""
    body = ("+++\ntitle = \"Footnotes\"\ndate = \"2020-03-08T08:09:26-07:00\"\n+++\n\nA claim.[^1] Another.[^2] "
            "See [the map][map].\n\n[^1]: Obviously, this is a note.\n[^2]: See https://example.com/ for more.\n"
            "[map]: images/map.png\n")
    source = write_site(tmp_path / "blog", {"config.toml": 'baseURL = "https://blog.example/"\ncanonifyURLs = true\n',
                                            "content/posts/foot.md": body, "static/images/map.png": png(4, 3)},
                        config=None)
    post, = read(source, ReadOptions(static_prefix="/essays/")).posts
    assert "[^1]: Obviously, this is a note.\n[^2]: See https://example.com/ for more.\n" in post.markdown
    assert "[map]: /essays/images/map.png" in post.markdown


def test_without_canonify_urls_a_relative_link_stays_relative(tmp_path: Path) -> None:
    source = write_site(tmp_path / "blog", {"config.yaml": 'baseurl: "https://blog.example"\n',
                                            "content/post/2015-02-18-Starup.md": STARTUP,
                                            "static/images/StartUP-header.jpg": png(4, 3)}, config=None)
    post, = read(source, ReadOptions(static_prefix="/essays/")).posts
    assert "![StartUp](images/StartUP-header.jpg)" in post.markdown and post.assets == ()


def test_a_gist_becomes_a_link_to_it_and_the_report_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = imported_site(tmp_path, {"config.toml": 'baseURL = "https://blog.example/"\n',
                                    "content/posts/2013-09-05-git-quick.md": """\
        ---
        title: git quick
        date: 2013-09-05 23:04:00
        ---

        Commit quicker:

        {{< highlight bash >}}
        g q A simple commit message
        {{< /highlight >}}

        The script:

        {{< gist mindriot101 6456980 >}}

        And one file of another: {{< gist someone abc123 notes.md >}}
        """})
    out = capsys.readouterr().out
    text = front_and_body(root / "posts/2013-09-05-git-quick.md")[1]
    assert "[gist mindriot101/6456980](https://gist.github.com/mindriot101/6456980)" in text
    assert "[gist someone/abc123: notes.md](https://gist.github.com/someone/abc123)" in text
    assert "<script" not in text and "{{<" not in text
    assert "2 × shortcode {{< gist >}}: Hugo embeds the gist with a script, which an essay should not run: written " \
           "as a link to it (content/posts/2013-09-05-git-quick.md:14,16)" in out, out


def test_an_image_inside_a_link_or_beside_the_file_is_copied_and_a_missing_one_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("---\ntitle: Pictures\ndate: 2015-09-20\n---\n\n[![Thumb](images/q.jpg)](images/q-full.jpg)\n\n"
            "![Gone](images/missing.png)\n\n![Previewed](../../static/images/p.png)\n")
    root = imported_site(tmp_path, {"config.yaml": 'baseurl: "https://blog.example"\ncanonifyurls: true\n',
                                    "content/post/pictures.md": body, "static/images/q.jpg": png(2, 2),
                                    "static/images/q-full.jpg": png(8, 8),
                                    "static/images/p.png": png(3, 3)})
    out = capsys.readouterr().out
    text = front_and_body(root / "posts/pictures.md")[1]
    assert "[![Thumb](/essays/images/q.jpg)](/essays/images/q-full.jpg)" in text
    assert (root / "static/images/q.jpg").read_bytes() == png(2, 2)
    assert (root / "static/images/q-full.jpg").read_bytes() == png(8, 8)
    assert "content/post/pictures.md:8: linked file images/missing.png: no such file in the source" in out
    assert "![Previewed](/essays/images/p.png)" in text  # as a preview of the repository finds it
    assert (root / "static/images/p.png").read_bytes() == png(3, 3)


def test_a_highlight_closed_with_a_space_after_its_slash_is_a_fenced_block(tmp_path: Path) -> None:
    """Hugo reads `{{< / highlight >}}` as `{{< /highlight >}}`; the HTML sample in it is code, not markup."""
    source = tmp_path / "hugo"
    (source / "content/posts").mkdir(parents=True)
    (source / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "T"\n')
    (source / "content/posts/code.md").write_text(
        '---\ntitle: Code\ndate: 2020-01-01\n---\nA sample:\n\n{{< highlight html >}}\n'
        '<section id="main"><h1>{{ .Title }}</h1></section>\n{{< / highlight >}}\n')
    result = read(source, ReadOptions(history=False))
    (post,) = result.posts
    assert '```html\n<section id="main"><h1>{{ .Title }}</h1></section>\n```' in post.markdown
    assert not [s for s in result.skipped if "highlight" in s.what]


def test_an_old_address_under_page_is_kept_unless_it_is_a_home_page(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A Hugo theme (Stack) keeps its pages at ``/page/about/``; the new site has only its home page's pages
    there (``/page/2/``).  Before, every ``/page/…`` address was refused."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "content/page/about/index.md": "---\ntitle: About\n---\nWho writes here.\n",
        "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\naliases: [/page/old-a/, /page/2/]\n---\nA.\n"})
    report = capsys.readouterr().out
    assert front_and_body(root / "posts/about.md")[0]["aliases"] == ["/page/about/"]
    assert front_and_body(root / "posts/a.md")[0]["aliases"] == ["/posts/a/", "/page/old-a/"]
    assert "old address /page/2/: no alias: it is the address of a page of the site" in report
    assert main(["--site", str(root), "build"]) == 0
    assert "/about/" in (root / "output/page/about/index.html").read_text()


@pytest.mark.parametrize("layout", ["file names", "content folders"])
def test_a_site_in_two_languages_keeps_each_text_its_language_and_its_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str) -> None:
    """``hello.fr.md`` (or ``content/fr/…`` under ``contentDir``) is the French text of ``hello``: a post of its
    own in French, at its old address under ``/fr/``, beside the original, which keeps the slug; a bundle's
    ``index.fr.md`` is its French text, not one of its files; ``_index.fr.md`` is a list page; a series in
    two languages is two series, not one whose parts are the translations.  Before, the translation took
    the slug, the original's old address was lost, and the two became Parts 1 and 2 of one series."""
    head = "---\ntitle: {}\ndate: 2024-01-0{}T10:00:00+00:00\nseries: [Notes]\n---\n{}\n"
    if layout == "file names":
        files = {"hugo.toml": 'baseURL = "https://blog.example/"\ndefaultContentLanguage = "fr"\n'
                              "[languages.fr]\nweight = 1\n[languages.en]\nweight = 2\n",
                 "content/posts/_index.fr.md": "---\ntitle: Articles\n---\n",
                 "content/posts/faq.md": head.format("FAQ", 2, "Les questions."),
                 "content/posts/faq.en.md": head.format("FAQ", 3, "The questions."),
                 "content/posts/trip/index.md": head.format("Voyage", 4, "![a](photo.png)"),
                 "content/posts/trip/index.en.md": head.format("Trip", 5, "![a](photo.png)"),
                 "content/posts/trip/photo.png": "PNG"}
    else:
        files = {"hugo.toml": 'baseURL = "https://blog.example/"\ndefaultContentLanguage = "fr"\n'
                              '[languages.fr]\ncontentDir = "content/fr"\n[languages.en]\ncontentDir = "content/en"\n',
                 "content/fr/posts/faq.md": head.format("FAQ", 2, "Les questions."),
                 "content/en/posts/faq.md": head.format("FAQ", 3, "The questions.")}
    root = imported_site(tmp_path, files)
    report = capsys.readouterr().out
    original, english = front_and_body(root / "posts/notes/faq.md"), front_and_body(root / "posts/notes-en/faq-en.md")
    assert original[0]["aliases"] == ["/posts/faq/"] and original[0]["language"] == "fr"  # the site's is en
    assert "Les questions." in original[1]
    assert english[0]["aliases"] == ["/en/posts/faq/"] and english[0]["language"] == "en"
    assert "The questions." in english[1]
    if layout == "file names":
        assert "_index.fr.md): a list page Hugo makes" in report and not list((root / "posts").rglob("index*"))
        trip = front_and_body(root / "posts/notes-en/trip-en.md")
        assert trip[0]["aliases"] == ["/en/posts/trip/"] and "![a](/essays/en/posts/trip/photo.png)" in trip[1]
    assert main(["--site", str(root), "build"]) == 0
    assert "/faq-en/" in (root / "output/en/posts/faq/index.html").read_text()


def test_a_link_to_another_posts_file_leads_to_its_new_address(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """``[write to me](../contact/index.md)``, which a Hugo theme's render hook turns into the page's address (a
    real blog has a hundred such links): it leads to that post where it is now.  Before, it became
    ``/page/contact/index.md``, a link to nothing, unreported."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "content/page/contact/index.md": "---\ntitle: Contact\n---\nWrite.\n",
        "content/posts/first.md": "---\ntitle: First\ndate: 2024-01-01\n---\nThe first.\n",
        "content/page/support/index.md": "---\ntitle: Support\n---\n[write to me](../contact/index.md#form), "
                                         "[the first](/posts/first.md) and [elsewhere](https://x.example/a.md).\n"})
    body = front_and_body(root / "posts/support.md")[1]
    assert ("[write to me](/essays/contact/#form), [the first](/essays/first/) and "
            "[elsewhere](https://x.example/a.md)") in body
    capsys.readouterr()
    assert main(["--site", str(root), "build"]) == 0
    assert "leads to nothing" not in capsys.readouterr().err


def test_a_multilingual_sites_addresses_come_out_as_hugo_served_them(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A translation's ``url: /en/about/license/`` is from the root (it had become ``/en/en/…``); a name made
    from a file is sanitized as Hugo does (``AI & Java : passer`` was at ``/ai-java-passer/``, not at an
    address with spaces); a page Hugo renders as data (``url: index2.json``) is no post; on a site whose
    language is the Hugo site's own, its posts need no ``language``."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\ndefaultContentLanguage = "fr"\n[permalinks]\n'
                     'posts = "/:contentbasename/"\n[languages.fr]\nweight = 1\n[languages.en]\nweight = 2\n',
        "content/about/license.en.md": '---\ntitle: License\ndate: 2024-01-01\nurl: "/en/about/license/"\n---\nFree.\n',
        "content/about/rel.en.md": '---\ntitle: Rel\ndate: 2024-01-01\nurl: "about/rel/"\n---\nRel.\n',
        "content/posts/AI & Java : passer.md": "---\ntitle: A\ndate: 2024-01-01\n---\nTexte.\n",
        "content/notes/Déc 2025 - VS Code.md": "---\ntitle: B\ndate: 2024-01-02\n---\nTexte.\n",
        "content/search-index.md": "---\ntitle: Search Index\ntype: json\nurl: index2.json\n---\n"}, config=CONFIG_FR)
    report = capsys.readouterr().out
    assert front_and_body(root / "posts/license-en.md")[0]["aliases"] == ["/en/about/license/"]
    assert front_and_body(root / "posts/rel-en.md")[0]["aliases"] == ["/en/about/rel/"]
    first = front_and_body(root / "posts/ai-java-passer.md")[0]
    assert "aliases" not in first and "language" not in first  # /ai-java-passer/ is where it is now, too
    assert front_and_body(root / "posts/déc-2025-vs-code.md")[0]["aliases"] == ["/notes/déc-2025-vs-code/"]
    assert "content/search-index.md:1: file content/search-index.md: Hugo renders it as index2.json" in report
    assert not (root / "posts/search-index.md").exists()


def test_a_shortcode_written_without_a_space_is_kept_as_a_shortcode_not_as_html(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``{{<hf JSON YAML >}}`` is a shortcode to Hugo; kept as written, it was an HTML element ``<hf>`` left
    open to Markdown, and the whole import stopped."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "content/posts/a.md": '---\ntitle: A\ndate: 2024-01-01\n---\nSee {{<hf JSON YAML >}} and '
                              '{{<myfig src="a.png">}}{{</myfig>}}.\n'})
    body = front_and_body(root / "posts/a.md")[1]
    assert 'See {{< hf JSON YAML >}} and {{< myfig src="a.png" >}}{{< /myfig >}}.' in body
    assert "shortcode {{< hf >}}: Hugo renders it" in capsys.readouterr().out


def test_a_file_a_kept_shortcode_names_is_copied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``{{< img src="/img/a.jpg" >}}`` stays for the author to write out, and its file comes along; a real blog
    had 39 photos left behind without a word.  A file that is not there is reported."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "static/img/a.jpg": "A",
        "content/posts/i.md": '---\ntitle: I\ndate: 2024-01-01\n---\n{{< img src="/img/a.jpg" caption="A photo" >}} '
                              'and {{< img src="/img/none.jpg" >}}\n'})
    report = capsys.readouterr().out
    assert (root / "static/img/a.jpg").read_text() == "A"
    assert '{{< img src="/essays/img/a.jpg" caption="A photo" >}}' in front_and_body(root / "posts/i.md")[1]
    assert "linked file /img/none.jpg: no such file in the source" in report


def test_a_series_named_like_a_posts_old_address_takes_another_folder(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``/trip/`` was the first part of the series ``trip``: a folder ``trip`` would make the series' page
    there, and the part's old address was refused.  The folder is ``trip-series``, and /trip/ redirects."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n[permalinks]\nposts = "/:slug/"\n',
        "content/posts/trip.md": "---\ntitle: Trip\ndate: 2024-01-01\nslug: trip\nseries: [trip]\n---\nOne.\n",
        "content/posts/trip-two.md": "---\ntitle: Two\ndate: 2024-01-02\nslug: trip-two\nseries: [trip]\n---\nTwo.\n"})
    assert "series trip: its folder would take the old address /trip/ of a post: written as trip-series/" in \
        capsys.readouterr().out
    assert front_and_body(root / "posts/trip-series/trip.md")[0]["aliases"] == ["/trip/"]
    assert main(["--site", str(root), "build"]) == 0
    assert "/trip-series/trip/" in (root / "output/trip/index.html").read_text()


def test_a_link_to_a_tags_page_leads_to_the_sites_tag_page(tmp_path: Path) -> None:
    """``[Python](../../tags/python/_index.md)`` and ``[du C.A.P](/tags/passons-le-c.a.p/)``, Hugo's own
    addresses for a tag's page: they lead to the site's page of that tag (``/tags/passons-le-cap/``)."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "content/post/x/index.md": "---\ntitle: X\ndate: 2024-01-01\ntags: [Python, Passons le C.A.P]\n---\n"
                                   "[Python](../../tags/python/_index.md) and [du C.A.P](/tags/passons-le-c.a.p/) and "
                                   "[nothing](/tags/none/).\n"})
    body = front_and_body(root / "posts/x.md")[1]
    assert ("[Python](/essays/tags/python/) and [du C.A.P](/essays/tags/passons-le-cap/) and "
            "[nothing](/essays/tags/none/)") in body
    assert main(["--site", str(root), "build"]) == 0
    assert (root / "output/tags/python/index.html").is_file() and (root / "output/tags/passons-le-cap").is_dir()


def test_an_address_made_from_a_title_keeps_what_hugo_kept(tmp_path: Path) -> None:
    """``:title`` and ``:slug`` go through Hugo's URLize: dots, ``+``, ``_`` stay ("Go 1.22 — what's new" was at
    ``/2024/go-1.22-whats-new/``); before, they were dropped and the redirect led from an address no one used."""
    root = imported_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://blog.example/"\n[permalinks]\nposts = "/:year/:title/"\n',
        "content/posts/go.md": "---\ntitle: \"Go 1.22 — what's new\"\ndate: 2024-02-06\n---\nText.\n",
        "content/posts/node.md": '---\ntitle: "Node.js & ASP.NET Core"\ndate: 2024-02-07\n---\nText.\n'})
    aliases = {p.name: front_and_body(p)[0]["aliases"] for p in (root / "posts").glob("*.md")}
    assert aliases["go.md"] == ["/2024/go-1.22-whats-new/"]
    assert aliases["node.md"] == ["/2024/node.js-asp.net-core/"]


def test_a_ref_to_a_section_of_its_own_page_becomes_that_section(tmp_path: Path) -> None:
    """``{{< ref "#details" >}}`` is Hugo's link to a heading of the page it is written in (a real site's
    did it; the import died with a traceback on the empty file name)."""
    body = ('---\ntitle: "Anchors"\ndate: 2024-01-02\n---\n\nSee [the details]({{< ref "#details" >}}) and '
            '[nothing]({{< relref "#" >}}).\n\n## Details\n\nHere.\n')
    source = write_site(tmp_path / "blog", {"hugo.toml": 'baseURL = "https://old.example/"\n',
                                            "content/posts/anchors.md": body}, config=None)
    post, = read(source, ReadOptions(static_prefix="/essays/")).posts
    assert "See [the details](#details) and" in post.markdown


BASE = 'baseURL = "https://old.example/"\n'

K8S = """\
---
title: k8s
date: 2020-01-01T09:00:00Z
---

To read logs:

kubectl logs --namespace <NAMESPACE> <NAME>, not `<POD>`

<dependency>
    <groupId>org.example</groupId>
</dependency>

<!--more-->
A shortcode {{<note>}} and its code:

{{< highlight html >}}
<div class="box">
{{< /highlight >}}

> <section>
> quoted
> </section>

  1. A link
  2. <blockquote class="embed">
      <p>pasted from WordPress</p>
    </blockquote>
"""
"""A post in the shape of wiloon/blog's: placeholders and pasted XML outside code, which Hugo's default
renderer (goldmark, ``unsafe = false``) left out of the page."""


def test_raw_html_hugo_left_out_is_shown_as_the_text_written_and_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """wiloon/blog stopped with 567 "raw HTML: <namespace> is never closed" errors for HTML its readers never
    saw.  Each tag is escaped, each block shown as code, a comment kept, Hugo's own syntax left as written;
    one report line for the post, one for the setting."""
    note = "---\ntitle: N\ndate: 2020-01-02\n---\n<p>A <b>b</b></p>\n"
    root = imported_site(tmp_path, {"hugo.toml": BASE, "content/posts/k8s.md": K8S, "content/posts/note.html": note})
    body = front_and_body(root / "posts/k8s.md")[1]
    assert "kubectl logs --namespace \\<NAMESPACE> \\<NAME>, not `<POD>`" in body
    assert "```\n<dependency>\n    <groupId>org.example</groupId>\n</dependency>\n```\n" in body
    assert "<!--more-->" in body and "{{< note >}}" in body
    assert '```html\n<div class="box">\n```' in body  # a highlight's code is Hugo's, not raw HTML
    assert "> ```\n> <section>\n> quoted\n> </section>\n> ```\n" in body
    # after a list marker, the fence opens there; the line below the block, code to Markdown, stays code
    assert ('  2. ```\n     <blockquote class="embed">\n      <p>pasted from WordPress</p>\n     ```\n'
            "    </blockquote>\n") in body
    page = render(body)
    assert "kubectl logs –namespace &lt;NAMESPACE&gt; &lt;NAME&gt;" in page and "<section>" not in page
    assert unbalanced(page) == [] and "<blockquote class" not in page
    assert "**b**" in front_and_body(root / "posts/note.md")[1]  # an HTML file Hugo showed as it is
    out = capsys.readouterr().out
    assert ("content/posts/k8s.md:8: raw HTML Hugo left out: 2 tags escaped to show as written (<NAMESPACE>, "
            "<NAME>); 3 HTML blocks shown as code (lines 10, 21, 26)") in out, out
    assert "content/posts/k8s.md:15: shortcode {{< note >}}" in out  # its line in the file, fences added above it
    assert ("hugo.toml: raw HTML in 1 post: Hugo showed none of it (no settings file sets "
            "markup.goldmark.renderer.unsafe, false unless set since Hugo 0.60)") in out
    assert "set unsafe = true under [markup.goldmark.renderer] in hugo.toml and import again" in out
    assert "note.html" not in out


@pytest.mark.parametrize("files, left_out", [
    ({}, True),
    ({"hugo.toml": BASE + "[markup.goldmark.renderer]\nunsafe = false\n"}, True),
    ({"hugo.toml": BASE + "[markup.goldmark.renderer]\nunsafe = true\n"}, False),
    ({"hugo.toml": BASE + "[Markup.Goldmark.Renderer]\nUnsafe = true\n"}, False),  # Hugo reads names in any case
    ({"hugo.toml": None, "config.yaml": "markup:\n  goldmark:\n    renderer:\n      unsafe: true\n"}, False),
    ({"hugo.toml": None, "config/_default/hugo.toml": BASE,
      "config/_default/markup.toml": "[goldmark.renderer]\nunsafe = true\n"}, False),
    ({"hugo.toml": BASE + '[markup]\ndefaultMarkdownHandler = "blackfriday"\n'}, False),
    ({"netlify.toml": '[build.environment]\nHUGO_VERSION = "0.55.6"\n'}, False),  # blackfriday's time
    ({"netlify.toml": '[build.environment]\nHUGO_VERSION = "0.120.4"\n'}, True),
    ({".github/workflows/hugo.yml": "steps:\n  - uses: peaceiris/actions-hugo@v2\n    with:\n"
                                    "      hugo-version: '0.54.0'\n"}, False),
    ({"netlify.toml": '[build.environment]\nHUGO_VERSION = "0.55.0"\n\n[context.production.environment]\n'
                      'HUGO_VERSION = "0.80.0"\n'}, True),  # what production deploys ran
    ({"netlify.toml": '[build.environment]\nHUGO_VERSION = "0.80.0"\n\n[context.production]\n'
                      'environment = { HUGO_VERSION = "0.55.0" }\n'}, False),
], ids=["unset", "false", "true", "any-case", "yaml", "config-dir", "blackfriday", "pinned-old", "pinned-new",
        "workflow-old", "netlify-production-new", "netlify-production-old"])
def test_raw_html_is_text_only_where_the_sites_settings_had_hugo_leave_it_out(
        tmp_path: Path, files: dict[str, str | None], left_out: bool) -> None:
    written = {"hugo.toml": BASE, **files, "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\n\n"
               "Run <code>make</code> now.\n"}
    source = write_site(tmp_path / "blog", {k: v for k, v in written.items() if v is not None}, config=None)
    (post,) = read(source, ReadOptions()).posts
    assert post.markdown == ("Run \\<code>make\\</code> now.\n" if left_out else "Run <code>make</code> now.\n")
    assert any(s.what == "raw HTML in 1 post" for s in read(source, ReadOptions()).skipped) is left_out


SHORTCODES = """\
---
title: Shortcodes
date: 2021-03-07T10:00:00Z
---
{{< note >}}Use <b>only</b> the <kbd>Esc</kbd> key.{{< /note >}}

{{< note >}}
<p>A paragraph in HTML</p>
{{< /note >}}

{{< rawhtml >}}
<video controls src="/clip.mp4"></video>
{{< /rawhtml >}}

{{% aside %}}
<p>Read as Markdown</p>
{{% /aside %}}

{{% aside %}}Press <kbd>Tab</kbd>.{{% /aside %}}
"""
"""A post of a site whose goldmark left raw HTML out: Hugo gave a ``{{< >}}`` shortcode's body to its template
as written (readers saw the aside, the video); a ``{{% %}}`` one's it read as Markdown, raw HTML left out."""


def test_a_paired_shortcodes_body_hugo_showed_is_left_alone_and_no_fence_takes_a_shortcode_tag(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = imported_site(tmp_path, {"hugo.toml": BASE, "content/posts/sc.md": SHORTCODES})
    body = front_and_body(root / "posts/sc.md")[1]
    assert "{{< note >}}Use <b>only</b> the <kbd>Esc</kbd> key.{{< /note >}}" in body
    assert "{{< note >}}\n<p>A paragraph in HTML</p>\n{{< /note >}}" in body
    assert '{{< rawhtml >}}\n<video controls src="/essays/clip.mp4"></video>\n{{< /rawhtml >}}' in body
    # Hugo read a {{% %}} body as Markdown: its HTML left out, fenced, the closing tag outside the fence
    assert "{{% aside %}}\n```\n<p>Read as Markdown</p>\n```\n{{% /aside %}}" in body
    assert "{{% aside %}}Press \\<kbd>Tab\\</kbd>.{{% /aside %}}" in body
    out = capsys.readouterr().out
    assert ("content/posts/sc.md:16: raw HTML Hugo left out: 2 tags escaped to show as written (<kbd>, </kbd>); "
            "1 HTML block shown as code (line 16)") in out, out
    assert "content/posts/sc.md:11: shortcode {{< rawhtml >}}" in out  # its line in the file, fences above it


def test_a_shortcode_inside_an_html_block_stays_out_of_its_fence(tmp_path: Path) -> None:
    text = ("---\ntitle: A\ndate: 2020-01-01\n---\n<div class=\"box\">\n{{< note >}}\n<i>kept</i>\n"
            "{{< /note >}}\n</div>\n")
    source = write_site(tmp_path / "blog", {"hugo.toml": BASE, "content/posts/a.md": text}, config=None)
    (post,) = read(source, ReadOptions()).posts
    assert post.markdown == ("```\n<div class=\"box\">\n```\n{{< note >}}\n<i>kept</i>\n{{< /note >}}\n"
                             "```\n</div>\n```\n")


UNSAFE = "[markup.goldmark.renderer]\nunsafe = {}\n"
IN_MARKUP = "[goldmark.renderer]\n{}\n"


@pytest.mark.parametrize("files, left_out, said", [
    ({"hugo.toml": BASE + UNSAFE.format("false"), "config/_default/markup.toml": IN_MARKUP.format("unsafe = true")},
     False, None),
    ({"hugo.toml": BASE + UNSAFE.format("true"), "config/_default/markup.toml": IN_MARKUP.format("unsafe = false")},
     True, "config/_default/markup.toml sets markup.goldmark.renderer.unsafe to false"),
    ({"hugo.toml": BASE + UNSAFE.format("true"), "config/_default/markup.toml": IN_MARKUP.format("hardWraps = true")},
     False, None),  # a table's settings merged key by key
    ({"hugo.toml": None, "config/_default/config.toml": BASE,
      "config/production/markup.toml": IN_MARKUP.format("unsafe = true")}, False, None),
    ({"hugo.toml": None, "config/_default/hugo.toml": BASE + UNSAFE.format("true"),
      "config/production/hugo.toml": UNSAFE.format("false")},
     True, "config/production/hugo.toml sets markup.goldmark.renderer.unsafe to false"),
    ({"hugo.toml": None, "config/_default/config.toml": BASE + UNSAFE.format("true"),
      "config/_default/markup.toml": IN_MARKUP.format("unsafe = false")},
     True, "config/_default/markup.toml sets markup.goldmark.renderer.unsafe to false"),  # read after config.toml
    ({"config/development/markup.toml": IN_MARKUP.format("unsafe = true")}, True, None),  # hugo server's alone
], ids=["dir-over-root", "dir-false-over-root", "key-by-key", "production", "production-false", "by-name",
        "development"])
def test_the_renderers_settings_are_read_in_the_order_hugo_read_them(
        tmp_path: Path, files: dict[str, str | None], left_out: bool, said: str | None,
        capsys: pytest.CaptureFixture[str]) -> None:
    """As Hugo 0.111 read them (hugo config): config/_default/ over the site's file, config/production/ (what
    a hugo build reads) over both, each folder's files in the order of their names, a table key by key."""
    written = {"hugo.toml": BASE, **files, "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\n\n"
               "Run <code>make</code> now.\n"}
    imported_site(tmp_path, {k: v for k, v in written.items() if v is not None})
    post = (tmp_path / "site/posts/a.md").read_text(encoding="utf-8")
    assert post.endswith("Run \\<code>make\\</code> now.\n" if left_out else "Run <code>make</code> now.\n")
    out = capsys.readouterr().out
    if said:
        assert f"{said.split()[0]}: raw HTML in 1 post: Hugo showed none of it ({said})" in out, out


NEVER_CLOSED = "---\ntitle: K\ndate: 2021-03-05T10:00:00Z\n---\nRun kubectl logs <name> to see.\n"


@pytest.mark.parametrize("files, why", [
    ({"hugo.toml": BASE, "config/_default/markup.toml": "[goldmark.renderer]\nunsafe = true\n"},
     "config/_default/markup.toml sets markup.goldmark.renderer.unsafe to true"),
    ({"netlify.toml": '[build.environment]\nHUGO_VERSION = "0.55.0"\n'},
     "netlify.toml pins Hugo 0.55.0 for production deploys, in [build.environment], older than 0.60, whose "
     "renderer, blackfriday, showed raw HTML"),
    ({"hugo.toml": BASE + '[markup]\ndefaultMarkdownHandler = "pandoc"\n'},
     'hugo.toml sets markup.defaultMarkdownHandler to "pandoc"'),
    ({"content/posts/k.md": NEVER_CLOSED.replace("Run", "{{< rawhtml >}}Run").replace("see.", "see.{{< /rawhtml >}}")},
     "it is in the body of a {{< >}} shortcode, which Hugo gave the shortcode's template as written"),
], ids=["unsafe", "netlify", "handler", "shortcode"])
def test_a_stop_at_raw_html_never_closed_says_why_it_is_read_as_html(
        tmp_path: Path, files: dict[str, str | None], why: str, capsys: pytest.CaptureFixture[str]) -> None:
    """On a Hugo site, whose raw HTML may have been left out of its pages, the author is told what made the
    import take it for what readers saw, so as to tell whether to mend it or to mend the settings."""
    written = {"hugo.toml": BASE, "content/posts/k.md": NEVER_CLOSED, **files}
    source = write_site(tmp_path / "blog", {k: v for k, v in written.items() if v is not None}, config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"is never closed (</p> comes first); raw HTML is read as HTML here: {why}; nothing was imported" in err, err


@pytest.mark.parametrize("markup, said", [
    ("[goldmark.renderer]\nunsafe = false\n", "config/_default/markup.toml sets markup.goldmark.renderer.unsafe "
                                              "to false"),
    ("[goldmark.renderer]\nhardWraps = true\n", "no settings file sets markup.goldmark.renderer.unsafe, false "
                                                "unless set since Hugo 0.60"),
], ids=["set-there", "unset"])
def test_the_setting_line_names_the_file_the_setting_is_or_goes_in(
        tmp_path: Path, markup: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    """JeremieLitzler's blog says unsafe = false in config/_default/markup.toml, beside config.toml: the line
    named config.toml, and its advice sent the author there, under a table markup.toml does not have."""
    imported_site(tmp_path, {"config/_default/config.toml": BASE, "config/_default/markup.toml": markup,
                             "content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nRun <b>make</b>.\n"})
    out = capsys.readouterr().out
    assert f"config/_default/markup.toml: raw HTML in 1 post: Hugo showed none of it ({said})" in out, out
    assert "set unsafe = true under [goldmark.renderer] in config/_default/markup.toml and import again" in out


def test_the_text_before_the_summary_divider_is_the_posts_summary(tmp_path: Path) -> None:
    """Hugo's lists showed the text before ``<!--more-->`` as the post's summary, over the front matter's
    ``summary`` (Hugo 0.111): it is the summary, in plain words; a divider shown in code is none."""
    lead = "---\ntitle: M\ndate: 2021-03-05\nsummary: Not shown.\n---\nOnly *this* lead,\nin two lines.\n\n" \
        "<!--more-->\n\nThe body lists never showed.\n"
    code = "---\ntitle: C\ndate: 2021-03-06\n---\nWrite `<!--more-->` to end the summary.\n"
    source = write_site(tmp_path / "blog", {"hugo.toml": BASE, "content/posts/m.md": lead,
                                            "content/posts/c.md": code}, config=None)
    by_id = {p.source_id: p for p in read(source, ReadOptions()).posts}
    assert by_id["hugo:content/posts/m.md"].summary == "Only this lead, in two lines."
    assert "<!--more-->" in by_id["hugo:content/posts/m.md"].markdown
    assert by_id["hugo:content/posts/c.md"].summary == ""

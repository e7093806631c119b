"""``feuilleton import`` of a Pelican site (tests/fixtures/import/pelican, written here): pelicanconf.py read
without being run, Markdown metadata headers and reStructuredText through docutils with files and raw
HTML shut out, {static} and {filename} links, a series of the pelican-series plugin, a draft and a page;
broken headers stop everything; the imported site builds and validates."""
from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import EPOCH, broken_links, imported_site, nu_errors, png, run_cli, snapshot, write_site
from engine.cli import main
from engine.importing.command import detect
from engine.importing.model import ReadOptions, Skipped
from engine.importing.pelican import read, settings_of

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "pelican"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The fixture copied out of this repository, so that its git history is not read."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "pelican"))


def test_pelicanconf_is_read_not_run(tmp_path: Path) -> None:
    planted = tmp_path / "planted"
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(f'import os\nARTICLE_URL = "{{slug}}/"\nTIMEZONE: str = "Europe/Paris"\n'
                    f'SITEURL = os.environ.get("SITEURL", "")\nopen({str(planted)!r}, "w").write("ran")\n'
                    'MENUITEMS = (("Home", "/"),)\n')
    skipped: list[Skipped] = []
    assert settings_of(conf, skipped) == {"ARTICLE_URL": "{slug}/", "TIMEZONE": "Europe/Paris",
                                          "MENUITEMS": (("Home", "/"),)}
    assert not planted.exists()
    assert [(s.where.line, s.what) for s in skipped] == [(4, "setting SITEURL"), (5, "statement on line 5")]


def test_the_reader_finds_articles_pages_series_and_old_addresses(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p for p in result.posts}
    first, second = by_id["pelican:content/essays/sanctuary-1.md"], by_id["pelican:content/essays/sanctuary-2.rst"]
    assert (first.title, first.slug, first.series, first.part) == ("Sanctuary Cities, Part 1", "sanctuary-cities-1",
                                                                   "sanctuary-cities", 1)
    assert first.date is not None and first.date.isoformat() == "2016-11-22T10:00:00-05:00"  # TIMEZONE
    assert first.summary == "Whether a city may refuse to help federal immigration enforcement."  # continued line
    assert first.tags == ("Law", "immigration", "federalism") and first.aliases == ("/2016/11/sanctuary-cities-1/",)
    assert (second.title, second.part, second.tags) == ("The Statutes", 2, ("essays", "immigration"))  # folder category
    assert by_id["pelican:content/essays/unfinished.md"].draft
    about = by_id["pelican:content/pages/about.md"]
    assert about.layout == "page" and about.aliases == ("/about/",) and about.date is None
    assert result.series["sanctuary-cities"].title == "Sanctuary Cities"


def test_bodies_links_and_what_docutils_must_not_do(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p for p in result.posts}
    first = by_id["pelican:content/essays/sanctuary-1.md"]
    assert "![A map of the cities](/essays/images/map.png)" in first.markdown
    assert "[next part](/essays/2016/11/sanctuary-cities-2/)" in first.markdown
    assert [a.target for a in first.assets] == ["images/map.png"]
    second = by_id["pelican:content/essays/sanctuary-2.rst"].markdown
    assert "Two statutes matter: *8 U.S.C. § 1373* and **§ 1644**." in second
    assert "def may_refuse(city):\n    return city.shares_nothing" in second
    assert "[the first part](/essays/2016/11/sanctuary-cities-1/)" in second
    assert "<script" not in second and "alert" not in second and Path("/etc/hostname").read_text().strip() not in \
        second.replace("the first part", "")
    reported = {(str(s.where), s.what) for s in result.skipped}
    assert {("content/essays/sanctuary-2.rst:18", "directive .. raw::"),
            ("content/essays/sanctuary-2.rst:22", "directive .. include::"),
            ("pelicanconf.py:15", "setting THEME")} <= reported


@pytest.mark.parametrize("name, text, line, message", [
    ("essays/bad.md", "Title: Bad\nDate: 2016-01-01\nthis line is no header\n\nText.\n", 3, "broken metadata header"),
    ("essays/bad-date.md", "Title: Bad\nDate: the day after\n\nText.\n", 2, "date: 'the day after' is not a date"),
    ("essays/untitled.rst", ":date: 2016-01-01\n\nText.\n", 1, "no title"),
])
def test_a_broken_header_is_an_error_at_its_line_and_nothing_is_written(
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
def test_the_imported_pelican_site_builds_cleanly_and_validates(tmp_path: Path, source: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(source), cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("pelican: imported 3 posts, 1 page, 1 series, 0 versions, 1 image and "
                                           "file, 2 aliases")  # about's old address is its new one
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "error" not in built.stderr.lower(), built.stderr
    output = root / "output"
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert not feed.bozo and {e.title for e in feed.entries} == {"Sanctuary Cities, Part 1", "The Statutes"}
    assert "sanctuary-cities/sanctuary-cities-1/" in (output / "2016/11/sanctuary-cities-1/index.html").read_text()
    assert (output / "images/map.png").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []


@pytest.mark.parametrize("written, read_as", [
    ("2016-11-22 10:00", "2016-11-22T10:00:00-05:00"), ("2016-11-22", "2016-11-22T00:00:00-05:00"),
    ("2016-11-22T10:00:00+01:00", "2016-11-22T10:00:00+01:00"),
    ("Mon Jun  1 19:30:27 EDT 2015", "2015-06-01T19:30:27-04:00"),  # `date` output, as a real blog had it
])
def test_dates_are_read_as_pelican_reads_them(written: str, read_as: str) -> None:
    from zoneinfo import ZoneInfo

    from engine.importing.folder import to_date
    from engine.importing.model import Where
    assert to_date(written, Where("x.md"), ZoneInfo("America/New_York")).isoformat() == read_as


LITERALS = """Literals
########

:date: 2016-12-01 09:00
:slug: literals

Link to another article with ``[a link]({filename}/essays/sanctuary-1.md)``, or write ``<img>``;
a literal may hold ```code``` and ``*stars*``, and `a real link <{filename}/essays/sanctuary-1.md>`_
or `one Pelican makes <{author}alice>`_.

.. code-block:: bash

   echo "one"   # two spaces before

   ls | grep x

Water is H\\ :sub:`2`\\ O.
"""


def test_inline_literals_and_code_blocks_keep_their_text_and_language(source: Path) -> None:
    (source / "content/essays/literals.rst").write_text(LITERALS, encoding="utf-8")
    result = read(source, ReadOptions(static_prefix="/essays/"))
    text = next(p for p in result.posts if p.source_id == "pelican:content/essays/literals.rst").markdown
    assert ("Link to another article with `[a link]({filename}/essays/sanctuary-1.md)`, or write `<img>`;\n"
            "a literal may hold `` `code` `` and `*stars*`, and [a real link](/essays/2016/11/sanctuary-cities-1/)\n"
            "or [one Pelican makes]({author}alice).") in text
    assert '```bash\necho "one"   # two spaces before\n\nls | grep x\n```' in text
    assert "Water is H<sub>2</sub>O." in text
    assert ("content/essays/literals.rst:9", "link {author}alice") in {(str(s.where), s.what) for s in result.skipped}


@pytest.mark.slow
def test_literals_build_and_validate(tmp_path: Path, source: Path) -> None:
    (source / "content/essays/literals.rst").write_text(LITERALS, encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert run_cli("import", str(source), cwd=root).returncode == 0
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "error" not in built.stderr.lower(), built.stderr
    page = (root / "output/literals/index.html").read_text()
    assert "<code>[a link]({filename}/essays/sanctuary-1.md)</code>" in page and "<code>&lt;img&gt;</code>" in page
    assert nu_errors(root / "output") == []


def imported_one(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str,
                 written: str) -> tuple[Path, str, str]:
    """``text`` added to the fixture as ``content/essays/NAME``, the whole imported: the site, the post's
    file ``posts/WRITTEN`` as written, and the report."""
    (source / "content/essays" / name).write_text(text, encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    report = capsys.readouterr().out
    return root, (root / "posts" / written).read_text(encoding="utf-8"), report


def test_code_that_shows_a_link_keeps_it_and_a_file_the_site_makes_is_not_copied(
        source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (source / "content/images/feed.xml").write_text("<rss/>", encoding="utf-8")
    root, text, report = imported_one(
        source, tmp_path, capsys, "markdown.md",
        "Title: On Markdown links\nDate: 2017-03-01 10:00\nSlug: markdown-links\n\n"
        "Write `[the map]({static}/images/map.png)` to show [the map]({static}/images/map.png).\n\n"
        "```markdown\n![A map]({static}/images/map.png)\n[Part 1]({filename}sanctuary-1.md)\n```\n\n"
        "The old feed: [feed]({static}/images/feed.xml).\n", "markdown-links.md")
    assert "Write `[the map]({static}/images/map.png)` to show [the map](/essays/images/map.png)." in text
    assert "```markdown\n![A map]({static}/images/map.png)\n[Part 1]({filename}sanctuary-1.md)\n```" in text
    assert ("markdown.md:5: linked file /blog/images/feed.xml: images/feed.xml has the name of a feed, which the "
            "new site keeps for its own feeds") in report
    assert not (root / "static/images/feed.xml").exists()


@pytest.mark.parametrize("settings, name, date", [
    ("", "2012-11-30-dated.md", "2012-11-30T00:00:00-05:00"),  # Pelican's FILENAME_METADATA reads the date
    ('FILENAME_METADATA = r"(?P<date>\\d{4}_\\d{2}_\\d{2})_(?P<slug>.*)"\n', "2012_11_30_named.md", None),
    ("DEFAULT_DATE = (2012, 3, 2, 14, 1, 1)\n", "undated.md", "2012-03-02T14:01:01-05:00"),
])
def test_an_article_without_a_date_takes_it_from_its_file_name_or_the_default(
        tmp_path: Path, settings: str, name: str, date: str | None) -> None:
    source = tmp_path / "pel"
    (source / "content").mkdir(parents=True)
    (source / "pelicanconf.py").write_text(f'SITENAME = "S"\nPATH = "content"\nTIMEZONE = "America/New_York"\n{settings}')
    (source / "content" / name).write_text("Title: An article\n\nIts text.\n")
    if date is None:  # a pattern whose date Python cannot read as one: a clear error, not a wrong date
        from engine.errors import SiteError
        with pytest.raises(SiteError) as caught:
            read(source, ReadOptions(history=False))
        assert "2012_11_30" in str(caught.value)
        return
    (post,) = read(source, ReadOptions(history=False)).posts
    assert post.date is not None and post.date.isoformat() == date


def test_a_pages_category_is_left_out_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page is on no tag's page: its tags would only make the build warn."""
    source = tmp_path / "pel"
    (source / "content" / "pages").mkdir(parents=True)
    (source / "pelicanconf.py").write_text('SITENAME = "S"\nPATH = "content"\n')
    (source / "content" / "pages" / "about.md").write_text("Title: About\nCategory: test\nTags: a, b\n\nAbout me.\n")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(source)]) == 0
    assert "tags of the page 'About': left out" in capsys.readouterr().out
    text = (site / "posts/about.md").read_text()
    assert "layout: page" in text and "tags" not in text
    done = run_cli("build", cwd=site, env=EPOCH)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr


def test_a_translation_keeps_its_own_old_address_and_the_original_its_own(tmp_path: Path) -> None:
    """Pelican's original and its translation share a slug; the translation lived at ARTICLE_LANG_URL."""
    source = tmp_path / "pel"
    (source / "content").mkdir(parents=True)
    (source / "pelicanconf.py").write_text('SITENAME = "S"\nPATH = "content"\nDEFAULT_LANG = "en"\n')
    (source / "content" / "oh.md").write_text("Title: Oh yeah\nDate: 2012-01-01\nSlug: oh-yeah\nLang: en\n\nText.\n")
    (source / "content" / "oh-fr.md").write_text("Title: Oh oui\nDate: 2012-01-01\nSlug: oh-yeah\nLang: fr\n\n"
                                                 "Texte.\n")
    posts = {p.title: p for p in read(source, ReadOptions(history=False)).posts}
    assert (posts["Oh yeah"].slug, posts["Oh yeah"].aliases) == ("oh-yeah", ("/oh-yeah.html",))
    assert (posts["Oh oui"].slug, posts["Oh oui"].aliases) == ("oh-yeah-fr", ("/oh-yeah-fr.html",))


def test_a_link_up_a_folder_finds_the_article_and_the_file(tmp_path: Path) -> None:
    """``{filename}../x.rst`` from ``cat1/`` is ``x.rst`` (it was kept as written, a dead link, and blamed on
    Pelican); the old ``|filename|`` form and ``{static}`` read the same way."""
    source = tmp_path / "pel"
    (source / "content" / "cat1").mkdir(parents=True)
    (source / "content" / "images").mkdir()
    (source / "content" / "images" / "map.png").write_bytes(png(4, 3))
    (source / "pelicanconf.py").write_text('SITENAME = "S"\nPATH = "content"\nSTATIC_PATHS = ["images"]\n')
    (source / "content" / "x.md").write_text("Title: Target\nDate: 2012-01-01\nSlug: target\n\nText.\n")
    (source / "content" / "cat1" / "a.md").write_text(
        "Title: From a folder\nDate: 2012-01-02\nSlug: from-a-folder\n\n[new]({filename}../x.md), "
        "[old](|filename|../x.md) and ![map]({static}../images/map.png).\n")
    posts = {p.title: p for p in read(source, ReadOptions(history=False, static_prefix="/essays/")).posts}
    body = posts["From a folder"].markdown
    assert "[new](/essays/target.html)" in body and "[old](/essays/target.html)" in body, body
    assert "![map](/essays/images/map.png)" in body, body


def test_only_a_page_readers_can_reach_is_suggested_for_the_menu(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A ``Status: hidden`` page (kept out of Pelican's menu, and a draft here) is not offered as a menu link."""
    source = tmp_path / "pel"
    (source / "content" / "pages").mkdir(parents=True)
    (source / "pelicanconf.py").write_text('SITENAME = "S"\nPATH = "content"\n')
    (source / "content" / "pages" / "about.md").write_text("Title: About\n\nAbout me.\n")
    (source / "content" / "pages" / "secret.md").write_text("Title: Secret\nStatus: hidden\n\nHidden.\n")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert 'title = "About"' in out and "Secret" not in out.split("[[menu]]", 1)[1], out


def test_plugin_tags_become_images_or_are_named_in_the_report(tmp_path: Path, source: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """``liquid_tags``: an ``{% img %}`` is an image whose file comes along; a notebook or a video only the
    plugin could render stays visible and is named with its line (a post of nothing but a notebook tag
    would otherwise be imported empty in effect, without a word)."""
    root, text, report = imported_one(
        source, tmp_path, capsys, "plugins.md",
        "Title: Plugins\nDate: 2017-03-01 10:00\n\nA histogram:\n\n"
        "{% img left {static}/images/map.png 300 200 \"The map\" \"A map of the cities\" %}\n\n"
        "{% notebook downloads/notebooks/Cities.ipynb cells[2:] %}\n\n"
        "```\n{% video /v.mp4 %}\n```\n", "plugins.md")
    assert '![A map of the cities](/essays/images/map.png "The map")' in text
    assert (root / "static/images/map.png").is_file()
    assert "{% notebook downloads/notebooks/Cities.ipynb cells[2:] %}" in text and "{% video /v.mp4 %}" in text
    assert ("content/essays/plugins.md:8: plugin tag {% notebook %}: a Pelican plugin (liquid_tags) renders it, "
            "Feuilleton cannot: kept as visible text for you to replace") in report, report
    assert "{% video %}" not in report  # inside a code block, it is shown as written


def test_settings_under_another_name_are_found_and_none_at_all_is_said(tmp_path: Path, source: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """``pelican -s pelican.conf.py`` (Pelican's own author's blog): found, told from ``publishconf.py``, and
    read, so that dates keep the site's zone; a folder with no settings at all is imported on Pelican's
    defaults, and the report says so."""
    (source / "pelicanconf.py").rename(source / "pelican.conf.py")
    (source / "publishconf.py").write_text("from pelicanconf import *\nSITEURL = 'https://elsewhere.example'\n")
    assert detect(source) == "pelican"
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    assert "no pelicanconf.py" not in capsys.readouterr().out
    dated = [yaml.safe_load(p.read_text().split("---")[1]).get("date") for p in (root / "posts").rglob("*.md")]
    assert any(str(d).endswith(("-05:00", "-04:00")) for d in dated)  # America/New_York, from the settings
    (source / "pelican.conf.py").unlink()
    (source / "publishconf.py").unlink()
    again = write_site(tmp_path / "again", {})
    assert main(["--site", str(again), "import", str(source), "--from", "pelican"]) == 0
    assert ("no pelicanconf.py (nor another settings file that sets SITENAME or SITEURL): Pelican's defaults are "
            "assumed") in capsys.readouterr().out


def test_settings_py_run_as_pelican_s_settings_py_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``pelican -s settings.py`` (a real blog's Makefile): not found, the import said a ``pelicanconf.py`` had no
    ``PATH 'content'``, neither of which the author wrote; with a ``content/`` folder it went on silently with
    Pelican's defaults, every old address and date wrong.  A folder with neither is told it is no Pelican site."""
    source = tmp_path / "blog"
    (source / "entries").mkdir(parents=True)
    (source / "settings.py").write_text('SITENAME = "S"\nSITEURL = "https://old.example"\nPATH = "entries"\n'
                                        'TIMEZONE = "Europe/Paris"\nARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"\n')
    (source / "entries/one.md").write_text("Title: One\nDate: 2020-01-01 10:00\n\nText.\n")
    assert detect(source) == "pelican"
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    meta = yaml.safe_load((root / "posts/one.md").read_text().split("---")[1])
    assert meta["aliases"] == ["/2020/01/one/"] and str(meta["date"]).endswith("+01:00")
    (tmp_path / "empty").mkdir()
    assert main(["--site", str(root), "import", str(tmp_path / "empty"), "--from", "pelican"]) == 1
    assert "no settings file (pelicanconf.py, or another that sets SITENAME or SITEURL) and no content/ folder" \
        in capsys.readouterr().err


def test_an_image_of_the_themes_static_folder_is_copied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Pelican serves THEME/static/ at /theme/: an essay's /theme/images/x.jpg was "no such file in the source"."""
    source = tmp_path / "blog"
    (source / "content").mkdir(parents=True)
    (source / "mytheme/static/images").mkdir(parents=True)
    (source / "pelicanconf.py").write_text('SITENAME = "S"\nPATH = "content"\nTHEME = "mytheme"\n')
    (source / "mytheme/static/images/map.png").write_bytes(png(2, 2))
    (source / "content/map.md").write_text("Title: Map\nDate: 2020-01-01 10:00\n\n![map](/theme/images/map.png)\n")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    assert "no such file" not in capsys.readouterr().out
    assert (root / "static/theme/images/map.png").read_bytes() == png(2, 2)
    assert "![map](/essays/theme/images/map.png)" in (root / "posts/map.md").read_text()
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "leads to nothing" not in built.stderr, built.stderr


@pytest.mark.parametrize("settings, slug", [("", "amap-media-paniers-bio-a-5e"),
                                             ("SLUGIFY_USE_UNICODE = True\n", "amap-média-paniers-bio-à-5e")])
def test_an_accented_title_keeps_the_address_pelican_gave_it(tmp_path: Path, settings: str, slug: str) -> None:
    """Pelican spells a slug in Latin letters unless told otherwise; the post keeps that slug, and its old
    address (which the blog's own links use) redirects.  Before, both kept the accents: no redirect from
    the address readers had."""
    blog = tmp_path / "blog"
    (blog / "content").mkdir(parents=True)
    (blog / "pelicanconf.py").write_text(f'SITENAME = "Carnets"\nPATH = "content"\n{settings}')
    (blog / "content/amap.md").write_text("Title: AMAP + Média = Paniers bio à 5e ?!\nDate: 2009-11-11\n\nDes "
                                          "paniers.\n", encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog)]) == 0
    front = yaml.safe_load((root / "posts" / f"{slug}.md").read_text(encoding="utf-8").split("---")[1])
    assert front["aliases"] == [f"/{slug}.html"]


def test_a_file_linked_by_filename_or_relative_to_the_article_is_copied(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``{filename}/images/a.png`` names a file as ``{static}`` does, and ``images/a.png`` in an article at
    ``/two.html`` is the ``/images/a.png`` a browser loaded there (Pelican's own author writes both).  Before,
    both were "no such file in the source", and the built site's images were broken.  ``images/missing.png`` is
    read so too: put in ``static/images/``, the file it names shows (and an earlier version's is copied there)."""
    root = imported_site(tmp_path, {
        "pelicanconf.py": 'SITENAME = "S"\nPATH = "content"\nSTATIC_PATHS = ["images"]\n',
        "content/images/a.png": "PNG",
        "content/two.md": "Title: Two\nDate: 2015-05-22\n\n![a]({filename}/images/a.png) ![b]({static}/images/a.png) "
                          "![c](images/a.png) ![d](images/missing.png)\n"})
    report = capsys.readouterr().out
    body = (root / "posts/two.md").read_text()
    assert ("![a](/essays/images/a.png) ![b](/essays/images/a.png) ![c](/essays/images/a.png) "
            "![d](/essays/images/missing.png)") in body
    assert (root / "static/images/a.png").read_text() == "PNG"
    assert "linked file images/missing.png: no such file in the source" in report
    assert "{filename}/images/a.png" not in report


def test_every_file_that_cannot_be_read_is_named_in_one_run(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A blog whose reader plugin took titles from headings has 158 files without ``Title:``: one run names them
    all (and writes nothing), not one file per run."""
    blog = write_site(tmp_path / "blog", {
        "pelicanconf.py": 'SITENAME = "S"\nPATH = "content"\n',
        "content/a.md": "Date: 2015-05-22\n\n# A\n\nText.\n",
        "content/b.md": "Title: B\nDate: 2015-05-23\n\nText.\n",
        "content/c.md": "Date: 2015-05-24\n\n# C\n\nText.\n"}, config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog)]) == 1
    err = capsys.readouterr().err
    assert "content/a.md:1: no Title: in the metadata header" in err
    assert "content/c.md:1: no Title: in the metadata header" in err
    assert not list((root / "posts").iterdir())


def test_a_blog_in_another_language_than_the_site_says_so_on_each_post(tmp_path: Path) -> None:
    """``DEFAULT_LANG = "fr"`` imported into a site in English: each post says ``language: fr``, or its page
    would be marked English, with English words around French text."""
    root = imported_site(tmp_path, {
        "pelicanconf.py": 'SITENAME = "Carnets"\nPATH = "content"\nDEFAULT_LANG = "fr_FR"\n',
        "content/a.md": "Title: Un\nDate: 2015-05-22\n\nTexte.\n",
        "content/b.md": "Title: Two\nDate: 2015-05-23\nLang: en\n\nText.\n"})
    meta = {p.name: yaml.safe_load(p.read_text().split("---\n")[1]) for p in (root / "posts").glob("*.md")}
    assert meta["un.md"]["language"] == "fr-FR" and "language" not in meta["two-en.md"]
    assert main(["--site", str(root), "build"]) == 0
    assert '<html lang="fr-FR"' in (root / "output/un/index.html").read_text()


def test_a_link_to_an_article_the_source_does_not_hold_is_said_to_be_missing(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    imported_site(tmp_path, {"pelicanconf.py": 'SITENAME = "S"\nPATH = "content"\n',
                             "content/a.md": "Title: A\nDate: 2015-05-22\n\n"
                                             "See [gone]({filename}/gone.md) "
                                             "and [who]({author}alice).\n"})
    report = capsys.readouterr().out
    assert ("content/a.md:4: link {filename}/gone.md: no article or page of the source is there (moved or deleted?): "
            "kept as written") in report
    assert "content/a.md:4: link {author}alice: Pelican makes it, Feuilleton cannot: kept as written" in report


def test_a_plain_link_to_a_missing_key_or_document_is_reported(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Not only images: a link to ``/static/key.asc`` or a ``.docx`` that the source does not hold is named."""
    imported_site(tmp_path, {"pelicanconf.py": 'SITENAME = "S"\nPATH = "content"\n',
                             "content/p.md": "Title: P\nDate: 2015-05-22\n\n"
                                             "Get [the key](/static/key.asc) "
                                             "and [the form](/static/form.docx).\n"})
    report = capsys.readouterr().out
    assert "content/p.md:4: linked file /static/key.asc: no such file in the source" in report
    assert "content/p.md:4: linked file /static/form.docx: no such file in the source" in report


def test_links_to_a_tag_a_category_or_a_section_of_an_article_lead_where_they_did(tmp_path: Path) -> None:
    """``{tag}web`` and ``{category}python`` lead to the site's pages of those tags (categories come in as tags);
    ``{filename}q.md#sec`` keeps its ``#sec``, as Pelican did."""
    root = imported_site(tmp_path, {
        "pelicanconf.py": 'SITENAME = "S"\nPATH = "content"\n',
        "content/q.md": "Title: Queue\nDate: 2015-05-21\nCategory: Python\nTags: web\n\n## Sec {#sec}\n\nText.\n",
        "content/p.md": "Title: P\nDate: 2015-05-22\n\n[cat]({category}python), [tag]({tag}web), "
                        "[sec]({filename}q.md#sec).\n"})
    assert "[cat](/essays/tags/python/), [tag](/essays/tags/web/), [sec](/essays/queue/#sec)." in \
        (root / "posts/p.md").read_text()
    assert main(["--site", str(root), "build"]) == 0
    assert (root / "output/tags/python/index.html").is_file() and (root / "output/tags/web/index.html").is_file()

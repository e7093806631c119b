"""``feuilleton import`` of a Jekyll site folder (tests/fixtures/import/jekyll, written here): posts, drafts,
pages, the permalink style and redirect_from as aliases, a series, Liquid carried out or kept visible,
an image copied; broken front matter stops everything; the imported site builds and validates.  A small
site in the shape of poole/hyde: a linked feed template and files the new site makes are never copied, and
Liquid is reported at its line in the file."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml

from conftest import EPOCH, broken_links, nu_errors, run_cli, snapshot, write_site
from engine.cli import main
from engine.importing.jekyll import read
from engine.importing.model import ReadOptions

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "jekyll"


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The fixture copied out of this repository, so that its git history is not read."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "jekyll"))


def imported(tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Path, str]:
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source), *args]) == 0
    return root, capsys.readouterr().out


def test_the_reader_finds_posts_drafts_pages_and_old_addresses(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p for p in result.posts}
    assert sorted(by_id) == ["jekyll:_drafts/a-draft-essay.md", "jekyll:_pages/contact.md",
                             "jekyll:_posts/2016-11-22-sanctuary-cities-part-1.md",
                             "jekyll:_posts/2016-11-29-sanctuary-cities-part-2.md",
                             "jekyll:_posts/2017-01-05-on-reading-statutes.html",
                             "jekyll:_posts/2017-02-01-unfinished.md", "jekyll:about.md"]
    first = by_id["jekyll:_posts/2016-11-22-sanctuary-cities-part-1.md"]
    assert first.date is not None and first.date.isoformat() == "2016-11-22T10:00:00-05:00"
    assert first.aliases == ("/law/2016/11/22/sanctuary-cities-part-1/", "/sanctuary/",
                             "/2016/11/sanctuary-cities.html")  # pretty style with its category, then redirect_from
    assert first.tags == ("law", "immigration", "federalism") and first.series == "sanctuary-cities"
    assert first.summary == "Whether a city may refuse to help federal immigration enforcement."
    second = by_id["jekyll:_posts/2016-11-29-sanctuary-cities-part-2.md"]
    assert second.date is not None and second.date.isoformat() == "2016-11-29T00:00:00-05:00"  # from the file name
    assert by_id["jekyll:_posts/2017-01-05-on-reading-statutes.html"].aliases == ("/essays/reading-statutes.html",)
    assert by_id["jekyll:about.md"].layout == "page" and by_id["jekyll:_pages/contact.md"].layout == "page"
    assert by_id["jekyll:_drafts/a-draft-essay.md"].draft and by_id["jekyll:_posts/2017-02-01-unfinished.md"].draft
    assert by_id["jekyll:_drafts/a-draft-essay.md"].aliases == ()  # never public, so no old address
    assert result.series["sanctuary-cities"].title == "Sanctuary Cities"
    assert all(p.history == () for p in result.posts)  # not in git


def test_liquid_is_carried_out_or_kept_visible_and_reported(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p for p in result.posts}
    first = by_id["jekyll:_posts/2016-11-22-sanctuary-cities-part-1.md"].markdown
    assert "```python\ndef may_refuse(city):\n    return city.shares_nothing\n```" in first
    assert "![A map of the cities](/essays/assets/images/map.png)" in first and "{{" not in first
    second = by_id["jekyll:_posts/2016-11-29-sanctuary-cities-part-2.md"].markdown
    assert "[the first part](/essays/law/2016/11/22/sanctuary-cities-part-1/)" in second  # post_url, old address
    assert '{% include note.html text="This part leans on the Tenth Amendment." %}' in second
    assert "Liquid such as {{ page.title }} is shown as written here." in second and "{% raw %}" not in second
    html = by_id["jekyll:_posts/2017-01-05-on-reading-statutes.html"].markdown
    assert "Read the *whole* section" in html and "> Words mean what they meant" in html
    assert "[the about page](/essays/about/)" in html
    assert "[about page](/essays/about/)" in by_id["jekyll:_pages/contact.md"].markdown  # {% link about.md %}
    reported = {(str(s.where), s.what, s.kept) for s in result.skipped}
    assert ("_posts/2016-11-29-sanctuary-cities-part-2.md:8", "Liquid {% include %}", True) in reported
    assert ("index.html:1", "file index.html", False) in reported


def test_an_imported_jekyll_site_has_its_files_and_a_second_run_changes_nothing(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, out = imported(tmp_path, source, capsys)
    posts = root / "posts"
    assert sorted(p.relative_to(posts).as_posix() for p in posts.rglob("*") if p.is_file()) == [
        "a-draft-essay.md", "about.md", "contact.md", "on-reading-statutes.md",
        "sanctuary-cities/sanctuary-cities-part-1.md", "sanctuary-cities/sanctuary-cities-part-2.md",
        "sanctuary-cities/series.toml", "unfinished.md"]
    assert front(posts / "sanctuary-cities/sanctuary-cities-part-2.md")["part"] == 2
    assert front(posts / "about.md")["layout"] == "page"
    assert (root / "static/assets/images/map.png").read_bytes() == (FIXTURE / "assets/images/map.png").read_bytes()
    assert out.splitlines()[0] == "jekyll: imported 5 posts, 2 pages, 1 series, 0 versions, 1 image and file, " \
                                  "5 aliases"
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(source)]) == 0
    assert snapshot(root) == before


@pytest.mark.parametrize("front, said", [
    ("title: Broken\ntags: [a, b\n", "_posts/2017-03-01-broken.md:4: broken front matter"),
    ("title: Broken\ndate: 2020-13-45\n", "_posts/2017-03-01-broken.md:3: broken front matter: cannot read "
                                          "'2020-13-45' as a date (month must be in 1..12)"),  # was a traceback
])
def test_broken_front_matter_is_an_error_at_its_line_and_nothing_is_written(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str], front: str, said: str) -> None:
    (source / "_posts/2017-03-01-broken.md").write_text(f"---\n{front}---\nText.\n")
    root = write_site(tmp_path / "site", {})
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert said in err, err
    assert snapshot(root) == before


@pytest.mark.slow
def test_the_imported_jekyll_site_builds_cleanly_and_validates(tmp_path: Path, source: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(source), cwd=root)
    assert done.returncode == 0, done.stderr
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "error" not in built.stderr.lower(), built.stderr
    output = root / "output"
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert not feed.bozo and {e.title for e in feed.entries} == {
        "Sanctuary Cities, Part 1: The Question", "Sanctuary Cities, Part 2: The Statutes", "On Reading Statutes"}
    for old in ("law/2016/11/22/sanctuary-cities-part-1/index.html", "sanctuary/index.html",
                "2016/11/sanctuary-cities.html", "essays/reading-statutes.html"):
        assert "sanctuary-cities-part-1/" in (output / old).read_text() or "reading-statutes" in old, old
    assert (output / "assets/images/map.png").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []


HYDE = {  # the shape of poole/hyde: a feed template at the root, a post that links it, a gist below a highlight
    "_config.yml": "title: Hyde\nurl: https://hyde.example\npermalink: pretty\n",
    "atom.xml": """\
        ---
        layout: null
        ---
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
         <title>{{ site.title }}</title>
         {% for post in site.posts %}<entry><title>{{ post.title }}</title></entry>{% endfor %}
        </feed>
        """,
    "robots.txt": "User-agent: *\nDisallow:\n",
    "search.json": "---\nlayout: null\n---\n[{% for post in site.posts %}\"{{ post.url }}\"{% endfor %}]\n",
    "public/css/hyde.css": "body { color: #333; }\n",
    "_posts/2013-12-28-introducing-hyde.md": """\
        ---
        layout: post
        title: Introducing Hyde
        ---

        Hyde comes with a [stylesheet](/public/css/hyde.css), an [RSS feed](/atom.xml),
        a [robots file]({{ site.baseurl }}/robots.txt) and a [search index](/search.json).
        """,
    "_posts/2012-02-07-example-content.md": """\
        ---
        layout: post
        title: Example content
        ---

        Some code:

        {% highlight js %}
        // Create a function that adds its two arguments
        var adder = new Function("a", "b", "return a + b");

        adder(2, 6);
        // > 8
        {% endhighlight %}

        Shown as written: {% raw %}{{ page.title }}
        across two lines{% endraw %}.

        ```ruby
        puts "a fenced block"
        ```

        ### Gists via GitHub Pages

        {% gist 5555251 gist.md %}

        That was a gist, and {{ site.time }} is the time.
        """,
}


def test_a_feed_template_or_a_file_the_site_makes_is_never_copied_and_the_link_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_site(tmp_path / "hyde", HYDE, config=None)
    root, out = imported(tmp_path, source, capsys)
    assert sorted(p.relative_to(root / "static").as_posix() for p in (root / "static").rglob("*") if p.is_file()) \
        == ["public/css/hyde.css"]
    text = body(root / "posts/introducing-hyde.md")
    assert "[RSS feed](/essays/atom.xml)" in text  # now the feed the site makes itself
    assert "[robots file](/essays/robots.txt)" in text and "[search index](/essays/search.json)" in text
    post = "_posts/2013-12-28-introducing-hyde.md"
    assert f"  {post}:6: linked file /atom.xml: the new site makes its own atom.xml" in out, out
    assert f"  {post}:7: linked file /robots.txt: the new site makes its own robots.txt" in out, out
    assert f"  {post}:7: linked file /search.json: a page Jekyll made from a template" in out, out
    assert main(["--site", str(root), "build"]) == 0, capsys.readouterr().err
    assert b"{{ site.title }}" not in (root / "output/atom.xml").read_bytes()


def test_liquid_left_in_a_post_is_reported_at_its_line_in_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_site(tmp_path / "hyde", HYDE, config=None)
    result = read(source, ReadOptions(static_prefix="/essays/"))
    reported = {s.what: str(s.where) for s in result.skipped if s.kept}
    lines = (source / "_posts/2012-02-07-example-content.md").read_text().splitlines()
    assert lines[25 - 1] == "{% gist 5555251 gist.md %}" and "{{ site.time }}" in lines[27 - 1]
    assert reported["Liquid {% gist %}"] == "_posts/2012-02-07-example-content.md:25"
    assert reported["Liquid {{ site.time }}"] == "_posts/2012-02-07-example-content.md:27"
    text = {p.source_id: p.markdown for p in result.posts}["jekyll:_posts/2012-02-07-example-content.md"]
    assert "{{ page.title }}\nacross two lines." in text and "\x00" not in text


def test_a_tag_spelt_several_ways_is_imported_as_one(tmp_path: Path, source: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A category `Markup` beside a tag `markup` (or `First Sale` beside `first-sale`) would make two tag pages
    that look alike: the import joins them in the spelling most posts use, and says so."""
    for day, tags in (("10", "[Markup, markup]"), ("11", "[markup, first-sale]"), ("12", "[Markup, First Sale]"),
                      ("13", "[markup]")):
        text = f"---\ntitle: Tags {day}\ntags: {tags}\n---\nText.\n"
        (source / f"_posts/2017-03-{day}-tags-{day}.md").write_text(text)
    root, out = imported(tmp_path, source, capsys)
    tags = {day: yaml.safe_load((root / f"posts/tags-{day}.md").read_text().split("---\n")[1])["tags"]
            for day in ("10", "11", "12", "13")}
    assert tags == {"10": ["markup"], "11": ["markup", "first-sale"], "12": ["markup", "first-sale"], "13": ["markup"]}
    assert "_posts/2017-03-10-tags-10.md:1: tags `Markup`, `markup`: joined as one tag, `markup`" in out, out
    assert "tags `first-sale`, `First Sale`: joined as one tag, `first-sale`" in out, out
    done = run_cli("build", cwd=root)
    assert done.returncode == 0 and "spelt" not in done.stderr, done.stderr


def test_a_heading_that_repeats_the_title_is_left_out(tmp_path: Path, source: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Themes of old had each post open with `{{ page.title }}` over a row of `=`: the page shows the title as
    its heading already, and a second <h1> would say it twice."""
    (source / "_posts/2017-03-10-hacker.md").write_text(
        "---\ntitle: Blogging Like a Hacker\nlayout: post\n---\n\n{{ page.title }}\n================\n\n"
        "Text <b>here.\n", encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 1  # the open <b>, said at its line of the file
    assert "_posts/2017-03-10-hacker.md:9: raw HTML: <b> is never closed" in capsys.readouterr().err
    (source / "_posts/2017-03-10-hacker.md").write_text(
        "---\ntitle: Blogging Like a Hacker\nlayout: post\n---\n\n{{ page.title }}\n================\n\n"
        "Text here.\n", encoding="utf-8")
    root, out = imported(tmp_path / "again", source, capsys)
    text = (root / "posts/hacker.md").read_text(encoding="utf-8")
    assert text.endswith("---\n\nText here.\n") and "====" not in text
    assert "_posts/2017-03-10-hacker.md:5: heading repeating the title: left out" in out, out


def test_math_is_named_in_the_report_with_its_line(tmp_path: Path, source: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`mathjax: true` had the old site typeset `$$…$$`; the new one shows it as written, so the report says
    where (math shown as code is no math)."""
    (source / "_posts/2017-03-10-grad.md").write_text(
        "---\ntitle: Gradients\nmathjax: true\n---\n\nThe rule:\n\n$$\\frac{\\partial L}{\\partial c}$$\n",
        encoding="utf-8")
    (source / "_posts/2017-03-11-code.md").write_text(
        "---\ntitle: Code\n---\n\nWrite `$$x$$` for math.\n", encoding="utf-8")
    _, out = imported(tmp_path, source, capsys)
    assert ("_posts/2017-03-10-grad.md:8: math ($$ … $$): shown as written, in TeX: the site typesets no math (the "
            "old one ran MathJax or KaTeX over it)") in out, out
    assert out.count("math ($$ … $$)") == 1  # not the one shown as code


TEX = ("V_{*}(s) = \\max_{\\pi} V_{\\pi}(s), Q_{*}(s, a)\n\\begin{aligned}\nV(s) &= \\mathbb{E}[G_t] \\\\\n"
       "&= \\mathbb{E}[R + \\gamma V(s')] \\\\\n- x &= a -- b ... \\{c\\} <d> `e` \"f\" ~~g~~ |h|\n\\end{aligned}")


def test_math_and_attribute_lists_read_as_kramdown_read_them(tmp_path: Path, source: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown read the TeX between `$$`: `\\\\` lost a backslash, `\\{` its own, `*…*` went italic, `'` curly,
    on every page and version (803 of 5,183 formulas of a real blog).  And attribute lists (`{: .class}`,
    `{:toc}`) showed as text under each image and caption."""
    (source / "_posts/2017-03-10-tex.md").write_text(
        f"---\ntitle: TeX\n---\n\n{{: class=\"table-of-content\"}}\n* TOC\n{{:toc}}\n\n$$\n{TEX}\n$$\n\n"
        "Inline $$\\{x_1\\}$$ and `$$a*b*c$$` as code.\n\n![plot](/x.png){: style=\"width: 80%\"}\n"
        "*Fig. 1.*\n{:.image-caption}\n", encoding="utf-8")
    root, out = imported(tmp_path, source, capsys)
    assert "_posts/2017-03-10-tex.md:5: kramdown attribute list ({: …}): left out: it set classes or styles of " \
           "the old theme" in out and "_posts/2017-03-10-tex.md:6: kramdown table of contents ({:toc})" in out, out
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    page = lxml.html.fromstring((root / "output/tex/index.html").read_bytes())
    essay = page.find_class("essay")[0]
    shown = essay.text_content()
    assert f"$$\n{TEX}\n$$" in shown, shown
    assert "Inline $$\\{x_1\\}$$ and $$a*b*c$$ as code." in shown and "{:" not in shown and "TOC" not in shown
    assert essay.find(".//em").text_content() == "Fig. 1."  # Markdown outside math is Markdown still


def test_code_and_raw_html_keep_their_dollars_and_a_headings_own_id_still_leads_there(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The math escaping put backslashes into an indented Makefile recipe (`$$HOME_DIR`) and a `<div>` of raw
    HTML, where Markdown reads none; and `## The method {#method}` kept `{#method}` in the heading's text."""
    (source / "_posts/2017-03-12-make.md").write_text(
        "---\ntitle: Make\n---\n\nA recipe:\n\n    build:\n    \t@echo $$HOME_DIR and $$PATH_LIST\n\n"
        '<div class="eq">$$x_1 * y_2$$</div>\n\n## The method {#method}\n\nSee [the method](#method).\n',
        encoding="utf-8")
    root, out = imported(tmp_path, source, capsys)
    text = (root / "posts/make.md").read_text()
    assert "    \t@echo $$HOME_DIR and $$PATH_LIST\n" in text and '<div class="eq">$$x_1 * y_2$$</div>' in text
    assert "## <a id=\"method\"></a>The method\n" in text
    assert "_posts/2017-03-12-make.md:12: kramdown heading id ({#…}): kept as an anchor at the heading's start" in out
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "#method" not in done.stderr, done.stderr


def test_math_in_a_list_item_a_quotation_or_after_inline_html_and_every_kind_of_heading_id(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The re-check's cases: math in a list item's second paragraph was taken for indented code, after an
    `<em>` for raw HTML, and in a quotation got `>` escaped on each line; a setext heading's id and one given
    as `{: #id}` on the next line stayed text or went, and the report's lines moved with the anchors."""
    (source / "_posts/2017-03-13-more.md").write_text(
        "---\ntitle: More\n---\n\nDelta {#d}\n======\n\n## Gamma\n{: #g}\n\n{: .caption}\nText.\n\n"
        "- item\n\n    in the item $$a_1 * b_1$$ here.\n\n<em>Inline</em> start $$c_1 * d_1$$ here.\n\n"
        "> Quoted:\n> $$\n> x_1 * y_2 \\\\\n> - z\n> $$\n\nSee [d](#d) and [g](#g).\n", encoding="utf-8")
    root, out = imported(tmp_path, source, capsys)
    assert "_posts/2017-03-13-more.md:11: kramdown attribute list ({: …})" in out, out
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "leads to no section" not in done.stderr, done.stderr
    essay = lxml.html.fromstring((root / "output/more/index.html").read_bytes()).find_class("essay")[0]
    shown = essay.text_content()
    assert "in the item $$a_1 * b_1$$ here." in shown and "Inline start $$c_1 * d_1$$ here." in shown
    assert essay.find(".//blockquote").text_content().split("Quoted:")[1].strip() == "$$\nx_1 * y_2 \\\\\n- z\n$$"
    assert essay.find(".//h1").text_content() == "Delta" and {"d", "g"} <= set(essay.xpath(".//@id"))


def test_heading_ids_in_every_place_kramdown_takes_them(tmp_path: Path, source: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The third re-check's cases: inline code before the id was lost from the heading, an id in a quotation
    stayed text, `{: #d .wide}` under a setext heading went, and an id a heading has anyway made two."""
    (source / "_posts/2017-03-14-ids.md").write_text(
        "---\ntitle: Ids\n---\n\n## Using `make` {#make}\n\n> ## Quoted {#inq}\n\nDelta\n=====\n{: #d .wide}\n\n"
        "## The method\n\n## The method {#the-method}\n\n> H {#sq}\n> ===\n\n> ## Q\n> {: #qial}\n\n## One {#dup}\n\n"
        "## Two {#dup}\n\n## Data\n{: data-id=\"x\"}\n\n"
        "See [make](#make), [q](#inq), [d](#d), [m](#the-method), [s](#sq), [i](#qial), [u](#dup).\n",
        encoding="utf-8")
    root, out = imported(tmp_path, source, capsys)
    assert out.count("kramdown attribute list") == 1 and "ids.md:28: kramdown attribute list" in out, out  # data-id
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "leads to no section" not in done.stderr, done.stderr
    page = (root / "output/ids/index.html").read_text()
    assert '<h2 id="using-make"><a id="make"></a>Using <code>make</code></h2>' in page
    assert '<a id="inq"></a>Quoted</h2>' in page and '<h1 id="delta"><a id="d"></a>Delta</h1>' in page
    assert '<a id="sq"></a>H</h1>' in page and '<a id="qial"></a>Q</h2>' in page and page.count('id="dup"') == 1
    assert 'id="x"' not in page  # data-id is no id
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), ids


def test_a_link_to_another_post_leads_to_its_new_address(tmp_path: Path, source: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`{% post_url %}` and a link written with the old site's address (its `url` and `baseurl`) lead to the
    post where it is now, which outlives the old domain; a link elsewhere on the old site stays as written."""
    (source / "_posts/2017-03-10-links.md").write_text(
        "---\ntitle: Links\n---\n\nSee "
        "[part 1](https://notes.example/blog/law/2016/11/22/sanctuary-cities-part-1/#top),"
        " [again](http://NOTES.example/blog/sanctuary/) and [the feed](https://notes.example/blog/feed.xml).\n",
        encoding="utf-8")
    root, _ = imported(tmp_path, source, capsys)
    second = (root / "posts/sanctuary-cities/sanctuary-cities-part-2.md").read_text(encoding="utf-8")
    assert "[the first part](/essays/sanctuary-cities/sanctuary-cities-part-1/)" in second
    links = (root / "posts/links.md").read_text(encoding="utf-8")
    assert ("[part 1](/essays/sanctuary-cities/sanctuary-cities-part-1/#top), [again](/essays/sanctuary-cities/"
            "sanctuary-cities-part-1/) and [the feed](https://notes.example/blog/feed.xml)") in links
    done = run_cli("build", cwd=root)
    assert done.returncode == 0 and "leads to nothing" not in done.stderr, done.stderr


def test_a_link_under_baseurl_leads_to_the_new_address_when_the_config_names_no_url(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`baseurl` and no `url` (GitHub Pages fills it in): `{{ site.baseurl }}{% post_url %}` stayed at the old
    address in every post and version, with no word in the report."""
    source = tmp_path / "blog"
    (source / "_posts").mkdir(parents=True)
    (source / "_config.yml").write_text('title: T\nbaseurl: "/blog"\n')
    (source / "_posts/2020-01-01-first.md").write_text('---\ntitle: "First"\n---\n\nHello.\n')
    (source / "_posts/2020-02-01-second.md").write_text(
        '---\ntitle: "Second"\n---\n\nSee [the first]({{ site.baseurl }}{% post_url 2020-01-01-first %}).\n')
    root, _ = imported(tmp_path, source, capsys)
    assert "See [the first](/essays/first/)." in (root / "posts/second.md").read_text()
    done = run_cli("build", cwd=root)
    assert done.returncode == 0 and "leads to nothing" not in done.stderr, done.stderr


def test_an_asset_linked_through_relative_url_is_copied_and_linked(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`{{ '/assets/x.png' | relative_url }}`, as Jekyll's docs link assets, stayed visible text and the image
    was not copied; the report quoted the expression cut short, without its filter."""
    source = tmp_path / "blog"
    (source / "_posts").mkdir(parents=True)
    (source / "assets").mkdir()
    (source / "assets/plot.png").write_bytes(b"PNG")
    (source / "_config.yml").write_text('title: T\nbaseurl: "/blog"\n')
    (source / "_posts/2020-01-01-img.md").write_text(
        "---\ntitle: Img\n---\n\n![a]({{ '/assets/plot.png' | relative_url }}) "
        '![b]({{ "/assets/plot.png" | absolute_url }})\n\n{{ page.image.path | relative_url }}\n')
    root, out = imported(tmp_path, source, capsys)
    assert "![a](/essays/assets/plot.png) ![b](/essays/assets/plot.png)" in (root / "posts/img.md").read_text()
    assert (root / "static/assets/plot.png").read_bytes() == b"PNG"
    assert "_posts/2020-01-01-img.md:7: Liquid {{ page.image.path | relative_url }}: Jekyll renders it" in out, out


def test_a_highlight_inside_a_div_is_code_not_html(tmp_path: Path, source: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``<div>{% highlight php %}…{% endhighlight %}</div>``: Liquid made the code HTML, escaped, inside the div.
    A fence left inside the div was read as raw HTML, and a ``</a>`` in the code stopped the whole import."""
    (source / "_posts/2011-03-20-footnotes.md").write_text(
        "---\ntitle: Footnotes\n---\nA regex:\n\n<div>{% highlight php %}<?php\n"
        "$r = '#<a href=\"\\#_ftnref([0-9]+)\">\\[([0-9]+)\\]</a> (.*)#';\n\n$y = 2;\n{% endhighlight %}</div>\n",
        encoding="utf-8")
    root, _ = imported(tmp_path, source, capsys, "--no-history")
    written = next(p for p in (root / "posts").rglob("footnotes.md"))
    assert "<div>\n\n```php\n<?php\n$r = '#<a href=" in body(written) and "$y = 2;\n```\n\n</div>" in body(written)
    assert main(["--site", str(root), "build"]) == 0
    page = next((root / "output").rglob("footnotes/index.html")).read_text()
    assert '<div>\n<pre class="highlight"><code class="language-php">' in page and "&lt;/a&gt;" in page


def test_a_collection_is_reported_and_the_404_page_left_to_the_site(tmp_path: Path, source: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A collection's documents were dropped without a word, and ``404.md`` became a page the report offered
    for the menu, beside the site's own 404."""
    config = source / "_config.yml"
    config.write_text(config.read_text() + "collections:\n  positions:\n    output: true\n")
    (source / "_positions").mkdir()
    (source / "_positions/clerk.md").write_text("---\ntitle: Clerk\n---\nA year.\n")
    (source / "404.md").write_text("---\ntitle: Not Found\npermalink: /404.html\n---\nNothing here.\n")
    root, report = imported(tmp_path, source, capsys, "--no-history")
    assert ("_positions/clerk.md:1: file _positions/clerk.md: a document of the collection `positions`, which the "
            "site has no notion of: not imported") in report
    assert "404.md:1: page 404.md: the site makes its own 404 page: not imported" in report
    assert "Not Found" not in report.split("404 page: not imported")[1]
    assert not [p for p in (root / "posts").rglob("*.md") if "Not Found" in p.read_text()]


def test_a_drawing_with_blank_lines_inside_its_div_is_imported_whole(tmp_path: Path, source: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """kramdown read ``<div><svg>…</svg></div>`` whole, blank lines and all (karpathy's neural-net tutorial draws
    so); the import stopped at the first blank line.  Now each is filled and the report says so."""
    (source / "_posts/2014-01-01-drawing.md").write_text(
        "---\ntitle: Drawing\n---\nA circuit:\n\n<div class=\"svgdiv\">\n<svg width=\"10\" height=\"10\">\n"
        "  <rect width=\"5\" height=\"5\"/>\n\n  <text x=\"1\" y=\"9\">*</text>\n</svg>\n</div>\n\nAfter.\n",
        encoding="utf-8")
    root, report = imported(tmp_path, source, capsys, "--no-history")
    assert "blank lines inside raw HTML: kramdown read the element whole" in report
    written = next(p for p in (root / "posts").rglob("drawing.md"))
    assert '<rect width="5" height="5"/>\n<!-- -->\n  <text' in body(written)
    assert main(["--site", str(root), "build"]) == 0


@pytest.mark.parametrize("config, filled", [("", True), ("kramdown:\n  parse_block_html: true\n", False)])
def test_a_highlight_on_its_own_line_inside_a_div_is_code_and_blank_lines_follow_kramdown(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str], config: str, filled: bool) -> None:
    """``<div>``, then ``{% highlight %}`` on a line of its own, code with a blank line in it: code, not a line
    of backticks, nor an element "never closed".  A ``<details>`` with blank lines inside is read whole, as
    kramdown read it, unless the site told kramdown to read Markdown inside HTML (``parse_block_html``)."""
    (source / "_config.yml").write_text((source / "_config.yml").read_text() + config)
    (source / "_posts/2024-01-01-d.md").write_text(
        "---\ntitle: D\n---\nIntro.\n\n<div>\n{% highlight ruby %}\na = 1\n\nb = 2\n{% endhighlight %}\n</div>\n\n"
        "<details>\n<summary>More</summary>\n\n*Text.*\n\n</details>\n", encoding="utf-8")
    root, report = imported(tmp_path, source, capsys, "--no-history")
    written = body(next(p for p in (root / "posts").rglob("d.md")))
    assert "<div>\n\n```ruby\na = 1\n\nb = 2\n```\n\n</div>" in written
    assert ("<summary>More</summary>\n<!-- -->\n*Text.*" in written) is filled
    assert main(["--site", str(root), "build"]) == 0
    page = next((root / "output").rglob("d/index.html")).read_text()
    assert '<div>\n<pre class="highlight"><code class="language-ruby">' in page
    assert ("<em>Text.</em>" in page) is not filled


@pytest.mark.parametrize("name", ["assets/images/map.png", "_posts/2017-03-01-kept-in-lfs.md"])
def test_a_git_lfs_pointer_is_no_post_and_no_image_and_nothing_is_written(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """A checkout that has not fetched its Git LFS files (CI's default) holds pointers in their place: a post
    whose text would be the pointer's lines, sealed as its version 1, and an image that is a few lines of text."""
    (source / name).write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146"
                                b"14ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 2345678\n")
    root = write_site(tmp_path / "site", {})
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"{name}:1: is a Git LFS pointer, not " in err and "run `git lfs pull` in the source, then import again" \
        in err, err
    assert snapshot(root) == before


def test_a_post_that_is_a_link_to_a_file_elsewhere_is_named_in_the_report(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "elsewhere.md").write_text("---\ntitle: Kept elsewhere\n---\nWords.\n")
    (source / "_posts/2017-03-01-linked.md").symlink_to(tmp_path / "elsewhere.md")
    (source / "_posts/more").symlink_to(tmp_path)
    root, out = imported(tmp_path, source, capsys)
    assert f"_posts/more:1: link _posts/more: a link to {tmp_path}, which the import does not follow" in out, out
    assert f"_posts/2017-03-01-linked.md:1: link _posts/2017-03-01-linked.md: a link to {tmp_path}/elsewhere.md, " \
           "which the import does not follow: not imported (put the file itself in its place and import again)" \
           in out, out
    assert not (root / "posts/linked.md").exists()

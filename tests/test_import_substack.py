"""``feuilleton import`` of a Substack export (tests/fixtures/import/substack, written here), as its
folder and as the zip Substack hands out, built and validated afterwards."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import EPOCH, broken_links, nu_errors, run_cli, snapshot, write_site
from engine.cli import main

EXPORT = Path(__file__).parent / "fixtures" / "import" / "substack"


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def zipped(tmp_path: Path, top: str = "") -> Path:
    """The fixture folder as a zip (as Substack sends it), its members under ``top``."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        for path in sorted(EXPORT.rglob("*")):
            if path.is_file():
                zip_file.write(path, top + path.relative_to(EXPORT).as_posix())
    return archive


def test_the_export_folder_becomes_posts_with_drafts_summaries_and_old_addresses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(EXPORT)]) == 0
    out = capsys.readouterr().out
    posts = root / "posts"
    assert sorted(p.name for p in posts.glob("*.md")) == [
        "a-draft-letter.md", "about.md", "an-episode.md", "letters-from-the-bar-part-1.md",
        "letters-from-the-bar-part-2.md"]
    first = front(posts / "letters-from-the-bar-part-1.md")
    assert first["summary"] == "Why a lawyer writes letters"
    assert first["imported_from"] == "substack:111.letters-from-the-bar-part-1"
    assert first["aliases"] == ["/p/letters-from-the-bar-part-1/"] and str(first["date"]) == "2021-03-04 15:00:00+00:00"
    assert front(posts / "a-draft-letter.md")["draft"] is True and "date" not in front(posts / "a-draft-letter.md")
    text = (posts / "letters-from-the-bar-part-1.md").read_text()
    assert "Every week a client asks why I write these.[^1] This is the answer." in text
    assert "[^1]: Usually on a Monday." in text and "footnote" not in text
    assert "<figcaption>The office on a Monday</figcaption>" in text.replace(' class="image-caption"', "")
    assert "- They wait.\n- They keep." in text
    episode = (posts / "an-episode.md").read_text()
    assert "[Listen to the episode](https://cdn.example.org/episode-1.mp3)" in episode
    about = front(posts / "about.md")
    assert about["layout"] == "page" and "date" not in about and "aliases" not in about
    assert out.splitlines()[0] == ("substack: imported 4 posts, 1 page, 0 series, 0 versions, 0 images and files, "
                                   "4 aliases")
    assert f"  {EXPORT}/posts.csv:6: thread 'Ask Me Anything': a discussion thread, not a post" in out
    assert f"  {EXPORT}/posts.csv:4: post 'Letters from the Bar, Part 2': was for only_paid subscribers" in out


def test_the_zip_is_read_as_the_folder_and_a_second_run_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from_folder = write_site(tmp_path / "a", {})
    assert main(["--site", str(from_folder), "import", str(EXPORT), "--series-from", "title"]) == 0
    from_zip = write_site(tmp_path / "b", {})
    archive = zipped(tmp_path, top="export-2021/")
    assert main(["--site", str(from_zip), "import", str(archive), "--series-from", "title"]) == 0
    assert snapshot(from_zip / "posts") == snapshot(from_folder / "posts")
    assert front(from_zip / "posts/letters-from-the-bar/letters-from-the-bar-part-2.md")["part"] == 2
    assert (from_zip / "posts/letters-from-the-bar/series.toml").read_text().startswith(
        'title = "Letters from the Bar"\n')
    capsys.readouterr()
    before = snapshot(from_zip)
    assert main(["--site", str(from_zip), "import", str(archive), "--series-from", "title"]) == 0
    assert snapshot(from_zip) == before
    assert "5 posts were imported by an earlier run and are left as they are; nothing changed" in \
        capsys.readouterr().out


@pytest.mark.slow
def test_the_imported_site_builds_cleanly_and_validates(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(zipped(tmp_path)), "--series-from", "title", cwd=root)
    assert done.returncode == 0, done.stderr
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    output = root / "output"
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["An Episode", "Letters from the Bar, Part 2",
                                               "Letters from the Bar, Part 1"]
    assert (output / "p/letters-from-the-bar-part-1/index.html").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []


def test_a_title_and_subtitle_written_with_character_references_are_read_as_text(tmp_path: Path) -> None:
    export = Path(shutil.copytree(EXPORT, tmp_path / "export"))
    table = export / "posts.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(
        '"Letters from the Bar, Part 1",Why a lawyer writes letters',
        '"Letters from the Bar, Part 1 &#8212; Opening",&#x201C;Why&#x201D; a lawyer writes letters &amp; notes'),
        encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    first = front(root / "posts/letters-from-the-bar-part-1.md")
    assert first["title"] == "Letters from the Bar, Part 1 \u2014 Opening"
    assert first["summary"] == "\u201cWhy\u201d a lawyer writes letters & notes"


_ATTRS = {  # Substack's JSON, as its export writes it into data-attrs
    "mention": '{"name":"Ada Okafor","id":31,"type":"user","url":null}',
    "latex": '{"persistentExpression":"\\\\frac{a}{b} \\\\\\\\ \\\\{x\\\\}","id":"EQ1"}',
    "tweet": '{"url":"https://x.com/ada/status/1","full_text":"Courts are slow.\\n\\nJustice is slower.",'
             '"username":"ada","name":"Ada Okafor","date":"2025-03-05T13:32:30.000Z","photos":[]}',
    "image": '{"src":"https://substack-post-media.s3.amazonaws.com/public/images/a_1x1.heic","bytes":1}',
    "subscribe": '{"url":"https://ada.substack.com/subscribe?","text":"Subscribe"}',
    "share": '{"url":"https://ada.substack.com/p/x?utm_content=share&action=share","text":"Share"}',
    "poll": '{"id":9}',
}


def test_what_substack_keeps_only_in_its_json_comes_along_and_its_furniture_stays_behind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mention, an equation and an embedded post are empty elements whose words are in ``data-attrs``;
    the subscribe form, the Share button and the buttons over an image are Substack's own."""
    from html import escape
    a = {key: escape(value) for key, value in _ATTRS.items()}
    cdn = "https://substackcdn.com/image/fetch/$s_!a!,f_auto,q_auto:good/https%3A%2F%2Fx%2Fa_1x1.heic"
    body = (
        f'<p>Thanks to <span class="mention-wrap" data-attrs="{a["mention"]}" data-component-name="MentionToDOM">'
        '</span>, who showed that</p>'
        f'<div class="latex-rendered" data-attrs="{a["latex"]}" data-component-name="LatexBlockToDOM"></div>'
        f'<div class="twitter-embed" data-attrs="{a["tweet"]}" data-component-name="Twitter2ToDOM"></div>'
        f'<div class="captioned-image-container"><figure><a class="image-link image2" href="{cdn}" '
        f'data-component-name="Image2ToDOM"><div class="image2-inset"><picture><source type="image/webp" '
        f'srcset="{cdn.replace("f_auto", "w_424,f_webp")} 424w"><img src="https://substack-post-media.s3.amazonaws'
        f'.com/public/images/a_1x1.heic" data-attrs="{a["image"]}" alt="The court" srcset="{cdn} 424w" '
        'width="1" height="1"></picture><div class="image-link-expand"><svg class="lucide"></svg></div></div></a>'
        '<figcaption class="image-caption">The old court.</figcaption></figure></div>'
        f'<div class="subscription-widget-wrap-editor" data-attrs="{a["subscribe"]}" '
        'data-component-name="SubscribeWidgetToDOM"><p class="cta-caption">Thanks for reading!</p>'
        '<form><input type="email"><input type="submit" value="Subscribe"></form></div>'
        f'<p class="button-wrapper" data-attrs="{a["share"]}" data-component-name="ButtonCreateButton">'
        '<a class="button primary" href="https://ada.substack.com/p/x?action=share"><span>Share</span></a></p>'
        f'<div class="poll-embed" data-attrs="{a["poll"]}" data-component-name="PollToDOM"></div>'
        '<div class="pullquote"><p>Justice is slower.</p></div>')
    export = write_site(tmp_path / "export", {
        "posts.csv": "post_id,post_date,is_published,type,audience,title\n"
                     "7.on-courts,2025-03-06T09:00:00.636Z,true,newsletter,everyone,On Courts\n",
        "posts/7.on-courts.html": body}, config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    out = capsys.readouterr().out
    text = (root / "posts" / "on-courts.md").read_text(encoding="utf-8")
    assert "Thanks to Ada Okafor, who showed that" in text
    assert "\ndate: 2025-03-06T09:00:00+00:00\n" in text  # without the milliseconds no reader sees
    assert ("> Courts are slow.\n>\n> Justice is slower.\n>\n"
            "> — Ada Okafor (@ada), [2025-03-05](https://x.com/ada/status/1)") in text
    assert f'<img alt="The court" height="1" src="{cdn}" width="1"/>' in text.replace(' class="sizing-normal"', "")
    assert "svg" not in text and "srcset" not in text and "data-attrs" not in text and "<form" not in text
    assert "Share" not in text and "Thanks for reading" not in text
    assert "> Justice is slower." in text.split("2025-03-05")[1]
    html_file = f"{export}/posts/7.on-courts.html"
    assert f"  {html_file}: Substack's subscribe form ('Thanks for reading!'): left out: readers follow " \
        "the site's feeds instead" in out
    assert f"  {html_file}: Substack's button ('Share'): left out" in out
    assert f"  {html_file}: Substack component PollToDOM: left out: it holds nothing but Substack's own data" in out
    assert f"  {html_file}: embedded post https://x.com/ada/status/1: kept as a quotation with a link" in out
    assert main(["--site", str(root), "build", "-q"]) == 0
    page = (root / "output" / "on-courts" / "index.html").read_text(encoding="utf-8")
    assert r"<p>$$\frac{a}{b} \\ \{x\}$$</p>" in page  # the TeX as written, every backslash kept
    assert nu_errors(root / "output" / "on-courts") == []


def test_a_row_cut_short_is_an_error_at_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    """A posts.csv cut short in the middle of a row made a published post an untitled draft, "not published
    on Substack"; a row with more fields than the first line names lost them as quietly."""
    export = Path(shutil.copytree(EXPORT, tmp_path / "export"))
    table = export / "posts.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(lines[:2]) + ",".join(lines[2].split(",")[:2]) + "\n", encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    before = snapshot(root)
    done = run_cli("import", str(export), cwd=root)
    assert done.returncode == 1
    assert f"{table}:3: this row has 2 fields where the first line names {lines[0].count(',') + 1}" in done.stderr
    assert "export it from Substack again" in done.stderr and snapshot(root) == before
    table.write_text("".join(lines[:2]) + lines[2].rstrip("\n") + ",extra\n", encoding="utf-8")
    done = run_cli("import", str(export), cwd=root)
    assert done.returncode == 1 and f"{table}:3: this row has {lines[0].count(',') + 2} fields" in done.stderr


def test_an_older_exports_buttons_naming_no_component_stay_behind_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 2019 export's Subscribe button has no ``data-component-name``: it stayed in the post as a link to the
    old Substack, and the report said nothing.  A button of the author's own, to a page of theirs, stays."""
    from html import escape
    body = ('<p>Opening words.</p><p class="button-wrapper" data-attrs="'
            + escape('{"url":"https://ex.substack.com/subscribe?","text":"Sign up now","class":null}') + '">'
            '<a class="button primary" href="https://ex.substack.com/subscribe?"><span>Sign up now</span></a></p>'
            '<p class="button-wrapper"><a class="button primary" href="https://ex.org/report.pdf">'
            '<span>Read the report</span></a></p><p>Closing words.</p>')
    export = write_site(tmp_path / "export", {
        "posts.csv": "post_id,post_date,is_published,type,audience,title\n"
                     "8.first-letter,2019-03-10T12:00:00.000Z,true,newsletter,everyone,First\n",
        "posts/8.first-letter.html": body}, config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    out = capsys.readouterr().out
    text = (root / "posts" / "first-letter.md").read_text(encoding="utf-8")
    assert "Sign up now" not in text and "substack.com" not in text
    assert "[Read the report](https://ex.org/report.pdf)" in text and "Closing words." in text
    assert f"  {export}/posts/8.first-letter.html: Substack's button ('Sign up now'): left out" in out


def test_an_image_gallery_and_an_embedded_post_keep_what_they_showed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A gallery and a "read also" embed are empty elements too: the images, the caption and the embedded
    post's title and address are in ``data-attrs``, and were dropped as "nothing but Substack's own data"."""
    from html import escape
    media = "https://substack-post-media.s3.amazonaws.com/public/images"
    gallery = escape('{"gallery":{"images":[{"type":"image/jpeg","src":"' + media + '/one.jpeg"},{"type":'
                     '"image/jpeg","src":"' + media + '/two.jpeg"}],"caption":"Deux photos de Tanger, 2022",'
                     '"alt":"","staticGalleryImage":{"type":"image/png","src":"' + media + '/static.png"}},'
                     '"isEditorNode":true}')
    digest = escape('{"nodeId":"x","caption":"Lire aussi","cta":"Read full story","size":"sm","isEditorNode":true,'
                    '"title":"La ville refuge, Part 1","post_date":"2022-01-10T14:03:22.118Z","canonical_url":'
                    '"https://villes.substack.com/p/la-ville-refuge-partie-1","id":48211937,"type":"newsletter"}')
    export = write_site(tmp_path / "export", {
        "posts.csv": "post_id,post_date,is_published,type,audience,title\n"
                     "2.tanger,2022-02-01T10:00:00.000Z,true,newsletter,everyone,Tanger\n",
        "posts/2.tanger.html": f'<p>Avant la galerie.</p><div class="image-gallery-embed" data-attrs="{gallery}" '
                               'data-component-name="ImageGallery"></div><p>À lire :</p><div class="digest-post-'
                               f'embed" data-attrs="{digest}" data-component-name="DigestPostEmbed"></div>'},
                        config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    out = capsys.readouterr().out
    text = (root / "posts/tanger.md").read_text(encoding="utf-8")
    assert (f'Avant la galerie.\n\n<figure><img alt="" src="{media}/one.jpeg"/><img alt="" src="{media}/two.jpeg"/>'
            "<figcaption>Deux photos de Tanger, 2022</figcaption></figure>\n\nÀ lire :\n\n"
            "[La ville refuge, Part 1](https://villes.substack.com/p/la-ville-refuge-partie-1)\n") in text
    assert "static.png" not in text and "left out" not in out
    assert (f"  {export}/posts/2.tanger.html: Substack image gallery (2 images): kept as its images with their "
            "caption") in out
    assert main(["--site", str(root), "build", "-q"]) == 0
    assert nu_errors(root / "output" / "tanger") == []


def test_links_between_the_exports_posts_lead_to_their_new_addresses(tmp_path: Path) -> None:
    """The export does not name the publication's address: a host that links a post of the export at
    ``/p/<slug>`` is taken for it (a link to another publication's post stays as it is)."""
    export = write_site(tmp_path / "export", {
        "posts.csv": "post_id,post_date,is_published,type,audience,title\n"
                     "1.premier,2023-01-01T10:00:00.000Z,true,newsletter,everyone,Premier\n"
                     "2.second,2023-01-08T10:00:00.000Z,true,newsletter,everyone,Second\n",
        "posts/1.premier.html": "<p>Premier.</p>",
        "posts/2.second.html": '<p>Suite du <a href="https://villes.substack.com/p/premier">premier</a>, '
                               '<a href="https://villes.substack.com/p/premier?utm_source=x#fin">sa fin</a> et '
                               '<a href="https://autre.substack.com/p/autre">un autre</a>.</p>'}, config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    assert ("Suite du [premier](/essays/premier/), [sa fin](/essays/premier/?utm_source=x#fin) et "
            "[un autre](https://autre.substack.com/p/autre).") in (root / "posts/second.md").read_text(encoding="utf-8")


def test_an_export_without_a_posts_text_is_refused_with_every_such_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A post whose HTML the export lacks was left out with exit 0: the site would lack a post its readers
    had, once the old address is gone.  The export is incomplete, as a truncated one is: nothing is written."""
    export = write_site(tmp_path / "export", {
        "posts.csv": "post_id,post_date,is_published,type,audience,title\n"
                     "1.present,2023-01-01T10:00:00.000Z,true,newsletter,everyone,Present\n"
                     "2.missing,2023-01-08T10:00:00.000Z,true,newsletter,everyone,Missing\n"
                     "3.draft,,false,newsletter,everyone,A Draft\n"
                     "4.ama,2023-01-09T10:00:00.000Z,true,thread,everyone,Ask Me Anything\n",
        "posts/1.present.html": "<p>Present.</p>"}, config=None)
    root = write_site(tmp_path / "site", {})
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(export)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{export}/posts.csv:{line}: post {title!r}: its text (posts/{name}.html) is not in the export: the export is "
        "incomplete; export again from Substack, or take this row out of posts.csv to import the rest without it"
        for line, title, name in ((3, "Missing", "2.missing"), (4, "A Draft", "3.draft"))]
    assert snapshot(root) == before

"""``feuilleton import`` never leaves a site half-changed: a bad source (truncated, mis-encoded, binary,
hostile, a post that cannot be converted) and a clash with the site are ``file:line: message`` errors
with the site exactly as before; a write that fails half way is undone."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import assert_user_error, post, run_cli, snapshot, write_site
from engine.cli import main
from engine.importing.command import detect

EXPORT = Path(__file__).parent / "fixtures" / "import" / "wordpress" / "export.xml"
SUBSTACK = Path(__file__).parent / "fixtures" / "import" / "substack"


def refused(root: Path, source: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Import ``source`` into ``root``: it must fail with a user error and change nothing; the error."""
    before = snapshot(root, folders=True)
    assert main(["--site", str(root), "import", str(source), *args]) == 1
    assert snapshot(root, folders=True) == before
    return capsys.readouterr().err


def wxr(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    return path


def test_a_truncated_export_is_an_error_at_its_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    data = EXPORT.read_bytes()
    cut = wxr(tmp_path, data[:len(data) * 2 // 3])
    err = refused(root, cut, capsys)
    lines = cut.read_bytes().count(b"\n") + 1
    assert err.startswith(f"{cut}:{lines}: "), err
    assert "the export is cut short (it does not end with </rss>); export it again" in err


def test_a_text_file_named_a_wordpress_export_is_called_no_export(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--from wordpress`` on notes that are not XML said the export was cut short, and to export it again."""
    root = write_site(tmp_path / "site", {})
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    err = refused(root, notes, capsys, "--from", "wordpress")
    assert err.startswith(f"{notes}:1: ") and "this is not a WordPress export (an XML file from Tools → Export)" in err
    assert "cut short" not in err


def test_an_export_in_another_encoding_than_it_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    text = EXPORT.read_text(encoding="utf-8")
    latin = wxr(tmp_path, text.replace("U.S.C. §", "U.S.C. \u00a7\u00e9").encode("latin-1", "replace"))
    err = refused(root, latin, capsys)
    line = text.split("U.S.C. §")[0].count("\n") + 1
    assert err.startswith(f"{latin}:{line}: "), err
    assert "not in the encoding it declares" in err


def test_a_binary_file_is_not_an_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    binary = wxr(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = refused(root, binary, capsys, "--from", "wordpress")
    assert err == f"{binary}:3: is a binary file, not a WordPress export (an XML file from Tools → Export)\n"
    err = refused(root, binary, capsys)
    assert "cannot tell what kind of archive this is; name it with --from" in err


def test_a_post_that_cannot_be_converted_stops_the_import_at_its_line(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A character no page can carry is no such post: it is taken out and reported (importing.md), as the
    import writes the post; one nested too deeply stops the import."""
    root = write_site(tmp_path / "site", {})
    text = EXPORT.read_text(encoding="utf-8")
    bad = wxr(tmp_path, text.replace("Not for everyone.", "Not for &amp;#1; everyone.").encode())
    assert main(["--site", str(root), "import", "--dry-run", str(bad)]) == 0
    assert "`&#1;` (the control character U+0001) taken out: no page or feed can carry it" in capsys.readouterr().out
    line = text.split("Not for everyone.")[0].count("\n") + 1
    deep = wxr(tmp_path, text.replace("Not for everyone.", "<div>" * 5000 + "deep" + "</div>" * 5000).encode())
    err = refused(root, deep, capsys)
    assert err.startswith(f"{deep}:{line}: cannot convert this HTML: its elements are nested too deeply"), err


def test_entities_are_not_expanded_and_nothing_is_fetched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    text = EXPORT.read_text(encoding="utf-8")
    hostile = text.replace("<rss ", f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY a "aaaaaaaaaa">'
                           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<rss ', 1)
    hostile = hostile.replace("<title><![CDATA[Private Thoughts]]></title>", "<title>Private &leak; &b;</title>")
    assert main(["--site", str(root), "import", str(wxr(tmp_path, hostile.encode()))]) == 0
    written = b"".join(data or b"" for data in snapshot(root).values())
    assert b"the secret" not in written and b"aaaaaaaaaa" not in written


def test_a_clash_with_a_post_of_the_site_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {"posts/on-reading-statutes.md": post("Mine")})
    err = refused(root, EXPORT, capsys)
    assert err.splitlines()[0].startswith(f"{EXPORT}:187: its address /on-reading-statutes/ is taken by "
                                          "posts/on-reading-statutes.md in the site; nothing was imported")
    other = write_site(tmp_path / "other", {"posts/mine.md": post("Mine", slug="about")})
    err = refused(other, EXPORT, capsys)
    assert "its address /about/ is taken by posts/mine.md" in err


def test_versions_left_without_their_post_are_a_clash_that_says_whose_they_may_be(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The imported post would have taken them for its own (and the site would not build).  Versions this very
    import wrote before it was stopped, which no build published, may go; a deleted post's, once a build
    published them, keep their addresses, however they came (an imported post's name where they came from)."""
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(EXPORT)]) == 0
    capsys.readouterr()
    (post_file,) = [p for p in (root / "posts").rglob("*.md") if p.with_suffix(".versions").is_dir()]
    shown = post_file.relative_to(root).as_posix()
    post_file.unlink()  # as a stopped import leaves it: the versions, not yet the post
    err = refused(root, EXPORT, capsys)
    assert (f"would be written as {shown}, but {shown[:-3]}.versions/ holds the recorded versions of a post not "
            "there, which it would take for its own; nothing was imported: an import of this source that was "
            "stopped left them, and no build has published them: delete that folder and run the import again") in err
    own = post_file.with_suffix(".versions") / "v9.md"  # a version the author recorded: no import's to delete
    own.write_text("---\nversion: 9\n---\n")
    err = refused(root, EXPORT, capsys, "--dry-run")
    assert "they are a deleted post's" in err and "delete that folder" not in err
    own.unlink()
    out = root / "output" / post_file.relative_to(root / "posts").with_suffix("") / "v1"
    out.mkdir(parents=True)
    (out / "index.html").write_text("published")  # a build published them: the post was deleted since
    err = refused(root, EXPORT, capsys, "--dry-run")
    assert "they are a deleted post's, whose published versions keep their addresses: put that post back" in err
    shutil.rmtree(out.parent)
    for version in post_file.with_suffix(".versions").iterdir():  # an empty folder, as Ctrl-C could leave it
        version.unlink()
    err = refused(root, EXPORT, capsys, "--dry-run")
    assert ".versions/ is there, empty, where its recorded versions would go, as an import that was stopped can " \
        "leave it; nothing was imported: delete that folder and run the import again" in err
    assert "holds the recorded versions" not in err


def test_a_static_file_of_the_site_is_never_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {"static/wp-content/uploads/2016/11/courthouse.png": b"the author's own"})
    err = refused(root, EXPORT, capsys)
    assert "static/wp-content/uploads/2016/11/courthouse.png: exists with other bytes than" in err


def test_a_write_that_fails_half_way_is_undone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {"posts/sanctuary-cities": "a file where the series folder must go\n"})
    err = refused(root, EXPORT, capsys, "--series-from", "category")  # the images are written first, then undone
    assert "cannot write" in err and "everything this import wrote was removed again" in err
    assert not (root / "static").exists()


def test_a_zip_member_that_climbs_out_is_never_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("../posts/1.escape.html", "<p>outside</p>")
        zip_file.writestr("posts.csv", "post_id,post_date,is_published,type,audience,title,subtitle\n"
                          "1.escape,2020-01-01T10:00:00.000Z,true,newsletter,everyone,Escape,\n"
                          "2.kept,2020-01-02T10:00:00.000Z,true,newsletter,everyone,Kept,\n")
        zip_file.writestr("posts/2.kept.html", "<p>inside</p>")
    err = refused(root, archive, capsys)  # the post would be lost: the export lacks its text
    assert f"{archive}:posts.csv:2: post 'Escape': its text (posts/1.escape.html) is not in the export" in err
    assert not (tmp_path / "posts").exists()


def test_the_kind_is_told_from_what_the_source_holds(tmp_path: Path) -> None:
    assert detect(EXPORT) == "wordpress"
    assert detect(SUBSTACK) == "substack"
    assert detect(Path(__file__).parent / "fixtures" / "import" / "feed" / "rss.xml") == "feed"
    assert detect(Path(__file__).parent / "fixtures" / "import" / "feed" / "atom.xml") == "feed"
    assert detect("https://blog.example/feed/") == "feed"
    for marker, kind in (("_config.yml", "jekyll"), ("pelicanconf.py", "pelican"), ("hugo.toml", "hugo")):
        folder = tmp_path / kind
        (folder / "content").mkdir(parents=True)
        (folder / marker).write_text("")
        assert detect(folder) == kind
    settled = tmp_path / "hugo-settled"  # a Hugo site whose only settings are in config/_default/
    (settled / "content").mkdir(parents=True)
    (settled / "config/_default").mkdir(parents=True)
    (settled / "config/_default/hugo.toml").write_text("")
    assert detect(settled) == "hugo"


@pytest.mark.slow
def test_the_command_line_says_what_is_wrong_without_a_traceback(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(tmp_path / "missing.xml"), cwd=root)
    assert_user_error(done)
    assert done.stderr == f"{tmp_path / 'missing.xml'}: no such file or folder to import\n"


def jekyll(tmp_path: Path, name: str, text: str) -> Path:
    """An old Jekyll blog holding one file, ``name``, under ``tmp_path / "old"``."""
    return write_site(tmp_path / "old", {"_config.yml": "title: An old blog\n", name: text}, config=None)


def test_raw_html_that_never_closes_stops_the_import_at_its_post(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = jekyll(tmp_path, "_posts/2016-11-22-boxed.md", "---\ntitle: Boxed\n---\nA first paragraph.\n\n"
                    "<div class=\"box\">\n\nA boxed paragraph that is never closed.\n")
    root = write_site(tmp_path / "site", {})
    err = refused(root, source, capsys)
    assert "_posts/2016-11-22-boxed.md:6: raw HTML: <div> is never closed" in err  # the file's line, not the text's
    assert "nothing was imported: mend it in the source" in err


def test_a_stray_end_tag_is_dropped_and_reported_at_the_line_of_the_file_that_holds_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A `</a>` that closes nothing, which browsers (and the old site) drop, is dropped, and the report names
    the line an editor opens (blank lines after the front matter counted); an element left open, whose end
    only the author knows, still stops the import (Hugo below, on a site whose settings have Hugo show raw HTML)."""
    source = jekyll(tmp_path, "_posts/2015-10-25-selfie.markdown", "---\nlayout: post\ntitle: Selfie\ncomments: true\n"
                    "---\n\n\nA first paragraph.\n\nA [link](/x/) and a stray</a> end tag.\n")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert ("_posts/2015-10-25-selfie.markdown:10: a stray </a>: it closed nothing: dropped, as browsers drop it "
            "(the site's check would stop at it)") in out, out
    lines = (source / "_posts/2015-10-25-selfie.markdown").read_text(encoding="utf-8").splitlines()
    assert "</a>" in lines[10 - 1]
    written = (root / "posts/selfie.md").read_text(encoding="utf-8")
    assert written.endswith("A [link](/essays/x/) and a stray end tag.\n")
    hugo = write_site(tmp_path / "hugo", {"config.toml": 'baseURL = "https://old.example/"\ntitle = "Old"\n'
                                                         "[markup.goldmark.renderer]\nunsafe = true\n",
                                          "content/posts/box.md": '+++\ntitle = "Box"\ndate = 2020-01-01\n+++\n\n'
                                                                  "Text.\n\n<div>\n\nOpen.\n"}, config=None)
    err = refused(write_site(tmp_path / "site2", {}), hugo, capsys)
    assert "content/posts/box.md:8: raw HTML: <div> is never closed" in err


MALFORMED = "http://[example.com/a/"
"""A typo in a real blog's link (benbalter's, fixed in a later commit): urllib raises on it."""


@pytest.mark.parametrize("kind, files, post", [
    ("jekyll", {"_config.yml": "title: T\n",
                "_posts/2014-09-29-a.md": f"---\ntitle: A\n---\nSee [this]({MALFORMED}).\n"}, "posts/a.md"),
    ("hugo", {"hugo.toml": 'baseURL = "https://example.org/"\n',
              "content/posts/a.md": f"---\ntitle: A\ndate: 2024-01-01\n---\nSee [this]({MALFORMED}).\n"}, "posts/a.md"),
    ("pelican", {"pelicanconf.py": 'PATH = "content"\n',
                 "content/a.md": f"Title: A\nDate: 2024-01-01\n\nSee [this]({MALFORMED}).\n"}, "posts/a.md"),
])
def test_a_link_urllib_cannot_read_is_kept_as_written(tmp_path: Path, kind: str, files: dict[str, str],
                                                       post: str) -> None:
    source = write_site(tmp_path / "source", files)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source), "--from", kind, "--no-history"]) == 0
    assert f"[this]({MALFORMED})" in (root / post).read_text()


def test_a_wordpress_post_with_a_link_urllib_cannot_read_is_imported(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {})
    text = EXPORT.read_text(encoding="utf-8")
    opening = "<content:encoded><![CDATA[Whether a city"
    assert opening in text
    export = wxr(tmp_path, text.replace(opening, f'{opening[:-14]}See <a href="{MALFORMED}">this</a>.\n\n'
                                        f"{opening[-14:]}").encode("utf-8"))
    assert main(["--site", str(root), "import", str(export)]) == 0
    assert any(f"[this]({MALFORMED})" in path.read_text() for path in (root / "posts").rglob("*.md"))


def test_every_line_of_raw_html_to_mend_is_named_once_in_one_run(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Masked data written as tags (``<xxxx>``, ``<My Address>``) on four lines: one run names them all, each
    line once; before, three messages (one of them twice) and a run per paragraph to mend."""
    source = jekyll(tmp_path, "_posts/2011-08-18-card.md", "---\ntitle: Card\n---\nDigits: <xxxx> and <x>/<x>.\n\n"
                    "Text.\n\n<My Address>,\n\nDate <xx> - <yy>.\n")
    root = write_site(tmp_path / "site", {})
    err = refused(root, source, capsys)
    lines = [line.split(": raw HTML")[0] for line in err.splitlines() if "raw HTML" in line]
    assert set(lines) == {f"_posts/2011-08-18-card.md:{n}" for n in (4, 8, 10)}, err
    assert len(err.splitlines()) == len(set(err.splitlines()))


def test_from_a_kind_the_source_cannot_be_is_refused_with_what_it_looks_like(tmp_path: Path) -> None:
    """``--from jekyll`` on a feed's file imported nothing and said only "0 posts"."""
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    root = write_site(tmp_path / "site", {})
    done = run_cli("--site", str(root), "import", str(feed), "--from", "jekyll")
    assert_user_error(done)
    assert f"{feed}: --from jekyll reads a site's folder, and this is no folder; it looks like a feed archive: " \
           "leave out --from, or write --from feed" in done.stderr
    done = run_cli("--site", str(root), "import", str(root), "--from", "wordpress")
    assert_user_error(done)
    assert "--from wordpress reads a file, and this is a folder" in done.stderr
    hugo = tmp_path / "hugo"
    (hugo / "content").mkdir(parents=True)
    (hugo / "hugo.toml").write_text('title = "H"\n')
    done = run_cli("--site", str(root), "import", str(hugo), "--from", "jekyll")
    assert_user_error(done)
    assert "--from jekyll, but this folder looks like a hugo site: leave out --from, or write --from hugo" \
        in done.stderr
    assert snapshot(root / "posts") == {}


WXR_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
            b'modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><wp:wxr_version>1.2'
            b'</wp:wxr_version>\n')


@pytest.mark.parametrize("content, said", [
    (WXR_HEAD + b"<item><title>Fish & chips</title></item></channel></rss>\n",
     "export.xml:4: an & that begins no character reference (write &amp; for one) (column 20): the XML is broken "
     "here"),
    (WXR_HEAD + b'<item><content:encoded><![CDATA[<p>Text <img class="size-full"',
     "export.xml:4: a CDATA section (<![CDATA[ … ]]>) not closed (column 63): the export is cut short"),
])
def test_broken_xml_is_said_in_plain_words_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                                               said: str) -> None:
    """libxml2's own words, over two lines, with the line and column said twice and a piece of the post:
    ``CData section not finished\\n<img class="size-full" , line 1000, column 189``."""
    root = write_site(tmp_path / "site", {})
    err = refused(root, wxr(tmp_path, content), capsys)
    assert said in err and len(err.strip().splitlines()) == 1, err


def test_an_rss_feed_named_a_wordpress_export_is_told_to_import_as_a_feed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It imported 0 posts and exited 0, each item's "post type '' is not a post or a page"."""
    root = write_site(tmp_path / "site", {})
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Blog</title>\n'
                    "<item><title>A</title><link>https://blog.example/a/</link><description>Hi.</description></item>"
                    "</channel></rss>\n")
    err = refused(root, feed, capsys, "--from", "wordpress")
    assert err.startswith(f"{feed}:2: an RSS feed, not a WordPress export") and "--from feed" in err


def test_an_import_stopped_while_it_writes_a_version_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C while a version file was being written: that file was in no list yet, so its folder could not
    be removed, and the next run refused, taking the folder for a deleted post's published versions."""
    import engine.importing.apply as applying
    root = write_site(tmp_path / "site", {})
    before = snapshot(root, folders=True)
    written, calls = applying.append, []

    def stopped(post, number, version):
        calls.append(number)
        path = written(post, number, version)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the file is on disk; append has not returned it
        return path
    monkeypatch.setattr(applying, "append", stopped)
    assert main(["--site", str(root), "import", str(EXPORT)]) == 130  # as the shell has it for Ctrl-C
    assert len(calls) == 2 and snapshot(root, folders=True) == before
    monkeypatch.setattr(applying, "append", written)
    assert main(["--site", str(root), "import", str(EXPORT)]) == 0  # and running it again imports it all


def test_a_folder_an_import_makes_is_in_its_undo_list_before_a_ctrl_c_is_taken() -> None:
    """Made, then listed: a Ctrl-C between the two left an empty folder that the rerun refused."""
    import os
    import signal

    from engine.importing.apply import _held
    done = []
    with pytest.raises(KeyboardInterrupt):
        with _held(signal.SIGINT):
            os.kill(os.getpid(), signal.SIGINT)
            done.append("made")
            done.append("listed")  # the signal waits for the block's end
    assert done == ["made", "listed"]


FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.mark.parametrize("kind", ["wordpress", "jekyll", "hugo", "pelican", "substack", "feed/rss.xml",
                                  "feed/atom.xml"])
def test_a_second_run_of_the_same_source_says_no_text_differs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              kind: str) -> None:
    """Every post a second run finds imported already is compared with the site's, by the words readers read:
    the links the first run led to the site, and the other changes it made on the way, are no difference."""
    source = tmp_path / "source" / kind
    shutil.copytree(FIXTURES / kind.split("/")[0], tmp_path / "source" / kind.split("/")[0])  # out of this git
    if kind == "wordpress":
        source = source / "export.xml"
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    capsys.readouterr()
    assert main(["--site", str(root), "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert "were imported by an earlier run" in out and "a text other than the site's" not in out


def test_a_post_written_on_since_in_the_source_is_named_by_a_second_run(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A newer export of a blog the author kept writing on: the post the site imported without versions was
    left as it was, the run said ``nothing changed`` and named no post, and the new paragraph was nowhere."""
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(EXPORT)]) == 0
    text = EXPORT.read_text(encoding="utf-8")
    written = "A statute is read as a whole, <em>noscitur a sociis</em>."
    assert text.count(written) == 1
    newer = wxr(tmp_path, text.replace(written, written + " A sentence written since.").encode())
    capsys.readouterr()
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(newer)]) == 0
    out = capsys.readouterr().out
    assert snapshot(root) == before
    (said,) = [said for said in out.splitlines() if "a text other than the site's" in said]
    assert said.startswith(f"  {newer}:") and "posts/on-reading-statutes.md" in said, said

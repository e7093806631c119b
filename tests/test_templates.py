"""A site's own templates: what a build accepts of them, and a serve that outlives a failure.  Each mistake
in a template, reported as ``file:line``, is a case of its own in ``tests/cases/invalid/template-*``."""
from __future__ import annotations

import shutil

import pytest

from conftest import EPOCH, config_with, post, run_cli


def test_a_template_no_page_uses_may_be_in_any_encoding_and_a_byte_order_mark_is_dropped(site):
    root = site({"posts/essay.md": post("Essay"), "templates/notes.txt": b"\xa9 my notes\n",
                 "templates/post.html": '\ufeff{% extends "theme/post.html" %}\n'.encode("utf-8")})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert (root / "output/essay/index.html").read_text().startswith("<!DOCTYPE html>")


def test_serve_keeps_rebuilding_after_an_unexpected_failure(site, monkeypatch):
    import engine.commands.serve
    from engine.config import Options
    root = site({"posts/essay.md": post("Essay", body="The first text.")})
    server = engine.commands.serve.Server(root, Options(), quiet=True, verbose=False)
    real = engine.commands.serve.build

    def broken(*args, **kwargs):
        raise RuntimeError("a mistake of ours")
    monkeypatch.setattr(engine.commands.serve, "build", broken)
    server.rebuild()  # raised out of the builder thread before, which then never rebuilt again
    assert "internal error: RuntimeError: a mistake of ours" in server.hub.error
    monkeypatch.setattr(engine.commands.serve, "build", real)
    (root / "posts/essay.md").write_text(post("Essay", body="The second text."))
    server.rebuild()
    assert server.hub.error is None
    assert "The second text." in (root / "output/essay/index.html").read_text()


def test_what_a_sites_base_adds_to_head_is_on_every_page(site):
    """A site's ``base.html`` extending the theme's and adding a stylesheet in ``head``, as the reference says
    it may: the theme's post, version, search and redirect pages each add to ``head`` too, and kept only
    their own part of it."""
    from engine.build import build
    root = site({"posts/essay.md": post("An essay", slug="essay"),
                 "templates/base.html": '{% extends "theme/base.html" %}{% block head %}'
                                        '<link rel="stylesheet" href="{{ site.home }}site.css">{% endblock %}',
                 "static/site.css": "body { margin: 0; }\n"}, config=config_with(search=True))
    assert run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH).returncode == 0
    essay = root / "posts/essay.md"
    essay.write_text(essay.read_text().replace("slug: essay", "slug: an-essay"))
    build(root)
    for page in ("index.html", "an-essay/index.html", "an-essay/v1/index.html", "search/index.html",
                 "essay/index.html"):  # the last, the redirect from where the post was
        html = (root / "output" / page).read_text()
        assert html.count('href="/essays/site.css"') == 1, page
    assert 'property="article:published_time"' not in (root / "output/an-essay/v1/index.html").read_text()
    # a post.html of the site's own, on the site's base.html, with no head of its own: old versions too
    (root / "templates/post.html").write_text('{% extends "base.html" %}{% block content %}{{ post.html }}'
                                              '{% endblock %}')
    build(root)
    for page in ("an-essay/index.html", "an-essay/v1/index.html"):
        assert (root / "output" / page).read_text().count('href="/essays/site.css"') == 1, page


def test_overrides_that_would_change_nothing_are_warned_of_with_their_lines(site):
    """A block the templates it extends do not have, a theme's name in other letters or as .htm, and anything
    under templates/theme/ (``theme/NAME`` stays the theme's own, which the file does not replace)."""
    root = site({"posts/essay.md": post("An essay"),
                 "templates/post.html": '{% extends "theme/post.html" %}\n{% block esay %}<p>MARK</p>{% endblock %}\n'
                                        '{% block essay %}{{ super() }}{% block inner %}<p>IN</p>{% endblock %}'
                                        '{% endblock %}\n',
                 "templates/Tag.html": "x",
                 "templates/index.htm": "x",
                 "templates/Archive.HTM": "x",
                 "templates/Theme/tags.html": "x",
                 "templates/tag.html": '{% extends "theme/tag.html" %}{% block shown %}x{% endblock %}'
                                       '{% block title %}{{ self.shown() }}{% endblock %}',  # a block called, shown
                 "templates/theme/post.html": "<p>SHADOW</p>",
                 "templates/partials/sig.html": "<p>a partial of the site's own</p>",
                 "templates/locale/en/LC_MESSAGES/messages.po": 'msgid "Skip to content"\nmsgstr "Jump"\n',
                 "templates/locale/fr/messages.po": 'msgid "Skip to content"\nmsgstr "Aller au texte"\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    warned = sorted(line.split(": warning: ")[0] for line in done.stderr.splitlines() if ": warning: " in line)
    assert warned == ["templates/Archive.HTM", "templates/Tag.html", "templates/Theme/tags.html",
                      "templates/index.htm", "templates/locale/en/LC_MESSAGES/messages.po", "templates/post.html:2",
                      "templates/theme/post.html"]
    assert "messages.po: warning: is never read: a site's own words for a language are in " \
           "templates/locale/en/messages.po" in done.stderr
    assert "block `esay` is in none of the templates it extends (theme/post.html, base.html), so it is never " \
           "shown; their blocks: after_post, article_meta, before_post, bio" in done.stderr
    assert "did you mean templates/tag.html?" in done.stderr and "did you mean templates/index.html?" in done.stderr
    page = (root / "output/essay/index.html").read_text()
    assert "SHADOW" not in page and "<p>IN</p>" in page and "MARK" not in page


def test_a_static_file_in_place_of_one_of_the_themes_is_refused(site):
    root = site({"posts/essay.md": post("An essay"), "static/theme/style.css": "body { color: red; }\n",
                 "static/theme/extra.css": "p { margin: 0; }\n"})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("static/theme/style.css: would replace or block the theme's own theme/style.css")
    (root / "static/theme/style.css").unlink()
    (root / "static/theme/style.css").mkdir()  # a folder in the way: refused as clearly, not by the disk
    (root / "static/theme/style.css/a.css").write_text("p {}\n")
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "static/theme/style.css/a.css: would replace or block the theme's own " \
        "theme/style.css" in done.stderr
    shutil.rmtree(root / "static/theme/style.css")
    (root / "static/theme/Style.CSS").write_text("p {}\n")  # one file with it on macOS or Windows
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "static/theme/Style.CSS: would replace or block the theme's own " \
        "theme/style.css" in done.stderr
    (root / "static/theme/Style.CSS").unlink()
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    assert (root / "output/theme/extra.css").is_file()


@pytest.mark.parametrize("expression, said", [
    ("post.title.nope", "a text has no `nope`"),
    ("post.date.nope", "a date (shown with a filter, such as |date) has no `nope`"),
    ("post.prev.nope", "`nope` was asked of a value that is none here (as `post.prev` is on a first part): test it "
                       "with {% if … %} first"),
])
def test_a_field_asked_of_a_plain_value_is_told_in_the_references_words(site, expression: str, said: str):
    """``'str object' has no attribute 'nope'``, ``'None' has no attribute``: Python's names, not the author's."""
    root = site({"posts/essay.md": post("Essay"),
                 "templates/post.html": '{% extends "theme/post.html" %}\n{% block essay %}{{ ' + expression
                                        + ' }}{{ super() }}{% endblock %}\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and done.stderr.strip().endswith(said), done.stderr


@pytest.mark.parametrize("name", ["post.html", "Post.html"])
def test_a_template_that_is_a_folder_is_said_not_used(site, name):
    """``templates/post.html/`` was passed over without a word, and the theme's post page built."""
    root = site({"posts/a.md": post("A", body="Text.")})
    (root / "templates" / name).mkdir(parents=True)
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and done.stderr == (
        f"templates/{name}: warning: is a folder, so no page uses it and the theme's post.html is used instead: "
        "a template is a file\n"), done.stderr

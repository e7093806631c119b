"""A site's own templates: mistakes in them are reported where they are, as `file:line`."""
from __future__ import annotations

from conftest import EPOCH, post, run_cli


def test_a_missing_include_is_blamed_on_the_template_and_line_that_asks_for_it(site):
    root = site({"posts/essay.md": post("Essay"),
                 "templates/post.html": '{% extends "theme/post.html" %}\n{% block content %}\n'
                                        '{% include "nope.html" %}\n{% endblock %}\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("templates/post.html:3: template not found: nope.html"), done.stderr
    assert not (root / "output").exists()


def test_a_missing_parent_template_is_blamed_on_the_child(site):
    root = site({"posts/essay.md": post("Essay"),
                 "templates/post.html": '{# mine #}\n{% extends "theme/nothing.html" %}\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1
    assert done.stderr.startswith("templates/post.html:2: template not found: theme/nothing.html"), done.stderr


def test_a_template_not_saved_as_utf8_is_an_error_at_its_line(site):
    root = site({"posts/essay.md": post("Essay"), "templates/post.html": b'{# mine #}\n<footer>\xa9 2026</footer>\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("templates/post.html:2: template syntax error: not UTF-8 text (byte 0xa9): "
                                  "save the template as UTF-8")


def test_a_template_no_page_uses_may_be_in_any_encoding_and_a_byte_order_mark_is_dropped(site):
    root = site({"posts/essay.md": post("Essay"), "templates/notes.txt": b"\xa9 my notes\n",
                 "templates/post.html": '\ufeff{% extends "theme/post.html" %}\n'.encode("utf-8")})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert (root / "output/essay/index.html").read_text().startswith("<!DOCTYPE html>")


def test_a_template_that_extends_its_own_name_is_an_error_that_names_the_themes(site):
    root = site({"posts/essay.md": post("Essay"), "templates/post.html": '{% extends "post.html" %}\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith('templates/post.html:1: template extends or includes itself without end; '
                                  'to build on the theme\'s post.html, write {% extends "theme/post.html" %}')


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

"""A site's own templates: what a build accepts of them, and a serve that outlives a failure.  Each mistake
in a template, reported as ``file:line``, is a case of its own in ``tests/cases/invalid/template-*``."""
from __future__ import annotations

from conftest import EPOCH, post, run_cli


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

"""The front-matter keys an import writes into a post, useful without one too: ``aliases`` (old addresses
that redirect to the post) and ``imported_from`` (where the post came from, kept for a second import run)."""
from __future__ import annotations

from conftest import EPOCH, build_model, post, run_cli


def test_imported_from_is_kept_on_the_model_without_a_warning(site) -> None:
    root = site({"posts/essay.md": post("Essay", imported_from='"wordpress:123"')})
    model, report = build_model(root)
    assert model.posts["essay.md"].imported_from == "wordpress:123"
    assert "imported_from" not in model.posts["essay.md"].extra
    assert report.items == []


def test_imported_from_is_never_shown_to_readers(site) -> None:
    root = site({"posts/essay.md": post("Essay", imported_from='"jekyll:_posts/2016-11-28-x.md"')})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    written = [p.read_text(encoding="utf-8") for p in (root / "output").rglob("*") if p.is_file()]
    assert written and not any("_posts/2016-11-28-x.md" in text for text in written)


def test_a_post_without_imported_from_has_none(site) -> None:
    model, _ = build_model(site({"posts/essay.md": post("Essay")}))
    assert model.posts["essay.md"].imported_from == ""


def test_imported_from_that_is_not_text_is_an_error_at_its_line(site) -> None:
    root = site({"posts/essay.md": post("Essay", imported_from="[wordpress, 123]")})
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 1
    assert "posts/essay.md:4: `imported_from`: must be text, not a list or mapping" in done.stderr



"""Where pages go: a page that would land on another's address stops the build at the slug to change."""
from __future__ import annotations

from conftest import EPOCH, post, run_cli


def errors(root) -> list[str]:
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert not (root / "output").exists()
    return done.stderr.splitlines()


def test_a_slug_taking_a_site_page_is_blamed_on_its_line(site):
    root = site({"posts/t.md": post("T", tags='["law"]', slug="tags"),
                 "posts/u.md": post("U", slug="updates")})
    found = errors(root)
    assert ("posts/t.md:5: would be written to tags/index.html, which posts/t.md and the tags index both claim; "
            "change a slug") in found
    assert ("posts/u.md:4: would be written to updates/index.html, which posts/u.md and the updates page both "
            "claim; change a slug") in found


def test_two_posts_on_one_address_are_blamed_on_the_one_with_a_slug(site):
    root = site({"posts/essay.md": post("Essay"),
                 "posts/other.md": post("Other", slug="essay")})
    assert errors(root)[0] == ("posts/other.md:4: would be written to essay/index.html, which posts/essay.md and "
                               "posts/other.md both claim; change a slug")

"""``_redirects`` and ``_headers``: what static hosts read, checked against the redirect pages the build
writes and against the feeds it writes."""
from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from engine.build import build
from tests.conftest import EPOCH, NOW, post, run_cli, serving

REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def redirect_pages_on_disk(out: Path) -> set[tuple[str, str]]:
    """``(from, to)`` for every HTML redirect page under ``out``, as root-relative links."""
    found = set()
    for page in out.rglob("*.html"):
        match = REFRESH.search(page.read_text(encoding="utf-8"))
        if match:
            rel = page.relative_to(out).as_posix()
            path = rel[:-len("index.html")] if rel.endswith("index.html") else rel
            found.add((quote("/essays/" + path, safe="/%"), match.group(1)))
    return found


def redirect_rules(out: Path) -> list[tuple[str, str]]:
    lines = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    rules = []
    for line in lines:
        source, target, code = line.split(" ")
        assert code == "301", line
        rules.append((source, target))
    return rules


@pytest.mark.slow
def test_redirects_match_the_redirect_pages_moves_and_aliases(site) -> None:
    root = site({"posts/essay.md": post("Essay", aliases="\n  - /2016/11/28/old-slug/\n  - /old.html\n"
                                        "  - /with space/"),
                 "posts/moved.md": post("Moved", slug="first-name")})
    assert run_cli("publish", "posts/moved.md", cwd=root, env=EPOCH).returncode == 0
    text = (root / "posts/moved.md").read_text(encoding="utf-8")
    (root / "posts/moved.md").write_text(text.replace("slug: first-name", "slug: second-name"), encoding="utf-8")
    build(root, now=NOW)
    out = root / "output"
    rules = redirect_rules(out)
    pages = redirect_pages_on_disk(out)
    assert len(rules) == len(set(rules)) == len(pages)
    assert set(rules) == pages
    assert ("/essays/first-name/", "/essays/second-name/") in pages  # a moved post
    assert ("/essays/2016/11/28/old-slug/", "/essays/essay/") in pages  # an alias
    assert ("/essays/with%20space/", "/essays/essay/") in pages  # no space splits a rule


def test_an_alias_segment_starting_with_a_colon_is_no_placeholder_in_redirects(site) -> None:
    """``/:old/`` written as it is would match every one-segment address (``/archive/``, ``/tags/``) on
    Netlify, Cloudflare Pages and GitLab Pages, and send its readers to this post."""
    root = site({"posts/essay.md": post("Essay", aliases="\n  - /:old/\n  - /a/:b/")})
    build(root, now=NOW)
    rules = redirect_rules(root / "output")
    assert ("/essays/%3Aold/", "/essays/essay/") in rules and ("/essays/a/%3Ab/", "/essays/essay/") in rules
    assert not any(":" in source for source, _ in rules)
    assert (root / "output/:old/index.html").is_file()  # the page, for hosts that read no _redirects


def test_headers_give_feeds_their_types_and_the_theme_long_caching(site) -> None:
    root = site({"posts/cities/series.toml": 'title = "Cities"\nstatus = "ongoing"\n',
                 "posts/cities/part-1.md": post("One", part=1), "posts/essay.md": post("Essay")})
    build(root, now=NOW)
    out = root / "output"
    rules: dict[str, dict[str, str]] = {}
    current = ""
    for line in (out / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith("  "):
            name, _, value = line.strip().partition(": ")
            rules[current][name] = value
        else:
            current = line
            rules[current] = {}
    types = {"feed.xml": "application/rss+xml", "atom.xml": "application/atom+xml", "feed.json": "application/feed+json"}
    feeds = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.name in types)
    assert len(feeds) == 9  # the site's, the updates' and the series'
    for feed in feeds:  # matched as the hosts match: `:name` one path segment, `*` anything
        (headers,) = [h for pattern, h in rules.items() if re.fullmatch(
            re.sub(r":\w+", "[^/]+", re.escape(pattern).replace(r"\*", ".*").replace(r"\:", ":")), "/essays/" + feed)]
        assert headers["Content-Type"] == types[feed.rpartition("/")[2]] + "; charset=utf-8"
        assert "max-age=300" in headers["Cache-Control"]
    assert len(rules) == 7  # however many series: Cloudflare Pages reads no more than 100
    assert "max-age=604800" in rules["/essays/theme/fonts/*"]["Cache-Control"]
    # no week-long cache for the stylesheet, whose address stays when it changes
    assert not [p for p in rules if p.startswith("/essays/theme/") and p != "/essays/theme/fonts/*"]
    assert (out / "theme/style.css").is_file()
    html_rules = [pattern for pattern in rules if pattern.endswith("/") or pattern.endswith("*") and pattern != "/essays/theme/fonts/*"]
    assert not html_rules  # no rule that would join its Cache-Control to another's
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "_redirects" not in sitemap and "_headers" not in sitemap
    assert (out / "_redirects").read_text(encoding="utf-8") == ""  # nothing moved


def test_a_post_may_not_take_a_hosting_file_name_as_its_slug(site) -> None:
    root = site({"posts/essay.md": post("Essay", slug="_redirects")})
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "_redirects" in done.stderr


def test_a_percent_sign_in_an_alias_is_written_as_an_address_holds_it(site) -> None:
    """``/100%-sure/`` is a folder named ``100%-sure``, which a server finds at ``/100%25-sure/``; the rule must
    say that, or a host reads ``%-s`` as a broken escape and the old address is lost."""
    root = site({"posts/essay.md": post("Essay", aliases="\n  - /100%-sure/\n  - /caf%C3%A9/")})
    build(root, now=NOW)
    out = root / "output"
    rules = dict(redirect_rules(out))
    assert rules["/essays/100%25-sure/"] == "/essays/essay/"
    assert rules["/essays/caf%C3%A9/"] == "/essays/essay/"  # an escape the author wrote is the address it was
    assert not any("%-" in source for source in rules)
    with serving(out.parent) as origin:  # the site lives under /essays/: serve the folder above output
        (out.parent / "essays").symlink_to(out, target_is_directory=True)
        for source, target in rules.items():
            with urllib.request.urlopen(origin + source) as answer:
                assert REFRESH.search(answer.read().decode("utf-8")).group(1) == target


def _readme_recipes() -> dict[str, str]:
    """The build commands README.md gives Netlify and Cloudflare Pages, without their `pip install`."""
    from tests.conftest import REPO
    text = (REPO / "README.md").read_text(encoding="utf-8")
    netlify = re.search(r"^command = '(.*)'$", text, re.M).group(1)
    cloudflare = re.search(r'^(pip install -r requirements\.txt && if \[ "\$CF_PAGES_BRANCH".*)$', text, re.M).group(1)
    return {name: command.replace("pip install -r requirements.txt && ", "")
            for name, command in (("netlify", netlify), ("cloudflare", cloudflare))}


@pytest.mark.parametrize("host, production, preview", [
    ("netlify", {"CONTEXT": "production"},
     {"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": "https://pr-7--e.netlify.app"}),
    ("cloudflare", {"CF_PAGES_BRANCH": "main"}, {"CF_PAGES_BRANCH": "fix", "CF_PAGES_URL": "https://ab12.e.pages.dev"}),
])
def test_the_readmes_host_recipes_build_into_the_folder_they_publish(site, tmp_path: Path, host: str,
                                                                      production: dict, preview: dict) -> None:
    """The host publishes ``output``: whatever ``output_dir`` says, the recipe builds there; a preview build
    is for the preview's own address."""
    import os
    import subprocess
    import sys
    from tests.conftest import CONFIG, REPO
    root = site({"posts/essay.md": post("Essay")}, config='output_dir = "_site"\n' + CONFIG)
    command = _readme_recipes()[host]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PYTHONPATH": str(REPO)}
    for extra, address in ((production, "https://example.org/essays/"), (preview, next(
            (v for k, v in preview.items() if k.endswith("URL")), ""))):
        done = subprocess.run(["bash", "-c", command], cwd=root, env={**env, **extra}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        sitemap = (root / "output" / "sitemap.xml").read_text(encoding="utf-8")
        assert address.rstrip("/") in sitemap, (extra, sitemap[:300])

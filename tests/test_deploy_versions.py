"""A deploy never takes a published version off the live site: a post put back to before a `revise` (git
checkout, git clean), with `output/` gone so that the build cannot see it, is refused at every kind of
target, before anything is sent."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import EPOCH, post, run_cli, write_site

pytestmark = pytest.mark.slow


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=a", "-c", "user.email=a@example.org", *args],
                   check=True, capture_output=True)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--site", str(root), *args, env=EPOCH)


def published_in_git(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A site in git whose one post, Towpath, was published on November 1 and committed (with ``files``)."""
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true"),
                                          **(files or {})})
    git(root, "init", "-q")
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "published")
    return root


def a_target(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """The folder a deploy of ``kind`` (``dir``, ``rsync``, ``git``) fills, and its ``--to``: an rsync target is a
    folder that exists (rsync makes the last folder only; ``dir:`` makes its own link), a git one a bare
    repository beside it (the folder then unused)."""
    live = tmp_path / "www"
    if kind == "rsync":
        live.mkdir()
    if kind == "git":
        subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "pages.git")], check=True)
    return live, {"dir": f"dir:{live}", "rsync": f"rsync:{live}/", "git": f"git:{tmp_path / 'pages.git'}#gh-pages"}[kind]


def revised_then_undone(tmp_path: Path, target: str) -> Path:
    """Published, deployed; revised, deployed (v2 is live); then git takes the post back to version 1."""
    root = published_in_git(tmp_path)
    assert cli(root, "deploy", "--to", target).returncode == 0
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.").returncode == 0
    done = cli(root, "deploy", "--to", target)
    assert done.returncode == 0, done.stderr
    git(root, "checkout", "-q", "--", "posts")
    git(root, "clean", "-qfd", "posts")
    shutil.rmtree(root / "output", ignore_errors=True)
    return root


def refused(root: Path, target: str) -> None:
    for args in (("deploy", "--to", target, "--dry-run"), ("deploy", "--to", target)):
        done = cli(root, *args)
        assert done.returncode == 1, done.stderr
        assert "posts/towpath.md: the target publishes version 2 (/essays/towpath/v2/), which the post no longer has" \
            in done.stderr and "nothing was sent" in done.stderr


@pytest.mark.parametrize("kind", ["dir", "rsync"])
def test_a_folder_target_keeps_a_version_the_site_lost(tmp_path: Path, kind: str) -> None:
    live, target = a_target(tmp_path, kind)
    root = revised_then_undone(tmp_path, target)
    before = (live / "towpath/v2/index.html").read_bytes()
    refused(root, target)
    assert (live / "towpath/v2/index.html").read_bytes() == before


def test_a_git_target_keeps_a_version_the_site_lost(tmp_path: Path) -> None:
    remote = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    root = revised_then_undone(tmp_path, f"git:{remote}#gh-pages")
    tip = subprocess.run(["git", "-C", str(remote), "rev-parse", "gh-pages"], capture_output=True, text=True).stdout
    refused(root, f"git:{remote}#gh-pages")
    assert subprocess.run(["git", "-C", str(remote), "rev-parse", "gh-pages"], capture_output=True,
                          text=True).stdout == tip


def test_a_deleted_post_may_still_leave_the_target(tmp_path: Path) -> None:
    """Deleting a post (and its versions) is the author's call, which the build warns of: deploy goes on."""
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true"),
                                          "posts/other.md": post("Other", "2026-11-02T09:00:00")})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    (root / "posts/towpath.md").unlink()
    shutil.rmtree(root / "posts/towpath.versions")
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert not (live / "towpath").exists()
    assert "deploy: warning: takes off the target 1 version page (/essays/towpath/v1/) of posts no longer in the site: " \
           "a deleted post's permanent addresses are gone" in done.stderr


def test_a_post_taken_down_is_said_so_when_its_version_pages_leave_the_target(tmp_path: Path) -> None:
    """``draft: true`` on a published post: the deploy tells that its pages go because it was taken down, and
    how to put it back; before, it called the post deleted and advised ``draft: true``."""
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "2026-11-01T09:00:00", body="Runs."),
                                          "posts/other.md": post("Other", "2026-11-02T09:00:00")})
    assert cli(root, "publish", "posts/towpath.md").returncode == 0
    path = root / "posts/towpath.md"  # moved once: its old address sends readers on from its version page
    path.write_text(path.read_text().replace("title:", "slug: the-towpath\ntitle:"))
    assert cli(root, "revise", "posts/towpath.md", "--minor", "--note", "Moved.").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    path.write_text(path.read_text().replace("title:", "draft: true\ntitle:"))
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert ("deploy: warning: takes off the target 3 version pages (/essays/the-towpath/v1/, /essays/the-towpath/v2/, "
            "/essays/towpath/v1/) of posts taken down with `draft: true` (posts/towpath.md): `feuilleton publish` puts "
            "one back with its versions") in done.stderr
    assert "deleted" not in done.stderr


def test_parts_renumbered_keep_their_addresses_and_a_new_part_may_stand_where_a_deleted_one_stood(
        tmp_path: Path) -> None:
    """Two parts swapped by renaming their files would each take the other's version pages, addresses feeds
    gave out: build and deploy refuse, and the way they advise (``part:`` swapped, the files left) builds and
    deploys with every version where it was.  A part deleted for good may leave its address to a new one."""
    root = write_site(tmp_path / "site", {"posts/ser/series.toml": 'title = "Ser"\n',
                                          **{f"posts/ser/part-{n}.md": post(f"Title {n}", "", body="Text.", part=n,
                                                                            draft="true") for n in (1, 2)}})
    target = f"dir:{tmp_path / 'www'}"
    for n in (1, 2):
        assert cli(root, "publish", f"posts/ser/part-{n}.md", "--at", f"2026-11-0{n}T09:00").returncode == 0
    first = root / "posts/ser/part-1.md"
    for word in ("a", "b"):
        first.write_text(first.read_text().replace("Text", f"Text {word}"))
        assert cli(root, "revise", str(first), "--note", f"Edit {word}.").returncode == 0
    assert cli(root, "build").returncode == 0 and cli(root, "deploy", "--to", target).returncode == 0
    folder = root / "posts/ser"
    swaps = (("part-1", "x"), ("part-2", "part-1"), ("x", "part-2"))
    for a, b in swaps:
        (folder / f"{a}.md").rename(folder / f"{b}.md")
        (folder / f"{a}.versions").rename(folder / f"{b}.versions")
    for args in (("build",), ("deploy", "--to", target)):
        done = cli(root, *args)
        assert done.returncode == 1 and "to renumber a series' parts, change `part:` in each file" in done.stderr
    for a, b in swaps:  # put back, and renumbered as the message says
        (folder / f"{a}.md").rename(folder / f"{b}.md")
        (folder / f"{a}.versions").rename(folder / f"{b}.versions")
    for name, number in (("part-1", 1), ("part-2", 2)):
        path = folder / f"{name}.md"
        path.write_text(path.read_text().replace(f"part: {number}", f"part: {3 - number}"))
    for args in (("build",), ("deploy", "--to", target)):
        done = cli(root, *args)
        assert done.returncode == 0, done.stderr
    assert "Text b" in (tmp_path / "www/ser/part-1/v3/index.html").read_text()  # where feeds sent readers
    # the part at part-2 is deleted for good, and a new part written where it stood
    (folder / "part-2.md").unlink()
    shutil.rmtree(folder / "part-2.versions")
    refused = cli(root, "build")
    assert refused.returncode == 1, refused.stderr
    assert "/ser/part-2/ is gone" in refused.stderr
    shutil.rmtree(root / "output")  # as the message says, to delete it for good
    (folder / "part-2.md").write_text(post("A new part 1", "", body="New.", part=1, draft="true"))
    done = cli(root, "publish", "posts/ser/part-2.md", "--at", "2026-11-20T09:00")
    assert done.returncode == 0, done.stderr
    for args in (("build",), ("deploy", "--to", target)):
        done = cli(root, *args)
        assert done.returncode == 0, done.stderr


def test_a_version_recorded_with_a_move_and_undone_by_git_is_kept_by_deploy_and_build(tmp_path: Path) -> None:
    """The revise that recorded version 2 also moved the post (``slug: towpath-walk``); git then put the post
    back to before it.  Its version 2, at the address it moved to, was taken off by a deploy-only site's deploy
    (which called the post deleted) and by the build: no check looked beyond where the post is now."""
    live = tmp_path / "www"
    root = published_in_git(tmp_path)
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on").replace("title:", "slug: towpath-walk\ntitle:"))
    assert cli(root, "revise", str(path), "--note", "On, and moved.").returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "moved")

    def undo() -> None:  # the work tree as it was before the revise (its version file was not yet there)
        git(root, "checkout", "-q", "HEAD~1", "--", "posts")
        (root / "posts/towpath.versions/v2.md").unlink()
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0  # a site only ever deployed: no output/
    undo()
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 1 and ("the target publishes version 2 (/essays/towpath-walk/v2/), which the post no "
                                     "longer has") in done.stderr, done.stderr
    assert (live / "towpath-walk/v2/index.html").is_file()
    git(root, "checkout", "-q", "HEAD", "--", "posts")
    assert cli(root, "build").returncode == 0
    undo()
    built = cli(root, "build")
    assert built.returncode == 1 and built.stderr.startswith(
        "posts/towpath.md: version 2 was published (the last build wrote /towpath-walk/v2/), but "
        "towpath.versions/v2.md is gone"), built.stderr


@pytest.mark.parametrize("kind", ["dir", "rsync"])
def test_a_lost_version_recorded_again_under_its_number_is_not_sent_over_the_published_one(
        tmp_path: Path, kind: str) -> None:
    """The author lost the published v2's file (git checkout, git clean) and revised again, which recorded
    another v2: the deploy sent it over the published /towpath/v2/ (its text and note) and its feed entry,
    without a word, as it compared version numbers only."""
    live, target = a_target(tmp_path, kind)
    root = revised_then_undone(tmp_path, target)
    before = (live / "towpath/v2/index.html").read_bytes()
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs far"))
    assert cli(root, "revise", str(path), "--note", "Far.").returncode == 0
    for args in (("deploy", "--to", target, "--dry-run"), ("deploy", "--to", target)):
        done = cli(root, *args)
        assert done.returncode == 1, done.stderr
        assert ("posts/towpath.md: the target publishes version 2 (/essays/towpath/v2/) with another text than the "
                "version 2 this post now has") in done.stderr and "nothing was sent" in done.stderr
    assert (live / "towpath/v2/index.html").read_bytes() == before


def test_a_deleted_posts_address_given_to_a_new_post_is_said_when_its_version_pages_change(tmp_path: Path) -> None:
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true")})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    (root / "posts/towpath.md").write_text(post("A new towpath", "", body="Another essay.", draft="true"))
    shutil.rmtree(root / "posts/towpath.versions")
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-05T09:00").returncode == 0
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert ("deploy: warning: gives 1 version page of posts no longer in the site to new posts at their addresses "
            "(/essays/towpath/v1/): a deleted post's permanent addresses now show another text") in done.stderr


def test_a_version_page_out_there_is_told_from_another_text_under_its_number(tmp_path: Path) -> None:
    """What a build into ``output/`` asks: which version pages there showed another text than the post's
    version under that number now, and whether they were this post's; from the cache, without reading a page it
    knows, else from the page's marker."""
    from engine.site.checks import replaced_versions
    from engine.speed.kept import version_owners, version_texts
    from tests.conftest import build_model

    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true")})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    site, _ = build_model(root)
    texts, owners = version_texts(site), version_owners(site)

    def unread(path: str) -> bytes:
        raise AssertionError(f"{path} was read, though the cache knows what it shows")
    assert replaced_versions(site, texts, owners, lambda path: True, unread) == []  # the same texts: nothing replaced
    other = {path: "another text" for path in texts}
    (found,) = replaced_versions(site, other, owners, lambda path: True, unread)
    assert found[1:] == (1, "towpath/v1/", True)
    (found,) = replaced_versions(site, other, dict.fromkeys(owners, "urn:uuid:a deleted post"), lambda path: True,
                                 unread)
    assert found[1:] == (1, "towpath/v1/", False)
    assert replaced_versions(site, other, owners, lambda path: False, unread) == []  # not out there: nothing to change
    (post_,) = site.posts.values()
    said = {path: f'<!DOCTYPE html>\n<!--feuilleton-version="{digest} {post_.entry_id}"-->'.encode()
            for path, digest in texts.items()}
    assert replaced_versions(site, {}, {}, lambda path: True, said.get) == []  # no cache: the page says so
    marked = b'<!--feuilleton-version="ab12 urn:x"-->'
    (found,) = replaced_versions(site, {}, {}, lambda path: True, lambda path: marked)
    assert found[1:] == (1, "towpath/v1/", False)


@pytest.mark.parametrize("kind", ["dir", "rsync"])
def test_another_sites_target_is_left_alone(tmp_path: Path, kind: str) -> None:
    """Site B pointed at site A's target (a config.toml copied, a --to mistyped) took every post and version of
    A off it with the warning a deleted post gets, and said "Deployed"; with rsync nothing of A was left."""
    live, target = a_target(tmp_path, kind)
    a = write_site(tmp_path / "a", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true")})
    assert cli(a, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    assert cli(a, "deploy", "--to", target).returncode == 0
    before = (live / "towpath/v1/index.html").read_bytes()
    b = write_site(tmp_path / "b", {"posts/weir.md": post("Weir", "", body="It holds.", draft="true")})
    config = b / "config.toml"
    config.write_text(config.read_text().replace("https://example.org/essays/", "https://b.example.net/"))
    assert cli(b, "publish", "posts/weir.md", "--at", "2026-11-02T09:00").returncode == 0
    for args in (("deploy", "--to", target, "--dry-run"), ("deploy", "--to", target)):
        done = cli(b, *args)
        assert done.returncode == 1, done.stderr
        assert ("deploy: the target holds another site (https://example.org/): it publishes 1 version page "
                "(/towpath/v1/), and this site none of its versions") in done.stderr, done.stderr
    assert (live / "towpath/v1/index.html").read_bytes() == before and not (live / "weir").exists()


@pytest.mark.parametrize("kind", ["dir", "rsync", "git"])
def test_the_published_versions_text_is_read_from_the_target_not_only_remembered(tmp_path: Path, kind: str) -> None:
    """The check went by what this checkout's cache remembered sending: after `git clean -fdx` (the cache with
    it), from another clone, or with the target written another way, the v2 recorded again went out over the
    published one.  A version page now carries what it shows, and the deploy reads it on the target."""
    live, target = a_target(tmp_path, kind)
    root = revised_then_undone(tmp_path, target)
    shutil.rmtree(root / ".feuilleton-cache")
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs far"))
    assert cli(root, "revise", str(path), "--note", "Far.").returncode == 0
    done = cli(root, "deploy", "--to", target)
    assert done.returncode == 1, done.stderr
    assert ("posts/towpath.md: the target publishes version 2 (/essays/towpath/v2/) with another text than the "
            "version 2 this post now has") in done.stderr


def test_a_site_whose_every_post_was_replaced_deploys_from_a_fresh_clone(tmp_path: Path) -> None:
    """Its own target, which a clone's cache knows nothing of, was taken for another site's and refused; the
    target's sitemap names this site."""
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true")})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    (root / "posts/towpath.md").unlink()
    shutil.rmtree(root / "posts/towpath.versions")
    shutil.rmtree(root / ".feuilleton-cache")
    (root / "posts/weir.md").write_text(post("Weir", "", body="It holds.", draft="true"))
    assert cli(root, "publish", "posts/weir.md", "--at", "2026-11-02T09:00").returncode == 0
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert "takes off the target 1 version page (/essays/towpath/v1/) of posts no longer in the site" in done.stderr


def test_another_site_sharing_a_post_address_is_left_alone(tmp_path: Path) -> None:
    """Both have /about/: the other site's versions there would have been replaced, and the deploy said nothing."""
    live = tmp_path / "www"
    a = write_site(tmp_path / "a", {"posts/about.md": post("About A", "", body="Text A.", draft="true")})
    assert cli(a, "publish", "posts/about.md", "--at", "2026-11-01T09:00").returncode == 0
    assert cli(a, "deploy", "--to", f"dir:{live}").returncode == 0
    c = write_site(tmp_path / "c", {"posts/about.md": post("About C", "", body="Text C.", draft="true")})
    config = c / "config.toml"
    config.write_text(config.read_text().replace("https://example.org/essays/", "https://c.example.net/"))
    assert cli(c, "publish", "posts/about.md", "--at", "2026-11-02T09:00").returncode == 0
    done = cli(c, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 1 and "the target holds another site (https://example.org/), whose version pages " \
        "/about/v1/ this one would take" in done.stderr, done.stderr
    assert "Text A." in (live / "about/v1/index.html").read_text()


def test_a_new_post_at_a_deleted_posts_address_deploys_from_a_fresh_clone(tmp_path: Path) -> None:
    """The deleted post had two versions, the new one has one: from a clone (no cache) the deploy took the
    deleted post's /v2/ for one the new post had lost, and said to restore its version file."""
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true"),
                                          "posts/other.md": post("Other", "", body="Other.", draft="true")})
    assert cli(root, "publish", "posts/other.md", "--at", "2026-10-30T09:00").returncode == 0
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    path.write_text(post("A new towpath", "", body="Another essay.", draft="true"))
    shutil.rmtree(root / "posts/towpath.versions")
    shutil.rmtree(root / ".feuilleton-cache")
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-05T09:00").returncode == 0
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert "takes off the target 1 version page (/essays/towpath/v2/) of posts no longer in the site" in done.stderr
    assert "gives 1 version page of posts no longer in the site to new posts at their addresses " \
        "(/essays/towpath/v1/)" in done.stderr


def test_a_version_recorded_again_is_refused_when_the_post_moved_meanwhile(tmp_path: Path) -> None:
    """The lost v2 recorded again, and a slug given in the same deploy: the published /towpath/v2/ became a
    redirect to the new, different v2, with only the note to record the move."""
    live = tmp_path / "www"
    root = revised_then_undone(tmp_path, f"dir:{live}")
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs far"))
    assert cli(root, "revise", str(path), "--note", "Far.").returncode == 0
    path.write_text(path.read_text().replace("title:", "slug: the-towpath\ntitle:", 1))
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 1 and "the target publishes version 2 (/essays/towpath/v2/) with another text" \
        in done.stderr, done.stderr
    assert "runs on" in (live / "towpath/v2/index.html").read_text()


def test_a_sites_own_version_template_still_marks_what_its_pages_show(tmp_path: Path) -> None:
    """A ``templates/version.html`` of the site's own (copied before the marker, or a banner restyled) left it
    out, and from a fresh clone a version recorded again went out over the published one."""
    from engine.output.render import THEME
    live = tmp_path / "www"
    own = (THEME / "version.html").read_text().replace("old-version-banner", "old-version-banner mine")
    root = published_in_git(tmp_path, {"templates/version.html": own})
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    page = (live / "towpath/v1/index.html").read_text()
    assert page.splitlines()[1].startswith("<!--feuilleton-version=")  # written by the build, not the template
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    path = clone / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs far"))
    assert cli(clone, "revise", str(path), "--note", "Far.").returncode == 0
    done = cli(clone, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 1 and "the target publishes version 2 (/essays/towpath/v2/) with another text" \
        in done.stderr, done.stderr


_MARK_LINE = re.compile(rb"<!--feuilleton-version=[^\n]*-->\n")


def written_before_marks(folder: Path) -> None:
    """Every version page under ``folder`` as a Feuilleton older than the marker wrote it: the same page, without
    the line that says what it shows (its banner is the theme's, as it was)."""
    for page in folder.rglob("v*/index.html"):
        page.write_bytes(_MARK_LINE.sub(b"", page.read_bytes(), count=1))


def recorded_again_after_an_upgrade(tmp_path: Path, target: str) -> Path:
    """v2 published and deployed by a Feuilleton that marked no pages (``output/``, the target, and a cache that
    knew no texts); then the v2 file lost and another v2 recorded, a day later."""
    root = published_in_git(tmp_path)
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.", "--at", "2026-11-02T09:00").returncode == 0
    assert cli(root, "build").returncode == 0
    assert cli(root, "deploy", "--to", target).returncode == 0
    for folder in (root / "output", tmp_path / "www"):
        written_before_marks(folder)
    shutil.rmtree(root / ".feuilleton-cache")
    git(root, "checkout", "-q", "--", "posts")
    git(root, "clean", "-qfd", "posts")
    (root / "output").rename(tmp_path / "aside")  # on another clone, which has no output/ to tell
    path.write_text(path.read_text().replace("runs", "runs far"))
    assert cli(root, "revise", str(path), "--note", "Far.", "--at", "2026-11-03T09:00").returncode == 0
    (tmp_path / "aside").rename(root / "output")
    return root


@pytest.mark.parametrize("kind", ["dir", "rsync", "git"])
def test_a_version_recorded_again_over_a_page_written_before_marks_is_refused(tmp_path: Path, kind: str) -> None:
    """After an upgrade, pages an earlier Feuilleton wrote carry no mark, and its cache knew no texts: the first
    build wrote the new v2 over the published one in ``output/``, and the first deploy sent it out, without a
    word.  The page's banner says the date of the version it shows; a version recorded again has another."""
    live, target = a_target(tmp_path, kind)
    root = recorded_again_after_an_upgrade(tmp_path, target)
    before = (root / "output/towpath/v2/index.html").read_bytes()
    done = cli(root, "build")
    assert done.returncode == 1, done.stderr
    assert "posts/towpath.md: the last build published version 2 (/towpath/v2/) with another text than the " \
        "version 2 this post now has" in done.stderr
    assert (root / "output/towpath/v2/index.html").read_bytes() == before
    shutil.rmtree(root / "output")  # a fresh clone, or CI: only the target knows
    done = cli(root, "deploy", "--to", target)
    assert done.returncode == 1, done.stderr
    assert "posts/towpath.md: the target publishes version 2 (/essays/towpath/v2/) with another text than the " \
        "version 2 this post now has" in done.stderr and "nothing was sent" in done.stderr
    if kind != "git":
        assert "runs on" in (live / "towpath/v2/index.html").read_text()


def test_pages_written_before_marks_build_and_deploy_when_no_version_changed(tmp_path: Path) -> None:
    """The upgrade itself: every version page changes (it gains its mark), none is another version."""
    live = tmp_path / "www"
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true")})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.", "--at", "2026-11-02T09:00").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    for folder in (root / "output", live):
        written_before_marks(folder)
    shutil.rmtree(root / ".feuilleton-cache")
    config = root / "config.toml"  # and the site's zone changed meanwhile: each page's date is written anew
    config.write_text(config.read_text().replace('timezone = "', 'timezone = "Asia/Tokyo"\n# was "', 1))
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr
    assert (live / "towpath/v1/index.html").read_text().splitlines()[1].startswith("<!--feuilleton-version=")


def test_a_page_without_a_mark_is_read_by_its_banners_date() -> None:
    from engine.site.checks import banner_date, dated_otherwise

    class Recorded:
        def __init__(self, date: datetime) -> None:
            self.date = date
    page = (b'<!DOCTYPE html>\n<html><body><nav><time datetime="2020-01-01T00:00:00+00:00">x</time></nav>'
            b'<div class="old-version-banner" role="note">\n<p>Of <time datetime="2026-11-02T09:00:00-05:00">'
            b'November 2</time></p></div></body></html>')
    eastern = timezone(timedelta(hours=-5))
    assert banner_date(page) == datetime(2026, 11, 2, 9, tzinfo=eastern)
    assert not dated_otherwise(page, Recorded(datetime(2026, 11, 2, 14, 0, 0, 250, tzinfo=timezone.utc)))
    assert dated_otherwise(page, Recorded(datetime(2026, 11, 3, 9, tzinfo=eastern)))
    midnight = page.replace(b"09:00:00-05:00", b"00:00:00-05:00")  # a day without a time, the zone changed since
    assert not dated_otherwise(midnight, Recorded(datetime(2026, 11, 2, tzinfo=timezone(timedelta(hours=9)))))
    assert dated_otherwise(midnight, Recorded(datetime(2026, 11, 3, tzinfo=timezone(timedelta(hours=9)))))
    for unknown in (b"<html>no banner</html>", page.replace(b"-05:00", b""), page.replace(b"2026-11", b"2026-13"),
                    None):
        assert not dated_otherwise(unknown, Recorded(datetime(2026, 11, 3, 9, tzinfo=eastern)))
    # a banner that shows another date first (the post's), and the version's after: the version's is the page's
    first = page.replace(b'<p>Of <time', b'<p>First published <time datetime="2026-10-01T09:00:00-05:00">'
                         b'October 1</time>. Of <time')
    assert banner_date(first) == datetime(2026, 10, 1, 9, tzinfo=eastern)
    assert not dated_otherwise(first, Recorded(datetime(2026, 11, 2, 9, tzinfo=eastern)))
    assert dated_otherwise(first, Recorded(datetime(2026, 11, 3, 9, tzinfo=eastern)))


def test_a_sites_own_version_template_is_not_read_for_dates_on_pages_written_before_marks(tmp_path: Path) -> None:
    """Its banner may show another date first, or none: an upgrade with nothing lost was refused for good (the
    unmarked pages were never replaced); only the cache tells then."""
    from engine.output.render import THEME
    live = tmp_path / "www"
    own = (THEME / "version.html").read_text().replace(
        '<div class="old-version-banner" role="note">',
        '<div class="old-version-banner" role="note"><p>Since <time datetime="{{ post.date|iso }}">then</time></p>'
        '<p>Of <time datetime="2000-01-01T00:00:00+00:00">a day no version has</time></p>', 1)
    assert own != (THEME / "version.html").read_text()
    root = write_site(tmp_path / "site", {"posts/towpath.md": post("Towpath", "", body="It runs.", draft="true"),
                                          "templates/version.html": own})
    assert cli(root, "publish", "posts/towpath.md", "--at", "2026-11-01T09:00").returncode == 0
    path = root / "posts/towpath.md"
    path.write_text(path.read_text().replace("runs", "runs on"))
    assert cli(root, "revise", str(path), "--note", "On.", "--at", "2026-11-02T09:00").returncode == 0
    assert cli(root, "build").returncode == 0
    assert cli(root, "deploy", "--to", f"dir:{live}").returncode == 0
    for folder in (root / "output", live):
        written_before_marks(folder)
    from engine.site.checks import theme_banner
    from tests.conftest import build_model
    assert not theme_banner(build_model(root)[0])
    shutil.rmtree(root / ".feuilleton-cache")
    done = cli(root, "build")
    assert done.returncode == 0, done.stderr
    shutil.rmtree(root / ".feuilleton-cache")
    done = cli(root, "deploy", "--to", f"dir:{live}")
    assert done.returncode == 0, done.stderr

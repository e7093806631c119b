"""``publish`` and ``revise`` as an author runs them: nothing is recorded that a build would stop at, a
post's feed id survives a rename, and a post is found where ``new`` said it is."""
from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from conftest import EPOCH, assert_user_error, post, published_series, run_cli, snapshot

BROKEN = {
    "unclosed raw HTML": lambda text: text + "\n<div>\n",
    "part 0": lambda text: text.replace("part: 2", "part: 0"),
    "empty title": lambda text: text.replace('title: "The Statutes"', 'title: ""'),
}


@pytest.mark.slow
@pytest.mark.parametrize("mistake", BROKEN)
def test_revise_records_nothing_a_build_would_stop_at(site, mistake):
    root = published_series(site)
    path = root / "posts/cities/part-2.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(BROKEN[mistake](good), encoding="utf-8")
    before = snapshot(root)
    checked = run_cli("check", cwd=root, env=EPOCH)
    assert_user_error(checked)

    done = run_cli("revise", "posts/cities/part-2.md", "--note", "y", cwd=root, env=EPOCH)
    assert_user_error(done)
    errors = [line for line in checked.stderr.splitlines() if ": warning: " not in line]
    assert errors and set(errors) <= set(done.stderr.splitlines()), (checked.stderr, done.stderr)
    assert "posts/cities/part-2.md: nothing was recorded" in done.stderr
    assert done.stdout == ""
    assert snapshot(root) == before  # no version recorded, no file changed

    path.write_text(good.replace("two paragraphs", "three paragraphs"), encoding="utf-8")
    fixed = run_cli("revise", "posts/cities/part-2.md", "--note", "Corrected.", cwd=root, env=EPOCH)
    assert fixed.returncode == 0, fixed.stderr
    assert "recorded version 2" in fixed.stdout
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0, built.stderr


def test_publish_records_nothing_a_build_would_stop_at(site):
    root = site({"posts/essay.md": "---\ntitle: Essay\ndraft: true\n---\n\nText <div class=x>\n"})
    before = snapshot(root)
    done = run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert "posts/essay.md:6: raw HTML: <div> is never closed (</p> comes first)" in done.stderr.splitlines()
    assert snapshot(root) == before


@pytest.mark.slow
def test_warnings_are_shown_but_do_not_stop_revise(site):
    root = published_series(site)
    path = root / "posts/cities/part-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("two paragraphs", "two, as [Part 7](part:7) shows"),
                    encoding="utf-8")
    done = run_cli("revise", "posts/cities/part-2.md", "--note", "Update.", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "posts/cities/part-2.md:11: warning: `part:7` refers to a part" in done.stderr
    assert "recorded version 2" in done.stdout


def entry_ids(root: Path) -> list[str]:
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0, built.stderr
    return sorted(entry.id for entry in feedparser.parse(str(root / "output/atom.xml")).entries)


@pytest.mark.slow
def test_a_revised_posts_feed_ids_survive_renaming_its_file(site):
    root = site({"posts/essay.md": post("Essay", body="The original essay.")})  # public, never recorded, no id
    (original,) = entry_ids(root)
    done = run_cli("revise", "posts/essay.md", "--note", "Update: a new case.", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert f"\nid: {original}\n" in (root / "posts/essay.md").read_text(encoding="utf-8")
    ids = entry_ids(root)
    assert original in ids and len(ids) == 2  # the post and its update

    (root / "posts/essay.md").rename(root / "posts/renamed.md")
    (root / "posts/essay.versions").rename(root / "posts/renamed.versions")
    assert entry_ids(root) == ids


@pytest.mark.slow
def test_the_path_new_prints_works_from_anywhere(site, tmp_path):
    root = site({})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    made = run_cli("--site", str(root), "new", "Remote Post", cwd=elsewhere)
    assert made.returncode == 0, made.stderr
    printed = made.stdout.strip()
    assert printed == "posts/remote-post.md"

    published = run_cli("--site", str(root), "publish", printed, cwd=elsewhere, env=EPOCH)
    assert published.returncode == 0, published.stderr
    assert "posts/remote-post.md: recorded version 1" in published.stdout
    path = root / printed
    path.write_text(path.read_text(encoding="utf-8").replace("Write here.", "Written."), encoding="utf-8")
    revised = run_cli("--site", str(root), "revise", printed, "--note", "Done.", cwd=elsewhere, env=EPOCH)
    assert revised.returncode == 0, revised.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("Written.", "Written again."), encoding="utf-8")
    here = run_cli("revise", printed, "--note", "Again.", cwd=root, env=EPOCH)  # and from the site folder
    assert here.returncode == 0, here.stderr
    assert sorted(p.name for p in (root / "posts/remote-post.versions").iterdir()) == ["v1.md", "v2.md", "v3.md"]
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_a_file_outside_the_posts_is_refused(site, tmp_path):
    root = site({"posts/essay.md": post("Essay")})
    stray = tmp_path / "stray.md"
    stray.write_text(post("Stray"), encoding="utf-8")
    for target in (str(stray), "posts/nowhere.md", "config.toml"):
        done = run_cli("--site", str(root), "publish", target, cwd=tmp_path, env=EPOCH)
        assert_user_error(done)
        assert done.stderr.startswith(f"{target}: "), done.stderr
    assert stray.read_text(encoding="utf-8") == post("Stray")
    assert not (tmp_path / "stray.versions").exists()


def test_a_notes_indent_is_kept_as_the_author_wrote_it(site, tmp_path):
    root = published_series(site)
    path = root / "posts/cities/part-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("two paragraphs", "three paragraphs"), encoding="utf-8")
    note = tmp_path / "note.md"
    note.write_text("\n\n    $ feuilleton build --drafts\n\nThe command above now works.  \n\n\n", encoding="utf-8")
    done = run_cli("revise", "posts/cities/part-2.md", "--note-file", str(note), cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0, built.stderr
    page = (root / "output/cities/part-2/index.html").read_text(encoding="utf-8")
    assert "<pre><code>$ feuilleton build --drafts\n</code></pre>" in page  # a code block, as written
    assert "–drafts" not in page


@pytest.mark.parametrize("revised", [False, True])
def test_a_post_renamed_without_its_versions_is_never_published_anew(site, revised):
    """``mv part-2.md statutes.md`` leaves ``part-2.versions/`` behind: publishing the renamed file would have
    started a second history and put the published versions off the site."""
    root = published_series(site)
    if revised:
        path = root / "posts/cities/part-2.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nA third paragraph.\n", encoding="utf-8")
        assert run_cli("revise", "posts/cities/part-2.md", "--note", "Added a paragraph.", cwd=root,
                       env=EPOCH).returncode == 0
    (root / "posts/cities/part-2.md").rename(root / "posts/cities/statutes.md")
    advice = ("if this post was renamed from part-2.md, rename part-2.versions/ to statutes.versions/ with it, "
              "which keeps its published versions")
    built = run_cli("build", cwd=root, env=EPOCH)
    assert_user_error(built)
    assert advice in built.stderr and "run it again: feuilleton publish" not in built.stderr
    before = snapshot(root)
    done = run_cli("publish", "posts/cities/statutes.md", cwd=root, env=EPOCH)
    assert_user_error(done)
    assert advice in done.stderr and "publish records nothing over a post's published versions" in done.stderr
    assert snapshot(root) == before
    (root / "posts/cities/part-2.versions").rename(root / "posts/cities/statutes.versions")
    again = run_cli("build", cwd=root, env=EPOCH)
    assert again.returncode == 0, again.stderr
    assert (root / "output/cities/statutes/v1/index.html").is_file()
    redirects = (root / "output/_redirects").read_text(encoding="utf-8")
    assert "/essays/cities/part-2/ /essays/cities/statutes/ 301" in redirects


def test_reverting_to_a_saved_copy_is_recorded_without_a_stale_warning(site):
    """The author put back a copy saved before version 2 (it says ``version: 1``) and revised: the revise
    sets ``version: 3``, so telling them to set ``version: 2`` there would break the next build."""
    root = site({"posts/essay.md": post("Essay", body="The river is common.")})
    path = root / "posts/essay.md"
    assert run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH).returncode == 0
    saved = path.read_text()
    path.write_text(saved.replace("common", "private"))
    assert run_cli("revise", "posts/essay.md", "--note", "Ruled.", cwd=root, env=EPOCH).returncode == 0
    path.write_text(saved)
    done = run_cli("revise", "posts/essay.md", "--note", "Reverted.", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    assert "version: 3\n" in path.read_text()
    path.write_text(saved)  # put back again: a build says what it is, and what to do
    built = run_cli("build", cwd=root, env=EPOCH)
    assert ("or an older copy of the file was put back): set `version: 3` here, or let the next `revise` set it"
            in built.stderr), built.stderr


def test_publishing_for_a_later_day_says_it_is_scheduled_not_published(site):
    root = site({"posts/later.md": post("Later", "", body="Coming.", draft="true")})
    done = run_cli("publish", "posts/later.md", "--at", "2099-01-15T09:00", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "posts/later.md: scheduled for 2099-01-15T09:00:00-05:00: it goes out with the first build after that" \
        in done.stdout + done.stderr and "published" not in done.stdout + done.stderr


def test_two_posts_with_no_date_are_published_one_after_the_other_as_the_error_at_each_says(site):
    """The author took ``draft: true`` out of two posts.  The error at each says to run ``publish``; before,
    each post's missing date stopped the ``publish`` of the other, and the author was left to edit by hand."""
    root = site({"posts/a.md": '---\ntitle: "A"\n---\n\nText A.\n', "posts/b.md": '---\ntitle: "B"\n---\n\nText B.\n'})
    b_before = (root / "posts/b.md").read_bytes()
    stopped = run_cli("build", cwd=root, env=EPOCH)
    assert stopped.returncode == 1 and "posts/b.md:1: missing `date`" in stopped.stderr, stopped.stderr
    first = run_cli("publish", "posts/a.md", cwd=root, env=EPOCH)
    assert first.returncode == 0, first.stderr
    assert "posts/b.md:1: warning: has no `date` either, and stops a build until it is published too " \
           "(`feuilleton publish posts/b.md`) or marked `draft: true`" in first.stderr, first.stderr
    assert (root / "posts/a.versions/v1.md").is_file() and (root / "posts/b.md").read_bytes() == b_before
    still = run_cli("build", cwd=root, env=EPOCH)
    assert still.returncode == 1 and "posts/b.md:1: missing `date`" in still.stderr  # held back for publish alone
    second = run_cli("publish", "posts/b.md", cwd=root, env=EPOCH)
    assert second.returncode == 0 and "warning" not in second.stderr, second.stderr
    built = run_cli("build", cwd=root)  # ``publish`` dates a post by the machine's clock
    assert built.returncode == 0, built.stderr
    assert "Text A." in (root / "output/a/index.html").read_text() and (root / "output/b/v1/index.html").is_file()


def test_publish_and_revise_work_when_posts_is_a_link_and_refuse_one_out_of_the_site(site, tmp_path):
    """``posts/`` a link to a folder in the site: the build followed it, but ``publish`` and ``revise`` of a
    post with no ``id`` yet stopped with a traceback.  A link out of the site (a Dropbox folder) recorded
    versions there, which no build reads: it is refused before anything is recorded."""
    root = site({})
    (root / "posts").rename(root / "essays")
    (root / "posts").symlink_to("essays")
    (root / "essays/a.md").write_text('---\ntitle: "A"\ndate: 2026-11-01T09:00:00\n---\n\nBody.\n')
    done = run_cli("revise", "posts/a.md", "--note", "First recorded.", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "id: tag:example.org,2026-11-01:a\n" in (root / "essays/a.md").read_text()
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert "tag:example.org,2026-11-01:a" in [e.id for e in feedparser.parse(str(root / "output/atom.xml")).entries]
    (root / "drafts/ser").mkdir(parents=True)  # a series folder that is a link, within the site
    (root / "drafts/ser/series.toml").write_text('title = "S"\n')
    (root / "drafts/ser/part-1.md").write_text('---\ntitle: "P"\ndate: 2026-11-03T09:00:00\npart: 1\n---\n\nText.\n')
    (root / "essays/ser").symlink_to("../drafts/ser")
    part = run_cli("revise", "posts/ser/part-1.md", "--note", "Recorded.", cwd=root, env=EPOCH)
    assert part.returncode == 0 and "Traceback" not in part.stderr, part.stderr
    assert "id: tag:example.org,2026-11-03:ser/part-1\n" in (root / "drafts/ser/part-1.md").read_text()
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0

    synced = tmp_path / "Dropbox"
    (root / "essays/ser").unlink()
    (root / "posts").unlink()
    (root / "essays").rename(synced)
    (root / "posts").symlink_to(synced)
    (synced / "b.md").write_text('---\ntitle: "B"\ndraft: true\n---\n\nBody.\n')
    before = snapshot(synced)
    refused = run_cli("publish", "posts/b.md", cwd=root, env=EPOCH)
    assert refused.returncode == 1 and \
        f"b.md: lies out of the site (its folder leads to {synced})" in refused.stderr, refused.stderr
    assert "nothing was recorded" in refused.stderr and snapshot(synced) == before

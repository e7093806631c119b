"""A site folder in git imported with its history: a real repository made here, with several commits per
post (a draft moved into ``_posts``, a rename, a whitespace-only and a front-matter-only commit, a small
and a large change), imported, built, and each post's archive, version pages and what-changed pages
checked against its commits."""
from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from conftest import EPOCH, run_cli, write_site
from engine.cli import main
from engine.errors import SiteError
from engine.importing.gitlog import walk
from engine.importing.history import changed_words
from engine.importing.hugo import read as hugo_read
from engine.importing.jekyll import read
from engine.importing.lostfiles import fingerprinted
from engine.importing.model import ReadOptions
from engine.importing.pelican import read as pelican_read

pytestmark = pytest.mark.slow  # each test makes a repository of eight commits

PART_1 = "_posts/2016-11-22-sanctuary-cities.md"
HEAD_1 = """---
title: "Sanctuary Cities, Part 1"
date: 2016-11-22 10:00:00 -0500
series: Sanctuary Cities
tags: immigration{extra}
---
"""
TEXT_1 = """Whether a city may refuse to help is an old question. It is asked again now.

It says less than either side claims.
"""
COURTS = ("\nThe courts have said more: commandeering is forbidden, and the circuits have disagreed for twenty "
          "years about what that forbids.\n")


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    done = subprocess.run(["git", "-c", "user.name=A. Writer", "-c", "user.email=a@example.org", *args], cwd=repo,
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], subject: str, when: str, moved: tuple[str, str] | None = None) -> str:
    if moved:
        (repo / moved[1]).parent.mkdir(parents=True, exist_ok=True)
        git(repo, "mv", *moved)
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", subject, when=when)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A Jekyll site in git; returns it and the commit ids by subject."""
    root = tmp_path / "blog"
    root.mkdir()
    git(root, "init", "-q")
    ids = {}
    ids["draft"] = commit(root, {"_config.yml": "permalink: pretty\n",
                                 "_drafts/sanctuary-cities.md": HEAD_1.format(extra="") + TEXT_1.replace(
                                     "old question", "very old question")}, "Draft part 1", "2016-11-20T10:00:00Z")
    ids["publish"] = commit(root, {PART_1: HEAD_1.format(extra="") + TEXT_1}, "Publish part 1",
                            "2016-11-22T16:00:00Z", moved=("_drafts/sanctuary-cities.md", PART_1))
    ids["space"] = commit(root, {PART_1: HEAD_1.format(extra="") + TEXT_1.replace(". It is", ".  It is") + "\n\n"},
                          "Reflow", "2016-11-23T10:00:00Z")
    ids["front"] = commit(root, {PART_1: HEAD_1.format(extra="\nexcerpt: The question.") + TEXT_1.replace(
        ". It is", ".  It is") + "\n\n"}, "Add an excerpt", "2016-11-24T10:00:00Z")
    second = TEXT_1.replace("asked again now.", "asked again now, after the election.")
    ids["typo"] = commit(root, {PART_1: HEAD_1.format(extra="\nexcerpt: The question.") + second},
                         "Say when", "2016-11-25T10:00:00Z")
    ids["other"] = commit(root, {"_posts/2016-11-29-statutes.md": "---\ntitle: The Statutes\n---\nTwo statutes.\n"},
                          "Part 2", "2016-11-29T12:00:00Z")
    renamed = "_posts/2016-11-22-sanctuary-cities-the-question.md"
    ids["courts"] = commit(root, {renamed: HEAD_1.format(extra="\nexcerpt: The question.") + second + COURTS},
                           "Add what the courts said", "2016-12-01T10:00:00Z", moved=(PART_1, renamed))
    ids["statutes"] = commit(root, {"_posts/2016-11-29-statutes.md":
                                    "---\ntitle: The Statutes\n---\nTwo statutes, and neither says enough.\n"},
                             "Sharpen part 2", "2016-12-02T12:00:00Z")
    return root, ids


def test_one_walk_follows_renames_and_skips_what_changes_no_words(repo: tuple[Path, dict[str, str]]) -> None:
    root, ids = repo
    assert [c.subject for c in walk(root)][:2] == ["Sharpen part 2", "Add what the courts said"]
    result = read(root, ReadOptions(minor_below=10))
    first = next(p for p in result.posts if p.source_id.endswith("sanctuary-cities-the-question.md"))
    assert [(r.origin, r.date.isoformat(), r.note, r.minor) for r in first.history] == [
        (f"git {ids['publish']}", "2016-11-22T10:00:00-05:00", "", False),  # dated as its front matter says
        (f"git {ids['typo']}", "2016-11-25T10:00:00+00:00", "Say when", True),
        (f"git {ids['courts']}", "2016-12-01T10:00:00+00:00", "Add what the courts said", False)]
    assert "It is asked again now.\n" in first.history[0].markdown and "very old" not in first.history[0].markdown
    assert first.history[-1].markdown == first.markdown
    assert first.aliases == ("/2016/11/22/sanctuary-cities-the-question/", "/2016/11/22/sanctuary-cities/")  # renamed
    second = next(p for p in result.posts if p.source_id.endswith("statutes.md"))
    assert [r.note for r in second.history] == ["", "Sharpen part 2"]
    assert second.history[1].minor is True and changed_words("Two statutes.", "Two statutes, and neither "
                                                             "says enough.") == 5
    # only what a reader reads counts: a code fence's language or a heading's level is no word
    assert changed_words("### Law\n\n```bash\nls\n```\n" * 11, "## Law\n\n```sh\nls\n```\n" * 11) == 0
    assert changed_words("*Two* statutes.", "**Two** statutes.") == 0
    plain = "Run it:\n\n```\ndocker run -e DISPLAY=unix$DISPLAY -p 4713:4713 jess/irssi\n```\n"
    assert changed_words(plain, plain.replace("```\nd", "```bash\nd")) == 0  # highlighted now, the same words
    noted = plain + "\nSee.[^1]\n\n[^1]: One note.\n"
    assert changed_words(noted, noted.replace("One note", "Another note")) == 1  # a note's words count
    lower = {p.source_id: p for p in read(root, ReadOptions(minor_below=5)).posts}
    assert [r.minor for r in lower[second.source_id].history] == [False, False]  # 5 words is not under 5
    assert [r.minor for r in lower[first.source_id].history] == [False, True, False]


def test_no_history_and_history_outside_git(tmp_path: Path, repo: tuple[Path, dict[str, str]],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    assert all(p.history == () for p in read(root, ReadOptions(history=False)).posts)
    outside = tmp_path / "plain"
    (outside / "_posts").mkdir(parents=True)
    (outside / "_posts/2016-01-01-a.md").write_text("---\ntitle: A\n---\nText.\n")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(outside), "--history"]) == 1
    assert "not in a git repository" in capsys.readouterr().err
    assert not list((site / "posts").iterdir())


def test_uncommitted_changes_are_the_newest_version_and_reported(repo: tuple[Path, dict[str, str]]) -> None:
    root, _ = repo
    path = root / "_posts/2016-11-29-statutes.md"
    path.write_text("---\ntitle: The Statutes\n---\nTwo statutes, and neither says enough about cities.\n")
    saved = datetime(2016, 12, 10, 9, 0).timestamp()
    os.utime(path, (saved, saved))
    result = read(root, ReadOptions())
    statutes = next(p for p in result.posts if p.source_id.endswith("statutes.md"))
    last = statutes.history[-1]
    assert (last.origin, last.note, last.date.isoformat(), last.minor) == (
        "git working tree (uncommitted)", "Changes not committed to git before the import",
        "2016-12-10T09:00:00+00:00", True)
    assert last.markdown == statutes.markdown and "about cities" in last.markdown
    assert any(s.what == "uncommitted changes" and s.where.path == "_posts/2016-11-29-statutes.md"
               for s in result.skipped)


def test_the_built_site_shows_each_posts_versions_as_its_commits(tmp_path: Path,
                                                                 repo: tuple[Path, dict[str, str]]) -> None:
    root, ids = repo
    site = write_site(tmp_path / "site", {})
    done = run_cli("import", str(root), cwd=site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("jekyll: imported 2 posts, 0 pages, 1 series, 5 versions, 0 images "
                                          "and files, 3 aliases")
    folder = site / "posts/sanctuary-cities"
    archive = sorted(p.name for p in (folder / "sanctuary-cities-the-question.versions").iterdir())
    assert archive == ["v1.md", "v2.md", "v3.md"]
    heads = [yaml.safe_load((folder / f"sanctuary-cities-the-question.versions/{name}").read_text().split("---\n")[1])
             for name in archive]
    assert [h["origin"] for h in heads] == [f"git {ids[k]}" for k in ("publish", "typo", "courts")]
    assert [h.get("note", "").strip() for h in heads] == ["", "Say when", "Add what the courts said"]
    assert [h.get("minor", False) for h in heads] == [False, True, False]
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0 and "error" not in built.stderr.lower(), built.stderr
    out = site / "output/sanctuary-cities/sanctuary-cities-the-question"
    v1 = (out / "v1/index.html").read_text()
    assert "It is asked again now." in v1 and "after the election" not in v1 and "commandeering" not in v1
    assert 'datetime="2016-11-22T10:00:00-05:00"' in v1
    v2 = (out / "v2/index.html").read_text()
    assert "after the election" in v2 and "commandeering" not in v2
    changes = (out / "v3/changes/index.html").read_text()
    assert "Add what the courts said" in changes and 'datetime="2016-12-01T05:00:00-05:00"' in changes
    inserted = " ".join(re.findall(r"<ins\b[^>]*>(.*?)</ins>", changes, re.S))
    assert "commandeering" in inserted
    assert "Say when" in (out / "v2/changes/index.html").read_text()
    assert not (out / "v4").exists()
    assert "sanctuary-cities-the-question/" in (site / "output/2016/11/22/sanctuary-cities/index.html").read_text()
    statutes = site / "output/sanctuary-cities/statutes" if (site / "output/sanctuary-cities/statutes").exists() \
        else site / "output/statutes"
    assert "neither says enough" in (statutes / "v2/index.html").read_text()
    assert "Sharpen part 2" in (statutes / "v2/changes/index.html").read_text()


def test_a_character_no_page_can_carry_is_taken_out_of_every_version_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    root.mkdir()
    git(root, "init", "-q")
    name = "_posts/2021-01-16-engines.md"
    head = "---\ntitle: Engines\n---\n"
    commit(root, {"_config.yml": "permalink: pretty\n",
                  name: head + "The first engine ran\x08 at once.\n\nA second paragraph.\n"}, "Publish",
           "2021-01-16T10:00:00Z")
    commit(root, {name: head + "The first engine ran\x08 at once.\n\nA second paragraph, longer now.\x19\n"},
           "Longer", "2021-02-01T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    done = run_cli("import", str(root), cwd=site)
    assert done.returncode == 0, done.stderr
    assert f"{name}:1: the text of version 1, line 1: the control character U+0008 taken out" in done.stdout
    assert f"{name}:1: the text of version 2, line 3: the control character U+0019 taken out" in done.stdout
    folder = site / "posts/engines.versions"
    texts = [(folder / f"v{n}.md").read_text() for n in (1, 2)] + [(site / "posts/engines.md").read_text()]
    assert all("\x08" not in t and "\x19" not in t for t in texts)
    assert "The first engine ran at once." in texts[0] and "longer now." in texts[1]
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert "longer now" in (site / "output/engines/v2/index.html").read_text()


def _blog(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


MERGED = "_posts/2022-01-01-m.md"
M_HEAD = "---\ntitle: M\ndate: 2022-01-01 10:00:00 +0000\n---\n"


def test_a_merge_is_one_version_with_what_it_merged_and_the_branch_is_not(tmp_path: Path) -> None:
    """The branch's own line is what the site showed: a side branch's texts, which lack the main line's
    edits, would show those edits deleted and then added again."""
    root = _blog(tmp_path)
    commit(root, {MERGED: M_HEAD + "First paragraph one two three.\n\nSecond paragraph four five six.\n"},
           "Publish", "2022-01-01T10:00:00Z")
    git(root, "checkout", "-q", "-b", "side")
    commit(root, {MERGED: M_HEAD + "First paragraph one two three.\n\nSecond paragraph four five six, "
                          "and seven eight nine ten eleven twelve.\n"}, "Extend the second", "2022-01-02T10:00:00Z")
    git(root, "checkout", "-q", "main")
    commit(root, {MERGED: M_HEAD + "First paragraph one two three, and more words on main alone here now.\n\n"
                          "Second paragraph four five six.\n"}, "Extend the first", "2022-01-03T10:00:00Z")
    git(root, "merge", "-q", "--no-edit", "side", when="2022-01-04T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2022-01-01T10:00:00+00:00"), ("Extend the first", "2022-01-03T10:00:00+00:00"),
        ("Extend the second", "2022-01-04T10:00:00+00:00")]  # the merge, told by what it brought
    assert all("on main alone" in r.markdown for r in post.history[1:])  # no text lacks main's words
    assert post.history[-1].markdown == post.markdown
    assert not any(s.what == "uncommitted changes" for s in result.skipped)


@pytest.mark.parametrize("subject, pulled", [
    ("Merge branch 'main' of github.com:a/blog", True),
    ("Merge remote-tracking branch 'origin/main'", True),
    ("Merge branch 'main' of https://github.com/a/blog.git into main", True),
    ("Merge branch 'source' of github.com:a/blog into blog", True),  # the branch that `blog` pulls
    ("Merge branch 'main' of https://github.com/theme/starter", False),  # a theme's updates, pulled in
    ("Merge remote-tracking branch 'upstream/main'", False),
    ("Merge branch 'drafts' of github.com:a/blog", False),  # another branch of the site's
])
def test_a_merge_git_pull_made_follows_what_the_site_had_not_the_machines_own_commit(tmp_path: Path,
                                                                                    subject: str, pulled: bool) -> None:
    """A second machine's commit, made before it pulled, was never on the site: what readers read meanwhile
    was the remote's, the pull's second parent. Its first parent, its own line for any other merge, is not;
    nor is it for a merge of another repository (a theme's updates) or of another branch."""
    root = _blog(tmp_path)
    git(root, "remote", "add", "origin", "git@github.com:a/blog.git")
    git(root, "config", "branch.blog.merge", "refs/heads/source")
    commit(root, {MERGED: M_HEAD + "First paragraph one two three.\n\nSecond paragraph four five six.\n"},
           "Publish", "2022-01-01T10:00:00Z")
    git(root, "checkout", "-q", "-b", "pushed")  # another machine's, pushed: the site had it from the 2nd
    commit(root, {MERGED: M_HEAD + "First paragraph one two three, and the zoning argument at length.\n\n"
                          "Second paragraph four five six.\n"}, "Zoning", "2022-01-02T10:00:00Z")
    git(root, "checkout", "-q", "main")  # this machine's, not pushed until the pull
    commit(root, {MERGED: M_HEAD + "First paragraph one two three.\n\nSecond paragraph four five six, and the "
                          "night buses the council cut.\n"}, "Buses", "2022-01-05T10:00:00Z")
    git(root, "merge", "-q", "--no-ff", "-m", subject, "pushed", when="2022-01-08T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    if pulled:
        assert [(r.note, r.date.isoformat()) for r in post.history] == [
            ("", "2022-01-01T10:00:00+00:00"), ("Zoning", "2022-01-02T10:00:00+00:00"),
            ("Buses", "2022-01-08T10:00:00+00:00")]  # the pull, told by what it brought
        assert "zoning" in post.history[1].markdown and "night buses" not in post.history[1].markdown
    else:  # the branch's own line: its first parents
        assert [(r.note, r.date.isoformat()) for r in post.history] == [
            ("", "2022-01-01T10:00:00+00:00"), ("Buses", "2022-01-05T10:00:00+00:00"),
            ("Zoning", "2022-01-08T10:00:00+00:00")]
    assert post.history[-1].markdown == post.markdown


def test_a_pull_from_a_theme_that_is_the_blogs_origin_is_a_merge_like_any_other(tmp_path: Path) -> None:
    """A blog cloned from a theme's starter repository, pushed elsewhere: ``origin`` is still the theme, and a
    plain ``git pull`` merges the theme's history, which never had the essay.  The line went through it, the
    essay's January text was lost and the merge was said to have added the file."""
    theme = _blog(tmp_path)
    commit(theme, {"_layouts/default.html": "<html>{{ content }}</html>\n",
                   "_posts/2015-01-01-welcome.md": "---\ntitle: Welcome\n---\nThe theme's example post.\n"},
           "Theme v1", "2015-01-01T10:00:00Z")
    root = tmp_path / "mine"
    git(tmp_path, "clone", "-q", str(theme), str(root))
    git(root, "rm", "-q", "_posts/2015-01-01-welcome.md")
    first = "My essay, as published on new year's day with the argument in full."
    commit(root, {MERGED: M_HEAD + first + "\n"}, "My first essay", "2022-01-01T10:00:00Z")
    commit(root, {MERGED: M_HEAD + first + " And the counter-arguments, with replies.\n"}, "Counter-arguments",
           "2022-02-01T10:00:00Z")
    commit(theme, {"_layouts/default.html": "<html><body>{{ content }}</body></html>\n"}, "Theme v2",
           "2022-02-15T10:00:00Z")
    git(root, "pull", "-q", "--no-rebase", "--no-edit", when="2022-03-01T10:00:00Z")
    assert git(root, "log", "-1", "--format=%s").startswith("Merge branch 'main' of ")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2022-01-01T10:00:00+00:00"), ("Counter-arguments", "2022-02-01T10:00:00+00:00")]
    assert post.history[0].markdown.strip() == first
    merge = git(root, "rev-parse", "HEAD")[:12]
    assert not any(merge in s.what for s in result.skipped)


def test_a_blog_moved_into_a_folder_of_its_repository_keeps_the_texts_from_before_the_move(tmp_path: Path) -> None:
    """Imported from ``blog/``, the history stopped at the commit that moved it there: version 1, dated as the
    post, held the text of the commit before the move, and the first text readers read was lost."""
    root = _blog(tmp_path)
    commit(root, {"_config.yml": "title: Blog\n", MERGED: M_HEAD + "The first text, as published.\n"}, "Publish",
           "2022-01-01T10:00:00Z")
    commit(root, {MERGED: M_HEAD + "The first text, as published, and a paragraph on costs.\n"}, "Costs",
           "2022-03-01T10:00:00Z")
    (root / "blog").mkdir()
    git(root, "mv", "_posts", "_config.yml", "blog/")
    commit(root, {"app/main.py": "print(1)\n"}, "Move the blog into blog/", "2023-01-01T10:00:00Z")
    numbers = "The numbers, as published: " + " ".join(f"figure {n} of the council's plan," for n in range(30))
    commit(root, {"notes/2023-02-01-private.md": M_HEAD + numbers + " and off the record, they were cooked.\n"},
           "Notes", "2023-02-01T10:00:00Z")
    git(root, "mv", "notes/2023-02-01-private.md", "blog/_posts/2023-02-01-private.md")
    commit(root, {"blog/_posts/2023-02-01-private.md": M_HEAD + numbers + "\n",
                  f"blog/{MERGED}": M_HEAD + "The first text, as published, and a paragraph on costs, and who "
                                             "pays.\n"}, "Who pays; publish the numbers", "2024-01-01T10:00:00Z")
    result = read(root / "blog", ReadOptions())
    post, published = sorted(result.posts, key=lambda p: len(p.history), reverse=True)
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2022-01-01T10:00:00+00:00"), ("Costs", "2022-03-01T10:00:00+00:00"),
        ("Who pays; publish the numbers", "2024-01-01T10:00:00+00:00")]
    assert "costs" not in post.history[0].markdown
    # a draft moved in from a folder of the repository that was never the site's: its texts there are none
    assert [r.markdown.strip() for r in published.history] == [numbers]
    assert any("lay outside the site then" in s.why and "notes/2023-02-01-private.md" in s.where.path
               for s in result.skipped)


def test_a_draft_moved_in_from_a_folder_jekyll_never_read_brings_no_version_from_there(tmp_path: Path) -> None:
    """A site at the repository's top: a draft in a folder ``exclude:`` named, or in ``_private/``, was never
    published, yet its private text, ``git mv``'d into ``_posts/`` and rewritten, became version 1.  What
    ``exclude:`` said then counts: ``notes/`` was published before it was excluded."""
    root = _blog(tmp_path)
    private = "Off the record, the numbers were cooked." + "".join(f"\n\nParagraph {n} on housing near the "
                                                                    "stations, and the argument." for n in range(8))
    commit(root, {"_config.yml": "title: Blog\n", "notes/old.md": M_HEAD + "Notes published once, years ago.\n"},
           "Notes, published", "2020-01-01T10:00:00Z")
    commit(root, {"_config.yml": "title: Blog\nexclude: [notes, Gemfile]\n",
                  "notes/housing.md": M_HEAD + private + "\n", "_private/trains.md": M_HEAD + private + " Twice.\n",
                  "node_modules/x/2021-01-01-x.md": M_HEAD + private + " Thrice.\n"}, "Drafts",
           "2021-02-01T10:00:00Z")
    for old, new in (("notes/housing.md", "_posts/2021-01-15-housing.md"),
                     ("_private/trains.md", "_posts/2021-01-16-trains.md"),
                     ("notes/old.md", "_posts/2020-01-01-old.md"),
                     ("node_modules/x/2021-01-01-x.md", "_posts/2021-01-01-x.md")):
        (root / new).parent.mkdir(exist_ok=True)
        git(root, "mv", old, new)
        (root / new).write_text((root / new).read_text().replace("Off the record, the numbers were cooked.",
                                                                 "The plan, as published."))
    commit(root, {}, "Publish them", "2021-04-01T10:00:00Z")
    result = read(root, ReadOptions())
    texts = {p.source_id.rsplit("/", 1)[1]: [r.markdown for r in p.history] for p in result.posts}
    assert not any("Off the record" in text for history in texts.values() for text in history)
    assert [len(texts[name]) for name in ("2021-01-15-housing.md", "2021-01-16-trains.md", "2021-01-01-x.md")] == \
        [1, 1, 1]
    assert "Notes published once" in texts["2020-01-01-old.md"][0]  # read before exclude: named its folder
    outside = sorted(s.where.path.split(" @ ")[0] for s in result.skipped if "lay outside the site" in s.why)
    assert outside == ["_private/trains.md", "node_modules/x/2021-01-01-x.md", "notes/housing.md"]


@pytest.mark.parametrize("kind", ["hugo", "pelican"])
def test_a_draft_moved_into_the_content_folder_brings_no_version_from_outside_it(tmp_path: Path, kind: str) -> None:
    """Hugo and Pelican read their content folder alone: a draft kept beside it was never out."""
    root = _blog(tmp_path)
    settings = {"hugo": ("hugo.toml", 'baseURL = "https://example.org/"\n'),
                "pelican": ("pelicanconf.py", "PATH = 'content'\nSITEURL = ''\n")}[kind]
    head = "---\ntitle: Housing\ndate: 2022-01-01\n---\n" if kind == "hugo" else "Title: Housing\nDate: 2022-01-01\n\n"
    body = "".join(f"Paragraph {n} on housing near the stations, and the argument.\n\n" for n in range(8))
    commit(root, {settings[0]: settings[1], "drafts/housing.md": head + "Off the record, cooked.\n\n" + body},
           "Draft", "2021-12-01T10:00:00Z")
    (root / "content/posts").mkdir(parents=True)
    git(root, "mv", "drafts/housing.md", "content/posts/housing.md")
    commit(root, {"content/posts/housing.md": head + "The plan, as published.\n\n" + body}, "Publish",
           "2022-01-01T10:00:00Z")
    reader = {"hugo": hugo_read, "pelican": pelican_read}[kind]
    result = reader(root, ReadOptions())
    (post,) = result.posts
    assert len(post.history) == 1 and "Off the record" not in post.history[0].markdown
    assert [s.where.path.split(" @ ")[0] for s in result.skipped if "lay outside the site" in s.why] == [
        "drafts/housing.md"]


def test_a_draft_pelican_read_no_article_from_brings_no_version(tmp_path: Path) -> None:
    """Inside ``PATH``, Pelican reads articles under ``ARTICLE_PATHS`` alone (and pages under ``PAGE_PATHS``): a
    draft in ``content/notes/``, moved into ``articles/`` and rewritten, was never out."""
    root = _blog(tmp_path)
    head = "Title: Housing\nDate: 2022-01-01\n\n"
    body = "".join(f"Paragraph {n} on housing near the stations, and the argument.\n\n" for n in range(8))
    commit(root, {"pelicanconf.py": "PATH = 'content'\nARTICLE_PATHS = ['articles']\nSITEURL = ''\n",
                  "content/notes/housing.md": head + "Off the record, cooked.\n\n" + body}, "Draft",
           "2021-12-01T10:00:00Z")
    (root / "content/articles").mkdir(parents=True)
    git(root, "mv", "content/notes/housing.md", "content/articles/housing.md")
    commit(root, {"content/articles/housing.md": head + "The plan, as published.\n\n" + body}, "Publish",
           "2022-01-01T10:00:00Z")
    result = pelican_read(root, ReadOptions())
    (post,) = result.posts
    assert len(post.history) == 1 and "Off the record" not in post.history[0].markdown
    assert [s.where.path.split(" @ ")[0] for s in result.skipped if "lay outside the site" in s.why] == [
        "content/notes/housing.md"]


@pytest.mark.parametrize("collections", ["collections: [essays]\n", "collections:\n  essays:\n    output: false\n"])
def test_a_draft_kept_in_a_jekyll_collection_without_pages_brings_no_version(tmp_path: Path, collections: str) -> None:
    """Jekyll reads a collection's documents, but makes pages of them only with ``output: true``: a draft kept
    in one that makes none, moved into ``_posts/`` and rewritten, was never out.  One that made pages was out
    (at its own address, as another document: no version of the post either, but no text outside the site)."""
    private = "Off the record, the numbers were cooked." + "".join(f"\n\nParagraph {n} on housing near the "
                                                                    "stations, and the argument." for n in range(8))
    for kept, shown in ((collections, False), ("collections:\n  essays:\n    output: true\n", True)):
        (tmp_path / str(shown)).mkdir()
        root = _blog(tmp_path / str(shown))
        commit(root, {"_config.yml": "title: Blog\n" + kept, "_essays/housing.md": M_HEAD + private + "\n"},
               "Draft", "2021-02-01T10:00:00Z")
        (root / "_posts").mkdir()
        git(root, "mv", "_essays/housing.md", "_posts/2021-01-15-housing.md")
        path = root / "_posts/2021-01-15-housing.md"
        path.write_text(path.read_text().replace("Off the record, the numbers were cooked.", "The plan, as published."))
        commit(root, {}, "Publish", "2021-04-01T10:00:00Z")
        result = read(root, ReadOptions())
        (post,) = result.posts
        assert not any("Off the record" in r.markdown for r in post.history)
        assert any("lay outside the site" in s.why for s in result.skipped) is not shown, kept


@pytest.mark.parametrize("settings", [('contentDir = "src"\n', "hugo.toml"), ("contentDir: src\n", "hugo.yaml"),
                                      ('{"contentDir": "src"}', "hugo.json"),
                                      ('[languages.en]\ncontentDir = "src"\n', "hugo.toml")])
def test_texts_hugo_read_from_a_content_folder_it_has_since_renamed_are_versions(tmp_path: Path,
                                                                                 settings: tuple[str, str]) -> None:
    """Each commit's settings say where Hugo read content then: with today's ``contentDir`` the texts published
    from ``content/`` before it was renamed were taken for texts outside the site, and the first was lost."""
    text, name = settings
    root = _blog(tmp_path)
    head = "---\ntitle: Housing\ndate: 2021-01-15\n---\n"
    body = "".join(f"Paragraph {n} on housing near the stations, and the argument.\n\n" for n in range(8))
    commit(root, {"hugo.toml": 'baseURL = "https://example.org/"\n',
                  "content/posts/housing.md": head + "First.\n\n" + body}, "Publish", "2021-01-15T10:00:00Z")
    commit(root, {"content/posts/housing.md": head + "Second, rewritten.\n\n" + body}, "Revise", "2021-02-01T10:00:00Z")
    (root / "src").mkdir()
    git(root, "mv", "content/posts", "src/posts")
    git(root, "rm", "-q", "hugo.toml")
    commit(root, {name: 'baseURL = "https://example.org/"\n' * (name.endswith("toml")) + text}, "Move content",
           "2021-03-01T10:00:00Z")
    commit(root, {"src/posts/housing.md": head + "Third.\n\n" + body}, "Again", "2021-04-01T10:00:00Z")
    result = hugo_read(root, ReadOptions())
    (post,) = result.posts
    assert [revision.markdown.split("\n")[0] for revision in post.history] == ["First.", "Second, rewritten.", "Third."]
    assert [revision.date.date().isoformat() for revision in post.history] == ["2021-01-15", "2021-02-01",
                                                                                "2021-04-01"]
    assert not [s for s in result.skipped if "lay outside the site" in s.why]


def test_a_commit_dated_in_the_future_is_a_version_dated_by_its_committer(tmp_path: Path) -> None:
    root = _blog(tmp_path)
    name = "_posts/2021-05-01-f.md"
    head = "---\ntitle: F\ndate: 2021-05-01 10:00:00 +0000\n---\n"
    commit(root, {name: head + "A text of some words.\n"}, "Publish", "2021-05-01T10:00:00Z")
    (root / name).write_text(head + "A text of some words.\n\nAnd a paragraph added much later on.\n")
    git(root, "commit", "-q", "-am", "Add a paragraph", "--date=2030-06-01T09:00:00Z",
        when="2021-05-20T09:00:00Z")  # the author's clock was wrong; the committer's right
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert post.history[1].date.isoformat() == "2021-05-20T09:00:00+00:00"
    assert any("its author date, 2030-06-01 09:00, is in the future" in s.why for s in result.skipped)


def test_a_commit_subject_is_a_note_shown_as_written(tmp_path: Path) -> None:
    root = _blog(tmp_path)
    name = "_posts/2021-05-01-n.md"
    head = "---\ntitle: N\ndate: 2021-05-01 10:00:00 +0000\n---\n"
    commit(root, {name: head + "One.\n"}, "Publish", "2021-05-01T10:00:00Z")
    commit(root, {name: head + "One.\n\nTwo paragraphs, the second wrapped in an aside of several words.\n"},
           "Wrap the aside in a <details> element", "2021-05-02T10:00:00Z")
    commit(root, {name: head + "One.\n\nTwo paragraphs, the second one now an aside of several more words.\n"},
           "# 42: see *issue*", "2021-05-03T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert run_cli("import", str(root), cwd=site).returncode == 0
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0, built.stderr
    changes = (site / "output/n/v2/changes/index.html").read_text()
    assert "Wrap the aside in a &lt;details&gt; element" in changes
    third = (site / "output/n/v3/changes/index.html").read_text()
    assert "# 42: see *issue*" in third and "<h1 id=\"42" not in third


def test_a_post_deleted_and_added_again_keeps_its_first_text(tmp_path: Path) -> None:
    root = _blog(tmp_path)
    name = "_posts/2020-03-01-gamma.md"
    head = "---\ntitle: Gamma\ndate: 2020-03-01 10:00:00 +0000\n---\n"
    commit(root, {name: head + "Gamma original text about the commandeering doctrine.\n"}, "Publish",
           "2020-03-01T10:00:00Z")
    git(root, "rm", "-q", name)
    git(root, "commit", "-q", "-m", "Take it down", when="2020-03-02T10:00:00Z")
    commit(root, {name: head + "Gamma rewritten text, now about the anti-commandeering cases.\n"}, "Put it back",
           "2020-03-05T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2020-03-01T10:00:00+00:00"), ("Put it back", "2020-03-05T10:00:00+00:00")]
    assert "original text" in post.history[0].markdown and "rewritten" in post.history[1].markdown


def test_the_texts_of_an_essay_deleted_before_another_took_its_file_name_are_said_to_be_anothers(
        tmp_path: Path) -> None:
    """The report told the author to date the new essay back, which would make the withdrawn one its version 1."""
    root = _blog(tmp_path)
    name = "_posts/2014-03-01-notes.md"
    commit(root, {name: "---\ntitle: Notes on Rust\ndate: 2014-03-01 09:00:00 +0000\n---\nThe borrow checker, "
                        "as I wrongly read it.\n"}, "Rust notes", "2014-03-01T09:00:00Z")
    git(root, "rm", "-q", name)
    git(root, "commit", "-q", "-m", "Withdraw", when="2015-01-01T09:00:00Z")
    commit(root, {name: "---\ntitle: Notes on Gardening\ndate: 2020-05-01 09:00:00 +0000\n---\nTomatoes on a "
                        "balcony.\n"}, "Gardening notes", "2020-05-01T09:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [r.title for r in post.history] == ["Notes on Gardening"] and "Tomatoes" in post.history[0].markdown
    (said,) = [s.why for s in result.skipped if "earlier text" in s.what]
    assert said == ("of another post at this file name (“Notes on Rust”), deleted before this one was added: not "
                    "versions of this one")


def test_a_shallow_clone_is_refused_rather_than_read_as_the_whole_history(tmp_path: Path,
                                                                          repo: tuple[Path, dict[str, str]]) -> None:
    root, _ = repo
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{root}", str(shallow))
    site = write_site(tmp_path / "site", {})
    done = run_cli("import", str(shallow), cwd=site)
    assert done.returncode == 1
    assert "shallow clone" in done.stderr and "git fetch --unshallow" in done.stderr
    assert not list((site / "posts").iterdir())
    assert run_cli("import", str(shallow), "--no-history", cwd=site).returncode == 0


def test_posts_kept_in_a_git_submodule_bring_the_texts_the_site_published_from_it(tmp_path: Path) -> None:
    """The site's repository holds only the submodule's pointer: its walk found no commit of the posts, no
    version was recorded and nothing was said; a later ``publish`` made the newest text version 1.  Each text
    the site set the submodule to is a version, dated by the site's commit; one it never set was never out."""
    posts = tmp_path / "posts-repo"
    posts.mkdir()
    git(posts, "init", "-q", "-b", "main")
    name = "2022-01-01-m.md"
    commit(posts, {name: M_HEAD + "The first text, as published.\n"}, "Publish", "2022-01-01T10:00:00Z")
    root = _blog(tmp_path)
    commit(root, {"_config.yml": "title: Blog\n"}, "Site", "2022-01-01T11:00:00Z")
    git(root, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(posts), "_posts")
    git(root, "commit", "-q", "-m", "Posts as a submodule", when="2022-01-01T12:00:00Z")
    commit(posts, {name: M_HEAD + "An abandoned rework, never set by the site.\n"}, "Rework", "2022-02-01T10:00:00Z")
    commit(posts, {name: M_HEAD + "The first text, as published, and a paragraph on costs.\n"}, "Costs",
           "2022-03-01T10:00:00Z")
    git(root / "_posts", "pull", "-q", "origin", "main")
    git(root, "commit", "-q", "-am", "Bump the posts", when="2022-04-01T10:00:00Z")
    (post,) = read(Path(os.path.relpath(root)), ReadOptions()).posts  # as given on the command line
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2022-01-01T10:00:00+00:00"), ("Rework; Costs", "2022-04-01T10:00:00+00:00")]
    assert "abandoned" not in "".join(r.markdown for r in post.history)
    bare = tmp_path / "cloned"  # without --recurse-submodules: an empty _posts/
    git(tmp_path, "clone", "-q", str(root), str(bare))
    result = read(bare, ReadOptions())
    assert not result.posts and [s.why for s in result.skipped if s.what == "submodule _posts"] == [
        "a git submodule that is not checked out, so whatever it holds is not here: run `git submodule update "
        "--init` in the source and import again"]


def test_a_submodule_set_back_to_an_older_commit_keeps_the_text_the_site_showed_meanwhile(tmp_path: Path) -> None:
    """The site set X1, then X2, then X1 again (a bad bump undone): X2, public for a week, was no version,
    for the submodule's clone, checked out at X1, does not have X2 on its line."""
    posts = tmp_path / "posts-repo"
    posts.mkdir()
    git(posts, "init", "-q", "-b", "main")
    name = "2022-01-01-m.md"
    one, two = "The first text, as published.", "A bad rework, set by mistake for a week."
    x1 = commit(posts, {name: M_HEAD + one + "\n"}, "X1", "2022-01-01T10:00:00Z")
    x2 = commit(posts, {name: M_HEAD + two + "\n"}, "X2", "2022-02-01T10:00:00Z")
    root = _blog(tmp_path)
    git(root, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(posts), "_posts")
    for sha, subject, when in ((x1, "Set X1", "2022-01-02T10:00:00Z"), (x2, "Bump", "2022-02-02T10:00:00Z"),
                               (x1, "Back to X1", "2022-02-09T10:00:00Z")):
        git(root / "_posts", "checkout", "-q", sha)
        commit(root, {"_config.yml": "title: Blog\n"}, subject, when)
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.markdown.strip(), r.note, r.date.isoformat(), r.origin) for r in post.history] == [
        (one, "", "2022-01-01T10:00:00+00:00", f"git {x1}"), (two, "X2", "2022-02-02T10:00:00+00:00", f"git {x2}"),
        (one, "Back to X1", "2022-02-09T10:00:00+00:00", f"git {x1}")]
    assert not result.skipped


def test_a_submodule_checked_out_behind_the_commit_the_site_sets_stops_the_import(tmp_path: Path) -> None:
    """``git pull`` brought the site's new setting (X2) and left the submodule checked out at X1: its file, the
    older text, was taken for an uncommitted edit and became the newest version, dated the day of the import.
    Checked out ahead of the setting (the author's work since, not yet set in the site), it is read as before."""
    posts = tmp_path / "posts-repo"
    posts.mkdir()
    git(posts, "init", "-q", "-b", "main")
    name = "2022-01-01-m.md"
    x1 = commit(posts, {name: M_HEAD + "The first text.\n"}, "X1", "2022-01-01T10:00:00Z")
    x2 = commit(posts, {name: M_HEAD + "The second text, revised.\n"}, "X2", "2022-02-01T10:00:00Z")
    root = _blog(tmp_path)
    git(root, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(posts), "_posts")
    for sha, subject, when in ((x1, "Set X1", "2022-01-02T10:00:00Z"), (x2, "Bump", "2022-02-02T10:00:00Z")):
        git(root / "_posts", "checkout", "-q", sha)
        commit(root, {"_config.yml": "title: Blog\n"}, subject, when)
    git(root / "_posts", "checkout", "-q", x1)
    with pytest.raises(SiteError) as refused:
        read(root, ReadOptions())
    (said,) = refused.value.diagnostics
    assert (said.path, said.message) == ("_posts", f"a git submodule checked out at {x1[:12]}, not at the {x2[:12]} "
                                         "the site sets (a `git pull` leaves it so): its files are not the texts the "
                                         "site published. Run `git submodule update` in the source and import "
                                         "again; nothing was written")
    git(root / "_posts", "checkout", "-q", x2)
    commit(root / "_posts", {name: M_HEAD + "A third text, not set in the site yet.\n"}, "X3",
           "2022-03-01T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    assert [r.markdown.strip() for r in post.history][-1] == "A third text, not set in the site yet."


def test_posts_moved_into_a_submodule_keep_the_texts_they_had_in_the_sites_repository(tmp_path: Path) -> None:
    """Posts committed in the site, then copied into a repository of their own that became the ``_posts``
    submodule: their history began with the submodule, the first text was lost and the later one dated by the
    post's date, a month before readers had it."""
    root = _blog(tmp_path)
    name = "_posts/2019-01-01-old.md"
    one, two = "The first text, kept in the site.", "The first text, kept in the site, and revised at length."
    head = M_HEAD.replace("2022-01-01", "2019-01-01")
    o1 = commit(root, {"_config.yml": "title: Blog\n", name: head + one + "\n"}, "O1", "2019-01-01T10:00:00Z")
    o2 = commit(root, {name: head + two + "\n"}, "O2", "2019-02-01T10:00:00Z")
    posts = tmp_path / "posts-repo"
    posts.mkdir()
    git(posts, "init", "-q", "-b", "main")
    commit(posts, {"2019-01-01-old.md": head + two + "\n"}, "Posts in a repository of their own",
           "2019-03-01T10:00:00Z")
    git(root, "rm", "-rq", "_posts")
    git(root, "commit", "-q", "-m", "Take the posts out", when="2019-03-01T11:00:00Z")
    git(root, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(posts), "_posts")
    git(root, "commit", "-q", "-m", "The posts as a submodule", when="2019-03-01T12:00:00Z")
    three = commit(posts, {"2019-01-01-old.md": head + two + " And a third paragraph.\n"}, "Third",
                   "2019-04-01T10:00:00Z")
    git(root / "_posts", "pull", "-q", "origin", "main")
    git(root, "commit", "-q", "-am", "Bump", when="2019-04-02T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.markdown.strip(), r.note, r.date.isoformat(), r.origin) for r in post.history] == [
        (one, "", "2019-01-01T10:00:00+00:00", f"git {o1}"), (two, "O2", "2019-02-01T10:00:00+00:00", f"git {o2}"),
        (two + " And a third paragraph.", "Third", "2019-04-02T10:00:00+00:00", f"git {three}")]
    assert not result.skipped


def test_posts_moved_out_of_a_submodule_keep_the_texts_the_site_published_from_it(tmp_path: Path) -> None:
    """The ``_posts`` submodule taken out and its files committed in the site: the post's history began with
    that commit, and the texts readers had read from the submodule were lost.  They are read from the
    repository ``git rm`` left in ``.git/modules/``; a clone made since lacks it, which the report says, with
    the command that brings it, after which they are versions again."""
    posts = tmp_path / "posts-repo"
    posts.mkdir()
    git(posts, "init", "-q", "-b", "main")
    name = "2022-01-01-m.md"
    one, two, three = "The first text.", "The first text, revised.", "The first text, revised in the site."
    x1 = commit(posts, {name: M_HEAD + one + "\n"}, "X1", "2022-01-01T09:00:00Z")
    x2 = commit(posts, {name: M_HEAD + two + "\n"}, "X2", "2022-02-01T09:00:00Z")
    root = _blog(tmp_path)
    git(root, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(posts), "_posts")
    for sha, subject, when in ((x1, "Set X1", "2022-01-01T10:00:00Z"), (x2, "Bump", "2022-02-02T10:00:00Z")):
        git(root / "_posts", "checkout", "-q", sha)
        commit(root, {"_config.yml": "title: Blog\n"}, subject, when)
    git(root, "rm", "-q", "_posts")
    moved = commit(root, {MERGED: M_HEAD + two + "\n"}, "The posts in the site", "2022-03-01T10:00:00Z")
    last = commit(root, {MERGED: M_HEAD + three + "\n"}, "Revise", "2022-04-01T10:00:00Z")
    assert (root / ".git" / "modules" / "_posts").is_dir()
    expected = [(one, "", "2022-01-01T10:00:00+00:00", f"git {x1}"), (two, "X2", "2022-02-02T10:00:00+00:00",
                f"git {x2}"), (three, "Revise", "2022-04-01T10:00:00+00:00", f"git {last}")]
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.markdown.strip(), r.note, r.date.isoformat(), r.origin) for r in post.history] == expected
    assert not result.skipped
    cloned = tmp_path / "cloned"
    git(tmp_path, "clone", "-q", str(root), str(cloned))
    result = read(cloned, ReadOptions())
    (post,) = result.posts
    assert [r.origin for r in post.history] == [f"git {moved}", f"git {last}"]
    (said,) = [s for s in result.skipped if s.what == f"history before commit {moved[:12]}"]
    assert said.why == (f"that commit put the site's own files where the git submodule _posts was, whose repository "
                        "this clone does not hold (it is not in .git/modules/), so the texts the site published from "
                        f"it are not versions: run `git clone --bare {posts} .git/modules/_posts` in the source and "
                        "import again")
    git(cloned, "clone", "-q", "--bare", str(posts), ".git/modules/_posts")
    result = read(cloned, ReadOptions())
    assert [(r.markdown.strip(), r.note, r.date.isoformat(), r.origin) for r in result.posts[0].history] == expected
    assert not result.skipped


def test_a_jekyll_site_read_in_another_encoding_is_imported_in_it_with_its_history(tmp_path: Path) -> None:
    """``encoding: ISO-8859-1`` in ``_config.yml``: Jekyll read the files so, the import refused them as not
    UTF-8, and once saved as UTF-8 every committed text was left out as unreadable."""
    root = _blog(tmp_path)
    head = M_HEAD.replace("title: M", "title: Café")
    for text, when in (("The café serves coffee.", "2022-01-01T10:00:00Z"),
                       ("The café serves coffee, and the crème brûlée is “famous”…", "2022-02-01T10:00:00Z")):
        (root / "_posts").mkdir(exist_ok=True)  # typed on Windows: its quotes are cp1252's, as browsers read them
        (root / MERGED).write_bytes((head + text + "\n").encode("cp1252"))
        commit(root, {"_config.yml": "title: Blog\nencoding: ISO-8859-1\n"}, "Write", when)
    (post,) = read(root, ReadOptions()).posts
    assert post.title == "Café" and "crème brûlée" in post.markdown
    assert [r.markdown.strip() for r in post.history] == [
        "The café serves coffee.", "The café serves coffee, and the crème brûlée is “famous”…"]
    (root / "_config.yml").write_text("title: Blog\nencoding: klingon\n")
    with pytest.raises(SiteError) as caught:
        read(root, ReadOptions())
    assert str(caught.value.diagnostics[0]).endswith("_config.yml:2: encoding: 'klingon' is no encoding Python knows; "
                                                     "write the one Jekyll reads the files in, such as ISO-8859-1 or "
                                                     "UTF-8")


def test_each_committed_text_is_read_in_the_encoding_its_own_commits_settings_named(tmp_path: Path) -> None:
    """A latin-1 site whose last commit re-saved its posts as UTF-8 and took ``encoding:`` out: every older
    text was read in the current settings' UTF-8, left out as unreadable, and version 1 was a later text."""
    root = _blog(tmp_path)
    head = M_HEAD.replace("title: M", "title: Café")
    first, second = "The café serves coffee.", "The café serves coffee, and the crème brûlée is “famous”…"
    for text, when in ((first, "2022-01-01T10:00:00Z"), (second, "2022-02-01T10:00:00Z")):
        (root / "_posts").mkdir(exist_ok=True)
        (root / MERGED).write_bytes((head + text + "\n").encode("cp1252"))
        commit(root, {"_config.yml": "title: Blog\nencoding: ISO-8859-1\n"}, "Write", when)
    commit(root, {"_config.yml": "title: Blog\n", MERGED: head + second + "\n"}, "Everything UTF-8 now",
           "2023-01-01T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.markdown.strip(), r.date.isoformat()) for r in post.history] == [
        (first, "2022-01-01T10:00:00+00:00"), (second, "2022-02-01T10:00:00+00:00")]
    assert not [s for s in result.skipped if "cannot be read" in s.why or "UTF-8" in s.what]


def test_a_commit_that_changes_only_the_encoding_setting_is_a_version_of_the_posts_it_shows_otherwise(
        tmp_path: Path) -> None:
    """Posts re-saved as UTF-8 one day (``encoding: ISO-8859-1`` still set: Jekyll showed “CafÃ©”), the setting
    taken out the next: that commit touched no post, so it was no version, and the file, read under today's
    settings, was taken for an edit never committed (a false report line, a version dated at the import)."""
    root = _blog(tmp_path)
    head = M_HEAD.replace("title: M", "title: Café")
    text = head + "The café serves coffee.\n"
    (root / "_posts").mkdir()
    (root / MERGED).write_bytes(text.encode("latin-1"))
    commit(root, {"_config.yml": "title: Blog\nencoding: ISO-8859-1\n"}, "Publish", "2022-01-01T10:00:00Z")
    commit(root, {MERGED: text}, "Re-save the posts as UTF-8", "2022-05-01T10:00:00Z")
    dropped = commit(root, {"_config.yml": "title: Blog\n"}, "Drop encoding", "2022-05-02T10:00:00Z")
    commit(root, {"_config.yml": "title: Blog\ndescription: Essays\n"}, "Describe the blog", "2022-06-01T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.markdown.strip(), r.note, r.date.isoformat()) for r in post.history] == [
        ("The café serves coffee.", "", "2022-01-01T10:00:00+00:00"),
        ("The cafÃ© serves coffee.", "Re-save the posts as UTF-8", "2022-05-01T10:00:00+00:00"),
        ("The café serves coffee.", "Drop encoding", "2022-05-02T10:00:00+00:00")]
    assert post.history[-1].origin == f"git {dropped}"
    assert not any(s.what == "uncommitted changes" for s in result.skipped)


def test_a_utf_8_text_under_a_latin_1_setting_is_read_as_jekyll_read_it_and_reported(tmp_path: Path) -> None:
    """Latin-1 reads any bytes: a post saved as UTF-8 under ``encoding: ISO-8859-1`` came in as “CafÃ©”
    without a word."""
    root = _blog(tmp_path)
    commit(root, {"_config.yml": "title: Blog\nencoding: ISO-8859-1\n",
                  MERGED: M_HEAD.replace("title: M", "title: Café") + "The café serves coffee.\n"},
           "Write", "2022-01-01T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert post.title == "CafÃ©" and post.history[0].markdown == "The cafÃ© serves coffee.\n"
    assert [(str(s.where), s.what, s.why, s.kept) for s in result.skipped] == [
        (f"{MERGED}:1", "UTF-8 text read in ISO-8859-1", "the file is UTF-8, but _config.yml says `encoding: "
         "ISO-8859-1`, in which Jekyll read it: imported as Jekyll read it (“Café” as “CafÃ©”); if that is not "
         "what the site showed, save the file in ISO-8859-1 (or, if every post is UTF-8, take `encoding` out of "
         "_config.yml), commit, and import again", True),
        (f"{MERGED}:1", "1 version in UTF-8", "read as the site's settings said then, as the old site read it "
         f"(“Café”, read in iso8859-1 as “CafÃ©”; commit {git(root, 'rev-parse', 'HEAD')[:12]})", True)]


def test_a_commit_that_only_takes_out_a_character_the_import_removes_is_no_version(tmp_path: Path) -> None:
    root = _blog(tmp_path)
    name = "_posts/2021-01-16-c.md"
    head = "---\ntitle: C\ndate: 2021-01-16 10:00:00 +0000\n---\n"
    commit(root, {name: head + "The first engine ran at once.\n"}, "Publish", "2021-01-16T10:00:00Z")
    commit(root, {name: head + "The first engine ran\x08 at once, and then stopped.\n"}, "Longer",
           "2021-01-17T10:00:00Z")
    commit(root, {name: head + "The first engine ran at once, and then stopped.\n"}, "Take out a backspace",
           "2021-01-18T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    assert [r.note for r in post.history] == ["", "Longer"]


def test_each_version_keeps_the_title_it_had(tmp_path: Path) -> None:
    """A post retitled in a later commit: its first version was read under its first title."""
    root = _blog(tmp_path)
    name = "_posts/2021-05-01-one.md"
    commit(root, {"_config.yml": "permalink: pretty\n",
                  name: "---\ntitle: One\n---\nA first text of several words.\n"}, "Publish", "2021-05-01T10:00:00Z")
    commit(root, {name: "---\ntitle: One, retitled\n---\nA first text of several words, and then many more "
                        "words added to it.\n"}, "Retitle and extend", "2021-05-03T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert run_cli("import", str(root), cwd=site).returncode == 0
    heads = [yaml.safe_load((site / f"posts/one.versions/v{n}.md").read_text().split("---\n")[3])
             for n in (1, 2)]
    assert [h["title"] for h in heads] == ["One", "One, retitled"]
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert "<h1" in (page := (site / "output/one/v1/index.html").read_text()) and ">One</h1>" in page


@pytest.mark.parametrize("hide", ["published: false\n", "draft: true\n"])
def test_a_text_the_post_had_while_taken_down_is_no_version(tmp_path: Path, hide: str) -> None:
    """Unpublished for a while, and edited meanwhile: what it said then was never public."""
    root = _blog(tmp_path)
    name = "_posts/2021-05-01-one.md"
    head = "---\ntitle: One\n"
    commit(root, {name: head + "---\nThe public text of the post.\n"}, "Publish", "2021-05-01T10:00:00Z")
    commit(root, {name: head + hide + "---\nThe public text of the post.\n\nA SECRET paragraph never shown.\n"},
           "Unpublish", "2021-05-02T10:00:00Z")
    commit(root, {name: head + "---\nThe public text of the post, back again and longer now.\n"}, "Republish",
           "2021-05-03T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    assert [r.note for r in post.history] == ["", "Republish"]
    assert not any("SECRET" in r.markdown for r in post.history)


def test_a_commit_that_changes_only_markup_is_a_silent_correction_not_dropped(tmp_path: Path) -> None:
    """A code fence's language changed, or a picture added, changes no word a reader reads: a silent correction,
    yet still a version (readers saw that text), not one merged into the next."""
    root = tmp_path / "blog"
    root.mkdir()
    git(root, "init", "-q")
    head = HEAD_1.format(extra="")
    fence = "Run it:\n\n```bash\nls\n```\n"
    commit(root, {PART_1: head + TEXT_1 + fence}, "Publish", "2016-11-22T16:00:00Z")
    commit(root, {PART_1: head + TEXT_1 + fence.replace("bash", "sh")}, "sh", "2016-11-23T16:00:00Z")
    commit(root, {PART_1: head + TEXT_1 + fence.replace("bash", "sh") + "\n![A map](/map.png)\n"}, "Map",
           "2016-11-24T16:00:00Z")
    (post,) = read(root, ReadOptions(minor_below=10)).posts
    assert [(r.note, r.minor) for r in post.history] == [("", False), ("sh", True), ("Map", True)]
    assert "```sh" in post.history[1].markdown and "![A map]" in post.history[2].markdown


def test_a_file_one_version_links_as_dot_slash_and_another_without_is_copied_once(tmp_path: Path) -> None:
    """A page bundle's image linked as ``./images/a.jpg`` in one commit and ``images/a.jpg`` in the next (a
    real Hugo blog): one file, one copy; before, the second copy stopped the import."""
    blog = _blog(tmp_path)
    head = "---\ntitle: Trip\ndate: 2024-01-01\n---\n"
    commit(blog, {"hugo.toml": 'baseURL = "https://example.org/"\n', "content/posts/trip/images/a.jpg": "JPG",
                  "content/posts/trip/index.md": f"{head}First text of the trip.\n\n![a](./images/a.jpg)\n"},
           "one", "2024-01-01T10:00:00+00:00")
    commit(blog, {"content/posts/trip/index.md": f"{head}First text of the trip, now with many more words in it "
                  "than it had.\n\n![a](images/a.jpg)\n"}, "two", "2024-01-05T10:00:00+00:00")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog)]) == 0
    assert [p.relative_to(root / "static").as_posix() for p in (root / "static").rglob("*") if p.is_file()] == [
        "posts/trip/images/a.jpg"]
    assert "![a](/essays/posts/trip/images/a.jpg)" in (root / "posts/trip.md").read_text()  # the site lives at /essays/
    assert len(list((root / "posts/trip.versions").glob("v*.md"))) == 2


def test_a_language_kept_in_its_own_content_folder_has_the_same_addresses_with_history(tmp_path: Path) -> None:
    """``contentDir = "content/fr"``: read from git, a file there is still below its language's folder;
    before, its history added addresses Hugo never served (``/fr/fr/posts/hello/``, ``/en/posts/hello/``)."""
    blog = _blog(tmp_path)
    head = "---\ntitle: {}\ndate: 2024-01-01\n---\n{}\n"
    commit(blog, {"config/_default/hugo.toml": 'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n',
                  "config/_default/languages.toml": '[en]\ncontentDir = "content/en"\n'
                                                    '[fr]\ncontentDir = "content/fr"\n',
                  "content/en/posts/hello.md": head.format("Hello", "Hello world."),
                  "content/fr/posts/hello.md": head.format("Bonjour", "Bonjour le monde.")},
           "one", "2024-01-01T10:00:00+00:00")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog), "--from", "hugo"]) == 0
    aliases = {p.name: yaml.safe_load(p.read_text().split("---\n")[1]).get("aliases")
               for p in (root / "posts").glob("*.md")}
    assert aliases == {"hello.md": ["/posts/hello/"], "hello-fr.md": ["/fr/posts/hello/"]}


def test_a_post_of_one_commit_is_imported_with_its_version_1(tmp_path: Path) -> None:
    """One commit is one version (PRODUCT: each commit that changed a post is a version).  Before, a post
    committed once came in with no version, and the first ``revise`` after an edit recorded the edited text
    as version 1: the text readers had read was lost."""
    blog = _blog(tmp_path)
    commit(blog, {"_config.yml": "title: Old\n",
                  "_posts/2024-01-01-once.md": "---\ntitle: Once\n---\nAs first written.\n"},
           "one", "2024-01-01T10:00:00+00:00")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog)]) == 0
    path = root / "posts/once.md"
    assert "As first written." in (root / "posts/once.versions/v1.md").read_text()
    path.write_text(path.read_text().replace("As first written.", "As rewritten."))
    done = run_cli("--site", str(root), "revise", str(path), "--note", "Rewritten.", env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "As first written." in (root / "posts/once.versions/v1.md").read_text()
    assert "As rewritten." in (root / "posts/once.versions/v2.md").read_text()


@pytest.mark.parametrize("how", ["move", "flag"])
def test_a_commit_that_only_publishes_a_draft_is_the_text_readers_first_read(tmp_path: Path, how: str) -> None:
    """``git mv _drafts/x.md _posts/…`` or ``published: false`` taken out, the words unchanged: that text came
    out, and the rewrite a week later is version 2, not version 1."""
    root = _blog(tmp_path)
    name = "_posts/2024-03-01-moved.md"
    first = "---\ntitle: Moved\n{hide}---\nThe text as first published, which readers read for a week.\n"
    draft = "_drafts/moved.md" if how == "move" else name
    commit(root, {draft: first.format(hide="published: false\n" if how == "flag" else "")}, "Draft",
           "2024-02-28T10:00:00+01:00")
    commit(root, {name: first.format(hide="")} if how == "flag" else {}, "Publish", "2024-03-01T10:00:00+01:00",
           moved=(draft, name) if how == "move" else None)
    commit(root, {name: "---\ntitle: Moved\n---\nA text rewritten from top to bottom after readers said the "
                        "first was wrong in every way.\n"}, "Rewrite", "2024-03-08T10:00:00+01:00")
    (post,) = read(root, ReadOptions()).posts
    assert [r.note for r in post.history] == ["", "Rewrite"]
    assert "which readers read for a week" in post.history[0].markdown


def test_a_retitle_alone_is_a_version(tmp_path: Path) -> None:
    """The first version's page shows the title readers read it under, though no word of the text changed."""
    root = _blog(tmp_path)
    name = "_posts/2024-01-05-retitle.md"
    commit(root, {name: "---\ntitle: Why cities may refuse\n---\nThe text, unchanged all its life.\n"}, "Publish",
           "2024-01-05T10:00:00Z")
    commit(root, {name: "---\ntitle: Why cities may not refuse\n---\nThe text, unchanged all its life.\n"},
           "Retitle: it said the opposite", "2024-01-06T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    assert [(r.title, r.note) for r in post.history] == [
        ("Why cities may refuse", ""), ("Why cities may not refuse", "Retitle: it said the opposite")]


def test_texts_read_before_a_date_moved_later_are_reported(tmp_path: Path) -> None:
    """A post's date moved later (to put it back on top): the texts before it were read, but the date it has
    now says it came out later, as a wrong year mended would.  They are not versions, and the report says so
    and how to keep them."""
    root = _blog(tmp_path)
    name = "_posts/2024-01-05-bumped.md"
    head = "---\ntitle: Bumped\ndate: {date} 10:00:00 +0000\n---\n"
    commit(root, {name: head.format(date="2024-01-05") + "The text of January fifth.\n"}, "Publish",
           "2024-01-05T10:00:00Z")
    commit(root, {name: head.format(date="2024-01-05") + "The text of January tenth, rewritten at length with "
                        "a new argument.\n"}, "Rewrite", "2024-01-10T10:00:00Z")
    commit(root, {name: head.format(date="2024-02-01") + "The text of January tenth, rewritten at length with "
                        "a new argument.\n"}, "Put it back on top", "2024-02-01T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert len(post.history) == 1 and "January tenth" in post.history[0].markdown
    (said,) = [s for s in result.skipped if s.what == "1 earlier text"]
    assert not said.kept and "dated 2024-01-05, before the date the post has now (2024-02-01)" in said.why
    assert "set its date to when it came out in the source and import again" in said.why


def test_a_commit_authored_before_the_version_before_it_is_dated_when_committed(tmp_path: Path) -> None:
    """A commit rebased onto a later one keeps its older author date: dated so, two versions would share one
    moment, or stand out of order."""
    root = _blog(tmp_path)
    name = "_posts/2024-01-01-rebased.md"
    head = "---\ntitle: Rebased\ndate: 2024-01-01 12:00:00 +0000\n---\n"
    commit(root, {name: head + "Original text.\n"}, "Publish", "2024-01-01T12:00:00Z")
    commit(root, {name: head + "Original text.\n\nA paragraph of March first, with plenty of words in it.\n"},
           "March", "2024-03-01T12:00:00Z")
    (root / name).write_text(head + "Original text.\n\nA paragraph of March first, with plenty of words in it.\n\n"
                             "A paragraph written in February, rebased on top later.\n")
    git(root, "commit", "-q", "-am", "February", "--date=2024-02-01T12:00:00Z", when="2024-03-02T12:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [r.date.isoformat() for r in post.history] == [
        "2024-01-01T12:00:00+00:00", "2024-03-01T12:00:00+00:00", "2024-03-02T12:00:00+00:00"]
    assert any("its author date, 2024-02-01 12:00, comes before the version before it" in s.why
               for s in result.skipped)


def test_raw_html_an_old_commit_left_open_is_closed_in_its_version_and_reported(tmp_path: Path) -> None:
    """A version cannot be mended once recorded: a ``<div>`` an old commit never closed would take the rest of
    its page (the old-version banner, the footer) into it.  It is closed at the end of that version's text."""
    from conftest import nu_errors
    root = _blog(tmp_path)
    name = "_posts/2024-01-05-open.md"
    head = "---\ntitle: Open\ndate: 2024-01-05 10:00:00 +0000\n---\n"
    commit(root, {name: head + "First paragraph.\n\n<div class=\"note\">A note box never closed\n\nSecond.\n"},
           "Publish", "2024-01-05T10:00:00Z")
    commit(root, {name: head + "First paragraph.\n\n<div class=\"note\">A note box, now closed</div>\n\nSecond.\n"},
           "Close the box", "2024-01-06T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    done = run_cli("import", str(root), cwd=site)
    assert done.returncode == 0, done.stderr
    assert "version 1 (git " in done.stdout and "raw HTML never closed (<div>): closed at the end" in done.stdout
    assert (site / "posts/open.versions/v1.md").read_text().endswith("Second.\n\n</div>\n")
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert nu_errors(site / "output/open") == []


def test_commits_since_an_earlier_import_are_named_not_brought(tmp_path: Path) -> None:
    """An import never changes a post it made; the author who kept committing to the old site is told which
    post has versions since, and how to bring them, where a second run used to say only that nothing changed."""
    root = _blog(tmp_path)
    name = "_posts/2024-01-05-kept.md"
    head = "---\ntitle: Kept\ndate: 2024-01-05 10:00:00 +0000\n---\n"
    commit(root, {name: head + "The text as imported.\n"}, "Publish", "2024-01-05T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert run_cli("import", str(root), cwd=site).returncode == 0
    again = run_cli("import", str(root), cwd=site)
    assert again.returncode == 0 and "newer than the import" not in again.stdout
    newest = commit(root, {name: head + "The text as imported, and a paragraph written after the import.\n"},
                    "After the import", "2024-02-01T10:00:00Z")
    later = run_cli("import", str(root), cwd=site)
    assert later.returncode == 0, later.stderr
    assert f"1 version newer than the import: the source has them since posts/kept.md was imported (the newest: " \
           f"2024-02-01, git {newest})" in later.stdout
    assert "written after" not in (site / "posts/kept.md").read_text()  # left as it is


def test_a_commit_rebased_onto_the_published_text_is_no_version_1(tmp_path: Path) -> None:
    """Written before the post came out (its author date) but put on the branch after (its committer date):
    the text readers first read is the commit before it."""
    root = _blog(tmp_path)
    name = "_posts/2024-03-01-gamma.md"
    head = "---\ntitle: Gamma\ndate: 2024-03-01 10:00:00 +0000\n---\n"
    commit(root, {name: head + "Original text readers read from March 1.\n"}, "First", "2024-03-01T10:00:00Z")
    (root / name).write_text(head + "Original text readers read from March 1.\n\nA whole new paragraph of "
                             "more than ten words, rebased onto main on March 10.\n")
    git(root, "commit", "-q", "-am", "Rebased edit", "--date=2024-02-15T10:00:00Z", when="2024-03-10T10:00:00Z")
    result = read(root, ReadOptions())
    (post,) = result.posts
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2024-03-01T10:00:00+00:00"), ("Rebased edit", "2024-03-10T10:00:00+00:00")]
    assert "rebased onto main" not in post.history[0].markdown


def test_committing_what_an_import_took_uncommitted_is_nothing_newer(tmp_path: Path) -> None:
    """The first import took the working tree's edit as the newest version; the author then commits just that:
    the source has nothing the site lacks, and a second run says nothing of the post's notes again."""
    root = _blog(tmp_path)
    name = "_posts/2024-03-01-a.md"
    head = "---\ntitle: A\ndate: 2024-03-01 10:00:00 +0000\n---\n"
    commit(root, {name: head + "First text.\n"}, "First", "2024-03-01T10:00:00Z")
    (root / name).write_text(head + "First text.\n\nA paragraph of more than ten words added before the import.\n")
    site = write_site(tmp_path / "site", {})
    first = run_cli("import", str(root), cwd=site)
    assert first.returncode == 0 and "uncommitted changes" in first.stdout
    git(root, "commit", "-q", "-am", "Commit what was imported", when="2024-03-05T10:00:00Z")
    again = run_cli("import", str(root), cwd=site)
    assert again.returncode == 0, again.stderr
    assert "newer than the import" not in again.stdout and "uncommitted" not in again.stdout
    assert "left as it is; nothing changed" in again.stdout


def test_an_edit_written_before_the_post_came_out_but_landed_after_is_version_2(tmp_path: Path) -> None:
    """Scheduled on February 1 for March 1; an edit written February 20 reached the branch (rebased) on March 10:
    on March 1 readers read the February 1 text."""
    root = _blog(tmp_path)
    name = "_posts/2024-03-01-gamma.md"
    head = "---\ntitle: Gamma\ndate: 2024-03-01 10:00:00 +0000\n---\n"
    commit(root, {name: head + "Original text readers read from March 1.\n"}, "Scheduled", "2024-02-01T10:00:00Z")
    (root / name).write_text(head + "Original text readers read from March 1.\n\nA whole new paragraph of more "
                             "than ten words, written February 20, landed March 10.\n")
    git(root, "commit", "-q", "-am", "Edit", "--date=2024-02-20T10:00:00Z", when="2024-03-10T10:00:00Z")
    (post,) = read(root, ReadOptions()).posts
    assert [(r.note, r.date.isoformat()) for r in post.history] == [
        ("", "2024-03-01T10:00:00+00:00"), ("Edit", "2024-03-10T10:00:00+00:00")]


def test_raw_html_an_old_commit_left_unbalanced_inside_a_paragraph_is_reported(tmp_path: Path) -> None:
    """A ``<b>`` never closed inside a paragraph ends with it: no end of the text can close it, and only its author
    could say where it ends.  The version keeps it, and the report says so."""
    root = _blog(tmp_path)
    name = "_posts/2024-01-05-bold.md"
    head = "---\ntitle: Bold\ndate: 2024-01-05 10:00:00 +0000\n---\n"
    commit(root, {name: head + "First <b>paragraph.\n\nSecond.\n"}, "Publish", "2024-01-05T10:00:00Z")
    commit(root, {name: head + "First <b>paragraph</b>.\n\nSecond.\n"}, "Close the bold", "2024-01-06T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    done = run_cli("import", str(root), cwd=site)
    assert done.returncode == 0, done.stderr
    assert "version 1 (git " in done.stdout and "raw HTML left as it was (<b> is never closed (</p> comes first))" \
        in done.stdout


def test_words_written_without_spaces_are_counted_as_the_pages_of_what_changed_count_them() -> None:
    """A clause of ten Chinese characters added to a sentence was one "word" changed, so a real revision was
    imported as a silent correction; each character is a word, as the site's own page of what changed says."""
    before = "这条河流经我们的村庄已有数百年。"
    assert changed_words(before, before.replace("已有数百年", "已有数百年，村民们用河水灌溉农田")) >= 10
    assert changed_words("村々は古い。", "村人は古い。") == 1
    assert changed_words("ชาวบ้านใช้น้ำ", "ชาวบ้านใช่น้ำ") == 1  # a tone mark changed: one letter, one word
    assert changed_words("Two statutes.", "Two statutes, and neither says enough.") == 5  # spaced words as before


def test_a_commit_that_only_adds_an_anchor_is_no_version(tmp_path: Path) -> None:
    """A commit that put `<a name="loss"></a>` before a paragraph (for a link to it) changed no word a reader
    reads, yet became a version whose page of what changed said the text did not change (12 on one blog)."""
    source = tmp_path / "blog"
    source.mkdir()
    git(source, "init", "-q")
    name = "_posts/2020-01-01-anchor.md"
    text = '---\ntitle: "Anchor"\n---\n\nFirst paragraph.\n\nSecond paragraph, about the loss.\n'
    commit(source, {"_config.yml": "title: T\n", name: text}, "post", "2020-01-01T09:00:00+00:00")
    text = text.replace("Second", '<a name="loss"></a>Second')
    commit(source, {name: text}, "add an anchor", "2020-02-01T09:00:00+00:00")
    text = text.replace("the loss.", "the loss, defined.")
    commit(source, {name: text}, "define", "2020-03-01T09:00:00+00:00")
    text = text.replace("First", '<a id="first"></a>First')
    commit(source, {name: text}, "another anchor", "2020-04-01T09:00:00+00:00")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source)]) == 0
    versions = sorted((root / "posts/anchor.versions").glob("v*.md"))
    assert [v.name for v in versions] == ["v1.md", "v2.md"]
    assert "defined" in versions[1].read_text() and '<a id="first"></a>First' in (root / "posts/anchor.md").read_text()
    assert run_cli("build", cwd=root).returncode == 0


def _moved_images(tmp_path: Path) -> Path:
    """Two posts whose first versions link ``/images/a.gif``, which a later commit replaced (so that each
    linked other bytes) and then moved to ``/assets/a.gif`` with the links."""
    root = _blog(tmp_path)
    head = "---\ntitle: {}\ndate: 2020-01-0{} 10:00:00 +0000\n---\n"
    commit(root, {"_config.yml": "title: Blog\n", "images/a.gif": "GIF89a first",
                  "_posts/2020-01-01-p1.md": head.format("P1", 1) + "A chart: ![chart](/images/a.gif), and a lost "
                                                                    "one: ![old](/images/never.png).\n"},
           "P1", "2020-01-01T10:00:00Z")
    commit(root, {"images/a.gif": "GIF89a second",
                  "_posts/2020-01-02-p2.md": head.format("P2", 2) + "Another chart: ![chart](/images/a.gif).\n"},
           "P2", "2020-01-02T10:00:00Z")
    (root / "assets").mkdir()
    git(root, "mv", "images/a.gif", "assets/a.gif")
    for name in ("_posts/2020-01-01-p1.md", "_posts/2020-01-02-p2.md"):
        path = root / name
        path.write_text(path.read_text().replace("/images/a.gif", "/assets/a.gif").replace(
            " and a lost one: ![old](/images/never.png)", ""))
    commit(root, {}, "Move the images", "2021-06-01T10:00:00Z")
    return root


def test_a_file_only_an_earlier_version_links_is_copied_from_its_commit(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``/p1/v1/`` showed a broken image: only the file the post links now was copied.  ``/p2/v1/`` showed the
    second ``a.gif``, which cannot take the first's address: a copy of its own, named by its bytes, which that
    version links (before, it showed the first, and the report named both by absolute paths)."""
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(_moved_images(tmp_path))]) == 0
    said = capsys.readouterr().out
    static = site / "static"
    second = fingerprinted("images/a.gif", b"GIF89a second")
    assert {p.relative_to(static).as_posix(): p.read_bytes() for p in static.rglob("*") if p.is_file()} == {
        "assets/a.gif": b"GIF89a second", "images/a.gif": b"GIF89a first", second: b"GIF89a second"}
    assert "![chart](/essays/images/a.gif)" in (site / "posts/p1.versions/v1.md").read_text()
    assert f"![chart](/essays/{second})" in (site / "posts/p2.versions/v1.md").read_text()
    assert "GIF89a" not in said and str(tmp_path) not in said
    assert re.search(r"posts/2020-01-02-p2\.md:1: linked file /images/a\.gif: version 1 showed it as commit "
                     r"[0-9a-f]{12} left it, with other bytes than commit [0-9a-f]{12}'s, which static/images/a\.gif "
                     rf"holds for another version: version 1's link leads to a copy from that commit, static/{second}",
                     said)
    assert re.search(r"posts/2020-01-01-p1\.md:1: linked file /images/never\.png: an earlier version \(commit "
                     r"[0-9a-f]{12}\) links it, which neither the folder nor that commit holds: that version's link "
                     r"leads nowhere", said)
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert '<img src="/essays/images/a.gif"' in (site / "output/p1/v1/index.html").read_text()
    assert (site / "output/images/a.gif").read_bytes() == b"GIF89a first"
    assert f'<img src="/essays/{second}"' in (site / "output/p2/v1/index.html").read_text()


def test_a_file_an_earlier_version_links_leaves_the_sites_own_of_that_name_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", {"static/images/a.gif": "the site's own"})
    assert main(["--site", str(site), "import", str(_moved_images(tmp_path))]) == 0
    assert (site / "static/images/a.gif").read_text() == "the site's own"
    assert (site / "static/assets/a.gif").read_text() == "GIF89a second"
    said = capsys.readouterr().out
    assert "static/images/a.gif exists with other bytes: not copied, and that version shows the site's file" in said
    assert str(tmp_path) not in said


def test_a_post_whose_history_begins_where_another_was_deleted_is_reported_with_the_deleted_one(
        tmp_path: Path) -> None:
    """A post renamed in the commit that rewrote most of it is no rename to git: its earlier texts and old
    address were lost without a word.  Whether the deleted post was this one only the author can tell."""
    root = _blog(tmp_path)
    old, new = "_posts/2019-05-01-why-trains.md", "_posts/2019-05-01-why-rail.md"
    commit(root, {old: "---\ntitle: Why trains\n---\nTrains move many people with little energy.\n"}, "Publish",
           "2019-05-01T10:00:00Z")
    git(root, "rm", "-q", old)
    third = commit(root, {new: "---\ntitle: Why rail\n---\nRail, not just trains: trams and metros share the "
                               "virtues of low energy per passenger.\n"}, "Rework", "2019-09-01T10:00:00Z")
    commit(root, {"_posts/2019-10-01-other.md": "---\ntitle: Other\n---\nAnother post.\n"}, "Other",
           "2019-10-01T10:00:00Z")
    result = read(root, ReadOptions())
    assert sorted(p.title for p in result.posts) == ["Other", "Why rail"]
    assert [(str(s.where), s.what, s.why) for s in result.skipped] == [
        (f"{new}:1", f"history before commit {third[:12]}", f"that commit added this file and deleted {old} (“Why "
         "trains”, at /2019/05/01/why-trains.html); if one was this post before it was renamed and rewritten at once, "
         "which git does not take for a rename, its texts before are not brought as versions, nor its old address as "
         "an alias: to keep the address, add it to the imported post's `aliases`")]


def test_raw_html_hugo_left_out_is_text_in_every_version_too(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """On a Hugo site whose renderer left raw HTML out (``unsafe`` unset), a version's text is read as the site
    showed it, as the current text is: ``<NAME>`` escaped, pasted XML a code block, in every version."""
    blog = _blog(tmp_path)
    head = "---\ntitle: k8s\ndate: 2020-01-01T09:00:00Z\n---\n\n"
    commit(blog, {"hugo.toml": 'baseURL = "https://old.example/"\n',
                  "content/posts/k8s.md": f"{head}To read logs:\n\nkubectl logs <NAME>\n"},
           "k8s", "2020-01-01T09:00:00+00:00")
    commit(blog, {"content/posts/k8s.md": f"{head}To read logs of a pod in a namespace:\n\nkubectl logs --namespace "
                  "<NAMESPACE> <NAME>\n\n<dependency>\n  <groupId>org.example</groupId>\n</dependency>\n"},
           "namespaces", "2020-02-01T09:00:00+00:00")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog)]) == 0
    out = capsys.readouterr().out
    first = (root / "posts/k8s.versions/v1.md").read_text()
    second = (root / "posts/k8s.versions/v2.md").read_text()
    assert first.endswith("kubectl logs \\<NAME>\n")
    assert "kubectl logs --namespace \\<NAMESPACE> \\<NAME>\n\n```\n<dependency>\n" in second
    assert "never closed" not in out
    assert "every version from git is read so too, by the settings the site has now" in out


def test_raw_html_the_current_text_never_closes_stops_the_import_before_its_history_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The error the writer would stop at after a walk of the whole history (ten minutes on a blog of 3,700
    commits) is said before the walk: here the walk cannot even read the first commit, and is never asked to."""
    blog = _blog(tmp_path)
    name = "_posts/2024-01-05-box.md"
    head = "---\ntitle: Box\ndate: 2024-01-05 10:00:00 +0000\n---\n"
    first = commit(blog, {"_config.yml": "title: Old\n", name: f"{head}A box:\n\n<div class=\"box\">\n\nOpen.\n"},
                   "box", "2024-01-05T10:00:00Z")
    commit(blog, {name: f"{head}A box:\n\n<div class=\"box\">\n\nStill open, with more words.\n"}, "more",
           "2024-01-06T10:00:00Z")
    (blog / ".git/objects" / first[:2] / first[2:]).unlink()  # the first commit cannot be read any more
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(blog)]) == 1
    err = capsys.readouterr().err
    assert f"{name}:7: raw HTML: <div> is never closed; nothing was imported: mend it in the source" in err, err
    assert "the import stops at what is said above, before reading the history in git" in err
    assert not (root / "posts/box.md").exists()


def test_raw_html_a_post_imported_before_never_closes_now_stops_nothing(tmp_path: Path) -> None:
    """A post an earlier run imported is left as it is, so its text, mended or not, is no reason to stop the
    next run before the history is read: that run still says which versions the source has since."""
    blog = _blog(tmp_path)
    name = "_posts/2024-01-05-box.md"
    head = "---\ntitle: Box\ndate: 2024-01-05 10:00:00 +0000\n---\n"
    commit(blog, {"_config.yml": "title: Old\n", name: f"{head}A box, closed.\n"}, "box", "2024-01-05T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert run_cli("import", str(blog), cwd=site).returncode == 0
    commit(blog, {name: f"{head}A box:\n\n<div class=\"box\">\n\nOpen, and many more words than before.\n"},
           "open", "2024-02-01T10:00:00Z")
    again = run_cli("import", str(blog), cwd=site)
    assert again.returncode == 0, again.stderr
    assert "1 version newer than the import" in again.stdout


def test_each_version_of_a_hugo_post_has_the_summary_its_own_text_gave(tmp_path: Path) -> None:
    """The words before ``<!--more-->`` are a Hugo post's summary: every version took the newest text's, so the
    first version's page described itself with words written a year later."""
    blog = _blog(tmp_path)
    head = "---\ntitle: Essay\ndate: 2021-01-01T10:00:00Z\n---\n"
    rest = "".join(f"\n\nParagraph {n} on housing near the stations, and the argument." for n in range(6))
    commit(blog, {"hugo.toml": 'baseURL = "https://example.org/"\n',
                  "content/posts/essay.md": head + "Old lead.\n\n<!--more-->" + rest + "\n"}, "publish",
           "2021-01-01T10:00:00Z")
    commit(blog, {"content/posts/essay.md": head + "No divider in this one." + rest + "\n"}, "again",
           "2021-06-01T10:00:00Z")
    commit(blog, {"content/posts/essay.md": head + "New lead, rewritten.\n\n<!--more-->" + rest + " More.\n"},
           "rewrite", "2022-01-01T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(blog), "--from", "hugo"]) == 0
    summaries = [re.findall(r"^summary: (.*)$", (site / f"posts/essay.versions/v{n}.md").read_text(), re.M)
                 for n in (1, 2, 3)]
    assert summaries == [["Old lead."], [], ["New lead, rewritten."]]
    assert re.findall(r"^summary: (.*)$", (site / "posts/essay.md").read_text(), re.M) == ["New lead, rewritten."]
    assert run_cli("build", cwd=site, env=EPOCH).returncode == 0
    assert '<meta name="description" content="Old lead.">' in (site / "output/essay/v1/index.html").read_text()

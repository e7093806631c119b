"""What ``serve`` makes of a burst of changed paths: a table of cases for ``classify``."""
from __future__ import annotations

from pathlib import PurePath

import pytest

from engine.commands.serve.changes import ChangeKind, Layout, classify, kind_of

K = ChangeKind
SITE = Layout(PurePath("/site"), posts="posts", output="output")
NESTED = Layout(PurePath("/site"), posts="content/essays", output="build/public")

CASES = [
    # one post's text: the quick path may show it before the rebuild
    (["posts/essay.md"], K.POST_TEXT),
    (["posts/cities/part-2.md"], K.POST_TEXT),
    (["posts/essay.md", "posts/essay.md"], K.POST_TEXT),
    (["posts/essay.md", "posts/.essay.md.swp"], K.POST_TEXT),
    (["posts/essay.md", "posts/essay.md.kate-swp (gone)"], K.POST_TEXT),
    (["posts/essay.md", "posts/other.md (gone)"], K.POST_TEXT),
    (["posts/.notes.md"], K.POST_TEXT),  # whether it is a post is the fast path's to find out
    # posts and series: a full rebuild
    (["posts/essay.md (gone)"], K.POSTS),
    (["posts/essay.md", "posts/other.md"], K.POSTS),
    (["posts/essay.md", "posts/a.md (gone)", "posts/b.md (gone)", "posts/c.md (gone)"], K.POSTS),
    (["posts/essay.versions/v2.md"], K.POSTS),
    (["posts/essay.md", "posts/essay.versions/v2.md"], K.POSTS),
    (["posts/essay.versions"], K.POSTS),
    (["posts/cities/series.toml"], K.POSTS),
    (["posts/cities/series.toml", "posts/cities/part-1.md"], K.POSTS),
    (["posts/cities"], K.POSTS),
    (["posts/img/map.png"], K.POSTS),
    (["posts/.DS_Store"], K.POSTS),
    (["posts"], K.POSTS),
    # templates, static files, config
    (["templates/post.html"], K.TEMPLATES),
    (["templates/notes.md"], K.TEMPLATES),
    (["templates/post.html", "posts/essay.md"], K.TEMPLATES),
    (["static/site.css"], K.STATIC),
    (["static/notes.md"], K.STATIC),
    (["static/.well-known/security.txt"], K.STATIC),
    (["static/site.css", "posts/essay.md"], K.POSTS),
    (["config.toml"], K.CONFIG),
    (["config.toml", "templates/post.html", "posts/essay.md"], K.CONFIG),
    # elsewhere in the site folder
    (["README.md"], K.OTHER),
    (["drafts/idea.md"], K.OTHER),
    (["posts/essay.md", "README.md"], K.POSTS),  # not the quick path: README.md is still there
    (["/elsewhere/x.md"], K.OTHER),
    # what the build writes, and what no build reads
    ([], K.NOTHING),
    (["output/index.html"], K.OUTPUT),
    (["output"], K.OUTPUT),
    (["output/essay/index.html", "posts/.essay.md.swp"], K.OUTPUT),
    (["output/index.html", "posts/essay.md"], K.POST_TEXT),
    ([".feuilleton-cache/cache.pickle"], K.NOTHING),
    ([".feuilleton-cache"], K.NOTHING),
    ([".feuilleton-staging-1234/index.html"], K.NOTHING),
    ([".feuilleton-spare-output/essay/index.html"], K.NOTHING),
    ([".git/index"], K.NOTHING),
    (["static/slides/.git/index", "static/slides/.hg/store/x", "static/vendor/.svn/entries"], K.NOTHING),
    ([".gitignore"], K.NOTHING),
    (["posts/.#essay.md"], K.NOTHING),
    (["posts/#essay.md#"], K.NOTHING),
    (["posts/essay.md~"], K.NOTHING),
    (["posts/.essay.md.swp"], K.NOTHING),
    (["posts/.essay.md.swo"], K.NOTHING),
    (["posts/4913"], K.NOTHING),
    (["posts/.essay.md.1234.tmp"], K.NOTHING),
    (["posts/essay.md.bak", "posts/essay.md.orig"], K.NOTHING),
    (["templates/post.html___jb_tmp___", "templates/post.html___jb_old___"], K.NOTHING),
    (["config.toml~"], K.NOTHING),
]


@pytest.mark.parametrize(("paths", "expected"), CASES, ids=[" ".join(paths) or "none" for paths, _ in CASES])
def test_classify(paths: list[str], expected: ChangeKind) -> None:
    """A path ending in `` (gone)`` no longer exists; the others are relative to the site folder."""
    names = [path.removesuffix(" (gone)") for path in paths]
    absolute = [str(SITE.root / name) for name in names]
    gone = {str(SITE.root / name) for path, name in zip(paths, names) if path.endswith(" (gone)")}
    assert classify(absolute, SITE, gone) is expected


@pytest.mark.parametrize(("path", "expected"), [
    ("content/essays/essay.md", K.POST_TEXT),
    ("content/essays/essay.versions/v1.md", K.POSTS),
    ("content/notes.md", K.OTHER),
    ("build/public/index.html", K.OUTPUT),
    ("build/other.txt", K.OTHER),
    ("posts/essay.md", K.OTHER),
])
def test_kind_of_follows_the_configured_folders(path: str, expected: ChangeKind) -> None:
    assert kind_of(str(NESTED.root / path), NESTED) is expected


def test_a_site_whose_posts_are_its_root_keeps_its_other_folders_apart() -> None:
    site = Layout(PurePath("/site"), posts=".", output="output")
    kinds = [kind_of(f"/site/{path}", site) for path in ("essay.md", "config.toml", "static/a.css", "output/x")]
    assert kinds == [K.POST_TEXT, K.CONFIG, K.STATIC, K.OUTPUT]


def test_only_nothing_and_output_call_for_no_build() -> None:
    assert [kind for kind in ChangeKind if not kind.rebuilds] == [K.NOTHING, K.OUTPUT]


def test_a_file_beside_config_toml_calls_for_no_build(tmp_path) -> None:
    site = Layout(PurePath(tmp_path), posts="posts", output="output")
    (tmp_path / "serve.log").write_text("rebuilt\n")  # serve's output, sent into the site folder
    (tmp_path / "drafts-to-come").mkdir()
    assert kind_of(str(tmp_path / "serve.log"), site) is K.NOTHING
    assert kind_of(str(tmp_path / "drafts-to-come"), site) is K.OTHER  # a folder may become the posts folder
    assert kind_of(str(tmp_path / "config.toml"), site) is K.CONFIG

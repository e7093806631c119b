"""A deploy worktree's ``.git`` in ``output/`` survives a build killed at the worst moment.

Hidden entries of ``output/`` that the site does not generate (a worktree's
``.git``, a ``.nojekyll``) are carried into the spare tree just before the
two trees are swapped.  A build killed between the two steps leaves them in
``.feuilleton-spare-output/``; the next build must put them back in
``output/`` whether or not it has anything to write, and never leave a copy
behind.  The state such a kill leaves is made on disk here, then a real
build runs.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import post, run_cli, write_site

pytestmark = pytest.mark.slow  # builds killed before their swap

GITFILE = "gitdir: /srv/essays/.git/worktrees/output\n"


def _worktree(out: Path, kind: str) -> None:
    """A ``.git`` as ``git worktree add`` (a file) or ``git clone`` (a folder) leaves it, and a ``.nojekyll``."""
    if kind == "file":
        (out / ".git").write_text(GITFILE)
    else:
        (out / ".git" / "refs").mkdir(parents=True)
        (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / ".nojekyll").write_text("")


def _is_worktree(out: Path, kind: str) -> bool:
    if kind == "file":
        return (out / ".git").read_text() == GITFILE
    return (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n" and (out / ".git" / "refs").is_dir()


def _killed_before_the_swap(root: Path, names: list[str]) -> None:
    """What a build killed after carrying ``names`` into the spare, and before swapping, leaves."""
    spare = root / ".feuilleton-spare-output"
    for name in names:
        os.rename(root / "output" / name, spare / name)
    (root / ".feuilleton-cache" / "stamp.pickle").unlink(missing_ok=True)  # a build removes it before writing


def build(root: Path):
    done = run_cli("--site", str(root), "build", "-q", timeout=120)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_site(tmp_path / "site", {"posts/essay.md": post("An essay", body="First text.")})
    build(root)
    (root / "posts/essay.md").write_text(post("An essay", body="Second text."))
    build(root)  # both trees exist now
    return root


@pytest.mark.parametrize("kind", ["file", "folder"])
@pytest.mark.parametrize("changed", [False, True], ids=["nothing-changed", "a-post-changed"])
def test_a_git_stranded_in_the_spare_by_a_kill_is_back_in_output_after_the_next_build(root: Path, kind: str,
                                                                                        changed: bool) -> None:
    out, spare = root / "output", root / ".feuilleton-spare-output"
    _worktree(out, kind)
    _killed_before_the_swap(root, [".git"])  # .nojekyll was next: the kill came between the two
    assert not (out / ".git").exists() and (spare / ".git").exists()
    if changed:
        (root / "posts/essay.md").write_text(post("An essay", body="Third text."))
    build(root)
    assert _is_worktree(out, kind) and (out / ".nojekyll").is_file()
    assert not os.path.lexists(spare / ".git") and not os.path.lexists(spare / ".nojekyll")
    assert ("Third text." if changed else "Second text.") in (out / "essay/index.html").read_text()
    (root / "posts/essay.md").write_text(post("An essay", body="Fourth text."))
    build(root)  # and the next swap carries it along as usual
    assert _is_worktree(out, kind) and "Fourth text." in (out / "essay/index.html").read_text()
    assert not os.path.lexists(spare / ".git")


def test_everything_carried_and_stranded_is_restored(root: Path) -> None:
    out, spare = root / "output", root / ".feuilleton-spare-output"
    _worktree(out, "folder")
    _killed_before_the_swap(root, [".git", ".nojekyll"])
    build(root)
    assert _is_worktree(out, "folder") and (out / ".nojekyll").is_file()
    assert sorted(p.name for p in spare.iterdir() if p.name.startswith(".")) == []


def test_a_named_pipe_in_place_of_the_lock_file_is_an_error_not_a_wait(root: Path) -> None:
    (root / ".feuilleton-spare-output.lock").unlink()
    os.mkfifo(root / ".feuilleton-spare-output.lock")
    (root / "posts/essay.md").write_text(post("An essay", body="Third text."))
    done = run_cli("--site", str(root), "build", timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{root / 'output'}: cannot write the site ({root / '.feuilleton-spare-output.lock'}: not a regular file "
        "(a named pipe); only files are read); the previous output is left as it was"]
    assert "Second text." in (root / "output/essay/index.html").read_text()


def test_the_spare_is_private_and_output_keeps_its_mode(tmp_path: Path) -> None:
    """The spare holds the site as it was a build earlier, drafts too if that build showed them; an output
    folder in a web server's root has its spare beside it, where only the owner may enter."""
    import stat

    root = write_site(tmp_path / "site", {"posts/essay.md": post("An essay", body="First text."),
                                          "posts/secret.md": post("A secret", draft=True)})
    mask = os.umask(0o022)
    os.umask(mask)
    assert run_cli("--site", str(root), "build", "-q", "--drafts").returncode == 0
    out, spare = root / "output", root / ".feuilleton-spare-output"
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask  # the first build: a new folder's mode
    build(root)
    assert (spare / "secret" / "index.html").is_file() and not (out / "secret").exists()
    assert stat.S_IMODE(spare.stat().st_mode) == 0o700
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask
    out.chmod(0o751)  # the host's choice stays
    (root / "posts/essay.md").write_text(post("An essay", body="Second text."))
    build(root)
    assert "Second text." in (out / "essay" / "index.html").read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o751 and stat.S_IMODE(spare.stat().st_mode) == 0o700
    import time
    back = time.time() - 3600  # saved an hour ago, as an author's files are: a build then trusts its stamp
    for path in [root, *root.rglob("*")]:
        os.utime(path, (back, back))
    build(root)
    spare.chmod(0o755)  # as an older Feuilleton left it
    done = run_cli("--site", str(root), "build", "-v")
    assert "nothing changed since the last build" in done.stderr
    assert stat.S_IMODE(spare.stat().st_mode) == 0o700

"""``git:REMOTE#BRANCH``: the built site as one new commit on a branch of a remote (GitHub, GitLab or
Codeberg Pages), then pushed.

Everything happens in a throw-away bare repository in a temporary folder: the branch's tip is fetched
there (one commit deep), the built folder is added through a temporary index with ``--force`` (no ignore
rule of the author's drops a file) and line endings kept as they are, ``commit-tree`` makes a commit
whose parent is the tip (the branch's history is kept), and ``push`` sends it.  The author's checkout,
index, branches and configuration are never read or written; the site folder need not be a repository
at all.  A push either moves the branch or leaves it as it was, and a push rejected because the branch
moved meanwhile changes nothing, so a deploy is always safe to run again.
"""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from ...importing.gitlog import repository
from .scratch import folder as temporary_folder
from .target import Changes, Collected, Target

log = logging.getLogger(__name__)

_ISOLATING = ("-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.bare=false",
              "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false", "-c", "core.fsmonitor=false")
"""Settings that keep a user's git configuration from changing the bytes or running anything."""
_FOREIGN = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_CEILING_DIRECTORIES")
"""Variables a hook or a shell may have set that would point git at the author's repository."""


class _Git:
    """``git`` run against the temporary repository only, with explicit arguments and no shell."""

    def __init__(self, folder: Path, target: Target):
        self.dir, self.index, self.target = folder / "repo.git", folder / "index", target
        self.env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
        self.env.update(GIT_DIR=str(self.dir), GIT_INDEX_FILE=str(self.index), GIT_TERMINAL_PROMPT="0",
                        LC_ALL="C")

    def __call__(self, *args: str, work_tree: Path | None = None, check: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        tree = ["--work-tree", str(work_tree)] if work_tree else []
        done = subprocess.run(["git", *_ISOLATING, *tree, *args], env={**self.env, **(env or {})},
                              capture_output=True, text=True, cwd=self.dir.parent)
        if check and done.returncode != 0:
            raise self.target.fail(f"git {args[0]} failed: {_last_lines(done.stderr)}")
        return done

    def push(self, remote: str, refspec: str, progress: bool) -> subprocess.CompletedProcess[str]:
        """``git push``; on a terminal (``progress``) its progress is shown as it sends, and its messages
        are kept for what a failure says."""
        args = ["git", *_ISOLATING, "push", "--progress" if progress else "--quiet", remote, refspec]
        process = subprocess.Popen(args, env=self.env, cwd=self.dir.parent, stderr=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, text=True, errors="replace")
        assert process.stderr is not None
        said = []
        for line in process.stderr:
            said.append(line)
            if progress:
                print(line.rstrip("\n")[:120], end="\r", file=sys.stderr, flush=True)
        return subprocess.CompletedProcess(args, process.wait(), "", "".join(said))


def _shown(git: _Git, tip: str, rel: str) -> bytes | None:
    """The bytes of a file on the branch's tip (None where there is none)."""
    if not tip:
        return None
    done = subprocess.run(["git", *_ISOLATING, "cat-file", "blob", f"{tip}:{rel}"], env=git.env, capture_output=True,
                          cwd=git.dir.parent)
    return done.stdout if done.returncode == 0 else None


def publish(target: Target, built: Path, cname: str, title: str, dry_run: bool, say,
            progress: bool = False, guard=lambda changes, read: None) -> Changes:
    """Commit ``built`` (with ``.nojekyll`` and ``CNAME``) on the branch and push it (``dry_run``: only say
    what would change against the branch's tip); ``guard`` sees the changes, and a reader of the tip's files,
    first, and may refuse them."""
    remote, _, branch = target.where.rpartition("#")
    remote = _remote(remote.strip(), target.site)
    (built / ".nojekyll").write_bytes(b"")
    if cname:
        (built / "CNAME").write_text(cname + "\n", encoding="utf-8")
    with temporary_folder() as folder:
        git = _Git(Path(folder), target)
        git("init", "--quiet", "--bare", "--template=", str(git.dir))
        tip = _fetch_tip(git, remote, branch, target)
        _not_a_source(git, tip, target, built)
        git("add", "--all", "--force", ".", work_tree=built)
        tree = git("write-tree").stdout.strip()
        changes = _diff(git, tip, tree)
        guard(changes, lambda rel: _shown(git, tip, rel))
        if dry_run or changes.empty:
            return changes
        commit = _commit(git, tree, tip, title)
        say(f"pushing {len(changes.added) + len(changes.changed)} new or changed files to {branch} of {remote}…")
        pushed = git.push(remote, f"{commit}:refs/heads/{branch}", progress)
        if pushed.returncode != 0:
            listed = git("ls-remote", "--heads", remote, f"refs/heads/{branch}", check=False).stdout.split()
            now = listed[0] if listed else ""
            if now == tip:
                state = f"still at {tip[:12]}, as before" if tip else "not created"
            else:
                state = f"at {now[:12]}, which another push put there meanwhile" if now else "deleted meanwhile"
            raise target.fail(f"git push to {remote} failed: {_last_lines(pushed.stderr)}; the branch {branch} is "
                              f"{state} (a push moves a branch whole or not at all), so running deploy again is "
                              "safe")
        return changes


def _remote(remote: str, site: Path) -> str:
    """A remote as git takes it: a URL, ``host:path``, a local path (relative to the site folder), or the
    name of a remote of the site's own repository (``origin``), read from it."""
    if "/" not in remote and ":" not in remote and not (site / remote).exists():
        found = subprocess.run(["git", "-C", str(site), "remote", "get-url", "--", remote], capture_output=True,
                               text=True, env={k: v for k, v in os.environ.items() if k not in _FOREIGN})
        url = found.stdout.strip() if found.returncode == 0 else ""
        if url and "://" not in url and not re.match(r"[^/]+:", url) and not Path(url).is_absolute():
            top = repository(site)  # a path git reads from the top of the site's work tree, as `git push` does
            return str((top / url).resolve()) if top else url
        if url:
            return url
    if "://" not in remote and (site / remote).exists():
        return str((site / remote).resolve())
    return remote


def _fetch_tip(git: _Git, remote: str, branch: str, target: Target) -> str:
    """The branch's tip commit, fetched (one commit deep); empty when the branch does not exist yet."""
    listed = git("ls-remote", "--heads", remote, f"refs/heads/{branch}", check=False)
    if listed.returncode != 0:
        raise target.fail(f"cannot reach the git remote {remote}: {_last_lines(listed.stderr)}; nothing was sent")
    if not listed.stdout.strip():
        return ""
    git("fetch", "--quiet", "--depth=1", "--no-tags", remote, f"refs/heads/{branch}:refs/deploy/tip")
    return git("rev-parse", "refs/deploy/tip").stdout.strip()


_SOURCE = ("config.toml", "posts")
"""What a branch holding a site's source has at its top."""


def _not_a_source(git: _Git, tip: str, target: Target, built: Path) -> None:
    """Refuse a branch whose tip holds a site's source: ``config.toml`` at its top or at the site's own place
    in its repository (a site in a folder of a larger one), or a commit the site's checkout is built on.  A
    deploy would replace the author's files with the built pages."""
    if not tip:
        return
    held: list[str] = []
    for where in dict.fromkeys(("", _place_in_repository(target.site))):
        listed = git("ls-tree", "-z", "--name-only", tip, "--", *(f"{where}{name}" for name in _SOURCE)).stdout
        held = [name for name in listed.split("\0") if name]
        if f"{where}config.toml" in held and not (built / f"{where}config.toml").exists():
            break  # a build writes none (unless the site publishes one from static/); "posts" may be a post
        held = []
    ours = subprocess.run(["git", "-C", str(target.site), "merge-base", "--is-ancestor", tip, "HEAD"],
                          capture_output=True, env={k: v for k, v in os.environ.items() if k not in _FOREIGN})
    if held or ours.returncode == 0:
        said = ", ".join(held) if held else f"commit {tip[:12]}, which the site's checkout is built on"
        raise target.fail(f"the branch holds the source of a site ({said}), not built pages: a deploy would "
                          "replace the author's files with the site built from them; deploy to a branch of its "
                          "own, such as gh-pages; nothing was sent")


def _place_in_repository(site: Path) -> str:
    """The site folder's path in the git repository it is in (``essays/``), empty at its top or outside git."""
    done = subprocess.run(["git", "-C", str(site), "rev-parse", "--show-prefix"], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k not in _FOREIGN})
    return done.stdout.strip() if done.returncode == 0 else ""


def _diff(git: _Git, tip: str, tree: str) -> Changes:
    """What the new tree changes from the tip's: added, changed and removed files."""
    collected = Collected()
    if not tip:
        listed = git("ls-tree", "-r", "-z", "--name-only", tree).stdout
        collected.added += [p for p in listed.split("\0") if p]
        return collected.done()
    listed = git("diff-tree", "-r", "-z", "--no-renames", "--name-status", tip, tree).stdout.split("\0")
    for status, path in zip(listed[0::2], listed[1::2]):
        {"A": collected.added, "D": collected.removed}.get(status, collected.changed).append(path)
    return collected.done()


def _commit(git: _Git, tree: str, tip: str, title: str) -> str:
    """A commit of ``tree`` on top of ``tip``, by the user's git identity or, without one, by Feuilleton."""
    named = git("config", "user.name", check=False).stdout.strip() and git("config", "user.email",
                                                                            check=False).stdout.strip()
    who = {} if named else {"GIT_AUTHOR_NAME": "Feuilleton", "GIT_AUTHOR_EMAIL": "feuilleton@localhost",
                            "GIT_COMMITTER_NAME": "Feuilleton", "GIT_COMMITTER_EMAIL": "feuilleton@localhost"}
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parent = ["-p", tip] if tip else []
    return git("commit-tree", tree, *parent, "-m", f"Deploy {title} ({when}) with Feuilleton",
               env=who).stdout.strip()


def _last_lines(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-6:]) or "no message"

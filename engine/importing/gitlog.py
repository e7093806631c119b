"""The history git holds of a site's folder, read without running anything it names: one ``git log`` of the
repository along the branch's first parents (through a merge ``git pull`` made, its second), each file followed
back through its renames, every text those commits gave the files read in one ``git cat-file --batch``, and
what a merge brought.

Plain ``git`` through ``subprocess`` with explicit arguments (never a shell) is enough for these read-only
calls, and it reads every repository git can, packed or not, without a binding to build.  A shallow clone is
refused: its cut-off history would pass a later text for the first.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Sequence

from ..errors import Diagnostic, SiteError

log = logging.getLogger(__name__)

_GIT_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.quotepath=false", "-c", "log.showSignature=false",
             "-c", "diff.renames=true")
"""Settings that keep git from running anything a repository's own config names."""


@dataclass(frozen=True)
class Commit:
    """One commit of the walk, with the files it changed."""

    id: str
    date: datetime
    """Its author date."""
    committed: datetime
    """Its committer date: what dates a version whose author date lies in the future (a wrong clock)."""
    parents: tuple[str, ...]
    subject: str
    changes: tuple[tuple[str, str, str], ...]
    """(status letter, old path, new path), paths from the repository's top; old == new unless renamed.  A
    merge's are against its first parent: what the merge brought to the branch."""
    pulled: bool = False
    """Whether it is a merge ``git pull`` made that the line goes through by its second parent, which
    ``parents`` puts first (``pulled_line``)."""


def repository(folder: Path) -> Path | None:
    """The top of the git work tree ``folder`` is in, or None (not in one, or no git here)."""
    if shutil.which("git") is None:
        return None
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(folder), "rev-parse", "--show-toplevel"],
                          capture_output=True, text=True, env=_env())
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return Path(done.stdout.strip()).resolve()


def submodules(top: Path) -> tuple[dict[Path, str], list[Path]]:
    """The folders of the repository that are git submodules: those checked out, deepest first, each with the
    commit of it the site's index sets, and those not (an empty folder: a clone made without
    ``--recurse-submodules``)."""
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "ls-files", "--stage", "-z"], capture_output=True,
                          env=_env())
    found = {top / entry.split("\t", 1)[1]: entry.split(" ")[1] for entry in done.stdout.decode("utf-8", "replace")
             .split("\x00") if entry.startswith("160000 ") and "\t" in entry}
    inner = {path.resolve(): sha for path, sha in found.items() if (path / ".git").exists()}
    return ({path: inner[path] for path in sorted(inner, key=lambda p: -len(p.parts))},
            [path for path in found if not (path / ".git").exists()])


def behind(inner: dict[Path, str]) -> list[tuple[Path, str, str]]:
    """The checked-out submodules of ``inner`` (folder → the commit the site's index sets) whose work tree is at
    an older commit than the one set (``git pull`` fetches the new one and leaves the old checked out), or at
    one beside it: each with the commit checked out and the one set.  One checked out at a newer commit than the
    one set is the author's work since, which the site has not recorded yet, as an uncommitted edit is."""
    found = []
    for path, pinned in inner.items():
        head = subprocess.run(["git", *_GIT_SAFE, "-C", str(path), "rev-parse", "HEAD"], capture_output=True,
                              env=_env()).stdout.decode().strip()
        if head and head != pinned and subprocess.run(
                ["git", *_GIT_SAFE, "-C", str(path), "merge-base", "--is-ancestor", pinned, head],
                capture_output=True, env=_env()).returncode != 0:
            found.append((path, head, pinned))
    return found


_PIN = re.compile(r":\d{6} 160000 [0-9a-f]+ ([0-9a-f]+) [AM]\x00([^\x00]*)")


def pins(top: Path, path: str) -> dict[str, str]:
    """Each commit of the branch's first parents that set a submodule at ``path`` → the commit of it set: what
    the site published from it, from then on.  Empty where no submodule was ever kept there (a folder of the
    site's own, or one holding a submodule deeper down)."""
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "log", "--first-parent", "-m", "--raw", "--no-abbrev",
                           "-z", "--format=%x1e%H", "--", path], capture_output=True, env=_env())
    found: dict[str, str] = {}
    for record in done.stdout.decode("utf-8", "replace").split("\x1e"):
        commit, _, rest = record.strip("\n\x00").partition("\x00")
        pinned = next((sha for sha, at in _PIN.findall(rest) if at == path), None)
        if pinned is not None:
            found[commit.strip()] = pinned
    return found


def module_repository(top: Path, commit: str, path: str) -> tuple[Path | None, str]:
    """Where the repository of the submodule that ``commit`` kept at ``path`` is stored, which ``git rm`` of a
    submodule leaves in the site's ``.git/modules/``: None where this clone lacks it (one made after the
    submodule was taken out); and its address, as that commit's ``.gitmodules`` gave it."""
    def setting(key: str) -> dict[str, str]:
        done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "config", "-z", "--blob", f"{commit}:.gitmodules",
                               "--get-regexp", rf"^submodule\..*\.{key}$"], capture_output=True, env=_env())
        pairs = (entry.partition("\n") for entry in done.stdout.decode("utf-8", "replace").split("\x00") if entry)
        return {name.removeprefix("submodule.").removesuffix(f".{key}"): value for name, _, value in pairs}
    name = next((name for name, at in setting("path").items() if at.strip("/") == path), path)
    common = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "rev-parse", "--git-common-dir"],
                            capture_output=True, text=True, env=_env()).stdout.strip()
    stored = (top / common / "modules" / name).resolve()
    return (stored if (stored / "HEAD").is_file() else None), setting("url").get(name, "")


def present(top: Path, objects: list[str]) -> set[str]:
    """Those of ``objects`` the repository holds (a submodule's commit the site set may never have been fetched
    into its clone), through one ``git cat-file --batch-check``."""
    wanted = [o for o in dict.fromkeys(objects) if o and "\n" not in o]
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "cat-file", "--batch-check"],
                          input="".join(f"{o}\n" for o in wanted).encode(), capture_output=True, env=_env())
    answers = done.stdout.decode("utf-8", "replace").splitlines()
    return {o for o, answer in zip(wanted, answers) if not answer.endswith(" missing")}


def changes_between(top: Path, pairs: list[tuple[str, str | None]]) -> list[tuple[tuple[str, str, str], ...]]:
    """``Commit.changes`` of each commit against the one given with it (None: against nothing), in one
    ``git diff-tree``: what moving a submodule from one commit of it to another changed, back or forth."""
    if not pairs:
        return []
    request = "".join(f"{commit} {before}\n" if before else f"{commit}\n" for commit, before in pairs).encode()
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "diff-tree", "--stdin", "--root", "--always", "-r",
                           "-z", "--name-status", "-M", "--no-color", _FORMAT], input=request, capture_output=True,
                          env=_env())
    if done.returncode != 0:
        raise SiteError(Diagnostic(str(top), 0, f"git diff-tree failed: {done.stderr.decode('utf-8', 'replace')}"
                                   " (import with --no-history to leave the history out)"))
    return [_commit(record).changes for record in done.stdout.decode("utf-8", "replace").split("\x1e")
            if record.strip()]  # one for each pair, as --always says


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def refuse_shallow(top: Path, folder: Path) -> None:
    """A shallow clone's history stops at a commit that seems to add every file: its texts would pass for
    the first published ones."""
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "rev-parse", "--is-shallow-repository"],
                          capture_output=True, text=True, env=_env())
    if done.stdout.strip() == "true":
        raise SiteError(Diagnostic(str(folder), 0, "this git repository is a shallow clone, so the history of "
                                   "its posts is cut off and their first versions would be later texts; run "
                                   "`git fetch --unshallow` in it first, or import with --no-history"))


_FORMAT = "--format=%x1e%H%x1f%aI%x1f%cI%x1f%P%x1f%s"
_PULLED = re.compile(r"Merge (?:branch '(?P<branch>[^']+)' of (?P<url>\S+)|remote-tracking branch '(?P<remote>[^'/]+)/"
                     r"(?P<tracked>[^']+)')(?: into (?P<into>\S+))?")
"""The subject ``git pull`` gives the merge it makes when the branch had commits of its own that the remote
lacked: ``Merge branch 'main' of github.com:a/blog`` (or, from a ``git merge origin/main``, ``Merge
remote-tracking branch 'origin/main'``), ``into X`` when the branch is not the default one."""


def walk(top: Path, refused: frozenset[str] = frozenset()) -> list[Commit]:
    """Every commit of the branch's own line, newest first, merges included with what each merge brought: what
    the branch held, and so the site, at each point.  The whole repository's, not only the site folder's: a blog
    moved into a folder of its repository (``blog/``) is followed back to where its posts were before.

    That line is the first parents, but through a merge ``git pull`` made of the branch into a copy of itself
    (``pulled_line``): its first parent is a machine's own commit, which the site never had, and its second
    what the site held meanwhile; not through those ``refused`` (a pull from a theme's repository, cloned as
    the blog's start, which lacks the post: ``history`` tells)."""
    line, pulled = pulled_line(top, refused)
    if line is None:
        command = ["log", "-z", "--first-parent", "-m", "--name-status", "-M", "--no-color", _FORMAT]
        request = None
    else:  # each commit against the parent the line came through: what it brought to the site
        command = ["diff-tree", "--stdin", "--root", "-r", "-z", "--name-status", "-M", "--no-color", _FORMAT]
        request = "".join(f"{commit} {parents[0]}\n" if parents else f"{commit}\n"
                          for commit, parents in line.items()).encode()
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), *command], input=request, capture_output=True,
                          env=_env())
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if message and "does not have any commits" in message[-1]:
            return []
        raise SiteError(Diagnostic(str(top), 0, f"git log failed: {message[-1] if message else done.returncode}"
                                   " (import with --no-history to leave the history out)"))
    commits = [_commit(record) for record in done.stdout.decode("utf-8", "replace").split("\x1e") if record.strip()]
    return commits if line is None else [replace(c, parents=line[c.id], pulled=c.id in pulled) for c in commits]


def pulled_line(top: Path, refused: frozenset[str] = frozenset()
                ) -> tuple[dict[str, tuple[str, ...]] | None, frozenset[str]]:
    """The branch's line when a merge ``git pull`` made is on it (None when there is none, and the first
    parents are the line): each commit on it, newest first, with its parents, the one the line came through
    first; and those merges.  Through such a merge (but those ``refused``) the line takes its second parent,
    what the remote, and the site, held."""
    own = _Own.of(top)
    if not own.origin:
        return None, frozenset()  # no way to tell this repository's own branch from another's (a theme's)
    branch = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "symbolic-ref", "--short", "-q", "HEAD"],
                            capture_output=True, text=True, env=_env()).stdout.strip()
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "log", "-z", "--format=%H%x1f%P%x1f%s", "HEAD"],
                          capture_output=True, env=_env())
    if done.returncode != 0:
        return None, frozenset()  # no commits yet: the walk says so
    known = {}
    for record in done.stdout.decode("utf-8", "replace").split("\x00"):
        if record.strip():
            commit, parents, subject = record.strip("\n").split("\x1f", 2)
            known[commit] = (tuple(parents.split()), subject)
    line: dict[str, tuple[str, ...]] = {}
    pulled: set[str] = set()
    commit = next(iter(known), None)
    while commit is not None and commit in known and commit not in line:
        parents, subject = known[commit]
        if len(parents) > 1 and commit not in refused and own.pulls(subject, branch):
            parents = (parents[1], parents[0], *parents[2:])
            pulled.add(commit)
        line[commit] = parents
        commit = parents[0] if parents else None
    return (line, frozenset(pulled)) if pulled else (None, frozenset())


@dataclass(frozen=True)
class _Own:
    """What a repository's settings say of its own remote: ``origin``'s address, and the branch of it that each
    local branch pulls (``branch.X.merge``)."""

    origin: str
    upstream: dict[str, str]

    @classmethod
    def of(cls, top: Path) -> _Own:
        def config(*args: str) -> str:
            return subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "config", *args], capture_output=True,
                                  text=True, env=_env()).stdout
        upstream = {}
        for line in config("--get-regexp", r"^branch\..*\.merge$").splitlines():
            key, _, value = line.partition(" ")
            upstream[key.removeprefix("branch.").removesuffix(".merge")] = value.strip().removeprefix("refs/heads/")
        return cls(_address(config("--get", "remote.origin.url").strip()), upstream)

    def pulls(self, subject: str, branch: str) -> bool:
        """Whether a merge's subject is the one ``git pull`` gives a branch of ``origin`` merged into the local
        branch that follows it: not a theme's updates, nor another branch of the site's, merged in."""
        found = _PULLED.fullmatch(subject.strip())
        if found is None:
            return False
        if found.group("url") is not None and _address(found.group("url")) != self.origin:
            return False
        if found.group("remote") is not None and found.group("remote") != "origin":
            return False
        merged, into = found.group("branch") or found.group("tracked"), found.group("into")
        local = into or branch
        follows = {local, self.upstream.get(local), branch} | (set() if into else {"main", "master"})
        return merged in follows - {None, ""}  # ``branch``: a merge on its line, of it, was pushed to it


def _address(url: str) -> str:
    """A remote's address as ``host/path`` for comparing: ``git@github.com:a/b.git``, ``https://github.com/a/b``
    and ``ssh://git@github.com/a/b/`` are one."""
    url = url.strip().rstrip("/").removesuffix(".git")
    if "://" in url:
        url = url.split("://", 1)[1]
    elif re.match(r"[^/]+:", url):  # scp-like: [user@]host:path
        url = url.replace(":", "/", 1)
    host, _, path = url.partition("/")
    return f"{host.rpartition('@')[2]}/{path}".lower() if path else host.lower()


def _commit(record: str) -> Commit:
    head, _, rest = record.partition("\x00")
    commit_id, moment, committed, parents, subject = head.split("\x1f", 4)
    fields = [f for f in rest.lstrip("\n").split("\x00")]
    changes: list[tuple[str, str, str]] = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index].strip()
        if status[:1] in ("R", "C") and index + 2 < len(fields):
            changes.append((status[0], fields[index + 1], fields[index + 2]))
            index += 3
        elif index + 1 < len(fields):
            changes.append((status[:1], fields[index + 1], fields[index + 1]))
            index += 2
        else:
            break
    return Commit(commit_id, datetime.fromisoformat(moment), datetime.fromisoformat(committed),
                  tuple(parents.split()), subject.strip(), tuple(changes))


def relative(path: Path, top: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(top).as_posix() if resolved != top else ""


def trail(commits: Sequence[Commit], name: str) -> list[tuple[Commit, str]]:
    """The commits that changed the file now called ``name``, oldest first, each with its name then;
    renames are followed back, and so is a file deleted and later added again at its name, as ``git log
    --follow`` does; a copy, or an add with no deletion before it, ends the trail."""
    trail: list[tuple[Commit, str]] = []
    added = False
    for commit in commits:
        if added:  # the file was added here: it goes on only where an older commit deleted it
            if not any(c[0] == "D" and c[1] == name for c in commit.changes):
                continue
            added = False
            continue
        change = next((c for c in commit.changes if c[2] == name and c[0] != "D"), None)
        if change is None:
            continue
        trail.append((commit, name))
        status, old, _ = change
        if status == "C":
            break
        added = status == "A"
        name = old
    return trail[::-1]


def blobs(top: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The file ``path`` as commit ``id`` left it, for every pair, through one ``git cat-file --batch``."""
    wanted = [w for w in dict.fromkeys(wanted) if "\n" not in w[1]]
    if not wanted:
        return {}
    request = "".join(f"{commit}:{path}\n" for commit, path in wanted).encode("utf-8")
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "cat-file", "--batch"], input=request,
                          capture_output=True, env=_env())
    if done.returncode != 0:
        raise SiteError(Diagnostic(str(top), 0, f"git cat-file failed: {done.stderr.decode('utf-8', 'replace')}"))
    found: dict[tuple[str, str], bytes] = {}
    out, at = done.stdout, 0
    for key in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[key] = out[at:at + size]
            at += size + 1
    return found


def merged_subjects(top: Path, merge: Commit, name: str) -> str:
    """What a merge brought to the file ``name``, told by the subjects of the commits it merged that changed
    it, oldest first: a merge's own subject (``Merge branch 'x'``) says nothing to a reader."""
    done = subprocess.run(["git", *_GIT_SAFE, "-C", str(top), "log", "--no-merges", "--reverse", "--format=%s",
                           f"{merge.parents[0]}..{merge.id}", "--", name], capture_output=True, env=_env())
    subjects = [line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()]
    return "; ".join(dict.fromkeys(subjects))

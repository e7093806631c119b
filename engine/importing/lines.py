"""The line of commits along which a post's texts are read: what the site held at each point.

- A post of the site's own repository is read along the branch's line (``gitlog.walk``), which goes through a
  merge ``git pull`` made by its second parent, what the remote held; but for a post that side did not hold
  (the pull added it to the branch), that merge is one like any other.  A blog cloned from a theme's starter
  repository still has the theme as its ``origin``, and a plain ``git pull`` merges the theme's history,
  which never had the essay.
- A post kept in a git submodule is read along the commits of the submodule the site set, one after another
  (back to an older one too: the site showed the newer text meanwhile), then along the site's own commits
  from before it set the first: a post moved into a submodule keeps the texts it had in the site's repository.
- A post moved out of a submodule into the site's own repository (the submodule taken out, its files committed
  in its folder) is read along the site's commits back to the one that added it, then along the commits of the
  submodule the site had set before, from the repository ``git rm`` left in ``.git/modules/``.

Names are from the site repository's top, a submodule's files under the submodule's folder.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

from .gitlog import (Commit, blobs, changes_between, merged_subjects, module_repository, pins, present, relative,
                     trail, walk)
from .model import Skipped, Where

log = logging.getLogger(__name__)

SITE_FILES = ("_config.yml", "_config.toml", "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
              "config.yaml", "config.yml", "config.json", "pelicanconf.py")
"""The settings file a Jekyll, Hugo or Pelican site has at its top: where it lay is where the site was."""


@dataclass(frozen=True)
class Line:
    """A post's line of commits and its trail along it."""

    commits: tuple[Commit, ...]
    """The line, newest first."""
    followed: tuple[tuple[Commit, str], ...]
    """The commits of the line that changed the post's file, oldest first, each with the file's name then."""
    settings: Callable[[Commit], str | None]
    """The name the site's settings file had as of a commit of the line; None before it was added, or for a
    commit of a submodule."""
    configured: tuple[Commit, ...] = ()
    """The commits of the line that changed the site's settings file, newest first."""
    inner: Path | None = None
    """The repository of the submodule the post is kept in, or was before it moved into the site's: it holds the
    commits ``pinned``."""
    pinned: frozenset[str] = frozenset()
    folder: str = ""
    """The submodule's folder, from the site's top: the names of its files are under it."""

    def repository(self, top: Path, commit: str) -> Path:
        """The repository that holds a commit of the line."""
        return self.inner if self.inner is not None and commit in self.pinned else top

    def read(self, top: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
        """``gitlog.blobs`` of commits of the line, each from its repository."""
        if self.inner is None:
            return blobs(top, wanted)
        prefix = self.folder + "/"
        found = blobs(top, [(c, name) for c, name in wanted if c not in self.pinned])
        inside = blobs(self.inner, [(c, name.removeprefix(prefix)) for c, name in wanted if c in self.pinned
                                    and name.startswith(prefix)])
        found.update({(c, prefix + name): raw for (c, name), raw in inside.items()})
        return found

    def subjects(self, top: Path, commit: Commit, name: str) -> str:
        """``gitlog.merged_subjects``: for a commit of the submodule, those of its commits since the one set
        before it (none when the site set an older one again)."""
        if self.inner is None or commit.id not in self.pinned:
            return merged_subjects(top, commit, name)
        return merged_subjects(self.inner, commit, name.removeprefix(self.folder + "/"))


class Lines:
    """The lines of a site's repository: its branch's, and those that go through a pull's first parent."""

    def __init__(self, folder: Path, top: Path) -> None:
        self.folder, self.top = folder, top
        self._walked: dict[frozenset[str], Line] = {}
        self._pins: dict[str, dict[str, str]] = {}
        self._out: dict[tuple[str, str], Line | None] = {}

    def line(self, refused: frozenset[str] = frozenset()) -> Line:
        """The branch's line not through the pulls ``refused``, with its settings file's names (no trail)."""
        if refused not in self._walked:
            commits = tuple(walk(self.top, refused))
            marker = next((self.folder / name for name in SITE_FILES if (self.folder / name).is_file()), None)
            configured = trail(commits, relative(marker, self.top)) if marker is not None else []
            self._walked[refused] = Line(commits, (), named_then(commits, configured),
                                         tuple(c for c, _ in reversed(configured)))
        return self._walked[refused]

    def own(self, name: str, notes: list[Skipped]) -> Line:
        """The line of the post now at ``name`` in the site's repository: through a pull's second parent where
        that side held the post, by its first parent where the pull added it; and where it was added as a
        submodule it lay in was taken out, on along that submodule's line."""
        refused: frozenset[str] = frozenset()
        while True:
            line = self.line(refused)
            followed = trail(line.commits, name)
            added = {c.id for c, then in followed if c.pulled and ("A", then, then) in c.changes}
            if not added:
                return self._out_of_submodule(replace(line, followed=tuple(followed)), notes)
            refused |= added

    def _out_of_submodule(self, line: Line, notes: list[Skipped]) -> Line:
        """``line`` on from the commit that added the post's file, if a submodule the site had set before was
        kept at a folder of that name: the texts the site published from the submodule come first, and the
        commit that added the file changed it from the last of them (or left it as it was)."""
        if not line.followed:
            return line
        added, name = line.followed[0]
        if ("A", name, name) not in added.changes:
            return line
        at = line.commits.index(added)
        before = line.commits[at + 1:]
        for folder in (parent.as_posix() for parent in PurePosixPath(name).parents if parent.name):
            if folder not in self._pins:
                self._pins[folder] = pins(self.top, folder)
            if any(c.id in self._pins[folder] for c in before):
                break
        else:
            return line
        if (folder, added.id) not in self._out:
            self._out[folder, added.id] = self._taken_out(folder, added, before, notes)
        out = self._out[folder, added.id]
        earlier = trail(out.commits, name) if out is not None else []
        if out is None or not earlier:
            return line
        went = replace(added, changes=tuple(("M", name, name) if change == ("A", name, name) else change
                                            for change in added.changes))  # the file readers read changed here
        return replace(line, commits=(*line.commits[:at], went, *out.commits),
                       followed=(*earlier, (went, name), *line.followed[1:]), inner=out.inner, pinned=out.pinned,
                       folder=folder)

    def _taken_out(self, folder: str, added: Commit, before: Sequence[Commit], notes: list[Skipped]) -> Line | None:
        """The line of the submodule the site kept at ``folder`` up to the commit ``added`` that put files of the
        site's own there (``_set``), or None where this clone does not hold its repository: reported when the
        submodule was taken out by that commit or the one before it, as when its files were moved in."""
        repository, address = module_repository(self.top, next(c.id for c in before if c.id in self._pins[folder]),
                                                 folder)
        if repository is None:
            if any(("D", folder, folder) in c.changes for c in (added, *before[:1])):
                notes.append(Skipped(Where(folder), f"history before commit {added.id[:12]}", "that commit put the "
                                     f"site's own files where the git submodule {folder} was, whose repository this "
                                     "clone does not hold (it is not in .git/modules/), so the texts the site "
                                     "published from it are not versions: run `git clone --bare "
                                     f"{address or 'ITS-ADDRESS'} .git/modules/{folder}` in the source and import "
                                     "again"))
            return None
        commits, ids = self._set(repository, folder, before, self._pins[folder], notes)
        return Line(commits, (), lambda _: None, inner=repository, pinned=ids, folder=folder)

    def pinned(self, inner: Path, notes: list[Skipped]) -> Callable[[str], Line]:
        """The line of a post now in the submodule ``inner`` (by its name from the site's top): the commits of
        the submodule the site set, each dated, and told, by the site's commit that set it (one never set, a
        draft or an abandoned rework, was never out), with what moving from the one set before changed; then
        the site's commits from the first that set it back.  A commit the submodule's clone lacks is
        reported."""
        path = relative(inner, self.top)
        commits, ids = self._set(inner, path, self.line().commits, pins(self.top, path), notes)

        def of(name: str) -> Line:
            return replace(self.line(), commits=commits, followed=tuple(trail(commits, name)), inner=inner, pinned=ids,
                           folder=path)
        return of

    @staticmethod
    def _set(inner: Path, path: str, site: Sequence[Commit], pinned: dict[str, str],
             notes: list[Skipped]) -> tuple[tuple[Commit, ...], frozenset[str]]:
        """The commits, newest first, of the submodule kept at ``path`` that the site's commits ``site`` set
        (``pinned``), each as the site's commit that set it; then the site's commits from before it set the
        first; and the ids of the submodule's."""
        set_at = [(commit, pinned[commit.id]) for commit in reversed(site) if commit.id in pinned]
        held = present(inner, [sha for _, sha in set_at])
        for commit, sha in set_at:
            if sha not in held:
                notes.append(Skipped(Where(path), f"submodule {path} @ {sha[:12]}", f"the commit of it that the site's "
                                     f"commit {commit.id[:12]} set is not in its clone, so its texts are not "
                                     "versions: run `git fetch` in it and import again"))
        kept: list[tuple[Commit, str]] = []
        for commit, sha in set_at:
            if sha in held and (not kept or kept[-1][1] != sha):
                kept.append((commit, sha))
        befores = [None, *(sha for _, sha in kept[:-1])]
        changes = changes_between(inner, [(sha, before) for (_, sha), before in zip(kept, befores)])
        line = [Commit(sha, commit.date, commit.committed, (before,) if before else (), commit.subject,
                       tuple((status, f"{path}/{old}", f"{path}/{new}") for status, old, new in changed))
                for (commit, sha), before, changed in zip(kept, befores, changes, strict=True)][::-1]
        older = site[site.index(kept[0][0]):] if kept else ()
        # the site's commit that set the first is there too: what it deleted counts
        return (*line, *older), frozenset(sha for _, sha in kept)


def named_then(commits: Sequence[Commit], followed: Sequence[tuple[Commit, str]]) -> Callable[[Commit], str | None]:
    """The name a file's trail gave it as of a commit of ``commits`` (newest first): the name its last change
    at or before that commit left; None before its first, or for a commit off the line."""
    order = {commit.id: index for index, commit in enumerate(commits)}
    names = sorted((order[c.id], name) for c, name in followed if c.id in order)

    def then(commit: Commit) -> str | None:
        at = order.get(commit.id)
        return None if at is None else next((name for index, name in names if index >= at), None)
    return then

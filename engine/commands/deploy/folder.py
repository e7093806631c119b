"""``dir:PATH``: the site in a folder a web server on this machine serves, replaced atomically.

PATH is a symbolic link to the newest release, a folder beside it named ``.NAME.release-STAMP``.  A deploy
copies the built site into a new release folder, makes a link to it under a temporary name, and renames
that link over PATH: rename(2) replaces it in one step, so a reader opening ``PATH/x/index.html`` gets
the old site or the new one, never a mix or a half-written file.  The release before the newest is kept
(a reader that resolved the old link a moment ago still finds its files); older ones are removed.  Point
the web server at PATH itself, allowing it to follow that one link (nginx does by default; Apache needs
``Options FollowSymLinks``).  A first deploy onto PATH as a plain folder holding a site Feuilleton built
(or nothing) exchanges it for the link in one step (Linux's ``renameat2``); any other folder is left
alone and refused.  A deploy cut short leaves PATH on the release it had, and a release folder beside it
that the next deploy removes.  Two deploys to one PATH take turns (a lock beside it, ``.NAME.lock``).
"""
from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ...output.write import MARK
from ...site.checks import MARK_BYTES
from ...source.files import read_start
from ...site import urls as U
from .target import Changes, Target, compare, tree

log = logging.getLogger(__name__)

RELEASE = ".release-"


def folder_of(target: Target) -> Path:
    """The folder a ``dir:`` target names (a relative path from the site folder)."""
    return Path(os.path.abspath(target.site / os.path.expanduser(target.where)))


def check(target: Target) -> None:
    """Refuse, before anything is built, a folder this command may not replace."""
    _refuse(target, folder_of(target))


def publish(target: Target, built: Path, dry_run: bool, say, guard=lambda changes, read: None) -> Changes:
    """Put ``built`` at the folder's path (``dry_run``: compare it with what is there, change nothing);
    ``guard`` sees the changes first, and may refuse them.  One deploy to a path at a time: a second waits
    for the first (its clean-up would remove the release the first had just put in place), then compares
    its site with what the first left."""
    path = folder_of(target)
    _refuse(target, path)
    try:
        if not dry_run:  # a dry run makes nothing, not even the folder a mistyped path names
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise target.fail(f"dir: cannot make the folder {path.parent}: {e.strerror or e}; nothing was changed") from e
    with _one_at_a_time(target, path, dry_run, say):
        return _publish(target, path, built, dry_run, say, guard)


@contextmanager
def _one_at_a_time(target: Target, path: Path, dry_run: bool, say) -> Iterator[None]:
    """A lock beside ``path`` held for the whole deploy (shared for a dry run, which changes nothing: it
    takes the lock only where a deploy made one, and makes none)."""
    lock = path.parent / f".{path.name}.lock"
    try:
        handle = os.open(lock, (os.O_RDONLY if dry_run else os.O_RDWR | os.O_CREAT) | os.O_CLOEXEC | os.O_NOFOLLOW,
                         0o644)
    except FileNotFoundError as e:
        if not dry_run:
            raise target.fail(f"dir: cannot open the lock {lock}: {e.strerror or e}; nothing was changed") from e
        yield  # no deploy has been here: nothing to wait for
        return
    except OSError as e:
        raise target.fail(f"dir: cannot open the lock {lock}: {e.strerror or e}; nothing was changed") from e
    try:
        kind = fcntl.LOCK_SH if dry_run else fcntl.LOCK_EX
        try:
            fcntl.flock(handle, kind | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another deploy to {path} to finish…")
            fcntl.flock(handle, kind)
        yield
    finally:
        os.close(handle)  # the lock goes with it


def _publish(target: Target, path: Path, built: Path, dry_run: bool, say, guard) -> Changes:
    _refuse(target, path)  # as the deploy before this one left it
    live = path.resolve() if path.exists() else None
    changes = compare(tree(built), tree(live) if live else {})
    guard(changes, lambda rel: read_start(live / rel, MARK_BYTES) if live else None)
    if dry_run or (changes.empty and path.is_symlink()):
        return changes
    release = path.parent / f".{path.name}{RELEASE}{time.time_ns()}"
    say(f"copying the site into {release}…")
    try:
        shutil.copytree(built, release, symlinks=True)
    except OSError as e:
        shutil.rmtree(release, ignore_errors=True)
        raise target.fail(f"dir: cannot copy the site into {release.parent}: {e.strerror or e}; {path} still "
                          "serves the site it had, and running deploy again is safe") from e
    link = path.parent / f".{path.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(release.name)
    previous = live.name if live is not None else ""
    if path.is_symlink() or not path.exists():
        os.replace(link, path)
    else:
        try:
            _exchange(target, link, path)  # a plain folder: now at the link's name, kept beside it for good
        except BaseException:
            shutil.rmtree(release, ignore_errors=True)
            raise
        kept = path.parent / f".{path.name}.was-{time.time_ns()}"
        link.rename(kept)
        say(f"the folder that was at {path} is kept, as it was, at {kept}")
        previous = ""
    _prune(path, {release.name, previous})
    return changes


def _mounted(path: Path) -> bool:
    """Whether something is mounted at ``path``: a volume, or a folder bound there (which shares its parent's
    device, so ``os.path.ismount`` misses it; Linux lists it in ``/proc/self/mountinfo``)."""
    if os.path.ismount(path):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as table:
            points = {line.split()[4].encode().decode("unicode_escape") for line in table if len(line.split()) > 4}
    except OSError:
        return False
    return str(path.resolve()) in points


def _refuse(target: Target, path: Path) -> None:
    """Stop before replacing what is not a site this command or a build made, or a folder in the site (one in
    ``static/`` would be copied into every build, one elsewhere would be watched by ``serve``)."""
    site = target.site.resolve()
    real = path.resolve()
    if real == site or real in site.parents or site in real.parents:
        raise target.fail(f"dir: {path} is the site folder, one around it or one inside it: give the "
                          "published site a folder of its own outside the site; nothing was changed")
    if path.is_symlink():
        points = os.readlink(path)
        if not (Path(points).name.startswith(f".{path.name}{RELEASE}") and Path(points).parent in (Path(""),
                                                                                               path.parent)):
            raise target.fail(f"dir: {path} is a link to {points}, not to a release a deploy made; remove the link "
                              "(what it leads to is left alone) or name another folder; nothing was changed")
    if path.exists() and not path.is_symlink():
        if not path.is_dir():
            raise target.fail(f"dir: {path} is a file, not a folder; nothing was changed")
        if _mounted(path):
            raise target.fail(f"dir: {path} is a mount point, which a deploy cannot replace with its link to the "
                              f"newest release: deploy to a folder inside it (dir:{path / 'site'}) and point the web "
                              "server there; nothing was changed")
        if any(path.iterdir()) and not all((path / mark).is_file() for mark in (MARK, U.STYLE)):
            raise target.fail(f"dir: {path} holds files that are not a site Feuilleton built (no {MARK} and "
                              f"{U.STYLE}); empty it or name another folder; nothing was changed")


def _exchange(target: Target, a: Path, b: Path) -> None:
    """Swap two names in one step (Linux ``renameat2(RENAME_EXCHANGE)``)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, exchange = -100, 2
    if renameat2 is None or renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), exchange) != 0:
        a.unlink(missing_ok=True)
        raise target.fail(f"dir: cannot swap the folder {b} for a link in one step on this system; move it "
                          "aside (or empty it) and deploy again; nothing was changed")


def _prune(path: Path, keep: set[str]) -> None:
    """Remove release folders of PATH but those in ``keep`` (the newest and the one before)."""
    for old in path.parent.glob(f".{path.name}{RELEASE}*"):
        if old.name not in keep and old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)

"""Write the site beside ``output/`` and swap it in only on success.

Two trees live side by side: ``output/`` (what is served) and a spare,
``.feuilleton-spare-output/`` (the site as it was one build earlier).  A
build brings the spare up to date — files whose bytes did not change are
hard links to the live ones, so nothing is copied or rewritten, and only the
files changed since the spare's generation are touched — and then the two
folders are exchanged atomically (``renameat2(RENAME_EXCHANGE)`` on Linux;
two renames elsewhere).  ``output/`` itself is never modified in place: a
build that fails or is killed leaves it as it was, and the next build
repairs the spare, whatever state it was left in.  The one exception:
hidden entries the site does not generate (a deploy worktree's ``.git``)
are carried into the spare just before the swap, so that they stay in
``output/``; a build killed in between leaves them in the spare, and the
next build puts them back first.  When nothing
changed, ``output/`` is not touched (the spare only gains links it lacked).
"""
from __future__ import annotations

import ctypes
import fcntl
import logging
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import Diagnostic, SiteError
from ..source.files import NotRegular, read_regular, replace_bytes
from ..speed.parallel import check_cancelled
from . import search

log = logging.getLogger(__name__)

STAGING_PREFIX = ".feuilleton-staging-"
SPARE_PREFIX = ".feuilleton-spare-"
TEMP_SUFFIX = ".feuilleton-tmp"
MARK = "sitemap.xml"
"""Every built site has one; a folder without it was not made by Feuilleton and is never replaced."""
PRIVATE = 0o700
"""The spare's mode: it holds the site as it was a build earlier (drafts, if that build showed them), and an
output folder inside a web server's root has its spare there too; only the owner may enter it."""
KEEP = None
"""A value in the plan meaning: this file is unchanged, keep the current bytes."""


@dataclass
class WriteResult:
    """What a write did."""

    written: list[str] = field(default_factory=list)
    """Site paths whose bytes are new."""
    removed: list[str] = field(default_factory=list)
    """Site paths that are gone."""
    kept: int = 0
    """Files left as they were."""


def _files(root: Path, skip: set[str] = frozenset()) -> set[str]:
    """Every file under ``root``, but for the top-level entries in ``skip``."""
    return _tree(root, skip)[0]


def _tree(root: Path, skip: set[str] = frozenset()) -> tuple[set[str], set[str]]:
    """Every file and every folder under ``root`` (relative paths), but for the top-level entries in ``skip``."""
    if not root.is_dir():
        return set(), set()
    found, folders = set(), set()
    for folder, dirs, names in os.walk(root):
        check_cancelled()
        rel = os.path.relpath(folder, root)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip]
            names = [n for n in names if n not in skip]
        else:
            folders.add(rel.replace(os.sep, "/"))
        for name in names:
            found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found, folders


def _foreign(root: Path, paths: set[str]) -> set[str]:
    """Hidden entries at the top of a tree that the site does not generate, such as the ``.git`` of a
    deploy worktree or a ``.nojekyll``: a build keeps them where they are, across the swap."""
    tops = {path.split("/", 1)[0] for path in paths}
    try:
        return {name for name in os.listdir(root) if name.startswith(".") and name not in tops}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _restore(spare: Path, out: Path, paths: set[str]) -> None:
    """Put back in ``output/`` the hidden entries (a deploy worktree's ``.git``) that a build killed
    between carrying them into the spare and its swap left there, so that ``output/`` is whole again
    whether or not this build swaps.  One that ``output/`` holds too stays where it is."""
    if not out.is_dir():
        return  # the spare, stranded entries and all, becomes output/
    for name in sorted(_foreign(spare, paths)):
        if not os.path.lexists(out / name):
            os.rename(spare / name, out / name)


def clean_stale(out: Path) -> None:
    """Remove staging folders left by older versions of Feuilleton or killed builds, and the folders of pages
    gathered for the search index (``search._only``) that a build killed while indexing left: each as large
    as the site's text, and never used again.  Called under the output's lock: no build is indexing."""
    for stale in [*out.parent.glob(STAGING_PREFIX + "*"), *out.parent.glob(f"{SPARE_PREFIX}{out.name}-search-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _check_folder(out: Path) -> None:
    """Refuse an output folder inside a file, or one holding files Feuilleton did not write."""
    blocker = next((p for p in (out, *out.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise SiteError(Diagnostic(str(blocker), 0, "is a file, not a folder, so the site cannot be written "
                                   f"{'there' if blocker == out else 'inside it'}; choose another output folder"))
    if out.is_dir() and not (out / MARK).is_file() and not out.with_name(SPARE_PREFIX + out.name).is_dir() \
            and any(out.iterdir()):
        raise SiteError(Diagnostic(str(out), 0, f"holds files but no {MARK}, so it is not a site Feuilleton "
                                   "built, and a build would replace it wholesale; empty it or choose another "
                                   "output folder"))


def _cannot_write(out: Path, e: OSError) -> SiteError:
    cause = f"{e.filename}: {e.strerror}" if e.filename and str(e.filename) != str(out) else (e.strerror or str(e))
    return SiteError(Diagnostic(str(out), 0, f"cannot write the site ({cause}); the previous output "
                                "is left as it was"))


class Writer:
    """Brings the spare tree to exactly the planned files while they are rendered, then swaps it in.

    ``put`` may be called from forked workers (each page is written where it
    is rendered, so no page's bytes cross a process boundary); ``finish``
    swaps the spare in unless nothing changed.  Leaving the ``with`` block
    without ``finish`` leaves ``output/`` untouched.
    """

    def __init__(self, out: Path, paths: Iterable[str], index: Callable[[Path], None] | None = None,
                 searched: bool = False):
        self.out = out.resolve()
        self.spare = self.out.with_name(SPARE_PREFIX + self.out.name)
        self.paths = set(paths)
        self.index = index
        """Makes the search index in a built tree before it is swapped in (None: this build makes none)."""
        self.searched = searched or index is not None
        """The site has a search index, whose folder is the index's alone (else it is a folder like any)."""
        _check_folder(self.out)

    def __enter__(self) -> Writer:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.lock = _lock(self.out)
            self.lock.__enter__()
        except OSError as e:
            raise _cannot_write(self.out, e) from e
        try:
            clean_stale(self.out)
            self.spare.mkdir(exist_ok=True)
            os.chmod(self.spare, PRIVATE)
            _restore(self.spare, self.out, self.paths)
            self.foreign = _foreign(self.out, self.paths)
            index = {search.FOLDER} if self.searched else set()  # the index is made whole each time
            self.existing = _files(self.out, self.foreign | index)
            self.kept = _foreign(self.spare, self.paths)  # not restored, so they go in with the spare
            self.present, self.subfolders = _tree(self.spare, self.kept | index)
            for rel in self.present - self.paths:
                (self.spare / rel).unlink()
            self.folders = {str(self.spare), *(str(self.spare / rel) for rel in self.subfolders)}
        except BaseException as e:  # OSError, or the build called off: the lock goes with it
            self.lock.__exit__()
            if isinstance(e, OSError):
                raise _cannot_write(self.out, e) from e
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.__exit__()

    def put(self, rel: str, data: bytes | None) -> bool:
        """Give the spare ``rel``: ``data``, or with ``None`` the live file as it is.  True if the bytes are new."""
        live, target = self.out / rel, self.spare / rel
        try:
            self._folder(str(target.parent))
            if data is KEEP or (rel in self.existing and _holds(live, data)):
                if not (rel in self.present and _same(target, live)):
                    _link(live, target)
                return False
            if rel not in self.present:
                _write_new(target, data)  # a new file: no hard link to write through
            else:
                # never writes through a hard link shared with output/
                replace_bytes(target, data, durable=False, temp=target.with_name(target.name + TEMP_SUFFIX))
            return True
        except OSError as e:
            raise _cannot_write(self.out, e) from e

    def _folder(self, folder: str) -> None:
        """Make ``folder`` and those it lies in, each once (by whichever worker first needs it)."""
        if not folder or folder in self.folders:
            return
        self._folder(folder.rpartition("/")[0])
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass  # the other worker made it meanwhile
        self.folders.add(folder)

    def finish(self, written: Iterable[str]) -> WriteResult:
        """Swap the spare in if anything is new or gone, or if the site needs its search index made; what
        changed, for the summary.  The index is made in the spare first: if that fails, nothing is swapped."""
        result = WriteResult(written=sorted(written), removed=sorted(self.existing - self.paths))
        result.kept = len(self.paths) - len(result.written)
        try:
            unindexed = self.index is not None and not search.indexed(self.out)
            if result.written or result.removed or not self.out.is_dir() or unindexed:
                self._prune()
                if self.index is not None:
                    self.index(self.spare)
                elif self.searched:  # a build without an index (``serve``) leaves none, not one of older pages
                    shutil.rmtree(self.spare / search.FOLDER, ignore_errors=True)
                for name in sorted(self.foreign - self.kept):  # carried over to the tree that becomes output/
                    os.rename(self.out / name, self.spare / name)
                _swap(self.spare, self.out)
        except OSError as e:
            raise _cannot_write(self.out, e) from e
        return result


    def _prune(self) -> None:
        """Remove the spare's folders that no planned file lies in (deepest first); they were found on the
        way in, so the tree is not walked again.  A folder made during the build holds a planned file."""
        needed = {parent for rel in self.paths for parent in _parents(rel)}
        for rel in sorted(self.subfolders - needed, key=lambda rel: rel.count("/"), reverse=True):
            try:
                os.rmdir(self.spare / rel)
            except OSError as e:
                log.debug("cannot remove the folder %s (%s)", rel, e)


def _parents(rel: str) -> list[str]:
    """``a/b/c.html`` → ``["a", "a/b"]``."""
    parts = rel.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that does not exist yet: one ``open``, no ``stat`` and no buffering."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class _lock:
    """One build writes a given output folder at a time."""

    def __init__(self, out: Path):
        self.path = out.with_name(SPARE_PREFIX + out.name + ".lock")

    def __enter__(self) -> None:
        """Wait for the lock, never for a reader: a pipe in the lock file's place is an error."""
        self.handle = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
        try:
            mode = os.fstat(self.handle).st_mode
            if not stat.S_ISREG(mode):
                raise NotRegular(self.path, mode)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except BaseException:
            os.close(self.handle)
            raise

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        os.close(self.handle)


def _holds(live: Path, data: bytes) -> bool:
    """Whether the live file already holds ``data``; a pipe or a device put there never does, and is not
    read (a pipe would make the build wait for ever)."""
    try:
        return live.stat().st_size == len(data) and read_regular(live) == data
    except NotRegular:
        return False


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _link(source: Path, target: Path) -> None:
    temp = target.with_name(target.name + TEMP_SUFFIX)
    if temp.exists():
        temp.unlink()
    try:
        os.link(source, temp)
    except OSError:
        shutil.copy2(source, temp)
    os.replace(temp, target)


def _swap(new: Path, out: Path) -> None:
    """Make ``new`` the output folder, with the mode the output had (or a new folder's), and the output
    it replaces the private spare."""
    if not out.exists():
        os.chmod(new, 0o777 & ~_umask())
        os.rename(new, out)
        return
    os.chmod(new, stat.S_IMODE(os.stat(out).st_mode))
    if not _exchange(new, out):
        old = out.with_name(out.name + f".old-{os.getpid()}")
        os.rename(out, old)
        os.rename(new, out)
        os.rename(old, new)
    os.chmod(new, PRIVATE)


def keep_spare_private(out: Path) -> None:
    """Make the spare of ``out`` private, if it is there: a build with nothing to write enters no ``Writer``."""
    spare = out.with_name(SPARE_PREFIX + out.name)
    try:
        if stat.S_IMODE(os.lstat(spare).st_mode) != PRIVATE and spare.is_dir() and not spare.is_symlink():
            os.chmod(spare, PRIVATE)
    except OSError:
        pass  # none, or not ours to change: the next build that writes sees to it


def _umask() -> int:
    """The process's umask, read without setting it (Linux), else set and put back at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the symbols already loaded: libc's, without a search
    except OSError:
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0

"""Writing an import's plan into the site: every file new, never over one that exists, and nothing left
half done.

``write.plan`` decides every file first; ``apply`` then creates them in an order in which nothing names
what is not there yet (assets and series, the version archives, then the posts that name them), waits
for the disk once everything is written, and on any failure removes what it wrote, folders too, so the
site is as it was.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import Diagnostic, SiteError
from ..source.files import fsync_dir, remove_stale_temps, replace_bytes
from ..source.versions import NewVersion, VersionTaken, append, archive_dir
from .model import Skipped

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewFile:
    """One file ``apply`` will create."""

    path: Path
    data: bytes
    kind: str
    """``post``, ``page``, ``series`` or ``asset``."""


@dataclass(frozen=True)
class NewArchive:
    """The version archive of one new post, oldest first."""

    post: Path
    versions: tuple[NewVersion, ...]


@dataclass(frozen=True)
class Plan:
    """Every file one import will write, and what it found already done."""

    files: tuple[NewFile, ...]
    archives: tuple[NewArchive, ...]
    already: tuple[str, ...]
    """Source ids of posts an earlier run imported (left as they are)."""
    notes: tuple[Skipped, ...] = ()
    """What the writer changed on its own (a slug taken twice, part numbers given), for the report."""
    aliases: int = 0
    menu: tuple[tuple[str, str], ...] = ()
    """(title, address) of each new page, for the ``[[menu]]`` lines the report suggests."""

    def count(self, kind: str) -> int:
        return sum(1 for f in self.files if f.kind == kind)

    @property
    def versions(self) -> int:
        return sum(len(a.versions) for a in self.archives)


def apply(planned: Plan, site: Path) -> None:
    """Write the plan: assets, series, archives, then posts (a post names its archive, so that comes
    first); never over an existing file.  Any failure removes what this run wrote, folders too."""
    made: list[Path] = []
    try:
        order = sorted(planned.files, key=lambda f: ("asset", "series", "page", "post").index(f.kind))
        for new in (f for f in order if f.kind in ("asset", "series")):
            _create(new.path, new.data, made)
        for archive in planned.archives:
            _folders(archive_dir(archive.post), made)
            for number, version in enumerate(archive.versions, start=1):
                made.append(append(archive.post, number, version))
        for new in (f for f in order if f.kind in ("page", "post")):
            _create(new.path, new.data, made)
        _durable(made)
    except (OSError, VersionTaken) as e:
        _undo(made)
        where = getattr(e, "filename", None) or (made[-1] if made else "the site")  # the file being written
        raise SiteError(Diagnostic(str(where), 0, f"cannot write ({getattr(e, 'strerror', None) or e}); "
                                   "everything this import wrote was removed again, and the site is as it was"
                                   )) from e
    except BaseException:
        _undo(made)
        raise


def _folders(folder: Path, made: list[Path]) -> None:
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        with _held(signal.SIGINT):  # a Ctrl-C between the two would leave a folder the undo does not know
            path.mkdir()
            made.append(path)


@contextmanager
def _held(number: int) -> Iterator[None]:
    """Signal ``number`` held back in the block and taken at its end.  Its handler is set aside, which only the
    main thread may do (blocking it in one thread would not do: another thread receives it, and Python handles
    every signal in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = signal.signal(number, lambda got, frame: caught.append(got))
    try:
        yield
    finally:
        signal.signal(number, before if before is not None else signal.SIG_DFL)
        if caught:
            signal.raise_signal(number)  # to the handler it had: Ctrl-C is KeyboardInterrupt again


def _create(path: Path, data: bytes, made: list[Path]) -> None:
    _folders(path.parent, made)
    if os.path.lexists(path):
        raise FileExistsError(17, "exists (made meanwhile by something else); it was left alone", str(path))
    remove_stale_temps(path.parent, f".{path.name}.")
    made.append(path)  # first: stopped while writing, the undo still takes it (it was not there)
    replace_bytes(path, data, durable=False)


def _durable(made: list[Path]) -> None:
    """Wait for the disk once per file and once per folder, after everything is written."""
    for path in made:
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for folder in dict.fromkeys(path.parent for path in made):
        fsync_dir(folder)


def _undo(made: list[Path]) -> None:
    """Remove what this run wrote.  A folder it made goes with whatever is in it: only this run wrote there,
    and a file it was writing when stopped (Ctrl-C) is in no list yet, and would keep the folder."""
    for path in reversed(made):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s after a failed import", path)

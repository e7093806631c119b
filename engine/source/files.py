"""Reading the author's files: regular files only, and nothing from outside the site.

A named pipe where a post or a version file should be would make a build
wait forever, and a device would never end; a symbolic link can point out
of the site (``static/passwd.txt`` → ``/etc/passwd``) and publish what the
author never meant to.  Every read of a site's file goes through here, and
so does every file replaced whole (a post, the cache, the stamp, a page):
written beside it, then renamed over it, so that no reader ever sees half.
"""
from __future__ import annotations

import errno
import logging
import os
import re
import stat
from glob import escape as glob_escape
from pathlib import Path
from typing import BinaryIO, Callable

log = logging.getLogger(__name__)


class NotRegular(OSError):
    """The path is a pipe, a device, a socket or a folder, not a file to read."""

    def __init__(self, path: Path | str, mode: int) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({_kind(mode)}); only files are read", str(path))


EDITOR_FILES = re.compile(r"(\.sw[a-p]x?|~|\.tmp|\.bak|\.orig|___jb_(tmp|old)___|^4913)$|^(\.#|#.*#$)")
"""Names of editors' swap, backup, lock and test files (vim's ``.x.md.swp``, ``x.md~`` and ``4913``, Emacs'
``.#x.md`` and ``#x.md#``, JetBrains' ``___jb_tmp___``) and of temporary files written to be renamed: no build
publishes them from ``static/``, and ``serve`` takes no change to them for the author's."""
REPOSITORIES = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", "CVS"})
"""Version control's folders, never copied from ``static/`` (a clone kept there, of slides or downloads, would
publish its whole history, and often a token in ``.git/config``), nor watched there by a build."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def open_regular(path: Path | str) -> BinaryIO:
    """``path`` open for reading if it is a regular file (a link to one is followed); ``NotRegular``
    otherwise, without waiting on a pipe that has no writer."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(path, mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str) -> bytes:
    """The bytes of ``path`` if it is a regular file; ``NotRegular`` otherwise (see ``open_regular``)."""
    with open_regular(path) as handle:
        return handle.read()


def read_start(path: Path | str, size: int = 65536) -> bytes | None:
    """The first ``size`` bytes of ``path`` if it is a regular file (where a version page says what it shows);
    None for one that is missing, unreadable, or a pipe or a folder."""
    try:
        with open_regular(path) as handle:
            return handle.read(size)
    except OSError:
        return None


BROKEN_LINK = "is a link to nothing (or in a loop of links)"
"""What a link that cannot be followed is called in messages: one to a missing file, or to itself."""


def entry_is(test: Callable[[], bool]) -> bool:
    """A directory entry's ``is_dir``/``is_file``, False for a link that cannot be followed (a link to
    itself raises there, where ``Path.is_dir`` says False)."""
    try:
        return test()
    except OSError:
        return False


def is_regular(path: Path) -> bool:
    """Whether ``path`` is (or links to) a regular file, asked without opening it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, every link on the way resolved, lies within ``root`` (resolved too)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def replace_atomically(path: Path, fill: Callable[[BinaryIO], object], *, durable: bool = True,
                       temp: Path | None = None, last_look: Callable[[], None] | None = None) -> None:
    """Put a new file in place of ``path`` all at once: ``fill`` writes it to a temporary file beside it
    (``.NAME.PID.tmp`` unless ``temp`` is given, as ``remove_stale_temps`` knows them), with the old file's
    permissions, which is then renamed over it; a failure leaves no temporary file.  ``durable`` waits for the disk too, as the
    author's files and recorded versions need (a cache or a page can be made again).  ``last_look`` is called
    just before the rename, the disk's wait done, and may raise to leave ``path`` as it is (an author's save
    made meanwhile)."""
    temp = temp or path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    try:
        with open(temp, "wb") as handle:
            if mode is not None:  # a private draft stays private, as an editor's save keeps it
                os.fchmod(handle.fileno(), mode)
            fill(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if last_look is not None:
            last_look()
        os.replace(temp, path)
    except OSError as e:
        if e.filename is None:  # a full disk says so on a write, which names no file: name the one meant
            raise OSError(e.errno, e.strerror, str(path)) from e
        raise
    finally:
        temp.unlink(missing_ok=True)
    if durable:
        fsync_dir(path.parent)


def replace_bytes(path: Path, data: bytes, *, durable: bool = True, temp: Path | None = None,
                  last_look: Callable[[], None] | None = None) -> None:
    """``replace_atomically`` with ``data`` as the new file."""
    replace_atomically(path, lambda handle: handle.write(data), durable=durable, temp=temp, last_look=last_look)


def remove_stale_temps(folder: Path, prefix: str) -> None:
    """Delete ``PREFIX….PID.tmp`` files left by a command that was killed (its process is gone)."""
    for temp in folder.glob(f"{glob_escape(prefix)}*.tmp"):
        pid = temp.name.removesuffix(".tmp").rpartition(".")[2]
        if pid.isdigit() and not process_alive(int(pid)):
            temp.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether a process numbered ``pid`` runs (another user's counts: it is not ours to judge)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


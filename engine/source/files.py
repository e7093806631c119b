"""Reading the author's files: regular files only, and nothing from outside the site.

A named pipe where a post or a version file should be would make a build
wait forever, and a device would never end; a symbolic link can point out
of the site (``static/passwd.txt`` → ``/etc/passwd``) and publish what the
author never meant to.  Every read of a site's file goes through here.
"""
from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)


class NotRegular(OSError):
    """The path is a pipe, a device, a socket or a folder, not a file to read."""

    def __init__(self, path: Path | str, mode: int) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({_kind(mode)}); only files are read", str(path))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def read_regular(path: Path | str) -> bytes:
    """The bytes of ``path`` if it is a regular file (a link to one is followed); ``NotRegular``
    otherwise, without waiting on a pipe that has no writer."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(path, mode)
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


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

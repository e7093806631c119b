"""The temporary folders a deploy works in (its build, a git branch's objects, pages fetched to compare),
and those that a deploy killed where it could not clean up (SIGKILL, a power cut) left behind.

Each folder's name holds the process that made it: a later deploy removes the folders of processes that
are gone, once they are an hour old (a deploy that long-running in another process namespace, whose
number means nothing here, is not taken for a dead one), and only the user's own.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from ...source.files import process_alive

log = logging.getLogger(__name__)

PREFIX = "feuilleton-deploy-"
_OURS = re.compile(re.escape(PREFIX) + r"(\d+)-")
STALE = 3600
"""Seconds after which a folder of a process that is gone is taken for left behind."""


def folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder of this process's, removed when the ``with`` ends."""
    return tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-")


def sweep(where: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the folders that killed deploys left in the temporary folder (``where``); what went."""
    where, now = Path(where or tempfile.gettempdir()), time.time() if now is None else now
    gone = []
    try:
        entries = list(os.scandir(where))
    except OSError:
        return gone
    for entry in entries:
        found = _OURS.match(entry.name)
        if not found or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if info.st_uid != os.getuid() or now - info.st_mtime < STALE or process_alive(int(found.group(1))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        gone.append(Path(entry.path))
    return gone

"""Clearing the way for a timed build without deleting anything until the benchmark ends.

A build timed right after thousands of files were deleted measures the
file system, not the build: ext4 will not reuse an inode freed in the last
minute or so, and each file created walks past the freshly freed ones
(``perf`` showed ``recently_deleted`` under ``ext4_create``/``ext4_mkdir``
taking most of a restored build's cycles, which took twice as long).  A
hosting runner starts on a fresh disk, and a peer's build would pay it too,
in proportion to the files it writes.  So an old ``output/`` or cache is
renamed into a trash folder on the same disk, which ``empty`` removes once
nothing more is timed.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

_count = itertools.count()


def set_aside(path: Path, trash: Path) -> None:
    """Move ``path`` (if it exists) into ``trash``, renamed, so that nothing is freed while builds are timed."""
    if os.path.lexists(path):
        trash.mkdir(parents=True, exist_ok=True)
        os.rename(path, trash / f"{next(_count)}-{path.name}")


def empty(trash: Path) -> None:
    shutil.rmtree(trash, ignore_errors=True)

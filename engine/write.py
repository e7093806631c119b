"""Write the site beside ``output/`` and swap it in only on success.

The new tree is assembled in a staging folder next to ``output/``: files
whose bytes did not change are hard-linked from the current output (so they
are not rewritten), the rest are written.  Then the two folders are
exchanged atomically (``renameat2(RENAME_EXCHANGE)`` on Linux; two renames
elsewhere) and the old tree is removed.  A build that fails or is killed
before the exchange leaves ``output/`` exactly as it was; stale staging
folders are cleaned up by the next build.  When nothing changed at all,
nothing is touched.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

STAGING_PREFIX = ".feuilleton-staging-"
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


def _existing(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink()}


def clean_stale(out: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for stale in out.parent.glob(STAGING_PREFIX + "*"):
        pid = stale.name.removeprefix(STAGING_PREFIX).split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def diff_plan(out: Path, files: dict[str, bytes | None]) -> WriteResult:
    """Which files would change; rendered bytes equal to the current file count as kept."""
    result = WriteResult()
    existing = _existing(out)
    for path, data in files.items():
        if data is KEEP and path in existing:
            result.kept += 1
            continue
        target = out / path
        if data is not None and path in existing and target.stat().st_size == len(data) and target.read_bytes() == data:
            files[path] = KEEP
            result.kept += 1
            continue
        result.written.append(path)
    result.removed = sorted(existing - set(files))
    return result


def write_output(out: Path, files: dict[str, bytes | None]) -> WriteResult:
    """Make ``out`` hold exactly ``files``, atomically."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    result = diff_plan(out, files)
    if not result.written and not result.removed and out.is_dir():
        return result
    staging = out.parent / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    made: set[Path] = {staging}
    for path, data in sorted(files.items()):
        target = staging / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if data is KEEP:
            try:
                os.link(out / path, target)
            except OSError:
                shutil.copy2(out / path, target)
        else:
            target.write_bytes(data)
    _swap(staging, out)
    shutil.rmtree(staging, ignore_errors=True)
    return result


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return
    old = out.with_name(out.name + f".old-{os.getpid()}")
    os.rename(out, old)
    os.rename(new, out)
    os.rename(old, new)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0

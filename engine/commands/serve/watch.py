"""Hearing the author's saves: the watchdog observer, and the wait for a burst of saves to settle.

An editor's save is often several events (a temporary file written, renamed
over the post, its swap file touched), and a checkout is hundreds: the
builder waits until ``SETTLE`` seconds pass without one, then builds once.
Paths no build reads (``changes.kind_of``) are dropped as they come, so that
the build's own writes never start a build, nor call off the one under way.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ...config import SOURCE_FOLDERS
from .changes import Layout, kind_of

SETTLE = 0.025
"""Seconds without events before a burst counts as finished."""


class Watcher(FileSystemEventHandler):
    """Turns file events into 'something changed' signals, with the paths that a build reads."""

    def __init__(self, layout: Layout, changed: threading.Event, paths: list[str]):
        self.layout, self.changed, self.paths = layout, changed, paths
        self.on_new_folder: Callable[[str], None] | None = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        moved_to = getattr(event, "dest_path", "") or ""
        if event.is_directory and event.event_type in ("created", "moved") and self.on_new_folder:
            self.on_new_folder(moved_to or event.src_path)
        hits = [str(name) for name in (event.src_path, moved_to) if name and kind_of(str(name), self.layout).rebuilds]
        if hits:
            self.paths.extend(hits)
            self.changed.set()


def watch(layout: Layout, changed: threading.Event, paths: list[str]) -> BaseObserver:
    """A started observer that adds the paths of each change to ``paths`` and sets ``changed``.

    It watches the author's folders recursively and the site root (config.toml)
    alone.  ``output/`` is not watched: the build's own writes must not
    trigger builds, and watching a tree that is swapped out confuses inotify.
    """
    observer = Observer()
    watcher = Watcher(layout, changed, paths)
    root = Path(layout.root)
    observer.schedule(watcher, str(root), recursive=False)
    watched: set[str] = set()

    def add(name: str) -> None:
        folder = root / name
        if name not in watched and folder.is_dir():
            observer.schedule(watcher, str(folder), recursive=True)
            watched.add(name)

    for name in (layout.posts, *SOURCE_FOLDERS):
        add(name)
    watcher.on_new_folder = lambda path: add(Path(path).name) if Path(path).parent == root else None
    observer.start()
    return observer


def settled(changed: threading.Event, stopping: threading.Event) -> bool:
    """Wait until a burst of changes has begun and then settled (True), or the session stops (False)."""
    while not stopping.is_set():
        if not changed.wait(0.2):
            continue
        while True:
            changed.clear()
            time.sleep(SETTLE)
            if not changed.is_set():
                break
        return not stopping.is_set()
    return False

"""``serve``: build, serve on 127.0.0.1, rebuild on change, reload the open page.

A watchdog observer notes changes under the site (posts, templates, static
files, config) and ignores editors' swap and backup files.  A single builder
thread waits for a burst of events to settle, rebuilds (reusing the
in-memory cache, so only changed pages are rendered and written), and only
then tells open pages over Server-Sent Events to reload — or, after a failed
rebuild, to show the ``file:line`` error as an overlay while the last good
site stays served.  The reload script is injected into HTML as it is served,
never written to ``output/``.
"""
from __future__ import annotations

import logging
import re
import signal
import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ...build import BuildResult, build
from ...config import CACHE_DIR, Options, load_config
from ...errors import SiteError
from ...site.urls import Urls, output_path
from ...speed.cache import Cache
from ...speed.fastpath import fast_render
from ...speed.parallel import Cancelled, WorkerDied, cancelled_by
from .http import DEFAULT_PORT, bind
from .reload import Hub, news

log = logging.getLogger(__name__)

SETTLE = 0.025
"""Seconds without events before a burst counts as finished."""
_IGNORED = re.compile(r"(\.sw[a-p]x?|~|\.tmp|\.bak|\.orig|___jb_(tmp|old)___|^4913)$|(^|/)(\.#|#.*#$)")


class Watcher(FileSystemEventHandler):
    """Turns file events into 'something changed' signals, skipping noise."""

    def __init__(self, site: Path, skip: list[Path], changed: threading.Event, paths: list[str]):
        self.site, self.skip, self.changed, self.paths = site, skip, changed, paths
        self.on_new_folder = None

    def _relevant(self, raw: str) -> bool:
        path = Path(raw)
        if any(path == s or s in path.parents for s in self.skip):
            return False
        if any(part.startswith((".git", ".feuilleton")) for part in path.parts):
            return False
        return not _IGNORED.search(path.name)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        names = [event.src_path, getattr(event, "dest_path", "") or ""]
        if event.is_directory and event.event_type in ("created", "moved") and self.on_new_folder:
            self.on_new_folder(getattr(event, "dest_path", "") or event.src_path)
        hits = [n for n in names if n and self._relevant(str(n))]
        if hits:
            self.paths.extend(str(h) for h in hits)
            self.changed.set()


class Server:
    """The pieces of one ``serve`` session."""

    def __init__(self, site: Path, options: Options, quiet: bool, verbose: bool):
        self.site, self.options, self.quiet, self.verbose = site, options, quiet, verbose
        self.config, _ = load_config(site)
        config = self.config
        self.out = (site / config.output_dir).resolve()
        self.base_path = Urls(config.base_url).base_path
        self.cache = Cache(site)
        self.hub = Hub()
        self.changed = threading.Event()
        self.stopping = threading.Event()
        self.paths: list[str] = []
        self.last: BuildResult | None = None
        self.rebuilds: list[float] = []
        self.fast: list[float] = []

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def rebuild(self) -> None:
        started = time.perf_counter()
        try:
            with cancelled_by(self.changed):  # a save meanwhile makes this build stale: call it off
                result = build(self.site, self.options, output=self.out, cache=self.cache, persist=False)
        except Cancelled:
            if self.verbose:
                self.say(f"rebuild called off after {(time.perf_counter() - started) * 1000:.0f} ms: "
                         "a newer change came in")
            return
        except SiteError as e:
            self.failed("\n".join(str(d) for d in e.diagnostics))
            return
        except WorkerDied as e:
            self.failed(f"error: {e}; the site was not rebuilt (saving a file tries again)")
            return
        except Exception as e:  # a mistake of ours must not stop the rebuilds for the rest of the session
            log.exception("rebuild failed")
            self.failed(f"internal error: {type(e).__name__}: {e}; the site was not rebuilt (saving a file "
                        "tries again); please report this with the message above")
            return
        self.last = result
        if result.planner is not None:  # base_url may have moved the site under another path
            self.base_path = result.planner.urls.base_path
        self.hub.error = None
        elapsed = time.perf_counter() - started
        self.rebuilds.append(elapsed)
        written = result.written.written if result.written else []
        for warning in result.warnings if self.verbose else []:
            self.say(str(warning))
        self.say(f"rebuilt in {elapsed * 1000:.0f} ms: {len(written)} files written")
        if self.verbose:
            for path in written:
                self.say(f"  wrote {path}")
        self.reload([*written, *(result.written.removed if result.written else [])])

    def reload(self, files: list[str]) -> None:
        """Tell the open pages which output files changed or went."""
        self.hub.send(news(files, self.base_path))

    def failed(self, message: str) -> None:
        """Show why the last rebuild failed, in the terminal and over the open page."""
        self.hub.error = message
        self.say(message)
        self.hub.send({"type": "error", "message": message})

    def loop(self) -> None:
        """Debounce: rebuild once a burst has settled; never miss the last change."""
        while not self.stopping.is_set():
            if not self.changed.wait(0.2):
                continue
            while True:
                self.changed.clear()
                time.sleep(SETTLE)
                if not self.changed.is_set():
                    break
            if self.stopping.is_set():
                return
            changed = sorted(set(self.paths))
            if self.verbose:
                self.say("changed: " + ", ".join(changed[:5]))
            self.paths.clear()
            self.try_fast_path(changed)
            self.rebuild()

    def try_fast_path(self, changed: list[str]) -> None:
        """Show a body edit of one post at once (the full rebuild follows)."""
        if len(changed) > 3 or self.last is None or self.last.planner is None or self.hub.error:
            return
        posts = {Path(p) for p in changed if p.endswith(".md") and Path(p).is_file()
                 and not any(part.endswith(".versions") for part in Path(p).parts)}
        if len(posts) != 1 or any(not p.endswith(".md") and Path(p).exists() for p in changed):
            return
        started = time.perf_counter()
        try:
            written = fast_render(self.last.planner, self.site, self.out, posts.pop())
        except (SiteError, OSError) as e:
            log.debug("fast path skipped: %s", e)
            return
        if written is not None:
            self.fast.append(time.perf_counter() - started)
            if self.verbose:
                self.say(f"showed {written} in {self.fast[-1] * 1000:.0f} ms; rebuilding the rest")
            self.reload([output_path(written)])


WATCHED = ("templates", "static")


def watch_site(observer, watcher: Watcher, site: Path, posts_dir: str) -> None:
    """Watch the author's folders recursively and the site root (config.toml) alone.

    ``output/`` is never watched: the build's own writes must not trigger
    builds, and watching a tree that is swapped out confuses inotify.
    """
    observer.schedule(watcher, str(site), recursive=False)
    watched: set[str] = set()

    def add(name: str) -> None:
        folder = site / name
        if name not in watched and folder.is_dir():
            observer.schedule(watcher, str(folder), recursive=True)
            watched.add(name)

    for name in (posts_dir, *WATCHED):
        add(name)
    watcher.on_new_folder = lambda path: add(Path(path).name) if Path(path).parent == site else None


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(site: Path, options: Options, host: str = "127.0.0.1", port: int | None = None,
          quiet: bool = False, verbose: bool = False) -> int:
    """``port`` None: the default port, or a free one if it is busy; a port given must be free."""
    server = Server(site, options, quiet, verbose)
    httpd = bind(host, port, server)  # first: a busy port given stops serve before any build
    bound = httpd.server_address[1]
    if port is None and bound != DEFAULT_PORT:
        server.say(f"port {DEFAULT_PORT} is busy; using {bound}")
    server.rebuild()
    observer = Observer()
    skip = [server.out, (site / CACHE_DIR).resolve()]
    watcher = Watcher(site.resolve(), skip, server.changed, server.paths)
    watch_site(observer, watcher, site, server.config.posts_dir)
    observer.start()
    signal.signal(signal.SIGTERM, _stop)  # `kill`, a process manager or a container stopping: as Ctrl-C
    builder = threading.Thread(target=server.loop, name="feuilleton-builder", daemon=True)
    builder.start()
    web = threading.Thread(target=httpd.serve_forever, name="feuilleton-http", daemon=True)
    web.start()
    try:
        print(f"Serving {site.name} at http://{host}:{bound}{server.base_path} (Ctrl-C to stop)", flush=True)
        while web.is_alive():
            web.join(0.5)
    except KeyboardInterrupt:
        server.say("stopping")
    finally:
        server.stopping.set()
        server.changed.set()  # calls off a rebuild under way, so that the builder stops at once
        observer.stop()
        httpd.shutdown()
        httpd.server_close()
        observer.join(5)
        builder.join(5)
        server.cache.persist()
    return 0

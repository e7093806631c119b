"""``serve``: build, serve on 127.0.0.1, rebuild on change, reload the open page.

A watchdog observer (``watch``) notes changes under the site (posts,
templates, static files, config), and ``changes`` says what a burst of them
touched, leaving out editors' swap and backup files and the build's own
output.  A single builder thread waits for a burst to settle, shows one
post's edited text at once when that is all it holds (``speed.fastpath``),
then rebuilds (reusing the in-memory cache, so only changed pages are
rendered and written), and only then tells open pages over Server-Sent
Events (``reload``) to reload — or, after a failed rebuild, to show the
``file:line`` error as an overlay while the last good site stays served.
``http`` answers the browser, putting the reload script into HTML as it is
served, never into ``output/``.

This module is the session that ties them together, and ``serve`` its entry point.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from pathlib import Path

from watchdog.observers.api import BaseObserver

from ...build import BuildResult, build
from ...config import Options, load_config
from ...errors import SiteError
from ...site.preview import pending_revision
from ...site.urls import Urls, output_path
from ...speed.cache import Cache
from ...speed.fastpath import fast_render
from ...speed.parallel import Cancelled, WorkerDied, cancelled_by
from .changes import ChangeKind, Layout, classify, kind_of
from .http import DEFAULT_PORT, DevServer, bind
from .reload import Hub, news
from .watch import SETTLE, settled, watch

__all__ = ["DEFAULT_PORT", "SETTLE", "Server", "build", "serve"]

log = logging.getLogger(__name__)


class Server:
    """The pieces of one ``serve`` session: the last build, the open pages, and the signals between the
    watcher, the builder thread and the request threads."""

    def __init__(self, site: Path, options: Options, quiet: bool, verbose: bool):
        self.site, self.options, self.quiet, self.verbose = site, options, quiet, verbose
        self.config, _ = load_config(site)
        config = self.config
        self.out = (site / config.output_dir).resolve()
        self.layout = Layout(site.resolve(), config.posts_dir, config.output_dir)
        self.base_path = Urls(config.base_url).base_path
        self.cache = Cache(site)
        self.hub = Hub()
        self.changed = threading.Event()
        self.stopping = threading.Event()
        self.paths: list[str] = []
        self.last: BuildResult | None = None
        self.rebuilds: list[float] = []
        self.fast: list[float] = []
        self.ahead: dict[Path, bytes] = {}
        """Pages the fast path rendered before a full build checked them, served from memory in place of their
        files in ``output/`` (by path): ``output/`` only ever holds a whole build, whenever serve stops."""
        self.warned: set[str] = set()
        """The warnings already printed, so that each rebuild prints only what is new."""
        self.told_output: str | None = config.output_dir
        """The ``output_dir`` the last build found in ``config.toml``: a new one is said once, with the folder
        this session builds into all the same (its watcher and its files are set up for that one)."""

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def rebuild(self) -> None:
        """Build the site again and tell the open pages; a failed build is shown, never raised, so that
        the builder thread goes on rebuilding for the rest of the session."""
        started = time.perf_counter()
        try:
            with cancelled_by(self.changed):  # a save meanwhile makes this build stale: call it off
                result = build(self.site, self.options, output=self.out, cache=self.cache, persist=False,
                               index=False)  # search is indexed by `build` only: it would slow every reload
        except Cancelled:
            if self.verbose:
                self.say(f"rebuild called off after {(time.perf_counter() - started) * 1000:.0f} ms: "
                         "a newer change came in")
            return
        except SiteError as e:
            self.failed("\n".join(str(d) for d in sorted(e.diagnostics, key=lambda d: d.warning)))  # the cause first
            return
        except WorkerDied as e:
            self.failed(f"error: {e}; the site was not rebuilt (saving a file tries again)")
            return
        except Exception as e:  # a mistake of ours must not stop the rebuilds for the rest of the session
            log.exception("rebuild failed")
            self.failed(f"internal error: {type(e).__name__}: {e}; the site was not rebuilt (saving a file "
                        "tries again); please report this with the message above")
            return
        self.ahead.clear()  # the build wrote every page anew, checked
        self._built(result, started)

    def _built(self, result: BuildResult, started: float) -> None:
        """Keep a successful build for the request threads, say what it wrote, and reload what it changed,
        and the pages of posts that moved on from their last version, or came back to it: the page is served
        with the preview's banner, or without it, whatever bytes the build wrote."""
        flipped = _unrecorded(self.last) ^ _unrecorded(result)
        self.last = result
        moved = False
        if result.maker is not None and result.maker.urls.base_path != self.base_path:  # base_url moved the site
            self.base_path, moved = result.maker.urls.base_path, True
        self.hub.error = None
        elapsed = time.perf_counter() - started
        self.rebuilds.append(elapsed)
        written = result.written.written if result.written else []
        shown = [str(warning) for warning in result.warnings]
        for warning in shown if self.verbose else [w for w in shown if w not in self.warned]:
            self.say(warning)
        self.warned = set(shown)
        wanted = result.maker.config.output_dir if result.maker is not None else None
        if wanted is not None and (self.site / wanted).resolve() != self.out and wanted != self.told_output:
            self.say(f"config.toml: output_dir is now {wanted!r}, but serve goes on building into {self.out.name}/ "
                     "until it is started again")  # once for each new folder named
        self.told_output = wanted
        self.say(f"rebuilt in {elapsed * 1000:.0f} ms: {len(written)} file{'' if len(written) == 1 else 's'} written")
        if self.verbose:
            for path in written:
                self.say(f"  wrote {path}")
        if moved:  # every open page is at an address the site left: each reloads, and is told where it went
            self.hub.send({"type": "reload", "pages": None})
            return
        self.reload([*written, *(result.written.removed if result.written else []), *sorted(flipped)])

    def reload(self, files: list[str]) -> None:
        """Tell the open pages which output files changed or went."""
        self.hub.send(news(files, self.base_path))

    def failed(self, message: str) -> None:
        """Show why the last rebuild failed, in the terminal and over the open page, and put back any page
        the fast path showed ahead of it: the last good build, in ``output/``, is served again."""
        restored = [target.relative_to(self.out).as_posix() for target in self.ahead]
        self.ahead.clear()
        self.hub.error = message
        self.say(message)
        if restored:  # a page that showed the unchecked text shows the good one again, the error over it
            self.reload(restored)
        self.hub.send({"type": "error", "message": message})

    def loop(self) -> None:
        """Rebuild once each burst has settled; never miss the last change.  A burst of nothing still
        rebuilds: the signal that started it may have called off a build whose paths were taken already."""
        while settled(self.changed, self.stopping):
            changed = sorted(set(self.paths))
            if self.verbose:
                self.say("changed: " + ", ".join(changed[:5]))
            self.paths.clear()
            self.try_fast_path(changed)
            self.rebuild()

    def try_fast_path(self, changed: list[str]) -> None:
        """Show a body edit of one post at once (the full rebuild follows)."""
        if self.last is None or self.last.maker is None or self.hub.error:
            return
        gone = {path for path in changed if not Path(path).exists()}
        if classify(changed, self.layout, gone) is not ChangeKind.POST_TEXT:
            return
        post = next(path for path in changed if path not in gone and kind_of(path, self.layout).rebuilds)
        started = time.perf_counter()
        try:
            done = fast_render(self.last.maker, self.site, self.out, Path(post))
        except (SiteError, OSError) as e:
            log.debug("fast path skipped: %s", e)
            return
        if done is not None:
            written, data = done
            self.ahead[(self.out / output_path(written)).resolve()] = data
            self.fast.append(time.perf_counter() - started)
            if self.verbose:
                self.say(f"showed {written} in {self.fast[-1] * 1000:.0f} ms; rebuilding the rest")
            self.reload([output_path(written)])


def _unrecorded(result: BuildResult | None) -> set[str]:
    """The output files of the pages of posts whose text moved on from their last recorded version."""
    maker = result.maker if result is not None else None
    if maker is None:
        return set()
    return {output_path(view.url.removeprefix(maker.urls.base_path))
            for key, view in maker.posts.items() if pending_revision(maker.site.posts[key])}


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
    observer = watch(server.layout, server.changed, server.paths)  # first: a save during the first build counts
    server.rebuild()
    signal.signal(signal.SIGTERM, _stop)  # `kill`, a process manager or a container stopping: as Ctrl-C
    builder = threading.Thread(target=server.loop, name="feuilleton-builder", daemon=True)
    builder.start()
    web = threading.Thread(target=httpd.serve_forever, name="feuilleton-http", daemon=True)
    web.start()
    try:
        shown = f"[{host}]" if ":" in host else host  # an IPv6 address, as a URL writes it
        print(f"Serving {site.name} at http://{shown}:{bound}{server.base_path} (Ctrl-C to stop)", flush=True)
        while web.is_alive():
            web.join(0.5)
    except KeyboardInterrupt:
        server.say("stopping")
    finally:
        _shut_down(server, observer, httpd, builder)
    return 0


def _shut_down(server: Server, observer: BaseObserver, httpd: DevServer, builder: threading.Thread) -> None:
    """Stop watching, building and serving, then keep the cache for the next session."""
    server.stopping.set()
    server.changed.set()  # calls off a rebuild under way, so that the builder stops at once
    observer.stop()
    httpd.shutdown()
    httpd.server_close()
    observer.join(5)
    builder.join(5)
    server.cache.persist()

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

import errno
import html
import logging
import mimetypes
import queue
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ...build import BuildResult, build
from ...config import CACHE_DIR, Options, load_config
from ...errors import Diagnostic, SiteError
from ...site.preview import find_post, pending_revision, render_preview
from ...site.urls import Urls, output_path
from ...source.files import read_regular
from ...speed.cache import Cache
from ...speed.fastpath import fast_render
from ...speed.parallel import Cancelled, WorkerDied, cancelled_by
from .reload import RELOAD_JS, Hub, news

log = logging.getLogger(__name__)

SETTLE = 0.025
"""Seconds without events before a burst counts as finished."""
_IGNORED = re.compile(r"(\.sw[a-p]x?|~|\.tmp|\.bak|\.orig|___jb_(tmp|old)___|^4913)$|(^|/)(\.#|#.*#$)")
_SCRIPT_URL = "/__feuilleton/reload.js"
_EVENTS_URL = "/__feuilleton/events"
_PREVIEW_PREFIX = "/__feuilleton/preview/"


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


def _banner(link: str) -> bytes:
    return (f'<aside id="feuilleton-preview" style="position:fixed;right:1em;bottom:1em;z-index:2147483646;'
            f'background:#fffbe6;color:#222;border:1px solid #b08a00;padding:.5em .8em;font:14px/1.4 sans-serif">'
            f'Unrecorded changes: <a href="{html.escape(link)}">preview what readers would see changed</a></aside>'
            ).encode()


def on_this_server(location: str) -> str:
    """``location`` as a path no browser can read as another site: one leading ``/``, and every
    backslash, control character or space escaped, since browsers read ``//host`` and ``/\\host`` as a
    host, and drop tabs and line breaks before they look.  A request in absolute form
    (``GET http://x//evil.example/a``), or ``base_url`` itself, could otherwise hand a redirect such a
    path."""
    return "/" + quote(location, safe="/%?#=&;:@+,!$'()*~-._").lstrip("/")


def _served(path: Path) -> bytes | None:
    """The bytes of a file of ``output/``; None if it is gone (swapped away just then) or is no regular
    file, such as a pipe put there, which would hold the request's thread for ever."""
    try:
        return read_regular(path)
    except OSError:
        return None


def make_handler(server: Server):
    out = server.out

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            log.debug(format, *args)

        def do_GET(self) -> None:  # noqa: N802
            path = unquote(urlsplit(self.path).path)
            if path == _SCRIPT_URL:
                return self._send(200, RELOAD_JS.encode(), "text/javascript; charset=utf-8")
            if path == _EVENTS_URL:
                return self._events()
            if path.startswith(_PREVIEW_PREFIX):
                return self._preview(path[len(_PREVIEW_PREFIX) - 1:])
            local = self._local(path)
            if local is None and path in ("/", server.base_path.rstrip("/")):  # the site lives below the root,
                return self._redirect(server.base_path)  # as it will when hosted
            target = self._resolve(local) if local is not None else None
            if target is None:
                return self._not_found()
            if target.name == "index.html" and not path.endswith(("/", "index.html")):
                raw = urlsplit(self.path)  # as hosts do, so that relative links resolve as they will there
                return self._redirect(raw.path + "/" + (f"?{raw.query}" if raw.query else ""))
            body = _served(target)
            if body is None:
                return self._not_found()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body = self._inject(body, path)
                kind = "text/html; charset=utf-8"
            self._send(200, body, kind)

        def _local(self, path: str) -> str | None:
            """The path within ``output/``: a site at https://host/essays/ is served at /essays/ only, as its
            host will serve it, so that a link that leaves it fails here too (None: outside the site)."""
            if server.base_path == "/":
                return path
            if path.startswith(server.base_path):
                return "/" + path[len(server.base_path):]
            return None

        def _resolve(self, path: str) -> Path | None:
            if "\0" in path:
                return None
            candidate = (out / path.lstrip("/")).resolve()
            if candidate != out and out not in candidate.parents:
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html"
            return candidate if candidate.is_file() else None

        def _inject(self, body: bytes, path: str) -> bytes:
            extra = f'<script src="{_SCRIPT_URL}"></script>'.encode()
            planner = server.last.planner if server.last else None
            if planner is not None:
                found = find_post(planner, path if path.endswith("/") else path.rsplit("/", 1)[0] + "/")
                if found and pending_revision(found[0]):
                    extra += _banner(_PREVIEW_PREFIX.rstrip("/") + found[1].url)
            index = body.rfind(b"</body>")
            return body[:index] + extra + body[index:] if index >= 0 else body + extra

        def _preview(self, url: str) -> None:
            planner = server.last.planner if server.last else None
            page = None
            if planner is not None:
                try:
                    page = render_preview(planner, server.site, url)
                except SiteError as e:
                    page = f"<pre>{html.escape(str(e))}</pre>".encode()
            if page is None:
                return self._not_found()
            self._send(200, self._inject(page, url), "text/html; charset=utf-8")

        def _not_found(self) -> None:
            page = _served(out / "404.html")
            body = self._inject(page, "/404.html") if page is not None else b"Not found"
            self._send(404, body, "text/html; charset=utf-8")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", on_this_server(location))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            q = server.hub.subscribe()
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while not server.stopping.is_set():
                    try:
                        message = q.get(timeout=1.0)
                    except queue.Empty:
                        self.wfile.write(b": ping\n\n")
                    else:
                        self.wfile.write(f"data: {message}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                server.hub.unsubscribe(q)
                self.close_connection = True

    return Handler


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


DEFAULT_PORT = 8000


class _HTTPServer(ThreadingHTTPServer):
    """One thread per request.  A client that goes away before its answer is sent (a closed tab, a
    reload, a load tester) is routine for a server, not a mistake worth a traceback on the terminal."""

    daemon_threads = True
    request_queue_size = 128
    """Connections waiting to be accepted; beyond it a new connection stalls for a second, and the
    default, 5, is soon reached when many clients connect at once, as in a load test."""

    def handle_error(self, request: object, client_address: tuple) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("%s went away before its answer was sent", client_address[0])
            return
        super().handle_error(request, client_address)


def _bind(host: str, port: int | None, handler) -> _HTTPServer:
    """The port asked for, which must be free; without one, the default port, or the next free one, or
    any free one."""
    asked = port is not None
    for candidate in [port] if asked else [*range(DEFAULT_PORT, DEFAULT_PORT + 10), 0]:
        try:
            httpd = _HTTPServer((host, candidate), handler)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise SiteError(Diagnostic("serve", 0, f"cannot listen on {host}:{candidate}: {e.strerror or e}")) from e
            if asked:
                raise SiteError(Diagnostic(f"--port {candidate}", 0, f"{host}:{candidate} is already in use (by "
                                           "another program, or another `feuilleton serve`); stop it, choose another "
                                           "port, or leave --port out to use a free one")) from e
            continue
        return httpd
    raise SiteError(Diagnostic("serve", 0, f"no free port to listen on at {host}; choose one with --port"))


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(site: Path, options: Options, host: str = "127.0.0.1", port: int | None = None,
          quiet: bool = False, verbose: bool = False) -> int:
    """``port`` None: the default port, or a free one if it is busy; a port given must be free."""
    server = Server(site, options, quiet, verbose)
    httpd = _bind(host, port, make_handler(server))  # first: a busy port given stops serve before any build
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

"""``serve``'s answers over HTTP, as the site's host will give them, plus what an author needs live.

Files come from ``output/`` only, below the site's base path only (a link
that leaves the site fails here as it will when hosted), and only when they
are regular files; never ``_redirects`` or ``_headers``, which a host reads
and does not serve.  HTML gets the reload script just before ``</body>`` and,
on a post with unrecorded changes, a link to a preview of them; neither is
ever written to ``output/``.  Every redirect stays on this server.
"""
from __future__ import annotations

import errno
import html
import logging
import mimetypes
import queue
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from ...errors import Diagnostic, SiteError
from ...site import urls as U
from ...site.preview import find_post, pending_revision, render_preview
from ...source.files import read_regular
from .reload import RELOAD_JS

if TYPE_CHECKING:
    from . import Server

log = logging.getLogger(__name__)

SCRIPT_URL = "/__feuilleton/reload.js"
EVENTS_URL = "/__feuilleton/events"
PREVIEW_PREFIX = "/__feuilleton/preview/"
DEFAULT_PORT = 8000


class Handler(BaseHTTPRequestHandler):
    """One connection; ``self.server.session`` is the ``serve`` session whose site it answers from."""

    protocol_version = "HTTP/1.1"
    server: DevServer

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)

    def do_GET(self) -> None:
        """Route: the reload script, its event stream, a preview, or a file of the site."""
        path = unquote(urlsplit(self.path).path)
        self.told = self.server.session.hub.told  # before the page is read: news sent after it may be missed
        if path == SCRIPT_URL:
            return self._send(200, RELOAD_JS.encode(), "text/javascript; charset=utf-8")
        if path == EVENTS_URL:
            return self._events()
        if path.startswith(PREVIEW_PREFIX):
            return self._preview(path[len(PREVIEW_PREFIX) - 1:])
        return self._file(path)

    def do_HEAD(self) -> None:
        self.do_GET()

    def _file(self, path: str) -> None:
        """A file of ``output/``; a folder without its ``/`` is sent to it, as hosts do, so that relative
        links resolve as they will there."""
        base_path = self.server.session.base_path
        local = self._local(path)
        if local is None and path in ("/", base_path.rstrip("/")):  # the site lives below the root,
            return self._redirect(base_path)  # as it will when hosted
        if local is not None and local.lstrip("/") in U.HOSTING:  # instructions to the host, which
            return self._not_found()  # serves neither to readers
        target = self._resolve(local) if local is not None else None
        if target is None:
            return self._not_found()
        if target.name == "index.html" and not path.endswith(("/", "index.html")):
            raw = urlsplit(self.path)
            return self._redirect(raw.path + "/" + (f"?{raw.query}" if raw.query else ""))
        body = self.server.session.ahead.get(target) or _served(target)  # an edited page shown ahead of its build
        if body is None:
            return self._not_found()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body, kind = self._inject(body, path), "text/html; charset=utf-8"
        return self._send(200, body, kind)

    def _local(self, path: str) -> str | None:
        """The path within ``output/``: a site at https://host/essays/ is served at /essays/ only, as its
        host will serve it, so that a link that leaves it fails here too (None: outside the site)."""
        base_path = self.server.session.base_path
        if base_path == "/":
            return path
        if path.startswith(base_path):
            return "/" + path[len(base_path):]
        return None

    def _resolve(self, path: str) -> Path | None:
        """The file a path within ``output/`` names (a folder's ``index.html``); None for anything outside
        ``output/`` or missing."""
        if "\0" in path:
            return None
        out = self.server.session.out
        candidate = (out / path.lstrip("/")).resolve()
        if candidate != out and out not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def _inject(self, body: bytes, path: str) -> bytes:
        """The page with the reload script, and a link to the preview on a post with unrecorded changes."""
        extra = f'<script src="{SCRIPT_URL}" data-told="{self.told}"></script>'.encode()
        last = self.server.session.last
        maker = last.maker if last else None
        if maker is not None:
            found = find_post(maker, path if path.endswith("/") else path.rsplit("/", 1)[0] + "/")
            if found and pending_revision(found[0]):
                extra += _banner(PREVIEW_PREFIX.rstrip("/") + found[1].url)
        index = body.rfind(b"</body>")
        return body[:index] + extra + body[index:] if index >= 0 else body + extra

    def _preview(self, url: str) -> None:
        """What readers would see changed in the post at ``url`` if the author recorded it now."""
        session = self.server.session
        maker = session.last.maker if session.last else None
        page = None
        if maker is not None:
            try:
                page = render_preview(maker, session.site, url)
            except SiteError as e:
                page = f"<pre>{html.escape(str(e))}</pre>".encode()
        if page is None:
            found = find_post(maker, url) if maker is not None else None
            if found is None:
                return self._not_found()
            # nothing unrecorded any more (a `revise` just recorded it): what readers now see changed
            newest = found[1].history[-1] if found[1].history else None
            return self._redirect(newest.changes_url if newest is not None and newest.changes_url else found[1].url)
        return self._send(200, self._inject(page, url), "text/html; charset=utf-8")

    def _not_found(self) -> None:
        """The site's 404 page; before any build has made one (the first failed), a bare page that still
        shows the build's error and reloads once a rebuild succeeds."""
        page = _served(self.server.session.out / "404.html")
        if page is None:
            said = "Not found." if self.server.session.last else "The site has not been built yet."
            page = (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{said}</title></head>\n'
                    f"<body{' data-feuilleton-unbuilt' if not self.server.session.last else ''}><p>{said}</p>"
                    "</body>\n</html>\n").encode()
        self._send(404, self._inject(page, "/404.html"), "text/html; charset=utf-8")

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

    def _events(self) -> None:
        """The event stream of one open page, held open until the page or the session goes; a ping each
        second finds a page that went."""
        session = self.server.session
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        q = session.hub.subscribe()
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while not session.stopping.is_set():
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
            session.hub.unsubscribe(q)
            self.close_connection = True


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


class DevServer(ThreadingHTTPServer):
    """One thread per request.  A client that goes away before its answer is sent (a closed tab, a
    reload, a load tester) is routine for a server, not a mistake worth a traceback on the terminal."""

    daemon_threads = True
    request_queue_size = 128
    """Connections waiting to be accepted; beyond it a new connection stalls for a second, and the
    default, 5, is soon reached when many clients connect at once, as in a load test."""

    def __init__(self, address: tuple[str, int], session: Server):
        self.session = session
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET  # --host ::1
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: tuple) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("%s went away before its answer was sent", client_address[0])
            return
        super().handle_error(request, client_address)


def bind(host: str, port: int | None, session: Server) -> DevServer:
    """The port asked for, which must be free; without one, the default port, or the next free one, or
    any free one."""
    asked = port is not None
    for candidate in [port] if asked else [*range(DEFAULT_PORT, DEFAULT_PORT + 10), 0]:
        try:
            return DevServer((host, candidate), session)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise SiteError(Diagnostic("serve", 0, f"cannot listen on {host}:{candidate}: {e.strerror or e}")) from e
            if asked:
                raise SiteError(Diagnostic(f"--port {candidate}", 0, f"{host}:{candidate} is already in use (by "
                                           "another program, or another `feuilleton serve`); stop it, choose another "
                                           "port, or leave --port out to use a free one")) from e
    raise SiteError(Diagnostic("serve", 0, f"no free port to listen on at {host}; choose one with --port"))

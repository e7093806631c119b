"""``serve`` end to end: a real server in a subprocess, real files, a real headless browser."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

import engine.commands.serve
import engine.output.outputs
from conftest import REPO, post, run_cli, write_site
from engine.config import Options
from engine.speed.parallel import WorkerDied
from tests.bench.corpus import generate

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]


class Served:
    def __init__(self, site: Path, port: int | None = 0, *extra: str):
        """``port`` 0: a free one; None: no ``--port`` (serve's default)."""
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        ports = [] if port is None else ["--port", str(port or free_port())]
        self.process = subprocess.Popen([sys.executable, "-m", "engine", "--site", str(site), "serve", *ports, *extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                self.url = f"http://127.0.0.1:{self.port}"
                return
        raise AssertionError("serve did not start:\n" + "".join(self.lines))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def heard_said(message: str) -> dict:
    """A message of the event stream without its count (``told``), which every message carries."""
    found = json.loads(message)
    found.pop("told", None)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {
        "posts/essay.md": post("An essay", body="The first paragraph says hello.\n\nThe second one too."),
    })


@pytest.fixture
def served(small_site: Path):
    server = Served(small_site)
    yield server
    server.stop()


def raw_get(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_serves_pages_with_the_reload_script_but_output_has_none(served: Served, small_site: Path) -> None:
    status, body = served.get("/essays/essay/")
    assert status == 200 and "The first paragraph says hello." in body
    assert "/__feuilleton/reload.js" in body
    assert "__feuilleton" not in (small_site / "output" / "essay" / "index.html").read_text()


@pytest.mark.parametrize("name", ["_redirects", "_headers"])
def test_the_hosts_instructions_are_written_but_not_served(served: Served, small_site: Path, name: str) -> None:
    assert (small_site / "output" / name).is_file()  # what Netlify and Cloudflare Pages read
    status, body = served.get(f"/essays/{name}")
    assert status == 404 and "301" not in body and "Cache-Control" not in body


@pytest.mark.parametrize("path", ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/essays/../config.toml",
                                  "/..%2fconfig.toml", "/posts/"])
def test_no_path_traversal_or_listing(served: Served, path: str) -> None:
    reply = raw_get(served.port, path)
    assert reply.startswith(b"HTTP/1.1 404"), reply[:80]
    assert b"root:" not in reply and b"base_url" not in reply


def test_a_site_below_the_root_is_served_only_there_as_its_host_will(served: Served) -> None:
    assert any(f"at http://127.0.0.1:{served.port}/essays/ " in line for line in served.lines)
    assert raw_get(served.port, "/").startswith(b"HTTP/1.1 302")
    assert b"\r\nLocation: /essays/\r\n" in raw_get(served.port, "/")
    assert b"\r\nLocation: /essays/\r\n" in raw_get(served.port, "/essays")
    assert served.get("/")[0] == 200  # the redirect leads to the home page
    status, body = served.get("/essay/")  # what a link to /essay/ would reach once hosted: nothing
    assert status == 404 and "/__feuilleton/reload.js" in body  # the site's 404 page, still reloading
    assert served.get("/essays/essay/")[0] == 200
    assert b"\r\nLocation: /essays/essay/\r\n" in raw_get(served.port, "/essays/essay")  # a folder gets its /


def test_a_new_base_path_is_served_after_the_rebuild(small_site: Path) -> None:
    server = Served(small_site)
    try:
        config = small_site / "config.toml"
        config.write_text(config.read_text().replace("https://example.org/essays/", "https://example.org/blog/"))
        deadline = time.time() + 30
        while time.time() < deadline and server.get("/blog/essay/")[0] != 200:
            time.sleep(0.2)
        assert server.get("/blog/essay/")[0] == 200
        assert server.get("/essays/essay/")[0] == 404
    finally:
        server.stop()


def test_open_pages_reload_when_serve_is_started_again(tmp_path: Path) -> None:
    """Their event stream reconnects by itself to the new serve, which may show another site (--drafts)."""
    site = write_site(tmp_path / "site", {"posts/essay.md": post("An essay"),
                                          "posts/later.md": post("A draft for later", draft="true")})
    port = free_port()
    server = Served(site, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser.new_context().new_page()
            page.goto(server.url + "/essays/")
            assert "A draft for later" not in page.locator("main").inner_text()
            time.sleep(0.5)  # let the event stream connect
            server.stop()
            server = Served(site, port, "--drafts")
            expect(page.locator("main")).to_contain_text("A draft for later", timeout=20_000)
            browser.close()
    finally:
        server.stop()


def test_the_overlay_names_what_stopped_the_build_before_any_warning(small_site: Path) -> None:
    server = engine.commands.serve.Server(small_site, Options(), quiet=True, verbose=False)
    (small_site / "posts/gone.versions").mkdir()  # a warning: versions whose post is not here
    (small_site / "posts/essay.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    server.rebuild()
    lines = (server.hub.error or "").splitlines()
    assert lines[0].startswith("posts/essay.md:2: invalid YAML") and ": warning: " in lines[-1]


def test_a_new_base_path_reloads_every_open_page(small_site: Path) -> None:
    """Each open page is at an address the site has left: none would have been named by the pages written."""
    server = engine.commands.serve.Server(small_site, Options(), quiet=True, verbose=False)
    server.rebuild()
    heard = server.hub.subscribe()
    assert json.loads(heard.get_nowait())["type"] == "session"  # who answers, first
    config = small_site / "config.toml"
    config.write_text(config.read_text().replace("https://example.org/essays/", "https://example.org/blog/"))
    server.rebuild()
    told = [heard_said(heard.get_nowait()) for _ in range(heard.qsize())]
    assert told == [{"type": "reload", "pages": None}] and server.base_path == "/blog/"


def test_a_busy_port_given_is_an_error(small_site: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "engine", "--site", str(small_site), "serve", "--port", str(busy)],
                              env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"--port {busy}: 127.0.0.1:{busy} is already in use (by another program, or another `feuilleton serve`); "
        "stop it, choose another port, or leave --port out to use a free one"]
    assert done.stdout == ""
    assert not (small_site / "output").exists()  # refused before building anything


def test_the_default_port_moves_to_a_free_one_when_busy(small_site: Path) -> None:
    with socket.socket() as blocker:
        try:
            blocker.bind(("127.0.0.1", engine.commands.serve.DEFAULT_PORT))
            blocker.listen()
        except OSError:
            pass  # busy already: all the better
        server = Served(small_site, None)
        try:
            assert server.port != engine.commands.serve.DEFAULT_PORT
            assert f"port {engine.commands.serve.DEFAULT_PORT} is busy; using {server.port}\n" in server.lines
            assert server.get("/essays/essay/")[0] == 200
        finally:
            assert server.stop() == 0


def test_ctrl_c_stops_cleanly_leaving_nothing_behind(small_site: Path) -> None:
    server = Served(small_site)
    assert server.stop() == 0
    leftovers = [p.name for p in small_site.iterdir() if p.name.startswith(".feuilleton-staging")]
    assert leftovers == []


def test_sigterm_stops_as_cleanly_as_ctrl_c(small_site: Path) -> None:
    server = Served(small_site)
    assert not (small_site / ".feuilleton-cache" / "cache.pickle").exists()  # serve writes it when it stops
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=15) == 0
    assert "stopping" in server.process.stdout.read()
    assert (small_site / ".feuilleton-cache" / "cache.pickle").is_file()


def test_browser_follows_edits_errors_and_fixes(served: Served, small_site: Path) -> None:
    """The open page shows each save without a manual reload (the test never calls page.reload)."""
    source = small_site / "posts" / "essay.md"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page()
        article, overlay = page.locator("article"), page.locator("#feuilleton-error")
        page.goto(served.url + "/essays/essay/")
        assert "The first paragraph says hello." in article.inner_text()
        time.sleep(0.3)  # let the event stream connect

        source.write_text(post("An essay", body="A plainly written new sentence.\n\nThe second one too."))
        expect(article).to_contain_text("A plainly written new sentence.", timeout=10_000)  # waits for the reload
        assert "The first paragraph says hello." not in article.inner_text()

        temp = source.with_name(".essay.md.swp")  # an editor's rename-style save
        temp.write_text(post("An essay", body="Saved by rename, like vim and VS Code do.\n\nThe second one too."))
        os.replace(temp, source)
        expect(article).to_contain_text("Saved by rename", timeout=10_000)
        assert "A plainly written new sentence." not in article.inner_text()
        # the page came by the fast path, unchecked; the full build that checks it writes the home page too:
        # a save that breaks the build before that shows the last build checked (the sentence before)
        home, deadline = small_site / "output/index.html", time.time() + 15
        while "Saved by rename" not in home.read_text(encoding="utf-8") and time.time() < deadline:
            time.sleep(0.05)

        source.write_text("---\ntitle: [unclosed\n---\nBody\n")
        expect(overlay).to_contain_text("posts/essay.md:2:", timeout=10_000)
        assert "posts/essay.md:2: invalid YAML in front matter" in overlay.inner_text()
        assert "Saved by rename" in article.inner_text()  # the last good site is still shown

        source.write_text(post("An essay", body="Fixed again.\n\nThe second one too."))
        expect(article).to_contain_text("Fixed again.", timeout=10_000)
        expect(overlay).to_have_count(0)
        assert overlay.count() == 0 and "Fixed again." in article.inner_text()
        browser.close()


def test_a_page_that_listens_only_after_a_save_was_told_reloads(served: Served, small_site: Path) -> None:
    """A save while a page loads (as when it reloads for the fast path's text, and the full build then fails):
    the news went out before the page listened, and the page, read before it, would show the old text for good."""
    source = small_site / "posts" / "essay.md"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page()
        held: list = []

        def hold(route) -> None:  # the page is read; its stream waits, the first time
            held.append(route) if not held else route.continue_()
        page.route("**/__feuilleton/events", hold)
        page.goto(served.url + "/essays/essay/")
        while not held:
            page.wait_for_timeout(50)
        source.write_text(post("An essay", body="Written while the page was loading.\n\nThe second one too."))
        deadline = time.time() + 20
        while "Written while" not in served.get("/essays/essay/")[1] and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the news of it is sent once the page is written
        assert "The first paragraph says hello." in page.locator("article").inner_text()
        held[0].continue_()
        expect(page.locator("article")).to_contain_text("Written while the page was loading.", timeout=10_000)
        browser.close()


def test_only_the_pages_a_save_changed_reload(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        "posts/essay.md": post("An essay", body="The essay's first paragraph.\n\nIts second."),
        "posts/other.md": post("Another essay", date="2026-11-02T09:00:00", body="The other one says hello."),
    })
    server = Served(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            reading, edited = browser.new_page(), browser.new_page()
            reading.goto(server.url + "/essays/essay/")
            edited.goto(server.url + "/essays/other/")
            for page in (reading, edited):
                page.evaluate("window.notReloaded = true")
            time.sleep(0.3)  # let the event streams connect

            (site / "posts/other.md").write_text(post("Another essay", date="2026-11-02T09:00:00",
                                                      body="The other one says goodbye."))
            expect(edited.locator("article")).to_contain_text("says goodbye", timeout=10_000)
            deadline = time.time() + 10  # the full rebuild: the home page lists the other essay's summary
            while "says goodbye" not in (site / "output/index.html").read_text() and time.time() < deadline:
                time.sleep(0.05)
            assert "says goodbye" in (site / "output/index.html").read_text()
            time.sleep(0.5)  # time enough for a reload the rebuild's message would have caused
            assert reading.evaluate("window.notReloaded === true")  # its page did not change
            assert edited.evaluate("window.notReloaded === undefined")

            (site / "posts/essay.md").write_text(post("An essay", body="A rewritten first paragraph.\n\nIts second."))
            expect(reading.locator("article")).to_contain_text("A rewritten first paragraph", timeout=10_000)
            browser.close()
    finally:
        server.stop()


@contextmanager
def seven_pages(tmp_path: Path, init_script: str = "", hidden: str = ""):
    """Seven essays served, each open in a page of one browser profile (as a reader's tabs are): ``(site,
    server, context, pages)``; ``init_script`` runs in each page first, ``hidden`` in all but the last."""
    site = write_site(tmp_path / "site", {f"posts/essay-{n}.md": post(f"Essay {n}", date=f"2026-11-0{n}T09:00:00")
                                          for n in range(1, 8)})
    server = Served(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            context = browser.new_context()
            if init_script:
                context.add_init_script(init_script)
            pages = []
            for n in range(1, 8):
                page = context.new_page()
                page.goto(server.url + f"/essays/essay-{n}/", timeout=10_000)
                if hidden and n < 7:
                    page.evaluate(hidden)
                pages.append(page)
            time.sleep(0.5)  # let the event streams connect
            yield site, server, context, pages
            browser.close()
    finally:
        server.stop()


def retitle(site: Path) -> None:
    """A change every page shows: the site's title, in its header."""
    config = site / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Test Site"', 'title = "Renamed"'),
                      encoding="utf-8")


def header(page) -> str:
    return page.locator("header.site-header").inner_text()


def test_seven_open_pages_all_follow_a_save(tmp_path: Path) -> None:
    """A browser opens six connections to a server at most: with an event stream held open by each page, the
    seventh page, and then every reload, waited for ever."""
    with seven_pages(tmp_path) as (site, server, context, pages):
        retitle(site)
        for page in pages:
            expect(page.locator("header.site-header")).to_contain_text("Renamed", timeout=15_000)
        assert all("Renamed" in header(page) for page in pages)
        (site / "posts/essay-3.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
        for page in pages:
            expect(page.locator("#feuilleton-error")).to_contain_text("posts/essay-3.md:2:", timeout=15_000)
        assert all("posts/essay-3.md:2:" in page.locator("#feuilleton-error").inner_text() for page in pages)
        late = context.new_page()  # opened while the error stands: shown it too
        late.goto(server.url + "/essays/", timeout=10_000)
        expect(late.locator("#feuilleton-error")).to_contain_text("posts/essay-3.md:2:", timeout=10_000)
        assert "posts/essay-3.md:2:" in late.locator("#feuilleton-error").inner_text()


_NO_LOCKS = "Object.defineProperty(navigator, 'locks', {value: undefined});"
"""A page opened by the machine's own address (serve --host 0.0.0.0), where the Web Locks a shared stream
needs are not given: it is not a secure context."""
_SHOWN = "Object.defineProperty(document, 'hidden', {{get: () => {}, configurable: true}});" \
    "document.dispatchEvent(new Event('visibilitychange'));"


def test_without_a_shared_stream_hidden_pages_let_theirs_go_and_catch_up_when_shown(tmp_path: Path) -> None:
    with seven_pages(tmp_path, _NO_LOCKS, _SHOWN.format("true")) as (site, server, context, pages):
        retitle(site)  # the last page, in view, follows; the others are behind it, as a browser's other tabs
        expect(pages[-1].locator("header.site-header")).to_contain_text("Renamed", timeout=15_000)
        assert "Renamed" in header(pages[-1])
        assert "Renamed" not in header(pages[0])  # away, not listening
        pages[0].evaluate(_SHOWN.format("false"))
        expect(pages[0].locator("header.site-header")).to_contain_text("Renamed", timeout=15_000)
        assert "Renamed" in header(pages[0])


def test_preview_of_the_next_revision(small_site: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "engine", "--site", str(small_site), "publish",
                           str(small_site / "posts" / "essay.md")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    source = small_site / "posts" / "essay.md"
    text = source.read_text().replace("says hello", "says goodbye")
    title = re.search(r"^title: .*$", text, re.M).group(0)
    source.write_text(text.replace(title, 'title: \'The "new" essay\''))  # retitled too
    server = Served(small_site)
    try:
        status, body = server.get("/essays/essay/")
        assert status == 200
        link = re.search(r'href="(/__feuilleton/preview/[^"]+)"', body)
        assert link, "the served page should offer a preview of the unrecorded revision"
        status, preview = server.get(link.group(1))
        assert status == 200
        assert re.search(r"<del>.*hello.*</del>", preview) and re.search(r"<ins>.*goodbye.*</ins>", preview)
        assert "<title>Preview: what would change in The “new” essay" in preview  # smart, as every title is
        assert "__feuilleton" not in (small_site / "output" / "essay" / "index.html").read_text()
        revised = subprocess.run([sys.executable, "-m", "engine", "--site", str(small_site), "revise",
                                  str(source), "--note", "Said goodbye."], capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        assert revised.returncode == 0, revised.stderr
        deadline = time.time() + 15  # the open preview, reloaded, shows what the revision recorded
        while time.time() < deadline and server.get(link.group(1))[0] != 200:
            time.sleep(0.2)
        reply = raw_get(server.port, link.group(1))
        while time.time() < deadline and b"/essays/essay/v2/changes/" not in reply:
            time.sleep(0.2)
            reply = raw_get(server.port, link.group(1))
        assert reply.startswith(b"HTTP/1.1 302") and b"Location: /essays/essay/v2/changes/" in reply, reply[:300]
    finally:
        server.stop()


def test_a_post_whose_address_is_not_ascii_offers_its_preview_too(tmp_path: Path) -> None:
    """An Arabic slug, or an ü: the page's path, read decoded, was compared with the post's link, written
    percent-encoded, so no banner was offered, and the preview's own address answered 404."""
    from urllib.parse import quote
    root = write_site(tmp_path / "site", {"posts/übersicht.md": post("Übersicht", body="Es sagt hallo.")})
    assert run_cli("publish", str(root / "posts" / "übersicht.md"), cwd=root).returncode == 0
    source = root / "posts" / "übersicht.md"
    source.write_text(source.read_text().replace("sagt hallo", "sagt tschüss"))
    server = Served(root)
    try:
        status, body = server.get(quote("/essays/übersicht/"))
        assert status == 200
        link = re.search(r'href="(/__feuilleton/preview/[^"]+)"', body)
        assert link and link.group(1) == "/__feuilleton/preview/essays/%C3%BCbersicht/", body[-600:]
        status, preview = server.get(link.group(1))
        assert status == 200 and re.search(r"<ins>.*tschüss.*</ins>", preview)
    finally:
        server.stop()


def test_the_page_of_a_post_that_moved_on_from_its_version_reloads_to_offer_the_preview(small_site: Path) -> None:
    """The fast path shows the edit at once, from the last build, which knew of no unrecorded change: the
    page came back without the preview's banner, and the full rebuild, writing the same bytes, did not
    reload it again.  The author could think the change needed no ``revise``."""
    published = run_cli("publish", str(small_site / "posts" / "essay.md"), cwd=small_site)
    assert published.returncode == 0, published.stderr
    server = engine.commands.serve.Server(small_site, Options(), quiet=True, verbose=False)
    server.rebuild()
    news = server.hub.subscribe()
    assert json.loads(news.get_nowait())["type"] == "session"
    source = small_site / "posts" / "essay.md"
    source.write_text(source.read_text().replace("says hello", "says goodbye"))
    server.try_fast_path([str(source)])
    assert heard_said(news.get(timeout=1)) == {"type": "reload", "pages": ["/essays/essay/"]}
    server.rebuild()  # the same bytes for the page: only the banner it is served with differs
    told = heard_said(news.get(timeout=1))
    assert told["type"] == "reload" and (told["pages"] is None or "/essays/essay/" in told["pages"]), told


def test_config_new_folders_and_deleted_posts_are_followed(served: Served, small_site: Path) -> None:
    def wait_for(path: str, predicate, timeout: float = 10.0) -> tuple[int, str]:
        deadline = time.time() + timeout
        while True:
            status, body = served.get(path)
            if predicate(status, body) or time.time() > deadline:
                return status, body
            time.sleep(0.1)

    config = small_site / "config.toml"
    config.write_text(config.read_text().replace('title = "Test Site"', 'title = "Renamed Site"'))
    status, body = wait_for("/essays/", lambda s, b: "Renamed Site" in b)
    assert "Renamed Site" in body

    series = small_site / "posts" / "new-series"
    series.mkdir()
    (series / "series.toml").write_text('title = "A New Series"\n')
    (series / "part-1.md").write_text(post("Fresh part", part=1))
    status, body = wait_for("/essays/new-series/part-1/", lambda s, b: s == 200)
    assert status == 200 and "Fresh part" in body

    (small_site / "posts" / "essay.md").unlink()
    status, _ = wait_for("/essays/essay/", lambda s, b: s == 404)
    assert status == 404


def test_a_worker_killed_during_a_rebuild_is_shown_and_the_next_save_rebuilds(small_site: Path, monkeypatch) -> None:
    server = engine.commands.serve.Server(small_site, Options(), quiet=True, verbose=False)
    news = server.hub.subscribe()
    assert json.loads(news.get_nowait())["type"] == "session"  # who answers, first
    real_build = engine.commands.serve.build

    def killed(*args, **kwargs):
        raise WorkerDied("a worker process was killed by SIGKILL")

    monkeypatch.setattr(engine.commands.serve, "build", killed)
    server.rebuild()  # the watching thread would die here if the error escaped
    assert "killed by SIGKILL" in (server.hub.error or "") and "not rebuilt" in server.hub.error
    assert "killed by SIGKILL" in news.get(timeout=1)
    monkeypatch.setattr(engine.commands.serve, "build", real_build)
    server.rebuild()
    assert server.hub.error is None and (small_site / "output/index.html").is_file()


def test_a_save_during_a_rebuild_calls_it_off_and_leaves_the_output(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    site = generate(tmp_path / "site", 60)
    server = engine.commands.serve.Server(site, Options(), quiet=False, verbose=True)
    server.rebuild()
    built, before = server.last, {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    part = sorted((site / "posts").glob("series-*/part-2.md"))[0]
    part.write_text(part.read_text().replace("A section heading", "A heading saved twice"))
    config = site / "config.toml"  # a new site title: every page is rendered again, half of them by the parent
    config.write_text(config.read_text().replace('title = "Benchmark Site"', 'title = "Renamed Site"'))
    render, parent, rendered = engine.output.outputs.render_page, os.getpid(), []

    def saved_meanwhile(*args, **kwargs):
        if os.getpid() == parent:
            rendered.append(args[1].path)
            if len(rendered) == 3:  # the workers are busy with their share by now
                server.changed.set()  # as the watcher does when the author saves again
        return render(*args, **kwargs)

    monkeypatch.setattr(engine.output.outputs, "render_page", saved_meanwhile)
    server.rebuild()
    assert "rebuild called off" in capsys.readouterr().err and len(rendered) == 3  # no page after the save
    assert server.last is built and server.hub.error is None
    assert {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()} == before

    monkeypatch.setattr(engine.output.outputs, "render_page", render)
    server.changed.clear()
    server.rebuild()  # the loop's next rebuild
    assert server.last is not built
    page = (site / "output" / part.relative_to(site / "posts").with_suffix("") / "index.html").read_text()
    assert "A heading saved twice" in page and "Renamed Site" in page


def test_reload_messages_name_the_pages_that_changed(small_site: Path) -> None:
    server = engine.commands.serve.Server(small_site, Options(), quiet=True, verbose=False)
    news = server.hub.subscribe()
    assert json.loads(news.get_nowait())["type"] == "session"  # who answers, first
    sent = []
    for files in (["theme/style.css"], ["theme/style.css", "essay/index.html"], ["index.html", "feed.xml"],
                  ["essay/index.html", "theme/photo.jpg"]):
        server.reload(files)
        sent.append(heard_said(news.get(timeout=1)))
    assert sent == [
        {"type": "css"},  # a stylesheet alone is swapped in place
        {"type": "reload", "pages": None},  # with a page written or removed as well, every open page reloads
        {"type": "reload", "pages": ["/essays/"]},  # feeds are shown by no page
        {"type": "reload", "pages": None},  # an image: any page may show it
    ]


def _dropped(port: int, path: str) -> None:
    """A client that asks for ``path`` and goes away at once, resetting the connection (as a closed tab, a
    load tester or a flaky network does)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())


def test_clients_that_drop_their_connection_leave_no_traceback(small_site: Path) -> None:
    server = Served(small_site)
    try:
        for _ in range(40):
            for path in ("/essays/essay/", "/essays/", "/essays/theme/style.css", "/__feuilleton/reload.js"):
                _dropped(server.port, path)
        assert server.get("/essays/essay/")[0] == 200  # still serving
    finally:
        assert server.stop() == 0
    said = "".join(server.lines) + server.process.stdout.read()
    assert "Traceback" not in said and "Exception occurred" not in said, said[-3000:]


def _location(reply: bytes) -> str | None:
    found = re.search(rb"\r\nLocation: ([^\r\n]*)\r\n", reply)
    return found.group(1).decode("latin-1") if found else None


def _stays_here(location: str | None) -> bool:
    """Whether a browser reads ``location`` as a path on this server: one ``/``, then no second ``/`` or ``\\``
    (``//host`` and ``/\\host`` lead to another site), and nothing a browser drops or reads as a slash."""
    return location is None or (location[:1] == "/" and location[1:2] not in ("/", "\\")
                                and not re.search(r"[\x00-\x20\x7f\\]", location))


@pytest.mark.parametrize("path", ["http://x//evil.example/%2e%2e/essay", "http://x//evil.example/..%2fessay",
                                  "/\\evil.example/%2e%2e/essay", "http://x/\\evil.example/%2e%2e/essay",
                                  "http://x///evil.example/%2e%2e/essay?q=1"])
def test_no_request_is_redirected_off_this_server(tmp_path: Path, path: str) -> None:
    """A site at the root: the folder-without-slash redirect must not echo a path a browser reads as a host."""
    site = write_site(tmp_path / "site", {"posts/essay.md": post("An essay")},
                      config=CONFIG_AT_ROOT)
    server = Served(site)
    try:
        assert _location(raw_get(server.port, "/essay")) == "/essay/"  # the ordinary redirect stays as it was
        reply = raw_get(server.port, path)
        assert _stays_here(_location(reply)), reply[:300]
    finally:
        server.stop()


def test_the_redirect_to_the_sites_base_path_stays_on_this_server(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"posts/essay.md": post("An essay")},
                      config=CONFIG_AT_ROOT.replace("https://example.org/", "https://example.org//evil.example/"))
    server = Served(site)
    try:
        for path in ("/", "http://x/"):
            reply = raw_get(server.port, path)
            assert reply.startswith(b"HTTP/1.1 302") and _stays_here(_location(reply)), reply[:300]
    finally:
        server.stop()


CONFIG_AT_ROOT = """\
title = "Test Site"
base_url = "https://example.org/"
timezone = "America/New_York"

[author]
name = "A. Writer"
"""


def test_a_named_pipe_in_output_is_not_served_and_holds_no_thread(served: Served, small_site: Path) -> None:
    os.mkfifo(small_site / "output" / "pipe.txt")
    os.mkfifo(small_site / "output" / "essay" / "index.html.fifo")
    assert served.get("/essays/pipe.txt")[0] == 404  # urllib's timeout: a wait would fail here
    assert served.get("/essays/essay/index.html.fifo")[0] == 404
    assert served.get("/essays/essay/")[0] == 200


def test_a_page_shown_before_a_failed_rebuild_is_put_back(small_site: Path) -> None:
    """The fast path shows an edited essay's page, from memory, before the full build checks the text;
    output/ keeps the last good build meanwhile (a serve killed then left the new page beside the old feeds),
    and when that build fails, the last good page is served again."""
    server = engine.commands.serve.Server(small_site, Options(), quiet=True, verbose=False)
    server.rebuild()
    page = small_site / "output/essay/index.html"
    good = page.read_bytes()
    source = small_site / "posts/essay.md"
    source.write_text(source.read_text() + "\n<!-- never closed\n\nA third paragraph.\n")
    server.try_fast_path([str(source)])
    assert b"never closed" in server.ahead[page.resolve()]  # shown at once, unchecked
    assert page.read_bytes() == good  # not written to output/ before a build has checked it
    heard = server.hub.subscribe()  # an open page, told of the unchecked page already
    assert json.loads(heard.get_nowait())["type"] == "session"  # who answers, first
    server.rebuild()
    assert "never closed with -->" in (server.hub.error or "")
    assert page.read_bytes() == good and not list(page.parent.glob("*.feuilleton-fast"))
    told = [heard_said(heard.get_nowait()) for _ in range(heard.qsize())]
    assert [m["type"] for m in told] == ["reload", "error"]  # the page shown unchecked goes back to the good one
    assert told[0]["pages"] == ["/essays/essay/"]

    source.write_text(source.read_text().replace("<!-- never closed", "Closed."))
    server.try_fast_path([str(source)])
    server.rebuild()
    assert server.hub.error is None and b"Closed." in page.read_bytes() and not server.ahead


def test_a_save_during_the_first_build_is_built(small_site: Path, monkeypatch) -> None:
    """The watcher starts before the first build: a save while it runs is not lost."""
    source, page = small_site / "posts/essay.md", small_site / "output/essay/index.html"
    real_build = engine.commands.serve.build

    def saved_meanwhile(*args, **kwargs):
        result = real_build(*args, **kwargs)
        if not saved:  # the first build has read the posts: the author saves before it ends
            saved.append(True)
            source.write_text(source.read_text().replace("says hello", "says hello again, saved meanwhile"))
            time.sleep(1)  # the watcher's event arrives while this build runs
        return result

    class Stub:
        """``serve``'s web server, serving nothing: it stops once the page shows the save (or after 30 s)."""
        server_address = ("127.0.0.1", 8000)

        def serve_forever(self) -> None:
            deadline = time.time() + 30
            while time.time() < deadline and not (page.is_file() and "saved meanwhile" in page.read_text()):
                time.sleep(0.1)

        def shutdown(self) -> None:
            pass

        def server_close(self) -> None:
            pass

    saved: list[bool] = []
    monkeypatch.setattr(engine.commands.serve, "build", saved_meanwhile)
    monkeypatch.setattr(engine.commands.serve, "bind", lambda host, port, server: Stub())
    monkeypatch.setattr(engine.commands.serve.signal, "signal", lambda *args: None)
    assert engine.commands.serve.serve(small_site, Options(), quiet=True) == 0
    assert saved and "saved meanwhile" in page.read_text()


def test_warnings_are_printed_by_default_once_each(small_site: Path, capsys) -> None:
    server = engine.commands.serve.Server(small_site, Options(), quiet=False, verbose=False)
    source = small_site / "posts/essay.md"
    source.write_text(source.read_text() + "\nSee [the next part](part:2).\n")
    server.rebuild()
    first = capsys.readouterr().err
    assert "posts/essay.md:" in first and "warning: `part:2` needs a series" in first
    source.write_text(source.read_text() + "\nAnother paragraph.\n")
    server.rebuild()
    again = capsys.readouterr().err
    assert "warning" not in again and "rebuilt in" in again  # said once, not on every save


@pytest.mark.parametrize("host", ["::1", "[::1]"])  # as serve prints it, in a URL
def test_an_ipv6_host_is_served_or_refused_clearly(small_site: Path, host: str) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        usable = True
    except OSError:  # a machine without IPv6: serve must say so, not trace back
        usable = False
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "engine", "--site", str(small_site), "serve", "--host", host,
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        lines = []
        while line := process.stdout.readline():
            lines.append(line)
            found = re.search(r"at http://\[::1\]:(\d+)/", line)
            if found:
                break
        if usable:
            assert found, "".join(lines)
            with urllib.request.urlopen(f"http://[::1]:{found.group(1)}/essays/essay/", timeout=10) as reply:
                assert reply.status == 200 and "An essay" in reply.read().decode("utf-8")
        else:
            assert process.wait(30) == 1 and "cannot listen on ::1" in "".join(lines)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(15)


def test_a_first_build_that_fails_is_shown_in_the_browser_which_follows_the_fix(tmp_path: Path) -> None:
    """No output/ yet and a broken post: the page says so with the error over it, then shows the site."""
    site = write_site(tmp_path / "site", {"posts/essay.md": "---\ntitle: [unclosed\n---\nBody\n"})
    served = Served(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser.new_page()
            page.goto(served.url + "/essays/essay/")
            overlay = page.locator("#feuilleton-error")
            expect(overlay).to_contain_text("posts/essay.md:2: invalid YAML in front matter", timeout=10_000)
            assert "has not been built yet" in page.locator("body").inner_text()
            assert "last good version" not in overlay.inner_text()  # there is none
            time.sleep(0.3)
            (site / "posts/essay.md").write_text(post("An essay", body="Built at last."))
            expect(page.locator("article")).to_contain_text("Built at last.", timeout=15_000)
            expect(overlay).to_have_count(0)
            browser.close()
    finally:
        served.stop()


def test_a_new_output_folder_is_said_once_to_take_effect_when_serve_starts_again(small_site: Path, capsys) -> None:
    server = engine.commands.serve.Server(small_site, Options(), quiet=False, verbose=False)
    server.rebuild()
    capsys.readouterr()
    config = small_site / "config.toml"
    config.write_text('output_dir = "public"\n' + config.read_text())
    server.rebuild()
    said = capsys.readouterr().err
    assert "config.toml: output_dir is now 'public', but serve goes on building into output/ until it is started " \
           "again" in said
    assert (small_site / "output/index.html").exists() and not (small_site / "public").exists()
    server.rebuild()
    assert "output_dir" not in capsys.readouterr().err  # said once

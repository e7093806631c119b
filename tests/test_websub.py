"""WebSub: with ``websub_hub`` every feed names its hub and itself, and a deploy tells a hub (a local HTTP
server here) of exactly the feeds whose content changed, retrying, and reporting a hub that fails
without failing the deploy."""
from __future__ import annotations

import functools

import contextlib
import http.server
import json
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest

from engine.cli import main
from engine.commands.deploy import deploy
from engine.commands.deploy.live import Patience
from engine.commands.deploy.websub import Retry
from tests.conftest import CONFIG, post, snapshot

pytestmark = pytest.mark.slow

QUICK = Retry(attempts=3, first_wait=0.01, factor=2, timeout=5)
SOON = Patience(limit=20, first_wait=0.2, factor=1.5, longest_wait=1, timeout=5)


@contextlib.contextmanager
def hub(failures: int = 0, failing: int = 503) -> Iterator[tuple[str, list[tuple[str, dict[str, list[str]]]]]]:
    """A hub on 127.0.0.1 that records each ping (content type, form) and answers ``failing`` (503) ``failures``
    times."""
    pings: list[tuple[str, dict[str, list[str]]]] = []
    left = [failures]

    class Hub(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
            pings.append((self.headers["Content-Type"], parse_qs(body, strict_parsing=True)))
            status = failing if left[0] > 0 else 204
            left[0] -= 1
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hub", pings
    finally:
        server.shutdown()
        server.server_close()


def hub_site(site, url: str) -> Path:
    return site({"posts/essay.md": post("Essay"), "posts/about.md": post("About", layout="page", date=""),
                 "posts/cities/series.toml": 'title = "Cities"\nstatus = "ongoing"\n',
                 "posts/cities/part-1.md": post("One", part=1)}, config=f'websub_hub = "{url}"\n' + CONFIG)


def test_feeds_name_their_hub_and_themselves(site) -> None:
    root = hub_site(site, "https://hub.example.net/")
    from engine.build import build
    build(root)
    out = root / "output"
    for prefix in ("", "cities/", "updates/"):
        for name in ("feed.xml", "atom.xml"):
            links = {(link.rel, link.href) for link in feedparser.parse((out / prefix / name).read_bytes()).feed.links}
            assert ("hub", "https://hub.example.net/") in links, (prefix, name)
            assert ("self", f"https://example.org/essays/{prefix}{name}") in links
        data = json.loads((out / prefix / "feed.json").read_text(encoding="utf-8"))
        assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]
        assert data["feed_url"] == f"https://example.org/essays/{prefix}feed.json"


def test_a_deploy_pings_exactly_the_feeds_that_changed(site, tmp_path: Path) -> None:
    with hub() as (url, pings):
        root = hub_site(site, url)
        served = tmp_path / "served"
        first = deploy(root, f"dir:{served}", False, retry=QUICK)
        feeds = {p for p in snapshot(served) if p.rpartition("/")[2] in ("feed.xml", "atom.xml", "feed.json")}
        assert len(feeds) == 9
        assert {f["hub.url"][0] for _, f in pings} == {f"https://example.org/essays/{p}" for p in feeds}
        assert all(kind == "application/x-www-form-urlencoded" and f["hub.mode"] == ["publish"] and
                   set(f) == {"hub.mode", "hub.url"} and len(f["hub.url"]) == 1 for kind, f in pings)
        assert len(pings) == 9 and first.pinged and not first.ping_failures

        pings.clear()
        (root / "posts/about.md").write_text(post("About", layout="page", date="", body="New words."))
        assert deploy(root, f"dir:{served}", False, retry=QUICK).changes.changed
        assert pings == []  # a page that is in no feed: no feed changed

        before = snapshot(served)
        (root / "posts/cities/part-1.md").write_text(post("One", part=1, body="Changed."), encoding="utf-8")
        done = deploy(root, f"dir:{served}", False, retry=QUICK)
        after = snapshot(served)
        changed = {p for p in feeds if before.get(p) != after.get(p)}
        assert changed and changed != feeds  # the site's and the series' feeds, not the updates'
        assert sorted(f["hub.url"][0] for _, f in pings) == sorted(f"https://example.org/essays/{p}" for p in changed)
        assert sorted(done.pinged) == sorted(f"https://example.org/essays/{p}" for p in changed)

        pings.clear()
        deploy(root, f"dir:{served}", True, retry=QUICK)  # a dry run pings nobody
        assert pings == []


def test_a_hub_that_fails_is_retried_and_reported_without_failing_the_deploy(site, tmp_path: Path) -> None:
    with hub(failures=2) as (url, pings):
        root = site({"posts/essay.md": post("Essay")}, config=f'websub_hub = "{url}"\n' + CONFIG)
        done = deploy(root, f"dir:{tmp_path / 'a'}", False, retry=QUICK)
        assert not done.ping_failures  # two 503s, then taken on the third try
        assert len(pings) == 6 + 2
    with hub(failures=1000) as (url, pings):
        root2 = site({"posts/essay.md": post("Essay")}, config=f'websub_hub = "{url}"\n' + CONFIG)
        done = deploy(root2, f"dir:{tmp_path / 'b'}", False, retry=QUICK)
        # a hub down for the first feed is not waited on again for each of the other five
        assert len(done.ping_failures) == 2 and len(pings) == 3 and done.pinged == []
        assert "HTTP 503" in done.ping_failures[0] and "the deploy itself is done" in done.ping_failures[0]
        assert "was not told of 5 other feeds either, since it answered the one before with an error (HTTP 503 " \
            "Service Unavailable); the next deploy tells it of them" in done.ping_failures[1]  # not "did not answer"
        assert (tmp_path / "b" / "index.html").is_file()
    closed = site({"posts/essay.md": post("Essay")}, config='websub_hub = "http://127.0.0.1:9/hub"\n' + CONFIG)
    done = deploy(closed, f"dir:{tmp_path / 'c'}", False, retry=QUICK)
    assert len(done.ping_failures) == 2 and (tmp_path / "c" / "index.html").is_file()
    assert "was not told of 5 other feeds either, since it did not answer for the one before; the next deploy " \
        "tells it of them" in done.ping_failures[1]



def test_a_hub_that_refuses_a_ping_is_asked_once_and_said_so(site, tmp_path: Path) -> None:
    """A 404 (a wrong hub address) is not tried again, and the warning said "(after 4 tries)" all the same."""
    with hub(failures=1000, failing=404) as (url, pings):
        root = site({"posts/essay.md": post("Essay")}, config=f'websub_hub = "{url}"\n' + CONFIG)
        done = deploy(root, f"dir:{tmp_path / 'a'}", False, retry=QUICK)
        assert len(pings) == len(done.ping_failures) == 6  # each feed asked once
        assert all("HTTP 404 Not Found (the hub refused it: is websub_hub its address?); the deploy itself is done"
                   in failure and "tries" not in failure for failure in done.ping_failures)


def test_a_hub_not_told_is_a_warning_about_websub_hub(site, tmp_path: Path, monkeypatch, capsys) -> None:
    import engine.commands.deploy as deploying
    from engine.cli import main
    closed = site({"posts/essay.md": post("Essay")}, config='websub_hub = "http://127.0.0.1:9/hub"\n' + CONFIG)
    monkeypatch.setattr(deploying, "deploy", functools.partial(deploying.deploy, retry=QUICK))
    assert main(["--site", str(closed), "deploy", "--to", f"dir:{tmp_path / 'd'}"]) == 0
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 2 and all(line.startswith("config.toml:1: warning: WebSub hub http://127.0.0.1:9/hub was not "
                                                  "told of ") for line in said)  # at the line of websub_hub
    assert "(after 3 tries)" in said[0]


def test_feeds_a_deploy_could_not_tell_the_hub_of_are_told_by_the_next(site, tmp_path: Path, capsys) -> None:
    """The hub down during one deploy (or the deploy cut short after the target changed): the feeds it changed
    are owed, and the next deploy tells them, though it changes nothing itself, and says so."""
    with hub(failures=QUICK.attempts) as (url, pings):  # down for the first deploy's tries, then up
        root = site({"posts/essay.md": post("Essay")}, config=f'websub_hub = "{url}"\n' + CONFIG)
        first = deploy(root, f"dir:{tmp_path / 'www'}", False, retry=QUICK)
        assert first.pinged == [] and len(first.ping_failures) == 2
        owed = (root / ".feuilleton-cache/websub-pending").read_text().split()
        assert len(owed) == 6 and all(feed.startswith("https://example.org/essays/") for feed in owed)
        pings.clear()
        capsys.readouterr()
        assert main(["--site", str(root), "deploy", "--to", f"dir:{tmp_path / 'www'}"]) == 0
        assert capsys.readouterr().out.strip().endswith("already has this site: nothing to send; the WebSub hub was "
                                                        "told of 6 feeds an earlier deploy left untold.")
        assert sorted(form["hub.url"][0] for _, form in pings) == sorted(owed)
    assert not (root / ".feuilleton-cache/websub-pending").exists()


def test_a_deploy_stopped_while_telling_the_hub_strikes_what_the_hub_took_and_says_the_site_is_out(
        site, tmp_path: Path, monkeypatch, capsys) -> None:
    """Ctrl-C during the pings: the feeds the hub had taken stayed owed, and were sent again by the next
    deploy; and the message spoke of a target that might hold the old site, though it was deployed whole."""
    import engine.commands.deploy.websub as websub
    from engine.cli import main
    with hub() as (url, pings):
        root = hub_site(site, url)
        real = websub._ping_one

        def stopped_at_the_third(hub_url: str, feed: str, retry) -> str | None:
            if len(pings) == 2:
                raise KeyboardInterrupt
            return real(hub_url, feed, retry)
        monkeypatch.setattr(websub, "_ping_one", stopped_at_the_third)
        assert main(["--site", str(root), "deploy", "--to", f"dir:{tmp_path / 'www'}"]) == 130
        said = capsys.readouterr().err
        assert ("interrupted: the site was deployed whole; the WebSub hub was told of 2 of 9 changed feeds, and the "
                "next deploy tells it of the rest") in said, said
        owed = (root / ".feuilleton-cache/websub-pending").read_text().split()
        assert len(owed) == 7 and not set(owed) & {form["hub.url"][0] for _, form in pings}


@contextlib.contextmanager
def pages(branch: Path, delay: float) -> Iterator[str]:
    """A Pages host on 127.0.0.1 serving the branch ``gh-pages`` of the bare repository ``branch``, each push
    published ``delay`` seconds after it landed (as GitHub or Codeberg publish a pushed branch)."""
    def tip() -> str:
        return subprocess.run(["git", "--git-dir", str(branch), "rev-parse", "-q", "--verify", "refs/heads/gh-pages"],
                              capture_output=True, text=True).stdout.strip()
    published, stop = [""], threading.Event()

    def publisher() -> None:
        seen, since = "", time.monotonic()
        while not stop.wait(0.05):
            now = tip()
            if now != seen:
                seen, since = now, time.monotonic()
            if time.monotonic() - since >= delay:
                published[0] = seen

    class Host(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            rel = self.path.lstrip("/") + ("index.html" if self.path.endswith("/") else "")
            found = subprocess.run(["git", "--git-dir", str(branch), "cat-file", "blob", f"{published[0]}:{rel}"],
                                   capture_output=True) if published[0] else None
            ok = found is not None and found.returncode == 0
            self.send_response(200 if ok else 404)
            data = found.stdout if ok and found else b"not here"
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Host)
    threads = [threading.Thread(target=server.serve_forever, daemon=True), threading.Thread(target=publisher,
                                                                                             daemon=True)]
    for thread in threads:
        thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def fetching_hub() -> Iterator[tuple[str, list[tuple[str, bytes | None]]]]:
    """A hub on 127.0.0.1 that does what hubs do when told: fetches the feed at once; records what it got."""
    fetched: list[tuple[str, bytes | None]] = []

    class Hub(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            feed = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode("ascii"))["hub.url"][0]
            try:
                with urllib.request.urlopen(feed, timeout=5) as answer:
                    fetched.append((feed, answer.read()))
            except OSError:
                fetched.append((feed, None))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hub", fetched
    finally:
        server.shutdown()
        server.server_close()


def on_branch(branch: Path, rel: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(branch), "cat-file", "blob", f"gh-pages:{rel}"],
                          capture_output=True, check=True).stdout


def pages_site(site, tmp_path: Path, host: str, hub_url: str) -> tuple[Path, Path]:
    branch = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(branch)], check=True)
    config = f'websub_hub = "{hub_url}"\n' + CONFIG.replace("https://example.org/essays/", host)
    return site({"posts/essay.md": post("Essay")}, config=config), branch


def test_a_pages_branch_is_served_anew_before_the_hub_is_told(site, tmp_path: Path) -> None:
    """The hub was told the moment `git push` returned, fetched the feed the host still served (none, then the
    old one), and told no subscriber of the new part or revision."""
    with fetching_hub() as (hub_url, fetched), pages(tmp_path / "pages.git", delay=1.5) as host:
        root, branch = pages_site(site, tmp_path, host, hub_url)
        notes: list[str] = []
        for body in ("Some text.", "Revised text."):
            (root / "posts/essay.md").write_text(post("Essay", body=body), encoding="utf-8")
            fetched.clear()
            started = time.monotonic()
            done = deploy(root, f"git:{branch}#gh-pages", False, retry=QUICK, patience=SOON, note=notes.append)
            assert time.monotonic() - started >= 1.5 and not done.ping_failures, done.ping_failures
            assert len(fetched) == len(done.pinged) >= 3
            for feed, got in fetched:  # the hub found the very bytes deployed
                assert got == on_branch(branch, feed.removeprefix(host)), feed
            assert any(body.encode() in got for _, got in fetched if got)
        assert len(notes) == 2 and notes[0].startswith("waiting until 6 feeds (") and "up to 20 s" in notes[0]


def test_feeds_not_served_in_time_stay_owed_and_are_told_when_they_are(site, tmp_path: Path) -> None:
    with fetching_hub() as (hub_url, fetched), pages(tmp_path / "pages.git", delay=4) as host:
        root, branch = pages_site(site, tmp_path, host, hub_url)
        late = deploy(root, f"git:{branch}#gh-pages", False, retry=QUICK, patience=Patience(limit=1, first_wait=0.2))
        assert fetched == [] and late.pinged == []
        assert len(late.ping_failures) == 1 and late.ping_failures[0].startswith(
            "6 feeds were still not served with this deploy's bytes 1 s after the push (")
        assert "The WebSub hub was not told of them, since it would fetch the old feeds; the next deploy tells it" \
            in late.ping_failures[0]
        owed = (root / ".feuilleton-cache/websub-pending").read_text().split()
        assert sorted(owed) == sorted(f"{host}{folder}{name}" for folder in ("", "updates/")
                                      for name in ("atom.xml", "feed.json", "feed.xml"))
        time.sleep(4)
        again = deploy(root, f"git:{branch}#gh-pages", False, retry=QUICK, patience=SOON)
        assert again.changes.empty and sorted(again.pinged) == sorted(owed) and not again.ping_failures
        assert all(got == on_branch(branch, feed.removeprefix(host)) for feed, got in fetched)
    assert not (root / ".feuilleton-cache/websub-pending").exists()

"""Shared test helpers: small sites on disk, a fixed clock, the CLI in a subprocess, the model in process,
a folder served over HTTP for a browser.  Test files import helpers from here, never from each other."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import threading
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from engine.config import Options, load_config
from engine.errors import Report
from engine.model.assemble import assemble
from engine.model.types import Site
from engine.source.load import load

REPO = Path(__file__).resolve().parent.parent

if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    # The tests stop `feuilleton serve` with SIGINT, as Ctrl-C does.  A suite started in the background by
    # a non-interactive shell inherits SIGINT ignored, and every server it started would ignore it too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
NOW = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)
"""The tests' clock: 12:00 pm in New York on November 28, 2026."""
EPOCH = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
"""The environment that sets a command's build clock to ``NOW``."""

CONFIG = """\
title = "Test Site"
base_url = "https://example.org/essays/"
timezone = "America/New_York"

[author]
name = "A. Writer"
bio = "A. Writer is an *immigration lawyer* in New York."
"""
SERIES = 'title = "Sanctuary Cities"\nstatus = "ongoing"\n'
"""A ``series.toml``: an ongoing series with nothing planned."""


def config_with(**keys: object) -> str:
    """``CONFIG`` with top-level keys of its own (``language="it"``), written before its tables."""
    return CONFIG.replace("timezone", "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items())
                          + "timezone", 1)


CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]
"""How the browser tests launch headless Chromium."""

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
"""The Nu HTML checker, installed from npm by tests/setup.sh."""


def nu_errors(folder: Path) -> list[str]:
    """Every error the Nu HTML checker reports for the HTML files under ``folder``."""
    assert VNU.is_file(), "the Nu HTML checker is missing: run tests/setup.sh"
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                           str(folder)], capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
    assert errors or done.returncode == 0, done.stderr[-2000:]
    return errors


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the example site")


SLOW_ELSEWHERE = {
    "test_load.py": {"test_a_link_loop_a_pipe_and_a_dangling_link_are_skipped_with_warnings"},
    "test_markdown.py": {"test_a_hostile_size_post_is_checked_in_time_linear_in_its_size"},
    "test_record.py": {
        "test_a_copied_id_is_an_error_naming_both_files", "test_a_renamed_post_whose_archive_stayed_behind_is_pointed_at",
        "test_a_scheduled_post_is_moved_by_editing_its_date_and_publishing_again",
        "test_a_version_file_that_links_out_of_the_site_is_not_read", "test_concurrent_revises_leave_a_clean_archive",
        "test_editing_the_id_of_a_recorded_post_is_an_error", "test_other_tools_ways_to_hide_a_post_keep_it_a_draft",
        "test_revise_warns_now_about_the_note_it_records",
        "test_source_date_epoch_neither_dates_a_version_nor_reopens_one"},
    "test_safety.py": {
        "test_a_comment_beside_version_is_no_interrupted_revise", "test_a_named_pipe_in_the_cache_is_no_wait",
        "test_a_planted_cache_or_stamp_runs_nothing_and_is_thrown_away", "test_a_series_toml_inside_the_site_still_counts",
        "test_other_ways_of_saying_not_yet_keep_a_post_off_the_site",
        "test_publish_and_revise_keep_the_files_line_endings_and_byte_order_mark",
        "test_the_same_revise_run_twice_records_one_version"},
    "test_serve.py": {  # all but one server over real HTTP: test_serves_pages_with_the_reload_script_but_output_has_none
        "test_a_named_pipe_in_output_is_not_served_and_holds_no_thread", "test_a_new_base_path_is_served_after_the_rebuild",
        "test_a_save_during_a_rebuild_calls_it_off_and_leaves_the_output",
        "test_a_site_below_the_root_is_served_only_there_as_its_host_will", "test_browser_follows_edits_errors_and_fixes",
        "test_clients_that_drop_their_connection_leave_no_traceback",
        "test_config_new_folders_and_deleted_posts_are_followed", "test_ctrl_c_stops_cleanly_leaving_nothing_behind",
        "test_no_path_traversal_or_listing", "test_no_request_is_redirected_off_this_server",
        "test_only_the_pages_a_save_changed_reload", "test_preview_of_the_next_revision",
        "test_sigterm_stops_as_cleanly_as_ctrl_c", "test_the_default_port_moves_to_a_free_one_when_busy",
        "test_the_redirect_to_the_sites_base_path_stays_on_this_server"},
}
"""Slow tests in files other people are editing, marked here until their own ``@pytest.mark.slow`` replaces
the entry (elsewhere, a slow test carries the mark itself, or its file a ``pytestmark``)."""


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if getattr(item, "originalname", None) in SLOW_ELSEWHERE.get(item.path.name, ()):
            item.add_marker(pytest.mark.slow)


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = CONFIG) -> Path:
    """Write ``{path: text}`` under ``root`` (dedented), with a config unless given."""
    if config is not None and "config.toml" not in files:
        files = {"config.toml": config, **files}
    (root / "posts").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def post(title: str, date: str = "2026-11-01T09:00:00", body: str = "Some text.", **meta: object) -> str:
    """A post file's text."""
    lines = ["---", f"title: {title!r}".replace("'", '"') if '"' not in title else f"title: '{title}'"]
    if date:
        lines.append(f"date: {date}")
    for key, value in meta.items():
        lines.append(f"{key}: {value}")
    return "\n".join([*lines, "---", "", body, ""])


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m engine ARGS`` in a subprocess, as a user would run it."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def site(tmp_path: Path):
    """A factory: ``site({path: text})`` → the site folder."""
    def make(files: dict[str, str | bytes], config: str | None = CONFIG) -> Path:
        return write_site(tmp_path / "site", files, config)
    return make


def assert_user_error(done: subprocess.CompletedProcess[str]) -> None:
    """The command stopped at a user error: exit code 1 and no traceback."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr


def snapshot(folder: Path, folders: bool = False) -> dict[str, bytes | None]:
    """Every file under ``folder`` with its bytes, and with ``folders`` every folder too (as None).  A link is
    read as what it leads to, but never walked into."""
    found: dict[str, bytes | None] = {}
    for parent, dirs, names in os.walk(folder):
        rel = Path(parent).relative_to(folder)
        if folders:
            found.update(((rel / name).as_posix(), None) for name in dirs)
        found.update(((rel / name).as_posix(), (Path(parent) / name).read_bytes()) for name in names)
    return dict(sorted(found.items()))


def published_series(site) -> Path:
    """A series of two parts, both published with version 1 recorded."""
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1, body="The first part."),
                 "posts/cities/part-2.md": post("The Statutes", date="2026-11-10T09:00:00", part=2,
                                                body="The second part.\n\nIt has two paragraphs.")})
    for part in (1, 2):
        done = run_cli("publish", f"posts/cities/part-{part}.md", cwd=root, env=EPOCH)
        assert done.returncode == 0, done.stderr
    return root


def build_model(root: Path, options: Options = Options(), now: datetime = NOW) -> tuple[Site, Report]:
    """The site model of ``root`` and the report of its reading, in process: config, load, assemble."""
    config, warnings = load_config(root)
    report = Report(root)
    report.items.extend(warnings)
    sources = load(root, root / config.posts_dir, report)
    return assemble(sources, config, now, options, report), report


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one for a test module."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


def built_example(root: Path) -> Path:
    """The example site (its ``config.toml`` and ``posts/``) copied into ``root`` and built with the tests'
    clock; returns its output folder."""
    from engine.build import build
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config.toml", root / "config.toml")
    shutil.copytree(REPO / "posts", root / "posts")
    build(root, now=NOW)
    return root / "output"


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1 while the block runs; yields ``http://127.0.0.1:PORT``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    """Every link and image address in the HTML under ``output`` that points into the site (a path below
    ``base_path``, or a relative one) at no file the build wrote: ``page: address``."""
    from urllib.parse import unquote, urljoin, urlsplit

    import lxml.html
    broken = []
    for page in sorted(output.rglob("*.html")):
        here = base_path + page.relative_to(output).as_posix()
        for element, _, link, _ in lxml.html.fromstring(page.read_bytes()).iterlinks():
            parts = urlsplit(urljoin(here, link))
            if parts.scheme or parts.netloc or not parts.path.startswith(base_path) or element.tag == "form":
                continue
            target = output / unquote(parts.path[len(base_path):])
            if not (target / "index.html" if parts.path.endswith("/") else target).is_file():
                broken.append(f"{page.relative_to(output)}: {link}")
    return broken


def imported_site(tmp_path: Path, source_files: dict[str, str | bytes], *args: str, config: str = CONFIG) -> Path:
    """An old site written from ``source_files`` under ``tmp_path / "blog"`` and imported (with ``args``) into a
    new site at ``tmp_path / "site"``, which the import must leave built to succeed; the new site's folder."""
    from engine.cli import main
    source = write_site(tmp_path / "blog", source_files, config=None)
    root = write_site(tmp_path / "site", {}, config=config)
    assert main(["--site", str(root), "import", str(source), *args]) == 0
    return root

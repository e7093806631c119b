"""Shared test helpers: small sites on disk, a fixed clock, the CLI in a subprocess."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    # The tests stop `feuilleton serve` with SIGINT, as Ctrl-C does.  A suite started in the background by
    # a non-interactive shell inherits SIGINT ignored, and every server it started would ignore it too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
NOW = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)
"""The tests' clock: 12:00 pm in New York on November 28, 2026."""

CONFIG = """\
title = "Test Site"
base_url = "https://example.org/essays/"
timezone = "America/New_York"

[author]
name = "A. Writer"
bio = "A. Writer is an *immigration lawyer* in New York."
"""


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

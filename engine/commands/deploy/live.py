"""Before the WebSub hub is told, wait until a host that publishes on its own time serves the new feeds.

A Pages branch (``git:`` — GitHub, GitLab, Codeberg) is published by the host seconds to minutes after
``git push`` returns.  A hub told of a feed fetches it at once to see what is new: told before the host
serves the new bytes, it finds the old feed and tells no subscriber.  So each feed owed to the hub is
fetched at its live address (``base_url``) with growing waits, up to a bounded time, until it is served
with the bytes just deployed; one that is not by then is left owed, for the next deploy to tell.
"""
from __future__ import annotations

import http.client
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ...site import urls as U
from .target import tree

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Patience:
    """How long and how often the live feeds are fetched."""

    limit: float = 180.0
    """Seconds after which a feed not served yet is left for the next deploy."""
    first_wait: float = 2.0
    """Seconds before the second fetch; each later wait is ``factor`` times the one before."""
    factor: float = 1.5
    longest_wait: float = 20.0
    """No wait between fetches is longer."""
    timeout: float = 10.0
    """Seconds the host has to answer one fetch."""


def feeds_built(built: Path, base_url: str) -> dict[str, bytes]:
    """Every feed of the built site at its live address, with its bytes."""
    names = set(U.FEEDS.values())
    urls = U.Urls(base_url)
    return {urls.absolute(rel): path.read_bytes() for rel, path in tree(built).items()
            if rel.rpartition("/")[2] in names}


def served(expected: dict[str, bytes], patience: Patience = Patience()) -> list[str]:
    """The feeds of ``expected`` (address → the bytes deployed) that their address serves with those bytes,
    fetched again with growing waits until all are, or ``patience.limit`` seconds have passed."""
    start, wait = time.monotonic(), patience.first_wait
    waiting = dict(expected)
    while True:
        waiting = {feed: data for feed, data in waiting.items() if _fetch(feed, len(data), patience) != data}
        left = patience.limit - (time.monotonic() - start)
        if not waiting or left <= 0:
            return [feed for feed in expected if feed not in waiting]
        time.sleep(min(wait, left))
        wait = min(wait * patience.factor, patience.longest_wait)


def _fetch(url: str, size: int, patience: Patience) -> bytes | None:
    """The bytes ``url`` serves now (no more than one past ``size``: enough to tell them apart), None when it
    serves none."""
    request = urllib.request.Request(url, headers={"User-Agent": "Feuilleton (waiting for a deploy to go live)"})
    try:
        with urllib.request.urlopen(request, timeout=patience.timeout) as answer:
            return answer.read(size + 1)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as e:
        log.info("%s is not served yet (%s)", url, getattr(e, "reason", e))
        return None

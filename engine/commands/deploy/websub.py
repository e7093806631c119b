"""After a deploy, tell the WebSub hub (``websub_hub``) which feeds changed, so that feed readers
subscribed there get a new part or revision within seconds.

Which feeds changed is what the deploy itself found changed on its target (a feed file added or with
new bytes): that holds whichever machine deployed last (a CI runner with no memory of earlier deploys
included), and a feed's bytes change only when its content does (its dates come from the entries, never
from the clock).  Each feed is pinged on its own (``hub.mode=publish``, ``hub.url=FEED``, form-encoded,
as the WebSub recommendation's publishers do), retried with growing waits; a hub that cannot be reached
is reported, and the deploy, already done, still succeeds.
"""
from __future__ import annotations

import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ...site import urls as U
from .target import Changes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retry:
    """How often and how patiently a ping is tried."""

    attempts: int = 4
    """Tries in all."""
    first_wait: float = 1.0
    """Seconds before the second try; each later wait is ``factor`` times the one before."""
    factor: float = 3.0
    timeout: float = 10.0
    """Seconds a hub has to answer one try."""


def changed_feeds(changes: Changes, base_url: str) -> list[str]:
    """The absolute URLs of the feeds the deploy added or changed, in order."""
    names = set(U.FEEDS.values())
    return [U.Urls(base_url).absolute(path) for path in (*changes.added, *changes.changed)
            if path.rpartition("/")[2] in names]


def ping(hub: str, feeds: list[str], retry: Retry = Retry()) -> tuple[list[str], list[str]]:
    """Tell ``hub`` that each feed changed; returns the feeds it took, and a message for each it never took.
    A hub that fails every try for one feed (no answer, a server error) is not tried again for the rest:
    they are reported at once, not after a wait of their own each."""
    told, failures, down = [], [], None
    for feed in feeds:
        problem = down or _ping_one(hub, feed, retry)
        if problem is None:
            told.append(feed)
            continue
        failures.append(f"WebSub hub {hub} was not told of {feed}: {problem} (after {retry.attempts} tries"
                        f"{' for an earlier feed' if down else ''}); the deploy itself is done")
        if not problem.startswith("HTTP 4"):  # the hub, not this feed: the rest would wait as long for nothing
            down = problem
    return told, failures


def _ping_one(hub: str, feed: str, retry: Retry) -> str | None:
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed}).encode("ascii")
    wait, problem = retry.first_wait, None
    for attempt in range(retry.attempts):
        if attempt:
            time.sleep(wait)
            wait *= retry.factor
        request = urllib.request.Request(hub, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Feuilleton (WebSub publisher)"})
        try:
            with urllib.request.urlopen(request, timeout=retry.timeout) as answer:
                if 200 <= answer.status < 300:
                    return None
                problem = f"HTTP {answer.status}"
        except urllib.error.HTTPError as e:
            problem = f"HTTP {e.code} {e.reason}"
            if 400 <= e.code < 500 and e.code not in (408, 429):
                return problem  # the hub refused this ping: trying again would change nothing
        except (urllib.error.URLError, OSError) as e:
            problem = str(getattr(e, "reason", e))
        log.info("WebSub ping of %s for %s failed (%s)", hub, feed, problem)
    return problem

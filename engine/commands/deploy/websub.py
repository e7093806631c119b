"""After a deploy, tell the WebSub hub (``websub_hub``) which feeds changed, so that feed readers
subscribed there get a new part or revision within seconds.

Which feeds changed is what the deploy itself found changed on its target (a feed file added or with
new bytes): that holds whichever machine deployed last (a CI runner with no memory of earlier deploys
included), and a feed's bytes change only when its content does (its dates come from the entries, never
from the clock).  Each feed is pinged on its own (``hub.mode=publish``, ``hub.url=FEED``, form-encoded,
as the WebSub recommendation's publishers do), retried with growing waits; a hub that cannot be reached
is reported, and the deploy, already done, still succeeds.  The feeds are noted as owed before the target
changes and struck off as the hub takes them, so that a deploy cut short leaves them to the next one.
"""
from __future__ import annotations

import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ...config import CACHE_DIR
from ...site import urls as U
from ...source.files import replace_bytes
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


PENDING = "websub-pending"
"""In the site's cache folder: the feeds a deploy changed on its target and the hub has not taken yet, one
address a line, kept until a later deploy's pings get through."""


def remember(site: Path, feeds: list[str]) -> None:
    """Note ``feeds`` as owed to the hub, before the target changes: a deploy cut short after it changed
    them (Ctrl-C, a lost connection, a hub that is down) leaves them for the next deploy to tell."""
    if not feeds:
        return
    path = site / CACHE_DIR / PENDING
    owed = list(dict.fromkeys([*owed_feeds(site), *feeds]))
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_bytes(path, "".join(f"{feed}\n" for feed in owed).encode("utf-8"), durable=False)


def owed_feeds(site: Path) -> list[str]:
    """The feeds an earlier deploy changed that the hub has not taken."""
    try:
        return [line for line in (site / CACHE_DIR / PENDING).read_text(encoding="utf-8").splitlines() if line]
    except (OSError, UnicodeDecodeError):
        return []


def settle(site: Path, told: list[str]) -> None:
    """Strike the feeds the hub took from what is owed."""
    left = [feed for feed in owed_feeds(site) if feed not in set(told)]
    path = site / CACHE_DIR / PENDING
    if left:
        replace_bytes(path, "".join(f"{feed}\n" for feed in left).encode("utf-8"), durable=False)
    else:
        path.unlink(missing_ok=True)


def changed_feeds(changes: Changes, base_url: str) -> list[str]:
    """The absolute URLs of the feeds the deploy added or changed, in order."""
    names = set(U.FEEDS.values())
    return [U.Urls(base_url).absolute(path) for path in (*changes.added, *changes.changed)
            if path.rpartition("/")[2] in names]


def ping(hub: str, feeds: list[str], retry: Retry = Retry(),
         told: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Tell ``hub`` that each feed changed; returns the feeds it took (``told``, filled as it takes each, so
    that a deploy stopped meanwhile knows), and a message for each it never took.  A hub that fails every try
    for one feed (no answer, a server error) is not tried again for the rest: they are reported at once, not
    after a wait of their own each."""
    told = [] if told is None else told
    failures, down, untried = [], None, 0
    for feed in feeds:
        if down:  # the hub, not a feed: the rest would wait as long for nothing
            untried += 1
            continue
        problem = _ping_one(hub, feed, retry)
        if problem is None:
            told.append(feed)
            continue
        failures.append(f"WebSub hub {hub} was not told of {feed}: {problem}; the deploy itself is done")
        if not problem.startswith("HTTP 4"):
            down = problem
    if untried:  # said once: a hub down for a site of many series would fill the screen
        failures.append(f"WebSub hub {hub} was not told of {untried} other feed{'s' if untried > 1 else ''} either, "
                        f"since it {_what_it_did(down)}; the next deploy tells it of them")
    return told, failures


def _what_it_did(problem: str | None) -> str:
    """What a hub that failed every try for a feed did, from ``_ping_one``'s problem: it answered with an error
    (a server error, a 429), or gave no answer at all."""
    if problem and problem.startswith("HTTP "):
        return f"answered the one before with an error ({problem.partition(' (')[0]})"
    return "did not answer for the one before"


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
                return f"{problem} (the hub refused it: is websub_hub its address?)"  # trying again changes nothing
        except (urllib.error.URLError, OSError) as e:
            problem = str(getattr(e, "reason", e))
        log.info("WebSub ping of %s for %s failed (%s)", hub, feed, problem)
    return f"{problem} (after {retry.attempts} tries)" if retry.attempts > 1 else problem

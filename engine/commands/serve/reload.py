"""Telling open pages what a rebuild changed, over Server-Sent Events.

Every HTML page ``serve`` answers with carries ``RELOAD_JS``, which listens
on the event stream.  After a rebuild the open pages hear which pages were
written, so that only those reload and a stylesheet alone is swapped in
place; after a failed one they show its ``file:line`` error over the last
good page until a rebuild succeeds.
"""
from __future__ import annotations

import json
import queue
import secrets
import threading
from urllib.parse import unquote

from ...site.urls import shown_by_no_page, site_path

LISTED = 500
"""Up to this many changed pages are named in a reload message; beyond that, every open page reloads."""


class Hub:
    """Open browser pages waiting for news, and the error of the last rebuild if it failed (a page
    opened meanwhile is shown it at once)."""

    def __init__(self) -> None:
        self.clients: list[queue.Queue[str]] = []
        self.lock = threading.Lock()
        self.error: str | None = None
        self.session = secrets.token_hex(8)
        """This ``serve``'s own: a page that hears another one after reconnecting was served by an earlier
        ``serve``, and reloads."""
        self.told = 0
        """How many messages the pages were sent: a page that listened again after a while away (a hidden tab
        lets its stream go where it cannot share one) and hears another count missed some, and reloads."""

    def subscribe(self) -> queue.Queue[str]:
        q: queue.Queue[str] = queue.Queue()
        q.put(json.dumps({"type": "session", "session": self.session, "told": self.told}))
        with self.lock:
            self.clients.append(q)
            if self.error:
                q.put(json.dumps({"type": "error", "message": self.error}))
        return q

    def unsubscribe(self, q: queue.Queue[str]) -> None:
        with self.lock:
            if q in self.clients:
                self.clients.remove(q)

    def send(self, message: dict[str, object]) -> None:
        with self.lock:
            self.told += 1
            said = json.dumps({**message, "told": self.told})
            for q in self.clients:
                q.put(said)


def news(files: list[str], base_path: str) -> dict[str, object]:
    """The message for output ``files`` written or removed: stylesheets alone are swapped in place;
    otherwise a page reloads when it is one of them, or when a file it may use (an image, a script)
    changed, or when too many pages did to list them (``pages`` None: every page)."""
    if files and all(p.endswith(".css") for p in files):
        return {"type": "css"}
    pages = [unquote(base_path) + site_path(p) for p in files if p.endswith(".html")]
    others = [p for p in files if not p.endswith(".html") and not shown_by_no_page(p)]
    return {"type": "reload", "pages": None if others or len(pages) > LISTED else pages}


RELOAD_JS = r"""
(function () {
  var box = null;
  function overlay(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "feuilleton-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#7a0000;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1em 1.25em;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    var unbuilt = document.body.hasAttribute("data-feuilleton-unbuilt");  // serve's page before any build
    box.textContent = (unbuilt ? "Build failed.\n\n" : "Build failed — the last good version is shown.\n\n") + text;
  }
  function clear() { if (box) { box.remove(); box = null; } }
  function changed(pages) {  // null: every page reloads; previews are made from the sources, so they always do
    var here = decodeURIComponent(location.pathname).replace(/\/index\.html$/, "/");
    return !pages || here.indexOf("/__feuilleton/") >= 0 || pages.indexOf(here) >= 0;
  }
  var error = null;  // the failed rebuild's message, for a page opened while it stands
  var session = null;  // the serve that answered first: another one restarted since this page was loaded
  var told = null;  // what it had told the pages then, where a hidden page lets its stream go
  var away = false;
  // What serve had told the pages when it read this one: news sent between reading it and listening (a save
  // while this page loaded, as when it reloads for the fast path's text and the full build then fails) is
  // news this page never heard.
  var loaded = document.currentScript ? Number(document.currentScript.getAttribute("data-told")) : NaN;
  function handle(news) {
    if (news.told !== undefined && news.type !== "session") { told = news.told; }
    if (news.type === "session") {
      var missed = away && told !== null && news.told !== undefined && news.told !== told;
      var since = !isNaN(loaded) && news.told !== undefined && news.told > loaded;
      loaded = NaN;
      if ((session && session !== news.session) || missed || since) { close(); location.reload(); }
      session = news.session; told = news.told === undefined ? told : news.told; away = false;
      return;
    }
    if (news.type === "error") { error = news; overlay(news.message); return; }
    error = null;
    if (news.type === "css") {
      clear();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href); url.searchParams.set("v", Date.now()); link.href = url.toString();
      });
      return;
    }
    if (news.type === "reload") { clear(); if (changed(news.pages)) { close(); location.reload(); } }
  }
  // A browser opens six connections to a server at most, and an event stream holds one for good: with a
  // stream per page, the seventh page (or a reload) would wait for ever.  So the open pages share one:
  // the page holding the lock listens and tells the others over a BroadcastChannel; when it goes, the
  // lock passes to another page, which listens in its stead.
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("feuilleton-serve") : null;
  var source = null;
  function close() { if (source) { source.close(); source = null; } }
  function listen() {
    source = new EventSource("/__feuilleton/events");
    source.onmessage = function (event) {
      var news = JSON.parse(event.data);
      if (channel) { channel.postMessage(news); }
      handle(news);
    };
  }
  window.addEventListener("pagehide", close);
  if (channel && navigator.locks) {
    channel.onmessage = function (event) {
      if (event.data === "hello") {  // a page just opened: what the page listening knows
        if (source && session) { channel.postMessage({type: "session", session: session, told: told}); }
        if (source && error) { channel.postMessage(error); }
        return;
      }
      handle(event.data);
    };
    navigator.locks.request("feuilleton-serve-events", function () {
      listen();
      return new Promise(function () {});  // held while this page is open
    });
    channel.postMessage("hello");  // a page opened after a failed rebuild is shown its error
  } else {
    // No shared stream (Web Locks need a secure context: serve --host 0.0.0.0, opened by the machine's
    // address): a hidden page lets its stream go, so that the six connections go to the pages in view, and
    // listens again when shown, reloading if it missed news meanwhile.
    listen();
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { close(); away = true; } else if (!source) { listen(); }
    });
  }
})();
"""
"""The script put in every HTML page served (never written to ``output/``)."""

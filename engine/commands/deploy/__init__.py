"""``feuilleton deploy``: build afresh into a temporary folder, publish it to the target, then tell the
WebSub hub which feeds changed (on a Pages branch, once its host serves them: ``live``).

The build is always the published site (no drafts, no future posts, whatever the last ``build`` was run
with), for ``config.toml``'s ``base_url``, into a folder of its own: ``output/`` is neither read nor
changed.  A build that fails stops the deploy before anything is sent.  Each kind of target is a module
(``git``, ``rsync``, ``folder``) with one ``publish`` that returns what it changed there.
"""
from __future__ import annotations

import functools
import logging
import re
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from ...config import Options, cname_mismatch, load_config
from ...errors import Diagnostic, SiteError
from ...source.files import is_regular
from ...source.tomlfile import read_toml
from ...site import urls as U
from ...site.checks import (dated_otherwise, lost_versions, replaced_message, taken_back, taken_back_message,
                            theme_banner, version_marker)
from ...speed.kept import version_owners
from . import folder, git, live, rsync, scratch, websub
from .target import Changes, Target, parse

log = logging.getLogger(__name__)


@dataclass
class Deployed:
    """What a deploy did, for the command to say."""

    target: Target
    changes: Changes
    dry_run: bool
    warnings: list[Diagnostic] = field(default_factory=list)
    """The build's warnings."""
    pinged: list[str] = field(default_factory=list)
    """Feeds the WebSub hub was told of (and took)."""
    ping_failures: list[str] = field(default_factory=list)
    """What went wrong telling the hub (the deploy still succeeded)."""
    hub_line: int = 0
    """The line of ``websub_hub`` in ``config.toml``, where what went wrong telling the hub is said."""


def deploy(site: Path, to: str | None, dry_run: bool, say=lambda text: None, progress: bool = False,
           retry: websub.Retry = websub.Retry(), patience: live.Patience = live.Patience(),
           note=lambda text: None) -> Deployed:
    """Build ``site`` afresh and publish it to ``to`` or ``[deploy] target`` (``say``: what it is doing, on a
    terminal; ``note``: a wait worth saying anywhere)."""
    config, warnings = load_config(site)
    target = _target(site, to, config, warnings)
    said = _cname(config, target, site)
    if target.kind == "dir":
        folder.check(target)  # before the build, which writes the site's cache
    with _build_folder() as folder_:
        built = Path(folder_) / "site"
        result = _build(site, built, say)
        gone: list[Diagnostic] = []

        def guard(changes: Changes, read: Callable[[str], bytes | None]) -> None:
            read = functools.cache(read)  # each of the target's pages read once (git: one process each)
            other = _other_site(read("sitemap.xml"), config.base_url)
            _keeps_versions(result, gone, changes, other, read)
            _changes_no_version(result, changes, gone, read, other)
            if config.websub_hub and not dry_run:  # owed to the hub from before the target changes
                websub.remember(site, websub.changed_feeds(changes, config.base_url))
        publish = {"git": lambda: git.publish(target, built, config.deploy.cname, config.title, dry_run, say,
                                              progress, guard),
                   "rsync": lambda: rsync.publish(target, built, dry_run, say, progress, guard),
                   "dir": lambda: folder.publish(target, built, dry_run, say, guard)}[target.kind]
        changes = publish()
        if not dry_run and result.cache is not None and result.maker is not None:
            result.cache.keep_deployed(f"deploy {target.kind}:{target.where}", built, version_owners(result.maker.site))
        published_later = config.websub_hub and not dry_run and target.kind == "git"  # by the Pages host
        feeds = live.feeds_built(built, config.base_url) if published_later else {}
    done = Deployed(target, changes, dry_run, [*result.warnings, *said, *gone])
    if config.websub_hub and not dry_run:
        owed = websub.owed_feeds(site)  # this deploy's, and any an earlier one could not tell
        try:
            ready, done.ping_failures = _live_first(owed, feeds, patience, note)
            say(f"telling the WebSub hub of {len(ready)} changed feeds…")
            done.ping_failures += websub.ping(config.websub_hub, ready, retry, done.pinged)[1]
        except KeyboardInterrupt as e:  # the site is out whole: only telling the hub was cut short
            e.said = (f"the site was deployed whole; the WebSub hub was told of {len(done.pinged)} of {len(owed)} "
                      "changed feeds, and the next deploy tells it of the rest")
            raise
        finally:
            websub.settle(site, done.pinged)
        if done.ping_failures:
            try:
                done.hub_line = read_toml(site / "config.toml", "config.toml").line("websub_hub")
            except SiteError:
                pass  # the file changed meanwhile: said without a line
    return done


def _live_first(owed: list[str], feeds: dict[str, bytes], patience: live.Patience, note) -> tuple[list[str], list[str]]:
    """The owed feeds the hub may be told of now, and what is said of the rest.  On a target its host
    publishes later (a Pages branch: ``feeds`` holds what was pushed), that is those its address serves with
    the bytes deployed, waited for; a hub told sooner would fetch the old feed and tell no one."""
    expected = {feed: feeds[feed] for feed in owed if feed in feeds}
    if not expected:
        return owed, []
    many = len(expected) > 1
    note(f"waiting until {len(expected)} feed{'s' if many else ''} ({next(iter(expected))}{', …' if many else ''}) "
         f"{'are' if many else 'is'} served with this deploy's bytes, to tell the WebSub hub then: a Pages host "
         "publishes a pushed branch seconds to minutes later, and a hub told sooner would fetch the old feeds; up to "
         f"{patience.limit:.0f} s…")
    ready = set(live.served(expected, patience))
    late = [feed for feed in expected if feed not in ready]
    said = [f"{len(late)} feed{'s were' if len(late) > 1 else ' was'} still not served with this deploy's bytes "
            f"{patience.limit:.0f} s after the push ({', '.join(late[:3])}{' and more' if len(late) > 3 else ''}): the "
            "Pages host has not published the branch yet, or base_url is not where it serves the site. The WebSub "
            "hub was not told of them, since it would fetch the old feeds; the next deploy tells it"] if late else []
    return [feed for feed in owed if feed in ready or feed not in expected], said


def _build_folder() -> tempfile.TemporaryDirectory[str]:
    """The temporary folder the deploy builds into, removed however the deploy ends.  It is made with SIGTERM
    and SIGHUP held back: one arriving while ``TemporaryDirectory`` is between making the folder and
    arranging its removal would leave it behind (``cli`` turns them into an exception); held, it is raised
    once the folder is in its care."""
    stopping = {getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
    try:
        scratch.sweep()  # first, what deploys killed before they could clean up left there (finding the
        return scratch.folder()  # temporary folder writes a file to try it, which a signal must not leave)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _not_taken_back(result, gone: set[str]) -> None:
    """A scheduled post whose version page the target publishes stops a deploy whose clock is before its date,
    which would take it off (``checks`` says so to a build into ``output/``; a deploy builds elsewhere)."""
    site = result.maker.site if result.maker else None
    for post, page in taken_back(site, lambda path, post: path in gone) if site else ():
        raise SiteError(Diagnostic(post.shown, post.line("date"), taken_back_message(
            site, post, page, "the target", "this deploy's") + "; nothing was sent"))


def _other_site(sitemap: bytes | None, base_url: str) -> str | None:
    """The address of the site a target holds, read from its sitemap, if it is another site's than
    ``base_url``; None when it is this one's, or the target has no sitemap to tell (or it could not be read)."""
    found = re.findall(rb"<loc>\s*([^<\s]+)\s*</loc>", sitemap or b"")
    if not found:
        return None
    addresses = [unescape(loc.decode("utf-8", "replace")) for loc in found]
    if any(address.startswith(base_url) for address in addresses):
        return None
    return addresses[0].split("/")[0] + "//" + addresses[0].split("/")[2] + "/" if "//" in addresses[0] else None


def _changes_no_version(result, changes: Changes, warned: list[Diagnostic], read: Callable[[str], bytes | None],
                        other: str | None) -> None:
    """Stop before a deploy changes or removes a version page the target publishes, at any address (one a post
    moved from included), whose mark (``checks.with_marker``, ``read`` on the target) names a post of this
    site and a version it no longer has, or has with another title or text: a version lost, or lost and
    recorded again under its number since.  A page of a post no longer in the site that a new post at its address takes is said in
    ``warned``, as a deleted post's pages leaving are; on a target that holds another site (``other``), the
    deploy stops.  A page an earlier Feuilleton wrote without the mark is read by the date its banner shows,
    as the version of the post at its address (``checks.dated_otherwise``); whether it may go is
    ``_keeps_versions``' to say."""
    if result.maker is None:
        return
    site = result.maker.site
    banners = functools.cache(lambda: theme_banner(site))  # asked only of a page without a mark
    posts = site.posts.values()
    live = {post.entry_id: post for post in posts}
    at = {U.output_path(U.version_path(post, version.number)): (post, version) for post in posts
          for version in post.versions}
    link = result.maker.urls.link
    lost, taken = [], []
    for path in sorted({*changes.changed, *changes.removed}):
        number = U.version_number(path)
        page = read(path) if number else None
        marked = version_marker(page)
        if marked is None:
            post, version = at.get(path, (None, None))
            theirs = result.cache.version_owners(path) if result.cache is not None else set()
            if path in changes.changed and post and (not theirs or post.entry_id in theirs) \
                    and banners() and dated_otherwise(page, version):
                lost.append(Diagnostic(post.shown, 0, replaced_message(
                    number, unquote(link(U.site_path(path))), "the target publishes") + "; nothing was sent"))
            continue
        shown, owner = marked
        address, post = unquote(link(U.site_path(path))), live.get(owner)
        if post is None:
            taken += [address] if path in changes.changed else []
        elif number > len(post.versions):
            lost.append(Diagnostic(post.shown, 0, _lost_message(number, address)))
        elif post.versions[number - 1].shown_digest != shown:
            lost.append(Diagnostic(post.shown, 0, replaced_message(number, address, "the target publishes")
                                   + "; nothing was sent"))
    if lost:
        raise SiteError(lost)
    if taken and other:
        raise SiteError(Diagnostic("deploy", 0, f"the target holds another site ({other}), whose version pages "
                                   f"{', '.join(taken)} this one would take: a target copied with config.toml, or a "
                                   "--to mistyped? To replace that site on purpose, empty the target first; nothing "
                                   "was sent"))
    if taken:
        warned.append(Diagnostic("deploy", 0, f"gives {len(taken)} version page{'s' if len(taken) > 1 else ''} of "
                                 f"posts no longer in the site to new posts at their addresses ({', '.join(taken)}): "
                                 "a deleted post's permanent addresses now show another text", warning=True))


def _lost_message(number: int, address: str) -> str:
    return (f"the target publishes version {number} ({address}), which the post no longer has: restore its "
            "version file and `version:` from git or a backup, since a published version is never taken back; "
            "nothing was sent")


def _keeps_versions(result, warned: list[Diagnostic], changes: Changes, other: str | None,
                    read: Callable[[str], bytes | None]) -> None:
    """Stop before a deploy removes from the target a version page of a post the site still has: its
    version file lost, or the post put back to before a ``revise`` (``git checkout``), which the build
    cannot see when ``output/`` no longer shows that version.  Whose each page is, its mark says (``read``),
    else the cache.  A deleted post's pages may go, said in ``warned``; but on a target that holds another
    site (``other``), whose every version page would go, nothing is sent."""
    gone = set(changes.removed)

    def published(post, path: str) -> bool:  # whose each version page was: as the page says, else the cache
        if path not in gone:
            return False
        said = version_marker(read(path))
        if said is not None:
            return said[1] == post.entry_id
        owners = result.cache.version_owners(path) if result.cache is not None else set()
        return not owners or post.entry_id in owners
    owned = [(path, owner) for path in gone if result.cache is not None for owner in result.cache.version_owners(path)]
    lost = lost_versions(result.maker.site, published, owned) if result.maker else []
    if lost:
        link = result.maker.urls.link  # as readers' links have it: with the site's path (/essays/…)
        raise SiteError([Diagnostic(post.shown, 0, _lost_message(number, unquote(link(page))))
                         for post, number, page in lost])
    _not_taken_back(result, gone)
    versions = sorted(path for path in gone if U.is_version_page(path))
    drafts = [post for post in (result.maker.site.held_back if result.maker else ()) if post.status == "draft"]
    down = {U.output_path(U.version_path(post, version.number)): post  # its pages, where the post still is
            for post in drafts for version in post.versions}
    down.update({U.output_path(U.version_path(old, number)): post  # and where it was (those sent readers on)
                 for post in drafts for old, newest in post.moved_from for number in range(1, newest + 1)})
    taken_down = [path for path in versions if path in down]
    deleted = [path for path in versions if path not in down]
    shown = result.maker.urls.base_path if result.maker else "/"
    staying = {path for path in result.files if U.is_version_page(path)} - set(changes.added)
    if deleted and not taken_down and not staying and other:
        raise SiteError(Diagnostic("deploy", 0, f"the target holds another site ({other}): it publishes "
                                   f"{_pages(deleted, shown)}, and this site none of its versions (a target copied "
                                   "with config.toml, or a --to mistyped?). A deleted post's permanent addresses go "
                                   "for good, so to replace that site on purpose, empty the target first; nothing "
                                   "was sent"))
    if taken_down:
        names = ", ".join(dict.fromkeys(down[path].shown for path in taken_down))
        warned.append(Diagnostic("deploy", 0, f"takes off the target {_pages(taken_down, shown)} of posts taken "
                                 f"down with `draft: true` ({names}): `feuilleton publish` puts one back with its "
                                 "versions", warning=True))
    if deleted:
        warned.append(Diagnostic("deploy", 0, f"takes off the target {_pages(deleted, shown)} of posts no longer "
                                 "in the site: a deleted post's permanent addresses are gone; to keep them, restore "
                                 "the post and its .versions/ folder (`draft: true` takes the pages off too, but "
                                 "keeps the versions, for `feuilleton publish` to put back)", warning=True))


def _pages(paths: list[str], base: str) -> str:
    """``2 version pages (/essays/a/v1/, /essays/a/v2/)``: how many, and the first three, below the site's
    path ``base``."""
    shown = ", ".join(f"{base}{unquote(path.removesuffix('index.html'))}" for path in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return f"{len(paths)} version page{'' if len(paths) == 1 else 's'} ({shown}{more})"



def _cname(config, target: Target, site: Path) -> list[Diagnostic]:
    """What ``[deploy] cname`` does on the target this deploy goes to: nothing on one that is no Pages branch;
    on a git: target named by ``--to``, the check of it against ``base_url`` that config.toml's own git:
    target would have had; and over a ``static/CNAME`` naming another domain, which it replaces."""
    cname = config.deploy.cname
    if not cname:
        return []
    try:  # the warnings are about the key: at its line
        line = read_toml(site / "config.toml", "config.toml").line("deploy", "cname")
    except SiteError:
        line = 0
    static = site / "static" / "CNAME"
    if target.kind != "git":
        copied = " (static/CNAME is published as it is, as any file of static/)" if is_regular(static) else ""
        return [Diagnostic("config.toml", line, f"`cname` is written only into a git: target's branch (for Pages); a "
                           f"{target.kind}: target takes no CNAME file from it, so it is left out{copied}: the "
                           "domain is your server's to set", warning=True)]
    said = []
    configured = config.deploy.target.partition(":")[0]
    problem = cname_mismatch(cname, config.base_url) if configured not in ("git", "") else None
    if problem:
        said.append(Diagnostic("config.toml", line, problem, warning=True))
    try:
        own = static.read_text(encoding="utf-8").strip() if is_regular(static) else ""
    except (OSError, UnicodeDecodeError):
        own = ""
    if own and own.lower().rstrip(".") != cname.lower().rstrip("."):
        said.append(Diagnostic("static/CNAME", 1, f"names {own}, but [deploy] cname is {cname}, which the deploy "
                               "writes in its place: keep one of the two", warning=True))
    return said


def _target(site: Path, to: str | None, config, warnings: list[Diagnostic]) -> Target:
    """Where to deploy; with none, ``config.toml``'s warnings come first (``[deploi]``: did you mean…)."""
    if to is not None:
        return parse(to, "--to", site)
    if not config.deploy.target:
        raise SiteError([*warnings, Diagnostic("config.toml", 0, "no deploy target: add [deploy] target = "
                                               "\"git:REMOTE#BRANCH\" (or \"rsync:DEST\", \"dir:PATH\") to "
                                               "config.toml, or pass --to TARGET")])
    return parse(config.deploy.target, f"config.toml:{config.deploy.line}", site)


def _build(site: Path, out: Path, say):
    """The published site, built into ``out``; a failed build stops the deploy with its errors."""
    from ...build import build
    say("building the site afresh")
    try:
        result = build(site, Options(), output=out, persist=False, progress=say)
    except SiteError as e:
        raise SiteError([*e.diagnostics, Diagnostic("deploy", 0, "the build failed, so nothing was deployed")]) from e
    for spare in out.parent.glob(".feuilleton-spare-*"):
        shutil.rmtree(spare, ignore_errors=True)
    return result

"""``publish``: a draft made public with version 1 recorded; a page made public; a post scheduled for later
recorded anew; a post taken down put back (see ``record.py`` for what both recording commands promise)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..config import Config, still_example
from ..errors import Diagnostic, Report, SiteError
from ..model.assemble import marked_draft
from ..model.types import Version
from ..source.files import replace_bytes
from ..source.load import Source
from ..source.versions import NewVersion, archive_dir, read_archive, renamed_without, replace_scheduled
from .record import (
    Recorded,
    append_version,
    is_page,
    missing_id,
    parse_at,
    post_date,
    read_post,
    set_front_matter,
    validate_as,
    version_address,
    write_back,
)


def _publish_page(path: Path, source: Source, site: Path, config: Config, at: str | None,
                  now: datetime) -> Recorded:
    """Make a drafted page public: drop ``draft`` (and the other ways of saying it) and, with ``--at``,
    date it; a page keeps no versions, so nothing is recorded."""
    shown = Report(site).where(path)
    hidden = marked_draft(source.meta)
    if not hidden and at is None:
        return Recorded((f"{shown}: a page, already public; a page records no versions, so there is nothing "
                         "to do",), 0)
    dated = {"date": parse_at(at, config, shown, now).isoformat()} if at is not None else {}
    drop = {*hidden, "draft", *(("date",) if dated else ())}
    text = set_front_matter(source, drop, dated)
    warnings, _ = validate_as(source, text, site, config, now, "publish")
    write_back(path, shown, source.text, text)
    when = f", dated {dated['date']}" if dated else ""
    return Recorded((f"{shown}: published (a page{when}; a page records no versions)",), 0, warnings)


def publish(path: Path, site: Path, config: Config, at: str | None, now: datetime) -> Recorded:
    example = still_example(config, "publishing")
    if example is not None:
        raise SiteError(example)
    source = read_post(path, site)
    report = Report(site)
    shown = report.where(path)
    if is_page(source):
        return _publish_page(path, source, site, config, at, now)
    versions = read_archive(path, config.timezone, report)
    report.raise_if_errors()
    if len(versions) == 1 and _not_out(versions[0], now) and not marked_draft(source.meta):
        return _publish_again(path, source, versions[0], site, config, at, now)
    if versions and marked_draft(source.meta):
        return _put_back(path, source, versions, site, config, at, now)
    if versions:
        raise SiteError(Diagnostic(shown, 0, "is already published with recorded versions; use `feuilleton revise`"))
    _not_lost(path, source, shown)
    moment = parse_at(at, config, shown, now)
    draft = bool(marked_draft(source.meta))
    if draft or "date" not in source.meta:
        keeps_date = at is None and "date" in source.meta  # an --at given wins over a date the draft has
        moment = post_date(source, config) if keeps_date else moment
        dated = {} if keeps_date else {"date": moment.isoformat()}
        drop = {*marked_draft(source.meta), "draft", "version", *(() if keeps_date else ("date",))}
        message = (f"{shown}: published, dated {moment.isoformat()}" if moment <= now else
                   f"{shown}: scheduled for {moment.isoformat()}: it goes out with the first build after that")
    else:
        dated, drop = {}, {"version"}
        published = post_date(source, config)
        if at is not None and moment != published:
            raise SiteError(Diagnostic(shown, source.line("date"), f"--at {moment.isoformat()}: the post is already "
                                       f"public, dated {published.isoformat()}, and version 1 is recorded at that "
                                       "date; to date it otherwise, edit its `date` and publish it without --at"))
        moment = published
        message = (f"{shown}: already public; recording its text as version 1 at its date" if moment <= now else
                   f"{shown}: dated {moment.isoformat()}, so it goes out then; recording its text as version 1 "
                   "at that date")
    # The check sees the post as publish leaves it, short of `version: 1` (its archive is written after the
    # check); a draft is checked as the draft it still is (the check then shows drafts), never made public first.
    checked = set_front_matter(source, {"version"}, {}) if draft else set_front_matter(source, drop, dated)
    warnings, placed = validate_as(source, checked, site, config, now, "publish")
    entry_id = missing_id(source, site, config, moment)
    write_back(path, shown, source.text, set_front_matter(source, drop, {**dated, **({"id": entry_id} if entry_id
                                                                                      else {}), "version": "1"}))
    source = read_post(path, site)
    first = NewVersion(source.text, moment, "", False, address=version_address(placed), recorded=now)
    append_version(path, shown, 1, first)
    return Recorded((message, f"{shown}: recorded version 1"), 1, warnings)


def _not_lost(path: Path, source: Source, shown: str) -> None:
    """Refuse to start a history for a post whose versions are elsewhere: its ``version: N`` says N were
    recorded (only ``publish`` cut short leaves ``version: 1`` and no folder), or a versions folder beside it
    lost its post (a file renamed without its folder).  Recording anew would put its published versions off
    the site, and make a version 1 of text readers never read on its date."""
    pinned = str(source.meta.get("version", "")).strip()
    renamed = renamed_without(path)
    if renamed or pinned not in ("", "1"):
        line = source.line("version") if pinned else 0
        said = f"says version {pinned} was recorded, but {archive_dir(path).name}/ is not here" if pinned else \
            f"has no {archive_dir(path).name}/"
        raise SiteError(Diagnostic(shown, line, f"{said}: {renamed or 'restore it from git or a backup'}; "
                                   "publish records nothing over a post's published versions"))


def _put_back(path: Path, source: Source, versions: tuple[Version, ...], site: Path, config: Config,
              at: str | None, now: datetime) -> Recorded:
    """A post taken down (``draft: true`` on a post with recorded versions) put back on the site: the keys
    that hid it go, and its versions and dates stay as they were recorded; nothing new is recorded."""
    shown = Report(site).where(path)
    hidden = marked_draft(source.meta)
    if at is not None:
        raise SiteError(Diagnostic(shown, source.line(hidden[0]), "was taken down and is put back with its "
                                   "recorded versions and their dates: leave --at out"))
    shown_again = set_front_matter(source, set(hidden), {})
    warnings, _ = validate_as(source, shown_again, site, config, now, "publish")
    write_back(path, shown, source.text, shown_again)
    return Recorded((f"{shown}: back on the site, with its {len(versions)} recorded "
                     f"version{'s' if len(versions) > 1 else ''}; if you changed it while it was down, record that "
                     "with `feuilleton revise`",), versions[-1].number, warnings)


def _not_out(first: Version, now: datetime) -> bool:
    """Whether version 1 is still ahead of every clock that has seen it, and so may be recorded anew:
    this command's, and the one that recorded it.  A version recorded at or after its own date was public
    from the start, whatever a clock that lags says now."""
    return first.date > now and (first.recorded is None or first.recorded < first.date)


def _publish_again(path: Path, source: Source, scheduled: Version, site: Path, config: Config, at: str | None,
                   now: datetime) -> Recorded:
    """Record version 1 anew for a post scheduled for later that the author changed before it is out:
    no reader has seen the old version 1 (builds leave the post out until its date), so nothing
    published is lost, and the post goes out with its text as it now stands."""
    shown = Report(site).where(path)
    written = post_date(source, config)  # the post's own date, edited since it was scheduled or not
    moment = written if at is None else parse_at(at, config, shown, now)
    dated = {} if moment == written else {"date": moment.isoformat()}
    pinned = set_front_matter(source, {"version", "date"} if dated else {"version"}, {**dated, "version": "1"})
    if pinned == scheduled.text and moment == scheduled.date:  # as recorded: rewriting it would only move `recorded`
        warnings, placed = validate_as(source, pinned, site, config, now, "publish")
        if not placed or version_address(placed) == scheduled.address:  # nor has it moved (a series renamed)
            return Recorded((f"{shown}: not out yet, and version 1 already holds its text as it stands, to go out "
                             f"on {moment.isoformat()}: nothing to record",), 1, warnings)
    first = archive_dir(path) / "v1.md"
    before = first.read_bytes()
    seen = max(now, scheduled.recorded or now)  # the latest clock that has seen this post
    replace_scheduled(path, NewVersion(pinned, moment, "", False, recorded=seen))  # first: the check sees the new date
    try:
        warnings, placed = validate_as(source, pinned, site, config, now, "publish")
    except BaseException:
        replace_bytes(first, before)  # nothing recorded after all
        raise
    if placed:  # its address is known now that the check has placed the post
        replace_scheduled(path, NewVersion(pinned, moment, "", False, address=version_address(placed), recorded=seen))
    try:
        write_back(path, shown, source.text, pinned)
    except SiteError:
        replace_bytes(first, before)  # saved meanwhile: the version recorded stays as it was
        raise
    when = "now" if moment <= now else f"on {moment.isoformat()}"
    return Recorded((f"{shown}: not out yet (it was to go out on {scheduled.date.isoformat()}); recorded its text "
                     f"again as version 1, to go out {when}",), 1, warnings)

"""Which feeds a site has: the site's, each series', and the updates feed."""
from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from ..text.markdown import plain_text
from . import urls as U
from .feeds import Candidate, Entry, Feed, newest_first, post_entry, revision_entry, revision_id
from .moves import renamed_series
from .pages import Planner
from .views import PostView

log = logging.getLogger(__name__)


def change_summary(planner: Planner, view: PostView, number: int) -> str:
    post = planner.site.posts[view.key]
    before, after = post.versions[number - 2], post.versions[number - 1]
    diff = planner.diff(before.body, after.body)
    return describe(diff.words_added, diff.words_deleted, diff.blocks_changed, diff.blocks_moved)


def describe(added: int, deleted: int, changed: int, moved: int) -> str:
    if not (added or deleted or moved):
        return "The text of the essay is unchanged."
    parts = [f"+{added} word{'s' if added != 1 else ''}", f"−{deleted} word{'s' if deleted != 1 else ''}",
             f"{changed} paragraph{'s' if changed != 1 else ''} changed"]
    if moved:
        parts.append(f"{moved} paragraph{'s' if moved != 1 else ''} moved")
    return ", ".join(parts) + "."


def _entries(planner: Planner, views: list[PostView], posts: bool = True) -> list[Candidate]:
    """Every entry the feed could hold; ``newest_first`` makes only the ones it keeps."""
    candidates = []
    for view in views:
        if view.status != "published":
            continue
        if posts:
            candidates.append((view.date, view.entry_id, partial(post_entry, view)))
        for note in view.notes:
            candidates.append((note.date, revision_id(view.entry_id, note.number),
                               partial(_revision, planner, view, note)))
    return candidates


def _revision(planner: Planner, view: PostView, note) -> Entry:
    return revision_entry(view, note, change_summary(planner, view, note.number), planner.urls)


def all_feeds(planner: Planner) -> list[Feed]:
    config, urls = planner.config, planner.urls
    limit = config.feed_entries
    views = list(planner.posts.values())
    feeds = [Feed(config.title, config.description, urls.absolute(U.HOME), "",
                  newest_first(_entries(planner, views), limit)),
             Feed(f"{config.title}: updates", f"Every revision of an essay on {config.title}.",
                  urls.absolute(U.UPDATES), U.UPDATES, newest_first(_entries(planner, views, posts=False), limit))]
    by_series = {}
    for slug, series in planner.series_views.items():
        members = [planner.posts[k] for k in planner.site.series[slug].parts]
        description = plain_text(str(planner.tools.markdown(planner.site.series[slug].description)))
        by_series[slug] = Feed(f"{series.title} — {config.title}", description,
                               series.abs_url, U.series_path(slug), newest_first(_entries(planner, members), limit))
    feeds += by_series.values()
    # a feed reader cannot be sent on from a feed that is gone: a renamed series' feeds stay where they were
    # too, under the id they had (the page it names redirects)
    feeds += [replace(by_series[slug], prefix=old, home=urls.absolute(old))
              for old, slug in renamed_series(planner.site).items()]
    return feeds

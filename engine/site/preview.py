"""The redline a reader would see if the author ran ``revise`` now.

Used by ``serve`` only: for a published post whose text differs from its
last recorded version, the served post page links to a preview of the
what-changed page, rendered with the site's own ``changes.html``.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from ..model.types import Post
from ..output.render import Page, environment, render_page
from ..text.fragment import Fragment
from .maker import PageMaker
from .views import Note, PostView

log = logging.getLogger(__name__)


def pending_revision(post: Post) -> bool:
    """Whether the post's text moved on since its last recorded version."""
    return post.status == "published" and post.moved_on()


def find_post(maker: PageMaker, url: str) -> tuple[Post, PostView] | None:
    """The post whose page is at ``url``, as a browser asks for it or as a link gives it (an address in
    Arabic or with an ü is percent-encoded in a link, and read back decoded)."""
    wanted = unquote(url)
    for key, view in maker.posts.items():
        if unquote(view.url) == wanted:
            return maker.site.posts[key], view
    return None


def render_preview(maker: PageMaker, site_dir: Path, url: str) -> bytes | None:
    """The preview page for the post at ``url``, or None if there is nothing to preview."""
    found = find_post(maker, url)
    if found is None or not pending_revision(found[0]):
        return None
    post, view = found
    last = post.versions[-1]
    diff, changes = maker.compare(post, last)
    number = last.number + 1
    note = Note(number, maker.site.now, Fragment("<p>(Preview: this revision is not recorded yet. "
                                                 "Run <code>feuilleton revise</code> to record it.)</p>"),
                False, True, view.url, None)
    meta = replace(maker.meta(f"Preview: what would change in {maker.smart(post.title, post.language)}", "",
                              noindex=True),
                   url=view.url, canonical=view.abs_url)
    context = maker.context(meta, post=view, version=note, previous=view.history[-1], diff=diff,
                              changes=changes, title_changed=last.title != post.title,
                              old_title=maker.smart(last.title, last.language, post.language),
                              cumulative=False, front_changed=True)  # the file moved on: "did not change" then
                              # means no word readers see, not "only the note above" (the note is this preview's)
    env = environment(site_dir, maker.config)
    return render_page(env, Page(url, "changes.html", context, post.shown), site_dir)


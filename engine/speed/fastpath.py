"""``serve``'s fast path: show an edited essay before the full rebuild.

When the only thing that changed is the body of one published post, its
page can be rendered from the last build's views at once and shown from
memory (``serve`` answers with it), so the open browser page reloads within
milliseconds; the full rebuild follows immediately and brings everything
else — feeds, indexes, neighbours — up to date, in ``output/`` swapped whole.  Like Hugo's "fast render mode", but the
full build always follows, so nothing stays stale.  Anything more than a
body edit (front matter, a new file, a template) takes the normal path.
"""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from ..config import CACHE_DIR
from ..errors import Report
from ..model.assemble import build_post
from ..output.render import environment, render_page
from ..site import urls as U
from ..site.maker import PageMaker
from ..site.pages import post_page
from ..source.load import read_post

log = logging.getLogger(__name__)


def fast_render(maker: PageMaker, site_dir: Path, out: Path, changed: Path) -> tuple[str, bytes] | None:
    """The new page of ``changed``, if only its body changed: its site path and bytes.  ``serve`` shows it
    from memory until the full rebuild that follows has checked the text and swapped ``output/``, which so
    only ever holds whole builds (a serve killed between the two left the new page beside the old feeds)."""
    config = maker.config
    posts_dir = (site_dir / config.posts_dir).resolve()
    key = next((k for k, p in maker.site.posts.items() if p.path == changed), None)
    if key is None:
        changed = changed.resolve()
        key = next((k for k, p in maker.site.posts.items() if p.path.resolve() == changed), None)
    if key is None or key not in maker.posts:
        return None
    old = maker.site.posts[key]
    report = Report(site_dir)
    source = read_post(changed, posts_dir, report, old.series if old.path.parent.name == old.series else None)
    if source is None or report.items:
        return None
    new = build_post(source, config, maker.site.now, report, series_names=maker.site.series)
    if new is None or report.errors:
        return None
    if dataclasses.replace(new, body=old.body, body_line=old.body_line, lines=old.lines) != old:
        return None  # front matter changed: neighbours and indexes may differ, take the full path
    page = post_page(maker, new, maker.post_view(new))
    data = render_page(environment(site_dir, config, site_dir / CACHE_DIR / "jinja"), page, site_dir)
    if not (out / U.output_path(page.path)).is_file():
        return None
    return page.path, data

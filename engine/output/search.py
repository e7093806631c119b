"""Site search: the Pagefind index of the posts' current text, made in the spare tree before it is swapped in.

Pagefind reads the built HTML and writes a static index (``pagefind/``) that
the search page queries in the reader's browser; nothing runs on a server.
Only the pages marked ``data-pagefind-body`` (a post's current text) are
indexed, so old versions, pages of what changed, listings and redirects are
never found.  The index is made after every page is written and before the
new tree replaces ``output/``: a failed index leaves the last good site, and
its index, in place.  ``pagefind/`` belongs to the index alone; the writer
leaves it out of the files it plans and compares.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from ..errors import Diagnostic, SiteError

log = logging.getLogger(__name__)

FOLDER = "pagefind"
"""The index's folder at the root of the site: the search page loads ``pagefind/pagefind.js`` from it."""
FURNITURE = (".series-line, .post-dates, .status-banner, .update-label, .revised-label, .see-changes, "
             ".visually-hidden, .continuation, .post-tags, .forthcoming-mark, .note-gist, .note-link")
"""What a post's page says around its text (its place in the series, its dates, the labels of its notes):
left out of the index, so that a result's excerpt is the essay's own words."""
ENTRY = f"{FOLDER}/pagefind-entry.json"
"""Written last by every index: a site without it has no complete index."""


def indexed(out: Path) -> bool:
    """Whether a built site holds a complete index."""
    return (out / ENTRY).is_file()


def index_site(tree: Path, language: str) -> None:
    """Index the built site in ``tree`` into ``tree/pagefind/`` (a new folder: what was there goes first, so
    that nothing is written through a file shared with ``output/``).  Every page is indexed in ``language``,
    the search page's, so that one search finds posts written in any language."""
    shutil.rmtree(tree / FOLDER, ignore_errors=True)
    try:
        from pagefind_bin import get_executable
        command = [str(get_executable()), "--site", str(tree), "--output-subdir", FOLDER,
                   "--force-language", language or "en", "--exclude-selectors", FURNITURE, "--silent"]
    except (ImportError, FileNotFoundError) as e:
        raise SiteError(Diagnostic("config.toml", 0, f"cannot index the site for search: Pagefind is not "
                                   f"installed ({e}); install it with: pip install 'pagefind[bin]'")) from e
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not indexed(tree):
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SiteError(Diagnostic("config.toml", 0, "cannot index the site for search: Pagefind failed"
                                   + (f" ({said[-1]})" if said else "") + "; the previous output/ is kept"))

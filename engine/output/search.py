"""Site search: the Pagefind index of the posts' current text, made in the spare tree before it is swapped in.

Pagefind reads the built HTML and writes a static index (``pagefind/``) that
the search page queries in the reader's browser; nothing runs on a server.
Only the pages marked ``data-pagefind-body`` (a post's current text) are
indexed, so old versions, pages of what changed, listings and redirects are
never found.  The index is made after every page is written and before the
new tree replaces ``output/``: a failed index leaves the last good site, and
its index, in place.  ``pagefind/`` belongs to the index alone; the writer
leaves it out of the files it plans and compares.

Pagefind indexes the whole site each time, which at a thousand posts costs
more than rendering them.  So an index is kept in the build cache
(``.feuilleton-cache/search/``) under a key made of the fingerprints of
every page it reads, and a build whose indexed pages are all as they were
(nothing changed in a post, or a CI runner that restored the cache and
starts with no ``output/``) copies it instead of running Pagefind again.
"""
from __future__ import annotations

import importlib.metadata
import logging
import os
import secrets
import shutil
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import Diagnostic, SiteError
from ..site import urls as U

log = logging.getLogger(__name__)

FOLDER = U.SEARCH_INDEX.rstrip("/")
"""The index's folder at the root of the site: the search page loads ``pagefind/pagefind.js`` from it."""
FURNITURE = (".series-line, .post-dates, .status-banner, .update-label, .revised-label, .see-changes, "
             ".visually-hidden, .continuation, .post-tags, .forthcoming-mark, .note-gist, .note-link, "
             ".footnote-backref")
"""What a post's page says around its text (its place in the series, its dates, the labels of its notes):
left out of the index, so that a result's excerpt is the essay's own words."""
ENTRY = f"{FOLDER}/pagefind-entry.json"
"""Written last by every index: a site without it has no complete index."""


def executable() -> Path:
    """Pagefind's program: its extended build if installed (``feuilleton[cjk]``), which splits Chinese and
    Japanese text into words, else the plain one, which reads a run of them as one word."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        from pagefind_bin import get_executable
    return Path(get_executable())


def splits_words(languages: set[str], indexed_as: str) -> str | None:
    """Why search would find no word inside the text of these languages, or None: Chinese and Japanese
    are written without spaces, and only Pagefind's extended build splits them, and only in a site indexed
    in one of them (``indexed_as``, the search page's language: every page is indexed in it); Thai, Lao,
    Khmer and Burmese it splits in none."""
    def base(tag: str) -> str:
        return tag.split("-")[0].lower()
    written = [tag for tag in sorted(languages) if base(tag) in ("zh", "ja")]
    unsplit = [tag for tag in sorted(languages) if base(tag) in ("th", "lo", "km", "my")]
    runs = "search finds only whole runs of text between spaces"
    said = []
    if written and not _extended():
        said.append(f"{runs} in {', '.join(written)}, which is written without spaces between words: install "
                    "Pagefind's extended build, which splits it into words (pip install 'feuilleton[cjk]')")
    elif written and base(indexed_as) not in ("zh", "ja"):
        said.append(f"{runs} and punctuation in the posts in {', '.join(written)}: every page is indexed in the "
                    f"search page's language ({indexed_as}), and Pagefind splits Chinese and Japanese into words "
                    "only in a site in one of them")
    if unsplit:
        said.append(f"{runs} in {', '.join(unsplit)}, which is written without spaces between words, and which "
                    "Pagefind does not split into words")
    return "; and ".join(said) or None


def _extended() -> bool:
    """Whether Pagefind's extended build is installed (``feuilleton[cjk]``)."""
    try:
        import pagefind_bin_extended  # noqa: F401
    except ImportError:
        return False
    return True


def indexed(out: Path) -> bool:
    """Whether a built site holds a complete index."""
    return (out / ENTRY).is_file()


def index_site(tree: Path, language: str, kept: Path | None = None, key: str = "",
               pages: Sequence[str] | None = None) -> None:
    """Index the built site in ``tree`` into ``tree/pagefind/`` (a new folder: what was there goes first, so
    that nothing is written through a file shared with ``output/``).  Every page is indexed in ``language``,
    the search page's, so that one search finds posts written in any language.  With ``kept`` (a folder of
    the build cache) and the ``key`` of the pages indexed, an index kept there under the same key is copied
    instead, and a new one is kept there.  With ``pages`` (the paths of the pages it indexes), Pagefind reads
    a folder holding only those, linked, rather than the whole site: half the time and memory."""
    shutil.rmtree(tree / FOLDER, ignore_errors=True)
    if kept is not None and key and _copy_kept(kept, key, tree):
        return
    if pages is not None and not pages:  # no post is out yet: Pagefind would index every listing instead
        return
    try:
        command = [str(executable()), "--site", str(tree), "--output-subdir", FOLDER,
                   "--force-language", language or "en", "--exclude-selectors", FURNITURE, "--silent"]
    except (ImportError, FileNotFoundError) as e:
        raise SiteError(Diagnostic("config.toml", 0, f"cannot index the site for search: Pagefind is not "
                                   f"installed ({e}); install it with: pip install 'pagefind[bin]', or set "
                                   "search = false")) from e
    reading = _only(tree, pages) if pages is not None else None
    if reading is not None:
        command[2] = str(reading)
        command[3:5] = ["--output-path", str(tree / FOLDER)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        if reading is not None:
            shutil.rmtree(reading, ignore_errors=True)
    if done.returncode != 0 or not indexed(tree):
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SiteError(Diagnostic("config.toml", 0, "cannot index the site for search: Pagefind failed"
                                   + (f" ({said[-1]})" if said else "") + "; the previous output/ is kept"))
    if kept is not None and key:
        _keep(tree / FOLDER, kept, key)


def _only(tree: Path, pages: Sequence[str]) -> Path | None:
    """A folder beside ``tree`` holding the ``pages`` of it, at the same paths, as hard links (copies where a
    link cannot be made); None if there is no room for one, and Pagefind reads the whole site."""
    reading = tree.with_name(f"{tree.name}-search-{secrets.token_hex(6)}")
    try:
        for rel in pages:
            target = reading / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(tree / rel, target)
            except OSError:
                shutil.copyfile(tree / rel, target)
        return reading
    except OSError as e:
        log.debug("cannot gather the pages to index (%s)", e)
        shutil.rmtree(reading, ignore_errors=True)
        return None


def version() -> str:
    """Pagefind's version, part of every index's key: another Pagefind writes another index."""
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        return ""


_KEY = "key"


def _copy_kept(kept: Path, key: str, tree: Path) -> bool:
    """Copy the index kept under ``key`` into ``tree``; False (and nothing left in ``tree``) if there is none,
    or if it holds anything but folders and regular files, or cannot be copied whole."""
    try:
        if (kept / _KEY).read_text(encoding="ascii") != key or not indexed(kept):
            return False
        _copy_regular(kept / FOLDER, tree / FOLDER)
        return indexed(tree)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        log.debug("kept search index unusable (%s)", e)
        shutil.rmtree(tree / FOLDER, ignore_errors=True)
        return False


def _copy_regular(source: Path, target: Path) -> None:
    """Copy a tree of folders and regular files; a link, pipe or device anywhere is a ValueError."""
    os.mkdir(target)
    for entry in os.scandir(source):
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            _copy_regular(Path(entry.path), target / entry.name)
        elif stat.S_ISREG(mode):
            shutil.copyfile(entry.path, target / entry.name, follow_symlinks=False)
        else:
            raise ValueError(f"{entry.path} is not a regular file")


def _keep(index: Path, kept: Path, key: str) -> None:
    """Keep a copy of a new index under ``key``, replacing the one kept before; a copy that fails leaves
    no index kept (a later build only runs Pagefind again)."""
    fresh = kept.with_name(f".{kept.name}-{secrets.token_hex(8)}")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        fresh.mkdir()
        _copy_regular(index, fresh / FOLDER)
        (fresh / _KEY).write_text(key, encoding="ascii")
        shutil.rmtree(kept, ignore_errors=True)
        os.rename(fresh, kept)
    except (OSError, ValueError) as e:
        log.debug("cannot keep the search index (%s)", e)
        shutil.rmtree(fresh, ignore_errors=True)

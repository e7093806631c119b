"""A post's git history as its public versions: every commit that changed what the post says.

``gitlog`` reads the history and ``lines`` the line of commits each post's texts are read along (the
branch's first parents, a pull's second, a submodule's commits the site set), each post's file followed
through its renames, every text they gave it; a merge's note is what the commits it merged said.

Each committed text is converted as the reader converts the current one (Liquid, shortcodes, links), so a
commit that only touched the front matter or whitespace changes no words and is no version.  Version 1 is
the text as it stood when the post was published (its front-matter date; the first commit when that came
later); a text marked a draft is never a version; later commits are versions dated by their author date (by
their committer's when that is in the future), noted by their subject shown as written, and minor when they
change fewer words than ``--minor-below``.  Changes not yet committed are the newest version, dated when
the file was last saved, and the report says so: the file's text is what the site shows, so it must be
the last version, and the commit it lacks is named in its origin.
"""
from __future__ import annotations

import difflib
import functools
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import Diagnostic, SiteError
from ..source.textcheck import without_forbidden
from ..text.cutting import UNSPACED_RE, character_words
from ..text.markdown import prose_text, render
from .folder import Body, Convert, Files, decode, misread
from .gitlog import Commit, behind, blobs, refuse_shallow, relative, repository, submodules
from .lines import Line, Lines, named_then
from .lostfiles import with_lost_files
from .model import Asset, ImportedPost, ReadOptions, Revision, Skipped, Where
from .tidy import unclosed_html

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Tracked:
    """A post whose file may have a history, and how its reader converts any text of that file."""

    post: ImportedPost
    path: Path
    """The post's file now."""
    convert: Convert
    public_path: Callable[[str], bool] = lambda name: True
    """Whether the file, named so (from the repository's top), was on the public site (not ``_drafts/``)."""
    read_then: Callable[[str, bytes | None], bool] = lambda name, settings: True
    """Whether the old site read a file at this name (from the site's top), its settings file as a commit left
    it (None: it had none then): Jekyll never reads a folder named ``_notes`` or one ``exclude:`` names, Hugo
    reads ``content/`` alone.  A text anywhere else was never out."""
    as_then: Callable[[Path, str], ImportedPost | None] = lambda path, text: None
    """The post the old site made of the file at ``path`` with this text: its address (a rename or a new
    ``slug`` moves it), so that every address a published version had becomes an alias, and its date, from
    which that text could be read."""
    encoding: str = "utf-8"
    """What the old site read its files in (Jekyll's ``encoding``): the current text is read so, and a committed
    one when its commit's settings do not say (``encoding_then``)."""
    encoding_then: Callable[[bytes], str | None] = lambda settings: None
    """What a settings file, as a commit left it, says the site's files were read in then: each committed text is
    read in its own commit's (a site that re-saved its posts as UTF-8 and dropped Jekyll's ``encoding:`` read
    its older texts in the old one); None when that file cannot be read, and the current one is used."""
    files: Files | None = None
    """How the old site served files: one an earlier version links that the folder no longer holds is copied
    from that version's commit (None: from the folder alone)."""


@dataclass(frozen=True)
class _Text:
    commit: Commit
    body: Body
    public: bool
    address: str | None
    date: datetime | None = None
    """The date this text's own front matter (or file name) gave the post."""
    anew: bool = False
    """Whether its commit added the file again at a name where an older commit had deleted one."""
    misread: str = ""
    """When its bytes are UTF-8 beyond ASCII but were read in another encoding, as its commit's settings said:
    a word of it as written and as read (“Café”, read in iso8859-1 as “CafÃ©”)."""


def add_history(folder: Path, tracked: list[Tracked], options: ReadOptions
                ) -> tuple[list[ImportedPost], list[Skipped]]:
    """The posts with their histories (where git has any); what the report should say about them."""
    posts = [t.post for t in tracked]
    if options.history is False:
        return posts, []
    top = repository(folder)
    if top is None:
        if options.history:
            raise SiteError(Diagnostic(str(folder), 0, "--history: this folder is not in a git repository, "
                                       "so it has no history to import (leave out --history)"))
        return posts, []
    unclosed = [error for t in tracked if t.post.source_id not in options.imported  # the writer would stop at them
                for error in unclosed_html(t.post)]
    if unclosed:  # so said now, not after a walk of the whole history
        raise SiteError([*unclosed, Diagnostic(str(folder), 0, "nothing was written: the import stops at what is "
                                               "said above, before reading the history in git")])
    refuse_shallow(top, folder)
    inner, missing = submodules(top)  # posts kept in a repository of their own, which the site's sets by commit
    source = folder.resolve()  # a report line names a file from the folder imported, as the others do
    stale = [Diagnostic(relative(path, source), 0, f"a git submodule checked out at {head[:12]}, not at the "
                        f"{pinned[:12]} the site sets (a `git pull` leaves it so): its files are not the texts the "
                        "site published. Run `git submodule update` in the source and import again; nothing was "
                        "written") for path, head, pinned in behind(inner) if path.is_relative_to(source)]
    if stale:
        raise SiteError(stale)
    notes = [Skipped(Where(relative(path, source)), f"submodule {relative(path, source)}", "a git submodule that is "
                     "not checked out, so whatever it holds is not here: run `git submodule update --init` in the "
                     "source and import again") for path in missing if path.resolve().is_relative_to(source)]
    places = {id(t): next((repo for repo in inner if t.path.resolve().is_relative_to(repo)), None) for t in tracked
              if _recordable(t.post)}
    lines = Lines(folder, top)
    pinned: dict[Path, Callable[[str], Line]] = {}
    for repo in dict.fromkeys(places.values()):
        if repo is not None:
            refuse_shallow(repo, repo)
            pinned[repo] = lines.pinned(repo, notes)
    found = {id(t): lines.own(relative(t.path, top), notes) if places[id(t)] is None else
             pinned[places[id(t)]](relative(t.path, top)) for t in tracked if id(t) in places}
    found = _reencoded(top, tracked, found)
    read, merged = _committed(top, list(found.values()))
    done: list[ImportedPost] = []
    now = datetime.now(timezone.utc).replace(microsecond=0)  # as the commands that record later read the clock
    claimed: dict[str, Asset] = {}  # the files old versions link, copied from commits, by their address in static/
    for item in tracked:
        line = found.get(id(item))
        if line is None or not line.followed:
            done.append(item.post)
            continue
        within = _in_site(folder, top, line.settings, item.read_then, read)
        texts = _texts(item, list(line.followed), read, top, notes, merged, within, _read_in(item, read, line.settings))
        _report_begun_anew(item, line, top, within, notes)
        post = _with_history(item, texts, options, notes, now)
        repo = line.repository(top, line.followed[-1][0].id)  # where the newest text's files are
        done.append(with_lost_files(item.files, post, repo, notes, claimed) if item.files else post)
    return done, notes


def _reencoded(top: Path, tracked: list[Tracked], lines: dict[int, Line]) -> dict[int, Line]:
    """Each post's line, its trail with the commits that changed only the site's settings where they changed the
    encoding the post's file was read in: what readers read changed, though the file did not (a latin-1 site
    whose posts were re-saved as UTF-8 one day, and ``encoding:`` taken out the next)."""
    own = [(item, line) for item in tracked if (line := lines.get(id(item))) and line.inner is None]
    settings = blobs(top, [(c.id, name) for _, line in own for c in line.configured if (name := line.settings(c))])
    changed: dict[tuple[int, object, str], list[Commit]] = {}  # the same for every post of a line
    found = dict(lines)
    for item, line in own:
        key = (id(line.configured), item.encoding_then, item.encoding)
        if key not in changed:
            encoding = _read_in(item, settings, line.settings)
            changed[key] = [c for c, before in zip(line.configured, line.configured[1:])
                            if encoding(c) != encoding(before)]
        if not changed[key]:
            continue
        named = named_then(line.commits, line.followed)
        touched = {c.id for c, _ in line.followed}
        extra = [(c, name) for c in changed[key] if c.id not in touched and (name := named(c)) is not None]
        if extra:
            order = {c.id: index for index, c in enumerate(line.commits)}
            followed = sorted((*line.followed, *extra), key=lambda entry: -order[entry[0].id])
            found[id(item)] = replace(line, followed=tuple(followed))
    return found


def _recordable(post: ImportedPost) -> bool:
    return not post.draft and post.layout == "post"


def _committed(top: Path, lines: list[Line]) -> tuple[dict[tuple[str, str], bytes], dict[tuple[Commit, str], str]]:
    """Every text the posts' trails gave them, and the site's settings file as each of those commits left it (for
    the encoding it names), by commit and name, read in one go for each repository; and what each merge, or each
    commit of a submodule the site set, brought to the file (``gitlog.merged_subjects``)."""
    read: dict[tuple[str, str], bytes] = {}
    merged: dict[tuple[Commit, str], str] = {}
    for where in dict.fromkeys((line.inner, line.pinned) for line in lines):  # the commits each repository holds
        mine = [line for line in lines if (line.inner, line.pinned) == where]
        wanted = [(c.id, name) for line in mine for c, name in line.followed]
        wanted += [(c.id, then) for line in mine for c, _ in line.followed if (then := line.settings(c))]
        read.update(mine[0].read(top, wanted))
        merged.update({(c, name): line.subjects(top, c, name) for line in mine for c, name in line.followed
                       if len(c.parents) > 1 or (c.id in line.pinned and c.parents)})
    return read, merged


def _in_site(folder: Path, top: Path, settings: Callable[[Commit], str | None],
             read_then: Callable[[str, bytes | None], bool],
             blobs: dict[tuple[str, str], bytes]) -> Callable[[Commit, str], bool]:
    """Whether a file, as a commit left it at a name, lay in the site as the site then stood: under the folder
    its settings file was in then (a blog moved into ``blog/`` lay at the top before), else under the folder
    imported; and where the site, as those settings said, read its files (``Tracked.read_then``: not in a
    folder Jekyll skips).  A draft moved in from a private folder of the repository was never on the site.
    ``blobs`` holds the settings file as each commit of a post's trail left it."""
    now = relative(folder, top)

    def within(commit: Commit, name: str) -> bool:
        placed = settings(commit)
        root = now if placed is None else placed.rpartition("/")[0]
        if root and not name.startswith(root + "/"):
            return False
        return read_then(name.removeprefix(root + "/") if root else name,
                         blobs.get((commit.id, placed)) if placed else None)
    return within


def _report_begun_anew(item: Tracked, line: Line, top: Path, within: Callable[[Commit, str], bool],
                       notes: list[Skipped]) -> None:
    """Report a post whose history begins with a commit that added its file and deleted another post: one renamed
    in the commit that rewrites most of it is no rename to git, so the texts it had under its old name are no
    versions of it and its old address no alias.  Whether it is the same post only the author can tell."""
    commit, name = line.followed[0]
    if not commit.parents or not any(status == "A" and new == name for status, _, new in commit.changes):
        return
    gone = [old for status, old, _ in commit.changes if status == "D" and within(commit, old)]
    found = line.read(top, [(commit.parents[0], old) for old in gone])
    posts = [(old, then) for old in gone if (raw := found.get((commit.parents[0], old))) is not None
             and (then := _then(item, top / old, raw.decode(item.encoding, "replace"))) is not None
             and not then.draft and then.aliases]
    if not posts:
        return
    named = "; ".join(f"{old} (“{then.title}”, at {then.aliases[0]})" for old, then in posts[:3])
    more = f" and {len(posts) - 3} more" if len(posts) > 3 else ""
    notes.append(Skipped(item.post.where, f"history before commit {commit.id[:12]}", f"that commit added this file "
                         f"and deleted {named}{more}; if one was this post before it was renamed and rewritten at "
                         "once, which git does not take for a rename, its texts before are not brought as versions, "
                         "nor its old address as an alias: to keep the address, add it to the imported post's "
                         "`aliases`"))


def _read_in(item: Tracked, blobs: dict[tuple[str, str], bytes],
             settings: Callable[[Commit], str | None]) -> Callable[[Commit], str]:
    """The encoding a commit's text is read in: the one the site's settings file, as that commit left it, named
    (``Tracked.encoding_then``); the current one where it said none that can be read."""
    def encoding(commit: Commit) -> str:
        name = settings(commit)
        raw = blobs.get((commit.id, name)) if name else None
        return (item.encoding_then(raw) if raw is not None else None) or item.encoding
    return encoding


_LEFT = "the text this commit left"
"""What a report line names after ``file @ commit``: one line for each such text, or one for many alike."""


def _texts(item: Tracked, trail: list[tuple[Commit, str]], blobs: dict[tuple[str, str], bytes], top: Path,
           notes: list[Skipped], merged: dict[tuple[Commit, str], str],
           within: Callable[[Commit, str], bool], encoding: Callable[[Commit], str]) -> list[_Text]:
    """Each committed text read in the encoding its commit's settings named (``encoding``) and converted,
    oldest first; one that cannot be read, or that lay outside the site (``within``), is left out and
    reported.  A merge's subject is what it merged (``merged``)."""
    texts: list[_Text] = []
    for commit, name in trail:
        raw = blobs.get((commit.id, name))
        if raw is None:
            continue
        if not within(commit, name):
            notes.append(Skipped(Where(f"{name} @ {commit.id[:12]}"), _LEFT,
                                 "lay outside the site then, where no reader read it; not a version"))
            continue
        read_in = encoding(commit)
        try:
            text = decode(raw, name, read_in)
            body = item.convert(text)
        except SiteError as e:  # what the file is, not the advice for a file now: "is not UTF-8 text"
            why = e.diagnostics[0].message.split(": ", 1)[0]
            notes.append(Skipped(Where(f"{name} @ {commit.id[:12]}"), _LEFT,
                                 f"cannot be read as a post ({why}); not a version"))
            continue
        public = body.public and item.public_path(name)
        if (commit, name) in merged:
            commit = replace(commit, subject=merged[commit, name] or commit.subject)
        then = _then(item, top / name, text) if public else None
        anew = bool(texts) and any(status == "A" and new == name for status, _, new in commit.changes)
        texts.append(_Text(commit, body, public, then.aliases[0] if then and then.aliases else None,
                           then.date if then else None, anew, _misread(raw, read_in)))
    return texts


def _misread(raw: bytes, encoding: str) -> str:
    """``_Text.misread`` of a text's bytes read in ``encoding``."""
    sample = misread(raw, encoding)
    return f"“{sample[0]}”, read in {encoding} as “{sample[1]}”" if sample else ""


def _then(item: Tracked, path: Path, text: str) -> ImportedPost | None:
    try:
        return item.as_then(path, text)
    except SiteError:
        return None


def tokens(markdown: str) -> list[str]:
    """A text as the site will hold it, cut at its spaces (without the characters the import takes out): two
    texts alike but for their whitespace are one version."""
    return without_forbidden(markdown)[0].split()


@functools.lru_cache(maxsize=8)
def words(markdown: str) -> tuple[str, ...]:
    """The words a reader reads in a text as the site will show it, without Markdown's marks (```` ```bash ````
    made ```` ```sh ````, a language given to a code block that had none, ``###`` made ``##``: no word
    changed), its footnotes among them; each character of Chinese, Japanese, Thai and the other scripts
    written without spaces a word, as the site's pages of what changed count them.  Each text is counted
    against the one before it and the one after it: the last few are kept."""
    prose = prose_text(render(without_forbidden(markdown)[0]), notes=True)
    return tuple(piece for word in prose.split() for piece in character_words(word)) if UNSPACED_RE.search(prose) \
        else tuple(prose.split())


def changed_words(old: str, new: str) -> int:
    """How many words a change replaced, added or removed."""
    matcher = difflib.SequenceMatcher(None, words(old), words(new), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _with_history(item: Tracked, texts: list[_Text], options: ReadOptions, notes: list[Skipped],
                  now: datetime) -> ImportedPost:
    post = item.post
    kept = _distinct(texts)
    public = [i for i, t in enumerate(kept) if t.public]  # a text marked a draft was never public: no version
    if not public:
        return post
    published = post.date or kept[public[0]].commit.date
    first = _first(kept, public, published)
    _report_read_before(item, kept, [i for i in public if i < first], first, published, notes)
    every = texts[texts.index(kept[first]):]
    kept = _distinct([kept[first]] + [t for t in kept[first + 1:] if t.public])  # a draft while down: no version
    moved = tuple(t.address for t in every if t.address and t.public)
    _report_misread(item, kept, notes)
    revisions = [Revision(kept[0].body.markdown, published, "", f"git {kept[0].commit.id}", title=kept[0].body.title,
                          summary=kept[0].body.summary)]
    for before, text in zip(kept, kept[1:]):
        moment = _dated(item, text.commit, revisions[-1].date, now, notes)
        revisions.append(Revision(text.body.markdown, moment, note_text(text.commit.subject) or "Revised",
                                  f"git {text.commit.id}",
                                  minor=changed_words(before.body.markdown, text.body.markdown) < options.minor_below,
                                  title=text.body.title, summary=text.body.summary))
    last = revisions[-1]
    if tokens(post.markdown) == tokens(last.markdown) or (
            last.title in ("", post.title) and _unanchored(post.markdown) == _unanchored(last.markdown)):
        revisions[-1] = replace(revisions[-1], markdown=post.markdown)  # what readers read, as the post holds it
    else:
        revisions.append(_uncommitted(item, revisions[-1], options, notes))
    assets: dict[str, Asset] = {a.target: a for t in kept for a in t.body.assets}
    assets.update({a.target: a for a in post.assets})
    # one commit is one version: recorded, version 1 keeps the text readers read, whatever the author edits next
    return replace(post, date=published, history=tuple(revisions),
                   assets=tuple(assets.values()), aliases=tuple(dict.fromkeys((*post.aliases, *moved))))


def _distinct(texts: list[_Text]) -> list[_Text]:
    """The texts that change what readers read, each against the one kept before it (its words read once): what
    the post says, its title, or whether it was out (a commit that only publishes a draft is the text readers
    first read)."""
    kept: list[_Text] = []
    last: tuple[list[str], str, bool] | None = None
    for text in texts:
        said = (tokens(text.body.markdown), text.body.title, text.public)
        if said != last and not (last is not None and said[1:] == last[1:] and
                                 _unanchored(kept[-1].body.markdown) == _unanchored(text.body.markdown)):
            kept.append(text)
        last = said
    return kept


_ANCHOR = re.compile(r"""<a\s+(?:name|id)=["'][^"'<>]*["']\s*/?>\s*(?:</a>)?""", re.IGNORECASE)
"""An empty anchor (``<a name="x"></a>``), which a reader never sees: a commit that only adds one (for a
link to a section) changes nothing they read."""


@functools.lru_cache(maxsize=8)
def _unanchored(markdown: str) -> tuple[str, ...]:
    """The text as its page shows it, without its empty anchors, cut at its spaces (each text is compared with
    the one before and the one after it: the last few are kept)."""
    return tuple(_ANCHOR.sub("", str(render(without_forbidden(markdown)[0]))).split())


def _report_read_before(item: Tracked, kept: list[_Text], before: list[int], first: int, published: datetime,
                        notes: list[Skipped]) -> None:
    """Report the texts before version 1 that readers may have read: each was dated (by its own front matter)
    before the next commit replaced it, as when a post's date was moved later to put it back on top.  They
    are left out (the date the post has now says it came out later, and a wrong year in a date, mended later,
    looks the same), and the report says how to keep them; but those of an essay deleted, under another title,
    before this one was added at its file name are another post's, and the report says so."""
    read = [i for i in before if kept[i].date is not None and kept[i].date < kept[i + 1].commit.date]
    gone = [i for i in read if any(t.anew for t in kept[i + 1:first + 1]) and kept[i].body.title
            != kept[first].body.title]  # the texts of an essay deleted, and another added at its name later
    if gone:
        titles = ", ".join(f"“{title}”" for title in dict.fromkeys(kept[i].body.title for i in gone))
        notes.append(Skipped(item.post.where, f"{len(gone)} earlier text{'s' if len(gone) > 1 else ''}",
                             f"of another post at this file name ({titles}), deleted before this one was added: "
                             "not versions of this one", kept=False))
        read = [i for i in read if i not in gone]
    if read:
        since = min(kept[i].date for i in read if kept[i].date is not None)
        notes.append(Skipped(item.post.where, f"{len(read)} earlier text{'s' if len(read) > 1 else ''}",
                             f"dated {since:%Y-%m-%d}, before the date the post has now ({published:%Y-%m-%d}), "
                             "and committed before it; if the post was out then, set its date to when it came out "
                             "in the source and import again, and those texts become its first versions",
                             kept=False))


def _report_misread(item: Tracked, kept: list[_Text], notes: list[Skipped]) -> None:
    """Report the versions whose texts are UTF-8 but were read in the encoding the site's settings named then, as
    the old site read them: kept so, for that may be what its pages showed, but the author should know."""
    found = [text for text in kept if text.misread]
    if found:
        many = len(found) > 1
        commits = ", ".join(text.commit.id[:12] for text in found)
        notes.append(Skipped(item.post.where, f"{len(found)} version{'s' if many else ''} in UTF-8",
                             f"read as the site's settings said then, as the old site read {'them' if many else 'it'}"
                             f" ({found[0].misread}; commit{'s' if many else ''} {commits})", kept=True))


def _first(kept: list[_Text], public: list[int], published: datetime) -> int:
    """Which text readers read when the post came out: the last written by then (its author date) that was on
    the branch by then (its committer date): an edit written before but rebased onto the branch after is no
    text they read.  Where no commit was on the branch by then, as after a history rewritten whole (which
    gives every commit a new committer date), the author dates alone tell."""
    written = [i for i in public if kept[i].commit.date <= published]
    landed = [i for i in written if kept[i].commit.committed <= published]
    return max(landed or written, default=public[0])


def _dated(item: Tracked, commit: Commit, before: datetime, now: datetime, notes: list[Skipped]) -> datetime:
    """A version's date: its commit's author date, unless that lies in the future (a wrong clock), where the
    version would stand after every one recorded until then, or before the version before it (a commit
    rebased, or picked from another branch); then its committer date, kept between the two.  The report
    says so."""
    if before <= commit.date <= now:
        return commit.date
    dated = min(max(commit.committed, before), now)
    why = "is in the future" if commit.date > now else "comes before the version before it"
    notes.append(Skipped(item.post.where, f"commit {commit.id[:12]}", f"its author date, {commit.date:%Y-%m-%d %H:%M}, "
                         f"{why}; the version is dated {dated:%Y-%m-%d %H:%M %z}"
                         f"{', when it was committed' if dated == commit.committed else ''}", kept=True))
    return dated


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>&~|])")
_BLOCK_START = re.compile(r"[#>+=-]|\d+[.)]")
"""What makes a line a heading, a quote, a list item or a setext underline when it opens it."""


def note_text(subject: str) -> str:
    """A commit subject, which is plain text, as the Markdown of a note that shows it as written: ``<details>``
    is no tag, ``# 42`` no heading, ``*args`` no emphasis."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", subject.strip())
    start = _BLOCK_START.match(escaped)
    if start is None:
        return escaped
    return escaped[:start.end() - 1] + "\\" + escaped[start.end() - 1:]


def _uncommitted(item: Tracked, last: Revision, options: ReadOptions, notes: list[Skipped]) -> Revision:
    """The working tree's text, which no commit holds, as the newest version, dated when it was saved."""
    saved = datetime.fromtimestamp(item.path.stat().st_mtime, timezone.utc)
    notes.append(Skipped(item.post.where, "uncommitted changes", "the file differs from its last commit: its text "
                         f"is the newest version, dated when the file was saved ({saved:%Y-%m-%d %H:%M} UTC)",
                         kept=True))
    return Revision(item.post.markdown, max(saved, last.date), "Changes not committed to git before the import",
                    "git working tree (uncommitted)",
                    minor=changed_words(last.markdown, item.post.markdown) < options.minor_below)

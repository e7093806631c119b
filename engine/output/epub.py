"""A series as an EPUB 3 book (ebooklib), the same bytes from the same series.

The book holds a title page (the series, its author, its description, the moment its text is as of), the
contents, each published part as a chapter (its version, its revision notes newest first, its essay) and
the author's bio.  The theme's ``_epub_*.html`` templates write the chapters, in the book's language: the one
its parts are written in (``BookView.language``), the series' name and the bio marked as the site's.
A book must stand alone: links are made absolute (a link to another part of the book leads to its
chapter), the site's own images go into the book (``BookImages``), and whatever else would load from
the web (an image from elsewhere, a video, a frame) becomes a link to it, since a reading system does not
fetch it.  Nothing depends on the clock: the modification date is the book's as-of date, and every file
in the archive carries that date too.
"""
from __future__ import annotations

import io
import re
import logging
import zipfile
from collections.abc import Iterator, Mapping
from datetime import timezone
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import jinja2
import lxml.html
from ebooklib import epub

from ..locale import direction
from ..model.packed import text_digest
from ..site.book import BookView
from ..site.images import sources
from ..site.urls import ids_of
from ..site.maker import SiteView
from ..text.fragment import Fragment
from .render import Page, render_page

log = logging.getLogger(__name__)

_UPRIGHT = ("ar", "fa", "ur", "he", "yi", "zh", "ja", "ko")
"""Languages whose scripts have no italic of their own (a reading system would slant their letters)."""
_STYLE = """\
body { font-family: serif; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0.5em 0; }
.part-number, .stamp, .note-when, .as-of, .by, .online { font-family: sans-serif; font-size: 0.85em; }
.notes { margin: 1em 0 1.5em; padding-left: 0.8em; border-left: 3px solid #b58a2a; }
[dir="rtl"] .notes { padding-left: 0; border-left: 0; padding-right: 0.8em; border-right: 3px solid #b58a2a; }
blockquote { margin: 1em 1.5em; }
.external, .continuation { font-style: italic; }
""" + ", ".join(f":lang({tag})" for tag in _UPRIGHT) + """ { font-style: normal; }
""" + ", ".join(f":lang({tag}) {name}" for tag in _UPRIGHT for name in ("em", "i", "cite")) + """ { font-weight: bold; }
"""
"""The book's stylesheet.  Scripts with no italic of their own (Arabic, Hebrew, Chinese, Japanese, Korean) are
set upright, their emphasis in bold: a slanted copy of their letters is no italic.  A right-to-left chapter
has its notes' rule on its right."""
_LEVEL = 4
"""Deflate's level for the book's files: at zlib's default (6) compressing them took a quarter of a
book's time; level 4 takes half as long for files 1.5–4.5% larger (measured on the example site's book
and on 300 pages of the bench)."""
_MEDIA = ("img", "iframe", "video", "audio", "embed", "object", "picture", "svg", "math")
"""Elements a book cannot show from the web: each becomes a link to what it shows (an image of the site's own,
alone or as a ``<picture>``'s, goes into the book instead)."""
CHAPTERS = ("_epub_title.html", "_epub_part.html", "_epub_about.html")
"""The theme's templates of a book's chapters: the title page, each part's, the author's page."""
_KINDS = ((b"\x89PNG\r\n\x1a\n", "image/png", ".png"), (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
          (b"GIF87a", "image/gif", ".gif"), (b"GIF89a", "image/gif", ".gif"))
"""The raster images every EPUB 3 reading system shows, by their first bytes (a file's name may lie)."""
_ACCESS = (("accessModeSufficient", "textual"), ("accessibilityFeature", "structuralNavigation"),
           ("accessibilityFeature", "tableOfContents"), ("accessibilityFeature", "readingOrder"),
           ("accessibilityHazard", "none"))
"""The book's accessibility metadata (schema.org, as EPUB Accessibility 1.1 asks), beside its ``accessMode``s:
no claim of conformance, which only a person's review can make, and no summary, which would be English in
a book of any language."""
_KEPT = ("src", "alt", "title", "width", "height")
"""What an image in the book keeps of its tag: ``srcset`` would lead to the web, ``loading`` is no EPUB's."""


class BookImages:
    """The site's files that a book holds when a text shows them as images: PNG, JPEG, GIF and SVG (the
    image types of EPUB 3's core, which every reading system shows), found by their address online.  An
    image of another type (WebP, AVIF) or from elsewhere stays a link."""

    def __init__(self, files: Mapping[str, bytes], base_url: str, own_chapters: bool = False):
        """``files``: every file published from ``static/`` and the theme, by site path; ``own_chapters``:
        whether the site writes a book's chapters with templates of its own, which may show any image."""
        self.files, self.base_url, self.own_chapters = files, base_url, own_chapters
        self._known: dict[str, tuple[str, str, bytes] | None] = {}
        """Site path → what ``find`` says of it: a photo shown in every part is digested once."""

    def find(self, address: str) -> tuple[str, str, bytes] | None:
        """The name in the book, media type and bytes of the image at an absolute address, if a book holds it."""
        if not address.startswith(self.base_url):
            return None
        return self._held(unquote(urlsplit(address[len(self.base_url):]).path))

    def _held(self, path: str) -> tuple[str, str, bytes] | None:
        if path not in self._known:
            data = self.files.get(path)
            kind = None if data is None else next(
                ((media, ext) for magic, media, ext in _KINDS if data.startswith(magic)), None)
            if data is not None and kind is None and path.lower().endswith(".svg") and data.lstrip()[:1] == b"<":
                kind = ("image/svg+xml", ".svg")
            self._known[path] = None if kind is None or data is None else (
                f"images/{text_digest(data).hex()[:20]}{kind[1]}", kind[0], data)
        return self._known[path]

    def shown(self, book: BookView, site: SiteView) -> list[str]:
        """The names in the book of the images it may show, for the book's fingerprint (each name is its
        bytes' digest): those of its texts (the essays, their notes, the series' description and the
        author's bio, which the theme's chapters show), or every image a book could hold when the site's
        own templates write the chapters."""
        if self.own_chapters:
            return sorted({found[0] for path in self.files if (found := self._held(path)) is not None})
        found = set()
        for fragment, base in _texts(book, site):
            if fragment.images:
                for src in sources(str(fragment)):
                    image = self.find(urljoin(base, src))
                    if image is not None:
                        found.add(image[0])
        return sorted(found)


def _texts(book: BookView, site: SiteView) -> Iterator[tuple[Fragment, str]]:
    """Each text a book shows, with the address its links are read from."""
    yield site.bio, book.series.abs_url
    yield book.series.description, book.series.abs_url
    for part in book.parts:
        yield part.post.html, part.post.abs_url
        yield from ((note.html, part.post.abs_url) for note in part.post.notes)


def book_bytes(env: jinja2.Environment, book: BookView, site: SiteView, site_dir: Path,
               images: BookImages) -> bytes:
    """The EPUB of one series."""
    held: dict[str, tuple[str, bytes]] = {}
    chapters = {part.post.abs_url: f"part-{part.post.part}.xhtml" for part in book.parts}
    made = epub.EpubBook()
    made.set_identifier(book.series.abs_url)
    made.set_title(book.series.title)
    made.set_language(book.language)
    if direction(book.language) == "rtl":  # pages turn right to left, as a printed Arabic book's do
        made.set_direction("rtl")
    made.add_author(site.author)
    made.add_metadata("DC", "date", book.as_of.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    made.add_metadata("DC", "publisher", site.title)
    style = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css", content=_STYLE)
    made.add_item(style)
    context = {"site": site, "book": book, "series": book.series, "chapter_language": book.language}
    title = _chapter(env, site_dir, "title.xhtml", book.series.title, CHAPTERS[0], context, book.language,
                     book.series.abs_url, chapters, images, held)
    parts = [_chapter(env, site_dir, chapters[part.post.abs_url], part.post.title, CHAPTERS[1],
                      {**context, "part": part, "post": part.post}, part.post.language or book.language,
                      part.post.abs_url, chapters, images, held) for part in book.parts]
    about = _chapter(env, site_dir, "about.xhtml", site.author, CHAPTERS[2], context, book.language,
                     book.series.abs_url, chapters, images, held)
    _sections_found((title, *parts, about))
    for chapter in (title, *parts, about):
        chapter.add_item(style)
        made.add_item(chapter)
    modes = (("accessMode", "textual"),) + ((("accessMode", "visual"),) if held else ())
    for key, value in (*modes, *_ACCESS):  # what a reading system tells a reader before opening the book
        made.add_metadata(None, "meta", value, {"property": f"schema:{key}"})
    for name, (kind, data) in sorted(held.items()):
        uid = "image-" + name.removeprefix("images/").rpartition(".")[0]
        made.add_item(epub.EpubImage(uid=uid, file_name=name, media_type=kind, content=data))
    made.toc = [epub.Link(title.file_name, title.title, "title"),
                *(epub.Link(c.file_name, c.title, c.id) for c in parts),
                epub.Link(about.file_name, about.title, "about")]
    made.add_item(epub.EpubNcx())
    made.add_item(epub.EpubNav(uid="nav", direction="rtl" if direction(book.language) == "rtl" else None))
    made.spine = [title, "nav", *parts, about]
    buffer = io.BytesIO()
    moment = book.as_of.astimezone(timezone.utc)
    # no page list: it is made by parsing every chapter again for page-break marks, which no theme
    # template writes (it took an eighth of a book's time)
    writer = _Writer(buffer, made, {"mtime": moment, "raise_exceptions": True, "epub3_pages": False})
    writer.foreign = {chapter.file_name: chapter.lang for chapter in parts if chapter.lang != book.language}
    writer.process()
    writer.write_dated(moment.timetuple()[:6])
    return buffer.getvalue()


_INSIDE = re.compile(r'href="([\w.-]+\.xhtml)?#(?!fn-|fnref-)([^"]+)"')
"""A link to a section of a chapter; not a footnote's, which the Markdown that made both always matches."""


def _sections_found(chapters: tuple[epub.EpubHtml, ...]) -> None:
    """A link to a section that no chapter has (a heading renamed since the link was written, an id mistyped,
    which ``check`` warns of) leads to its chapter alone: a reading system cannot follow it, and epubcheck
    refuses the book."""
    by_name = {chapter.file_name: chapter for chapter in chapters}
    ids: dict[str, set[str]] = {}
    for chapter in chapters:
        if _INSIDE.search(chapter.content) is None:
            continue

        def found(m: re.Match[str], chapter: epub.EpubHtml = chapter) -> str:
            name = m.group(1) or chapter.file_name
            if name not in by_name:
                return m.group(0)
            if name not in ids:
                ids[name] = ids_of(by_name[name].content)
            return m.group(0) if unquote(unescape(m.group(2))) in ids[name] else f'href="{name}"'
        chapter.content = _INSIDE.sub(found, chapter.content)


def _chapter(env: jinja2.Environment, site_dir: Path, name: str, title: str, template: str,
             context: dict[str, Any], language: str, base: str, chapters: dict[str, str], images: BookImages,
             held: dict[str, tuple[str, bytes]]) -> epub.EpubHtml:
    """One XHTML file of the book from a theme template, its links made to work inside the book; the
    site's images it shows are added to ``held`` (name in the book → media type, bytes)."""
    html = render_page(env, Page(name, template, context, "the EPUB of " + context["series"].slug), site_dir)
    chapter = epub.EpubHtml(uid=name.removesuffix(".xhtml"), file_name=name, title=title, lang=language,
                            direction="rtl" if direction(language) == "rtl" else None)
    chapter.content = _standalone(html.decode("utf-8"), base, chapters, images, held)
    return chapter


def _standalone(html: str, base: str, chapters: dict[str, str], images: BookImages,
                held: dict[str, tuple[str, bytes]]) -> str:
    """The chapter's HTML with every link absolute (or, to another part of the book, to its chapter), the
    site's own images shown from the book, and whatever else would load from the web replaced by a link
    to it."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter(*_MEDIA)):
        if element.getparent() is None or any(a.tag in _MEDIA for a in element.iterancestors()):
            continue
        image = _held(element, base, images, held)
        if image is not None:
            image.tail = element.tail
            element.getparent().replace(element, image)
            continue
        source = element.get("src") or element.get("data") or next(
            (s.get("src") or s.get("srcset", "").split(" ")[0] for s in element.iter("source", "img") if s is not element), "")
        link = lxml.html.Element("a", {"class": "external"})
        link.text = element.get("alt") or element.get("title") or element.get("aria-label") or source or element.tag
        if source:
            link.set("href", source)
        link.tail = element.tail
        element.getparent().replace(element, link)
    for element in root.iter("script", "style", "link", "form", "input", "button"):
        element.drop_tree() if element.getparent() is not None else None
    taken = set(root.xpath("//@id"))
    for element in root.iter("a"):  # an anchor named the old way, which a browser follows: an id in a book
        name = element.get("name")
        if name and element.get("id") is None and name not in taken:
            element.set("id", name)
            del element.attrib["name"]
            taken.add(name)
    for element in root.iter():
        href = element.get("href")
        if href is not None and not href.startswith("#"):
            target = urljoin(base, href)
            page, fragment = urldefrag(target)
            inside = chapters.get(page) if page != base else None  # this part's own address: online
            element.set("href", f"{inside}#{fragment}" if inside and fragment else inside or target)
    return lxml.html.tostring(root, encoding="unicode")


def _held(element: lxml.html.HtmlElement, base: str, images: BookImages,
          held: dict[str, tuple[str, bytes]]) -> lxml.html.HtmlElement | None:
    """An ``<img>`` showing the image from the book, for an image (or a picture whose own image is) of the
    site's that a book can hold; None for anything else."""
    shown = element if element.tag == "img" else next(element.iter("img"), None) if element.tag == "picture" else None
    found = images.find(urljoin(base, shown.get("src", ""))) if shown is not None and shown.get("src") else None
    if found is None:
        return None
    name, kind, data = found
    held[name] = (kind, data)
    kept = {key: shown.get(key) for key in _KEPT if shown.get(key) is not None
            and (key not in ("width", "height") or shown.get(key).isdigit())}  # XHTML's are whole pixels
    return lxml.html.Element("img", {**kept, "src": name, "alt": kept.get("alt", "")})


class _Writer(epub.EpubWriter):
    """ebooklib's writer, into an archive whose entries are all dated alike (``_DatedZip``): written once,
    where the clock's dates would have to be put right in a second archive; its contents mark the title of a
    part written in another language than the book's (``foreign``: chapter file → language), as its chapter
    is marked."""

    foreign: dict[str, str] = {}

    def _get_nav(self, item: epub.EpubNav) -> bytes:
        nav = super()._get_nav(item)
        for name, language in self.foreign.items():
            shown = f' dir="{direction(language)}"' if direction(language) != direction(self.book.language) else ""
            nav = nav.replace(f'<a href="{name}">'.encode(),
                              f'<a href="{name}" lang="{language}" xml:lang="{language}"{shown}>'.encode(), 1)
        return nav

    def write_dated(self, moment: tuple[int, ...]) -> None:
        """What ``EpubWriter.write`` does, in that order, into a ``_DatedZip``."""
        self.out = _DatedZip(self.file_name, moment)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _DatedZip(zipfile.ZipFile):
    """A zip whose every entry is dated ``moment`` (zipfile dates an entry by the clock) and readable by
    all; ``mimetype``, which EPUB wants first, is stored."""

    def __init__(self, file: io.BytesIO, moment: tuple[int, ...]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL)
        self.moment = max(moment, (1980, 1, 1, 0, 0, 0))  # the earliest date a zip entry can hold

    def writestr(self, name: str | zipfile.ZipInfo, data: str | bytes, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=self.moment)
            name.compress_type = zipfile.ZIP_STORED if name.filename == "mimetype" else zipfile.ZIP_DEFLATED
            name.external_attr = 0o644 << 16
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel or _LEVEL)

"""Substack's own components in a post's HTML → plain HTML the converter can read, and a word on each.

Substack keeps some of what an author wrote only in a component's ``data-attrs`` (JSON), the element itself
empty: a mention's name, an equation's TeX, an embedded tweet's text, a gallery's images.  Converted as they
stand, they would vanish without a trace, so each becomes the text it stands for here.  Its furniture goes: the buttons
drawn over every image, the subscribe form, the Share and Subscribe buttons, and the JSON it leaves on
every element.  Anything else that holds nothing but its ``data-attrs`` is named in the report: it cannot
come along, and the author should know where it was.
"""
from __future__ import annotations

import json
import logging
import re

from bs4 import BeautifulSoup, NavigableString, Tag

log = logging.getLogger(__name__)

_FURNITURE = re.compile(r"%%\w+%%|[?&]action=share|/subscribe\b|utm_content=share")
"""What a Share or Subscribe button's address holds (``%%share_url%%`` is filled in as each e-mail goes out)."""
_UNSHOWN = re.compile(r"\.(?:heic|heif|tiff?)$", re.IGNORECASE)
"""Originals most browsers cannot show (a photo from an iPhone): Substack showed them through its CDN."""
_MEDIA = ("img", "picture", "iframe", "video", "audio", "svg")


def components(html: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """``html`` with Substack's components made plain, and ``(what, why, kept)`` for the report."""
    soup = BeautifulSoup(html, "html.parser")
    said: list[tuple[str, str, bool]] = []
    for element in soup.select(".image-link-expand, .restack-image, .view-image"):
        element.decompose()  # the restack and enlarge buttons over each image
    for element in soup.find_all(attrs={"data-component-name": True}):
        if element.decomposed:
            continue
        name, attrs = element["data-component-name"], _attrs(element)
        if name == "MentionToDOM" or "mention-wrap" in element.get("class", ()):
            _mention(soup, element, attrs)
        elif name == "LatexBlockToDOM" or "latex-rendered" in element.get("class", ()):
            _equation(soup, element, attrs, said)
        elif name.startswith("Twitter") or "twitter-embed" in element.get("class", ()):
            _tweet(soup, element, attrs, said)
        elif name == "ImageGallery" or "image-gallery-embed" in element.get("class", ()):
            _gallery(soup, element, attrs, said)
        elif name == "SubscribeWidgetToDOM" or name.startswith("Button") and _FURNITURE.search(attrs.get("url") or ""):
            _furniture(element, said)
        elif not element.get_text(strip=True) and element.find(_MEDIA) is None and element.name not in _MEDIA:
            _unknown(soup, element, name, attrs, said)
    for element in soup.select(".button-wrapper"):  # older exports name no component on their buttons
        link = element.find("a")
        if not element.decomposed and _FURNITURE.search(_attrs(element).get("url") or link and link.get("href") or ""):
            _furniture(element, said)
    for element in soup.select(".pullquote"):
        element.name = "blockquote"  # Substack's pull quote: the author's words set apart
        element.attrs = {}
    for element in soup.select("a.image-link"):
        image = element.find("img")
        if image is not None and _UNSHOWN.search(image.get("src") or "") and \
                (element.get("href") or "").startswith("https://substackcdn.com/"):
            image["src"] = element["href"]  # the CDN serves it in a format browsers show (f_auto)
        element.unwrap()  # to the full-size image on Substack's CDN: the page shows it already
    for element in soup.select(".image2-inset"):
        element.unwrap()
    for element in soup.find_all("picture"):
        for source in element.find_all("source"):
            source.decompose()  # the CDN's other sizes: commas in their addresses, no use off Substack
        element.unwrap()
    for element in soup.find_all(True):
        element.attrs.pop("data-attrs", None)
        element.attrs.pop("data-component-name", None)
        if element.name == "img":
            element.attrs.pop("srcset", None)
            element.attrs.pop("sizes", None)
    return str(soup), said


def _furniture(element: Tag, said: list[tuple[str, str, bool]]) -> None:
    """A subscribe form, or a Share or Subscribe button, left out and named."""
    text = element.get_text(" ", strip=True)
    form = element.get("data-component-name", "").startswith("Subscribe")
    said.append((f"Substack's {'subscribe form' if form else 'button'} ({text!r})",
                 "left out: readers follow the site's feeds instead" if form else
                 "left out: it led to Substack's own page for sharing or subscribing", False))
    element.decompose()


def _attrs(element: Tag) -> dict:
    try:
        found = json.loads(element.get("data-attrs") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _mention(soup: BeautifulSoup, element: Tag, attrs: dict) -> None:
    """A mention of someone: their name, linked if Substack gave an address."""
    name = str(attrs.get("name") or element.get_text() or "").strip()
    url = attrs.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        link = soup.new_tag("a", href=url)
        link.string = name
        element.replace_with(link)
    else:
        element.replace_with(NavigableString(name))


def _equation(soup: BeautifulSoup, element: Tag, attrs: dict, said: list[tuple[str, str, bool]]) -> None:
    """An equation: its TeX between ``$$``, in a paragraph of its own (the site typesets no math)."""
    tex = re.sub(r"\n[ \t]*\n+", "\n", str(attrs.get("persistentExpression") or "").strip())
    if not tex:
        said.append(("equation", "left out: Substack's export holds no TeX for it", False))
        element.decompose()
        return
    paragraph = soup.new_tag("p")
    paragraph.string = f"$${tex}$$"
    element.replace_with(paragraph)


def _tweet(soup: BeautifulSoup, element: Tag, attrs: dict, said: list[tuple[str, str, bool]]) -> None:
    """An embedded post from X (Twitter): its text as a quotation, signed, with a link to it."""
    url = attrs.get("url") if isinstance(attrs.get("url"), str) else ""
    quote = _quotation(soup, attrs)
    if quote is None:
        if url:
            paragraph = soup.new_tag("p")
            link = soup.new_tag("a", href=url)
            link.string = url
            paragraph.append(link)
            element.replace_with(paragraph)
            said.append((f"embedded post {url}", "kept as a link: the export holds no text of it", True))
        else:
            said.append(("embedded post", "left out: the export holds neither its text nor its address", False))
            element.decompose()
        return
    quoted = attrs.get("quoted_tweet")
    inner = _quotation(soup, quoted) if isinstance(quoted, dict) else None
    if inner is not None:
        quote.insert(len(quote.contents) - 1, inner)  # before the signature
    if url:
        signature = quote.contents[-1]
        signature.append(", ")
        link = soup.new_tag("a", href=url)
        link.string = str(attrs.get("date") or "")[:10] or url
        signature.append(link)
    element.replace_with(quote)
    photos = len(attrs.get("photos") or ())
    said.append((f"embedded post {url or 'from X'}", "kept as a quotation with a link" +
                 (f"; its {photos} photo{'s' if photos > 1 else ''} stay there" if photos else ""), True))


def _quotation(soup: BeautifulSoup, attrs: dict) -> Tag | None:
    text = attrs.get("full_text")
    if not isinstance(text, str) or not text.strip():
        return None
    quote = soup.new_tag("blockquote")
    for block in re.split(r"\n\s*\n", text.strip()):
        paragraph = soup.new_tag("p")
        for number, line in enumerate(block.split("\n")):
            if number:
                paragraph.append(soup.new_tag("br"))
            paragraph.append(line)
        quote.append(paragraph)
    signature = soup.new_tag("p")
    author, handle = str(attrs.get("name") or "").strip(), str(attrs.get("username") or "").strip()
    signature.append("— " + " ".join(filter(None, (author, f"(@{handle})" if handle else ""))))
    quote.append(signature)
    return quote


def _gallery(soup: BeautifulSoup, element: Tag, attrs: dict, said: list[tuple[str, str, bool]]) -> None:
    """An image gallery: its images, in a figure with its caption when it has one (Substack drew them from
    its JSON, the element itself empty)."""
    gallery = attrs.get("gallery") if isinstance(attrs.get("gallery"), dict) else {}
    images = [i for i in gallery.get("images") or () if isinstance(i, dict) and isinstance(i.get("src"), str)
              and i["src"].startswith(("https://", "http://"))]
    if not images:
        said.append(("Substack image gallery", "left out: the export names none of its images", False))
        element.decompose()
        return
    caption = str(gallery.get("caption") or "").strip()
    holder = soup.new_tag("figure" if caption else "p")
    for image in images:
        holder.append(soup.new_tag("img", src=image["src"], alt=str(image.get("alt") or gallery.get("alt") or "")))
    if caption:
        holder.append(soup.new_tag("figcaption"))
        holder.figcaption.string = caption
    element.replace_with(holder)
    said.append((f"Substack image gallery ({len(images)} image{'s' if len(images) > 1 else ''})",
                 "kept as its images" + (" with their caption" if caption else "") + ", which stay on Substack's "
                 "servers", True))


def _unknown(soup: BeautifulSoup, element: Tag, name: str, attrs: dict, said: list[tuple[str, str, bool]]) -> None:
    """Another component that holds nothing but its JSON: a link to what it showed, if it has an address (an
    embedded post, ``DigestPostEmbed``, names it ``canonical_url``)."""
    url = next((a for a in (attrs.get("url"), attrs.get("canonical_url")) if isinstance(a, str) and a.strip()), "")
    if url.startswith(("https://", "http://")):
        paragraph = soup.new_tag("p")
        link = soup.new_tag("a", href=url)
        link.string = str(attrs.get("title") or attrs.get("text") or url)
        paragraph.append(link)
        element.replace_with(paragraph)
        why = f"kept as a link to {url}: Substack drew it from data the export does not carry"
        said.append((f"Substack component {name}", why, True))
    else:
        said.append((f"Substack component {name}", "left out: it holds nothing but Substack's own data", False))
        element.decompose()

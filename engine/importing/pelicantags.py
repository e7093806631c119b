"""Tags of Pelican's ``liquid_tags`` plugins in a Markdown post: ``{% img %}`` becomes a Markdown image, and
every other (``{% notebook %}``, ``{% video %}``, ``{% include_code %}``, …), which only the plugin can
render, stays in the text where the author sees it, each named in the report with its line."""
from __future__ import annotations

import re

from ..text.markup import without_code
from .model import Skipped, Where

_TAG = re.compile(r"\{%\s*(?P<name>\w+)(?P<args>(?:[^%]|%(?!\}))*?)\s*%\}")
_SOURCE = re.compile(r"(?:https?:/|\{static\}|\{attach\}|\.{0,2}/)\S*|\S+\.(?:png|jpe?g|gif|svg|webp)\Z", re.I)
"""The image of ``{% img [class…] SOURCE [width [height]] ["title" ["alt"]] %}``."""
_QUOTED = re.compile(r'"([^"]*)"\s+"([^"]*)"')


def plugin_tags(markdown: str, where: Where, skipped: list[Skipped]) -> str:
    """``markdown`` (a post's body, starting on ``where.line``) with each ``{% img %}`` made an image; any other
    plugin tag outside a code block is kept and reported."""
    shown = without_code(markdown)  # code blanked out, every other character where it was

    def one(found: re.Match[str]) -> str:
        if not shown.startswith("{%", found.start()):  # inside code: shown as written
            return found.group(0)
        image = _image(found.group("args")) if found.group("name") == "img" else None
        if image is None:
            line = where.line + markdown.count("\n", 0, found.start())
            skipped.append(Skipped(Where(where.path, line), f"plugin tag {{% {found.group('name')} %}}",
                                   "a Pelican plugin (liquid_tags) renders it, Feuilleton cannot: kept as visible "
                                   "text for you to replace", kept=True))
            return found.group(0)
        return image
    return _TAG.sub(one, markdown)


def _image(args: str) -> str | None:
    """The Markdown image an ``{% img %}`` tag's arguments make, as the plugin reads them (classes, the source,
    a width and a height, then a title, or a quoted title and a quoted alt text); None if they name no image."""
    words = args.split()
    at = next((n for n, word in enumerate(words) if _SOURCE.fullmatch(word)), None)
    if at is None:
        return None
    rest = words[at + 1:]
    while rest and rest[0].isdigit():  # width and height
        rest = rest[1:]
    text = " ".join(rest)
    quoted = _QUOTED.fullmatch(text)
    title, alt = (quoted.group(1), quoted.group(2)) if quoted else (text.strip('"[]'),) * 2
    alt = alt.strip("[]").replace("[", "\\[").replace("]", "\\]")
    title = title.replace('"', '\\"')
    return f"![{alt}]({words[at]} \"{title}\")" if title else f"![{alt}]({words[at]})"

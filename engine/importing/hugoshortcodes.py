"""Hugo's shortcodes in a post's Markdown: those with a meaning without Hugo written out (``figure`` as a
figure, ``youtube`` and ``vimeo`` as embeds, ``highlight`` as a fenced block, ``ref`` as an address, ``gist``
as a link to the gist, which the report names); any other kept visible and reported.  ``{{</* … */>}}``, a
shortcode shown as text, is written as Hugo showed it."""
from __future__ import annotations

import html
import logging
import re
import shlex
from collections.abc import Callable
from pathlib import PurePosixPath

from .model import Skipped, Where

log = logging.getLogger(__name__)

_SHORTCODE = re.compile(r"\{\{(?P<open>[<%])\s*(?P<close>/?)\s*(?P<name>[\w./-]+)(?P<args>.*?)\s*(?P=open)?[>%]\}\}",
                        re.S)
_ESCAPED = re.compile(r"\{\{([<%])\s*/\*\s*(.*?)\s*\*/\s*([>%])\}\}", re.S)
_PROTECT = "\x00hugo{}{}\x00"
"""What stands in for a written-out block while the other shortcodes are read: its number, and as many line
breaks as the block had, so that a shortcode below it is reported at its line in the file."""
_HIGHLIGHT = re.compile(r"\{\{[<%]\s*highlight\s+(?P<lang>[\w+#.-]+)[^}]*?[>%]\}\}\n?(?P<code>.*?)"
                        r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}", re.S)
_CHANGED = {"gist": "Hugo embeds the gist with a script, which an essay should not run: written as a link to it"}
"""Shortcodes written out as something other than what Hugo made of them, reported with the reason."""


def shortcodes(body: str, where: Where, addresses: dict[str, str], base_path: str, skipped: list[Skipped],
               link: Callable[[str], str | None] = lambda url: None,
               written: Callable[[int], int] = lambda line: line) -> str:
    """Shortcodes written out where they mean something without Hugo; the rest kept visible and reported.
    ``addresses``: each content file's old address, for ``ref``; ``base_path``: the old site's path;
    ``link``: the site's copy of a file a kept shortcode names (``{{< img src="/img/a.jpg" >}}``), so that
    the file comes along for whoever writes the shortcode out by hand; ``written``: the line (from 0) of the
    body as written that a line of ``body`` was, where lines were added to it (``hugoraw``)."""
    protected: list[tuple[str, str]] = []

    def keep(text: str, found: re.Match[str]) -> str:
        stand_in = _PROTECT.format(len(protected), "\n" * found.group(0).count("\n"))
        protected.append((stand_in, text))
        return stand_in

    body = _ESCAPED.sub(lambda m: keep("{{" + m.group(1) + " " + m.group(2) + " " + m.group(3) + "}}", m), body)
    body = _HIGHLIGHT.sub(lambda m: keep(_fence(m.group("lang"), m.group("code")), m), body)
    body = re.sub(r"(?ms)^(```|~~~).*?^\1[ \t]*$", lambda m: keep(m.group(0), m), body)

    def one(found: re.Match[str]) -> str:
        if found.group("close"):
            return _spaced(found)
        name = found.group("name")
        done = _shortcode(name, _arguments(found.group("args")), addresses, base_path)
        place = Where(where.path, where.line + written(body.count("\n", 0, found.start())))
        if done is None:
            skipped.append(Skipped(place, f"shortcode {{{{< {name} >}}}}", "Hugo renders it, Feuilleton cannot: "
                                   "kept as visible text for you to replace", kept=True))
            return _files_in(_spaced(found), _arguments(found.group("args")), link)
        if name in _CHANGED:
            skipped.append(Skipped(place, f"shortcode {{{{< {name} >}}}}", _CHANGED[name], kept=True))
        return keep(done, found)
    body = _SHORTCODE.sub(one, body)
    for stand_in, text in reversed(protected):  # a later block may hold an earlier one's stand-in
        body = body.replace(stand_in, text)
    return body


def hugos_own(body: str) -> list[tuple[int, int]]:
    """Where ``body`` holds Hugo's own syntax, which its Markdown renderer never read as raw HTML: each
    shortcode (``{{<note>}}`` too), a ``highlight`` shortcode with its code, and a paired ``{{< >}}``
    shortcode with its body, which Hugo gave the shortcode's template as written (``.Inner``), HTML and all
    (a ``rawhtml`` shortcode exists for it).  A ``{{% %}}`` shortcode's body is not: Hugo read it as
    Markdown, raw HTML left out like any other."""
    return [m.span() for pattern in (_ESCAPED, _HIGHLIGHT, _SHORTCODE) for m in pattern.finditer(body)] + \
        _paired(body)


def _paired(body: str) -> list[tuple[int, int]]:
    """Each paired ``{{< name >}}…{{< /name >}}``, from its opening tag to its closing one."""
    spans: list[tuple[int, int]] = []
    opened: list[tuple[str, str, int]] = []  # name, delimiter, start of each shortcode not closed yet
    for found in _SHORTCODE.finditer(_ESCAPED.sub(lambda m: "x" * len(m.group(0)), body)):
        name = found.group("name")
        if not found.group("close"):
            if not found.group("args").rstrip().endswith("/"):  # {{< name />}} closes itself
                opened.append((name, found.group("open"), found.start()))
            continue
        at = next((i for i in range(len(opened) - 1, -1, -1) if opened[i][0] == name), None)
        if at is not None:  # those opened inside it and never closed had no body
            if opened[at][1] == "<":
                spans.append((opened[at][2], found.end()))
            del opened[at:]
    return spans


_FILE_KEYS = ("src", "image", "file", "img", "source")
"""A shortcode's arguments that name a file, by the names themes give them."""


def _files_in(text: str, args: dict[str, str], link: Callable[[str], str | None]) -> str:
    """A kept shortcode with each file it names copied (``link``) and named by its copy's address."""
    for key in _FILE_KEYS:
        value = args.get(key)
        new = link(value) if value else None
        if new and new != value:
            text = re.sub(rf"(\b{key}\s*=\s*)([\"']?){re.escape(value)}\2", lambda m: m.group(1) + m.group(2) + new +
                          m.group(2), text, count=1)
    return text


def _spaced(found: re.Match[str]) -> str:
    """A shortcode kept as written, but with a space after ``{{<``: ``{{<hf JSON>}}``, which Hugo reads alike,
    would be the start of an HTML element ``<hf>`` to Markdown, left open."""
    text = found.group(0)
    return text if text[3:4].isspace() else f"{text[:3]} {text[3:-3].strip()} {text[-3:]}"


def _by_name(addresses: dict[str, str], target: str) -> str | None:
    """The old address of the one content file named ``target`` (``one``, ``one.md``, a bundle's folder), as
    Hugo finds a ``ref`` that is no path from ``content/``; None when no file or several have the name."""
    if "/" in target or not target:
        return None
    name = PurePosixPath(target).with_suffix("").name if "." in target else target
    found = {address for key, address in addresses.items()
             if PurePosixPath(key).with_suffix("").name == name
             or PurePosixPath(key).with_suffix("").name == "index" and PurePosixPath(key).parent.name == name}
    return found.pop() if len(found) == 1 else None


def _fence(lang: str, code: str) -> str:
    ticks = "~~~~" if "```" in code else "```"
    return f"{ticks}{lang}\n{code.rstrip()}\n{ticks}"


def _arguments(text: str) -> dict[str, str]:
    """A shortcode's arguments: named (``src="x"``) by name, positional by number (``"0"``)."""
    try:
        words = shlex.split(text.strip().rstrip("/"))
    except ValueError:
        words = text.split()
    found: dict[str, str] = {}
    for number, word in enumerate(words):
        key, equals, value = word.partition("=")
        if equals and re.fullmatch(r"[A-Za-z_]\w*", key):
            found[key] = value
        else:
            found[str(number)] = word
    return found


def _shortcode(name: str, args: dict[str, str], addresses: dict[str, str], base_path: str) -> str | None:
    """The HTML or Markdown a shortcode stands for, or None when only Hugo could make it."""
    if name == "figure" and args.get("src"):
        image = f'<img src="{html.escape(args["src"])}" alt="{html.escape(args.get("alt", ""))}">'
        caption = args.get("caption") or args.get("title")
        if not caption:
            return f"![{args.get('alt', '')}]({args['src']})"
        return f"<figure>{image}<figcaption>{html.escape(caption)}</figcaption></figure>"
    if name in ("youtube", "vimeo"):
        video = args.get("id") or args.get("0")
        if not video or not re.fullmatch(r"[\w-]+", video):
            return None
        source = f"https://www.youtube-nocookie.com/embed/{video}" if name == "youtube" else \
            f"https://player.vimeo.com/video/{video}"
        title = html.escape(args.get("title") or ("YouTube video" if name == "youtube" else "Vimeo video"))
        return (f'<iframe src="{source}" title="{title}" width="560" height="315" style="max-width: 100%" '
                'allowfullscreen loading="lazy"></iframe>')  # on a phone, no wider than the text
    if name == "gist" and re.fullmatch(r"[\w-]+", args.get("0", "")) and re.fullmatch(r"\w+", args.get("1", "")):
        gist = f"{args['0']}/{args['1']}"
        file = f": {args['2']}" if re.fullmatch(r"[\w.-]+", args.get("2", "")) else ""
        return f"[gist {gist}{file}](https://gist.github.com/{gist})"
    if name in ("ref", "relref"):
        written, hash_, section = (args.get("0") or args.get("path") or "").partition("#")
        target = written.lstrip("/")
        if not PurePosixPath(target).name:  # "#section": a section of the page that names it
            return f"#{section}" if section else None
        address = addresses.get(target) or addresses.get(PurePosixPath(target).with_suffix("").as_posix())
        address = address or _by_name(addresses, target)
        # read from the old root, with the section it names
        return base_path.rstrip("/") + address + hash_ + section if address else None
    return None

"""WordPress's content as WordPress shows it: the classic editor's paragraphs made from blank lines (its
``wpautop``), Gutenberg's block comments, its shortcodes (``[caption]`` a figure, the code plugins' a code
block, the rest reported), and the addresses it embedded (a player or a post it fetched when a page was
viewed), each turned into HTML the converter reads, and what it cannot keep reported."""
from __future__ import annotations

import html as html_module
import json
import re
from typing import Mapping

from .model import Skipped, Where

KNOWN_SHORTCODES = frozenset({
    "gallery", "embed", "video", "audio", "playlist", "wp_caption", "contact-form", "contact-form-7", "youtube",
    "vimeo", "tweet", "soundcloud", "googlemaps", "code", "sourcecode", "latex", "footnote", "ref", "slideshow",
    "instagram", "spotify", "pdf", "recipe", "poll", "archives", "sitemap", "toc", "button", "column", "row"})
_SHORTCODE = re.compile(r"\[(?P<close>/?)(?P<name>[a-zA-Z_][\w-]*)(?P<attrs>(?:\s[^\[\]]*)?)(?P<self>/?)\]")
_CAPTION = re.compile(r"\[(?:wp_)?caption(?P<attrs>[^\]]*)\](?P<body>.*?)\[/(?:wp_)?caption\]", re.S)
_DYNAMIC = re.compile(r"<!--\s*wp:(?P<name>[a-z][\w/-]*)(?P<attrs>(?:(?!-->).)*?)/-->", re.S)
_BLOCKS = re.compile(r"^\s*</?(?:p|div|h[1-6]|ul|ol|li|table|thead|tbody|tr|td|th|blockquote|figure|figcaption|pre|"
                     r"hr|iframe|video|audio|object|embed|form|dl|dt|dd|section|aside|script|style|address|"
                     r"!--)\b", re.I)


_URL = r'\s*(https?://[^\s<>"]+)\s*'
_EMBED = re.compile(rf'(<p>){_URL}(</p>)|(<div class="wp-block-embed__wrapper">){_URL}(</div>)')


def embeds(html: str, where: Where, skipped: list[Skipped]) -> str:
    """A bare address on a line of its own, or in an embed block, is a player or a post WordPress fetched when
    the page was viewed (its oEmbed); the export holds the address alone, which would show as dead text.  It
    becomes a link, and the report names it."""
    def link(found: re.Match[str]) -> str:
        start, url, end = (part for part in found.groups() if part is not None)
        skipped.append(Skipped(where, f"embed of {url}", "WordPress showed what the address leads to (a "
                                      "video, a post) when the page was viewed: kept as a link to it"))
        return f'{start}<a href="{url}">{url}</a>{end}'
    return _EMBED.sub(link, html) if "http" in html else html


def blocks(html: str, where: Where, skipped: list[Skipped], reusable: Mapping[str, str] | None = None,
           within: tuple[str, ...] = ()) -> str:
    """Gutenberg content: dynamic blocks (rendered by WordPress at view time, empty in the export) are
    reported; the other block comments go when the HTML is converted, their content stays.  An embed block
    written without content holds its address in its attributes: it is an address on a line of its own.  A
    reusable block (``wp:block {"ref":99}``) is the content of item 99 of the export (``reusable``), which
    WordPress showed in its place; ``within``: the reusable blocks this content is inside of."""
    def dynamic(found: re.Match[str]) -> str:
        name = found.group("name")
        if name == "block":
            return _reusable(found.group("attrs"), where, skipped, reusable or {}, within) or found.group(0)
        if name == "embed" or name.startswith("core-embed/"):
            try:
                url = json.loads(found.group("attrs").strip() or "{}").get("url")
            except (ValueError, AttributeError):
                url = None
            if isinstance(url, str) and _URL_ALONE.fullmatch(url):
                return f"<p>{url}</p>"
        if name not in ("footnotes", "more", "nextpage", "separator", "spacer"):
            skipped.append(Skipped(where, f"block wp:{name}", "WordPress renders it when a page is viewed; "
                                          "the export holds nothing to keep"))
        return found.group(0)
    return _DYNAMIC.sub(dynamic, html)


_URL_ALONE = re.compile(r'https?://[^\s<>"]+')


def _reusable(attrs: str, where: Where, skipped: list[Skipped], reusable: Mapping[str, str],
              within: tuple[str, ...]) -> str:
    """The content of the reusable block ``attrs`` names, as HTML; empty, and reported, when the export
    does not hold it (or it holds itself)."""
    try:
        ref = json.loads(attrs.strip() or "{}").get("ref")
    except (ValueError, AttributeError):
        ref = None
    ref = str(ref) if isinstance(ref, (int, str)) and not isinstance(ref, bool) else ""
    if ref in reusable and ref not in within:
        content = reusable[ref]
        return blocks(content, where, skipped, reusable, (*within, ref)) if "<!-- wp:" in content else autop(content)
    why = ("it is inside itself" if ref in within else
           f"the export does not hold it (item {ref}, post type wp_block): WordPress showed its content here")
    skipped.append(Skipped(where, f"reusable block wp:block {ref}".rstrip(), why))
    return ""


def autop(text: str) -> str:
    """Classic-editor text as WordPress shows it: a blank line between paragraphs, a line break within; a
    ``<pre>`` is a block of its own, left as written (its blank lines and indents are the text's)."""
    held: list[str] = []

    def hold(block: str) -> str:
        held.append(block)
        return f"\n\n\0{len(held) - 1}\0\n\n"  # no export holds a NUL: XML forbids it
    text = _CODE_PRE.sub(lambda found: found.group(1), text.replace("\r\n", "\n"))  # the <pre> says it all
    text = _PRE.sub(lambda found: hold(found.group(0)), text)
    text = _CODE_LINES.sub(lambda found: hold(_pre(found)) if "\n" in found.group("body") else found.group(0), text)
    text = _TAG.sub(lambda tag: tag.group(0).replace("\n", " "), text)  # a tag written over lines is one tag
    chunks = re.split(r"\n\s*\n", text.strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _HELD.fullmatch(chunk):
            out.append(held[int(chunk.strip("\0"))])
        elif _BLOCKS.match(chunk) or re.match(r"^\s*\[(?:/?)(?:caption|wp_caption|gallery|embed)\b", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


_PRE = re.compile(r"<pre\b.*?</pre\s*>", re.IGNORECASE | re.DOTALL)
_CODE_PRE = re.compile(r"<code\b[^>]*>\s*(<pre\b.*?</pre\s*>)\s*</code\s*>", re.IGNORECASE | re.DOTALL)
"""A ``<pre>`` wrapped in a ``<code>``, as some authors wrote a block of code: the ``<pre>`` alone."""
_CODE_LINES = re.compile(r"^[ \t]*<code\b(?P<attrs>[^>]*)>(?P<body>(?:(?!</code\s*>).)*)</code\s*>[ \t]*$",
                         re.IGNORECASE | re.DOTALL | re.MULTILINE)
"""A ``<code>`` on lines of its own: with a line break inside, WordPress shows it line by line (its breaks
made ``<br>``), a block of code, which inline code in Markdown cannot be."""


def _pre(found: re.Match[str]) -> str:
    """The lines of code ``found`` as a ``<pre>``: the text as written, with the breaks some authors typed
    as ``<br>`` made line breaks."""
    body = re.sub(r"<br\s*/?>\n?", "\n", found.group("body"), flags=re.IGNORECASE)
    return f"<pre><code{found.group('attrs')}>{body}</code></pre>"
_HELD = re.compile(r"\0\d+\0")
_TAG = re.compile(r"<(?:[a-zA-Z/][^<>]*|!--.*?--)>", re.DOTALL)
"""A tag or a comment, which may span lines and hold blank ones (HTML pasted pretty-printed): WordPress takes
no paragraph from inside it."""


_BRUSHES = {
    "bash": "bash", "shell": "bash", "sh": "bash", "php": "php", "python": "python", "py": "python",
    "javascript": "javascript", "js": "javascript", "jscript": "javascript", "typescript": "typescript",
    "ts": "typescript", "html": "html", "xhtml": "html", "xml": "xml", "xslt": "xml", "css": "css",
    "java": "java", "sql": "sql", "ruby": "ruby", "rb": "ruby", "rails": "ruby", "c": "c", "cpp": "cpp",
    "csharp": "csharp", "c-sharp": "csharp", "perl": "perl", "pl": "perl", "powershell": "powershell",
    "ps": "powershell", "go": "go", "golang": "go", "objc": "objc", "scala": "scala", "vb": "vbnet",
    "diff": "diff", "patch": "diff", "erlang": "erlang", "groovy": "groovy", "haskell": "haskell",
    "latex": "latex", "tex": "latex", "matlab": "matlab", "r": "r", "swift": "swift", "yaml": "yaml",
    "clojure": "clojure", "delphi": "delphi", "pascal": "pascal", "applescript": "applescript",
    "as3": "actionscript", "text": "", "plain": ""}
"""SyntaxHighlighter's brushes, each a shortcode of its own (``[bash]…[/bash]``), and the language each is."""
_CODE_SHORTCODE = re.compile(r"\[(?P<name>code|sourcecode|" + "|".join(map(re.escape, _BRUSHES)) +
                             r")(?P<attrs>(?:\s[^\]]*)?)\](?P<body>.*?)\[/(?P=name)\]", re.S | re.I)


def code_shortcodes(html: str) -> str:
    """``[sourcecode language="python"]…[/sourcecode]``, ``[code lang="js"]`` and ``[bash]…[/bash]`` (the
    SyntaxHighlighter plugins') → a ``<pre><code>`` in that language: the code is the text between, as
    written, which WordPress shows untouched by its paragraphs (converted as prose, a ``# comment`` line
    became a heading)."""
    def block(found: re.Match[str]) -> str:
        name, attrs = found.group("name").lower(), found.group("attrs")
        written = _attribute(attrs, "language") or _attribute(attrs, "lang") if name in ("code", "sourcecode") else name
        language = _BRUSHES.get(written.lower(), written.lower())
        code = found.group("body").strip("\n")
        if "<" not in code and re.search(r"&(?:lt|gt|amp|quot|#\d+);", code):
            code = html_module.unescape(code)  # saved by the visual editor, which wrote it escaped
        named = f' class="language-{html_module.escape(language)}"' if re.fullmatch(r"[\w+#.-]+", language) else ""
        return f"<pre><code{named}>{html_module.escape(code, quote=False)}</code></pre>"
    return _CODE_SHORTCODE.sub(block, html) if "[" in html else html


def captions(html: str) -> str:
    """``[caption …]<img …> The text[/caption]`` → a figure with its caption."""
    def figure(found: re.Match[str]) -> str:
        body = found.group("body").strip()
        image = re.match(r"((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)", body, re.S)
        if not image:
            return body
        caption = image.group(2).strip() or _attribute(found.group("attrs"), "caption")
        return f"<figure>{image.group(1)}<figcaption>{caption}</figcaption></figure>" if caption else image.group(1)
    return _CAPTION.sub(figure, html)


def _attribute(attrs: str, name: str) -> str:
    found = re.search(rf"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)')""", attrs)
    return (found.group(1) or found.group(2) or "") if found else ""


def shortcodes(html: str, where: Where, skipped: list[Skipped]) -> None:
    """Every shortcode left (not ``[caption]``, which is a figure now) stays in the text; each is reported."""
    text = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S | re.I)
    closed = {m.group("name") for m in _SHORTCODE.finditer(text) if m.group("close")}
    for found in _SHORTCODE.finditer(text):
        name = found.group("name")
        alone = re.fullmatch(r"\s*(?:<p>)?\s*", text[text.rfind("\n", 0, found.start()) + 1:found.start()]) and \
            re.match(r"\s*(?:</p>)?\s*(?:\n|$)", text[found.end():])  # a line of its own: a plugin's output
        if found.group("close") or not (name in KNOWN_SHORTCODES or "=" in found.group("attrs") or name in closed
                                        or "_" in name or alone):
            continue
        skipped.append(Skipped(where, f"shortcode [{name}]", "WordPress expands it when a page is viewed; "
                                      "kept as visible text for you to replace", kept=True))

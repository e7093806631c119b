"""One spelling for each tag an import brings.

Other tools keep apart what a Feuilleton site joins: WordPress has categories
and tags (a category ``Markup`` beside a tag ``markup``), and case or a
hyphen (``first sale``, ``first-sale``) makes two tags anywhere.  Here, each
name is one tag as its address has it; so the import gives all the posts the
spelling most of them use (of equals, the one spelt as its address), and the
report says which spellings it joined.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..model.slugs import slugify
from .model import ImportedPost, Skipped


def one_spelling(posts: list[ImportedPost], notes: list[Skipped], ascii: bool = False) -> list[ImportedPost]:
    """``posts`` with each tag in the spelling most of them use, and a note for each tag spelt several ways."""
    used: dict[str, Counter[str]] = {}
    for post in posts:
        for name in post.tags:
            used.setdefault(slugify(name, ascii), Counter())[name] += 1
    chosen: dict[str, str] = {}
    for slug, counts in used.items():
        best = max(counts, key=lambda name: (counts[name], name == slug))  # a Counter keeps first-seen order
        chosen.update((name, best) for name in counts)
        if len(counts) > 1:
            where = next(p.where for p in posts if any(n in counts and n != best for n in p.tags))
            spelt = ", ".join(f"`{name}`" for name in counts)
            notes.append(Skipped(where, f"tags {spelt}", f"joined as one tag, `{best}`: the site would give each "
                                 "spelling a tag page of its own", kept=True))
    return [replace(post, tags=tuple(dict.fromkeys(chosen[name] for name in post.tags))) if post.tags else post
            for post in posts]

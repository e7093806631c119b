"""A deterministic synthetic site for benchmarks: N essays of ~2,000 words.

Series of 2–8 parts and standalone essays, tags, block quotes, footnotes,
links and part references; about 20% of the posts carry 1–4 recorded
revisions with notes, each changing roughly a tenth of the sentences.
The same (n, seed) always gives the same files.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from engine.source.versions import NewVersion, append

WORDS = ("court statute city federal state power law clause order agency public record policy reader "
         "argument history revision library license copy lending market owner right doctrine section "
         "congress council case holding opinion dissent majority text reading meaning purpose limit "
         "principle practice question answer reason evidence claim rule exception essay part series").split()
TAGS = ["law", "cities", "immigration", "copyright", "libraries", "federalism", "courts", "policy",
        "history", "writing", "ethics", "privacy", "speech", "property", "elections"]

CONFIG = """title = "Benchmark Site"
base_url = "https://bench.example.org/"
timezone = "America/New_York"

[author]
name = "B. Writer"
bio = "B. Writer writes benchmarks."
"""


LAST = datetime(2025, 1, 1, tzinfo=timezone.utc)
"""No post (nor, with its revisions a few weeks apart, any version) is dated after this."""


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice([".", ".", ".", "?"])


def paragraph(rng: random.Random, sentences: int) -> list[str]:
    return [sentence(rng) for _ in range(sentences)]


def essay(rng: random.Random, words: int, part: int | None) -> list[list[str]]:
    """Paragraphs as lists of sentences (so revisions can change sentences)."""
    paras: list[list[str]] = []
    total = 0
    while total < words:
        para = paragraph(rng, rng.randint(4, 8))
        total += sum(len(s.split()) for s in para)
        paras.append(para)
    paras[1] = ["> " + s for s in paras[1]]
    paras[2][0] += " See, e.g., [a case](https://example.org/case) and the note.[^1]"
    if part and part > 1:
        paras[3][0] += f" As [Part {part - 1}](part:{part - 1}) showed, *inter alia*, the point stands."
    paras.insert(5, ["## A section heading"])
    paras.append(["[^1]: A footnote with a citation, *id.* at 12."])
    return paras


def render(paras: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paras) + "\n"


def revise(rng: random.Random, paras: list[list[str]]) -> list[list[str]]:
    out = [list(p) for p in paras]
    for para in out:
        for i, s in enumerate(para):
            if not s.startswith(("#", "[^", ">")) and rng.random() < 0.1:
                para[i] = sentence(rng)
    return out


def edit_every_third(rng: random.Random, paras: list[list[str]]) -> list[list[str]]:
    """A heavy revision: one sentence of every third paragraph rewritten."""
    out = [list(p) for p in paras]
    for k, para in enumerate(out):
        if k % 3 == 0 and not para[0].startswith(("#", "[^", ">")):
            para[rng.randrange(len(para))] = sentence(rng)
    return out


def front(title: str, date: datetime, tags: list[str], part: int | None) -> str:
    lines = ["---", f'title: "{title}"', f"date: {date.isoformat()}", f"tags: [{', '.join(tags)}]"]
    if part:
        lines.append(f"part: {part}")
    return "\n".join(lines + ["---", ""]) + "\n"


def generate(root: Path, n: int, seed: int = 1, words: int = 2000, revisions: bool = True) -> Path:
    """Write a site of ``n`` posts under ``root``; returns the site folder.  ``revisions=False`` records
    none (the same archive as a peer that keeps no old versions renders it)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(CONFIG)
    posts = root / "posts"
    posts.mkdir(exist_ok=True)
    start = datetime(2015, 1, 1, 9, 0, tzinfo=timezone.utc)
    step = min(timedelta(hours=37), timedelta(minutes=(LAST - start) // timedelta(minutes=1) // n))  # none is future
    made, series_no = 0, 0
    while made < n:
        size = min(n - made, rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 7, 8]))
        folder = posts
        if size > 1:
            series_no += 1
            folder = posts / f"series-{series_no}"
            folder.mkdir(exist_ok=True)
            (folder / "series.toml").write_text(
                f'title = "Series {series_no}"\ndescription = "A series of {size} parts."\nstatus = "ongoing"\n'
                f'\n[[planned]]\npart = {size + 1}\ntitle = "The part after {size}"\n')
        for part in range(1, size + 1):
            made += 1
            date = start + made * step
            number = part if size > 1 else None
            name = f"part-{part}.md" if size > 1 else f"essay-{made}.md"
            title = f"Essay {made}" + (f", part {part}" if number else "")
            paras = essay(rng, words, number)
            head = front(title, date, rng.sample(TAGS, 2), number)
            path = folder / name
            path.write_text(head + render(paras))
            if rng.random() < 0.2 and revisions:
                _history(rng, path, head, paras, date)
    return root


def _history(rng: random.Random, path: Path, head: str, paras: list[list[str]], date: datetime) -> None:
    append(path, 1, NewVersion(head + render(paras), date, "", False))
    for number in range(2, rng.randint(2, 5) + 1):
        paras = revise(rng, paras)
        date += timedelta(days=rng.randint(1, 20))
        note = f"Revised the argument in section {number}." if rng.random() < 0.7 else \
            "A longer update.\n\nIt has two paragraphs, with a [reference](part:1)."
        append(path, number, NewVersion(head + render(paras), date, note, rng.random() < 0.2))
    path.write_text(head + render(paras))

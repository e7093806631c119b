"""Posts' and versions' Markdown kept packed: the same text back, compared and keyed without unpacking,
and never rendered twice because it is packed."""
from __future__ import annotations

import pickle
from datetime import datetime, timezone

from conftest import NOW, build_model, post
from engine.build import build
from engine.model.packed import Packed, text_digest
from engine.model.types import Version
from engine.source.versions import NewVersion, append
from engine.speed import cache as cache_module
from engine.speed import pickles
from engine.text.fragment import Fragment

TEXT = "An essay with “curly quotes”, an em dash — and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 beyond the BMP.\n\n" * 40


def test_it_gives_back_the_text_and_is_much_smaller() -> None:
    packed = Packed(TEXT)
    assert str(packed) == TEXT and len(packed) == len(TEXT)
    assert packed.digest == text_digest(TEXT.encode("utf-8")) == Fragment(TEXT).digest
    assert len(packed.data) < len(TEXT.encode("utf-8")) / 10
    assert "curly quotes" in packed and not Packed("")


def test_it_equals_the_same_text_packed_but_neither_a_string_nor_a_fragment() -> None:
    assert Packed(TEXT) == Packed(TEXT) and hash(Packed(TEXT)) == hash(Packed(TEXT))
    assert Packed(TEXT) != Packed(TEXT + ".")
    assert Packed(TEXT) != TEXT  # their hashes could not agree, so a set would hold both
    assert Packed(TEXT) != Fragment(TEXT) and Fragment(TEXT) != Packed(TEXT)
    assert len({Packed(TEXT), Packed(TEXT), Packed("other")}) == 2


def test_the_cache_reads_it_back_and_refuses_nothing_it_wrote() -> None:
    again = pickles.loads(pickle.dumps(Packed(TEXT), protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(again, Packed) and str(again) == TEXT and again == Packed(TEXT)


def test_a_post_and_its_versions_read_from_disk_hold_their_markdown_packed(site) -> None:
    first = post("Essay", body="The first text.", id="urn:uuid:5f1d6c3e-0000-4000-8000-000000000001")
    root = site({"posts/essay.md": first.replace("The first text.", TEXT)})
    append(root / "posts/essay.md", 1, NewVersion(first, datetime(2026, 11, 1, 14, 0, tzinfo=timezone.utc), "", False))
    model, _ = build_model(root)
    (essay,) = model.posts.values()
    assert isinstance(essay.body, Packed) and str(essay.body) == f"\n{TEXT}\n"
    assert len(essay.body.data) < len(TEXT) / 10
    (version,) = essay.versions
    assert isinstance(version.body, Packed) and str(version.body) == "\nThe first text.\n"
    assert version.text == first  # front matter and body give back the file as recorded, exactly


def test_a_string_given_for_a_body_is_packed() -> None:
    version = Version(number=1, date=NOW, note="", minor=False, title="T", head="---\n---\n", body=TEXT,
                      body_line=3, path=None)
    assert isinstance(version.body, Packed) and version.text == "---\n---\n" + TEXT


def test_the_checks_find_each_essay_rendered_and_render_none_again(site, monkeypatch) -> None:
    """The checks look up each essay's HTML by the packed text; looked up by its string they would miss
    and render every essay a second time."""
    monkeypatch.setenv("FEUILLETON_JOBS", "1")  # every render in this process, where it is counted
    rendered: list[str] = []
    real = cache_module._render
    monkeypatch.setattr(cache_module, "_render", lambda text: rendered.append(str(text)) or real(text))
    root = site({"posts/a.md": post("A", body="Raw <span>HTML</span> and [Part 2](part:2)."),
                 "posts/b.md": post("B", body="Plain text with a [link](/elsewhere/).")})
    build(root, now=NOW)
    assert sorted(rendered) == sorted(set(rendered))
    assert sum("Raw <span>" in text for text in rendered) == 1


def test_threads_packing_at_once_each_get_their_own_texts_back() -> None:
    """Each thread packs with its own Zstandard context: one context shared by threads at once would mix
    their texts (``serve`` renders in a thread while the watcher's thread reads)."""
    from concurrent.futures import ThreadPoolExecutor

    from engine.model import packed as packed_module

    texts = [f"{n}: " + TEXT * (1 + n % 5) for n in range(400)]

    def round_trip(text: str) -> tuple[bool, int]:
        return str(Packed(text)) == text, id(packed_module._contexts.compressor)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(round_trip, texts))
    assert all(same for same, _ in results)
    assert len({context for _, context in results}) > 1  # the threads did not share one
    assert packed_module.decompress(packed_module.compress(b"")) == b""

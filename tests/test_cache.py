"""The cache file: what one build writes, the next reads back whole; anything else is ignored."""
from __future__ import annotations

import pickle
from pathlib import Path

from engine.config import CACHE_DIR
from engine.speed.cache import _CHUNK, Cache, fingerprint
from engine.text.fragment import Fragment


def test_a_saved_cache_reads_back_whole_across_many_chunks(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    texts = [f"Paragraph {n} with *emphasis* and a [link](/x/{n}/)." for n in range(2 * _CHUNK + 7)]
    rendered = [cache.markdown(text) for text in texts]
    summaries = [cache.value("upper", str.upper, text) for text in texts[:5]]
    cache.save(tmp_path / "output", {"a/index.html": "mark-a"}, {})

    again = Cache(tmp_path)
    assert len(again.data["markdown"]) == len(texts)
    for text, html in zip(texts, rendered):
        found = again.data["markdown"][fingerprint(text)]
        assert type(found) is Fragment and found == html and "<em>emphasis</em>" in str(found)
    assert [again.data["derived"][fingerprint("upper", t)] for t in texts[:5]] == summaries
    assert again.data["pages"] == {"output": {"a/index.html": ("mark-a", None)}}  # as the site's folder has it


def test_a_cache_in_another_format_is_ignored(tmp_path: Path) -> None:
    (tmp_path / CACHE_DIR).mkdir()
    path = tmp_path / CACHE_DIR / "cache.pickle"
    path.write_bytes(pickle.dumps({"format": (3, "x", "y"), "data": {"markdown": {"k": "stale"}}}))
    assert Cache(tmp_path).data["markdown"] == {}
    path.write_bytes(pickle.dumps((0, "old", "code")) + pickle.dumps(1))
    assert Cache(tmp_path).data["markdown"] == {}


def test_a_truncated_cache_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    for n in range(3 * _CHUNK):
        cache.markdown(f"Text {n}.")
    cache.save(tmp_path / "output", {}, {})
    path = tmp_path / CACHE_DIR / "cache.pickle"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert all(table == {} for table in Cache(tmp_path).data.values())


def test_derive_all_works_out_only_what_is_not_remembered_in_other_processes(tmp_path: Path, monkeypatch) -> None:
    import os

    import time

    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    cache = Cache(tmp_path)
    texts = [f"essay {n}" for n in range(200)]

    def work(text: str) -> tuple[str, int]:
        time.sleep(0.002)  # a moment's work, so that the forked worker is free to take some before all are taken
        return text, os.getpid()

    assert cache.value("owner", work, texts[0])[1] == os.getpid()
    cache.values("owner", work, [(text,) for text in texts + texts[:10]])
    found = [cache.value("owner", lambda text: (text, "worked out again"), text) for text in texts]
    assert [text for text, _ in found] == texts  # every value is remembered, under its own key
    assert found[0][1] == os.getpid()  # what was remembered is kept
    assert {pid for _, pid in found[1:]} - {os.getpid()}  # the rest was shared with another core

"""``engine.locale.grammar``: the catalog's word before a value agrees with the value (Italian "l’8", Spanish
"a la 1:30", French "d’Élise"); the value itself, which may be the author's words, is never changed."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import NOW, config_with, post, write_site
from engine.build import build
from engine.locale.grammar import agree


@pytest.mark.parametrize("language, text, values, expected", [
    ("it", "Pubblicato il %(date)s", {"date": "8 novembre 2016"}, "Pubblicato l’8 novembre 2016"),
    ("it", "Aggiornamento del %(date)s:", {"date": '<time datetime="x">11 novembre</time>'},
     'Aggiornamento dell’<time datetime="x">11 novembre</time>:'),
    ("it", "Pubblicato il %(date)s", {"date": "18 novembre 2016"}, "Pubblicato il 18 novembre 2016"),
    ("it", "Il %(date)s", {"date": "8 marzo"}, "L’8 marzo"),
    ("it", "%(date)s alle %(time)s", {"date": "1 dicembre", "time": "01:30"}, "1 dicembre all’01:30"),
    ("it", "%(date)s alle %(time)s", {"date": "1 dicembre", "time": "11:30"}, "1 dicembre alle 11:30"),
    ("es", "%(date)s a las %(time)s", {"date": "1 de diciembre", "time": "1:30"}, "1 de diciembre a la 1:30"),
    ("es", "%(date)s a las %(time)s", {"date": "1 de diciembre", "time": "11:30"}, "1 de diciembre a las 11:30"),
    ("pt-BR", "%(date)s às %(time)s", {"date": "1 de dezembro", "time": "01:30"}, "1 de dezembro à 01:30"),
    ("fr", "À propos de %(author)s", {"author": "Élise Martin"}, "À propos d’Élise Martin"),
    ("fr", "À propos de %(author)s", {"author": "Hugo Martin"}, "À propos de Hugo Martin"),  # h: left as written
    ("fr", "Le procès de %(title)s", {"title": "de Anne"}, "Le procès de de Anne"),  # the value is never touched
    ("de", "Veröffentlicht am %(date)s", {"date": "8. November"}, "Veröffentlicht am 8. November"),
    ("en", "Published %(date)s", {"date": "8 November"}, "Published 8 November"),
])
def test_the_word_before_a_value_agrees_with_it(language: str, text: str, values: dict, expected: str) -> None:
    assert agree(language, text, values) % values == expected


def test_an_italian_site_says_l8_and_dell11_on_its_pages(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"posts/saggio.md": post("La questione", date="2016-11-08T10:00:00")},
                      config=config_with(language="it"))
    build(root, now=NOW)
    page = (root / "output" / "saggio" / "index.html").read_text(encoding="utf-8")
    assert "Pubblicato l’<time" in page and "Pubblicato il <time" not in page


def test_an_italian_sites_feeds_and_titles_agree_too(tmp_path: Path) -> None:
    """The feeds' labels and the pages' titles are filled in Python, not by the templates."""
    from conftest import EPOCH, run_cli
    root = write_site(tmp_path / "site", {"posts/saggio.md": post("La questione", date="2016-11-08T10:00:00",
                                                                  body="Un fiume.")}, config=config_with(language="it"))
    essay = root / "posts" / "saggio.md"
    assert run_cli("publish", "posts/saggio.md", cwd=root, env=EPOCH).returncode == 0
    essay.write_text(essay.read_text(encoding="utf-8").replace("Un fiume.", "Due fiumi."), encoding="utf-8")
    assert run_cli("revise", "posts/saggio.md", "--note", "Corretto.", "--at", "2016-11-11T01:30", cwd=root,
                   env=EPOCH).returncode == 0
    build(root, now=NOW)
    feed = (root / "output" / "feed.xml").read_text(encoding="utf-8")
    assert "Rivisto l’11 novembre 2016 all’01:30" in feed and "il 11" not in feed
    old = (root / "output" / "saggio" / "v1" / "index.html").read_text(encoding="utf-8")
    assert "(versione dell’8 novembre 2016)" in old

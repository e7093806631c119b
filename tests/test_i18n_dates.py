"""Dates and times as readers read them: CLDR in every language, named lengths and patterns, strftime kept for
English with a warning elsewhere, and a post's own language."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import CONFIG, NOW, post
from engine.build import build
from engine.config import load_config
from engine.locale import cldr_locale
from engine.model.dates import ENGLISH_DATE, ENGLISH_TIME, pattern_problem, show_date, show_datetime, show_time

ZONE = ZoneInfo("America/New_York")
NOON = datetime(2016, 11, 28, 12, 0, tzinfo=ZONE)


@pytest.mark.parametrize("language, date, moment", [
    ("en", "November 28, 2016", "November 28, 2016, 12:00 pm"),
    ("fr", "28 novembre 2016", "28 novembre 2016, 12:00"),
    ("de", "28. November 2016", "28. November 2016, 12:00"),
    ("es", "28 de noviembre de 2016", "28 de noviembre de 2016, 12:00"),
    ("it", "28 novembre 2016", "28 novembre 2016, 12:00"),
    ("pt", "28 de novembro de 2016", "28 de novembro de 2016 12:00"),
    ("nl", "28 november 2016", "28 november 2016, 12:00"),
    ("en-US", "November 28, 2016", "November 28, 2016, 12:00 pm"),
    ("en-GB", "28 November 2016", "28 November 2016, 12:00"),  # a region writes its own (it was the US's)
    ("en-AU", "28 November 2016", "28 November 2016, 12:00\u202fpm"),
])
def test_the_default_formats_are_english_in_english_and_cldr_elsewhere(language: str, date: str, moment: str) -> None:
    locale = cldr_locale(language)
    assert show_date(NOON, ENGLISH_DATE, locale) == date
    assert show_datetime(NOON, ENGLISH_DATE, ENGLISH_TIME, locale) == moment


@pytest.mark.parametrize("language, first", [("it", "1° novembre 2016"), ("fr", "1er novembre 2016"),
                                              ("es", "1 de noviembre de 2016"), ("en", "November 1, 2016")])
def test_the_first_of_a_month_is_an_ordinal_where_the_language_says_it_so(language: str, first: str) -> None:
    locale = cldr_locale(language)
    assert show_date(NOON.replace(day=1), ENGLISH_DATE, locale) == first
    assert show_date(NOON.replace(day=11), ENGLISH_DATE, locale).startswith(("11", "November 11"))


def test_arabic_dates_have_arabic_month_names_and_the_arabic_comma() -> None:
    shown = show_datetime(NOON, ENGLISH_DATE, ENGLISH_TIME, cldr_locale("ar"))
    assert "نوفمبر" in shown and "،" in shown and "2016" in shown


def test_named_lengths_and_cldr_patterns_follow_the_language() -> None:
    assert show_date(NOON, "full", cldr_locale("fr")) == "lundi 28 novembre 2016"
    assert show_date(NOON, "d MMMM y", cldr_locale("de")) == "28 November 2016"
    assert show_date(NOON, "EEEE", cldr_locale("es")) == "lunes"
    assert show_time(NOON, "HH:mm", cldr_locale("en")) == "12:00"
    assert show_datetime(NOON, "long", "HH:mm", cldr_locale("en")) == "November 28, 2016, 12:00"


def test_a_strftime_pattern_the_author_wrote_stays_english() -> None:
    assert show_date(NOON, "%d %B %Y", cldr_locale("fr")) == "28 November 2016"


def test_the_repeated_hour_names_its_zone_in_any_language() -> None:
    first = datetime(2026, 11, 1, 1, 30, fold=0, tzinfo=ZONE)
    assert show_time(first, "short", cldr_locale("fr")) == "01:30 EDT"
    assert show_time(first, ENGLISH_TIME, cldr_locale("en")) == "1:30 am EDT"


@pytest.mark.parametrize("pattern, what, fine", [
    ("long", "date", True), ("d MMMM y", "date", True), ("%B %-d, %Y", "date", True), ("h:mm a", "time", True),
    ("", "date", False), ("%", "date", False), ("'o''clock'", "time", False),
])
def test_a_format_needs_a_field(pattern: str, what: str, fine: bool) -> None:
    assert (pattern_problem(pattern, what) is None) == fine


def config_with(tmp_path, lines: str):
    (tmp_path / "config.toml").write_text(CONFIG.replace('timezone', lines + "\ntimezone", 1), encoding="utf-8")
    return load_config(tmp_path)


def test_a_strftime_pattern_in_a_site_in_another_language_is_a_warning_that_says_how_to_switch(tmp_path) -> None:
    config, warnings = config_with(tmp_path, 'language = "fr"\ndate_format = "%d %B %Y"')
    assert config.date_format == "%d %B %Y"
    (warning,) = warnings
    assert warning.line == 4 and warning.warning
    assert "`date_format` '%d %B %Y' is a strftime pattern, which shows dates in English only" in warning.message
    assert 'date_format = "long"' in warning.message


def test_no_warning_in_english_or_for_the_default_patterns(tmp_path) -> None:
    assert config_with(tmp_path, 'language = "en-GB"\ndate_format = "%d %B %Y"')[1] == []
    assert config_with(tmp_path, 'language = "fr"\ndate_format = "%B %-d, %Y"\ntime_format = "%-I:%M %P"')[1] == []
    assert config_with(tmp_path, 'language = "fr"\ndate_format = "long"\ntime_format = "HH:mm"')[1] == []


def test_a_post_in_another_language_shows_its_dates_and_words_in_it(site) -> None:
    root = site({"posts/en.md": post("In English", date="2026-11-02T09:00:00"),
                 "posts/fr.md": post("En français", date="2026-11-03T09:00:00", language="fr")})
    build(root, now=NOW)
    french = (root / "output/fr/index.html").read_text(encoding="utf-8")
    english = (root / "output/en/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in french and "Publié le" in french and "3 novembre 2026" in french
    assert '<html lang="en">' in english and "Published" in english and "November 2, 2026" in english
    assert '"inLanguage": "fr"' in french and '"inLanguage": "en"' in english
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert ('<h2 class="summary-title" lang="fr" dir="ltr"><a href="/essays/fr/" hreflang="fr">En français</a></h2>'
            in home)
    archive = (root / "output/archive/index.html").read_text(encoding="utf-8")
    assert 'href="/essays/fr/" lang="fr" hreflang="fr" dir="ltr">En français</a>' in archive


def test_a_language_without_dates_or_words_is_a_warning_at_its_line(tmp_path) -> None:
    (warning,) = config_with(tmp_path, 'language = "sw"')[1]
    assert warning.line == 3
    assert warning.message.startswith("`language`: the theme's words have no translation into 'sw'")
    assert "templates/locale/sw/messages.po" in warning.message
    (warning,) = config_with(tmp_path, 'language = "xx"')[1]
    assert "'xx' is a language CLDR does not know" in warning.message
    po = tmp_path / "templates" / "locale" / "sw" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Tags"\nmsgstr "Lebo"\n', encoding="utf-8")
    assert config_with(tmp_path, 'language = "pt-BR"')[1] == []


def test_a_sites_own_catalog_that_leaves_theme_words_untranslated_says_how_many(tmp_path) -> None:
    """A site's catalog for a language the theme does not ship, translating 1 of its messages: the warning that
    the words would be English went away, and so did every word of the other messages, unsaid."""
    from engine.locale import LOCALE, catalog_path, read_catalog
    po = tmp_path / "templates" / "locale" / "sw" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Tags"\nmsgstr "Lebo"\n', encoding="utf-8")
    theme = [m for m in read_catalog(catalog_path(LOCALE, "en")) if m.id]
    (warning,) = config_with(tmp_path, 'language = "sw"')[1]
    assert warning.line == 3 and warning.message.startswith(
        f"`language`: templates/locale/sw/messages.po translates 1 of the theme's {len(theme)} messages, so "
        f"{len(theme) - 1} will be English (the first: ")
    whole = ['msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n']
    for message in theme:
        if isinstance(message.id, tuple):
            whole.append(f"msgid {_quoted(message.id[0])}\nmsgid_plural {_quoted(message.id[1])}\n"
                         f"msgstr[0] {_quoted(message.id[0])}\nmsgstr[1] {_quoted(message.id[1])}\n")
        else:
            whole.append(f"msgid {_quoted(message.id)}\nmsgstr {_quoted(message.id)}\n")
    po.write_text("\n".join(whole), encoding="utf-8")
    assert config_with(tmp_path, 'language = "sw"')[1] == []
    whole[1] = "#, fuzzy\n" + whole[1]  # as `pybabel update` marks a message whose English changed: not shown
    po.write_text("\n".join(whole), encoding="utf-8")
    (warning,) = config_with(tmp_path, 'language = "sw"')[1]
    assert f"translates {len(theme) - 1} of the theme's {len(theme)} messages, so 1 will be English" in warning.message


def _quoted(text: str) -> str:
    import json
    return json.dumps(text, ensure_ascii=False)


def test_a_language_written_as_a_locale_is_told_its_tag(tmp_path) -> None:
    from engine.errors import SiteError
    with pytest.raises(SiteError) as raised:
        config_with(tmp_path, 'language = "pt_PT"')
    assert "got 'pt_PT'; did you mean 'pt-PT'?" in str(raised.value)


def test_a_posts_language_written_as_a_locale_is_told_its_tag(tmp_path) -> None:
    from conftest import post
    from engine.build import build
    from engine.errors import SiteError
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/a.md").write_text(post("Água", language="pt_PT"), encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        build(tmp_path, write=False)
    assert "got 'pt_PT'; did you mean 'pt-PT'?" in str(raised.value)

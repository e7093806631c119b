"""The theme's catalogs: complete for every shipped language, every placeholder and tag kept, plural forms as
each language counts, and what a build reads always the catalogs as they now are."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural

from conftest import REPO
from engine.locale import LOCALE, SHIPPED, catalog_path, direction, read_catalog, translations

CFG = LOCALE / "babel.cfg"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?[a-z]+\b[^>]*>")


def extracted() -> dict[str, bool]:
    """Every message the theme and the engine's Python show readers, as ``pybabel extract`` finds them:
    ``{msgid: is_plural}``."""
    from babel.messages.frontend import parse_mapping_cfg
    with CFG.open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for _, _, message, _, _ in extract_from_dir(REPO, method_map, options_map):
        found[message if isinstance(message, str) else message[0]] = not isinstance(message, str)
    return found


@pytest.fixture(scope="module")
def messages() -> dict[str, bool]:
    return extracted()


def test_the_extraction_finds_the_messages_of_templates_and_python(messages: dict[str, bool]) -> None:
    assert "Update: %(date)s:" in messages  # a template
    assert "Updated: %(title)s — %(date)s" in messages  # the feeds
    assert messages["+%(num)s word"] is True  # a plural
    assert "%(num)s unchanged paragraph" in messages  # the diff's words
    assert len(messages) > 120


@pytest.mark.parametrize("language", SHIPPED)
def test_no_catalog_misses_a_message_or_keeps_one_no_longer_used(language: str, messages: dict[str, bool]) -> None:
    catalog = read_catalog(catalog_path(LOCALE, language))
    ids = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert sorted(set(messages) - set(ids)) == [], "missing: run pybabel extract and update the catalog"
    assert sorted(set(ids) - set(messages)) == [], "no longer used"
    for msgid, message in ids.items():
        assert message.pluralizable == messages[msgid], msgid
        assert "fuzzy" not in message.flags, msgid
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{language}: {msgid!r} is not translated"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_placeholder_and_tag_survives_in_every_translation(language: str) -> None:
    catalog = read_catalog(catalog_path(LOCALE, language))
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = Counter(PLACEHOLDER.findall(source))
        for form, string in enumerate(strings):
            have = Counter(PLACEHOLDER.findall(string))
            if language == "ar" and message.pluralizable and form in (1, 2):
                wanted_here = wanted - Counter({"num": wanted["num"]})  # "كلمة واحدة", "كلمتان": the noun says it
                have -= Counter({"num": have["num"]})
            else:
                wanted_here = wanted
            assert have == wanted_here, f"{language} form {form} of {source!r}: {string!r}"
            assert Counter(TAG.findall(string)) == Counter(TAG.findall(source)), f"{language}: {string!r}"
            string % {name: "x" for name in wanted}  # a stray % would break the page


@pytest.mark.parametrize("language", SHIPPED)
def test_plural_forms_are_the_languages_own(language: str) -> None:
    catalog = read_catalog(catalog_path(LOCALE, language))
    rule = get_plural(language)
    assert catalog.num_plurals == rule.num_plurals
    assert catalog.plural_expr == rule.plural_expr
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals
    for message in plurals:
        assert len(message.string) == rule.num_plurals, message.id


def test_arabic_has_six_plural_forms_chosen_by_the_count() -> None:
    text = translations("ar")
    shown = {n: text.ngettext("%(num)s post", "%(num)s posts", n) % {"num": n} for n in (0, 1, 2, 3, 11, 100)}
    assert shown == {0: "0 تدوينة", 1: "تدوينة واحدة", 2: "تدوينتان", 3: "3 تدوينات", 11: "11 تدوينةً",
                     100: "100 تدوينة"}
    assert len(set(shown.values())) == 6


def test_english_is_the_messages_themselves() -> None:
    catalog = read_catalog(catalog_path(LOCALE, "en"))
    for message in catalog:
        if message.id:
            assert message.string == message.id


def test_a_tag_with_a_region_uses_its_languages_catalog_and_an_unknown_language_shows_english() -> None:
    assert translations("pt-BR").gettext("Skip to content") == "Ir para o conteúdo"
    assert translations("de-AT").gettext("Tags") == "Schlagwörter"
    assert translations("sw").gettext("Tags") == "Tags"
    assert direction("ar") == direction("he") == direction("fa") == direction("ur") == "rtl"
    assert direction("fr") == direction("en-GB") == "ltr"


@pytest.mark.parametrize("folder", ["zh-Hant", "zh_Hant"])
def test_a_sites_catalog_for_a_script_is_read_over_its_languages(tmp_path, folder: str) -> None:
    """Traditional Chinese beside Simplified: ``templates/locale/zh-Hant/`` (as the tag is written) or
    ``zh_Hant/`` (as gettext spells it) was never read, and a zh-Hant page got the zh catalog's words."""
    for name, said in (("zh", "发布于"), (folder, "發佈於")):
        po = catalog_path(tmp_path, name, site=True)
        po.parent.mkdir(parents=True)
        po.write_text(f'msgid "Skip to content"\nmsgstr "{said}"\n', encoding="utf-8")
    assert translations("zh-Hant", tmp_path).gettext("Skip to content") == "發佈於"
    assert translations("zh-TW", tmp_path).gettext("Skip to content") == "發佈於"  # written in Traditional there
    assert translations("zh-Hans", tmp_path).gettext("Skip to content") == "发布于"


def test_the_catalog_a_warning_names_is_the_one_the_tag_reads() -> None:
    from engine.locale import catalog_folder
    assert [catalog_folder(tag) for tag in ("zh-Hant", "zh_hant", "pt-BR", "ja", "JA", "ja-JP", "zh-TW")] == [
        "zh-Hant", "zh-Hant", "pt", "ja", "ja", "ja", "zh-Hant"]


def test_a_sites_catalog_saved_with_a_byte_order_mark_is_read(tmp_path) -> None:
    po = catalog_path(tmp_path, "fr", site=True)
    po.parent.mkdir(parents=True)
    po.write_bytes(b'\xef\xbb\xbfmsgid "Skip to content"\nmsgstr "Aller au texte"\n')
    assert translations("fr", tmp_path).gettext("Skip to content") == "Aller au texte"


def test_a_sites_catalog_overrides_one_string_and_an_edit_is_read_at_once(tmp_path) -> None:
    po = catalog_path(tmp_path, "fr", site=True)
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Skip to content"\nmsgstr "Aller au texte"\n', encoding="utf-8")
    text = translations("fr", tmp_path)
    assert text.gettext("Skip to content") == "Aller au texte"
    assert text.gettext("Tags") == "Mots-clés"  # the theme's, for what the site leaves alone
    po.write_text('msgid "Skip to content"\nmsgstr "Sauter au texte"\n', encoding="utf-8")
    import os
    os.utime(po, ns=(po.stat().st_mtime_ns + 10**9, po.stat().st_mtime_ns + 10**9))
    assert translations("fr", tmp_path).gettext("Skip to content") == "Sauter au texte"
    assert translations("fr").gettext("Skip to content") == "Aller au contenu"


def test_a_fuzzy_entry_of_a_sites_catalog_is_left_out_as_gettext_leaves_it(tmp_path) -> None:
    """A translation Poedit or msgmerge marked ``#, fuzzy`` (a guess, not yet checked) took the theme's place."""
    po = catalog_path(tmp_path, "fr", site=True)
    po.parent.mkdir(parents=True)
    po.write_text('#, fuzzy\nmsgid "Skip to content"\nmsgstr "Sauter le contenu"\n\n'
                  'msgid "Tags"\nmsgstr "Étiquettes"\n', encoding="utf-8")
    text = translations("fr", tmp_path)
    assert text.gettext("Skip to content") == "Aller au contenu"  # the theme's
    assert text.gettext("Tags") == "Étiquettes"


PLURAL = 'msgid "%(num)s earlier update"\nmsgid_plural "%(num)s earlier updates"\n'


TWO = ("%(num)s ancienne note", "%(num)s anciennes notes")
SAID = ["1 ancienne note", "5 anciennes notes", "0 ancienne note", "1000000 anciennes notes"]
HEADER = 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural={rule};\\n"\n\n'


@pytest.mark.parametrize("language, header, forms, said", [
    ("fr", "", TWO, SAID),
    ("fr", HEADER.format(rule="(n > 1)"), TWO, SAID),
    ("fr", "", ("%(num)s ancienne note", "%(num)s de notes", "%(num)s anciennes notes"),
     [*SAID[:3], "1000000 de notes"]),
    # Poedit's Portuguese: 0 is plural, where CLDR groups it with 1 (the page said "1 palavras")
    ("pt", HEADER.format(rule="(n != 1)"), ("%(num)s palavra", "%(num)s palavras"),
     ["1 palavra", "5 palavras", "0 palavras", "1000000 palavras"]),
    ("es", HEADER.format(rule="(n > 1)"), ("%(num)s palabra", "%(num)s palabras"),  # "2 palabra" before
     ["1 palabra", "5 palabras", "0 palabra", "1000000 palabras"]),
    ("de", HEADER.format(rule="(n != 1)"), ("%(num)s Wort", "%(num)s Wörter"),
     ["1 Wort", "5 Wörter", "0 Wörter", "1000000 Wörter"]),
    ("ar", "", ("%(num)s كلمة", "%(num)s كلمات"),  # singular and plural, where CLDR's Arabic has six forms
     ["1 كلمة", "5 كلمات", "0 كلمات", "1000000 كلمات"]),
])
def test_a_sites_plural_translation_is_read_in_whatever_forms_it_is_written(
        tmp_path, language: str, header: str, forms: tuple[str, ...], said: list[str]) -> None:
    """Gettext's two forms, singular and plural, with or without their header, where the theme's catalog has
    CLDR's forms: the translation was dropped, and the page said "5 earlier updates" in English with no
    warning; three forms without a header stopped the build ("on 0"); a header's own rule was read by the
    theme's, one number deciding for a group of them."""
    po = catalog_path(tmp_path, language, site=True)
    po.parent.mkdir(parents=True)
    po.write_text(header + PLURAL + "".join(f'msgstr[{k}] "{form}"\n' for k, form in enumerate(forms)),
                  encoding="utf-8")
    text = translations(language, tmp_path)
    assert [text.ngettext("%(num)s earlier update", "%(num)s earlier updates", n) % {"num": n}
            for n in (1, 5, 0, 1_000_000)] == said
    theirs = text.ngettext("+%(num)s word", "+%(num)s words", 2) % {"num": 2}  # the theme's, in the site's forms
    assert theirs == translations(language).ngettext("+%(num)s word", "+%(num)s words", 2) % {"num": 2}


@pytest.mark.parametrize("content, message", [
    (b'msgid "Tags"\nmsgstr "Etiq %(x)s"\n',
     "templates/locale/fr/messages.po:1: the translation of 'Tags' uses %(x)s, which the message does not give"),
    (b'\n\nmsgid "Tags"\nmsgstr "100% tags"\n',
     "templates/locale/fr/messages.po:3: the translation of 'Tags' has a % that is no placeholder: write %%"),
    (b'msgid "Tags"\nmsgstr "\xff\xfe"\n', "templates/locale/fr/messages.po:2: not UTF-8 text (byte 0xff)"),
    (b'msgid "Tags"\nmsgtsr "Etiquettes"\n', "templates/locale/fr/messages.po:2: not a line of a gettext catalog: "
     "'msgtsr \"Etiquettes\"'"),  # a misspelt keyword: Babel passed over it, and the override was lost
    (b'msgid "Tags"\nmsgstr "Etiquettes\n\nmsgid "Home"\nmsgstr "Accueil"\n',
     "templates/locale/fr/messages.po:2: not a line of a gettext catalog"),  # a closing quote missing
    (b'msgid "Tags\\"\nmsgstr "Etiquettes"\n', "templates/locale/fr/messages.po:1: not a line of a gettext catalog"),
])
def test_a_sites_catalog_that_would_break_a_page_is_an_error_at_its_line(site, content: bytes, message: str) -> None:
    from conftest import config_with, run_cli
    root = site({"templates/locale/fr/messages.po": content},
                config=config_with(language="fr"))
    done = run_cli("check", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert message in done.stderr + done.stdout


FR_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'
NOT_READ = "is not an expression gettext can read"


@pytest.mark.parametrize("forms, message", [
    ("nplurals=2; plural=n >;", f"the Plural-Forms header's plural=n > {NOT_READ} (unexpected end of plural form)"),
    ("nplurals=2; plural=(n >>> 1);", f"the Plural-Forms header's plural=(n >>> 1) {NOT_READ}"),
    ("nplurals=2; plural=__import__;", f"the Plural-Forms header's plural=__import__ {NOT_READ}"),
    ("nplurals=x; plural=(n > 1);", "the Plural-Forms header 'nplurals=x; plural=(n > 1);' has an nplurals= that is "
                                    "not a whole number"),
    ("nplurals=0; plural=0;", "the Plural-Forms header's nplurals=0: a language has at least one form"),
    ("nplurals=2; plural=(n % 0);", "the Plural-Forms header's plural=(n % 0) gives no form for 0"),
    ("nplurals=2; plural=n;", "the Plural-Forms header's plural=n gives form 2 for 2, but nplurals=2 has forms 0 "
                              "to 1"),
])
def test_a_plural_forms_header_gettext_cannot_count_by_is_an_error_at_its_line(site, forms: str, message: str) -> None:
    """A typo in the header stopped the build with a traceback (``ValueError: unexpected end of plural form``),
    or with Python's own words and no line (``invalid literal for int()``); a rule giving a form the header
    does not have showed the English."""
    from conftest import config_with, run_cli
    root = site({"templates/locale/fr/messages.po": FR_HEADER.format(forms=forms) + 'msgid "Home"\nmsgstr "Maison"\n'},
                config=config_with(language="fr"))
    for command in ("check", "build"):
        done = run_cli(command, cwd=root)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert f"templates/locale/fr/messages.po:4: {message}" in done.stderr
    assert not (root / "output").exists()


TWO_FORMS = FR_HEADER.format(forms="nplurals=2; plural=(n > 1);")
POST = 'msgid "%(num)s post"\nmsgid_plural "%(num)s posts"\n'
PART = 'msgid "Part %(part)s of %(total)s"\n'
PO = "templates/locale/fr/messages.po:6: "
BY_HEADER = "as the Plural-Forms header says nplurals=2"


@pytest.mark.parametrize("content, message", [
    # the probe's three: "Partie 1ur 3", "2 billet", "a billets", each with 0 warnings
    (PART + 'msgstr "Partie %(part) sur %(total)s"\n',
     "the translation of 'Part %(part)s of %(total)s' has '%(part) s' where the message has '%(part)s': write it as "
     "the message does (Python reads '%(part) s' as one placeholder, and readers would not see ' s')"),
    (POST + 'msgstr[0] "%(num)s billet"\n',
     "the translation of '%(num)s post' has no msgstr[1], and readers would get another form's words for the "
     f"numbers it counts: give msgstr[0] and msgstr[1], {BY_HEADER}"),
    (POST + 'msgstr "billets"\n',
     "the translation of '%(num)s post' is a plain msgstr, but the message has a plural ('%(num)s posts'), and "
     f"readers would get the same words for every number: give msgstr[0] and msgstr[1], {BY_HEADER}"),
    (POST + 'msgstr[0] "%(num)s billet"\nmsgstr[1] ""\n', "the translation of '%(num)s post' leaves msgstr[1] empty"),
    (POST + 'msgstr[0] "%(num)s billet"\nmsgstr[1] "%(num)s billets"\nmsgstr[2] "%(num)s de billets"\n',
     f"the translation has more plural forms than the language counts: give msgstr[0] and msgstr[1], {BY_HEADER}"),
    (POST + 'msgstr[0] "un billet"\nmsgstr[1] "%(num)s billets"\n',  # form 0 is 0 as well as 1: "un billet" for 0
     "the translation of '%(num)s post' (msgstr[0]) leaves out %(num)s, which the message has: readers would not "
     "see it"),
    ('msgid "Tags"\nmsgstr[0] "Mots"\nmsgstr[1] "Mots"\n', "the translation of 'Tags' is written in plural forms "
     "(msgstr[0] …), but the message has no msgid_plural: write one msgstr"),
    (PART + 'msgstr "Partie %(part)s"\n', "the translation of 'Part %(part)s of %(total)s' leaves out %(total)s, "
     "which the message has"),
    (PART + 'msgstr "Partie %(part)s sur %(total)"\n', "the translation of 'Part %(part)s of %(total)s' has "
     "'%(total)' where the message has '%(total)s': write it as the message does"),
    (PART + 'msgstr "Partie %(part)d sur %(total)s"\n', "the translation of 'Part %(part)s of %(total)s' has "
     "'%(part)d' where the message has '%(part)s'"),
    (PART + 'msgstr "Partie %(part)s sur %s"\n', "the translation of 'Part %(part)s of %(total)s' has '%s', a "
     "placeholder without a name, which would show the page's own data: write %% for a percent sign, or a "
     "placeholder of the message's (%(part)s, %(total)s)"),
])
def test_a_translation_that_would_give_readers_wrong_words_is_an_error_at_its_line(site, content: str,
                                                                                    message: str) -> None:
    """Checked as msgfmt --check does, and more: each built with 0 warnings, and readers read "Partie 1ur 3",
    "2 billet" or "a billets" for "2 billets"."""
    from conftest import config_with, run_cli
    root = site({"templates/locale/fr/messages.po": TWO_FORMS + content}, config=config_with(language="fr"))
    done = run_cli("check", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert PO + message in done.stderr


def test_a_build_stops_at_a_wrong_translation_and_keeps_the_site_it_had(site) -> None:
    from conftest import assert_user_error, config_with, post, run_cli, snapshot
    root = site({"templates/locale/fr/messages.po": TWO_FORMS + PART + 'msgstr "Partie %(part)s sur %(total)s"\n',
                 "posts/one.md": post("One")}, config=config_with(language="fr"))
    assert run_cli("build", cwd=root).returncode == 0
    before = snapshot(root / "output")
    (root / "templates/locale/fr/messages.po").write_text(TWO_FORMS + PART + 'msgstr "Partie %(part) sur %(total)s"\n',
                                                          encoding="utf-8")
    done = run_cli("build", cwd=root)
    assert_user_error(done)
    assert PO + "the translation of 'Part %(part)s of %(total)s' has '%(part) s'" in done.stderr
    assert snapshot(root / "output") == before


@pytest.mark.parametrize("header, content, said", [
    # a form shown for one number only may say the number in words, as msgfmt allows
    ('"Plural-Forms: nplurals=3; plural=(n == 1 ? 0 : n == 2 ? 1 : 2);\\n"\n',
     'msgstr[0] "une note"\nmsgstr[1] "deux notes"\nmsgstr[2] "%(num)s notes"\n',
     ["une note", "deux notes", "5 notes", "0 notes"]),
    ("", 'msgstr[0] "%(num)s note, 100%%"\nmsgstr[1] "%(num)s notes, 100%%"\n',
     ["1 note, 100%", "2 notes, 100%", "5 notes, 100%", "0 note, 100%"]),
])
def test_a_translation_as_gettext_reads_it_passes_the_check(tmp_path, header: str, content: str,
                                                            said: list[str]) -> None:
    po = catalog_path(tmp_path, "fr", site=True)
    po.parent.mkdir(parents=True)
    po.write_text(f'msgid ""\nmsgstr ""\n{header}\n' + PLURAL + content, encoding="utf-8")
    text = translations("fr", tmp_path)
    assert [text.ngettext("%(num)s earlier update", "%(num)s earlier updates", n) % {"num": n}
            for n in (1, 2, 5, 0)] == said


@pytest.mark.parametrize("language", SHIPPED)
def test_the_theme_catalogs_pass_the_check_a_sites_catalog_must(language: str) -> None:
    """The same check as a site's own catalog: its plural forms, and each translation's placeholders."""
    read_catalog(catalog_path(LOCALE, language), checked=True)


def test_translations_a_native_reader_corrected_read_as_they_said() -> None:
    """French told readers a paragraph moved up one place went "to the beginning of the essay", beside a mark
    saying "from further up"; German put the verb before its object; Arabic wrote "2" and then "two words"."""
    fr, de, ar = (translations(tag) for tag in ("fr", "de", "ar"))
    for kind in ("paragraph", "heading", "list", "quotation", "table", "code block"):
        assert fr.gettext(f"A {kind} moved from here to earlier in the essay.").endswith(
            " plus haut dans l’essai.")
        assert fr.gettext(f"A {kind} moved from here to later in the essay.").endswith(
            " plus bas dans l’essai.")
    assert fr.gettext("Moved from earlier in the essay.") == "Déplacé depuis plus haut dans l’essai."
    assert de.gettext("Read the current version%(title)s.") % {"title": " von „Drei Gesetze“"} == \
        "Die aktuelle Fassung von „Drei Gesetze“ lesen."
    assert ar.ngettext("+%(num)s word", "+%(num)s words", 2) % {"num": 2} == "+2 كلمة"
    assert ar.ngettext("−%(num)s word", "−%(num)s words", 11) % {"num": 11} == "−11 كلمةً"

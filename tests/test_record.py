"""``publish`` and ``revise``: the archive they write and what they refuse."""
from __future__ import annotations

import hashlib
import os
import subprocess
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import EPOCH, NOW, post, run_cli
from engine.commands.publish import publish
from engine.commands.revise import revise
from engine.config import Config, load_config
from engine.errors import Report, SiteError
from engine.model.types import Version
from engine.source.load import split_source
from engine.source.versions import read_archive

NEW_YORK = ZoneInfo("America/New_York")
DRAFT = "---\ntitle: \"The Three Statutes\"\ndraft: true\nsummary: \"\"\n---\n\nWrite here.\n"
PUBLIC = post("Already Out", date="2026-11-01T09:00:00", body="The original essay.")


@pytest.fixture(autouse=True)
def no_enclosing_git(monkeypatch, tmp_path):
    """Keep git from finding a repository above the test's folder."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def setup(site, files: dict[str, str]) -> tuple[Path, Config]:
    root = site(files)
    config, _ = load_config(root)
    return root, config


def archive(root: Path, post_path: Path, config: Config) -> tuple[tuple[Version, ...], Report]:
    report = Report(root)
    return read_archive(post_path, config.timezone, report), report


def verified(root: Path, post_path: Path, config: Config) -> tuple[Version, ...]:
    versions, report = archive(root, post_path, config)
    assert report.items == [], [str(d) for d in report.items]
    return versions


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(SiteError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def meta(path: Path) -> dict:
    report = Report(path.parent)
    source = split_source(path, path.name, path.read_bytes(), report)
    assert source is not None and report.items == []
    return source.meta


def published(site, files=None) -> tuple[Path, Config, Path]:
    """A site with one public post, version 1 recorded."""
    root, config = setup(site, files or {"posts/essay.md": PUBLIC})
    path = root / "posts/essay.md"
    publish(path, root, config, None, NOW)
    return root, config, path


# --- publish -------------------------------------------------------------------

def test_publish_a_draft(site):
    root, config = setup(site, {"posts/statutes.md": DRAFT})
    path = root / "posts/statutes.md"
    done = publish(path, root, config, "2026-11-22T10:00", NOW)
    assert done.version == 1
    text = path.read_text(encoding="utf-8")
    assert "draft" not in text
    front = meta(path)
    assert front["title"] == "The Three Statutes"
    assert front["date"] == datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert front["id"] == "tag:example.org,2026-11-22:statutes"
    assert text.endswith("\nWrite here.\n")

    v1 = root / "posts/statutes.versions/v1.md"
    assert v1.is_file()
    (version,) = verified(root, path, config)
    assert version.number == 1
    assert version.date == datetime(2026, 11, 22, 10, 0, tzinfo=NEW_YORK)
    assert version.text == text
    assert version.title == "The Three Statutes"
    assert version.note == "" and not version.minor
    recorded = meta(v1)["sha256"]
    assert recorded == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_save_made_while_publish_checks_the_site_is_kept(site, monkeypatch):
    """``publish`` wrote back the text it had read before its check of the site, over what an editor saved
    meanwhile: the new paragraph was in neither the post nor version 1, and the command said all was well.
    A draft, a post taken down and put back, and a page, alike."""
    import engine.commands.publish as publishing
    checked = publishing.validate_as

    def saving_meanwhile(source, *args, **kwargs):
        found = checked(source, *args, **kwargs)
        source.path.write_text(source.path.read_text(encoding="utf-8") + "\nSaved meanwhile.\n", encoding="utf-8")
        return found
    monkeypatch.setattr(publishing, "validate_as", saving_meanwhile)
    page = DRAFT.replace("draft: true", "draft: true\nlayout: page")
    root, config = setup(site, {"posts/statutes.md": DRAFT, "posts/about.md": page})
    for name in ("statutes", "about"):
        path = root / f"posts/{name}.md"
        said = refused(publish, path, root, config, None, NOW)
        assert "changed while `publish` was checking the site" in said and "nothing was recorded" in said
        assert path.read_text(encoding="utf-8").endswith("Write here.\n\nSaved meanwhile.\n")
        assert not (root / f"posts/{name}.versions").exists()
    monkeypatch.setattr(publishing, "validate_as", checked)
    path = root / "posts/statutes.md"
    publish(path, root, config, None, NOW)
    (version,) = verified(root, path, config)
    assert "Saved meanwhile." in version.text  # published again, the save is in version 1
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "draft: true\ntitle:"), encoding="utf-8")
    monkeypatch.setattr(publishing, "validate_as", saving_meanwhile)
    assert "changed while" in refused(publish, path, root, config, None, NOW)  # put back after a take-down
    assert path.read_text(encoding="utf-8").count("Saved meanwhile.") == 2 and "draft: true" in path.read_text()


def test_publish_a_draft_without_at_uses_now(site):
    root, config = setup(site, {"posts/statutes.md": DRAFT})
    path = root / "posts/statutes.md"
    publish(path, root, config, None, NOW)
    assert meta(path)["date"] == NOW
    (version,) = verified(root, path, config)
    assert version.date == NOW


def test_published_draft_is_then_public(site):
    from engine.config import Options
    from engine.model.assemble import assemble
    from engine.source.load import load
    root, config = setup(site, {"posts/statutes.md": DRAFT})
    publish(root / "posts/statutes.md", root, config, "2026-11-22T10:00", NOW)
    report = Report(root)
    model = assemble(load(root, root / "posts", report), config, NOW, Options(), report)
    assert list(model.posts) == ["statutes.md"]
    assert len(model.posts["statutes.md"].versions) == 1


def test_publish_an_already_public_post_records_v1_at_its_date(site):
    root, config, path = published(site)
    (version,) = verified(root, path, config)
    assert version.date == datetime(2026, 11, 1, 9, 0, tzinfo=NEW_YORK)
    assert version.text == path.read_text(encoding="utf-8")
    assert "The original essay." in version.body
    front = meta(path)
    assert front["date"] == datetime(2026, 11, 1, 9, 0)  # as the author wrote it
    assert front["id"] == "tag:example.org,2026-11-01:essay"


def test_publish_keeps_an_id_that_is_already_there(site):
    root, config = setup(site, {"posts/essay.md": post("Out", id="urn:x:1")})
    path = root / "posts/essay.md"
    publish(path, root, config, None, NOW)
    assert meta(path)["id"] == "urn:x:1"
    assert path.read_text(encoding="utf-8").count("id:") == 1


def test_publish_twice_is_refused(site):
    root, config, path = published(site)
    before = path.read_bytes()
    message = refused(publish, path, root, config, None, NOW)
    assert message.startswith("posts/essay.md: is already published")
    assert "revise" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in (root / "posts/essay.versions").iterdir()) == ["v1.md"]


def test_publish_with_a_bad_at_is_refused(site):
    root, config = setup(site, {"posts/statutes.md": DRAFT})
    path = root / "posts/statutes.md"
    message = refused(publish, path, root, config, "next week", NOW)
    assert "--at" in message
    assert path.read_text(encoding="utf-8") == DRAFT
    assert not (root / "posts/statutes.versions").exists()


# --- revise --------------------------------------------------------------------

def test_revise_with_a_note_and_changed_text(site):
    root, config, path = published(site)
    path.write_text(path.read_text(encoding="utf-8").replace("original", "revised"), encoding="utf-8")
    done = revise(path, root, config, "Update: I was wrong about *one* thing.", "2026-11-20T12:00", False, NOW)
    assert done.version == 2
    v1, v2 = verified(root, path, config)
    assert (root / "posts/essay.versions/v2.md").is_file()
    assert "The original essay." in v1.body
    assert "The revised essay." in v2.body
    assert v2.note == "Update: I was wrong about *one* thing."
    assert v2.date == datetime(2026, 11, 20, 12, 0, tzinfo=NEW_YORK)
    assert not v2.minor


def test_revise_without_at_is_dated_now(site):
    root, config, path = published(site)
    revise(path, root, config, "A note.", None, False, NOW)
    assert verified(root, path, config)[-1].date == NOW


def test_note_only_revise_is_allowed(site):
    root, config, path = published(site)
    done = revise(path, root, config, "Update: a reader pointed out a new case.", None, False, NOW)
    assert done.version == 2
    v1, v2 = verified(root, path, config)
    assert v2.body == v1.body and v2.title == v1.title  # the essay is as it was
    assert v2.text == v1.text.replace("version: 1", "version: 2")  # only the pinned count moved
    assert "version: 2" in path.read_text()
    assert v2.note == "Update: a reader pointed out a new case."


def test_long_multi_paragraph_note_round_trips(site):
    root, config, path = published(site)
    note = ("Update: November 28, 12:00 pm:\n\nFirst paragraph, with *emphasis*.\n\n---\n\n"
            "> A quoted line\n\n- a list item  \n- another: with a colon\n")
    revise(path, root, config, note, None, False, NOW)
    assert verified(root, path, config)[-1].note == note.strip()


@pytest.mark.parametrize("note", [
    "Mise à jour :\n\n- un élément  \n- avec une fin de ligne forcée  \n\nFin.",  # Markdown's hard breaks
    "A tabbed block follows.\n\n\tcode tabulé\n\nEnd.",
    "    Starts as code.\n\nThen prose.",
])
def test_a_note_with_hard_breaks_or_tabs_is_kept_as_a_block_an_author_can_edit(site, note: str):
    """PyYAML writes such a note as one quoted line of ``\\n`` escapes; the guide tells authors to mend a
    note's lines under ``note: |``, so it is written so, and reads back as the very note."""
    root, config, path = published(site)
    revise(path, root, config, note, None, False, NOW)
    written = (root / "posts/essay.versions/v2.md").read_text()
    header = written.split("---\n")[1]
    assert "\nnote: |" in header and "\\n" not in header
    assert "".join(f"  {line}\n" if line else "\n" for line in note.split("\n")) in header
    assert verified(root, path, config)[-1].note == note


def test_revise_with_neither_change_nor_note_is_refused(site):
    root, config, path = published(site)
    message = refused(revise, path, root, config, "", None, False, NOW)
    assert message == ("posts/essay.md: nothing to record: the text is unchanged since version 1 "
                       "and the note is empty (write one with --note or --note-file)")
    assert len(verified(root, path, config)) == 1
    root, config = setup(site, {"posts/never.md": PUBLIC})  # public, no version recorded: there is no version 1
    message = refused(revise, root / "posts/never.md", root, config, "   ", None, False, NOW)
    assert message == ("posts/never.md: nothing to record: the text is unchanged since it went out (no version is "
                       "recorded yet: the first revision records that text as version 1) and the note is empty "
                       "(write one with --note or --note-file)")
    assert not (root / "posts/never.versions").exists()


def test_whitespace_note_counts_as_no_note(site):
    root, config, path = published(site)
    assert "nothing to record" in refused(revise, path, root, config, "  \n\n ", None, False, NOW)


def test_minor_revise_with_changed_text(site):
    root, config, path = published(site)
    path.write_text(path.read_text(encoding="utf-8").replace("essay.", "essay!"), encoding="utf-8")
    revise(path, root, config, "Fixed a typo", None, True, NOW)
    v2 = verified(root, path, config)[-1]
    assert v2.minor
    assert v2.note == "Fixed a typo"


def test_minor_with_unchanged_text_is_refused(site):
    root, config, path = published(site)
    message = refused(revise, path, root, config, "Fixed a typo", None, True, NOW)
    assert message == "posts/essay.md: --minor records a silent correction, but the text is unchanged"
    assert len(verified(root, path, config)) == 1


def test_at_earlier_than_the_previous_version_is_refused(site):
    root, config, path = published(site)
    revise(path, root, config, "First update.", "2026-11-20T12:00", False, NOW)
    message = refused(revise, path, root, config, "Second update.", "2026-11-19T12:00", False, NOW)
    assert "is earlier than version 2" in message
    assert "versions are recorded in order" in message
    same = refused(revise, path, root, config, "Second update.", "2026-11-20T12:00", False, NOW)
    assert "--at 2026-11-20T12:00:00-05:00 is the moment of version 2; a revision comes after" in same
    assert len(verified(root, path, config)) == 2


def test_a_version_dated_after_now_is_named_not_an_at_never_given(site):
    """A machine whose clock went back (or an import of a commit a wrong clock dated) leaves the last
    version after now: the message names that, not ``--at``."""
    root, config, path = published(site)
    path.write_text(path.read_text().replace("Some text.", "Some text, edited."))
    revise(path, root, config, "First update.", None, False, NOW)
    path.write_text(path.read_text().replace("edited", "edited twice"))
    message = refused(revise, path, root, config, "Second update.", None, False, NOW - timedelta(days=1))
    assert "--at" not in message and "version 2 is dated" in message and "after now" in message


def test_at_earlier_than_publication_is_refused(site):
    root, config, path = published(site)
    message = refused(revise, path, root, config, "Update.", "2026-10-01", False, NOW)
    assert "is earlier than version 1" in message


def test_at_in_the_future_is_refused(site):
    root, config, path = published(site)
    message = refused(revise, path, root, config, "Update.", "2026-11-28T12:01", False, NOW)
    assert "is in the future" in message
    assert len(verified(root, path, config)) == 1


def test_revise_of_a_draft_is_refused(site):
    root, config = setup(site, {"posts/statutes.md": DRAFT})
    message = refused(revise, root / "posts/statutes.md", root, config, "note", None, False, NOW)
    assert "is not published yet" in message
    assert "publish" in message


def test_revise_on_a_tampered_archive_is_refused(site):
    root, config, path = published(site)
    v1 = root / "posts/essay.versions/v1.md"
    v1.write_text(v1.read_text(encoding="utf-8").replace("original", "doctored"), encoding="utf-8")
    message = refused(revise, path, root, config, "Update.", None, False, NOW)
    assert "altered or truncated" in message
    assert not (root / "posts/essay.versions/v2.md").exists()


# --- a recorded version is never rewritten ---------------------------------------

def test_editing_recorded_text_is_detected(site):
    root, config, path = published(site)
    v1 = root / "posts/essay.versions/v1.md"
    v1.write_text(v1.read_text(encoding="utf-8").replace("original", "doctored"), encoding="utf-8")
    versions, report = archive(root, path, config)
    assert versions == ()
    (error,) = report.errors
    assert error.path == "posts/essay.versions/v1.md"
    assert "recorded version 1 was altered or truncated" in error.message
    assert str(error).startswith("posts/essay.versions/v1.md:")


def test_truncated_version_is_detected(site):
    root, config, path = published(site)
    v1 = root / "posts/essay.versions/v1.md"
    v1.write_bytes(v1.read_bytes()[:-8])
    _, report = archive(root, path, config)
    assert ["altered or truncated" in d.message for d in report.errors] == [True]


def test_deleting_a_version_is_detected(site):
    root, config, path = published(site)
    revise(path, root, config, "Update.", None, False, NOW)
    (root / "posts/essay.versions/v1.md").unlink()
    versions, report = archive(root, path, config)
    assert [v.number for v in versions] == [2]
    (error,) = report.errors
    assert error.path == "posts/essay.versions/v1.md"
    assert error.message.startswith("recorded version 1 is missing")


def test_a_version_file_copied_under_another_number_is_detected(site):
    root, config, path = published(site)
    folder = root / "posts/essay.versions"
    (folder / "v2.md").write_bytes((folder / "v1.md").read_bytes())
    _, report = archive(root, path, config)
    (error,) = report.errors
    assert str(error) == "posts/essay.versions/v2.md:2: says version 1 but is named v2.md"


def test_a_stray_file_in_the_archive_is_a_warning(site):
    root, config, path = published(site)
    (root / "posts/essay.versions/notes.txt").write_text("mine", encoding="utf-8")
    versions, report = archive(root, path, config)
    assert len(versions) == 1
    assert [str(d) for d in report.items] == [
        "posts/essay.versions/notes.txt: warning: not a version file (expected v1.md, v2.md, …); ignored"]

def test_editing_only_the_note_keeps_the_version_valid(site):
    root, config, path = published(site)
    revise(path, root, config, "Update: teh reader was right.", None, False, NOW)
    v2 = root / "posts/essay.versions/v2.md"
    v2.write_text(v2.read_text(encoding="utf-8").replace("teh reader", "the reader"), encoding="utf-8")
    assert verified(root, path, config)[-1].note == "Update: the reader was right."


@pytest.mark.parametrize("edit, said", [
    (("note: |", "nite: |"), "posts/essay.versions/v2.md:9: recorded version 2: unknown key `nite`: did you mean "
                             "`note`? (only the note may be corrected by hand)"),
    (("note: |", "colour: red\nnote: |"), "posts/essay.versions/v2.md:9: recorded version 2: unknown key `colour`: "
                                          "a version's header holds only `version`, `date`, `minor`, `sha256`, "
                                          "`seal`, `recorded`, `address`, `origin`, `note`; delete the line"),
    (("note: |\n  Update: the reader was right.\n", "note: ''\n"), None),
    (("note: |\n  Update: the reader was right.\n", ""), None),
])
def test_a_note_lost_to_a_hand_edit_stops_the_build(site, edit, said):
    """A renamed ``note:`` key, or a note emptied, would take the note off every page without a word."""
    root, config, path = published(site)
    revise(path, root, config, "Update: the reader was right.", None, False, NOW)
    v2 = root / "posts/essay.versions/v2.md"
    v2.write_text(v2.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    versions, report = archive(root, path, config)
    assert [v.number for v in versions] == [1]
    (error,) = report.errors
    if said:
        assert str(error) == said
    else:
        assert str(error).startswith("posts/essay.versions/v2.md:")
        assert "recorded version 2 has no note" in error.message and "`note: |`" in error.message


@pytest.mark.parametrize("second, said", [
    ("Its second line: lost its indent.", "recorded version 2: unknown key `Its second line`: if this line belongs "
                                          "to the note above it, indent it two spaces, as the note's other lines are"),
    ("Its second line lost its indent.", "recorded version 2 is damaged (invalid YAML in front matter); if you edited "
                                         "its note, write it under `note: |`, each of its lines indented two spaces "
                                         "(a note on the key's own line cannot hold a `: `); if not, restore the "
                                         "file from git or a backup"),
])
def test_a_note_line_that_lost_its_indent_is_told_to_get_it_back(site, second, said):
    root, config, path = published(site)
    revise(path, root, config, "Update: the reader was right.", None, False, NOW)
    v2 = root / "posts/essay.versions/v2.md"
    v2.write_text(v2.read_text(encoding="utf-8").replace(
        "  Update: the reader was right.\n", f"  Update: the reader was right.\n\n{second}\n"), encoding="utf-8")
    _, report = archive(root, path, config)
    (error,) = report.errors
    assert (error.path, error.line, error.message) == ("posts/essay.versions/v2.md", 12, said)


@pytest.mark.parametrize("note, said", [
    ("note: Fixed: a typo", "posts/essay.versions/v2.md:9: recorded version 2 is damaged (invalid YAML in front "
                            "matter); if you edited its note, write it under `note: |`, each of its lines indented two "
                            "spaces (a note on the key's own line cannot hold a `: `); if not, restore the file from "
                            "git or a backup"),
    ("note: [Fixed a typo, and another]", "posts/essay.versions/v2.md:9: the note of recorded version 2 is not text "
                                          "(YAML read it as a list or a mapping): write it under `note: |`, each of "
                                          "its lines indented two spaces"),
])
def test_a_note_corrected_by_hand_on_one_line_is_told_how_to_write_it(site, note, said):
    """Correcting a note is allowed; one written on the key's line with a colon in it was called damaged, to be
    restored from a backup, and one YAML reads as a list was shown as Python's ``['Fixed a typo', …]``."""
    root, config, path = published(site)
    revise(path, root, config, "Fixed a typo", None, False, NOW)
    v2 = root / "posts/essay.versions/v2.md"
    v2.write_text(v2.read_text(encoding="utf-8").replace("note: |\n  Fixed a typo\n", note + "\n"), encoding="utf-8")
    _, report = archive(root, path, config)
    assert [str(error) for error in report.errors] == [said]


def test_a_control_character_in_a_recorded_text_says_what_and_where(site):
    root, config, path = published(site)
    v1 = root / "posts/essay.versions/v1.md"
    text = v1.read_text(encoding="utf-8")
    v1.write_text(text[:-3] + "\x00" + text[-3:], encoding="utf-8")
    _, report = archive(root, path, config)
    (error,) = report.errors
    assert "is damaged (column " in error.message and ": the control character U+0000 is invisible" in error.message
    assert "note" not in error.message, error.message  # it is in the recorded text, not the note


def test_a_control_character_in_a_note_edited_by_hand_is_told_to_go(site):
    root, config, path = published(site)
    revise(path, root, config, "Fixed a typo", None, False, NOW)
    v2 = root / "posts/essay.versions/v2.md"
    v2.write_text(v2.read_text(encoding="utf-8").replace("  Fixed a typo", "  Fixed\x01 a typo"), encoding="utf-8")
    _, report = archive(root, path, config)
    (error,) = report.errors
    assert "the control character U+0001" in error.message and error.message.endswith(
        "delete it (only the note may be corrected by hand)"), error.message


def test_a_file_where_the_versions_folder_belongs_is_named_as_the_cause(site):
    root, config, path = published(site)
    folder = root / "posts/essay.versions"
    folder.rename(root / "kept")
    folder.write_text("x")
    _, report = archive(root, path, config)
    assert [str(error) for error in report.errors] == [
        "posts/essay.versions: is a file, where the folder of essay.md's recorded versions belongs: move it away, "
        "and put the folder back from git or a backup if the post has versions"]


def test_every_key_a_version_file_is_written_with_is_one_the_reader_knows() -> None:
    """``HEADER_KEYS`` is kept beside ``render_version_file``: a key written but not known would stop every build."""
    import yaml

    from engine.source.versions import HEADER_KEYS, NewVersion, render_version_file
    entry = NewVersion("---\ntitle: T\n---\nText.\n", NOW, "A note.", True, origin="git abc", address="essay/",
                       recorded=NOW)
    head = yaml.safe_load(render_version_file(2, entry).split("---\n")[1])
    assert set(head) == set(HEADER_KEYS)


def test_a_first_version_needs_no_note(site):
    root, config, path = published(site)
    assert verified(root, path, config)[0].note == ""


def test_version_files_are_plain_text_with_the_post_inside(site):
    root, config, path = published(site)
    v1 = (root / "posts/essay.versions/v1.md").read_text(encoding="utf-8")
    assert v1.startswith("---\nversion: 1\n")
    assert v1.endswith(path.read_text(encoding="utf-8"))


# --- two commands at once -------------------------------------------------------

def test_concurrent_revises_leave_a_clean_archive(site):
    root, config, path = published(site)
    env = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    results: list[subprocess.CompletedProcess[str]] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def run(n: int) -> None:
        start.wait()
        done = run_cli("--site", str(root), "revise", str(path), "--note", f"note {n}", env=env)
        with lock:
            results.append(done)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    for done in results:
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode in (0, 1), done.stderr
        if done.returncode == 1:
            assert "recorded by another command at the same time" in done.stderr
    succeeded = sum(1 for done in results if done.returncode == 0)
    assert succeeded >= 1

    folder = root / "posts/essay.versions"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"v{n}.md" for n in range(1, succeeded + 2)], names  # no temp files, no gaps
    versions = verified(root, path, config)
    assert [v.number for v in versions] == list(range(1, succeeded + 2))
    notes = [v.note for v in versions[1:]]
    assert len(set(notes)) == len(notes)  # no note recorded twice
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


# --- revising a post that was never recorded ------------------------------------

def test_revise_without_archive_outside_git(site):
    root, config = setup(site, {"posts/essay.md": PUBLIC})
    path = root / "posts/essay.md"
    path.write_text(PUBLIC.replace("original", "edited"), encoding="utf-8")
    done = revise(path, root, config, "Update.", None, False, NOW)
    said = "\n".join(done.messages)
    assert "never recorded" in said
    v1, v2 = verified(root, path, config)
    assert v1.date == datetime(2026, 11, 1, 9, 0, tzinfo=NEW_YORK)
    assert "The edited essay." in v1.body  # the text as it stood: nothing older is known
    assert v2.note == "Update."


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_revise_without_archive_in_git_recovers_the_committed_original(site):
    root, config = setup(site, {"posts/essay.md": PUBLIC})
    path = root / "posts/essay.md"
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    edited = PUBLIC.replace("original", "edited")
    path.write_text(edited, encoding="utf-8")
    done = revise(path, root, config, "Update: corrected.", None, False, NOW)
    said = "\n".join(done.messages)
    assert "git" in said
    v1, v2 = verified(root, path, config)
    assert v1.text == PUBLIC
    assert v1.date == datetime(2026, 11, 1, 9, 0, tzinfo=NEW_YORK)
    # the feed id the post had so far is pinned with the version, so that a rename cannot change it
    assert v2.text == edited.replace("\n---\n", "\nid: tag:example.org,2026-11-01:essay\nversion: 2\n---\n", 1)
    assert path.read_text() == v2.text
    assert v2.note == "Update: corrected."


def test_the_recovered_original_is_the_public_text_at_the_posts_date_followed_through_renames(site):
    """Version 1 from git is what readers read on the post's date: not an earlier draft (never public),
    not a later edit, and found across a rename, as the import reads a history."""
    root, config = setup(site, {"posts/working-title.md": post("Already Out", draft=True, body="A draft no one read.")})
    path = root / "posts/essay.md"

    def commit(text: str, when: str, subject: str) -> None:
        path.write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", subject, f"--date={when}")

    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft", "--date=2026-10-20T09:00:00-04:00")
    git(root, "mv", "posts/working-title.md", "posts/essay.md")
    commit(post("Already Out", date="2026-11-01T09:00:00", body="An early text."), "2026-10-30T09:00:00-04:00",
           "public, but dated for later")
    commit(PUBLIC, "2026-10-31T09:00:00-04:00", "the text as published")
    commit(PUBLIC.replace("original", "later"), "2026-11-03T09:00:00-05:00", "an edit after publication")
    path.write_text(PUBLIC.replace("original", "edited"), encoding="utf-8")
    done = revise(path, root, config, "Update.", None, False, NOW)
    v1, v2 = verified(root, path, config)
    assert v1.text == PUBLIC, v1.text
    assert "recovered the original text from git commit" in "\n".join(done.messages)
    assert "The edited essay." in v2.body


def test_losing_the_newest_version_stops_the_build(site):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("Some text.", "Some revised text."))
    revise(path, root, config, "Revised.", None, False, NOW)
    (path.parent / "essay.versions" / "v2.md").unlink()
    from engine.config import Options
    from engine.errors import Report, SiteError
    from engine.model.assemble import assemble
    from engine.source.load import load
    report = Report(root)
    sources = load(root, root / "posts", report)
    with pytest.raises(SiteError) as caught:
        assemble(sources, config, NOW, Options(), report)
    assert [str(d) for d in caught.value.diagnostics if not d.warning] == [
        f"posts/essay.md:{_line_of(path, 'version')}: says version 2 was recorded, but the archive has 1: "
        "essay.versions/v2.md is missing; restore it from git or a backup (a recorded version is never deleted)"]


def _line_of(path, key):
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(key + ":"))


# --- nothing is recorded that a build would stop at ---------------------------------

def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("edit, error", [
    (lambda text: text + "\n<div>\n", "posts/essay.md:10: raw HTML: <div> is never closed"),
    (lambda text: text.replace('title: "Already Out"', 'title: ""'),
     "posts/essay.md:2: missing `title`: every post needs one (title: \"…\")"),
])
def test_revise_refuses_text_a_build_would_stop_at(site, edit, error):
    root, config, path = published(site)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = files_under(root)
    message = refused(revise, path, root, config, "Update.", None, False, NOW)
    assert message.splitlines() == [error, "posts/essay.md: nothing was recorded: a build would stop at the errors "
                                           "above; fix them, then run `feuilleton revise` again"]
    assert files_under(root) == before
    assert len(verified(root, path, config)) == 1


def test_revise_of_a_never_recorded_post_records_no_version_1_when_refused(site):
    root, config = setup(site, {"posts/essay.md": PUBLIC + "\n<section>\n"})
    path = root / "posts/essay.md"
    message = refused(revise, path, root, config, "Update.", None, False, NOW)
    assert "posts/essay.md:8: raw HTML: <section> is never closed" in message
    assert not (root / "posts/essay.versions").exists()


def test_a_note_a_page_cannot_carry_is_refused(site):
    root, config, path = published(site)
    message = refused(revise, path, root, config, "Update: see below.\n\n<div class=box>\nNew facts.", None, False, NOW)
    assert message == "posts/essay.md: --note, line 3: raw HTML: <div> is never closed"
    assert len(verified(root, path, config)) == 1


def test_publish_refuses_a_draft_a_build_would_stop_at(site):
    root, config = setup(site, {"posts/statutes.md": DRAFT.replace("Write here.", "Write <em>here.")})
    path = root / "posts/statutes.md"
    before = files_under(root)
    message = refused(publish, path, root, config, None, NOW)
    assert message.splitlines()[0] == "posts/statutes.md:7: raw HTML: <em> is never closed (</p> comes first)"
    assert files_under(root) == before


def test_publish_refuses_an_undated_public_post_and_leaves_its_bytes(site):
    text = "---\r\ntitle: Undated\r\n---\r\n\r\n<aside>Unclosed.\r\n"
    root, config = setup(site, {"posts/undated.md": text.encode("utf-8")})
    path = root / "posts/undated.md"
    before = path.stat()
    message = refused(publish, path, root, config, None, NOW)
    assert "raw HTML: <aside> is never closed" in message
    assert path.read_bytes() == text.encode("utf-8")
    after = path.stat()  # checked as it would be written, from memory: the file was never touched
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (root / "posts/undated.versions").exists()


def test_another_drafts_mistake_does_not_stop_publish(site):
    # `feuilleton check` leaves drafts out: a draft still being written may be broken
    root, config = setup(site, {"posts/statutes.md": DRAFT,
                                "posts/unfinished.md": DRAFT.replace("Write here.", "Half a <table>")})
    path = root / "posts/statutes.md"
    done = publish(path, root, config, None, NOW)
    assert done.version == 1 and "draft" not in meta(path)


def test_a_finished_interrupted_publish_is_checked_too(site):
    # an interrupted publish left `version: 1` without its archive: publish finishes it, unless the text is broken
    interrupted = post("Out", body="Text <div>", id="urn:x:1", version=1)
    root, config = setup(site, {"posts/essay.md": interrupted})
    path = root / "posts/essay.md"
    assert "raw HTML: <div> is never closed" in refused(publish, path, root, config, None, NOW)
    assert path.read_text(encoding="utf-8") == interrupted
    path.write_text(interrupted.replace(" <div>", ""), encoding="utf-8")
    assert publish(path, root, config, None, NOW).version == 1
    assert verified(root, path, config)[0].text == path.read_text(encoding="utf-8")


def test_warnings_do_not_stop_revise_and_are_returned(site):
    root, config, path = published(site)
    path.write_text(path.read_text(encoding="utf-8").replace("essay.", "essay, [Part 9](part:9)."), encoding="utf-8")
    done = revise(path, root, config, "Update.", None, False, NOW)
    assert done.version == 2
    assert [d.message for d in done.warnings] == [
        "`part:9` needs a series, and this post is in none: write part:SERIES/9"]


# --- the feed id is pinned by revise as by publish ----------------------------------

def test_revise_pins_the_feed_id_of_a_post_that_has_none(site):
    root, config = setup(site, {"posts/essay.md": PUBLIC})
    path = root / "posts/essay.md"
    revise(path, root, config, "Update.", None, False, NOW)
    assert meta(path)["id"] == "tag:example.org,2026-11-01:essay"  # the id its entries had so far
    assert meta(path)["version"] == 2
    assert verified(root, path, config)[-1].text == path.read_text(encoding="utf-8")
    revise(path, root, config, "Another update.", None, False, NOW)
    assert path.read_text(encoding="utf-8").count("id:") == 1


def test_revise_keeps_an_id_that_is_there(site):
    root, config = setup(site, {"posts/essay.md": post("Out", id="urn:x:1")})
    path = root / "posts/essay.md"
    revise(path, root, config, "Update.", None, False, NOW)
    assert meta(path)["id"] == "urn:x:1"
    assert path.read_text(encoding="utf-8").count("id:") == 1


# --- an explicit --at wins on publish ------------------------------------------------

def test_publish_at_replaces_the_date_a_draft_has(site):
    dated = DRAFT.replace("draft: true\n", "draft: true\ndate: 2026-11-01T09:00\n")
    root, config = setup(site, {"posts/statutes.md": dated})
    path = root / "posts/statutes.md"
    publish(path, root, config, "2026-11-22T10:00", NOW)
    front = meta(path)
    assert front["date"] == datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert front["id"] == "tag:example.org,2026-11-22:statutes"
    assert path.read_text(encoding="utf-8").count("date:") == 1
    assert verified(root, path, config)[0].date == datetime(2026, 11, 22, 10, 0, tzinfo=NEW_YORK)


def test_publish_without_at_keeps_the_date_a_draft_has(site):
    dated = DRAFT.replace("draft: true\n", "draft: true\ndate: 2026-11-01T09:00\n")
    root, config = setup(site, {"posts/statutes.md": dated})
    path = root / "posts/statutes.md"
    publish(path, root, config, None, NOW)
    assert meta(path)["date"] == "2026-11-01T09:00"  # as the author wrote it
    assert verified(root, path, config)[0].date == datetime(2026, 11, 1, 9, 0, tzinfo=NEW_YORK)


def test_publish_at_on_a_public_post_is_refused_rather_than_ignored(site):
    root, config = setup(site, {"posts/essay.md": PUBLIC})
    path = root / "posts/essay.md"
    message = refused(publish, path, root, config, "2026-11-22T10:00", NOW)
    assert message.startswith("posts/essay.md:3: --at 2026-11-22T10:00:00-05:00: the post is already public, "
                              "dated 2026-11-01T09:00:00-05:00")
    assert path.read_text(encoding="utf-8") == PUBLIC
    publish(path, root, config, "2026-11-01T09:00", NOW)  # its own date is no conflict
    assert verified(root, path, config)[0].date == datetime(2026, 11, 1, 9, 0, tzinfo=NEW_YORK)


def test_publishing_a_dated_post_ahead_of_its_day_says_so_and_again_unchanged_records_nothing(site):
    """Not "already public" for a post whose date lies ahead; and a second ``publish`` with nothing changed
    leaves version 1 byte for byte (it used to rewrite it, moving only ``recorded``: churn in git)."""
    root, config = setup(site, {"posts/later.md": post("Later", "2027-01-05T09:00:00", "Soon.")})
    path = root / "posts/later.md"
    done = publish(path, root, config, None, NOW)
    assert done.messages[0] == ("posts/later.md: dated 2027-01-05T09:00:00-05:00, so it goes out then; recording "
                                "its text as version 1 at that date")
    first = (root / "posts/later.versions/v1.md").read_bytes()
    again = publish(path, root, config, None, NOW + timedelta(hours=1))
    assert again.messages == ("posts/later.md: not out yet, and version 1 already holds its text as it stands, to "
                              "go out on 2027-01-05T09:00:00-05:00: nothing to record",)
    assert (root / "posts/later.versions/v1.md").read_bytes() == first


def test_a_scheduled_part_whose_series_was_renamed_is_told_to_publish_again_which_records_the_move(site):
    """No reader has seen version 1 of a part scheduled for later: when its series' folder is renamed, the
    build says to run ``publish`` again (``revise`` refuses a post not out yet), and ``publish`` records its
    new address, even though its text is as recorded."""
    from conftest import SERIES
    root, config = setup(site, {"posts/old/series.toml": SERIES,
                                "posts/old/part-1.md": post("Six", "2027-01-10T09:00:00", "Soon.", part=1)})
    publish(root / "posts/old/part-1.md", root, config, None, NOW)
    (root / "posts/old").rename(root / "posts/new")
    path = root / "posts/new/part-1.md"
    from engine.build import build
    from engine.config import Options
    told = [str(w) for w in build(root, Options(future=True), now=NOW, write=False).warnings]
    assert any(w.endswith("record the move, so that links to the new address survive a later one: feuilleton "
                          "publish posts/new/part-1.md") for w in told), told
    done = publish(path, root, config, None, NOW)
    assert "recorded its text again as version 1" in done.messages[0]
    assert verified(root, path, config)[0].address == "new/part-1/"


def test_a_scheduled_part_moved_is_told_by_every_build_and_a_preview_does_not_stand_in_publishs_way(site):
    """A plain build reminded of a scheduled part's move only with ``--future``: unattended at its hour, the
    build sent readers on from an address none of them had.  And ``publish``, run as the preview said,
    was refused, because the preview's pages at the old address counted as published."""
    from conftest import SERIES
    root, config = setup(site, {"posts/old/series.toml": SERIES,
                                "posts/old/part-1.md": post("Six", "2027-01-10T09:00:00", "Soon.", part=1)})
    publish(root / "posts/old/part-1.md", root, config, None, NOW)
    (root / "posts/old").rename(root / "posts/new")
    told = ("posts/new/part-1.md:1: warning: is at /essays/new/part-1/ now, but its last recorded version was at "
            "/essays/old/part-1/; record the move, so that links to the new address survive a "
            "later one: feuilleton publish posts/new/part-1.md\n")  # not "which redirects here": no reader had it
    plain = run_cli("build", cwd=root, env=EPOCH)
    assert plain.returncode == 0 and plain.stderr == told, plain.stderr
    preview = run_cli("build", "--future", cwd=root, env=EPOCH)
    assert preview.returncode == 0 and preview.stderr == told, preview.stderr
    assert (root / "output/old/part-1/v1/index.html").is_file()  # the preview sends readers on from there
    path = root / "posts/new/part-1.md"
    path.write_text(path.read_text().replace("Soon.", "Soon, and changed."))
    changed = run_cli("build", "--future", cwd=root, env=EPOCH)
    assert "went out" not in changed.stderr and "changed since `publish` recorded it as version 1 for its day" \
        in changed.stderr, changed.stderr
    done = publish(path, root, config, None, NOW)
    assert "recorded its text again as version 1" in done.messages[0]
    assert verified(root, path, config)[0].address == "new/part-1/"
    out = run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": str(int(datetime(2027, 1, 11).timestamp()))})
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
    assert not (root / "output/old").exists() and "/old/" not in (root / "output/_redirects").read_text()
    assert "Soon, and changed." in (root / "output/new/part-1/v1/index.html").read_text()


def test_publishing_again_before_a_scheduled_post_is_out_records_its_new_text_as_version_1(site):
    root, config = setup(site, {"posts/later.md": DRAFT})
    path = root / "posts/later.md"
    publish(path, root, config, "2027-01-05T09:00", NOW)
    path.write_text(path.read_text().replace("Write here.", "Tightened before release."))
    assert "is not out yet: it is scheduled for 2027-01-05T09:00:00-05:00" in refused(
        revise, path, root, config, "Tightened.", None, False, NOW)
    reminded = run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))})
    assert reminded.returncode == 0 and reminded.stderr == (
        "posts/later.md: warning: changed since `publish` recorded it as version 1 for its day: run `feuilleton "
        "publish posts/later.md` again, so that version 1 is the text that goes out\n"), reminded.stderr
    done = publish(path, root, config, None, NOW)
    assert "recorded its text again as version 1, to go out on 2027-01-05T09:00:00-05:00" in done.messages[0]
    (first,) = verified(root, path, config)
    assert "Tightened before release." in first.text and "Write here." not in first.text
    assert first.date == datetime(2027, 1, 5, 9, 0, tzinfo=NEW_YORK)
    assert meta(path)["version"] == 1 and not list((root / "posts/later.versions").glob(".*"))
    assert "warning" not in run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}).stderr
    run = run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": str(int(datetime(2027, 1, 6).timestamp()))})
    assert run.returncode == 0, run.stderr
    assert "Tightened before release." in (root / "output/later/v1/index.html").read_text()


def test_a_scheduled_post_changed_and_not_published_again_is_still_said_once_it_is_out(site):
    """The warning before its day went with the build that took it out (an unattended one, at its hour):
    readers then had text no version records, version 1 the words none of them saw first, and no word said."""
    root, config = setup(site, {"posts/later.md": DRAFT})
    path = root / "posts/later.md"
    publish(path, root, config, "2027-01-05T09:00", NOW)
    path.write_text(path.read_text().replace("Write here.", "Edited after scheduling."))
    out = run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": str(int(datetime(2027, 1, 6).timestamp()))})
    assert out.returncode == 0 and out.stderr == (
        "posts/later.md: warning: went out at 2027-01-05T09:00:00-05:00 changed since `publish` recorded it as "
        "version 1 for its day, so readers have text no version records: run `feuilleton revise posts/later.md` to "
        "record it (with --minor for words mended)\n"), out.stderr
    mended = datetime(2027, 1, 6, tzinfo=NEW_YORK)
    assert revise(path, root, config, "Mended before it went out.", None, True, mended).messages
    again = run_cli("build", cwd=root, env={"SOURCE_DATE_EPOCH": str(int(datetime(2027, 1, 6, 12).timestamp()))})
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr


def test_an_edit_to_a_published_post_is_warned_of_until_revise_records_it(site):
    """The feeds carry a post's text in full: an edit not recorded reaches every subscriber with no note and
    no new date, and the next edit before ``revise`` would leave those words in no version."""
    root, config, path = published(site)
    path.write_text(path.read_text().replace("original", "amended"))
    said = ("posts/essay.md: warning: changed since version 1 was recorded: readers get the new text with no note, "
            "and no version keeps it; run `feuilleton revise posts/essay.md --note \"…\"` to record it (or "
            "`--minor` for words mended)\n")
    for command in ("build", "check"):
        out = run_cli(command, cwd=root, env=EPOCH)
        assert out.returncode == 0 and out.stderr == said, out.stderr
    assert revise(path, root, config, "Amended.", None, False, NOW).messages
    again = run_cli("build", cwd=root, env=EPOCH)
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr
    head, _, body = path.read_text().rpartition("---\n")
    path.write_text(head + "---\n" + body.replace(" ", "  ").replace(".", ".\n") + "\n\n\n")  # no reader sees it
    spaced = run_cli("build", cwd=root, env=EPOCH)
    assert spaced.returncode == 0 and "warning" not in spaced.stderr, spaced.stderr


def test_a_post_that_is_out_keeps_its_version_1_when_published_again(site):
    root, config = setup(site, {"posts/out.md": DRAFT})
    path = root / "posts/out.md"
    publish(path, root, config, "2026-11-20T09:00", NOW)
    kept = (root / "posts/out.versions/v1.md").read_bytes()
    assert "already published with recorded versions" in refused(publish, path, root, config, None, NOW)
    assert (root / "posts/out.versions/v1.md").read_bytes() == kept


def test_a_revision_needs_a_note(site):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("original", "amended"))
    for note in ("", "   \n"):
        assert "a revision needs a note saying what changed" in refused(revise, path, root, config, note, None, False, NOW)
    assert len(verified(root, path, config)) == 1


def test_a_post_that_cannot_be_rewritten_after_its_version_is_recorded_says_how_to_finish(site, monkeypatch):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("original", "amended"))
    real = os.replace

    def busy(source, target, *args, **kwargs):
        if Path(target) == path:
            raise OSError(16, "Device or resource busy", str(target))
        return real(source, target, *args, **kwargs)
    monkeypatch.setattr(os, "replace", busy)
    message = refused(revise, path, root, config, "Amended.", None, False, NOW)
    assert "recorded version 2, but could not set `version: 2` in the post (Device or resource busy)" in message
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]  # no temporary file left
    monkeypatch.setattr(os, "replace", real)
    done = revise(path, root, config, "", None, False, NOW)  # finishes the job; records nothing new
    assert done.version == 2 and meta(path)["version"] == 2
    assert len(verified(root, path, config)) == 2


def test_a_hand_edited_date_that_contradicts_version_1_stops_the_build(site):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("date: 2026-11-01T09:00:00", "date: 2026-11-20T09:00:00"))
    done = run_cli("build", cwd=root)
    assert done.returncode == 1
    assert done.stderr.startswith("posts/essay.md:3: `date` says 2026-11-20T09:00:00-05:00, but version 1 was "
                                  "published at 2026-11-01T09:00:00-05:00, and a post's date is its first "
                                  "version's: set it back"), done.stderr


def test_a_new_site_timezone_under_a_date_written_without_one_is_no_contradiction(site):
    root, config, _ = published(site)
    config_file = root / "config.toml"
    config_file.write_text(config_file.read_text().replace("America/New_York", "Europe/Paris"))
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr
    page = (root / "output/essay/index.html").read_text()  # the moment recorded stays the post's
    assert 'Published <time datetime="2026-11-01T15:00:00+01:00">' in page


def test_a_day_written_without_a_time_stays_that_day_after_the_site_timezone_changes(site):
    """Published as "2026-11-01" on a site in UTC, the post was "November 1, 2026" to its readers; in
    New York that midnight is the evening before, which its page and its version's page said, with a time."""
    root = site({"posts/essay.md": post("Essay", "2026-11-01", "Text.")})
    config_file = root / "config.toml"
    config_file.write_text(config_file.read_text().replace("America/New_York", "UTC"))
    assert run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH).returncode == 0
    config_file.write_text(config_file.read_text().replace('"UTC"', '"America/New_York"'))
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    for page in ("essay/index.html", "essay/v1/index.html"):
        html = (root / "output" / page).read_text()
        assert '<time datetime="2026-11-01T00:00:00-04:00">November 1, 2026</time>' in html, page
        assert "October 31" not in html, page
    assert "<pubDate>Sun, 01 Nov 2026 00:00:00 -0400</pubDate>" in (root / "output/feed.xml").read_text()


def test_a_day_just_out_stays_out_when_the_site_moves_west(site):
    """Out since midnight in UTC two hours ago; midnight in New York is two hours ahead: it is not taken
    off the site until then."""
    root = site({"posts/essay.md": post("Essay", "2026-11-01", "Text.")})
    config_file = root / "config.toml"
    config_file.write_text(config_file.read_text().replace("America/New_York", "UTC"))
    two_hours_in = {"SOURCE_DATE_EPOCH": str(int(datetime(2026, 11, 1, 2, tzinfo=timezone.utc).timestamp()))}
    assert run_cli("publish", "posts/essay.md", cwd=root, env=two_hours_in).returncode == 0
    config_file.write_text(config_file.read_text().replace('"UTC"', '"America/New_York"'))
    assert run_cli("build", cwd=root, env=two_hours_in).returncode == 0
    assert (root / "output/essay/v1/index.html").is_file()


def test_an_old_version_keeps_the_summary_it_was_written_with(site):
    root, config = setup(site, {"posts/out.md": post("Out", "2026-11-01T09:00:00", "Old text.", summary='"Old summary."')})
    path = root / "posts/out.md"
    publish(path, root, config, None, NOW)
    path.write_text(path.read_text().replace("Old summary.", "New summary.").replace("Old text.", "New text."))
    revise(path, root, config, "Rewritten.", None, False, NOW)
    assert run_cli("build", cwd=root).returncode == 0
    assert '<meta name="description" content="Old summary.">' in (root / "output/out/v1/index.html").read_text()
    assert '<meta name="description" content="New summary.">' in (root / "output/out/index.html").read_text()


def test_marking_a_recorded_post_a_draft_warns_that_its_addresses_go(site):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("title:", "draft: true\ntitle:"))
    done = run_cli("build", cwd=root)
    assert done.returncode == 0
    assert ("posts/essay.md:2: warning: `draft: true` takes a published post off the site, and the permanent "
            "addresses of its 1 recorded version with it") in done.stderr


def test_a_renamed_post_whose_archive_stayed_behind_is_pointed_at(site):
    root, config, _ = published(site)
    (root / "posts/essay.md").rename(root / "posts/renamed.md")
    done = run_cli("build", cwd=root)
    assert done.returncode == 1
    assert ("posts/essay.versions: warning: holds the recorded versions of essay.md, which is not here: if the post "
            "was renamed, rename this folder with it") in done.stderr
    (root / "posts/essay.versions").rename(root / "posts/renamed.versions")
    assert run_cli("build", cwd=root).returncode == 0


def test_a_scheduled_post_is_moved_by_editing_its_date_and_publishing_again(site):
    root, config = setup(site, {"posts/later.md": DRAFT})
    path = root / "posts/later.md"
    publish(path, root, config, "2027-01-05T09:00", NOW)
    path.write_text(path.read_text().replace("2027-01-05T09:00:00-05:00", "2027-02-01T09:00:00-05:00"))
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and ("`date` says 2027-02-01T09:00:00-05:00, but version 1 was recorded to go out on "
                                     "2027-01-05T09:00:00-05:00; to move it, run `feuilleton publish` on the post "
                                     "again (it is not out yet)") in done.stderr
    publish(path, root, config, None, NOW)
    assert "date: 2027-02-01T09:00:00-05:00" in path.read_text()  # the author's edit stays
    (first,) = verified(root, path, config)
    assert first.date == datetime(2027, 2, 1, 9, 0, tzinfo=NEW_YORK)
    publish(path, root, config, "2027-03-01T09:00", NOW)  # or with --at
    assert verified(root, path, config)[0].date == datetime(2027, 3, 1, 9, 0, tzinfo=NEW_YORK)
    assert "date: 2027-03-01T09:00:00-05:00" in path.read_text()
    assert run_cli("check", "--future", cwd=root).returncode == 0


def test_a_scheduled_post_published_again_with_a_mistake_keeps_its_version_1(site):
    root, config = setup(site, {"posts/later.md": DRAFT})
    path = root / "posts/later.md"
    publish(path, root, config, "2027-01-05T09:00", NOW)
    kept = (root / "posts/later.versions/v1.md").read_bytes()
    path.write_text(path.read_text().replace("Write here.", "An <div>unclosed element."))
    assert "nothing was recorded" in refused(publish, path, root, config, None, NOW)
    assert (root / "posts/later.versions/v1.md").read_bytes() == kept
    assert not [p for p in (root / "posts/later.versions").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("note", ["\u200b", "<!-- -->", "&nbsp;", "***", "<br>"])
def test_a_note_that_shows_readers_no_words_is_refused(site, note):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("original", "amended"))
    assert "--note shows readers no words" in refused(revise, path, root, config, note, None, False, NOW)
    assert len(verified(root, path, config)) == 1


def test_revise_warns_now_about_the_note_it_records(site):
    root = site({"posts/cities/series.toml": 'title = "Cities"\n',
                 "posts/cities/part-1.md": post("One", "2026-11-01T09:00:00", "The essay.", part=1)})
    config, _ = load_config(root)
    path = root / "posts/cities/part-1.md"
    publish(path, root, config, None, NOW)
    done = revise(path, root, config, "First line.\n\nSee [Part 9](part:9).", None, False, NOW)
    assert [str(d) for d in done.warnings] == [
        "posts/cities/part-1.md: warning: --note, line 3: `part:9` refers to a part that is neither published "
        "nor planned in this series"]
    path.write_text(path.read_text().replace("The essay.", "The essay, amended."))
    done = revise(path, root, config, "A map: ![map](/img/map.png)", None, False, NOW)  # the site is at /essays/
    assert [str(d) for d in done.warnings][-1:] == [
        "posts/cities/part-1.md: warning: --note, line 1: link to /img/map.png leaves the site, which lives at "
        "/essays/ (base_url): write ../../img/map.png, relative to this post, which stays inside the site wherever "
        "it lives"]
    path.write_text(path.read_text().replace("amended", "amended again"))
    done = revise(path, root, config, "See [^nope] and [the list](../../nowhere/), and [what changed](v4/changes/) "
                  "in [this version](v4/).", None, False, NOW)
    assert [str(d) for d in done.warnings][-2:] == [  # what each build would warn of in the sealed note, said now
        "posts/cities/part-1.md: warning: --note, line 1: footnote [^nope] has no text, and readers see [^nope]: "
        "write it below the note as [^nope]: …",
        "posts/cities/part-1.md: warning: --note, line 1: link to ../../nowhere/ leads to nothing on the site: no "
        "page or file of this build is /essays/nowhere/"]


# --- what a red-team pass found (issue 16) -----------------------------------------

COUNCIL = ("---\ntitle: \"Why\"\ndate: 2026-01-05T10:00\nsummary: \"Why the city council's\n"
           "version: of events is wrong.\"\n---\n\nBody.\n")


def test_revise_keeps_a_line_inside_a_multi_line_value_that_looks_like_a_key(site):
    root, config = setup(site, {"posts/council.md": COUNCIL})
    path = root / "posts/council.md"
    revise(path, root, config, "First.", None, False, NOW)
    assert meta(path)["summary"] == "Why the city council's version: of events is wrong."
    versions = verified(root, path, config)
    assert [v.number for v in versions] == [1, 2] and versions[-1].text == path.read_text()
    assert run_cli("check", cwd=root).returncode == 0


def test_publish_keeps_lines_inside_a_multi_line_value_that_look_like_its_keys(site):
    draft = ("---\ntitle: \"Why\"\ndraft: true\nsummary: \"Two things:\ndate: the hearing,\ndraft: the bill.\"\n"
             "---\n\nBody.\n")
    root, config = setup(site, {"posts/why.md": draft})
    path = root / "posts/why.md"
    publish(path, root, config, "2026-11-22T10:00", NOW)
    assert meta(path)["summary"] == "Two things: date: the hearing, draft: the bill."
    assert "draft" not in meta(path) and verified(root, path, config)[0].text == path.read_text()


def test_a_front_matter_that_cannot_be_edited_safely_is_left_alone_and_nothing_recorded(site):
    flow = "---\n{title: Flow, date: 2026-11-01T09:00:00}\n---\n\nBody.\n"
    root, config = setup(site, {"posts/flow.md": flow})
    path = root / "posts/flow.md"
    assert run_cli("check", cwd=root).returncode == 0
    message = refused(revise, path, root, config, "First.", None, False, NOW)
    assert message == ("posts/flow.md:2: cannot set `version`, `id` in this front matter without changing something "
                       "else; nothing was changed or recorded: write its keys one per line (`key: value`) and try again")
    assert path.read_text() == flow and not (root / "posts/flow.versions").exists()


def test_a_public_version_1_is_never_replaced_by_a_clock_that_lags(site):
    root, config = setup(site, {"posts/clock.md": DRAFT})
    path = root / "posts/clock.md"
    publish(path, root, config, None, NOW)
    kept = (root / "posts/clock.versions/v1.md").read_bytes()
    path.write_text(path.read_text().replace("Write here.", "Edited after it was out."))
    for lagging in (NOW - timedelta(hours=1), NOW - timedelta(days=30)):  # this machine's clock, or another's
        assert "already published with recorded versions" in refused(publish, path, root, config, None, lagging)
        assert (root / "posts/clock.versions/v1.md").read_bytes() == kept


def test_source_date_epoch_neither_dates_a_version_nor_reopens_one(site):
    root = site({"posts/clock.md": DRAFT})
    first = run_cli("publish", "posts/clock.md", cwd=root, env={"SOURCE_DATE_EPOCH": "315532800"})  # 1980
    assert first.returncode == 0, first.stderr
    config, _ = load_config(root)
    (v1,) = verified(root, root / "posts/clock.md", config)
    assert v1.date > NOW  # dated by the machine's clock, not 1980
    kept = (root / "posts/clock.versions/v1.md").read_bytes()
    path = root / "posts/clock.md"
    path.write_text(path.read_text().replace("Write here.", "Edited."))
    behind = str(int(datetime.now(timezone.utc).timestamp()) - 3600)
    again = run_cli("publish", "posts/clock.md", cwd=root, env={"SOURCE_DATE_EPOCH": behind})
    assert again.returncode == 1 and "already published with recorded versions" in again.stderr
    assert (root / "posts/clock.versions/v1.md").read_bytes() == kept


def test_a_scheduled_version_1_records_when_it_was_recorded(site):
    root, config = setup(site, {"posts/later.md": DRAFT})
    path = root / "posts/later.md"
    publish(path, root, config, "2099-01-05T09:00", NOW)
    (first,) = verified(root, path, config)
    assert first.recorded == NOW and first.date > first.recorded  # so a later publish may still replace it


@pytest.mark.parametrize("command", ["publish", "revise"])
def test_a_post_that_is_a_link_is_refused_with_a_message(site, tmp_path, command):
    root = site({"drafts/essay.md": PUBLIC, "posts/other.md": PUBLIC.replace("Already Out", "Other")})
    (root / "posts/essay.md").symlink_to(root / "drafts/essay.md")
    args = ["--note", "N."] if command == "revise" else []
    done = run_cli(command, "posts/essay.md", *args, cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"posts/essay.md: is a link (to {root / 'drafts/essay.md'}), and publish and "
                                  "revise write into a post and beside it"), done.stderr
    assert not (root / "drafts/essay.versions").exists() and not (root / "posts/essay.versions").exists()


def test_a_named_pipe_in_an_archive_is_an_error_not_a_wait(site):
    root, config, path = published(site)
    os.mkfifo(root / "posts/essay.versions/v2.md")
    done = run_cli("check", cwd=root, timeout=30)
    assert done.returncode == 1
    assert "posts/essay.versions/v2.md: cannot read: not a regular file (a named pipe)" in done.stderr


def test_a_version_file_that_links_out_of_the_site_is_not_read(site, tmp_path):
    root, config, path = published(site)
    outside = tmp_path / "v2.md"
    outside.write_text("---\nversion: 2\n---\n")
    (root / "posts/essay.versions/v2.md").symlink_to(outside)
    done = run_cli("check", cwd=root, timeout=30)
    assert done.returncode == 1
    assert f"posts/essay.versions/v2.md: cannot read: it links out of the site (to {outside})" in done.stderr


def test_revise_run_again_after_an_interruption_finishes_it_instead_of_recording_the_note_twice(site):
    root, config, path = published(site)
    path.write_text(path.read_text().replace("original", "amended"))
    text = path.read_text()
    revise(path, root, config, "Amended.", None, False, NOW)
    path.write_text(text)  # as a kill between recording version 2 and pinning it in the post leaves it
    done = revise(path, root, config, "Amended.", None, False, NOW + timedelta(minutes=1))
    assert done.version == 2 and "set it now" in done.messages[0]
    assert [v.number for v in verified(root, path, config)] == [1, 2] and meta(path)["version"] == 2
    again = revise(path, root, config, "A second thought.", None, False, NOW + timedelta(minutes=2))
    assert again.version == 3  # a new note is a new revision


@pytest.mark.parametrize("copy", ["copy.md", "the-copy.md"])
def test_a_copied_id_is_an_error_of_the_copy_naming_both_files(site, copy):
    """The error is the copy's, whether its name sorts before the original's or after it: the original's
    recorded versions hold the id, and the advice (delete `id` and `version`) is for the copy alone."""
    root, config, path = published(site)
    (root / "posts" / copy).write_text(path.read_text().replace("Already Out", "A Copy"))
    done = run_cli("check", cwd=root)
    assert done.returncode == 1
    pinned = meta(path)["id"]
    line = 1 + path.read_text().splitlines().index(f"id: {pinned}")
    assert f"posts/{copy}:{line}: `id: {pinned}` is also the feed id of posts/essay.md (line {line})" in done.stderr
    assert f"posts/essay.md:{line}:" not in done.stderr
    import shutil  # its versions copied too: they were recorded at the original's address
    shutil.copytree(root / "posts/essay.versions", root / "posts" / copy.replace(".md", ".versions"))
    done = run_cli("check", cwd=root)
    assert f"posts/{copy}:{line}: `id: {pinned}` is also the feed id of posts/essay.md" in done.stderr
    assert f"posts/essay.md:{line}:" not in done.stderr


def test_editing_the_id_of_a_recorded_post_is_an_error(site):
    root, config, path = published(site)
    pinned = meta(path)["id"]
    line = 1 + path.read_text().splitlines().index(f"id: {pinned}")
    path.write_text(path.read_text().replace(f"id: {pinned}", "id: tag:example.org,2026:another"))
    done = run_cli("check", cwd=root)
    assert done.returncode == 1
    assert done.stderr.startswith(f"posts/essay.md:{line}: `id` says tag:example.org,2026:another, but version 1 was "
                                  f"recorded with `id: {pinned}`, and a post's feed id never changes"), done.stderr


@pytest.mark.parametrize("key", ["published: false", "status: draft", "status: Private"])
def test_other_tools_ways_to_hide_a_post_keep_it_a_draft(site, key):
    root = site({"posts/hidden.md": f"---\ntitle: Hidden\ndate: 2026-11-01T09:00:00\n{key}\n---\n\nNot yet.\n",
                 "posts/shown.md": post("Shown")})
    done = run_cli("build", cwd=root)
    assert done.returncode == 0, done.stderr
    assert not (root / "output/hidden").exists() and (root / "output/shown/index.html").is_file()
    assert f"posts/hidden.md:4: warning: `{key.lower()}` is read as `draft: true`" in done.stderr
    assert "unknown front-matter key" not in done.stderr
    published_now = run_cli("publish", "posts/hidden.md", cwd=root)
    assert published_now.returncode == 0, published_now.stderr
    assert key.split(":")[0] not in meta(root / "posts/hidden.md")
    assert run_cli("build", cwd=root).returncode == 0 and (root / "output/hidden/index.html").is_file()


def test_a_post_taken_down_is_put_back_by_publish_and_revise_says_so(site):
    """``draft: true`` takes a recorded post down; ``publish`` puts it back with its versions and dates,
    recording nothing, and ``revise`` on it points there instead of claiming it was never published."""
    root, config, path = published(site)
    path.write_text(path.read_text().replace("---\n", "---\ndraft: true\n", 1))
    message = refused(revise, path, root, config, "Update.", None, False, NOW)
    assert "is taken down (`draft`)" in message and "put it back with `feuilleton publish`" in message
    assert "not published yet" not in message
    assert "leave --at out" in refused(publish, path, root, config, "2026-11-20", NOW)
    done = publish(path, root, config, None, NOW + timedelta(days=1))
    assert "back on the site, with its 1 recorded version" in done.messages[0]
    assert "draft" not in meta(path) and meta(path)["version"] == 1
    assert len(verified(root, path, config)) == 1  # nothing recorded, nothing redated
    assert run_cli("build", cwd=root).returncode == 0 and (root / "output/essay/index.html").is_file()


def test_publishing_a_draft_that_claims_a_published_part_records_nothing(site):
    """The clash is said at the part already out (the draft, published now, would come later): it is still this
    draft's to mend before anything is recorded."""
    root = site({"posts/cw/series.toml": 'title = "CW"\n',
                 "posts/cw/part-1.md": post("One", "2026-11-01T09:00:00", "A.", part=1),
                 "posts/cw/part-1-rewrite.md": post("One again", "", "B.", part=1, draft="true")})
    done = run_cli("publish", "posts/cw/part-1-rewrite.md", cwd=root, env=EPOCH)
    assert done.returncode == 1, done.stdout
    assert "part 1 of series `cw` is claimed by both posts/cw/part-1-rewrite.md and posts/cw/part-1.md" in done.stderr
    assert "posts/cw/part-1-rewrite.md: nothing was recorded" in done.stderr
    assert not (root / "posts/cw/part-1-rewrite.versions").exists()
    assert "draft: true" in (root / "posts/cw/part-1-rewrite.md").read_text()


def test_a_clock_behind_the_one_that_published_a_post_does_not_take_it_off(site):
    """A build whose clock lags the one that published (a machine's, or SOURCE_DATE_EPOCH from a commit
    before the publish) dropped the post, exit 0, and `deploy` then took its version pages off the live site.
    Recorded as out, it is out; a post scheduled for later stays out until its date."""
    from engine.build import build
    root, config = setup(site, {"posts/soon.md": DRAFT})
    soon = root / "posts/soon.md"
    publish(soon, root, config, (NOW + timedelta(days=3)).isoformat(), NOW)  # scheduled
    fresh = root / "posts/fresh.md"
    fresh.write_text(DRAFT, encoding="utf-8")
    publish(fresh, root, config, None, NOW)  # out at once, by this clock
    build(root, now=NOW - timedelta(days=2))  # a clock two days behind
    out = root / "output"
    assert (out / "fresh/index.html").is_file() and (out / "fresh/v1/index.html").is_file()
    assert not (out / "soon").exists()


@pytest.mark.parametrize("code, fix", [(28, "free some space on the disk"), (13, "make it writable")])
def test_a_version_pin_that_cannot_be_written_says_what_to_do_about_that_cause(site, monkeypatch, code, fix):
    """A full disk was told to make the post writable."""
    import errno

    import engine.commands.revise as revising
    root, config, path = published(site)
    path.write_text(path.read_text(encoding="utf-8").replace("The original essay.", "The revised essay."),
                    encoding="utf-8")

    def refusing(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(revising, "write_post", refusing)
    said = refused(revise, path, root, config, "Revised.", None, False, NOW + timedelta(hours=1))
    assert f"could not set `version: 2` in the post ({os.strerror(code)}); {fix}, then run" in said
    assert errno.errorcode[code] in ("ENOSPC", "EACCES")


def test_a_save_that_lands_while_publish_writes_the_post_back_is_kept_too(site, monkeypatch):
    """The check that the file was unchanged came before the write, whose wait for the disk (an fsync, long on a
    network disk) left a window: a save landing in it was overwritten. The last look is just before the rename."""
    import engine.source.files as files
    root, config = setup(site, {"posts/statutes.md": DRAFT})
    path = root / "posts/statutes.md"
    synced, saves = files.os.fsync, []

    def saving_while_the_disk_waits(fd):
        synced(fd)
        if not saves:
            saves.append(1)
            path.write_text(path.read_text(encoding="utf-8") + "\nSaved during the write.\n", encoding="utf-8")
    monkeypatch.setattr(files.os, "fsync", saving_while_the_disk_waits)
    assert "changed while `publish` was checking the site" in refused(publish, path, root, config, None, NOW)
    assert path.read_text(encoding="utf-8").endswith("Saved during the write.\n") and saves == [1]
    assert not (root / "posts/statutes.versions").exists() and not list(path.parent.glob(".*.tmp"))


def test_a_scheduled_post_that_went_out_is_not_taken_back_by_a_clock_that_lags(site):
    """Scheduled with --at, out once its date came, then built under a clock before that date: it went off the
    site, exit 0, and deploy took it off the host as "a deleted post"."""
    from engine.build import build
    root, config = setup(site, {"posts/soon.md": DRAFT})
    path = root / "posts/soon.md"
    publish(path, root, config, (NOW + timedelta(days=1)).isoformat(), NOW)
    build(root, now=NOW)
    assert not (root / "output/soon").exists()  # not out yet, and nothing stops that build
    build(root, now=NOW + timedelta(days=2))
    assert (root / "output/soon/v1/index.html").is_file()
    said = refused(build, root, now=NOW + timedelta(hours=12))
    assert "posts/soon.md:" in said and "the last build published it (/soon/v1/index.html)" in said
    assert "a published post is never taken back" in said and (root / "output/soon/index.html").is_file()
    build(root, now=NOW + timedelta(days=3))  # the clock set right

"""``--series-from`` on a site folder (Jekyll, Hugo, Pelican): a category two posts share, a tag, or titles
such as "Part 2: …" make series among the posts the source's own series left out; before, the flag was
taken and did nothing, without a word."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import write_site
from engine.cli import main

SOURCES = {
    "jekyll": {"_config.yml": "title: Notes\n",
               "_posts/2024-01-01-one.md": "---\ntitle: One\ncategories: [Rivers]\ntags: [water]\n---\nA.\n",
               "_posts/2024-01-08-two.md": "---\ntitle: Two\ncategories: [Rivers]\ntags: [water]\n---\nB.\n",
               "_posts/2024-01-15-aside.md": "---\ntitle: 'Part 1: Aside'\ncategories: [Other]\n---\nC.\n",
               "_posts/2024-01-22-beside.md": "---\ntitle: 'Part 2: Beside'\ncategories: [Other]\n---\nD.\n",
               "_posts/2024-01-29-alone.md": "---\ntitle: 'Lonely, part 1'\n---\nE.\n"},
    "hugo": {"hugo.toml": 'baseURL = "https://blog.example/"\ntitle = "Notes"\n',
             "content/posts/one.md": "---\ntitle: One\ndate: 2024-01-01\ncategories: [Rivers]\ntags: [water]\n"
                                     "---\nA.\n",
             "content/posts/two.md": "---\ntitle: Two\ndate: 2024-01-08\ncategories: [Rivers]\ntags: [water]\n"
                                     "---\nB.\n",
             "content/posts/aside.md": "---\ntitle: 'Part 1: Aside'\ndate: 2024-01-15\ncategories: [Other]\n---\nC.\n",
             "content/posts/beside.md": "---\ntitle: 'Part 2: Beside'\ndate: 2024-01-22\ncategories: [Other]\n"
                                        "---\nD.\n",
             "content/posts/alone.md": "---\ntitle: 'Lonely, part 1'\ndate: 2024-01-29\n---\nE.\n"},
    "pelican": {"pelicanconf.py": 'SITENAME = "Notes"\nPATH = "content"\n',
                "content/one.md": "Title: One\nDate: 2024-01-01\nCategory: Rivers\nTags: water\n\nA.\n",
                "content/two.md": "Title: Two\nDate: 2024-01-08\nCategory: Rivers\nTags: water\n\nB.\n",
                "content/aside.md": "Title: Part 1: Aside\nDate: 2024-01-15\nCategory: Other\n\nC.\n",
                "content/beside.md": "Title: Part 2: Beside\nDate: 2024-01-22\nCategory: Other\n\nD.\n",
                "content/alone.md": "Title: Lonely, part 1\nDate: 2024-01-29\nCategory: Misc\n\nE.\n"},
}


def series_of(root: Path) -> dict[str, tuple[str, int]]:
    """Each imported post's title → its series folder and part."""
    found = {}
    for path in (root / "posts").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if meta.get("part"):
            found[meta["title"]] = (path.parent.name, meta["part"])
    return found


@pytest.mark.parametrize("kind", sorted(SOURCES))
@pytest.mark.parametrize("how, expected", [
    ("category", {"One": ("rivers", 1), "Two": ("rivers", 2), "Part 1: Aside": ("other", 1),
                  "Part 2: Beside": ("other", 2)}),
    ("tag", {"One": ("water", 1), "Two": ("water", 2)}),
    ("title", {"Part 1: Aside": ("other", 1), "Part 2: Beside": ("other", 2)}),  # "Lonely, part 1" alone: a post
])
def test_series_from_makes_series_in_a_site_folder(tmp_path: Path, kind: str, how: str,
                                                   expected: dict[str, tuple[str, int]]) -> None:
    source = write_site(tmp_path / "blog", SOURCES[kind], config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source), "--from", kind, "--no-history",
                 "--series-from", how]) == 0
    assert series_of(root) == expected
    assert main(["--site", str(root), "build"]) == 0


def test_minor_below_on_a_folder_with_no_commits_says_it_weighed_none(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    source = write_site(tmp_path / "blog", SOURCES["jekyll"], config=None)
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source), "--minor-below", "5"]) == 0
    assert (f"  {source}: --minor-below 5: weighs the changes of git commits, and none were read: the folder is not "
            "in git, or --no-history was given") in capsys.readouterr().out


def test_a_series_of_the_sites_own_by_the_same_name_keeps_its_parts(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The imported category's parts joined the author's series of that folder name, each part claimed twice:
    the import said nothing of it, and neither check nor build ran again until the author sorted it out."""
    source = write_site(tmp_path / "source", SOURCES["jekyll"])
    root = write_site(tmp_path / "site", {
        "posts/rivers/series.toml": 'title = "My rivers"\nstatus = "ongoing"\n',
        "posts/rivers/mine.md": "---\ntitle: Mine\ndate: 2023-01-01\npart: 1\n---\nMy own.\n"})
    assert main(["--site", str(root), "import", str(source), "--series-from", "category"]) == 0
    assert "series rivers: the site has a series of its own in posts/rivers/: the imported one is written as " \
           "rivers-2/" in capsys.readouterr().out
    assert {title: place for title, place in series_of(root).items() if place[0].startswith("rivers")} == {
        "Mine": ("rivers", 1), "One": ("rivers-2", 1), "Two": ("rivers-2", 2)}
    assert main(["--site", str(root), "check"]) == 0


def test_a_part_written_since_on_the_old_site_joins_its_series_after_the_parts_imported_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A category numbers its parts among all its posts the source holds: the new one is part 3.  Where the
    site has a part 3 of its own since (the author wrote on here), the new one takes the number after it; it
    claimed part 3 too, and neither check nor build ran until the author sorted it out."""
    source = write_site(tmp_path / "source", SOURCES["jekyll"])
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(source), "--series-from", "category"]) == 0
    (source / "_posts/2024-02-05-three.md").write_text("---\ntitle: Three\ncategories: [Rivers]\n---\nF.\n")
    again = write_site(tmp_path / "again", {})
    assert main(["--site", str(again), "import", str(source), "--series-from", "category"]) == 0
    assert series_of(again)["Three"] == ("rivers", 3)
    (root / "posts/rivers/mine.md").write_text("---\ntitle: Mine\ndate: 2024-02-01\npart: 3\n---\nMy own.\n")
    capsys.readouterr()
    assert main(["--site", str(root), "import", str(source), "--series-from", "category"]) == 0
    assert "series rivers: the site has parts of it an earlier import brought, up to part 3: the new parts are " \
           "numbered after it" in capsys.readouterr().out
    assert {title: place for title, place in series_of(root).items() if place[0] == "rivers"} == {
        "One": ("rivers", 1), "Two": ("rivers", 2), "Mine": ("rivers", 3), "Three": ("rivers", 4)}
    assert main(["--site", str(root), "check"]) == 0

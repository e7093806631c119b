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

"""Make the theme's text face, ``engine/theme/static/fonts/feuilleton-text-*.woff2``.

The face is Charis SIL (SIL International, SIL Open Font License 1.1), as
Debian's ``fonts-sil-charis`` installs it: a Charter-like serif drawn for
reading on screens.  Each style is subset to the Latin the shipped languages
write (Latin-1, Latin Extended-A, typographic punctuation, the euro, the
section and paragraph signs), its hinting dropped (browsers on phones and
Linux ignore it, and it is a third of the file), and saved as WOFF2 with
Brotli.  "Charis" and "SIL" are Reserved Font Names, which the OFL forbids a
modified version to carry, so the subset is renamed "Feuilleton Text".
Arabic and other scripts fall through to the system's fonts.

    apt-get install fonts-sil-charis
    .venv/bin/pip install fonttools brotli
    .venv/bin/python tests/text_face.py
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

log = logging.getLogger(__name__)

SOURCE = Path("/usr/share/fonts/truetype/charis")
TARGET = Path(__file__).resolve().parent.parent / "engine" / "theme" / "static" / "fonts"
STYLES = {"Regular": "regular", "Italic": "italic", "Bold": "bold", "BoldItalic": "bold-italic"}
FAMILY = "Feuilleton Text"
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x192, 0x1C4, 0x1C5, 0x1C6, 0x218, 0x219, 0x21A, 0x21B,
            0x2BB, 0x2BC, 0x2C6, 0x2C7, 0x2D8, 0x2D9, 0x2DA, 0x2DB, 0x2DC, 0x2DD, 0x300, 0x301, 0x302, 0x303,
            0x308, 0x327, *range(0x2000, 0x2070), 0x20AC, 0x2116, 0x2122, 0x2190, 0x2192, 0x2212, 0x2215,
            0x2026, 0x25CC, 0xFEFF, 0xFFFD]
"""Latin-1 and Latin Extended-A (every language the theme speaks but Arabic, and Polish, Czech, Turkish,
Hungarian names in citations), the combining accents, general punctuation (dashes, quotes, spaces,
the ellipsis), the euro, the numero and trademark signs, arrows (footnote returns), the minus."""
FEATURES = ["kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "onum", "pnum", "lnum", "tnum",
            "smcp", "c2sc", "sups", "subs", "frac"]


def make(style: str, name: str) -> Path:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    options.name_languages = [0x409]
    font = subset.load_font(str(SOURCE / f"CharisSIL-{style}.ttf"), options)
    font.recalcTimestamp = False  # the same source makes the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    rename(font)
    target = TARGET / f"feuilleton-text-{name}.woff2"
    subset.save_font(font, str(target), options)
    return target


def rename(font: TTFont) -> None:
    """The family takes the new name everywhere a name table gives it (the RFN may not stay)."""
    names = font["name"]
    for record in names.names:
        text = record.toUnicode()
        renamed = text.replace("Charis SIL", FAMILY).replace("CharisSIL", FAMILY.replace(" ", ""))
        if record.nameID == 3:  # the unique name: the new name and the version it comes from
            renamed = f"{FAMILY} {names.getDebugName(2)} {names.getDebugName(5)}"
        if renamed != text:
            record.string = renamed
    for record in font["name"].names:
        assert "Charis SIL" not in record.toUnicode() or record.nameID in (0, 13, 14), record


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    for style, name in STYLES.items():
        made = make(style, name)
        print(f"{made.relative_to(TARGET.parent.parent.parent.parent)}: {made.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

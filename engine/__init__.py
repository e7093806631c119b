"""Feuilleton: a publishing engine for serialized essays.

The folders follow the pipeline: ``source`` reads the author's files,
``model`` assembles them into a site, ``text`` turns Markdown into HTML and
versions into diffs, ``site`` decides every page, feed and address,
``output`` renders and writes them; ``speed`` keeps work between builds, and
``commands`` holds what changes the author's files or serves the site.
``build.py`` runs the stages in order; ``cli.py`` is the only place that
prints or exits.
"""
from pathlib import Path

HOME = Path(__file__).parent
"""The engine's own folder: its code (hashed, so that a new Feuilleton never trusts an old cache)."""
THEME = HOME / "theme"
"""The built-in theme: templates, and ``static/`` copied under ``theme/``."""

"""What the site is made of, decided once: every address and output path, the ``part:`` scheme, the
views templates see, the list of pages and feeds."""

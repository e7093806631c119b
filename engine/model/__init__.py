"""The site model: its types, and their assembly from the sources (dates, slugs, series, parts in
order, drafts and future posts, posts that moved).  No I/O but reading the archive through ``source``."""

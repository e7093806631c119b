"""Keeping work between builds: the cache of rendered Markdown, diffs and pages, the up-to-date stamp,
work spread over the cores, and serve's quick path for one edited post."""

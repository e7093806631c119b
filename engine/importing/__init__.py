"""Bringing another tool's archive into a site: readers per source kind, one model, one writer."""

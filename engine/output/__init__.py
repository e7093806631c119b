"""Rendering pages and feeds through Jinja and writing them beside ``output/``, swapped in on success."""

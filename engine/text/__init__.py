"""Text: Markdown to HTML, checks on raw HTML, and the word-level diff between two rendered versions."""

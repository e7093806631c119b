"""Reading the author's files: posts split into front matter and body with line numbers, series.toml
and config.toml, and the archive of recorded versions.  No interpretation happens here, and nothing
is read that is not a regular file inside the site."""

"""Commands that change the author's files (``publish``, ``revise``, ``init``, ``new``) or serve the site."""

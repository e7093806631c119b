"""What a template is told when it asks an object for something it has not (``{{ post.subtitle }}``): the
object as the reference names it, and what it has, not the engine's class ("'engine.site.views.PostView
object' has no attribute 'subtitle'")."""
from __future__ import annotations

import jinja2

NAMES = {"PostView": "a post", "SiteView": "`site`", "Meta": "`page`", "SeriesView": "a series", "Note": "a note",
         "Link": "a link", "Continuation": "a post's `continuation`", "TocEntry": "a series' entry",
         "BookView": "a book", "BookPart": "a book's part"}
"""The reference's name ("View objects") for each object the templates are given."""


class Explained(jinja2.StrictUndefined):
    """Jinja's strict undefined, whose message for a missing field of a view names the fields there are."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        owner, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or owner is jinja2.utils.missing or not isinstance(name, str):
            return super()._undefined_message
        what = NAMES.get(type(owner).__name__)
        if what is None:
            if owner is None:
                return (f"`{name}` was asked of a value that is none here (as `post.prev` is on a first part): "
                        "test it with {% if … %} first")
            plain = _PLAIN.get(type(owner).__name__)
            return f"{plain} has no `{name}`" if plain else super()._undefined_message
        fields = sorted(field for field in dir(owner) if not field.startswith("_")
                        and not callable(getattr(owner, field)))
        return f"{what} has no `{name}`; it has {', '.join(f'`{field}`' for field in fields)}"


_PLAIN = {"str": "a text", "Markup": "a text", "Fragment": "a piece of HTML (show it as it is)",
          "Resolved": "a piece of HTML (show it as it is)", "datetime": "a date (shown with a filter, such as |date)",
          "int": "a number", "float": "a number", "bool": "a yes or no", "list": "a list", "tuple": "a list",
          "dict": "a mapping"}
"""What a template is told of a plain value it asked a field of (``post.title.nope``)."""

"""``python -m engine`` is the ``feuilleton`` command."""
from .cli import main

raise SystemExit(main())

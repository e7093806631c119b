"""``python -m engine`` is the ``feuilleton`` command."""
from .launch import main

raise SystemExit(main())

"""Allow ``python -m papernotes``."""

from papernotes.cli import main

raise SystemExit(main())

"""``python -m symml ...`` behaves like the ``symml`` command."""
from symml.cli import main

raise SystemExit(main())

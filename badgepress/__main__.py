"""`python -m badgepress` is the `badgepress` command."""

import sys

from .cli import main

sys.exit(main())

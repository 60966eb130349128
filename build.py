"""Build this repository's example site into site/ (same as `badgepress build`)."""

import sys
from pathlib import Path

from badgepress.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", "--source", str(Path(__file__).parent), *sys.argv[1:]]))

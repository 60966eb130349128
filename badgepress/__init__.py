"""badgepress: micro-credential catalogs and verifiable Open Badges from a git repository."""

__version__ = "0.1.0"

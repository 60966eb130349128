"""`python -m badgepress` is the `badgepress` command."""

from .cli import console

console()

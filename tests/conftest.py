"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest

from tests.support import REPO, build_site


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """This repository's example site, built once per test session (read-only for tests)."""
    output = tmp_path_factory.mktemp("example") / "site"
    build_site(REPO, output)
    return output

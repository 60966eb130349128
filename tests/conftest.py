"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest

from tests.support import REPO, build_site


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files (expected trees and messages) from the current output; review the diff",
    )


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """This repository's example site, built once per test session (read-only for tests)."""
    output = tmp_path_factory.mktemp("example") / "site"
    build_site(REPO, output)
    return output

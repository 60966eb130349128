"""Fixtures for `badgepress verify`: the three-badge site, served where its ids say it lives."""

from __future__ import annotations

import pytest

from tests.verify.site import served_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Read-only for tests: build once per module."""
    with served_site(tmp_path_factory.mktemp("verify")) as served:
        yield served


@pytest.fixture
def fresh_site(tmp_path):
    """A site of the test's own, for tests that edit what the issuer serves."""
    with served_site(tmp_path) as served:
        yield served

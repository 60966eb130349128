"""Browser-test fixtures; the browser itself and `page` are in tests/conftest.py (shared with tests/a11y)."""

from __future__ import annotations

import pytest

from tests.verify.site import served_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The three-badge site (valid, revoked, expired) served at its own base URL."""
    with served_site(tmp_path_factory.mktemp("browser")) as served:
        yield served

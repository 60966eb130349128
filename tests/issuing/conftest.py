from __future__ import annotations

import pytest
import yaml

from tests.issuing.gitrepo import init_repo
from tests.support import REPO, copy_example


@pytest.fixture
def site(tmp_path):
    """A committed copy of the example site in a real git repository, committed after the
    example's latest issue date and the dates the tests issue with (a badge cannot be issued
    after the commit that builds it)."""
    root = copy_example(tmp_path / "site-repo")
    init_repo(root, when="2026-06-01T10:00:00+00:00")
    return root


@pytest.fixture(scope="session")
def example_emails():
    """assertion id → the (fake) plaintext email behind its hash."""
    return yaml.safe_load((REPO / "tests" / "fixtures" / "example-recipients.yaml").read_text())

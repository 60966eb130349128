from __future__ import annotations

import pytest
import yaml

from tests.issuing.gitrepo import init_repo
from tests.support import REPO, copy_example


@pytest.fixture
def site(tmp_path):
    """A committed copy of the example site in a real git repository."""
    root = copy_example(tmp_path / "site-repo")
    init_repo(root)
    return root


@pytest.fixture(scope="session")
def example_emails():
    """assertion id → the (fake) plaintext email behind its hash."""
    return yaml.safe_load((REPO / "tests" / "fixtures" / "example-recipients.yaml").read_text())

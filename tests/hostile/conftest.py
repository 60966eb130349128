from __future__ import annotations

import shutil
from pathlib import Path

import pytest

INVALID = Path(__file__).parents[1] / "invalid"


@pytest.fixture
def base_site(tmp_path) -> Path:
    """A copy of the valid site every red-team case starts from (tests/invalid/_base)."""
    source = tmp_path / "repo"
    shutil.copytree(INVALID / "_base", source)
    return source

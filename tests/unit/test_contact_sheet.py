"""docs/badges.png is the contact sheet `python -m tools.contact_sheet` draws."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from tests.support import REPO
from tools.contact_sheet import COLUMNS, SAMPLES, THUMB, main, sheet


def test_contact_sheet_shows_the_sites_drawn_badges_and_the_samples(tmp_path):
    target = tmp_path / "badges.png"
    assert main([str(REPO), str(target)]) == 0
    data = target.read_bytes()
    assert data == sheet(REPO)  # deterministic
    with PILImage.open(io.BytesIO(data)) as img:
        width, height = img.size
    drawn = 4  # the example site's credentials without an image
    rows = -(-(drawn + len(SAMPLES)) // COLUMNS)
    assert width > COLUMNS * THUMB and height > rows * THUMB


def test_the_committed_contact_sheet_is_current():
    """Regenerate with `python3 -m tools.contact_sheet` after changing badge art."""
    with PILImage.open(REPO / "docs" / "badges.png") as committed:
        expected = committed.convert("RGBA")
    with PILImage.open(io.BytesIO(sheet(REPO))) as fresh:
        actual = fresh.convert("RGBA")
    assert actual.size == expected.size
    assert actual.tobytes() == expected.tobytes()

"""docs/screenshots/ holds every page kind at both widths, as `python -m tools.screenshots`
renders them (the pictures are documentation: fonts differ between machines, so their pixels
are not compared)."""

from __future__ import annotations

from PIL import Image

from tests.support import REPO
from tools.screenshots import SHOTS, WIDTHS, file_name, index, take

SCREENSHOTS = REPO / "docs" / "screenshots"


def test_every_page_kind_is_documented_at_both_widths():
    """After adding, renaming or dropping a kind: python -m tools.screenshots."""
    expected = {file_name(kind, width) for kind in SHOTS for width in WIDTHS}
    assert {path.name for path in SCREENSHOTS.glob("*.png")} == expected
    assert (SCREENSHOTS / "README.md").read_text(encoding="utf-8") == index()


def test_screenshots_show_the_first_screen_or_the_whole_page_in_few_colours(browser, tmp_path):
    written = take(tmp_path, ["earner-revoked", "verify-result"], browser)
    assert sorted(path.name for path in written) == sorted(
        file_name(kind, width) for kind in ("earner-revoked", "verify-result") for width in WIDTHS
    )
    for width, size in WIDTHS.items():
        with Image.open(tmp_path / file_name("earner-revoked", width)) as first_screen:
            assert first_screen.mode == "P"  # a palette: a third of the bytes
            assert first_screen.size == (size.width * size.scale, size.height * size.scale)
        with Image.open(tmp_path / file_name("verify-result", width)) as whole_page:
            assert whole_page.width == size.width * size.scale
            assert whole_page.height > size.height * size.scale  # below the fold: the verdict

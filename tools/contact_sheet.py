"""A contact sheet of drawn badges, for reviewers: `python -m tools.contact_sheet [SOURCE] [OUT]`.

The first row is the site's own drawn badges; the rest shows every shape with hard names
(long, accented, Greek, Cyrillic), so a change to badge_art can be judged at a glance.
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw

from badgepress.content.project import Project
from badgepress.content.validate import load_catalog
from badgepress.images.badge_art import SHAPES, BadgeSpec, encode_png, render_badge
from badgepress.images.palettes import PALETTES
from badgepress.images.typeset import font

THUMB, GAP, COLUMNS = 280, 24, 4
SAMPLES = (
    ("Diseño empático del aula", "Escuela Abierta", None, None),
    ("Ψηφιακή παιδαγωγική", "Πανεπιστήμιο Αθηνών", None, None),
    ("Цифровая грамотность учителя", "Учительский союз", None, None),
    ("Leading Professional Learning Communities for Equity, Inclusion and Student Voice Across a District", "District Leadership", "Example Education Association", "4"),
    ("Science", "Inquiry Teaching", "Example Education Association", "1"),
    ("Supercalifragilisticexpialidociousnessfulness", "Edge Cases", "Example Education Association", None),
    ("Mentoring New Teachers", "Induction", "Example Education Association", "2"),
    ("Project-Based Learning: Designing Authentic Tasks", "Example Education Association", None, None),
)  # fmt: skip


def sheet(source: Path) -> bytes:
    """The contact sheet PNG for the site at `source`."""
    # Any fixed time after the site's issue dates (a badge is never issued after the build's
    # time); drawn badges do not depend on it.
    catalog = load_catalog(
        Project(source), datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc)
    )
    tiles = []
    for credential in catalog.credentials:
        if credential.image.drawn:
            with PILImage.open(io.BytesIO(credential.image.data)) as img:
                tiles.append(img.convert("RGBA"))
    palettes = list(PALETTES.values())
    for index, (name, label, footer, emblem) in enumerate(SAMPLES):
        spec = BadgeSpec(
            name,
            label,
            footer,
            SHAPES[index % len(SHAPES)],
            palettes[index % len(palettes)],
            emblem,
        )
        tiles.append(render_badge(spec))
    rows = -(-len(tiles) // COLUMNS)
    header = 56
    width = COLUMNS * THUMB + (COLUMNS + 1) * GAP
    height = header + rows * (THUMB + GAP) + GAP
    out = PILImage.new("RGBA", (width, height), "#f8fafc")
    draw = ImageDraw.Draw(out)
    draw.text(
        (GAP, header / 2 + 4),
        f"badgepress drawn badges: {catalog.config.title} (first row) and samples",
        font=font(22),
        fill="#0f172a",
        anchor="lm",
    )
    for index, tile in enumerate(tiles):
        x = GAP + (index % COLUMNS) * (THUMB + GAP)
        y = header + (index // COLUMNS) * (THUMB + GAP)
        out.alpha_composite(tile.resize((THUMB, THUMB), PILImage.Resampling.LANCZOS), (x, y))
    return encode_png(out, 192)


def main(argv: list[str] | None = None) -> int:
    """Write the contact sheet (default: this directory's site to docs/badges.png)."""
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0]) if args else Path(".")
    target = Path(args[1]) if len(args) > 1 else source / "docs" / "badges.png"
    target.write_bytes(sheet(source))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Screenshots of every page kind of the example site, for reviewers and the README:
`python -m tools.screenshots [OUT]` (default: docs/screenshots/).

Builds this repository's example site, answers its production address from the built files
inside the browser (no server, no request leaves the machine) and renders each page kind at 1280 px (a laptop) and 390 px
(a phone) in Debian's Chromium, headless: `<kind>-1280.png`, `<kind>-390.png`. Most kinds are
their first screen, what a visitor judges first; the earner page and a verify result are whole
pages. Colours are quantized so a refresh adds little to git's history.

Refresh them when the theme changes, in the same pull request, so a reviewer sees the change.
They are documentation, not tests (fonts differ between machines); the browser tests assert the
behaviour. Needs Playwright and /usr/bin/chromium (bash scripts/setup-browser.sh).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import sys
import tempfile
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from PIL import Image

from badgepress.content.project import Project
from badgepress.pipeline import build

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# A fixed day after every example badge's dates (one expired on 2025-06-30): the statuses, and so
# the pictures, do not change with the day they are taken.
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.timezone.utc)


class Width(NamedTuple):
    width: int
    height: int
    scale: float


WIDTHS = {"1280": Width(1280, 800, 1), "390": Width(390, 844, 2)}


class Shot(NamedTuple):
    what: str  # a caption for the index
    path: str  # "{base}" is the site's address
    full_page: bool = False
    wait_for: str | None = None  # a CSS selector the page shows when it is ready


# The example's pages, one of each kind (assertions/2026/*.yaml).
SHOTS = {
    "home": Shot("The catalog", "/"),
    "home-filtered": Shot(
        "The catalog, filtered (grade and format)", "/?grade=Elementary+School&format=Blended"
    ),
    "stack": Shot("A stack", "/stacks/restorative-practices/"),
    "criteria": Shot("A credential's criteria page", "/credentials/restorative-circles/"),
    "criteria-translated": Shot(
        "A credential's translation (Spanish)", "/credentials/empathy-centered-classroom-design/es/"
    ),
    "earner": Shot("An earner's badge page (whole page)", "/assertions/8vcxgcyxdmwy/", True),
    "earner-revoked": Shot("A revoked badge", "/assertions/huxycukru2y4/"),
    "earner-expired": Shot("An expired badge", "/assertions/34w3muptens9/"),
    "verify": Shot("The verify page", "/verify/"),
    "verify-result": Shot(
        "The verify page after checking a badge (whole page)",
        "/verify/?url={base}/assertions/8vcxgcyxdmwy.json",
        full_page=True,
        wait_for="[data-verdict]:not([data-verdict=''])",
    ),
    "page": Shot("A free page", "/how-to-apply/"),
    "404": Shot("The not-found page", "/404.html"),
}
COLOURS = 128  # a palette PNG: a third of the bytes, no visible loss on flat page colours


@contextlib.contextmanager
def example_site() -> Iterator[tuple[str, Path]]:
    """This repository's example site, built into a temporary folder: (its address, the folder)."""
    with tempfile.TemporaryDirectory(prefix="badgepress-screenshots-") as folder:
        site = Path(folder) / "site"
        # No commit: the footer names none, so a picture changes only when the pages do.
        report = build(Project(REPO), site, NOW, commit=None)
        yield report.catalog.config.base_url.rstrip("/"), site


def serve_from(site: Path, base: str):
    """A Playwright route handler answering `base`'s URLs from the built `site` as a static host
    does (folders by their index.html, anything missing with 404.html), so pages show their
    production addresses and make no request to the network."""

    def fulfill(route) -> None:
        path = urllib.parse.urlsplit(route.request.url).path
        target = site / urllib.parse.unquote(path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if target.is_file() and target.resolve().is_relative_to(site.resolve()):
            route.fulfill(path=str(target), headers={"Access-Control-Allow-Origin": "*"})
        else:
            route.fulfill(status=404, path=str(site / "404.html"))

    return fulfill


def quantized_png(png: bytes) -> bytes:
    """`png` with at most COLOURS colours (no dithering: flat colours stay flat)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()


def take(out: Path, kinds: Iterable[str] = SHOTS, browser=None) -> list[Path]:
    """Render the `kinds` of SHOTS at every width into `out`, in `browser` (a Playwright
    Chromium; default: one of its own); returns the files written."""
    if browser is None:
        from playwright.sync_api import sync_playwright  # a test dependency, not badgepress's

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                return take(out, kinds, own)
            finally:
                own.close()

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with example_site() as (base, site):
        for label, width in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width.width, "height": width.height},
                device_scale_factor=width.scale,
            )
            # Routes registered later run first: the site's own, else nothing leaves the machine.
            context.route("**/*", lambda route: route.abort())
            context.route(base + "/**", serve_from(site, base))
            page = context.new_page()
            for kind in kinds:
                shot = SHOTS[kind]
                page.goto(base + shot.path.format(base=base), wait_until="networkidle")
                if shot.wait_for:
                    page.wait_for_selector(shot.wait_for, timeout=15_000)
                page.evaluate("document.fonts.ready")
                png = page.screenshot(full_page=shot.full_page, animations="disabled")
                target = out / file_name(kind, label)
                target.write_bytes(quantized_png(png))
                written.append(target)
            context.close()
    return written


def file_name(kind: str, width: str) -> str:
    return f"{kind}-{width}.png"


def index() -> str:
    """docs/screenshots/README.md: every shot at both widths, with how to refresh them."""
    lines = [
        "# Screenshots of the default theme",
        "",
        "The example site's pages at 1280 px and 390 px wide, in Chromium. Most are the first",
        "screen, what a visitor sees before scrolling. Refresh them in the pull request that",
        "changes the theme, so reviewers see the change:",
        "",
        "```sh",
        ".venv/bin/python -m tools.screenshots",
        "```",
        "",
        "| page | " + " | ".join(f"{width} px" for width in WIDTHS) + " |",
        "|---|" + "---|" * len(WIDTHS),
    ]
    for kind, shot in SHOTS.items():
        cells = [
            f'<a href="{file_name(kind, width)}"><img src="{file_name(kind, width)}" '
            f'width="{240 if width == "1280" else 120}" alt="{shot.what}, {width} px wide"></a>'
            for width in WIDTHS
        ]
        lines.append(f"| {shot.what} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else REPO / "docs" / "screenshots"
    written = take(out)
    for stale in set(out.glob("*.png")) - set(written):  # a kind renamed or dropped
        stale.unlink()
    (out / "README.md").write_text(index(), encoding="utf-8")
    total = sum(path.stat().st_size for path in written)
    for path in written:
        print(f"{path.stat().st_size / 1024:7.0f} KiB  {path}")
    print(f"{len(written)} screenshots, {total / 1024 / 1024:.1f} MiB in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

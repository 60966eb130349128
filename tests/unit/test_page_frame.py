"""The frame every page shares (base.html): its icon, its header, and the blocks sites extend."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from badgepress.render.pages import nobreak_hyphens
from tests.support import build_site
from tests.unit.test_render import _site


def test_every_page_links_icons_that_exist(example_site):
    """Browsers ask the host's /favicon.ico when a page links no icon: a 404 in the console
    (Lighthouse best practices), and someone else's icon for a site under a sub-path. Every page
    links the SVG, the ICO and the home-screen icon relatively, so they work at any base path."""
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        name = page.relative_to(example_site).as_posix()
        html = page.read_text(encoding="utf-8")
        icons = dict(
            (rel + (" " + kind if kind else ""), href)
            for rel, href, kind in re.findall(
                r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"(?: (?:type|sizes)="([^"]+)")?',
                html,
            )
        )
        if name == "404.html":  # served at any depth: it carries its icon inline
            assert list(icons) == ["icon image/svg+xml"], icons
            assert icons["icon image/svg+xml"].startswith("data:image/svg+xml,")
            continue
        assert set(icons) == {"icon 32x32", "icon image/svg+xml", "apple-touch-icon"}, name
        for href in icons.values():
            assert not href.startswith(("/", "http")), f"{name}: {href} is not relative"
            target = urljoin(name, href)
            assert (example_site / target).is_file(), f"{name}: {href} does not exist"
        assert urljoin(name, icons["icon 32x32"]) == "favicon.ico"
        assert urljoin(name, icons["apple-touch-icon"]) == "apple-touch-icon.png"


def test_a_hyphenated_title_is_kept_whole_and_escaped():
    assert nobreak_hyphens("Micro-credentials <b>& co</b>") == (
        '<span class="nowrap">Micro-credentials</span> &lt;b&gt;&amp; co&lt;/b&gt;'
    )
    assert nobreak_hyphens("Plain title") == "Plain title"


def test_site_templates_that_extend_default_blocks_keep_working(tmp_path):
    """Users' overrides rely on the block names (title, meta, main, scripts, …) staying put."""
    templates = {
        "base.html": (
            '{% extends "default/base.html" %}'
            "{% block title %}Ours · {{ super() }}{% endblock %}"
            '{% block meta %}<meta name="ours" content="1">{% endblock %}'
        ),
        "home.html": (
            '{% extends "default/home.html" %}'
            '{% block main %}<p id="ours-first">Welcome</p>{{ super() }}{% endblock %}'
            '{% block scripts %}{{ super() }}<script id="ours-script"></script>{% endblock %}'
        ),
    }
    out = tmp_path / "site"
    build_site(_site(tmp_path / "repo", templates=templates), out)
    home = (out / "index.html").read_text()
    assert "<title>Ours · T</title>" in home
    assert '<meta name="ours" content="1">' in home
    main = home.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    # Our paragraph first, then the whole default catalog inside <main>.
    assert main.index('id="ours-first"') < main.index('id="finder"') < main.index('data-slug="c"')
    # The default scripts are kept, ours follow them, right before </body>.
    assert re.search(
        r'catalog\.js" defer></script>\s*<script id="ours-script"></script>\s*</body>', home
    )
    # The site's base.html frames every page kind, the default header included.
    verify = (out / "verify" / "index.html").read_text()
    assert '<meta name="ours" content="1">' in verify and 'class="site-menu"' in verify
    earner = (out / "assertions" / "a1" / "index.html").read_text()
    assert 'class="site-menu"' in earner and 'id="status"' in earner

"""The /verify/ page and the earner page's "Verify this badge" button, in a real Chromium."""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import http.server
import json
import re
import shutil
import struct
import threading
import zlib

import pytest

from badgepress.openbadges.baking import bake_svg, unbake
from badgepress.verify.verifier import verify as verify_in_python
from tests.support import build_site, serve_directory
from tests.verify.site import REVOCATION_REASON, ServedSite, served_site, write_source

RESULT = "#verify-result"


def verdict(page) -> tuple[str, str]:
    """(label, reason) once the page has shown a verdict."""
    page.wait_for_selector(f"{RESULT}[data-verdict]:not([data-verdict=''])", timeout=15000)
    label = page.inner_text(f"{RESULT} .verdict-label")
    reasons = page.locator(f"{RESULT} .verdict-reason")
    return label, reasons.inner_text() if reasons.count() else ""


def upload(page, site, path, email=None):
    page.goto(f"{site.url}/verify/")
    page.set_input_files("#verify-file", str(path))
    if email:
        page.fill("#verify-email", email)
    page.click("button[type=submit]")
    return verdict(page)


def test_baked_png_and_its_email_are_valid(page, site):
    png = site.root / "assertions" / "jane-valid.png"
    label, _ = upload(page, site, png, "JANE.doe@example.org")
    assert label == "Valid"
    # The verdict region is announced, and the uploaded badge is shown with the verdict.
    assert page.get_attribute(RESULT, "role") == "status"
    assert page.get_attribute(RESULT, "aria-live") == "polite"
    assert page.locator(f"{RESULT} img.verdict-badge").get_attribute("src").startswith("blob:")
    assert "First Steps, issued by Example Education Association" in page.inner_text(RESULT)


def test_revoked_badge_shows_revoked_and_the_reason(page, site):
    label, reason = upload(
        page, site, site.root / "assertions" / "sam-revoked.png", "sam@example.org"
    )
    assert label == "Revoked"
    assert reason == f"Reason: {REVOCATION_REASON}"


def test_wrong_email_is_not_issued_to_this_email(page, site):
    label, _ = upload(
        page, site, site.root / "assertions" / "jane-valid.png", "mallory@example.org"
    )
    assert label == "Not issued to this email"


def test_expired_badge_is_expired(page, site):
    label, reason = upload(page, site, site.root / "assertions" / "lee-expired.png")
    assert (label, reason) == ("Expired", "expired on 2021-01-15")


def test_plain_png_is_not_a_badge(page, site):
    label, reason = upload(page, site, site.root / "credentials" / "first-steps" / "badge.png")
    assert (label, reason) == ("Not a badge", "PNG carries no 'openbadges' chunk")


def test_baked_svg_is_unbaked_with_domparser(page, site, tmp_path):
    svg = tmp_path / "badge.svg"
    plain = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    svg.write_bytes(bake_svg(plain, site.assertion_url("jane-valid")))
    assert upload(page, site, svg, "jane.doe@example.org")[0] == "Valid"


def test_dropping_a_badge_on_the_drop_zone_verifies_it(page, site):
    page.goto(f"{site.url}/verify/")
    data = list((site.root / "assertions" / "sam-revoked.png").read_bytes())
    page.evaluate(
        """(bytes) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "badge.png", {type: "image/png"}));
            document.querySelector("[data-dropzone]").dispatchEvent(
                new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        data,
    )
    assert verdict(page)[0] == "Revoked"


def test_url_from_the_query_string_is_checked_on_load(page, site):
    page.goto(f"{site.url}/verify/?url={site.assertion_url('jane-valid')}")
    assert verdict(page)[0] == "Valid"
    assert page.input_value("#verify-url") == site.assertion_url("jane-valid")


def test_earner_page_link_to_the_verify_page_checks_that_badge(page, site):
    page.goto(f"{site.url}/assertions/lee-expired/")
    page.click("text=verification page")
    assert verdict(page)[0] == "Expired"


@pytest.mark.parametrize(
    ("name", "email", "expected"),
    [
        ("jane-valid", "jane.doe@example.org", "Valid"),
        ("sam-revoked", None, "Revoked"),
        ("jane-valid", "someone@example.org", "Not issued to this email"),
    ],
)
def test_verify_this_badge_button_checks_in_place(page, site, name, email, expected):
    page.goto(f"{site.url}/assertions/{name}/")
    if email:
        page.fill("#verify-email", email)
    page.click("text=Verify this badge")
    assert verdict(page)[0] == expected


class _NoCors(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _server_without_cors(directory):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_NoCors, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_issuer_without_cors_is_explained(page, site, tmp_path):
    shutil.copy(site.root / "assertions" / "jane-valid.json", tmp_path / "a.json")
    with _server_without_cors(tmp_path) as other:
        page.goto(f"{site.url}/verify/?url={other}/a.json")
        label, reason = verdict(page)
    assert label == "Could not reach the issuer"
    assert "does not allow cross-origin checks (CORS)" in reason


def test_page_and_command_line_run_the_same_checks(page, site):
    """For each kind of badge, the browser's checks and verdict equal `badgepress verify`'s."""
    page.goto(f"{site.url}/verify/")
    now = datetime.datetime.now(datetime.timezone.utc)
    tampered = json.loads((site.root / "assertions" / "jane-valid.json").read_text())
    tampered["expires"] = 1  # a Unix timestamp, in 1970
    (site.root / "tampered.json").write_text(json.dumps(tampered))
    badgeless = {**tampered, "id": f"{site.url}/badgeless.json", "badge": {"name": "Ünïcode"}}
    (site.root / "badgeless.json").write_text(json.dumps(badgeless))
    shrunk = {"id": f"{site.url}/shrunk.json", "revoked": True, "revocationReason": "Withdrawn"}
    (site.root / "shrunk.json").write_text(json.dumps(shrunk))
    targets = [
        (f"{site.url}/shrunk.json", None),
        (f"{site.url}/tampered.json", None),
        (f"{site.url}/badgeless.json", None),
        (site.assertion_url("jane-valid"), "jane.doe@example.org"),
        (site.assertion_url("jane-valid"), "x@example.org"),
        (site.assertion_url("sam-revoked"), None),
        (site.assertion_url("lee-expired"), None),
        (f"{site.url}/assertions/jane-valid.png", None),
        (f"{site.url}/assertions/missing.json", None),
        (f"{site.url}/issuer.json", None),
    ]
    for url, email in targets:
        python = verify_in_python(url, email, now).as_json()
        browser = page.evaluate(
            "([url, email]) => window.badgepressVerify.verify({url}, email)", [url, email]
        )
        strip = [{k: c[k] for k in ("name", "status", "message")} for c in browser["checks"]]
        assert (browser["verdict"]["code"], strip) == (python["verdict"], python["checks"]), url


@pytest.mark.parametrize("text", ["", "abc", "jane@example.orgsalt", "é" * 40, "x" * 119])
def test_javascript_hashes_equal_python_hashlib(page, site, text):
    # md5 ships in the script (WebCrypto has none); sha256Fallback serves non-secure contexts.
    page.goto(f"{site.url}/verify/")
    md5, sha256 = page.evaluate(
        """(t) => { const b = new TextEncoder().encode(t), v = window.badgepressVerify;
                    return [v.md5(b), v.sha256Fallback(b)]; }""",
        text,
    )
    data = text.encode("utf-8")
    assert (md5, sha256) == (hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest())


def test_form_works_from_the_keyboard(page, site):
    page.goto(f"{site.url}/verify/")
    for _ in range(15):  # skip link, site title, nav links, then the form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "verify-file":
            break
    # A native file input: Space/Enter open the chooser (Chromium's own behaviour, not tested here).
    assert page.evaluate("document.activeElement.id") == "verify-file"
    page.set_input_files("#verify-file", str(site.root / "assertions" / "jane-valid.png"))
    page.keyboard.press("Tab")  # the badge link field
    page.keyboard.press("Tab")  # the email field
    page.keyboard.type("jane.doe@example.org")
    page.keyboard.press("Enter")
    assert verdict(page)[0] == "Valid"


def _png_with(chunk_type: bytes, payload: bytes) -> bytes:
    """A 1×1 PNG carrying one extra text chunk after IHDR."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(chunk_type, payload)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        (b"tEXt", b"openbadges\0https://x.example/a.json"),
        (b"zTXt", b"openbadges\0\0" + zlib.compress(b"https://x.example/a.json")),
        (b"iTXt", b"openbadges\0\0\0en\0\0https://x.example/a.json"),
        (b"iTXt", b"openbadges\0\1\0\0\0" + zlib.compress(b"https://x.example/a.json")),
    ],
    ids=["tEXt", "zTXt", "iTXt", "iTXt-compressed"],
)
def test_page_unbakes_every_png_text_chunk_kind(page, site, kind, payload):
    png = _png_with(kind, payload)
    assert unbake(png) == "https://x.example/a.json"  # Python agrees on the fixture
    page.goto(f"{site.url}/verify/")
    carried = page.evaluate(
        "(b) => window.badgepressVerify.unbakePng(new Uint8Array(b))", list(png)
    )
    assert carried == "https://x.example/a.json"


def test_issuer_text_is_shown_as_text_never_as_markup(page, site):
    hostile = "<img src=x onerror=\"document.title='pwned'\">"
    badge = json.loads((site.root / "credentials" / "first-steps.json").read_text())
    badge.update(id=f"{site.url}/hostile-badge.json", name=hostile)
    (site.root / "hostile-badge.json").write_text(json.dumps(badge))
    assertion = json.loads((site.root / "assertions" / "jane-valid.json").read_text())
    assertion.update(id=f"{site.url}/hostile.json", badge=badge["id"])
    (site.root / "hostile.json").write_text(json.dumps(assertion))
    page.goto(f"{site.url}/verify/?url={site.url}/hostile.json")
    assert verdict(page)[0] == "Valid"
    assert hostile in page.inner_text(RESULT)
    assert page.locator(f"{RESULT} img[onerror]").count() == 0
    assert page.title() != "pwned"


def _earner_link(page):
    return page.locator(f'{RESULT} a:has-text("Open the earner\'s page")')


@pytest.mark.parametrize("how", ["url", "image"])
def test_a_valid_badge_of_this_site_links_to_its_earner_page(page, site, how):
    if how == "url":
        page.goto(f"{site.url}/verify/?url={site.assertion_url('jane-valid')}")
        assert verdict(page)[0] == "Valid"
    else:
        png = site.root / "assertions" / "jane-valid.png"
        assert upload(page, site, png, site.email("jane-valid"))[0] == "Valid"
    link = _earner_link(page)
    assert link.get_attribute("href") == "../assertions/jane-valid/"  # relative: any host
    link.click()
    page.wait_for_url(f"{site.url}/assertions/jane-valid/")
    assert page.locator("#status.status-valid").count() == 1


def test_a_badge_of_another_site_or_not_valid_gets_no_earner_link(page, site, tmp_path):
    """Same ids, another origin: only this site's own badges link to its earner pages."""
    with served_site(tmp_path) as other:
        page.goto(f"{site.url}/verify/?url={other.assertion_url('jane-valid')}")
        assert verdict(page)[0] == "Valid"
        assert "First Steps" in page.inner_text(RESULT)
        assert _earner_link(page).count() == 0
    page.goto(f"{site.url}/verify/?url={site.assertion_url('sam-revoked')}")
    assert verdict(page)[0] == "Revoked"
    assert _earner_link(page).count() == 0


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    """The three-badge site with `language: es`, served at its own base URL."""
    workdir = tmp_path_factory.mktemp("es")
    source = write_source(workdir / "repo")
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "language: es\n", "utf-8")
    output = workdir / "site"
    output.mkdir()
    with serve_directory(output) as url:
        build_site(source, output, base_url=url + "/")
        yield ServedSite(output, url)


def test_every_check_line_on_a_spanish_verify_page_is_in_spanish(page, spanish_site):
    """The verdict's reason and each line of "What was checked": none left in English, for
    badges that pass, fail, are revoked, expired, missing, not badges or foreign documents."""
    site = spanish_site
    tampered = json.loads((site.root / "assertions" / "jane-valid.json").read_text())
    tampered["expires"] = 1  # 1970
    (site.root / "tampered.json").write_text(json.dumps(tampered))
    shrunk = {"id": f"{site.url}/shrunk.json", "revoked": True, "revocationReason": "Withdrawn"}
    (site.root / "shrunk.json").write_text(json.dumps(shrunk))
    targets = [
        (site.assertion_url("jane-valid"), "jane.doe@example.org"),
        (site.assertion_url("jane-valid"), None),
        (site.assertion_url("jane-valid"), "x@example.org"),
        (site.assertion_url("sam-revoked"), None),
        (site.assertion_url("lee-expired"), None),
        (f"{site.url}/assertions/jane-valid.png", None),
        (f"{site.url}/credentials/first-steps/badge.png", None),
        (f"{site.url}/assertions/missing.json", None),
        (f"{site.url}/issuer.json", None),
        (f"{site.url}/tampered.json", None),
        (f"{site.url}/shrunk.json", None),
        ("ftp://example.org/a.json", None),
    ]
    page.goto(f"{site.url}/verify/")
    assert page.get_attribute("html", "lang") == "es"
    shown_lines = 0
    for url, email in targets:
        english = page.evaluate(
            "([url, email]) => window.badgepressVerify.verify({url}, email)", [url, email]
        )
        page.fill("#verify-url", url)
        page.fill("#verify-email", email or "")
        page.evaluate("document.querySelector('#verify-result').dataset.verdict = ''")
        page.click("button[type=submit]")
        verdict(page)
        lines = page.locator(f"{RESULT} .verdict-checks li").all_inner_texts()
        assert len(lines) == len(english["checks"]), url
        for line, check in zip(lines, english["checks"], strict=True):
            said = line.split(": ", 1)[-1] if line[:2] in ("✓ ", "✗ ", "– ") else line
            assert f"{check['name']}: {check['message']}" not in line, (url, line)
            assert check["name"] not in said.split(":")[0], line
            if re.search(r"[a-z]{3,} [a-z]{3,}", check["message"]):  # words, not just a URL
                assert check["message"] not in line, (url, line)
            shown_lines += 1
        reason = page.locator(f"{RESULT} .verdict-reason")
        if english["verdict"]["code"] not in ("valid", "revoked"):
            assert english["verdict"]["reason"] not in reason.inner_text(), url
    assert shown_lines > 60

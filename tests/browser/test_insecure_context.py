"""Over plain http on a non-local host there is no crypto.subtle; the page still hashes and verifies."""

from __future__ import annotations

from tests.conftest import INSECURE_HOST
from tests.support import build_site, serve_directory
from tests.verify.site import write_source


def test_verify_page_works_without_webcrypto(page, tmp_path):
    source = write_source(tmp_path / "repo")
    output = tmp_path / "site"
    output.mkdir()
    with serve_directory(output) as url:
        base = url.replace("127.0.0.1", INSECURE_HOST)
        build_site(source, output, base_url=base + "/")
        page.goto(f"{base}/verify/")
        assert page.evaluate("window.isSecureContext") is False
        assert page.evaluate("typeof (window.crypto && window.crypto.subtle)") == "undefined"
        page.set_input_files("#verify-file", str(output / "assertions" / "jane-valid.png"))
        page.fill("#verify-email", "jane.doe@example.org")
        page.click("button[type=submit]")
        page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
        page.fill("#verify-email", "other@example.org")
        page.click("button[type=submit]")
        page.wait_for_selector("#verify-result[data-verdict='wrong_recipient']", timeout=15000)

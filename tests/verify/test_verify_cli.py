"""`badgepress verify` against a real site on 127.0.0.1: one test per verdict the command can reach."""

from __future__ import annotations

import json
import subprocess
import sys

from badgepress.cli import main
from badgepress.openbadges.baking import bake_svg
from tests.support import REPO, fifo_nobody_writes_to, serve_directory
from tests.verify.site import REVOCATION_REASON


def verify(capsys, *args):
    status = main(["verify", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out


def verdict_line(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_valid_assertion_url_with_its_email_is_valid(site, capsys):
    # OB 2.0: emails are compared lowercased; the issuer hashed "Jane.Doe@example.org".
    status, out = verify(
        capsys, site.assertion_url("jane-valid"), "--email", "jane.doe@EXAMPLE.org"
    )
    assert status == 0
    assert verdict_line(out) == "verdict: Valid"
    assert "[ok  ] recipient: issued to this email address" in out
    assert "FAIL" not in out


def test_baked_png_file_with_email_is_valid(site, capsys):
    png = site.root / "assertions" / "jane-valid.png"
    status, out = verify(capsys, png, "--email", site.email("jane-valid"))
    assert status == 0
    assert "[ok  ] baked URL: the image carries the assertion's URL" in out
    assert verdict_line(out) == "verdict: Valid"


def test_baked_image_url_is_unbaked_and_valid(site, capsys):
    status, out = verify(capsys, f"{site.url}/assertions/jane-valid.png")
    assert status == 0
    assert "[ok  ] image fetched:" in out
    assert "[skip] recipient: no email given" in out


def test_baked_svg_file_is_valid(site, capsys, tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    baked = tmp_path / "badge.svg"
    baked.write_bytes(bake_svg(svg, site.assertion_url("jane-valid")))
    status, out = verify(capsys, baked, "--email", site.email("jane-valid"))
    assert (status, verdict_line(out)) == (0, "verdict: Valid")


def test_revoked_badge_is_revoked_with_its_reason(site, capsys):
    status, out = verify(capsys, site.root / "assertions" / "sam-revoked.png")
    assert status == 1
    assert verdict_line(out) == f"verdict: Revoked — revoked: {REVOCATION_REASON}"


def test_badge_on_the_revocation_list_alone_is_revoked(fresh_site, capsys):
    # Some issuers only list revocations; the assertion itself still looks fine.
    path = fresh_site.root / "assertions" / "sam-revoked.json"
    doc = json.loads(path.read_text())
    del doc["revoked"], doc["revocationReason"]
    path.write_text(json.dumps(doc))
    status, out = verify(capsys, fresh_site.assertion_url("sam-revoked"))
    assert status == 1
    assert "[ok  ] not revoked: the assertion is not marked revoked" in out
    assert f"[FAIL] revocation list: revoked: {REVOCATION_REASON}" in out
    assert verdict_line(out).startswith("verdict: Revoked")


def test_revoked_assertion_reduced_to_its_id_and_reason_is_revoked(fresh_site, capsys):
    # OB 2.0 lets a revoked hosted assertion answer with little more than revoked + reason.
    url = fresh_site.assertion_url("sam-revoked")
    doc = {"id": url, "revoked": True, "revocationReason": "Withdrawn"}
    (fresh_site.root / "assertions" / "sam-revoked.json").write_text(json.dumps(doc))
    status, out = verify(capsys, url)
    assert status == 1
    assert verdict_line(out) == "verdict: Revoked — revoked: Withdrawn"
    assert "FAIL] assertion fields" not in out


def test_expired_badge_is_expired(site, capsys):
    status, out = verify(
        capsys, site.assertion_url("lee-expired"), "--email", site.email("lee-expired")
    )
    assert status == 1
    assert verdict_line(out) == "verdict: Expired — expired on 2021-01-15"


def test_wrong_email_is_not_issued_to_this_email(site, capsys):
    status, out = verify(capsys, site.assertion_url("jane-valid"), "--email", "mallory@example.org")
    assert status == 1
    assert verdict_line(out).startswith("verdict: Not issued to this email")


def test_copy_served_at_another_url_is_not_valid(fresh_site, capsys):
    # A tampered copy keeps the real id (so it looks genuine) but is served from elsewhere.
    doc = json.loads((fresh_site.root / "assertions" / "jane-valid.json").read_text())
    doc["expires"] = "2099-01-01T00:00:00Z"
    (fresh_site.root / "tampered.json").write_text(json.dumps(doc))
    status, out = verify(capsys, f"{fresh_site.url}/tampered.json")
    assert status == 1
    assert "[FAIL] assertion id:" in out
    assert verdict_line(out).startswith("verdict: Not valid — assertion id")


def test_edited_local_json_differs_from_the_hosted_record(site, capsys, tmp_path):
    doc = json.loads((site.root / "assertions" / "lee-expired.json").read_text())
    doc["expires"] = "2099-01-01T00:00:00Z"
    local = tmp_path / "lee.json"
    local.write_text(json.dumps(doc))
    status, out = verify(capsys, local)
    assert status == 1
    assert (
        verdict_line(out)
        == "verdict: Not valid — the file differs from the issuer's record in: expires"
    )


def test_unedited_local_json_is_checked_against_the_hosted_record(site, capsys, tmp_path):
    local = tmp_path / "jane.json"
    local.write_bytes((site.root / "assertions" / "jane-valid.json").read_bytes())
    status, out = verify(capsys, local)
    assert status == 0
    assert "[ok  ] local copy: the file matches the issuer's hosted record" in out


def test_assertion_hosted_on_a_foreign_origin_is_not_valid(site, capsys, tmp_path):
    # A forger hosts an assertion with a correct-looking id on their own server, pointing at the
    # real issuer's badge class: OB 2.0 requires the assertion to live on the issuer's origin.
    doc = json.loads((site.root / "assertions" / "jane-valid.json").read_text())
    with serve_directory(tmp_path) as forger:
        doc["id"] = f"{forger}/fake.json"
        (tmp_path / "fake.json").write_text(json.dumps(doc))
        status, out = verify(capsys, f"{forger}/fake.json", "--email", site.email("jane-valid"))
    assert status == 1
    assert "[FAIL] issuer origin: the assertion is hosted on 127.0.0.1:" in out
    assert verdict_line(out).startswith("verdict: Not valid")


def test_issuer_allowed_origins_admit_another_host(fresh_site, capsys, tmp_path):
    issuer_path = fresh_site.root / "issuer.json"
    issuer = json.loads(issuer_path.read_text())
    doc = json.loads((fresh_site.root / "assertions" / "jane-valid.json").read_text())
    with serve_directory(tmp_path) as other:
        issuer["verification"] = {"allowedOrigins": [other.removeprefix("http://")]}
        issuer_path.write_text(json.dumps(issuer))
        doc["id"] = f"{other}/moved.json"
        (tmp_path / "moved.json").write_text(json.dumps(doc))
        status, out = verify(capsys, f"{other}/moved.json")
    assert status == 0, out
    assert "[ok  ] issuer origin" in out


def test_missing_assertion_is_not_valid(site, capsys):
    status, out = verify(capsys, f"{site.url}/assertions/nobody.json")
    assert status == 1
    assert verdict_line(out).endswith("(HTTP 404)")


def test_unreachable_issuer_could_not_be_checked_and_says_why_once(capsys):
    with serve_directory(REPO) as url:
        pass  # the port is free again: nothing answers there
    assert main(["verify", f"{url}/assertions/x.json"]) == 2
    out, err = capsys.readouterr()
    assert verdict_line(out).startswith("verdict: Could not reach the issuer — could not reach")
    assert err == ""  # the reason was printed on stderr too


def test_plain_png_is_not_a_badge(site, capsys):
    status, out = verify(capsys, site.root / "credentials" / "first-steps" / "badge.png")
    assert status == 1
    assert verdict_line(out) == "verdict: Not a badge — PNG carries no 'openbadges' chunk"


def test_an_endless_file_is_not_a_badge_and_is_not_read_to_its_end(capsys):
    status, out = verify(capsys, "/dev/zero")
    assert status == 1
    assert (
        verdict_line(out)
        == "verdict: Not a badge — /dev/zero is larger than 5,000,000 bytes, more than any badge"
    )


def test_a_fifo_nobody_writes_to_is_not_a_badge_and_is_not_waited_for(tmp_path, capsys):
    with fifo_nobody_writes_to(tmp_path / "badge.png") as fifo:
        status, out = verify(capsys, str(fifo))
    assert status == 1
    assert verdict_line(out) == f"verdict: Not a badge — {fifo} is neither a badge image nor JSON"


def test_issued_in_the_future_is_not_valid(fresh_site, capsys):
    path = fresh_site.root / "assertions" / "jane-valid.json"
    doc = json.loads(path.read_text())
    doc["issuedOn"] = "2999-01-01T00:00:00Z"
    path.write_text(json.dumps(doc))
    status, out = verify(capsys, fresh_site.assertion_url("jane-valid"))
    assert status == 1
    assert verdict_line(out) == "verdict: Not valid — issued in the future (2999-01-01)"


def test_json_report_is_machine_readable(site, capsys):
    status, out = verify(capsys, site.assertion_url("sam-revoked"), "--json")
    report = json.loads(out)
    assert status == 1
    assert report["valid"] is False
    assert report["verdict"] == "revoked"
    assert report["label"] == "Revoked"
    assert report["badge"]["revocationReason"] == REVOCATION_REASON
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["assertion id"]["status"] == "pass"
    assert checks["revocation list"]["message"] == f"revoked: {REVOCATION_REASON}"
    assert report["badge"]["name"] == "First Steps"


def test_console_command_exits_with_the_verdict(site):
    # The real entry point, in its own process: exit status is the contract for scripts.
    result = subprocess.run(
        [sys.executable, "-m", "badgepress", "verify", site.assertion_url("lee-expired"), "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["verdict"] == "expired"

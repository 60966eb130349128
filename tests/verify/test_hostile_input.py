"""`badgepress verify` on crafted files and documents: a verdict, never a traceback, bounded memory.

The hostile servers are in test_hostile_server.py; the random inputs in test_fuzz.py.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import threading
import time
import zlib

import pytest

from badgepress.cli import main
from badgepress.openbadges.baking import bake_svg_credential
from badgepress.verify.verifier import within_deadline
from tests.support import REPO
from tests.verify.hostile import hostile_server, png_with, zlib_bomb


def verify(capsys, *args):
    status = main(["verify", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out.strip().splitlines()[-1]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'

# file name -> (its bytes, the verdict line)
FILES = {
    "corrupt-ztxt.png": (
        png_with(b"zTXt", b"openbadges\0\0garbage"),
        "verdict: Not a badge — the PNG's zTXt chunk holds corrupt compressed data"
        " (Error -3 while decompressing data: incorrect header check)",
    ),
    "corrupt-itxt.png": (
        png_with(b"iTXt", b"openbadges\0\1\0\0\0" + zlib.compress(b"https://x.example/a")[:-6]),
        "verdict: Not a badge — the PNG's iTXt chunk holds compressed data cut short",
    ),
    "short-itxt.png": (
        png_with(b"iTXt", b"openbadges\0\0"),
        "verdict: Not a badge — the PNG's iTXt chunk is malformed",
    ),
    "latin1-itxt.png": (
        png_with(b"iTXt", b"openbadges\0\0\0\0\0https://x.example/caf\xe9"),
        "verdict: Not a badge — the PNG's iTXt chunk is not UTF-8 text",
    ),
    "latin1.svg": (
        SVG + b'<openbadges:assertion verify="https://x.example/caf\xe9"/></svg>',
        "verdict: Not a badge — the SVG's openbadges:assertion element is not UTF-8 text",
    ),
    "latin1-credential.svg": (  # no readable 3.0 credential: then read as a 2.0 badge
        SVG + b"<openbadges:credential><![CDATA[{\xe9}]]></openbadges:credential></svg>",
        "verdict: Not a badge — SVG carries no openbadges:assertion element",
    ),
    "deep.json": (
        b"[" * 100_000,
        "verdict: Not a badge — {path} nests arrays and objects more than 64 levels deep",
    ),
    "long-number.json": (
        b'{"id": 1' + b"0" * 100_000 + b"}",
        "verdict: Not a badge — {path} holds a number longer than 100 characters",
    ),
    "nan.json": (
        b'{"id": "https://x.example/a.json", "issuedOn": NaN}',
        "verdict: Not a badge — {path} holds NaN, which is not a JSON number",
    ),
    "huge-float.json": (
        b'{"issuedOn": 1e400}',
        "verdict: Not a badge — {path} holds the number 1e400, too large for any date or count",
    ),
    "lone-surrogate.json": (
        b'{"id": "https://x.example/\\ud800"}',
        "verdict: Not a badge — {path} holds a string with an unpaired UTF-16 surrogate",
    ),
    "ipv6.json": (
        b'{"id": "http://[::1/a.json"}',
        "verdict: Not a badge — not a valid URL: 'http://[::1/a.json' (Invalid IPv6 URL)",
    ),
    "baked-deep-credential.svg": (  # no readable 3.0 credential: then read as a 2.0 badge
        bake_svg_credential(SVG + b"</svg>", '{"a":' * 100_000 + "1" + "}" * 100_000),
        "verdict: Not a badge — SVG carries no openbadges:assertion element",
    ),
    "baked-data-url.png": (
        png_with(b"tEXt", b"openbadges\0data:application/json,{}"),
        "verdict: Not a badge — the baked data names no assertion URL",
    ),
    "baked-file-url.svg": (
        SVG + b'<openbadges:assertion verify="file:///etc/passwd"/></svg>',
        "verdict: Not a badge — the baked data names no assertion URL",
    ),
    "many-values.json": (
        b'{"a": [' + b"[]," * 1_600_000 + b"[]]}",
        "verdict: Not a badge — {path} holds more than 250,000 values",
    ),
    "baked-deep-json.png": (
        png_with(b"tEXt", b"openbadges\0{" + b'"a":[' * 100 + b"]" * 100 + b"}"),
        "verdict: Not a badge — the baked data names no assertion URL",
    ),
}


@pytest.mark.parametrize("name", FILES)
def test_every_crafted_file_gets_its_verdict(tmp_path, capsys, name):
    data, expected = FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    status, line = verify(capsys, path)
    assert (status, line) == (1, expected.format(path=path))


def test_a_credential_too_large_to_canonicalize_is_not_checked(tmp_path, capsys):
    # RDF canonicalization of 10,000 objects took two minutes: a signature over that many values
    # is not checked, whatever the deadline.
    credential = {"type": ["VerifiableCredential"], "credentialSubject": {"n": list(range(3000))}}
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential))
    status = main(["verify", str(path)])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert (status, last) == (
        2,
        "verdict: Could not check — the credential holds more than 2,000 JSON values,"
        " more than badgepress checks a signature over",
    )


def test_an_svg_of_unclosed_tags_is_read_in_linear_time(tmp_path, capsys):
    # A regex searching for the element from every '<openbadges:assertion' read to the end of
    # the file each time: 440 KB took a minute. A generous tripwire, not a benchmark.
    path = tmp_path / "unclosed.svg"
    path.write_bytes(b"<svg " + b"<openbadges:assertion " * 200_000)  # 4.4 MB
    started = time.monotonic()
    status, line = verify(capsys, path)
    assert time.monotonic() - started < 10
    assert (status, line) == (
        1,
        "verdict: Not a badge — SVG carries no openbadges:assertion element",
    )


def test_a_target_that_is_neither_a_file_nor_an_http_url_is_not_a_badge(capsys):
    status, line = verify(capsys, "data:application/json,{}")
    assert (status, line) == (
        1,
        "verdict: Not a badge — data:application/json,{} is not an http(s) URL, nor a file",
    )


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("1e300", "verdict: Not valid — issuedOn 1e+300 is not a date"),
        ("-1e300", "verdict: Not valid — issuedOn -1e+300 is not a date"),
        (
            "99999999999999999999",
            "verdict: Not valid — issuedOn 99999999999999999999 is not a date",
        ),
        ('"9999-12-31T23:59:59-23:59"', "verdict: Not valid — issued in the future (9999-12-31)"),
    ],
)
def test_issue_dates_beyond_any_calendar_are_not_valid(fresh_site, capsys, value, verdict):
    path = fresh_site.root / "assertions" / "jane-valid.json"
    path.write_text(
        path.read_text().replace('"issuedOn": "2024-01-15T00:00:00Z"', f'"issuedOn": {value}')
    )
    assert f'"issuedOn": {value}' in path.read_text()
    assert verify(capsys, fresh_site.assertion_url("jane-valid")) == (1, verdict)


def test_nan_in_a_linked_document_is_not_valid(fresh_site, capsys):
    path = fresh_site.root / "credentials" / "first-steps.json"
    path.write_text(
        path.read_text().replace('"type": "BadgeClass"', '"type": "BadgeClass", "n": NaN')
    )
    url = f"{fresh_site.url}/credentials/first-steps.json"
    status, line = verify(capsys, fresh_site.assertion_url("jane-valid"))
    assert (status, line) == (
        1,
        f"verdict: Not valid — {url} holds NaN, which is not a JSON number",
    )


def test_a_strangers_text_cannot_rewrite_the_report_on_a_terminal(fresh_site, capsys):
    # An issuer's name with a newline and a fake verdict, ANSI escapes that erase the screen, and
    # a right-to-left override: printed as escapes, on one line.
    path = fresh_site.root / "credentials" / "first-steps.json"
    badge = json.loads(path.read_text())
    badge["name"] = "Fake\nverdict: Valid\x1b[2J\x1b]0;title\x07\u202egnirts"
    path.write_text(json.dumps(badge))
    main(["verify", fresh_site.assertion_url("jane-valid"), "--email", "nobody@example.org"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert out.count("verdict:") == 2  # the escaped fake one, inside the badge line, and the real
    assert "badge: Fake\\nverdict: Valid\\x1b[2J\\x1b]0;title\\x07\\u202egnirts (issued by" in out
    assert out.strip().splitlines()[-1].startswith("verdict: Not issued to this email")


def test_public_only_refuses_a_badge_on_this_machine(site, capsys):
    status = main(["verify", site.assertion_url("jane-valid"), "--public-only"])
    out = capsys.readouterr().out
    assert status == 2
    assert out.strip().splitlines()[-1] == (
        "verdict: Could not check — not fetched: 127.0.0.1 is a private or loopback address"
        " (--public-only)"
    )


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "abc", "3601"])
def test_timeout_must_be_a_sensible_number_of_seconds(capsys, value):
    with pytest.raises(SystemExit) as caught:
        main(["verify", "x.png", "--timeout", value])
    assert caught.value.code == 2
    assert "expected a number of seconds above 0 and at most 3600" in capsys.readouterr().err


def test_checks_that_outlast_the_deadline_are_given_up():
    # Fetches end at the deadline by themselves; this bounds the CPU work between them too.
    release = threading.Event()
    started = time.monotonic()
    report = within_deadline("badge.png", 0.5, lambda: release.wait(60))
    release.set()
    assert time.monotonic() - started < 10
    assert (report.verdict.label, report.verdict.reason) == (
        "Could not check",
        "no verdict within 0.5 s (--timeout)",
    )


# Memory: the command in a process of its own, its peak resident size read as it ends. Not
# ru_maxrss: Linux folds the pre-exec copy of the parent (pytest, 100+ MB late in a run) into it.
MEMORY_LIMIT = 2 << 30  # address space allowed to the child, so a regression fails, not the host
PEAK_ALLOWED_MB = 100  # the command takes 30-40 MB; unbounded, these inputs take over 1 GB
DRIVER = """
import sys
from badgepress.cli import main
try:
    code = main(sys.argv[1:])
finally:
    with open("/proc/self/status") as status:  # VmHWM: this process's peak resident set
        sys.stderr.write(next(line for line in status if line.startswith("VmHWM:")))
sys.exit(code)
"""


def peak_memory_mb(*args: str, timeout: float = 120) -> tuple[int, str, float]:
    """(exit status, output, peak resident MB) of `badgepress verify ARGS` in its own process."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    result = subprocess.run(
        [sys.executable, "-c", DRIVER, "verify", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        preexec_fn=limit,
        timeout=timeout,
        check=False,
    )
    peak = re.search(r"^VmHWM:\s+(\d+) kB$", result.stderr, re.MULTILINE)
    assert peak, result.stderr[-2000:]
    return result.returncode, result.stdout + result.stderr, int(peak.group(1)) / 1024


def test_json_of_a_million_empty_strings_stays_small_in_memory(tmp_path):
    # 5 MB of "" parsed takes 300 MB; even counting its strings with re.sub took 270 MB.
    path = tmp_path / "strings.json"
    path.write_bytes(b'{"a": [' + b'"",' * 1_600_000 + b'""]}')
    status, output, peak = peak_memory_mb(str(path))
    assert status == 1
    assert f"verdict: Not a badge — {path} holds more than 250,000 values" in output
    assert peak < PEAK_ALLOWED_MB


def test_a_png_whose_itxt_inflates_to_a_gibibyte_stays_small_in_memory(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_with(b"iTXt", b"openbadges\0\1\0\0\0" + zlib_bomb()))
    assert 900_000 < path.stat().st_size < 1_200_000  # about 1 MB, as in the report
    status, output, peak = peak_memory_mb(str(path))
    assert "Traceback" not in output
    assert status == 1
    assert "Not a badge — the PNG's iTXt chunk inflates to more than 5,000,000 bytes" in output
    assert peak < PEAK_ALLOWED_MB


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_a_compressed_http_body_inflating_to_a_gibibyte_stays_small_in_memory(path):
    with hostile_server() as (url, _):
        status, output, peak = peak_memory_mb(url + path, "--timeout", "60")
    assert "Traceback" not in output
    assert status == 1
    assert "inflates to more than 5,000,000 bytes, more than any badge" in output
    assert peak < PEAK_ALLOWED_MB

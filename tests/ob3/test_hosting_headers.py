"""site/_headers (Netlify, Cloudflare Pages): CORS and content types for every file a
browser-based verifier fetches, and every path it names is one the build wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from badgepress.content.project import Project
from badgepress.openbadges.signing import SigningKey
from badgepress.pipeline import build
from tests.ob3.support import KEY_ENV, signed_example
from tests.support import BUILD_TIME, copy_example

JSON = "application/json; charset=utf-8"


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    """The rules of a _headers file, refusing anything outside the syntax both hosts read: a
    path line starting with '/', then indented 'Name: value' lines; '#' comments."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/"):
            assert line == line.strip(), f"line {number}: stray spaces"
            # Only exact paths and a final /*: the patterns Netlify and Cloudflare agree on.
            assert "*" not in line[:-2] and ":" not in line, f"line {number}: {line}"
            rules.append((line, {}))
            continue
        match = re.fullmatch(r"  ([A-Za-z-]+): (\S.*)", line)
        assert match and rules, f"line {number}: not '  Name: value' under a path: {line!r}"
        rules[-1][1][match[1]] = match[2]
    return rules


def matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("/*") else path == pattern


def headers_for(rules, path: str) -> dict[str, list[str]]:
    """Every value each header gets for `path` (Cloudflare sends all matching rules' values)."""
    sent: dict[str, list[str]] = {}
    for pattern, headers in rules:
        if matches(pattern, path):
            for name, value in headers.items():
                sent.setdefault(name, []).append(value)
    return sent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return signed_example(tmp_path_factory.mktemp("headers") / "repo", SigningKey.generate())


def _rules(site: Path):
    return parse_headers((site / "_headers").read_text(encoding="utf-8"))


def test_every_json_file_a_verifier_fetches_gets_cors_once(site):
    verifier_json = [
        ".well-known/did.json",
        "status/revocation-1.json",
        "issuer.json",
        "revocations.json",
        *(p.relative_to(site).as_posix() for p in sorted(site.glob("assertions/*.json"))),
        *(p.relative_to(site).as_posix() for p in sorted(site.glob("credentials/*.json"))),
    ]
    assert len(verifier_json) > 4 + 24  # the example's 12 badges in 2.0 and 3.0, its classes
    rules = _rules(site)
    for path in verifier_json:
        assert (site / path).is_file(), path
        sent = headers_for(rules, "/" + path)
        assert sent["Access-Control-Allow-Origin"] == ["*"], path
        assert sent.get("Content-Type", [JSON]) == [JSON], path  # set once, if at all
    for path in (".well-known/did.json", "status/revocation-1.json", "issuer.json"):
        assert headers_for(rules, "/" + path)["Content-Type"] == [JSON]
    # Baked images are fetched by other sites' verify pages too; their type is left to the host.
    image = next(site.glob("assertions/*.credential.png"))
    sent = headers_for(rules, "/" + image.relative_to(site).as_posix())
    assert sent == {"Access-Control-Allow-Origin": ["*"]}


def test_every_path_in_headers_names_what_the_build_wrote(site):
    for pattern, headers in _rules(site):
        if pattern == "/*":
            continue
        target = site / pattern.lstrip("/").removesuffix("/*")
        if pattern.endswith("/*"):
            files = [p for p in target.rglob("*") if p.is_file()]
            assert files, pattern
            if headers.get("Content-Type") == JSON:
                assert all(p.suffix == ".json" for p in files), pattern
        else:
            assert target.is_file(), pattern


def test_site_without_signing_sends_cors_and_names_no_3_0_files(tmp_path):
    source = copy_example(tmp_path / "repo")
    build(Project(source), source / "site", BUILD_TIME)
    rules = dict(parse_headers((source / "site/_headers").read_text()))
    assert rules == {
        "/*": {"Access-Control-Allow-Origin": "*"},
        "/issuer.json": {"Content-Type": JSON},
        "/revocations.json": {"Content-Type": JSON},
    }


def test_did_under_a_path_is_named_where_the_build_writes_it(tmp_path):
    source = copy_example(tmp_path / "repo")
    site_yaml = source / "content/site.yaml"
    text = site_yaml.read_text().replace(
        "base_url: https://badges.example.org/", "base_url: https://example.github.io/badges/"
    )
    assert "example.github.io/badges/" in text
    site_yaml.write_text(
        text + f"\nsigning:\n  did: did:web:example.github.io:badges\n  key_env: {KEY_ENV}\n"
    )
    key = SigningKey.generate()
    build(Project(source), source / "site", BUILD_TIME, environ={KEY_ENV: key.secret_multibase})
    rules = dict(parse_headers((source / "site/_headers").read_text()))
    assert rules["/did.json"] == {"Content-Type": JSON}
    assert (source / "site/did.json").is_file()
    assert "/.well-known/did.json" not in rules

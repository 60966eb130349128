"""Open Badges 3.0 in the build: switched on by `signing:`, keyed from the environment,
deterministic, cached, and never leaking the secret."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest

from badgepress.cli import main
from badgepress.openbadges import ob3, signing
from badgepress.openbadges.signing import SigningKey
from badgepress.verify.ob3 import credential_in_image
from tests.ob3.support import KEY_ENV, enable_signing
from tests.support import copy_example


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def signed_source(tmp_path, monkeypatch):
    """A copy of the example with `signing:` and a fresh key in the environment."""
    source = copy_example(tmp_path / "repo")
    enable_signing(source)
    key = SigningKey.generate()
    monkeypatch.setenv(KEY_ENV, key.secret_multibase)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    return source, key


def _build(source: Path, output: Path | None = None) -> int:
    args = ["build", "--source", str(source)]
    return main([*args, "--output", str(output)] if output else args)


def test_build_without_signing_publishes_2_0_only_and_says_nothing_about_3_0(tmp_path, capsys):
    source = copy_example(tmp_path / "repo")
    assert _build(source) == 0
    err = capsys.readouterr().err
    assert "3.0" not in err and "signing" not in err, err
    site = source / "site"
    assert not (site / ".well-known").exists()
    assert not list(site.glob("assertions/*.credential.json"))
    assert b"credential.json" not in b"".join(p.read_bytes() for p in site.rglob("*.html"))


def test_build_with_signing_publishes_a_3_0_credential_next_to_every_2_0_assertion(
    signed_source, capsys
):
    source, key = signed_source
    assert _build(source) == 0
    site = source / "site"
    assertions = sorted(
        p.name for p in site.glob("assertions/*.json") if ".credential" not in p.name
    )
    credentials = sorted(p.name for p in site.glob("assertions/*.credential.json"))
    assert [a.replace(".json", ".credential.json") for a in assertions] == credentials
    did = json.loads((site / ".well-known/did.json").read_text())
    assert did["verificationMethod"][0]["publicKeyMultibase"] == key.public_multibase
    status = json.loads((site / "status/revocation-1.json").read_text())
    assert status["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def _objects_key_orders(value):
    """The key order of every JSON object in a document parsed with object_pairs_hook=list."""
    if isinstance(value, list) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        if value:  # an object (a list of pairs); an empty list is no object
            yield [k for k, _ in value]
        for _, item in value:
            yield from _objects_key_orders(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects_key_orders(item)


def _in_linked_data_order(keys: list[str]) -> bool:
    leading = [k for k in ("@context", "id", "type") if k in keys]
    return keys == leading + sorted(k for k in keys if k not in leading)


def test_signed_files_put_context_id_type_first_and_proof_in_a_list(signed_source):
    source, _ = signed_source
    assert _build(source) == 0
    site = source / "site"
    credential_files = sorted(site.glob("assertions/*.credential.json"))
    texts = [p.read_text() for p in credential_files]
    texts += [(site / ".well-known/did.json").read_text()]
    texts += [(site / "status/revocation-1.json").read_text()]
    for text in texts:
        orders = list(_objects_key_orders(json.loads(text, object_pairs_hook=list)))
        assert all(_in_linked_data_order(keys) for keys in orders), orders
        # Something for the order to put first: nested objects with an id, a type and more.
        assert any(keys[:2] == ["id", "type"] and len(keys) > 2 for keys in orders[1:])
        document = json.loads(text)
        if "VerifiableCredential" in document.get("type", []):
            assert orders[0][:3] == ["@context", "id", "type"]
            assert isinstance(document["proof"], list) and len(document["proof"]) == 1
    # 2.0 documents stay as they were: every object's keys sorted.
    hosted = json.loads((site / "assertions/34w3muptens9.json").read_text(), object_pairs_hook=list)
    assert all(keys == sorted(keys) for keys in _objects_key_orders(hosted))


def test_baked_credential_is_the_hosted_one_in_the_same_key_order(signed_source):
    source, _ = signed_source
    assert _build(source) == 0
    site = source / "site"
    for image in sorted(site.glob("assertions/*.credential.*")):
        if image.suffix == ".json":
            continue
        carried = credential_in_image(image.read_bytes())
        hosted = json.loads(image.with_suffix(".json").read_text())
        assert carried == hosted
        pairs = json.loads(json.dumps(carried), object_pairs_hook=list)  # keeps the baked order
        assert all(_in_linked_data_order(keys) for keys in _objects_key_orders(pairs))


def test_earner_page_offers_the_signed_credential(signed_source):
    source, _ = signed_source
    assert _build(source) == 0
    page = (source / "site/assertions/34w3muptens9/index.html").read_text()
    assert 'href="../../assertions/34w3muptens9.credential.json" download' in page
    assert 'href="../../assertions/34w3muptens9.credential.png" download' in page
    svg_page = (source / "site/assertions/3vctppvnp5jq/index.html").read_text()
    assert 'href="../../assertions/3vctppvnp5jq.credential.svg" download' in svg_page


def test_signing_without_the_key_fails_and_writes_nothing(signed_source, monkeypatch, capsys):
    source, _ = signed_source
    monkeypatch.delenv(KEY_ENV)
    assert _build(source) == 1
    err = capsys.readouterr().err
    assert f"content/site.yaml: 'signing': the environment variable {KEY_ENV} is not set" in err
    assert not (source / "site").exists()


def test_check_needs_no_key(signed_source, monkeypatch):
    source, _ = signed_source
    monkeypatch.delenv(KEY_ENV)
    assert main(["check", "--source", str(source)]) == 0


def test_unusable_key_is_reported_without_showing_it(signed_source, monkeypatch, capsys):
    source, key = signed_source
    broken = key.secret_multibase[:-4]  # truncated: no longer 32 bytes
    monkeypatch.setenv(KEY_ENV, broken)
    assert _build(source) == 1
    err = capsys.readouterr().err
    assert "does not hold a usable key" in err
    assert broken not in err and key.secret_multibase[5:20] not in err


def test_the_secret_never_reaches_the_site_the_cache_or_the_output(signed_source, capsys):
    source, key = signed_source
    assert _build(source) == 0
    printed = capsys.readouterr()
    secret = key.secret_multibase
    seed = signing.decode_secret_key(secret)[0]
    needles = [secret.encode(), secret[1:].encode(), seed, seed.hex().encode()]
    for folder in (source / "site", source / ".badgepress-cache"):
        for path, data in _tree(folder).items():
            for needle in needles:
                assert needle not in data, f"secret material in {folder.name}/{path}"
    assert secret not in printed.out + printed.err


def test_two_signed_builds_are_byte_identical_with_or_without_the_cache(signed_source, tmp_path):
    source, _ = signed_source
    assert _build(source, tmp_path / "one") == 0
    assert _build(source, tmp_path / "two") == 0  # warm cache
    shutil.rmtree(source / ".badgepress-cache")
    assert _build(source, tmp_path / "three") == 0  # cold cache
    one = _tree(tmp_path / "one")
    assert one == _tree(tmp_path / "two") == _tree(tmp_path / "three")


def test_unchanged_credentials_are_not_signed_again(signed_source, monkeypatch):
    source, _ = signed_source
    assert _build(source) == 0
    calls = []
    real_sign = SigningKey.sign
    monkeypatch.setattr(
        SigningKey, "sign", lambda self, data: calls.append(1) or real_sign(self, data)
    )
    assert _build(source) == 0
    assert calls == []
    path = source / "assertions/2026/34w3muptens9.yaml"
    path.write_text(path.read_text() + "\nrevoked: true\nrevocation_reason: Issued in error.\n")
    assert _build(source) == 0
    # Revocation lives in the status list: only the list is signed again, not the credential.
    assert len(calls) == 1
    assert ob3.bit_is_set(
        ob3.decode_bitstring(
            json.loads((source / "site/status/revocation-1.json").read_text())["credentialSubject"][
                "encodedList"
            ]
        ),
        ob3.status_index("34w3muptens9"),
    )
    path = source / "assertions/2026/54quanfthfzk.yaml"
    path.write_text(path.read_text() + "\nnarrative: Amended.\n")
    calls.clear()
    assert _build(source) == 0
    assert len(calls) == 1  # only the credential that changed


def test_the_signature_cache_is_ignored_by_git(signed_source):
    source, _ = signed_source
    assert _build(source) == 0
    assert (source / ".badgepress-cache/.gitignore").read_text() == "*\n"


def test_ids_that_prefer_the_same_status_index_both_get_one_and_the_first_keeps_it(
    signed_source,
):
    source, _ = signed_source
    seen: dict[int, str] = {}
    for n in itertools.count():
        candidate = f"clash-{n}"
        index = ob3.status_index(candidate)
        if index in seen:
            first, second = sorted((seen[index], candidate))
            break
        seen[index] = candidate
    template = (source / "assertions/2026/34w3muptens9.yaml").read_text()
    (source / f"assertions/2026/{second}.yaml").write_text(template)
    newer = template.replace("issued_on: 2024-01-22", "issued_on: 2024-01-23")
    assert newer != template
    (source / f"assertions/2026/{first}.yaml").write_text(newer)
    assert _build(source) == 0

    def position(assertion_id):
        document = json.loads(
            (source / f"site/assertions/{assertion_id}.credential.json").read_text()
        )
        return int(document["credentialStatus"]["statusListIndex"])

    # Places follow the order of first publication (git history; none here, outside git),
    # then the id: not the issue dates, which an edit can change.
    assert position(first) == index
    assert position(second) == index + 1
    revocations = (source / f"assertions/2026/{first}.yaml").read_text() + (
        "revoked: true\nrevocation_reason: test\n"
    )
    (source / f"assertions/2026/{first}.yaml").write_text(revocations)
    assert _build(source) == 0
    assert position(first) == index and position(second) == index + 1


def test_did_that_resolves_outside_the_site_is_refused(signed_source, capsys):
    source, _ = signed_source
    status = main(
        ["build", "--source", str(source), "--base-url", "https://badges.example.org/sub/"]
    )
    assert status == 1
    assert (
        "'signing.did': did:web:badges.example.org resolves to the path /.well-known/did.json"
        in (capsys.readouterr().err)
    )


def test_keygen_prints_a_working_key_and_writes_no_file(tmp_path, monkeypatch, capsys):
    source = copy_example(tmp_path / "repo")
    before = _tree(source)
    assert main(["keygen", "--source", str(source)]) == 0
    out = capsys.readouterr().out
    assert _tree(source) == before
    secret = re.search(r"^(z3u2\w+)$", out, re.MULTILINE).group(1)
    public = re.search(r"^Public key: (z6Mk\w+)$", out, re.MULTILINE).group(1)
    assert '"id": "did:web:badges.example.org#' + public in out
    enable_signing(source)
    monkeypatch.setenv(KEY_ENV, secret)
    assert _build(source) == 0
    did = json.loads((source / "site/.well-known/did.json").read_text())
    assert did["verificationMethod"][0]["publicKeyMultibase"] == public


def test_keygen_in_a_new_site_says_to_give_its_deploy_workflow_the_secret(tmp_path, capsys):
    from badgepress.issuing.new_site import WORKFLOW, create_site

    source = tmp_path / "mysite"
    create_site(source)
    assert main(["keygen", "--source", str(source)]) == 0
    out = capsys.readouterr().out
    assert f"in {WORKFLOW.as_posix()}, uncomment the\n`env:` lines" in out
    line = f"{KEY_ENV}: ${{{{ secrets.{KEY_ENV} }}}}"
    assert line in out and f"#   {line}" in (source / WORKFLOW).read_text()


def test_a_post_dated_assertion_does_not_post_date_the_status_list(signed_source):
    source, _ = signed_source
    template = (source / "assertions/2026/54quanfthfzk.yaml").read_text()
    # Dated the day after the build's time (a date names a whole day somewhere on Earth, so
    # check allows it; later ones are refused: tests/invalid/issued-in-the-future).
    postdated = template.replace("issued_on: 2025-05-19", "issued_on: 2026-11-19")
    (source / "assertions/2026/postdated1.yaml").write_text(postdated)
    assert _build(source) == 0
    status = json.loads((source / "site/status/revocation-1.json").read_text())
    # SOURCE_DATE_EPOCH 1795000000 is the build's reference time.
    assert status["validFrom"] == "2026-11-18T11:06:40Z"


def _use_key_file(source: Path, name: str) -> None:
    site_yaml = source / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + f"  key_file: {name}\n")


def test_key_file_outside_the_repository_is_used_when_the_variable_is_unset(
    signed_source, monkeypatch, tmp_path
):
    source, key = signed_source
    monkeypatch.delenv(KEY_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home/signing-key").write_text(key.secret_multibase + "\n")
    _use_key_file(source, "~/signing-key")
    assert _build(source) == 0
    did = json.loads((source / "site/.well-known/did.json").read_text())
    assert did["verificationMethod"][0]["publicKeyMultibase"] == key.public_multibase


def test_key_file_inside_the_repository_is_refused(signed_source, monkeypatch, capsys):
    source, key = signed_source
    monkeypatch.delenv(KEY_ENV)
    (source / "signing-key").write_text(key.secret_multibase)
    _use_key_file(source, "signing-key")
    assert _build(source) == 1
    err = capsys.readouterr().err
    assert "'signing.key_file': signing-key is inside the site repository" in err
    assert key.secret_multibase not in err


def test_missing_key_file_is_reported(signed_source, monkeypatch, capsys, tmp_path):
    source, _ = signed_source
    monkeypatch.delenv(KEY_ENV)
    _use_key_file(source, str(tmp_path / "nowhere"))
    assert _build(source) == 1
    assert "cannot read" in capsys.readouterr().err


def test_turning_signing_on_or_off_says_so_and_only_a_new_key_is_a_changed_key(
    tmp_path, monkeypatch, capsys
):
    source = copy_example(tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    assert _build(source) == 0
    capsys.readouterr()
    enable_signing(source)
    monkeypatch.setenv(KEY_ENV, SigningKey.generate().secret_multibase)
    assert _build(source) == 0
    first_signed = capsys.readouterr().out
    assert "(Open Badges 3.0 signing was turned on)" in first_signed, first_signed
    assert "signing key changed" not in first_signed
    monkeypatch.setenv(KEY_ENV, SigningKey.generate().secret_multibase)
    assert _build(source) == 0
    assert "(the signing key changed)" in capsys.readouterr().out
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().split("\nsigning:")[0] + "\n")
    assert _build(source) == 0
    assert "(Open Badges 3.0 signing was turned off)" in capsys.readouterr().out

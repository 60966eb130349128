"""Pages escape earner text, honour consent, and let a site override templates by name."""

import re

import pytest

from badgepress.errors import BuildFailed
from badgepress.openbadges.ob2 import hash_email
from tests.support import build_site

HOSTILE = "<script>alert('x')</script>"


def _site(root, assertion_extra="", templates=None):
    (root / "content" / "credentials").mkdir(parents=True)
    (root / "assertions").mkdir()
    (root / "content" / "site.yaml").write_text(
        "title: T\nbase_url: https://badges.example.org/\n"
        "issuer: {name: Org, url: 'https://example.org/', email: b@example.org}\n"
    )
    (root / "content" / "credentials" / "c.md").write_text(
        "---\nname: Cred\nsummary: S\n---\nDo it.\n"
    )
    identity = hash_email("jane@example.com", "salt")
    (root / "assertions" / "a1.yaml").write_text(
        f"credential: c\nissued_on: 2026-01-01\nrecipient:\n  identity: '{identity}'\n  salt: salt\n{assertion_extra}"
    )
    for name, text in (templates or {}).items():
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / name).write_text(text)
    return root


def _page(tmp_path, **kwargs):
    out = tmp_path / "site"
    build_site(_site(tmp_path / "repo", **kwargs), out)
    return (out / "assertions" / "a1" / "index.html").read_text()


def test_earner_name_is_escaped(tmp_path):
    html = _page(tmp_path, assertion_extra=f'  name: "{HOSTILE}"\n  public_name: true\n')
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(" in html


def test_name_without_consent_never_appears(tmp_path):
    html = _page(tmp_path, assertion_extra="  name: Secret Person\n")
    assert "Secret Person" not in html
    assert 'class="earner-name"' not in html  # no "Earned by" line without a public name


@pytest.mark.parametrize(
    "narrative",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_narrative_markdown_is_sanitised(tmp_path, narrative):
    html = _page(tmp_path, assertion_extra=f"narrative: |\n  {narrative}\n")
    body = html.split('id="narrative"', 1)[1].split("</section>", 1)[0]
    assert "javascript:" not in body
    assert not re.search(r"<(script|iframe|img)\b", body)
    assert "onerror" not in body


def test_evidence_urls_must_be_http(tmp_path):
    with pytest.raises(BuildFailed) as failure:
        _page(tmp_path, assertion_extra="evidence:\n  - url: javascript:alert(1)\n    name: x\n")
    assert "'evidence[1].url': expected an absolute http(s) URL" in str(failure.value)


def test_site_template_overrides_and_extends_the_default(tmp_path):
    override = '{% extends "default/assertion.html" %}{% block title %}Custom {{ credential.name }}{% endblock %}'
    html = _page(tmp_path, templates={"assertion.html": override})
    assert "<title>Custom Cred</title>" in html
    assert 'id="status"' in html and "Issued by" in html  # the rest of the default page is kept


def test_a_site_template_extending_default_blocks_keeps_the_rest_of_the_page(tmp_path):
    """Overrides written for the earlier earner page still work: `main` with super(), and a
    `verify_in_place` that brings its own form and loads verify.js itself."""
    override = (
        '{% extends "default/assertion.html" %}'
        '{% block main %}{{ super() }}<p id="ours">Ours</p>{% endblock %}'
        '{% block verify_in_place %}<form data-verify-in-place id="theirs"></form>'
        "<script src=\"{{ url_for('verify_script') }}\" defer></script>{% endblock %}"
        '{% block earner_status %}<p id="status">Custom seal</p>{% endblock %}'
    )
    html = _page(tmp_path, templates={"assertion.html": override})
    assert '<p id="ours">Ours</p>' in html and 'id="theirs"' in html
    assert '<p id="status">Custom seal</p>' in html and "<h1>" in html
    assert 'src="../../assets/verify.js"' in html and 'src="../../assets/status.js"' in html


def test_links_are_relative_so_the_site_works_under_any_path(tmp_path):
    html = _page(tmp_path)
    assert 'href="../../assets/style.css"' in html
    assert 'href="../../credentials/c/"' in html

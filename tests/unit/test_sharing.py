"""The earner's share tools: LinkedIn's add-to-profile link, the embed snippet, the QR code."""

from __future__ import annotations

import datetime
import html.parser
from urllib.parse import parse_qs, urlsplit

from badgepress.model import Assertion, Credential, Image, Issuer, Recipient, SiteConfig
from badgepress.render.sharing import embed_snippet, linkedin_add_url, linkedin_fields, qr_svg
from badgepress.urls import Urls

URLS = Urls("https://badges.example.org/")
CREDENTIAL = Credential(
    "restorative-circles", "Restorative Circles: Building Relationships & Trust", "Summary.", "",
    Image(b"", "png", 600, 600), 'A "teal" badge <b>', "x.md",
)  # fmt: skip


def _config(linkedin_id=None):
    issuer = Issuer(
        "Example Education Association", "https://www.example.org/", "badges@example.org",
        linkedin_organization_id=linkedin_id,
    )  # fmt: skip
    return SiteConfig("Badges", URLS.base, "en", issuer)


def _assertion(expires=None):
    return Assertion(
        "k7f3q9x2mb4d", "restorative-circles", Recipient("sha256$" + "0" * 64, "salt"),
        datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc), "a.yaml",
        expires=expires,
    )  # fmt: skip


def _query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    parsed = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values())
    return {key: values[0] for key, values in parsed.items()}


def test_linkedin_link_carries_every_field_with_the_organization_name():
    query = _query(linkedin_add_url(_assertion(), CREDENTIAL, _config(), URLS))
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Restorative Circles: Building Relationships & Trust",
        "organizationName": "Example Education Association",
        "issueYear": "2026",
        "issueMonth": "11",
        "certUrl": "https://badges.example.org/assertions/k7f3q9x2mb4d/",
        "certId": "k7f3q9x2mb4d",
    }


def test_linkedin_link_prefers_the_organization_id_and_gives_the_expiry():
    expires = datetime.datetime(2029, 3, 1, tzinfo=datetime.timezone.utc)
    query = _query(linkedin_add_url(_assertion(expires), CREDENTIAL, _config("1234567"), URLS))
    assert query["organizationId"] == "1234567"
    assert "organizationName" not in query
    assert (query["expirationYear"], query["expirationMonth"]) == ("2029", "3")


def test_linkedin_link_encodes_spaces_and_ampersands_safely():
    url = linkedin_add_url(_assertion(), CREDENTIAL, _config(), URLS)
    assert " " not in url and "&Trust" not in url and "%26%20Trust" in url


def test_linkedin_link_is_exactly_the_standard_url_encoding_of_its_fields():
    import dataclasses
    from urllib.parse import quote, urlencode

    tricky = dataclasses.replace(CREDENTIAL, name="Ética & Cuidado/Care: 100% + más?=#")
    for credential in (CREDENTIAL, tricky, CREDENTIAL):  # the second CREDENTIAL: from the cache
        url = linkedin_add_url(_assertion(), credential, _config(), URLS)
        fields = linkedin_fields(_assertion(), credential, _config(), URLS)
        assert url == "https://www.linkedin.com/profile/add?" + urlencode(fields, quote_via=quote)


def test_linkedin_fields_are_what_the_link_sends():
    fields = linkedin_fields(_assertion(), CREDENTIAL, _config(), URLS)
    assert fields == _query(linkedin_add_url(_assertion(), CREDENTIAL, _config(), URLS))


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_embed_snippet_links_the_badge_page_with_the_baked_image_and_the_issuer():
    snippet = embed_snippet(_assertion(), CREDENTIAL, _config(), URLS, "Verified by")
    parser = _Elements()
    parser.feed(snippet)
    tags = dict(parser.tags)
    assert tags["a"]["href"] == "https://badges.example.org/assertions/k7f3q9x2mb4d/"
    assert tags["img"]["src"] == "https://badges.example.org/assertions/k7f3q9x2mb4d.png"
    assert tags["img"]["alt"] == 'A "teal" badge <b>'  # escaped in the markup, intact when parsed
    assert "<b>" not in snippet
    text = "".join(parser.text)
    assert "Restorative Circles: Building Relationships & Trust" in text
    assert "Verified by Example Education Association" in text


def test_qr_code_is_a_labelled_deterministic_svg():
    url = "https://badges.example.org/assertions/k7f3q9x2mb4d/"
    svg = qr_svg(url, "QR code <of> this badge")
    assert svg == qr_svg(url, "QR code <of> this badge")
    assert svg.startswith('<svg role="img" ')
    assert "<title>QR code &lt;of&gt; this badge</title>" in svg
    assert svg != qr_svg(url + "x", "QR code <of> this badge")

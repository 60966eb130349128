"""What an earner shares: the LinkedIn add-to-profile link, an HTML embed snippet, a QR code.

Pure functions of the model and the URLs; the assertion page template shows them.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

import markupsafe

from ..model import Assertion, Credential, SiteConfig
from ..urls import Urls
from . import qr

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_fields(
    assertion: Assertion, credential: Credential, config: SiteConfig, urls: Urls
) -> dict[str, str]:
    """LinkedIn's add-to-profile parameters, in its order (the link and the copyable text)."""
    fields = {"startTask": "CERTIFICATION_NAME", "name": credential.name}
    # LinkedIn links the certification to the company page only when it gets the page's id.
    if config.issuer.linkedin_organization_id:
        fields["organizationId"] = config.issuer.linkedin_organization_id
    else:
        fields["organizationName"] = config.issuer.name
    fields["issueYear"] = str(assertion.issued_on.year)
    fields["issueMonth"] = str(assertion.issued_on.month)
    if assertion.expires is not None:
        fields["expirationYear"] = str(assertion.expires.year)
        fields["expirationMonth"] = str(assertion.expires.month)
    fields["certUrl"] = urls.assertion_page_url(assertion)
    fields["certId"] = assertion.id
    return fields


def linkedin_add_url(
    assertion: Assertion, credential: Credential, config: SiteConfig, urls: Urls
) -> str:
    """The 'Add to LinkedIn profile' link: LinkedIn's add-to-profile form, filled in."""
    fields = linkedin_fields(assertion, credential, config, urls)
    # urlencode(fields, quote_via=quote), with each value quoted once per build: the name and
    # organization repeat on every earner page of a credential.
    query = "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in fields.items())
    return f"{LINKEDIN_ADD_TO_PROFILE}?{query}"


@functools.lru_cache(maxsize=1024)
def _quoted(value: str) -> str:
    return quote(value, safe="")


def embed_snippet(
    assertion: Assertion,
    credential: Credential,
    config: SiteConfig,
    urls: Urls,
    verified_by: str = "Verified by",
) -> str:
    """HTML to paste into a portfolio or email signature: the badge, its name, the issuer."""
    esc = markupsafe.escape
    page = urls.assertion_page_url(assertion)
    image = urls.baked_image_url(assertion, credential)
    return (
        f'<a href="{esc(page)}" style="display:inline-flex;align-items:center;gap:12px;'
        'text-decoration:none;color:#0f172a;font:14px/1.3 system-ui,sans-serif">'
        f'<img src="{esc(image)}" alt="{esc(credential.image_alt)}" width="96" height="96">'
        f"<span><strong>{esc(credential.name)}</strong><br>"
        f"<small>{esc(verified_by)} {esc(config.issuer.name)}</small></span></a>"
    )


# ISO/IEC 18004 §7.8: any of the eight data masks gives a valid symbol (the decoder reads it
# from the format information); scoring all eight to pick one would be most of the encoding
# time, paid on every earner page. Mask 7 is the one segno's scoring picks most often for
# assertion URLs; tests/sharing/test_qr_decodes.py decodes the codes with zbar.
QR_MASK = 7


def qr_svg(url: str, label: str) -> markupsafe.Markup:
    """An inline SVG QR code of `url` (medium error correction), labelled for screen readers."""
    # qr.py writes what segno.make(url, error="m", micro=False, mask=QR_MASK).svg_inline(...)
    # wrote, in a fraction of its time (tests/sharing/test_qr_encoder.py keeps them equal).
    svg = qr.svg_inline(url, label, error="M", mask=QR_MASK, scale=4, border=2, css_class="qr-code")
    # The title is escaped; role="img" makes it the image's accessible name.
    return markupsafe.Markup(svg.replace("<svg ", '<svg role="img" ', 1))

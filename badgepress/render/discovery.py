"""How search engines and feed readers find the catalog: sitemap, Atom feed, robots.txt, JSON-LD.

Pure producers of bytes/text from a validated catalog. Dates come from the content (`updated`),
never from the clock, so the same content always gives the same bytes.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from xml.etree import ElementTree as ET

from ..model import Catalog, Credential, Translation
from ..urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM_NS = "http://www.w3.org/2005/Atom"
_DURATION_UNITS = {"y": "Y", "m": "M", "w": "W", "d": "D"}


def sitemap_document(catalog: Catalog, urls: Urls) -> bytes:
    """sitemap.xml: the catalog, stacks, credentials (with language alternates) and free pages.

    Earner pages are left out on purpose: they are public but not for search engines (noindex).
    """
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")

    def add(path: str, lastmod: datetime.date | None = None, alternates=()) -> None:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(path)
        if lastmod is not None:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.isoformat()
        for language, href in alternates:
            # Google's sitemap hreflang extension: every version lists every version.
            ET.SubElement(
                url,
                f"{{{XHTML_NS}}}link",
                {"rel": "alternate", "hreflang": language, "href": href},
            )

    add(urls.home, newest_update(catalog))
    for stack in catalog.stacks:
        dates = [c.updated for c in catalog.credentials_of(stack) if c.updated]
        add(urls.stack_page(stack), max(dates, default=None))
    for credential in catalog.credentials:
        alternates = language_alternates(catalog, urls, credential)
        add(urls.criteria_page(credential), credential.updated, alternates)
        for translation in catalog.translations_of(credential):
            add(
                urls.translated_criteria_page(credential, translation.language),
                credential.updated,
                alternates,
            )
    for page in catalog.pages:
        add(urls.page(page))
    return _xml_bytes(root)


def language_alternates(catalog: Catalog, urls: Urls, credential: Credential) -> list[tuple]:
    """(hreflang, absolute URL) of a credential's criteria page in each language; [] if only one."""
    translations = catalog.translations_of(credential)
    if not translations:
        return []
    pairs = [(catalog.config.language, urls.criteria_url(credential))]
    pairs += [
        (t.language, urls.absolute(urls.translated_criteria_page(credential, t.language)))
        for t in translations
    ]
    return pairs


def newest_update(catalog: Catalog) -> datetime.date | None:
    """The newest `updated` date of any credential: the catalog's own date."""
    return max((c.updated for c in catalog.credentials if c.updated), default=None)


def feed_document(catalog: Catalog, urls: Urls) -> bytes:
    """feed.xml (Atom, RFC 4287): credentials newest first by `updated`.

    Atom requires an `updated` date on every entry, so credentials without one are not listed.
    The feed's own date is the newest entry's, not the build time.
    """
    ET.register_namespace("", ATOM_NS)
    config = catalog.config
    feed = ET.Element(
        f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": config.language}
    )
    _text(feed, "title", config.title)
    if config.description:
        _text(feed, "subtitle", config.description)
    _text(feed, "id", urls.base)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "href": urls.absolute(urls.feed)})
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": urls.base})
    newest = newest_update(catalog)
    _text(feed, "updated", _atom_date(newest or datetime.date(1970, 1, 1)))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", config.issuer.name)
    _text(author, "uri", config.issuer.url)
    dated = sorted(
        (c for c in catalog.credentials if c.updated),
        key=lambda c: (-c.updated.toordinal(), c.name.lower(), c.slug),
    )
    for credential in dated:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "title", credential.name)
        _text(entry, "id", urls.criteria_url(credential))
        ET.SubElement(
            entry,
            f"{{{ATOM_NS}}}link",
            {"rel": "alternate", "type": "text/html", "href": urls.criteria_url(credential)},
        )
        for language, href in language_alternates(catalog, urls, credential)[1:]:
            ET.SubElement(
                entry,
                f"{{{ATOM_NS}}}link",
                {"rel": "alternate", "type": "text/html", "hreflang": language, "href": href},
            )
        _text(entry, "updated", _atom_date(credential.updated))
        if credential.developer:
            entry_author = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
            _text(entry_author, "name", credential.developer)
        for topic in credential.topics:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": topic})
        _text(entry, "summary", credential.summary)
    return _xml_bytes(feed)


def robots_txt(urls: Urls) -> bytes:
    """robots.txt: everything may be crawled (earner pages opt out with a noindex meta tag)."""
    return f"User-agent: *\nDisallow:\n\nSitemap: {urls.absolute(urls.sitemap)}\n".encode()


def credential_json_ld(
    catalog: Catalog, urls: Urls, credential: Credential, translation: Translation | None = None
) -> str:
    """schema.org EducationalOccupationalCredential for a criteria page, safe inside <script>."""
    config = catalog.config
    shown = translation.credential if translation else credential
    page = (
        urls.translated_criteria_page(credential, translation.language)
        if translation
        else urls.criteria_page(credential)
    )
    data: dict = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "@id": urls.absolute(page),
        "url": urls.absolute(page),
        "name": shown.name,
        "description": shown.summary,
        "inLanguage": translation.language if translation else config.language,
        "credentialCategory": "badge",
        "image": urls.badge_image_url(credential),
        "recognizedBy": {
            "@type": "Organization",
            "name": config.issuer.name,
            "url": config.issuer.url,
        },
        "publisher": {
            "@type": "Organization",
            "name": config.issuer.name,
            "url": config.issuer.url,
        },
    }
    if credential.developer:
        data["creator"] = {"@type": "Organization", "name": credential.developer}
    if credential.topics:
        data["about"] = list(credential.topics)
        data["keywords"] = ", ".join(credential.topics)
    if credential.grades:
        data["educationalLevel"] = list(credential.grades)
    if credential.audience:
        data["audience"] = [
            {"@type": "EducationalAudience", "educationalRole": role}
            for role in credential.audience
        ]
    if credential.hours is not None:
        data["timeRequired"] = f"PT{_plain(credential.hours)}H"  # ISO 8601 duration
    if credential.expires_after:
        amount, unit = credential.expires_after
        data["validFor"] = f"P{amount}{_DURATION_UNITS[unit]}"
    if credential.updated:
        data["dateModified"] = credential.updated.isoformat()
    if credential.fee:
        offers = []
        for category, amount in (
            ("members", credential.fee.members),
            ("non-members", credential.fee.non_members),
        ):
            if amount is not None:
                offers.append(
                    {
                        "@type": "Offer",
                        "category": category,
                        "price": amount if isinstance(amount, int) else float(amount),
                        "priceCurrency": credential.fee.currency,
                    }
                )
        if offers:
            data["offers"] = offers
    if shown.requirements:
        data["competencyRequired"] = [r.title for r in shown.requirements]
    if credential.alignments:
        data["educationalAlignment"] = [
            {
                "@type": "AlignmentObject",
                "alignmentType": "teaches",
                "targetName": a.name,
                "targetUrl": a.url,
                **({"educationalFramework": a.framework} if a.framework else {}),
                **({"targetDescription": a.description} if a.description else {}),
            }
            for a in credential.alignments
        ]
    return script_json(data)


def script_json(data: dict) -> str:
    """JSON that cannot end its <script> element early: '<', '>' and '&' become \\u escapes."""
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)
    # HTML ends a script at '</script'; escaping '<' also defeats '<!--' tricks (HTML §4.12.1.3).
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(value: int | Decimal) -> str:
    return f"{value:g}" if isinstance(value, Decimal) else str(value)


def _atom_date(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"  # RFC 3339, midnight UTC like OB 2.0 dates


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    child.text = text
    return child


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

"""Every file of the site, as output path → bytes, from a validated catalog."""

from __future__ import annotations

from collections.abc import Mapping

from ..content.sources import read_tree
from ..images.favicon import favicon_svg
from ..images.image_cache import ImageCache
from ..model import Assertion, Catalog
from ..openbadges import ob2
from ..openbadges.baking import bake
from ..timing import Timings
from ..urls import Urls
from .build_record import build_record
from .catalog_index import catalog_index, dump_index
from .discovery import feed_document, robots_txt, sitemap_document
from .hosting import headers_file
from .ob3_build import Signer, credential_outputs, ledger_ob3_outputs
from .pages import THEME, Renderer


def assertion_outputs(
    catalog: Catalog,
    urls: Urls,
    renderer: Renderer,
    signer: Signer | None,
    positions: Mapping[str, int],
    assertion: Assertion,
    timings: Timings,
) -> list[tuple[str, bytes]]:
    """The files of one issued badge: hosted assertion, baked image, earner page; with signing,
    its signed 3.0 credential and 3.0-baked image (`positions`: in the status list).

    They depend on this assertion, its credential, the site-wide settings and its status-list
    position only, which is what lets `parallel` render them in any order and `incremental`
    skip unchanged ones.
    """
    credential = catalog.credential_of(assertion)
    signed = signer is not None
    with timings.stage("json"):
        document = ob2.dump(
            ob2.assertion_document(
                assertion, credential, urls, urls.credential_id(assertion) if signed else None
            )
        )
    with timings.stage("bake"):
        # Baking inserts one chunk; the badge's pixels are never re-encoded.
        baked = bake(credential.image.data, credential.image.format, urls.assertion_id(assertion))
    with timings.stage("render"):
        page = renderer.assertion(assertion)
    files = [
        (urls.assertion_json(assertion), document),
        (urls.baked_image(assertion, credential), baked),
        (urls.assertion_page(assertion), page),
    ]
    if signer is not None:
        with timings.stage("sign"):
            files += credential_outputs(catalog, urls, signer, assertion, positions[assertion.id])
    return files


def ledger_outputs(
    catalog: Catalog, urls: Urls, signer: Signer | None, positions: Mapping[str, int]
) -> dict[str, bytes]:
    """The site-wide files of the ledger: what was revoked (the revocation list and, when
    signing is on, the 3.0 status list, by `positions`; and the DID document) and from which
    commit (build.json). Every build renders them again: any assertion or commit may change
    them. Each badge's own signed credential is one of its files (`assertion_outputs`)."""
    out = {
        urls.revocations_json: ob2.dump(ob2.revocation_list_document(catalog, urls)),
        urls.build_json: build_record(catalog),
    }
    if signer is not None:
        out.update(ledger_ob3_outputs(catalog, urls, signer, positions))
    return out


def catalog_outputs(
    catalog: Catalog, urls: Urls, renderer: Renderer, images: ImageCache | None = None
) -> dict[str, bytes]:
    """The files made from content/, templates and settings alone: no issued badge, commit or
    build time appears in them, so an incremental build that changed only assertions, or the
    commit, keeps them as they are."""
    # Pillow, for the preview cards: an assertion-only build never makes these files.
    from ..images.cards import credential_card, site_card, stack_card
    from ..images.favicon import apple_touch_icon, favicon_ico
    from ..images.variants import badge_variant

    images = images or ImageCache(None)
    out: dict[str, bytes] = {}
    config = catalog.config

    out[urls.issuer_json] = ob2.dump(ob2.issuer_document(config, urls))
    if config.issuer.image:
        out[urls.issuer_image(config.issuer.image.format)] = config.issuer.image.data

    # Retired credentials too: the badges already issued point at these files.
    for credential in catalog.published_credentials:
        out[urls.badge_class_json(credential)] = ob2.dump(
            ob2.badge_class_document(credential, urls)
        )
        out[urls.badge_image(credential)] = credential.image.data
        for width, path in urls.badge_variants(credential):
            out[path] = badge_variant(credential, width, images)
        out[urls.credential_card(credential)] = credential_card(catalog, credential, images)
        out[urls.criteria_page(credential)] = renderer.credential(credential)
    for translation in catalog.translations:
        out[urls.translated_criteria_page(translation.credential, translation.language)] = (
            renderer.translation(translation)
        )

    for stack in catalog.stacks:
        out[urls.stack_page(stack)] = renderer.stack(stack)
        out[urls.stack_card(stack)] = stack_card(catalog, stack, images)
    out[urls.site_card] = site_card(catalog, images)
    for page in catalog.pages:
        out[urls.page(page)] = renderer.page(page)
    out[urls.home] = renderer.home()
    out[urls.verify_page] = renderer.verify()
    if renderer.verify_lines_path is not None:
        out[renderer.verify_lines_path] = renderer.verify_lines()
    out[urls.not_found] = renderer.not_found()
    out[urls.catalog_json] = dump_index(catalog_index(catalog, urls))
    out[urls.sitemap] = sitemap_document(catalog, urls)
    out[urls.feed] = feed_document(catalog, urls)
    out[urls.robots] = robots_txt(urls)
    out[urls.headers] = headers_file(config, urls)

    for name, data in read_tree(THEME / "assets").items():
        out["assets/" + name] = data
    out[urls.favicon] = favicon_svg()
    out[urls.favicon_ico] = favicon_ico()
    out[urls.apple_touch_icon] = images.png("apple-touch-icon", (), apple_touch_icon)
    return out

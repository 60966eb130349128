"""Every file of the site, as output path → bytes, from a validated catalog."""

from __future__ import annotations

from pathlib import Path

from . import ob2
from .baking import bake
from .build_record import build_record
from .catalog_index import catalog_index, dump_index
from .discovery import feed_document, robots_txt, sitemap_document
from .image_cache import ImageCache
from .model import Assertion, Catalog
from .ob3_build import Signer, render_ob3
from .render import THEME, Renderer
from .sources import read_tree
from .timing import Timings
from .urls import Urls


def render_outputs(
    catalog: Catalog, urls: Urls, templates_dir: Path | None, signer: Signer | None = None
) -> dict[str, bytes]:
    """Render pages, Open Badges JSON and baked images; raises TemplateProblem on a bad template."""
    renderer = Renderer(catalog, urls, templates_dir)
    out = site_outputs(catalog, urls, renderer, signer)
    timings = Timings()
    for assertion in catalog.assertions:
        out.update(
            assertion_outputs(catalog, urls, renderer, signer is not None, assertion, timings)
        )
    return out


def assertion_outputs(
    catalog: Catalog,
    urls: Urls,
    renderer: Renderer,
    signed: bool,
    assertion: Assertion,
    timings: Timings,
) -> list[tuple[str, bytes]]:
    """The files of one issued badge: hosted assertion, baked image, earner page.

    They depend on this assertion, its credential and the site-wide settings only, which is
    what lets `parallel` render them in any order and `incremental` skip unchanged ones.
    """
    credential = catalog.credential_of(assertion)
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
    return [
        (urls.assertion_json(assertion), document),
        (urls.baked_image(assertion, credential), baked),
        (urls.assertion_page(assertion), page),
    ]


def site_outputs(
    catalog: Catalog,
    urls: Urls,
    renderer: Renderer,
    signer: Signer | None,
    images: ImageCache | None = None,
) -> dict[str, bytes]:
    """Every file but the per-assertion ones: catalog pages, Open Badges documents, assets."""
    return {
        **catalog_outputs(catalog, urls, renderer, images),
        **ledger_outputs(catalog, urls, signer),
    }


def ledger_outputs(catalog: Catalog, urls: Urls, signer: Signer | None) -> dict[str, bytes]:
    """The site-wide files of the ledger: what was issued (the revocation list and, when signing
    is on, the Open Badges 3.0 files: status list, signed credentials) and from which commit
    (build.json). Every build renders them again: any assertion or commit may change them."""
    out = {
        urls.revocations_json: ob2.dump(ob2.revocation_list_document(catalog, urls)),
        urls.build_json: build_record(catalog),
    }
    if signer is not None:
        out.update(render_ob3(catalog, urls, signer))
    return out


def catalog_outputs(
    catalog: Catalog, urls: Urls, renderer: Renderer, images: ImageCache | None = None
) -> dict[str, bytes]:
    """The files made from content/, templates and settings alone: no issued badge, commit or
    build time appears in them, so an incremental build that changed only assertions, or the
    commit, keeps them as they are."""
    # Pillow, for the preview cards: an assertion-only build never makes these files.
    from .cards import credential_card, site_card, stack_card

    images = images or ImageCache(None)
    out: dict[str, bytes] = {}
    config = catalog.config

    out[urls.issuer_json] = ob2.dump(ob2.issuer_document(config, urls))
    if config.issuer.image:
        out[urls.issuer_image(config.issuer.image.format)] = config.issuer.image.data

    for credential in catalog.credentials:
        out[urls.badge_class_json(credential)] = ob2.dump(
            ob2.badge_class_document(credential, urls)
        )
        out[urls.badge_image(credential)] = credential.image.data
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
    out[urls.not_found] = renderer.not_found()
    out[urls.catalog_json] = dump_index(catalog_index(catalog, urls))
    out[urls.sitemap] = sitemap_document(catalog, urls)
    out[urls.feed] = feed_document(catalog, urls)
    out[urls.robots] = robots_txt(urls)

    for name, data in read_tree(THEME / "assets").items():
        out["assets/" + name] = data
    return out

"""Digests of what outputs depend on: the contexts of the catalog's files and of an earner's,
and each credential's (see `incremental`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

# What the context leaves out: the assertion files (compared one by one), and what only sets the
# reference time and the commit, on which no page depends unless a site template shows them.
_NOT_CONTEXT = ("assertions", "assertion_problems", "head", "history_rewrites", "source_date_epoch")


def context_of(print_: dict, build: str) -> str:
    """A digest of everything but the assertion files and the commit: equal contexts share every
    rendering rule. `build`: the commit and reference time, when the site's templates show them."""
    context = {k: v for k, v in print_.items() if k not in _NOT_CONTEXT}
    context["build"] = build
    return digest(context)


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def earner_context_of(
    print_: dict, build: str, catalog_files: Iterable[str], templates: dict, shown: str
) -> str:
    """The context of an assertion's own files (hosted JSON, baked image, earner page), for an
    earner page that does not read the catalog: `context_of` without the content files that
    only the catalog's files show (`catalog_files`: stacks, translations, pages, and the
    credentials, which are compared one by one), with only the templates an earner page uses
    (`templates`: their stats, "theme" for those the site does not override), and with `shown`,
    what earner pages show of the rest of the catalog (the navigation's pages)."""
    context = {k: v for k, v in print_.items() if k not in _NOT_CONTEXT}
    left_out = set(catalog_files)
    context["content"] = {
        rel: stat for rel, stat in print_["content"].items() if rel not in left_out
    }
    context["templates"] = templates
    context["shown"] = shown
    context["build"] = build
    return digest(context)


def credential_digests(credentials: Iterable, translations: Iterable = ()) -> dict[str, str]:
    """Slug → a digest of everything an earner page, hosted assertion or baked image can show of
    a credential (model.Credential): its fields, by their repr (dataclasses, tuples, strings,
    numbers, dates), its badge's bytes, which the repr leaves out, and the languages it is
    translated into (model.Translation), which its signed 3.0 credential names."""
    languages: dict[str, list[str]] = {}
    for translation in translations:
        languages.setdefault(translation.credential.slug, []).append(translation.language)
    digests = {}
    for credential in credentials:
        digest = hashlib.sha256(repr(credential).encode())
        digest.update(credential.image.data)
        digest.update(repr(sorted(languages.get(credential.slug, ()))).encode())
        digests[credential.slug] = digest.hexdigest()
    return digests

"""Digests of what outputs depend on: the contexts of the catalog's files and of an earner's,
each credential's, and what site templates may show (see `incremental`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

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


def _mention(templates_dir: Path, pattern: re.Pattern) -> bool:
    if not templates_dir.is_dir():
        return False
    for path in templates_dir.rglob("*"):
        if path.is_file():
            with contextlib.suppress(OSError):
                if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
                    return True
    return False


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


def reads_other_assertions(templates_dir: Path) -> bool:
    """A site template that mentions assertions may show others on a page: render them all.

    The default theme's earner page shows one assertion; a site's override might list others
    (`catalog.assertions`), which per-assertion rendering could not keep current.
    """
    return _mention(templates_dir, re.compile("assertions|revoked"))


def shows_the_build(templates_dir: Path) -> bool:
    """A site template that mentions the commit or the reference time (`catalog.commit`,
    `catalog.now`) may show it on every page: then another commit renders them all. The default
    theme shows neither (build.json names the commit)."""
    return _mention(templates_dir, re.compile(r"\b(?:commit|now)\b"))

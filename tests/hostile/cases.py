"""Red-team sites: each function breaks (or stresses) a copy of tests/invalid/_base in one way.

`tests/hostile/test_check_agrees_with_build.py` runs `check` and `build` over every one of them
and every site in tests/invalid/; the tests beside it check what each case must produce.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

CASES: dict[str, Callable[[Path], None]] = {}
ASSERTION = "assertions/jane-first.yaml"
CREDENTIAL = "content/credentials/pathway/first-steps.md"


def case(function: Callable[[Path], None]) -> Callable[[Path], None]:
    CASES[function.__name__.replace("_", "-")] = function
    return function


def append(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def front_matter(site: Path, rel: str, text: str) -> None:
    """Add `text` (YAML lines) at the end of a Markdown file's front matter."""
    path = site / rel
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    path.write_text(f"{head}\n{text.rstrip()}\n---\n{body}", encoding="utf-8")


@case
def nested_extra_mapping(site: Path) -> None:
    """A documented `extra:` holding mappings in every kind of file (once a pickling error)."""
    extra = "extra:\n  nested:\n    deeper: {a: 1, b: [1, {c: 2}]}\n"
    append(site, ASSERTION, extra)
    append(site, "content/site.yaml", extra)
    front_matter(site, CREDENTIAL, extra)
    front_matter(site, "content/credentials/pathway/index.md", extra)


@case
def assertion_id_of_250_characters(site: Path) -> None:
    """A name file systems allow, but not with a build's staging suffix (once an OSError)."""
    (site / ASSERTION).rename(site / "assertions" / f"{'a' * 250}.yaml")


@case
def credential_slug_of_250_characters(site: Path) -> None:
    front_matter(site, CREDENTIAL, f"slug: {'b' * 250}")


@case
def unknown_field_with_a_huge_name(site: Path) -> None:
    append(site, ASSERTION, f"{'k' * 100_000}: 1\n")


@case
def template_error_in_a_worker(site: Path) -> None:
    """Enough assertions for worker processes (the test lowers the threshold), each failing."""
    text = (site / ASSERTION).read_text(encoding="utf-8")
    for number in range(4):
        (site / "assertions" / f"extra-{number}.yaml").write_text(text, encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "assertion.html").write_text(
        '{% extends "default/assertion.html" %}\n{% block title %}{{ 1 // 0 }}{% endblock %}\n',
        encoding="utf-8",
    )


@case
def recursive_template_in_a_worker(site: Path) -> None:
    template_error_in_a_worker(site)
    (site / "templates" / "assertion.html").write_text(
        '{% include "assertion.html" %}\n', encoding="utf-8"
    )


# Symbolic links -----------------------------------------------------------------------------

CANARY = "CANARY-7f3a-outside-the-repository"  # in every file outside; never in any output


def outside(site: Path, name: str, text: str = f"{CANARY}\n") -> Path:
    """A file beside the repository, not in it."""
    folder = site.parent / "outside"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@case
def page_linked_to_proc_self_environ(site: Path) -> None:
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "environment.md").symlink_to("/proc/self/environ")


@case
def credential_linked_outside(site: Path) -> None:
    (site / CREDENTIAL).unlink()
    (site / CREDENTIAL).symlink_to(outside(site, "first-steps.md"))


@case
def site_yaml_linked_outside(site: Path) -> None:
    (site / "content" / "site.yaml").unlink()
    (site / "content" / "site.yaml").symlink_to(outside(site, "site.yaml", f"title: {CANARY}\n"))


@case
def stack_folder_linked_outside(site: Path) -> None:
    outside(site, "index.md", f"---\ntitle: {CANARY}\nsummary: {CANARY}\n---\n{CANARY}\n")
    (site / "content" / "credentials" / "elsewhere").symlink_to(site.parent / "outside")


@case
def template_linked_outside(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "page.html").symlink_to(outside(site, "page.html"))


@case
def templates_folder_linked_outside(site: Path) -> None:
    outside(site, "home.html")
    (site / "templates").symlink_to(site.parent / "outside")


@case
def page_linked_into_git(site: Path) -> None:
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "config.md").symlink_to(Path("..", "..", ".git", "config"))


@case
def badge_image_path_outside(site: Path) -> None:
    front_matter(site, CREDENTIAL, f"image: {outside(site, 'badge.png')}")


@case
def badge_image_path_climbing_out(site: Path) -> None:
    outside(site, "badge.svg")
    front_matter(site, CREDENTIAL, "image: ../../../../outside/badge.svg")


@case
def badge_image_linked_inside(site: Path) -> None:
    """A link that stays in the repository is followed: two credentials share one image."""
    from PIL import Image

    shared = site / "content" / "shared"
    shared.mkdir()
    Image.new("RGB", (256, 256), "teal").save(shared / "badge.png")
    for slug in ("first-steps", "next-steps"):
        link = site / "content" / "credentials" / "pathway" / f"{slug}.png"
        link.symlink_to(Path("..", "..", "shared", "badge.png"))


# The earner's own email address in what is published ---------------------------------------

EARNER = "Jane.Doe@Example.org"  # the address hashed into the identity the cases below write
SALT = "5f1c2e0a9b"


def earner(site: Path, text: str) -> None:
    """The base assertion issued to EARNER, with `text` (YAML lines) added."""
    from badgepress.openbadges.ob2 import hash_email

    path = site / ASSERTION
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith(("identity:", "salt:"))
    ]
    lines.insert(2, f"  identity: {hash_email(EARNER, SALT)}\n  salt: {SALT}")
    path.write_text("\n".join(lines) + "\n" + text, encoding="utf-8")


@case
def own_address_in_the_narrative(site: Path) -> None:
    earner(site, "narrative: Write to me at jane.doe@example.org about my circles.\n")


@case
def own_address_percent_encoded_in_an_evidence_url(site: Path) -> None:
    earner(
        site,
        "evidence:\n  - url: https://portfolio.example.net/?owner=jane.doe%40example.org\n"
        "    name: My portfolio\n",
    )


@case
def own_address_as_an_html_entity_in_an_evidence_name(site: Path) -> None:
    earner(site, "evidence:\n  - name: Portfolio of jane.doe&#64;example.org\n")


@case
def own_address_in_extra(site: Path) -> None:
    earner(site, "extra:\n  contact: {email: JANE.DOE@EXAMPLE.ORG}\n")


@case
def own_address_in_the_narrative_with_a_plaintext_recipient(site: Path) -> None:
    append(site, "content/site.yaml", "privacy:\n  plaintext_recipients: true\n")
    path = site / ASSERTION
    text = "\n".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith(("identity:", "salt:"))
    )
    path.write_text(
        text.replace("recipient:", f"recipient:\n  email: {EARNER}")
        + f"\nnarrative: Reach me at {EARNER.lower()}.\n",
        encoding="utf-8",
    )


@case
def another_address_in_the_narrative(site: Path) -> None:
    """Someone else's address (a mentor's): published with a warning, not refused."""
    earner(site, "narrative: Mentored by sam@district.example.org.\n")

"""`badgepress issue`: requested awards → checked assertion files, stack capstones included.

The email is only ever hashed (OB 2.0 hashed identity, a random salt per badge); it is never
written. Everything is planned and checked first; files are written only when all of it is valid.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.addresses import addresses
from ..content.load import EARLIEST_ISSUE, FUTURE_SLACK, LATEST_EXPIRY, load_assertion
from ..content.project import Project
from ..content.site_schemas import modeline
from ..content.sources import Document, InvalidSource, parse_yaml
from ..errors import SourceError, did_you_mean, quote
from ..files.atomic import write_atomically
from ..model import Assertion, Catalog, Evidence, Stack
from ..openbadges.ob2 import hash_email
from ..urls import Urls

# The example ids' alphabet: digits and lowercase letters without 0, 1, i, l and o, which are
# misread when an id is typed from paper. 12 characters ≈ 59 random bits: unguessable.
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_LENGTH = 12
# The same rule as the `email` field type (schema.py).
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")
# A host's first character, then anything but spaces (`[^\s/]+\S*`, the same language, tried
# every way of splitting a long host between its two parts: a 128 KB roster cell took 45 s).
URL = re.compile(r"^https?://[^\s/]\S*$")


@dataclass(frozen=True)
class Award:
    """One badge someone asked for; `where` names the request in messages ('roster.csv:12')."""

    credential: str
    email: str
    where: str
    name: str | None = None
    # The roster line that asked for it ('roster.csv:12'); a capstone's is the line whose badge
    # completed its stack. None outside a roster.
    row: str | None = None
    public_name: bool = False
    evidence: tuple[Evidence, ...] = ()
    narrative: str | None = None
    issued_on: datetime.date | None = None
    expires: datetime.date | None = None


@dataclass(frozen=True)
class Planned:
    """An assertion file ready to write, with the model object it will build into."""

    award: Award
    assertion: Assertion
    path: Path
    text: str
    capstone_of: Stack | None = None


class IssueRefused(Exception):
    """Nothing was written: every problem found, one message each."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def normalise_email(email: str) -> str:
    """OB 2.0 compares email identities trimmed and lowercased."""
    return email.strip().lower()


def new_id(taken: set[str]) -> str:
    """An unguessable, URL-safe assertion id not in `taken` (ids are never reused)."""
    while True:
        candidate = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        if candidate not in taken:
            return candidate


def new_salt() -> str:
    """A random salt per badge, so equal emails never give equal hashes."""
    return secrets.token_hex(16)


class Holdings:
    """The badges already issued, found for an email by hashing it with each badge's salt.

    Salts differ per badge, so finding an email costs one hash per badge of the credentials
    asked about; the assertions are parsed once (by the catalog) and results are cached.
    """

    def __init__(self, assertions: Iterable[Assertion]):
        self._by_credential: dict[str, list[tuple[bytes, str, Assertion]]] = defaultdict(list)
        for assertion in assertions:
            recipient = assertion.recipient
            self._by_credential[assertion.credential].append(
                (recipient.salt.encode("utf-8"), recipient.identity, assertion)
            )
        self._cache: dict[tuple[str, str], tuple[Assertion, ...]] = {}

    def of(self, email: str, credential: str) -> tuple[Assertion, ...]:
        """Every issued assertion (revoked ones too) of `credential` to `email`."""
        normalised = normalise_email(email)
        key = (normalised, credential)
        if key not in self._cache:
            prefix = hashlib.sha256(normalised.encode("utf-8"))
            found = []
            for salt, identity, assertion in self._by_credential.get(credential, ()):
                digest = prefix.copy()
                digest.update(salt)
                if identity == "sha256$" + digest.hexdigest():
                    found.append(assertion)
            self._cache[key] = tuple(found)
        return self._cache[key]

    def valid(self, email: str, credential: str, now: datetime.datetime) -> tuple[Assertion, ...]:
        """The assertions of `credential` to `email` that are neither revoked nor expired."""
        return tuple(a for a in self.of(email, credential) if a.status(now) == "valid")


def plan(
    catalog: Catalog,
    project: Project,
    awards: Sequence[Award],
    *,
    now: datetime.datetime,
    allow_duplicate: bool = False,
) -> list[Planned]:
    """Check every award, find duplicates and completed stacks; raise IssueRefused on any problem."""
    problems: list[str] = []
    holdings = Holdings(catalog.assertions)
    first_request: dict[tuple[str, str], str] = {}
    accepted: list[Award] = []
    for award in awards:
        found = _problems(award, catalog, now)
        key = (normalise_email(award.email), award.credential)
        if not found and not allow_duplicate:
            if key in first_request:
                found.append(
                    f"'{award.credential}' for {award.email.strip()} is asked for twice (also {first_request[key]}); "
                    "pass --allow-duplicate to issue both"
                )
            held = holdings.valid(award.email, award.credential, now)
            if held:
                found.append(
                    f"{award.email.strip()} already holds '{award.credential}' ({held[0].source}); "
                    "pass --allow-duplicate to issue another"
                )
        first_request.setdefault(key, award.where)
        problems.extend(f"{award.where}: {message}" for message in found)
        accepted.append(award)
    if problems:
        raise IssueRefused(problems)

    urls = Urls(catalog.config.base_url)
    taken = {
        a.id for a in catalog.assertions
    }  # every file's (the catalog loaded) and withdrawn ones
    planned = [_prepare(award, catalog, project, now, taken) for award in accepted]
    planned += _capstones(catalog, project, planned, holdings, urls, now, taken)
    return planned


def _problems(award: Award, catalog: Catalog, now: datetime.datetime) -> list[str]:
    found = []
    credential = catalog.by_slug.get(award.credential)
    if credential is None:
        found.append(
            f"unknown credential '{award.credential}'{did_you_mean(award.credential, catalog.by_slug)}"
        )
    elif credential.retired:
        found.append(
            f"credential '{award.credential}' is retired ('retired: true' in {credential.source}): "
            "it is no longer awarded"
        )
    if not EMAIL.match(award.email.strip()):
        found.append(
            f"expected an email address such as name@example.org, found {quote(award.email)}"
        )
    if award.public_name and not award.name:
        found.append("public name asked for but no name given")
    for evidence in award.evidence:
        if evidence.url is not None and not URL.match(evidence.url):
            found.append(f"evidence URL: expected an http(s) URL, found {quote(evidence.url, 80)}")
    texts = [award.narrative, award.name]
    texts += [text for e in award.evidence for text in (e.url, e.name, e.narrative, e.description)]
    if any(award.email.strip().lower() in addresses(text) for text in texts if text):
        found.append(
            "the earner's own email address is in the name, narrative or evidence: it would be "
            "written to the repository and published with the badge; remove it"
        )
    start = award.issued_on or now.date()
    if award.issued_on is not None and not (
        EARLIEST_ISSUE.date() <= award.issued_on <= (now + FUTURE_SLACK).date()
    ):
        found.append(
            f"issue date {award.issued_on}: expected a date from {EARLIEST_ISSUE.date()} "
            f"to {now.date()}"
        )
    if award.expires is not None and award.expires > LATEST_EXPIRY.date():
        found.append(
            f"expiry date {award.expires}: expected one no later than {LATEST_EXPIRY.date()}"
        )
    elif award.expires is not None and award.expires <= start:
        found.append(f"expiry date {award.expires} must be after the issue date {start}")
    return found


def _prepare(
    award: Award,
    catalog: Catalog,
    project: Project,
    now: datetime.datetime,
    taken: set[str],
    capstone_of: Stack | None = None,
) -> Planned:
    assertion_id = new_id(taken)
    taken.add(assertion_id)
    salt = new_salt()
    year = (award.issued_on or now.date()).year
    path = project.assertions_dir / str(year) / f"{assertion_id}.yaml"
    # Editors find the file's schema from its first line, as in the starter's sample.
    text = modeline(path, project.root) + assertion_yaml(award, hash_email(award.email, salt), salt)
    return Planned(award, _check(text, path, project, catalog, now), path, text, capstone_of)


def _check(
    text: str, path: Path, project: Project, catalog: Catalog, now: datetime.datetime
) -> Assertion:
    """The file as `badgepress check` will read it; a problem here is a bug, reported plainly."""
    rel = project.rel(path)
    errors: list[SourceError] = []
    try:
        doc = Document(path, rel, parse_yaml(text, rel))
        assertion = load_assertion(
            doc, errors, plaintext_recipients=False, added=now, now=now, warnings=[]
        )
    except InvalidSource as exc:
        errors.append(exc.error)
        assertion = None
    if assertion is None or assertion.credential not in catalog.by_slug:
        raise IssueRefused(
            [f"internal error: the file written for {rel} would not check: {e}" for e in errors]
        )
    return assertion


def _capstones(
    catalog: Catalog,
    project: Project,
    planned: list[Planned],
    holdings: Holdings,
    urls: Urls,
    now: datetime.datetime,
    taken: set[str],
) -> list[Planned]:
    """Capstones of the stacks this run completes, once per email (a revoked one still counts)."""
    by_email: dict[str, list[Planned]] = defaultdict(list)
    for item in planned:
        by_email[normalise_email(item.award.email)].append(item)
    added = []
    for items in by_email.values():
        email = items[0].award.email
        asked = {item.award.credential for item in items}
        for stack in catalog.stacks:
            if not stack.capstone or stack.capstone in asked or holdings.of(email, stack.capstone):
                continue
            members = [slug for slug in stack.credentials if slug != stack.capstone]
            if not asked & set(members):
                continue  # only a run that adds to the stack can complete it
            components: list[Assertion] = []
            complete: set[str] = set()  # the members held before this run
            for slug in members:
                new = [item.assertion for item in items if item.award.credential == slug]
                held = new or list(holdings.valid(email, slug, now))
                if held:
                    components.append(held[0])
                    if not new:
                        complete.add(slug)
            needed = stack.required or len(members)
            if len(components) < needed:
                continue
            for item in items:  # the request that completed the stack, in the run's order
                if item.award.credential in members:
                    complete.add(item.award.credential)
                    if len(complete) >= needed:
                        trigger = item.award
                        break
            dates = [i.award.issued_on for i in items if i.award.issued_on]
            award = Award(
                credential=stack.capstone,
                email=email,
                where=f"{trigger.where} (capstone of stack '{stack.slug}')",
                row=trigger.row,
                name=trigger.name,
                public_name=trigger.public_name,
                evidence=tuple(
                    Evidence(url=urls.assertion_id(a), name=catalog.by_slug[a.credential].name)
                    for a in components
                ),
                narrative=f"Awarded for completing the {stack.title} stack.",
                issued_on=max(dates) if dates else None,
            )
            added.append(_prepare(award, catalog, project, now, taken, capstone_of=stack))
    return added


# A value written plain must read back as the same text: no YAML indicator at the start, no
# ': ' or ' #' inside, and not something YAML 1.1 resolves to a number, bool, null or date.
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def _scalar(text: str, indent: str) -> str:
    """`text` as a YAML scalar after 'key:' — plain, a '|' block, or JSON-style double quotes."""
    if not text.replace("\n", "").isprintable():
        return f" {_quoted(text)}\n"  # tabs, NEL, U+2028, control characters
    # A '|' block keeps at most one final newline ("clip" chomping): more go in quotes.
    if "\n" in text.strip() and not text.endswith("\n\n"):
        lines = text.rstrip("\n").split("\n")
        if not lines[0][:1].isspace() and all(
            line == line.rstrip() and "\r" not in line and "\t" not in line for line in lines
        ):
            chomp = "" if text.endswith("\n") else "-"
            body = "".join(f"{indent}  {line}\n" if line else "\n" for line in lines)
            return f" |{chomp}\n{body}"
    elif (
        _PLAIN.match(text)
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR
    ):
        return f" {text}\n"
    return f" {_quoted(text)}\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar; what is not printable is escaped (YAML 1.1 §5.7)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _field(key: str, value, indent: str = "") -> str:
    if isinstance(value, bool):
        return f"{indent}{key}: {'true' if value else 'false'}\n"
    if isinstance(value, datetime.date):
        return f"{indent}{key}: {value.isoformat()}\n"
    return f"{indent}{key}:{_scalar(str(value), indent)}"


def dump_fields(data: dict) -> list[str]:
    """YAML lines for top-level fields in the style of the hand-written examples.

    Values are text, dates, bools, a mapping of those, or a list of such mappings.
    """
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{key}:\n")
            lines.extend(_field(k, v, "  ") for k, v in value.items())
        elif isinstance(value, list):
            lines.append(f"{key}:\n")
            for item in value:
                first = True
                for k, v in item.items():
                    lines.append(
                        _field(k, v, "    ").replace("    ", "  - " if first else "    ", 1)
                    )
                    first = False
        else:
            lines.append(_field(key, value))
    return "".join(lines).splitlines(keepends=True)


def assertion_yaml(award: Award, identity: str, salt: str) -> str:
    """The assertion file's text: fields in the order of content-format.md, no email."""
    recipient: dict = {"identity": identity, "salt": salt}
    if award.name:
        recipient["name"] = award.name
        if award.public_name:
            recipient["public_name"] = True
    data: dict = {"credential": award.credential, "recipient": recipient}
    if award.issued_on:
        data["issued_on"] = award.issued_on
    if award.expires:
        data["expires"] = award.expires
    if award.narrative:
        data["narrative"] = award.narrative
    if award.evidence:
        data["evidence"] = [
            {
                key: value
                for key, value in (
                    ("url", e.url),
                    ("name", e.name),
                    ("narrative", e.narrative),
                    ("description", e.description),
                )
                if value
            }
            for e in award.evidence
        ]
    return "".join(dump_fields(data))


def write(planned: Iterable[Planned]) -> None:
    """Write the planned files, each atomically."""
    for item in planned:
        write_atomically(item.path, item.text.encode("utf-8"))

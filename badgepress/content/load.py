"""Content files → model objects, one converter per file kind; problems are collected, not raised."""

from __future__ import annotations

import calendar
import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError, quote
from ..images.badges import TO_DRAW
from ..images.supplied import BadImage, CheckedImages
from ..model import Assertion, Credential, Image, Page, Stack
from ..openbadges.ob2 import hash_email
from ..timing import Timings
from .addresses import addresses_in
from .fields import ASSERTION_FIELDS, CREDENTIAL_FIELDS, PAGE_FIELDS, STACK_FIELDS
from .links import OUTSIDE_FILE, escapes
from .project import IMAGE_SUFFIXES, Project
from .schema import Context, check_fields, to_model
from .sources import Document, InvalidSource, read_binary, read_markdown_file, read_yaml_file

ASSERTION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Ids and slugs name published files: `.<id>.credential.json.tmp<pid>`, the longest name made
# from one while a build stages it, must stay within the 255 bytes a file system allows.
MAX_NAME = 200


def name_too_long(name: str, what: str) -> str | None:
    """The problem with an id or slug too long to name files, or None."""
    if len(name) <= MAX_NAME:
        return None
    return f"expected {what} of at most {MAX_NAME} characters (it names published files), found {len(name)}: {quote(name)}"


# Dates every verifier reads: Open Badges 2.0 allows Unix timestamps (none before 1970), and
# four-digit years; a badge dated 0001 or 9999 would be built only to be rejected.
EARLIEST_ISSUE = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
LATEST_EXPIRY = datetime.datetime(2199, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)
# A date names a whole day somewhere on Earth (UTC-12 to UTC+14): one written today may be
# tomorrow in UTC, so an issue date is in the future only past a day after the build's time.
FUTURE_SLACK = datetime.timedelta(days=1)
IDENTITY = re.compile(r"^sha256\$[0-9a-f]{64}$")
RESERVED_PAGE_NAMES = frozenset(
    {"assertions", "assets", "credentials", "stacks", "status", "verify"}
)


def read_document(
    path: Path,
    project: Project,
    errors: list[SourceError],
    *,
    markdown: bool,
    front_matter_required: bool = True,
) -> Document | None:
    """Read one file, turning unreadable input into a collected error."""
    try:
        if markdown:
            return read_markdown_file(
                path, project.rel(path), front_matter_required=front_matter_required
            )
        return read_yaml_file(path, project.rel(path))
    except InvalidSource as exc:
        errors.append(exc.error)
        return None


def load_stack(doc: Document, errors: list[SourceError]) -> Stack | None:
    """A stack from content/credentials/<stack>/index.md."""
    values = check_fields(Context(doc, errors), doc.data, STACK_FIELDS)
    if values is None:
        return None
    too_long = name_too_long(doc.path.parent.name, "a stack folder name")
    if too_long:
        errors.append(doc.error(too_long))
        return None
    return to_model(
        Stack, values, STACK_FIELDS, slug=doc.path.parent.name, body=doc.body, source=doc.rel
    )


def load_credential(
    doc: Document,
    project: Project,
    stack: str | None,
    errors: list[SourceError],
    images: CheckedImages | None = None,
) -> Credential | None:
    """A credential from its Markdown file, with its badge image checked (`images`: checks
    remembered between builds) or left to draw."""
    values = check_fields(Context(doc, errors), doc.data, CREDENTIAL_FIELDS)
    if values is None:
        return None
    slug = values["slug"] or doc.path.stem
    if not ASSERTION_ID.match(slug):
        errors.append(
            doc.error(
                f"expected the file name to be a slug (lowercase letters, digits, hyphens) or a 'slug:' field, found {quote(slug)}",
                1,
            )
        )
        return None
    too_long = name_too_long(slug, "a slug")
    if too_long:
        errors.append(doc.error(too_long, doc.line_of("slug") if values["slug"] else 1))
        return None
    image, image_source = _credential_image(
        doc, project, values, slug, errors, images or CheckedImages()
    )
    if image is None:
        return None
    return to_model(
        Credential,
        values,
        CREDENTIAL_FIELDS,
        slug=slug,
        criteria=doc.body.strip(),
        image=image,
        image_source=image_source,
        # A drawn badge's alt text is described from its content once it is drawn (badges.py).
        image_alt=values["image_alt"] or ("" if image is TO_DRAW else f"Badge: {values['name']}"),
        source=doc.rel,
        stack=stack,
    )


def _credential_image(
    doc: Document,
    project: Project,
    values: dict,
    slug: str,
    errors: list[SourceError],
    images: CheckedImages,
) -> tuple[Image | None, str | None]:
    """The credential's badge and the file it came from; (TO_DRAW, None) when it has none,
    (None, None) after an error."""
    folder = doc.path.parent
    if values["image"]:
        path = folder / values["image"]
        line = doc.line_of("image")
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("png", "svg"):
            errors.append(
                doc.error(
                    f"'image': expected a .png or .svg file, found {quote(values['image'])}", line
                )
            )
            return None, None
        if escapes(project, path):
            errors.append(doc.error(f"'image': {OUTSIDE_FILE}", line))
            return None, None
        if not path.is_file():
            errors.append(
                doc.error(f"'image': file {quote(project.rel(path), 120)} does not exist", line)
            )
            return None, None
    else:
        found = [folder / f"{doc.path.stem}{suffix}" for suffix in IMAGE_SUFFIXES]
        found = [p for p in found if p.is_file()]
        if not found:
            return TO_DRAW, None  # drawn once its stack's order is known (draw_missing_badges)
        path, fmt = found[0], found[0].suffix.lstrip(".")
    rel = project.rel(path)
    try:
        return images.check(read_binary(path, rel), fmt), rel
    except InvalidSource as exc:
        errors.append(exc.error)
    except BadImage as exc:
        errors.append(SourceError(rel, 0, str(exc)))
    return None, None


def load_page(doc: Document, errors: list[SourceError]) -> Page | None:
    """A free page from content/pages/<name>.md."""
    values = check_fields(Context(doc, errors), doc.data, PAGE_FIELDS)
    if values is None:
        return None
    name = doc.path.stem
    if not ASSERTION_ID.match(name):
        errors.append(
            doc.error(
                f"expected the page file name to be lowercase letters, digits and hyphens, found {quote(name)}"
            )
        )
        return None
    too_long = name_too_long(name, "a page file name")
    if too_long:
        errors.append(doc.error(too_long))
        return None
    if name in RESERVED_PAGE_NAMES:
        errors.append(
            doc.error(f"page name '{name}' is reserved for badgepress's own URLs; rename the file")
        )
        return None
    return to_model(Page, values, PAGE_FIELDS, name=name, body=doc.body, source=doc.rel)


@dataclass(frozen=True)
class AssertionFile:
    """One assertion file read and checked on its own; cross-checks happen in `validate`."""

    id: str  # the file name's stem
    rel: str
    assertion: Assertion | None
    read_errors: tuple[SourceError, ...] = ()  # the file is not readable YAML
    errors: tuple[SourceError, ...] = ()
    warnings: tuple[SourceError, ...] = ()
    credential_line: int = 1
    dated_by_git: bool = False  # no issued_on: the date comes from git (or the build's time)
    issued_line: int = 1  # of `issued_on`: checked against the build's time in `validate`


def read_assertion_file(
    path: Path,
    project: Project,
    *,
    plaintext_recipients: bool,
    added: datetime.datetime | None,
    now: datetime.datetime,
    timings: Timings,
) -> AssertionFile:
    """Parse and check one assertions/**/<id>.yaml (YAML, then the model)."""
    errors: list[SourceError] = []
    with timings.stage("yaml"):
        doc = read_document(path, project, errors, markdown=False)
    if doc is None:
        return AssertionFile(path.stem, project.rel(path), None, tuple(errors))
    warnings: list[SourceError] = []
    with timings.stage("model"):
        assertion = load_assertion(
            doc,
            errors,
            plaintext_recipients=plaintext_recipients,
            added=added,
            now=now,
            warnings=warnings,
        )
    return AssertionFile(
        path.stem,
        doc.rel,
        assertion,
        (),
        tuple(errors),
        tuple(warnings),
        doc.line_of("credential"),
        doc.data.get("issued_on") is None,
        doc.line_of("issued_on"),
    )


def load_assertion(
    doc: Document,
    errors: list[SourceError],
    *,
    plaintext_recipients: bool,
    added: datetime.datetime | None,
    now: datetime.datetime,
    warnings: list[SourceError],
) -> Assertion | None:
    """An assertion from assertions/**/<id>.yaml; expiry is completed later from its credential."""
    before = len(errors)
    assertion_id = doc.path.stem
    if not ASSERTION_ID.match(assertion_id):
        errors.append(
            doc.error(
                f"expected the file name to be an id of lowercase letters, digits and hyphens, found {quote(assertion_id)}"
            )
        )
    elif too_long := name_too_long(assertion_id, "the file name to be an id"):
        errors.append(doc.error(too_long))
    values = check_fields(Context(doc, errors), doc.data, ASSERTION_FIELDS)
    if values is None:
        return None
    recipient_data = doc.data["recipient"]
    recipient = values["recipient"]
    line = doc.line_of("recipient")
    if recipient["email"] is not None:
        if not plaintext_recipients:
            errors.append(
                doc.error(
                    "'recipient.email': plain email addresses are refused unless 'privacy.plaintext_recipients: true' "
                    "is set in content/site.yaml; use 'badgepress issue' to write a salted hash instead",
                    doc.line_of("email", recipient_data),
                )
            )
        elif recipient["identity"] is not None:
            errors.append(
                doc.error("'recipient': expected either 'email' or 'identity', found both", line)
            )
        else:
            # A stable salt keeps the build deterministic; it is still unique per assertion.
            salt = hashlib.sha256(f"badgepress:{assertion_id}".encode()).hexdigest()[:32]
            recipient["identity"], recipient["salt"] = hash_email(recipient["email"], salt), salt
    elif recipient["identity"] is None:
        errors.append(
            doc.error(
                "missing required field 'recipient.identity' (expected 'sha256$' followed by 64 hex digits; 'badgepress issue' writes it)",
                line,
            )
        )
    else:
        identity = recipient["identity"]
        if not IDENTITY.match(identity):
            errors.append(
                doc.error(
                    f"'recipient.identity': expected 'sha256$' followed by 64 lowercase hex digits, found {quote(identity, 80)}",
                    doc.line_of("identity", recipient_data),
                )
            )
        if recipient["salt"] is None:
            errors.append(
                doc.error(
                    "missing required field 'recipient.salt' (expected the salt the identity was hashed with)",
                    line,
                )
            )
    identity, salt = recipient["identity"], recipient["salt"]
    if identity and salt and IDENTITY.match(identity):
        own, other = addresses_in(doc.data, identity, salt)
        for field, field_line in own:
            errors.append(
                doc.error(
                    f"{quote(field, 80)}: holds the earner's own email address (the one hashed into "
                    "'recipient.identity'), and everything but the recipient is published; remove it",
                    field_line,
                )
            )
        for field, field_line in other:
            warnings.append(
                doc.error(
                    f"{quote(field, 80)}: holds an email address, which is published with the badge; "
                    "make sure its owner agrees",
                    field_line,
                )
            )
    if recipient["public_name"] and not recipient["name"]:
        errors.append(
            doc.error(
                "'recipient.public_name' is true but no 'recipient.name' is given",
                doc.line_of("public_name", recipient_data),
            )
        )
    if values["revoked"] and not values["revocation_reason"]:
        errors.append(
            doc.error(
                "'revoked' is true: expected a 'revocation_reason' (verifiers show it)",
                doc.line_of("revoked"),
            )
        )
    if values["revocation_reason"] and not values["revoked"]:
        errors.append(
            doc.error(
                "'revocation_reason' is given but 'revoked' is not true",
                doc.line_of("revocation_reason"),
            )
        )
    issued = values["issued_on"]
    if issued is None:
        if added is None:
            warnings.append(
                doc.error(
                    "no 'issued_on' and the file is not committed yet; using the build date until it is"
                )
            )
            issued = now
        else:
            issued = added
    issued_on = to_datetime(issued)
    expires = to_datetime(values["expires"]) if values["expires"] is not None else None
    if values["issued_on"] is not None and issued_on < EARLIEST_ISSUE:
        errors.append(
            doc.error(
                f"'issued_on' ({issued_on.date()}): expected a date from {EARLIEST_ISSUE.date()} on",
                doc.line_of("issued_on"),
            )
        )
    if expires is not None and expires > LATEST_EXPIRY:
        errors.append(
            doc.error(
                f"'expires' ({expires.date()}): expected a date no later than {LATEST_EXPIRY.date()}",
                doc.line_of("expires"),
            )
        )
    elif expires is not None and expires <= issued_on:
        errors.append(
            doc.error(
                f"'expires' ({expires.date()}) must be after the issue date ({issued_on.date()})",
                doc.line_of("expires"),
            )
        )
    if len(errors) > before:
        return None
    return to_model(
        Assertion,
        values,
        ASSERTION_FIELDS,
        id=assertion_id,
        issued_on=issued_on,
        expires=expires,
        source=doc.rel,
    )


def to_datetime(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """Dates are midnight UTC (OB 2.0 needs a time zone); datetimes are kept, in UTC."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc)
    return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc)


def issued_in_the_future(file: AssertionFile, now: datetime.datetime) -> SourceError | None:
    """An explicit `issued_on` after the build's time (by more than a day): checked on every
    build, not with the file's reading, which is kept between builds whatever their time."""
    assertion = file.assertion
    if file.dated_by_git or assertion is None or assertion.issued_on <= now + FUTURE_SLACK:
        return None
    return SourceError(
        file.rel,
        file.issued_line,
        f"'issued_on' ({assertion.issued_on.date()}) is after the build's date ({now.date()}): "
        "a badge cannot be issued in the future",
    )


def add_duration(start: datetime.datetime, duration: tuple[int, str]) -> datetime.datetime:
    """`start` plus '3y'/'18m'/'6w'/'90d'; month ends clamp (Jan 31 + 1m = Feb 28/29)."""
    amount, unit = duration
    if unit == "d":
        return start + datetime.timedelta(days=amount)
    if unit == "w":
        return start + datetime.timedelta(weeks=amount)
    months = amount * 12 if unit == "y" else amount
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return start.replace(year=year, month=month + 1, day=day)

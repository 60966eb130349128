"""The fields of every content file: one table per file kind (the contract, in code).

Each field is declared here once. The loader checks files by these tables and builds the
model from them (`schema.to_model`: a field fills the model attribute of its name, or its
`attr`); docs/reference.md (`python -m tools.reference`) and the JSON Schemas
(`python -m badgepress.content.json_schemas`) are generated from them; tests fail when any
of those, or a model dataclass (tests/unit/test_fields_model.py), disagrees with a table.
"""

from __future__ import annotations

from ..images.badge_shapes import STYLES
from ..images.palettes import PALETTES
from ..model import (
    Alignment,
    BadgeStyle,
    Evidence,
    Fee,
    Issuer,
    Recipient,
    Requirement,
    Rubric,
    Signing,
)
from .schema import (
    BOOL,
    COLOUR,
    DATE,
    DURATION,
    EMAIL,
    FREE,
    MARKDOWN,
    NUMBER,
    SLUG,
    TEXT,
    URL,
    WHOLE,
    Field,
    choice,
    list_of,
    mapping_of,
)

FORMATS = ("Online", "In person", "Blended", "Self-paced")

ISSUER_FIELDS = (
    Field(
        "name",
        TEXT,
        required=True,
        doc="The issuing organization's name.",
        example="Example Education Association",
    ),
    Field(
        "url",
        URL,
        required=True,
        doc="The organization's home page.",
        example="https://www.example.org/",
    ),
    Field(
        "email",
        EMAIL,
        required=True,
        doc="Contact address; Open Badges 2.0 requires one.",
        example="badges@example.org",
    ),
    Field("description", TEXT, doc="One paragraph about the issuer."),
    Field("image", TEXT, doc="Logo file under content/ (PNG or SVG).", example="issuer.png"),
    Field(
        "linkedin_organization_id",
        TEXT,
        doc="LinkedIn organization id for 'Add to profile' links.",
        example='"1234567"',
    ),
)

PRIVACY_FIELDS = (
    Field(
        "plaintext_recipients",
        BOOL,
        default=False,
        doc="Accept `recipient.email` in assertion files (hashed at build time). Only for private repositories.",
    ),
)

SIGNING_FIELDS = (
    Field(
        "did",
        TEXT,
        required=True,
        doc="The issuer's did:web identifier.",
        example="did:web:badges.example.org",
    ),
    Field(
        "key_env",
        TEXT,
        default="BADGEPRESS_SIGNING_KEY",
        doc="Environment variable holding the private key (the secret `badgepress keygen` prints).",
    ),
    Field(
        "key_file",
        TEXT,
        doc="Used when the environment variable is unset: a file holding the secret, outside the repository (`~` allowed).",
        example="~/.config/badgepress/signing-key",
    ),
    Field(
        "previous_keys",
        list_of(TEXT),
        default=(),
        doc="Public keys (`z6Mk...`) of retired signing keys; they stay in did.json so credentials signed with them still verify.",
    ),
)

BADGE_FIELDS = (
    Field(
        "style",
        choice(*STYLES),
        doc="Shape of drawn badges; `auto` picks one per stack (and per credential outside a stack). Default: the stack's or site's, else `auto`.",
        example="shield",
    ),
    Field(
        "palette",
        choice(*PALETTES),
        doc="A named colour family; default: one picked per stack (and per credential outside a stack).",
        example="indigo",
    ),
    Field(
        "color",
        COLOUR,
        doc='Main colour instead of a palette (quote it: `"#1d4ed8"`); the rim and tints are derived from it.',
        example='"#1d4ed8"',
    ),
    Field("accent", COLOUR, doc="Colour of the ribbon and emblem.", example='"#fbbf24"'),
    Field(
        "logo",
        BOOL,
        doc="Show the issuer's PNG logo (`issuer.image`) in the badge's emblem (default: true).",
    ),
)

BADGE_STYLE = mapping_of(BADGE_FIELDS, "drawn badge settings", BadgeStyle)

SHARING_FIELDS = (
    Field(
        "noindex",
        BOOL,
        default=True,
        doc='Ask search engines not to index earner pages (`<meta name="robots" content="noindex">`); earners still share their links.',
    ),
)

SITE_FIELDS = (
    Field("title", TEXT, required=True, doc="Site title shown in the header and page titles."),
    Field(
        "base_url",
        URL,
        required=True,
        doc="Public address of the site. Every URL and Open Badges id derives from it, so it must never change once badges are issued. `--base-url` overrides it.",
        example="https://badges.example.org/",
    ),
    Field(
        "language",
        TEXT,
        default="en",
        doc="Language of the site's pages (BCP 47 tag): `en`, `es` and `fr` are built in; any other with the site's own catalog in `locales/` (docs/translating.md).",
        example="fr",
    ),
    Field("description", TEXT, doc="Short description used on the home page and in previews."),
    Field(
        "issuer",
        mapping_of(ISSUER_FIELDS, "the issuer", Issuer),
        required=True,
        doc="The organization that issues every badge.",
    ),
    Field(
        "privacy",
        mapping_of(PRIVACY_FIELDS, "privacy settings"),
        doc="Privacy settings.",
        attr=None,  # flattened: SiteConfig.plaintext_recipients
    ),
    Field(
        "signing",
        mapping_of(SIGNING_FIELDS, "signing settings", Signing),
        doc="Open Badges 3.0 signing (optional).",
    ),
    Field(
        "how_to_apply", MARKDOWN, doc="Markdown shown on every criteria page under 'How to apply'."
    ),
    Field(
        "hours_are_credits",
        BOOL,
        default=False,
        doc="The credentials' `hours` are credit hours (academic or continuing-education credit): Open Badges 3.0 credentials then publish them as the achievement's `creditsAvailable`. Leave false when `hours` is only the typical time to earn.",
    ),
    Field(
        "badges",
        BADGE_STYLE,
        doc="How drawn badges look (for credentials without an image); see docs/sharing.md.",
    ),
    Field(
        "sharing",
        mapping_of(SHARING_FIELDS, "sharing settings"),
        doc="Earner pages: search engine indexing.",
        attr=None,  # flattened: SiteConfig.noindex_earner_pages
    ),
    Field("extra", FREE, doc="Free-form data for custom templates."),
)

STACK_FIELDS = (
    Field("title", TEXT, required=True, doc="Name of the stack."),
    Field("summary", TEXT, required=True, doc="One paragraph shown in the catalog."),
    Field("developer", TEXT, doc="Organization that developed the stack."),
    Field("topics", list_of(TEXT), default=(), doc="Topics, used as catalog filters."),
    Field("outcomes", list_of(TEXT), default=(), doc="What an educator will be able to do."),
    Field(
        "order",
        list_of(SLUG),
        default=(),
        doc="Credential slugs in learning order (default: alphabetical by name).",
        attr="credentials",  # completed with the unordered members in `validate`
    ),
    Field(
        "capstone",
        SLUG,
        doc="Slug of a credential awarded once `required` of the stack's credentials are held.",
    ),
    Field(
        "required",
        WHOLE,
        doc="How many of the stack's credentials earn the capstone (default: all).",
    ),
    Field(
        "badge",
        BADGE_STYLE,
        doc="How the stack's drawn badges look, over site.yaml's `badges:`.",
    ),
    Field("extra", FREE, doc="Free-form data for custom templates."),
)

RUBRIC_FIELDS = (
    Field("passing", MARKDOWN, required=True, doc="What a passing submission shows."),
    Field("not_yet", MARKDOWN, doc="What a submission that is not yet passing lacks."),
)

REQUIREMENT_FIELDS = (
    Field("title", TEXT, required=True, doc="What the candidate submits."),
    Field("description", MARKDOWN, doc="Details: accepted evidence, length, format."),
    Field(
        "rubric", mapping_of(RUBRIC_FIELDS, "a rubric", Rubric), doc="How the submission is scored."
    ),
)

REQUIREMENTS = list_of(
    mapping_of(REQUIREMENT_FIELDS, "a requirement", Requirement), allow_single=False
)

ALIGNMENT_FIELDS = (
    Field("framework", TEXT, doc="Name of the framework (OB `targetFramework`)."),
    Field("name", TEXT, required=True, doc="Name of the standard (OB `targetName`)."),
    Field("url", URL, required=True, doc="URL of the standard (OB `targetUrl`)."),
    Field("code", TEXT, doc="Code of the standard (OB `targetCode`)."),
    Field("description", TEXT, doc="Short description (OB `targetDescription`)."),
)

FEE_FIELDS = (
    Field("members", NUMBER, doc="Fee for members (0 = free)."),
    Field("non_members", NUMBER, doc="Fee for everyone else."),
    Field("currency", TEXT, default="USD", doc="ISO 4217 currency code."),
)

CREDENTIAL_FIELDS = (
    Field("name", TEXT, required=True, doc="Name of the credential (BadgeClass `name`)."),
    Field(
        "summary", TEXT, required=True, doc="One paragraph; becomes the BadgeClass `description`."
    ),
    Field(
        "slug",
        SLUG,
        doc="URL name; default: the file stem. Never change it once a badge is issued.",
    ),
    Field(
        "retired",
        BOOL,
        default=False,
        doc="`true`: no longer awarded. It leaves the catalog, its stack, search, the feed and the sitemap, and `badgepress issue` refuses it; its BadgeClass, image and criteria page (marked retired) stay, because the badges already issued point at them. Retire a credential instead of deleting its file.",
    ),
    Field(
        "image",
        TEXT,
        doc="Badge image file (PNG or SVG, square) next to this file; one is drawn when absent.",
    ),
    Field(
        "image_alt",
        TEXT,
        doc="Alternative text for the badge image; default: described from the badge's content.",
    ),
    Field(
        "badge",
        BADGE_STYLE,
        doc="How this credential's drawn badge looks, over its stack's and site.yaml's.",
    ),
    Field("topics", list_of(TEXT), default=(), doc="Topics; also the BadgeClass `tags`."),
    Field("grades", list_of(TEXT), default=(), doc="Grade bands the credential suits."),
    Field("audience", list_of(TEXT), default=(), doc="Roles the credential is for."),
    Field("hours", NUMBER, doc="Typical hours to earn."),
    Field("format", choice(*FORMATS), doc="How it is delivered."),
    Field("fee", mapping_of(FEE_FIELDS, "a fee", Fee), doc="Fees for members and non-members."),
    Field("developer", TEXT, doc="Organization that developed the credential."),
    Field("updated", DATE, doc="Date the criteria were last updated."),
    Field(
        "requirements",
        REQUIREMENTS,
        default=(),
        doc="What the candidate submits, each with a rubric.",
    ),
    Field(
        "alignments",
        list_of(mapping_of(ALIGNMENT_FIELDS, "an alignment", Alignment), allow_single=False),
        default=(),
        doc="Standards the credential aligns to (OB AlignmentObject).",
    ),
    Field(
        "expires_after",
        DURATION,
        doc="Badges expire this long after issue ('3y', '18m', '6w', '90d'; at most 100 years).",
    ),
    Field("prerequisites", list_of(SLUG), default=(), doc="Slugs of credentials to hold first."),
    Field(
        "extra",
        FREE,
        doc="Free-form data for custom templates; every other unknown key is an error.",
    ),
)

# A translation (`<slug>.<lang>.md`) carries only text; facts such as hours and fees come from
# the original so the two pages can never disagree.
TRANSLATION_FIELDS = (
    Field("name", TEXT, doc="The credential's name in this language (default: the original's)."),
    Field("summary", TEXT, doc="The summary in this language (default: the original's)."),
    Field("image_alt", TEXT, doc="Alternative text for the badge image in this language."),
    Field(
        "requirements",
        REQUIREMENTS,
        default=(),
        doc="The requirements in this language, in the original's order (default: the original's).",
    ),
)

RECIPIENT_FIELDS = (
    Field(
        "identity",
        TEXT,
        doc="`sha256$` + hex SHA-256 of the lowercased email followed by the salt.",
    ),
    Field("salt", TEXT, doc="Random salt for the hash (written by `badgepress issue`)."),
    Field(
        "email",
        EMAIL,
        doc="Plain email; accepted only with `privacy.plaintext_recipients: true`.",
        attr=None,  # hashed into `identity` by the loader; never kept
    ),
    Field("name", TEXT, doc="Earner's name; shown publicly only with `public_name: true`."),
    Field(
        "public_name", BOOL, default=False, doc="Consent to show the name on the public badge page."
    ),
)

EVIDENCE_FIELDS = (
    Field("url", URL, doc="Where the evidence can be seen."),
    Field("name", TEXT, doc="Title of the evidence."),
    Field("narrative", MARKDOWN, doc="What the evidence shows (Markdown)."),
    Field("description", TEXT, doc="Short description."),
)

ASSERTION_FIELDS = (
    Field("credential", SLUG, required=True, doc="Slug of the credential awarded."),
    Field(
        "recipient",
        mapping_of(RECIPIENT_FIELDS, "a recipient", Recipient),
        required=True,
        doc="Who earned it (hashed email).",
    ),
    Field(
        "issued_on",
        DATE,
        doc="Issue date, from 1970-01-01 to the build's date; default: the date of the commit "
        "that added the file (a file moved with `git mv` keeps it).",
    ),
    Field(
        "expires",
        DATE,
        doc="Expiry date, at most 2199-12-31; default: from the credential's `expires_after`.",
    ),
    Field("narrative", MARKDOWN, doc="How the earner met the criteria (Markdown)."),
    Field(
        "evidence",
        list_of(mapping_of(EVIDENCE_FIELDS, "evidence", Evidence), allow_single=False),
        default=(),
        doc="Evidence of the achievement.",
    ),
    Field(
        "revoked", BOOL, default=False, doc="Revoked badges keep their URL and answer as revoked."
    ),
    Field("revocation_reason", TEXT, doc="Required when `revoked: true`."),
    Field("extra", FREE, doc="Free-form data for custom templates."),
)

PAGE_FIELDS = (
    Field("title", TEXT, required=True, doc="Page title."),
    Field("order", WHOLE, default=100, doc="Position in the navigation (lower first)."),
    Field("nav", BOOL, default=True, doc="Show the page in the site navigation."),
)

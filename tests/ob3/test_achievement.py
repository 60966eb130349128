"""The Achievement of the example's signed credentials: every optional Open Badges 3.0 field
our content maps to is filled, and every id it names is a page or anchor the site publishes."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from badgepress.content.project import Project
from badgepress.openbadges.signing import SigningKey
from badgepress.pipeline import build
from tests.ob3.schema_checks import credential_errors
from tests.ob3.support import BASE_URL, KEY_ENV, enable_signing, signed_example
from tests.support import BUILD_TIME, copy_example


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return signed_example(tmp_path_factory.mktemp("achievement") / "repo", SigningKey.generate())


def _achievements(site) -> dict[str, dict]:
    """Credential slug → its Achievement, as the signed credentials carry it."""
    out = {}
    for path in sorted(site.glob("assertions/*.credential.json")):
        achievement = json.loads(path.read_text())["credentialSubject"]["achievement"]
        slug = achievement["id"].removeprefix(BASE_URL + "credentials/").removesuffix(".json")
        out[slug] = achievement
    return out


def _published(site, url: str) -> bool:
    """The URL is a file the site publishes and, with a fragment, an id on that page."""
    assert url.startswith(BASE_URL), url
    parts = urlsplit(url)
    path = site / parts.path.removeprefix(urlsplit(BASE_URL).path)
    if parts.path.endswith("/"):
        path = path / "index.html"
    if not path.is_file():
        return False
    return not parts.fragment or f'id="{parts.fragment}"' in path.read_text(encoding="utf-8")


def test_every_id_an_achievement_names_is_published(site):
    achievements = _achievements(site)
    assert len(achievements) >= 5
    for achievement in achievements.values():
        urls = [achievement["id"], achievement["criteria"]["id"], achievement["image"]["id"]]
        for result in achievement.get("resultDescription", []):
            urls += [result["id"], result["requiredLevel"]]
            urls += [level["id"] for level in result["rubricCriterionLevel"]]
        urls += [related["id"] for related in achievement.get("related", [])]
        for url in urls:
            assert _published(site, url), url


def test_the_example_fills_every_field_its_content_maps_to(site):
    achievements = _achievements(site)
    circles = achievements["restorative-circles"]
    assert circles["inLanguage"] == "en"
    assert circles["image"]["caption"].startswith("A ring of twelve seats")
    assert circles["alignment"][0]["targetCode"] == "LC"
    assert "## What you submit" in circles["criteria"]["narrative"]
    assert [r["name"] for r in circles["resultDescription"]] == [
        "Circle plan",
        "Facilitation of two circles",
        "Student voice",
        "Reflection",
    ]
    assert all(r["requiredLevel"].endswith("-passing") for r in circles["resultDescription"])
    # Only the Empathy-Centered credential is translated (content/...empathy...es.md).
    translated = {slug for slug, a in achievements.items() if "related" in a}
    assert translated == {"empathy-centered-classroom-design"}
    (related,) = achievements["empathy-centered-classroom-design"]["related"]
    assert related["inLanguage"] == "es"
    # The example's hours are time to earn, not credits.
    assert not any("creditsAvailable" in a for a in achievements.values())


def test_a_site_whose_hours_are_credits_publishes_them_as_credits_available(tmp_path):
    source = copy_example(tmp_path / "repo")
    enable_signing(source)
    site_yaml = source / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "hours_are_credits: true\n")
    key = SigningKey.generate()
    build(Project(source), source / "site", BUILD_TIME, environ={KEY_ENV: key.secret_multibase})
    achievements = _achievements(source / "site")
    for slug, achievement in achievements.items():
        text = next((source / "content/credentials").rglob(f"{slug}.md")).read_text()
        hours = re.search(r"(?m)^hours: (\S+)$", text)
        assert achievement.get("creditsAvailable") == (float(hours[1]) if hours else None), slug
    assert any("creditsAvailable" in a for a in achievements.values())
    for credential in sorted((source / "site").glob("assertions/*.credential.json")):
        assert credential_errors(json.loads(credential.read_text())) == [], credential.name


SITE_CATALOG = """\
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "What you submit"
msgstr "Was Sie einreichen"

msgid "Passing"
msgstr "Bestanden"

msgid "Not yet"
msgstr "Noch nicht"
"""


def test_a_site_catalogs_words_reach_the_achievement_as_they_reach_the_page(tmp_path):
    source = copy_example(tmp_path / "repo")
    enable_signing(source)
    site_yaml = source / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", "language: de"))
    po = source / "locales/de/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(SITE_CATALOG, encoding="utf-8")
    key = SigningKey.generate()
    build(Project(source), source / "site", BUILD_TIME, environ={KEY_ENV: key.secret_multibase})
    page = (source / "site/credentials/restorative-circles/index.html").read_text()
    assert ">Was Sie einreichen</h2>" in page
    circles = _achievements(source / "site")["restorative-circles"]
    assert circles["inLanguage"] == "de"
    assert "## Was Sie einreichen" in circles["criteria"]["narrative"]
    levels = circles["resultDescription"][0]["rubricCriterionLevel"]
    assert [level["name"] for level in levels] == ["Noch nicht", "Bestanden"]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_achievement_value_drops_out_of_the_signed_graph(site):
    # A term the contexts do not define vanishes in JSON-LD expansion, unsigned: every value
    # of every achievement must be in the canonical N-Quads the signature covers.
    from badgepress.openbadges.signing import canonicalize

    for slug, achievement in _achievements(site).items():
        path = next(
            p
            for p in sorted(site.glob("assertions/*.credential.json"))
            if f"/credentials/{slug}.json" in p.read_text()
        )
        document = json.loads(path.read_text())
        del document["proof"]
        quads = canonicalize(document)
        for text in _strings(achievement):
            escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            assert escaped in quads, (slug, text)

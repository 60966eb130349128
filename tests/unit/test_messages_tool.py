"""`python -m tools.messages`: the theme's messages.pot and .po files kept in step with the
templates, changing nothing but what a template change brings."""

from __future__ import annotations

import io
import shutil

from babel.messages.pofile import read_po

from tests.support import REPO
from tools.messages import LOCALE, TEMPLATE, main, updated_files

SOURCES = ("babel.cfg", "badgepress/i18n.py", "badgepress/images/cards.py",
           "badgepress/images/badges.py")  # fmt: skip


def _copy_sources(root):
    """What babel.cfg extracts from, and the catalogs, in a folder of their own."""
    for name in SOURCES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, root / name)
    templates = "badgepress/themes/default/templates"
    shutil.copytree(REPO / templates, root / templates)
    shutil.copytree(REPO / LOCALE, root / LOCALE)
    return root


def _languages(root):
    return sorted(po.parent.parent.name for po in (root / LOCALE).glob("*/LC_MESSAGES/*.po"))


def test_the_committed_catalogs_are_what_the_tool_writes(capsys):
    assert updated_files(REPO) == {}, "run python -m tools.messages"
    assert main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_new_template_string_is_added_untranslated_at_the_end_of_every_catalog(tmp_path):
    root = _copy_sources(tmp_path)
    before = {lang: (root / LOCALE / lang / "LC_MESSAGES/messages.po").read_bytes()
              for lang in _languages(root)}  # fmt: skip
    (root / "badgepress/themes/default/templates/new.html").write_text(
        '<p>{{ _("A string no catalog has yet") }}</p>\n'
        "<p>{% trans count=n %}One new apple{% pluralize %}%(count)s new apples{% endtrans %}</p>\n",
        encoding="utf-8",
    )
    changed = updated_files(root)
    assert set(changed) == {root / TEMPLATE} | {
        root / LOCALE / lang / "LC_MESSAGES/messages.po" for lang in before
    }
    template = {m.id for m in read_po(io.BytesIO(changed[root / TEMPLATE])) if m.id}
    assert "A string no catalog has yet" in template
    assert ("One new apple", "%(count)s new apples") in template
    assert len(before) >= 2
    for lang, old in before.items():
        new = changed[root / LOCALE / lang / "LC_MESSAGES/messages.po"]
        # Everything that was there stays byte for byte; only the new entries follow.
        assert new.startswith(old)
        assert new[len(old) :].decode() == (
            'msgid "A string no catalog has yet"\n'
            'msgstr ""\n'
            "\n"
            "#, python-format\n"
            'msgid "One new apple"\n'
            'msgid_plural "%(count)s new apples"\n'
            'msgstr[0] ""\n'
            'msgstr[1] ""\n'
            "\n"
        )


def test_a_string_no_template_uses_is_dropped_and_the_rest_kept(tmp_path):
    root = _copy_sources(tmp_path)
    po = root / LOCALE / "es" / "LC_MESSAGES" / "messages.po"
    committed = po.read_bytes()
    po.write_bytes(
        committed
        + b'\nmsgid "A string no template has"\nmsgstr "Una cadena que nadie usa"\n'
        + b'\n#~ msgid "Long gone"\n#~ msgstr "Hace tiempo"\n'
    )
    assert updated_files(root) == {po: committed}

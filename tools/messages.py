"""The default theme's message catalogs, kept in step with its templates and code.

Run `python -m tools.messages` after changing interface text. It extracts
`badgepress/themes/default/locale/messages.pot` as babel.cfg says (sorted, without locations or
header: the file tests/i18n/test_messages.py compares), then updates every shipped
`locale/<lang>/LC_MESSAGES/messages.po`: a new string is added at the end with an empty msgstr
to translate, a string no longer used is dropped, and the rest (the header as written, the
entries' order, translations and flags) is kept. On up-to-date files it changes nothing, so the
diff shows only what the template change brought. `--check` names the stale files and exits 1
instead of writing them.

(`pybabel update` would rewrite each header, reorder every entry in the template's order and
rewrap it; with `--omit-header` it would drop Plural-Forms.)
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
LOCALE = Path("badgepress/themes/default/locale")
TEMPLATE = LOCALE / "messages.pot"
# How the catalogs are written: Babel's wrapping at 100 columns, no source locations.
WIDTH = 100


def extract_template(root: Path) -> bytes:
    """messages.pot of the sources under `root`, as `pybabel extract` writes it."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "messages.pot"
        CommandLineInterface().run(
            ["pybabel", "--quiet", "extract", "-F", str(root / "babel.cfg"), "--sort-output",
             "--no-location", "--omit-header", "--project", "badgepress", "-o", str(out),
             str(root)]
        )  # fmt: skip
        return out.read_bytes()


def _key(message) -> tuple[str, str | None]:
    """A message's identity in a catalog: its singular msgid and its context."""
    return (message.id[0] if isinstance(message.id, tuple) else message.id, message.context)


def _split_header(text: str) -> tuple[str, str]:
    """(the header comment and entry as written, the entries after it)."""
    first, blank, rest = text.partition("\n\n")
    if 'msgid ""\nmsgstr ' in first and first.splitlines()[0].startswith(("#", "msgid")):
        return first + blank, rest
    return "", text


def update_catalog(po: bytes, template: bytes, language: str) -> bytes:
    """A .po file with the template's strings: the ones it lacks added at the end, untranslated;
    those the template no longer has dropped; its header and every kept entry as they were."""
    header, _ = _split_header(po.decode("utf-8"))
    catalog = read_po(io.BytesIO(po), locale=language)
    wanted = {_key(m): m for m in read_po(io.BytesIO(template)) if m.id}
    for message in [m for m in catalog if m.id and _key(m) not in wanted]:
        catalog.delete(message.id, message.context)
    for key, message in wanted.items():
        kept = catalog.get(key[0], key[1])
        if kept is None:
            plural = isinstance(message.id, tuple)
            empty = ("",) * catalog.num_plurals if plural else ""
            catalog.add(message.id, empty, flags=message.flags, context=message.context)
        elif kept.id != message.id:  # its plural changed: keep the translation, to be reviewed
            kept.id = message.id
            kept.flags = set(message.flags) | {"fuzzy"}
    body = io.BytesIO()
    write_po(body, catalog, width=WIDTH, no_location=True, omit_header=True,
             ignore_obsolete=True, include_previous=False)  # fmt: skip
    return header.encode("utf-8") + body.getvalue()


def updated_files(root: Path) -> dict[Path, bytes]:
    """Every catalog file under `root` whose up-to-date bytes differ from what it holds."""
    template = extract_template(root)
    changed = {}
    if _read(root / TEMPLATE) != template:
        changed[root / TEMPLATE] = template
    for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        current = po.read_bytes()
        fresh = update_catalog(current, template, language)
        if fresh != current:
            changed[po] = fresh
    return changed


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.messages", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="name stale files, write nothing")
    args = parser.parse_args(argv)
    changed = updated_files(REPO)
    for path, data in changed.items():
        if not args.check:
            path.write_bytes(data)
        print(f"{'stale' if args.check else 'updated'}: {path.relative_to(REPO)}")
    if not changed:
        print("message catalogs are up to date")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

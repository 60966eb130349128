"""Every command explains itself in --help, and the README shows every command and option."""

from __future__ import annotations

import argparse
import re

import pytest

from badgepress.cli import _parser
from tests.support import REPO

PARSER = _parser()
COMMANDS = next(a for a in PARSER._actions if isinstance(a, argparse._SubParsersAction)).choices
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_description_and_every_option_a_help_line(name):
    command = COMMANDS[name]
    assert command.description and command.description.endswith("."), name
    for action in command._actions:
        assert action.help, f"{name} {action.option_strings or action.dest}"
    assert "--source SOURCE" not in command.format_usage()  # DIR, as the README writes it


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_readme_shows_every_command_with_every_option(name):
    lines = [line for line in README.splitlines() if line.startswith(f"badgepress {name} ")]
    lines += [  # a command's second line of options, indented under it
        line
        for previous, line in zip(README.splitlines(), README.splitlines()[1:], strict=False)
        if previous.startswith(f"badgepress {name} ") and re.match(r" {11,}\[", line)
    ]
    assert lines, f"README.md shows no 'badgepress {name}' command"
    shown = set(re.findall(r"--[a-z-]+", "\n".join(lines)))
    options = {
        option
        for action in COMMANDS[name]._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert options - shown <= _DOCUMENTED_ELSEWHERE.get(name, set()), name


# Options the README leaves to the docs it links to (docs/issuing.md, docs/verify.md).
_DOCUMENTED_ELSEWHERE = {
    "issue": {
        "--email", "--name", "--public-name", "--evidence", "--narrative", "--date", "--expires",
        "--csv", "--allow-duplicate", "--notify", "--mail-merge", "--dry-run", "--source",
    },
    "verify": {"--email", "--json", "--site", "--timeout", "--public-only"},
    "revoke": {"--source"},
    "unrevoke": {"--source"},
}  # fmt: skip

"""`badgepress revoke` / `unrevoke`: edit an assertion file's lines in place.

Only the `revoked` and `revocation_reason` lines change; the rest of the file (comments, order,
quoting) is kept byte for byte, so the commit shows exactly what was decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.gitlog import deleted_files
from ..content.project import Project, assertion_file_id
from ..content.sources import InvalidSource, parse_yaml, read_text
from ..errors import did_you_mean
from ..files.atomic import write_atomically
from .awards import dump_fields

KEY_LINE = re.compile(r"^(?P<key>revoked|revocation_reason)[ \t]*:(?P<rest>.*)$")


class RevokeProblem(Exception):
    """The file was not changed; the message says why."""


def find_assertion(project: Project, assertion_id: str) -> Path:
    """The file of an assertion id; RevokeProblem with a did-you-mean when there is none."""
    files = {path.stem: path for path in project.assertion_files()}
    if assertion_id.endswith((".yaml", ".yml")):
        assertion_id = Path(assertion_id).stem
    if assertion_id not in files:
        deleted = [
            d
            for d in deleted_files(project.root, "assertions")
            if assertion_file_id(d.path) == assertion_id
        ]
        if deleted:
            d = deleted[0]
            raise RevokeProblem(
                f"{d.path} was deleted in commit {d.commit[:7]} and is published as revoked "
                f"'withdrawn'; to give another reason, restore it (git checkout {d.commit[:7]}^ -- {d.path}) "
                "and revoke it"
            )
        raise RevokeProblem(
            f"no assertion with id '{assertion_id}' under assertions/{did_you_mean(assertion_id, files)}"
        )
    return files[assertion_id]


@dataclass(frozen=True)
class Revoked:
    """What `revoke` did: the edited file, and whether the badge was revoked already (then
    `force` replaced its reason, `previous_reason`, which may have been missing)."""

    path: Path
    replaced: bool = False
    previous_reason: str | None = None


def revoke(project: Project, assertion_id: str, reason: str, *, force: bool = False) -> Revoked:
    """Mark an assertion revoked with `reason`. A revoked one keeps its reason unless `force`:
    the reason verifiers already show is a decision too."""
    reason = reason.strip()
    if not reason:
        raise RevokeProblem("expected a --reason (verifiers show it to whoever checks the badge)")
    path = find_assertion(project, assertion_id)
    lines, data = _read(project, path)
    before = data.get("revocation_reason")
    if data.get("revoked") is True:
        if before == reason:
            raise RevokeProblem(f"{project.rel(path)}: already revoked with that reason")
        if not force:
            raise RevokeProblem(
                f"{project.rel(path)}: already revoked"
                + (f" with the reason {before!r}" if isinstance(before, str) else "")
                + "; pass --force to replace the reason"
            )
    lines = _replace(lines, "revoked", dump_fields({"revoked": True}))
    lines = _replace(lines, "revocation_reason", dump_fields({"revocation_reason": reason}))
    _save(project, path, lines, data, revoked=True, reason=reason)
    replaced = data.get("revoked") is True
    return Revoked(path, replaced, before if replaced and isinstance(before, str) else None)


def unrevoke(project: Project, assertion_id: str) -> Path:
    """Take back a revocation (both lines go); returns the edited file."""
    path = find_assertion(project, assertion_id)
    lines, data = _read(project, path)
    if data.get("revoked") is not True:
        raise RevokeProblem(f"{project.rel(path)}: not revoked")
    lines = _replace(lines, "revoked", [])
    lines = _replace(lines, "revocation_reason", [])
    _save(project, path, lines, data, revoked=False, reason=None)
    return path


def _read(project: Project, path: Path) -> tuple[list[str], dict]:
    rel = project.rel(path)
    try:
        text = read_text(path, rel)
        data = parse_yaml(text, rel)
    except InvalidSource as exc:
        raise RevokeProblem(f"{exc.error}; fix the file first") from None
    if not isinstance(data, dict):
        raise RevokeProblem(f"{rel}: expected a YAML mapping of fields; fix the file first")
    if text and not text.endswith("\n"):
        text += "\n"
    return text.splitlines(keepends=True), data


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(start, end) of a top-level key and its continuation lines, or None."""
    for start, line in enumerate(lines):
        match = KEY_LINE.match(line.rstrip("\r\n"))
        if match and match["key"] == key:
            end = start + 1
            while end < len(lines) and (
                lines[end].startswith((" ", "\t")) or not lines[end].strip()
            ):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1  # blank lines before the next key are layout, not part of the value
            return start, end
    return None


def _replace(lines: list[str], key: str, new: list[str]) -> list[str]:
    found = _block(lines, key)
    if found is None:
        if not new:
            return lines
        anchor = _block(lines, "revoked")  # keep the reason right after `revoked`
        at = anchor[1] if anchor else len(lines)
        return lines[:at] + new + lines[at:]
    start, end = found
    return lines[:start] + new + lines[end:]


def _save(
    project: Project,
    path: Path,
    lines: list[str],
    before: dict,
    *,
    revoked: bool,
    reason: str | None,
) -> None:
    """Write only if the edit reads back as intended and nothing else changed."""
    rel = project.rel(path)
    text = "".join(lines)
    try:
        after = parse_yaml(text, rel)
    except (InvalidSource, yaml.YAMLError):
        after = None
    expected = {k: v for k, v in before.items() if k not in ("revoked", "revocation_reason")}
    if revoked:
        expected.update(revoked=True, revocation_reason=reason)
    if not isinstance(after, dict) or dict(after) != expected:
        raise RevokeProblem(
            f"{rel}: the file's layout is unusual and the edit would not read back as intended; "
            "edit 'revoked:' and 'revocation_reason:' by hand"
        )
    write_atomically(path, text.encode("utf-8"))

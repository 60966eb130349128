"""A CSV roster → awards for `badgepress issue --csv`: every row checked, every problem named."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from ..errors import did_you_mean
from ..files.bounded import TooLarge, read_bounded
from ..model import Evidence
from ..wording import counted
from .awards import Award

COLUMNS = (
    "email",
    "name",
    "public_name",
    "credential",
    "evidence_url",
    "evidence_narrative",
    "narrative",
    "issued_on",
    "expires",
)
REQUIRED = ("email", "credential")
TRUE = {"true", "yes", "y", "1", "x"}
FALSE = {"false", "no", "n", "0", ""}
MAX_ROSTER_BYTES = 64 << 20


class RosterProblem(Exception):
    """The roster cannot be used: every problem as 'ROSTER.csv:LINE: message'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_roster(path: Path, shown: str) -> tuple[list[Award], list[str]]:
    """(awards, problems of the other rows); RosterProblem when the file itself is unusable."""
    try:
        raw = read_bounded(path, MAX_ROSTER_BYTES)
    except TooLarge as large:
        size = "more" if large.size is None else f"{large.size:,}"
        raise RosterProblem(
            [
                f"{shown}: expected at most {MAX_ROSTER_BYTES:,} bytes, found {size} (split the roster)"
            ]
        ) from None
    except OSError as exc:
        raise RosterProblem([f"{shown}: cannot read file: {exc.strerror}"]) from None
    try:
        text = raw.decode("utf-8-sig")  # spreadsheets often save UTF-8 with a BOM
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RosterProblem(
            [f"{shown}:{line}: expected UTF-8 text, found an invalid byte sequence"]
        ) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise RosterProblem(
                [f"{shown}:1: expected a header row naming the columns ({', '.join(COLUMNS)})"]
            )
        columns = _columns(header, shown)
        awards, problems = [], []
        end = reader.line_num
        for row in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            award = _award(row, columns, f"{shown}:{line}", problems)
            if award is not None:
                awards.append(award)
    except csv.Error as exc:
        raise RosterProblem([f"{shown}:{reader.line_num}: invalid CSV: {exc}"]) from None
    if not awards and not problems:
        raise RosterProblem([f"{shown}: no rows after the header; nothing to issue"])
    return awards, problems


def _columns(header: list[str], shown: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        name = cell.strip().lower().replace(" ", "_")
        if not name:
            problems.append(f"{shown}:1: column {index + 1} has no name")
        elif name not in COLUMNS:
            problems.append(
                f"{shown}:1: unknown column '{cell.strip()}'{did_you_mean(name, COLUMNS)}; expected some of {', '.join(COLUMNS)}"
            )
        elif name in columns:
            problems.append(f"{shown}:1: column '{cell.strip()}' appears twice")
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(f"{shown}:1: missing required column '{name}'")
    if problems:
        raise RosterProblem(problems)
    return columns


def _award(
    row: list[str], columns: dict[str, int], where: str, problems: list[str]
) -> Award | None:
    before = len(problems)
    if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
        problems.append(
            f"{where}: {counted(len(row), 'cell')}, but the header names {counted(len(columns), 'column')}"
        )

    def cell(name: str) -> str | None:
        index = columns.get(name)
        value = row[index].strip() if index is not None and index < len(row) else ""
        return value or None

    for name in REQUIRED:
        if cell(name) is None:
            problems.append(f"{where}: missing {name}")
    public = (cell("public_name") or "").lower()
    if public not in TRUE | FALSE:
        problems.append(f"{where}: public_name: expected yes or no (true/false), found '{public}'")
    dates = {}
    for name in ("issued_on", "expires"):
        value = cell(name)
        try:
            dates[name] = datetime.date.fromisoformat(value) if value else None
        except ValueError:
            problems.append(f"{where}: {name}: expected a date YYYY-MM-DD, found '{value}'")
    evidence = ()
    if cell("evidence_url") or cell("evidence_narrative"):
        evidence = (Evidence(url=cell("evidence_url"), narrative=cell("evidence_narrative")),)
    if len(problems) > before:
        return None
    return Award(
        credential=cell("credential"),
        email=cell("email"),
        where=where,
        row=where,
        name=cell("name"),
        public_name=public in TRUE,
        evidence=evidence,
        narrative=cell("narrative"),
        issued_on=dates["issued_on"],
        expires=dates["expires"],
    )

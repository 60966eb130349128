"""Reading input files: text, front matter and YAML with line numbers. No meaning here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from ..errors import SourceError, bounded, quote
from ..files.bounded import TooLarge, read_bounded

# PyYAML's C loader is several times faster on thousands of small files; fall back when absent.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_SOURCE_BYTES = 1 << 20  # a hand-written content file past 1 MiB is a mistake, not content


class YamlMap(dict):
    """A YAML mapping that remembers the line of each key (`lines`) and of itself (`line`)."""

    __slots__ = ("line", "lines")


class YamlList(list):
    """A YAML sequence that remembers the line of each item."""

    __slots__ = ("line", "lines")


class InvalidSource(Exception):
    """A file that cannot be read as the kind of document it must be."""

    def __init__(self, error: SourceError):
        super().__init__(str(error))
        self.error = error


class _LineLoader(_BaseLoader):
    """Safe loader that records lines, rejects duplicate keys and impossible dates."""


def _make_map(node: yaml.MappingNode, value_of: Callable[[yaml.Node], object]) -> YamlMap:
    """A mapping with its lines; `value_of` makes each key and value from its node."""
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.lines = lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(
                None, None, "merge keys ('<<') are not supported", key_node.start_mark
            )
        key = value_of(key_node)
        if not isinstance(key, (str, int, float, bool, datetime.date)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {quote(key)}", key_node.start_mark
            )
        result[key] = value_of(value_node)
        lines[key] = key_node.start_mark.line + 1
    return result


def _make_list(node: yaml.SequenceNode, value_of: Callable[[yaml.Node], object]) -> YamlList:
    """A sequence with the line of each item."""
    result = YamlList(value_of(item) for item in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [item.start_mark.line + 1 for item in node.value]
    return result


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    return _make_map(node, lambda child: loader.construct_object(child, deep=True))


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    return _make_list(node, lambda child: loader.construct_object(child, deep=True))


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible date {quote(node.value)}", node.start_mark
        ) from None


# Python refuses to read integers of more than 4,300 digits (a denial-of-service guard, CVE-2020-10735)
# by raising ValueError; no field needs more than a few.
MAX_DIGITS = 50


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode):
    if sum(ch.isdigit() for ch in node.value) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of more than {MAX_DIGITS} digits", node.start_mark
        )
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq"))


def _build(loader: _LineLoader, node: yaml.Node) -> object:
    """The value of a composed node: what `loader.construct_document` gives, in half the time.

    PyYAML's constructor is generic (recursion tracking, generators for deep objects, a lookup
    per node); content files are mappings, lists and scalars, mostly strings, built directly
    here, with the same `_make_map` and `_make_list` as the loader's constructors. Any other
    node (a number, a date, an unknown tag) goes to those constructors, so values and errors
    are the same.
    """
    kind = node.__class__
    if kind is yaml.ScalarNode:
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if kind is yaml.MappingNode and node.tag == _MAP:
        return _make_map(node, partial(_build, loader))
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return _make_list(node, partial(_build, loader))
    return loader.construct_object(node, deep=True)


@dataclass(frozen=True)
class Document:
    """A parsed input file: its metadata mapping and, for Markdown, the body after front matter."""

    path: Path
    rel: str
    data: YamlMap
    body: str = ""
    body_line: int = 1

    def error(self, message: str, line: int = 0) -> SourceError:
        """An error located in this document."""
        return SourceError(self.rel, line, message)

    def line_of(self, key: str, mapping: YamlMap | None = None) -> int:
        """Line of `key` in `mapping` (default: the top level), else of the mapping itself."""
        mapping = self.data if mapping is None else mapping
        lines = getattr(mapping, "lines", None) or {}
        return lines.get(key) or getattr(mapping, "line", 0) or 1


def read_text(path: Path, rel: str) -> str:
    """UTF-8 text of a content file, size-limited, BOM removed."""
    raw = read_limited(path, rel, MAX_SOURCE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidSource(
            SourceError(rel, line, "expected UTF-8 text, found an invalid byte sequence")
        ) from None
    return text.removeprefix("\ufeff")


def read_limited(path: Path, rel: str, limit: int) -> bytes:
    """A file's bytes, refused past `limit` bytes (a regular file without reading them)."""
    try:
        return read_bounded(path, limit)
    except TooLarge as large:
        size = f"more than {limit:,}" if large.size is None else f"{large.size:,}"
        message = f"file is {size} bytes; expected at most {limit:,}"
        raise InvalidSource(SourceError(rel, 0, message)) from None
    except OSError as exc:
        raise InvalidSource(SourceError(rel, 0, f"cannot read file: {exc.strerror}")) from None


def parse_yaml(text: str, rel: str) -> object:
    """YAML text → Python values (YamlMap/YamlList carry line numbers)."""
    if "*" in text:
        _reject_aliases(text, rel)
    try:
        loader = _LineLoader(text)  # a SafeLoader subclass
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_depth(node)
            return None if node is None else _build(loader, node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = f"unsupported YAML tag {quote(tag)}; expected plain values"
        elif not problem.startswith(
            ("duplicate key", "impossible date", "a number of", "mappings and lists nested")
        ):
            problem = f"invalid YAML: {bounded(problem)}"
        raise InvalidSource(SourceError(rel, line, problem)) from None
    except yaml.YAMLError as exc:
        raise InvalidSource(SourceError(rel, 0, f"invalid YAML: {bounded(exc)}")) from None


MAX_DEPTH = 50  # mappings and lists inside each other; content needs a handful


def _check_depth(root: yaml.Node) -> None:
    """Refuse nesting deeper than MAX_DEPTH before anything recursive (building the values,
    templates, pickling) meets it: 300 levels of `[` ended in a RecursionError."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            continue
        if depth > MAX_DEPTH:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"mappings and lists nested more than {MAX_DEPTH} deep",
                node.start_mark,
            )
        stack.extend((child, depth + 1) for child in children)


def _reject_aliases(text: str, rel: str) -> None:
    """Refuse YAML aliases: content never needs them and they enable 'billion laughs' bombs."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1
                raise InvalidSource(
                    SourceError(
                        rel, line, "YAML aliases ('*name') are not supported; write the value out"
                    )
                )
    except yaml.YAMLError:
        return  # the real load reports the syntax error with its line


def read_yaml_file(path: Path, rel: str) -> Document:
    """A YAML file whose top level must be a mapping."""
    text = read_text(path, rel)
    if not text.strip():
        raise InvalidSource(SourceError(rel, 0, "empty file; expected a YAML mapping of fields"))
    data = parse_yaml(text, rel)
    if not isinstance(data, YamlMap):
        raise InvalidSource(
            SourceError(rel, 1, f"expected a YAML mapping of fields, found {describe(data)}")
        )
    return Document(path, rel, data)


def read_markdown_file(path: Path, rel: str, *, front_matter_required: bool = True) -> Document:
    """A Markdown file with YAML front matter between '---' lines."""
    text = read_text(path, rel)
    if not text.strip():
        raise InvalidSource(
            SourceError(rel, 0, "empty file; expected YAML front matter between '---' lines")
        )
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        if front_matter_required:
            raise InvalidSource(
                SourceError(
                    rel,
                    1,
                    f"expected '---' to open the front matter, found {quote(lines[0].strip())}",
                )
            )
        empty = YamlMap()
        empty.line, empty.lines = 1, {}
        return Document(path, rel, empty, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            break
    else:
        raise InvalidSource(
            SourceError(rel, 1, "front matter opened with '---' on line 1 is never closed by '---'")
        )
    # A leading newline stands in for the opening '---' so YAML line numbers are file line numbers.
    data = parse_yaml("\n" + "".join(lines[1:index]), rel)
    if data is None:
        data = YamlMap()
        data.line, data.lines = 2, {}
    if not isinstance(data, YamlMap):
        raise InvalidSource(
            SourceError(
                rel, 2, f"expected front matter to be a mapping of fields, found {describe(data)}"
            )
        )
    return Document(path, rel, data, "".join(lines[index + 1 :]), index + 2)


def describe(value: object) -> str:
    """How a YAML value reads in an error message: its kind and a short excerpt."""
    if value is None:
        return "nothing"
    kind = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "text",
        YamlMap: "a mapping",
        dict: "a mapping",
        YamlList: "a list",
        list: "a list",
        datetime.date: "a date",
        datetime.datetime: "a date and time",
    }.get(type(value), type(value).__name__)
    if isinstance(value, (YamlMap, YamlList, dict, list)):
        return kind
    return f"{kind} {quote(value) if isinstance(value, str) else bounded(repr(value))}"


def read_binary(path: Path, rel: str, limit: int = 8 << 20) -> bytes:
    """Bytes of an image or other binary input, size-limited."""
    return read_limited(path, rel, limit)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative POSIX path → bytes), sorted: theme assets and the like."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }

"""YAML parsed into PyYAML's node graph, whose marks give every value's line and column.

We compose with the base resolver (libyaml's C composer when present): every scalar comes back
as the text the editor wrote, so `2023-02` and `2019` stay text until a field type reads them,
and YAML 1.1 surprises (`no` → False, `2023-02-21` → date) never happen behind our back.

Two things the composer would accept are refused before composing, because they are never
needed in our formats and can be weapons: anchors/aliases ("billion laughs") and absurd
nesting (which can overflow the C composer's stack).
"""

from __future__ import annotations

import operator
import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostics, Location
from .yamlerrors import explain

try:
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import BaseLoader as _BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 32
# Cheap hints that a document might hold an anchor or deep nesting; only then are its events
# walked one by one (iteratively, so depth cannot hurt) before composing.
_ANCHOR_HINT = re.compile(r"(?:^|[\s\[{,:?-])&[^\s,\[\]{}]")
_DEEP_INDENT_HINT = re.compile(r"\n[ \t?-]{40}")  # a line indented 40 deep (searched from a newline: quick)
_FLOW_OPENERS = 40

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

_DEFAULT_TAGS = {ScalarNode: STR_TAG, SequenceNode: SEQ_TAG, MappingNode: MAP_TAG}


class _Loader(_BaseLoader):
    """The base loader with the one-line resolver it amounts to: untagged nodes are text,
    lists and mappings (PyYAML's general resolver is a Python call per node)."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    # The composer calls these two around every node, for path resolvers, which we never add.
    # Functions written in C that take the same arguments and do nothing of note spare a Python
    # call each (about a tenth of composing); not being methods, they get no `self`.
    descend_resolver = operator.is_  # (parent node, index)
    ascend_resolver = tuple  # ()


__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "parse_yaml", "MAX_DEPTH"]


def parse_yaml(text: str, path: str, diags: Diagnostics, line_offset: int = 0) -> Node | None:
    """Compose one YAML document; report syntax errors and refused constructs, returning None."""
    try:
        if _needs_screening(text) and not _screen(text, path, diags, line_offset):
            return None
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            diags.error(Location(path, 1 + line_offset, 1), "there are no fields here, only comments or blank lines")
        return node
    except yaml.MarkedYAMLError as exc:
        line, col, message = explain(exc, text)
        parser_said = " ".join(filter(None, (exc.problem, exc.context and f"({exc.context})")))
        diags.error(Location(path, line + 1 + line_offset, col + 1),
                    f"{message} (the YAML parser said: {parser_said or 'invalid YAML'})")
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        diags.error(Location(path, line + line_offset, column),
                    f"the file contains a control character (U+{exc.character:04X}), which YAML does not allow; "
                    "delete it")
    except yaml.YAMLError as exc:
        diags.error(Location(path, 1 + line_offset, 1), f"YAML error: {' '.join(str(exc).split())}")
    return None


def _needs_screening(text: str) -> bool:
    return bool(
        ("&" in text and _ANCHOR_HINT.search(text))
        or text.count("[") + text.count("{") > _FLOW_OPENERS
        or _DEEP_INDENT_HINT.search("\n" + text)
    )


def _screen(text: str, path: str, diags: Diagnostics, line_offset: int) -> bool:
    """Walk the parser's events: refuse anchors, aliases and nesting deeper than MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None or isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            diags.error(Location(path, mark.line + 1 + line_offset, mark.column + 1),
                        "YAML anchors and aliases (& and *) are not supported; write the value out in full")
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                diags.error(Location(path, mark.line + 1 + line_offset, mark.column + 1),
                            f"values are nested more than {MAX_DEPTH} levels deep")
                return False
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


_COMMENT_AFTER = re.compile(r"([ \t]+)#(.?)")


def cut_by_comments(root: Node, text: str) -> list[tuple[ScalarNode, int, str]]:
    """Unquoted values followed on their line by a `#` that YAML reads as a comment, unless it
    looks like one written on purpose (two spaces or more, then '# '): in `Ward #3` the editor
    meant the '#' as text, which would silently vanish. Returns (value, 0-based column of the
    '#', the words after it) for each."""
    if " #" not in text and "\t#" not in text:  # no comment follows a value: the walk would find nothing
        return []
    lines = text.split("\n")
    found = []
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, MappingNode):
            todo.extend(value for _key, value in node.value)
        elif isinstance(node, SequenceNode):
            todo.extend(node.value)
        elif not node.style and node.value:
            end = node.end_mark
            rest = lines[end.line][end.column:] if end.line < len(lines) else ""
            m = _COMMENT_AFTER.match(rest)
            if m and not (len(m[1]) >= 2 and m[2] in (" ", "")):
                found.append((node, end.column + m.end(1), rest[m.end(1) + 1:].strip()))
    return found

"""YAML parsed into small positioned nodes: every value remembers its file, line and column.

PyYAML's composer (in C when libyaml is present) gives a node graph with marks; we turn it
into `Map`, `Seq` and `Scalar` nodes, rejecting what our formats never need and YAML would
otherwise accept silently: duplicate keys, non-text keys, anchors and aliases (which also
defuses "billion laughs" bombs), and absurd nesting.
"""

from __future__ import annotations

import yaml

from .diagnostics import Diagnostics, Location

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 32

_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
}


class Node:
    __slots__ = ("loc",)
    kind = "value"

    def __init__(self, loc: Location):
        self.loc = loc


class Scalar(Node):
    """A scalar kept as the text the editor wrote, with YAML's idea of its type in `tag`."""

    __slots__ = ("text", "tag", "style", "indent")
    kind = "scalar"

    def __init__(self, loc: Location, text: str, tag: str, style: str | None, indent: int = 0):
        super().__init__(loc)
        self.text = text
        self.tag = tag
        self.style = style
        self.indent = indent

    def text_location(self, line: int, column: int) -> Location:
        """Where character (line, column) of the value (both 0-based) sits in the file."""
        if self.style in ("|", ">"):
            return Location(self.loc.path, self.loc.line + 1 + line, self.indent + column + 1)
        if line == 0:
            quoted = 1 if self.style in ("'", '"') else 0
            return Location(self.loc.path, self.loc.line, self.loc.column + quoted + column)
        return self.loc  # a folded multi-line flow scalar: its start is the best we can do


class Seq(Node):
    __slots__ = ("items",)
    kind = "list"

    def __init__(self, loc: Location, items: list[Node]):
        super().__init__(loc)
        self.items = items


class Map(Node):
    __slots__ = ("entries", "key_locs")
    kind = "mapping"

    def __init__(self, loc: Location, entries: dict[str, Node], key_locs: dict[str, Location]):
        super().__init__(loc)
        self.entries = entries
        self.key_locs = key_locs


def parse_yaml(text: str, path: str, diags: Diagnostics, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into positioned nodes; report syntax errors and return None."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(Location(path, line + line_offset, col), f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:
        diags.error(Location(path, 1 + line_offset, 1), f"YAML error: {exc}")
        return None
    except RecursionError:
        diags.error(Location(path, 1 + line_offset, 1), "YAML nested too deeply")
        return None
    if root is None:
        return None
    lines = text.split("\n") if "|" in text or ">" in text else None
    return _Converter(path, diags, line_offset, lines).convert(root, 0)


class _Converter:
    def __init__(self, path: str, diags: Diagnostics, line_offset: int, lines: list[str] | None):
        self.path = path
        self.diags = diags
        self.line_offset = line_offset
        self.lines = lines
        self.seen: set[int] = set()

    def loc(self, mark) -> Location:
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def convert(self, node, depth: int) -> Node | None:
        if id(node) in self.seen:
            return None  # an alias: reported by the parent, which knows where it was used
        self.seen.add(id(node))
        loc = self.loc(node.start_mark)
        if depth > MAX_DEPTH:
            self.diags.error(loc, f"values are nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.ScalarNode):
            tag = _TAGS.get(node.tag, "other")
            if tag == "other":
                self.diags.error(loc, f"unsupported YAML tag '{node.tag}'")
            return Scalar(loc, node.value, tag, node.style, self._block_indent(node))
        if isinstance(node, yaml.SequenceNode):
            items = []
            for child in node.value:
                item = self._child(child, depth, loc)
                if item is not None:
                    items.append(item)
            return Seq(loc, items)
        return self._mapping(node, loc, depth)

    def _child(self, child, depth: int, where: Location) -> Node | None:
        if id(child) in self.seen:
            self.diags.error(where, "YAML anchors and aliases (& and *) are not supported; write the value out")
            return None
        return self.convert(child, depth + 1)

    def _mapping(self, node, loc: Location, depth: int) -> Map:
        entries: dict[str, Node] = {}
        key_locs: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key_loc = self.loc(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.diags.error(key_loc, "keys must be plain names")
                continue
            key = key_node.value
            if key in entries or key in key_locs:
                first = key_locs[key]
                self.diags.error(key_loc, f"duplicate key '{key}' (first defined at line {first.line})")
                continue
            key_locs[key] = key_loc
            value = self._child(value_node, depth, key_loc)
            if value is not None:
                entries[key] = value
        return Map(loc, entries, key_locs)

    def _block_indent(self, node) -> int:
        """The indentation of a block scalar's content, so errors inside it get the right column."""
        if node.style not in ("|", ">") or self.lines is None:
            return 0
        for line in self.lines[node.start_mark.line + 1 :]:
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return 0

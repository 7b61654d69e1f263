"""The field types the content formats are declared with (`Text`, `Int`, `Date`, `Ref`, `Record`,
...): each converts a YAML node into a model value, or reports why it cannot, and describes itself
as JSON Schema (so editors' tools check what we check).

To add a field, edit `formats.py`, not this module: here only a new kind of value goes.

Nodes come from the base resolver, so every scalar is the text the editor wrote; the types
below decide what that text means (`157`, `true`, `2023-02`) and say so when it doesn't fit.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .diagnostics import Diagnostics, Location, closest, did_you_mean
from .model import MONTHS, PartialDate, Prose
from .slugs import SLUG_RE
from .yamlnodes import MAP_TAG, SEQ_TAG, STR_TAG, MappingNode, Node, ScalarNode, SequenceNode

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
INT_RE = re.compile(r"^[-+]?[0-9][0-9_]*$")
FLOAT_RE = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$")
NULLS = ("", "~", "null", "Null", "NULL")
TRUE = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON")
FALSE = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF")
# What `new council` writes where only the editor can know the value: `<one sentence ...>`.
PLACEHOLDER_RE = re.compile(r"^<[^<>\n]+>$")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
INVALID = object()  # returned after an error was reported for the value
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(slots=True)
class Context:
    """One document's conversion: where it is, where to report, where to record references."""

    path: str
    diags: Diagnostics
    markdown: Callable[[str, Callable[[int, int], Location], "Context"], Prose]
    line_offset: int = 0  # lines before the YAML starts (front matter)
    text: str = ""  # the YAML as written, to place errors inside block scalars
    refs: list[tuple[str, str, Location]] = field(default_factory=list)  # (namespace, id, where)
    current_field: str = ""  # the name of the field being converted, for messages
    dates: list[tuple[PartialDate, Location]] = field(default_factory=list)  # every date, for warnings
    links: list[tuple[str, Location]] = field(default_factory=list)  # links in prose, checked against the site

    def named(self, message: str) -> str:
        """`message` about the current field's value, naming the field: "'speaker' must be ..."."""
        return f"'{self.current_field}' {message}" if self.current_field else f"the value {message}"

    def loc(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def error(self, where: Node | Location, message: str) -> object:
        self.diags.error(where if isinstance(where, Location) else self.loc(where), message)
        return INVALID

    def text_location(self, node: ScalarNode) -> Callable[[int, int], Location]:
        """Maps (line, column) inside a scalar's value, both 0-based, to its place in the file."""
        start = self.loc(node)
        if node.style in ("|", ">"):
            lines = self.text.split("\n")[node.start_mark.line + 1:]
            first = next((line for line in lines if line.strip()), "")
            indent = len(first) - len(first.lstrip(" "))
            return lambda line, col: Location(self.path, start.line + 1 + line, indent + col + 1)
        quoted = 1 if node.style in ("'", '"') else 0
        return lambda line, col: (Location(self.path, start.line, start.column + quoted + col)
                                  if line == 0 else start)


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style and node.value in NULLS


def describe(node: Node) -> str:
    if isinstance(node, ScalarNode):
        if is_null(node):
            return "nothing"
        return f"'{node.value}'" if len(node.value) <= 40 else f"'{node.value[:37]}...'"
    return "a list" if isinstance(node, SequenceNode) else "a mapping"


class Type:
    expected = "a value"

    def convert(self, node: Node, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def scalar(self, node: Node, ctx: Context) -> str | None:
        """The scalar's text, or None after reporting that something else was found."""
        if isinstance(node, ScalarNode) and (node.style or node.value not in NULLS):  # not is_null(node)
            if node.tag != STR_TAG:
                ctx.error(node, f"YAML tags like '{node.tag}' are not supported; write the value plainly")
                return None
            return node.value
        ctx.error(node, f"expected {self.expected}, found {describe(node)}")
        return None

    def plain(self, node: Node, ctx: Context, pattern: re.Pattern) -> str | None:
        """An unquoted scalar matching `pattern` (numbers and booleans are never quoted)."""
        text = self.scalar(node, ctx)
        if text is None:
            return None
        if node.style or not pattern.match(text):
            ctx.error(node, f"expected {self.expected}, found {describe(node)}")
            return None
        return text


class Text(Type):
    """Plain text. One line unless `multiline`; bounded so hostile input stays small."""

    expected = "text"

    def __init__(self, max_length: int = 300, multiline: bool = False, pattern: str | None = None):
        self.max_length = max_length
        self.multiline = multiline
        self.pattern = pattern

    def convert(self, node, ctx):
        text = self.scalar(node, ctx)
        if text is None:
            return INVALID
        text = text.strip()
        if not text:
            return ctx.error(node, "must not be empty")
        if len(text) > self.max_length:
            return ctx.error(node, ctx.named(f"is {len(text)} characters long; the limit is {self.max_length}"))
        if not self.multiline and len(text.splitlines()) > 1:
            return ctx.error(node, ctx.named("must be a single line: join its lines into one"))
        tag = _HTML_TAG.search(text) if type(self) is Text and "<" in text else None
        if tag:
            ctx.diags.warning(ctx.text_location(node)(0, tag.start()) if "\n" not in text[:tag.start()]
                              else ctx.loc(node),
                              ctx.named(f"contains the HTML tag '{tag[0]}', which readers would see as typed: "
                                        "this field is plain text; remove the tag"))
        return text

    def json_schema(self):
        schema: dict = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema


class Slug(Text):
    def __init__(self):
        super().__init__(max_length=80, pattern=SLUG_RE.pattern)

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text is not INVALID and not SLUG_RE.match(text):
            return ctx.error(node, f"'{text}' is not a valid id: use lower-case letters, digits and single hyphens")
        return text


class Ref(Slug):
    """The id of another file (an article or a council), resolved after every file is read."""

    def __init__(self, namespace: str):
        super().__init__()
        self.namespace = namespace

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text is not INVALID:
            ctx.refs.append((self.namespace, text, ctx.loc(node)))
        return text


class CouncilOrName(Text):
    """A council's id (a reference, resolved once every file is read) or, for a body with no
    file of its own, its name as free text: anything written like an id is taken as one."""

    def __init__(self):
        super().__init__(max_length=120)

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text is not INVALID and SLUG_RE.match(text):
            ctx.refs.append(("council", text, ctx.loc(node)))
        return text


class Choice(Text):
    """One of fixed codes; `meanings` (code → what it means) become the editor's hover help."""

    def __init__(self, values: tuple[str, ...] | list[str], what: str, meanings: dict[str, str] | None = None):
        super().__init__()
        self.values = tuple(values)
        self.what = what
        self.meanings = meanings or {}

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text is INVALID or text in self.values:
            return text
        same = [v for v in self.values if _loose(v) == _loose(text)]
        if same:
            return ctx.error(node, f"unknown {self.what} '{text}': write it as '{same[0]}'")
        hint = did_you_mean(text, self.values) or f" (expected one of: {', '.join(self.values)})"
        return ctx.error(node, f"unknown {self.what} '{text}'{hint}")

    def json_schema(self):
        schema: dict = {"type": "string", "enum": list(self.values)}
        if self.meanings:
            schema["markdownEnumDescriptions"] = [f"`{v}`: {self.meanings[v]}" for v in self.values]
        return schema


def _loose(text: str) -> str:
    """A value as written in any case, with spaces, hyphens or underscores between its words."""
    return "-".join(re.split(r"[\s_-]+", text.strip().lower()))


class Url(Text):
    expected = "a web address"

    def __init__(self):
        super().__init__(max_length=2000)

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text is not INVALID and not URL_RE.match(text):
            return ctx.error(node, f"'{text[:80]}' is not a web address: it must start with http:// or https://")
        return text

    def json_schema(self):
        return {"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}


class Int(Type):
    expected = "a whole number"

    def __init__(self, minimum: int | None = 0, maximum: int | None = None):
        self.minimum = minimum
        self.maximum = maximum

    def convert(self, node, ctx):
        text = self.plain(node, ctx, INT_RE)
        if text is None:
            return INVALID
        if len(text) > 15:
            return ctx.error(node, f"the number {text[:20]}... is too large")
        value = int(text.replace("_", ""))
        if self.minimum is not None and value < self.minimum:
            return ctx.error(node, f"must be at least {self.minimum}, found {value}")
        if self.maximum is not None and value > self.maximum:
            return ctx.error(node, f"must be at most {self.maximum}, found {value}")
        return value

    def json_schema(self):
        schema: dict = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


class Float(Type):
    expected = "a number"

    def __init__(self, minimum: float, maximum: float):
        self.minimum = minimum
        self.maximum = maximum

    def convert(self, node, ctx):
        text = self.plain(node, ctx, FLOAT_RE)
        if text is None:
            return INVALID
        try:
            value = float(text.replace("_", ""))
        except ValueError:
            return ctx.error(node, f"expected a number, found {describe(node)}")
        if not self.minimum <= value <= self.maximum:
            return ctx.error(node, f"must be between {self.minimum} and {self.maximum}, found {text}")
        return value

    def json_schema(self):
        return {"type": "number", "minimum": self.minimum, "maximum": self.maximum}


class Bool(Type):
    expected = "true or false"

    def convert(self, node, ctx):
        text = self.scalar(node, ctx)
        if text is None:
            return INVALID
        if node.style or text not in TRUE + FALSE:
            return ctx.error(node, f"expected true or false, found {describe(node)}")
        return text in TRUE

    def json_schema(self):
        return {"type": "boolean"}


class Date(Type):
    """YYYY-MM-DD, YYYY-MM or YYYY, read as text and checked against the calendar."""

    expected = "a date (YYYY-MM-DD, YYYY-MM or YYYY)"

    def convert(self, node, ctx):
        text = self.scalar(node, ctx)
        if text is None:
            return INVALID
        value = parse_date(text.strip(), node, ctx)
        if value is not INVALID:
            ctx.dates.append((value, ctx.loc(node)))
        return value

    def json_schema(self):
        # One schema, not anyOf: a wrong date then gets the pattern's message, not "is not of type
        # 'integer'". A year alone is a number to YAML, so integers (1900-2100) are dates too.
        return {
            "type": ["string", "integer"],
            "pattern": r"^(19\d\d|20\d\d|2100)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
            "minimum": 1900,
            "maximum": 2100,
            "patternErrorMessage": "Not a date: write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-02-21, 2023-02 or 2023)",
            "description": "A date: YYYY-MM-DD, YYYY-MM or YYYY, as precise as the source allows.",
        }


def parse_date(text: str, node: Node, ctx: Context):
    m = DATE_RE.match(text)
    if not m:
        return ctx.error(node, f"'{text[:40]}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if not 1900 <= year <= 2100:
        return ctx.error(node, f"year {year} is out of range (1900-2100)")
    if m[2] is not None and not 1 <= month <= 12:
        return ctx.error(node, f"month must be 1-12, found {month}")
    if m[3] is not None:
        leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        last = _DAYS[month] + leap
        if not 1 <= day <= last:
            return ctx.error(node, f"day must be 1-{last} for {MONTHS[month]} {year}, found {day}")
    return PartialDate(year, month, day)


class Markdown(Type):
    expected = "Markdown text"

    def __init__(self, max_length: int = 20000):
        self.max_length = max_length

    def convert(self, node, ctx):
        text = self.scalar(node, ctx)
        if text is None:
            return INVALID
        if len(text) > self.max_length:
            return ctx.error(node, ctx.named(f"is {len(text)} characters long; the limit is {self.max_length}"))
        if not text.strip():
            return ctx.error(node, "must not be empty")
        return ctx.markdown(text, ctx.text_location(node), ctx)

    def json_schema(self):
        return {"type": "string", "minLength": 1, "maxLength": self.max_length}


class List(Type):
    def __init__(self, item: Type, min_items: int = 0, max_items: int = 500):
        self.item = item
        self.min_items = min_items
        self.max_items = max_items

    def convert(self, node, ctx):
        if not isinstance(node, SequenceNode) or node.tag != SEQ_TAG:
            return ctx.error(node, f"expected a list, found {describe(node)}")
        if len(node.value) < self.min_items:
            return ctx.error(node, f"needs at least {self.min_items} item(s)")
        if len(node.value) > self.max_items:
            return ctx.error(node, f"has {len(node.value)} items; the limit is {self.max_items}")
        values = [self.item.convert(item, ctx) for item in node.value]
        return INVALID if any(v is INVALID for v in values) else tuple(values)

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


def mapping(node: Node, ctx: Context, what: str) -> list[tuple[str, Node, Node]] | None:
    """(key, key node, value node) of a mapping, refusing duplicate and non-text keys."""
    if not isinstance(node, MappingNode) or node.tag != MAP_TAG:
        ctx.error(node, f"expected {what} as a mapping of fields, found {describe(node)}")
        return None
    pairs, first = [], {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key_node.tag != STR_TAG or not isinstance(key_node, ScalarNode) or key == "<<":
            ctx.error(key_node, "keys must be plain names")
        elif key in first:
            ctx.error(key_node, f"duplicate key '{key}' (first defined at line {ctx.loc(first[key]).line})")
        else:
            first[key] = key_node
            pairs.append((key, key_node, value_node))
    return pairs


@dataclass(frozen=True, slots=True)
class Field:
    type: Type
    required: bool = False
    doc: str = ""


class Record(Type):
    """A mapping with known fields; unknown keys are errors with a did-you-mean hint.

    With `cls`, the values become that dataclass, else a dict. The mapping's location goes to
    `origin` when asked or when `cls` has such a field. `check` runs cross-field rules once
    every field converted cleanly.
    """

    expected = "a mapping of fields"

    def __init__(self, what: str, fields: dict[str, Field], cls: type | None = None,
                 check: Callable[[dict, dict[str, Node], Context], None] | None = None, origin: bool = False):
        self.what = what
        self.fields = fields
        self.cls = cls
        self.check = check
        self.required = dict.fromkeys(k for k, f in fields.items() if f.required).keys()  # ordered, and a set
        self.wants_origin = origin or (cls is not None and "origin" in {f.name for f in dataclasses.fields(cls)})

    def convert(self, node, ctx, **extra):
        pairs = mapping(node, ctx, self.what)
        if pairs is None:
            return INVALID
        fields = self.fields
        values: dict[str, Any] = {}
        nodes: dict[str, Node] = {}
        meant: set[str] = set()  # fields a misspelt key stands for: not also reported missing
        ok = True
        outer = ctx.current_field
        for key, key_node, value_node in pairs:
            nodes[key] = value_node
            spec = fields.get(key)
            if spec is None:
                guess = closest(key, fields)
                meant.add(guess or "")
                hint = f" (did you mean '{guess}'?)" if guess else f" (expected one of: {', '.join(fields)})"
                ctx.error(key_node, f"unknown field '{key}' in {self.what}{hint}")
                ok = False
                continue
            if not spec.required and is_null(value_node):
                continue  # an optional field left empty is as good as absent
            if isinstance(value_node, ScalarNode) and value_node.value[:1] == "<" and PLACEHOLDER_RE.match(
                    value_node.value):
                ctx.error(value_node, f"fill in '{key}': it still holds the placeholder '{value_node.value}'")
                ok = False
                continue
            ctx.current_field = key
            value = spec.type.convert(value_node, ctx)
            ctx.current_field = outer
            if value is INVALID:
                ok = False
            else:
                values[key] = value
        if not nodes.keys() >= self.required:
            for key in self.required:  # in the order the fields are declared
                if key not in nodes and key not in meant:
                    ctx.error(node, f"{self.what} is missing required field '{key}'")
                    ok = False
        if not ok:
            return INVALID
        if self.check is not None:
            before = len(ctx.diags.items)
            self.check(values, nodes, ctx)
            if any(d.severity == "error" for d in ctx.diags.items[before:]):  # a warning keeps the value
                return INVALID
        if self.wants_origin:
            extra.setdefault("origin", ctx.loc(node))
        return values | extra if self.cls is None else self.cls(**values, **extra)

    def json_schema(self):
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [k for k, f in self.fields.items() if f.required],
            "properties": {k: _described(f) for k, f in self.fields.items()},
        }


def _described(f: Field) -> dict:
    """A field's schema with its doc first; a type's own description (a date's format) follows."""
    schema = f.type.json_schema()
    doc = f.doc if not f.doc or f.doc.endswith(".") else f.doc + "."
    text = " ".join(filter(None, [doc, schema.get("description")]))
    return schema | ({"description": text} if text else {})


class Dict(Type):
    """A mapping whose keys the editor chooses (slug syntax), all with values of one type."""

    def __init__(self, value: Type, min_items: int = 1, max_items: int = 200):
        self.value = value
        self.min_items = min_items
        self.max_items = max_items

    def convert(self, node, ctx):
        pairs = mapping(node, ctx, "codes and labels")
        if pairs is None:
            return INVALID
        if not self.min_items <= len(pairs) <= self.max_items:
            return ctx.error(node, f"needs {self.min_items} to {self.max_items} entries")
        values = {}
        for key, key_node, value_node in pairs:
            if not SLUG_RE.match(key):
                values[key] = ctx.error(key_node, f"'{key}' is not a valid code: use lower-case letters, digits and single hyphens")
                continue
            values[key] = self.value.convert(value_node, ctx)
        return INVALID if any(v is INVALID for v in values.values()) else values

    def json_schema(self):
        return {
            "type": "object",
            "minProperties": self.min_items,
            "maxProperties": self.max_items,
            "propertyNames": {"pattern": SLUG_RE.pattern},
            "additionalProperties": self.value.json_schema(),
        }

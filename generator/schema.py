"""Declarative field types: each converts a positioned YAML node into a model value, or reports
why it cannot, and describes itself as JSON Schema (so editors' tools check what we check).
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Callable

from .diagnostics import Diagnostics, Location, did_you_mean
from .model import PartialDate, Prose
from .yamlnodes import Map, Node, Scalar, Seq

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
INVALID = object()  # returned after an error was reported for the value


@dataclass(slots=True)
class Context:
    """What conversion needs besides the node: where to report, where to record references."""

    diags: Diagnostics
    refs: list[tuple[str, str, Location]]  # (namespace, id, where) to resolve once all files are read
    markdown: Callable[[str, Callable[[int, int], Location], "Context"], Prose]

    def error(self, node: Node | Location, message: str) -> object:
        self.diags.error(node if isinstance(node, Location) else node.loc, message)
        return INVALID


def describe(node: Node) -> str:
    if isinstance(node, Scalar):
        shown = node.text if len(node.text) <= 40 else node.text[:37] + "..."
        return "nothing" if node.tag == "null" else f"'{shown}'"
    return f"a {node.kind}"


class Type:
    expected = "a value"

    def convert(self, node: Node, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def scalar(self, node: Node, ctx: Context) -> Scalar | None:
        if isinstance(node, Scalar) and node.tag != "null":
            return node
        ctx.error(node, f"expected {self.expected}, found {describe(node)}")
        return None


class Text(Type):
    """Plain text. One line unless `multiline`; bounded so hostile input stays small."""

    expected = "text"

    def __init__(self, max_length: int = 300, multiline: bool = False, pattern: str | None = None):
        self.max_length = max_length
        self.multiline = multiline
        self.pattern = pattern

    def convert(self, node, ctx):
        s = self.scalar(node, ctx)
        if s is None:
            return INVALID
        text = s.text.strip()
        if not text:
            return ctx.error(node, "must not be empty")
        if len(text) > self.max_length:
            return ctx.error(node, f"is {len(text)} characters long; the limit is {self.max_length}")
        if not self.multiline and "\n" in text:
            return ctx.error(node, "must be a single line")
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
            ctx.refs.append((self.namespace, text, node.loc))
        return text


class Choice(Text):
    def __init__(self, values: tuple[str, ...] | list[str], what: str):
        super().__init__()
        self.values = tuple(values)
        self.what = what

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text is INVALID or text in self.values:
            return text
        hint = did_you_mean(text, self.values) or f" (expected one of: {', '.join(self.values)})"
        return ctx.error(node, f"unknown {self.what} '{text}'{hint}")

    def json_schema(self):
        return {"type": "string", "enum": list(self.values)}


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
        s = self.scalar(node, ctx)
        if s is None:
            return INVALID
        if s.tag != "int":
            return ctx.error(node, f"expected a whole number, found {describe(node)}")
        try:
            value = int(s.text.replace("_", ""), 0)
        except ValueError:
            return ctx.error(node, f"expected a whole number, found {describe(node)}")
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
        s = self.scalar(node, ctx)
        if s is None:
            return INVALID
        try:
            if s.tag not in ("int", "float"):
                raise ValueError
            value = float(s.text)
        except ValueError:
            return ctx.error(node, f"expected a number, found {describe(node)}")
        if not self.minimum <= value <= self.maximum:
            return ctx.error(node, f"must be between {self.minimum} and {self.maximum}, found {s.text}")
        return value

    def json_schema(self):
        return {"type": "number", "minimum": self.minimum, "maximum": self.maximum}


class Bool(Type):
    expected = "true or false"

    def convert(self, node, ctx):
        s = self.scalar(node, ctx)
        if s is None:
            return INVALID
        if s.tag != "bool":
            return ctx.error(node, f"expected true or false, found {describe(node)}")
        return s.text.lower() in ("true", "yes", "on")

    def json_schema(self):
        return {"type": "boolean"}


class Date(Type):
    """YYYY-MM-DD, YYYY-MM or YYYY, read as text and checked against the calendar."""

    expected = "a date (YYYY-MM-DD, YYYY-MM or YYYY)"

    def convert(self, node, ctx):
        s = self.scalar(node, ctx)
        if s is None:
            return INVALID
        return parse_date(s.text.strip(), node, ctx)

    def json_schema(self):
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"},
                {"type": "integer", "minimum": 1900, "maximum": 2100},
            ],
            "description": "A date: YYYY-MM-DD, YYYY-MM or YYYY",
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
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return ctx.error(node, f"day must be 1-{last} for {calendar.month_name[month]} {year}, found {day}")
    return PartialDate(year, month, day)


class Markdown(Type):
    expected = "Markdown text"

    def __init__(self, max_length: int = 20000):
        self.max_length = max_length

    def convert(self, node, ctx):
        s = self.scalar(node, ctx)
        if s is None:
            return INVALID
        if len(s.text) > self.max_length:
            return ctx.error(node, f"is {len(s.text)} characters long; the limit is {self.max_length}")
        if not s.text.strip():
            return ctx.error(node, "must not be empty")
        return ctx.markdown(s.text, s.text_location, ctx)

    def json_schema(self):
        return {"type": "string", "minLength": 1, "maxLength": self.max_length}


class List(Type):
    def __init__(self, item: Type, min_items: int = 0, max_items: int = 500):
        self.item = item
        self.min_items = min_items
        self.max_items = max_items

    def convert(self, node, ctx):
        if not isinstance(node, Seq):
            return ctx.error(node, f"expected a list, found {describe(node)}")
        if len(node.items) < self.min_items:
            return ctx.error(node, f"needs at least {self.min_items} item(s)")
        if len(node.items) > self.max_items:
            return ctx.error(node, f"has {len(node.items)} items; the limit is {self.max_items}")
        values = [self.item.convert(item, ctx) for item in node.items]
        return INVALID if any(v is INVALID for v in values) else tuple(values)

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


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
                 check: Callable[[dict, Map, Context], None] | None = None, origin: bool = False):
        self.what = what
        self.fields = fields
        self.cls = cls
        self.check = check
        self.wants_origin = origin or (cls is not None and "origin" in {f.name for f in dataclasses.fields(cls)})

    def convert(self, node, ctx, **extra):
        if not isinstance(node, Map):
            return ctx.error(node, f"expected {self.what} as a mapping of fields, found {describe(node)}")
        values: dict[str, Any] = {}
        ok = True
        for key, value_node in node.entries.items():
            spec = self.fields.get(key)
            if spec is None:
                hint = did_you_mean(key, self.fields) or f" (expected one of: {', '.join(self.fields)})"
                ctx.error(node.key_locs[key], f"unknown field '{key}' in {self.what}{hint}")
                ok = False
                continue
            if isinstance(value_node, Scalar) and value_node.tag == "null" and not spec.required:
                continue  # an optional field left empty is as good as absent
            value = spec.type.convert(value_node, ctx)
            if value is INVALID:
                ok = False
            else:
                values[key] = value
        for key, spec in self.fields.items():
            if spec.required and key not in values and key not in node.entries:
                ctx.error(node, f"{self.what} is missing required field '{key}'")
                ok = False
            elif spec.required and key in node.entries and key not in values and ok:
                ok = False
        if not ok:
            return INVALID
        if self.check is not None:
            before = len(ctx.diags.items)
            self.check(values, node, ctx)
            if len(ctx.diags.items) != before:
                return INVALID
        if self.wants_origin:
            extra.setdefault("origin", node.loc)
        return values | extra if self.cls is None else self.cls(**values, **extra)

    def json_schema(self):
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [k for k, f in self.fields.items() if f.required],
            "properties": {
                k: ({"description": f.doc} if f.doc else {}) | f.type.json_schema()
                for k, f in self.fields.items()
            },
        }


class Dict(Type):
    """A mapping whose keys the editor chooses (slug syntax), all with values of one type."""

    def __init__(self, value: Type, min_items: int = 1, max_items: int = 200):
        self.value = value
        self.min_items = min_items
        self.max_items = max_items

    def convert(self, node, ctx):
        if not isinstance(node, Map):
            return ctx.error(node, f"expected a mapping, found {describe(node)}")
        if not self.min_items <= len(node.entries) <= self.max_items:
            return ctx.error(node, f"needs {self.min_items} to {self.max_items} entries")
        values = {}
        for key, value_node in node.entries.items():
            if not SLUG_RE.match(key):
                ctx.error(node.key_locs[key], f"'{key}' is not a valid code: use lower-case letters, digits and single hyphens")
                values[key] = INVALID
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

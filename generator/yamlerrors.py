"""YAML syntax errors in plain words, at the line of the mistake.

The parser reports where it gave up, which is often a line or a file later than the mistake
("found unexpected end of stream" for a quote opened on line 2), in words only a programmer
knows. `explain` looks at the parser's marks and the text around them, recognises the slips
editors make (a tab, an unquoted `: `, an unclosed or curly quote, a value starting with a
character YAML reserves, a missing colon, a list item out of line) and says where each is and
what to do. The caller keeps the parser's own words at the end, for experts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

# A line's indentation, any `- ` of list items, then `key: ` if there is one.
_LEAD = re.compile(r"^(\s*)((?:-\s+)*)(?:((?:[^\s\"'#:-]|-\S)[^:#]*?|\"[^\"]*\"|'[^']*'):(?:\s+|$))?")
_FIELD_NAME = re.compile(r"^[A-Za-z_][\w-]*$")
CURLY = "\u201c\u201d\u2018\u2019"
RESERVED = "@`%*&!|>"
QUOTE_IT = "put the whole value in double quotes"


class Explained(NamedTuple):
    line: int  # 0-based, in the YAML text
    column: int  # 0-based
    message: str


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    lines = text.split("\n")
    problem, context = exc.problem or "", exc.context or ""
    pm = exc.problem_mark or exc.context_mark
    cm = exc.context_mark
    at = (pm.line, pm.column) if pm else (0, 0)
    ctx_at = (cm.line, cm.column) if cm else None
    for line in [at[0]] + ([ctx_at[0]] if ctx_at else []):
        found = _tab(lines, line)
        if found:
            return found
    if "quoted scalar" in context and ctx_at and ("end of stream" in problem or "document" in problem):
        quote = _char(lines, *ctx_at)
        return Explained(*ctx_at, f"the quote {quote} opened here is never closed: end the value with {quote}")
    if "escape" in problem and pm:
        return Explained(*at, "a backslash inside double quotes starts a special character: write \\\\ for a "
                              "backslash, or use single quotes around the value")
    opened = _open_bracket(lines, at) if "flow" in context else None
    if opened:
        opener = _char(lines, *opened)
        return Explained(*opened, f"the '{opener}' here starts a list or mapping that is never closed with "
                                  f"'{_CLOSERS[opener]}': if the value is text, {QUOTE_IT}")
    unclosed = _unclosed_quote(lines, at[0])
    if unclosed:
        return unclosed
    indent, dashes, key, value_col = _parts(lines, at[0])
    value = lines[at[0]][value_col:] if at[0] < len(lines) else ""
    if value and value[0] in CURLY:
        return Explained(at[0], value_col, f"curly quotes ({CURLY[0]} {CURLY[1]}) do not quote a value in YAML: "
                                           "use straight double quotes (\") around the value")
    if "mapping values" in problem:
        if key is not None and at[1] >= value_col:
            return Explained(at[0], value_col, f"this text contains ': ', which YAML reads as the start of a "
                                               f"field: {QUOTE_IT}")
        return Explained(at[0], indent, "this line is indented more than the line above it: line it up with "
                                        "the other fields at its level (with spaces)")
    first = _char(lines, *at)
    if ("cannot start any token" in problem or "alias" in problem) and first and first in RESERVED:
        return Explained(*at, f"a value cannot start with '{first}' in YAML: {QUOTE_IT}")
    if "could not find expected ':'" in problem and ctx_at:
        return _missing_colon(lines, *ctx_at)
    if "expected" in problem and pm:
        return _out_of_line(lines, at, dashes, indent, ctx_at if "block collection" in context else None)
    return Explained(*at, "the layout of the file is broken here: check the indentation (spaces, not tabs), "
                          f"the '-' of list items, and put text containing ': ' in double quotes")


_CLOSERS = {"[": "]", "{": "}"}


def _open_bracket(lines: list[str], until: tuple[int, int]) -> tuple[int, int] | None:
    """The outermost '[' or '{' still open at `until`, skipping quoted text and comments."""
    stack: list[tuple[int, int]] = []
    for number in range(min(until[0] + 1, len(lines))):
        text = lines[number] if number < until[0] else lines[number][:until[1]]
        i = 0
        while i < len(text):
            c = text[i]
            if c in "\"'" and (i == 0 or text[i - 1] in " [{,:"):
                end = _closes(text, i + 1, c)
                i = len(text) if end is None else end + 1
                continue
            if c == "#" and (i == 0 or text[i - 1] == " "):
                break
            if c in _CLOSERS:
                stack.append((number, i))
            elif c in "]}" and stack:
                stack.pop()
            i += 1
    return stack[0] if stack else None


def _char(lines: list[str], line: int, column: int) -> str:
    return lines[line][column:column + 1] if line < len(lines) else ""


def _parts(lines: list[str], line: int) -> tuple[int, bool, str | None, int]:
    """(indentation, whether it is a list item, the key or None, where the value starts)."""
    text = lines[line] if line < len(lines) else ""
    m = _LEAD.match(text)
    return len(m[1]), bool(m[2]), m[3], m.end()


def _tab(lines: list[str], line: int) -> Explained | None:
    text = lines[line] if line < len(lines) else ""
    lead = text[: len(text) - len(text.lstrip(" \t-"))]
    if "\t" in lead:
        return Explained(line, lead.index("\t"), "a tab is used to indent this line: YAML needs spaces; "
                                                 "replace the tab with spaces")
    return None


def _unclosed_quote(lines: list[str], until: int) -> Explained | None:
    """A value opened with a quote that its line never closes, whose closing quote, on a later
    line, was meant to open another value: the parser then gives up far from the mistake."""
    for number in range(min(until, len(lines))):
        _, _, key, col = _parts(lines, number)
        quote = lines[number][col:col + 1]
        if quote not in ("'", '"') or _closes(lines[number], col + 1, quote) is not None:
            continue
        for later in range(number + 1, min(until + 1, len(lines))):
            end = _closes(lines[later], 0, quote)
            if end is None:
                continue
            _, _, _, later_col = _parts(lines, later)
            if end == later_col:
                return Explained(number, col, f"the quote {quote} opened here is never closed: end the value "
                                              f"with {quote}")
            break
    return None


def _closes(text: str, start: int, quote: str) -> int | None:
    """Where `quote` closes a quoted value in `text` from `start`, or None."""
    i = start
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _missing_colon(lines: list[str], line: int, column: int) -> Explained:
    words = lines[line][column:].strip().split(None, 1)
    if len(words) == 2 and _FIELD_NAME.match(words[0]):
        return Explained(line, column, f"missing ':' after the field name: write '{words[0]}: {words[1]}'")
    return Explained(line, column, "this line has no ':' after a field name: add one, or if the line "
                                   "continues the text above, indent it")


def _out_of_line(lines: list[str], at: tuple[int, int], dash: bool, indent: int,
                 first_item: tuple[int, int] | None) -> Explained:
    if dash:
        if first_item is None:
            first_item = next(((n, _parts(lines, n)[0]) for n in range(at[0] - 1, -1, -1)
                               if _parts(lines, n)[1] and _parts(lines, n)[0] != indent), None)
        where = (f": put its '-' in column {first_item[1] + 1}, like line {first_item[0] + 1}"
                 if first_item else "")
        return Explained(at[0], indent, f"this list item is not lined up with the items above it{where}")
    return Explained(at[0], indent, "this line is not lined up with the lines above it: indent it exactly as "
                                    "much as the other fields at its level (with spaces)")

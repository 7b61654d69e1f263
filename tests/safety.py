"""What must never appear in a built page, whatever the content said."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)
ACTIVE_TAGS = ("iframe", "object", "embed", "meta[http-equiv=refresh]")


def dangers(doc: BeautifulSoup) -> list[str]:
    """Every element or attribute in `doc` that could run code or leave the page unasked."""
    found = []
    for tag in doc.find_all(True):
        for name, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            if name in ("href", "src", "action", "formaction") and any(UNSAFE_SCHEME.match(v) for v in values):
                found.append(f"<{tag.name} {name}={value!r}>")
        if tag.name == "script" and (tag.string or "").strip() and not _is_data(tag):
            found.append("inline <script>")
        if tag.name == "base" and tag.find_parent("head") is None:
            found.append("<base> outside <head>")
    found += [f"<{t.name}>" for selector in ACTIVE_TAGS for t in doc.select(selector)]
    return found


def _is_data(script) -> bool:
    """A JSON(-LD) block that parses whole: data the browser never runs, and no text broke out of it."""
    if script.get("type") not in ("application/ld+json", "application/json"):
        return False
    try:
        json.loads(script.string)
    except ValueError:
        return False
    return True

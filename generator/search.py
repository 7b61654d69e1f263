"""The site search index, made at build time: one record per council, source, event and page.

It is written as a script that assigns the JSON to `window.searchIndex`, not as a `.json` file,
so that `search/` also works when the built files are opened straight from disk (browsers
refuse `fetch()` on file: addresses but run a same-folder script).
"""

from __future__ import annotations

import html
import json
import re

from .markdown import PLACEHOLDER_RE
from .model import Prose, Site

INDEX_PATH = "search/index.js"
_TAG_RE = re.compile(r"<[^>]+>")


def plain(prose: Prose | None) -> str:
    """Prose as plain text: no tags, no citation markers."""
    if prose is None:
        return ""
    text = prose.html
    if "\x00" in text:
        text = PLACEHOLDER_RE.sub("", text)
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split())


def records(site: Site) -> list[dict]:
    """Search records: kind, title, site-relative url, a one-line summary, and text to match."""
    config, names = site.config, {c.slug: c.name for c in site.councils}
    found = []
    for c in site.councils:
        found.append({"k": "Council", "t": c.name, "u": f"councils/{c.slug}/",
                      "s": f"{config.statuses[c.status].label}. {c.status_summary}",
                      "x": " ".join(filter(None, [c.former_name, c.region, config.kinds[c.kind], plain(c.notes)]))})
    for a in site.articles.values():
        found.append({"k": "Source", "t": a.title, "u": f"sources/#{a.id}",
                      "s": " · ".join(filter(None, [a.publisher, a.author, a.date.display])),
                      "x": plain(a.summary)})
    for e in site.timeline:
        who = names[e.council] + ": " if e.council else ""
        found.append({"k": "Event", "t": f"{who}{e.title}", "u": f"timeline/#{e.anchor}",
                      "s": e.date.display, "x": plain(e.summary)})
    pages = ([site.home] if site.home else []) + list(site.pages)
    for p in pages:
        found.append({"k": "Page", "t": p.title, "u": "" if p.slug == "index" else f"{p.slug}/",
                      "s": p.description, "x": plain(p.body)})
    return found


def index_script(site: Site) -> bytes:
    data = json.dumps(records(site), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.searchIndex = {data};\n".encode("utf-8")

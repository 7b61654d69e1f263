"""The site search's data: one record per council, source, event and page, which the browser
indexes with lunr.js when the search page opens (assets/search.js).

The index file is a join of per-record pieces: `record_json` makes one record's JSON text and
`join` concatenates such pieces, with the settings the browser needs (the fields and
how much a match in each counts, the synonym groups of site.yaml), without parsing them again.
So a build that keeps each record's piece remakes only the pieces of the records that changed,
and the file is the same bytes however it was assembled.

The browser, not the build, splits the text into words, folds accents, drops common words
("the", "of"), reduces each word to its Porter stem and maps each synonym to its group's first
word, for the records and for the words typed alike: one implementation, so the two cannot
disagree.

It is written as a script that assigns to `window.searchIndex`, not as a `.json` file, so that
`search/` also works when the built files are opened straight from disk (browsers refuse
`fetch()` on file: addresses but run a same-folder script).
"""

from __future__ import annotations

import html
import json
import re
from functools import partial
from typing import Callable, Mapping

from .markdown import PLACEHOLDER_RE
from .model import Article, Config, Council, Event, Page, Prose, Site

INDEX_PATH = "search/index.js"
# The fields searched, and how much a match in each counts: a title match ranks first.
FIELDS = (("t", 10), ("s", 3), ("x", 1))
KINDS = ("Council", "Event", "Source", "Page")  # the type filter's options, in this order
_TAG_RE = re.compile(r"<[^>]+>")
_PREFIX = "window.searchIndex = "


def plain(prose: Prose | None) -> str:
    """Prose as plain text: no tags, no citation markers."""
    if prose is None:
        return ""
    text = prose.html
    if "\x00" in text:
        text = PLACEHOLDER_RE.sub("", text)
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split())


# One record: kind (k), title (t), site-relative url (u), a one-line summary (s), text to match (x).

def council_record(council: Council, config: Config) -> dict:
    return {"k": "Council", "t": council.name, "u": f"councils/{council.slug}/",
            "s": f"{config.statuses[council.status].label}. {council.status_summary}",
            "x": " ".join(filter(None, [council.former_name, council.region, config.kinds[council.kind],
                                        plain(council.notes)]))}


def article_record(article: Article) -> dict:
    return {"k": "Source", "t": article.title, "u": f"sources/#{article.id}",
            "s": " · ".join(filter(None, [article.publisher, article.author, article.date.display])),
            "x": plain(article.summary)}


def event_record(event: Event, names: Mapping[str, str]) -> dict:
    """A timeline event; `names` maps council slugs to names, for a council's own events."""
    who = names[event.council] + ": " if event.council else ""
    return {"k": "Event", "t": f"{who}{event.title}", "u": f"timeline/#{event.anchor}",
            "s": event.date.display, "x": plain(event.summary)}


def page_record(page: Page) -> dict:
    return {"k": "Page", "t": page.title, "u": "" if page.slug == "index" else f"{page.slug}/",
            "s": page.description, "x": plain(page.body)}


def records(site: Site) -> list[tuple[str, str, object]]:
    """Every record as (kind, id, the model object it shows), in the index's order (its piece is
    named by `piece_name`)."""
    pages = ([site.home] if site.home else []) + list(site.pages)
    return ([("council", c.slug, c) for c in site.councils]
            + [("source", a.id, a) for a in site.articles.values()]
            + [("event", e.anchor, e) for e in site.timeline]
            + [("page", p.slug, p) for p in pages])


def makers(site: Site) -> dict[str, Callable[[object], dict]]:
    """Kind of record → how to make its record."""
    names = {c.slug: c.name for c in site.councils}
    return {"council": partial(council_record, config=site.config), "source": article_record,
            "event": partial(event_record, names=names), "page": page_record}


def join(site: Site, made) -> str:
    """The index file, from the pieces made by `record_json`, by name (`made`: see
    pieces.Placeholders)."""
    names = [piece_name(kind, ident) for kind, ident, _ in records(site)]
    settings = _json({"fields": [{"name": name, "boost": boost} for name, boost in FIELDS],
                      "synonyms": [list(group) for group in site.config.search.synonyms]})
    records_text = "[\n" + made.run(names, ",\n") + "\n]" if names else "[]"
    return f'{_PREFIX}{settings[:-1]},"records":{records_text}}};\n'


def piece_name(kind: str, ident: str) -> str:
    """The name of a record's piece of the index file (see pieces.py)."""
    return f"search/{kind}/{ident}"


def _json(value: object) -> str:
    """Compact JSON with keys in sorted order: the same value is always the same text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def record_json(record: Mapping[str, str]) -> str:
    """One record's piece of the index file."""
    return _json(record)

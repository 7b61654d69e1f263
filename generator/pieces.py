"""The per-record parts of the pages and files that list every record. A council has five
pieces: its row of the councils table, its line in the home page's list by status, its line of
councils.json, its row of councils.csv and its record of the search index. An event has its entry
of the timeline, a source its entry of the sources page, each with their downloads' lines and
search records; a page has its search record. The home page's map, which shows every council,
is a piece too. The listing pages and files are joined from the pieces (their templates read them
from `pieces`, by name).

A record's pieces are made and kept together (by name), under one key: like a route, a `Record`
names the content files it shows (`inputs`) and what else it shows that other files can change
(`derived`), so the key is a hash of those, and only the records whose key changed are rendered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import jinja2

from . import data, search
from .model import Article, Council, Event, Site
from .render import SOURCES_PAGE, TIMELINE_PAGE, Route, article_files

# Each kind's pieces made with a template, in the order they are kept: (name prefix, template,
# the listing page whose context it is rendered with, the name the template knows the record by).
_TEMPLATED = {
    "council": (("councils-row", "partials/council_row.html", "councils/index.html", "c"),
                ("home-council", "partials/home_council.html", "index.html", "c")),
    "event": (("timeline-event", "partials/timeline_event.html", TIMELINE_PAGE, "event"),),
    "source": (("source", "partials/source.html", SOURCES_PAGE, "a"),),
    "page": (),
    "map": (("map", "partials/home_map.html", "index.html", None),),
}
_SEARCHED = ("council", "event", "source", "page")
_TEMPLATES_OF = {kind: tuple(template for _, template, _, _ in parts) for kind, parts in _TEMPLATED.items()}


@dataclass(frozen=True, slots=True)
class Record:
    """One record, whose pieces are made and kept together."""

    kind: str  # council, event, source, page or map
    ident: str
    record: object
    inputs: tuple[str, ...]
    derived: tuple = ()

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.ident}"


def templates_of(kind: str) -> tuple[str, ...]:
    return _TEMPLATES_OF[kind]


def names(record: Record) -> list[str]:
    """Its pieces' names, in the order `render` makes them."""
    kind, ident = record.kind, record.ident
    return ([f"{prefix}/{ident}" for prefix, _, _, _ in _TEMPLATED[kind]]
            + [data.piece_name(path, ident) for path in data.RECORD_FILES.get(kind, ())]
            + ([search.piece_name(kind, ident)] if kind in _SEARCHED else []))


def records(site: Site, routes: list[Route]) -> list[Record]:
    """Every record with pieces, in a fixed order."""
    cited_by = next(r.context for r in routes if r.path == SOURCES_PAGE)["cited_by"]
    backlinks = {ident: tuple((c.label, c.path) for c in citers) for ident, citers in cited_by.items()}
    found = [Record("council", c.slug, c, *shows(site, c, backlinks)) for c in site.councils]
    found += [Record("event", e.anchor, e, *shows(site, e, backlinks)) for e in site.timeline]
    found += [Record("source", a.id, a, *shows(site, a, backlinks)) for a in site.articles.values()]
    found += [Record("page", p.slug, p, *shows(site, p, backlinks))
              for p in ([site.home] if site.home else []) + list(site.pages)]
    # The map shows each council's name, status and place (and the map outline, a template).
    found.append(Record("map", "uk", None, (), tuple((c.slug, c.name, c.status, c.lat, c.lon) for c in site.councils)))
    return found


@dataclass(frozen=True, slots=True)
class Makers:
    """What rendering a record's pieces needs: made once per build, and only if one must be."""

    contexts: dict[str, dict]  # listing page → its context
    data: dict[str, tuple[Callable[[object], str], ...]]  # kind → (make its line of each download)
    search: dict[str, Callable[[object], dict]]  # kind → make its search record


def makers(site: Site, routes: list[Route]) -> Makers:
    contexts = {r.path: r.context for r in routes if r.template}
    return Makers(contexts, data.makers(site, contexts[SOURCES_PAGE]["cited_by"]), search.makers(site))


def render(record: Record, env: jinja2.Environment, makers: Makers) -> list[str]:
    """Its pieces' texts, in the order of `names`: HTML for a listing template, lines of data."""
    obj = record.record
    texts = [env.get_template(template).render(makers.contexts[page], **({var: obj} if var else {}))
             for _, template, page, var in _TEMPLATED[record.kind]]
    texts += [make(obj) for make in makers.data.get(record.kind, ())]
    if record.kind in _SEARCHED:
        texts.append(search.record_json(makers.search[record.kind](obj)))
    return texts


def shows(site: Site, record, backlinks: dict[str, tuple]) -> tuple[tuple[str, ...], tuple]:
    """(inputs, derived) of a record's pieces: the content files they show, and what else they
    show that other files decide."""
    if isinstance(record, Council):  # whether its status is old, its successor, its events' anchors
        return (record.origin.path,), (record.slug in site.stale, record.successor, record.successor_slug,
                                       tuple(e.anchor for e in record.events))
    if isinstance(record, Event):  # the sources it cites (their publisher and date), its anchor
        cited = (*record.sources, *(record.summary.citations if record.summary else ()))
        return (record.origin.path, *article_files(cited)), (record.anchor,)
    if isinstance(record, Article):  # the sources its summary cites; what cites it
        return (record.origin.path, *article_files(record.summary.citations)), backlinks.get(record.id, ())
    return (record.origin.path,), ()  # a page

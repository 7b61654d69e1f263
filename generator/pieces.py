"""The per-record parts of the pages and files that list every record: each council's row of the
councils table and its line in the home page's list by status, each event of the timeline, each source of the sources page, each record of the
downloads and of the search index. A build renders a piece only when what it shows changed, and the listing pages and
files are joined from the pieces (their templates read them from `pieces`).

Like a route, a piece names the content files it shows (`inputs`) and what else it shows that
other files can change (`derived`), so its key is a hash of those.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import jinja2

from . import data, search
from .model import Article, Council, Event, Site
from .render import SOURCES_PAGE, TIMELINE_PAGE, Route, article_files


@dataclass(frozen=True, slots=True)
class Piece:
    """One record's part of a listing page or file."""

    name: str  # as the listing templates and files ask for it
    template: str | None  # rendered with the page's `context` and the record as `var`, or
    context: dict | None
    var: str | None
    record: object
    make: Callable[[], str] | None  # made by this
    inputs: tuple[str, ...]
    derived: tuple = ()


def pieces(site: Site, routes: list[Route]) -> list[Piece]:
    """Every piece of every listing page and file, in a fixed order."""
    context = {r.path: r.context for r in routes if r.template}
    home, councils = context["index.html"], context["councils/index.html"]
    timeline, sources = context[TIMELINE_PAGE], context[SOURCES_PAGE]
    backlinks = {ident: tuple((c.label, c.path) for c in citers) for ident, citers in sources["cited_by"].items()}
    found = []
    for c in site.councils:
        found.append(Piece(f"councils-row/{c.slug}", "partials/council_row.html", councils, "c", c, None,
                           (c.origin.path,), (c.slug in site.stale, c.successor, c.successor_slug)))
        found.append(Piece(f"home-council/{c.slug}", "partials/home_council.html", home, "c", c, None,
                           (c.origin.path,)))
    for e in site.timeline:
        found.append(Piece(f"timeline-event/{e.anchor}", "partials/timeline_event.html", timeline, "event", e,
                           None, _event_inputs(e), (e.anchor,)))
    for a in site.articles.values():
        found.append(Piece(f"source/{a.id}", "partials/source.html", sources, "a", a, None,
                           _article_inputs(a), backlinks.get(a.id, ())))
    for name, obj, make in data.records(site, sources["cited_by"]):
        found.append(Piece(name, None, None, None, obj, make, *_record_inputs(obj, backlinks)))
    for name, obj, make in search.pieces(site):
        found.append(Piece(name, None, None, None, obj, partial(_search_piece, make), *_record_inputs(obj, backlinks)))
    return found


def render_piece(piece: Piece, env: jinja2.Environment) -> str:
    """The piece's text: HTML for a listing template, or a line of data."""
    if piece.make is not None:
        return piece.make()
    return env.get_template(piece.template).render(piece.context, **{piece.var: piece.record})


def _search_piece(make) -> str:
    return search.record_json(make())


def _record_inputs(obj, backlinks: dict[str, tuple]) -> tuple[tuple[str, ...], tuple]:
    """What a data or search record shows: its own file, and what other files decide."""
    if isinstance(obj, Council):  # its events' links and its successor come from elsewhere
        return (obj.origin.path,), (tuple(e.anchor for e in obj.events), obj.successor, obj.successor_slug)
    if isinstance(obj, Event):  # its anchor, and the name of its council (in the same file)
        return (obj.origin.path,), (obj.anchor,)
    if isinstance(obj, Article):  # what cites it
        return (obj.origin.path,), backlinks.get(obj.id, ())
    return (obj.origin.path,), ()  # a page


def _event_inputs(e) -> tuple[str, ...]:
    cited = (*e.sources, *(e.summary.citations if e.summary else ()))
    return (e.origin.path, *article_files(cited))


def _article_inputs(a) -> tuple[str, ...]:
    return (a.origin.path, *article_files(a.summary.citations))

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
    """Every piece of every listing page and file, in a fixed order. All the pieces of one
    record share what they are said to show (`shows`), so that they share one key digest."""
    context = {r.path: r.context for r in routes if r.template}
    home, councils = context["index.html"], context["councils/index.html"]
    timeline, sources = context[TIMELINE_PAGE], context[SOURCES_PAGE]
    backlinks = {ident: tuple((c.label, c.path) for c in citers) for ident, citers in sources["cited_by"].items()}
    shown: dict[int, tuple] = {}

    def piece(name, template, page, var, record, make=None) -> Piece:
        found = shown.get(id(record))
        if found is None:
            found = shown[id(record)] = shows(site, record, backlinks)
        return Piece(name, template, page, var, record, make, *found)

    found = []
    for c in site.councils:
        found.append(piece(f"councils-row/{c.slug}", "partials/council_row.html", councils, "c", c))
        found.append(piece(f"home-council/{c.slug}", "partials/home_council.html", home, "c", c))
    for e in site.timeline:
        found.append(piece(f"timeline-event/{e.anchor}", "partials/timeline_event.html", timeline, "event", e))
    for a in site.articles.values():
        found.append(piece(f"source/{a.id}", "partials/source.html", sources, "a", a))
    for name, obj, make in data.records(site, sources["cited_by"]):
        found.append(piece(name, None, None, None, obj, make))
    for name, obj, make in search.pieces(site):
        found.append(piece(name, None, None, None, obj, partial(_search_piece, make)))
    return found


def render_piece(piece: Piece, env: jinja2.Environment) -> str:
    """The piece's text: HTML for a listing template, or a line of data."""
    if piece.make is not None:
        return piece.make()
    return env.get_template(piece.template).render(piece.context, **{piece.var: piece.record})


def _search_piece(make) -> str:
    return search.record_json(make())


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

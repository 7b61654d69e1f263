"""The per-record parts of the pages and files that list every record. A council has five
pieces: its row of the councils table, its line in the home page's list by status, its line of
councils.json, its row of councils.csv and its record of the search index. An event has its entry
of the timeline, a source its entry of the sources page, each with their downloads' lines and
search records; a page has its search record. The home page's map, which shows every council,
is a piece too. The listing pages and files are joined from the pieces (their templates read them
from `pieces`: by name, or many at once with `pieces.lines`).

A record's pieces are made together, under one key: like a route, a `Record` names the content
files it shows (`inputs`) and what else it shows that other files can change (`derived`), so the
key is a hash of those, and only the records whose key changed are rendered again. The others'
pieces are read back from the listing outputs of the last build, which hold them (see `join`).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate, islice, repeat
from operator import add
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

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
TEMPLATES = tuple(sorted({template for templates in _TEMPLATES_OF.values() for template in templates}))


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


def _prefixes(kind: str) -> list[str]:
    """What the names of a kind's pieces start with (each is followed by the record's ident),
    in the order `render` makes them."""
    return ([f"{prefix}/" for prefix, _, _, _ in _TEMPLATED[kind]]
            + [data.piece_name(path, "") for path in data.RECORD_FILES.get(kind, ())]
            + ([search.piece_name(kind, "")] if kind in _SEARCHED else []))


_PREFIXES = {kind: _prefixes(kind) for kind in _TEMPLATED}


def names(record: Record) -> list[str]:
    """Its pieces' names, in the order `render` makes them."""
    ident = record.ident
    return [prefix + ident for prefix in _PREFIXES[record.kind]]


def incomplete(records: list[Record], found: Mapping) -> set[tuple[str, str]]:
    """The (kind, ident) of each record with a piece missing from `found`."""
    idents: dict[str, list[str]] = {}
    for record in records:
        idents.setdefault(record.kind, []).append(record.ident)
    return {(kind, ident) for kind, group in idents.items() for prefix in _PREFIXES[kind]
            for ident in group if prefix + ident not in found}


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


# -- joining the listing outputs ----------------------------------------------------------------
#
# A listing output is rendered with a placeholder for each piece, and then made by putting each
# piece's bytes in its placeholder's place. So the pieces are never decoded or joined as text, and
# the output's `Layout` (where each piece's bytes are) lets the next build take a kept record's
# pieces from the output itself instead of from a cache of their own.

_MARK = "\0"  # around a placeholder (a page with a NUL of its own is made as text instead: see `join`)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each piece is in a listing output's bytes: `names[i]` at `starts[i]`, for
    `lengths[i]` bytes."""

    names: tuple[str, ...]
    starts: array
    lengths: array


class _Pieces(Mapping):
    """The pieces' bytes (`made`), as a listing output is given them as `pieces`: by name, or
    many at once (`lines` for a template, `run`)."""

    __slots__ = ("made",)

    def __init__(self, made: Mapping[str, bytes]):
        self.made = made

    def __iter__(self):
        return iter(self.made)

    def __len__(self) -> int:
        return len(self.made)

    def lines(self, prefix: str, idents) -> Markup:
        """For a template: the pieces named `prefix` + each ident, one a line."""
        return Markup(self.run([prefix + ident for ident in idents], "\n"))

    def run(self, names: list[str], separator: str) -> str:
        """The pieces `names`, in order, with `separator` between them."""
        raise NotImplementedError

    def size(self, names: list[str]) -> int:
        """The pieces' length in bytes."""
        return sum(map(len, map(self.made.__getitem__, names)))


class Placeholders(_Pieces):
    """Name → a placeholder, which `join` replaces with the piece's bytes, noting what each
    placeholder stands for. A template that forgets `| safe` escapes the placeholder's `<`, so
    `join` does not take it for one."""

    __slots__ = ("asked",)

    def __init__(self, made: Mapping[str, bytes]):
        super().__init__(made)
        self.asked: list[tuple[tuple[str, ...], bytes]] = []  # (names, separator) of each placeholder

    def __getitem__(self, name: str) -> str:
        if name not in self.made:
            raise KeyError(name)
        return self._placeholder((name,), b"")

    def run(self, names: list[str], separator: str) -> str:
        names = tuple(names)
        if not all(map(self.made.__contains__, names)):
            raise KeyError(next(name for name in names if name not in self.made))
        return self._placeholder(names, separator.encode("utf-8"))

    def _placeholder(self, names: tuple[str, ...], separator: bytes) -> str:
        self.asked.append((names, separator))
        return f"{_MARK}{len(self.asked) - 1}<{_MARK}"


def join(text: str, placeholders: Placeholders) -> tuple[bytes, Layout] | None:
    """`text` (rendered with `placeholders`) with the pieces' bytes in their places, and where
    they are; None if its placeholders are not all there, intact and in order."""
    parts = text.split(_MARK)
    asked = placeholders.asked
    if len(parts) != 2 * len(asked) + 1:
        return None
    get = placeholders.made.__getitem__
    chunks, names, starts, lengths = [], [], array("q"), array("q")
    offset = 0
    for i, part in enumerate(parts):
        if i % 2 == 0:
            chunk = part.encode("utf-8")
        elif part == f"{i // 2}<":
            run, separator = asked[i // 2]
            found = list(map(get, run))
            chunk = separator.join(found)
            sizes = array("q", map(len, found))
            names += run
            lengths += sizes
            steps = map(add, sizes, repeat(len(separator))) if separator else sizes
            starts += array("q", islice(accumulate(steps, initial=offset), len(run)))
        else:
            return None
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks), Layout(tuple(names), starts, lengths)


def placed(out: Path, layouts: Mapping[str, Layout],
           intact: Callable[[str], bool]) -> tuple[dict[str, memoryview], dict[str, bytes]]:
    """Each piece the last build put in a listing output still as it left it (`intact`), by name:
    its bytes, read from that output; and each such output's bytes."""
    found, read = {}, {}
    for path, layout in layouts.items():
        if not intact(path):
            continue
        try:
            read[path] = (out / path).read_bytes()
        except OSError:
            continue
        view = memoryview(read[path])
        ends = map(add, layout.starts, layout.lengths)
        found.update(zip(layout.names, map(view.__getitem__, map(slice, layout.starts, ends))))
    return found, read


class Texts(_Pieces):
    """The pieces as text, for a template that does not leave its placeholders intact."""

    __slots__ = ()

    def __getitem__(self, name: str) -> str:
        return bytes(self.made[name]).decode("utf-8")

    def run(self, names: list[str], separator: str) -> str:
        return separator.join(map(self.__getitem__, names))

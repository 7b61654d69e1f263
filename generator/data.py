"""The open data downloads: councils, timeline and sources, each as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import partial
from collections.abc import Mapping
from typing import Callable

from .backlinks import Citer
from .model import Article, Council, Event, PartialDate, Site

CSV_COLUMNS = (
    "slug", "name", "former_name", "kind", "region", "status", "status_summary", "status_as_of",
    "status_source", "cameras_total", "cameras_hikvision", "camera_locations", "cameras_as_of",
    "cameras_source", "contract_values_gbp", "last_reviewed", "lat", "lon", "url",
)


@dataclass(frozen=True, slots=True)
class DataFile:
    """One download, as the data page describes it: what it holds and what each field means."""

    path: str
    media_type: str
    title: str
    description: str
    fields: tuple[tuple[str, str], ...]


_COUNCIL_FIELDS = (
    ("slug", "The council's identifier, as in its page address."),
    ("name", "The council's current name."),
    ("former_name", "The name used in the sources, when it has since changed."),
    ("kind", "county, district, unitary, metropolitan, london-borough or other."),
    ("region", "The English region, or Scotland, Wales or Northern Ireland."),
    ("lat, lon", "Where the council is placed on the map (decimal degrees), if known."),
    ("abolished", "When the council ceased to exist (YYYY-MM-DD, YYYY-MM or YYYY), if it has."),
    ("successor", "The council that took over its services, if it was abolished."),
    ("successor_slug", "The successor's identifier, when the successor has a page here."),
    ("status", "removed, replacing, phasing-out, paused, under-review, no-plans, responded, not-used or unknown."),
    ("status_summary", "One sentence describing the council's latest reported position."),
    ("status_as_of", "The date the status is as of: YYYY-MM-DD, YYYY-MM or YYYY."),
    ("status_source", "The id of the source article supporting the status."),
    ("cameras", "Camera counts as reported: total, hikvision, locations, as_of, note and source."),
    ("contract_values", "Reported values of contracts or equipment purchases that include Hikvision "
                        "equipment (not spend on Hikvision), in pounds, with supplier, period and source."),
    ("quotes", "Short quotations with speaker, role, date and source."),
    ("events", "The council's dated events (as in timeline.json)."),
    ("notes_markdown", "The editors' notes, in Markdown; [@id] cites a source."),
    ("sources", "Every source id the council's page cites."),
    ("last_reviewed", "When the editors last checked the record."),
    ("aliases", "Towns, former and successor names that find the council on this site."),
    ("url", "The council's page on this site."),
)
_CSV_FIELDS = (
    ("cameras_total, cameras_hikvision", "Reported camera counts; empty when not reported."),
    ("camera_locations", "Space-separated location codes (street, town-centre, council-buildings, ...)."),
    ("cameras_as_of, cameras_source", "When the counts were true, and the source id reporting them."),
    ("contract_values_gbp", "Space-separated contract or purchase values in pounds."),
)
_EVENT_FIELDS = (
    ("date", "YYYY-MM-DD, YYYY-MM or YYYY, at the precision known."),
    ("title", "What happened, in one line."),
    ("summary_markdown", "A sentence or two of Markdown, or null."),
    ("council", "The council's slug for a council's own event; null for a national event."),
    ("councils", "Councils a national event concerns."),
    ("sources", "Ids of the source articles."),
    ("url", "The event on this site's timeline."),
)
_SOURCE_FIELDS = (
    ("id", "The source's identifier, used in every source field above."),
    ("title, publisher, author", "The article's title, its publisher and, if known, its author."),
    ("date, date_note", "When it was published, and how an uncertain date was worked out."),
    ("url", "The original, on the publisher's site; null if not online."),
    ("copy_url, archive_url", "A copy elsewhere, and an archived copy (e.g. the Wayback Machine); null if none."),
    ("kind", "news, report, official, parliament, foi or other."),
    ("summary_markdown", "The editors' summary, in Markdown."),
    ("cited_by", "Every council page and event citing it: label and url."),
)
FILES = (
    DataFile("data/councils.csv", "text/csv", "Councils (CSV)",
             "One row per council, for spreadsheets. Columns as in the JSON, flattened.",
             tuple((n, d) for n, d in _COUNCIL_FIELDS if n not in ("cameras", "contract_values", "quotes",
                                                                    "events", "notes_markdown", "sources"))
             + _CSV_FIELDS),
    DataFile("data/councils.json", "application/json", "Councils (JSON)",
             "Every council record in full: an array of objects.", _COUNCIL_FIELDS),
    DataFile("data/timeline.csv", "text/csv", "Timeline (CSV)",
             "One row per dated event, oldest first. Lists are separated by spaces.", _EVENT_FIELDS),
    DataFile("data/timeline.json", "application/json", "Timeline (JSON)",
             "Every dated event, national and local, oldest first.", _EVENT_FIELDS),
    DataFile("data/sources.csv", "text/csv", "Sources (CSV)",
             "One row per source article. cited_by holds the addresses of what cites it, separated by spaces.",
             _SOURCE_FIELDS),
    DataFile("data/sources.json", "application/json", "Sources (JSON)",
             "Every source article, with what cites it.", _SOURCE_FIELDS),
)
EVENT_COLUMNS = ("date", "title", "summary_markdown", "council", "councils", "sources", "url")
SOURCE_COLUMNS = ("id", "title", "publisher", "author", "date", "date_note", "url", "copy_url", "archive_url",
                  "kind", "summary_markdown", "cited_by")


# The downloads that hold a line or row for each record of a kind (pieces.py), in the order
# a record's pieces are kept.
RECORD_FILES = {
    "council": ("data/councils.json", "data/councils.csv"),
    "event": ("data/timeline.csv", "data/timeline.json"),
    "source": ("data/sources.csv", "data/sources.json"),
}
_HEADERS = {"data/councils.csv": CSV_COLUMNS, "data/timeline.csv": EVENT_COLUMNS, "data/sources.csv": SOURCE_COLUMNS}
_KIND_OF = {path: kind for kind, paths in RECORD_FILES.items() for path in paths}
_SEPARATOR = {path: "" if path in _HEADERS else ",\n" for path in _KIND_OF}  # between a download's pieces
_PATHS = tuple(_KIND_OF)


def builders(site: Site) -> list[tuple[str, Callable[[Mapping[str, str]], str]]]:
    """Each download, made by joining its records' pieces (named by `piece_name`; see `makers`)."""
    return [(path, partial(_build, site, path)) for path in _PATHS]


def sizes(site: Site, pieces) -> dict[str, int]:
    """Each download's size in bytes, without making it: a download is its records' pieces with
    separators that do not depend on them (and are ASCII), so it is as long as the same join of
    empty pieces, plus the pieces' bytes (`pieces.size`, see pieces.Placeholders)."""
    found = {}
    for path in _PATHS:
        names = _names(site, path)
        found[path] = len(_wrap(path, _SEPARATOR[path].join([""] * len(names)), len(names))) + pieces.size(names)
    return found


def _build(site: Site, path: str, pieces) -> str:
    names = _names(site, path)
    return _wrap(path, pieces.run(names, _SEPARATOR[path]), len(names))


def _names(site: Site, path: str) -> list[str]:
    """The names of the download's pieces, in its order."""
    kind = _KIND_OF[path]
    idents = ([c.slug for c in site.councils] if kind == "council" else
              [e.anchor for e in site.timeline] if kind == "event" else site.articles)
    return [piece_name(path, ident) for ident in idents]


def piece_name(path: str, ident: str) -> str:
    """The name of a record's piece of the download at `path` (see pieces.py)."""
    return f"{path}/{ident}"


def _wrap(path: str, body: str, count: int) -> str:
    """A download: `count` records' pieces (`body`, joined by `_SEPARATOR`) as a CSV table or a
    JSON array with one record a line (diff-friendly, and fast: the C encoder only runs without
    `indent`)."""
    header = _HEADERS.get(path)
    if header is not None:
        return _csv_row(list(header)) + body
    return "[\n" + body + "\n]\n" if count else "[]\n"


def makers(site: Site, cited_by: Mapping[str, tuple[Citer, ...]]) -> dict[str, tuple[Callable[[object], str], ...]]:
    """Kind of record → how to make its line of JSON or CSV row in each of its `RECORD_FILES`."""

    def json_of(record):
        return lambda obj: json.dumps(record(site, obj), ensure_ascii=False)

    def csv_of(columns, record):
        def row(obj) -> str:
            made = record(site, obj)
            return _csv_row([_flat(made[name]) for name in columns])
        return row

    sourced = partial(source_record, cited_by=cited_by)
    return {
        "council": (json_of(council_record), lambda c: _csv_row(council_row(site, c))),
        "event": (csv_of(EVENT_COLUMNS, event_record), json_of(event_record)),
        "source": (csv_of(SOURCE_COLUMNS, sourced), json_of(sourced)),
    }


def _csv_row(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def _flat(value) -> str:
    if isinstance(value, list):
        return " ".join(v["url"] if isinstance(v, dict) else str(v) for v in value)
    return _cell(value)


def _date(value: PartialDate | None) -> str | None:
    return value.iso if value else None


def council_record(site: Site, c: Council) -> dict:
    cameras = c.cameras
    return {
        "slug": c.slug,
        "name": c.name,
        "former_name": c.former_name,
        "kind": c.kind,
        "region": c.region,
        "lat": c.lat,
        "lon": c.lon,
        "abolished": _date(c.abolished),
        "successor": c.successor,
        "successor_slug": c.successor_slug,
        "status": c.status,
        "status_label": site.config.statuses[c.status].label,
        "status_summary": c.status_summary,
        "status_as_of": _date(c.status_as_of),
        "status_source": c.status_source,
        "cameras": None if cameras is None else {
            "total": cameras.total,
            "hikvision": cameras.hikvision,
            "locations": list(cameras.locations),
            "as_of": _date(cameras.as_of),
            "note": cameras.note,
            "source": cameras.source,
        },
        "contract_values": [{
            "amount_gbp": s.amount_gbp,
            "approximate": s.approximate,
            "supplier": s.supplier,
            "period": s.period,
            "description": s.description,
            "source": s.source,
        } for s in c.spend],
        "quotes": [{
            "text": q.text,
            "speaker": q.speaker,
            "role": q.role,
            "date": _date(q.date),
            "source": q.source,
        } for q in c.quotes],
        "events": [event_record(site, e) for e in c.events],
        "notes_markdown": c.notes.text if c.notes else None,
        "sources": list(c.citations),
        "last_reviewed": _date(c.last_reviewed),
        "aliases": list(c.aliases),
        "url": f"{site.config.base_url}councils/{c.slug}/",
    }


def event_record(site: Site, e: Event) -> dict:
    return {
        "date": e.date.iso,
        "title": e.title,
        "summary_markdown": e.summary.text if e.summary else None,
        "council": e.council,
        "councils": list(e.councils),
        "sources": list(e.sources),
        "url": f"{site.config.base_url}timeline/#{e.anchor}" if e.anchor else None,
    }


def source_record(site: Site, a: Article, cited_by: Mapping[str, tuple[Citer, ...]]) -> dict:
    return {
        "id": a.id,
        "title": a.title,
        "publisher": a.publisher,
        "author": a.author,
        "date": a.date.iso,
        "date_note": a.date_note,
        "url": a.url,
        "copy_url": a.copy_url,
        "archive_url": a.archive_url,
        "kind": a.kind,
        "summary_markdown": a.summary.text,
        "cited_by": [{"label": c.label, "url": site.config.base_url + c.path}
                     for c in cited_by.get(a.id, ())],
    }


def council_row(site: Site, c: Council) -> list[str]:
    cam = c.cameras
    return [
        c.slug, c.name, c.former_name or "", c.kind, c.region, c.status, c.status_summary,
        c.status_as_of.iso, c.status_source,
        _cell(cam and cam.total), _cell(cam and cam.hikvision),
        " ".join(cam.locations) if cam else "", _date(cam.as_of) or "" if cam else "",
        cam.source if cam else "", " ".join(str(s.amount_gbp) for s in c.spend),
        c.last_reviewed.iso, _cell(c.lat), _cell(c.lon), f"{site.config.base_url}councils/{c.slug}/",
    ]


def _cell(value) -> str:
    return "" if value is None else str(value)

"""Documents → the `Site` model, in two steps.

`check_file` converts one file on its own (so its result can be cached by content hash and
computed in any process); `link` resolves references between files, adds warnings that need
the whole site, and assembles the model with its derived data. Every problem is collected;
`BuildFailed` is raised once, with all of them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import clock, formats, markdown
from .diagnostics import Diagnostic, Diagnostics, Location, did_you_mean
from .load import Document, Source, parse
from .model import (STATUSES, fast_pickle, Article, Citer, Config, Council, Event, Figures, Page, PartialDate, Prose,
                    SearchConfig, Site)
from .schema import INVALID, SLUG_RE, Context

RESERVED_PAGES = {"index", "councils", "timeline", "sources", "data", "assets", "search", "feed",
                  "sitemap", "robots", "404"}
# A figure in prose: money, a grouped number, a percentage or a count of cameras.
_FIGURE_RE = re.compile(r"£\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion)\b)?|\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b|cameras?\b|"
                        r"million\b|bn\b|billion\b)", re.IGNORECASE)

WARNED_FIELDS = ("last_reviewed",)
_DIGIT_RE = re.compile(r"\d")  # every figure has one: a quick test before the slow one
Ref = tuple[str, str, Location]  # (namespace, id, where it is cited)


@fast_pickle
@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file contributes to the site: its model value (None if it has errors), the
    references it makes, its diagnostics and the places of the top-level fields that warnings
    about the whole site point at (`WARNED_FIELDS`)."""

    kind: str
    path: str
    stem: str
    digest: str
    value: Any
    refs: tuple[Ref, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    fields: dict[str, Location] = field(default_factory=dict)


def check_file(source: Source, config: Config | None) -> FileResult:
    """Parse and convert one file; councils need the site's config for regions and locations."""
    diags = Diagnostics()
    doc = parse(source, diags)
    ctx = Context(source.path, diags, _markdown, doc.line_offset, doc.text)
    if source.kind in ("council", "article", "page") and not SLUG_RE.match(source.stem):
        diags.error(Location(source.path), f"file name '{source.stem}' is not a valid id: use lower-case "
                    "letters, digits and single hyphens, e.g. 'tunbridge-wells'")
    value = None
    if doc.data is not None:
        value = _CONVERTERS[source.kind](doc, ctx, config)
    fields = {}
    if value is not None and source.kind == "council":
        fields = {k.value: ctx.loc(v) for k, v in doc.data.value if k.value in WARNED_FIELDS}
    return FileResult(source.kind, source.path, source.stem, source.digest, value,
                      tuple(ctx.refs), tuple(diags.items), fields)


def link(results: list[FileResult], found: Iterable[Diagnostic] = (),
         today: PartialDate | None = None) -> tuple[Site, list[Diagnostic]]:
    """Resolve references across files and assemble the site, or raise `BuildFailed` listing
    every error (`found` are those met before the files were checked, e.g. unreadable files).

    Returns the site and its warnings."""
    diags = Diagnostics(list(found))
    by_kind: dict[str, list[FileResult]] = {}
    for result in results:
        by_kind.setdefault(result.kind, []).append(result)
        diags.extend(result.diagnostics)
    # Files that failed their own checks still exist: citing them is not an error of its own.
    known = {"article": {r.stem for r in by_kind.get("article", ())},
             "council": {r.stem for r in by_kind.get("council", ())}}
    for result in results:
        for namespace, ident, where in result.refs:
            if ident not in known[namespace]:
                what = "source" if namespace == "article" else namespace
                diags.error(where, f"unknown {what} '{ident}'{did_you_mean(ident, known[namespace])}")
    diags.raise_if_errors()
    config = by_kind["site"][0].value
    councils = [r.value for r in by_kind.get("council", ())]
    _review_warnings(by_kind.get("council", ()), config, today or _today(), diags)
    site = assemble(config, councils,
                    [r.value for r in by_kind.get("article", ())],
                    [r.value for r in by_kind.get("page", ())],
                    [e for r in by_kind.get("timeline", ()) for e in r.value])
    return site, diags.sorted()


def _today() -> PartialDate:
    t = clock.today()
    return PartialDate(t.year, t.month, t.day)


def _days(d: PartialDate) -> int:
    """Days since 1 January 1 (proleptic), taking an unknown month or day as the first."""
    from datetime import date
    return date(d.year, d.month or 1, d.day or 1).toordinal()


def _review_warnings(results: Iterable[FileResult], config: Config, today: PartialDate,
                     diags: Diagnostics) -> None:
    limit, now = config.review_max_age_days, _days(today)
    for result in results:
        age = now - _days(result.value.last_reviewed)
        if age > limit:
            diags.warning(result.fields["last_reviewed"],
                          f"last reviewed {age} days ago, more than the {limit} days site.yaml allows "
                          "(review_max_age_days): check the entry is still true, then update last_reviewed")


def assemble(config: Config, councils: list[Council], articles: list[Article], pages: list[Page],
             national: list[Event]) -> Site:
    """The derived data, computed once: merged timeline with unique anchors (which each
    council's own events get too, so its page can link to them), backlinks, figures."""
    timeline, renamed = _unique_anchors(sorted(
        [e for c in councils for e in c.events] + national,
        key=lambda e: (e.date.year, e.date.month, e.date.day, e.council or "", e.title),
    ))
    if renamed:
        councils = [dataclasses.replace(c, events=tuple(renamed.get((e.council, e.origin), e) for e in c.events))
                    if any((e.council, e.origin) in renamed for e in c.events) else c for c in councils]
    by_slug = {c.slug: c for c in councils}
    home = next((p for p in pages if p.slug == "index"), None)
    dates = [c.last_reviewed for c in councils] + [p.updated for p in pages if p.updated]
    return Site(
        config=config,
        councils=tuple(sorted(councils, key=lambda c: c.slug)),
        articles={a.id: a for a in sorted(articles, key=lambda a: a.id)},
        timeline=timeline,
        pages=tuple(sorted((p for p in pages if p.slug != "index"), key=lambda p: p.slug)),
        home=home,
        figures=_figures(councils, articles, timeline),
        backlinks=_Backlinks(lambda: _backlinks(councils, timeline, by_slug)),
        updated=max(dates, default=None),
    )


def _markdown(text: str, locate: Callable[[int, int], Location], ctx: Context,
              sourced: bool = False) -> Prose:
    """Render Markdown once, record each citation at its place in the file, and (unless the
    text is a source's own summary) warn about paragraphs that give a figure citing nothing."""
    prose = markdown.render(text)
    if prose.citations:
        positions = markdown.citation_positions(text)
        for ident in prose.citations:
            index = next((i for i, p in enumerate(positions) if p[0] == ident), None)
            where = locate(*positions.pop(index)[1:]) if index is not None else locate(0, 0)
            ctx.refs.append(("article", ident, where))
    line = 0
    for paragraph in () if sourced else text.split("\n\n"):
        figure = _FIGURE_RE.search(paragraph) if "[@" not in paragraph and _DIGIT_RE.search(paragraph) else None
        if figure:
            before = paragraph[: figure.start()]
            offset = before.count("\n")
            column = figure.start() - (before.rfind("\n") + 1)
            ctx.diags.warning(locate(line + offset, column),
                              f"the figure '{figure[0]}' has no source in its paragraph: "
                              "cite one with [@article-id]")
        line += paragraph.count("\n") + 2
    return prose


def _config(doc: Document, ctx: Context, config: Config | None) -> Config | None:
    values = formats.SITE.convert(doc.data, ctx)
    if values is INVALID:
        return None
    base_url = values["base_url"].rstrip("/") + "/"
    return Config(
        title=values["title"], description=values["description"], base_url=base_url,
        language=values["language"], publisher=values["publisher"], licence=values["licence"],
        statuses=values["statuses"], kinds=values["kinds"], regions=values["regions"],
        locations=values["locations"], review_max_age_days=values.get("review_max_age_days", 365),
        search=values.get("search", SearchConfig()),
    )


_council_spec: list = [None, None]  # the last (config, record) pair: one site is built at a time


def _council(doc: Document, ctx: Context, config: Config | None) -> Council | None:
    if _council_spec[0] is not config or _council_spec[1] is None:
        _council_spec[:] = [config, formats.council_record(config)]
    values = _council_spec[1].convert(doc.data, ctx)
    if values is INVALID:
        return None
    stem = doc.source.stem
    events = tuple(
        Event(date=e["date"], title=e["title"], sources=(e["source"],), origin=e["origin"],
              summary=e.get("summary"), council=stem, councils=(stem,), anchor=_anchor(e["date"], e["title"]))
        for e in values.pop("events", ())
    )
    cited = [values["status_source"]]
    if "cameras" in values:
        cited.append(values["cameras"].source)
    cited += [s.source for s in values.get("spend", ())] + [q.source for q in values.get("quotes", ())]
    cited += [e.sources[0] for e in events]
    for prose in [values.get("notes")] + [e.summary for e in events]:
        cited += prose.citations if prose else ()
    return Council(slug=stem, origin=ctx.loc(doc.data), events=events,
                   citations=tuple(dict.fromkeys(cited)), **values)


def _body(doc: Document, ctx: Context, required: str | None, sourced: bool = False) -> Prose | None:
    """The Markdown below the front matter, with errors placed at their line in the file."""
    body = doc.body or ""
    text = body.strip("\n")
    if not text.strip():
        if required:
            ctx.error(Location(doc.source.path, doc.body_line), required)
            return None
        text = " "
    lead = len(body) - len(body.lstrip("\n"))
    first = doc.body_line + lead
    return _markdown(text, lambda line, col: Location(doc.source.path, first + line, col + 1), ctx, sourced)


def _article(doc: Document, ctx: Context, config: Config | None) -> Article | None:
    values = formats.ARTICLE.convert(doc.data, ctx)
    summary = _body(doc, ctx, "the article needs a summary below the front matter", sourced=True)
    if values is INVALID or summary is None:
        return None
    return Article(id=doc.source.stem, summary=summary, origin=ctx.loc(doc.data), **values)


def _page(doc: Document, ctx: Context, config: Config | None) -> Page | None:
    stem = doc.source.stem
    if stem in RESERVED_PAGES - {"index"}:
        ctx.error(Location(doc.source.path), f"'{stem}' is a name the site uses for its own pages; rename the file")
    values = formats.PAGE.convert(doc.data, ctx)
    body = _body(doc, ctx, None)
    if values is INVALID or body is None:
        return None
    return Page(slug=stem, body=body, origin=ctx.loc(doc.data), **values)


def _timeline(doc: Document, ctx: Context, config: Config | None) -> list[Event] | None:
    items = formats.TIMELINE.convert(doc.data, ctx)
    if items is INVALID:
        return None
    return [Event(date=i["date"], title=i["title"], sources=i["sources"], origin=i["origin"],
                  summary=i["summary"], councils=i.get("councils", ()), anchor=_anchor(i["date"], i["title"]))
            for i in items]


_CONVERTERS = {"site": _config, "council": _council, "article": _article, "page": _page,
               "timeline": _timeline}


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slugify(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def _anchor(date: PartialDate, title: str) -> str:
    """An event's place on the timeline page: its date and the first words of its title."""
    return _slugify(f"{date.iso} {title}")[:60].rstrip("-")


def _unique_anchors(events: list[Event]) -> tuple[tuple[Event, ...], dict]:
    """The events, in order, the second and later of those sharing an anchor numbered (-2, -3...);
    and the renamed councils' events, by (council, origin)."""
    seen: Counter[str] = Counter(e.anchor for e in events)
    if all(count == 1 for count in seen.values()):
        return tuple(events), {}
    seen.clear()
    out, renamed = [], {}
    for event in events:
        seen[event.anchor] += 1
        if seen[event.anchor] > 1:
            event = dataclasses.replace(event, anchor=f"{event.anchor}-{seen[event.anchor]}")
            if event.council:
                renamed[event.council, event.origin] = event
        out.append(event)
    return tuple(out), renamed


class _Backlinks(Mapping):
    """Article id → what cites it, worked out on first use: only the sources page and its data
    file need it, so no other page (in the preview, the page being edited) waits for it."""

    def __init__(self, make: Callable[[], dict[str, tuple[Citer, ...]]]):
        self._make = make
        self._found: dict[str, tuple[Citer, ...]] | None = None

    def _all(self) -> dict[str, tuple[Citer, ...]]:
        if self._found is None:
            self._found = self._make()
        return self._found

    def __getitem__(self, ident: str) -> tuple[Citer, ...]:
        return self._all()[ident]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _backlinks(councils: list[Council], timeline: tuple[Event, ...],
               by_slug: dict[str, Council]) -> dict[str, tuple[Citer, ...]]:
    found: dict[str, dict[Citer, None]] = {}
    for council in sorted(councils, key=lambda c: c.name):
        citer = Citer(council.name, f"councils/{council.slug}/", "council")
        for ident in council.citations:
            found.setdefault(ident, {})[citer] = None
    for event in timeline:
        who = by_slug[event.council].name + ": " if event.council else ""
        citer = Citer(f"{event.date.display}: {who}{event.title}", f"timeline/#{event.anchor}", "event")
        for ident in event.sources + (event.summary.citations if event.summary else ()):
            found.setdefault(ident, {})[citer] = None
    return {ident: tuple(citers) for ident, citers in sorted(found.items())}


def _figures(councils: list[Council], articles: list[Article], timeline: tuple[Event, ...]) -> Figures:
    counted = [c.cameras.hikvision for c in councils if c.cameras and c.cameras.hikvision is not None]
    spend = [s.amount_gbp for c in councils for s in c.spend]
    statuses = Counter(c.status for c in councils)
    return Figures(
        councils=len(councils),
        hikvision_cameras=sum(counted),
        councils_with_camera_counts=len(counted),
        contract_values=len(spend),
        contract_total_gbp=sum(spend),
        by_status=tuple((s, statuses[s]) for s in STATUSES),
        events=len(timeline),
        articles=len(articles),
    )


"""Raw documents → the `Site` model: fields, vocabularies, references and derived data.

Every problem is collected; `BuildFailed` is raised once, at the end, with all of them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable

from . import formats, markdown
from .diagnostics import Diagnostics, Location, did_you_mean
from .load import Document
from .model import STATUSES, Article, Citer, Config, Council, Event, Figures, Page, Prose, Site
from .schema import INVALID, SLUG_RE, Context

RESERVED_PAGES = {"index", "councils", "timeline", "sources", "data", "assets", "search", "feed",
                  "sitemap", "robots", "404"}


def validate(docs: list[Document], diags: Diagnostics) -> Site:
    """Check every document and build the site model; raise `BuildFailed` listing all errors."""
    refs: list[tuple[str, str, Location]] = []
    ctx = Context(diags, refs, _markdown)
    by_kind: dict[str, list[Document]] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind, []).append(doc)
        if doc.kind in ("council", "article", "page") and not SLUG_RE.match(doc.stem):
            diags.error(Location(doc.path), f"file name '{doc.stem}' is not a valid id: use lower-case "
                        "letters, digits and single hyphens, e.g. 'tunbridge-wells'")

    config = _config(by_kind.get("site", []), ctx)
    council_spec = formats.council_record(config)
    councils = [c for d in by_kind.get("council", []) if (c := _council(d, council_spec, ctx))]
    articles = [a for d in by_kind.get("article", []) if (a := _article(d, ctx))]
    pages = [p for d in by_kind.get("page", []) if (p := _page(d, ctx))]
    national = [e for d in by_kind.get("timeline", []) for e in _timeline(d, ctx)]

    # Files that failed their own checks still exist: citing them is not an error of its own.
    known = {"article": {d.stem for d in by_kind.get("article", [])},
             "council": {d.stem for d in by_kind.get("council", [])}}
    _resolve(refs, known, diags)
    diags.raise_if_errors()
    assert config is not None  # site.yaml errors were raised above
    return assemble(config, councils, articles, pages, national)


def assemble(config: Config, councils: list[Council], articles: list[Article], pages: list[Page],
             national: list[Event]) -> Site:
    """The derived data, computed once: merged timeline with anchors, backlinks, figures."""
    timeline = _with_anchors(sorted(
        [e for c in councils for e in c.events] + national,
        key=lambda e: (e.date, e.council or "", e.title),
    ))
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
        backlinks=_backlinks(councils, timeline, by_slug),
        updated=max(dates, default=None),
    )


def _markdown(text: str, locate: Callable[[int, int], Location], ctx: Context) -> Prose:
    """Render Markdown once and record each citation, at its place in the file, for resolving."""
    prose = markdown.render(text)
    if prose.citations:
        positions = markdown.citation_positions(text)
        for ident in prose.citations:
            index = next((i for i, p in enumerate(positions) if p[0] == ident), None)
            where = locate(*positions.pop(index)[1:]) if index is not None else locate(0, 0)
            ctx.refs.append(("article", ident, where))
    return prose


def _config(docs: list[Document], ctx: Context) -> Config | None:
    if not docs or docs[0].data is None:
        return None
    values = formats.SITE.convert(docs[0].data, ctx)
    if values is INVALID:
        return None
    base_url = values["base_url"].rstrip("/") + "/"
    return Config(
        title=values["title"], description=values["description"], base_url=base_url,
        language=values["language"], publisher=values["publisher"], licence=values["licence"],
        statuses=values["statuses"], kinds=values["kinds"], regions=values["regions"],
        locations=values["locations"], review_max_age_days=values.get("review_max_age_days", 365),
    )


def _council(doc: Document, spec, ctx: Context) -> Council | None:
    if doc.data is None:
        return None
    values = spec.convert(doc.data, ctx)
    if values is INVALID:
        return None
    origin = doc.data.loc
    events = tuple(
        Event(date=e["date"], title=e["title"], sources=(e["source"],), origin=e["origin"],
              summary=e.get("summary"), council=doc.stem, councils=(doc.stem,))
        for e in values.pop("events", ())
    )
    cited = [values["status_source"]]
    if "cameras" in values:
        cited.append(values["cameras"].source)
    cited += [s.source for s in values.get("spend", ())] + [q.source for q in values.get("quotes", ())]
    cited += [e.sources[0] for e in events]
    for prose in [values.get("notes")] + [e.summary for e in events]:
        cited += prose.citations if prose else ()
    return Council(slug=doc.stem, origin=origin, events=events, citations=tuple(dict.fromkeys(cited)),
                   **values)


def _article(doc: Document, ctx: Context) -> Article | None:
    if doc.data is None:
        return None
    values = formats.ARTICLE.convert(doc.data, ctx)
    body = (doc.body or "").strip("\n")
    if not body.strip():
        ctx.error(Location(doc.path, doc.body_line), "the article needs a summary below the front matter")
        return None
    lead = len(doc.body) - len(doc.body.lstrip("\n"))
    summary = _markdown(body, lambda line, col: Location(doc.path, doc.body_line + lead + line, col + 1), ctx)
    if values is INVALID:
        return None
    return Article(id=doc.stem, summary=summary, origin=doc.data.loc, **values)


def _page(doc: Document, ctx: Context) -> Page | None:
    if doc.data is None:
        return None
    if doc.stem in RESERVED_PAGES - {"index"}:
        ctx.error(Location(doc.path), f"'{doc.stem}' is a name the site uses for its own pages; rename the file")
    values = formats.PAGE.convert(doc.data, ctx)
    body = doc.body or ""
    lead = len(body) - len(body.lstrip("\n"))
    prose = _markdown(body.strip("\n") or " ", lambda line, col: Location(doc.path, doc.body_line + lead + line, col + 1), ctx)
    if values is INVALID:
        return None
    return Page(slug=doc.stem, body=prose, origin=doc.data.loc, **values)


def _timeline(doc: Document, ctx: Context) -> Iterable[Event]:
    if doc.data is None:
        return []
    items = formats.TIMELINE.convert(doc.data, ctx)
    if items is INVALID:
        return []
    return [Event(date=i["date"], title=i["title"], sources=i["sources"], origin=i["origin"],
                  summary=i["summary"], councils=i.get("councils", ())) for i in items]


def _resolve(refs: list[tuple[str, str, Location]], known: dict[str, set[str]], diags: Diagnostics) -> None:
    for namespace, ident, where in refs:
        if ident not in known[namespace]:
            what = "source" if namespace == "article" else namespace
            diags.error(where, f"unknown {what} '{ident}'{did_you_mean(ident, known[namespace])}")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _with_anchors(events: list[Event]) -> tuple[Event, ...]:
    """Give each event a stable, unique `id` for the timeline page: date plus the title's first words."""
    seen: Counter[str] = Counter()
    out = []
    for event in events:
        base = _slugify(f"{event.date.iso} {event.title}")[:60].rstrip("-")
        seen[base] += 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(Event(date=event.date, title=event.title, sources=event.sources, origin=event.origin,
                         summary=event.summary, council=event.council, councils=event.councils,
                         anchor=anchor))
    return tuple(out)


def _backlinks(councils: list[Council], timeline: tuple[Event, ...],
               by_slug: dict[str, Council]) -> dict[str, tuple[Citer, ...]]:
    found: dict[str, dict[Citer, None]] = {}
    for council in sorted(councils, key=lambda c: c.name):
        for ident in council.citations:
            found.setdefault(ident, {})[Citer(council.name, f"councils/{council.slug}/", "council")] = None
    for event in timeline:
        who = by_slug[event.council].name + ": " if event.council else ""
        label = f"{event.date.display}: {who}{event.title}"
        for ident in event.sources + (event.summary.citations if event.summary else ()):
            found.setdefault(ident, {})[Citer(label, f"timeline/#{event.anchor}", "event")] = None
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


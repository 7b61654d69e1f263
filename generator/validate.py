"""Parsed documents (from `load.parse`) → the `Site` model, in two steps.

`check_file` checks and converts one document on its own (so its result can be cached by content hash and
computed in any process); `link` resolves references between files, adds warnings that need
the whole site, and assembles the model with its derived data. Every problem is collected;
`BuildFailed` is raised once, with all of them.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from . import formats, markdown, sitelinks
from .diagnostics import PLACE, Diagnostic, Diagnostics, Location, did_you_mean
from .load import CHANGELOG_FILE, SITE_FILE, Document, InputFile, MarkdownDocument, YamlDocument, council_file
from .model import (STATUS_GROUPS, STATUSES, fast_pickle, Article, Change, Config, Council, Event, Figures,
                    Page, PartialDate, Prose, SearchConfig, Site)
from .fieldtypes import INVALID, Context
from .slugs import SLUG_RE, slugify
from .yamlnodes import cut_by_comments

RESERVED_PAGES = {"index", "councils", "timeline", "sources", "data", "assets", "search", "feed",
                  "sitemap", "robots", "404", "changes"}
# What site.yaml says until someone fills it in: `check` warns while it is still there.
PLACEHOLDER_PUBLISHER = "The Hikvision and UK councils explainer"
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
_EMAIL_RE = re.compile(r"^[^@\s:/]+@[^@\s/]+\.[^@\s/]+$")
# A figure in prose: money, a grouped number, a percentage or a count of cameras.
_FIGURE_RE = re.compile(r"£\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion)\b)?|\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b|cameras?\b|"
                        r"million\b|bn\b|billion\b)", re.IGNORECASE)

WARNED_FIELDS = ("last_reviewed", "status_as_of", "draft", "former_slugs")
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
    dates: tuple[tuple[PartialDate, Location], ...] = ()  # every date in the file, and where
    links: tuple[tuple[str, Location], ...] = ()  # links of its prose within the site, and where


def check_file(doc: Document, config: Config | None) -> FileResult:
    """Check and convert one parsed file (its syntax errors, found by `load.parse`, come first);
    councils need the site's config for regions and locations."""
    diags = Diagnostics(list(doc.problems))
    ctx = Context(doc.path, diags, _markdown, doc.line_offset, doc.text)
    if doc.kind in ("council", "article", "page") and not SLUG_RE.match(doc.stem):
        diags.error(Location(doc.path), f"file name '{doc.stem}' is not a valid id: use lower-case "
                    "letters, digits and single hyphens, e.g. 'tunbridge-wells'")
    value = None
    if doc.data is not None:
        _comment_warnings(doc, ctx)
        value = _CONVERTERS[doc.kind](doc, ctx, config)
    fields = {}
    if value is not None and doc.kind in ("council", "article"):
        fields = {k.value: ctx.loc(k) if k.value == "draft" else ctx.loc(v)
                  for k, v in doc.data.value if k.value in WARNED_FIELDS}
    return FileResult(doc.kind, doc.path, doc.stem, doc.digest, value,
                      tuple(ctx.refs), tuple(diags.items), fields, tuple(ctx.dates), tuple(ctx.links))


def _comment_warnings(doc: Document, ctx: Context) -> None:
    for node, column, words in cut_by_comments(doc.data, doc.text):
        where = ctx.loc(node)
        ctx.diags.warning(Location(where.path, node.end_mark.line + 1 + doc.line_offset, column + 1),
                          f"only '{node.value}' is kept: YAML reads ' #' and what follows as a comment; to keep "
                          f"'#{words}', put the whole value in double quotes")


def result_key(file: InputFile, site_file: InputFile | None) -> str:
    """What a file's checked result depends on: its content and, but for site.yaml itself,
    site.yaml's, whose vocabularies (regions, statuses, kinds...) councils are checked against."""
    if file.kind == "site" or site_file is None:
        return file.digest
    return f"{file.digest}:{site_file.digest}"


def link(results: list[FileResult], found: Iterable[Diagnostic], today: datetime.date,
         drafts: bool = False, base_url: str | None = None) -> tuple[Site, list[Diagnostic]]:
    """Resolve references across files and assemble the site, or raise `BuildFailed` listing
    every error (`found` are those met before the files were checked, e.g. unreadable files).
    `today` is the build's date, against which ages are measured. Drafts are left out of the
    site unless `drafts` (the preview shows them). `base_url` replaces site.yaml's (`--base-url`).

    Returns the site and its warnings."""
    diags = Diagnostics(list(found))
    by_kind: dict[str, list[FileResult]] = {}
    for result in results:
        by_kind.setdefault(result.kind, []).append(result)
        diags.extend(result.diagnostics)
    # Files that failed their own checks still exist: citing them is not an error of its own.
    known = {"article": {r.stem for r in by_kind.get("article", ())},
             "council": {r.stem for r in by_kind.get("council", ())}}
    _unknown_refs(results, known, diags)
    _former_slugs(by_kind.get("council", ()), known["council"], diags)
    left_out = _drafts(results, drafts, diags)
    if left_out:
        by_kind = {kind: [r for r in files if (kind, r.stem) not in left_out] for kind, files in by_kind.items()}
    diags.raise_if_errors()
    config = by_kind["site"][0].value
    councils = [r.value for r in by_kind.get("council", ())]
    articles = {r.stem: r.value for r in by_kind.get("article", ())}
    _review_warnings(by_kind.get("council", ()), config, articles, today, diags)
    changes = [c for r in by_kind.get("changelog", ()) for c in r.value]
    _status_warnings(by_kind.get("council", ()), config, changes, today, diags)
    _future_warnings(results, today, diags)
    site = assemble(config, councils,
                    [r.value for r in by_kind.get("article", ())],
                    [r.value for r in by_kind.get("page", ())],
                    [e for r in by_kind.get("timeline", ()) for e in r.value],
                    changes, today)
    if any(r.links for r in results):
        diags.extend(sitelinks.check(site, [(r.kind, r.path, r.links) for r in results if r.links]))
        diags.raise_if_errors()
    if base_url:
        base_url = base_url.rstrip("/") + "/"
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=base_url))
    return site, diags.sorted()


def _former_slugs(results: Iterable[FileResult], slugs: set[str], diags: Diagnostics) -> None:
    """Each old address redirects to one council, and is no council's address now."""
    claimed: dict[str, str] = {}
    for result in results:
        for old in getattr(result.value, "former_slugs", ()):
            where = result.fields["former_slugs"]
            if old in slugs:
                diags.error(where, f"former slug '{old}' is the file name of a council now "
                            f"({council_file(old)}), so its address cannot redirect here")
            elif old in claimed:
                diags.error(where, f"former slug '{old}' is also listed by {claimed[old]}: "
                            "an old address can redirect to one council only")
            else:
                claimed[old] = result.path


def _drafts(results: list[FileResult], keep: bool, diags: Diagnostics) -> set[tuple[str, str]]:
    """Warn about each draft; unless `keep`, report every published file that cites one (its
    citation or link would lead nowhere). Returns the (kind, id) of those to leave out."""
    draft = {(r.kind, r.stem): r for r in results if getattr(r.value, "draft", False)}
    for r in draft.values():
        diags.warning(r.fields["draft"], f"draft: this {r.kind} will not be published; 'build' leaves it out "
                      "until you remove 'draft: true'")
    if keep or not draft:
        return set()
    for result in results:
        if (result.kind, result.stem) in draft:
            continue
        for namespace, ident, where in result.refs:
            target = draft.get((namespace, ident))
            if target is not None:
                diags.error(where, f"the {namespace} '{ident}' is a draft ({PLACE}), so this "
                            "reference would be broken on the published site: publish it (remove its 'draft: true') "
                            "or refer to another", (target.fields["draft"],))
    return set(draft)


SHOWN_PLACES = 3  # other places listed in the one error for an id cited in many


def _unknown_refs(results: list[FileResult], known: dict[str, set[str]], diags: Diagnostics) -> None:
    """One error per missing id, at the first place that names it: a renamed article cited 65
    times is one mistake, so it gets one error, listing the next places and counting the rest."""
    missing: dict[tuple[str, str], list[Location]] = {}
    for result in results:
        for namespace, ident, where in result.refs:
            if ident not in known[namespace]:
                missing.setdefault((namespace, ident), []).append(where)
    for (namespace, ident), places in missing.items():
        first, *others = sorted(places)
        hint = did_you_mean(ident, known[namespace])
        if not others:
            what = "source" if namespace == "article" else namespace
            diags.error(first, f"unknown {what} '{ident}'{hint}")
            continue
        shown = tuple(others[:SHOWN_PLACES])
        rest = len(others) - SHOWN_PLACES
        more = f" and {rest} other place{'s' if rest != 1 else ''}" if rest > 0 else ""
        diags.error(first, f"the {namespace} '{ident}' is cited {len(places)} times but does not exist{hint}; "
                           f"also cited at {', '.join(PLACE * len(shown))}{more}", shown)



def _days(d: PartialDate) -> int:
    """Days since 1 January 1 (proleptic), taking an unknown month or day as the first."""
    from datetime import date
    return date(d.year, d.month or 1, d.day or 1).toordinal()


def _review_warnings(results: Iterable[FileResult], config: Config, articles: dict[str, Article],
                     today: datetime.date, diags: Diagnostics) -> None:
    """A council not reviewed for too long, or last reviewed before the newest source it cites
    was published (so that source was never checked against the entry)."""
    limit, now = config.review_max_age_days, today.toordinal()
    published = {a.id: (_days(a.date), a.id) for a in articles.values()}  # as the newest is chosen
    for result in results:
        reviewed = _days(result.value.last_reviewed)
        if now - reviewed > limit:
            diags.warning(result.fields["last_reviewed"],
                          f"last reviewed {now - reviewed} days ago, more than the {limit} days {SITE_FILE} allows "
                          "(review_max_age_days): check the entry is still true, then update last_reviewed")
            continue  # that says it all
        days, newest = max((published[i] for i in result.value.citations), default=(None, None))
        if newest is not None and reviewed < days:
            newest = articles[newest]
            diags.warning(result.fields["last_reviewed"],
                          f"last reviewed {result.value.last_reviewed.iso}, before the newest source it cites "
                          f"('{newest.id}', {newest.date.iso}): check the entry against it, then update "
                          "last_reviewed")


def _status_warnings(results: Iterable[FileResult], config: Config, changes: Iterable[Change],
                     today: datetime.date, diags: Diagnostics) -> None:
    """A status so old that a later statement should be looked for, unless the change log
    records, within the same age limit, a change to that council or a site-wide search."""
    limit = config.status_max_age_days
    recent = [c for c in changes if not is_stale(c.date, today, limit)]
    searched = {c.council for c in recent if c.council}
    swept = any(c.council is None and c.kind == "checked" for c in recent)
    for result in results:
        status = result.value.status_as_of
        if is_stale(status, today, limit) and not swept and result.stem not in searched:
            diags.warning(result.fields["status_as_of"],
                          f"the status is as of {status.display}, more than {limit} days ago "
                          "(status_max_age_days): look for a later statement, and if none is found record "
                          f"the search as a 'checked' entry in {CHANGELOG_FILE}")


def _future_warnings(results: Iterable[FileResult], today: datetime.date, diags: Diagnostics) -> None:
    """Dates that have not come yet (a date known only to the month or year counts from its start)."""
    now = (today.year, today.month, today.day)
    for result in results:
        for date, where in result.dates:
            if date > now:  # a part not known (0) sorts before any known one, as its start does
                diags.warning(where, f"the date {date.iso} is in the future (today is {today.isoformat()}): check it")


def assemble(config: Config, councils: list[Council], articles: list[Article], pages: list[Page],
             national: list[Event], changes: list[Change], today: datetime.date) -> Site:
    """The derived data, computed once: merged timeline with unique anchors (which each
    council's own events get too, so its page can link to them), the change log newest first
    (a council's changes cite on its page too), figures, stale statuses."""
    changes = _anchored_changes(changes)
    councils = _with_change_citations(councils, changes)
    timeline, renamed = _unique_anchors(sorted(
        [e for c in councils for e in c.events] + national,
        key=lambda e: (e.date.year, e.date.month, e.date.day, e.council or "", e.title),
    ))
    if renamed:
        councils = [dataclasses.replace(c, events=tuple(renamed.get((e.council, e.origin), e) for e in c.events))
                    if any((e.council, e.origin) in renamed for e in c.events) else c for c in councils]
    by_slug = {c.slug: c for c in councils}
    if any(c.successor_slug for c in councils):
        councils = [dataclasses.replace(c, successor=by_slug[c.successor_slug].name) if c.successor_slug else c
                    for c in councils]
    home = next((p for p in pages if p.slug == "index"), None)
    dates = [c.last_reviewed for c in councils] + [p.updated for p in pages if p.updated]
    return Site(
        changes=changes, today=today,
        stale=frozenset(c.slug for c in councils if is_stale(c.status_as_of, today, config.status_max_age_days)),
        config=config,
        councils=tuple(sorted(councils, key=lambda c: c.slug)),
        articles={a.id: a for a in sorted(articles, key=lambda a: a.id)},
        timeline=timeline,
        pages=tuple(sorted((p for p in pages if p.slug != "index"), key=lambda p: p.slug)),
        home=home,
        figures=_figures(councils, articles, timeline),
        updated=changes[0].date if changes else max(dates, default=None),
    )


def is_stale(date: PartialDate, today: datetime.date, max_age_days: int) -> bool:
    """True when even the last day `date` may mean is more than `max_age_days` before today:
    the one rule for the `check` warning and the flag readers see."""
    month = date.month or 12
    day = date.day or monthrange(date.year, month)[1]
    return today.toordinal() - datetime.date(date.year, month, day).toordinal() > max_age_days


def _anchored_changes(changes: list[Change]) -> tuple[Change, ...]:
    """Newest first (then by council and file order); each with an anchor unique on the site."""
    ordered = sorted(changes, key=lambda c: (c.date, c.council or "", -c.origin.line), reverse=True)
    seen: Counter[str] = Counter()
    out = []
    for change in ordered:
        anchor = f"change-{change.date.iso}-{change.council or 'site'}"
        seen[anchor] += 1
        out.append(dataclasses.replace(change, anchor=anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"))
    return tuple(out)


def _with_change_citations(councils: list[Council], changes: tuple[Change, ...]) -> list[Council]:
    """A council page lists its own changes, so what they cite joins its numbered sources."""
    cited: dict[str, list[str]] = {}
    for change in changes:
        if change.council:
            cited.setdefault(change.council, []).extend(change.summary.citations)
    return [dataclasses.replace(c, citations=tuple(dict.fromkeys(c.citations + tuple(cited[c.slug]))))
            if cited.get(c.slug) else c for c in councils]


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
    if prose.links:
        for href, position in zip(prose.links, markdown.link_positions(text, prose.links)):
            if sitelinks.is_internal(href):
                ctx.links.append((href, locate(*position) if position else locate(0, 0)))
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


def _config(doc: YamlDocument, ctx: Context, config: Config | None) -> Config | None:
    values = formats.SITE.convert(doc.data, ctx)
    if values is INVALID:
        return None
    base_url = values["base_url"].rstrip("/") + "/"
    return Config(
        title=values["title"], description=values["description"], base_url=base_url,
        language=values["language"], publisher=values["publisher"], licence=values["licence"],
        statuses=values["statuses"], kinds=values["kinds"], regions=values["regions"],
        locations=values["locations"], review_max_age_days=values.get("review_max_age_days", 365),
        status_max_age_days=values.get("status_max_age_days", 730),
        contact=_contact(values.get("contact"), doc, ctx), principal_councils=values.get("principal_councils"),
        search=values.get("search", SearchConfig()),
    )


def _contact(contact: str | None, doc: YamlDocument, ctx: Context) -> str | None:
    """Check `contact` is an email address or an https URL; warn while it, or the publisher,
    is still a placeholder (the site builds, but readers cannot reach anyone real)."""
    nodes = {k.value: v for k, v in doc.data.value}
    if contact is not None and not (_EMAIL_RE.match(contact) or contact.startswith("https://")):
        ctx.error(nodes["contact"], f"'{contact[:80]}' is not an email address or an https:// address")
        return None
    if contact is None:
        ctx.diags.warning(ctx.loc(doc.data), f"{SITE_FILE} has no 'contact': add the email address or web page "
                          "where readers can report errors")
    elif _is_placeholder(contact):
        ctx.diags.warning(ctx.loc(nodes["contact"]), f"contact '{contact}' is a placeholder: "
                          "replace it with a real email address or web page before publishing")
    if "publisher" in nodes and nodes["publisher"].value.strip() == PLACEHOLDER_PUBLISHER:
        ctx.diags.warning(ctx.loc(nodes["publisher"]), "publisher is still the placeholder text: "
                          "write the name of the person or organisation publishing the site")
    return contact


_council_spec: list = [None, None]  # the last (config, record) pair: one site is built at a time


def _council(doc: YamlDocument, ctx: Context, config: Config | None) -> Council | None:
    if _council_spec[0] is not config or _council_spec[1] is None:
        _council_spec[:] = [config, formats.council_record(config)]
    values = _council_spec[1].convert(doc.data, ctx)
    if values is INVALID:
        return None
    stem = doc.stem
    values.pop("editor_notes", None)
    successor = values.get("successor")
    if successor is not None and SLUG_RE.match(successor):
        if successor == stem:
            ctx.error(doc.data, f"'{stem}' names itself as its successor")
            return None
        values["successor_slug"] = successor
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


def _body(doc: MarkdownDocument, ctx: Context, required: str | None, sourced: bool = False) -> Prose | None:
    """The Markdown below the front matter, with errors placed at their line in the file."""
    body = doc.body or ""
    text = body.strip("\n")
    if not text.strip():
        if required:
            ctx.error(Location(doc.path, doc.body_line), required)
            return None
        text = " "
    lead = len(body) - len(body.lstrip("\n"))
    first = doc.body_line + lead
    return _markdown(text, lambda line, col: Location(doc.path, first + line, col + 1), ctx, sourced)


def _article(doc: MarkdownDocument, ctx: Context, config: Config | None) -> Article | None:
    values = formats.ARTICLE.convert(doc.data, ctx)
    summary = _body(doc, ctx, "the article needs a summary below the front matter", sourced=True)
    if values is INVALID or summary is None:
        return None
    _summary_length(doc, summary, ctx)
    values.pop("editor_notes", None)
    values.pop("excerpts", None)
    return Article(id=doc.stem, summary=summary, origin=ctx.loc(doc.data), **values)


def _summary_length(doc: MarkdownDocument, summary: Prose, ctx: Context) -> None:
    words, (least, most) = len(summary.text.split()), formats.SUMMARY_WORDS
    if not least <= words <= most:
        lead = len(doc.body or "") - len((doc.body or "").lstrip("\n"))
        ctx.diags.warning(Location(doc.path, doc.body_line + lead),
                          f"the summary is {words} words long; summaries are {least} to {most} words: "
                          + ("say what the article reports and why it matters" if words < least else "shorten it"))


def _page(doc: MarkdownDocument, ctx: Context, config: Config | None) -> Page | None:
    stem = doc.stem
    if stem in RESERVED_PAGES - {"index"}:
        ctx.error(Location(doc.path), f"'{stem}' is a name the site uses for its own pages; rename the file")
    values = formats.PAGE.convert(doc.data, ctx)
    body = _body(doc, ctx, None)
    if values is INVALID or body is None:
        return None
    return Page(slug=stem, body=body, origin=ctx.loc(doc.data), **values)


def _timeline(doc: YamlDocument, ctx: Context, config: Config | None) -> list[Event] | None:
    items = formats.TIMELINE.convert(doc.data, ctx)
    if items is INVALID:
        return None
    return [Event(date=i["date"], title=i["title"], sources=i["sources"], origin=i["origin"],
                  summary=i["summary"], councils=i.get("councils", ()), anchor=_anchor(i["date"], i["title"]))
            for i in items]


def _changelog(doc: YamlDocument, ctx: Context, config: Config | None) -> list[Change] | None:
    items = formats.CHANGELOG.convert(doc.data, ctx)
    if items is INVALID:
        return None
    return [Change(date=i["date"], kind=i["kind"], summary=i["summary"], origin=i["origin"],
                   council=i.get("council")) for i in items]


def _is_placeholder(contact: str) -> bool:
    host = (urlsplit(contact).hostname if contact.startswith("https://") else contact.rpartition("@")[2]) or ""
    return any(host.lower() == h or host.lower().endswith("." + h) for h in PLACEHOLDER_HOSTS)


_CONVERTERS = {"site": _config, "council": _council, "article": _article, "page": _page,
               "timeline": _timeline, "changelog": _changelog}


def _anchor(date: PartialDate, title: str) -> str:
    """An event's place on the timeline page: its date and the first words of its title."""
    return slugify(f"{date.iso} {title}")[:60].rstrip("-")


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


def _figures(councils: list[Council], articles: list[Article], timeline: tuple[Event, ...]) -> Figures:
    counted = [c.cameras.hikvision for c in councils if c.cameras and c.cameras.hikvision is not None]
    spend = [s.amount_gbp for c in councils for s in c.spend]
    statuses = Counter(c.status for c in councils)
    years = [c.cameras.as_of.year for c in councils
             if c.cameras and c.cameras.hikvision is not None and c.cameras.as_of]
    return Figures(
        camera_years=(min(years), max(years)) if years else None,
        state_of_play=tuple((n, one if n == 1 else several) for codes, one, several in STATUS_GROUPS
                            if (n := sum(statuses[code] for code in codes))),
        councils=len(councils),
        hikvision_cameras=sum(counted),
        councils_with_camera_counts=len(counted),
        contract_values=len(spend),
        contract_total_gbp=sum(spend),
        by_status=tuple((s, statuses[s]) for s in STATUSES),
        events=len(timeline),
        articles=len(articles),
    )


"""The model → every output file, in memory: one strict Jinja environment and the route table."""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from collections.abc import Mapping
from collections import Counter
from typing import Callable, Iterator, NamedTuple
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from . import charts, data, markdown, search
from .backlinks import CitedBy
from .diagnostics import Diagnostic, Diagnostics, Location
from .load import ASSETS_DIR, CHANGELOG_FILE, TEMPLATES_DIR, article_file, council_file, decode, page_file
from .model import FEED_CHANGE_KINDS, Prose, Site

ASSETS_URL = "assets/"  # where the files of ASSETS_DIR are published
SOURCES_PAGE = "sources/index.html"
TIMELINE_PAGE = "timeline/index.html"
FEED_ENTRIES = 50  # the Atom feed holds the latest events and changes
WHATS_NEW = 5  # changes listed on the home page


@dataclass(frozen=True, slots=True)
class Route:
    """One output file: rendered from `template` with `context`, or produced by `build`; both
    are given the pieces (pieces.Placeholders) as `pieces`: by name (a template marks them
    `| safe`: they are HTML its own templates escaped), or many at once (`lines`, `run`).

    `inputs` are the content files the output depends on (besides site.yaml and its templates),
    or None when it depends on all of them, so a rebuild can skip outputs whose inputs are
    unchanged; `derived` holds what else it shows that other files can change (the timeline
    anchors of a council's events)."""

    path: str
    template: str | None = None
    context: dict | None = None
    build: Callable[[Mapping[str, str]], str] | None = None
    inputs: tuple[str, ...] | None = None
    derived: tuple = ()


def environment(site_dir: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The one template environment: autoescaped, strict about undefined names. With
    `compiled`, a folder that keeps the compiled templates for the next process."""
    env = jinja2.Environment(
        loader=_Loader(site_dir / TEMPLATES_DIR),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(md=_md_filter, gbp=gbp, number=number, plural=plural, groupby_year=groupby_year,
                       filesize=filesize)
    env.globals.update(cite=_cite, plural=plural, report_link=report_link, host=host,
                       council_file=council_file, article_file=article_file)
    env.globals.update(uk_map=charts.outline, map_panels=charts.panels, marker_path=charts.marker_path,
                       marker_shapes=charts.MARKER_SHAPES, chart_by_status=charts.by_status,
                       chart_cameras=charts.cameras_per_council, chart_events=charts.events_per_year,
                       data_files=data.FILES, feed_change_kinds=FEED_CHANGE_KINDS, whats_new=WHATS_NEW)
    return env


class TemplateUnreadable(jinja2.TemplateError):
    """A template that cannot be decoded, with the diagnostic a content file would get."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Loader(jinja2.FileSystemLoader):
    """Jinja's loader, reporting a byte that is not UTF-8 as content files do, at its place."""

    def get_source(self, environment: jinja2.Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            parts = jinja2.loaders.split_template_path(template)
            diags = Diagnostics()
            with open(os.path.join(self.searchpath[0], *parts), "rb") as f:
                decode(f.read(), "/".join([TEMPLATES_DIR, *parts]), diags)
            if not diags.items:
                raise  # it changed meanwhile: nothing better to say
            raise TemplateUnreadable(diags.items[0]) from None


def routes(site: Site) -> list[Route]:
    """The route table: every file of the site, in a fixed order."""
    config = site.config
    common = {"site": site, "config": config, "nav": _nav(site),
              "council_names": {c.slug: c.name for c in site.councils}}

    def templated(path: str, template: str, context: dict, inputs: tuple[str, ...] | None = None,
                  derived: tuple = ()) -> Route:
        """A route rendered from a template, with what every page is given (`root`: the way back
        to the site's root, unless the page says otherwise)."""
        return Route(path, template, {**common, "path": path, "root": "../" * path.count("/"), **context},
                     None, inputs, derived)

    cited_by = CitedBy(site)  # for the sources page and downloads only: worked out if they are rendered
    changes_of: dict[str, list] = {}
    for change in site.changes:
        if change.council:
            changes_of.setdefault(change.council, []).append(change)
    table = [
        templated("index.html", "home.html", {
            "page_title": None, "description": site.config.description,
            "find_names": sorted({n for c in site.councils for n in (c.name, *c.aliases)}),
            "with_status": _with_status(site)}),
        templated("councils/index.html", "councils.html", {"page_title": "Councils",
              "description": f"All {len(site.councils)} councils tracked, with their status and camera figures.",
              "counts": _Counts(*(Counter(getattr(c, name) for c in site.councils)
                                  for name in ("status", "region", "kind")))}),
        templated(TIMELINE_PAGE, "timeline.html", {"page_title": "Timeline",
              "description": "Every dated event, national and council by council.",
              "involved": {slug for e in site.timeline for slug in ((e.council,) if e.council else e.councils)}}),
        templated(SOURCES_PAGE, "sources.html", {"page_title": "Sources",
              "description": "Every source article the site cites, and what cites it.", "cited_by": cited_by}),
        templated("data/index.html", "data.html", {"page_title": "Download the data",
              "description": "The site's council records, timeline and sources as open data (CSV and JSON), "
                             "with the licence and a description of every field.",
              "sizes": partial(data.sizes, site)}),  # called with the pieces
        templated("changes/index.html", "changes.html", {"page_title": "What's new",
              "description": "Every change to this site, newest first: statuses, corrections, additions "
                             "and checks, each dated and explained."}),
        templated("search/index.html", "search.html", {"page_title": "Search",
              "description": "Search the councils, sources, events and pages of this site.",
              "search_kinds": search.KINDS}),
        # Served at any missing address, so its links resolve from the site's root, not its own.
        templated("404.html", "404.html", {"page_title": "Page not found", "description": "Page not found.",
                                           "root": "", "base_path": urlsplit(config.base_url).path or "/"}),
    ]
    for council in site.councils:
        changes = tuple(changes_of.get(council.slug, ()))
        table.append(templated(f"councils/{council.slug}/index.html", "council.html", {
            "council": council, "page_title": council.name, "description": council.status_summary,
            "cite_numbers": {ident: n for n, ident in enumerate(council.citations, 1)},
            "changes": changes, "stale": council.slug in site.stale,
        }, inputs=(council_file(council.slug), *article_files(council.citations),
                   *((CHANGELOG_FILE,) if changes else ())),
            derived=(tuple(e.anchor for e in council.events), council.slug in site.stale)))
    for page in site.pages:
        table.append(templated(f"{page.slug}/index.html", "page.html", {
            "page": page, "page_title": page.title, "description": page.description},
            inputs=(page_file(page.slug), *article_files(page.body.citations))))
    lastmod = {f"councils/{c.slug}/index.html": c.last_reviewed.iso for c in site.councils}
    table += [
        templated("feed.xml", "feed.xml", {"root": config.base_url, "entries": feed_entries(site)}),
        templated("sitemap.xml", "sitemap.xml", {"html_paths": [r.path for r in table if r.path != "404.html"],
                                                 "lastmod": lastmod}),
        templated("robots.txt", "robots.txt", {}),
    ]
    table += [Route(path, build=builder) for path, builder in data.builders(site)]
    table.append(Route(search.INDEX_PATH, build=partial(search.join, site)))
    # After the sitemap, which lists only the councils' current addresses.
    table += [templated(f"councils/{old}/index.html", "redirect.html", {
        "council": c, "page_title": c.name, "description": f"This page has moved to {c.name}."},
        inputs=(council_file(c.slug),)) for c in site.councils for old in c.former_slugs]
    return table


def pages_by_input(table: list[Route]) -> dict[str, str]:
    """Content file → the page made from it (the first route naming it as its first input)."""
    return {r.inputs[0]: r.path for r in reversed(table) if r.inputs}


def prose_page(kind: str, path: str, pages: Mapping[str, str]) -> str | None:
    """The page that shows the prose of the content file `path` (of `kind`): the base of its
    relative links. `pages` is `pages_by_input` of the route table."""
    return {"article": SOURCES_PAGE, "timeline": TIMELINE_PAGE}.get(kind) or pages.get(path)


def content_anchors(site: Site) -> dict[str, frozenset[str]]:
    """The #anchors of the pages whose every id a link may aim at comes from the content: one
    per article on the sources page, one per event on the timeline."""
    return {SOURCES_PAGE: frozenset(site.articles), TIMELINE_PAGE: frozenset(e.anchor for e in site.timeline)}


def feed_entries(site: Site) -> list[tuple[str, object]]:
    """The feed's entries, newest first: the latest events, and the status changes and
    corrections of the change log, as ("event" | "change", item) pairs."""
    changes = [("change", c) for c in site.changes if c.kind in FEED_CHANGE_KINDS][:FEED_ENTRIES]
    events = [("event", e) for e in reversed(site.timeline[-FEED_ENTRIES:])]
    # A stable sort: on the same day, changes first, then events in the timeline's order.
    merged = sorted(changes + events, key=lambda pair: pair[1].date, reverse=True)
    return merged[:FEED_ENTRIES]


def _with_status(site: Site) -> dict[str, list[str]]:
    """Status → the slugs of the councils that have it, in the site's order."""
    found: dict[str, list[str]] = {code: [] for code in site.config.statuses}
    for c in site.councils:
        found[c.status].append(c.slug)
    return found


class _Counts(NamedTuple):
    """How many councils have each status, region and kind (the councils page's filters)."""

    status: Counter
    region: Counter
    kind: Counter


def article_files(ids) -> list[str]:
    return [article_file(ident) for ident in dict.fromkeys(ids)]


_TEMPLATE_REF = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+(?:(["'])(.*?)\1|(\S))""")


def template_closure(env: jinja2.Environment, name: str) -> tuple[str, ...] | None:
    """The templates `name` extends, includes or imports, recursively, itself included (and the
    map outline, if one calls `uk_map()`, which reads it); None
    when one of them names another by an expression (so it may use any) or cannot be read.
    Read from the sources' tags, which is much quicker than parsing them."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        try:
            source, _, _ = env.loader.get_source(env, current)
        except jinja2.TemplateError:
            return None  # rendering will report it
        for m in _TEMPLATE_REF.finditer(source):
            if m[3] is not None:
                return None
            todo.append(m[2])
        if "uk_map(" in source:
            todo.append(charts.MAP_TEMPLATE)
    return tuple(sorted(seen))


def render_route(route: Route, env: jinja2.Environment, pieces: Mapping[str, str]) -> str:
    if route.build is not None:
        return route.build(pieces)
    return env.get_template(route.template).render(route.context, pieces=pieces)


@dataclass(slots=True)
class Templates:
    """One version of the templates folder: its environment, and the digest of each template
    together with everything it extends, includes or imports (remembered as they are asked for)."""

    env: jinja2.Environment
    fingerprint: str  # of every file under templates/
    folder: Path
    digests: dict[str, str] = field(default_factory=dict)

    def digest(self, name: str) -> str:
        """Changes when `name` or a template it uses does (when unknown: when any template does)."""
        found = self.digests.get(name)
        if found is None:
            closure = template_closure(self.env, name)
            found = self.fingerprint if closure is None else _hash(
                b"".join(n.encode() + b"\0" + (self.folder / n).read_bytes() for n in closure))
            self.digests[name] = found
        return found


def templates_fingerprint(site_dir: Path, listed) -> str:
    """A hash of every file under templates/ in the `listing` (load.listing)."""
    parts = []
    for rel in sorted(rel for rel in listed if rel.startswith(TEMPLATES_DIR + "/")):
        try:
            with open(site_dir / rel, "rb") as f:
                parts.append(rel.encode() + b"\0" + hashlib.blake2b(f.read(), digest_size=16).digest())
        except OSError:  # removed since it was listed
            continue
    return _hash(b"".join(parts))


def templates(site_dir: Path, fingerprint: str, compiled: Path | None, previous: Templates | None = None) -> Templates:
    """The templates whose `templates_fingerprint` is given: `previous` when it is theirs, else a
    new environment (keeping compiled templates in `compiled`, if given)."""
    if previous is not None and previous.fingerprint == fingerprint:
        return previous
    return Templates(environment(site_dir, compiled), fingerprint, site_dir / TEMPLATES_DIR)


def precompile(templates: Templates) -> None:
    """Compile every template now (once, before processes fork to render); one that does not
    compile is left for rendering to report."""
    env = templates.env
    for name in env.list_templates(filter_func=lambda name: not name.startswith(("assets/", "map/"))):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def assets(site_dir: Path) -> Iterator[tuple[str, bytes]]:
    """Files under templates/assets/, copied as they are to assets/."""
    base = site_dir / ASSETS_DIR
    for folder, dirs, files in sorted(os.walk(base)):
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            yield ASSETS_URL + path.relative_to(base).as_posix(), path.read_bytes()


def published_asset(rel: str) -> str | None:
    """The output path of the input file `rel` if it is an asset (`templates/assets/site.css`
    → `assets/site.css`), else None."""
    folder = ASSETS_DIR + "/"
    return ASSETS_URL + rel[len(folder):] if rel.startswith(folder) else None


def template_diagnostic(exc: Exception, site_dir: Path) -> Diagnostic | None:
    """Point a Jinja error, or any other error raised while a template ran, at its template file
    and line, like a content error; None for an error that no template raised."""
    if isinstance(exc, TemplateUnreadable):
        return exc.diagnostic
    templates = os.path.abspath(site_dir / TEMPLATES_DIR) + os.sep
    line, name = getattr(exc, "lineno", None), getattr(exc, "filename", None)
    if not isinstance(exc, jinja2.TemplateSyntaxError):
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and os.path.abspath(frame.filename).startswith(templates):
                name, line = frame.filename, frame.lineno
                break
    if not isinstance(exc, jinja2.TemplateError):
        if name is None:
            return None
        message = f"{exc.__class__.__name__}: {exc}"
    else:
        message = exc.message or exc.__class__.__name__
    rel = os.path.relpath(os.path.abspath(name), os.path.abspath(site_dir)) if name else TEMPLATES_DIR
    column = 1
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found in {TEMPLATES_DIR}/"
    elif isinstance(exc, jinja2.TemplateSyntaxError) and name and _UNCLOSED in message:
        found = _unclosed_tag(exc.source if exc.source is not None else _read(name))
        if found:
            line, column, message = found
    return Diagnostic(Location(Path(rel).as_posix(), line or 1, column), "error", f"template error: {message}")


_UNCLOSED = "The innermost block that needs to be closed is"
_BLOCK_TAGS = {"if", "for", "block", "macro", "call", "filter", "with", "autoescape", "trans", "set"}


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeError):
        return None


def _unclosed_tag(source: str | None) -> tuple[int, int, str] | None:
    """(line, column, message) for the innermost block tag that is never closed: Jinja reports
    it where it gave up (the end of the file, or a mismatched end tag), not where it opens."""
    if source is None:
        return None
    opened: list[tuple[str, int]] = []
    tag, words, stray = None, [], None
    try:
        for lineno, kind, value in jinja2.Environment().lex(source):
            if kind == "block_begin":
                tag, words = None, []
            elif kind == "name" and tag is None:
                tag, start = value, lineno
            elif kind == "block_end" and tag is not None:
                if tag in _BLOCK_TAGS and not (tag == "set" and "=" in words):
                    opened.append((tag, start))
                elif tag.startswith("end") and opened:
                    if opened[-1][0] != tag[3:]:
                        stray = (tag, start)
                        break
                    opened.pop()
            elif tag is not None:
                words.append(value)
    except jinja2.TemplateSyntaxError:
        return None
    if not opened:
        return None
    tag, line = opened[-1]
    text = source.split("\n")[line - 1]
    m = re.search(r"{%[-+]?\s*" + tag + r"\b", text)
    where = f" before the '{{% {stray[0]} %}}' on line {stray[1]}" if stray else ""
    return line, (m.start() + 1 if m else 1), f"'{{% {tag} %}}' is never closed: add '{{% end{tag} %}}'{where}"


# Links the site writes to its own pages: href attributes, and a redirect page's refresh target.
_HREF_RE = re.compile(r'(?<=\shref=")[^"]*(?=")|(?<=content="0; url=)[^"]*(?=")')
_SEARCH_URL_RE = re.compile(r'(?<="u":")[^"]*(?=")')


def file_url(url: str) -> str:
    """A relative link to a folder made a link to its `index.html` (`../councils/` →
    `../councils/index.html`), as a browser opening files from disk needs; others unchanged."""
    if url.startswith(("/", "#")) or ":" in url.split("/", 1)[0]:
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path == "" or path.endswith("/"):
        path += "index.html"
    elif path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/index.html"
    return path + rest


def for_files(path: str, content: bytes) -> bytes:
    """An output file with its links to folders made links to their `index.html`."""
    if path.endswith(".html"):
        return _HREF_RE.sub(lambda m: file_url(m[0]), content.decode("utf-8")).encode("utf-8")
    if path == search.INDEX_PATH:
        return _SEARCH_URL_RE.sub(lambda m: file_url(m[0]), content.decode("utf-8")).encode("utf-8")
    return content


def _nav(site: Site) -> list[tuple[str, str]]:
    pages = sorted((p for p in site.pages if p.nav is not None), key=lambda p: (p.nav, p.slug))
    return [("councils/", "Councils"), ("timeline/", "Timeline"), ("sources/", "Sources")] + [
        (f"{p.slug}/", p.title) for p in pages
    ] + [("data/", "Data"), ("search/", "Search")]


@jinja2.pass_context
def _md_filter(context, prose: Prose | None) -> Markup:
    """Markdown HTML with links made relative to this page and citations in this page's style."""
    if prose is None:
        return Markup("")
    return Markup(markdown.fill(prose.html, context["root"], lambda ident: _cite(context, ident)))


@jinja2.pass_context
def _cite(context, ident: str) -> Markup:
    """A citation: a numbered footnote marker on pages that number them, else a short link."""
    numbers = context.get("cite_numbers")
    if numbers is not None:
        n = numbers[ident]
        return Markup(f'<sup class="cite"><a href="#cite-{n}">[<span class="visually-hidden">source </span>'
                      f"{n}]</a></sup>")
    article = context["site"].articles[ident]
    return Markup(f'<a class="cite" href="{context["root"]}sources/#{article.id}">'
                  f"({escape(article.publisher)}, {escape(article.date.short)})</a>")


def groupby_year(events) -> list[tuple[int, list]]:
    groups: dict[int, list] = {}
    for event in events:
        groups.setdefault(event.date.year, []).append(event)
    return list(groups.items())


def gbp(amount: int) -> str:
    return f"£{amount:,}"


def number(value: int) -> str:
    return f"{value:,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"



def filesize(size: int) -> str:
    """'812 bytes', '14 kB' or '2.3 MB' (decimal units, as browsers show downloads)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000):,} kB"
    return f"{size / 1_000_000:.1f} MB"


def host(url: str) -> str:
    """The site a link goes to, as readers know it: 'web.archive.org', 'bbc.co.uk'."""
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")


def report_link(contact: str, page_title: str, page_url: str) -> str:
    """Where "Report an error on this page" goes: a mailto: with the page filled in, or the
    contact page with the page's address as `page` (a form can read it)."""
    if contact.startswith("https://"):
        return f"{contact}{'&' if '?' in contact else '?'}page={quote(page_url, safe='')}"
    subject = quote(f"Error on the page {page_title}", safe="")
    body = quote(f"Page: {page_url}\n\nWhat is wrong, and the source that shows it:\n", safe="")
    return f"mailto:{contact}?subject={subject}&body={body}"

"""The model → every output file, in memory: one strict Jinja environment and the route table."""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from . import charts, data, markdown, search
from .diagnostics import Diagnostic, Location
from .model import Prose, Site

TEMPLATES_DIR = "templates"
ASSETS_DIR = "templates/assets"
FEED_ENTRIES = 50  # the Atom feed holds the latest events


@dataclass(frozen=True, slots=True)
class Route:
    """One output file: rendered from `template` with `context`, or produced by `build`.

    `inputs` are the content files the output depends on (besides site.yaml and its templates),
    or None when it depends on all of them, so a rebuild can skip outputs whose inputs are
    unchanged; `derived` holds what else it shows that other files can change (the timeline
    anchors of a council's events)."""

    path: str
    template: str | None = None
    context: dict | None = None
    build: Callable[[], bytes] | None = None
    inputs: tuple[str, ...] | None = None
    derived: tuple = ()

    @property
    def depth(self) -> int:
        return self.path.count("/")


def environment(site_dir: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The one template environment: autoescaped, strict about undefined names. With
    `compiled`, a folder that keeps the compiled templates for the next process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(site_dir / TEMPLATES_DIR),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(md=_md_filter, gbp=gbp, number=number, plural=plural, groupby_year=groupby_year)
    env.globals.update(cite=_cite, plural=plural)
    env.globals.update(uk_map=charts.outline, map_panels=charts.panels, marker_path=charts.marker_path,
                       marker_shapes=charts.MARKER_SHAPES, chart_by_status=charts.by_status,
                       chart_cameras=charts.cameras_per_council, chart_events=charts.events_per_year,
                       data_files=data.FILES)
    return env


def routes(site: Site) -> list[Route]:
    """The route table: every file of the site, in a fixed order."""
    config = site.config
    common = {"site": site, "config": config, "nav": _nav(site),
              "council_names": {c.slug: c.name for c in site.councils}}
    table = [
        Route("index.html", "home.html", {"page_title": None, "description": site.config.description}),
        Route("councils/index.html", "councils.html", {"page_title": "Councils",
              "description": f"All {len(site.councils)} councils tracked, with their status and camera figures."}),
        Route("timeline/index.html", "timeline.html", {"page_title": "Timeline",
              "description": "Every dated event, national and council by council.",
              "involved": {slug for e in site.timeline for slug in ((e.council,) if e.council else e.councils)}}),
        Route("sources/index.html", "sources.html", {"page_title": "Sources",
              "description": "Every source article the site cites, and what cites it."}),
        Route("data/index.html", "data.html", {"page_title": "Download the data",
              "description": "The site's council records, timeline and sources as open data (CSV and JSON), "
                             "with the licence and a description of every field."}),
        Route("search/index.html", "search.html", {"page_title": "Search",
              "description": "Search the councils, sources, events and pages of this site.",
              "search_kinds": search.KINDS}),
        # Served at any missing address, so its links resolve from the site's root, not its own.
        Route("404.html", "404.html", {"page_title": "Page not found", "description": "Page not found.",
                                       "root": "", "base_path": urlsplit(config.base_url).path or "/"}),
    ]
    for council in site.councils:
        table.append(Route(f"councils/{council.slug}/index.html", "council.html", {
            "council": council, "page_title": council.name, "description": council.status_summary,
            "cite_numbers": {ident: n for n, ident in enumerate(council.citations, 1)},
        }, inputs=(f"content/councils/{council.slug}.yaml", *_article_files(council.citations)),
            derived=tuple(e.anchor for e in council.events)))
    for page in site.pages:
        table.append(Route(f"{page.slug}/index.html", "page.html", {
            "page": page, "page_title": page.title, "description": page.description},
            inputs=(f"content/pages/{page.slug}.md", *_article_files(page.body.citations))))
    lastmod = {f"councils/{c.slug}/index.html": c.last_reviewed.iso for c in site.councils}
    table += [
        Route("feed.xml", "feed.xml", {"root": config.base_url, "feed_entries": FEED_ENTRIES}),
        Route("sitemap.xml", "sitemap.xml", {"html_paths": [r.path for r in table if r.path != "404.html"],
                                             "lastmod": lastmod}),
        Route("robots.txt", "robots.txt", {}),
    ]
    table += [Route(path, build=builder) for path, builder in data.builders(site)]
    table.append(Route(search.INDEX_PATH, build=lambda: search.index_script(site)))
    return [Route(r.path, r.template, common | {"path": r.path, "root": _root(r)} | r.context, r.build,
                  r.inputs, r.derived) if r.template else r for r in table]


def _article_files(ids) -> list[str]:
    return [f"content/articles/{ident}.md" for ident in dict.fromkeys(ids)]


_TEMPLATE_REF = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+(?:(["'])(.*?)\1|(\S))""")


def template_closure(env: jinja2.Environment, name: str) -> tuple[str, ...] | None:
    """The templates `name` extends, includes or imports, recursively, itself included; None
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
    return tuple(sorted(seen))


def render_route(route: Route, env: jinja2.Environment) -> bytes:
    if route.build is not None:
        return route.build()
    return env.get_template(route.template).render(route.context).encode("utf-8")


def assets(site_dir: Path) -> Iterator[tuple[str, bytes]]:
    """Files under templates/assets/, copied as they are to assets/."""
    base = site_dir / ASSETS_DIR
    for folder, dirs, files in sorted(os.walk(base)):
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            yield "assets/" + path.relative_to(base).as_posix(), path.read_bytes()


def template_diagnostic(exc: jinja2.TemplateError, site_dir: Path) -> Diagnostic:
    """Point a Jinja error at its template file and line, like a content error."""
    templates = os.path.abspath(site_dir / TEMPLATES_DIR) + os.sep
    line, name = getattr(exc, "lineno", None), getattr(exc, "filename", None)
    if not isinstance(exc, jinja2.TemplateSyntaxError):
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and os.path.abspath(frame.filename).startswith(templates):
                name, line = frame.filename, frame.lineno
                break
    rel = os.path.relpath(os.path.abspath(name), os.path.abspath(site_dir)) if name else TEMPLATES_DIR
    message = exc.message or exc.__class__.__name__
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found in {TEMPLATES_DIR}/"
    return Diagnostic(Location(Path(rel).as_posix(), line or 1, 1), "error", f"template error: {message}")


def _root(route: Route) -> str:
    return "../" * route.depth


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


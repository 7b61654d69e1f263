"""Links from the content's prose to the site's own pages and #anchors, checked before anything
is built, at their place in the content file.

A link is resolved as a browser would on the page that shows the prose (a council's notes on
its page, an article's summary on the sources page), against the route table: the one list
of what the site publishes. `check --links` still checks the built pages, templates included.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Location, closest
from .model import Site


def is_internal(href: str) -> bool:
    """A link within the site: no scheme and no host (`/councils/`, `../dover/`, `#id`)."""
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc


def check(site: Site, files: list[tuple[str, str, tuple[tuple[str, Location], ...]]]) -> list[Diagnostic]:
    """An error for each link (of (kind, path, links) per content file) to no page or anchor."""
    from .render import ASSETS_URL, content_anchors, pages_by_input, prose_page, routes

    table = routes(site)
    paths = {r.path for r in table}
    anchors = content_anchors(site)
    pages = pages_by_input(table)
    problems = []
    for kind, path, links in files:
        page = prose_page(kind, path, pages) or "index.html"
        for href, where in links:
            message = _problem(href, page, paths, anchors, ASSETS_URL)
            if message:
                problems.append(Diagnostic(where, "error", message))
    return problems


def _problem(href: str, page: str, paths: set[str], anchors: dict[str, frozenset[str]],
             assets: str) -> str | None:
    parts = urlsplit(href)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    rooted = path.startswith("/")
    base = posixpath.dirname(page)
    if not path:
        target = page
    else:
        joined = posixpath.normpath(path.lstrip("/") if rooted else posixpath.join(base, path))
        if joined == ".." or joined.startswith("../"):
            return f"broken link '{href}': it points outside the site"
        joined = "" if joined == "." else joined
        if joined.startswith(assets):
            return None  # the site's own files (styles, images): checked in the built site
        target = _page(joined, path.endswith("/"), paths)
        if target is None:
            return f"broken link '{href}': the site has no page {joined + ('/' if path.endswith('/') else '')}" \
                   + _suggest(joined, rooted, base, paths)
    known = anchors.get(target)
    if fragment and fragment != "top" and known is not None and fragment not in known:
        guess = closest(fragment, known)
        hint = f" (did you mean '#{guess}'?)" if guess else ""
        return f"broken link '{href}': {_shown(target)} has no anchor '#{fragment}'{hint}"
    return None


def _page(joined: str, folder: bool, paths: set[str]) -> str | None:
    """The output file a path serves (a folder serves its index.html), or None."""
    index = posixpath.join(joined, "index.html") if joined else "index.html"
    if index in paths:
        return index
    if not folder and joined in paths:
        return joined
    return None


def _shown(target: str) -> str:
    """An output path as its address: `councils/dover/index.html` → `councils/dover/`."""
    if target == "index.html":
        return "the home page"
    return target[: -len("index.html")] if target.endswith("/index.html") else target


def _suggest(joined: str, rooted: bool, base: str, paths: set[str]) -> str:
    addresses = {_shown(p).rstrip("/"): _shown(p) for p in paths if p != "index.html"}
    guess = closest(joined.rstrip("/"), addresses)
    if guess is None:
        return ""
    address = addresses[guess]
    written = "/" + address if rooted else posixpath.relpath(address, base or ".") + ("/" if address.endswith("/") else "")
    return f" (did you mean '{written}'?)"

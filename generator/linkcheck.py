"""Check every internal link and `#anchor` of a built site, as a static host would serve it.

Each `href` and `src` of every HTML page is resolved against the page (or against the site's
root on a page with `<base href>`, like 404.html); a folder serves its `index.html`. Links to
other hosts are not fetched: the check works offline. Unsafe schemes (`javascript:`, `data:`,
...) and root-absolute links, which break when the site lives under a sub-path, are reported too.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Location
from .write import inventory

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
LINK_ATTRIBUTES = ("href", "src")


class NoBuiltSite(ValueError):
    """The folder to check holds no built site."""


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Page:
    ids: frozenset[str]
    links: tuple[Link, ...]
    from_root: bool  # it has a <base href>: its relative links start at the site's root


@dataclass(frozen=True, slots=True)
class LinkReport:
    diagnostics: list[Diagnostic]
    pages: int
    links: int


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []
        self.from_root = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif tag == "base" and name == "href":
                self.from_root = True
            elif name in LINK_ATTRIBUTES:
                self.links.append(Link(value.strip(), line, column + 1))

    handle_startendtag = handle_starttag


def read_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text("utf-8", errors="replace"))
    parser.close()
    return Page(frozenset(parser.ids), tuple(parser.links), parser.from_root)


def check_links(out: Path, shown: str) -> LinkReport:
    """Every broken internal link of the site in `out`; `shown` is how to print that folder."""
    if not (out / "index.html").is_file():
        raise NoBuiltSite(f"no built site in {shown}/ (it has no index.html); build it first")
    pages = {rel: read_page(out / rel) for rel in _html_files(out)}
    problems = []
    for rel, page in pages.items():
        for link in page.links:
            message = _problem(rel, page, link.url, out, pages)
            if message:
                problems.append(Diagnostic(Location(f"{shown}/{rel}", link.line, link.column), "error", message))
    return LinkReport(sorted(problems), len(pages), sum(len(p.links) for p in pages.values()))


def _html_files(out: Path) -> list[str]:
    return sorted(rel for rel in inventory(out).files if rel.endswith(".html"))


def _problem(rel: str, page: Page, url: str, out: Path, pages: dict[str, Page]) -> str | None:
    """Why `url` on page `rel` is broken, or None when it works."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme or parts.netloc:
        if scheme in EXTERNAL_SCHEMES or (not scheme and parts.netloc):
            return None
        return f"unsafe link '{url[:80]}': only http, https and mailto links may leave the site"
    if parts.path.startswith("/"):
        return f"broken link '{url}': links must be relative, so the site works under any path"
    target = _target(rel, page, unquote(parts.path), out)
    if target is None:
        return f"broken link '{url}': it points outside the site"
    if not (out / target).is_file():
        return f"broken link '{url}': no file {target}"
    fragment = unquote(parts.fragment)
    if fragment and fragment != "top" and target in pages and fragment not in pages[target].ids:
        return f"broken link '{url}': no id '{fragment}' on {target}"
    return None


def _target(rel: str, page: Page, path: str, out: Path) -> str | None:
    """The file a relative path serves, relative to the site's root; None if it leaves the site."""
    if not path:
        return rel
    base = "" if page.from_root else posixpath.dirname(rel)
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined == ".." or joined.startswith("../"):
        return None
    if joined == ".":
        joined = ""
    if path.endswith("/") or not joined or (out / joined).is_dir():
        return posixpath.join(joined, "index.html")
    return joined

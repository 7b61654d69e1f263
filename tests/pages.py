"""Reading built pages the way a reader sees them: visible text, links, ids."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def text(node) -> str:
    """Visible text with whitespace collapsed."""
    return re.sub(r"\s+", " ", node.get_text("")).strip()


def internal_links(out: Path) -> list[tuple[str, str, str]]:
    """(page, href, resolved target path#fragment) for every same-site link and resource."""
    found = []
    for page in sorted(out.rglob("*.html")):
        rel = page.relative_to(out).as_posix()
        doc = soup(page)
        # A <base> (404.html's) points at the site's root on its real host.
        base = "http://site/" if doc.find("base") is not None else f"http://site/{rel}"
        for tag in doc.find_all(["a", "link", "script", "img"]):
            href = tag.get("href") or tag.get("src")
            if not href or urlsplit(href).scheme in ("http", "https", "mailto") and not href.startswith("http://site/"):
                continue
            target = urljoin(base, href)
            found.append((rel, href, target.removeprefix("http://site/")))
    return found


def resolve(out: Path, target: str) -> tuple[Path | None, str]:
    """The file a site-relative URL serves (directory → index.html), and its fragment."""
    path, fragment = urldefrag(target)
    path = unquote(path.split("?", 1)[0])
    candidate = out / path
    if path == "" or path.endswith("/"):
        candidate = candidate / "index.html"
    return (candidate if candidate.is_file() else None), fragment

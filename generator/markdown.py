"""One configured Markdown renderer: CommonMark and tables, raw HTML off, no images, and two
additions of ours: `[@article-id]` citations and root-relative links (`/councils/`).

The HTML it returns is page-independent. Two placeholders are filled in when a page renders:
`ROOT` before a site-internal link (the page's relative path to the site root) and
`CITE(id)` where a citation goes (a numbered footnote or a short link, depending on the page).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.anchors import anchors_plugin

from .model import Prose

ROOT = "\x00R\x00"
_CITE_OPEN = "\x00C:"
_CITE_CLOSE = "\x00"
PLACEHOLDER_RE = re.compile("\x00(?:R|C:([a-z0-9-]+))\x00")
CITATION_RE = re.compile(r"\[@([A-Za-z0-9_.-]+)\]")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """`[@id]`: a citation of an article, by id."""
    if not state.src.startswith("[@", state.pos):
        return False
    m = CITATION_RE.match(state.src, state.pos)
    if m is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"id": m[1]}
        token.content = m[0]
    state.pos = m.end()
    return True


def _render_citation(self, tokens, idx, options, env) -> str:
    ident = tokens[idx].meta["id"]
    env.setdefault("citations", []).append(ident)
    return f"{_CITE_OPEN}{ident}{_CITE_CLOSE}"


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = token.attrGet("href") or ""
    env.setdefault("links", []).append(href)
    if href.startswith("/") and not href.startswith("//"):
        token.attrSet("href", ROOT + href[1:])
    elif href.lower().startswith(_SAFE_SCHEMES):
        token.attrSet("rel", "external")
    return self.renderToken(tokens, idx, options, env)


def _heading_level_floor(state) -> None:
    """Page titles are the <h1>; Markdown headings start at <h2>."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def _make() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable(["image", "html_inline", "html_block"])
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.core.ruler.push("heading_floor", _heading_level_floor)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("link_open", _render_link_open)
    md.use(anchors_plugin, min_level=2, max_level=3)
    md.validateLink = _safe_link
    return md


def _safe_link(url: str) -> bool:
    """Links may go to web pages, e-mail addresses, this site and anchors: no other schemes
    (markdown-it's own check still lets `data:image/...` through)."""
    target = url.strip().lower()
    scheme = target.split(":", 1)[0] if ":" in target.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


_MD = _make()


def render(text: str) -> Prose:
    """Render Markdown once; the citations come back in order of appearance (with repeats)."""
    env: dict = {}
    html = _MD.render(text, env)
    return Prose(text=text, html=html, citations=tuple(env.get("citations", ())), links=tuple(env.get("links", ())))


def citation_positions(text: str) -> list[tuple[str, int, int]]:
    """(id, line, column) of each `[@id]` in the Markdown as written, both 0-based, for error messages."""
    found = []
    for line_no, line in enumerate(text.split("\n")):
        if "[@" in line:
            found.extend((m[1], line_no, m.start()) for m in CITATION_RE.finditer(line))
    return found


_LINK_RE = re.compile(r"\]\(\s*<?([^\s)>]+)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")


def link_positions(text: str, links: tuple[str, ...]) -> list[tuple[int, int] | None]:
    """(line, column) of each of `links` (a Prose's) in the Markdown as written, both 0-based, in order;
    None where the address cannot be found as written."""
    written = []
    for line_no, line in enumerate(text.split("\n")):
        if "](" in line or "]:" in line:
            for m in _LINK_RE.finditer(line):
                group = 1 if m[1] is not None else 2
                written.append((_MD.normalizeLink(m[group]), line_no, m.start(group)))
    found: list[tuple[int, int] | None] = []
    for href in links:
        index = next((i for i, w in enumerate(written) if w[0] == href), None)
        found.append(written.pop(index)[1:] if index is not None else None)
    return found


def fill(html: str, root: str, cite) -> str:
    """Replace the placeholders: `root` is the page's path to the site root, `cite(id)` the HTML."""
    if "\x00" not in html:
        return html
    return PLACEHOLDER_RE.sub(lambda m: cite(m[1]) if m[1] else root, html)

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
    plain = _plain(text)
    if plain is not None:
        return Prose(text=text, html=plain[0], citations=plain[1])
    return _parsed(text)


def _parsed(text: str) -> Prose:
    env: dict = {}
    html = _MD.render(text, env)
    return Prose(text=text, html=html, citations=tuple(env.get("citations", ())), links=tuple(env.get("links", ())))


# Most of the site's prose is plain paragraphs: words and punctuation, [@citations], and *emphasis*
# or **strong** around a few words. Its HTML is written here directly: the parser takes about 70 µs
# a text, most of a file's check. Anything else goes to the parser; `_plain` must return exactly
# what it would (tests/test_markdown.py compares the two on generated and real text).
_SYNTAX_CHARS = "#&+<=>\\^_`{|}~"  # ASCII that may be Markdown syntax in running text (with '*', '[', ']')
# A line that may open a block (indented code, link definition, list, rule or heading underline).
_BLOCK_START = re.compile(r"\n(?:[ \[-]|\d+[.)])")
_AFTER_WORD = frozenset(["", " ", "\n", ".", ",", ";", ":", "!", "?", ")", "'", '"', "’", "”"])
_AFTER_STOP = frozenset(["", " ", "\n"])
_EMPHASIS_TAGS = {1: ("<em>", "</em>"), 2: ("<strong>", "</strong>")}
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def _plain(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The HTML and citations of plain paragraphs (see above), or None for other Markdown."""
    # Control characters, tabs and Unicode spaces are not printable; trailing spaces make a line break.
    if not text.replace("\n", " ").isprintable() or " \n" in text or text.endswith(" "):
        return None
    if any(c in text for c in _SYNTAX_CHARS) or _BLOCK_START.search("\n" + text):
        return None
    citations = CITATION_RE.findall(text)
    if not text.count("[") == text.count("]") == len(citations):  # every bracket is a citation's
        return None
    if "*" in text:
        pairs = _emphasis(text)
        if pairs is None:
            return None
        parts, at = [], 0
        for (a, b), (c, d) in pairs:
            start, end = _EMPHASIS_TAGS[b - a]
            parts += [text[at:a], start, text[b:c], end]
            at = d
        text = "".join(parts) + text[at:]
    if '"' in text:
        text = text.replace('"', "&quot;")
    if citations:  # every '[' opens a citation, every ']' closes one
        text = text.replace("[@", _CITE_OPEN).replace("]", _CITE_CLOSE)
    # Paragraphs are parted by empty lines; a line break inside one stays as it is.
    return "".join(f"<p>{p}</p>\n" for p in _PARAGRAPH_BREAK.split(text.strip("\n")) if p), tuple(citations)


def _emphasis(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    """The (opening, closing) runs of '*' around words, in order, if each run of the text is one of
    them: the opening one (one or two '*') after a space or a line's start and before a letter or
    digit, so that it can only open; the closing one as long, on the same line, after a letter or
    digit (or '.', '!', '?' then a space or the line's end) so that it can only close. CommonMark
    pairs such runs with each other and nothing else. None if any run is not like that."""
    runs, at = [], text.find("*")
    while at != -1:
        end = at + 1
        while text.startswith("*", end):
            end += 1
        runs.append((at, end))
        at = text.find("*", end)
    if len(runs) % 2:
        return None
    pairs = list(zip(runs[::2], runs[1::2]))
    for (a, b), (c, d) in pairs:
        inner, after = text[b:c], text[d:d + 1]
        if b - a != d - c or b - a > 2 or (a and text[a - 1] not in " \n") or "\n" in inner:
            return None
        if not inner[0].isalnum():
            return None
        last = inner[-1]
        if not (after in _AFTER_WORD if last.isalnum() else last in ".!?" and after in _AFTER_STOP):
            return None
    return pairs


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

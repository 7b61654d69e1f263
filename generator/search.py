"""The site search index, made at build time with lunr.py for lunr.js in the browser.

One record per council, source, event and page. lunr.py (a port of lunr.js 2.3.9, whose index
format it writes) splits the text into words, drops common words ("the", "of") and reduces
each word to its stem with the Porter stemmer, so "removal", "removed" and "remove" meet and
"phase out" finds "phasing out". Before stemming, accents are folded; after it, the words of
each `search: synonyms:` group in site.yaml become the group's first word, so "Uighur" and
"Uyghur" find the same things. The browser (assets/search.js) treats the words typed the same
way, and uses the positions kept in the index to show and highlight what matched.

It is written as a script that assigns the JSON to `window.searchIndex`, not as a `.json` file,
so that `search/` also works when the built files are opened straight from disk (browsers
refuse `fetch()` on file: addresses but run a same-folder script).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import lru_cache

from lunr.builder import Builder
from lunr.index import Index
from lunr.stemmer import porter_stemmer, stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.token_set import TokenSet
from lunr.trimmer import full_re

from .markdown import PLACEHOLDER_RE
from .model import Prose, SearchConfig, Site

INDEX_PATH = "search/index.js"
# The fields searched, and how much a match in each counts: a title match ranks first.
FIELDS = (("t", 10), ("s", 3), ("x", 1))
KINDS = ("Council", "Event", "Source", "Page")  # the type filter's options, in this order
_TAG_RE = re.compile(r"<[^>]+>")
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0-]+")  # lunr.tokenizer.separator


def plain(prose: Prose | None) -> str:
    """Prose as plain text: no tags, no citation markers."""
    if prose is None:
        return ""
    text = prose.html
    if "\x00" in text:
        text = PLACEHOLDER_RE.sub("", text)
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split())


def records(site: Site) -> list[dict]:
    """Search records: kind, title, site-relative url, a one-line summary, and text to match."""
    config, names = site.config, {c.slug: c.name for c in site.councils}
    found = []
    for c in site.councils:
        found.append({"k": "Council", "t": c.name, "u": f"councils/{c.slug}/",
                      "s": f"{config.statuses[c.status].label}. {c.status_summary}",
                      "x": " ".join(filter(None, [c.former_name, c.region, config.kinds[c.kind], plain(c.notes)]))})
    for a in site.articles.values():
        found.append({"k": "Source", "t": a.title, "u": f"sources/#{a.id}",
                      "s": " · ".join(filter(None, [a.publisher, a.author, a.date.display])),
                      "x": plain(a.summary)})
    for e in site.timeline:
        who = names[e.council] + ": " if e.council else ""
        found.append({"k": "Event", "t": f"{who}{e.title}", "u": f"timeline/#{e.anchor}",
                      "s": e.date.display, "x": plain(e.summary)})
    pages = ([site.home] if site.home else []) + list(site.pages)
    for p in pages:
        found.append({"k": "Page", "t": p.title, "u": "" if p.slug == "index" else f"{p.slug}/",
                      "s": p.description, "x": plain(p.body)})
    return found


def fold(word: str) -> str:
    """A word without accents: "Ümit" and "Umit" match (the browser folds the same way)."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def synonym_stems(search: SearchConfig) -> dict[str, str]:
    """Each synonym's stem → the stem of its group's first word (groups of one stem drop out)."""
    table: dict[str, str] = {}
    for group in search.synonyms:
        stems = [porter_stemmer.stem(fold(word.lower())) for word in group]
        table.update({stem: stems[0] for stem in stems[1:] if stem != stems[0]})
    return dict(sorted(table.items()))


def _words(synonyms: dict[str, str]):
    """The index's one pipeline step: lunr's trimmer, stop-word filter and stemmer, in lunr's
    order, with accents folded first and synonyms mapped last. Each distinct word is worked
    out once (a site repeats its words thousands of times); common words are dropped."""
    @lru_cache(maxsize=None)
    def word(text: str) -> str:
        trimmed = full_re.match(fold(text))
        text = trimmed.group(1) if trimmed else fold(text)
        if not text or text in STOP_WORDS:
            return ""
        stem = porter_stemmer.stem(text)
        return synonyms.get(stem, stem)

    def step(token, i=None, tokens=None):
        token.string = word(token.string)
        return token if token.string else None
    step.label = "hkv-words"  # labelled, not registered: only the build runs it (search.js repeats it)
    return step


def index(site: Site, found: list[dict]):
    """The lunr index of `found`, each record referred to by its position in the list."""
    builder = Builder()
    builder.pipeline.add(_words(synonym_stems(site.config.search)))
    builder.search_pipeline.add(stemmer)
    builder.ref("i")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for i, record in enumerate(found):
        # Split here as lunr's tokenizer would (on spaces and hyphens), but with one regular
        # expression instead of its loop over every character.
        builder.add({"i": str(i), **{name: _SEPARATORS.split(record[name]) for name, _ in FIELDS}})
    if not found:  # lunr divides by the number of documents: an empty site gets an empty index
        return Index(inverted_index={}, field_vectors={}, token_set=TokenSet.from_list([]),
                     fields=[name for name, _ in FIELDS], pipeline=builder.search_pipeline)
    return builder.build()


def index_script(site: Site) -> bytes:
    found = records(site)
    payload = {"records": found, "kinds": KINDS, "synonyms": synonym_stems(site.config.search),
               "index": index(site, found).serialize()}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.searchIndex = {data};\n".encode("utf-8")

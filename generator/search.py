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

from lunr.builder import Builder
from lunr.stemmer import porter_stemmer, stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

from .markdown import PLACEHOLDER_RE
from .model import Prose, SearchConfig, Site

INDEX_PATH = "search/index.js"
# The fields searched, and how much a match in each counts: a title match ranks first.
FIELDS = (("t", 10), ("s", 3), ("x", 1))
KINDS = ("Council", "Event", "Source", "Page")  # the type filter's options, in this order
_TAG_RE = re.compile(r"<[^>]+>")


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
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def synonym_stems(search: SearchConfig) -> dict[str, str]:
    """Each synonym's stem → the stem of its group's first word (groups of one stem drop out)."""
    table: dict[str, str] = {}
    for group in search.synonyms:
        stems = [porter_stemmer.stem(fold(word.lower())) for word in group]
        table.update({stem: stems[0] for stem in stems[1:] if stem != stems[0]})
    return dict(sorted(table.items()))


def _pipeline_function(label: str, change):
    """A lunr pipeline step changing each token's text with `change`. It is labelled but not
    registered: only the index is built with it; the browser repeats it on the words typed."""
    def step(token, i=None, tokens=None):
        return token.update(lambda text, metadata=None: change(text))
    step.label = label
    return step


def index(site: Site, found: list[dict]):
    """The lunr index of `found`, each record referred to by its position in the list."""
    synonyms = synonym_stems(site.config.search)
    builder = Builder()
    builder.pipeline.add(_pipeline_function("fold", fold), trimmer, stop_word_filter, stemmer,
                         _pipeline_function("synonyms", lambda stem: synonyms.get(stem, stem)))
    builder.search_pipeline.add(stemmer)
    builder.ref("i")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for i, record in enumerate(found):
        builder.add({"i": str(i), **{name: record[name] for name, _ in FIELDS}})
    return builder.build()


def index_script(site: Site) -> bytes:
    found = records(site)
    payload = {"records": found, "kinds": KINDS, "synonyms": synonym_stems(site.config.search),
               "index": index(site, found).serialize()}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.searchIndex = {data};\n".encode("utf-8")

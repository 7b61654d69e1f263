"""The content formats, declared once: validation follows them and the JSON Schemas for editors
are generated from them (`python -m generator schemas`)."""

from __future__ import annotations

import re

from .model import ARTICLE_KINDS, KINDS, STATUSES, Cameras, Config, Label, Licence, Quote, SearchConfig, Spend
from .schema import (Bool, Choice, Context, Date, Dict, Field, Float, Int, List, Markdown, Record,
                     Ref, Slug, Text, Url)

SYNONYM_RE = re.compile(r"^[^\s-]+$")


def _cameras_check(values: dict, nodes: dict, ctx: Context) -> None:
    total, hikvision = values.get("total"), values.get("hikvision")
    if total is not None and hikvision is not None and hikvision > total:
        ctx.error(nodes["hikvision"], f"hikvision ({hikvision}) cannot be more than total ({total})")


def _synonyms_check(values: dict, nodes: dict, ctx: Context) -> None:
    """Each synonym is one word (search matches words), and a word belongs to one group only."""
    seen: dict[str, int] = {}
    groups = values.get("synonyms", ())
    for group, group_node in zip(groups, nodes["synonyms"].value if groups else ()):
        for word, node in zip(group, group_node.value):
            if not SYNONYM_RE.match(word):
                ctx.error(node, f"'{word}' is not one word: search matches single words, "
                                "so list each spelling on its own (no spaces or hyphens)")
            elif word.casefold() in seen:
                ctx.error(node, f"'{word}' is already in the synonym group at line {seen[word.casefold()]}")
            else:
                seen[word.casefold()] = ctx.loc(group_node).line


def council_record(config: Config | None) -> Record:
    """The council file format; with a config, regions and locations come from site.yaml."""
    regions = config.regions if config else ()
    locations = tuple(config.locations) if config else ()
    region = Choice(regions, "region") if config else Text(max_length=60)
    location = Choice(locations, "location") if config else Slug()
    cameras = Record("cameras", {
        "total": Field(Int(0, 1_000_000), doc="All CCTV cameras the council reported"),
        "hikvision": Field(Int(0, 1_000_000), doc="How many of them are Hikvision"),
        "locations": Field(List(location, max_items=20), doc="Where the cameras are (codes from site.yaml)"),
        "as_of": Field(Date(), doc="When the figures were true"),
        "note": Field(Text(), doc="One sentence qualifying the figures"),
        "source": Field(Ref("article"), required=True, doc="Article id giving the figures"),
    }, Cameras, check=_cameras_check)
    spend = Record("a contract value", {
        "amount_gbp": Field(Int(0, 10_000_000_000), required=True, doc="Contract value in pounds"),
        "approximate": Field(Bool(), doc="true when the source says 'about'"),
        "supplier": Field(Text()),
        "period": Field(Text(max_length=40)),
        "description": Field(Text(), doc="One sentence saying what the contract covers"),
        "source": Field(Ref("article"), required=True),
    }, Spend)
    quote = Record("a quote", {
        "text": Field(Text(max_length=400, multiline=True), required=True, doc="The exact words, short"),
        "speaker": Field(Text(max_length=120), required=True, doc="Who said it: a person or an office"),
        "role": Field(Text(max_length=160)),
        "date": Field(Date(), doc="When it was said; defaults to the article's date"),
        "source": Field(Ref("article"), required=True),
    }, Quote)
    event = Record("an event", {
        "date": Field(Date(), required=True),
        "title": Field(Text(max_length=200), required=True),
        "summary": Field(Markdown(4000)),
        "source": Field(Ref("article"), required=True),
    }, origin=True)
    return Record("a council", {
        "name": Field(Text(max_length=120), required=True, doc="Current official name"),
        "former_name": Field(Text(max_length=120), doc="Name used in the sources, if it has changed"),
        "kind": Field(Choice(KINDS, "kind"), required=True),
        "region": Field(region, required=True),
        "lat": Field(Float(49.0, 61.5), doc="Latitude of the council's main town"),
        "lon": Field(Float(-9.0, 2.5), doc="Longitude of the council's main town"),
        "status": Field(Choice(STATUSES, "status"), required=True),
        "status_summary": Field(Text(max_length=300), required=True, doc="One sentence"),
        "status_as_of": Field(Date(), required=True, doc="The date the status is as of"),
        "status_source": Field(Ref("article"), required=True, doc="Article id supporting the status"),
        "cameras": Field(cameras),
        "spend": Field(List(spend, max_items=50), doc="Contract values, not Hikvision spend"),
        "quotes": Field(List(quote, max_items=50)),
        "events": Field(List(event, max_items=200)),
        "last_reviewed": Field(Date(), required=True),
        "notes": Field(Markdown(), doc="Markdown; cite with [@article-id]"),
    })


ARTICLE = Record("an article's front matter", {
    "title": Field(Text(max_length=300), required=True),
    "publisher": Field(Text(max_length=120), required=True),
    "author": Field(Text(max_length=200)),
    "date": Field(Date(), required=True, doc="Publication date, at the precision known"),
    "date_note": Field(Text(max_length=400), doc="How an uncertain date was worked out"),
    "url": Field(Url()),
    "kind": Field(Choice(ARTICLE_KINDS, "article kind")),
})

TIMELINE_EVENT = Record("a timeline event", {
    "date": Field(Date(), required=True),
    "title": Field(Text(max_length=200), required=True),
    "summary": Field(Markdown(4000), required=True),
    "sources": Field(List(Ref("article"), min_items=1, max_items=20), required=True),
    "councils": Field(List(Ref("council"), max_items=500)),
}, origin=True)
TIMELINE = List(TIMELINE_EVENT, max_items=100_000)

PAGE = Record("a page's front matter", {
    "title": Field(Text(max_length=120), required=True),
    "description": Field(Text(max_length=300), required=True),
    "nav": Field(Int(0, 100), doc="Position in the header menu; leave out to keep it out"),
    "updated": Field(Date()),
})

SITE = Record("site.yaml", {
    "title": Field(Text(max_length=120), required=True),
    "description": Field(Text(max_length=400), required=True),
    "base_url": Field(Url(), required=True),
    "language": Field(Text(max_length=20), required=True),
    "publisher": Field(Text(max_length=120), required=True),
    "licence": Field(Record("licence", {
        "name": Field(Text(max_length=60), required=True),
        "url": Field(Url(), required=True),
    }, Licence), required=True),
    "review_max_age_days": Field(Int(1, 100_000)),
    "search": Field(Record("search", {
        "synonyms": Field(List(List(Text(max_length=60, pattern=SYNONYM_RE.pattern), min_items=2, max_items=20),
                               max_items=1000),
                          doc="Groups of words that find each other in site search, e.g. [uyghur, uighur]"),
    }, SearchConfig, check=_synonyms_check)),
    "statuses": Field(Record("statuses", {
        code: Field(Record(f"status '{code}'", {
            "label": Field(Text(max_length=40), required=True),
            "description": Field(Text(max_length=300), required=True),
        }, Label), required=True) for code in STATUSES
    }), required=True),
    "kinds": Field(Record("kinds", {code: Field(Text(max_length=60), required=True) for code in KINDS}),
                   required=True),
    "regions": Field(List(Text(max_length=60), min_items=1, max_items=100), required=True),
    "locations": Field(Dict(Text(max_length=60)), required=True, doc="Camera location codes and labels"),
})

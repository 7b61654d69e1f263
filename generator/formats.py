"""The content formats, declared once: every field of every content file, its type, whether it is
required and its help text. Validation follows them and the JSON Schemas for editors are
generated from them.

To add a field to council files, edit `council_record` here (and the same for the other formats
below), add it to the dataclass in `model.py` that receives it (`Council`), use it in a template,
then run `python -m generator schemas` to regenerate `schemas/`. A new kind of value (not text,
a number, a date, a choice, a reference ...) is a new type in `fieldtypes.py`."""

from __future__ import annotations

import re

from .fieldtypes import (Bool, Choice, Context, CouncilOrName, Date, Dict, Field, Float, Int, List, Markdown,
                         Record, Ref, Slug, Text, Url)
from .load import SITE_FILE
from .model import (ARTICLE_KINDS, CHANGE_KINDS, KINDS, STATUSES, Cameras, Config, Label, Licence, Quote,
                    SearchConfig, Spend)

# Notes for editors (what was searched, where the full text is, doubts): checked like any text,
# then dropped by `validate`, so they reach no page, download, feed or search index.
EDITOR_NOTES = Field(Text(max_length=20_000, multiline=True),
                     doc="Notes for editors only (Markdown or text); never shown on the site or in its data")

SYNONYM_RE = re.compile(r"^[^\s-]+$")
QUOTE_MAX_WORDS = 40  # a quote is a few exact words; longer, it should be summarised (`check` warns)
SUMMARY_WORDS = (80, 200)  # the length of an article's summary, in words (`check` warns outside it)


def _quote_check(values: dict, nodes: dict, ctx: Context) -> None:
    words = len(values.get("text", "").split())
    if words > QUOTE_MAX_WORDS:
        ctx.diags.warning(ctx.loc(nodes["text"]), f"this quote is {words} words long; quotes are at most "
                          f"{QUOTE_MAX_WORDS} words: keep the words that matter, marking each cut with '...'")


def _cameras_check(values: dict, nodes: dict, ctx: Context) -> None:
    total, hikvision = values.get("total"), values.get("hikvision")
    if total is not None and hikvision is not None and hikvision > total:
        ctx.error(nodes["hikvision"], f"hikvision ({hikvision}) cannot be more than total ({total})")


ARTICLE_KIND_MEANINGS = {
    "news": "a news report or feature",
    "report": "a report by a campaign group, researcher, think tank or company",
    "official": "a publication of the government, a regulator or a council",
    "parliament": "Hansard, a written answer, a bill or a committee paper",
    "foi": "a Freedom of Information request or its answer",
    "other": "anything else",
}
CHANGE_KIND_MEANINGS = {
    "status": "the council's status changed (shown in the feed)",
    "correction": "a fact was wrong and was fixed (shown in the feed)",
    "addition": "a council, source or event was added",
    "update": "newer information was added; nothing was wrong",
    "checked": "re-checked against the sources, nothing new found: say what was searched",
}
DRAFT_DOC = ("true while the file is unfinished: `check` warns, `build` leaves it out of the site, "
             "`serve` shows it with a 'draft' banner. Remove the line to publish")


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
    """The council file format; with a config, regions and locations come from site.yaml, and
    every code's meaning from its labels there (the editor's hover help)."""
    regions = config.regions if config else ()
    locations = tuple(config.locations) if config else ()
    region = Choice(regions, "region", {r: f"{r} (a region listed in {SITE_FILE})" for r in regions}) \
        if config else Text(max_length=60)
    location = Choice(locations, "location", dict(config.locations)) if config else Slug()
    kinds = dict(config.kinds) if config else None
    statuses = {code: f"**{label.label}**. {label.description}" for code, label in config.statuses.items()} \
        if config else None
    cameras = Record("cameras", {
        "total": Field(Int(0, 1_000_000), doc="All CCTV cameras the council reported"),
        "hikvision": Field(Int(0, 1_000_000), doc="How many of them are Hikvision"),
        "locations": Field(List(location, max_items=20), doc=f"Where the cameras are (codes from {SITE_FILE})"),
        "as_of": Field(Date(), doc="When the figures were true"),
        "note": Field(Text(), doc="One sentence qualifying the figures"),
        "source": Field(Ref("article"), required=True, doc="Id of the article giving the figures"),
    }, Cameras, check=_cameras_check)
    spend = Record("a contract or purchase value", {
        "amount_gbp": Field(Int(0, 10_000_000_000), required=True, doc="The contract's or purchase's value in pounds"),
        "approximate": Field(Bool(), doc="true when the source says 'about'"),
        "supplier": Field(Text(), doc="The company the contract or purchase was with"),
        "period": Field(Text(max_length=40), doc='The years it covers, quoted: "2019-2021"'),
        "description": Field(Text(), doc="One sentence saying what the contract or purchase covers"),
        "source": Field(Ref("article"), required=True, doc="Id of the article reporting the value"),
    }, Spend)
    quote = Record("a quote", {
        "text": Field(Text(max_length=400, multiline=True), required=True, doc="The exact words, short"),
        "speaker": Field(Text(max_length=120), required=True, doc="Who said it: a person or an office"),
        "role": Field(Text(max_length=160), doc="The speaker's role, e.g. Cabinet member for community safety"),
        "date": Field(Date(), doc="When it was said; defaults to the article's date"),
        "source": Field(Ref("article"), required=True, doc="Id of the article quoting it"),
    }, Quote, check=_quote_check)
    event = Record("an event", {
        "date": Field(Date(), required=True, doc="When it happened"),
        "title": Field(Text(max_length=200), required=True, doc="What happened, in a few words"),
        "summary": Field(Markdown(4000), doc="A sentence or two of Markdown"),
        "source": Field(Ref("article"), required=True, doc="Id of the article reporting it"),
    }, origin=True)
    return Record("a council", {
        "name": Field(Text(max_length=120), required=True, doc="Current official name"),
        "former_name": Field(Text(max_length=120), doc="Name used in the sources, if it has changed"),
        "former_slugs": Field(List(Slug(), max_items=20),
                              doc="Old file names of this council (written by `rename council`): "
                                  "their addresses redirect to this page"),
        "draft": Field(Bool(), doc=DRAFT_DOC),
        "kind": Field(Choice(KINDS, "kind", kinds), required=True, doc="What kind of authority it is"),
        "region": Field(region, required=True, doc=f"One of the regions listed in {SITE_FILE}, written the same way"),
        "lat": Field(Float(49.0, 61.5), doc="Latitude of the council's main town"),
        "lon": Field(Float(-9.0, 2.5), doc="Longitude of the council's main town"),
        "abolished": Field(Date(), doc="When the council ceased to exist: YYYY-MM-DD, YYYY-MM or YYYY"),
        "successor": Field(CouncilOrName(), doc="The council that took over: its file name (slug), "
                           "or its name when it has no file here"),
        "status": Field(Choice(STATUSES, "status", statuses), required=True,
                        doc="What the council has done about its Hikvision cameras"),
        "status_summary": Field(Text(max_length=300), required=True,
                                doc="One sentence saying what the council has said or done"),
        "status_as_of": Field(Date(), required=True, doc="The date the status is as of"),
        "status_source": Field(Ref("article"), required=True, doc="Article id supporting the status"),
        "cameras": Field(cameras, doc="How many CCTV cameras, how many of them Hikvision, and where"),
        "spend": Field(List(spend, max_items=50), doc="Contract or purchase values that include Hikvision kit, not Hikvision spend"),
        "quotes": Field(List(quote, max_items=50), doc="Short quotes: the exact words, attributed"),
        "events": Field(List(event, max_items=200), doc="Dated events; they also join the site-wide timeline"),
        "last_reviewed": Field(Date(), required=True, doc="The day you last checked this file against its sources"),
        "notes": Field(Markdown(), doc="Markdown; cite with [@article-id]"),
        "editor_notes": EDITOR_NOTES,
        "aliases": Field(List(Text(max_length=120), max_items=50),
                         doc="Towns, former and successor names that should find this council"),
    })


# Exact passages copied from the source, so that every quotation of it can be checked word for word
# (tests/test_content.py); checked as text and, like editor notes, never published.
EXCERPTS = Field(List(Text(max_length=3000, multiline=True), max_items=100),
                 doc="Exact passages from the source, for checking quotations; never shown on the site")

ARTICLE = Record("an article's front matter", {
    "title": Field(Text(max_length=300), required=True, doc="The article's headline, as published"),
    "publisher": Field(Text(max_length=120), required=True, doc="Who published it, e.g. BBC News"),
    "author": Field(Text(max_length=200), doc="Who wrote it, if named"),
    "date": Field(Date(), required=True, doc="Publication date, at the precision known"),
    "date_note": Field(Text(max_length=400), doc="How an uncertain date was worked out"),
    "url": Field(Url(), doc="Its http:// or https:// address"),
    "kind": Field(Choice(ARTICLE_KINDS, "article kind", ARTICLE_KIND_MEANINGS), doc="What sort of source it is"),
    "draft": Field(Bool(), doc=DRAFT_DOC),
    "excerpts": EXCERPTS,
    "editor_notes": EDITOR_NOTES,
    "copy_url": Field(Url(), doc="A copy of the article on another site, e.g. a PDF of it"),
    "archive_url": Field(Url(), doc="An archived copy, e.g. on the Wayback Machine"),
})


def _full_date(values: dict, nodes: dict, ctx: Context) -> None:
    if "date" in values and not values["date"].day:
        ctx.error(nodes["date"], f"a change needs its day: write YYYY-MM-DD, found '{values['date'].iso}'")


CHANGE = Record("a change", {
    "date": Field(Date(), required=True, doc="The day of the change: YYYY-MM-DD"),
    "council": Field(Ref("council"), doc="The council file's slug; leave out for a site-wide change"),
    "kind": Field(Choice(CHANGE_KINDS, "change kind", CHANGE_KIND_MEANINGS), required=True,
                  doc="status, correction, addition, update or checked"),
    "summary": Field(Markdown(1000), required=True, doc="What changed and why, in a sentence or two"),
}, check=_full_date, origin=True)
CHANGELOG = List(CHANGE, max_items=100_000)

TIMELINE_EVENT = Record("a timeline event", {
    "date": Field(Date(), required=True, doc="When it happened"),
    "title": Field(Text(max_length=200), required=True, doc="What happened, in a few words"),
    "summary": Field(Markdown(4000), required=True, doc="A sentence or two of Markdown; cite with [@article-id]"),
    "sources": Field(List(Ref("article"), min_items=1, max_items=20), required=True,
                     doc="Ids of the articles reporting it: [article-id, ...]"),
    "councils": Field(List(Ref("council"), max_items=500), doc="File names of the councils it concerns"),
    "editor_notes": EDITOR_NOTES,
}, origin=True)
TIMELINE = List(TIMELINE_EVENT, max_items=100_000)

PAGE = Record("a page's front matter", {
    "title": Field(Text(max_length=120), required=True, doc="The page's heading"),
    "description": Field(Text(max_length=300), required=True, doc="One sentence for search engines and link previews"),
    "nav": Field(Int(0, 100), doc="Position in the header menu; leave out to keep it out"),
    "updated": Field(Date(), doc="When the page was last changed in substance"),
    "standfirst": Field(Markdown(700), doc="The home page's opening paragraph: what Hikvision is and why "
                                           "councils are asked about it, in two or three sentences"),
})

SITE = Record(SITE_FILE, {
    "title": Field(Text(max_length=120), required=True, doc="The site's name"),
    "description": Field(Text(max_length=400), required=True, doc="What the site is, for search engines and the home page"),
    "base_url": Field(Url(), required=True, doc="The address the site is published at, used in the sitemap, feed and canonical links"),
    "language": Field(Text(max_length=20), required=True, doc="The content's language tag, e.g. en-GB"),
    "publisher": Field(Text(max_length=120), required=True, doc="Who publishes the site, named in the footer and the data"),
    "licence": Field(Record("licence", {
        "name": Field(Text(max_length=60), required=True, doc="The licence's short name, e.g. CC BY 4.0"),
        "url": Field(Url(), required=True, doc="The licence's web address"),
    }, Licence), required=True, doc="The licence of the text and data"),
    "review_max_age_days": Field(Int(1, 100_000), doc="How old a council's last_reviewed may get before `check` warns"),
    "status_max_age_days": Field(Int(1, 100_000), doc="How old a status may get before `check` flags it (730)"),
    "contact": Field(Text(max_length=200), doc="Where readers report errors: an email address or an https URL"),
    "principal_councils": Field(Int(1, 10_000), doc="How many principal councils the UK has (about 380)"),
    "search": Field(Record("search", {
        "synonyms": Field(List(List(Text(max_length=60, pattern=SYNONYM_RE.pattern), min_items=2, max_items=20),
                               max_items=1000),
                          doc="Groups of words that find each other in site search, e.g. [uyghur, uighur]"),
    }, SearchConfig, check=_synonyms_check), doc="Settings of the site's search"),
    "statuses": Field(Record("statuses", {
        code: Field(Record(f"status '{code}'", {
            "label": Field(Text(max_length=40), required=True, doc="The status as the site shows it"),
            "description": Field(Text(max_length=300), required=True, doc="What the status means, in one sentence"),
        }, Label), required=True, doc=f"The label and meaning of the status '{code}'") for code in STATUSES
    }), required=True, doc="The label and meaning of each status code"),
    "kinds": Field(Record("kinds", {code: Field(Text(max_length=60), required=True, doc=f"The label of the kind '{code}'")
                                    for code in KINDS}),
                   required=True, doc="The label of each kind of council"),
    "regions": Field(List(Text(max_length=60), min_items=1, max_items=100), required=True,
                     doc="The regions a council's region may be"),
    "locations": Field(Dict(Text(max_length=60)), required=True, doc="Camera location codes and labels"),
})

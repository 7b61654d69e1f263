"""`new council` and `new article`: a commented skeleton that `check` accepts once filled in.

What the editor passed as options is written as is (after a quick check); what only the editor
can know (the status, its summary and date, and whatever was not passed) is left as a
`<placeholder>` that `check` reports at its line, naming the field, so nothing made up is ever
published. Existing files are never overwritten.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import did_you_mean
from .model import ARTICLE_KINDS, KINDS, STATUSES
from .fieldtypes import DATE_RE, PLACEHOLDER_RE, URL_RE
from .jsonschemas import header, load_config
from .load import ARTICLES_DIR, SITE_FILE, article_file, council_file, record_stems
from .slugs import SLUG_RE, slugify

# Council names end in words the slugs of this site leave out ("Medway Council" → medway).
_NAME_PREFIXES = ("city of ", "london borough of ", "royal borough of ")
_NAME_SUFFIXES = ("metropolitan borough council", "borough council", "district council", "city council",
                  "islands council", "council")
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .,'()&/-]*$")


class ScaffoldError(ValueError):
    """The file cannot be made as asked: it exists, or an option is not valid."""


@dataclass(frozen=True, slots=True)
class Made:
    path: Path
    todo: tuple[str, ...]  # fields left for the editor to fill in


def new_council(site_dir: Path, today: datetime.date, name: str, slug: str | None = None,
                kind: str | None = None, region: str | None = None, source: str | None = None) -> Made:
    """Write content/councils/<slug>.yaml with the status 'unknown' as of `today`."""
    config = load_config(site_dir)
    slug = _slug_or_fail(slug or council_slug(name), "--slug")
    if kind is not None:
        _choose(kind, KINDS, "kind")
    if region is not None:
        _choose(region, config.regions, "region")
    if source is not None:
        _existing_article(site_dir, source)
    rel = council_file(slug)
    text = COUNCIL_SKELETON.format(
        header=header(rel, "council"), name=_scalar(name), today=today.isoformat(),
        kind=kind or "<choose a kind>", kinds=" | ".join(KINDS),
        region=_scalar(region) if region else "<choose a region>", statuses=" | ".join(STATUSES),
        source=source or "<the id of the article supporting the status>", locations=", ".join(config.locations),
        site_file=SITE_FILE, articles=ARTICLES_DIR,
    )
    todo = [key for key, value in _TOP_LEVEL.findall(text) if PLACEHOLDER_RE.match(value.strip('"'))]
    return Made(_create(site_dir / rel, text, "--slug"), tuple(todo))


def new_article(site_dir: Path, title: str, ident: str | None = None, publisher: str | None = None,
                date: str | None = None, url: str | None = None, summary: str | None = None) -> Made:
    """Write content/articles/<id>.md; the id defaults to publisher-YYYY-MM-title."""
    load_config(site_dir)  # a site folder whose settings are valid
    if date is not None and not DATE_RE.match(date):
        raise ScaffoldError(f"--date {date!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    if url is not None and not URL_RE.match(url):
        raise ScaffoldError(f"--url {url!r} is not a web address: it must start with http:// or https://")
    ident = _slug_or_fail(ident or article_id(title, publisher, date), "--id")
    text = ARTICLE_SKELETON.format(
        title=_scalar(title), publisher=_scalar(publisher) if publisher else "",
        date=date or "", url=url or "", kinds=" | ".join(ARTICLE_KINDS), summary=(summary.strip() + "\n") if summary else "",
    )
    todo = [f for f, v in (("publisher", publisher), ("date", date), ("the summary", summary)) if not v]
    return Made(_create(site_dir / article_file(ident), text, "--id"), tuple(todo))


def council_slug(name: str) -> str:
    """'Dover District Council' → 'dover'; county councils keep the words ('kent-county-council')."""
    lowered = name.strip().lower()
    if not lowered.endswith("county council"):
        lowered = next((lowered[len(p):] for p in _NAME_PREFIXES if lowered.startswith(p)), lowered)
        lowered = next((lowered[: -len(s)] for s in _NAME_SUFFIXES if lowered.endswith(" " + s)), lowered)
    return slugify(lowered)


def article_id(title: str, publisher: str | None, date: str | None) -> str:
    """'bbc-news-2023-02-kent-councils-replace-cctv': publisher, year and month, then the title."""
    lead = "-".join(p for p in (slugify(publisher or ""), "-".join((date or "").split("-")[:2])) if p)
    words = slugify(title).split("-")
    ident = lead
    for word in words:
        if len(ident) + len(word) + 1 > 60 and ident:
            break
        ident = f"{ident}-{word}" if ident else word
    return ident


def _slug_or_fail(slug: str, option: str) -> str:
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"cannot use {slug!r} as a file name; pass {option} with lower-case letters, "
                            "digits and single hyphens, e.g. 'tunbridge-wells'")
    return slug


def _choose(value: str, allowed, what: str) -> None:
    if value not in allowed:
        hint = did_you_mean(value, allowed) or f" (expected one of: {', '.join(allowed)})"
        raise ScaffoldError(f"unknown {what} {value!r}{hint}")


def _existing_article(site_dir: Path, ident: str) -> None:
    if not SLUG_RE.match(ident) or not (site_dir / article_file(ident)).is_file():
        hint = did_you_mean(ident, record_stems(site_dir, "article")) or "; add it first with 'new article'"
        raise ScaffoldError(f"unknown source {ident!r}: no {article_file(ident)}{hint}")


def _scalar(text: str) -> str:
    """Text as a YAML scalar: plain when that is unambiguous, else double-quoted."""
    text = " ".join(text.split())
    if _PLAIN.match(text) and ": " not in text and " #" not in text and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _create(path: Path, text: str, option: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists: edit it, or pass {option} to choose another file name") from None
    return path


_TOP_LEVEL = re.compile(r"^([a-z_]+): ([^#\n]*?)(?:\s+#.*)?$", re.MULTILINE)


COUNCIL_SKELETON = """\
{header}
# A council. README.md ("Editing") explains every field; 'make check' lists what is still missing.
name: {name}
kind: {kind}   # {kinds}
region: {region}   # one of the regions listed in {site_file}
status: <choose a status>   # {statuses} (their meanings are in {site_file})
status_summary: "<one sentence: what the council has said or done, as the source reports it>"
status_as_of: <the date the status is as of>   # as the source dates it: YYYY-MM-DD, YYYY-MM or YYYY
status_source: {source}   # the article supporting the status: its file name in {articles}/, without .md
last_reviewed: {today}   # the day you last checked this file against its sources

# Optional. To use one, delete the '# ' at the start of its lines and fill it in.
# lat: 51.39   # latitude of the main town, for the map
# lon: 0.54
# aliases: [Maidstone, Canterbury]   # towns, former or new names that should find this council
# cameras:
#   total: 157   # all CCTV cameras the council reported
#   hikvision: 29   # how many of them are Hikvision
#   locations: [street]   # {locations}
#   as_of: 2023-02
#   source: article-id
# spend:   # contract values: what the contract was worth, not spend on Hikvision
#   - amount_gbp: 450000
#     supplier: Name of the supplier
#     period: "2019-2021"
#     source: article-id
# quotes:   # short, exact words, attributed
#   - text: "The exact words."
#     speaker: A council spokesperson
#     source: article-id
# events:   # they also appear on the site-wide timeline
#   - date: 2023-02
#     title: What happened, in a few words
#     source: article-id
# notes: |   # Markdown; cite an article with [@article-id]
#   More detail [@article-id].
"""

ARTICLE_SKELETON = """\
---
title: {title}
publisher: {publisher}   # who published it, e.g. BBC News
author:   # optional
date: {date}   # publication date, as precise as known: YYYY-MM-DD, YYYY-MM or YYYY
url: {url}   # optional: its http:// or https:// address
kind:   # optional: {kinds}
---
{summary}"""

"""The content model: plain frozen dataclasses, built by `validate`, read by `render`. No I/O."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import NamedTuple

from .diagnostics import Location

STATUSES = ("removed", "replacing", "phasing-out", "paused", "under-review", "no-plans", "responded", "not-used",
            "unknown")
KINDS = ("county", "district", "unitary", "metropolitan", "london-borough", "other")
ARTICLE_KINDS = ("news", "report", "official", "parliament", "foi", "other")
# Fixed English names: the calendar module's are locale-dependent and slow to look up.
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# The home page's one-line state of play: each group of statuses and how the line says it, of
# one council and of several. (Statuses a site does not use count as none.)
STATUS_GROUPS = (
    (("removed",), "confirmed removal", "confirmed removal"),
    (("replacing", "phasing-out"), "is replacing or phasing out", "are replacing or phasing out"),
    (("paused",), "has paused", "have paused"),
    (("under-review",), "is reviewing", "are reviewing"),
    (("no-plans",), "has no plans to change", "have no plans to change"),
    (("responded",), "answered but stated no plan", "answered but stated no plan"),
    (("not-used",), "says it uses none", "say they use none"),
    (("unknown",), "has said nothing we could find", "have said nothing we could find"),
)
# The kinds of entry in content/changelog.yaml; the feed carries the first two.
CHANGE_KINDS = ("status", "correction", "addition", "update", "checked")
FEED_CHANGE_KINDS = ("status", "correction")
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


class PartialDate(NamedTuple):
    """A date known to the year, the month or the day. Orders year < year-month < full date.
    (A named tuple: compared, sorted and pickled at C speed, which large sites notice.)"""

    year: int
    month: int = 0  # 0 when unknown
    day: int = 0  # 0 when unknown

    @property
    def iso(self) -> str:
        if not self.month:
            return f"{self.year:04d}"
        if not self.day:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def display(self) -> str:
        """'2019', 'May 2019' or '21 May 2019'."""
        if not self.month:
            return str(self.year)
        month = MONTHS[self.month]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    @property
    def short(self) -> str:
        """'2019', 'May 2019' or '21 May 2019' with abbreviated months."""
        if not self.month:
            return str(self.year)
        month = MONTHS[self.month][:3]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    @property
    def timestamp(self) -> str:
        """RFC 3339 at the start of the known period, for feeds and sitemaps."""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}T00:00:00Z"

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class Prose:
    """Markdown as written, its HTML (with link and citation placeholders) and the ids it cites."""

    text: str
    html: str
    citations: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # every link's address, as the renderer read it, in order


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    publisher: str
    date: PartialDate
    summary: Prose
    origin: Location
    author: str | None = None
    date_note: str | None = None
    url: str | None = None
    kind: str | None = None
    draft: bool = False  # unfinished: left out of a build, shown by the preview
    copy_url: str | None = None
    archive_url: str | None = None


@dataclass(frozen=True, slots=True)
class Cameras:
    source: str
    total: int | None = None
    hikvision: int | None = None
    locations: tuple[str, ...] = ()
    as_of: PartialDate | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Spend:
    """A contract value as reported: the value of a contract that includes Hikvision kit."""

    amount_gbp: int
    source: str
    approximate: bool = False
    supplier: str | None = None
    period: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str
    source: str
    role: str | None = None
    date: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event: a council's own (`council` set) or a national one from timeline.yaml."""

    date: PartialDate
    title: str
    sources: tuple[str, ...]
    origin: Location
    summary: Prose | None = None
    council: str | None = None
    councils: tuple[str, ...] = ()
    anchor: str = ""

    @property
    def is_national(self) -> bool:
        return self.council is None


@dataclass(frozen=True, slots=True)
class Council:
    slug: str
    name: str
    kind: str
    region: str
    status: str
    status_summary: str
    status_as_of: PartialDate
    status_source: str
    last_reviewed: PartialDate
    origin: Location
    former_name: str | None = None
    abolished: PartialDate | None = None
    successor: str | None = None  # the successor's name (for a council here, filled in from its file)
    successor_slug: str | None = None  # set when the successor has a council file here
    lat: float | None = None
    lon: float | None = None
    cameras: Cameras | None = None
    spend: tuple[Spend, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    notes: Prose | None = None
    citations: tuple[str, ...] = ()  # every article the page cites, in order of first citation
    former_slugs: tuple[str, ...] = ()  # old file names, whose addresses redirect to this page
    draft: bool = False  # unfinished: left out of a build, shown by the preview
    aliases: tuple[str, ...] = ()  # towns, former and successor names, for finding the council


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the editorial change log: what changed, when and why."""

    date: PartialDate
    kind: str
    summary: Prose
    origin: Location
    council: str | None = None  # None: a site-wide change
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: str
    description: str
    body: Prose
    origin: Location
    nav: int | None = None
    updated: PartialDate | None = None
    standfirst: Prose | None = None  # the home page's opening paragraph, on its first screen


@dataclass(frozen=True, slots=True)
class Label:
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Licence:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """Site search settings: groups of words that find each other (spellings, old names)."""

    synonyms: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    title: str
    description: str
    base_url: str
    language: str
    publisher: str
    licence: Licence
    statuses: dict[str, Label]
    kinds: dict[str, str]
    regions: tuple[str, ...]
    locations: dict[str, str]
    review_max_age_days: int = 365
    status_max_age_days: int = 730
    contact: str | None = None  # an email address or an https URL
    principal_councils: int | None = None  # how many principal councils the UK has, roughly
    search: SearchConfig = SearchConfig()

    @property
    def stale_after(self) -> str:
        """status_max_age_days in words, as pages say it: 'two years', '18 months', '400 days'."""
        days = self.status_max_age_days
        for unit, length in (("year", 365), ("month", 30)):
            if days % length == 0:
                n = days // length
                return f"{_NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else n} {unit}{'s' if n != 1 else ''}"
        return f"{days} days"


@dataclass(frozen=True, slots=True)
class Figures:
    councils: int
    hikvision_cameras: int
    councils_with_camera_counts: int
    contract_values: int
    contract_total_gbp: int
    by_status: tuple[tuple[str, int], ...]
    events: int
    articles: int
    camera_years: tuple[int, int] | None = None  # first and last year of the camera counts' as_of
    state_of_play: tuple[tuple[int, str], ...] = ()  # (councils, what they did), per STATUS_GROUPS


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    councils: tuple[Council, ...]
    articles: dict[str, Article]  # by id, in id order
    timeline: tuple[Event, ...]  # national and council events, oldest first
    pages: tuple[Page, ...]
    home: Page | None
    figures: Figures
    updated: PartialDate | None = None  # the newest change logged, else the newest last_reviewed
    changes: tuple[Change, ...] = ()  # the change log, newest first
    today: datetime.date | None = None  # the build's day (generator/clock.py)
    stale: frozenset[str] = frozenset()  # slugs of councils whose status is older than status_max_age_days


def fast_pickle(cls: type) -> type:
    """Pickle a frozen dataclass as (class, field values): unpickling then calls `__init__`,
    several times quicker than restoring slots one by one. Checked results cross from worker
    processes this way."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self):
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__
    return cls


for _cls in (Prose, Article, Cameras, Spend, Quote, Event, Council, Change, Page, Label, Licence, SearchConfig, Config):
    fast_pickle(_cls)

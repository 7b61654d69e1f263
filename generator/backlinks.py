"""What cites each source article: the council pages and timeline events that the sources page
and the sources downloads list under it. Worked out from the model by rendering, which alone
shows it, so the model stays plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .model import Site


class Citer(NamedTuple):
    """Something that cites an article: a council page or a timeline event."""

    label: str
    path: str  # site-relative output path of the page, with an #anchor for events
    kind: str  # "council" or "event"


def cited_by(site: Site) -> dict[str, tuple[Citer, ...]]:
    """Article id → what cites it (councils by name, then events in timeline order), for every
    article cited at least once, in id order."""
    names = {c.slug: c.name for c in site.councils}
    found: dict[str, dict[Citer, None]] = {}
    for council in sorted(site.councils, key=lambda c: (c.name, c.slug)):
        citer = Citer(council.name, f"councils/{council.slug}/", "council")
        for ident in council.citations:
            found.setdefault(ident, {})[citer] = None
    for event in site.timeline:
        who = names[event.council] + ": " if event.council else ""
        citer = Citer(f"{event.date.display}: {who}{event.title}", f"timeline/#{event.anchor}", "event")
        for ident in event.sources + (event.summary.citations if event.summary else ()):
            found.setdefault(ident, {})[citer] = None
    return {ident: tuple(citers) for ident, citers in sorted(found.items())}


class CitedBy(Mapping):
    """`cited_by(site)`, worked out on first use: only the sources page and its downloads need
    it, so no other page (in the preview, the page being edited) waits for it."""

    def __init__(self, site: Site):
        self._site = site
        self._found: dict[str, tuple[Citer, ...]] | None = None

    def _all(self) -> dict[str, tuple[Citer, ...]]:
        if self._found is None:
            self._found = cited_by(self._site)
        return self._found

    def __getitem__(self, ident: str) -> tuple[Citer, ...]:
        return self._all()[ident]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

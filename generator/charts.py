"""Build-time pictures: the numbers and geometry behind the home page's SVG charts and map.

Templates draw the SVG (`templates/partials/charts.html`); this module only counts and measures,
so every figure in a picture is the same number that its data table shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from .model import STATUSES, Council, Site

MAP_TEMPLATE = "map/uk.json"
# One marker shape per status, so the map never relies on colour alone.
MARKER_SHAPES = {
    "removed": "circle", "replacing": "square", "phasing-out": "triangle", "paused": "diamond",
    "under-review": "triangle-down", "no-plans": "cross", "responded": "plus", "not-used": "square-ring",
    "unknown": "ring",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label and value, the share of the longest bar (0–1), a CSS class and a link."""

    label: str
    value: int
    share: float
    css: str = ""
    href: str = ""


def bars(items: list[tuple[str, int, str, str]]) -> list[Bar]:
    """(label, value, css, href) → bars scaled so the largest value fills the width."""
    top = max((value for _, value, _, _ in items), default=0) or 1
    return [Bar(label, value, value / top, css, href) for label, value, css, href in items]


def by_status(site: Site) -> list[Bar]:
    """Councils by status, in the vocabulary's order (zeros kept: 'none removed' is news)."""
    counts = dict(site.figures.by_status)
    return bars([(site.config.statuses[code].label, counts.get(code, 0), f"status-{code}", "")
                 for code in STATUSES])


def cameras_per_council(site: Site, limit: int = 20) -> list[Bar]:
    """Hikvision cameras per council, for the `limit` councils with most of those that gave a
    figure; most first, each labelled with the year of its count (counts of different years
    must not read as one). (The councils table lists every figure.)"""
    found = [(c, c.cameras.hikvision) for c in site.councils
             if c.cameras is not None and c.cameras.hikvision is not None]
    found.sort(key=lambda pair: (-pair[1], pair[0].name))
    return bars([(f"{c.name} ({c.cameras.as_of.year if c.cameras.as_of else 'year not given'})", n, "",
                  f"councils/{c.slug}/") for c, n in found[:limit]])


def events_per_year(site: Site) -> list[Bar]:
    """Dated events per year, every year from the first to the last (empty years shown as 0)."""
    years = [e.date.year for e in site.timeline]
    if not years:
        return []
    return bars([(str(y), years.count(y), "", "") for y in range(min(years), max(years) + 1)])


@dataclass(frozen=True, slots=True)
class Marker:
    council: Council
    x: float
    y: float
    shape: str


@jinja2.pass_environment
def outline(env: jinja2.Environment) -> dict:
    """The committed map outline (`templates/map/uk.json`), read through the template loader."""
    source, _, _ = env.loader.get_source(env, MAP_TEMPLATE)
    return _parse(source)


@lru_cache(maxsize=4)
def _parse(source: str) -> dict:
    return json.loads(source)


def markers(site: Site, projection: dict) -> list[Marker]:
    """A marker for each council with a position, south to north so northern ones draw on top."""
    p = projection
    found = [Marker(c, round(p["x0"] + p["kx"] * (c.lon - p["lon0"]), 1),
                    round(p["y0"] - p["ky"] * (c.lat - p["lat0"]), 1), MARKER_SHAPES[c.status])
             for c in site.councils if c.lat is not None and c.lon is not None]
    return sorted(found, key=lambda m: (-m.y, m.x, m.council.slug))


def marker_path(shape: str, x: float, y: float, r: float = 5.0) -> str:
    """SVG path data for a marker of `shape` centred on (x, y)."""
    if shape in ("circle", "ring"):
        return f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z"
    if shape in ("square", "square-ring"):
        s = r * 0.85
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}z"
    if shape == "diamond":
        return f"M{x:g} {y - r:.1f}l{r:g} {r:g}l{-r:g} {r:g}l{-r:g} {-r:g}z"
    if shape in ("triangle", "triangle-down"):
        sign = 1 if shape == "triangle" else -1
        return f"M{x:g} {y - sign * r:.1f}l{r:g} {sign * 1.7 * r:.1f}h{-2 * r:g}z"
    a, b = r, r * 0.35
    if shape == "plus":  # an upright cross drawn as one closed outline
        pts = [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b),
               (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b)]
        return "M" + "L".join(f"{x + dx:.1f} {y + dy:.1f}" for dx, dy in pts) + "z"
    # cross: an X drawn as one closed outline
    pts = [(0, -b), (a - b, -a), (a, -a + b), (b, 0), (a, a - b), (a - b, a),
           (0, b), (-a + b, a), (-a, a - b), (-b, 0), (-a, -a + b), (-a + b, -a)]
    return "M" + "L".join(f"{x + dx:.1f} {y + dy:.1f}" for dx, dy in pts) + "z"

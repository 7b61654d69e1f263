"""Build-time pictures: the numbers and geometry behind the home page's SVG charts and map.

Templates draw the SVG (`templates/partials/charts.html`); this module only counts and measures,
so every figure in a picture is the same number that its data table shows.
"""

from __future__ import annotations

import json
import math
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


MARKER_RADIUS = 6.0  # map units; the maps are 400 units wide, drawn 288–384 px wide
# Centres at least this far apart (map units) on every panel, so that no two markers overlap,
# not even their square outlines when two sit diagonally (a marker is about 18 units across
# as drawn: 18 x sqrt(2) < 26), and each, as a link, keeps clear of the next.
MARKER_GAP = 26.0
SPREAD_LIMIT = 200  # a panel with more markers than this is drawn as placed: they cannot all fit


@dataclass(frozen=True, slots=True)
class Marker:
    """A council's marker: drawn at (x, y); (ax, ay) is where the council is, when the marker
    had to be moved off it to keep clear of its neighbours (a leader line joins the two)."""

    council: Council
    x: float
    y: float
    shape: str
    ax: float
    ay: float

    @property
    def moved(self) -> bool:
        return (self.x, self.y) != (self.ax, self.ay)


@dataclass(frozen=True, slots=True)
class Panel:
    """One drawing of the map: the whole country, or an enlarged area (an inset)."""

    id: str
    label: str
    width: int
    height: int
    land: str  # SVG path data
    context: str  # neighbouring land, drawn paler
    frames: tuple[tuple[str, str, tuple[float, float, float, float]], ...]  # (id, label, x y w h)
    markers: tuple[Marker, ...]


@jinja2.pass_environment
def outline(env: jinja2.Environment) -> dict:
    """The committed map outline (`templates/map/uk.json`), read through the template loader."""
    text, _, _ = env.loader.get_source(env, MAP_TEMPLATE)
    return _parse(text)


@lru_cache(maxsize=4)
def _parse(text: str) -> dict:
    return json.loads(text)


def _project(p: dict, lon: float, lat: float) -> tuple[float, float]:
    return p["x0"] + p["kx"] * (lon - p["lon0"]), p["y0"] - p["ky"] * (lat - p["lat0"])


def _inside(bounds: list[float], c: Council) -> bool:
    lon_min, lon_max, lat_min, lat_max = bounds
    return lon_min <= c.lon <= lon_max and lat_min <= c.lat <= lat_max


def panels(site: Site, outline: dict) -> list[Panel]:
    """The main map and one panel per enlarged area; each council with a position is drawn on
    exactly one of them: the first area holding it, else the main map."""
    placed = [c for c in site.councils if c.lat is not None and c.lon is not None]
    insets = outline.get("insets", [])
    home = {c.slug: next((i["id"] for i in insets if _inside(i["bounds"], c)), "") for c in placed}
    result = [Panel("", "", outline["width"], outline["height"], outline["uk"], outline["context"],
                    tuple((i["id"], i["label"], tuple(i["frame"])) for i in insets),
                    _markers([c for c in placed if not home[c.slug]], outline))]
    for i in insets:
        result.append(Panel(i["id"], i["label"], i["width"], i["height"], i["uk"], "", (),
                            _markers([c for c in placed if home[c.slug] == i["id"]], i)))
    return result


def _markers(councils: list[Council], drawing: dict) -> tuple[Marker, ...]:
    """Markers placed clear of each other, in drawing order: "unknown" first and the vocabulary's
    first statuses last, so informative statuses are drawn on top; north to south within one."""
    anchors = [_project(drawing["projection"], c.lon, c.lat) for c in councils]
    spots = spread(anchors, drawing["width"], drawing["height"]) if len(anchors) <= SPREAD_LIMIT else anchors
    rank = {code: i for i, code in enumerate(STATUSES)}
    found = [Marker(c, round(x, 1), round(y, 1), MARKER_SHAPES[c.status], round(ax, 1), round(ay, 1))
             for c, (x, y), (ax, ay) in zip(councils, spots, anchors)]
    return tuple(sorted(found, key=lambda m: (-rank[m.council.status], m.ay, m.ax, m.council.slug)))


def spread(points: list[tuple[float, float]], width: float, height: float,
           gap: float = MARKER_GAP, rounds: int = 1000) -> list[tuple[float, float]]:
    """Move points apart until every two are at least `gap` apart, each as little as it can,
    and keep them inside the drawing. Deterministic: same points in, same places out. A crowd
    pressed into a corner by the drawing's edges can take several hundred rounds to settle; a
    layout that settles stops early."""
    margin = MARKER_RADIUS + 2
    pts = [[min(max(x, margin), width - margin), min(max(y, margin), height - margin)] for x, y in points]
    for _ in range(rounds):
        moved = False
        cells: dict[tuple[int, int], list[int]] = {}  # only points in neighbouring cells can clash
        for i, (x, y) in enumerate(pts):
            cells.setdefault((int(x // gap), int(y // gap)), []).append(i)
        for i in range(len(pts)):
            cx, cy = int(pts[i][0] // gap), int(pts[i][1] // gap)
            near = (j for nx in (cx - 1, cx, cx + 1) for ny in (cy - 1, cy, cy + 1) for j in cells.get((nx, ny), ()))
            for j in sorted(j for j in near if j > i):
                dx, dy = pts[j][0] - pts[i][0], pts[j][1] - pts[i][1]
                dist = math.hypot(dx, dy)
                if dist >= gap - 1e-6:
                    continue
                if dist < 1e-6:  # the same place: part them along a fixed, per-pair direction
                    angle = (i * 7 + j * 3) % 12 * math.pi / 6
                    dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                push = (gap - dist) / 2 + 0.01
                ux, uy = dx / dist * push, dy / dist * push
                pts[i][0] -= ux
                pts[i][1] -= uy
                pts[j][0] += ux
                pts[j][1] += uy
                moved = True
        for p in pts:
            p[0] = min(max(p[0], margin), width - margin)
            p[1] = min(max(p[1], margin), height - margin)
        if not moved:
            break
    return [(x, y) for x, y in pts]


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
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

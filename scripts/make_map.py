"""Build the static outline map of the United Kingdom used by the site.

This script is run once, by hand, by a maintainer; the site generator only
reads its output (``templates/map/uk.json``) and never runs it.  Usage::

    npm install world-atlas@2 --ignore-scripts   # in any scratch folder
    python scripts/make_map.py node_modules/world-atlas/countries-10m.json templates/map/uk.json

Input: a ``countries-*.json`` TopoJSON file shipped by the npm package
``world-atlas`` (version 2.x), i.e. Natural Earth admin-0 country data
(public domain).  The committed map was made from ``countries-10m.json``
(1:10m); ``countries-50m.json`` also works but its coastline is visibly
coarser at 400 px wide (Scottish west coast, Thames estuary).  Country ids are ISO 3166-1 numeric codes.

What it does (Python 3.11 standard library only):

1. Decodes the TopoJSON itself: quantized, delta-encoded arcs are summed and
   mapped through ``transform`` (``lon = q_x * scale_x + translate_x``, same
   for lat); an arc index ``i < 0`` in a ring means arc ``~i`` reversed.
2. Takes the United Kingdom (826) as the main shape and Ireland (372) and
   the Isle of Man (833) as context land. France and the Channel Islands are
   left out: the view would show only clipped slivers of them.
3. Projects every ring with a plain equirectangular projection whose x axis
   is scaled by cos(54.5 deg), so that shapes are roughly true around the
   middle of Great Britain::

       x = x0 + kx * (lon - lon0)
       y = y0 - ky * (lat - lat0)

   with lon0 = -11, lat0 = 61.2, x0 = 0, y0 = 0,
   kx = 400 / 13.5 (the view spans lon -11 .. 2.5 across 400 px) and
   ky = kx / cos(54.5 deg), both rounded to 6 decimals before use.  The view
   spans lat 49.5 .. 61.2 (Shetland included), so the height is
   round(11.7 * ky) px.  The exact numbers are written to the JSON
   ``projection`` block; anything placing a dot on the map must use the
   formula above with those numbers (all in SVG user units of the viewBox
   ``0 0 width height``).
4. Clips each ring to the view rectangle (Sutherland-Hodgman, with a 2 px
   bleed so clipped edges fall outside the view), simplifies it with
   Douglas-Peucker (tolerance ``TOLERANCE`` px for the UK,
   ``CONTEXT_TOLERANCE`` px for context land), rounds to 0.1 px and drops
   rings whose area is below ``MIN_AREA`` square px.
5. Does the same for each enlarged area in ``INSETS`` (the dense parts of the
   map, drawn as panels of their own): the same formula with the scales
   multiplied by ``zoom`` so that the area's longitudes span ``WIDTH`` px,
   ``lon0``/``lat0`` at its north-west corner, and only UK land.
6. Writes JSON: attribution (the credit shown, in plain words), made_from, width, height, projection, two SVG path ``d``
   strings (``uk`` and ``context``) using relative commands, and ``insets``:
   for each, its id, label, bounds (lon/lat), width, height, projection,
   ``frame`` (its rectangle on the main map: x, y, width, height) and ``uk``.
"""

import json
import math
import sys

PACKAGE = "world-atlas"
UK_ID = "826"
CONTEXT_IDS = ("372", "833")  # Ireland, Isle of Man

LON_MIN, LON_MAX = -11.0, 2.5
LAT_MIN, LAT_MAX = 49.5, 61.2
WIDTH = 400
STANDARD_LAT = 54.5

# The enlarged areas: (id, label, lon_min, lon_max, lat_min, lat_max). A council whose
# position falls inside one is drawn in that panel instead of on the main map.
INSETS = (
    ("south-east", "London, Kent and Essex", -0.65, 1.45, 50.95, 52.05),
    ("central-belt", "The Central Belt of Scotland", -4.95, -2.55, 55.5, 56.12),
)

TOLERANCE = 0.75  # Douglas-Peucker tolerance for the UK, px
CONTEXT_TOLERANCE = 1.2  # coarser for the context land, px
MIN_AREA = 2.0  # rings smaller than this (px^2) are dropped
BLEED = 2.0  # clip this far outside the view so clipped edges are invisible


def projection(lon_min=LON_MIN, lon_max=LON_MAX, lat_min=LAT_MIN, lat_max=LAT_MAX):
    kx = round(WIDTH / (lon_max - lon_min), 6)
    ky = round(kx / math.cos(math.radians(STANDARD_LAT)), 6)
    height = round((lat_max - lat_min) * ky)
    proj = {"type": "equirectangular", "lon0": lon_min, "lat0": lat_max,
            "kx": kx, "ky": ky, "x0": 0, "y0": 0}
    return proj, height


def inset(arcs, uk_geometry, main_proj, spec):
    """An enlarged area: its own projection and UK outline, and its frame on the main map."""
    ident, label, lon_min, lon_max, lat_min, lat_max = spec
    proj, height = projection(lon_min, lon_max, lat_min, lat_max)
    uk, _, _ = build_path(geometry_rings(arcs, uk_geometry), proj, WIDTH, height, TOLERANCE)
    (x0, y0), (x1, y1) = project(main_proj, lon_min, lat_max), project(main_proj, lon_max, lat_min)
    frame = [round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1)]
    return {"id": ident, "label": label, "bounds": [lon_min, lon_max, lat_min, lat_max],
            "width": WIDTH, "height": height, "projection": proj, "frame": frame, "uk": uk}


def project(proj, lon, lat):
    return (proj["x0"] + proj["kx"] * (lon - proj["lon0"]),
            proj["y0"] - proj["ky"] * (lat - proj["lat0"]))


def decode_arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        qx = qy = 0
        points = []
        for dx, dy in arc:
            qx += dx
            qy += dy
            points.append((qx * sx + tx, qy * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs, indexes):
    ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def geometry_rings(arcs, geometry):
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    return [ring_points(arcs, ring) for polygon in polygons for ring in polygon]


def clip(ring, xmin, ymin, xmax, ymax):
    """Sutherland-Hodgman clipping of a closed ring to a rectangle."""
    edges = [
        (lambda p: p[0] >= xmin, lambda a, b: (xmin, a[1] + (b[1] - a[1]) * (xmin - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= xmax, lambda a, b: (xmax, a[1] + (b[1] - a[1]) * (xmax - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= ymin, lambda a, b: (a[0] + (b[0] - a[0]) * (ymin - a[1]) / (b[1] - a[1]), ymin)),
        (lambda p: p[1] <= ymax, lambda a, b: (a[0] + (b[0] - a[0]) * (ymax - a[1]) / (b[1] - a[1]), ymax)),
    ]
    points = ring
    for inside, cross in edges:
        if not points:
            break
        result = []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    result.append(cross(prev, cur))
                result.append(cur)
            elif inside(prev):
                result.append(cross(prev, cur))
            prev = cur
        points = result
    return points


def douglas_peucker(points, tol):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, best_i = -1.0, None
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dx * (py - ay) - dy * (px - ax)) / norm
            if d > best:
                best, best_i = d, i
        if best_i is not None and best > tol:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, tol):
    """Simplify a closed ring: split it at its first point and the point
    farthest from it, and run Douglas-Peucker on both halves."""
    if ring and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
    first = douglas_peucker(ring[: far + 1], tol)
    second = douglas_peucker(ring[far:] + [ring[0]], tol)
    return first[:-1] + second[:-1]


def area(ring):
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))


def fmt(tenths):
    """Format an integer number of tenths compactly: 12 -> 1.2, -5 -> -.5."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{frac}"


def path_data(rings):
    """SVG path: absolute M for each ring, then relative l, then z.  Deltas
    are computed on coordinates already rounded to 0.1 px, so there is no
    accumulated rounding drift."""
    parts = []
    for ring in rings:
        out = []
        px, py = ring[0]
        out.append(f"M{fmt(px)} {fmt(py)}l")
        coords = []
        for x, y in ring[1:]:
            coords.append(fmt(x - px))
            coords.append(fmt(y - py))
            px, py = x, y
        text = ""
        for c in coords:
            text += c if (not text or c.startswith("-")) else " " + c
        out.append(text + "z")
        parts.append("".join(out))
    return "".join(parts)


def build_path(rings_lonlat, proj, width, height, tolerance):
    rings = []
    for ring in rings_lonlat:
        pts = [project(proj, lon, lat) for lon, lat in ring]
        pts = clip(pts, -BLEED, -BLEED, width + BLEED, height + BLEED)
        if len(pts) < 3:
            continue
        pts = simplify_ring(pts, tolerance)
        tenths = []
        for x, y in pts:
            q = (round(x * 10), round(y * 10))
            if not tenths or q != tenths[-1]:
                tenths.append(q)
        while len(tenths) > 1 and tenths[0] == tenths[-1]:
            tenths.pop()
        if len(tenths) < 3 or abs(area(tenths)) / 100 < MIN_AREA:
            continue
        rings.append(tenths)
    return path_data(rings), len(rings), sum(len(r) for r in rings)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    src, dest = argv[1], argv[2]
    with open(src, encoding="utf-8") as f:
        topo = json.load(f)
    arcs = decode_arcs(topo)
    geometries = {g.get("id"): g for g in topo["objects"]["countries"]["geometries"]}

    proj, height = projection()
    uk_rings = geometry_rings(arcs, geometries[UK_ID])
    context_rings = [r for cid in CONTEXT_IDS if cid in geometries
                     for r in geometry_rings(arcs, geometries[cid])]
    uk, uk_n, uk_pts = build_path(uk_rings, proj, WIDTH, height, TOLERANCE)
    context, cx_n, cx_pts = build_path(context_rings, proj, WIDTH, height, CONTEXT_TOLERANCE)

    version = "2.x"
    name = src.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".json")
    try:
        with open(src.replace("\\", "/").rsplit("/", 1)[0] + "/package.json", encoding="utf-8") as f:
            version = json.load(f)["version"]
    except (OSError, KeyError, ValueError, IndexError):
        pass
    data = {
        "attribution": "Coastlines from Natural Earth, free map data in the public domain",
        "made_from": f"Natural Earth via the {PACKAGE} npm package v{version}, {name}, by scripts/make_map.py",
        "width": WIDTH,
        "height": height,
        "projection": proj,
        "uk": uk,
        "context": context,
        "insets": [inset(arcs, geometries[UK_ID], proj, spec) for spec in INSETS],
    }
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{dest}: uk {uk_n} rings / {uk_pts} points, context {cx_n} rings / {cx_pts} points, "
          f"{len(uk) + len(context)} bytes of path data")


if __name__ == "__main__":
    main(sys.argv)

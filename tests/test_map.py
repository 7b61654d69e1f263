"""The home page's map: every council a keyboard link, no two markers overlapping on a phone,
informative statuses on top, a key without empty classes, land clear of sea in both themes,
no clipped slivers of other countries, and a credit in plain words."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from browser import chromium, serve
from colours import contrast
from conftest import ROOT, run
from generator.charts import MARKER_GAP, spread
from pages import soup, text


@pytest.fixture(scope="module")
def out(real_built):
    return real_built


def councils(out) -> list[dict]:
    return json.loads((out / "data" / "councils.json").read_text("utf-8"))


def test_every_placed_council_is_one_marker_linking_to_its_page(out):
    doc = soup(out / "index.html")
    links = doc.select("svg.map a")
    placed = [c for c in councils(out) if c["lat"] is not None]
    assert sorted(a["href"] for a in links) == sorted(f"councils/{c['slug']}/" for c in placed)
    named = {a["href"]: text(a.title) for a in links}
    for c in placed:
        assert named[f"councils/{c['slug']}/"] == f"{c['name']}: {c['status_label']}"
    for svg in doc.select("svg.map"):
        assert svg.get("role") == "group" and text(doc.find(id=svg["aria-labelledby"]))
    # the dense areas have panels of their own, which hold most of the councils
    titles = [text(svg.title) for svg in doc.select("svg.map-inset")]
    assert any("London, Kent and Essex" in t for t in titles) and any("Central Belt" in t for t in titles)


def test_informative_statuses_are_drawn_above_unknown(out):
    for svg in soup(out / "index.html").select("svg.map"):
        statuses = [a.select_one(".marker")["class"][1] for a in svg.select("a")]
        if "status-unknown" in statuses:
            last_unknown = max(i for i, s in enumerate(statuses) if s == "status-unknown")
            assert all(s == "status-unknown" for s in statuses[:last_unknown + 1])


def test_key_lists_only_statuses_with_councils_and_names_the_others(out):
    doc = soup(out / "index.html")
    counts = {}
    for c in councils(out):
        counts[c["status_label"]] = counts.get(c["status_label"], 0) + 1
    key = [text(li) for li in doc.select(".map-figure .legend li")]
    assert sorted(key) == sorted(f"{label} ({n})" for label, n in counts.items())
    site = (ROOT / "site.yaml").read_text("utf-8")
    labels = re.findall(r"^    label: (.+)$", site, re.M)
    empty = [label for label in labels if label not in counts]
    none_yet = [text(p) for p in doc.select(".map-figure p") if text(p).startswith("None yet")]
    assert none_yet == ([f"None yet: {', '.join(empty)}."] if empty else [])


def test_key_says_none_yet_for_a_status_no_council_has(site, tmp_path):
    # the fixture site has no council that has removed its cameras, nor any "unknown" one
    result = run("build", "--no-cache", "--site", str(site), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    doc = soup(tmp_path / "o" / "index.html")
    key = " ".join(text(li) for li in doc.select(".map-figure .legend li"))
    assert "Removed" not in key and "(0)" not in key
    assert any(text(p).startswith("None yet: Removed") for p in doc.select(".map-figure p"))


def _points(path_data: str) -> list[tuple[float, float]]:
    """The vertices of make_map.py's paths: absolute M, then relative l pairs, then z."""
    points = []
    for ring in re.findall(r"M([^Mz]+)z", path_data):
        start, _, rest = ring.partition("l")
        x, y = (float(v) for v in re.findall(r"-?[\d.]+", start))
        points.append((x, y))
        steps = [float(v) for v in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", rest)]
        for dx, dy in zip(steps[::2], steps[1::2]):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_no_sliver_of_france_and_a_credit_in_plain_words(out):
    outline = json.loads((ROOT / "templates" / "map" / "uk.json").read_text("utf-8"))
    # the context land is Ireland and the Isle of Man, all west of 4°W (x < 210 on the map)
    assert max(x for x, _ in _points(outline["context"])) < 210
    credit = [text(p) for p in soup(out / "index.html").select(".map-figure p") if "Natural Earth" in text(p)]
    assert credit and not re.search(r"npm|world-atlas|countries-|10m|v\d", credit[0])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 120), st.floats(0, 120)), min_size=2, max_size=12))
@example([(39.0, 0.0), (38.0, 0.0)] + [(0.0, 0.0)] * 7)  # a crowd in a corner: 200 rounds left two 25.9 apart
def test_spread_keeps_markers_apart_inside_the_drawing(points):
    placed = spread(points, 400, 400)
    assert placed == spread(points, 400, 400)  # deterministic
    for (x1, y1), (x2, y2) in itertools.combinations(placed, 2):
        assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= MARKER_GAP - 0.01
    assert all(0 <= x <= 400 and 0 <= y <= 400 for x, y in placed)


# -- in a real browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served(out):
    with serve(out) as origin:
        yield origin + "/"


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_no_two_markers_overlap_on_a_phone(browser, served, out, width):
    page = browser.new_page(viewport={"width": width, "height": 844})
    page.goto(served)
    boxes = [m.bounding_box() for m in page.locator("svg.map a .marker").all()]
    page.close()
    assert len(boxes) == sum(c["lat"] is not None for c in councils(out))
    assert all(b["width"] >= 8 and b["height"] >= 8 for b in boxes)  # visible, not shrunk away
    overlapping = [(a, b) for a, b in itertools.combinations(boxes, 2)
                   if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                   and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]
    assert overlapping == []


@pytest.mark.browser
def test_tab_reaches_every_marker_and_enter_opens_its_council(browser, served, out):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(served)
    wanted = {f"{served}councils/{c['slug']}/" for c in councils(out) if c["lat"] is not None}
    reached, names = [], {}
    for _ in range(len(wanted) + 80):
        page.keyboard.press("Tab")
        href, in_map = page.evaluate("() => { const a = document.activeElement;"
                                     " return [a.href ? new URL(a.href.baseVal ?? a.href, location.href).href : '',"
                                     " !!a.closest('svg.map')]; }")
        if in_map:
            reached.append(href)
        elif reached:
            break
    assert sorted(reached) == sorted(wanted)
    # each marker's accessible name says which council and its status
    for c in councils(out):
        if c["lat"] is not None:
            link = page.locator("svg.map").get_by_role("link", name=f"{c['name']}: {c['status_label']}", exact=True)
            assert link.count() == 1, c["name"]
    page.goto(served)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('svg.map-inset')"):
            break
    name = page.evaluate("() => document.activeElement.querySelector('title').textContent")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name.split(": ")[0]
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme, least", [("light", 1.3), ("dark", 2.0)])
def test_land_stands_out_from_the_sea(browser, served, scheme, least):
    page = browser.new_page(color_scheme=scheme)
    page.goto(served)
    sea = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    land = page.evaluate("() => getComputedStyle(document.querySelector('svg.map .map-land')).fill")
    coast = page.evaluate("() => getComputedStyle(document.querySelector('svg.map .map-land')).stroke")
    page.close()
    assert contrast(land, sea) >= least
    assert contrast(coast, sea) >= 3  # WCAG 1.4.11: the coastline, a shape that matters, is clear

"""The real site in a real browser (headless Debian Chromium): accessibility, privacy, the
filters, sorting and search, and that every page type still works without JavaScript."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import AXE, block_other_hosts, chromium, require, serve
from conftest import ROOT, run

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "councils": "councils/",
    "council": "councils/dover/",
    "timeline": "timeline/",
    "sources": "sources/",
    "page": "about/",
    "data": "data/",
    "search": "search/?q=kent",
    "changes": "changes/",
    "404": "404.html",
}
MODES = {
    "light": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
    "dark": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
    "phone": {"viewport": {"width": 320, "height": 640}, "color_scheme": "light"},
    "phone-dark": {"viewport": {"width": 320, "height": 640}, "color_scheme": "dark"},
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VISIBLE_TEXT = "els => els.filter(e => e.getClientRects().length > 0).map(e => e.innerText.trim())"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[str, Path]:
    """The real site, built for and served from a local address: (site URL, build folder)."""
    out = tmp_path_factory.mktemp("real") / "build"
    out.mkdir()
    with serve(out) as origin:
        result = run("build", "--no-cache", "--site", str(ROOT), "--out", str(out), "--base-url", origin + "/")
        assert result.returncode == 0, result.stderr
        yield origin + "/", out


def data(out: Path, name: str) -> list[dict]:
    return json.loads((out / "data" / name).read_text("utf-8"))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_violations(browser, real, name, mode):
    require(AXE.is_file(), "node_modules/axe-core (run `make test`)")
    url, _ = real
    # Injecting axe is an inline script, which the site's own policy rightly refuses.
    context = browser.new_context(bypass_csp=True, **MODES[mode])
    page = context.new_page()
    page.goto(url + PAGES[name])
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    context.close()
    found = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    assert found == []


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_other_hosts_and_breaks_no_policy(browser, real, name):
    url, _ = real
    context = browser.new_context()
    offsite, problems = block_other_hosts(context, url), []
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url + PAGES[name], wait_until="networkidle")
    context.close()
    assert offsite == []
    assert problems == []  # CSP violations and missing files show up as console errors


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_320px_screen(browser, real, name):
    url, _ = real
    context = browser.new_context(**MODES["phone"])
    page = context.new_page()
    page.goto(url + PAGES[name])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0


@pytest.mark.parametrize("name", PAGES)
def test_page_is_usable_without_javascript(browser, real, name):
    url, out = real
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + PAGES[name])
    assert page.locator("main h1").is_visible()
    assert page.locator('nav[aria-label="Main"] a').count() >= 5
    assert page.locator("form.filters").count() == 0 or not page.locator("form.filters").is_visible()
    if name == "councils":
        assert len(page.locator("#councils-table tbody tr").evaluate_all(VISIBLE_TEXT)) == len(data(out, "councils.json"))
    if name == "timeline":
        assert len(page.locator("li.event").evaluate_all(VISIBLE_TEXT)) == len(data(out, "timeline.json"))
    if name == "search":
        assert "needs JavaScript" in page.locator("#search-status").inner_text()
        assert page.locator("#search-status a").count() == 3
    if name == "home":
        assert page.locator("svg.map").first.is_visible() and page.locator("svg.chart-svg").count() == 3
    context.close()


def test_home_page_weighs_under_100_kb(browser, real):
    url, _ = real
    page = browser.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="networkidle")
    weight = sum(len(r.body()) for r in responses if r.request.resource_type in ("document", "stylesheet", "script"))
    page.close()
    assert 10_000 < weight < 100_000


def by_name(names) -> list[str]:
    """In the councils index's order: by name, ignoring case ('Mid and East Antrim' before 'Mid Ulster')."""
    return sorted(names, key=str.lower)


def _visible_rows(page) -> list[str]:
    return page.locator("#councils-table tbody tr th > a:first-of-type").evaluate_all(VISIBLE_TEXT)


def test_councils_filter_sort_and_share_the_view(browser, real):
    url, out = real
    councils = data(out, "councils.json")
    page = browser.new_page()
    page.goto(url + "councils/")
    assert _visible_rows(page) == by_name(c["name"] for c in councils)

    page.select_option("#filter-status", "under-review")
    under_review = by_name(c["name"] for c in councils if c["status"] == "under-review")
    assert _visible_rows(page) == under_review
    assert page.locator("#council-count").inner_text() == f"Showing {len(under_review)} of {len(councils)} councils."
    assert "status=under-review" in page.url

    page.click("#council-filters button[type=reset]")
    page.select_option("#filter-region", "Scotland")
    page.select_option("#filter-kind", "unitary")
    assert _visible_rows(page) == by_name(c["name"] for c in councils
                                          if c["region"] == "Scotland" and c["kind"] == "unitary")

    page.click("#council-filters button[type=reset]")
    page.fill("#filter-q", "county")
    assert _visible_rows(page) == by_name(c["name"] for c in councils if "county" in c["name"].lower())

    page.fill("#filter-q", "")
    cameras = page.get_by_role("button", name="Hikvision cameras")
    cameras.click()
    cameras.click()
    most = max((c for c in councils if c["cameras"] and c["cameras"]["hikvision"] is not None),
               key=lambda c: c["cameras"]["hikvision"])
    assert _visible_rows(page)[0] == most["name"]
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert "sort=cameras" in page.url and "order=desc" in page.url

    page.select_option("#filter-status", "phasing-out")
    shown, shared = _visible_rows(page), page.url
    other = browser.new_page()
    other.goto(shared)
    assert _visible_rows(other) == shown
    assert other.locator("#filter-status").input_value() == "phasing-out"
    page.close()
    other.close()


def test_timeline_filters_by_council_scope_and_order(browser, real):
    url, out = real
    timeline = data(out, "timeline.json")
    page = browser.new_page()
    page.goto(url + "timeline/")
    visible = "li.event:visible"

    slug = max({e["council"] for e in timeline if e["council"]},
               key=lambda s: sum(e["council"] == s or s in e["councils"] for e in timeline))
    page.select_option("#filter-council", slug)
    expected = [e for e in timeline if e["council"] == slug or slug in e["councils"]]
    assert page.locator(visible).count() == len(expected)
    for item in page.locator(visible).all():
        assert item.locator("a[href^='../sources/']").count() >= 1
    assert page.locator(f'{visible} .event-title a[href="../councils/{slug}/"]').count() == \
        sum(e["council"] == slug for e in expected)
    assert f"council={slug}" in page.url

    page.select_option("#filter-council", "")
    page.select_option("#filter-scope", "national")
    assert page.locator(visible).count() == sum(e["council"] is None for e in timeline)
    assert page.locator("li.event.national:visible").count() == page.locator(visible).count()

    page.select_option("#filter-scope", "")
    page.select_option("#filter-order", "oldest")
    years = page.locator("section.year:visible h2").all_inner_texts()
    assert years == sorted(years) and years[0] == timeline[0]["date"][:4]
    page.close()


def test_search_finds_councils_and_sources_and_keeps_the_query(browser, real):
    url, out = real
    council = data(out, "councils.json")[0]
    source = data(out, "sources.json")[0]
    page = browser.new_page()
    page.goto(url + "search/")
    page.fill("#q", council["name"])
    first = page.locator("#search-results li").first
    assert first.locator("a").inner_text() == council["name"]
    assert "q=" in page.url
    page.fill("#q", source["title"])
    assert source["title"] in page.locator("#search-results a").all_inner_texts()
    page.fill("#q", "zzzqqq")
    assert page.locator("#search-results li").count() == 0
    assert page.locator("#search-status").inner_text().startswith("No results")
    page.goto(url + "search/?q=" + council["name"])
    page.locator("#search-results a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == council["name"]
    page.close()


def test_search_works_from_the_files_on_disk(browser, real):
    _, out = real
    page = browser.new_page()
    page.goto((out / "search" / "index.html").as_uri() + "?q=Hikvision")
    assert page.locator("#search-results li").count() > 10
    page.close()

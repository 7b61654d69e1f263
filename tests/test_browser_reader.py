"""The explainer as a reader meets it in Chromium: the first screen on a phone, no page that
scrolls sideways at common phone widths, finding a council, the councils index's filters and
sorting, touch-sized footnotes, and the feed shown as a page."""

from __future__ import annotations

import pytest

from browser import block_other_hosts
from test_browser import PAGES, VISIBLE_TEXT, _visible_rows, browser, data, real  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 375, 390, 414)
# Every page type, and the councils whose contract-values tables once made phones scroll.
PHONE_PAGES = {**PAGES, "changes": "changes/", "colchester": "councils/colchester/",
               "dudley": "councils/dudley/", "north-warwickshire": "councils/north-warwickshire/",
               "feed": "feed.xml"}
PHONE = {"viewport": {"width": 390, "height": 844}, "color_scheme": "light"}


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_type_scrolls_sideways_on_a_phone(browser, real, width):
    url, _ = real
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    wider = {}
    for name, path in PHONE_PAGES.items():
        page.goto(url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wider[name] = overflow
    context.close()
    assert wider == {}


def test_the_first_screen_on_a_phone_explains_dates_and_finds(browser, real):
    url, out = real
    councils = data(out, "councils.json")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)

    def on_first_screen(selector: str) -> bool:
        box = page.locator(selector).first.bounding_box()
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844

    for selector in (".standfirst .dateline", ".standfirst p:has-text('Hikvision')", ".state-of-play",
                     ".coverage a", "#find-council"):
        assert on_first_screen(selector), selector
    assert page.locator(".dateline").inner_text().startswith("Updated ")
    standfirst = page.locator(".standfirst").inner_text()
    assert "Hikvision, a Chinese company" in standfirst and "Xinjiang" in standfirst
    listed = f"of the {len(councils)} councils listed"
    assert listed in page.locator(".state-of-play").inner_text()
    assert f"covers {len(councils)} of the UK's" in page.locator(".coverage").inner_text()
    context.close()


def test_the_header_navigation_takes_at_most_two_lines_at_390px(browser, real):
    url, _ = real
    context = browser.new_context(**PHONE)
    page = context.new_page()
    for path in ("", "councils/dover/"):
        page.goto(url + path)
        tops = page.locator('nav[aria-label="Main"] li').evaluate_all(
            "items => [...new Set(items.map(i => Math.round(i.getBoundingClientRect().top)))]")
        assert len(tops) <= 2, path
    context.close()


@pytest.mark.parametrize("width", (390, 1280))
def test_footnote_links_are_at_least_24px_square(browser, real, width):
    url, _ = real
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url + "councils/kent-county-council/")
    sizes = page.locator("sup.cite a").evaluate_all(
        "links => links.map(a => [a.getBoundingClientRect().width, a.getBoundingClientRect().height])")
    context.close()
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes


@pytest.mark.parametrize("query, found", [
    ("Maidstone", ["Kent County Council"]),  # a town, through Kent's aliases
    ("Knaresborough", ["Harrogate Borough Council"]),
    ("harrogate", ["Harrogate Borough Council"]),
])
def test_find_your_council_from_the_home_page(browser, real, query, found):
    url, _ = real
    page = browser.new_page()
    page.goto(url)
    page.fill("#find-council", query)
    page.press("#find-council", "Enter")
    page.wait_for_url("**/councils/?q=*")
    assert _visible_rows(page) == found
    assert page.locator("#filter-q").input_value() == query
    page.close()


def test_councils_index_counts_filters_by_age_and_sorts_unreported_last(browser, real):
    url, out = real
    councils = data(out, "councils.json")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "councils/")
    options = page.locator("#filter-status option").evaluate_all(
        "os => os.filter(o => o.value).map(o => [o.value, o.textContent, o.disabled])")
    for code, label, disabled in options:
        count = sum(c["status"] == code for c in councils)
        assert label.endswith(f"({count})") and disabled == (count == 0), (code, label)

    page.select_option("#filter-age", "old")
    old = page.locator("#councils-table tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.dataset.age)")
    assert old and set(old) == {"old"}
    assert "age=old" in page.url
    page.click("#council-filters button[type=reset]")

    reported = [c for c in councils if c["cameras"] and c["cameras"]["hikvision"] is not None]
    cameras = page.get_by_role("button", name="Hikvision cameras")
    for order in ("ascending", "descending"):
        cameras.click()
        assert page.locator("th[aria-sort]").get_attribute("aria-sort") == order
        shown = page.locator("#councils-table tbody tr td[data-label='Hikvision cameras']").evaluate_all(
            "cells => cells.map(c => c.dataset.value)")
        assert all(v for v in shown[:len(reported)]) and not any(shown[len(reported):]), order
        values = [int(v) for v in shown[:len(reported)]]
        assert values == sorted(values, reverse=order == "descending")
    assert page.locator("#councils-table tbody tr .summary").first.is_visible()
    page.close()


def test_the_feed_reads_as_a_page_in_a_browser_and_loads_only_the_sites_files(browser, real):
    url, _ = real
    context = browser.new_context()
    offsite = block_other_hosts(context, url)
    page = context.new_page()
    page.goto(url + "feed.xml", wait_until="load")
    assert page.locator("h1").inner_text() == "This is a web feed"
    assert page.locator("li.change a").count() > 0
    context.close()
    assert offsite == []

"""Site search as a reader uses it, in a real browser: words found in any form ("phase out",
"removal"), spellings that are the same word (Uighur, Uyghur), common words left out, the
matched words highlighted in a snippet, a filter by type, and search from the files on disk.
Also: the index is the same bytes on every build."""

from __future__ import annotations

import json

import pytest

from browser import chromium, serve
from conftest import ROOT, run

SEARCH_JS = "() => [...document.querySelectorAll('#search-results li')].map(li => ({"\
            "kind: li.querySelector('.tag').textContent, title: li.querySelector('.search-title a').textContent,"\
            "href: li.querySelector('.search-title a').getAttribute('href'),"\
            "marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))"


@pytest.fixture(scope="module")
def out(real_built):
    return real_built


def councils(out) -> list[dict]:
    return json.loads((out / "data" / "councils.json").read_text("utf-8"))


def test_the_index_is_byte_identical_across_builds(out, tmp_path):
    result = run("build", "--no-cache", "--site", str(ROOT), "--out", str(tmp_path / "again"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "again" / "search" / "index.js").read_bytes() == (out / "search" / "index.js").read_bytes()


def test_lunr_js_is_the_copy_package_lock_vouches_for():
    vendored = ROOT / "templates" / "assets" / "lunr" / "lunr.min.js"
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    version = lock["packages"]["node_modules/lunr"]["version"]
    assert f"- {version}\n" in vendored.read_text("utf-8")[:200]
    installed = ROOT / "node_modules" / "lunr" / "lunr.min.js"
    if installed.is_file():  # npm checked its integrity hash when it installed it
        assert installed.read_bytes() == vendored.read_bytes()
    assert (vendored.parent / "LICENSE").is_file()


# -- in a real browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def page(browser, out):
    with serve(out) as origin:
        tab = browser.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(origin + "/search/")
        yield tab
        assert errors == []


def search(page, query: str, kind: str = "") -> list[dict]:
    page.fill("#q", query)
    page.check(f"input[name=type][value='{kind}']")
    return page.evaluate(SEARCH_JS)


@pytest.mark.browser
def test_phase_out_finds_every_council_that_is_phasing_out(page, out):
    found = {r["href"] for r in search(page, "phase out", "council")}
    phasing = {f"../councils/{c['slug']}/" for c in councils(out) if c["status"] == "phasing-out"}
    assert len(phasing) >= 5 and phasing <= found


@pytest.mark.browser
def test_uighur_and_uyghur_find_the_same_things(page):
    uighur, uyghur = search(page, "Uighur"), search(page, "Uyghur")
    assert uighur and [r["href"] for r in uighur] == [r["href"] for r in uyghur]
    marked = {m.lower() for r in uyghur for m in r["marks"]}
    assert {"uighur", "uyghur"} <= {m.rstrip("s") for m in marked}  # both spellings are highlighted


@pytest.mark.browser
def test_removal_finds_removed_and_remove(page):
    marked = {m.lower() for r in search(page, "removal") for m in r["marks"]}
    assert {"removal", "removed", "remove"} <= marked


@pytest.mark.browser
def test_common_words_need_not_match(page):
    assert search(page, "what is Hikvision doing to the Uyghurs") == search(page, "Hikvision doing Uyghurs")
    assert search(page, "the") == []
    assert "common words" in page.locator("#search-status").inner_text()


@pytest.mark.browser
def test_results_show_the_matched_words_highlighted_in_a_snippet(page):
    search(page, "genocide")
    snippets = page.locator("#search-results .snippet")
    assert snippets.count() > 0
    first = snippets.first
    assert first.locator("mark").first.inner_text().lower().startswith("genocid")
    background = first.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


@pytest.mark.browser
def test_results_can_be_filtered_by_type(page):
    everything = search(page, "Kent")
    kinds = {r["kind"] for r in everything}
    assert {"Council", "Source", "Event"} <= kinds
    for kind in ("council", "source", "event"):
        only = search(page, "Kent", kind)
        assert only and {r["kind"].lower() for r in only} == {kind}
        assert len(only) == sum(r["kind"].lower() == kind for r in everything)
        label = page.locator(f"input[name=type][value='{kind}'] + .count, label:has(input[value='{kind}']) .count")
        assert label.first.inner_text() == f"({len(only)})"
        assert f"type={kind}" in page.url


@pytest.mark.browser
def test_search_from_the_files_on_disk_understands_words_too(browser, out):
    tab = browser.new_page()
    tab.goto((out / "search" / "index.html").as_uri() + "?q=phase+out&type=council")
    found = tab.evaluate(SEARCH_JS)
    tab.close()
    phasing = {f"../councils/{c['slug']}/" for c in councils(out) if c["status"] == "phasing-out"}
    assert phasing <= {r["href"] for r in found}
    assert {r["kind"] for r in found} == {"Council"}

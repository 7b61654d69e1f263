"""Site search as a reader uses it, in a real browser: words found in any form ("phase out",
"removal"), spellings that are the same word (Uighur, Uyghur), common words left out, the
matched words highlighted in a snippet, a filter by type, and search from the files on disk.
Also: the index is the same bytes on every build, and it is a join of one piece per record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import chromium, serve
from conftest import ROOT, run
from generator import clock, search as site_search
from generator.build import Options, check_site
from generator.cache import BuildCache

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


def build(site: Path, out: Path) -> str:
    result = run("build", "--no-cache", "--site", str(site), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return (out / "search" / "index.js").read_text("utf-8")


def pieces(site: Path) -> list[str]:
    """Each record's piece, made from the site as the generator reads it."""
    model = check_site(site, clock.today(), Options(), BuildCache(None)).site
    makers = site_search.makers(model)
    return [site_search.record_json(makers[kind](record)) for kind, _, record in site_search.records(model)]


def test_the_index_is_the_join_of_one_piece_per_record(site, tmp_path):
    """The file holds one record's piece a line, so an edit to one council changes its own piece
    (one line of the file) and nothing else. (That a build keeping the pieces makes a clean
    build's bytes is test_write.py's.)"""
    before = build(site, tmp_path / "before")
    made = pieces(site)
    assert len(made) > 5 and len(set(made)) == len(made)
    assert [line.rstrip(",") for line in before.splitlines()[1:-1]] == made

    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text("utf-8").replace("until the government", "until ministers"), "utf-8")
    after = build(site, tmp_path / "after")
    remade = pieces(site)
    changed = [(old, new) for old, new in zip(made, remade) if old != new]
    assert len(remade) == len(made) and len(changed) == 1 and "until ministers" in changed[0][1]
    assert after == before.replace(changed[0][0], changed[0][1])


def test_a_piece_is_compact_json_with_its_keys_in_order():
    piece = site_search.record_json({"u": "councils/ynys-mon/", "t": "Cyngor Sir Ynys Môn", "k": "Council"})
    assert piece == '{"k":"Council","t":"Cyngor Sir Ynys Môn","u":"councils/ynys-mon/"}'


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


@pytest.mark.browser
def test_a_stemmed_word_and_a_synonym_are_found_and_titles_rank_first(browser, site, tmp_path):
    """The browser indexes the words as it reads the query: any form of a word, a synonym group
    of site.yaml (made-up words here, so that nothing else in the site matches them)."""
    with open(site / "site.yaml", "a", encoding="utf-8") as f:
        f.write("\nsearch:\n  synonyms:\n    - [quokka, setonix]\n")
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text("utf-8").replace(
        "status_summary: Has paused", "status_summary: Decommissioned its Setonix cameras and paused"), "utf-8")
    build(site, tmp_path / "out")
    with serve(tmp_path / "out") as origin:
        tab = browser.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(origin + "/search/")
        stemmed, synonym = search(tab, "decommissioning"), search(tab, "quokkas")
        named = search(tab, "Medway")
        tab.close()
    assert errors == []
    for found, word in ((stemmed, "Decommissioned"), (synonym, "Setonix")):
        assert [(r["title"], r["marks"]) for r in found] == [("Medway Council", [word])]
    in_title = ["Medway" in r["title"] for r in named]
    assert in_title[0] and not in_title[-1] and in_title == sorted(in_title, reverse=True)

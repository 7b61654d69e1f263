"""What a reader needs from the explainer, read from the built pages: the change log, how old
each status is, how to reach the editors, where a source's links go, and how to cite and reuse
the data. (The browser checks are in test_browser_reader.py.)"""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import run
from pages import soup, text
from generator.model import Council, PartialDate
from generator.render import filesize
from generator.validate import is_stale


def build(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run("build", "--site", str(site), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text("utf-8")
    assert old in content, old
    path.write_text(content.replace(old, new, 1), "utf-8")


# -- the change log --------------------------------------------------------------------------

def test_whats_new_lists_the_change_log_newest_first_on_the_home_page(built):
    doc = soup(built / "index.html")
    section = doc.select_one("#new-heading").parent
    items = section.select("li.change")
    assert [text(li.time) for li in items] == ["22 November 2026", "21 November 2026", "20 November 2026"]
    assert text(items[0].select_one(".change-title")) == "Status changed Tonbridge and Malling Borough Council"
    assert items[0].select_one(".change-title a")["href"] == "councils/tonbridge-and-malling/"
    assert text(items[2].select_one(".change-title")) == "Checked The whole site"
    assert "none found" in text(items[2])
    assert section.find("a", string="Every change")["href"] == "changes/"
    feed = section.find("a", href="feed.xml")
    assert "a list of updates a news-reader app checks for you" in text(feed.parent)


def test_each_council_page_lists_its_own_changes_citing_numbered_sources(built):
    doc = soup(built / "councils" / "tonbridge-and-malling" / "index.html")
    items = doc.select_one("#changes-heading").parent.select("li.change")
    assert len(items) == 1
    assert items[0]["id"] == "change-2026-11-22-tonbridge-and-malling"
    assert 'Status changed from "unknown" to "phasing-out"' in text(items[0])
    footnote = items[0].select_one("sup.cite a")["href"]
    assert doc.select_one(footnote.replace("#", "li#")) is not None
    assert soup(built / "councils" / "medway" / "index.html").select_one("#changes-heading") is None


def test_the_changes_page_holds_every_entry_the_feed_links_to(built):
    doc = soup(built / "changes" / "index.html")
    ids = [li["id"] for li in doc.select("li.change")]
    assert ids == ["change-2026-11-22-tonbridge-and-malling", "change-2026-11-21-dudley", "change-2026-11-20-site"]


def test_a_site_without_a_change_log_is_updated_as_of_its_newest_review(site, tmp_path):
    (site / "content" / "changelog.yaml").unlink()
    out = build(site, tmp_path)
    doc = soup(out / "index.html")
    assert text(doc.select_one(".dateline")) == "Updated 22 November 2026"  # the newest last_reviewed
    assert doc.select_one("#new-heading") is None


# -- how old a status is ---------------------------------------------------------------------

@pytest.mark.parametrize("date, stale", [
    ("2024-11-30", True), ("2024-12-01", False), ("2024-11", True), ("2024-12", False), ("2024", False),
    ("2023", True), ("2026-06", False),
])
def test_a_status_is_stale_when_even_its_last_possible_day_is_over_two_years_old(date, stale):
    parts = [int(p) for p in date.split("-")]
    assert is_stale(PartialDate(*parts), datetime.date(2026, 12, 1), 730) is stale


def test_old_statuses_are_flagged_and_can_be_filtered_with_counts(site, tmp_path):
    edit(site / "content" / "councils" / "medway.yaml", "status_as_of: 2023-02", "status_as_of: 2025-06")
    out = build(site, tmp_path)
    medway = soup(out / "councils" / "medway" / "index.html")
    assert "Last public statement: June 2025" in text(medway.select_one(".status-box"))
    assert medway.select_one(".stale-flag") is None and medway.select_one(".stale-note") is None
    dudley = soup(out / "councils" / "dudley" / "index.html")
    assert text(dudley.select_one(".status-box .dates")).startswith("Last public statement: June 2021 over two years old")
    index = soup(out / "councils" / "index.html")
    ages = {text(tr.th): tr["data-age"] for tr in index.select("tbody tr")}
    assert ages == {"Dudley Metropolitan Borough Council": "old", "Medway Council": "recent",
                    "Tonbridge and Malling Borough Council": "old"}
    options = {o["value"]: (text(o), o.has_attr("disabled")) for o in index.select("#filter-age option") if o["value"]}
    assert options == {"old": ("Over two years old (2)", False), "recent": ("Within two years (1)", False)}
    home = soup(out / "index.html")
    assert "2 councils' latest public statement is more than two years old" in text(home.select_one(".figures"))


def test_the_clock_decides_what_is_stale(site, tmp_path):
    """The build's one clock (SOURCE_DATE_EPOCH): on 1 June 2024 only Dudley's June 2021 status is old."""
    out = tmp_path / "out"
    result = run("build", "--site", str(site), "--out", str(out), env={"SOURCE_DATE_EPOCH": "1717200000"})
    assert result.returncode == 0, result.stderr
    index = soup(out / "councils" / "index.html")
    assert [tr["data-age"] for tr in index.select("tbody tr")] == ["old", "recent", "recent"]
    assert text(index.select_one('#filter-age option[value="old"]')) == "Over two years old (1)"


# -- the councils index ----------------------------------------------------------------------

def test_filter_options_show_their_counts_and_empty_ones_are_disabled(built):
    doc = soup(built / "councils" / "index.html")
    status = {o["value"]: (text(o), o.has_attr("disabled")) for o in doc.select("#filter-status option") if o["value"]}
    assert status["paused"] == ("Paused (1)", False)
    assert status["removed"] == ("Removed (0)", True)
    assert [text(o) for o in doc.select("#filter-region option")] == ["Any region", "West Midlands (1)", "South East (2)"]
    row = doc.select_one('tr[data-status="paused"]')
    assert text(row.select_one(".summary")).startswith("Has paused installing new Hikvision cameras")
    assert text(row.select("td")[1]) == "Feb 2023 over two years old"


def test_the_not_listed_panel_explains_absence_and_how_to_ask(built):
    doc = soup(built / "councils" / "index.html")
    panel = doc.select_one("#not-listed")
    words = text(panel)
    assert "Your council isn't listed?" in words and "3 councils of the UK's 382" in words
    assert "does not mean it has no Hikvision cameras" in words and "Freedom of Information request" in words
    assert panel.find("a", string="WhatDoTheyKnow")["href"] == "https://www.whatdotheyknow.com/"
    assert panel.find("a", string="send it to us")["href"] == "mailto:corrections@newsroom.test"
    assert doc.find("a", href="#not-listed") is not None


def test_aliases_find_a_council_from_the_home_page_and_the_index(site, tmp_path):
    edit(site / "content" / "councils" / "medway.yaml", "kind: unitary\n",
         "kind: unitary\naliases: [Chatham, Rochester, Gillingham]\n")
    out = build(site, tmp_path)
    home = soup(out / "index.html")
    form = home.select_one("form.find-council")
    assert form["action"] == "councils/" and form.select_one("input")["name"] == "q"
    names = [o["value"] for o in home.select("datalist#council-names option")]
    assert "Chatham" in names and "Medway Council" in names and names == sorted(names)
    row = soup(out / "councils" / "index.html").select_one('tr[data-status="paused"]')
    assert "Chatham" in row["data-text"] and "Rochester" in row["data-text"]
    record = next(c for c in json.loads((out / "data" / "councils.json").read_text()) if c["slug"] == "medway")
    assert record["aliases"] == ["Chatham", "Rochester", "Gillingham"]


@pytest.mark.skipif("abolished" not in Council.__dataclass_fields__,
                    reason="the abolished and successor fields come with the content branch (issue 17)")
def test_the_index_shows_an_abolished_council_and_links_its_successor(site, tmp_path):
    edit(site / "content" / "councils" / "dudley.yaml", "kind: metropolitan\n",
         "kind: metropolitan\nabolished: 2023-04\nsuccessor: medway\n")
    out = build(site, tmp_path)
    row = soup(out / "councils" / "index.html").select_one('tr[data-status="under-review"]')
    assert text(row.select_one(".abolished")) == "Abolished April 2023; now Medway Council"
    assert row.select_one(".abolished a")["href"] == "medway/"


# -- figures of different years --------------------------------------------------------------

def test_camera_counts_of_different_years_say_so_on_the_figure(site, tmp_path):
    edit(site / "content" / "councils" / "tonbridge-and-malling.yaml", "  hikvision: 29\n",
         "  hikvision: 29\n  as_of: 2023-02\n")
    edit(site / "content" / "councils" / "medway.yaml", "events:",
         "cameras:\n  hikvision: 12\n  as_of: 2019\n  source: localgov-2023-02-kent-councils\nevents:")
    out = build(site, tmp_path)
    doc = soup(out / "index.html")
    figure = text(doc.select(".figures li")[1])
    assert figure == ("41 Hikvision cameras reported by 2 councils counted in different years, 2019 to 2023: "
                      "a sum of their reports, not a national total")
    caption = text(doc.select_one("#cameras-caption"))
    assert "counts from 2019 to 2023, so they do not add up to one year's total" in caption
    assert [text(t) for t in doc.select("#chart-cameras-title ~ g text.chart-label")] == [
        "Tonbridge and Malling Borough Council (2023)", "Medway Council (2019)"]


# -- trust and contact -----------------------------------------------------------------------

def test_placeholder_or_missing_contact_and_publisher_warn_but_the_site_builds(site, tmp_path):
    config = site / "site.yaml"
    edit(config, "publisher: The Fixture Newsroom\ncontact: corrections@newsroom.test\n",
         "publisher: The Hikvision and UK councils explainer\ncontact: corrections@example.org\n")
    result = run("build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{config}:7:12: warning: publisher is still the placeholder text: write the name of the person "
        "or organisation publishing the site",
        f"{config}:8:10: warning: contact 'corrections@example.org' is a placeholder: replace it with a real "
        "email address or web page before publishing",
    ]
    edit(config, "contact: corrections@example.org\n", "")
    result = run("check", "--site", str(site))
    assert result.returncode == 0 and "site.yaml has no 'contact'" in result.stderr


def test_a_contact_that_is_no_address_is_an_error(site):
    edit(site / "site.yaml", "contact: corrections@newsroom.test", "contact: the newsroom")
    result = run("check", "--site", str(site))
    assert result.returncode == 1
    assert "site.yaml:8:10: error: 'the newsroom' is not an email address or an https:// address" in result.stderr


def test_every_council_page_can_report_an_error_by_email_with_its_address(built):
    doc = soup(built / "councils" / "medway" / "index.html")
    footer = doc.select_one(".site-footer")
    assert footer.find("a", href="mailto:corrections@newsroom.test") is not None
    link = doc.find("a", string="Report an error on this page")["href"]
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == "corrections@newsroom.test"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Error on the page Medway Council"]
    assert "Page: https://example.org/explainer/councils/medway/" in query["body"][0]


def test_a_contact_page_gets_the_page_address_as_a_parameter(site, tmp_path):
    edit(site / "site.yaml", "contact: corrections@newsroom.test", "contact: https://newsroom.test/contact")
    out = build(site, tmp_path)
    link = soup(out / "councils" / "medway" / "index.html").find("a", string="Report an error on this page")["href"]
    assert link == "https://newsroom.test/contact?page=" + "https%3A%2F%2Fexample.org%2Fexplainer%2Fcouncils%2Fmedway%2F"
    assert unquote(link.split("page=")[1]) == "https://example.org/explainer/councils/medway/"


def test_source_links_say_whether_they_go_to_the_original_or_a_copy(site, tmp_path):
    edit(site / "content" / "articles" / "localgov-2023-02-kent-councils.md", "kind: news\n",
         "kind: news\ncopy_url: https://www.kentonline.co.uk/copy.pdf\n"
         "archive_url: https://web.archive.org/web/2023/https://www.localgov.co.uk/x\n")
    out = build(site, tmp_path)
    meta = soup(out / "sources" / "index.html").select_one("#localgov-2023-02-kent-councils .meta")
    links = [(text(a), a["href"]) for a in meta.find_all("a")]
    assert [label.split(":")[0] for label, _ in links] == [
        "Read the original", "Read a copy (kentonline.co.uk)", "Read a copy (web.archive.org)"]
    assert links[0][1].startswith("https://www.localgov.co.uk/")
    council = soup(out / "councils" / "medway" / "index.html").select_one("#cite-1 .source-links")
    assert "Read a copy (web.archive.org)" in text(council)
    record = json.loads((out / "data" / "sources.json").read_text())
    assert next(r for r in record if r["id"] == "localgov-2023-02-kent-councils")["copy_url"].endswith("copy.pdf")


# -- citing and reusing ----------------------------------------------------------------------

def test_the_data_page_gives_sizes_csvs_a_version_and_a_citation(built):
    doc = soup(built / "data" / "index.html")
    for item in doc.select(".downloads li"):
        path = built / "data" / item.a["href"].split("/")[-1]
        assert filesize(path.stat().st_size) in text(item), path.name
    assert "version 2026-11-22" in text(doc.select_one(".version"))
    cite = text(doc.select_one("#cite-heading").parent.select_one(".cite-text"))
    assert cite == ("The Fixture Newsroom (2026). Hikvision cameras and UK councils: open data, version 2026-11-22. "
                    "CC BY 4.0. https://example.org/explainer/data/")
    timeline = json.loads((built / "data" / "timeline.json").read_text())
    rows = list(csv.DictReader(io.StringIO((built / "data" / "timeline.csv").read_text())))
    assert [r["title"] for r in rows] == [e["title"] for e in timeline]
    sources = list(csv.DictReader(io.StringIO((built / "data" / "sources.csv").read_text())))
    kent = next(r for r in sources if r["id"] == "localgov-2023-02-kent-councils")
    assert "https://example.org/explainer/councils/medway/" in kent["cited_by"].split(" ")


def test_each_council_page_gives_a_ready_to_copy_citation(built):
    doc = soup(built / "councils" / "medway" / "index.html")
    assert text(doc.select_one("#cite-text")) == (
        "The Fixture Newsroom. “Medway Council: Hikvision cameras”. Hikvision cameras and UK councils. "
        "Last checked 21 November 2026. https://example.org/explainer/councils/medway/")


@pytest.mark.parametrize("size, shown", [(812, "812 bytes"), (14_400, "14 kB"), (2_345_678, "2.3 MB")])
def test_file_sizes_read_as_browsers_show_them(size, shown):
    assert filesize(size) == shown

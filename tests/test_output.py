"""The fixture site, built once and read page by page as a reader would."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from conftest import FIXTURE, run, snapshot
from pages import internal_links, resolve, soup, text

ATOM = "{http://www.w3.org/2005/Atom}"


def text_of(element, tag: str) -> str:
    return element.find(f"{ATOM}{tag}").text


def test_every_output_in_the_contract_exists(built):
    for path in ["index.html", "councils/index.html", "councils/tonbridge-and-malling/index.html",
                 "councils/medway/index.html", "councils/dudley/index.html", "timeline/index.html",
                 "sources/index.html", "about/index.html", "404.html", "robots.txt", "sitemap.xml",
                 "feed.xml", "data/councils.json", "data/councils.csv", "data/timeline.json",
                 "data/sources.json", "assets/style.css"]:
        assert (built / path).is_file(), path
    # the home page's Markdown is the home page, not a page of its own
    assert not (built / "index" / "index.html").exists()


def test_home_page_explains_and_counts_from_the_data(built):
    doc = soup(built / "index.html")
    assert text(doc.h1) == "How UK councils came to use Hikvision cameras"
    standfirst = text(doc.select_one(".standfirst"))
    assert standfirst.startswith("Updated 22 November 2026")  # the change log's newest entry
    assert ("So far: of the 3 councils listed, 1 is replacing or phasing out, 1 has paused and "
            "1 is reviewing.") in standfirst
    assert "The site covers 3 of the UK's 382 principal councils" in standfirst
    assert doc.select_one(".coverage a")["href"] == "councils/#not-listed"
    figures = [text(li) for li in doc.select(".figures li")]
    assert figures[0] == ("1 council has removed, or is replacing or phasing out, Hikvision cameras "
                          "by its own account")
    assert figures[1] == ("29 Hikvision cameras reported by 1 council year of the count not given; "
                          "not a national total")
    assert figures[2].startswith("3 councils' latest public statement is more than two years old")
    # figures of the site itself (contract values, events) measure nothing in the world
    assert "£" not in " ".join(figures) and "events" not in " ".join(figures)
    rows = {text(tr.th): text(tr.select("td")[-1]) for tr in doc.select(".status-table tbody tr")}
    assert rows["Status: Phasing out"] == "1"
    assert rows["Status: Paused"] == "1"
    assert rows["Status: Under review"] == "1"
    assert rows["Status: Removed"] == "0"
    # the explainer's Markdown, with its citation turned into a link to the sources page
    cite = doc.select_one(".prose a.cite")
    assert cite["href"] == "sources/#telegraph-2021-06-cctv-reviewed"
    assert text(cite) == "(The Sunday Telegraph, 20 Jun 2021)"
    latest = [text(li.select_one(".event-title")) for li in doc.select(".events li")]
    assert latest[0] == "Tonbridge and Malling Borough Council: Says its Hikvision cameras will reduce to zero"


def test_councils_index_lists_every_council_with_status_and_cameras(built):
    doc = soup(built / "councils" / "index.html")
    rows = doc.select("table.councils tbody tr")
    names = [text(r.th) for r in rows]
    assert names == ["Dudley Metropolitan Borough Council", "Medway Council", "Tonbridge and Malling Borough Council"]
    tm = rows[2]
    assert tm.th.a["href"] == "tonbridge-and-malling/"
    cells = [text(td) for td in tm.select("td")]
    assert cells == ["Status: Phasing out Expects its Hikvision cameras to reach zero over the next few years.",
                     "21 Feb 2023 over two years old", "29", "South East", "District or borough council", "22 Nov 2026"]
    assert text(rows[1].select("td")[2]) == "not reported"


def test_council_page_shows_status_figures_quotes_events_and_numbered_sources(built):
    doc = soup(built / "councils" / "tonbridge-and-malling" / "index.html")
    assert text(doc.h1) == "Tonbridge and Malling Borough Council"
    status = text(doc.select_one(".status-box"))
    assert "Status: Phasing out Expects its Hikvision cameras to reach zero over the next few years.[source 1]" in status
    assert "Last public statement: 21 February 2023 over two years old" in status
    assert "Checked against the sources 22 November 2026" in status
    assert "more than two years old: the council's position may have changed since" in status
    facts = text(doc.select_one(".facts"))
    assert "29 Hikvision of 157 cameras" in facts and "Council buildings" in facts
    quote = doc.select_one(".quote")
    assert text(quote.blockquote) == "expect that figure to reduce to zero over the next few years"
    assert text(quote.figcaption).startswith("A council spokesperson, 21 February 2023")
    event = doc.select_one("#events-heading").parent.select_one(".event")
    assert text(event.select_one(".event-title")) == "Says its Hikvision cameras will reduce to zero[source 1]"
    link = event.select_one(".event-sources a")
    assert text(link) == "On the timeline: Says its Hikvision cameras will reduce to zero"
    href = link["href"]
    assert href.startswith("../../timeline/#")
    on_timeline = soup(built / "timeline" / "index.html").find(id=href.split("#")[1])
    assert "Says its Hikvision cameras will reduce to zero" in text(on_timeline.select_one(".event-title"))
    notes = doc.select_one(".prose")
    assert notes.select_one("sup.cite a")["href"] == "#cite-1"
    assert notes.find("a", string="methodology")["href"] == "../../about/"
    sources = doc.select(".citations li")
    assert [li["id"] for li in sources] == ["cite-1"]
    assert sources[0].a["href"] == "../../sources/#localgov-2023-02-kent-councils"
    assert text(sources[0]).startswith("Kent councils drop CCTV company over genocide accusation, LocalGov (William Eichler)")


def test_contract_values_are_labelled_as_contract_values(built):
    doc = soup(built / "councils" / "dudley" / "index.html")
    section = doc.select_one("#contracts-heading").parent
    assert "not the amount spent on Hikvision" in text(section)
    row = [text(td) for td in section.select("tbody td")]
    assert row[:3] == ["about £450,000", "DV Limited", "not stated"]


def test_timeline_is_newest_first_with_partial_dates_and_sources(built):
    doc = soup(built / "timeline" / "index.html")
    assert [text(h) for h in doc.select("main h2")] == ["2023", "2021"]
    events = doc.select("li.event")
    dates = [text(li.time) for li in events]
    assert dates == ["21 February 2023", "February 2023", "July 2021"]
    national = events[2]
    assert "national" in national["class"]
    assert national["id"] == "2021-07-foreign-affairs-committee-publishes-never-again"
    # its summary cites its source, so the source is not listed a second time
    assert [a["href"] for a in national.select("a[href^='../sources/']")] == ["../sources/#fac-2021-07-never-again"]
    assert events[1].select_one(".event-title a")["href"] == "../councils/medway/"


def test_sources_page_has_anchors_and_backlinks(built):
    doc = soup(built / "sources" / "index.html")
    article = doc.select_one("article#localgov-2023-02-kent-councils")
    assert "LocalGov · William Eichler · 21 February 2023" in text(article.select_one(".meta"))
    assert article.select_one(".meta a")["href"].startswith("https://www.localgov.co.uk/")
    cited_by = {text(a): a["href"] for a in article.select("details li a")}
    assert cited_by["Tonbridge and Malling Borough Council"] == "../councils/tonbridge-and-malling/"
    assert cited_by["Medway Council"] == "../councils/medway/"
    assert "February 2023: Medway Council: Pauses new Hikvision installations" in cited_by
    fac = doc.select_one("article#fac-2021-07-never-again")
    assert "July 2021" in text(fac.select_one(".meta")) and "Only the month is used here." in text(fac)


def test_content_page_renders_markdown_under_the_page_title(built):
    doc = soup(built / "about" / "index.html")
    assert text(doc.h1) == "About this site"
    assert [text(h) for h in doc.select("article h2")] == ["About"]
    assert "Updated 1 November 2026" in text(doc)
    assert doc.select_one('nav[aria-label="Main"] a[aria-current]')["href"] == "../about/"


def test_sitemap_robots_and_feed(built):
    urls = [loc.text for loc in ET.parse(built / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/explainer/" in urls
    assert "https://example.org/explainer/councils/medway/" in urls
    assert not any("404" in u for u in urls)
    assert "Sitemap: https://example.org/explainer/sitemap.xml" in (built / "robots.txt").read_text()
    feed = ET.parse(built / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    # events, and the change log's status changes and corrections (not its checks), newest first
    assert [(e.find(f"{ATOM}category").get("term"), e.find(f"{ATOM}updated").text) for e in entries] == [
        ("status", "2026-11-22T00:00:00Z"), ("correction", "2026-11-21T00:00:00Z"),
        ("event", "2023-02-21T00:00:00Z"), ("event", "2023-02-01T00:00:00Z"), ("event", "2021-07-01T00:00:00Z")]
    assert text_of(entries[0], "title") == "Status changed: Tonbridge and Malling Borough Council"
    assert entries[0].find(f"{ATOM}link").get("href") == (
        "https://example.org/explainer/councils/tonbridge-and-malling/#change-2026-11-22-tonbridge-and-malling")
    # the feed's date is its newest change, not its newest event
    assert feed.find(f"{ATOM}updated").text == "2026-11-22T00:00:00Z"
    content = entries[4].find(f"{ATOM}content").text
    assert 'href="https://example.org/explainer/sources/#fac-2021-07-never-again"' in content


def test_open_data_downloads(built):
    councils = json.loads((built / "data" / "councils.json").read_text())
    tm = next(c for c in councils if c["slug"] == "tonbridge-and-malling")
    assert tm["cameras"]["hikvision"] == 29 and tm["cameras"]["total"] == 157
    assert tm["status_as_of"] == "2023-02-21"
    rows = list(csv.DictReader(io.StringIO((built / "data" / "councils.csv").read_text())))
    assert [r["slug"] for r in rows] == ["dudley", "medway", "tonbridge-and-malling"]
    assert rows[0]["contract_values_gbp"] == "450000"
    timeline = json.loads((built / "data" / "timeline.json").read_text())
    assert [e["date"] for e in timeline] == ["2021-07", "2023-02", "2023-02-21"]
    sources = json.loads((built / "data" / "sources.json").read_text())
    assert {s["id"] for s in sources} == {"fac-2021-07-never-again", "localgov-2023-02-kent-councils",
                                          "telegraph-2021-06-cctv-reviewed"}


def test_every_internal_link_and_anchor_resolves(built):
    links = internal_links(built)
    assert len(links) > 50
    for page, href, target in links:
        path, fragment = resolve(built, target)
        assert path is not None, f"{page}: broken link {href}"
        if fragment and path.suffix == ".html":
            assert soup(path).find(id=fragment) is not None, f"{page}: missing anchor {href}"


def test_links_are_relative_so_the_site_works_under_any_path(built):
    for page in built.rglob("*.html"):
        for tag in soup(page).find_all(["a", "link", "script"]):
            href = tag.get("href") or tag.get("src") or ""
            if tag.name == "link" and tag.get("rel") == ["canonical"]:
                continue
            assert not href.startswith("/"), f"{page}: root-absolute link {href}"
            assert not href.startswith("https://example.org"), f"{page}: absolute internal link {href}"


def test_two_builds_are_byte_identical(tmp_path):
    for name in ("a", "b"):
        assert run("build", "--no-cache", "--site", str(FIXTURE), "--out", str(tmp_path / name)).returncode == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_base_url_override(tmp_path):
    result = run("build", "--no-cache", "--site", str(FIXTURE), "--out", str(tmp_path / "o"),
                 "--base-url", "https://mirror.example.net/x")
    assert result.returncode == 0, result.stderr
    assert "https://mirror.example.net/x/councils/" in (tmp_path / "o" / "sitemap.xml").read_text()


def test_a_big_site_keeps_the_feed_and_the_camera_chart_readable(site, tmp_path):
    """With 60 more councils: the feed carries the 50 latest events, newest first, and the
    home page charts the 20 councils with most cameras, pointing to the table of all."""
    from synthetic import add_councils

    add_councils(site, 60)
    out = tmp_path / "out"
    result = run("build", "--site", str(site), "--out", str(out))
    assert result.returncode == 0, result.stderr
    timeline = json.loads((out / "data" / "timeline.json").read_text())
    feed = ET.parse(out / "feed.xml").getroot()
    ids = [e.find(f"{ATOM}id").text.rsplit("#", 1)[1] for e in feed.findall(f"{ATOM}entry")
           if e.find(f"{ATOM}category").get("term") == "event"]
    assert len(timeline) > 60
    assert ids == [e["url"].rsplit("#", 1)[1] for e in reversed(timeline)][:48]  # and 2 changes
    councils = json.loads((out / "data" / "councils.json").read_text())
    counted = sorted(((c["cameras"]["hikvision"], c["name"]) for c in councils
                      if c["cameras"] and c["cameras"]["hikvision"] is not None), key=lambda p: (-p[0], p[1]))
    doc = soup(out / "index.html")
    figure = doc.select_one("#cameras-caption").parent
    assert text(figure.figcaption).startswith(f"The 20 councils with the most Hikvision cameras, of the {len(counted)} "
                                              "that gave a figure. Each count is from the year in brackets")
    assert [(int(text(tr.td)), text(tr.th).rsplit(" (", 1)[0]) for tr in figure.select("tbody tr")] == counted[:20]
    assert len(figure.select("svg rect.bar")) == 20
    assert figure.select_one("p a")["href"] == "councils/"

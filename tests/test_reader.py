"""What readers and their tools get from the built HTML: metadata, the security policy, the
charts and map with their numbers, the search index, the data page and the citations."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT
from pages import resolve, soup, text


@pytest.fixture(scope="module")
def real(real_built) -> Path:
    return real_built


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def meta(doc, key: str) -> str | None:
    tag = doc.find("meta", attrs={"property": key}) or doc.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def jsonld(doc) -> list[dict]:
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def test_every_page_has_title_description_canonical_and_social_tags(real):
    titles = set()
    for page in html_pages(real):
        doc = soup(page)
        rel = page.relative_to(real).as_posix()
        titles.add(text(doc.title))
        assert meta(doc, "description"), rel
        assert meta(doc, "og:title") and meta(doc, "og:description") == meta(doc, "description"), rel
        assert meta(doc, "og:image").startswith("https://hikvision-councils.example.org/"), rel
        assert meta(doc, "twitter:card") == "summary_large_image", rel
        assert doc.find("link", rel="alternate", type="application/atom+xml")["href"].endswith("feed.xml"), rel
        assert doc.find("link", rel="icon") is not None, rel
        canonical = doc.find("link", rel="canonical")
        if rel == "404.html":
            assert canonical is None and meta(doc, "robots") == "noindex"
        else:
            expected = "https://hikvision-councils.example.org/" + rel.removesuffix("index.html")
            assert canonical["href"] == expected == meta(doc, "og:url"), rel
    assert len(titles) == len(html_pages(real))  # no two pages share a title
    assert (real / "assets" / "social.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_ld_describes_pages_as_articles_and_the_downloads_as_a_dataset(real):
    about = jsonld(soup(real / "about" / "index.html"))
    assert [d["@type"] for d in about] == ["Article"]
    assert about[0]["headline"] == "About this site" and about[0]["url"].endswith("/about/")
    council = jsonld(soup(real / "councils" / "dover" / "index.html"))[0]
    assert council["@type"] == "Article" and council["dateModified"]
    dataset = jsonld(soup(real / "data" / "index.html"))[0]
    assert dataset["@type"] == "Dataset" and dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert urls == {f"https://hikvision-councils.example.org/data/{n}"
                    for n in ("councils.csv", "councils.json", "timeline.csv", "timeline.json", "sources.csv",
                              "sources.json")}


def test_security_policy_forbids_inline_script_and_other_hosts(real):
    for page in html_pages(real):
        doc = soup(page)
        rel = page.relative_to(real).as_posix()
        csp = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, rel
        assert "unsafe-inline" not in csp and "http" not in csp, rel
        for script in doc.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", f"{rel}: inline script"
        assert doc.find("style") is None, rel
        for tag in doc.find_all(True):
            assert "style" not in tag.attrs, f"{rel}: style attribute on <{tag.name}>"
            assert not [a for a in tag.attrs if a.startswith("on")], f"{rel}: event handler on <{tag.name}>"
        for tag in doc.find_all(["script", "link", "img", "iframe", "source", "video", "audio", "embed", "object"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" and tag.get("rel") != ["canonical"] else "")
            assert not urlsplit(url or "").netloc, f"{rel}: loads {url} from another host"


def test_council_status_is_a_labelled_badge_with_its_dates(real):
    doc = soup(real / "councils" / "dover" / "index.html")
    badge = doc.select_one(".status-box .badge")
    assert text(badge).startswith("Status: ") and len(text(badge)) > len("Status: ")
    dates = text(doc.select_one(".status-box .dates"))
    assert re.fullmatch(r"Last public statement: .+ · Checked against the sources .+", dates)
    crumbs = [text(li) for li in doc.select("nav.breadcrumbs li")]
    assert crumbs == ["Home", "Councils", text(doc.h1)]


def test_council_footnotes_link_to_numbered_sources_that_link_to_the_source_anchor(real):
    sources = soup(real / "sources" / "index.html")
    for page in sorted((real / "councils").glob("*/index.html")):
        doc = soup(page)
        notes = {li["id"]: li for li in doc.select(".citations li")}
        assert list(notes) == [f"cite-{n}" for n in range(1, len(notes) + 1)], page
        for marker in doc.select("sup.cite a"):
            assert marker["href"].removeprefix("#") in notes, page
        for li in notes.values():
            anchor = li.a["href"].removeprefix("../../sources/#")
            article = sources.find(id=anchor)
            cited_by = [a["href"] for a in article.select("details a")]
            assert f"../councils/{page.parent.name}/" in cited_by, f"{anchor} does not list {page.parent.name}"


def test_status_chart_and_table_show_the_same_numbers_as_the_data(real):
    councils = json.loads((real / "data" / "councils.json").read_text())
    doc = soup(real / "index.html")
    svg = doc.select_one("svg.chart-svg")
    assert svg["role"] == "img" and svg.title and svg.desc
    labels = {c["status"]: c["status_label"] for c in councils}
    for code, label in labels.items():
        count = sum(c["status"] == code for c in councils)
        assert f"{label}: {count}" in text(svg.desc)
        row = next(tr for tr in doc.select(".status-table tbody tr") if text(tr.th) == f"Status: {label}")
        assert text(row.select("td")[-1]) == str(count)


def test_camera_and_year_charts_match_their_tables(real):
    councils = json.loads((real / "data" / "councils.json").read_text())
    timeline = json.loads((real / "data" / "timeline.json").read_text())
    doc = soup(real / "index.html")
    cameras, years = doc.select("figure.chart table.chart-table")
    counted = sorted(((c["cameras"]["hikvision"], c["name"]) for c in councils
                      if c["cameras"] and c["cameras"]["hikvision"] is not None), key=lambda p: (-p[0], p[1]))
    # each council's count carries its year, from cameras.as_of
    year_of = {c["name"]: c["cameras"]["as_of"][:4] if c["cameras"]["as_of"] else "year not given"
               for c in councils if c["cameras"]}
    assert [(int(text(tr.td)), text(tr.th)) for tr in cameras.select("tbody tr")] == [
        (n, f"{name} ({year_of[name]})") for n, name in counted]
    labels = [text(t) for t in doc.select("#chart-cameras-title ~ g text.chart-label")]
    assert labels == [f"{name} ({year_of[name]})" for _, name in counted]
    per_year = {int(text(tr.th)): int(text(tr.td)) for tr in years.select("tbody tr")}
    assert sum(per_year.values()) == len(timeline)
    assert per_year[int(timeline[-1]["date"][:4])] == sum(e["date"][:4] == timeline[-1]["date"][:4] for e in timeline)
    assert list(per_year) == list(range(min(per_year), max(per_year) + 1))
    for svg in doc.select("svg.chart-svg"):
        assert len(svg.select("rect.bar")) == len(svg.find_parent("figure").select("tbody tr"))


def test_search_index_covers_councils_sources_events_and_pages(real):
    script = (real / "search" / "index.js").read_text("utf-8")
    payload = json.loads(script.removeprefix("window.searchIndex = ").removesuffix(";\n"))
    records = payload["records"]
    assert [f["name"] for f in payload["fields"]] == ["t", "s", "x"]  # title, summary, text
    assert all(set(r) == {"k", "t", "u", "s", "x"} and all(isinstance(v, str) for v in r.values()) for r in records)
    kinds = [r["k"] for r in records]
    assert kinds.count("Council") == len(list((ROOT / "content" / "councils").glob("*.yaml")))
    assert kinds.count("Source") == len(list((ROOT / "content" / "articles").glob("*.md")))
    assert kinds.count("Event") == len(json.loads((real / "data" / "timeline.json").read_text()))
    assert kinds.count("Page") == len(list((ROOT / "content" / "pages").glob("*.md")))
    for r in records:
        path, fragment = resolve(real, r["u"])
        assert path is not None, r["u"]
        if fragment:
            assert soup(path).find(id=fragment) is not None, r["u"]
        assert "\x00" not in r["x"] and "<" not in r["x"]
    search = soup(real / "search" / "index.html")
    assert [s["src"] for s in search.find_all("script", src=True)] == [
        "../assets/lunr/lunr.min.js", "index.js", "../assets/search.js"]


def test_data_page_offers_each_download_with_its_licence_and_every_csv_column(real):
    doc = soup(real / "data" / "index.html")
    links = {a["href"] for a in doc.select(".downloads a")}
    assert links == {f"../data/{n}" for n in ("councils.csv", "councils.json", "timeline.csv", "timeline.json",
                                               "sources.csv", "sources.json")}
    assert doc.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    described = " ".join(text(dt) for dt in doc.select("dl.fields dt"))
    header = (real / "data" / "councils.csv").read_text("utf-8").splitlines()[0].split(",")
    missing = [column for column in header if not re.search(rf"\b{column}\b", described)]
    assert missing == []


def test_timeline_events_link_to_their_council_and_sources(real):
    doc = soup(real / "timeline" / "index.html")
    timeline = json.loads((real / "data" / "timeline.json").read_text())
    events = doc.select("li.event")
    assert len(events) == len(timeline)
    for li, event in zip(events, reversed(timeline)):
        # each source once: in the summary's citations or in the list of sources, not both
        linked = [a["href"].split("#")[1] for a in li.select("a[href^='../sources/#']")]
        assert sorted(set(linked)) == sorted(set(event["sources"]) | set(linked)), li["id"]
        assert len(linked) == len(set(linked)), li["id"]
        if "national" not in li["class"]:
            assert li.select_one(".event-title a")["href"] == f"../councils/{li['data-councils']}/"

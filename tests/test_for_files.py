"""`build --for-files`: a site that can be browsed straight from disk (file://) or sent as a zip."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import chromium
from conftest import ROOT, run


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append(value)
            if tag == "meta" and name == "content" and value and "url=" in value:
                self.found.append(value.split("url=", 1)[1])


def internal_targets(out: Path) -> list[tuple[str, str, Path]]:
    """(page, link, where it leads on disk) of every link between the site's own files; the
    search index's links are resolved from the search page, as its script does."""
    found = []
    for page in sorted(out.rglob("*.html")):
        if page.name == "404.html":  # served from any address, with <base>: not opened from disk
            continue
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for link in parser.found:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//")):
                continue
            found.append((page.relative_to(out).as_posix(), link, (page.parent / unquote(parts.path)).resolve()))
    search_page = out / "search" / "index.html"
    for link in re.findall(r'"u":"([^"]*)"', (out / "search" / "index.js").read_text("utf-8")):
        found.append(("search/index.js", link, (search_page.parent / ".." / urlsplit(link).path).resolve()))
    return found


@pytest.fixture(scope="module")
def real_for_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("for-files") / "out"
    result = run("build", "--no-cache", "--for-files", "--site", str(ROOT), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_every_internal_link_of_a_for_files_build_is_a_file(real_for_files):
    targets = internal_targets(real_for_files)
    assert len(targets) > 1000
    assert [(page, link) for page, link, target in targets if not target.is_file()] == []


def test_without_it_folder_links_open_a_directory_listing_from_disk(real_built):
    folders = [link for _, link, target in internal_targets(real_built) if target.is_dir()]
    assert folders, "a normal build links to folders (a web server serves their index.html)"


def test_for_files_changes_only_the_links(real_for_files, real_built):
    normal = (real_built / "councils" / "medway" / "index.html").read_text("utf-8")
    for_files = (real_for_files / "councils" / "medway" / "index.html").read_text("utf-8")
    assert for_files != normal
    assert re.sub(r'(?<=/)index\.html(?=["#])', "", for_files) == normal


@pytest.mark.browser
def test_a_click_from_the_home_page_opens_a_council_over_file_urls(real_for_files):
    home = (real_for_files / "index.html").as_uri()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(home)
        link = page.locator('main a[href^="councils/"][href$="/index.html"]:not([href="councils/index.html"]):visible').first
        href = link.get_attribute("href")
        assert href != "councils/index.html"
        link.click()
        page.wait_for_load_state()
        assert page.url == (real_for_files / href).as_uri()
        assert page.locator("article.council h1").count() == 1
        # and on, through the breadcrumb, to the councils table
        page.click('nav.breadcrumbs a[href="../../councils/index.html"]')
        page.wait_for_load_state()
        assert page.url == (real_for_files / "councils" / "index.html").as_uri()
        assert page.locator("h1").inner_text() == "Councils"


def test_switching_between_the_two_through_the_cache_gives_each_builds_own_output(site, tmp_path):
    from conftest import snapshot

    clean = tmp_path / "clean"
    assert run("build", "--no-cache", "--for-files", "--out", str(clean), cwd=site).returncode == 0
    for args in ([], ["--for-files"]):
        assert run("build", *args, cwd=site).returncode == 0
    assert snapshot(site / "build") == snapshot(clean)
    assert run("build", cwd=site).returncode == 0
    assert "index.html\"" not in (site / "build" / "councils" / "medway" / "index.html").read_text("utf-8")

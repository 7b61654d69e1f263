"""`draft: true`: `check` warns, `build` leaves the file out of everything, `serve` shows it with a banner."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run, snapshot
from test_serve import server  # noqa: F401 (a fixture)
from test_serve import fetch, wait_for

MEDWAY = "content/councils/medway.yaml"
CITED = "localgov-2023-02-kent-councils"  # an article the published councils cite


def make_draft(site: Path, rel: str) -> None:
    """Add `draft: true` as the file's second field line (line 2 of a council, 2 of front matter)."""
    path = site / rel
    lines = path.read_text("utf-8").split("\n")
    at = 1 if rel.endswith(".md") else 0
    lines.insert(at + 1, "draft: true")
    path.write_text("\n".join(lines), "utf-8")


def add_article(site: Path, ident: str, draft: bool) -> None:
    (site / "content" / "articles" / f"{ident}.md").write_text(
        "---\ntitle: An unpublished investigation of Medway's cameras\npublisher: Kent Online\n"
        + ("draft: true\n" if draft else "") + "date: 2024-03\n---\nMedway keeps 12 Hikvision cameras.\n", "utf-8")


def output_text(out: Path) -> str:
    return "\n".join(body.decode("utf-8", "replace") for body in snapshot(out).values())


def test_check_warns_once_per_draft_at_its_draft_line(site):
    make_draft(site, MEDWAY)
    add_article(site, "kentonline-2024-03-medway", draft=True)
    result = run("check", cwd=site)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "draft" in line]
    assert warnings == [
        "content/articles/kentonline-2024-03-medway.md:4:1: warning: draft: this article will not be published; "
        "'build' leaves it out until you remove 'draft: true'",
        "content/councils/medway.yaml:2:1: warning: draft: this council will not be published; "
        "'build' leaves it out until you remove 'draft: true'",
    ]


def test_build_leaves_a_draft_council_out_of_every_page_listing_and_download(site, tmp_path):
    out = tmp_path / "out"
    assert run("build", "--no-cache", "--out", str(out), cwd=site).returncode == 0
    published = output_text(out)
    assert "Medway Council" in published and "councils/medway/" in published  # so the test can fail
    make_draft(site, MEDWAY)
    result = run("build", "--no-cache", "--out", str(out), cwd=site)
    assert result.returncode == 0, result.stderr
    assert not (out / "councils" / "medway").exists()
    text = output_text(out)
    for trace in ("Medway Council", "councils/medway/", "Pauses new Hikvision installations"):
        assert trace not in text, trace
    councils = json.loads((out / "data" / "councils.json").read_text("utf-8"))
    councils = councils["councils"] if isinstance(councils, dict) else councils
    assert len(councils) == 2
    assert (out / "data" / "councils.csv").read_text("utf-8").count("\n") == 3  # a header and two rows
    assert "<loc>" in (out / "sitemap.xml").read_text("utf-8")


def test_build_leaves_a_draft_article_out_of_the_sources_and_downloads(site, tmp_path):
    add_article(site, "kentonline-2024-03-medway", draft=True)
    out = tmp_path / "out"
    assert run("build", "--no-cache", "--out", str(out), cwd=site).returncode == 0
    text = output_text(out)
    assert "kentonline-2024-03-medway" not in text
    assert "An unpublished investigation" not in text
    sources = (out / "sources" / "index.html").read_text("utf-8")
    assert sources.count('<article class="source"') == 3


def test_a_published_council_citing_a_draft_article_is_an_error(site, tmp_path):
    add_article(site, "kentonline-2024-03-medway", draft=True)
    medway = site / MEDWAY
    medway.write_text(medway.read_text("utf-8").replace(f"status_source: {CITED}",
                                                        "status_source: kentonline-2024-03-medway"), "utf-8")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert ("content/councils/medway.yaml:7:16: error: the article 'kentonline-2024-03-medway' is a draft "
            "(content/articles/kentonline-2024-03-medway.md:4:1), so this reference would be broken on the "
            "published site: publish it (remove its 'draft: true') or refer to another") in result.stderr.splitlines()
    out = tmp_path / "out"
    assert run("build", "--out", str(out), cwd=site).returncode == 1
    assert not out.exists()
    # A draft council may cite a draft article: neither is published.
    make_draft(site, MEDWAY)
    assert run("check", cwd=site).returncode == 0


def test_the_preview_shows_drafts_with_a_banner(server, site):  # noqa: F811
    url, _ = server
    make_draft(site, MEDWAY)
    add_article(site, "kentonline-2024-03-medway", draft=True)

    def shown() -> str | None:
        status, body = fetch(url + "councils/medway/")
        return body if status == 200 and "draft-banner" in body else None

    page = wait_for(shown)
    assert page, "the preview never showed the draft council with its banner"
    assert "<strong>Draft</strong>: this council is not published" in page
    status, sources = fetch(url + "sources/")
    assert "An unpublished investigation" in sources
    assert "<strong>Draft</strong>: this article is not published" in sources
    status, other = fetch(url + "councils/dudley/")
    assert status == 200 and "draft-banner" not in other

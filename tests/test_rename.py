"""`rename article OLD NEW` and `rename council OLD NEW`: every reference follows, the layout
and comments stay, a council's old address keeps working, and `check` passes afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import chromium, serve
from conftest import run, snapshot

OLD_ARTICLE = "localgov-2023-02-kent-councils"
NEW_ARTICLE = "localgov-2023-02-kent-round-up"

KENT_EVENT = f"""- date: 2023-02   # Kent's councils answer LocalGov
  title: Kent councils respond
  summary: |
    Medway paused installations [@{OLD_ARTICLE}]; see [Medway](/councils/medway/)
    and [the source](/sources/#{OLD_ARTICLE}).
  sources:
    - {OLD_ARTICLE}   # the round-up
    - "fac-2021-07-never-again"
  councils: [medway, tonbridge-and-malling]
"""


@pytest.fixture
def kent(site: Path) -> Path:
    """The fixture site with references in every form the formats allow."""
    with (site / "content" / "timeline.yaml").open("a", encoding="utf-8") as f:
        f.write(KENT_EVENT)
    about = site / "content" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + f"\nRead [Medway's page](/councils/medway/) and "
                     f"[the round-up](/sources/#{OLD_ARTICLE}) [@{OLD_ARTICLE}].\n", "utf-8")
    assert run("check", cwd=site).returncode == 0
    return site


def content(site: Path) -> dict[str, str]:
    return {path: body.decode("utf-8") for path, body in snapshot(site / "content").items()}


def test_rename_article_rewrites_every_reference_and_keeps_the_layout(kent, tmp_path):
    before = content(kent)
    result = run("rename", "article", OLD_ARTICLE, NEW_ARTICLE, cwd=kent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Renamed content/articles/{OLD_ARTICLE}.md to content/articles/{NEW_ARTICLE}.md",
        "  content/changelog.yaml: 1 reference rewritten",
        "  content/councils/medway.yaml: 2 references rewritten",
        "  content/councils/tonbridge-and-malling.yaml: 5 references rewritten",
        "  content/pages/about.md: 2 references rewritten",
        "  content/timeline.yaml: 3 references rewritten",
    ]
    after = content(kent)
    assert after.pop(f"articles/{NEW_ARTICLE}.md") == before.pop(f"articles/{OLD_ARTICLE}.md")
    # Text rewritten in place: each file is its old text with the id replaced, comments and all.
    assert after == {path: text.replace(OLD_ARTICLE, NEW_ARTICLE) for path, text in before.items()}
    assert "- localgov-2023-02-kent-round-up   # the round-up" in after["timeline.yaml"]
    check = run("check", cwd=kent)
    assert check.returncode == 0, check.stderr
    out = tmp_path / "out"
    assert run("build", "--no-cache", "--out", str(out), cwd=kent).returncode == 0
    sources = (out / "sources" / "index.html").read_text("utf-8")
    assert f'id="{NEW_ARTICLE}"' in sources and OLD_ARTICLE not in sources
    assert run("check", "--links", "--out", str(out), cwd=kent).returncode == 0


def test_rename_council_rewrites_references_and_redirects_the_old_address(kent, tmp_path):
    before = content(kent)
    result = run("rename", "council", "medway", "medway-council", cwd=kent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Renamed content/councils/medway.yaml to content/councils/medway-council.yaml",
        "  content/pages/about.md: 1 reference rewritten",
        "  content/timeline.yaml: 2 references rewritten",
        "The old address councils/medway/ will redirect to councils/medway-council/ "
        "(former_slugs in content/councils/medway-council.yaml).",
    ]
    after = content(kent)
    renamed = after.pop("councils/medway-council.yaml")
    old_text = before.pop("councils/medway.yaml")
    assert renamed == old_text.replace("name: Medway Council\n", "name: Medway Council\nformer_slugs: [medway]   "
                                       "# old addresses of this page: they redirect here\n")
    assert after["timeline.yaml"] == before["timeline.yaml"].replace(
        "(/councils/medway/)", "(/councils/medway-council/)").replace("[medway, ", "[medway-council, ")
    check = run("check", cwd=kent)
    assert check.returncode == 0, check.stderr

    out = tmp_path / "out"
    assert run("build", "--no-cache", "--out", str(out), cwd=kent).returncode == 0
    assert "<h1>Medway Council</h1>" in (out / "councils" / "medway-council" / "index.html").read_text("utf-8")
    redirect = (out / "councils" / "medway" / "index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../councils/medway-council/">' in redirect
    assert '<link rel="canonical" href="https://example.org/explainer/councils/medway-council/">' in redirect
    assert '<a href="../../councils/medway-council/">Medway Council</a>' in redirect
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert "councils/medway-council/</loc>" in sitemap and "councils/medway/</loc>" not in sitemap
    assert run("check", "--links", "--out", str(out), cwd=kent).returncode == 0
    for_files = tmp_path / "files"
    assert run("build", "--no-cache", "--for-files", "--out", str(for_files), cwd=kent).returncode == 0
    assert "url=../../councils/medway-council/index.html" in (for_files / "councils" / "medway" / "index.html").read_text()


def test_a_second_rename_keeps_every_old_address(kent, tmp_path):
    medway = kent / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text("utf-8").replace("kind: unitary\n", "former_slugs:\n  - medway-unitary\nkind: unitary\n"))
    assert run("rename", "council", "medway", "medway-council", cwd=kent).returncode == 0
    text = (kent / "content" / "councils" / "medway-council.yaml").read_text("utf-8")
    assert "former_slugs:\n  - medway-unitary\n  - medway\nkind: unitary\n" in text
    out = tmp_path / "out"
    assert run("build", "--no-cache", "--out", str(out), cwd=kent).returncode == 0
    for old in ("medway", "medway-unitary"):
        assert "url=../../councils/medway-council/" in (out / "councils" / old / "index.html").read_text("utf-8")


@pytest.mark.parametrize("args, message", [
    (["article", "no-such-article", "x"], "there is no content/articles/no-such-article.md"),
    (["article", "localgov-2023-02-kent", "x"], "(did you mean 'localgov-2023-02-kent-councils'?)"),
    (["article", OLD_ARTICLE, "fac-2021-07-never-again"], "content/articles/fac-2021-07-never-again.md already exists"),
    (["council", "medway", "dudley"], "content/councils/dudley.yaml already exists"),
    (["council", "medway", "Medway Council"], "cannot use 'Medway Council' as a file name"),
    (["council", "medway", "../../evil"], "cannot use '../../evil' as a file name"),
    (["council", "medway", "medway"], "content/councils/medway.yaml already exists"),
    (["council", "../councils/medway", "kent"], "there is no content/councils/../councils/medway.yaml"),
])
def test_rename_refuses_and_changes_nothing(kent, args, message):
    before = snapshot(kent)
    result = run("rename", *args, cwd=kent)
    assert result.returncode == 2
    assert result.stderr.startswith("python -m generator: error: nothing renamed: ")
    assert message in result.stderr
    assert snapshot(kent) == before


def test_renaming_onto_an_old_address_is_refused(kent):
    assert run("rename", "council", "medway", "medway-council", cwd=kent).returncode == 0
    before = snapshot(kent)
    result = run("rename", "council", "dudley", "medway", cwd=kent)
    assert result.returncode == 2
    assert ("'medway' is a former name listed in content/councils/medway-council.yaml's former_slugs"
            in result.stderr)
    assert snapshot(kent) == before


def test_a_file_with_a_syntax_error_stops_the_rename_before_anything_changes(kent):
    dudley = kent / "content" / "councils" / "dudley.yaml"
    dudley.write_text(dudley.read_text("utf-8") + "notes: [\n", "utf-8")
    before = snapshot(kent)
    result = run("rename", "article", OLD_ARTICLE, NEW_ARTICLE, cwd=kent)
    assert result.returncode == 1
    assert "content/councils/dudley.yaml:" in result.stderr and "nothing renamed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(kent) == before


def test_a_former_slug_that_is_a_council_now_is_an_error(site):
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text("utf-8").replace("kind: unitary\n", "former_slugs: [dudley]\nkind: unitary\n"))
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert ("content/councils/medway.yaml:2:15: error: former slug 'dudley' is the file name of a council now "
            "(content/councils/dudley.yaml), so its address cannot redirect here") in result.stderr.splitlines()


@pytest.mark.browser
def test_the_old_address_takes_a_browser_to_the_new_page(kent, tmp_path):
    assert run("rename", "council", "medway", "medway-council", cwd=kent).returncode == 0
    out = tmp_path / "out"
    assert run("build", "--no-cache", "--out", str(out), cwd=kent).returncode == 0
    with serve(out) as origin, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{origin}/councils/medway/")
        page.wait_for_url(f"{origin}/councils/medway-council/")
        assert page.locator("h1").inner_text() == "Medway Council"


def test_a_file_the_build_would_refuse_stops_the_rename_too(kent):
    """rename reads the content as a build does: what stops a build stops it."""
    (kent / "content" / "councils" / "notes.txt").write_text("not a council file\n", "utf-8")
    before = snapshot(kent)
    result = run("rename", "article", OLD_ARTICLE, NEW_ARTICLE, cwd=kent)
    assert result.returncode == 1
    assert "content/councils/notes.txt:" in result.stderr and "unexpected file" in result.stderr
    assert "nothing renamed" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(kent) == before

"""Each stage of the pipeline (generator/build.py) on its own, in one process, on the fixture
site: check, link, route, render pieces, render and write. (Loading: test_load.py; writing
alone: test_write.py.)"""

from __future__ import annotations

import datetime

import pytest

from conftest import FIXTURE
from generator import build as pipeline, data, pieces
from generator.cache import BuildCache
from generator.diagnostics import BuildFailed
from generator.load import council_file, listing, parse
from generator.render import templates, templates_fingerprint
from generator.validate import check_file, link

TODAY = datetime.date(2026, 12, 1)
OPTIONS = pipeline.Options(jobs=1)


def stages(site_dir, cache=None):
    """Scan, check and link the site; its templates; the cache used."""
    cache = cache or BuildCache(None)
    scanned = pipeline.scan_inputs(site_dir, None, TODAY, OPTIONS, cache)
    results = pipeline.check(site_dir, scanned.files, cache, jobs=1)
    site, warnings = link(results, scanned.found, TODAY)
    return site, results, templates(site_dir, templates_fingerprint(site_dir, listing(site_dir)), None), cache


def test_check_reports_a_councils_unknown_status_at_its_place(site):
    path = site / council_file("dudley")
    path.write_text(path.read_text().replace("status: ", "status: vanished #", 1))
    scanned = pipeline.scan_inputs(site, None, TODAY, OPTIONS, BuildCache(None))
    config = check_file(parse(next(f for f in scanned.files if f.kind == "site")), None).value
    result = check_file(parse(next(f for f in scanned.files if f.path == council_file("dudley"))), config)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("status:"))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.location.path, d.location.line) for d in errors] == [(council_file("dudley"), line)]
    assert "vanished" in errors[0].message


def test_check_reuses_a_result_while_the_file_and_site_yaml_are_unchanged(site):
    cache = BuildCache(None)
    scanned = pipeline.scan_inputs(site, None, TODAY, OPTIONS, cache)
    first = pipeline.check(site, scanned.files, cache, jobs=1)
    again = pipeline.check(site, scanned.files, cache, jobs=1)
    assert all(a is b for a, b in zip(first, again))
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "\n# a comment\n")
    changed = pipeline.check(site, pipeline.scan_inputs(site, None, TODAY, OPTIONS, cache).files, cache, jobs=1)
    assert not any(a is b for a, b in zip(first, changed))  # councils are checked against site.yaml


def test_link_refuses_a_citation_of_a_missing_article_at_its_place(site):
    path = site / council_file("dudley")
    path.write_text(path.read_text().replace("status_source: ", "status_source: no-such-article #", 1))
    with pytest.raises(BuildFailed) as failed:
        stages(site)
    errors = [d for d in failed.value.diagnostics if d.severity == "error"]
    assert errors and all(d.location.path == council_file("dudley") and d.location.line > 1 for d in errors)
    assert any("no-such-article" in d.message for d in errors)


def test_link_applies_the_base_url_override():
    site, results, _, _ = stages(FIXTURE)
    relinked, _ = link(results, [], TODAY, base_url="https://elsewhere.example/sub")
    assert relinked.config.base_url == "https://elsewhere.example/sub/"
    assert site.config.base_url != relinked.config.base_url


def test_keys_change_only_for_what_shows_the_edited_council(site):
    cache = BuildCache(None)
    before_site, results, tpl, _ = stages(site, cache)
    routes, keys = pipeline.keyed_routes(before_site, results, tpl, OPTIONS, cache)
    parts = pipeline.keyed_pieces(before_site, routes, keys)
    path = site / council_file("dudley")
    path.write_text(path.read_text().replace("status_summary: ", "status_summary: Edited, ", 1))
    after_site, results, tpl, _ = stages(site, cache)
    routes2, keys = pipeline.keyed_routes(after_site, results, tpl, OPTIONS, cache)
    parts2 = pipeline.keyed_pieces(after_site, routes2, keys)
    changed_routes = {a.path for a, b in zip(routes, routes2) if a.key != b.key}
    changed_records = {a.item.name for a, b in zip(parts, parts2) if a.key != b.key}
    assert "councils/dudley/index.html" in changed_routes
    assert not any(p.startswith("councils/") and p.endswith("/index.html") and p not in
                   ("councils/dudley/index.html", "councils/index.html") for p in changed_routes)
    assert changed_records == {"council/dudley"}  # not the map: its name, status and place are as they were
    assert pieces.names(next(p.item for p in parts2 if p.item.name == "council/dudley")) == [
        "councils-row/dudley", "home-council/dudley", "data/councils.json/dudley", "data/councils.csv/dudley",
        "search/council/dudley"]


def with_pieces(site_dir):
    """The site's model, keyed routes and records, the pieces made (none kept), templates and cache."""
    cache = BuildCache(None)
    model, results, tpl, _ = stages(site_dir, cache)
    routes, keys = pipeline.keyed_routes(model, results, tpl, OPTIONS, cache)
    parts = pipeline.keyed_pieces(model, routes, keys)
    made = pipeline.render_pieces(model, routes, parts, tpl, pipeline.LastBuild(), OPTIONS, [])
    return model, routes, parts, made, tpl, cache


def test_listing_pages_are_joined_from_the_pieces(site):
    model, routes, parts, made, tpl, cache = with_pieces(site)
    row = bytes(made.pieces["councils-row/dudley"]).decode()
    assert 'data-status="' in row and "Dudley" in row
    ours = pipeline.Made({**made.pieces, "councils-row/dudley": "<tr><th>A PIECE OF OUR OWN – ô</th></tr>".encode()},
                         made.records)
    out = site.parent / "out"
    written = pipeline.render_and_write(out, routes, lambda: ours, tpl, OPTIONS, pipeline.LastBuild(), cache, True, [])
    page = (out / "councils" / "index.html").read_bytes()
    assert "A PIECE OF OUR OWN – ô".encode() in page and row.encode() not in page
    layout = written.layouts["councils/index.html"]  # where each piece is, for the next build
    at = layout.names.index("councils-row/dudley")
    assert page[layout.starts[at]:][:layout.lengths[at]] == ours.pieces["councils-row/dudley"]


def rendered_records(monkeypatch) -> list[str]:
    """The names of the records whose pieces are rendered from now on."""
    names = []
    render = pieces.render

    def counting(record, *args):
        names.append(record.name)
        return render(record, *args)

    monkeypatch.setattr(pieces, "render", counting)
    return names


def test_a_record_whose_key_is_kept_is_taken_from_the_last_output_not_rendered(site, monkeypatch):
    out, cache = site.parent / "out", BuildCache(None)
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    rendered = rendered_records(monkeypatch)
    path = site / council_file("dudley")
    path.write_text(path.read_text().replace("status_summary: ", "status_summary: Edited, ", 1))
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    assert rendered == ["council/dudley"]
    assert "Edited," in (out / "councils" / "index.html").read_text("utf-8")


def test_a_listing_output_changed_by_hand_has_its_records_rendered_again(site, monkeypatch):
    out, cache = site.parent / "out", BuildCache(None)
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    clean = (out / "councils" / "index.html").read_bytes()
    (out / "councils" / "index.html").write_bytes(clean.replace(b"Dudley", b"DUDLEY (by hand)"))
    rendered = rendered_records(monkeypatch)
    path = site / council_file("medway")
    path.write_text(path.read_text().replace("status_summary: ", "status_summary: Edited, ", 1))
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    assert "council/dudley" in rendered and "council/medway" in rendered
    page = (out / "councils" / "index.html").read_bytes()
    assert b"DUDLEY" not in page and b"Dudley" in page


def test_a_change_to_a_pieces_template_reaches_the_pages_listing_them(site):
    """The listing pages' keys count their pieces' templates (a partial's edit once left them as they were)."""
    out, cache = site.parent / "out", BuildCache(None)
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    partial = site / "templates" / "partials" / "council_row.html"
    partial.write_text(partial.read_text().replace("<tr", '<tr data-edited="yes"', 1))
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    assert 'data-edited="yes"' in (out / "councils" / "index.html").read_text("utf-8")


def test_a_template_that_escapes_its_pieces_is_rendered_as_it_says(site):
    """Without `| safe` a piece is escaped, as any text would be; the placeholders are not mistaken for it."""
    template = site / "templates" / "councils.html"
    template.write_text(template.read_text().replace(
        '{{ pieces.lines("councils-row/", site.councils | sort(attribute="name") | map(attribute="slug")) }}',
        '{% for c in site.councils %}{{ pieces["councils-row/" ~ c.slug] }}{% endfor %}'))
    out = site.parent / "out"
    pipeline.build(site, out, TODAY, OPTIONS, BuildCache(None))
    page = (out / "councils" / "index.html").read_text("utf-8")
    assert "&lt;tr" in page and "\0" not in page


def test_the_data_pages_sizes_are_the_downloads_bytes(site):
    """The data page gives each download's size without making it (from its pieces' sizes)."""
    model, routes, parts, made, tpl, cache = with_pieces(site)
    texts = {name: bytes(piece).decode() for name, piece in made.pieces.items()}
    texts |= {"data/councils.csv/dudley": "dudley,Cyngor Sir Ynys Môn – “quoted”\r\n",
              "data/timeline.json/" + model.timeline[0].anchor: ""}
    made = pieces.Texts({name: text.encode() for name, text in texts.items()})
    built = {path: len(build(made).encode()) for path, build in data.builders(model)}
    assert data.sizes(model, made) == built and len(built) == len(data.FILES)


def test_a_listing_template_with_a_nul_of_its_own_is_made_as_text(site):
    """A NUL is what surrounds a placeholder: one in the template's own text makes the join give up,
    and the page is rendered again with the pieces as text, not mangled."""
    template = site / "templates" / "councils.html"
    template.write_text(template.read_text().replace("<tbody>", "<tbody>\0", 1))
    out = site.parent / "out"
    pipeline.build(site, out, TODAY, OPTIONS, BuildCache(None))
    page = (out / "councils" / "index.html").read_text("utf-8")
    assert "<tbody>\0" in page and page.count('data-status="') >= 3


def test_listing_outputs_an_edit_does_not_change_keep_their_files(site):
    """Joined again after any edit, a listing output whose bytes come out the same is not
    rewritten (it stays the same file, with its modification time), compared with the bytes its
    pieces were read from."""
    out, cache = site.parent / "out", BuildCache(None)
    pipeline.build(site, out, TODAY, OPTIONS, cache)

    def files():
        return {rel: ((out / rel).stat().st_ino, (out / rel).stat().st_mtime_ns)
                for rel in ("timeline/index.html", "sources/index.html", "data/timeline.json", "councils/index.html")}

    before = files()
    path = site / council_file("dudley")
    path.write_text(path.read_text().replace("status_summary: ", "status_summary: Edited, ", 1))
    pipeline.build(site, out, TODAY, OPTIONS, cache)
    after = files()
    assert {rel: after[rel] == before[rel] for rel in after} == {
        "timeline/index.html": True, "sources/index.html": True, "data/timeline.json": True,
        "councils/index.html": False}

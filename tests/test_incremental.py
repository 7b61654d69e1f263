"""Every shortcut a build takes (cached results, skipped pages, worker processes, in-place
preview writes) must give exactly the output of a clean single-process build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run, snapshot
from generator import clock
from generator.build import Options, build, forget
from generator.cache import BuildCache
from generator.diagnostics import BuildFailed


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    build(site, out, clock.today(), Options(jobs=1), BuildCache(None))
    return snapshot(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def inputs(site: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(site).items() if not rel.startswith(("build/", ".cache/"))}


EDITS = [
    ("a council's summary", lambda s: edit(s / "content/councils/dudley.yaml", "status_summary: ", "status_summary: Update, ")),
    ("a council's status", lambda s: edit(s / "content/councils/medway.yaml", "status: paused", "status: removed")),
    ("an article's publisher", lambda s: edit(next((s / "content/articles").glob("*.md")), "publisher: ", "publisher: The ")),
    ("an event with the title and date of another council's", lambda s: edit(
        s / "content/councils/dudley.yaml", "last_reviewed:", "events:\n  - date: 2023-02-21\n"
        "    title: Says its Hikvision cameras will reduce to zero\n    source: telegraph-2021-06-cctv-reviewed\n"
        "last_reviewed:")),
    ("a new council", lambda s: (s / "content/councils/newtown.yaml").write_text(
        (s / "content/councils/dudley.yaml").read_text().replace("name: Dudley", "name: Newtown", 1))),
    ("a removed council", lambda s: (s / "content/councils/newtown.yaml").unlink()),
    ("a page template", lambda s: edit(s / "templates/council.html", "</h1>", " </h1>")),
    ("a piece's template", lambda s: edit(s / "templates/partials/council_row.html", "<tr ", '<tr data-edit="1" ')),
    ("a listing page's template", lambda s: edit(s / "templates/councils.html", "<tbody>", "<tbody data-edit>")),
    ("the base template", lambda s: edit(s / "templates/base.html", "</footer>", "<!-- x --></footer>")),
    ("a stylesheet", lambda s: (s / "templates/assets/style.css").write_text(
        (s / "templates/assets/style.css").read_text() + "\na { color: red; }\n")),
    ("site.yaml", lambda s: edit(s / "site.yaml", "title: ", "title: The ")),
    ("a page", lambda s: edit(s / "content/pages/about.md", "title: ", "title: All ")),
    ("nothing", lambda s: None),
]


@pytest.mark.slow
def test_preview_and_cached_builds_equal_clean_builds_after_each_edit(site, tmp_path):
    preview = BuildCache(None)  # kept for the session, as the preview server keeps it
    build(site, tmp_path / "preview", clock.today(), Options(jobs=2), preview, atomic=False)
    for step, (what, change) in enumerate(EDITS):
        before = inputs(site)
        change(site)
        after = inputs(site)
        # As the preview server does: forget the files the watcher saw change, trust the rest's stamps.
        forget(preview, [rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)])
        build(site, tmp_path / "preview", clock.today(), Options(jobs=2), preview, atomic=False)
        cli = run("build", "--site", str(site))  # with the on-disk cache, in a new process
        assert cli.returncode == 0, cli.stderr
        expected = clean_build(site, tmp_path / f"clean-{step}")
        assert snapshot(tmp_path / "preview") == expected, f"preview differs after editing {what}"
        assert snapshot(site / "build") == expected, f"cached build differs after editing {what}"


def test_a_failed_rebuild_keeps_the_last_good_output_and_recovers(site, tmp_path):
    preview = BuildCache(None)
    out = tmp_path / "preview"
    build(site, out, clock.today(), Options(jobs=1), preview, atomic=False)
    before = snapshot(out)
    council = site / "content/councils/dudley.yaml"
    good = council.read_text()
    council.write_text(good + "staus: paused\n")
    with pytest.raises(BuildFailed):
        build(site, out, clock.today(), Options(jobs=1), preview, atomic=False)
    assert snapshot(out) == before
    council.write_text(good.replace("status_summary: ", "status_summary: Back again, ", 1))
    build(site, out, clock.today(), Options(jobs=1), preview, atomic=False)
    assert snapshot(out) == clean_build(site, tmp_path / "clean")


@pytest.mark.slow
def test_parallel_build_of_a_synthetic_site_equals_single_process(tmp_path):
    site = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "400", str(site)], check=True,
                   capture_output=True)
    parallel = run("build", "--site", str(site), "--jobs", "2", "--out", str(tmp_path / "parallel"))
    assert parallel.returncode == 0, parallel.stderr
    assert snapshot(tmp_path / "parallel") == clean_build(site, tmp_path / "single")


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_means_a_full_build_not_an_error(site, tmp_path, damage):
    assert run("build", "--site", str(site)).returncode == 0
    saved = [path for path in (site / ".cache").iterdir() if path.is_file()]
    assert saved
    for path in saved:
        path.write_bytes(damage)
    edit(site / "content/councils/dudley.yaml", "status_summary: ", "status_summary: Update, ")
    result = run("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert snapshot(site / "build") == clean_build(site, tmp_path / "clean")

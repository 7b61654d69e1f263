"""What editors write about a council's history and for each other: the split statuses, an
abolished council and its successor, editor_notes (never shown) and a status that has aged."""

from __future__ import annotations

import json

import pytest

from conftest import run
from pages import soup, text

SECRET = "Searched WhatDoTheyKnow on 1 December 2026; the stored copy shows no date"


def _append(path, extra: str) -> None:
    path.write_text(path.read_text() + extra)


def _set(path, field: str, value: str) -> None:
    lines = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")


def test_the_new_statuses_show_their_labels(site):
    medway, dudley = site / "content/councils/medway.yaml", site / "content/councils/dudley.yaml"
    _set(medway, "status", "responded")
    _set(dudley, "status", "not-used")
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Responded, no plan stated" in text(soup(site / "build/councils/medway/index.html").select_one(".status-box"))
    assert "Says it uses none" in text(soup(site / "build/councils/dudley/index.html").select_one(".status-box"))
    rows = {c["slug"]: c["status_label"] for c in json.loads((site / "build/data/councils.json").read_text())}
    assert rows["medway"] == "Responded, no plan stated" and rows["dudley"] == "Says it uses none"


def test_an_abolished_council_names_and_links_its_successor(site):
    medway, dudley = site / "content/councils/medway.yaml", site / "content/councils/dudley.yaml"
    _append(medway, "abolished: 2023-04\nsuccessor: dudley\n")
    _append(dudley, "abolished: 2024\nsuccessor: West Midlands Combined Council\n")
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    note = soup(site / "build/councils/medway/index.html").select_one(".abolished")
    assert text(note) == "Abolished in April 2023; its successor is Dudley Metropolitan Borough Council."
    assert note.a["href"] == "../../councils/dudley/"
    note = soup(site / "build/councils/dudley/index.html").select_one(".abolished")
    assert text(note) == "Abolished in 2024; its successor is West Midlands Combined Council." and note.a is None
    record = next(c for c in json.loads((site / "build/data/councils.json").read_text()) if c["slug"] == "medway")
    assert (record["abolished"], record["successor"], record["successor_slug"]) == (
        "2023-04", "Dudley Metropolitan Borough Council", "dudley")


def test_a_successor_written_as_an_id_must_name_a_council_file(site):
    medway = site / "content/councils/medway.yaml"
    _append(medway, "abolished: 2023-04\nsuccessor: dudly\n")
    lines = medway.read_text().splitlines()
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert (f"content/councils/medway.yaml:{len(lines)}:12: error: unknown council 'dudly' "
            "(did you mean 'dudley'?)") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_council_cannot_succeed_itself(site):
    medway = site / "content/councils/medway.yaml"
    _append(medway, "successor: medway\n")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert "content/councils/medway.yaml:1:1: error: 'medway' names itself as its successor" in result.stderr


def test_editor_notes_and_excerpts_are_checked_but_never_published(site):
    _append(site / "content/councils/medway.yaml", f"editor_notes: |\n  {SECRET}.\n")
    article = site / "content/articles/fac-2021-07-never-again.md"
    article.write_text(article.read_text().replace(
        "---\n", f"---\neditor_notes: {SECRET} (article).\nexcerpts:\n  - {SECRET} (excerpt).\n", 1))
    timeline = site / "content/timeline.yaml"
    timeline.write_text(timeline.read_text().replace("\n  sources:", f"\n  editor_notes: {SECRET} (event).\n  sources:", 1))
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    leaked = [p.relative_to(site / "build") for p in (site / "build").rglob("*")
              if p.is_file() and "stored copy shows no date" in p.read_bytes().decode("utf-8", "replace")]
    assert leaked == []


def test_editor_notes_must_be_text(site):
    medway = site / "content/councils/medway.yaml"
    _append(medway, "editor_notes: [one, two]\n")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert f"content/councils/medway.yaml:{len(medway.read_text().splitlines())}:15: error: expected text" \
        in result.stderr


def test_a_status_older_than_the_limit_is_flagged(site):
    medway = site / "content/councils/medway.yaml"
    _set(site / "site.yaml", "status_max_age_days", "2500")
    _set(medway, "status_as_of", "2019-06")
    line = next(i for i, l in enumerate(medway.read_text().splitlines(), 1) if l.startswith("status_as_of"))
    changelog = site / "content/changelog.yaml"
    changelog.unlink()  # no search recorded
    result = run("check", cwd=site)
    assert result.returncode == 0
    warnings = [w for w in result.stderr.splitlines() if "status_max_age_days" in w]
    assert warnings == [
        f"content/councils/medway.yaml:{line}:15: warning: the status is as of June 2019, more than 2500 days ago "
        "(status_max_age_days): look for a later statement, and if none is found record the search as a "
        "'checked' entry in content/changelog.yaml"]


@pytest.mark.parametrize("entry, quiet", [
    ("- date: 2026-11-20\n  council: medway\n  kind: checked\n  summary: Searched minutes; none found.\n", True),
    ("- date: 2026-11-20\n  kind: checked\n  summary: Searched every council's minutes; none found.\n", True),
    ("- date: 2026-11-20\n  council: dudley\n  kind: checked\n  summary: Searched minutes; none found.\n", False),
    ("- date: 2018-01-10\n  council: medway\n  kind: checked\n  summary: Searched minutes; none found.\n", False),
])
def test_a_recent_search_in_the_change_log_quiets_the_stale_status_warning(site, entry, quiet):
    """The status stays flagged for readers; the warning to editors stops once a search is recorded."""
    _set(site / "site.yaml", "status_max_age_days", "2500")
    _set(site / "content/councils/medway.yaml", "status_as_of", "2019-06")
    (site / "content/changelog.yaml").write_text(entry)
    result = run("check", cwd=site)
    assert result.returncode == 0, result.stderr
    assert ("status_max_age_days" not in result.stderr) is quiet, result.stderr

"""Warnings point at things an editor should look at, without failing the build."""

from __future__ import annotations

import json

from conftest import run


def test_stale_review_and_uncited_figure_are_warnings(site):
    council = site / "content/councils/medway.yaml"
    text = council.read_text().replace("last_reviewed: 2026-11-21", "last_reviewed: 2020-01-31")
    council.write_text(text + "notes: |\n  The council spent £120,000 on new cameras.\n")
    lines = council.read_text().splitlines()
    reviewed = next(i for i, line in enumerate(lines, 1) if line.startswith("last_reviewed"))
    figure = len(lines)

    result = run("build", cwd=site, env={"SOURCE_DATE_EPOCH": "1795392000"})  # 2026-11-23
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings == [
        f"content/councils/medway.yaml:{reviewed}:16: warning: last reviewed 2488 days ago, more than the "
        "365 days site.yaml allows (review_max_age_days): check the entry is still true, then update last_reviewed",
        f"content/councils/medway.yaml:{figure}:21: warning: the figure '£120,000' has no source in its "
        "paragraph: cite one with [@article-id]",
    ]
    assert (site / "build/councils/medway/index.html").exists()

    as_json = run("check", "--format", "json", cwd=site, env={"SOURCE_DATE_EPOCH": "1795392000"})
    assert as_json.returncode == 0
    items = json.loads(as_json.stdout)
    assert {(i["file"], i["line"], i["severity"]) for i in items} == {
        ("content/councils/medway.yaml", reviewed, "warning"), ("content/councils/medway.yaml", figure, "warning")}


def test_a_cited_figure_is_not_flagged(site):
    council = site / "content/councils/medway.yaml"
    source = next(line.split(":", 1)[1].strip() for line in council.read_text().splitlines()
                  if line.startswith("status_source"))
    council.write_text(council.read_text() + f"notes: |\n  The council spent £120,000 [@{source}].\n")
    result = run("build", "--site", str(site))
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


def test_check_summary_counts_the_warnings(site):
    assert run("check", cwd=site).stdout.rstrip().endswith(": no errors")
    council = site / "content/councils/medway.yaml"
    council.write_text(council.read_text().replace("last_reviewed: 2026-11-21", "last_reviewed: 2020-01-31")
                       + "notes: |\n  The council spent £120,000 on new cameras.\n")
    result = run("check", cwd=site)
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith(": no errors, 2 warnings"), result.stdout

"""Every place named in a problem is shown as the user can open it from where they ran the
command: with `--site DIR`, the places a message lists get the same `DIR/` as its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, Location
from generator.report import Reporter
from generator.serve import Preview
from inprocess import cli
from test_drafts import add_article
from test_errors import parse_case

RENAMED = Path(__file__).parent / "broken" / "renamed-article.txt"
GROUPED = ("{p}content/councils/dudley.yaml:7:16: error: the article 'localgov-kent' is cited 5 times but does "
           "not exist (did you mean 'localgov-2023-02-kent-councils'?); also cited at "
           "{p}content/councils/medway.yaml:7:16, {p}content/councils/medway.yaml:11:13, "
           "{p}content/councils/medway.yaml:14:13 and 1 other place")


@pytest.fixture
def renamed(site) -> Path:
    files, _ = parse_case(RENAMED)
    for name, content in files.items():
        (site / name).write_text(content, "utf-8")
    return site


@pytest.mark.parametrize("site_arg, prefix", [(".", ""), ("site", "site/"), ("./site/", "site/")])
def test_places_in_a_message_have_the_prefix_of_its_own_place(renamed, monkeypatch, site_arg, prefix):
    monkeypatch.chdir(renamed if site_arg == "." else renamed.parent)
    result = cli("check", "--site", site_arg)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [GROUPED.format(p=prefix)]


def test_json_problems_have_the_prefix_in_their_message_too(renamed, monkeypatch):
    monkeypatch.chdir(renamed.parent)
    result = cli("check", "--site", "site", "--format", "json")
    assert result.returncode == 1
    [problem] = json.loads(result.stdout)
    assert problem["file"] == "site/content/councils/dudley.yaml"
    assert "also cited at site/content/councils/medway.yaml:7:16, " in problem["message"]


def test_the_draft_a_reference_points_at_is_shown_with_the_prefix(site, monkeypatch):
    add_article(site, "kentonline-2024-03-medway", draft=True)
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text("utf-8").replace("status_source: localgov-2023-02-kent-councils",
                                                        "status_source: kentonline-2024-03-medway"), "utf-8")
    monkeypatch.chdir(site.parent)
    result = cli("check", "--site", "site")
    assert result.returncode == 1
    assert ("site/content/councils/medway.yaml:7:16: error: the article 'kentonline-2024-03-medway' is a draft "
            "(site/content/articles/kentonline-2024-03-medway.md:4:1), so this") in result.stderr


def test_the_preview_prints_and_shows_problems_as_the_cli_does(renamed, capsys):
    preview = Preview(renamed, renamed.parent / "out", str(renamed))
    preview.rebuild()
    prefix = str(renamed) + "/"
    assert GROUPED.format(p=prefix) in capsys.readouterr().err.splitlines()
    overlay = preview.overlay()
    assert f"<code>{prefix}content/councils/dudley.yaml:7:16</code>" in overlay
    assert f"also cited at {prefix}content/councils/medway.yaml:7:16, " in overlay


def test_a_problem_in_no_file_is_one_line_too(capsys):
    """The preview's own failures (an unexpected error, an unwritable output) name no file; their
    text, an exception's, may span lines, and still prints as one."""
    Reporter("site").print([Diagnostic(Location(""), "error", "cannot build:\nsecond line")])
    assert capsys.readouterr().err.splitlines() == ["error: cannot build:\\nsecond line"]


def test_problems_are_printed_in_file_line_column_order(capsys):
    """By file, line and column, then errors before warnings, then message: the order of
    Diagnostic's fields (printing sorts by a key made of them, which must agree)."""
    here = [Diagnostic(Location(path, line, column), severity, message, places)
            for path in ("content/b.yaml", "content/a.yaml") for line in (10, 2) for column in (3, 1)
            for severity in ("warning", "error") for message in ("z", "a") for places in ((Location("x.md"),), ())]
    Reporter().print(reversed(here))
    printed = capsys.readouterr().err.splitlines()
    assert printed == [d.line() for d in sorted(here)]
    assert printed[0] == "content/a.yaml:2:1: error: a" and printed[-1].startswith("content/b.yaml:10:3: warning: z")

"""YAML syntax errors are reported in plain words at the line of the mistake, with the parser's
own words kept at the end (`…` stands for them: they change between PyYAML versions)."""

from __future__ import annotations

import pytest

from conftest import run
from inprocess import cli
from test_errors import error_lines, matches

MEDWAY = "content/councils/medway.yaml"
GOOD = """name: Medway Council
kind: unitary
region: South East
status: paused
status_summary: Has paused installing new Hikvision cameras.
status_as_of: 2023-02
status_source: localgov-2023-02-kent-councils
last_reviewed: 2026-11-21
"""
QUOTED = "put the whole value in double quotes (the YAML parser said: …)"

CASES = {
    "tab-indentation": (
        GOOD + "events:\n\t- date: 2023-02\n",
        f"{MEDWAY}:10:1: error: a tab is used to indent this line: YAML needs spaces; replace the tab with "
        "spaces (the YAML parser said: …)"),
    "colon-in-text": (
        GOOD.replace("status_summary: Has paused", "status_summary: Update: has paused"),
        f"{MEDWAY}:5:17: error: this text contains ': ', which YAML reads as the start of a field: {QUOTED}"),
    "unclosed-quote": (
        GOOD.replace("status_summary: Has paused installing new Hikvision cameras.",
                     'status_summary: "Has paused installing new Hikvision cameras.'),
        f'{MEDWAY}:5:17: error: the quote " opened here is never closed: end the value with " '
        "(the YAML parser said: …)"),
    "unclosed-quote-before-another-quote": (
        GOOD.replace("status_summary: Has paused installing new Hikvision cameras.",
                     'status_summary: "Has paused installing new Hikvision cameras.')
            .replace("status_as_of: 2023-02", 'status_as_of: "2023-02"'),
        f'{MEDWAY}:5:17: error: the quote " opened here is never closed: end the value with " '
        "(the YAML parser said: …)"),
    "curly-quotes": (
        GOOD.replace("status_summary: Has paused installing new Hikvision cameras.",
                     "status_summary: \u201cUpdate: has paused installing new cameras.\u201d"),
        f"{MEDWAY}:5:17: error: curly quotes (\u201c \u201d) do not quote a value in YAML: use straight double "
        'quotes (") around the value (the YAML parser said: …)'),
    "value-starting-with-star": (
        GOOD.replace("status_summary: Has", "status_summary: *Has"),
        f"{MEDWAY}:5:17: error: a value cannot start with '*' in YAML: {QUOTED}"),
    "value-starting-with-at": (
        GOOD + "quotes:\n  - text: We have paused.\n    speaker: @MedwayCouncil\n"
               "    source: localgov-2023-02-kent-councils\n",
        f"{MEDWAY}:11:14: error: a value cannot start with '@' in YAML: {QUOTED}"),
    "value-starting-with-backtick": (
        GOOD.replace("status_summary: Has", "status_summary: `Has"),
        f"{MEDWAY}:5:17: error: a value cannot start with '`' in YAML: {QUOTED}"),
    "value-starting-with-percent": (
        GOOD.replace("status_summary: Has", "status_summary: %40 of cameras: has"),
        f"{MEDWAY}:5:17: error: a value cannot start with '%' in YAML: {QUOTED}"),
    "missing-colon": (
        GOOD.replace("kind: unitary", "kind unitary"),
        f"{MEDWAY}:2:1: error: missing ':' after the field name: write 'kind: unitary' (the YAML parser said: …)"),
    "missing-colon-on-the-last-line": (
        GOOD.replace("last_reviewed: 2026-11-21", "last_reviewed 2026-11-21"),
        f"{MEDWAY}:8:1: error: missing ':' after the field name: write 'last_reviewed: 2026-11-21' "
        "(the YAML parser said: …)"),
    "list-item-indented-too-far": (
        GOOD + "events:\n  - date: 2023-02\n    title: Pauses\n    source: localgov-2023-02-kent-councils\n"
               "   - date: 2023-03\n    title: Resumes\n",
        f"{MEDWAY}:13:4: error: this list item is not lined up with the items above it: put its '-' in "
        "column 3, like line 10 (the YAML parser said: …)"),
    "list-item-indented-too-little": (
        GOOD + "events:\n  - date: 2023-02\n    title: Pauses\n    source: localgov-2023-02-kent-councils\n"
               " - date: 2023-03\n   title: Resumes\n",
        f"{MEDWAY}:13:2: error: this list item is not lined up with the items above it: put its '-' in "
        "column 3, like line 10 (the YAML parser said: …)"),
    "unclosed-list": (
        GOOD.replace("region: South East", "region: [South East"),
        f"{MEDWAY}:3:9: error: the '[' here starts a list or mapping that is never closed with ']': if the "
        f"value is text, {QUOTED}"),
}


@pytest.mark.parametrize("name", CASES)
def test_yaml_mistake_is_explained_where_it_is(site, monkeypatch, name):
    text, expected = CASES[name]
    (site / MEDWAY).write_text(text, "utf-8")
    monkeypatch.chdir(site)
    result = cli("check", "--no-cache")
    assert result.returncode == 1
    assert matches(error_lines(result.stderr), [expected]), result.stderr
    for jargon in ("found character that cannot start any token", "mapping values are not allowed",
                   "did not find expected key", "found unexpected end of stream"):
        assert jargon not in result.stderr.split("(the YAML parser said")[0]


def test_front_matter_mistakes_count_lines_of_the_file(site):
    article = site / "content/articles/localgov-2023-02-kent-councils.md"
    article.write_text(article.read_text().replace("title: ", "title: Update: ", 1))
    result = run("check", cwd=site)
    assert result.returncode == 1
    line = article.read_text().splitlines().index(next(l for l in article.read_text().splitlines()
                                                       if l.startswith("title:"))) + 1
    assert matches(error_lines(result.stderr), [
        f"content/articles/localgov-2023-02-kent-councils.md:{line}:8: error: this text contains ': ', which "
        f"YAML reads as the start of a field: {QUOTED}"])

"""Tools for editors: `new council`, `new article` and `check --format json`."""

from __future__ import annotations

import json

import pytest

from conftest import run
from generator.scaffold import council_slug
from generator.jsonschemas import header

SOURCE = "localgov-2023-02-kent-councils"  # an article of the fixture site


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


STILL_TO_FILL = {  # what only the editor can know, as an editor fills it in
    "status": "no-plans",
    "status_summary": "Says it has no plans to replace its cameras.",
    "status_as_of": "2023-02",
}


def fill_in(path, values=STILL_TO_FILL) -> None:
    lines = path.read_text("utf-8").split("\n")
    for i, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in values:
            lines[i] = f"{key}: {values[key]}"
    path.write_text("\n".join(lines), "utf-8")


def test_new_council_with_its_facts_passes_check_once_filled_in_and_builds(site):
    result = run("new", "council", "Royal Borough of Kensington and Chelsea", "--kind", "london-borough",
                 "--region", "London", "--source", SOURCE, cwd=site)
    assert result.returncode == 0, result.stderr
    path = site / "content" / "councils" / "kensington-and-chelsea.yaml"
    assert result.stdout == ("Wrote content/councils/kensington-and-chelsea.yaml\n"
                             "Still to fill in: status, status_summary, status_as_of. Then run 'make check'.\n")
    text = path.read_text("utf-8")
    assert text.startswith(header("content/councils/kensington-and-chelsea.yaml", "council") + "\n")
    # Nothing made up is publishable: the status and its summary are the editor's to write.
    check = run("check", cwd=site)
    assert check.returncode == 1
    assert errors(check.stderr) == [
        "content/councils/kensington-and-chelsea.yaml:6:9: error: fill in 'status': it still holds the "
        "placeholder '<choose a status>'",
        "content/councils/kensington-and-chelsea.yaml:7:17: error: fill in 'status_summary': it still holds the "
        "placeholder '<one sentence: what the council has said or done, as the source reports it>'",
        "content/councils/kensington-and-chelsea.yaml:8:15: error: fill in 'status_as_of': it still holds the "
        "placeholder '<the date the status is as of>'",
    ]
    assert run("build", cwd=site).returncode == 1
    fill_in(path)
    check = run("check", cwd=site)
    assert check.returncode == 0, check.stderr
    assert run("build", cwd=site).returncode == 0
    page = (site / "build" / "councils" / "kensington-and-chelsea" / "index.html").read_text("utf-8")
    assert "Royal Borough of Kensington and Chelsea" in page


def test_new_council_leaves_what_only_the_editor_knows_for_check_to_point_at(site):
    result = run("new", "council", "Gravesham Borough Council", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Still to fill in: kind, region, status, status_summary, status_as_of, status_source." in result.stdout
    check = run("check", cwd=site)
    assert check.returncode == 1
    assert [e.split(": error: ")[1].split(":")[0] for e in errors(check.stderr)] == [
        f"fill in '{field}'" for field in ("kind", "region", "status", "status_summary", "status_as_of",
                                           "status_source")]
    assert errors(check.stderr)[0] == ("content/councils/gravesham.yaml:4:7: error: fill in 'kind': it still holds "
                                       "the placeholder '<choose a kind>'")
    path = site / "content" / "councils" / "gravesham.yaml"
    fill_in(path, STILL_TO_FILL | {"kind": "district", "region": "South East", "status_source": SOURCE})
    check = run("check", cwd=site)
    assert check.returncode == 0, check.stderr


def test_a_name_full_of_yaml_syntax_is_written_safely(site):
    name = 'St. Helens: "Council" #1 - yes'
    result = run("new", "council", name, "--slug", "st-helens", "--kind", "other", "--region", "North West",
                 "--source", SOURCE, cwd=site)
    assert result.returncode == 0, result.stderr
    fill_in(site / "content" / "councils" / "st-helens.yaml")
    assert run("build", cwd=site).returncode == 0
    assert "St. Helens: &#34;Council&#34; #1 - yes" in (site / "build" / "councils" / "st-helens" / "index.html").read_text()


@pytest.mark.parametrize("name, slug", [
    ("Dover District Council", "dover"), ("Kent County Council", "kent-county-council"),
    ("City of Edinburgh Council", "edinburgh"), ("Shetland Islands Council", "shetland"),
    ("Dudley Metropolitan Borough Council", "dudley"), ("Ynys Môn Council", "ynys-mon"),
    ("Southend-on-Sea City Council", "southend-on-sea"),
])
def test_council_file_names_follow_the_sites_convention(name, slug):
    assert council_slug(name) == slug


def test_new_never_overwrites(site):
    medway = site / "content" / "councils" / "medway.yaml"
    before = medway.read_bytes()
    result = run("new", "council", "Medway Council", cwd=site)
    assert result.returncode == 2
    assert result.stderr == ("python -m generator: error: content/councils/medway.yaml already exists: edit it, "
                             "or pass --slug to choose another file name\n")
    assert medway.read_bytes() == before
    result = run("new", "article", "Anything", "--id", SOURCE, cwd=site)
    assert result.returncode == 2
    assert "already exists: edit it, or pass --id to choose another file name" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--region", "South Est"], "unknown region 'South Est' (did you mean 'South East'?)"),
    (["--kind", "parish"], "unknown kind 'parish' (expected one of: county, district"),
    (["--source", "localgov-2023-02-kent"], "unknown source 'localgov-2023-02-kent': no content/articles/"
                                            "localgov-2023-02-kent.md (did you mean 'localgov-2023-02-kent-councils'?)"),
    (["--slug", "../../etc/evil"], "cannot use '../../etc/evil' as a file name"),
])
def test_new_council_refuses_bad_options_and_writes_nothing(site, args, message):
    before = sorted(p.name for p in (site / "content" / "councils").iterdir())
    result = run("new", "council", "Swale Borough Council", *args, cwd=site)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (site / "content" / "councils").iterdir()) == before
    assert not (site.parent / "etc").exists()


def test_a_name_without_letters_needs_a_slug(site):
    result = run("new", "council", "???", cwd=site)
    assert result.returncode == 2
    assert "pass --slug" in result.stderr


def test_new_article_with_its_facts_passes_check(site):
    result = run("new", "article", "Council to replace Chinese-made CCTV", "--publisher", "BBC News",
                 "--date", "2024-01-15", "--url", "https://www.bbc.co.uk/news/x", "--summary",
                 "The council says it will replace its cameras [@fac-2021-07-never-again].", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Wrote content/articles/bbc-news-2024-01-council-to-replace-chinese-made-cctv.md\n"
    check = run("check", cwd=site)
    assert check.returncode == 0, check.stderr


def test_new_article_leaves_publisher_date_and_summary_to_fill_in(site):
    result = run("new", "article", "Just a headline", cwd=site)
    assert result.returncode == 0
    assert "Still to fill in: publisher, date, the summary." in result.stdout
    assert errors(run("check", cwd=site).stderr) == [
        "content/articles/just-a-headline.md:3:11: error: expected text, found nothing",
        "content/articles/just-a-headline.md:5:6: error: expected a date (YYYY-MM-DD, YYYY-MM or YYYY), found nothing",
        "content/articles/just-a-headline.md:9:1: error: the article needs a summary below the front matter",
    ]


@pytest.mark.parametrize("args, message", [
    (["--date", "21/02/2023"], "--date '21/02/2023' is not a date"),
    (["--url", "javascript:alert(1)"], "--url 'javascript:alert(1)' is not a web address"),
])
def test_new_article_refuses_bad_options(site, args, message):
    result = run("new", "article", "A headline", *args, cwd=site)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (site / "content" / "articles" / "a-headline.md").exists()


def test_check_prints_problems_as_json_for_tools(site):
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text().replace("status: paused", "status: pausd"))
    result = run("check", "--format", "json", cwd=site)
    assert result.returncode == 1
    assert result.stderr == ""
    problems = json.loads(result.stdout)
    assert problems == [{"file": "content/councils/medway.yaml", "line": 4, "column": 9, "severity": "error",
                         "message": "unknown status 'pausd' (did you mean 'paused'?)"}]


def test_json_paths_are_as_the_user_can_open_them(site):
    (site / "content" / "councils" / "medway.yaml").write_text("name: [\n")
    result = run("check", "--format", "json", "--site", "site", cwd=site.parent)
    assert result.returncode == 1
    [problem] = json.loads(result.stdout)
    assert set(problem) == {"file", "line", "column", "message", "severity"}
    assert (problem["file"], problem["line"], problem["column"]) == ("site/content/councils/medway.yaml", 1, 7)


def test_a_clean_check_prints_no_json_errors(site):
    result = run("check", "--format", "json", cwd=site)
    assert result.returncode == 0
    assert [p for p in json.loads(result.stdout) if p["severity"] == "error"] == []

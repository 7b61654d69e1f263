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


def test_a_rebuild_on_a_later_day_warns_of_what_has_gone_stale(site):
    """Nothing changed on disk, but the day did: the build cache must not replay yesterday's silence."""
    assert "warning" not in run("build", cwd=site).stderr
    later = run("build", cwd=site, env={"SOURCE_DATE_EPOCH": "1867017600"})  # 2029-03-01
    assert later.returncode == 0, later.stderr
    stale = [line for line in later.stderr.splitlines() if ": warning: last reviewed " in line]
    assert len(stale) == 3, later.stderr


def test_check_summary_counts_the_warnings(site):
    assert run("check", cwd=site).stdout.rstrip().endswith(": no errors")
    council = site / "content/councils/medway.yaml"
    council.write_text(council.read_text().replace("last_reviewed: 2026-11-21", "last_reviewed: 2020-01-31")
                       + "notes: |\n  The council spent £120,000 on new cameras.\n")
    result = run("check", cwd=site)
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith(": no errors, 2 warnings"), result.stdout


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


QUOTE = ("quotes:\n  - text: We have paused.\n    speaker: Councillor Jane Smith (Ward #3, Rochester)\n"
         "    source: localgov-2023-02-kent-councils\n")


def test_a_hash_that_cuts_a_value_short_is_a_warning(site):
    council = site / "content/councils/medway.yaml"
    council.write_text(council.read_text() + QUOTE)
    line = len(council.read_text().splitlines()) - 1
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert warning_lines(result.stderr) == [
        f"content/councils/medway.yaml:{line}:42: warning: only 'Councillor Jane Smith (Ward' is kept: YAML reads "
        "' #' and what follows as a comment; to keep '#3, Rochester)', put the whole value in double quotes"]


def test_a_hash_in_front_matter_is_placed_in_the_file(site):
    article = site / "content/articles/localgov-2023-02-kent-councils.md"
    article.write_text(article.read_text().replace("author: William Eichler", "author: William Eichler #LGC"))
    line = article.read_text().splitlines().index("author: William Eichler #LGC") + 1
    assert warning_lines(run("check", cwd=site).stderr) == [
        f"content/articles/localgov-2023-02-kent-councils.md:{line}:25: warning: only 'William Eichler' is kept: "
        "YAML reads ' #' and what follows as a comment; to keep '#LGC', put the whole value in double quotes"]


def test_comments_written_on_purpose_do_not_warn(site):
    council = site / "content/councils/medway.yaml"
    council.write_text(council.read_text().replace("kind: unitary", "kind: unitary   # since 1998")
                       + "# a comment on its own line\n"
                       + QUOTE.replace("Councillor Jane Smith (Ward #3, Rochester)",
                                       '"Councillor Jane Smith (Ward #3, Rochester)" # quoted')
                       + "notes: |   # Markdown\n  Paused [@localgov-2023-02-kent-councils]. # not a comment here\n")
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert warning_lines(result.stderr) == []
    assert "Ward #3, Rochester" in (site / "build/councils/medway/index.html").read_text()


def test_a_new_council_skeleton_has_no_comment_warnings(site):
    made = run("new", "council", "Swale Borough Council", "--kind", "district", "--region", "South East",
               "--source", "localgov-2023-02-kent-councils", cwd=site)
    assert made.returncode == 0, made.stderr
    assert "#" in (site / "content/councils/swale.yaml").read_text()
    assert not [line for line in warning_lines(run("check", cwd=site).stderr) if "comment" in line]


def test_likely_slips_are_warnings(site):
    """With the clock pinned at 2026-12-01: a date to come, HTML in plain text, and a review older
    than the newest source the council cites."""
    council = site / "content/councils/medway.yaml"
    text = (council.read_text()
            .replace("status_as_of: 2023-02", "status_as_of: 2027-02")
            .replace("Has paused installing", "Has <b>paused</b> installing")
            + "quotes:\n  - text: We have paused.\n    speaker: A spokesperson\n    date: 2026-12\n"
              "    source: kentonline-2026-11-medway\n")
    council.write_text(text)
    (site / "content/articles/kentonline-2026-11-medway.md").write_text(
        "---\ntitle: Medway pauses cameras\npublisher: KentOnline\ndate: 2026-11-25\n---\nMedway paused.\n")
    lines = text.splitlines()

    def at(prefix: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if line.lstrip(" -").startswith(prefix))

    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert warning_lines(result.stderr) == [
        "content/articles/kentonline-2026-11-medway.md:6:1: warning: the summary is 2 words long; summaries are "
        "80 to 200 words: say what the article reports and why it matters",
        f"content/councils/medway.yaml:{at('status_summary')}:21: warning: 'status_summary' contains the HTML tag "
        "'<b>', which readers would see as typed: this field is plain text; remove the tag",
        f"content/councils/medway.yaml:{at('status_as_of')}:15: warning: the date 2027-02 is in the future "
        "(today is 2026-12-01): check it",
        f"content/councils/medway.yaml:{at('last_reviewed')}:16: warning: last reviewed 2026-11-21, before the "
        "newest source it cites ('kentonline-2026-11-medway', 2026-11-25): check the entry against it, "
        "then update last_reviewed",
    ]
    assert "&lt;b&gt;paused" in (site / "build/councils/medway/index.html").read_text()


def test_long_quotes_and_summaries_of_the_wrong_length_are_warnings_at_their_place(site):
    """Editorial limits that `check` shows editors: a quote of at most 40 words, an article
    summary of 80 to 200 words. The site still builds."""
    council = site / "content/councils/medway.yaml"
    council.write_text(council.read_text() + "quotes:\n  - text: " + " ".join(["word"] * 41) + "\n"
                       "    speaker: A spokesperson\n    source: localgov-2023-02-kent-councils\n"
                       "  - text: " + " ".join(["word"] * 40) + "\n"
                       "    speaker: A spokesperson\n    source: localgov-2023-02-kent-councils\n")
    quote_line = council.read_text().splitlines().index("quotes:") + 2
    article = site / "content/articles/fac-2021-07-never-again.md"
    head, _, _ = article.read_text().partition("\n---\n")
    article.write_text(head + "\n---\n\n\n" + " ".join(["word"] * 201) + "\n")
    body_line = head.count("\n") + 5  # the closing ---, then two blank lines
    result = run("check", cwd=site)
    assert result.returncode == 0, result.stderr
    assert warning_lines(result.stderr) == [
        f"content/articles/fac-2021-07-never-again.md:{body_line}:1: warning: the summary is 201 words long; "
        "summaries are 80 to 200 words: shorten it",
        f"content/councils/medway.yaml:{quote_line}:11: warning: this quote is 41 words long; quotes are at most "
        "40 words: keep the words that matter, marking each cut with '...'",
    ]
    assert result.stdout.endswith("no errors, 2 warnings\n")


def test_a_template_error_still_shows_the_content_warnings(site):
    """Editors fixing a broken template should not lose sight of what `check` warned about."""
    council = site / "content/councils/medway.yaml"
    council.write_text(council.read_text().replace("last_reviewed: 2026-11-21", "last_reviewed: 2020-01-31"))
    page = site / "templates" / "page.html"
    page.write_text(page.read_text().replace("{% block content %}", "{% block content %}{{ page.title + 1 }}", 1))
    for command in ("check", "build"):
        result = run(command, cwd=site)
        assert result.returncode == 1
        assert "templates/page.html:" in result.stderr and ": error: template error: " in result.stderr
        assert "content/councils/medway.yaml:" in result.stderr and "warning: last reviewed" in result.stderr, \
            result.stderr

"""Links from the content to the site's own pages and anchors are checked by `check` and `build`,
at their place in the content file, before anything is written."""

from __future__ import annotations

import pytest

from conftest import run
from test_errors import error_lines

TONBRIDGE = "content/councils/tonbridge-and-malling.yaml"


def with_notes(site, notes: str) -> int:
    """Replace Tonbridge's methodology link with `notes`; returns the line it is on."""
    council = site / TONBRIDGE
    text = council.read_text().replace("See the [methodology](/about/) for how figures are counted.", notes)
    council.write_text(text)
    return text.splitlines().index("  " + notes) + 1


@pytest.mark.parametrize("notes, column, message", [
    ("See [Medway](/councils/medwya/).", 16,
     "broken link '/councils/medwya/': the site has no page councils/medwya/ (did you mean '/councils/medway/'?)"),
    ("See [Medway](../medwya/).", 16,
     "broken link '../medwya/': the site has no page councils/medwya/ (did you mean '../medway/'?)"),
    ("See [the report](/sources/#fac-2021-07-never-agian).", 20,
     "broken link '/sources/#fac-2021-07-never-agian': sources/ has no anchor '#fac-2021-07-never-agian' "
     "(did you mean '#fac-2021-07-never-again'?)"),
    ("See [the page](/abuot/).", 18, "broken link '/abuot/': the site has no page abuot/ (did you mean '/about/'?)"),
    ("See [up](../../../etc/).", 12, "broken link '../../../etc/': it points outside the site"),
])
def test_a_broken_internal_link_is_an_error_where_it_is_written(site, notes, column, message):
    line = with_notes(site, notes)
    for command in ("check", "build"):
        result = run(command, cwd=site)
        assert result.returncode == 1
        assert error_lines(result.stderr) == [f"{TONBRIDGE}:{line}:{column}: error: {message}"]
    assert not (site / "build").exists()


@pytest.mark.parametrize("notes", [
    "See [Medway](/councils/medway/), [also](../medway/) and [the data](/data/councils.csv).",
    "See [the report](/sources/#fac-2021-07-never-again) and [the timeline](/timeline/).",
    "See [the home page](/) and [the top](#top) and [a site](https://example.org/nowhere/).",
])
def test_working_internal_links_pass(site, notes):
    with_notes(site, notes)
    result = run("check", cwd=site)
    assert result.returncode == 0, result.stderr


def test_links_in_pages_and_timeline_are_checked(site):
    about = site / "content/pages/about.md"
    about.write_text(about.read_text() + "\nRead the [timeline](/timline/).\n")
    about_line = len(about.read_text().splitlines())
    timeline = site / "content/timeline.yaml"
    timeline.write_text(timeline.read_text().replace(
        "barring firms such as Hikvision [@fac-2021-07-never-again].",
        "barring firms such as Hikvision [@fac-2021-07-never-again]; see [Dudley](/councils/dudly/)."))
    timeline_line = next(n for n, line in enumerate(timeline.read_text().splitlines(), 1) if "dudly" in line)
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert error_lines(result.stderr) == [
        f"content/pages/about.md:{about_line}:21: error: broken link '/timline/': the site has no page timline/ "
        "(did you mean '/timeline/'?)",
        f"content/timeline.yaml:{timeline_line}:111: error: broken link '/councils/dudly/': the site has no page "
        "councils/dudly/ (did you mean '/councils/dudley/'?)",
    ]

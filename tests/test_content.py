"""The project's own content meets the editorial rules that the validator cannot express:
quotations are the sources' exact words, stale statuses have been searched again, no research
note reaches readers and every source is used. (The lengths of quotes and summaries are
`check` warnings; the real content is held to having none.)

Where the words of a source are stored: each article may list `excerpts:` in its front matter,
exact passages copied from the original. Every quotation of an article that has excerpts must
appear in them; every article quoted in a council's `quotes:` must have them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from conftest import ROOT, run
from generator import clock
from generator.backlinks import cited_by
from generator.build import Options, check_site
from generator.cache import BuildCache
from generator.markdown import citation_positions

# A reader-facing sentence must not describe our research process (issue 17, point 3).
NOTE_PHRASES = re.compile(
    r"stored (?:copy|page|text)|copy we (?:saw|read)|text we hold|available to us|we have (?:not )?seen|we ignore|"
    r"\bplaceholders?\b|page clutter|heading tidied|in the index|search tool", re.IGNORECASE)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00a0": " "})
_QUOTED = re.compile(r'"([^"\n]+)"')
_ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.|\u2026)\s*")


@pytest.fixture(scope="module")
def site():
    return check_site(ROOT, clock.today(), Options(jobs=2), BuildCache(None)).site


@pytest.fixture(scope="module")
def excerpts() -> dict[str, str]:
    """Article id → its stored excerpts, normalised, joined (articles without any are absent)."""
    found = {}
    for path in sorted((ROOT / "content" / "articles").glob("*.md")):
        front = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
        if front.get("excerpts"):
            found[path.stem] = "\n".join(_normal(text) for text in front["excerpts"])
    return found


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _fragments(quotation: str) -> list[str]:
    """The parts of a quotation between ellipses, without the sentence's own end punctuation."""
    parts = _ELLIPSIS.split(_normal(quotation))
    return [p.strip(" .,;:") for p in parts if p.strip(" .,;:")]


def _found(quotation: str, stored: str) -> bool:
    return all(part.lower() in stored.lower() for part in _fragments(quotation))


def _sentences(text: str):
    """(sentence, ids it cites) for each sentence; one citing nothing takes its paragraph's ids."""
    for paragraph in re.split(r"\n\s*\n|\n(?=[-*] |\d+\. )", text):  # list items are paragraphs too
        cited_here = [ident for ident, *_ in citation_positions(paragraph)]
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z*\[(])", paragraph):
            yield sentence, [ident for ident, *_ in citation_positions(sentence)] or cited_here


def _prose(site):
    """(where, Markdown text, ids it belongs to) for every reader-facing piece of prose."""
    for c in site.councils:
        if c.notes:
            yield f"{c.slug} notes", c.notes.text, ()
        for e in c.events:
            if e.summary:
                yield f"{c.slug} event {e.title!r}", e.summary.text, e.sources
    for e in site.timeline:
        if e.council is None and e.summary:
            yield f"timeline {e.title!r}", e.summary.text, e.sources
    for a in site.articles.values():
        yield f"article {a.id}", a.summary.text, (a.id,)
    for page in (*site.pages, site.home):
        yield f"page {page.slug}", page.body.text, ()


def test_the_real_site_checks_without_errors_or_editorial_warnings():
    """`check` warns of quotes over 40 words and summaries outside 80-200 words; the published
    content has none (the site may still warn of placeholders in site.yaml)."""
    result = run("check", "--site", str(ROOT), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr
    assert [line for line in result.stderr.splitlines() if " words long; " in line] == []


def test_every_council_quotation_is_in_the_stored_words_of_its_source(site, excerpts):
    problems = []
    for c in site.councils:
        for q in c.quotes:
            stored = excerpts.get(q.source)
            if stored is None:
                problems.append(f"{c.slug}: {q.source} has no excerpts to check {q.text!r} against")
            elif not _found(q.text, stored):
                problems.append(f"{c.slug}: {q.text!r} is not in the excerpts of {q.source}")
    assert problems == []


def test_a_quotation_cut_short_mid_sentence_ends_with_an_ellipsis(site, excerpts):
    problems = []
    for c in site.councils:
        for q in c.quotes:
            stored, text = excerpts.get(q.source, ""), _normal(q.text)
            last = _fragments(text)[-1] if _fragments(text) else ""
            at = stored.lower().find(last.lower())
            if at < 0 or text.endswith(("...", "\u2026")):
                continue
            after = stored[at + len(last):at + len(last) + 2]
            if after[:1] not in (".", "!", "?", '"', "'", "") and not after.startswith(("\n", ' "', " '")):
                problems.append(f"{c.slug}: {q.text!r} stops mid-sentence in {q.source} without an ellipsis")
    assert problems == []


def test_quoted_phrases_in_prose_are_in_the_stored_words_of_a_cited_source(site, excerpts):
    problems, checked = [], 0
    for where, text, own in _prose(site):
        for sentence, cited in _sentences(text):
            sources = set(own) | set(cited)
            if not sources or not sources <= excerpts.keys():
                continue  # a source without stored words may be the one quoted: nothing to check against
            for quotation in _QUOTED.findall(_normal(sentence)):
                checked += 1
                if not any(_found(quotation, excerpts[i]) for i in sources):
                    problems.append(f"{where}: \"{quotation}\" is in none of {sorted(sources)}")
    assert problems == []
    assert checked >= 40  # the check reaches the quotations it exists for


def test_no_research_notes_in_reader_facing_text(site):
    texts = []
    for c in site.councils:
        texts += [(c.slug, c.status_summary), (c.slug, c.notes.text if c.notes else "")]
        texts += [(c.slug, c.cameras.note or "")] if c.cameras else []
        texts += [(c.slug, e.title + " " + (e.summary.text if e.summary else "")) for e in c.events]
    texts += [(f"timeline {e.title!r}", e.summary.text if e.summary else "") for e in site.timeline]
    for a in site.articles.values():
        texts += [(a.id, a.title), (a.id, a.summary.text), (a.id, a.date_note or ""), (a.id, a.publisher)]
    texts += [(p.slug, p.body.text) for p in site.pages] + [("home", site.home.body.text)]
    found = [(where, m[0]) for where, text in texts for m in [NOTE_PHRASES.search(text)] if m]
    assert found == []


def test_every_status_older_than_the_limit_has_been_searched_again(site):
    """A status older than `status_max_age_days` (the generator warns about each) has a change
    log entry for its council dated after the status: a newer finding or a 'checked' record."""
    changes = yaml.safe_load((ROOT / "content" / "changelog.yaml").read_text("utf-8"))
    latest: dict[str, str] = {}
    for change in changes:
        when = str(change["date"])
        if change.get("council") and when > latest.get(change["council"], ""):
            latest[change["council"]] = when
    today = clock.today()
    limit = site.config.status_max_age_days
    missing = []
    for c in site.councils:
        as_of = date(c.status_as_of.year, c.status_as_of.month or 1, c.status_as_of.day or 1)
        if (today - as_of).days > limit and latest.get(c.slug, "") <= c.status_as_of.iso:
            missing.append(f"{c.slug} (status as of {c.status_as_of.iso})")
    assert missing == []


def test_change_log_entries_name_real_councils_and_sources(site):
    changes = yaml.safe_load((ROOT / "content" / "changelog.yaml").read_text("utf-8"))
    slugs = {c.slug for c in site.councils}
    for change in changes:
        assert change["kind"] in ("status", "correction", "addition", "update", "checked"), change
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(change["date"])), change
        assert change.get("council") is None or change["council"] in slugs, change
        for ident, *_ in citation_positions(change["summary"]):
            assert ident in site.articles, change
    assert [c for c in changes if c["kind"] == "checked" and "Searched" not in c["summary"]] == []


def test_status_summaries_say_when(site):
    """Every status summary dates its statement, so an old one never reads as current."""
    undated = [c.slug for c in site.councils if not re.search(r"\b(19|20)\d\d\b", c.status_summary)]
    assert undated == []


def test_every_article_is_cited_or_linked(site):
    citers = cited_by(site)
    for ident in site.articles:
        assert citers.get(ident), f"{ident} is never cited"

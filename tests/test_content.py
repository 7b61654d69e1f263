"""The project's own content meets the editorial rules: sourced, short quotes, resolvable."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, run
from generator.build import Builder


@pytest.fixture(scope="module")
def site():
    return Builder(ROOT, cache=False).check().site


def words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def test_the_real_site_checks_without_errors():
    result = run("check", "--site", str(ROOT), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr


def test_every_council_cites_an_article_that_exists(site):
    for council in site.councils:
        assert council.citations, f"{council.slug} cites nothing"
        for ident in council.citations:
            assert ident in site.articles, f"{council.slug} cites unknown {ident}"


def test_every_event_and_quote_is_sourced(site):
    for event in site.timeline:
        assert event.sources and all(s in site.articles for s in event.sources), event.title
    for council in site.councils:
        for quote in council.quotes:
            assert quote.source in site.articles, f"{council.slug}: quote without a source"


def test_quotes_are_short(site):
    for council in site.councils:
        for quote in council.quotes:
            assert words(quote.text) <= 40, f"{council.slug}: a quote of {words(quote.text)} words"


def test_no_camera_count_or_contract_value_without_a_source(site):
    for council in site.councils:
        if council.cameras and (council.cameras.total is not None or council.cameras.hikvision is not None):
            assert council.cameras.source in site.articles, council.slug
        for spend in council.spend:
            assert spend.source in site.articles, council.slug


def test_article_summaries_are_80_to_200_words(site):
    for article in site.articles.values():
        assert 80 <= words(article.summary.text) <= 200, f"{article.id}: {words(article.summary.text)} words"


def test_every_article_is_cited_or_linked(site):
    for ident in site.articles:
        assert site.backlinks.get(ident), f"{ident} is never cited"

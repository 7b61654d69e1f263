"""What cites each source is worked out by rendering, from a model that is plain data."""

from __future__ import annotations

import json
import pickle

import pytest

from conftest import FIXTURE
from generator import clock
from generator.backlinks import cited_by
from generator.build import Options, check_site
from generator.cache import BuildCache


@pytest.fixture(scope="module")
def model():
    return check_site(FIXTURE, clock.today(), Options(), BuildCache(None)).site


def test_the_site_model_is_plain_data_that_survives_pickling(model):
    """Nothing in it waits to be worked out later: it can be cached or sent to another process."""
    assert pickle.loads(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)) == model


def test_an_article_lists_the_councils_citing_it_by_name_then_the_events_in_timeline_order(model):
    citers = cited_by(model)["localgov-2023-02-kent-councils"]
    kinds = [c.kind for c in citers]
    assert kinds == sorted(kinds, key=lambda kind: kind != "council")  # councils first
    councils = [c.label for c in citers if c.kind == "council"]
    assert councils == sorted(councils) and {"Medway Council", "Tonbridge and Malling Borough Council"} <= set(councils)
    anchors = [e.anchor for e in model.timeline]
    events = [c.path.split("#")[1] for c in citers if c.kind == "event"]
    assert events and events == sorted(events, key=anchors.index)
    assert set(cited_by(model)) <= set(model.articles)


def test_the_sources_page_and_the_downloads_list_the_same_citers(built, model):
    citers = cited_by(model)
    records = json.loads((built / "data" / "sources.json").read_text("utf-8"))
    base = model.config.base_url
    assert {r["id"]: [c["url"] for c in r["cited_by"]] for r in records} == {
        ident: [base + c.path for c in citers.get(ident, ())] for ident in model.articles}
    page = (built / "sources" / "index.html").read_text("utf-8")
    for citer in citers["localgov-2023-02-kent-councils"]:
        assert f'<a href="../{citer.path}">' in page

"""One slug rule for file names made by `new council` and for the timeline's #anchors."""

from __future__ import annotations

import pytest

from conftest import run
from generator.slugs import SLUG_RE, slugify
from inprocess import cli

NAMES = [
    ("Ynys Môn", "ynys-mon"),
    ("Bro Morgannwg", "bro-morgannwg"),
    ("Comhairle nan Eilean Siar", "comhairle-nan-eilean-siar"),
    ("Barking & Dagenham", "barking-and-dagenham"),
    ("Brighton&Hove", "brighton-and-hove"),
    ("King's Lynn", "king-s-lynn"),
    ("King\u2019s Lynn", "king-s-lynn"),
    ("  Gwynedd -- Cyngor  ", "gwynedd-cyngor"),
    ("Ynys Môn\u2014Anglesey", "ynys-mon-anglesey"),
    ("Straße Ærø", "strasse-aero"),
]


@pytest.mark.parametrize("text, slug", NAMES)
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert SLUG_RE.match(slug)


def test_text_without_ascii_letters_has_no_slug():
    assert slugify("中文 — ’") == ""


def test_new_council_and_the_timeline_spell_a_welsh_name_alike(site):
    """`new council` names the file after the council; the event anchors on the timeline are
    made by the same rule, so an editor sees one spelling of 'Ynys Môn' in both."""
    result = run("new", "council", "Ynys Môn", "--kind", "unitary", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "content" / "councils" / "ynys-mon.yaml").is_file()
    (site / "content" / "councils" / "ynys-mon.yaml").unlink()
    timeline = site / "content" / "timeline.yaml"
    timeline.write_text(timeline.read_text("utf-8") + (
        "- date: 2024-05\n"
        "  title: Ynys Môn & Bro Morgannwg review their cameras\n"
        "  summary: Both councils said so [@fac-2021-07-never-again].\n"
        "  sources: [fac-2021-07-never-again]\n"), "utf-8")
    out = site.parent / "out"
    result = cli("build", "--site", str(site), "--out", str(out), "--no-cache")
    assert result.returncode == 0, result.stderr
    page = (out / "timeline" / "index.html").read_text("utf-8")
    assert 'id="2024-05-ynys-mon-and-bro-morgannwg-review-their-cameras"' in page

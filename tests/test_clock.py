"""The day a build is made on is read once, by the CLI (generator/clock.py), and passed in: the
library takes it as an argument, so the same input and day give the same site in any process."""

from __future__ import annotations

import datetime

import pytest

from generator import clock
from generator.build import Options, build, check_site
from generator.cache import BuildCache
from generator.scaffold import new_council
from inprocess import cli


@pytest.fixture
def readings(monkeypatch):
    """How often the clock is read; the day it gives is the pinned one."""
    count = []
    real = clock.today

    def counted() -> datetime.date:
        count.append(1)
        return real()

    monkeypatch.setattr(clock, "today", counted)
    return count


@pytest.mark.parametrize("command", ["build", "check"])
def test_the_cli_reads_the_clock_once_a_run(site, readings, command):
    assert cli(command, "--site", str(site), "--no-cache").returncode == 0
    assert len(readings) == 1


def test_the_library_measures_ages_from_the_day_it_is_given(site):
    """Nothing in the build reads the clock itself: given 2030-01-01, every status is old;
    given 1 June 2024, only Dudley's June 2021 one; whatever SOURCE_DATE_EPOCH says."""
    later = check_site(site, datetime.date(2030, 1, 1), Options(), BuildCache(None)).site
    assert later.today == datetime.date(2030, 1, 1)
    assert later.stale == {c.slug for c in later.councils}
    out = site.parent / "out"
    build(site, out, datetime.date(2030, 1, 1), Options(), BuildCache(None))
    assert "Over two years old (3)" in (out / "councils" / "index.html").read_text("utf-8")
    assert check_site(site, datetime.date(2024, 6, 1), Options(), BuildCache(None)).site.stale == {"dudley"}


def test_new_council_is_reviewed_on_the_day_it_is_given(site):
    made = new_council(site, datetime.date(2031, 2, 3), "Ynys Môn", kind="unitary")
    assert "last_reviewed: 2031-02-03" in made.path.read_text("utf-8")

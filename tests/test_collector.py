"""The generator leaves the garbage collector as its caller had it: a test, or a program that
imports the generator, keeps its own setting."""

from __future__ import annotations

import gc

import pytest

from generator import parallel
from inprocess import cli


@pytest.fixture
def collector_state():
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    (gc.enable if enabled else gc.disable)()
    if gc.get_freeze_count() and not frozen:
        gc.unfreeze()


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("args", [("check",), ("build", "--jobs", "2"), ("build", "--site", "/nowhere")])
def test_the_cli_run_in_process_restores_the_collector(site, collector_state, enabled, args):
    (gc.enable if enabled else gc.disable)()
    args = args if "--site" in args else (*args, "--site", str(site), "--no-cache")
    cli(*args)
    assert gc.isenabled() is enabled


def _double(chunk):
    return [x * 2 for x in chunk]


def test_forking_work_out_leaves_nothing_frozen(collector_state):
    assert gc.get_freeze_count() == 0
    assert parallel.shared_map(_double, [[1], [2], [3]], jobs=2) == [[2], [4], [6]]
    assert gc.get_freeze_count() == 0


def test_a_preview_rebuild_restores_the_collector(site, collector_state):
    from generator.serve import Preview

    gc.disable()
    preview = Preview(site, site.parent / "out", str(site))
    preview.rebuild()
    assert (site.parent / "out" / "index.html").is_file()
    assert not gc.isenabled()

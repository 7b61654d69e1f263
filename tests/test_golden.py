"""Golden output: the fixture site builds to exactly the files recorded in tests/golden/minimal.sha256.
An intended change of output is recorded with `make golden` (see tests/golden.py)."""

from __future__ import annotations

import difflib

from golden import GOLDEN, manifest


def test_the_fixture_site_builds_exactly_the_golden_output(built):
    expected = GOLDEN.read_text("utf-8").splitlines()
    actual = manifest(built)
    diff = "\n".join(difflib.unified_diff(expected, actual, "tests/golden/minimal.sha256", "this build",
                                          lineterm="", n=0))
    assert actual == expected, ("the output changed; if that is intended, run `make golden`, read the diff "
                                "and commit it:\n" + diff)

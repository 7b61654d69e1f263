"""The build cache on its own: what one process saves, the next one reads back; a damaged or
foreign cache is as good as none."""

from __future__ import annotations

import pytest

from generator import cache as cache_module
from generator.cache import BuildCache


def opened(folder):
    return BuildCache(folder, saved=("state", "results"))


def test_values_come_back_in_the_next_process(tmp_path):
    first = opened(tmp_path)
    first.put("state", "manifest", {"index.html": (10, 20)})
    first.put("results", "k1", "<tr><th>Ynys Môn</th></tr>")
    first.put("results", "k2", "plain")
    first.save()
    second = opened(tmp_path)
    assert second.get("state", "manifest") == {"index.html": (10, 20)}
    assert second.get("results", "k1") == "<tr><th>Ynys Môn</th></tr>"
    assert second.get("results", "k2") == "plain"
    assert second.get("results", "k3") is None


def test_values_are_appended_and_what_is_no_longer_kept_is_forgotten(tmp_path):
    first = opened(tmp_path)
    for n in range(50):
        first.put("results", f"k{n}", f"text {n}")
    first.save()
    files = sorted(p.name for p in tmp_path.glob("results-*"))
    second = opened(tmp_path)
    second.keep("results", [f"k{n}" for n in range(10)] + ["new"])
    second.put("results", "new", "a new text")
    second.save()
    assert sorted(p.name for p in tmp_path.glob("results-*")) == files  # appended, not rewritten
    third = opened(tmp_path)
    assert [third.get("results", f"k{n}") for n in (0, 9, 10, 49)] == ["text 0", "text 9", None, None]
    assert third.get("results", "new") == "a new text"


def test_a_mostly_unused_data_file_is_written_afresh(tmp_path):
    first = opened(tmp_path)
    first.put("results", "big", "x" * 3_000_000)
    first.put("results", "small", "kept")
    first.save()
    before = {p.name for p in tmp_path.glob("results-*")}
    second = opened(tmp_path)
    second.keep("results", ["small"])
    second.save()
    after = list(tmp_path.glob("results-*"))
    assert len(after) == 1 and after[0].name not in before and after[0].stat().st_size < 100
    assert opened(tmp_path).get("results", "small") == "kept"


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_reads_as_empty(tmp_path, damage):
    first = opened(tmp_path)
    first.put("state", "keys", {"a": "b"})
    first.put("results", "k", "text")
    first.save()
    for path in tmp_path.iterdir():
        path.write_bytes(damage)
    again = opened(tmp_path)
    assert again.get("state", "keys") is None and again.get("results", "k") is None


def test_a_cache_saved_by_other_code_is_ignored(tmp_path, monkeypatch):
    first = opened(tmp_path)
    first.put("results", "k", "text")
    first.save()
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another version of the generator")
    assert opened(tmp_path).get("results", "k") is None


def test_a_value_put_again_is_appended_and_replaces_the_saved_one(tmp_path):
    first = opened(tmp_path)
    first.put("state", "manifest", {"index.html": (10, 20)})
    first.put("state", "out", "/srv/site")
    first.save()
    files = sorted(p.name for p in tmp_path.glob("state-*"))
    second = opened(tmp_path)
    second.put("state", "manifest", {"index.html": (11, 21)})
    second.save()
    assert sorted(p.name for p in tmp_path.glob("state-*")) == files  # appended, not rewritten
    third = opened(tmp_path)
    assert third.get("state", "manifest") == {"index.html": (11, 21)} and third.get("state", "out") == "/srv/site"


def test_the_last_of_two_builds_saving_at_once_is_the_one_kept(tmp_path):
    """Two builds read the same cache (the preview and a build from the command line): the
    second to save finds the file grown under it, and writes its own instead of appending."""
    first = opened(tmp_path)
    first.put("state", "manifest", "first")
    first.save()
    one, two = opened(tmp_path), opened(tmp_path)
    assert one.get("state", "manifest") == two.get("state", "manifest") == "first"
    one.put("state", "keys", "from one")
    one.save()
    two.put("state", "keys", "from two")
    two.save()
    last = opened(tmp_path)
    assert last.get("state", "keys") == "from two" and last.get("state", "manifest") == "first"
    assert len(list(tmp_path.glob("state-*"))) == 1

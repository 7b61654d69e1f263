"""The build cache must see every edit, even one that keeps the file's size and whose
modification time is put back afterwards (as some editors, `git checkout` and rsync do)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import run, snapshot
from generator.load import RACY_NS


def same_size_edit_with_mtime_restored(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    st = path.stat()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def build(site: Path) -> str:
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    return result.stdout


def page(site: Path) -> str:
    return (site / "build" / "councils" / "dudley" / "index.html").read_text()


def test_same_size_edit_with_restored_mtime_is_rebuilt(site):
    council = site / "content" / "councils" / "dudley.yaml"
    build(site)
    assert "Dudley Metropolitan" in page(site)
    same_size_edit_with_mtime_restored(council, "Dudley Metropolitan", "Dudley Metropolitax")
    assert "(no changes)" not in build(site)
    assert "Dudley Metropolitax" in page(site)


@pytest.mark.slow
def test_same_size_edit_is_seen_even_when_the_cache_trusts_the_stamps(site):
    """Once the files are older than the racy window, the cache skips reading them: only the
    change time still shows the edit."""
    council = site / "content" / "councils" / "dudley.yaml"
    time.sleep(RACY_NS / 1e9 + 0.2)
    build(site)
    assert "(no changes)" in build(site)  # the stamps were trusted: nothing was read
    same_size_edit_with_mtime_restored(council, "Dudley Metropolitan", "Dudley Metropolitax")
    assert "(no changes)" not in build(site)
    assert "Dudley Metropolitax" in page(site)


@pytest.mark.slow
def test_files_remembered_by_their_stamps_are_read_again_when_they_must_be_checked_again(site, tmp_path):
    """A build remembers the files it need not read again by their stamps, without their bytes.
    When site.yaml changes, every file is checked again against it, so each is read again: the
    output is a clean build's."""
    time.sleep(RACY_NS / 1e9 + 0.2)
    build(site)
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("label: Removed", "label: Taken down", 1))
    build(site)
    clean = run("build", "--no-cache", "--out", str(tmp_path / "clean"), cwd=site)
    assert clean.returncode == 0, clean.stderr
    assert snapshot(site / "build") == snapshot(tmp_path / "clean")
    assert "Taken down" in (site / "build" / "councils" / "index.html").read_text()

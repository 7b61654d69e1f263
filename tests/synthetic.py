"""Synthetic councils in bulk, for tests that need a big site (a build that takes a while)."""

from __future__ import annotations

from pathlib import Path

COUNCIL = """\
name: Synthetic Council {i}
kind: district
region: South East
status: paused
status_summary: {summary}
status_as_of: 2023-02
status_source: localgov-2023-02-kent-councils
cameras:
  total: {total}
  hikvision: {hikvision}
  source: localgov-2023-02-kent-councils
events:
  - date: 2023-02
    title: Pauses Hikvision installations ({i})
    source: localgov-2023-02-kent-councils
last_reviewed: 2026-11-01
notes: |
  Council number {i} of a synthetic site [@localgov-2023-02-kent-councils].
"""


def add_councils(site: Path, count: int, summary: str = "Paused new installations.") -> None:
    """Write `count` valid council files, citing the fixture site's articles."""
    folder = site / "content" / "councils"
    for i in range(count):
        text = COUNCIL.format(i=i, summary=summary, total=100 + i, hikvision=i % 100)
        (folder / f"synthetic-{i:05d}.yaml").write_text(text, "utf-8")

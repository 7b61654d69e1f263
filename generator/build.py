"""The pipeline on one screen: load → validate → render → write."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Diagnostics
from .load import scan
from .model import Site
from .render import environment, render_all
from .validate import check_file, link
from .write import WriteResult, write_site


@dataclass(frozen=True, slots=True)
class Outcome:
    site: Site
    files: dict[str, bytes]
    warnings: list[Diagnostic]
    written: WriteResult | None = None

    @property
    def pages(self) -> int:
        return sum(path.endswith(".html") for path in self.files)


def load_site(site_dir: Path, base_url: str | None = None) -> tuple[Site, list[Diagnostic]]:
    """Read and validate every input; raises `BuildFailed` with all errors."""
    diags = Diagnostics()
    sources = scan(site_dir, diags)
    results = [check_file(s, None) for s in sources if s.kind == "site"]
    config = results[0].value if results else None
    results += [check_file(s, config) for s in sources if s.kind != "site"]
    site, warnings = link(results, diags.items)
    if base_url:
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=base_url.rstrip("/") + "/"))
    return site, warnings


def check(site_dir: Path, base_url: str | None = None) -> Outcome:
    """Everything a build does except writing: content and templates are both checked."""
    site, warnings = load_site(site_dir, base_url)
    files = render_all(site, environment(site_dir), site_dir)
    return Outcome(site, files, warnings)


def build(site_dir: Path, out: Path, base_url: str | None = None) -> Outcome:
    outcome = check(site_dir, base_url)
    # Nothing touches the output folder until every page has rendered.
    written = write_site(outcome.files, out)
    return dataclasses.replace(outcome, written=written)

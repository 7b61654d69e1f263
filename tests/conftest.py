"""Shared helpers: throwaway copies of the fixture site, and running the CLI as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "minimal"


def copy_site(dest: Path, source: Path = FIXTURE) -> Path:
    """A writable copy of a site folder, with its own copy of the project's templates."""
    shutil.copytree(source, dest, symlinks=False, ignore=shutil.ignore_patterns("templates", "build", ".cache"))
    shutil.copytree(ROOT / "templates", dest / "templates")
    return dest


def run(*args: str, cwd: Path | None = None, timeout: float = 120,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m generator ARGS`, as a user would type it (with extra environment variables)."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env} if env else None)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def _build_once(tmp_path_factory, site: Path, name: str) -> Path:
    out = tmp_path_factory.mktemp(name) / "out"
    result = run("build", "--no-cache", "--site", str(site), "--out", str(out))  # nothing written in the source tree
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The fixture site built once for the read-only output tests."""
    return _build_once(tmp_path_factory, FIXTURE, "built")


@pytest.fixture(scope="session")
def real_built(tmp_path_factory) -> Path:
    """The project's own site (35 councils) built once for the read-only checks."""
    return _build_once(tmp_path_factory, ROOT, "real")

"""Shared helpers: throwaway copies of the fixture site, and running the CLI as a user would.

Every run of the generator, in this process or a child, sees the same day: SOURCE_DATE_EPOCH
pins the clock, so no result depends on the date the suite runs. And the suite must leave the
source tree as it found it: a file it writes there fails the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from golden import CLOCK

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "minimal"

os.environ["SOURCE_DATE_EPOCH"] = CLOCK

# Hypothesis keeps its examples and caches outside the tree, and across runs.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "hikvision-councils-hypothesis")

# Folders of installed tools and of pytest's own cache, which are not the project's sources.
NOT_SOURCES = {".git", ".venv", "node_modules", ".pytest_cache", "__pycache__"}
TREE = pytest.StashKey[dict]()


def tree_state(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """Every file of the source tree with its modification time and size."""
    state = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCES and not d.endswith(".egg-info")]
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            state[os.path.relpath(os.path.join(folder, name), root)] = (st.st_mtime_ns, st.st_size)
    return state


def pytest_sessionstart(session):
    session.config.stash[TREE] = tree_state()


def pytest_sessionfinish(session, exitstatus):
    before, after = session.config.stash[TREE], tree_state()
    touched = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if touched:
        shown = "\n  ".join(touched[:20]) + (f"\n  ... and {len(touched) - 20} more" if len(touched) > 20 else "")
        print(f"\nThe tests wrote into the source tree (they must work in temporary folders):\n  {shown}",
              file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED



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

"""The fixture site's whole output as a manifest: one `sha256  path` line per built file, the
format `sha256sum -c` reads. tests/test_golden.py compares a fresh build with the committed one.

When a change to the templates or the generator is meant to change the output, write the
manifest again on purpose and commit it with the change, after reading its diff:

    make golden
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "minimal"
GOLDEN = ROOT / "tests" / "golden" / "minimal.sha256"
CLOCK = "1796083200"  # 2026-12-01 00:00 UTC: the day every test run of the generator sees


def manifest(folder: Path) -> list[str]:
    return [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}"
            for p in sorted(folder.rglob("*")) if p.is_file()]


def build_fixture(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "--site", str(FIXTURE),
                    "--out", str(out)], check=True, env={**os.environ, "SOURCE_DATE_EPOCH": CLOCK})


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        build_fixture(Path(tmp) / "out")
        GOLDEN.write_text("\n".join(manifest(Path(tmp) / "out")) + "\n", "utf-8")
    print(f"Wrote {GOLDEN.relative_to(ROOT)}: review `git diff {GOLDEN.relative_to(ROOT)}` before committing it")

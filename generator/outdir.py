"""Which folders a build may replace: never the site's inputs, a folder holding them, home or `/`.

A build swaps its output folder for a new one (keeping the old beside it as a hidden spare named
after it, see swap.py), so a mistyped `--out` must be refused before anything is touched.
"""

from __future__ import annotations

from pathlib import Path

from .load import INPUTS, OUTPUT_DIR


class UnsafeOutput(ValueError):
    """An output folder that a build must not replace."""


def check_output(site_dir: Path, out: Path) -> None:
    """Raise `UnsafeOutput` if replacing `out` could destroy inputs, the home folder or `/`."""
    target = out.expanduser().resolve()
    site = site_dir.resolve()
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"--out {str(out)!r} is a file, not a folder")
    if target == Path(target.anchor):
        raise UnsafeOutput("--out must not be the root folder /")
    home = Path.home().resolve()
    if _contains(target, home):
        raise UnsafeOutput(f"--out {str(out)!r} is your home folder or holds it; choose a folder of its own")
    if _contains(target, Path.cwd().resolve()):
        raise UnsafeOutput(f"--out {str(out)!r} is the current folder or holds it; choose a folder of its own")
    if _contains(target, site):
        raise UnsafeOutput(f"--out {str(out)!r} is the site folder or holds it; the default is {site_dir / OUTPUT_DIR}")
    for name in INPUTS:
        inp = (site / name).resolve()
        if _contains(inp, target) or _contains(target, inp):
            raise UnsafeOutput(f"--out {str(out)!r} overlaps the site's input {name}; choose a folder outside it")


def _contains(folder: Path, path: Path) -> bool:
    """True when `path` is `folder` or inside it."""
    return path == folder or folder in path.parents

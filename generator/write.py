"""Put the rendered site on disk without ever losing the previous one.

The new site is assembled in a hidden sibling folder: files whose bytes did not change are
hard-linked from the previous build (so they keep their modification time), the rest are
written. Only then does the new folder take the old one's place, by an atomic exchange where
the kernel offers one. A build that fails, or is killed, leaves the previous output as it was.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    written: int  # files new or changed
    kept: int  # files identical to the previous build
    removed: int  # files of the previous build that are gone
    swapped: bool  # False when nothing changed and the output was left alone


def check_path(rel: str) -> str:
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\x00" in rel:
        raise UnsafePath(f"refusing to write outside the output folder: {rel!r}")
    return rel


def write_site(files: dict[str, bytes], out: Path) -> WriteResult:
    """Make `out` hold exactly `files`, replacing the previous output in one step."""
    for rel in files:
        check_path(rel)
    old = _existing(out)
    changed = [rel for rel, content in files.items() if not _same(out / rel, old.get(rel), content)]
    removed = sorted(set(old) - set(files))
    if old and not changed and not removed:
        return WriteResult(0, len(files), 0, False)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        changed_set = set(changed)
        made: set[Path] = set()
        for rel in sorted(files):
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if rel in changed_set:
                target.write_bytes(files[rel])
            else:
                os.link(out / rel, target)
        os.chmod(staging, 0o755)
        _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return WriteResult(len(changed), len(files) - len(changed), len(removed), True)


def _existing(out: Path) -> dict[str, int]:
    """Relative path → size of every file in the previous output."""
    found: dict[str, int] = {}
    if not out.is_dir():
        return found
    base = len(str(out)) + 1
    for folder, _dirs, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            try:
                found[path[base:].replace(os.sep, "/")] = os.lstat(path).st_size
            except OSError:
                continue
    return found


def _same(path: Path, old_size: int | None, content: bytes) -> bool:
    if old_size != len(content):
        return False
    try:
        return path.read_bytes() == content
    except OSError:
        return False


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return  # staging now holds the previous output; the caller removes it
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo what a killed build left: an output folder set aside, stale staging folders."""
    old = out.parent / f".{out.name}.old"
    if old.is_dir() and not out.exists():
        os.rename(old, out)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        if time.time() - stale.stat().st_mtime > 600:
            shutil.rmtree(stale, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)  # the running process's symbols, libc's among them
    except OSError:
        return None

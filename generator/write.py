"""Put the rendered site on disk without ever losing the previous one.

The new site is assembled in a hidden sibling folder: files whose bytes did not change are
hard-linked from the previous build (so they keep their modification time), the rest are
written. Only then does the new folder take the old one's place, by an atomic exchange where
the kernel offers one. A build that fails, or is killed, leaves the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    written: int  # files new or changed
    kept: int  # files identical to the previous build
    removed: int  # files of the previous build that are gone
    swapped: bool  # False when nothing changed and the output was left alone


def check_path(rel: str) -> str:
    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in ("", ".", "..") for p in parts):
        raise UnsafePath(f"refusing to write outside the output folder: {rel!r}")
    return rel


class Output:
    """An output folder being written.

    Atomic (the default): files go to a hidden sibling folder that replaces `out` in one step
    at `finish`. In place (the preview server): each changed file replaces its old version by
    itself. Either way a file whose bytes did not change keeps its modification time.
    `put` may be called from forked worker processes: it only touches its own file.
    """

    def __init__(self, out: Path, atomic: bool = True, old: dict[str, int] | None = None):
        """`old` lists the files `out` holds (path → size) when the caller knows them."""
        self.out = out
        self.atomic = atomic
        self.old = {rel: size for rel, (size, _) in walk(out).items()} if old is None else old
        self.staging: Path | None = None
        if atomic:
            out.parent.mkdir(parents=True, exist_ok=True)
            recover(out)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        else:
            out.mkdir(parents=True, exist_ok=True)
        self._old_base = os.path.join(out, "")
        self._base = os.path.join(self.staging or out, "")
        self._folders: set[str] = set()

    def put(self, rel: str, content: bytes) -> bool:
        """Place one file; True if it is new or changed."""
        check_path(rel)
        if self.old.get(rel) == len(content) and _same(self._old_base + rel, content):
            self.keep(rel)
            return False
        target = self._base + rel
        self._parent(rel)
        if self.atomic:
            _write(target, content)
        else:
            folder, _, name = target.rpartition("/")
            temporary = f"{folder}/.{name}.tmp-{os.getpid()}"
            _write(temporary, content)
            os.replace(temporary, target)
        return True

    def keep(self, rel: str) -> None:
        """Carry over the previous build's file unchanged."""
        check_path(rel)
        if self.staging is not None:
            self._parent(rel)
            os.link(self._old_base + rel, self._base + rel)

    def _parent(self, rel: str) -> None:
        """Make the folder `rel` goes in, once (this folder's contents are ours alone)."""
        parent = rel.rpartition("/")[0]
        if parent and parent not in self._folders:
            os.makedirs(self._base + parent, exist_ok=True)
            self._folders.add(parent)

    def finish(self, paths: set[str], changed: int) -> WriteResult:
        """Remove what is no longer built and, if anything changed, put the new output in place.
        `paths` is every file of the new output; `changed` how many `put` reported changed."""
        removed = sorted(set(self.old) - paths)
        if self.staging is not None:
            if self.old and not changed and not removed:
                return WriteResult(0, len(paths), 0, False)
            os.chmod(self.staging, 0o755)
            _swap(self.staging, self.out)
        else:
            for rel in removed:
                (self.out / rel).unlink(missing_ok=True)
            if removed:
                _prune_empty(self.out)
        return WriteResult(changed, len(paths) - changed, len(removed), bool(changed or removed))

    def abort(self) -> None:
        """Throw away the staging folder, if any is left."""
        if self.staging is not None and self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)


def _prune_empty(out: Path) -> None:
    for folder, dirs, files in os.walk(out, topdown=False):
        if not dirs and not files and Path(folder) != out:
            try:
                os.rmdir(folder)
            except OSError:
                pass


def walk(out: Path) -> dict[str, tuple[int, int]]:
    """Relative path → (size, modification time in ns) of every file in `out`: the one walk
    of an output folder."""
    found: dict[str, tuple[int, int]] = {}
    if not os.path.isdir(out):
        return found
    base = len(os.fspath(out)) + 1
    for folder, _dirs, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            found[path[base:].replace(os.sep, "/")] = (st.st_size, st.st_mtime_ns)
    return found


def manifest_of(out: Path, paths) -> dict[str, tuple[int, int]]:
    """(size, modification time in ns) of each of `paths` in `out`, as `walk` gives them."""
    found = {}
    for rel in sorted(paths):
        st = os.stat(os.path.join(out, rel))
        found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def _same(path: str, content: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read() == content
    except OSError:
        return False


def _write(path: str, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


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
    import ctypes  # only here: importing it costs more than most builds' swap

    try:
        return ctypes.CDLL(None, use_errno=True)  # the running process's symbols, libc's among them
    except OSError:
        return None

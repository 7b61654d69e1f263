"""Put the rendered site on disk without ever losing the previous one, writing only what changed.

The new site is assembled in a hidden folder beside the output, which then takes the output's
place in one atomic exchange: a build that fails, or is killed, leaves the previous output as
it was. The folder the output replaces is not deleted but kept as a spare (see swap.py), and
the next build assembles its site there: it brings the spare up to date by touching only the
paths where the spare and the output differ (those the previous build changed, added or
removed) and those it changes itself. A one-file edit then costs a few file operations, not a
copy of the site. Files whose bytes did not change are hard links to the output's (so they keep
their modification time); changed files are always new files, never written into one the
output shares. Without a spare of known state (a first build, one after a killed build) the
new site is assembled in an empty folder, every unchanged file hard-linked from the output.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import swap


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


@dataclass(frozen=True, slots=True)
class Spare:
    """The output's spare folder: which one, and every path (file or empty folder) where it
    may differ from the output. The caller keeps it from one build to the next."""

    token: str
    differs: frozenset[str]


@dataclass(frozen=True, slots=True)
class WriteResult:
    written: int  # files new or changed
    kept: int  # files identical to the previous build
    removed: int  # files of the previous build that are gone
    swapped: bool  # False when nothing changed and the output was left alone
    spare: Spare | None = None  # to pass to the next build's Output


@dataclass(frozen=True, slots=True)
class Inventory:
    files: dict  # relative path → (size, modification time) if asked for, else None
    empty: frozenset[str]  # folders holding nothing


def check_path(rel: str) -> str:
    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in ("", ".", "..") for p in parts):
        raise UnsafePath(f"refusing to write outside the output folder: {rel!r}")
    return rel


class Output:
    """An output folder being written.

    Atomic (the default): files go to a hidden folder beside `out` that replaces it in one step
    at `finish`. In place (the preview server): each changed file replaces its old version by
    itself. Either way a file whose bytes did not change keeps its modification time.
    `put` may be called from forked worker processes: it only touches its own file, and notes
    it in a journal they share.
    """

    def __init__(self, out: Path, atomic: bool = True, old: dict[str, tuple[int, int]] | None = None,
                 spare: Spare | None = None):
        """`old`: the files the caller believes `out` holds, with their (size, modification time)
        (the last build's manifest), so that a file whose size changed is not read; what `out`
        really holds is listed at `finish`. `spare`: what the last build's `WriteResult` said of
        the spare."""
        self.out = out
        self.atomic = atomic
        self.old = walk(out) if old is None else old
        self.spare = spare
        self.staging: Path | None = None
        self.reused = False  # the staging folder is the spare, being brought up to date
        self._finishing = False
        self._journal = _journal()
        if atomic:
            out.parent.mkdir(parents=True, exist_ok=True)
            swap.recover(out)
            if spare is not None and out.is_dir():
                self.staging = swap.take_spare(out, spare.token)
            self.reused = self.staging is not None
            swap.drop_spares(out)  # any other: of unknown state
            if not self.reused:
                self.staging = swap.new_staging(out)
        else:
            out.mkdir(parents=True, exist_ok=True)
        self._old_base = os.path.join(out, "")
        self._base = os.path.join(self.staging or out, "")
        self._folders: set[str] = set()
        if self.reused:
            self._unlink_symlinks(spare.differs)

    def put(self, rel: str, content: bytes, current: bytes | None = None) -> bool:
        """Place one file; True if it is new or changed. `current`: the bytes the output holds
        at `rel`, if the caller has read them (so they are not read again to compare)."""
        check_path(rel)
        if self.old.get(rel, (None,))[0] == len(content) and (
                content == current if current is not None else _same(self._old_base + rel, content)):
            if self.reused:
                self._note(b"k", rel)
                self._carry(rel)
            else:
                self.keep(rel)
            return False
        self._note(b"w", rel)
        target = self._base + rel
        self._parent(rel)
        if self.atomic:
            if self.reused:
                _clear(target)
            _write(target, content)
        else:
            replace_file(target, content)
        return True

    def keep(self, rel: str) -> None:
        """Carry over the previous build's file, which the caller knows to be unchanged since."""
        check_path(rel)
        if self.staging is not None and not self.reused:  # a spare has it, or `finish` links it
            self._parent(rel)
            os.link(self._old_base + rel, self._base + rel)

    def finish(self, paths: set[str]) -> WriteResult:
        """Remove what is no longer built and, if anything changed, put the new output in place.
        `paths` is every file of the new output."""
        written, carried = self._read_journal()
        if self.staging is None:
            return self._finish_in_place(paths, written)
        self._finishing = True  # from here on, a failure leaves nothing worth putting back
        self._close_journal()
        found = inventory(self.out)
        # In the output (or said to be by the caller), not in the new site.
        gone = (found.files.keys() | self.old.keys()) - paths
        if self.reused:
            self._bring_up_to_date(paths, written | carried, gone)
        # Where the new site and the output it replaces (the next spare) may differ.
        differs = frozenset(written | gone | (paths - found.files.keys()) | found.empty)
        removed = len(gone & found.files.keys())
        staging, self.staging = self.staging, None
        if not differs and self.out.is_dir():  # the output already is the new site
            token = swap.keep_as_spare(staging, self.out)
            return WriteResult(0, len(paths), 0, False, Spare(token, differs) if token else None)
        os.chmod(staging, 0o755)
        previous = swap.swap(staging, self.out)
        token = swap.keep_as_spare(previous, self.out) if previous is not None else None
        return WriteResult(len(written), len(paths) - len(written), removed, True,
                           Spare(token, differs) if token else None)

    def abort(self) -> None:
        """Give up: a spare taken goes back to being the spare it was (what this build wrote into
        it is undone); any other staging folder is deleted."""
        if self.staging is not None and self.reused and not self._finishing:
            try:
                self._undo()
                swap.put_back(self.staging, self.out, self.spare.token)
                self.staging = None
            except OSError:
                pass
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._close_journal()

    # -- bringing a spare up to date ---------------------------------------------------------

    def _bring_up_to_date(self, paths: set[str], done: set[str], gone: set[str]) -> None:
        """Fix every path where the spare may still differ from the new site and that this build
        did not write or link already: link from the output the files it holds unchanged, remove
        the others (children before their folders)."""
        stale = (self.spare.differs | gone) - done
        dropped = sorted((rel for rel in stale if rel not in paths), reverse=True)
        for rel in dropped:
            _remove(self._base + rel)
        for rel in sorted(stale & paths):
            self._carry(rel)
        _prune(self._base, dropped)

    def _carry(self, rel: str) -> None:
        """Make the staging folder's `rel` a hard link to the output's."""
        target = self._base + rel
        self._parent(rel)
        _clear(target)
        os.link(self._old_base + rel, target)

    def _undo(self) -> None:
        """Put back, for every path this build wrote or linked, what the spare had: the output's
        file (which the spare had, unless it is one of the paths where they differ)."""
        written, carried = self._read_journal()
        for rel in sorted(written | carried):
            _clear(self._base + rel)
            if os.path.lexists(self._old_base + rel) and rel not in self.spare.differs:
                self._parent(rel)
                os.link(self._old_base + rel, self._base + rel)
        _prune(self._base, written)

    def _unlink_symlinks(self, paths: frozenset[str]) -> None:
        """A symbolic link made in the output by hand, now in the spare, must not lead writes elsewhere."""
        for rel in paths:
            if os.path.islink(self._base + rel):
                os.unlink(self._base + rel)

    def _parent(self, rel: str) -> None:
        """Make the folder `rel` goes in, once (this folder's contents are ours alone)."""
        parent = rel.rpartition("/")[0]
        if parent and parent not in self._folders:
            try:
                os.makedirs(self._base + parent, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                if not self.reused:
                    raise
                self._clear_way(parent)
            self._folders.add(parent)

    def _clear_way(self, folder: str) -> None:
        """Where the spare has a file and the new site a folder, the file goes."""
        path = self._base
        for part in folder.split("/"):
            path += part
            try:
                if not stat.S_ISDIR(os.lstat(path).st_mode):
                    os.unlink(path)
            except FileNotFoundError:
                pass
            path += "/"
        os.makedirs(self._base + folder, exist_ok=True)

    # -- in place ----------------------------------------------------------------------------

    def _finish_in_place(self, paths: set[str], written: set[str]) -> WriteResult:
        removed = sorted(set(self.old) - paths)
        for rel in removed:
            (self.out / rel).unlink(missing_ok=True)
        _prune(self._base, removed)
        spare = self.spare
        if spare is not None and swap.spare_path(self.out, spare.token).is_dir():
            # The spare stays as it was, so it now also differs where this build wrote.
            spare = Spare(spare.token, spare.differs | written | set(removed))
        else:
            spare = None
        self._close_journal()
        return WriteResult(len(written), len(paths) - len(written), len(removed), bool(written or removed), spare)

    # -- the journal: which paths were written ('w') or linked ('k'), from any process -------

    def _note(self, kind: bytes, rel: str) -> None:
        os.write(self._journal, kind + rel.encode() + b"\0")  # one append: never interleaved

    def _read_journal(self) -> tuple[set[str], set[str]]:
        if self._journal is None:
            return set(), set()
        data = os.pread(self._journal, os.fstat(self._journal).st_size, 0)
        written, carried = set(), set()
        for entry in data.split(b"\0")[:-1]:
            (written if entry[:1] == b"w" else carried).add(entry[1:].decode())
        return written, carried

    def _close_journal(self) -> None:
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None


def walk(out: Path) -> dict[str, tuple[int, int]]:
    """Relative path → (size, modification time in ns) of every file in `out`."""
    return inventory(out, stamps=True).files


def manifest_of(out: Path, paths) -> dict[str, tuple[int, int]]:
    """(size, modification time in ns) of each of `paths` in `out`, as `walk` gives them."""
    return {rel: manifest_stamp(os.path.join(out, rel)) for rel in sorted(paths)}


def manifest_stamp(path: str) -> tuple[int, int]:
    """A file's (size, modification time in ns), as a manifest keeps it (a symbolic link's own,
    never followed); OSError if there is none."""
    return _stamp(os.lstat(path))


def _stamp(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


def inventory(out: Path, stamps: bool = False) -> Inventory:
    """Every file under `out` (a symbolic link counts as a file, never followed), with its
    (size, modification time) if asked, and every empty folder. Nothing if `out` does not
    exist. The one walk of an output folder."""
    files: dict[str, tuple[int, int] | None] = {}
    empty: set[str] = set()
    root = os.fspath(out)
    base = len(root) + 1
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            entries = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        count = 0
        with entries:
            for entry in entries:
                count += 1
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                value = None
                if stamps:
                    try:
                        value = _stamp(entry.stat(follow_symlinks=False))
                    except OSError:  # gone meanwhile
                        continue
                files[_relative(entry.path[base:])] = value
        if not count and folder != root:
            empty.add(_relative(folder[base:]))
    return Inventory(files, frozenset(empty))


def _relative(path: str) -> str:
    return path if os.sep == "/" else path.replace(os.sep, "/")


def _journal() -> int:
    """An anonymous file that worker processes forked later append to."""
    fd, name = tempfile.mkstemp(prefix="generator-journal-")
    os.unlink(name)
    import fcntl

    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return fd


def _prune(base: str, removed) -> None:
    """Remove the folders that removing these paths left empty."""
    tried: set[str] = set()
    for rel in removed:
        parent = rel.rpartition("/")[0]
        while parent and parent not in tried:
            tried.add(parent)
            try:
                os.rmdir(base + parent)
            except OSError:
                break
            parent = parent.rpartition("/")[0]


def _remove(path: str) -> None:
    """Remove a file, or a folder if it is empty (one holding files of the new site stays)."""
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):
        pass
    except (IsADirectoryError, PermissionError):
        try:
            os.rmdir(path)
        except OSError:
            pass


def _clear(path: str) -> None:
    """Make room for a new file at `path` in a staging folder."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if not os.path.isdir(path) or os.path.islink(path):
            raise
        shutil.rmtree(path)  # a folder of the spare where the new site has a file


def _same(path: str, content: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read() == content
    except OSError:
        return False


def replace_file(path: str, content: bytes) -> None:
    """Replace the file at `path` whole, through a hidden temporary beside it: a reader sees the
    old bytes or the new, never part of them, and a write that fails (a full disk, Ctrl-C) leaves
    the old file and nothing else."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.tmp-{os.getpid()}")
    try:
        _write(temporary, content, exclusive=False)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def _write(path: str, content: bytes, exclusive: bool = True) -> None:
    """Write a file; `exclusive`: a new one, never one that is already there (and may be shared)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)

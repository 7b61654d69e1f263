"""What one build leaves for the next: named sections of key → value, kept in memory and saved
in the site's git-ignored cache folder (load.CACHE_DIR) (like Pelican's `get_cached_data` / `cache_data` /
`save_cache`).

Each saved section is one data file, to which a save appends the values new since it was read,
each pickled, and a pickled index of where each value is. A section is tens of megabytes on a
big site, of which an edit changes a few kilobytes: so a save writes those and the index, and a
read unpickles only the values asked for. The data file is written afresh (under a new name, so
that the index saved last always describes the file it names) when more than half of it is no
longer used. Every file is tagged with the generator's code fingerprint: when the code changes,
everything is forgotten. A missing, old or damaged file only means more work, never an error.
The build decides what a key is (an input file's path, a name); the cache only remembers.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from pathlib import Path

from .write import replace_file

_CODE = Path(__file__).resolve().parent


def code_fingerprint() -> str:
    """Changes whenever the generator's own code does."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def digest(*parts: object) -> str:
    """A short hash of values whose repr is stable (strings, numbers, tuples, sorted lists)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class BuildCache:
    """The sections named in `read` start from what `folder` holds; those named in `saved` are
    written there by `save`. The others live only as long as this object (the preview server
    keeps one for its whole session)."""

    def __init__(self, folder: Path | None, saved: tuple[str, ...] = (), read: tuple[str, ...] | None = None):
        self.folder = folder
        self.code = code_fingerprint()
        self._saved = saved if folder is not None else ()
        self._read_from = (saved if read is None else read) if folder is not None else ()
        self._live: dict[str, dict] = {}  # section → key → value
        self._encoded: dict[str, dict] = {}  # section → key → the value's pickle, given by `put`, until saved
        self._index: dict[str, dict] = {}  # section → key → (offset, length) of its saved bytes in the data file
        self._data: dict[str, bytes | list[bytes]] = {}  # section → its data file's bytes (in parts after a save)
        self._file: dict[str, str] = {}  # section → the name of its data file
        self._changed: set[str] = set()

    def get(self, section: str, key: str, default=None):
        live = self._section(section)
        if key in live:
            return live[key]
        place = self._index[section].get(key)
        if place is None:
            return default
        blob = self._bytes(section)[place[0]:place[0] + place[1]]
        try:
            value = pickle.loads(blob)
        except Exception:  # a damaged entry: as if it were missing
            return default
        live[key] = value
        return value

    def put(self, section: str, key: str, value, pickled: bytes | None = None) -> None:
        """Remember `value` (`pickled`: its pickle, when the caller has it already)."""
        self._section(section)[key] = value
        self._index[section].pop(key, None)
        if pickled is not None:
            self._encoded[section][key] = pickled
        else:
            self._encoded[section].pop(key, None)
        self._changed.add(section)

    def keep(self, section: str, keys) -> None:
        """Forget every entry of `section` but those under `keys`."""
        self._section(section)
        keys = set(keys)
        for store in (self._live[section], self._encoded[section], self._index[section]):
            for key in [k for k in store if k not in keys]:
                del store[key]
                self._changed.add(section)

    def compiled_templates(self) -> Path | None:
        """A folder for Jinja's compiled templates, one per version of the generator (the
        compiled code depends on its environment's options); None without a cache folder."""
        if self.folder is None:
            return None
        folder = self.folder / f"templates-{self.code[:16]}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob("templates-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            return None  # a read-only site folder: templates are compiled every time
        return folder

    def save(self) -> None:
        """Write the saved sections that changed. The cache is an optimisation: a read-only site
        folder still builds."""
        try:
            for section in self._saved:
                if section in self._changed:
                    self._save(section)
        except OSError:
            return
        self._changed.clear()

    def _save(self, section: str) -> None:
        """Append the values new since the section was read to its data file, or write the file
        afresh, under a new name, when it is mostly unused (or another build appended to it
        meanwhile); then its index."""
        live, encoded, index = self._live[section], self._encoded[section], self._index[section]
        new = [(key, encoded.get(key) or pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
               for key, value in live.items() if key not in index]
        data = self._bytes(section)
        self.folder.mkdir(exist_ok=True)
        name = self._file.get(section)
        used = sum(length for _, length in index.values())
        if name is not None and len(data) <= 2 * max(used, 1 << 20) and _append(
                self.folder / name, len(data), b"".join(blob for _, blob in new)):
            index, start = dict(index), len(data)
        else:  # written afresh: the values still used, then the new ones
            name = f"{section}-{os.getpid()}-{time.time_ns():x}.bin"
            new = [(key, data[start:start + length]) for key, (start, length) in index.items()] + new
            index, start, data = {}, 0, b""
            with open(self.folder / name, "wb") as f:
                f.write(b"".join(blob for _, blob in new))
        for key, blob in new:
            index[key] = (start, len(blob))
            start += len(blob)
        _atomic_pickle(self.folder / f"{section}.index", (self.code, name, index))
        for old in self.folder.glob(f"{section}-*.*"):
            if old.name != name:
                old.unlink(missing_ok=True)
        self._index[section], self._encoded[section], self._file[section] = index, {}, name
        self._data[section] = [data, *(blob for _, blob in new)]  # joined if asked for again

    def _bytes(self, section: str) -> bytes:
        data = self._data.get(section, b"")
        if isinstance(data, list):
            data = self._data[section] = b"".join(data)
        return data

    def _section(self, section: str) -> dict:
        live = self._live.get(section)
        if live is None:
            live = self._live[section] = {}
            self._encoded[section], self._index[section] = {}, {}
            if section in self._read_from:
                self._read(section)
        return live

    def _read(self, section: str) -> None:
        try:
            with open(self.folder / f"{section}.index", "rb") as f:
                code, name, index = pickle.load(f)
            if code != self.code or not isinstance(index, dict):
                return
            with open(self.folder / name, "rb") as f:
                data = f.read()
            if not all(offset + length <= len(data) for offset, length in index.values()):
                return
        except Exception:  # missing, old or damaged
            return
        self._index[section], self._data[section], self._file[section] = index, data, name


def _append(path: Path, length: int, blob: bytes) -> bool:
    """Append `blob` to the file, if it is still `length` bytes long (else another build wrote
    to it since it was read: False)."""
    try:
        with open(path, "ab") as f:
            if f.tell() != length:
                return False
            f.write(blob)
    except FileNotFoundError:
        return False
    return True


def _atomic_pickle(path: Path, value: object) -> None:
    replace_file(os.fspath(path), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

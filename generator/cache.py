"""What one build leaves for the next: named sections of key → value, kept in memory and saved
in the site's git-ignored cache folder (load.CACHE_DIR) (like Pelican's `get_cached_data` / `cache_data` /
`save_cache`).

Each saved section is one pickle of {key: pickled value}, so that reading it costs little and
a value is unpickled only when it is asked for. A section of text (the rendered pieces: tens of
megabytes on a big site, of which an edit changes a few kilobytes) is instead one file of UTF-8
that a save appends the new texts to, and a pickled index of where each text is; the file is
written afresh when more than half of it is no longer used. Every file is tagged with the
generator's code fingerprint: when the code changes, everything is forgotten. A missing, old or
damaged file only means more work, never an error. The build decides what a key is (a file's
path, a hash of a piece's inputs); the cache only remembers.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from pathlib import Path

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

    def __init__(self, folder: Path | None, saved: tuple[str, ...] = (), read: tuple[str, ...] | None = None,
                 texts: tuple[str, ...] = ()):
        """`texts`: the sections whose values are all strings."""
        self.folder = folder
        self.code = code_fingerprint()
        self._saved = saved if folder is not None else ()
        self._read_from = (saved if read is None else read) if folder is not None else ()
        self._texts = texts
        self._live: dict[str, dict] = {}  # section → key → value
        self._packed: dict[str, dict] = {}  # section → key → pickled value, or (offset, length) of a text
        self._data: dict[str, bytes | list[bytes]] = {}  # text section → its file's bytes (in parts after a save)
        self._text_file: dict[str, str] = {}  # text section → the name of its file
        self._changed: set[str] = set()

    def get(self, section: str, key: str, default=None):
        live = self._section(section)
        if key in live:
            return live[key]
        packed = self._packed[section].get(key)
        if packed is None:
            return default
        try:
            if section in self._texts:
                offset, length = packed
                value = self._bytes(section)[offset:offset + length].decode("utf-8")
            else:
                value = pickle.loads(packed)
        except Exception:  # a damaged entry: as if it were missing
            return default
        live[key] = value
        return value

    def put(self, section: str, key: str, value, pickled: bytes | None = None) -> None:
        """Remember `value` (`pickled`: its pickle, when the caller has it already)."""
        self._section(section)[key] = value
        packed = self._packed[section]
        if pickled is not None:
            packed[key] = pickled
        else:
            packed.pop(key, None)
        self._changed.add(section)

    def keep(self, section: str, keys) -> None:
        """Forget every entry of `section` but those under `keys`."""
        live, packed = self._section(section), self._packed[section]
        keys = set(keys)
        for store in (live, packed):
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
                    if section in self._texts:
                        self._save_texts(section)
                    else:
                        self._save_pickles(section)
        except OSError:
            return
        self._changed.clear()

    def _save_pickles(self, section: str) -> None:
        live, packed = self._live[section], self._packed[section]
        for key, value in live.items():
            if key not in packed:
                packed[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.folder.mkdir(exist_ok=True)
        _atomic_pickle(self.folder / f"{section}.pickle", (self.code, packed))

    def _save_texts(self, section: str) -> None:
        """Append the new texts to the section's file, or write it afresh (under a new name, so
        that the index saved last always describes the file it names) when it is mostly unused."""
        live, index = self._live[section], self._packed[section]
        new = [(key, text.encode("utf-8")) for key, text in live.items() if key not in index]
        used = sum(length for _, length in index.values())
        data = self._bytes(section)
        self.folder.mkdir(exist_ok=True)
        name = self._text_file.get(section)
        if name is None or len(data) > 2 * max(used, 1 << 20):
            name = f"{section}-{os.getpid()}-{time.time_ns():x}.txt"
            chunks, offset, fresh = [], 0, {}
            for key, (start, length) in index.items():
                chunks.append(data[start:start + length])
                fresh[key] = (offset, length)
                offset += length
            index = fresh
            start = offset
            mode = "wb"
        else:
            chunks, start, mode, index = [], len(data), "ab", dict(index)
        for key, blob in new:
            chunks.append(blob)
            index[key] = (start, len(blob))
            start += len(blob)
        blob = b"".join(chunks)
        with open(self.folder / name, mode) as f:
            if mode == "ab" and f.tell() != len(data):
                return  # another build wrote to it meanwhile: leave the cache to it
            f.write(blob)
        _atomic_pickle(self.folder / f"{section}.index", (self.code, name, index))
        for old in self.folder.glob(f"{section}-*.txt"):
            if old.name != name:
                old.unlink(missing_ok=True)
        self._packed[section] = index
        self._data[section] = [data, blob] if mode == "ab" else blob  # joined if asked for again
        self._text_file[section] = name

    def _bytes(self, section: str) -> bytes:
        data = self._data.get(section, b"")
        if isinstance(data, list):
            data = self._data[section] = b"".join(data)
        return data

    def _section(self, section: str) -> dict:
        live = self._live.get(section)
        if live is None:
            live = self._live[section] = {}
            self._packed[section] = {}
            if section in self._read_from:
                (self._read_texts if section in self._texts else self._read_pickles)(section)
        return live

    def _read_pickles(self, section: str) -> None:
        try:
            with open(self.folder / f"{section}.pickle", "rb") as f:
                code, packed = pickle.load(f)
        except Exception:  # missing, old or damaged
            return
        if code == self.code and isinstance(packed, dict):
            self._packed[section] = packed

    def _read_texts(self, section: str) -> None:
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
        self._packed[section], self._data[section], self._text_file[section] = index, data, name


def _atomic_pickle(path: Path, value: object) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temporary, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)

"""What one build leaves for the next: named sections of key → value, kept in memory and saved
in the site's git-ignored `.cache/` folder (like Pelican's `get_cached_data` / `cache_data` /
`save_cache`).

Each saved section is one pickle of {key: pickled value}, so that reading it costs little and
a value is unpickled only when it is asked for (a one-council edit of a big site asks for most
checked results, but never unpickles the rendered pieces it does not need). Every file is tagged
with the generator's code fingerprint: when the code changes, everything is forgotten. A missing,
old or damaged file only means more work, never an error. The build decides what a key is (a
file's path, a hash of a piece's inputs); the cache only remembers.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

CACHE_DIR = ".cache"
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
        self._packed: dict[str, dict[str, bytes]] = {}  # section → key → pickled value, as read
        self._changed: set[str] = set()

    def get(self, section: str, key: str, default=None):
        live = self._section(section)
        if key in live:
            return live[key]
        blob = self._packed[section].get(key)
        if blob is None:
            return default
        try:
            value = pickle.loads(blob)
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

    def clear(self, section: str) -> None:
        self.keep(section, ())

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
        for section in self._saved:
            if section not in self._changed:
                continue
            live, packed = self._live[section], self._packed[section]
            for key, value in live.items():
                if key not in packed:
                    packed[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                self.folder.mkdir(exist_ok=True)
                _atomic_pickle(self.folder / f"{section}.pickle", (self.code, packed))
            except OSError:
                return
        self._changed.clear()

    def _section(self, section: str) -> dict:
        live = self._live.get(section)
        if live is None:
            live = self._live[section] = {}
            self._packed[section] = self._read(section) if section in self._read_from else {}
        return live

    def _read(self, section: str) -> dict[str, bytes]:
        try:
            with open(self.folder / f"{section}.pickle", "rb") as f:
                code, packed = pickle.load(f)
        except Exception:  # missing, old or damaged
            return {}
        return packed if code == self.code and isinstance(packed, dict) else {}


def _atomic_pickle(path: Path, value: object) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temporary, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)

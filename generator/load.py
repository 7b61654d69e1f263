"""The site folder's layout; read its input files, and parse each into a document. Only syntax is checked here."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Mapping

from .diagnostics import Diagnostic, Diagnostics, Location
from .model import fast_pickle
from .yamlnodes import Node, parse_yaml

# The layout of a site folder: every folder and file name the generator knows is here, and
# only here; other modules import these names and helpers.
SITE_FILE = "site.yaml"
CONTENT_DIR = "content"
COUNCILS_DIR = f"{CONTENT_DIR}/councils"
ARTICLES_DIR = f"{CONTENT_DIR}/articles"
PAGES_DIR = f"{CONTENT_DIR}/pages"
TIMELINE_FILE = f"{CONTENT_DIR}/timeline.yaml"
CHANGELOG_FILE = f"{CONTENT_DIR}/changelog.yaml"
TEMPLATES_DIR = "templates"
ASSETS_DIR = f"{TEMPLATES_DIR}/assets"  # copied as they are to the output's assets/
SCHEMAS_DIR = "schemas"  # the JSON Schemas editors' tools read (`python -m generator schemas`)
CACHE_DIR = ".cache"  # what a build remembers for the next one; never committed
OUTPUT_DIR = "build"  # the default output folder
INPUTS = (SITE_FILE, CONTENT_DIR, TEMPLATES_DIR)  # everything a build reads is in these
INPUTS_IN_WORDS = f"{SITE_FILE}, {CONTENT_DIR}/ and {TEMPLATES_DIR}/"  # for messages
# record kind → (folder, file extension): one file per council, article or page
RECORDS = {
    "council": (COUNCILS_DIR, ".yaml"),
    "article": (ARTICLES_DIR, ".md"),
    "page": (PAGES_DIR, ".md"),
}
# folder → (document kind, file extension)
COLLECTIONS = {folder: (kind, ext) for kind, (folder, ext) in RECORDS.items()}


def record_file(kind: str, stem: str) -> str:
    """The path, relative to the site folder, of the council, article or page named `stem`."""
    folder, ext = RECORDS[kind]
    return f"{folder}/{stem}{ext}"


def council_file(slug: str) -> str:
    return record_file("council", slug)


def article_file(ident: str) -> str:
    return record_file("article", ident)


def page_file(slug: str) -> str:
    return record_file("page", slug)


def record_stems(site_dir: Path, kind: str) -> list[str]:
    """The ids of the councils, articles or pages (`kind`) in the site folder, sorted; editors'
    own files (backups, swap files) left out."""
    folder, ext = RECORDS[kind]
    try:
        names = os.listdir(site_dir / folder)
    except OSError:
        return []
    return sorted(name[: -len(ext)] for name in names if name.endswith(ext) and not is_editor_file(name))


MAX_FILE_BYTES = 1_000_000


@fast_pickle  # 15,000 are read back from the cache by every rebuild of a 10,000-council site
@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file as read from disk (`raw` None: remembered by its stamp, and not read again
    unless it must be checked again: see `with_bytes`)."""

    kind: str  # "site", "timeline", "changelog", "council", "article" or "page"
    path: str  # relative to the site folder, with forward slashes
    stem: str  # file name without extension: the slug or id
    digest: str  # of the bytes, so unchanged files can be recognised
    raw: bytes | None


@dataclass(frozen=True, slots=True)
class Document:
    """One input file, parsed: everything validation reads, so it need read no file and parse
    nothing. Its syntax errors (a byte not in UTF-8, bad YAML, no front matter) are found here
    and travel with it, at their line and column; `data` is None if they stopped parsing."""

    kind: str  # as its InputFile's
    path: str
    stem: str
    digest: str
    data: Node | None = None  # the YAML (a Markdown file's front matter), its nodes keeping their places
    text: str = ""  # the YAML as written, to place errors inside block scalars
    line_offset: int = 0  # lines of the file before the YAML starts
    problems: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class YamlDocument(Document):
    """site.yaml, the timeline, the change log or a council: YAML from the first line."""


@dataclass(frozen=True, slots=True)
class MarkdownDocument(Document):
    """An article or a page: YAML front matter between two '---' lines, then a Markdown body."""

    body: str | None = None  # None if the front matter could not be split off
    body_line: int = 1  # line of the file where the body starts


Stamp = tuple[int, int, int, int]  # (mtime and ctime in ns, size, inode): a file not touched since keeps it
# A stamp taken this soon after the file's last change may not show a second change made in the
# same tick of the file system's coarse clock (git calls it "racily clean"): it is not trusted.
RACY_NS = 1_000_000_000
# Hidden (vim's .x.swp, gedit's .goutputstream-*), backup~, Emacs' #autosave#, *.tmp, JetBrains'
# safe-write files, and the file vim creates to test that a folder is writable.
EDITOR_FILES = re.compile(r"^\.|~$|^#.*#$|\.tmp$|___jb_\w+___$|^4913$")
INPUT_FOLDERS = ("", CONTENT_DIR, *COLLECTIONS)  # their files; and all of templates/


def listing(site_dir: Path) -> dict[str, Stamp]:
    """Every file that may be an input (in the site folder, content/ and its collections, and
    anywhere under templates/), by path relative to the site folder, with its stamp. One stat
    per file: a build that finds every stamp as before need read nothing."""
    base = os.fspath(site_dir)
    found: dict[str, Stamp] = {}
    for folder in INPUT_FOLDERS:
        _stat_files(base, folder, found, recursive=False)
    _stat_files(base, TEMPLATES_DIR, found, recursive=True)
    return found


def _stat_files(base: str, folder: str, found: dict[str, Stamp], recursive: bool) -> None:
    try:
        entries = os.scandir(os.path.join(base, folder))
    except OSError:
        return
    with entries:
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_file():
                    st = entry.stat()
                    # The change time too: editors, `git checkout` and rsync may restore the
                    # modification time of a file they changed, but none can restore its ctime.
                    found[rel] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
                elif recursive and entry.is_dir(follow_symlinks=False):
                    _stat_files(base, rel, found, recursive)
            except OSError:  # removed since it was listed
                continue


def is_editor_file(name: str) -> bool:
    """Hidden files, backups, swap, autosave and temporary files that editors leave next to
    content: not content (the preview's watcher ignores them too)."""
    return EDITOR_FILES.search(name) is not None


def trusted(stamp: Stamp, taken_ns: int) -> bool:
    """Whether a stamp taken at `taken_ns` (time.time_ns()) will show any later change."""
    return max(stamp[0], stamp[1]) < taken_ns - RACY_NS


def scan(site_dir: Path, diags: Diagnostics, listed: dict[str, Stamp],
         seen: Mapping[str, tuple[Stamp, InputFile] | None] = {}) -> list[InputFile]:
    """Every input file of the site, read, in a fixed order. `listed` is the site's `listing`;
    a file `seen` before with the same stamp is not read again."""
    names: dict[str, list[str]] = {folder: [] for folder in COLLECTIONS}
    for rel in listed:
        folder, _, name = rel.rpartition("/")
        if folder in names and not is_editor_file(name):
            names[folder].append(name)
    found = [(SITE_FILE, "site", True), (TIMELINE_FILE, "timeline", False), (CHANGELOG_FILE, "changelog", False)]
    for folder, (kind, ext) in COLLECTIONS.items():
        for name in sorted(names[folder]):
            rel = f"{folder}/{name}"
            if name.endswith(ext):
                found.append((rel, kind, True))
            else:
                diags.error(Location(rel), f"unexpected file in {folder}/: {kind} files must end in '{ext}'")
    files = []
    base = os.fspath(site_dir)
    for rel, kind, required in found:
        stamp = listed.get(rel)
        known = seen.get(rel)
        file = known[1] if known and stamp and known[0] == stamp else None
        if file is None:
            raw = read_bytes(os.path.join(base, rel), rel, diags, required)
            if raw is None:
                continue
            stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            file = InputFile(kind, rel, stem, hashlib.blake2b(raw, digest_size=16).hexdigest(), raw)
        files.append(file)
    return files


def with_bytes(site_dir: Path, files: list[InputFile], diags: Diagnostics) -> list[InputFile]:
    """`files` with their bytes, reading those remembered without them (one that cannot be read
    now is reported in `diags` and left out); the digest is of the bytes read."""
    found = []
    for file in files:
        if file.raw is None:
            raw = read_bytes(os.path.join(site_dir, file.path), file.path, diags)
            if raw is None:
                continue
            file = replace(file, digest=hashlib.blake2b(raw, digest_size=16).hexdigest(), raw=raw)
        found.append(file)
    return found


def read_bytes(path: str | Path, rel: str, diags: Diagnostics, required: bool = True) -> bytes | None:
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        if required:
            diags.error(Location(rel), "file not found")
        return None
    except OSError as exc:
        diags.error(Location(rel), f"cannot read the file: {exc.strerror}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        diags.error(Location(rel), f"the file is larger than {MAX_FILE_BYTES // 1000} kB")
        return None
    return raw


def parse(file: InputFile) -> YamlDocument | MarkdownDocument:
    """Decode and parse one file (Markdown if its name ends in .md, else YAML)."""
    diags = Diagnostics()
    text = decode(file.raw, file.path, diags)
    if file.path.endswith(".md"):
        return _parse_markdown(file, text, diags)
    data = None
    if text is not None and not text.strip():
        diags.error(Location(file.path), "the file is empty")
    elif text is not None:
        data = parse_yaml(text, file.path, diags)
    return YamlDocument(file.kind, file.path, file.stem, file.digest, data, text or "", problems=tuple(diags.items))


def _parse_markdown(file: InputFile, text: str | None, diags: Diagnostics) -> MarkdownDocument:
    split = _split_front_matter(text, file.path, diags) if text is not None else None
    if split is None:
        return MarkdownDocument(file.kind, file.path, file.stem, file.digest, problems=tuple(diags.items))
    front, body = split
    data = None
    if front.strip():
        data = parse_yaml(front, file.path, diags, line_offset=1)
    else:
        diags.error(Location(file.path, 2), "the front matter is empty")
    # The front matter starts on line 2, after its '---'; the body after the closing '---'.
    return MarkdownDocument(file.kind, file.path, file.stem, file.digest, data, front, line_offset=1,
                            problems=tuple(diags.items), body=body, body_line=front.count("\n") + 3)


def decode(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    """UTF-8 text with Unix newlines; a bad byte is reported at its line and column."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        diags.error(Location(rel, line, column),
                    f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        diags.error(Location(rel, line), "the file contains a NUL character; is it a text file?")
        return None
    return text


def _split_front_matter(text: str, path: str, diags: Diagnostics) -> tuple[str, str] | None:
    """The `---` front matter and the Markdown body after it; None if there is no front matter."""
    if not text.strip():
        diags.error(Location(path), "the file is empty")
        return None
    if not text.startswith("---\n"):
        diags.error(Location(path), "expected front matter: the file must start with a line '---', "
                    "then the fields, then another '---' line")
        return None
    end = text.find("\n---\n", 3)
    if end == -1 and text.endswith("\n---"):
        end = len(text) - 4
    if end == -1:
        diags.error(Location(path), "the front matter is not closed: add a line '---' after the fields")
        return None
    return text[4 : end + 1], text[end + 5 :]

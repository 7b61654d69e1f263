"""Read every input file of a site folder into positioned documents. Only syntax is checked here."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics, Location
from .yamlnodes import Node, parse_yaml

SITE_FILE = "site.yaml"
TIMELINE_FILE = "content/timeline.yaml"
# folder → (document kind, file extension)
COLLECTIONS = {
    "content/councils": ("council", ".yaml"),
    "content/articles": ("article", ".md"),
    "content/pages": ("page", ".md"),
}
MAX_FILE_BYTES = 1_000_000


@dataclass(slots=True)
class Document:
    """One input file after parsing: YAML data (or front matter) and, for Markdown files, the body."""

    kind: str  # "site", "timeline", "council", "article" or "page"
    path: str  # relative to the site folder, with forward slashes
    stem: str  # file name without extension: the slug or id
    digest: str  # of the raw bytes, for caches
    data: Node | None = None
    body: str | None = None
    body_line: int = 1  # line of the file where the body starts


def read_site(site_dir: Path, diags: Diagnostics) -> list[Document]:
    """Every input document of the site, in a fixed order."""
    docs = [_load(site_dir, SITE_FILE, "site", diags, required=True)]
    docs.append(_load(site_dir, TIMELINE_FILE, "timeline", diags, required=False))
    for folder, (kind, ext) in COLLECTIONS.items():
        for name in _list(site_dir / folder):
            rel = f"{folder}/{name}"
            if not name.endswith(ext):
                diags.error(Location(rel), f"unexpected file in {folder}/: {kind} files must end in '{ext}'")
                continue
            docs.append(_load(site_dir, rel, kind, diags, required=True))
    return [d for d in docs if d is not None]


def _list(folder: Path) -> list[str]:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    # Editors leave hidden files, backups and swap files next to content; they are not content.
    return sorted(n for n in names if not n.startswith(".") and not n.endswith("~") and (folder / n).is_file())


def _load(site_dir: Path, rel: str, kind: str, diags: Diagnostics, required: bool) -> Document | None:
    raw = read_bytes(site_dir / rel, rel, diags, required)
    if raw is None:
        return None
    text = decode(raw, rel, diags)
    if text is None:
        return None
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    doc = Document(kind, rel, stem, hashlib.blake2b(raw, digest_size=16).hexdigest())
    if rel.endswith(".md"):
        split_front_matter(doc, text, diags)
    elif not text.strip():
        diags.error(Location(rel), "the file is empty")
    else:
        doc.data = parse_yaml(text, rel, diags)
    return doc


def read_bytes(path: Path, rel: str, diags: Diagnostics, required: bool = True) -> bytes | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            diags.error(Location(rel), f"the file is larger than {MAX_FILE_BYTES // 1000} kB")
            return None
        return path.read_bytes()
    except FileNotFoundError:
        if required:
            diags.error(Location(rel), "file not found")
        return None
    except OSError as exc:
        diags.error(Location(rel), f"cannot read the file: {exc.strerror}")
        return None


def decode(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    """UTF-8 text with Unix newlines; a bad byte is reported at its line and column."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        diags.error(Location(rel, line, column), f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
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


def split_front_matter(doc: Document, text: str, diags: Diagnostics) -> None:
    """Split `---` front matter from the Markdown body, remembering where the body starts."""
    if not text.strip():
        diags.error(Location(doc.path), "the file is empty")
        return
    if not text.startswith("---\n"):
        diags.error(Location(doc.path), "expected front matter: the file must start with a line '---', "
                    "then the fields, then another '---' line")
        return
    end = text.find("\n---\n", 3)
    if end == -1 and text.endswith("\n---"):
        end = len(text) - 4
    if end == -1:
        diags.error(Location(doc.path), "the front matter is not closed: add a line '---' after the fields")
        return
    front = text[4 : end + 1]
    if front.strip():
        doc.data = parse_yaml(front, doc.path, diags, line_offset=1)
    else:
        diags.error(Location(doc.path, 2), "the front matter is empty")
    doc.body = text[end + 5 :]
    doc.body_line = front.count("\n") + 3

"""Writes the JSON Schemas for editors under `schemas/`, generated from the content formats in
`formats.py`. To add a field, edit `formats.py`, then run `python -m generator schemas`: nothing
here changes.

They are committed under `schemas/` so that an editor (VS Code with the YAML extension, for one)
autocompletes fields and underlines mistakes while typing; `python -m generator schemas`
regenerates them and a test proves the committed files are what the formats say.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from . import formats
from .diagnostics import Diagnostics
from .load import CHANGELOG_FILE, COLLECTIONS, SCHEMAS_DIR, SITE_FILE, TIMELINE_FILE, InputFile, parse, read_bytes
from .model import Config

DRAFT = "http://json-schema.org/draft-07/schema#"
# The files each kind of document lives in, as globs relative to the site folder (from load's layout).
_FILES = {kind: f"{folder}/*{ext}" for folder, (kind, ext) in COLLECTIONS.items()} | {
    "timeline": TIMELINE_FILE, "changelog": CHANGELOG_FILE, "site": SITE_FILE}
# schema name → (title, the files it describes)
SCHEMAS = {
    "council": ("A council file", _FILES["council"]),
    "article": ("An article's front matter", _FILES["article"]),
    "page": ("A page's front matter", _FILES["page"]),
    "timeline": ("The national timeline", _FILES["timeline"]),
    "changelog": ("The change log", _FILES["changelog"]),
    "site": ("The site's settings", _FILES["site"]),
}


def load_config(site_dir: Path) -> Config:
    """site.yaml, validated; raises `BuildFailed` with its errors (other files are not checked)."""
    from .validate import check_file

    diags = Diagnostics()
    raw = read_bytes(site_dir / SITE_FILE, SITE_FILE, diags)
    diags.raise_if_errors()
    result = check_file(parse(InputFile("site", SITE_FILE, "site", "", raw)), None)
    Diagnostics(list(result.diagnostics)).raise_if_errors()
    return result.value


def generate(config: Config) -> dict[str, str]:
    """Schema file name → its JSON text, for the site whose settings are `config`."""
    types = {
        "council": formats.council_record(config),
        "article": formats.ARTICLE,
        "page": formats.PAGE,
        "timeline": formats.TIMELINE,
        "changelog": formats.CHANGELOG,
        "site": formats.SITE,
    }
    out = {}
    for name, (title, _files) in SCHEMAS.items():
        schema = {"$schema": DRAFT, "title": title} | types[name].json_schema()
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def write_schemas(site_dir: Path) -> list[Path]:
    """Regenerate `schemas/` from the formats and site.yaml; the paths written."""
    generated = generate(load_config(site_dir))
    folder = site_dir / SCHEMAS_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in generated.items():
        path = folder / name
        path.write_text(text, "utf-8")
        written.append(path)
    return written


def header(rel: str, name: str) -> str:
    """The first line of a YAML file at `rel` that points editors at schema `name`."""
    schema = posixpath.relpath(f"{SCHEMAS_DIR}/{name}.schema.json", posixpath.dirname(rel) or ".")
    return f"# yaml-language-server: $schema={schema}"

"""`rename article OLD NEW` and `rename council OLD NEW`: move the file and rewrite every
reference to it, as text, so that comments and layout stay as the editor wrote them.

References are found where the formats say they are (every field of type `Ref`, in any file)
and in prose: `[@id]` citations and links to `/sources/#id` or `/councils/slug/`. A renamed
council keeps its old address: the old slug is added to its `former_slugs`, and the build writes
a redirect page there. Nothing is written until every file has been read and every edit worked
out; a site with a syntax error anywhere is not touched.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import formats
from .diagnostics import Diagnostics, did_you_mean
from .markdown import CITATION_RE
from .load import (COUNCILS_DIR, MarkdownDocument, decode, listing, parse, record_file, record_stems,
                   scan)
from .fieldtypes import CouncilOrName, List, Record, Ref, Type
from .slugs import SLUG_RE
from .write import replace_file
from .yamlnodes import MappingNode, Node, ScalarNode, SequenceNode

Edit = tuple[int, int, str]  # replace text[start:end] by this


class RenameError(ValueError):
    """The rename cannot be done as asked; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Renamed:
    old: str  # site-relative paths
    new: str
    rewritten: dict[str, int]  # file (as it is named now) → references rewritten in it


def rename(site_dir: Path, kind: str, old: str, new: str) -> Renamed:
    """Rename the council or article `old` to `new`; raises `RenameError` (a wrong request)
    or `BuildFailed` (a file that cannot be read or parsed), having changed nothing."""
    old_rel, new_rel = record_file(kind, old), record_file(kind, new)
    if not SLUG_RE.match(new):
        raise RenameError(f"cannot use {new!r} as a file name: use lower-case letters, digits and single "
                          "hyphens, e.g. 'tunbridge-wells'")
    if not SLUG_RE.match(old) or not (site_dir / old_rel).is_file():
        raise RenameError(f"there is no {old_rel}{did_you_mean(old, record_stems(site_dir, kind))}")
    if old == new or (site_dir / new_rel).exists():
        raise RenameError(f"{new_rel} already exists: choose another name, or merge the two files by hand")
    texts, trees = _read(site_dir)
    if kind == "council":
        _refuse_former(trees, new, old_rel)
    keys = _ref_keys(kind)
    changed: dict[str, str] = {}
    counts: dict[str, int] = {}
    for rel, text in texts.items():
        root, offset = trees[rel]
        edits = _ref_edits(root, offset, text, keys, old, new) + _prose_edits(text, kind, old, new)
        if edits:
            counts[new_rel if rel == old_rel else rel] = len(edits)
        if rel == old_rel and kind == "council":
            edits.append(_former_slug_edit(root, offset, text, old))
        if edits:
            changed[rel] = _apply(text, edits)
    _write(site_dir, changed, old_rel, new_rel, texts[old_rel])
    return Renamed(old_rel, new_rel, dict(sorted(counts.items())))


def _read(site_dir: Path) -> tuple[dict[str, str], dict[str, tuple[Node | None, int]]]:
    """Every content file that can refer to a council or an article, by site-relative path: its
    text, and its YAML (a Markdown file's front matter) with where that starts in the text.
    Raises `BuildFailed` if any has a syntax error, as a build would."""
    diags = Diagnostics()
    texts, trees = {}, {}
    for file in scan(site_dir, diags, listing(site_dir)):  # read as a build reads them
        if file.kind == "site":
            continue
        doc = parse(file)
        diags.extend(doc.problems)
        text = decode(file.raw, file.path, Diagnostics())  # the whole file, as the nodes' places count it
        if text is not None:
            texts[file.path] = text
            trees[file.path] = doc.data, len("---\n") if isinstance(doc, MarkdownDocument) else 0
    diags.raise_if_errors()
    return texts, trees


def _ref_keys(namespace: str) -> set[str]:
    """The names of the fields, in any format, that hold ids of `namespace`."""
    found: set[str] = set()

    def visit(t: Type) -> None:
        if isinstance(t, List):
            visit(t.item)
        elif isinstance(t, Record):
            for name, spec in t.fields.items():
                inner = spec.type.item if isinstance(spec.type, List) else spec.type
                if isinstance(inner, Ref) and inner.namespace == namespace:
                    found.add(name)
                elif isinstance(inner, CouncilOrName) and namespace == "council":
                    found.add(name)  # a council's id, or free text that an id never matches
                visit(spec.type)

    for record in (formats.council_record(None), formats.ARTICLE, formats.PAGE, formats.TIMELINE,
                   formats.CHANGELOG):
        visit(record)
    return found


def _ref_edits(node: Node | None, offset: int, text: str, keys: set[str], old: str, new: str) -> list[Edit]:
    """Every value `old` of a field in `keys`, alone or in a list, anywhere in the tree."""
    edits: list[Edit] = []
    if isinstance(node, SequenceNode):
        for item in node.value:
            edits += _ref_edits(item, offset, text, keys, old, new)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value in keys:
                items = value.value if isinstance(value, SequenceNode) else [value]
                edits += [_scalar_edit(item, offset, text, new) for item in items
                          if isinstance(item, ScalarNode) and item.value.strip() == old]
            edits += _ref_edits(value, offset, text, keys, old, new)
    return edits


def _scalar_edit(node: ScalarNode, offset: int, text: str, new: str) -> Edit:
    start, end = node.start_mark.index + offset, node.end_mark.index + offset
    quote = text[start] if node.style in ("'", '"') else ""
    return start, end, f"{quote}{new}{quote}"


def _prose_edits(text: str, namespace: str, old: str, new: str) -> list[Edit]:
    """Citations and links in Markdown (and in comments, which then stay true)."""
    ident = re.escape(old)
    edits: list[Edit] = []
    if namespace == "article":
        edits = [(m.start(1), m.end(1), new) for m in CITATION_RE.finditer(text) if m[1] == old]
        pattern = rf"(?<=sources/#){ident}(?![A-Za-z0-9_-])|(?<=sources#){ident}(?![A-Za-z0-9_-])"
    else:
        pattern = rf"(?<=/councils/){ident}(?![A-Za-z0-9_.-])"
    return edits + [(m.start(), m.end(), new) for m in re.finditer(pattern, text)]


def _former_slug_edit(root: Node | None, offset: int, text: str, old: str) -> Edit:
    """Add `old` to the council's `former_slugs`, keeping the list's style, or add the field
    after `name`."""
    pairs = root.value if isinstance(root, MappingNode) else []
    for key, value in pairs:
        if key.value == "former_slugs" and isinstance(value, SequenceNode) and value.value:
            last = value.value[-1]
            end = last.end_mark.index + offset
            if value.flow_style:
                return end, end, f", {old}"
            line_start = text.rfind("\n", 0, last.start_mark.index + offset) + 1
            return end, end, "\n" + text[line_start:last.start_mark.index + offset] + old
        if key.value == "former_slugs" and isinstance(value, SequenceNode):  # []
            at = value.start_mark.index + offset + 1
            return at, at, old
    line = f"former_slugs: [{old}]   # old addresses of this page: they redirect here\n"
    if len(pairs) > 1:
        key = pairs[1][0]
        at = key.start_mark.index + offset - key.start_mark.column
        return at, at, line
    return len(text), len(text), ("" if text.endswith("\n") else "\n") + line


def _refuse_former(trees: dict, new: str, old_rel: str) -> None:
    """A council's new slug may not be one whose address redirects to a council already."""
    for rel, (root, _) in trees.items():
        if not rel.startswith(COUNCILS_DIR + "/") or not isinstance(root, MappingNode):
            continue
        for key, value in root.value:
            if key.value == "former_slugs" and isinstance(value, SequenceNode) and \
                    any(isinstance(i, ScalarNode) and i.value == new for i in value.value):
                hint = " (remove it from that list first)" if rel == old_rel else ""
                raise RenameError(f"'{new}' is a former name listed in {rel}'s former_slugs: its address "
                                  f"redirects there{hint}")


def _apply(text: str, edits: list[Edit]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _write(site_dir: Path, changed: dict[str, str], old_rel: str, new_rel: str, old_text: str) -> None:
    """The renamed file first (never over an existing one), then each rewritten file replaced
    whole, then the old name removed."""
    with open(site_dir / new_rel, "x", encoding="utf-8") as f:
        f.write(changed.get(old_rel, old_text))
    for rel, text in changed.items():
        if rel != old_rel:
            replace_file(os.fspath(site_dir / rel), text.encode("utf-8"))  # its temporary is hidden: never content
    os.remove(site_dir / old_rel)

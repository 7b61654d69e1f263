"""The pipeline on one screen: scan → check → link → route → render → write → remember.

`build` makes an output folder the site; a rebuild redoes only what changed. What one build
leaves for the next is in a `BuildCache` (cache.py): each input file's stamp and checked result
(by content hash), each output's key (a hash of everything it shows), the manifest of the
output, and where in the outputs that list every record each record's pieces are, with the
record's key (pieces.py): a kept record's pieces are read back from there. The CLI saves it in
the site's `.cache/` folder for the next process; the preview server keeps one in memory for its
session.
A rebuild's output is byte for byte a clean build's (tests compare them).
"""

from __future__ import annotations

import datetime
import os
import pickle
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from . import parallel, pieces, render, validate
from .cache import BuildCache, digest
from .diagnostics import BuildFailed, Diagnostic, Diagnostics
from .load import SITE_FILE, InputFile, listing, parse, scan, trusted, with_bytes
from .write import Output, WriteResult, manifest_of, manifest_stamp, walk

STATE, RESULTS, STATS = "state", "results", "stats"  # STATS: "files" → {input file → (stamp, InputFile)}
SAVED = (STATE, RESULTS, STATS)  # what the CLI saves
MEMORY = "memory"  # the templates: as long as the cache object


def open_cache(folder: Path | None, saved: tuple[str, ...] = SAVED, read: tuple[str, ...] | None = None) -> BuildCache:
    """The build cache kept in `folder` (None: in memory only); see BuildCache."""
    return BuildCache(folder, saved, read)


@dataclass(frozen=True, slots=True)
class Options:
    """What changes the output besides the content and the templates."""

    base_url: str | None = None  # instead of site.yaml's
    drafts: bool = False  # publish the files marked `draft: true` too (the preview)
    for_files: bool = False  # links name `index.html`, for browsing the output from disk
    jobs: int = 1  # processes to render and check with


@dataclass(frozen=True, slots=True)
class Outcome:
    paths: tuple[str, ...]  # every output file
    warnings: list[Diagnostic]
    rendered: int  # outputs rendered this time (the others were unchanged)
    written: WriteResult | None = None
    site: object | None = None  # the Site model, unless nothing changed at all

    @property
    def pages(self) -> int:
        return sum(path.endswith(".html") for path in self.paths)


def build(site_dir: Path, out: Path | None, today: datetime.date, options: Options, cache: BuildCache,
          atomic: bool = True) -> Outcome:
    """Make `out` the site as of `today` (see clock.py); raises `BuildFailed` (leaving `out` as
    it was) on any error. `atomic=False` (the preview) replaces changed files one by one. With
    `out` None, everything is done but writing: content and templates are both checked."""
    scanned = scan_inputs(site_dir, out, today, options, cache)
    if scanned.unchanged:
        return Outcome(tuple(cache.get(STATE, "manifest")), cache.get(STATE, "warnings"), 0)
    templates = load_templates(site_dir, scanned.templates, cache)
    results = check(site_dir, scanned.files, cache, options.jobs, meanwhile=partial(render.precompile, templates))
    site, warnings = validate.link(results, scanned.found, today, options.drafts, options.base_url)
    routes, keys = keyed_routes(site, results, templates, options, cache)
    last = last_build(scanned, cache)
    made = partial(pieces_for, site, routes, keys, templates, last, options, warnings)
    written = render_and_write(out, routes, made, templates, options, last, cache, atomic, warnings)
    remember(cache, scanned, routes, written, last, warnings)
    return Outcome(tuple(sorted(written.paths)), warnings, written.rendered, written.result, site)


def check_site(site_dir: Path, today: datetime.date, options: Options, cache: BuildCache) -> Outcome:
    """Everything a build does but writing, as of `today`."""
    return build(site_dir, None, today, options, cache)


def forget(cache: BuildCache, paths: list[str]) -> None:
    """Read these files again next time, even if their size and times look unchanged."""
    forgotten = set(paths)
    cache.put(STATS, "files", {p: v for p, v in cache.get(STATS, "files", {}).items() if p not in forgotten})
    cache.put(STATE, "stamps", "")


# -- scan ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scan:
    files: list[InputFile]
    templates: str  # fingerprint of the templates folder
    found: list[Diagnostic]  # unreadable files and the like
    stamps: str  # fingerprint of the stamps ("" when they are not to be trusted next time)
    inputs: str  # fingerprint of the inputs' content
    out: str  # the output folder, resolved
    unchanged: bool  # nothing to do: `out` is the last build's output, and nothing changed since


def scan_inputs(site_dir: Path, out: Path | None, today: datetime.date, options: Options,
                cache: BuildCache) -> Scan:
    """Every input file; a file whose stamp (size, times, inode) is as last seen is not read
    again, as git does. A new day is a change too: ages are measured from `today`."""
    taken = time.time_ns()
    listed = listing(site_dir)
    resolved = str(out.resolve()) if out is not None else ""
    settings = (cache.code, options.base_url, options.drafts, options.for_files, today)
    stamps = digest(sorted(listed.items()), settings)
    same_out = _wrote_last(cache, resolved)
    if same_out and stamps == cache.get(STATE, "stamps") and _intact(out, cache):
        return Scan([], "", [], stamps, cache.get(STATE, "inputs"), resolved, True)
    diags = Diagnostics()
    seen = cache.get(STATS, "files", {})
    files = scan(site_dir, diags, listed, seen)
    stats = {}
    for file in files:
        stamp, known = listed.get(file.path), seen.get(file.path)
        if known is not None and known[0] == stamp and known[1].digest == file.digest:
            stats[file.path] = known
        elif stamp and trusted(stamp, taken):
            stats[file.path] = (stamp, replace(file, raw=None))
    if stats != seen:
        cache.put(STATS, "files", stats)
    templates = render.templates_fingerprint(site_dir, listed)
    inputs = digest(sorted((f.path, f.digest) for f in files), templates, [str(d) for d in diags.items], settings,
                    resolved)
    # Stamps taken too soon after a change are not to be relied on next time (see load.RACY_NS).
    stamps = stamps if all(trusted(stamp, taken) for stamp in listed.values()) else ""
    unchanged = same_out and inputs == cache.get(STATE, "inputs") and _intact(out, cache)
    return Scan(files, templates, diags.items, stamps, inputs, resolved, unchanged)


def _wrote_last(cache: BuildCache, resolved: str) -> bool:
    """True if the last build wrote to this output folder (resolved; "" for none)."""
    return bool(resolved) and cache.get(STATE, "out") == resolved


def _intact(out: Path, cache: BuildCache) -> bool:
    """True when `out` holds exactly the files of the last build, none touched since."""
    manifest = cache.get(STATE, "manifest")
    return bool(manifest) and walk(out) == manifest


def load_templates(site_dir: Path, fingerprint: str, cache: BuildCache) -> render.Templates:
    templates = render.templates(site_dir, fingerprint, cache.compiled_templates(), cache.get(MEMORY, "templates"))
    cache.put(MEMORY, "templates", templates)
    return templates


# -- check ---------------------------------------------------------------------------------


def check(site_dir: Path, files: list[InputFile], cache: BuildCache, jobs: int, meanwhile=None) -> list:
    """Each file's checked result: the remembered one while its key (validate.result_key) is
    unchanged, else checked now, in parallel when there are many. `meanwhile` runs in this
    process while the others check."""
    site_file = next((f for f in files if f.kind == "site"), None)
    keys = {f.path: validate.result_key(f, site_file) for f in files}
    config = None
    if site_file is not None:  # first: the other files are checked against its vocabularies
        config = _results(site_dir, [site_file], keys, cache, None, 1)[site_file.path].value
    checked = _results(site_dir, files, keys, cache, config, jobs, meanwhile)
    cache.keep(RESULTS, keys)
    return [checked[f.path] for f in files]


def _results(site_dir: Path, files: list[InputFile], keys: dict[str, str], cache: BuildCache, config, jobs: int,
             meanwhile=None) -> dict:
    """Path → checked result of each of `files`, remembered or checked now (and remembered)."""
    checked, todo = {}, []
    for file in files:
        found = cache.get(RESULTS, file.path)
        if found is not None and found[0] == keys[file.path]:
            checked[file.path] = found[1]
        else:
            todo.append(file)
    diags = Diagnostics()
    todo = with_bytes(site_dir, todo, diags)  # those remembered by their stamp only
    diags.raise_if_errors()
    jobs = parallel.jobs_for(len(todo), jobs)
    chunks = parallel.chunked([(f, keys[f.path]) for f in todo], jobs)
    for chunk in parallel.shared_map(partial(_check_chunk, config=config), chunks, jobs, meanwhile=meanwhile):
        for entry, blob in zip(chunk.unpacked(), chunk.blobs):
            checked[entry[1].path] = entry[1]
            cache.put(RESULTS, entry[1].path, entry, pickled=blob)
    return checked


def _check_chunk(chunk: list[tuple[InputFile, str]], config) -> "_CheckedResults":
    done = [(key, validate.check_file(parse(f), config)) for f, key in chunk]
    return _CheckedResults(done, [pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL) for entry in done])


class _CheckedResults:
    """A chunk of (key, checked result) pairs, each also pickled (as the cache saves it). From a
    worker process only the pickled bytes travel: they are unpickled once, by the process using them."""

    __slots__ = ("results", "blobs")

    def __init__(self, results: list | None, blobs: list[bytes]):
        self.results, self.blobs = results, blobs

    def __reduce__(self):
        return _CheckedResults, (None, self.blobs)

    def unpacked(self) -> list:
        if self.results is None:
            self.results = [pickle.loads(blob) for blob in self.blobs]
        return self.results


# -- route ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Keyed:
    """A route or a piece, and the key of everything it shows: unchanged key, unchanged output."""

    item: object  # render.Route or pieces.Piece
    key: str

    @property
    def path(self) -> str:
        return self.item.path


@dataclass(frozen=True, slots=True)
class Keys:
    """How keys are made: from the content files an output or piece shows (`inputs`; None: all),
    what else it shows (`derived`), its templates and what every page shows (site.yaml, the
    options, the date, the menu)."""

    site_wide: str
    everything: str  # what the outputs showing every file show
    digests: dict[str, str]  # content file → digest
    templates: render.Templates
    template_digests: dict = field(default_factory=dict)  # templates → their digests, worked out once

    def of(self, name: str, templates: tuple[str, ...], inputs, derived) -> str:
        content = self.everything if inputs is None else digest(
            self.site_wide, [self.digests.get(p) for p in inputs], derived)
        shown_by = self.template_digests.get(templates)
        if shown_by is None:
            shown_by = self.template_digests[templates] = ":".join(self.templates.digest(t) for t in templates)
        return f"{content}:{shown_by}:{name}"


def keyed_routes(site, results: list, templates: render.Templates, options: Options,
                 cache: BuildCache) -> tuple[list[Keyed], Keys]:
    """Every output (render.routes) with its key, and the means to key the pieces. The outputs
    that list every record show their pieces, so their keys count the pieces' templates too."""
    digests = {r.path: r.digest for r in results}
    site_wide = digest(cache.code, digests.get(SITE_FILE), options.base_url, options.drafts, options.for_files,
                       site.updated, site.today, [(p.slug, p.title, p.nav) for p in site.pages])
    keys = Keys(site_wide, digest(site_wide, sorted(digests.items())), digests, templates)
    return [Keyed(r, keys.of(r.path, _templates_shown(r), r.inputs, r.derived)) for r in render.routes(site)], keys


def _templates_shown(route: render.Route) -> tuple[str, ...]:
    own = (route.template,) if route.template else ()
    return own if route.inputs is not None else own + pieces.TEMPLATES


def keyed_pieces(site, routes: list[Keyed], keys: Keys) -> list[Keyed]:
    """Every record with pieces (pieces.records) with its key."""
    return [Keyed(r, keys.of(r.name, pieces.templates_of(r.kind), r.inputs, r.derived))
            for r in pieces.records(site, [k.item for k in routes])]


# -- render and write ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last build left in the output folder (nothing, if it wrote elsewhere)."""

    out: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)  # output → its key
    manifest: dict | None = None  # output → (size, modification time); None: not known
    spare: object | None = None  # write.Spare
    layouts: dict[str, pieces.Layout] = field(default_factory=dict)  # listing output → where its pieces are
    records: frozenset[str] = frozenset()  # the keys of the records whose pieces the layouts hold

    def intact(self, rel: str) -> bool:
        """True if the output file is as the last build left it."""
        if self.manifest is None:
            return False
        try:
            return self.manifest.get(rel) == manifest_stamp(os.path.join(self.out, rel))
        except OSError:
            return False


def last_build(scanned: Scan, cache: BuildCache) -> LastBuild:
    if not _wrote_last(cache, scanned.out):
        return LastBuild()
    return LastBuild(Path(scanned.out), cache.get(STATE, "keys", {}), cache.get(STATE, "manifest", {}),
                     cache.get(STATE, "spare"),
                     cache.get(STATE, "layouts", {}), cache.get(STATE, "records", frozenset()))


@dataclass(frozen=True, slots=True)
class Made:
    pieces: dict[str, bytes]  # every piece's bytes (or a view of them), by name
    records: frozenset[str]  # every record's key
    outputs: dict[str, bytes] = field(default_factory=dict)  # the listing outputs read for their pieces


def pieces_for(site, routes: list[Keyed], keys: Keys, templates: render.Templates, last: LastBuild,
               options: Options, warnings: list[Diagnostic]) -> Made:
    """Every piece's bytes by name, for the outputs that list every record."""
    return render_pieces(site, routes, keyed_pieces(site, routes, keys), templates, last, options, warnings)


def render_pieces(site, routes: list[Keyed], records: list[Keyed], templates: render.Templates, last: LastBuild,
                  options: Options, warnings: list[Diagnostic]) -> Made:
    """Every piece's bytes by name: a record's are taken from the listing outputs of the last
    build while its key is the same (and those outputs are as that build left them), else
    rendered now. (Outputs made for browsing from disk have their links rewritten, so no
    layout is kept for them: see `_render_routes`.)"""
    made, outputs = pieces.placed(last.out, last.layouts, last.intact)
    kept = last.records
    todo = [keyed for keyed in records if keyed.key not in kept]
    if len(todo) < len(records):
        incomplete = pieces.incomplete([keyed.item for keyed in records], made)
        if incomplete:
            todo = [keyed for keyed in records
                    if keyed.key not in kept or (keyed.item.kind, keyed.item.ident) in incomplete]
    if todo:
        makers = pieces.makers(site, [k.item for k in routes])
        jobs = parallel.jobs_for(len(todo), options.jobs)
        chunks = parallel.chunked(todo, jobs)
        done = parallel.shared_map(partial(_render_records, env=templates.env, site_dir=templates.folder.parent,
                                           makers=makers), chunks, jobs)
        problems = {p for _, found in done for p in found}
        if problems:
            raise BuildFailed(sorted(problems | set(warnings)))  # the content's warnings still stand
        for chunk, (texts, _) in zip(chunks, done):
            for keyed, record_texts in zip(chunk, texts):
                made.update(zip(pieces.names(keyed.item), record_texts))
    return Made(made, frozenset(keyed.key for keyed in records), outputs)


def _render_records(chunk: list[Keyed], env, site_dir: Path, makers: pieces.Makers):
    """Each record's pieces' bytes (in the chunk's order) and the template errors met."""
    done, problems = [], []
    for keyed in chunk:
        texts = _templated(problems, site_dir, pieces.render, keyed.item, env, makers)
        done.append(None if texts is None else [text.encode("utf-8") for text in texts])
    return done, problems


@dataclass(frozen=True, slots=True)
class Written:
    paths: set[str]
    rendered: int
    result: WriteResult | None
    layouts: dict[str, pieces.Layout] = field(default_factory=dict)  # of the listing outputs rendered
    records: frozenset[str] | None = None  # every record's key, if the pieces were made


def render_and_write(out: Path | None, routes: list[Keyed], made: Callable[[], Made], templates: render.Templates,
                     options: Options, last: LastBuild, cache: BuildCache, atomic: bool,
                     warnings: list[Diagnostic]) -> Written:
    """Render the outputs whose key changed (all of them when `out` is None: only checking) and
    put them in `out`, with the assets. The outputs that show one record go first, so that in
    the preview the page being edited is on disk before the pieces (`made`, asked for only if an
    output listing every record changed) are keyed. Template errors are collected, then raised
    together."""
    site_dir = templates.folder.parent
    assets = dict(render.assets(site_dir))
    paths = {r.path for r in routes} | set(assets)
    output = None if out is None else Output(out, atomic, last.manifest, spare=last.spare)
    try:
        fresh = []
        for r in routes:
            if out is not None and last.keys.get(r.path) == r.key and last.intact(r.path):
                output.keep(r.path)
            else:
                fresh.append(r)
        render_one = partial(_render_routes, env=templates.env, site_dir=site_dir, output=output,
                             for_files=options.for_files)
        single = [r for r in fresh if r.item.inputs is not None]
        jobs = parallel.jobs_for(len(single), options.jobs)
        done = parallel.shared_map(partial(render_one, made=None, current={}), parallel.chunked(single, jobs), jobs)
        problems = _problems(done)
        listing = [r for r in fresh if r.item.inputs is None]
        layouts, records = {}, None
        if listing:
            try:
                texts = made()
            except BuildFailed as failed:  # a piece's template error: reported with the others
                raise BuildFailed(sorted(set(failed.diagnostics) | problems)) from None
            records = texts.records
            jobs = parallel.jobs_for(len(texts.pieces), options.jobs) if len(listing) > 1 else 1
            chunks = [[r] for r in listing] if jobs > 1 else [listing]
            done = parallel.shared_map(partial(render_one, made=texts.pieces, current=texts.outputs), chunks, jobs)
            problems |= _problems(done)
            layouts = {path: layout for _, found in done for path, layout in found.items()}
        if problems:
            raise BuildFailed(sorted(problems | set(warnings)))  # the content's warnings still stand
        if output is None:
            return Written(paths, len(fresh), None)
        for rel, content in sorted(assets.items()):
            output.put(rel, content)
        return Written(paths, len(fresh), output.finish(paths), layouts, records)
    except BaseException:
        cache.put(STATE, "keys", {})  # the output is no longer known to match them
        raise
    finally:
        if output is not None:
            output.abort()


def _problems(done: list[tuple[list[Diagnostic], dict]]) -> set[Diagnostic]:
    return {p for found, _ in done for p in found}


def _render_routes(chunk: list[Keyed], env, site_dir: Path, made: Mapping[str, bytes] | None, output: Output | None,
                   for_files: bool, current: Mapping[str, bytes]) -> tuple[list[Diagnostic], dict[str, pieces.Layout]]:
    """Render and write each route (`made`: the pieces, for the outputs that list every record;
    `current`: the bytes of those the output holds, if read); the template errors met, and where
    the pieces are in each listing output."""
    problems, layouts = [], {}
    for keyed_route in chunk:
        if made is None:
            text = _templated(problems, site_dir, render.render_route, keyed_route.item, env, {})
            content = None if text is None else text.encode("utf-8")
        else:
            content, layout = _joined(problems, site_dir, keyed_route.item, env, made)
            if layout is not None and layout.names and not for_files:
                layouts[keyed_route.path] = layout
        if content is None:
            continue
        if for_files:
            content = render.for_files(keyed_route.path, content)
        if output is not None and not problems:
            output.put(keyed_route.path, content, current.get(keyed_route.path))
    return problems, layouts


def _joined(problems: list[Diagnostic], site_dir: Path, route: render.Route, env,
            made: Mapping[str, bytes]) -> tuple[bytes | None, pieces.Layout | None]:
    """A listing output rendered with placeholders, then its pieces put in their places (see
    pieces.join); as text, if the template did not leave its placeholders intact."""
    placeholders = pieces.Placeholders(made)
    text = _templated(problems, site_dir, render.render_route, route, env, placeholders)
    if text is None:
        return None, None
    joined = pieces.join(text, placeholders)
    if joined is not None:
        return joined
    text = _templated(problems, site_dir, render.render_route, route, env, pieces.Texts(made))
    return (None if text is None else text.encode("utf-8")), None


def _templated(problems: list[Diagnostic], site_dir: Path, fn, *args):
    """`fn(*args)`, or None with a template's mistake (Jinja's or Python's, e.g. 1 + "a") added
    to `problems` at its template's line."""
    try:
        return fn(*args)
    except Exception as exc:
        found = render.template_diagnostic(exc, site_dir)
        if found is None:
            raise  # not from a template: a bug of the generator's own
        problems.append(found)
        return None


# -- remember ------------------------------------------------------------------------------


def remember(cache: BuildCache, scanned: Scan, routes: list[Keyed], written: Written, last: LastBuild,
             warnings: list[Diagnostic]) -> None:
    """What the next build needs to see what it need not redo, saved if the cache has a folder
    (nothing, if nothing was written)."""
    if written.result is None:
        return
    cache.put(STATE, "inputs", scanned.inputs)
    cache.put(STATE, "stamps", scanned.stamps)
    cache.put(STATE, "out", scanned.out)
    cache.put(STATE, "warnings", warnings)
    cache.put(STATE, "keys", {r.path: r.key for r in routes})
    cache.put(STATE, "manifest", manifest_of(Path(scanned.out), written.paths))
    cache.put(STATE, "spare", written.result.spare)
    if written.records is not None:
        # A listing output kept as it was holds the pieces of records whose key is unchanged.
        kept = last.layouts if written.records == last.records else {}
        layouts = {path: layout for path, layout in {**kept, **written.layouts}.items() if path in written.paths}
        if layouts != last.layouts:
            cache.put(STATE, "layouts", layouts)
        if written.records != last.records:
            cache.put(STATE, "records", written.records)
    cache.save()

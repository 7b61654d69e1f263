"""The pipeline on one screen: scan → check each file → link → render → write.

A `Builder` remembers, between builds, each file's checked result (by content hash) and each
output's key (a hash of its inputs), so a rebuild re-checks only changed files and re-renders
only the outputs whose inputs changed. The preview server keeps one Builder alive. `build`
saves both, with a manifest of the output, in the site's git-ignored `.cache/` folder, for the
next build in a new process: the results as each file's pickled bytes (pickled by the worker
that checked it, and unpickled only when the file is unchanged). The cache is ignored whenever
the generator's code changes. A build's output is byte for byte the output of a clean build
(tests compare them).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import pickle
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import BuildFailed, Diagnostic, Diagnostics
from .load import InputFile, Stamp, listing, scan, trusted
from .write import Output, WriteResult

CACHE_DIR = ".cache"
CACHE_FILE = "build.pickle"  # output keys and manifest: enough to see what need not be redone
RESULTS_FILE = "results.pickle"  # every file's checked result, so a rebuild checks only the changed ones
PARALLEL_MIN = 20  # below this many files or pages, forking costs more than it saves
_CODE = Path(__file__).resolve().parent


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def code_fingerprint() -> str:
    """Changes whenever the generator's own code does: cached results are then thrown away."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


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


@dataclass(slots=True)
class _BuildCache:
    """What one build leaves for the next: each file's checked result, fingerprints of the inputs,
    each output's key and the manifest of the output folder. A Builder keeps it in memory, and
    `build` saves it (the results apart) in `.cache/`."""

    code: str = ""
    results: dict = field(default_factory=dict)  # input path → FileResult
    inputs: str = ""  # fingerprint of every input file, template and option
    stamps: str = ""  # fingerprint of the input files' stamps and the options ("" if not to be trusted)
    keys: dict[str, str] = field(default_factory=dict)  # output path → key of its inputs
    out: str = ""  # the output folder `keys` and `manifest` describe
    manifest: dict[str, tuple[int, int]] = field(default_factory=dict)  # output path → (size, mtime)
    spare: object = None  # the output's spare folder, as the last build's write.WriteResult described it
    warnings: list = field(default_factory=list)


class Builder:
    def __init__(self, site_dir: Path, base_url: str | None = None, jobs: int | None = None,
                 cache: bool = True, save_results: bool = True, drafts: bool = False,
                 for_files: bool = False):
        """`cache`: read and write what is remembered in the site's `.cache/` folder;
        `save_results`: write the checked results there too (a long-lived Builder, as the
        preview's, keeps them in memory and need not spend time on it); `drafts`: publish the
        files marked `draft: true` too (the preview); `for_files`: links name `index.html`,
        for browsing the output from disk."""
        from .parallel import cores

        self.site_dir = site_dir
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.jobs = jobs or cores()
        self.drafts = drafts
        self.for_files = for_files
        self.cache_dir = site_dir / CACHE_DIR if cache else None
        self.save_results = cache and save_results
        self.cache = _BuildCache(code=code_fingerprint())
        self._stats: dict[str, tuple[Stamp | None, InputFile]] = {}
        self._env = None
        self._env_fingerprint = ""
        self._closures: tuple[str, dict[str, str]] = ("", {})  # templates fingerprint, digests by template
        self._restored = False

    # -- the two commands ------------------------------------------------------------------

    def build(self, out: Path, today: datetime.date, atomic: bool = True) -> Outcome:
        """Make `out` the site as of `today` (see clock.py); raises `BuildFailed` (leaving `out`
        as it was) on any error."""
        self._restore()
        cache = self.cache
        resolved = str(out.resolve())
        same_out = cache.out == resolved
        # Like git: files whose size, times and inode are as recorded are not read again.
        taken = time.time_ns()
        listed = listing(self.site_dir)
        # Ages are measured from `today` (warnings, stale statuses): a new day is a change.
        stamps = _digest(sorted(listed.items()), self.base_url, cache.code, self._options, today)
        if stamps == cache.stamps and same_out and self._intact(out):
            return Outcome(tuple(cache.manifest), cache.warnings, 0)
        files, templates, found = self._scan(listed, taken)
        inputs = _digest(sorted((f.path, f.digest) for f in files), templates, self.base_url,
                         resolved, [str(d) for d in found], self._options, today)
        # Stamps taken too soon after a change are not to be relied on next time (see RACY_NS).
        stamps = stamps if all(trusted(stamp, taken) for stamp in listed.values()) else ""
        if inputs == cache.inputs and same_out and self._intact(out):
            cache.stamps = stamps  # touched, not changed
            self._save()
            return Outcome(tuple(cache.manifest), cache.warnings, 0)
        site, warnings = self._check_and_link(files, found, templates, today, keep=self.save_results)
        routes, assets = self._routes(site, templates)
        stale = self._stale(routes, out, same_out)
        known = same_out and bool(cache.manifest)
        output = Output(out, atomic, {p: size for p, (size, _) in cache.manifest.items()} if known else None,
                        spare=cache.spare if known else None)
        try:
            rendered, _ = self._render(stale, output, assets, warnings)
            paths = {r.path for r in routes} | set(assets)
            result = output.finish(paths)
        except BaseException:
            cache.keys = {}  # the output is no longer known to match them
            raise
        finally:
            output.abort()
        cache.inputs, cache.out, cache.warnings = inputs, resolved, warnings
        cache.stamps = stamps
        cache.keys = {r.path: r.key for r in routes}
        cache.manifest = _manifest(out, sorted(paths))
        cache.spare = result.spare
        self._save()
        return Outcome(tuple(sorted(paths)), warnings, rendered, result, site)

    def check(self, today: datetime.date) -> Outcome:
        """Everything a build does but writing, as of `today`: content and templates are both checked."""
        files, templates, found = self._scan(listing(self.site_dir), time.time_ns())
        site, warnings = self._check_and_link(files, found, templates, today, keep=False)
        routes, assets = self._routes(site, templates)
        rendered, _ = self._render([(r, None) for r in routes], None, assets, warnings)
        return Outcome(tuple(sorted({r.path for r in routes} | set(assets))), warnings, rendered,
                       None, site)

    def forget(self, paths: list[str]) -> None:
        """Read these files again next time, even if their size and time look unchanged."""
        for path in paths:
            self._stats.pop(path, None)
        self.cache.stamps = ""

    @property
    def _options(self) -> tuple[bool, bool]:
        """The options that change the output (besides the base URL)."""
        return self.drafts, self.for_files

    # -- reading and checking --------------------------------------------------------------

    def _scan(self, listed: dict, taken: int) -> tuple[list[InputFile], str, list[Diagnostic]]:
        """Every input file of the `listing` (taken at `taken`); a file whose stamp is as last
        seen, and was trusted then, is not read again. Also the fingerprint of the templates folder."""
        diags = Diagnostics()
        seen: dict = {}

        def reuse(rel: str, stamp: Stamp) -> InputFile | None:
            cached = self._stats.get(rel)
            return cached[1] if cached and cached[0] == stamp else None

        def remember(file: InputFile, stamp: Stamp) -> None:
            seen[file.path] = (stamp if trusted(stamp, taken) else None, file)

        files = scan(self.site_dir, diags, listed, reuse, remember)
        self._stats = seen
        return files, self._templates_fingerprint(listed), diags.items

    def _templates_fingerprint(self, listed: dict) -> str:
        """A hash of the content of every file under templates/ in the `listing`."""
        parts = []
        for rel in sorted(rel for rel in listed if rel.startswith("templates/")):
            try:
                with open(self.site_dir / rel, "rb") as f:
                    parts.append((rel, hashlib.blake2b(f.read(), digest_size=16).digest()))
            except OSError:  # removed since it was listed
                continue
        return _digest(parts)

    def _check_and_link(self, files: list[InputFile], found: list[Diagnostic], templates: str,
                        today: datetime.date, keep: bool):
        """Check the files that changed (in parallel when there are many), then link them all.
        Meanwhile this process gets the templates ready, so that it is done once, not in
        every process that renders. `keep`: pickle the new results, to be saved."""
        from .parallel import chunked, shared_map
        from .validate import check_file, link

        cache = self.cache
        results = cache.results
        # The results the last build here saved (path → (digest, pickled)): needed to save them
        # again, or useful when this Builder has none of its own yet.
        packed = self._saved_results() if keep or not results else {}
        changed = False

        def reuse(file: InputFile):
            result = results.get(file.path)
            if result is not None and result.digest == file.digest:
                return result
            entry = packed.get(file.path)
            if entry is None or entry[0] != file.digest:
                return None
            try:
                return pickle.loads(entry[1])
            except Exception:  # a damaged entry: the file is checked again
                return None

        def check(chunk: list[InputFile]) -> _CheckedResults:
            done = [check_file(f, config) for f in chunk]
            blobs = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in done] if keep else None
            return _CheckedResults(done, blobs)

        checked: dict = {}

        def add_checked(chunk: _CheckedResults) -> None:
            nonlocal changed
            done = chunk.unpacked()
            checked.update((result.path, result) for result in done)
            if chunk.blobs is not None:
                packed.update((result.path, (result.digest, blob)) for result, blob in zip(done, chunk.blobs))
                changed = True

        config = None  # site.yaml is checked on its own terms; councils against its vocabularies
        site_file = next((f for f in files if f.kind == "site"), None)
        if site_file is not None:
            config_result = reuse(site_file)
            if config_result is None:
                results, packed = {}, {}  # site.yaml changed: no other result still holds
                add_checked(check([site_file]))
            else:
                checked[site_file.path] = config_result
            config = checked[site_file.path].value
        todo = []
        for file in files:
            if file.path not in checked:
                result = reuse(file)
                if result is None:
                    todo.append(file)
                else:
                    checked[file.path] = result
        jobs = self.jobs if len(todo) >= PARALLEL_MIN else 1
        for chunk in shared_map(check, chunked(todo, jobs), jobs, meanwhile=lambda: self._compile_templates(templates)):
            add_checked(chunk)
        results = {f.path: checked[f.path] for f in files}
        cache.results = results
        if keep and (changed or packed.keys() != results.keys()):
            self._save_results({path: entry for path, entry in packed.items() if path in results})
        site, warnings = link(list(results.values()), found, today, drafts=self.drafts)
        if self.base_url:
            site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=self.base_url))
        return site, warnings

    # -- rendering -------------------------------------------------------------------------

    def _environment(self, templates: str):
        from .render import environment

        if self._env is None or self._env_fingerprint != templates:
            self._env, self._env_fingerprint = environment(self.site_dir, self._compiled_dir()), templates
        return self._env

    def _compiled_dir(self) -> Path | None:
        """Where Jinja keeps compiled templates: one folder per version of the generator (whose
        environment options the compiled code depends on), the others removed."""
        if self.cache_dir is None:
            return None
        folder = self.cache_dir / f"templates-{self.cache.code[:16]}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in self.cache_dir.glob("templates-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            return None  # a read-only site folder: templates are compiled every time
        return folder

    def _compile_templates(self, templates: str) -> None:
        """Compile every template now; one that does not compile is left for rendering to report."""
        import jinja2

        env = self._environment(templates)
        for name in env.list_templates(filter_func=lambda name: not name.startswith(("assets/", "map/"))):
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                pass

    def _routes(self, site, templates: str):
        """Every output with the key of its inputs: content, templates, site-wide settings."""
        from .render import assets as read_assets
        from .render import routes as make_routes
        from .render import template_closure

        env = self._environment(templates)
        digests = {path: r.digest for path, r in self.cache.results.items()}
        every_file_digest = _digest(sorted(digests.items()))  # keys the pages that list everything
        if self._closures[0] != templates:
            self._closures = (templates, {})
        template_digests = self._closures[1]
        routes = []
        config_digest = digests.get("site.yaml")
        # What every page shows or depends on: the code, site.yaml, the options, the dates, the menu.
        site_wide_digest = _digest(self.cache.code, config_digest, self.base_url, self._options, site.updated,
                                   site.today, [(p.slug, p.title, p.nav) for p in site.pages])
        for route in make_routes(site):
            if route.template is None:
                template_part = None
            else:
                if route.template not in template_digests:
                    closure = template_closure(env, route.template)
                    template_digests[route.template] = templates if closure is None else _digest(
                        [(name, (self.site_dir / "templates" / name).read_bytes()) for name in closure])
                template_part = template_digests[route.template]
            content = every_file_digest if route.inputs is None else ([digests.get(p) for p in route.inputs],
                                                                      route.derived)
            routes.append(_KeyedRoute(route, _digest(site_wide_digest, template_part, route.path, content)))
        return routes, dict(read_assets(self.site_dir))

    def _stale(self, routes: list["_KeyedRoute"], out: Path, known: bool) -> list[tuple["_KeyedRoute", bool]]:
        """Each route, with whether its previous output in `out` (which the last build wrote,
        if `known`) can be kept as it is."""
        cache = self.cache
        base = os.fspath(out)
        return [(r, known and cache.keys.get(r.path) == r.key and self._unchanged_file(base, r.path))
                for r in routes]

    def _unchanged_file(self, out: str, rel: str) -> bool:
        try:
            st = os.stat(os.path.join(out, rel))
        except OSError:
            return False
        return self.cache.manifest.get(rel) == (st.st_size, st.st_mtime_ns)

    def _render(self, todo, output: Output | None, assets: dict[str, bytes],
                warnings: list[Diagnostic]) -> tuple[int, int]:
        """Render the routes not marked as kept, into `output` (or only to check them);
        returns (rendered, changed). Template errors are collected, then raised together."""
        from .parallel import chunked, shared_map

        env = self._environment(self._env_fingerprint)
        site_dir = self.site_dir
        fresh = [r for r, keep in todo if not keep]
        listing_pages = [r for r in fresh if r.route.inputs is None]  # pages listing everything
        single = [r for r in fresh if r.route.inputs is not None]
        # Worth forking for many pages, or for the pages listing everything on a big site.
        big = len(fresh) >= PARALLEL_MIN or (len(listing_pages) > 1 and len(self.cache.results) >= PARALLEL_MIN)
        jobs = self.jobs if big else 1
        if jobs > 1:
            # The slow pages listing everything go first, one to a chunk; small chunks of
            # one-item pages then fill whichever process is free.
            chunks = [[r] for r in listing_pages] + chunked(single, jobs)
        else:
            # One process (a small site, the preview): the page being edited reaches the disk first.
            chunks = [single + listing_pages]
        if output is not None:
            for r, keep in todo:
                if keep:
                    output.keep(r.path)

        for_files = self.for_files

        def work(part) -> tuple[int, list[Diagnostic]]:
            import jinja2

            from .render import for_files as file_links
            from .render import render_route, template_diagnostic

            changed, problems = 0, []
            for keyed in part:
                try:
                    content = render_route(keyed.route, env)
                except Exception as exc:  # a template's mistake, Jinja's or Python's (e.g. 1 + "a")
                    found = template_diagnostic(exc, site_dir)
                    if found is None:
                        raise  # not from a template: a bug of the generator's own
                    problems.append(found)
                    continue
                if for_files:
                    content = file_links(keyed.path, content)
                if output is not None and not problems:
                    changed += output.put(keyed.path, content)
            return changed, problems

        done = shared_map(work, chunks, jobs) if fresh else []
        problems = {p for _, found in done for p in found}
        if problems:
            raise BuildFailed(sorted(problems | set(warnings)))  # the content's warnings still stand
        changed = sum(c for c, _ in done)
        if output is not None:
            changed += sum(output.put(rel, content) for rel, content in sorted(assets.items()))
        return len(fresh), changed

    # -- remembering -----------------------------------------------------------------------

    def _intact(self, out: Path) -> bool:
        """True when `out` holds exactly the files of the last build, none touched since."""
        manifest = self.cache.manifest
        if not manifest:
            return False
        count = 0
        for folder, _dirs, files in os.walk(out):
            for name in files:
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, out).replace(os.sep, "/")
                try:
                    st = os.stat(path)
                except OSError:
                    return False
                if manifest.get(rel) != (st.st_size, st.st_mtime_ns):
                    return False
                count += 1
        return count == len(manifest)

    def _restore(self) -> None:
        """Load what the last build in this site folder remembered, once, if it is usable."""
        if self._restored or self.cache_dir is None:
            return
        self._restored = True
        try:
            with open(self.cache_dir / CACHE_FILE, "rb") as f:
                cache = pickle.load(f)
            if not isinstance(cache, _BuildCache) or cache.code != self.cache.code:
                return
            self.cache = cache
        except Exception:  # a missing, old or damaged cache only means a full build
            return

    def _saved_results(self) -> dict:
        if self.cache_dir is None:
            return {}
        try:
            with open(self.cache_dir / RESULTS_FILE, "rb") as f:
                code, packed = pickle.load(f)
            if code == self.cache.code and isinstance(packed, dict):
                return packed
        except Exception:  # missing, old or damaged: the files are checked again
            pass
        return {}

    def _save(self) -> None:
        self._write_cache(CACHE_FILE, dataclasses.replace(self.cache, results={}))

    def _save_results(self, packed: dict) -> None:
        self._write_cache(RESULTS_FILE, (self.cache.code, packed))

    def _write_cache(self, name: str, value: object) -> None:
        if self.cache_dir is None:
            return
        try:
            self.cache_dir.mkdir(exist_ok=True)
            _atomic_pickle(self.cache_dir / name, value)
        except OSError:
            pass  # the cache is an optimisation: a read-only site folder still builds


class _CheckedResults:
    """A chunk of checked results and, when they are to be saved, each pickled. From a worker
    process only the pickled bytes travel: they are unpickled once, by the process using them."""

    __slots__ = ("results", "blobs")

    def __init__(self, results: list | None, blobs: list[bytes] | None):
        self.results, self.blobs = results, blobs

    def __reduce__(self):
        return _CheckedResults, (None if self.blobs is not None else self.results, self.blobs)

    def unpacked(self) -> list:
        if self.results is None:
            self.results = [pickle.loads(blob) for blob in self.blobs]
        return self.results


@dataclass(frozen=True, slots=True)
class _KeyedRoute:
    """A route and the key of its inputs: unchanged key, unchanged output."""

    route: object
    key: str

    @property
    def path(self) -> str:
        return self.route.path


def _manifest(out: Path, paths: list[str]) -> dict[str, tuple[int, int]]:
    found = {}
    for rel in paths:
        st = os.stat(out / rel)
        found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def _atomic_pickle(path: Path, value: object) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temporary, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)

"""`python -m generator serve`: the live preview.

One build cache (cache.py) stays alive, so each save re-reads only the changed files and re-renders only
the pages that depend on them, writing each changed file in place. Files are served exactly as
`build` wrote them, plus, in HTML pages, a script that connects to livereload's WebSocket
(livereload's own handlers and `livereload.js`) and an overlay: the errors of a failed rebuild
above the last good page, or the warnings of a good one. A CSS-only change refreshes the styles
without a reload.

Every rebuild that changes what browsers show has a number, which each page carries: a page
that loaded while a newer build was finishing has missed its reload message, so it tells the
server its number when it connects, and is reloaded if a newer build is out. No rebuild dies:
an unexpected error is shown like a content error, and the next save builds afresh.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import mimetypes
import re
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import tornado.gen
import tornado.ioloop
import tornado.web
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler

from . import clock, collector, watch
from . import build
from .cache import BuildCache
from .diagnostics import BuildFailed, Diagnostic, Location
from .load import CACHE_DIR, INPUTS_IN_WORDS, listing
from .parallel import STOP_SIGNALS
from .render import plural, published_asset
from .report import Reporter

PREVIEW_FILES = Path(__file__).resolve().parent / "preview"
HEAD_END = b"</head>"
BODY_START = re.compile(rb"<body[^>]*>")
INJECTED = ('<meta name="preview-build" content="{build}">'
            '<link rel="stylesheet" href="/_preview/overlay.css">'
            '<script src="/_preview/client.js" defer></script>')
# A failed build is reported only once its inputs have stayed as they were for this long, so a
# file caught half-written by a save does not flash a false error ("the file is empty").
SETTLE_S = 0.25
SETTLE_TRIES = 20  # a file that never stops changing is reported after this many tries
WAIT_S = 10.0  # a request waits at most this long for a rebuild that is writing the output
NOWHERE = Location("")  # for a problem that is in no input file
# One process: forking while the watcher threads run could deadlock a child. Drafts are shown,
# with a banner, so that editors can see them before publishing.
PREVIEW = build.Options(drafts=True, jobs=1)


@dataclass(slots=True)
class _Attempt:
    """What one build gave: its problems, and what was printed or changed."""

    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    written: int = 0  # output files changed
    summary: str = ""  # the line printed after a good build


class Preview:
    """The state shared by the watcher threads and the web server: build cache, problems, number."""

    def __init__(self, site_dir: Path, out: Path, site_arg: str):
        self.site_dir = site_dir
        self.out = out
        self.cache = self._new_cache()
        # The last build's errors and warnings, and the overlays made from them (see `overlay`).
        self._overlays: tuple[list, list, dict[bool, str]] = ([], [], {})
        self.reporter = Reporter(site_arg)
        self.lock = threading.Lock()
        # The build number: this server's start time (a restarted server has new pages), then a count.
        self.started = f"{time.time_ns():x}"
        self.generation = 0
        self.writing = 0  # odd while a rebuild may be changing the output or the problems

    def _new_cache(self) -> BuildCache:
        """Kept for the session. It starts from what the last `build` saved, and saves only the
        small state: the checked results stay in memory."""
        return build.open_cache(self.site_dir / CACHE_DIR, saved=(build.STATE,), read=build.SAVED)

    @property
    def errors(self) -> list[Diagnostic]:
        return self._overlays[0]

    @property
    def build_id(self) -> str:
        return f"{self.started}-{self.generation}"

    def rebuild(self, changed: list[str] | None = None) -> str | None:
        """Build; print one line (or the problems). Returns what browsers should reload: a
        stylesheet's path, '*' for the page, or None when nothing they show changed.

        The garbage collector is off meanwhile: a full collection walks every object the site
        model holds (60 ms at 1,000 councils, 0.5 s at 10,000), and would otherwise fall inside
        some rebuilds before their page is out. It collects between rebuilds, as usual."""
        with self.lock, collector.paused():
            self.writing += 1
            try:
                reload = self._settled_rebuild(changed)
                if reload:
                    self.generation += 1
                return reload
            finally:
                self.writing += 1

    def _settled_rebuild(self, changed: list[str] | None) -> str | None:
        """Build; while the build fails and files are still changing (a save half-written, or
        finished while the build ran), wait for them to settle and build again."""
        for _ in range(SETTLE_TRIES):
            before = listing(self.site_dir)
            attempt = self._attempt(changed)
            if not attempt.errors:
                break
            time.sleep(SETTLE_S)
            after = listing(self.site_dir)
            if after == before:
                break
            changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        return self._publish(attempt, changed)

    def _attempt(self, changed: list[str] | None) -> _Attempt:
        started = time.perf_counter()
        if changed:
            build.forget(self.cache, changed)
        try:
            # A long-running process: each rebuild reads the clock, so a new day is a change.
            outcome = build.build(self.site_dir, self.out, clock.today(), PREVIEW, self.cache, atomic=False)
        except BuildFailed as exc:
            return _Attempt([d for d in exc.diagnostics if d.severity == "error"],
                            [d for d in exc.diagnostics if d.severity == "warning"])
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            return _Attempt([Diagnostic(NOWHERE, "error", f"cannot build the preview: {exc.strerror or exc}{where}")])
        except Exception as exc:  # a bug: the next rebuild starts afresh rather than from odd state
            self.cache = self._new_cache()
            return _Attempt([Diagnostic(NOWHERE, "error", _unexpected(exc))])
        ms = (time.perf_counter() - started) * 1000
        what = "initial build"
        if changed:
            what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        written = outcome.written.written if outcome.written else 0
        return _Attempt([], list(outcome.warnings), written,
                        f"{what}: {outcome.rendered} rendered, {written} written in {ms:.0f} ms")

    def _publish(self, attempt: _Attempt, changed: list[str] | None) -> str | None:
        """Make the attempt's problems the ones shown; print them; say what to reload."""
        overlay_before = self._overlays[:2]
        self._overlays = (attempt.errors, attempt.warnings, {})
        if attempt.summary:
            print(attempt.summary, flush=True)
        self.reporter.print(attempt.errors + attempt.warnings)
        if attempt.errors:
            shown = "the last good version" if (self.out / "index.html").is_file() else "an error page"
            print(f"rebuild failed ({plural(len(attempt.errors), 'error')}); serving {shown}",
                  file=sys.stderr, flush=True)
            return "*"
        sys.stderr.flush()
        styles = [published_asset(p) for p in changed or ()]
        if styles and attempt.written and all(s is not None and s.endswith(".css") for s in styles):
            return styles[0]
        return "*" if attempt.written or overlay_before != self._overlays[:2] else None

    def overlay(self, over_page: bool = True) -> str:
        """The errors (above the last good page, if `over_page`) or the warnings (below the
        page), as HTML; '' if none. Made once per rebuild, not for every page served."""
        errors, warnings, made = self._overlays  # one read: a rebuild may replace it meanwhile
        found = made.get(over_page)
        if found is None:
            found = made[over_page] = self._overlay(errors, warnings, over_page)
        return found

    def _overlay(self, errors: list[Diagnostic], warnings: list[Diagnostic], over_page: bool) -> str:
        if not errors and not warnings:
            return ""
        key = hashlib.blake2b("\n".join(map(str, errors + warnings)).encode(), digest_size=8).hexdigest()
        if errors:
            title = f"Build failed: {plural(len(errors), 'error')}." + (
                " Showing the last good version." if over_page else "")
            body = f"<ol>{self.reporter.html_items(errors)}</ol>"
            if warnings:
                body += (f'<h3 class="preview-warnings-title">{plural(len(warnings), "warning")}</h3>'
                         f"<ol>{self.reporter.html_items(warnings)}</ol>")
            return (f'<aside id="preview-errors" role="alert" aria-labelledby="preview-errors-title" '
                    f'data-key="{key}"><button type="button">Hide</button>'
                    f'<h2 id="preview-errors-title">{title}</h2>{body}</aside>')
        title = f"{plural(len(warnings), 'warning')}; the page is up to date."
        return (f'<aside id="preview-warnings" role="status" aria-labelledby="preview-warnings-title" '
                f'data-key="{key}"><button type="button">Hide</button>'
                f'<h2 id="preview-warnings-title">{title}</h2><ol>{self.reporter.html_items(warnings)}</ol></aside>')


def _unexpected(exc: Exception) -> str:
    """One line for a bug: what went wrong, and where in the generator, for its report."""
    code = str(Path(__file__).resolve().parent)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(code)]
    where = f" at generator/{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (f"the rebuild stopped on an unexpected error ({type(exc).__name__}: {exc}){where}; "
            "this is a bug in the generator. The next save rebuilds everything")


def serve(site_dir: Path, out: Path, host: str, port: int, site_arg: str) -> int:
    logging.getLogger("livereload").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    preview = Preview(site_dir, out, site_arg)
    LiveReloadHandler.live_css = True
    LiveReloadHandler.watcher = _NoWatcher()
    app = tornado.web.Application([
        (r"/livereload", _ReloadHandler, {"preview": preview}),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/_preview/(client\.js|overlay\.css)", _PreviewFileHandler),
        (r"/(.*)", _SiteHandler, {"preview": preview}),
    ])
    try:
        server = app.listen(port, host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"python -m generator serve: error: port {port} on {host} is already in use; "
                  f"stop the other server or choose another with --port {port + 1}", file=sys.stderr)
        else:
            print(f"python -m generator serve: error: cannot listen on {host}:{port}: {exc.strerror}",
                  file=sys.stderr)
        return 1
    loop = tornado.ioloop.IOLoop.current()
    stop = threading.Event()

    def on_change(changed: list[str]) -> None:
        if stop.is_set():
            return
        reload = preview.rebuild(changed)
        if reload:
            loop.add_callback(LiveReloadHandler.reload_waiters, reload)

    whole = True  # no build was cut short
    try:
        # Watching starts first, so a save made during the first build is not missed.
        watch.start(site_dir, on_change, stop)
        _interrupt_on_stop_signals()
        preview.rebuild()
        shown = f"[{host}]" if ":" in host else host
        print(f"Serving http://{shown}:{port}/ (watching {INPUTS_IN_WORDS}; Ctrl-C to stop)",
              flush=True)
        _stop_loop_on_stop_signals(loop)
        loop.start()
    except KeyboardInterrupt:  # during the first build
        whole = False
    finally:
        stop.set()
        server.stop()
    if not (_let_the_rebuild_finish(preview.lock) and whole):
        print(f"The build under way was cut short: {out} may mix pages of two versions until the next build.")
    print("Stopped.")
    return 0


def _interrupt_on_stop_signals() -> None:
    """Until the server runs, a stop signal interrupts the first build where it is, whatever the
    process inherited: a script's background job starts with SIGINT ignored, and SIGTERM would
    end the process without a word."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.default_int_handler)


def _stop_loop_on_stop_signals(loop: tornado.ioloop.IOLoop) -> None:
    """Once it runs, a stop signal stops the event loop from within, between two of its callbacks.
    A KeyboardInterrupt raised wherever the main thread happens to be could be lost there (in a
    finaliser, say), and a signal the kernel hands to a watcher thread would never wake a main
    thread waiting for network events; asyncio's handlers are woken through a pipe instead."""
    for signum in STOP_SIGNALS:
        loop.asyncio_loop.add_signal_handler(signum, loop.stop)


def _let_the_rebuild_finish(lock: threading.Lock) -> bool:
    """A rebuild under way in a watcher thread writes the output in place: ending the process
    would cut it short, leaving pages of two versions. It finishes first, unless a second stop
    signal says not to wait (then False). The lock is kept, so that no other rebuild starts."""
    if lock.acquire(blocking=False):
        return True
    print("Stopping once the rebuild under way is written (Ctrl-C again to stop now)", flush=True)
    try:
        _interrupt_on_stop_signals()
        while not lock.acquire(timeout=0.1):  # signals are seen between tries
            pass
    except KeyboardInterrupt:
        return False
    return True


class _NoWatcher:
    """livereload's handler asks its watcher what changed; ours tells it instead."""

    _tasks = {"generator": None}
    filepath = None

    def examine(self):
        return None, None

    def start(self, callback) -> bool:
        return True


class _ReloadHandler(LiveReloadHandler):
    """livereload's WebSocket, also told by each page which build it shows: a page that missed
    its reload message while it loaded is reloaded as soon as it connects."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def on_message(self, message) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not (isinstance(data, dict) and data.get("command") == "preview-build"):
            return super().on_message(message)
        LiveReloadHandler.waiters.add(self)  # from now on, every reload reaches this page
        if data.get("build") != self.preview.build_id:
            self.send_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})


class _PreviewFileHandler(tornado.web.RequestHandler):
    def get(self, name: str) -> None:
        content = (PREVIEW_FILES / name).read_bytes()
        self.set_header("Content-Type", mimetypes.guess_type(name)[0] or "application/octet-stream")
        self.set_header("Cache-Control", "no-store")
        self.finish(content)


class _SiteHandler(tornado.web.RequestHandler):
    """The built files, as they are on disk, with the preview's script and overlay in pages."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    async def head(self, path: str) -> None:
        await self.get(path)

    async def get(self, path: str) -> None:
        preview = self.preview
        deadline = time.monotonic() + WAIT_S
        while True:  # read between rebuilds, so that a page and its build number agree
            seen = preview.writing
            if seen % 2 and time.monotonic() < deadline:
                await tornado.gen.sleep(0.01)
                continue
            response = self._response(path)
            if preview.writing == seen or time.monotonic() >= deadline:
                break
        if isinstance(response, str):
            return self.redirect(response, permanent=False)
        status, content, kind = response
        self.set_status(status)
        self.set_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") or
                        kind.endswith(("xml", "json", "javascript")) else kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(content)

    def _response(self, path: str) -> str | tuple[int, bytes, str]:
        """A redirect's address, or (status, content, type)."""
        out = self.preview.out
        parts = [p for p in unquote(path).split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            return self._file(404, out / "404.html")
        target = out.joinpath(*parts)
        if target.is_dir():
            if path and not path.endswith("/"):
                return "/" + path + "/"
            target = target / "index.html"
        return self._file(200 if target.is_file() else 404, target if target.is_file() else out / "404.html")

    def _file(self, status: int, target: Path) -> tuple[int, bytes, str]:
        build = self.preview.build_id  # before the file: the page is at least this new
        try:
            content = target.read_bytes()
        except OSError:
            return self._no_page(build)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            content = self._inject(content, build)
        return status, content, kind

    def _no_page(self, build: str) -> tuple[int, bytes, str]:
        """No such page and no 404.html, as before the first good build: a page of the preview's
        own, which shows the errors and reloads itself once the site builds."""
        if self.preview.errors:
            status, title = 503, "The site could not be built"
            text = "Fix the errors above: this page reloads by itself as soon as the site builds."
        else:
            status, title, text = 404, "Not found", "There is no page at this address."
        page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{title}</title></head><body class=\"preview-page\"><main>"
                f"<h1>{title}</h1><p>{text}</p></main></body></html>").encode()
        return status, self._inject(page, build, over_page=False), "text/html"

    def _inject(self, content: bytes, build: str, over_page: bool = True) -> bytes:
        if HEAD_END in content:
            content = content.replace(HEAD_END, INJECTED.format(build=build).encode() + HEAD_END, 1)
        overlay = self.preview.overlay(over_page).encode()
        if overlay:
            match = BODY_START.search(content)
            at = match.end() if match else 0
            content = content[:at] + overlay + content[at:]
        return content

"""`python -m generator serve`: the live preview.

One `Builder` stays alive, so each save re-reads only the changed files and re-renders only
the pages that depend on them, writing each changed file in place. Files are served exactly as
`build` wrote them, plus, in HTML pages, a script that connects to livereload's WebSocket
(livereload's own handlers and `livereload.js`) and, after a failed rebuild, an overlay listing
the errors above the last good page. A CSS-only change refreshes the styles without a reload.
"""

from __future__ import annotations

import errno
import gc
import html
import logging
import mimetypes
import os
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import tornado.ioloop
import tornado.web
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler

from .build import Builder
from .diagnostics import BuildFailed, Diagnostic

PREVIEW_FILES = Path(__file__).resolve().parent / "preview"
HEAD_END = b"</head>"
BODY_START = re.compile(rb"<body[^>]*>")
INJECTED = (b'<link rel="stylesheet" href="/_preview/overlay.css">'
            b'<script src="/_preview/client.js" defer></script>')
STEP_MS = 5  # a save is taken as finished after this long without another change
IGNORED_NAMES = re.compile(r"^\.|~$|\.sw.$|^#.*#$|\.tmp$")


class Preview:
    """The state shared by the watcher threads and the web server: builder, last errors."""

    def __init__(self, site_dir: Path, out: Path, site_arg: str):
        self.site_dir = site_dir
        self.out = out
        # One process: forking while the watcher threads run could deadlock a child.
        # Drafts are shown, with a banner, so that editors can see them before publishing.
        self.builder = Builder(site_dir, jobs=1, save_results=False, drafts=True)
        self.errors: list[Diagnostic] = []
        self.prefix = "" if os.path.normpath(site_arg) == "." else os.path.normpath(site_arg) + "/"
        self.lock = threading.Lock()

    def rebuild(self, changed: list[str] | None = None) -> str | None:
        """Build; print one line (or the errors). Returns what browsers should reload: a
        stylesheet's path, '*' for the page, or None when nothing they show changed.

        The garbage collector is off meanwhile: a full collection walks every object the site
        model holds (60 ms at 1,000 councils, 0.5 s at 10,000), and would otherwise fall inside
        some rebuilds before their page is out. It collects between rebuilds, as usual."""
        with self.lock:
            gc.disable()
            try:
                return self._rebuild(changed)
            finally:
                gc.enable()

    def _rebuild(self, changed: list[str] | None) -> str | None:
        started = time.perf_counter()
        if changed:
            self.builder.forget(changed)
        had_errors = bool(self.errors)
        try:
            outcome = self.builder.build(self.out, atomic=False)
        except BuildFailed as exc:
            self.errors = [d for d in exc.diagnostics if d.severity == "error"]
            for d in exc.diagnostics:
                print(f"{self.prefix}{d}", file=sys.stderr)
            print(f"rebuild failed ({len(self.errors)} error(s)); serving the last good version",
                  file=sys.stderr, flush=True)
            return "*"
        except OSError as exc:
            self.errors = []
            print(f"error: cannot write the preview: {exc.strerror or exc}", file=sys.stderr, flush=True)
            return None
        self.errors = []
        ms = (time.perf_counter() - started) * 1000
        what = "initial build"
        if changed:
            what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        written = outcome.written.written if outcome.written else 0
        print(f"{what}: {outcome.rendered} rendered, {written} written in {ms:.0f} ms", flush=True)
        for d in outcome.warnings:
            print(f"{self.prefix}{d}", file=sys.stderr)
        if changed and all(p.startswith("templates/assets/") and p.endswith(".css") for p in changed):
            return "assets/" + changed[0][len("templates/assets/"):]
        return "*" if written or had_errors or outcome.written is None else None

    def overlay(self) -> bytes:
        if not self.errors:
            return b""
        items = "".join(
            f"<li><code>{html.escape(self.prefix + str(d.location))}</code> {html.escape(d.message)}</li>"
            for d in self.errors)
        return (f'<aside id="preview-errors" role="alert" aria-labelledby="preview-errors-title">'
                f'<button type="button">Hide</button><h2 id="preview-errors-title">Build failed: '
                f'{len(self.errors)} error(s). Showing the last good version.</h2><ol>{items}</ol></aside>'
                ).encode("utf-8")


def serve(site_dir: Path, out: Path, host: str, port: int, site_arg: str) -> int:
    logging.getLogger("livereload").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    preview = Preview(site_dir, out, site_arg)
    LiveReloadHandler.live_css = True
    LiveReloadHandler.watcher = _NoWatcher()
    app = tornado.web.Application([
        (r"/livereload", LiveReloadHandler),
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
    # Watching starts first, so a save made during the first build is not missed.
    for paths, recursive in _watched(site_dir):
        threading.Thread(target=_watch, args=(preview, paths, recursive, stop, loop), daemon=True).start()
    preview.rebuild()
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving http://{shown}:{port}/ (watching site.yaml, content/ and templates/; Ctrl-C to stop)",
          flush=True)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
    print("Stopped.")
    return 0


def _watched(site_dir: Path) -> list[tuple[list[Path], bool]]:
    """The content and template folders, recursively; the site folder itself only for site.yaml
    (never the output folder, the cache, .venv or node_modules)."""
    folders = [site_dir / name for name in ("content", "templates") if (site_dir / name).is_dir()]
    return [(folders, True), ([site_dir], False)] if folders else [([site_dir], False)]


def _watch(preview: Preview, paths: list[Path], recursive: bool, stop: threading.Event, loop) -> None:
    import watchfiles

    site = os.path.abspath(preview.site_dir)

    content = os.path.join(site, "content") + os.sep

    def wanted(change, path: str) -> bool:
        name = os.path.basename(path)
        if IGNORED_NAMES.search(name):
            return False
        if path.startswith(content):  # editors' temporary files are not content
            return name.endswith((".yaml", ".md")) or os.path.isdir(path)
        return recursive or name == "site.yaml"

    for changes in watchfiles.watch(*paths, watch_filter=wanted, recursive=recursive, debounce=1000,
                                    step=STEP_MS, stop_event=stop, raise_interrupt=False):
        changed = sorted({os.path.relpath(path, site).replace(os.sep, "/") for _, path in changes})
        reload = preview.rebuild(changed)
        if reload:
            loop.add_callback(LiveReloadHandler.reload_waiters, reload)


class _NoWatcher:
    """livereload's handler asks its watcher what changed; ours tells it instead."""

    _tasks = {"generator": None}
    filepath = None

    def examine(self):
        return None, None

    def start(self, callback) -> bool:
        return True


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

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        out = self.preview.out
        parts = [p for p in unquote(path).split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            return self._send(404, out / "404.html")
        target = out.joinpath(*parts)
        if target.is_dir():
            if path and not path.endswith("/"):
                return self.redirect("/" + path + "/", permanent=False)
            target = target / "index.html"
        if not target.is_file():
            return self._send(404, out / "404.html")
        self._send(200, target)

    def _send(self, status: int, target: Path) -> None:
        try:
            content = target.read_bytes()
        except OSError:
            content, target = b"<!doctype html><title>Not found</title><h1>Not found</h1>", Path("404.html")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            content = self._inject(content)
        self.set_status(status)
        self.set_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") or
                        kind.endswith(("xml", "json", "javascript")) else kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(content)

    def _inject(self, content: bytes) -> bytes:
        if HEAD_END in content:
            content = content.replace(HEAD_END, INJECTED + HEAD_END, 1)
        overlay = self.preview.overlay()
        if overlay:
            match = BODY_START.search(content)
            at = match.end() if match else 0
            content = content[:at] + overlay + content[at:]
        return content

"""Helpers for checks that need outside tools: a local web server for a built site, headless
Chromium (Debian's, driven by Playwright), and the npm tools in node_modules/.

A check whose tool is missing is skipped, unless REQUIRE_BROWSER=1 (CI sets it): then it fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def block_other_hosts(context, origin: str) -> list[str]:
    """Abort every request of `context` to anywhere but `origin` (and data: URLs); the list
    returned fills with the addresses that were blocked."""
    offsite: list[str] = []

    def guard(route):
        if route.request.url.startswith(origin) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return offsite


def require(available: bool, what: str) -> None:
    """Skip the test when a tool is missing, or fail if CI said every tool must be there."""
    if available:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is required (REQUIRE_BROWSER=1) but missing")
    pytest.skip(f"{what} not available")


def require_chromium() -> None:
    require(CHROMIUM.is_file(), f"Chromium at {CHROMIUM}")
    try:
        import playwright  # noqa: F401
    except ImportError:
        require(False, "the playwright Python package")


def require_java() -> str:
    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "java and node_modules/vnu-jar (run `make test`)")
    return java


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yields the origin, e.g. http://127.0.0.1:40123."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium driven by Playwright; never a downloaded browser."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()

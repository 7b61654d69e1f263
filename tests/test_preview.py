"""The live preview through an editor's worst sessions: a broken template (one byte not in UTF-8
included), a save caught half-written, a file with the wrong extension, folders moved away and
back, rapid saves, warnings, and a first start on broken content. The server runs in its own
process, as `make serve` does; the edits are made on disk."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from browser import chromium
from conftest import ROOT
from generator import build as pipeline
from generator import watch
from generator.serve import Preview
from test_serve import _replace_field, fetch, free_port, stop_server, wait_for

SUMMARY_PAGE = "councils/dudley/"


class Server:
    """`python -m generator serve` on a free port, its output kept in files."""

    def __init__(self, site: Path, logs: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.out_log, self.err_log = logs / "stdout.txt", logs / "stderr.txt"
        with open(self.out_log, "w") as out, open(self.err_log, "w") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site),
                                          "--port", str(self.port)], cwd=ROOT, stdout=out, stderr=err)
        if not wait_for(lambda: self._up(), 20):
            self.proc.kill()
            self.proc.wait()
            pytest.fail("the server did not start:\n" + self.output())

    def _up(self) -> bool:
        try:
            return fetch(self.url)[0] in (200, 503)
        except OSError:
            return False

    def page(self, path: str = SUMMARY_PAGE) -> str:
        return fetch(self.url + path)[1]

    def shows(self, text: str, path: str = SUMMARY_PAGE, timeout: float = 10) -> str | None:
        return wait_for(lambda: next((b for b in [self.page(path)] if text in b), None), timeout)

    def output(self) -> str:
        return self.out_log.read_text() + self.err_log.read_text()

    def stop(self) -> int:
        stop_server(self.proc, timeout=10)
        return self.proc.returncode


@pytest.fixture
def server(site, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Server(site, logs)
    yield running
    running.stop()


def council_edit(site: Path, summary: str) -> None:
    council = site / "content" / "councils" / "dudley.yaml"
    council.write_text(_replace_field(council.read_text(), "status_summary", summary))


def assert_alive_and_clean(server: Server, site: Path, summary: str) -> None:
    """A later edit still shows, with no overlay: the watcher kept going."""
    council_edit(site, summary)
    body = server.shows(summary)
    assert body and "preview-errors" not in body, server.output()
    assert "Traceback" not in server.output()


def broken_and_non_utf8_template(server, site):
    template = site / "templates" / "council.html"
    good = template.read_bytes()
    lines = good.split(b"\n")
    template.write_bytes(b"\n".join(lines[:4] + ["{# Café #}".encode("latin-1")] + lines[4:]))
    body = server.shows("preview-errors")
    assert body, server.output()
    assert ("templates/council.html:5:7</code> the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"
            in body)
    assert "templates/council.html:5:7: error: the file is not valid UTF-8" in server.output()

    template.write_bytes(good.replace(b"{% endblock %}", b"{% endblock", 1))  # a Jinja syntax error
    assert wait_for(lambda: "template error" in server.page()), server.output()

    template.write_bytes(good)
    assert wait_for(lambda: "preview-errors" not in server.page())
    assert_alive_and_clean(server, site, "Still watching after the template was fixed.")


def half_written_saves(server, site):
    council = site / "content" / "councils" / "dudley.yaml"
    text = council.read_text()
    seen: list[str] = []
    done = threading.Event()
    printed = len(server.err_log.read_text())

    def watch_page() -> None:
        while not done.is_set():
            seen.append(server.page())

    watcher = threading.Thread(target=watch_page)
    watcher.start()
    try:
        for _ in range(3):
            with open(council, "w") as f:  # truncated: for a moment the file is empty
                f.flush()
                time.sleep(0.05)
                f.write(text[: len(text) // 2])  # then half of it, cut inside a line
                f.flush()
                time.sleep(0.05)
                f.write(text[len(text) // 2:])
            time.sleep(0.3)
    finally:
        done.set()
        watcher.join()
    assert seen and not any("preview-errors" in body for body in seen)
    assert "error" not in server.err_log.read_text()[printed:], server.output()
    assert_alive_and_clean(server, site, "Saved in three slow writes.")


def yml_file_and_moved_folders(server, site, tmp_path):
    councils = site / "content" / "councils"
    (councils / "dudley.yaml").rename(councils / "dudley.yml")
    body = server.shows("preview-errors", "")
    assert body and "unexpected file in content/councils/: council files must end in &#x27;.yaml&#x27;" in body
    (councils / "dudley.yml").rename(councils / "dudley.yaml")
    assert wait_for(lambda: "preview-errors" not in server.page(""))

    articles = site / "content" / "articles"
    articles.rename(tmp_path / "articles-elsewhere")  # a folder moved out of the site
    body = server.shows("preview-errors", "")
    assert body and "but does not exist" in body, server.output()
    (tmp_path / "articles-elsewhere").rename(articles)  # and back
    assert wait_for(lambda: "preview-errors" not in server.page(""))

    content = site / "content"
    content.rename(tmp_path / "content-elsewhere")  # the whole content folder: an empty site
    assert wait_for(lambda: fetch(server.url + SUMMARY_PAGE)[0] == 404), server.output()
    shutil.copytree(tmp_path / "content-elsewhere", content)  # a new folder in its place
    assert wait_for(lambda: fetch(server.url + SUMMARY_PAGE)[0] == 200), server.output()
    (tmp_path / "content-elsewhere" / "councils" / "dudley.yaml").unlink()  # not the site's any more
    time.sleep(0.3)
    assert "preview-errors" not in server.page("")
    assert_alive_and_clean(server, site, "Edited in the new content folder.")


def rapid_saves(server, site):
    rng = random.Random(15)
    for round_ in range(3):
        for n in range(10):
            council_edit(site, f"Round {round_} save {n}.")
            time.sleep(rng.uniform(0.03, 0.1))
        assert server.shows(f"Round {round_} save 9."), server.output()
    assert "Traceback" not in server.output()


def warnings_below_a_good_page(server, site):
    council = site / "content" / "councils" / "dudley.yaml"
    council.write_text(council.read_text() + "notes: |\n  The council spent £120,000 on new cameras.\n")
    body = server.shows("preview-warnings")
    assert body and "preview-errors" not in body
    assert "1 warning; the page is up to date." in body and "has no source in its paragraph" in body
    assert "The council spent £120,000 on new cameras." in body  # the page itself was rebuilt

    lines = council.read_text().splitlines()
    council.write_text("\n".join(lines + ["staus: paused"]) + "\n")  # and an error besides
    body = server.shows("preview-errors")
    assert body and "1 error" in body and "unknown field" in body and "1 warning" in body

    council.write_text("\n".join(lines[:-2]) + "\n")
    assert wait_for(lambda: "preview-" not in server.page().split("</head>", 1)[1]), server.output()


# An editor's mishaps, each a step the preview must come through with the right page.
MISHAPS = {
    "broken and non-UTF-8 template": lambda server, site, tmp_path: broken_and_non_utf8_template(server, site),
    "half-written saves": lambda server, site, tmp_path: half_written_saves(server, site),
    "a .yml file and moved folders": yml_file_and_moved_folders,
    "ten rapid saves": lambda server, site, tmp_path: rapid_saves(server, site),
    "warnings below a good page": lambda server, site, tmp_path: warnings_below_a_good_page(server, site),
}


@pytest.mark.slow
@pytest.mark.parametrize("mishap", MISHAPS)
def test_the_preview_comes_through_each_mishap(server, site, tmp_path, mishap):
    MISHAPS[mishap](server, site, tmp_path)


@pytest.mark.slow
def test_one_session_through_every_mishap(server, site, tmp_path):
    """All of the above on one server, one after another, as an editor's bad day would go."""
    for step in MISHAPS.values():
        step(server, site, tmp_path)
    assert server.stop() == 0
    assert "Traceback" not in server.output()


def start_on_broken_content(site, tmp_path):
    """A server started with an unknown field in dudley.yaml: (that file, its good text, the server)."""
    council = site / "content" / "councils" / "dudley.yaml"
    good = council.read_text()
    council.write_text(good + "staus: paused\n")
    return council, good, Server(site, tmp_path)


@pytest.mark.slow
def test_starting_on_broken_content_serves_an_error_page_that_recovers(site, tmp_path):
    council, good, server = start_on_broken_content(site, tmp_path)
    try:
        assert not (site / "build" / "index.html").exists()
        status, body = fetch(server.url + SUMMARY_PAGE)
        assert status == 503
        assert "The site could not be built" in body and "preview-errors" in body and "unknown field" in body
        assert "last good version" not in body  # there is none
        assert "/_preview/client.js" in body and "/_preview/overlay.css" in body  # styled, and reloads
        council.write_text(good)
        assert wait_for(lambda: fetch(server.url + SUMMARY_PAGE)[0] == 200)
        assert "preview-errors" not in server.page()
    finally:
        assert server.stop() == 0


def test_an_unexpected_error_becomes_an_overlay_and_the_next_save_rebuilds(site, tmp_path, capsys, monkeypatch):
    preview = Preview(site, tmp_path / "out", str(site))
    assert preview.rebuild() == "*"

    real = pipeline.build

    def broken_once(*args, **kwargs):
        monkeypatch.setattr(pipeline, "build", real)
        raise RuntimeError("something the generator did not expect")

    monkeypatch.setattr(pipeline, "build", broken_once)
    assert preview.rebuild(["content/councils/dudley.yaml"]) == "*"
    overlay = preview.overlay()
    assert "preview-errors" in overlay
    assert "unexpected error (RuntimeError: something the generator did not expect)" in overlay
    council_edit(site, "Rebuilt after the bug.")
    assert preview.rebuild(["content/councils/dudley.yaml"]) == "*"
    assert preview.overlay() == ""
    assert "Rebuilt after the bug." in (tmp_path / "out" / SUMMARY_PAGE / "index.html").read_text()
    assert "Traceback" not in capsys.readouterr().err


def test_a_save_that_completes_while_a_build_fails_is_built_not_reported(site, tmp_path, monkeypatch):
    """The half-written file fails the build; the save ends while that build runs. The preview
    sees the file change and builds again, instead of showing the half-written file's error."""
    preview = Preview(site, tmp_path / "out", str(site))
    assert preview.rebuild() == "*"
    council = site / "content" / "councils" / "dudley.yaml"
    whole = council.read_text().replace("status_summary: ", "status_summary: Saved whole. ", 1)
    council.write_text(whole[: len(whole) // 3])
    real = pipeline.build

    def save_ends_meanwhile(*args, **kwargs):
        monkeypatch.setattr(pipeline, "build", real)
        try:
            return real(*args, **kwargs)
        finally:
            council.write_text(whole)

    monkeypatch.setattr(pipeline, "build", save_ends_meanwhile)
    assert preview.rebuild(["content/councils/dudley.yaml"]) == "*"
    assert preview.errors == [] and preview.overlay() == ""
    assert "Saved whole." in (tmp_path / "out" / SUMMARY_PAGE / "index.html").read_text()


def test_watching_goes_on_after_a_failed_callback(site):
    calls: list[list[str]] = []

    def on_change(changed: list[str]) -> None:
        calls.append(changed)
        if len(calls) == 1:
            raise RuntimeError("the first rebuild failed unexpectedly")

    stop = threading.Event()
    watch.start(site, on_change, stop)
    try:
        time.sleep(0.3)
        council_edit(site, "First.")
        assert wait_for(lambda: calls, 5)
        time.sleep(0.1)
        council_edit(site, "Second.")
        assert wait_for(lambda: any("content/councils/dudley.yaml" in c for c in calls[1:]), 5), calls
    finally:
        stop.set()


@pytest.mark.browser
@pytest.mark.slow
def test_browser_ends_on_the_last_of_rapid_saves_every_time(server, site):
    rng = random.Random(5)
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + SUMMARY_PAGE)
        page.wait_for_function("() => window.LiveReload !== undefined")
        for round_ in range(5):
            last = f"Round {round_} ended here."
            for n in range(9):
                council_edit(site, f"Round {round_} save {n}.")
                time.sleep(rng.uniform(0.03, 0.1))
            council_edit(site, last)
            page.wait_for_function(f"() => document.body && document.body.innerText.includes({last!r})",
                                   timeout=15000)
            time.sleep(0.5)  # and it stays there: no late reload brings back an older one
            assert last in page.inner_text("body")


@pytest.mark.browser
def test_browser_on_a_broken_first_start_reloads_once_fixed(site, tmp_path):
    council, good, server = start_on_broken_content(site, tmp_path)
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.goto(server.url + SUMMARY_PAGE)
            assert "The site could not be built" in page.inner_text("h1")
            assert page.is_visible("#preview-errors")
            page.wait_for_function("() => window.LiveReload !== undefined")
            council.write_text(good)
            page.wait_for_function("() => document.body.innerText.includes('Dudley Metropolitan Borough Council')",
                                   timeout=15000)
            assert not page.is_visible("#preview-errors")
    finally:
        server.stop()


def test_a_stylesheet_change_swaps_the_styles_and_any_other_change_reloads_the_page(site, tmp_path):
    preview = Preview(site, tmp_path / "out", str(site))
    assert preview.rebuild() == "*"
    style = site / "templates" / "assets" / "style.css"
    style.write_text(style.read_text() + "\n.added-by-the-test { color: red; }\n")
    assert preview.rebuild(["templates/assets/style.css"]) == "assets/style.css"
    assert ".added-by-the-test" in (tmp_path / "out" / "assets" / "style.css").read_text()
    style.write_text(style.read_text() + ".another { color: blue; }\n")
    council_edit(site, "Edited with the styles.")
    assert preview.rebuild(["content/councils/dudley.yaml", "templates/assets/style.css"]) == "*"
    script = site / "templates" / "assets" / "search.js"
    script.write_text(script.read_text() + "\n// changed by the test\n")
    assert preview.rebuild(["templates/assets/search.js"]) == "*"

"""The live preview, as an editor uses it: a server in its own process, edits on disk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import chromium
from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def start_server(site: Path, *launcher: str) -> tuple[str, subprocess.Popen]:
    """`python -m generator serve` on a free port (run by `launcher`, if any), once it answers."""
    port = free_port()
    proc = subprocess.Popen([*launcher, sys.executable, "-m", "generator", "serve", "--site", str(site),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    if not wait_for(lambda: _up(url), 20):
        proc.kill()
        pytest.fail("the server did not start:\n" + "".join(proc.communicate()))
    return url, proc


def stop_server(proc: subprocess.Popen, timeout: float = 5) -> None:
    """Ctrl-C; a server still running after `timeout` is killed, never left behind, and fails the test."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"the server was still running {timeout} s after SIGINT")


@pytest.fixture
def server(site: Path):
    url, proc = start_server(site)
    try:
        yield url, proc
    finally:
        stop_server(proc)


def _up(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def test_edits_show_errors_overlay_and_recovery(server, site):
    url, proc = server
    page = url + "councils/dudley/"
    council = site / "content" / "councils" / "dudley.yaml"
    original = council.read_text()
    assert "preview-errors" not in fetch(page)[1]

    council.write_text(_replace_field(original, "status_summary", "Edited in the preview."))
    assert wait_for(lambda: "Edited in the preview." in fetch(page)[1]), "the edit did not show"

    lines = council.read_text().splitlines()
    council.write_text("\n".join(lines + ["staus: paused"]) + "\n")
    body = wait_for(lambda: next((b for b in [fetch(page)[1]] if "preview-errors" in b), None))
    assert body, "no error overlay after a bad edit"
    assert f"dudley.yaml:{len(lines) + 1}:1" in body and "unknown field" in body
    assert "Edited in the preview." in body  # the last good page is still under the overlay
    assert proc.poll() is None

    council.write_text(_replace_field(original, "status_summary", "Fixed again."))
    assert wait_for(lambda: "Fixed again." in (b := fetch(page)[1]) and "preview-errors" not in b)


def test_removed_council_is_gone_from_the_preview(server, site):
    url, _ = server
    assert fetch(url + "councils/medway/")[0] == 200
    (site / "content" / "councils" / "medway.yaml").unlink()
    assert wait_for(lambda: fetch(url + "councils/medway/")[0] == 404)
    assert "Medway" not in fetch(url + "councils/")[1]


def test_ctrl_c_stops_cleanly(server):
    _, proc = server
    proc.send_signal(signal.SIGINT)
    assert_stops_cleanly(proc, "Ctrl-C (SIGINT)")


# A script's background job (`make serve &`) starts with SIGINT ignored; SIGTERM is what process
# managers and IDEs' stop buttons send.
@pytest.mark.parametrize("signum, launcher", [(signal.SIGINT, ("sh", "-c", 'trap "" INT; exec "$@"', "sh")),
                                              (signal.SIGTERM, ())], ids=["sigint-inherited-ignored", "sigterm"])
def test_stop_signals_stop_cleanly_whatever_was_inherited(site, signum, launcher):
    _, proc = start_server(site, *launcher)
    proc.send_signal(signum)
    assert_stops_cleanly(proc, signum.name)


# The kernel hands a signal sent to a process to any of its threads that takes it, and only
# sometimes not to the main one: here it goes to a watcher thread on purpose (on Linux, a thread's
# id given to kill() makes that thread the first choice).
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_a_stop_signal_taken_by_another_thread_stops_the_server(site):
    _, proc = start_server(site)
    others = sorted(int(t) for t in os.listdir(f"/proc/{proc.pid}/task") if int(t) != proc.pid)
    os.kill(others[0], signal.SIGTERM)
    assert_stops_cleanly(proc, "SIGTERM, taken by another thread")


def synthetic_server(tmp_path: Path) -> tuple[Path, subprocess.Popen, str]:
    """The preview of a 1,000-council synthetic site, just started (its many warnings go to a file)."""
    site = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "1000", str(site)], check=True,
                   capture_output=True)
    port = free_port()
    with (tmp_path / "err").open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(site), "--port",
                                 str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    return site, proc, f"http://127.0.0.1:{port}/"


@pytest.mark.slow
def test_a_stop_signal_during_the_first_build_stops_the_server(tmp_path):
    site, proc, _ = synthetic_server(tmp_path)
    if not wait_for(lambda: (site / "build").exists() or proc.poll() is not None, 30):
        proc.kill()
        pytest.fail("the first build wrote nothing:\n" + proc.communicate()[0])
    proc.send_signal(signal.SIGTERM)
    out = assert_stops_cleanly(proc, "SIGTERM during the first build")
    assert "Serving" not in out, "the build ended first"
    assert "The build under way was cut short" in out
    assert not list((site / "build").rglob(".*.tmp-*")), "a file half-written when the signal came was left"


@pytest.mark.slow
@pytest.mark.parametrize("second_signal", [False, True], ids=["one-signal", "second-signal"])
def test_a_stop_signal_during_a_rebuild_lets_it_finish_unless_a_second_one_comes(tmp_path, second_signal):
    site, proc, url = synthetic_server(tmp_path)
    if not wait_for(lambda: _up(url) or proc.poll() is not None, 60):
        proc.kill()
        pytest.fail("the server did not start:\n" + proc.communicate()[0])
    template = site / "templates" / "council.html"
    template.write_text(template.read_text().replace("<h1>{{ c.name }}</h1>", "<h1>{{ c.name }}</h1><p>Edited.</p>"))
    pages = sorted((site / "build" / "councils").glob("*/index.html"))
    if not wait_for(lambda: any("<p>Edited.</p>" in page.read_text() for page in pages[:5]), 30):
        proc.kill()
        pytest.fail("the rebuild wrote nothing:\n" + proc.communicate()[0])
    proc.send_signal(signal.SIGTERM)
    if second_signal:
        time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
    out = assert_stops_cleanly(proc, "SIGTERM during a rebuild", timeout=30)
    assert "Stopping once the rebuild under way is written (Ctrl-C again to stop now)" in out
    if second_signal:
        assert "The build under way was cut short" in out and "templates/council.html" not in out
        return
    assert "templates/council.html: 1000 rendered, 1000 written" in out
    assert [page for page in pages if "<p>Edited.</p>" not in page.read_text()] == [], "some pages were left old"
    assert not list((site / "build").rglob(".*.tmp-*"))


def assert_stops_cleanly(proc: subprocess.Popen, what: str, timeout: float = 5) -> str:
    """Exit status 0 and "Stopped." within `timeout` s of `what`; returns what the server printed
    (its standard error too, if a pipe)."""
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"the server ignored {what}:\n" + "".join(filter(None, proc.communicate())))
    out, err = proc.communicate()
    err = err or ""
    assert code == 0, out + err
    assert out.splitlines()[-1] == "Stopped." and "Traceback" not in out + err
    return out


def test_port_in_use_is_one_clear_line(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)],
                                cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"python -m generator serve: error: port {port} on 127.0.0.1 is already in use; "
                                     f"stop the other server or choose another with --port {port + 1}")


@pytest.mark.browser
def test_open_page_reloads_itself_and_css_refreshes_in_place(server, site):
    url, _ = server
    council = site / "content" / "councils" / "dudley.yaml"
    with chromium() as browser:
        page = browser.new_page()
        page.goto(url + "councils/dudley/")
        page.wait_for_function("() => window.LiveReload !== undefined")
        page.evaluate("() => { window.stillHere = true; }")

        css = site / "templates" / "assets" / "style.css"
        css.write_text(css.read_text() + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n")
        page.wait_for_function("() => getComputedStyle(document.body).outlineWidth === '7px'", timeout=10000)
        assert page.evaluate("() => window.stillHere") is True  # styles changed without a reload

        council.write_text(_replace_field(council.read_text(), "status_summary", "Seen by the browser."))
        page.wait_for_function("() => document.body.innerText.includes('Seen by the browser.')", timeout=10000)
        assert page.evaluate("() => window.stillHere") is None  # the page reloaded itself


def _replace_field(text: str, name: str, value: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"{name}:"):
            lines[i] = f"{name}: {value}"
            break
    else:
        raise AssertionError(f"no {name} line")
    return "\n".join(lines) + "\n"

"""A build writes only inside its output folder, refuses to replace inputs, and a `kill -9` at any
moment leaves the previous output complete."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_site, run, snapshot
from generator.write import Output, UnsafePath
from synthetic import add_councils


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for rel, content in sorted(snapshot(folder).items()):
        h.update(rel.encode() + b"\0" + hashlib.sha256(content).digest())
    return h.hexdigest()


@pytest.mark.parametrize("out, why", [
    (".", "is the current folder"),
    ("content", "overlaps the site's input content"),
    ("content/councils", "overlaps the site's input content"),
    ("templates", "overlaps the site's input templates"),
    ("templates/assets/css", "overlaps the site's input templates"),
    ("site.yaml", "is a file, not a folder"),
    ("..", "is the current folder or holds it"),
    ("linked-content", "overlaps the site's input content"),
])
def test_out_refuses_the_sites_inputs_and_touches_nothing(site, out, why):
    (site / "linked-content").symlink_to(site / "content")
    before = snapshot(site)
    names = tree(site.parent)
    result = run("build", "--out", out, cwd=site)
    assert result.returncode == 2, result.stdout + result.stderr
    assert why in result.stderr and "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert tree(site.parent) == names


def test_out_refuses_the_site_folder_given_from_elsewhere(site):
    names = tree(site.parent)
    result = run("build", "--site", str(site), "--out", str(site))
    assert result.returncode == 2
    assert "is the site folder or holds it" in result.stderr
    assert tree(site.parent) == names


@pytest.mark.parametrize("out, why", [(str(Path.home()), "is your home folder"), ("/", "must not be the root folder")])
def test_out_refuses_home_and_root(site, out, why):
    outside = set(os.listdir(Path(out).parent))
    result = run("build", "--site", str(site), "--out", out)
    assert result.returncode == 2
    assert why in result.stderr
    assert set(os.listdir(Path(out).parent)) <= outside  # no staging folder was made beside it
    assert not (site / "build").exists()


def test_a_build_writes_only_inside_its_output_folder(site, tmp_path):
    out = tmp_path / "deploy" / "www"
    before = tree(tmp_path)
    outputs = []
    for _ in range(2):
        result = run("build", "--site", str(site), "--out", str(out))
        assert result.returncode == 0, result.stderr
        outputs.append(snapshot(out))
        medway = site / "content" / "councils" / "medway.yaml"
        medway.write_text(medway.read_text().replace("Medway Council", "Medway Unitary Council"))
    assert outputs[0] != outputs[1]
    # Besides the output, only the site's own (git-ignored) build cache, and the previous output
    # kept beside it for the next build to update: hidden, and named after the output.
    created = {p for p in tree(tmp_path) - before if not p.startswith("site/.cache")}
    spares = [p for p in created if re.fullmatch(r"deploy/\.www\.spare-[0-9a-f]{16}", p)]
    assert len(spares) == 1, created
    spare = tmp_path / spares[0]
    assert snapshot(spare) == outputs[0]
    assert created == ({"deploy", "deploy/www", spares[0]} | {f"deploy/www/{p}" for p in tree(out)}
                       | {f"{spares[0]}/{p}" for p in tree(spare)})


@pytest.mark.parametrize("rel", ["../escape.html", "/tmp/escape.html", "a/../../escape.html", "",
                                 "a\\..\\escape.html"])
def test_the_writer_refuses_paths_outside_the_output_folder(tmp_path, rel):
    out = tmp_path / "out"
    output = Output(out)  # as a build writes: each file put, the staging folder dropped on failure
    try:
        with pytest.raises(UnsafePath):
            output.put("index.html", b"home")
            output.put(rel, b"x")
    finally:
        output.abort()
    assert tree(tmp_path) == set()


COUNCILS = 2500


@pytest.mark.slow
def test_kill_9_mid_build_leaves_the_previous_output_complete(tmp_path):
    site = copy_site(tmp_path / "site")
    add_councils(site, COUNCILS)
    out = site / "build"
    started = time.perf_counter()
    assert run("build", cwd=site, timeout=300).returncode == 0
    duration = time.perf_counter() - started
    old = digest(out)

    add_councils(site, COUNCILS, summary="Stopped new installations while it takes advice.")
    assert run("build", "--out", str(tmp_path / "expected"), cwd=site, timeout=300).returncode == 0
    new = digest(tmp_path / "expected")
    assert new != old

    def staging_files(minimum: int):
        def ready() -> bool:
            return any(sum(len(f) for _, _, f in os.walk(s)) >= minimum for s in site.glob(".build.new-*"))
        return ready

    def after(fraction: float):
        return lambda: time.perf_counter() - begun >= duration * fraction

    killed_mid_build = 0
    for ready in (after(0.3), after(0.6), staging_files(1), staging_files(COUNCILS // 2)):
        process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=site,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        begun = time.perf_counter()
        while process.poll() is None and not ready():
            time.sleep(0.005)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed_mid_build += 1
        process.wait()
        assert digest(out) in (old, new), "the output folder is incomplete after kill -9"
    assert killed_mid_build >= 3, "the builds finished before they could be killed"

    result = run("build", cwd=site, timeout=300)
    assert result.returncode == 0, result.stderr
    assert digest(out) == new


@pytest.mark.slow
def test_ctrl_c_mid_build_says_so_in_one_line_and_leaves_the_previous_output(tmp_path):
    site = copy_site(tmp_path / "site")
    add_councils(site, 600)
    out = site / "build"
    assert run("build", cwd=site, timeout=300).returncode == 0
    old = digest(out)
    add_councils(site, 600, summary="Stopped new installations while it takes advice.")
    # As a terminal sends it: to the build and its worker processes, which start with Ctrl-C not ignored.
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=site, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while process.poll() is None and not any(any(files for _, _, files in os.walk(s))
                                             for s in site.glob(".build.new-*")):
        time.sleep(0.005)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    out_text, err = process.communicate(timeout=60)
    assert process.returncode == 130, out_text + err
    assert err == "build stopped (Ctrl-C); build/ was left as it was\n"
    assert digest(out) == old
    assert not list(site.glob(".build.new-*"))


SPARE_COUNCILS = 600


@pytest.mark.slow
def test_kill_9_while_the_spare_is_brought_up_to_date_leaves_the_previous_output_complete(tmp_path):
    """A build takes the previous output's spare and brings it up to date: killed then, the output
    is as it was, and the next builds (which cannot trust what the killed one left) are exact."""
    site = copy_site(tmp_path / "site")
    out = site / "build"
    summaries = {"A": "Paused new installations.", "B": "Stopped new installations while it takes advice."}
    expected = {}
    for state, summary in summaries.items():
        add_councils(site, SPARE_COUNCILS, summary=summary)
        clean = tmp_path / f"clean-{state}"
        assert run("build", "--no-cache", "--out", str(clean), cwd=site, timeout=300).returncode == 0
        expected[state] = digest(clean)

    def build_to(state: str) -> float:
        add_councils(site, SPARE_COUNCILS, summary=summaries[state])
        started = time.perf_counter()
        result = run("build", cwd=site, timeout=300)
        assert result.returncode == 0, result.stderr
        assert digest(out) == expected[state]
        return time.perf_counter() - started

    def spare_taken(before: set[Path]) -> bool:
        return bool(set(site.glob(".build.new-*")) - before) and not list(site.glob(".build.spare-*"))

    build_to("A")
    build_to("B")  # the output now has a spare, and the build cache knows it
    duration = build_to("A")
    killed = 0
    for fraction in (0.3, 0.6, 0.9):
        add_councils(site, SPARE_COUNCILS, summary=summaries["B"])
        stagings = set(site.glob(".build.new-*"))
        process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=site,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        begun = time.perf_counter()
        while process.poll() is None and not (time.perf_counter() - begun >= duration * fraction
                                              and spare_taken(stagings)):
            time.sleep(0.005)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
        assert digest(out) in (expected["A"], expected["B"]), "the output folder is incomplete after kill -9"
        build_to("B")  # from an empty folder: the killed build took the spare
        build_to("A")  # from the spare again
    assert killed >= 2, "the builds finished before they could be killed"

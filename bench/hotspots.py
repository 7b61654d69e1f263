"""Where a full cold build's time goes, at 1,000 councils unless told otherwise.

Builds a synthetic site (bench/synth.py) once, in one process (`--jobs 1`, so that every piece
of work is seen: worker processes are not profiled), with no cache and no previous output,
under pyinstrument's sampling profiler (1 ms), and prints three lists as shares of the build:

- by generator module, then by generator function: each sample is charged to the innermost
  function of the generator on its stack, so library time (PyYAML, markdown-it, Jinja)
  counts for the generator code that called it;
- by function, own time: where the interpreter actually was (library functions included).

The interpreter's start-up and the imports done before the build starts are not sampled:
`make bench` times whole processes.

    .venv/bin/python bench/hotspots.py [N] [--html FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from pyinstrument import Profiler

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
from synth import make_site  # noqa: E402

PACKAGE = str(ROOT / "generator") + "/"


def name(frame) -> str:
    path = frame.file_path or "?"
    short = path[len(PACKAGE):] if path.startswith(PACKAGE) else path.split("site-packages/")[-1]
    return f"{short}:{frame.function}"


def charge(frame, caller: str, owner: str | None, stages: Counter, functions: Counter) -> None:
    """Walk the call tree, charging each sample to the function it was in (a synthetic frame
    such as `[self]` stands for its caller's own time) and to that function's stage owner."""
    here = caller if frame.function.startswith("[") else name(frame)
    if frame.file_path and frame.file_path.startswith(PACKAGE):
        owner = here
    if not frame.children:
        functions[here] += frame.time
        stages[owner or "(outside the generator)"] += frame.time
    for child in frame.children:
        charge(child, here, owner, stages, functions)


def table(title: str, counts: Counter, total: float, top: int) -> list[str]:
    lines = [title]
    for key, seconds in counts.most_common(top):
        lines.append(f"  {seconds / total:6.1%}  {seconds:6.3f}s  {key}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("councils", nargs="?", type=int, default=1000)
    parser.add_argument("--html", type=Path, help="also write pyinstrument's interactive report here")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    site = make_site(args.councils, WORK / f"profile-{args.councils}")
    shutil.rmtree(site / ".cache", ignore_errors=True)
    sys.path.insert(0, str(ROOT))
    from generator import cli

    profiler = Profiler(interval=0.001)
    cpu = time.process_time()
    profiler.start()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            status = cli.main(["build", "--site", str(site), "--jobs", "1", "--no-cache"])
    except SystemExit as exit_:
        status = exit_.code
    profiler.stop()
    cpu = time.process_time() - cpu
    if status:
        raise SystemExit(f"the build failed with status {status}")
    session = profiler.last_session
    root = session.root_frame()
    stages: Counter = Counter()
    functions: Counter = Counter()
    charge(root, "?", None, stages, functions)
    modules: Counter = Counter()
    for key, seconds in stages.items():
        modules[key.split(":")[0]] += seconds
    total = sum(functions.values())
    lines = [f"A full cold build of {args.councils} councils in one process: {session.duration:.3f}s wall, "
             f"{cpu:.3f}s of CPU, {total:.3f}s sampled."]
    lines += table("By generator module (library time charged to the generator code that called it):",
                   modules, total, 15)
    lines += table("By generator function (the same charging):", stages, total, 20)
    lines += table("By function, own time (libraries included):", functions, total, 25)
    print("\n".join(lines))
    if args.html:
        args.html.write_text(profiler.output_html(), "utf-8")


if __name__ == "__main__":
    main()

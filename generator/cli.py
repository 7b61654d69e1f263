"""Command line: the only module that reads argv, prints diagnostics and chooses exit codes.

Exit status: 0 success, 1 content or template errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

from .diagnostics import BuildFailed, Diagnostic
from .schema import URL_RE

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator",
                                description="Build the Hikvision and UK councils explainer.")
    sub = p.add_subparsers(dest="command", required=True, metavar="command")

    def common(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--site", default=".", metavar="DIR",
                         help="folder holding site.yaml, content/ and templates/ (default: .)")
        cmd.add_argument("--jobs", type=int, metavar="N",
                         help="processes to use for large sites (default: one per core)")
        cmd.add_argument("--no-cache", action="store_true",
                         help="ignore and do not update the build cache in DIR/.cache/")

    b = sub.add_parser("build", help="validate the content and build the site")
    common(b)
    b.add_argument("--out", metavar="DIR", help="output folder (default: DIR/build)")
    b.add_argument("--base-url", metavar="URL", help="override site.yaml's base_url")

    c = sub.add_parser("check", help="validate content and templates without writing anything")
    common(c)
    c.add_argument("--base-url", metavar="URL", help=argparse.SUPPRESS)
    c.add_argument("--format", choices=("text", "json"), default="text", help="how to print problems")

    v = sub.add_parser("serve", help="preview the site with live reload while you edit")
    common(v)
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    v.add_argument("--out", metavar="DIR", help="folder for the preview's files (default: DIR/build)")
    return p


def main(argv: list[str] | None = None) -> int:
    # A build is a short run that makes many objects and few cycles: collecting them as it goes
    # costs more than the memory it would save.
    gc.disable()
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        site_dir = _site_dir(args.site)
        if getattr(args, "base_url", None) is not None and not URL_RE.match(args.base_url):
            raise UsageError(f"--base-url must be an http:// or https:// address, not {args.base_url!r}")
        if args.command == "build":
            return _build(args, site_dir)
        if args.command == "serve":
            return _serve(args, site_dir)
        return _check(args, site_dir)
    except UsageError as exc:
        print(f"python -m generator: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _site_dir(arg: str) -> Path:
    site_dir = Path(arg)
    if not (site_dir / "site.yaml").is_file():
        raise UsageError(f"no site.yaml in {arg!r}: --site must name the folder holding site.yaml, content/ and templates/")
    return site_dir


def _build(args, site_dir: Path) -> int:
    from .build import Builder

    out = Path(args.out) if args.out else site_dir / "build"
    started = time.perf_counter()
    try:
        outcome = Builder(site_dir, args.base_url, jobs=args.jobs, cache=not args.no_cache).build(out)
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, "text")
        print(f"build failed; {_shown(out)}/ was left as it was", file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        print(f"{_shown(out)}: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERRORS
    _report(outcome.warnings, args.site, "text")
    seconds = time.perf_counter() - started
    w = outcome.written
    detail = f" ({w.written} changed, {w.removed} removed)" if w and w.swapped else " (no changes)"
    print(f"Built {outcome.pages} pages in {seconds:.2f} s → {_shown(out)}/{detail}")
    return EXIT_OK


def _serve(args, site_dir: Path) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    gc.enable()  # a long-running process
    from .serve import serve

    return serve(site_dir, Path(args.out) if args.out else site_dir / "build", args.host, args.port, args.site)


def _check(args, site_dir: Path) -> int:
    from .build import Builder

    try:
        outcome = Builder(site_dir, args.base_url, jobs=args.jobs, cache=not args.no_cache).check()
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, args.format)
        return EXIT_ERRORS
    _report(outcome.warnings, args.site, args.format)
    if args.format == "text":
        print(f"Checked {len(outcome.site.councils)} councils, {len(outcome.site.articles)} articles, "
              f"{len(outcome.site.timeline)} events and {len(outcome.site.pages) + 1} pages: no errors")
    return EXIT_OK


def _report(diagnostics: list[Diagnostic], site_arg: str, fmt: str) -> None:
    """Print problems with paths as the user can open them from where they ran the command."""
    prefix = "" if os.path.normpath(site_arg) == "." else os.path.normpath(site_arg) + "/"
    if fmt == "json":
        items = [d.as_json() | {"file": prefix + d.location.path} for d in sorted(diagnostics)]
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return
    for d in sorted(diagnostics):
        print(f"{prefix}{d}", file=sys.stderr)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)

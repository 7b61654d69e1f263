"""Command line: the only module that reads argv, prints diagnostics and chooses exit codes.

Exit status: 0 success, 1 content or template errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from . import clock, collector, outdir
from .diagnostics import BuildFailed, Diagnostic
from .fieldtypes import URL_RE
from .load import CACHE_DIR, INPUTS_IN_WORDS, OUTPUT_DIR, SCHEMAS_DIR, SITE_FILE, article_file, council_file
from .report import Reporter

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_STOPPED = 128 + 2  # by Ctrl-C (SIGINT), as a shell reports it


class UsageError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator",
                                description="Build the Hikvision and UK councils explainer.")
    sub = p.add_subparsers(dest="command", required=True, metavar="command")

    def common(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--site", default=".", metavar="DIR",
                         help=f"folder holding {INPUTS_IN_WORDS} (default: .)")

    def building(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--jobs", type=int, metavar="N",
                         help="processes to use for large sites (default: one per core)")
        cmd.add_argument("--no-cache", action="store_true",
                         help=f"ignore and do not update the build cache in DIR/{CACHE_DIR}/")

    b = sub.add_parser("build", help="validate the content and build the site")
    common(b)
    building(b)
    b.add_argument("--out", metavar="DIR", help=f"output folder (default: DIR/{OUTPUT_DIR})")
    b.add_argument("--base-url", metavar="URL", help=f"override {SITE_FILE}'s base_url")
    b.add_argument("--for-files", action="store_true",
                   help="link to .../index.html, so the built site can be opened from disk (file://) or sent as a zip")

    c = sub.add_parser("check", help="validate content and templates without writing anything")
    common(c)
    building(c)
    c.add_argument("--base-url", metavar="URL", help=argparse.SUPPRESS)
    c.add_argument("--format", choices=("text", "json"), default="text", help="how to print problems")
    c.add_argument("--links", action="store_true",
                   help="check the internal links and #anchors of the built site instead of the content")
    c.add_argument("--out", metavar="DIR", help=f"with --links: the built site to check (default: DIR/{OUTPUT_DIR})")

    s = sub.add_parser("schemas", help=f"regenerate the JSON Schemas in {SCHEMAS_DIR}/ that editors use")
    common(s)

    n = sub.add_parser("new", help="start a council or article file from a commented skeleton")
    what = n.add_subparsers(dest="what", required=True, metavar="council|article")
    nc = what.add_parser("council", help=f"write {council_file('<slug>')}")
    nc.add_argument("name", help='the council\'s official name, e.g. "Medway Council"')
    common(nc)
    nc.add_argument("--slug", help="file name without .yaml (default: made from the name)")
    nc.add_argument("--kind", help="county, district, unitary, metropolitan, london-borough or other")
    nc.add_argument("--region", help=f"one of the regions listed in {SITE_FILE}")
    nc.add_argument("--source", metavar="ID", help="id of the article that supports the status")
    na = what.add_parser("article", help=f"write {article_file('<id>')}")
    na.add_argument("title", help="the article's headline")
    common(na)
    na.add_argument("--id", help="file name without .md (default: publisher, year, month and title)")
    na.add_argument("--publisher")
    na.add_argument("--date", help="publication date: YYYY-MM-DD, YYYY-MM or YYYY")
    na.add_argument("--url", help="the article's web address")
    na.add_argument("--summary", help="the summary, in your own words (you can also write it in the file)")

    r = sub.add_parser("rename", help="rename a council or article and rewrite every reference to it")
    r.add_argument("what", choices=("council", "article"), help="what to rename")
    r.add_argument("old", help="its file name now, without .yaml or .md")
    r.add_argument("new", help="the new file name, without .yaml or .md")
    common(r)

    v = sub.add_parser("serve", help="preview the site with live reload while you edit")
    common(v)
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    v.add_argument("--out", metavar="DIR", help=f"folder for the preview's files (default: DIR/{OUTPUT_DIR})")
    return p


def main(argv: list[str] | None = None) -> int:
    with collector.paused():  # a short run; the caller's setting is restored after it
        try:
            return _main(argv)
        except KeyboardInterrupt:
            print("python -m generator: stopped (Ctrl-C)", file=sys.stderr)
            return EXIT_STOPPED


def _main(argv: list[str] | None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        site_dir = _site_dir(args.site)
        if getattr(args, "base_url", None) is not None and not URL_RE.match(args.base_url):
            raise UsageError(f"--base-url must be an http:// or https:// address, not {args.base_url!r}")
        if args.command == "build":
            outdir.check_output(site_dir, _out_dir(args, site_dir))
            return _build(args, site_dir)
        if args.command == "serve":
            outdir.check_output(site_dir, _out_dir(args, site_dir))
            return _serve(args, site_dir)
        if args.command == "check":
            return _links(args, site_dir) if args.links else _check(args, site_dir)
        if args.command == "schemas":
            return _schemas(args, site_dir)
        if args.command == "rename":
            return _rename(args, site_dir)
        return _new(args, site_dir)
    except (UsageError, outdir.UnsafeOutput) as exc:
        print(f"python -m generator: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _site_dir(arg: str) -> Path:
    site_dir = Path(arg)
    if not (site_dir / SITE_FILE).is_file():
        raise UsageError(f"no {SITE_FILE} in {arg!r}: --site must name the folder holding {INPUTS_IN_WORDS}")
    return site_dir


def _build(args, site_dir: Path) -> int:
    from .build import build

    out = _out_dir(args, site_dir)
    started = time.perf_counter()
    try:
        outcome = build(site_dir, out, clock.today(), _options(args, for_files=args.for_files), _cache(args, site_dir))
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, "text")
        print(f"build failed; {_shown(out)}/ was left as it was", file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        print(f"{_shown(out)}: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print(f"build stopped (Ctrl-C); {_shown(out)}/ was left as it was", file=sys.stderr)
        return EXIT_STOPPED
    _report(outcome.warnings, args.site, "text")
    seconds = time.perf_counter() - started
    w = outcome.written
    detail = f" ({w.written} changed, {w.removed} removed)" if w and w.swapped else " (no changes)"
    print(f"Built {outcome.pages} pages in {seconds:.2f} s → {_shown(out)}/{detail}")
    return EXIT_OK


def _options(args, for_files: bool = False):
    from .build import Options
    from .parallel import cores

    return Options(args.base_url, for_files=for_files, jobs=args.jobs or cores())


def _cache(args, site_dir: Path):
    from .build import open_cache

    return open_cache(None if args.no_cache else site_dir / CACHE_DIR)


def _serve(args, site_dir: Path) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    gc.enable()  # a long-running process (main puts the caller's setting back after it)
    from .serve import serve

    return serve(site_dir, _out_dir(args, site_dir), args.host, args.port, args.site)


def _check(args, site_dir: Path) -> int:
    from .build import check_site

    try:
        outcome = check_site(site_dir, clock.today(), _options(args), _cache(args, site_dir))
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, args.format)
        return EXIT_ERRORS
    _report(outcome.warnings, args.site, args.format)
    if args.format == "text":
        print(f"Checked {len(outcome.site.councils)} councils, {len(outcome.site.articles)} articles, "
              f"{len(outcome.site.timeline)} events and {len(outcome.site.pages) + 1} pages: "
              f"no errors{_warning_count(outcome.warnings)}")
    return EXIT_OK


def _links(args, site_dir: Path) -> int:
    from . import linkcheck

    out = _out_dir(args, site_dir)
    try:
        report = linkcheck.check_links(out, _shown(out))
    except linkcheck.NoBuiltSite as exc:
        raise UsageError(str(exc)) from None
    _report(report.diagnostics, ".", args.format)
    if args.format == "text":
        broken = len(report.diagnostics)
        print(f"Checked {report.links} links on {report.pages} pages: "
              + (f"{broken} broken" if broken else "no broken links"))
    return EXIT_ERRORS if report.diagnostics else EXIT_OK


def _schemas(args, site_dir: Path) -> int:
    from . import jsonschemas

    try:
        written = jsonschemas.write_schemas(site_dir)
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, "text")
        return EXIT_ERRORS
    for path in written:
        print(f"Wrote {_shown(path)}")
    return EXIT_OK


def _new(args, site_dir: Path) -> int:
    from . import scaffold

    try:
        if args.what == "council":
            made = scaffold.new_council(site_dir, clock.today(), args.name, args.slug, args.kind, args.region,
                                        args.source)
        else:
            made = scaffold.new_article(site_dir, args.title, args.id, args.publisher, args.date, args.url,
                                        args.summary)
    except scaffold.ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, "text")
        return EXIT_ERRORS
    print(f"Wrote {_shown(made.path)}")
    if made.todo:
        print(f"Still to fill in: {', '.join(made.todo)}. Then run 'make check'.")
    return EXIT_OK


def _rename(args, site_dir: Path) -> int:
    from .rename import RenameError, rename
    from .render import plural

    try:
        done = rename(site_dir, args.what, args.old, args.new)
    except RenameError as exc:
        raise UsageError(f"nothing renamed: {exc}") from None
    except BuildFailed as exc:
        _report(exc.diagnostics, args.site, "text")
        print("nothing renamed: fix these errors first", file=sys.stderr)
        return EXIT_ERRORS
    shown = {path: _shown(site_dir / path) for path in (done.old, done.new, *done.rewritten)}
    print(f"Renamed {shown[done.old]} to {shown[done.new]}")
    for path, count in done.rewritten.items():
        print(f"  {shown[path]}: {plural(count, 'reference')} rewritten")
    if args.what == "council":
        print(f"The old address councils/{args.old}/ will redirect to councils/{args.new}/ "
              f"(former_slugs in {shown[done.new]}).")
    return EXIT_OK


def _warning_count(warnings: list[Diagnostic]) -> str:
    from .render import plural

    return f", {plural(len(warnings), 'warning')}" if warnings else ""


def _out_dir(args, site_dir: Path) -> Path:
    return Path(args.out) if args.out else site_dir / OUTPUT_DIR


def _report(diagnostics: list[Diagnostic], site_arg: str, fmt: str) -> None:
    Reporter(site_arg).print(diagnostics, fmt)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)

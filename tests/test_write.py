"""The write step keeps the previous output as a spare and brings it up to date at the next
build: however the builds follow one another (edits, files added and removed, a folder where a
file was, a preview writing in place, an output edited by hand, a failed or killed build), the
output must be exactly what a clean build writes, and a kill -9 at any moment must leave the
previous output complete."""

from __future__ import annotations

import errno
import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import clock, swap
from generator import build as pipeline
from generator.cache import BuildCache
from generator.load import CACHE_DIR
from generator.diagnostics import BuildFailed
from generator.write import Output, WriteResult, manifest_of
from test_incremental import EDITS, edit


def contents(folder: Path) -> dict[str, object]:
    """Every entry under `folder` as a reader of the disk sees it: files' bytes, symbolic links
    (never followed) and empty folders."""
    found: dict[str, object] = {}
    for parent, dirs, files in os.walk(folder):
        rel = os.path.relpath(parent, folder)
        for name in dirs + files:
            path = os.path.join(parent, name)
            key = os.path.normpath(os.path.join(rel, name))
            if os.path.islink(path):
                found[key] = ("symlink", os.readlink(path))
            elif name in files:
                found[key] = Path(path).read_bytes()
        if not dirs and not files and parent != os.fspath(folder):
            found[os.path.normpath(rel)] = "empty folder"
    return found


def spares(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.spare-*"))


# -- the write step on its own, fed file lists as the builder feeds it ---------------------------

def versions() -> list[dict[str, bytes]]:
    """Five versions of a small site, each a different kind of edit of the one before."""
    v0 = {"index.html": b"<h1>home</h1>", "404.html": b"not found", "assets/style.css": b"a{}",
          "assets/app.js": b"go()", "data/councils.json": b"[]", "feeds/all": b"feed"}
    v0 |= {f"councils/c{i}/index.html": f"council {i}".encode() for i in range(10)}
    v1 = dict(v0) | {"councils/c1/index.html": b"council 1, edited", "councils/c10/index.html": b"new",
                     "assets/style.css": b"a{color:red}", "data/councils.json": b"[1]"}
    del v1["councils/c3/index.html"]
    v2 = dict(v1) | {"councils/c1/index.html": b"council 1, edited again", "councils/c3/index.html": b"back",
                     "feeds/all/index.html": b"feed, now a folder"}  # where a file was
    del v2["feeds/all"], v2["councils/c10/index.html"]
    v3 = {rel: content for rel, content in v2.items() if not rel.startswith("feeds/")}
    v3 |= {"index.html": b"<h1>home, edited</h1>", "councils/c5/index.html": b"council 5, edited",
           "feeds/all": b"a file again"}
    v4 = dict(v3) | {"councils/c1/index.html": b"council 1", "404.html": b"gone"}
    return [v0, v1, v2, v3, v4]


@dataclass
class Written:
    """What a builder remembers of its last build."""

    site: dict[str, bytes]
    result: WriteResult
    manifest: dict[str, tuple[int, int]]


def write(out: Path, site: dict[str, bytes], last: Written | None, use_spare: bool = True) -> Written:
    """Write `site` as the builder does: keep the files it knows unchanged (same bytes as last
    time, and the output's file as last seen), put the others (and the assets, always)."""
    known = last is not None
    output = Output(out, True, last.manifest if known else None,
                    spare=last.result.spare if known and use_spare else None)
    try:
        for rel, content in sorted(site.items()):
            if known and not rel.startswith("assets/") and last.site.get(rel) == content and pipeline.LastBuild(
                    out, manifest=last.manifest).intact(rel):
                output.keep(rel)
            else:
                output.put(rel, content)
        result = output.finish(set(site))
    finally:
        output.abort()
    return Written(site, result, manifest_of(out, site))


@pytest.fixture(params=["exchange", "rename"])
def kernel(request, monkeypatch):
    """Both ways of swapping: renameat2's exchange, and two renames where it is missing."""
    if request.param == "rename":
        monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    return request.param


def test_successive_writes_give_each_version_exactly_and_reuse_the_spare(tmp_path, kernel):
    out = tmp_path / "out"
    last = None
    for number, site in enumerate(versions()):
        spare_before = [p.stat().st_ino for p in spares(out)]
        before = {rel: os.stat(out / rel) for rel in last.site} if last else {}
        last = write(out, site, last)
        assert contents(out) == site, f"version {number}"
        assert last.result.swapped
        assert [p.name for p in tmp_path.iterdir() if p != out] == [p.name for p in spares(out)]
        if number >= 2:  # from the third build on, the new output is the previous one's spare
            assert spare_before == [os.stat(out).st_ino]
        for rel, st in before.items():  # a file whose bytes did not change is the same file
            if rel in site and site[rel] == versions()[number - 1][rel]:
                assert (os.stat(out / rel).st_ino, os.stat(out / rel).st_mtime_ns) == (st.st_ino, st.st_mtime_ns), rel


def test_an_unchanged_site_is_not_swapped_and_the_next_change_still_lands(tmp_path):
    out = tmp_path / "out"
    v0, v1, v2 = versions()[:3]
    last = write(out, v1, write(out, v0, None))
    inode = os.stat(out).st_ino
    last = write(out, v1, last)
    assert not last.result.swapped and os.stat(out).st_ino == inode
    last = write(out, v2, last)
    assert contents(out) == v2


def test_a_spare_of_unknown_state_is_not_used(tmp_path):
    out = tmp_path / "out"
    v0, v1, v2, v3 = versions()[:4]
    last = write(out, v1, write(out, v0, None))
    (spares(out)[0] / "councils" / "c7" / "index.html").unlink()  # the spare was tampered with...
    stale = write(out, v2, last, use_spare=False)  # ...by a build whose record was lost
    assert contents(out) == v2
    write(out, v3, last)  # a record that no longer matches the spare
    assert contents(out) == v3
    assert len(spares(out)) == 1
    write(out, v3 | {"extra.html": b"x"}, stale)
    assert contents(out) == v3 | {"extra.html": b"x"}


def test_a_failed_write_puts_the_spare_back_as_it_was(tmp_path):
    out = tmp_path / "out"
    v0, v1, v2, v3 = versions()[:4]
    last = write(out, v1, write(out, v0, None))
    spare = spares(out)[0]
    before = contents(spare)
    output = Output(out, True, last.manifest, spare=last.result.spare)
    try:
        for rel, content in sorted(v3.items()):
            output.put(rel, content + b"!")  # a build that fails after writing into the spare
    finally:
        output.abort()
    assert contents(out) == v1
    assert spares(out) == [spare], "the spare was not put back under its name"
    # Where it may differ from the output, what the failed build wrote is gone; elsewhere it is as it was.
    differs = last.result.spare.differs
    assert {k: v for k, v in contents(spare).items() if k not in differs} == \
        {k: v for k, v in before.items() if k not in differs}
    inode = spare.stat().st_ino
    last = write(out, v2, last)
    assert contents(out) == v2 and os.stat(out).st_ino == inode


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_a_write_in_place_that_fails_leaves_the_old_file_and_nothing_else(tmp_path, monkeypatch, failure):
    out = tmp_path / "out"
    v0 = versions()[0]
    output = Output(out, False, write(out, v0, None).manifest)
    page, real_write = b"council 1, edited", os.write

    def fail_on_the_page(fd, data):
        if bytes(data) == page:  # the disk fills up, or Ctrl-C comes, as the page is written
            raise failure
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", fail_on_the_page)
    with pytest.raises(type(failure)):
        output.put("councils/c1/index.html", page)
    monkeypatch.undo()
    assert contents(out) == v0


# -- kill -9 at every step ---------------------------------------------------------------------

MUTATING = ("open", "write", "link", "unlink", "rename", "replace", "mkdir", "rmdir", "utime", "chmod")


def _write_in_child(out: Path, site: dict[str, bytes], last: Written | None, kill_at: int) -> tuple[bool, int]:
    """Run `write` in a child process that kills itself with SIGKILL just before its
    `kill_at`-th call that changes the disk, or once done, before its caller could keep the
    result, if `kill_at` is one more than their number (0: never); returns (killed, calls made)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read_end)
            report, calls = os.write, [0]

            def counted(fn):
                def call(*args, **kwargs):
                    calls[0] += 1
                    if calls[0] == kill_at:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return fn(*args, **kwargs)
                return call

            for name in MUTATING:
                setattr(os, name, counted(getattr(os, name)))
            swap._exchange = counted(swap._exchange)
            write(out, site, last)
            if kill_at == calls[0] + 1:
                os.kill(os.getpid(), signal.SIGKILL)
            report(write_end, str(calls[0]).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        reported = pipe.read()
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert killed or os.waitstatus_to_exitcode(status) == 0, "the write failed in the child"
    return killed, int(reported or 0)


@pytest.mark.slow
@pytest.mark.parametrize("use_spare", [True, False], ids=["spare", "no-spare"])
def test_kill_9_at_any_step_leaves_the_previous_output_and_the_next_writes_are_exact(tmp_path, kernel, use_spare):
    v0, v1, v2, v3, v4 = versions()

    def previous_state(folder: Path) -> tuple[Path, Written]:
        out = folder / "out"
        last = write(out, v1, write(out, v0, None))  # the output is v1, and v0 its spare
        return out, (last if use_spare else Written(last.site, WriteResult(0, 0, 0, True), last.manifest))

    out, last = previous_state(tmp_path / "count")
    _, calls = _write_in_child(out, v2, last, kill_at=0)
    assert contents(out) == v2
    assert calls > 20
    for kill_at in range(1, calls + 2):
        out, last = previous_state(tmp_path / f"kill-{kill_at}")
        killed, _ = _write_in_child(out, v2, last, kill_at)
        assert killed
        swap.recover(out)  # what the next build does first
        assert contents(out) in (v1, v2), f"the output is incomplete after a kill at call {kill_at}"
        # The next builds, with the record the killed build could not update.
        for site in (v2, v3, v4):
            last = write(out, site, last)
            assert contents(out) == site, f"after a kill at call {kill_at}"
        assert len(spares(out)) == 1


# -- whole builds ------------------------------------------------------------------------------

def build(site: Path, atomic: bool = True) -> None:
    """A build in a new process would do the same: a new cache object reads the on-disk cache."""
    pipeline.build(site, site / "build", clock.today(), pipeline.Options(jobs=1), pipeline.open_cache(site / CACHE_DIR),
                   atomic=atomic)


def clean(site: Path, out: Path) -> dict[str, object]:
    pipeline.build(site, out, clock.today(), pipeline.Options(jobs=1), BuildCache(None))
    return contents(out)


EDIT = dict(EDITS)  # test_incremental's edits, by what they change


def test_successive_builds_with_different_edits_equal_a_clean_build(site, tmp_path):
    """After the second build each one starts from the spare: the third, fourth and fifth
    builds bring up to date a folder two builds behind."""
    out = site / "build"
    build(site)
    for number, what in enumerate(["a council's summary", "a new council", "a stylesheet",
                                   "a removed council", "a page"], start=2):
        EDIT[what](site)
        inode = [spare.stat().st_ino for spare in spares(out)]
        build(site)
        assert contents(out) == clean(site, tmp_path / f"clean-{number}"), f"build {number}, after editing {what}"
        assert inode == ([os.stat(out).st_ino] if number > 2 else []), f"build {number} did not start from the spare"
        assert len(spares(out)) == 1


def test_builds_reuse_the_spare_through_preview_writes_and_failures(site, tmp_path):
    out = site / "build"
    build(site)
    EDIT["a council's summary"](site)
    build(site)
    EDIT["a new council"](site)
    build(site, atomic=False)  # the preview writes in place: the spare falls behind
    EDIT["a stylesheet"](site)
    inode = spares(out)[0].stat().st_ino
    build(site)
    assert os.stat(out).st_ino == inode, "the spare was not reused"
    assert contents(out) == clean(site, tmp_path / "clean-1")
    # A template error: the build fails after writing some pages, and the spare is put back.
    spare = spares(out)[0]
    before = contents(out)
    council = site / "templates" / "council.html"
    good = council.read_text()
    council.write_text(good.replace("</h1>", "{{ 1 + 'a' }}</h1>", 1))
    EDIT["a removed council"](site)
    with pytest.raises(BuildFailed):
        build(site)
    assert contents(out) == before
    assert spares(out) == [spare]
    council.write_text(good)
    inode = spare.stat().st_ino
    build(site)
    assert os.stat(out).st_ino == inode, "the spare was not reused"
    assert contents(out) == clean(site, tmp_path / "clean-2")


def test_an_output_edited_by_hand_is_corrected_at_every_later_build(site, tmp_path):
    out = site / "build"
    build(site)
    EDIT["a council's summary"](site)
    build(site)  # the output now has a spare, which shares its unchanged files
    (out / "about" / "index.html").write_text("edited in place")  # the spare's copy too: one file
    replaced = out / "index.html.new"
    replaced.write_text("replaced")
    replaced.rename(out / "index.html")
    (out / "councils" / "medway" / "index.html").unlink()
    (out / "stray.html").write_text("added by hand")
    (out / "councils" / "dudley" / "notes.txt").write_text("added by hand")
    (out / "extra" / "deep").mkdir(parents=True)
    (out / "extra" / "deep" / "x.txt").write_text("added by hand")
    (out / "empty").mkdir()
    (out / "link").symlink_to("..")
    elsewhere = tmp_path / "elsewhere"  # a council's folder replaced by a link to a folder outside
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("not the build's")
    shutil.rmtree(out / "councils" / "tonbridge-and-malling")
    (out / "councils" / "tonbridge-and-malling").symlink_to(elsewhere)

    def tonbridge(site: Path) -> None:
        edit(site / "content/councils/tonbridge-and-malling.yaml", "status_summary: ", "status_summary: Now, ")

    for step, change in enumerate([None, tonbridge, EDIT["a new council"], EDIT["a removed council"]]):
        if change:
            change(site)
        build(site)
        assert contents(out) == clean(site, tmp_path / f"clean-{step}"), f"build {step + 1} after the hand edits"
        assert contents(elsewhere) == {"index.html": b"not the build's"}

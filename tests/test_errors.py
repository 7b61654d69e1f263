"""Broken inputs: each case in tests/broken/ overlays files on the fixture site and lists the exact
errors `check` and `build` must print (and nothing else), with exit status 1. Every case runs the
CLI in this process (fast); a few also run it as a user does, in a process of its own.

In an expected line, `…` stands for words a library supplies (PyYAML's or Jinja's own description
of a syntax error), which change between its versions: the place and our own words around it
are still matched exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_site, run, snapshot
from inprocess import cli

CASES = sorted((Path(__file__).parent / "broken").glob("*.txt"))


def parse_case(path: Path) -> tuple[dict[str, str], list[str]]:
    """`--- <file>` sections give file contents; the `--- expect` section lists the errors."""
    files: dict[str, list[str]] = {}
    current = None
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("--- ") and line[4:].strip():
            current = line[4:].strip()
            files[current] = []
        elif current is not None:
            files[current].append(line)
    expect = files.pop("expect")
    return {name: "\n".join(lines) + ("\n" if lines else "") for name, lines in files.items()}, expect


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def matches(lines: list[str], expected: list[str]) -> bool:
    """Each line equals its expected line, where `…` in the expected one stands for any words."""
    patterns = [re.compile(".+".join(map(re.escape, want.split("…")))) for want in expected]
    return len(lines) == len(patterns) and all(p.fullmatch(line) for p, line in zip(patterns, lines))


def broken_site(case: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    files, expected = parse_case(case)
    site = copy_site(tmp_path / "site")
    for name, content in files.items():
        (site / name).write_text(content, "utf-8")
    return site, expected


def assert_reported(result, expected: list[str]) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert matches(error_lines(result.stderr), expected), "\n".join(["expected:", *expected, "printed:",
                                                                    *error_lines(result.stderr)])
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_input_is_reported_exactly(case, tmp_path, monkeypatch):
    """In this process (a traceback would fail the test), as `check` and as `build`."""
    site, expected = broken_site(case, tmp_path)
    monkeypatch.chdir(site)
    for command in ("check", "build"):
        assert_reported(cli(command), expected)
    assert not (site / "build").exists(), "a failed build must not write anything"


@pytest.mark.parametrize("case", ["renamed-article", "yaml-syntax", "template-python-error"])
def test_broken_input_exits_1_from_the_command_line(case, tmp_path):
    """A few of the cases as a user runs them: a process of its own, its exit status, its stderr."""
    site, expected = broken_site(Path(__file__).parent / "broken" / f"{case}.txt", tmp_path)
    for command in ("check", "build"):
        assert_reported(run(command, cwd=site), expected)
    assert not (site / "build").exists(), "a failed build must not write anything"


def test_failed_build_keeps_the_previous_build_byte_for_byte(site):
    assert run("build", cwd=site).returncode == 0
    before = snapshot(site / "build")
    medway = site / "content" / "councils" / "medway.yaml"
    medway.write_text(medway.read_text().replace("status: paused", "status: pausd"))
    result = run("build", cwd=site)
    assert result.returncode == 1
    assert "content/councils/medway.yaml:4:9: error: unknown status 'pausd' (did you mean 'paused'?)" in result.stderr
    assert "build/ was left as it was" in result.stderr
    assert snapshot(site / "build") == before


def test_deleted_council_page_disappears(site):
    assert run("build", cwd=site).returncode == 0
    assert (site / "build" / "councils" / "medway" / "index.html").exists()
    (site / "content" / "councils" / "medway.yaml").unlink()
    assert run("build", cwd=site).returncode == 0
    assert not (site / "build" / "councils" / "medway").exists()
    assert "Medway" not in (site / "build" / "councils" / "index.html").read_text()


def test_unchanged_files_keep_their_modification_time(site):
    assert run("build", cwd=site).returncode == 0
    about = site / "build" / "about" / "index.html"
    council = site / "build" / "councils" / "dudley" / "index.html"
    stamps = about.stat().st_mtime_ns, council.stat().st_mtime_ns
    dudley = site / "content" / "councils" / "dudley.yaml"
    dudley.write_text(dudley.read_text().replace("Planned a full", "Planned a thorough"))
    result = run("build", cwd=site)
    assert result.returncode == 0
    assert about.stat().st_mtime_ns == stamps[0]
    assert council.stat().st_mtime_ns != stamps[1]
    assert "Planned a thorough" in council.read_text()


def test_invalid_utf8_is_reported_at_the_byte(site):
    (site / "content" / "councils" / "medway.yaml").write_bytes(b"name: Medway\nregion: South \xff East\n")
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert error_lines(result.stderr) == [
        "content/councils/medway.yaml:2:15: error: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"]


def test_paths_are_shown_as_the_user_can_open_them(site, tmp_path):
    (site / "content" / "councils" / "medway.yaml").write_text("name: [\n")
    result = run("check", "--site", "site", cwd=site.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("site/content/councils/medway.yaml:1:7: error: the '[' here starts a list")


def test_usage_errors_exit_2(tmp_path):
    assert run("build", "--site", str(tmp_path)).returncode == 2
    assert run("frobnicate").returncode == 2
    result = run("build", "--base-url", "ftp://example.org")
    assert result.returncode == 2 and "--base-url" in result.stderr


def test_ctrl_c_during_a_command_is_one_line_and_exit_130(site, monkeypatch):
    from generator import build

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "check_site", interrupted)
    result = cli("check", "--site", str(site))
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "python -m generator: stopped (Ctrl-C)\n")

"""Running the CLI inside the test process, for tests that run it many times (hypothesis)."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from generator.cli import main

# path:line:col: error: message, one problem per line
DIAGNOSTIC_RE = re.compile(r"^[^\s:][^:\n]*:\d+:\d+: (error|warning): \S[^\n]*$")


@dataclass(frozen=True, slots=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def cli(*args: str) -> Result:
    """`python -m generator ARGS` without starting a process; a traceback propagates to the test."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())

"""How the problems of a run are shown to the person who ran it: GCC-style lines on stderr, JSON
for tools, or HTML for the preview's overlay. Every path, the problem's own and those its message
names, is shown as the user can open it from where they ran the command (the --site folder in
front). The CLI and the preview both print through here."""

from __future__ import annotations

import html
import json
import os
import sys
from typing import Iterable, TextIO

from .diagnostics import Diagnostic, ordered


class Reporter:
    def __init__(self, site_arg: str = "."):
        self.prefix = "" if os.path.normpath(site_arg) == "." else os.path.normpath(site_arg) + "/"

    def print(self, diagnostics: Iterable[Diagnostic], fmt: str = "text", file: TextIO | None = None) -> None:
        """Text on stderr, one problem a line; or `fmt='json'`, a list on stdout."""
        shown = ordered(diagnostics)
        if fmt == "json":
            print(json.dumps([d.as_json(self.prefix) for d in shown], ensure_ascii=False, indent=1),
                  file=file or sys.stdout)
            return
        (file or sys.stderr).write("".join(d.line(self.prefix) + "\n" for d in shown))  # one write, not one a line

    def html_items(self, diagnostics: Iterable[Diagnostic]) -> str:
        """`<li>` items for the preview's overlay."""
        return "".join(
            f'<li class="preview-{d.severity}">'
            + (f"<code>{html.escape(self.prefix + str(d.location))}</code> " if d.location.path else "")
            + f"{html.escape(d.text(self.prefix))}</li>"
            for d in diagnostics)

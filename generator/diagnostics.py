"""Positions in input files, the diagnostics that point at them, and their GCC-style format."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Iterable, NamedTuple


class Location(NamedTuple):
    """A place in an input file: `path` is relative to the site folder, line and column start at 1.
    (A named tuple: every value of every file has one, so they must be cheap to make and pickle.)"""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


PLACE = "\0"  # in a message, where the next of its `places` is shown (editors' text has no NUL)


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    location: Location
    severity: str  # "error" or "warning"
    message: str
    # Other places the message names, each shown at a PLACE in it with the same folder in front
    # as the diagnostic's own location (see report.py).
    places: tuple[Location, ...] = ()

    def text(self, prefix: str = "") -> str:
        """The message, its places shown as `prefix` + path:line:col."""
        if not self.places:
            return self.message
        parts = self.message.split(PLACE)
        shown = [prefix + str(p) for p in self.places] + [""] * (len(parts) - 1 - len(self.places))
        return "".join(part + place for part, place in zip(parts, shown + [""]))

    def line(self, prefix: str = "") -> str:
        """One line, always: line breaks quoted from the editor's text are shown escaped.
        `path:line:col: severity: message`, or `severity: message` for a problem in no file."""
        message = self.text(prefix)
        if not message.isprintable():
            message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
        where = f"{prefix}{self.location}: " if self.location.path else ""
        return f"{where}{self.severity}: {message}"

    def __str__(self) -> str:
        return self.line()

    def as_json(self, prefix: str = "") -> dict:
        return {
            "file": prefix + self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "message": self.text(prefix),
        }


_ORDER = attrgetter("location", "severity", "message", "places")  # the fields, as order=True compares them


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """In Diagnostic's order, sorted by a key: a site's thousands of warnings would otherwise
    take hundreds of thousands of calls of the dataclass's `__lt__`."""
    return sorted(diagnostics, key=_ORDER)


@dataclass(slots=True)
class Diagnostics:
    """Collects every problem of a run, so editors can fix them all in one pass."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, places: tuple[Location, ...] = ()) -> None:
        self.items.append(Diagnostic(location, "error", message, places))

    def warning(self, location: Location, message: str) -> None:
        self.items.append(Diagnostic(location, "warning", message))

    def extend(self, others: Iterable[Diagnostic]) -> None:
        self.items.extend(others)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def sorted(self) -> list[Diagnostic]:
        return ordered(set(self.items))

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildFailed(self.sorted())


class BuildFailed(Exception):
    """Raised when a stage found errors; carries every diagnostic of the run, sorted."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{sum(d.severity == 'error' for d in diagnostics)} error(s)")
        self.diagnostics = diagnostics


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word` ignoring case (then, between equals, with case), or None
    when nothing is close."""
    folded = word.casefold()
    best, best_score = None, (0.6, 0.0)
    for candidate in candidates:
        m = difflib.SequenceMatcher(None, folded, candidate.casefold())
        if m.real_quick_ratio() < best_score[0] or m.quick_ratio() < best_score[0]:
            continue
        score = (m.ratio(), difflib.SequenceMatcher(None, word, candidate).ratio())
        if score > best_score or (best is None and score[0] >= best_score[0]):
            best, best_score = candidate, score
    return best


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when nothing is close."""
    close = closest(word, candidates)
    return f" (did you mean '{close}'?)" if close else ""

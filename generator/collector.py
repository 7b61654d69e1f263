"""Pausing and freezing Python's garbage collector for a stretch of work, then putting it back
as the caller had it: library code leaves no process-wide setting behind (tests, or a program
that imports the generator, keep their own)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """No collection meanwhile: a build makes many objects and few cycles, so collecting as it
    goes costs more than the memory it would save."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


@contextmanager
def frozen() -> Iterator[None]:
    """Every object made so far is left out of collections meanwhile, so that forked children
    do not copy every page they inherit by touching it. Unfrozen afterwards, unless the caller
    had frozen objects itself (they cannot be told apart from ours)."""
    had_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not had_frozen:
            gc.unfreeze()

"""Spread CPU-bound work over the machine's cores with fork: the children inherit the loaded
modules, the parsed content and the compiled templates, so starting one costs a millisecond,
and only their results travel back (pickled, through a pipe).

Work is split in a few large parts, one per core; the parent does the first itself.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerFailed(RuntimeError):
    """A child process raised; carries its traceback as text."""


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def balanced(items: Sequence[T], weight: Callable[[T], float], n: int) -> list[list[T]]:
    """`items` dealt into `n` parts of near-equal total weight (heaviest first, each to the
    lightest part so far), each part keeping the items' order."""
    n = max(1, min(n, len(items)))
    loads = [0.0] * n
    owner = {}
    for index in sorted(range(len(items)), key=lambda i: -weight(items[i])):
        part = loads.index(min(loads))
        loads[part] += weight(items[index])
        owner[index] = part
    parts: list[list[T]] = [[] for _ in range(n)]
    for index, item in enumerate(items):
        parts[owner[index]].append(item)
    return parts


def fork_map(fn: Callable[[Sequence[T]], R], parts: list[Sequence[T]]) -> list[R]:
    """`[fn(part) for part in parts]`, the parts after the first each in a forked child."""
    if len(parts) <= 1 or not hasattr(os, "fork"):
        return [fn(part) for part in parts]
    gc.freeze()  # so the children's collector does not copy every inherited page
    children = []
    for part in parts[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(read_end)
            _child(fn, part, write_end)
        os.close(write_end)
        children.append((pid, read_end))
    try:
        results = [fn(parts[0])]
    finally:
        received = [_collect(pid, fd) for pid, fd in children]
    for ok, value in received:
        if not ok:
            raise WorkerFailed(value)
        results.append(value)
    return results


def _child(fn, part, fd: int) -> None:
    status = 0
    try:
        try:
            payload = pickle.dumps((True, fn(part)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            payload = pickle.dumps((False, traceback.format_exc()))
            status = 1
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _collect(pid: int, fd: int) -> tuple[bool, object]:
    with os.fdopen(fd, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        return False, f"worker process {pid} ended without a result (status {status})"
    return pickle.loads(payload)

"""Spread CPU-bound work over the machine's cores with fork: the children inherit the loaded
modules, the parsed content and the compiled templates, so starting one costs a millisecond,
and only their results travel back (pickled, through a pipe).

The work comes in chunks, and every process (this one too) claims the next chunk when it is
free, so a slow chunk (a page listing ten thousand councils) never leaves a core idle while
another has a queue. The claims are tickets in a pipe: a read of a few bytes from a pipe is
atomic, so no two processes get the same chunk, and no lock or manager process is needed.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from typing import Callable, Sequence, TypeVar

from .collector import frozen

T = TypeVar("T")
R = TypeVar("R")

_TICKET = 4  # bytes per chunk number in the ticket pipe
# The signals that stop a run: Ctrl-C, and what process managers and editors' stop buttons send.
# They are held while forking, until the child is ready to report them: raised elsewhere (in
# Python's fork hooks, or in a child not yet in `_child`), their KeyboardInterrupt would be printed
# and dropped, or be taken by the child for the parent's, and the child carry on as the build.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})
PARALLEL_MIN = 20  # below this many files or pages, forking costs more than it saves


class WorkerFailed(RuntimeError):
    """A child process raised; carries its traceback as text."""


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def jobs_for(count: int, jobs: int) -> int:
    """How many processes to give `count` items of work: one, unless forking pays."""
    return jobs if count >= PARALLEL_MIN else 1


def chunked(items: Sequence[T], jobs: int, per_job: int = 8) -> list[Sequence[T]]:
    """`items` in consecutive chunks, about `per_job` for each process, so that the last ones
    to finish are small."""
    size = max(1, -(-len(items) // (jobs * per_job)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def shared_map(fn: Callable[[Sequence[T]], R], chunks: list[Sequence[T]], jobs: int,
               meanwhile: Callable[[], None] | None = None) -> list[R]:
    """`[fn(chunk) for chunk in chunks]`, computed by `jobs` processes (this one and forked
    children), each taking the next chunk as it becomes free; results in the chunks' order.
    `meanwhile` runs in this process (only) before it takes its first chunk."""
    jobs = min(jobs, len(chunks))
    if jobs <= 1 or not hasattr(os, "fork"):
        if meanwhile is not None:
            meanwhile()
        return [fn(chunk) for chunk in chunks]
    tickets_out, tickets_in = os.pipe()
    with frozen():  # so the children's collector does not copy every inherited page
        children = []
        try:
            for _ in range(jobs - 1):
                read_end, write_end = os.pipe()
                held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
                try:
                    pid = os.fork()
                    if pid == 0:  # pragma: no cover - runs in the child, which never returns
                        _child(fn, chunks, tickets_out, write_end, (read_end, tickets_in), held)
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(write_end)
                children.append((pid, read_end))
            try:
                # Every ticket, then the end: an empty pipe with no writer reads as "no more work".
                # (Should they overflow the pipe, the children are already taking them.)
                tickets = memoryview(b"".join(i.to_bytes(_TICKET, "little") for i in range(len(chunks))))
                while tickets:
                    tickets = tickets[os.write(tickets_in, tickets):]
                os.close(tickets_in)
                tickets_in = -1
                if meanwhile is not None:
                    meanwhile()
                done = _claim(fn, chunks, tickets_out)
            finally:
                received = [_collect(pid, fd) for pid, fd in children]
        finally:
            os.close(tickets_out)
            if tickets_in != -1:
                os.close(tickets_in)
    results: dict[int, R] = dict(done)
    for ok, value in received:
        if not ok:
            raise WorkerFailed(value)
        results.update((index, pickle.loads(result)) for index, result in value)
    return [results[i] for i in range(len(chunks))]


def _claim(fn, chunks, tickets: int, pickled: bool = False) -> list[tuple[int, object]]:
    """Take chunks until none are left. A child pickles each result as soon as it has it: that
    time then counts in its share of the work, instead of holding up the end."""
    done = []
    while ticket := os.read(tickets, _TICKET):
        index = int.from_bytes(ticket, "little")
        result = fn(chunks[index])
        done.append((index, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) if pickled else result))
    return done


def _child(fn, chunks, tickets: int, fd: int, parents: tuple[int, ...], mask: set[int]) -> None:
    status = 0
    try:
        try:
            for parent_end in parents:
                os.close(parent_end)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            payload = pickle.dumps((True, _claim(fn, chunks, tickets, pickled=True)), protocol=pickle.HIGHEST_PROTOCOL)
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

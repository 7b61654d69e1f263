"""The hidden folders beside an output folder, and the atomic swap between them.

Beside `build/` (or any `--out` folder, after which they are named) a build may leave:

- `.build.spare-<token>`: the previous output, kept after a swap for the next build to bring up
  to date instead of copying the whole site again. The token names one generation: the caller
  keeps it with the list of paths the spare lacks, so a spare left by a build whose record was
  lost (a killed process) is never taken for another.
- `.build.new-<random>`: the output being assembled. A spare is renamed to this before it is
  changed, so a killed build never leaves a half-updated folder under a spare's name.
- `.build.old`: the previous output set aside for a moment, where the kernel has no atomic exchange.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

STALE_S = 600  # a staging folder untouched this long belongs to a build that was killed


def spare_path(out: Path, token: str) -> Path:
    return out.parent / f".{out.name}.spare-{token}"


def _aside(out: Path) -> Path:
    return out.parent / f".{out.name}.old"


def _is_spare(out: Path, name: str) -> bool:
    return re.fullmatch(rf"\.{re.escape(out.name)}\.spare-[0-9a-f]{{16}}", name) is not None


def _is_staging(out: Path, name: str) -> bool:
    return name.startswith(f".{out.name}.new-")


def _siblings(out: Path, which) -> list[Path]:
    try:
        names = os.listdir(out.parent)
    except OSError:
        return []
    return [out.parent / name for name in sorted(names) if which(out, name)]


def recover(out: Path) -> None:
    """Undo what a killed build left: the output set aside (put back, or dropped when the new
    one made it into place), stale staging folders."""
    aside = _aside(out)
    if aside.is_dir() and not aside.is_symlink():
        if not out.exists():
            os.rename(aside, out)
        else:
            shutil.rmtree(aside, ignore_errors=True)
    for stale in _siblings(out, _is_staging):
        try:
            if time.time() - stale.lstat().st_mtime > STALE_S:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            continue


def new_staging(out: Path) -> Path:
    """An empty staging folder."""
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))


def take_spare(out: Path, token: str) -> Path | None:
    """The spare of that token, renamed to a staging folder; None if there is no such spare."""
    spare = spare_path(out, token)
    if not _is_spare(out, spare.name) or not spare.is_dir() or spare.is_symlink():
        return None
    staging = out.parent / f".{out.name}.new-{secrets.token_hex(8)}"
    try:
        os.rename(spare, staging)
    except FileNotFoundError:  # another build took it first
        return None
    os.utime(staging)  # a fresh staging folder, not a stale one (see `recover`)
    return staging


def put_back(staging: Path, out: Path, token: str) -> None:
    """Make an unchanged staging folder the spare it was taken as."""
    os.rename(staging, spare_path(out, token))


def drop_spares(out: Path) -> None:
    """Delete every spare of `out` (their state is unknown once none of them has been taken)."""
    for spare in _siblings(out, _is_spare):
        shutil.rmtree(spare, ignore_errors=True)


def swap(staging: Path, out: Path) -> Path | None:
    """Put `staging` in the place of `out` in one step; returns where the previous output now is
    (None if there was none)."""
    if not out.exists() and not out.is_symlink():
        os.rename(staging, out)
        return None
    if _exchange(staging, out):
        return staging
    aside = _aside(out)
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(out, aside)  # from here until the next line, `recover` puts it back
    os.rename(staging, out)
    return aside


def keep_as_spare(previous: Path, out: Path) -> str | None:
    """Keep the previous output as a spare of a new token; returns the token (None if it was not
    a folder of ours, but a symbolic link the output replaced)."""
    if previous.is_symlink():
        previous.unlink()
        return None
    token = secrets.token_hex(8)
    os.rename(previous, spare_path(out, token))
    return token


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _libc():
    import ctypes  # only here: importing it costs more than most builds' swap

    try:
        return ctypes.CDLL(None, use_errno=True)  # the running process's symbols, libc's among them
    except OSError:
        return None

"""What the preview watches, and watchers that keep going whatever happens to the folders.

`content/` and `templates/` are watched recursively; the site folder itself only for
`site.yaml` and those two folders (never the output folder, the cache, .venv or node_modules).
A watch follows a folder's inode, so when `content/` or `templates/` is moved away, deleted or
replaced, their watch starts again on whatever now has the name, and a rebuild catches up with
anything missed meanwhile.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Callable

from .load import CONTENT_DIR, SITE_FILE, TEMPLATES_DIR, is_editor_file

FOLDERS = (CONTENT_DIR, TEMPLATES_DIR)
STEP_MS = 5  # a burst of changes is taken as finished after this long without another one
DEBOUNCE_MS = 1000  # but a rebuild starts after this long at the latest
RETRY_S = 0.5  # after a watcher failed, or while there is no folder to watch

OnChange = Callable[[list[str]], None]  # paths relative to the site folder, with forward slashes


def start(site_dir: Path, on_change: OnChange, stop: threading.Event) -> None:
    """Call `on_change` after each burst of changes that may concern the site, until `stop`."""
    rewatch = threading.Event()  # set when content/ or templates/ themselves changed
    for target in (_watch_folders, _watch_site):
        threading.Thread(target=target, args=(Path(os.path.abspath(site_dir)), on_change, stop, rewatch),
                         daemon=True).start()


def _wanted(site: str, path: str) -> bool:
    """Anything under the watched folders but editors' own files: a file that is not content
    (`x.yml`) makes the build say so, and a moved folder may take content with it."""
    rel = os.path.relpath(path, site).replace(os.sep, "/")
    return not any(is_editor_file(part) for part in rel.split("/"))


def _watch_folders(site: Path, on_change: OnChange, stop: threading.Event, rewatch: threading.Event) -> None:
    import watchfiles

    catch_up = False
    while not stop.is_set():
        rewatch.clear()
        roots = [site / name for name in FOLDERS if (site / name).is_dir()]
        if not roots:
            catch_up = True
            rewatch.wait(RETRY_S)
            continue
        if catch_up:  # changes made while no watch was on are caught by a rebuild
            _safely(on_change, list(FOLDERS))
        catch_up = True
        _safely(lambda: _report(watchfiles.watch(
            *roots, watch_filter=lambda _change, path: _wanted(str(site), path), recursive=True,
            debounce=DEBOUNCE_MS, step=STEP_MS, stop_event=_Either(stop, rewatch), raise_interrupt=False),
            site, on_change, rewatch))
        if not rewatch.is_set():
            stop.wait(RETRY_S)  # the watch ended by itself: a root went away, or it failed


def _watch_site(site: Path, on_change: OnChange, stop: threading.Event, rewatch: threading.Event) -> None:
    import watchfiles

    names = {SITE_FILE, *FOLDERS}
    while not stop.is_set():
        _safely(lambda: _report(watchfiles.watch(
            site, watch_filter=lambda _change, path: os.path.basename(path) in names, recursive=False,
            debounce=DEBOUNCE_MS, step=STEP_MS, stop_event=stop, raise_interrupt=False),
            site, on_change, rewatch))
        stop.wait(RETRY_S)


def _report(changes_seen, site: Path, on_change: OnChange, rewatch: threading.Event) -> None:
    for changes in changes_seen:
        changed = sorted({os.path.relpath(path, site).replace(os.sep, "/") for _, path in changes})
        if any(path in FOLDERS for path in changed):
            rewatch.set()  # a watched folder itself was moved, deleted or created
        _safely(on_change, changed)


def _safely(action: Callable, *args) -> None:
    """Run `action`; an unexpected failure is reported in one line and watching goes on."""
    try:
        action(*args)
    except Exception as exc:
        print(f"preview: error: unexpected {type(exc).__name__} ({exc}); watching goes on",
              file=sys.stderr, flush=True)


class _Either:
    """Set when either event is (watchfiles asks its stop event only `is_set()`)."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)

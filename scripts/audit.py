"""`make audit`: Lighthouse (npm, v12) with Debian's Chromium on three pages of the built site.

Builds the site for a local address, serves it on a free loopback port, audits the home page,
the councils index and a council page, prints the scores and exits 1 if any is below target:
100 for accessibility, best practices and SEO, 95 for performance. Reports go to .cache/lighthouse/.
"""

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
PAGES = {"home": "", "councils index": "councils/", "council page": "councils/dover/"}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def audit(url: str, report: Path) -> dict[str, int]:
    """One Lighthouse run; the category scores out of 100."""
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(TARGETS)}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env=os.environ | {"CHROME_PATH": CHROMIUM})
    categories = json.loads(report.read_text("utf-8"))["categories"]
    return {name: round(categories[name]["score"] * 100) for name in TARGETS}


def main() -> int:
    work = ROOT / ".cache" / "lighthouse"
    out = work / "build"
    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(ROOT), "--out", str(out),
                    "--base-url", origin], check=True, cwd=ROOT)
    failed = False
    print(f"{'page':16}" + "".join(f"{name:>16}" for name in TARGETS))
    for label, path in PAGES.items():
        scores = audit(origin + path, work / f"{label.replace(' ', '-')}.json")
        low = [name for name, target in TARGETS.items() if scores[name] < target]
        failed = failed or bool(low)
        print(f"{label:16}" + "".join(f"{scores[name]:>16}" for name in TARGETS) + ("   below target" if low else ""))
    server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

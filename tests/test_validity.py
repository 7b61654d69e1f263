"""Every generated HTML page, of the real site and the fixture site, passes the Nu HTML Checker."""

from __future__ import annotations

import json
import subprocess

import pytest

from browser import VNU, require_java

pytestmark = pytest.mark.java


def test_every_page_passes_the_nu_html_checker(built, real_built):
    java = require_java()
    pages = sorted(real_built.rglob("*.html")) + sorted(built.rglob("*.html"))
    assert len(pages) > 45
    # One Java start for every page: the checker is slow to start and quick to run.
    result = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]
    assert errors == []
    assert result.returncode == 0

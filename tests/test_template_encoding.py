"""A template saved in another encoding than UTF-8 is reported as a content file would be."""

from __future__ import annotations

import pytest

from conftest import run


@pytest.mark.parametrize("template", ["council.html", "partials/macros.html"])
def test_template_not_in_utf8_is_one_clear_error(site, template):
    path = site / "templates" / template
    lines = path.read_bytes().split(b"\n")
    lines.insert(2, "{# Café #}".encode("latin-1"))  # an editor saving in Latin-1
    path.write_bytes(b"\n".join(lines))
    for command in ("check", "build"):
        result = run(command, cwd=site)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [f"templates/{template}:3:7: error: the file is not valid UTF-8 (byte 0xe9); "
                          "save it as UTF-8"]
    assert not (site / "build").exists()

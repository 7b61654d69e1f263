"""Status colours a reader can tell apart: in both themes, every status colour is readable as
text on the page and on panels, every two differ clearly (CIEDE2000), also to a reader with
red-green colour blindness, and each status has its own marker shape as well."""

from __future__ import annotations

import itertools
import re

import pytest

from colours import BLINDNESS, ciede2000, contrast, lab, simulate
from conftest import ROOT
from generator.charts import MARKER_SHAPES
from generator.model import STATUSES

CSS = (ROOT / "templates" / "assets" / "style.css").read_text("utf-8")
TEXT_CONTRAST = 4.5  # WCAG 1.4.3, for badges and labels
DIFFERENT = 15.0  # CIEDE2000 between any two statuses: far more than "just noticeable" (about 2)
DIFFERENT_COLOUR_BLIND = 5.0  # still a clear step when red and green look alike


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\b", block))


def themes() -> dict[str, dict[str, str]]:
    """The custom properties of the light theme (:root) and the dark one (its media query)."""
    dark_at = CSS.index("@media (prefers-color-scheme: dark)")
    light = _variables(CSS[CSS.index(":root"):CSS.index("}", CSS.index(":root"))])
    dark = light | _variables(CSS[dark_at:CSS.index("}\n}", dark_at)])
    return {"light": light, "dark": dark}


THEMES = themes()
# Every status the stylesheet colours: the vocabulary's, and any it is ready for.
PALETTE = tuple(re.findall(r"\.status-([a-z-]+) \{ color: var\(--\1\); \}", CSS))


def test_the_ciede2000_arithmetic_matches_published_values():
    # Sharma, Wu and Dalal (2005), table 1, pairs 1 and 17
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def test_every_status_has_a_colour_in_both_themes_and_a_class_using_it():
    assert [s for s in STATUSES if s not in PALETTE] == []
    for name, colours in THEMES.items():
        assert [s for s in PALETTE if s not in colours] == [], name


@pytest.mark.parametrize("theme", THEMES)
def test_status_colours_are_readable_on_the_page_and_on_panels(theme):
    colours = THEMES[theme]
    weak = [(s, background, round(contrast(colours[s], colours[background]), 2))
            for s in PALETTE for background in ("bg", "panel")
            if contrast(colours[s], colours[background]) < TEXT_CONTRAST]
    assert weak == []


@pytest.mark.parametrize("vision", ["typical", *BLINDNESS])
@pytest.mark.parametrize("theme", THEMES)
def test_every_two_statuses_differ_clearly(theme, vision):
    colours = THEMES[theme]

    def seen(status: str) -> tuple[float, float, float]:
        colour = colours[status]
        return lab(colour if vision == "typical" else simulate(colour, vision))

    least = DIFFERENT if vision == "typical" else DIFFERENT_COLOUR_BLIND
    close = [(a, b, round(ciede2000(seen(a), seen(b)), 1)) for a, b in itertools.combinations(PALETTE, 2)
             if ciede2000(seen(a), seen(b)) < least]
    assert close == []


@pytest.mark.parametrize("theme", THEMES)
def test_status_colours_differ_in_lightness_not_only_hue(theme):
    lightness = sorted(lab(THEMES[theme][s])[0] for s in PALETTE)
    assert lightness[-1] - lightness[0] >= 20  # a spread of CIELAB L*, not one lightness in many hues


def test_each_status_has_its_own_marker_shape():
    shapes = [MARKER_SHAPES[s] for s in STATUSES]
    assert len(set(shapes)) == len(STATUSES)

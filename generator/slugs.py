"""The one slug rule: how a name or a title becomes lower-case ASCII letters and digits joined by
single hyphens, for a file name (`new council`), an address or an #anchor (timeline events).

Letters with accents keep their base letter ('Ynys Môn' → 'ynys-mon'), '&' is read as 'and'
('Barking & Dagenham' → 'barking-and-dagenham'), and any other run of punctuation or spaces,
apostrophes and dashes included, is one hyphen ("Council's" → 'council-s', as Zola's slugs do), so that the
anchors already published keep their spelling."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH"})


def slugify(text: str) -> str:
    """'Ynys Môn' → 'ynys-mon'; '' when nothing of the text can be spelt in ASCII."""
    text = text.replace("&", " and ")
    if not text.isascii():  # ASCII has no letters to spell out, decompose or strip marks from
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(c for c in text if not unicodedata.combining(c))  # 'ô' is 'o' and a mark
    return _NOT_SLUG.sub("-", text.lower()).strip("-")

"""Markdown: prose written as plain paragraphs (words, [@citations], *emphasis* and **strong**)
skips the parser, and must come out exactly as the parser would write it: the same HTML, the
same citations in the same order, for generated text full of near-misses and for every text
of the site."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, FIXTURE
from generator import markdown
from generator.diagnostics import Diagnostics
from generator.load import listing, parse, scan
from generator.validate import check_file

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))
CHECKED = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What prose is made of: words, then what parts them. Then what lies on the edge of Markdown
# syntax: line starts that open a block, emphasis runs that cannot open or close, brackets that
# are not citations, spaces that break lines, characters that are syntax or that Markdown trims.
WORDS = ["The", "council", "said", "2023", "£450,000", "45%", "Môn", "it’s", "(a note)", "e.g.",
         "https://example.org/x", "/councils/", "a@b.uk", "[@bbc-2023]", "[@a_b.c-1]", "*word*", "**Two words.**",
         "*a* and *b*", "“quoted”", '"quoted"', "—", "…", "'", "!"]
BETWEEN = [" ", " ", " ", ", ", ". ", "; ", ": ", "? ", "\n", "\n\n", "\n\n\n"]
PROSE = [*WORDS, *(" " + w for w in WORDS), *BETWEEN, "*", "**", " - ", "-"]
EDGES = ["\n\n\n", "\n ", "  \n", "\n    code", " \n", "\t", "\n- ", "\n* ", "\n+ ", "\n1. ", "\n2) ", "\n10.",
         "\n---", "\n===", "\n# ", "\n> ", "\n[", "[x]: /y", "[@x]: /y", "\n[@x]", "[@", "]", "[", "[@]",
         "![@x]", "[a](/b)", "[@x](/y)", "***", "*a**", "**a*", "* a*", "*a *", "a*b*", "*a*b", "*a.*b", "(*a*)",
         "*a*.", "**a.**b", "*a\nb*", "_a_", "__", "~~a~~", "`a`", "<b>", "&amp;", "&", "\\*", "|", "#", "=",
         "+", "{", "^", "\u00a0", "\u2003", "\u2028", "\u00ad", "\ufeff", "\x00", "\r", "\x85", "＊", "é",
         "\U0001F600"]
plain_text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(BETWEEN)), min_size=1, max_size=20).map(
    lambda parts: "".join(word + between for word, between in parts).rstrip(" "))
any_text = st.lists(st.sampled_from(PROSE + EDGES), max_size=30).map("".join)


def as_parsed(text: str) -> tuple:
    prose = markdown._parsed(text)
    return prose.html, prose.citations, prose.links


def as_rendered(text: str) -> tuple:
    prose = markdown.render(text)
    return prose.html, prose.citations, prose.links


def plain_as_parsed(text: str) -> bool:
    """Whether the text skips the parser; if it does, it must come out as the parser writes it."""
    plain = markdown._plain(text)
    if plain is not None:
        assert (*plain, ()) == as_parsed(text) == as_rendered(text), text
    return plain is not None


@CHECKED
@given(plain_text)
@example("**Why no position is shown.** Being named is not a statement [@futurescot-2025].\n\nSecond *one*.")
@example("A \"quoted\" word, *see [@a] here*, and 1.5 million.\n2023 saw more.")
def test_plain_prose_comes_out_as_the_parser_writes_it(text):
    assume(plain_as_parsed(text))


@CHECKED
@given(any_text)
def test_prose_near_markdown_syntax_comes_out_as_the_parser_writes_it(text):
    plain_as_parsed(text)


@pytest.mark.parametrize("text", [
    "Plain words.", "Cited [@bbc-2023-kent], twice [@bbc-2023-kent].", "**Bold.** Then *em*, “quoted”.",
    "Two\nlines.\n\nTwo paragraphs.",
])
def test_plain_prose_does_not_need_the_parser(text):
    assert plain_as_parsed(text)


@pytest.mark.parametrize("text", [
    "- a list", "# A heading", "[a link](/councils/)", "Two spaces  \nbreak a line.", "*half emphasis",
    "a_b", "&amp;", "<b>", "    code", "1. item",
])
def test_other_markdown_is_left_to_the_parser(text):
    assert markdown._plain(text) is None


@pytest.mark.parametrize("site", [ROOT, FIXTURE], ids=["content", "minimal"])
def test_every_text_of_a_site_comes_out_as_the_parser_writes_it(site, monkeypatch):
    texts = []
    render = markdown.render
    monkeypatch.setattr(markdown, "render", lambda text: texts.append(text) or render(text))
    files = scan(site, Diagnostics(), listing(site))
    config = check_file(parse(next(f for f in files if f.kind == "site")), None).value
    for file in files:
        check_file(parse(file), config)
    monkeypatch.undo()
    assert texts
    assert sum(plain_as_parsed(text) for text in texts) > len(texts) // 2

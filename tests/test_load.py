"""The load stage on its own, in memory: a file's bytes become a parsed document that carries
its syntax errors at their places, and validation checks that document without parsing it again."""

from __future__ import annotations

import hashlib
import pickle

from generator.load import InputFile, MarkdownDocument, YamlDocument, article_file, council_file, parse
from generator.validate import check_file

ARTICLE = """\
---
title: Kent councils drop CCTV company
publisher: LocalGov
date: 2023-02-21
---

A summary that is long enough to say what the article reports.
"""


def input_file(kind: str, path: str, text: str | bytes) -> InputFile:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return InputFile(kind, path, stem, hashlib.blake2b(raw, digest_size=16).hexdigest(), raw)


def messages(diagnostics) -> list[str]:
    return [str(d) for d in diagnostics]


def test_an_article_is_split_into_front_matter_and_body_keeping_their_lines():
    doc = parse(input_file("article", article_file("kent"), ARTICLE))
    assert isinstance(doc, MarkdownDocument) and doc.problems == ()
    assert (doc.kind, doc.path, doc.stem) == ("article", "content/articles/kent.md", "kent")
    publisher = next(value for key, value in doc.data.value if key.value == "publisher")
    assert publisher.value == "LocalGov"
    assert publisher.start_mark.line + 1 + doc.line_offset == 3  # line 3 of the file
    assert doc.body_line == 6 and doc.body.lstrip("\n").startswith("A summary")


def test_a_yaml_syntax_error_travels_with_the_document_and_opens_the_files_errors():
    text = "name: Dover District Council\nkind: district\n  region: South East\n"
    doc = parse(input_file("council", council_file("dover"), text))
    assert isinstance(doc, YamlDocument) and doc.data is None
    assert [(d.location, d.severity) for d in doc.problems] == [(("content/councils/dover.yaml", 3, 3), "error")]
    result = check_file(doc, None)
    assert result.value is None
    assert messages(result.diagnostics) == messages(doc.problems)


def test_bytes_that_are_not_utf8_are_reported_at_their_line_and_column():
    doc = parse(input_file("article", article_file("bad"), b"---\ntitle: Caf\xe9\n---\nBody.\n"))
    assert doc.data is None and doc.body is None
    assert messages(doc.problems) == [
        "content/articles/bad.md:2:11: error: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"]


def test_an_empty_front_matter_is_reported_on_its_line_and_the_body_is_still_kept():
    doc = parse(input_file("page", "content/pages/about.md", "---\n---\nSome words.\n"))
    assert doc.data is None and doc.body == "Some words.\n" and doc.body_line == 3
    assert messages(doc.problems) == ["content/pages/about.md:2:1: error: the front matter is empty"]


def test_validation_adds_its_own_errors_after_the_syntax_errors_of_the_document():
    doc = parse(input_file("council", council_file("Dover_DC"), "name: [unclosed\n"))
    result = check_file(doc, None)
    assert [d.location.line for d in result.diagnostics][:len(doc.problems)] == [d.location.line for d in doc.problems]
    assert "file name 'Dover_DC' is not a valid id" in result.diagnostics[-1].message


def test_a_checked_result_survives_the_cache_keyed_by_the_files_digest():
    file = input_file("article", article_file("kent"), ARTICLE)
    result = check_file(parse(file), None)
    assert result.digest == file.digest and result.value is not None
    assert pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)) == result

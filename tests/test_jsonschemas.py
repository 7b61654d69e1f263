"""The JSON Schemas editors use: committed, generated from the formats, and agreeing with `check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, run
from generator import jsonschemas

SCHEMA_DIR = ROOT / "schemas"


class TextDates(yaml.SafeLoader):
    """YAML as an editor's tools read it: dates stay text, as the generator reads them."""


TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def data_of(path: Path):
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    return yaml.load(text, Loader=TextDates)


def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def copy_real_site(dest: Path) -> Path:
    """The real site's inputs, without the rest of the repository."""
    dest.mkdir()
    shutil.copy(ROOT / "site.yaml", dest)
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def content_files(name: str) -> list[Path]:
    return sorted(ROOT.glob(jsonschemas.SCHEMAS[name][1]))


def test_committed_schemas_are_what_the_formats_generate():
    generated = jsonschemas.generate(jsonschemas.load_config(ROOT))
    committed = {p.name: p.read_text("utf-8") for p in SCHEMA_DIR.glob("*.json")}
    assert committed == generated, "run 'python -m generator schemas' and commit schemas/"


def test_the_schemas_command_writes_them(site):
    result = run("schemas", "--site", str(site))
    assert result.returncode == 0, result.stderr
    written = {p.name: p.read_text("utf-8") for p in (site / "schemas").glob("*.json")}
    assert written == jsonschemas.generate(jsonschemas.load_config(site))
    assert "Wrote" in result.stdout and "council.schema.json" in result.stdout
    # the council schema's regions are the site's own
    council = json.loads(written["council.schema.json"])
    assert council["properties"]["region"]["enum"] == yaml.safe_load((site / "site.yaml").read_text())["regions"]


def test_the_schemas_command_reports_errors_in_site_yaml(site):
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("base_url: https://", "base_url: ftp://"))
    result = run("schemas", "--site", str(site))
    assert result.returncode == 1
    assert "site.yaml:" in result.stderr and "is not a web address" in result.stderr
    assert not (site / "schemas").exists()


@pytest.mark.parametrize("name", list(jsonschemas.SCHEMAS))
def test_every_real_content_file_is_valid(name):
    files = content_files(name)
    if name == "changelog" and not files:
        pytest.skip("no content/changelog.yaml yet")
    assert files
    check = validator(name)
    for path in files:
        errors = [e.message for e in check.iter_errors(data_of(path))]
        assert errors == [], path


@pytest.mark.parametrize("name, path", [("council", "content/councils/*.yaml"), ("timeline", "content/timeline.yaml"),
                                        ("site", "site.yaml")])
def test_every_content_yaml_file_names_its_schema_on_its_first_line(name, path):
    for file in ROOT.glob(path):
        rel = file.relative_to(ROOT).as_posix()
        first = file.read_text("utf-8").split("\n", 1)[0]
        assert first == jsonschemas.header(rel, name), rel
        assert (file.parent / first.split("$schema=")[1]).resolve() == SCHEMA_DIR / f"{name}.schema.json"


def test_vscode_maps_each_yaml_schema_to_its_files():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    mapped = {Path(schema).name: glob for schema, glob in settings["yaml.schemas"].items()}
    assert mapped == {f"{n}.schema.json": jsonschemas.SCHEMAS[n][1] for n in ("council", "timeline", "changelog", "site")}


COUNCIL = ROOT / "content" / "councils" / "medway.yaml"
BROKEN = [
    # (schema, file to start from, what to change, a line `check` must print)
    ("council", COUNCIL, ("status: ", "staus: "), "unknown field 'staus' in a council (did you mean 'status'?)"),
    ("council", COUNCIL, ("kind: unitary", "kind: parish"), "unknown kind 'parish'"),
    ("council", COUNCIL, ("region: South East", "region: Kent"), "unknown region 'Kent'"),
    ("council", COUNCIL, ("name: Medway Council\n", ""), "a council is missing required field 'name'"),
    ("council", COUNCIL, ("last_reviewed: 20", "last_reviewed: 18"), "is out of range (1900-2100)"),
    ("council", COUNCIL, ("status_as_of: 2023-02", "status_as_of: 2023-13"), "month must be 1-12, found 13"),
    ("council", COUNCIL, ("status_source: ", "status_source: Not An Id "), "is not a valid id"),
    ("article", ROOT / "content" / "articles" / "fac-2021-07-never-again.md",
     ("url: https://", "url: javascript://"), "is not a web address"),
    ("article", ROOT / "content" / "articles" / "fac-2021-07-never-again.md", ("publisher: ", "publsher: "),
     "unknown field 'publsher'"),
    ("timeline", ROOT / "content" / "timeline.yaml", ("  sources: [wikipedia-ndaa-fy2019]\n", ""),
     "a timeline event is missing required field 'sources'"),
    ("site", ROOT / "site.yaml", ("language: en-GB\n", "language: en-GB\nlanguages: [cy]\n"), "unknown field 'languages'"),
]


@pytest.mark.parametrize("name, source, change, message", BROKEN, ids=lambda v: v.split("(")[0][:30] if isinstance(v, str) else None)
def test_schema_and_check_both_reject_a_broken_file(name, source, change, message, tmp_path):
    site = copy_real_site(tmp_path / "site")
    target = site / source.relative_to(ROOT)
    text = target.read_text("utf-8")
    assert change[0] in text
    target.write_text(text.replace(change[0], change[1], 1), "utf-8")
    assert list(validator(name).iter_errors(data_of(target))), "the schema accepted it"
    result = run("check", "--site", str(site))
    assert result.returncode == 1
    assert message in result.stderr


def properties(schema: dict, where: str = ""):
    """(path, property schema) of every field at every depth of a schema."""
    for key, value in schema.get("properties", {}).items():
        yield f"{where}{key}", value
        yield from properties(value, f"{where}{key}.")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from properties(schema[key], f"{where}[]." if key == "items" else where)


def enums(schema: dict, where: str = ""):
    if "enum" in schema:
        yield where, schema
    for key, value in schema.get("properties", {}).items():
        yield from enums(value, f"{where}{key}.")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from enums(schema[key], f"{where}[].")


@pytest.mark.parametrize("name", list(jsonschemas.SCHEMAS))
def test_every_field_of_every_schema_has_hover_help(name):
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
    fields = list(properties(schema))
    assert fields
    assert [path for path, field in fields if len(field.get("description", "")) < 10] == []


@pytest.mark.parametrize("name", list(jsonschemas.SCHEMAS))
def test_every_enum_value_has_its_meaning(name):
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
    for path, field in enums(schema):
        meanings = field.get("markdownEnumDescriptions")
        assert meanings and len(meanings) == len(field["enum"]), path
        for value, meaning in zip(field["enum"], meanings):
            assert meaning.startswith(f"`{value}`: ") and len(meaning) > len(value) + 8, (path, meaning)


def test_the_meanings_of_codes_come_from_site_yaml():
    config = yaml.safe_load((ROOT / "site.yaml").read_text("utf-8"))
    council = json.loads((SCHEMA_DIR / "council.schema.json").read_text("utf-8"))["properties"]
    hover = dict(zip(council["status"]["enum"], council["status"]["markdownEnumDescriptions"]))
    assert set(hover) == set(config["statuses"])
    for code, label in config["statuses"].items():
        assert label["label"] in hover[code] and label["description"] in hover[code]
    kinds = dict(zip(council["kind"]["enum"], council["kind"]["markdownEnumDescriptions"]))
    assert {code: kinds[code] for code in config["kinds"]} == {c: f"`{c}`: {t}" for c, t in config["kinds"].items()}
    locations = council["cameras"]["properties"]["locations"]["items"]
    assert dict(zip(locations["enum"], locations["markdownEnumDescriptions"])) == {
        c: f"`{c}`: {t}" for c, t in config["locations"].items()}
    assert council["region"]["enum"] == config["regions"]


@pytest.mark.parametrize("value, problem", [
    ("21/02/2023", "pattern"), ("2023-13", "pattern"), ("23-02-2023", "pattern"), (1800, "minimum"),
    ("2023-02-21", None), ("2023-02", None), (2023, None), ("2023", None),
])
def test_dates_are_checked_by_pattern_with_a_plain_message(value, problem):
    council = json.loads((SCHEMA_DIR / "council.schema.json").read_text("utf-8"))
    date = council["properties"]["last_reviewed"]
    found = list(jsonschema.Draft7Validator(date).iter_errors(value))
    assert [e.validator for e in found] == ([problem] if problem else [])
    assert all("is not of type" not in e.message for e in found)
    assert "YYYY-MM-DD" in date["patternErrorMessage"]

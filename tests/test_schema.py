"""Validation: every rule has a bad file that trips it, with a message naming where and what."""

from __future__ import annotations

import copy
import json

import pytest

from innomap.cities import load_dataset
from innomap.schema import DataError, Problem, read_collection, validate
from innomap.shipped import THEMES


def props(data: dict, index: int) -> dict:
    """Return the properties of feature `index`."""
    return data["features"][index]["properties"]


def set_prop(index: int, field: str, value):
    """Return an edit that sets one property of one feature."""
    return lambda data: props(data, index).__setitem__(field, value)


def del_prop(index: int, field: str):
    """Return an edit that removes one property of one feature."""
    return lambda data: props(data, index).pop(field)


def set_coords(index: int, coords):
    """Return an edit that moves one feature."""
    return lambda data: data["features"][index]["geometry"].__setitem__("coordinates", coords)


CASES = [
    # (edit, the text the message must contain)
    (del_prop(3, "priorities"), "features[3] (lahti).priorities: expected a value"),
    (set_prop(0, "colour", "red"), "features[0] (helsinki).colour: expected only known fields"),
    (set_prop(1, "id", "helsinki"),
     "features[1] (helsinki).id: expected a unique value (already used by features[0])"),
    (set_prop(2, "municipality_code", "091"), "features[2] (vantaa).municipality_code: "
                                              "expected a unique value"),
    (set_prop(2, "municipality_code", 92), 'municipality_code: expected a 3-digit string like "091"'),
    (set_prop(0, "id", "Helsinki City"), 'id: expected a lowercase ASCII slug'),
    (set_prop(4, "themes", ["circular_economy", "teleportation"]),
     'features[4] (lappeenranta).themes[1]: expected a focus-area id from themes.json, '
     'got "teleportation"'),
    (set_prop(4, "themes", []), "themes: expected a non-empty list"),
    (set_prop(4, "sources", ["javascript:alert(1)"]),
     'features[4] (lappeenranta).sources[0]: expected an http(s):// URL, got "javascript:alert(1)"'),
    (set_prop(4, "sources", []), "(lappeenranta).sources: expected a non-empty list of source URLs"),
    (set_prop(4, "additional_priorities", {"text": {"fi": "x", "sv": "x", "en": "x"}}),
     "(lappeenranta).additional_priorities: expected an object {text: {fi, sv, en}, source: URL}"),
    (set_prop(4, "additional_priorities", {"text": {"fi": "x", "sv": "x"},
                                           "source": "https://example.fi/"}),
     "(lappeenranta).additional_priorities.text.en: expected a non-empty text"),
    (set_prop(4, "additional_priorities", {"text": {"fi": "x", "sv": "x", "en": "x"},
                                           "source": "ftp://example.fi/"}),
     '(lappeenranta).additional_priorities.source: expected an http(s):// URL, got "ftp://'),
    (set_prop(5, "lead_city", "atlantis"),
     'features[5] (imatra).lead_city: expected the id of an ecosystem city in this file, '
     'got "atlantis"'),
    (set_prop(5, "lead_city", None), "(imatra).lead_city: expected the id of the lead city"),
    (set_prop(0, "lead_city", "espoo"), "(helsinki).lead_city: expected null for an ecosystem city"),
    (set_prop(5, "agreement", "imatra"), "(imatra).agreement: expected its lead city's agreement"),
    (set_prop(0, "role", "capital"), '(helsinki).role: expected one of "ecosystem_city"'),
    (set_prop(0, "macro_region", "middle"), '(helsinki).macro_region: expected one of "south"'),
    (set_coords(18, [65.0121, 25.4651]),
     "features[18] (oulu).geometry: expected [lon, lat] inside Finland, got [65.0121, 25.4651] "
     "(swapped? GeoJSON wants [lon, lat])"),
    (set_coords(0, [2.35, 48.85]), "(helsinki).geometry: expected [lon, lat] inside Finland"),
    (set_coords(0, [24.9, "60.1"]), "geometry: expected [lon, lat] as two finite numbers"),
    (lambda d: props(d, 6)["priorities"].pop("sv"),
     "features[6] (turku).priorities.sv: expected a non-empty text (missing translation)"),
    (lambda d: props(d, 6)["name"].__setitem__("en", "  "), "(turku).name.en: expected a non-empty"),
    (lambda d: props(d, 6)["intermediate_body"].__setitem__("de", "x"),
     "intermediate_body.de: expected only fi, sv and en"),
    (lambda d: props(d, 6)["maakunta"].__setitem__("code", "2"), "maakunta.code: expected a 2-digit"),
    (lambda d: d.pop("metadata"), "collection.metadata: expected an object"),
    (lambda d: d.__setitem__("type", "Feature"), 'collection.type: expected "FeatureCollection"'),
    (lambda d: d.__setitem__("features", []), "collection.features: expected a non-empty list"),
    (lambda d: d["features"].__setitem__(0, {"type": "Point"}), "features[0].type: expected"),
]


@pytest.mark.parametrize(("edit", "message"), CASES, ids=[c[1][:50] for c in CASES])
def test_each_rule_reports_where_and_what(write_cities, edit, message):
    with pytest.raises(DataError) as caught:
        load_dataset(write_cities(edit), THEMES)
    messages = [str(p) for p in caught.value.problems]
    assert any(message in m for m in messages), messages


def set_meta(path: str, value):
    """Return an edit that sets one member of `metadata`, addressed like "source.url"."""
    *parents, name = path.split(".")

    def edit(data: dict) -> None:
        target = data["metadata"]
        for parent in parents:
            target = target[parent]
        target[name] = value

    return edit


def del_meta(path: str):
    """Return an edit that removes one member of `metadata`, addressed like "source.url"."""
    *parents, name = path.split(".")

    def edit(data: dict) -> None:
        target = data["metadata"]
        for parent in parents:
            target = target[parent]
        target.pop(name)

    return edit


PROGRAMME_FI = "Uudistuva ja osaava Suomi 2021–2027"
METADATA_CASES = [
    # (edit, every message the edit causes, in full)
    (lambda d: d.pop("metadata"),
     ["collection.metadata: expected an object with title, programme, source, licence, "
      "attribution, got nothing"]),
    (lambda d: d.__setitem__("metadata", "CC BY 4.0"),
     ['collection.metadata: expected an object with title, programme, source, licence, '
      'attribution, got "CC BY 4.0"']),
    (lambda d: d.__setitem__("metadata", []),
     ["collection.metadata: expected an object with title, programme, source, licence, "
      "attribution, got []"]),
    (set_meta("programme", PROGRAMME_FI),
     ["collection.metadata.programme: expected an object with fi, sv and en texts, "
      f'got "{PROGRAMME_FI}"']),
    (del_meta("title.sv"),
     ["collection.metadata.title.sv: expected a non-empty text (missing translation), "
      "got nothing"]),
    (set_meta("title.en", ["Innovative Cities"]),
     ["collection.metadata.title.en: expected a non-empty text (missing translation), "
      'got ["Innovative Cities"]']),
    (set_meta("source", ["https://rakennerahastot.fi"]),
     ["collection.metadata.source: expected an object with title, publisher, url, retrieved, "
      'got ["https://rakennerahastot.fi"]']),
    (del_meta("source.publisher"),
     ["collection.metadata.source.publisher: expected a value (field is required), "
      "got nothing"]),
    (set_meta("source.title", "  "),
     ['collection.metadata.source.title: expected a non-empty text, got "  "']),
    (set_meta("source.url", "javascript:alert(1)"),
     ['collection.metadata.source.url: expected an http(s):// URL, got "javascript:alert(1)"']),
    (set_meta("source.retrieved", "27.11.2026"),
     ['collection.metadata.source.retrieved: expected an ISO date like "2026-11-27", '
      'got "27.11.2026"']),
    (set_meta("source.retrieved", "2026-02-30"),
     ['collection.metadata.source.retrieved: expected an ISO date like "2026-11-27", '
      'got "2026-02-30"']),
    (set_meta("source.retrieved", "20261127"),
     ['collection.metadata.source.retrieved: expected an ISO date like "2026-11-27", '
      'got "20261127"']),
    (set_meta("licence", "CC BY 4.0"),
     ['collection.metadata.licence: expected an object with name, url, got "CC BY 4.0"']),
    (set_meta("licence.name", 4), ["collection.metadata.licence.name: expected a non-empty text, "
                                   "got 4"]),
    (del_meta("licence.url"),
     ["collection.metadata.licence.url: expected a value (field is required), got nothing"]),
    # R2-5: the publisher and the credit line in each language.
    (set_meta("attribution", "innomap"),
     ['collection.metadata.attribution: expected an object with fi, sv and en texts, '
      'got "innomap"']),
    (set_meta("attribution", {"fi": "innomap", "sv": "innomap", "en": " "}),
     ['collection.metadata.attribution.en: expected a non-empty text (missing translation), '
      'got " "']),
    (set_meta("source.publisher", "Työ- ja elinkeinoministeriö (rakennerahastot.fi)"),
     ["collection.metadata.source.publisher: expected an object with fi, sv and en texts, "
      'got "Työ- ja elinkeinoministeriö (rakennerahastot.fi)"']),
    (del_meta("attribution"),
     ["collection.metadata.attribution: expected a value (field is required), got nothing"]),
    # Members nothing reads are free (the benchmarks' synthetic data adds one).
    (set_meta("synthetic", {"places": 10_000}), []),
]


@pytest.mark.parametrize(("edit", "messages"), METADATA_CASES,
                         ids=[(c[1] or ["accepted"])[0][:60] for c in METADATA_CASES])
def test_every_metadata_member_read_is_checked(collection, dataset, edit, messages):
    data = copy.deepcopy(collection)
    edit(data)
    assert [str(p) for p in validate(data, dataset.taxonomy.focus_ids)] == messages


def test_the_shipped_file_is_valid(collection, dataset):
    assert validate(collection, dataset.taxonomy.focus_ids) == []


def test_all_problems_are_reported_at_once(write_cities):
    def break_three(data):
        props(data, 0)["role"] = "capital"
        props(data, 9).pop("themes")
        data["features"][19]["geometry"]["coordinates"] = [66.5, 25.7]

    with pytest.raises(DataError) as caught:
        load_dataset(write_cities(break_three), THEMES)
    wheres = {p.where for p in caught.value.problems}
    assert wheres == {"features[0] (helsinki)", "features[9] (seinajoki)",
                      "features[19] (rovaniemi)"}
    assert str(caught.value).splitlines()[0].endswith(": 3 problems")


FILE_FAULTS = [
    ("missing", None, "expected an existing GeoJSON file"),
    ("empty", b"", "got an empty file"),
    ("not json", b"<html>oops</html>", "expected valid JSON, got Expecting value at line 1"),
    ("truncated", None, "expected valid JSON"),
    ("latin-1", '{"name": "Jyväskylä"}'.encode("latin-1"), "expected UTF-8 text"),
    ("a list", b"[1, 2]", "expected a JSON object"),
]


@pytest.mark.parametrize(("case", "content", "message"), FILE_FAULTS, ids=[f[0] for f in FILE_FAULTS])
def test_unreadable_files_get_a_message(tmp_path, collection, case, content, message):
    path = tmp_path / "cities.geojson"
    if case == "truncated":
        content = json.dumps(collection).encode()[:500]
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_collection(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.geojson"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(DataError, match="expected at most 20 MB, got 50.0 MB"):
        read_collection(path)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True])
def test_non_finite_coordinates_are_refused(write_cities, bad):
    path = write_cities(set_coords(0, [bad, 60.17]))  # json.dumps writes NaN / Infinity
    with pytest.raises(DataError, match=r"\(helsinki\).geometry: expected \[lon, lat\] as two"):
        load_dataset(path, THEMES)


def test_problem_reads_as_one_line():
    problem = Problem("features[7] (oulu)", "geometry", "[lon, lat] inside Finland", "[65, 25]")
    assert str(problem) == "features[7] (oulu).geometry: expected [lon, lat] inside Finland, got [65, 25]"


def test_repeated_codes_can_be_accepted_and_nothing_else(write_cities):
    """unique_codes=False drops only the municipality-code rule (synthetic data, benchmarks)."""
    def repeat_code_and_id(data):
        props(data, 2)["municipality_code"] = props(data, 0)["municipality_code"]
        props(data, 3)["id"] = props(data, 1)["id"]

    path = write_cities(repeat_code_and_id)
    with pytest.raises(DataError) as caught:
        load_dataset(path, THEMES, unique_codes=False)
    assert [(p.where, p.field) for p in caught.value.problems] == [("features[3] (espoo)", "id")]
    relaxed = load_dataset(write_cities(set_prop(2, "municipality_code", "091")), THEMES,
                           unique_codes=False)
    assert list(relaxed.cities["municipality_code"][:3]) == ["091", "049", "091"]
